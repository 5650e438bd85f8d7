//! Tampered, damaged and hostile vault files (SECURITY.md, "Attacker with the
//! vault file"). Every changed, removed or added byte must give exit 5 with a
//! clear message and no panic; a hostile header must be refused before any
//! key derivation; a deliberate forgery (checksum recomputed) must never read.
//!
//! The exhaustive sweeps run through the library (the same `VaultFile::parse`
//! and `open_payload` the binary uses), and a sampled sweep through the binary.

use crate::security_support;
use std::time::{Duration, Instant};

use crate::common::{PASSPHRASE, TestVault, stderr};
use crate::security_support::Key;
use crate::security_support::{Rng, data_key, panicked, read_with_key, reseal_checksum, set_field};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use vault::vault::format::VaultFile;

/// A real, small vault made by the binary, its bytes and its data key.
fn sample() -> (TestVault, Vec<u8>, Key) {
    let vault = TestVault::new();
    vault.ok(&["create", "secret", "db", "-e", "USER_NAME=admin-canary"]);
    let bytes = vault.vault_bytes();
    let key = data_key(&vault.vault_path(), PASSPHRASE);
    read_with_key(&bytes, &key).expect("the untouched file reads");
    (vault, bytes, key)
}

/// The format 1 test vector in a test home, its bytes and its data key: the
/// checks of format 1's own layout run on it (new vaults are format 2).
fn sample_v1() -> (TestVault, Vec<u8>, vault::vault::crypto::Key) {
    let vault = TestVault::empty();
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vectors/v1.toml"
    ))
    .unwrap();
    std::fs::create_dir_all(vault.vault_path().parent().unwrap()).unwrap();
    std::fs::write(vault.vault_path(), &bytes).unwrap();
    let file = VaultFile::parse(&bytes).unwrap();
    let key = vault::vault::unwrap_v1_key(&file, &V1_PASSPHRASE.into()).unwrap();
    (vault, bytes, key)
}

const V1_PASSPHRASE: &str = "test-vector-passphrase";

/// Asserts that the library refuses `bytes` as damage (exit 5) with a message.
#[track_caller]
fn assert_damaged(bytes: &[u8], key: &Key, what: &str) {
    match read_with_key(bytes, key) {
        Ok(_) => panic!("{what}: a changed file was read"),
        Err(err) => {
            assert_eq!(err.exit_code(), 5, "{what}: {}", err.message);
            assert!(
                err.message.contains("vault file"),
                "{what}: unclear message: {}",
                err.message
            );
        }
    }
}

#[test]
fn every_single_byte_change_is_refused() {
    let (_vault, bytes, key) = sample();
    let mut rng = Rng::new(0x5eed_0001);
    let mut checked = 0;
    for i in 0..bytes.len() {
        for mask in [0x01u8, 0x20, 0x80, 0xff] {
            let mut changed = bytes.clone();
            changed[i] ^= mask;
            assert_damaged(&changed, &key, &format!("byte {i} xor {mask:#04x}"));
            checked += 1;
        }
        // Replacement with other printable characters: the ones that matter to
        // the layout, and two drawn at random (all 95 would cost seconds).
        let random = [0x20 + rng.below(0x5f) as u8, 0x20 + rng.below(0x5f) as u8];
        for c in [b' ', b'"', b'=', b'0', b'A', b'\n']
            .into_iter()
            .chain(random)
        {
            if c == bytes[i] {
                continue;
            }
            let mut changed = bytes.clone();
            changed[i] = c;
            assert_damaged(&changed, &key, &format!("byte {i} set to {:?}", c as char));
            checked += 1;
        }
    }
    eprintln!(
        "{checked} single-byte changes of a {}-byte file refused",
        bytes.len()
    );
}

#[test]
fn every_truncation_removal_and_extension_is_refused() {
    let (_vault, bytes, key) = sample();
    for len in 0..bytes.len() {
        assert_damaged(&bytes[..len], &key, &format!("truncated to {len}"));
    }
    for i in 0..bytes.len() {
        let mut removed = bytes.clone();
        removed.remove(i);
        assert_damaged(&removed, &key, &format!("byte {i} removed"));
        for extra in [b'\n', b' ', b'A', b'=', 0] {
            let mut added = bytes.clone();
            added.insert(i, extra);
            assert_damaged(&added, &key, &format!("{extra:#04x} inserted at {i}"));
        }
    }
    for extra in 0..=255u8 {
        let mut longer = bytes.clone();
        longer.push(extra);
        assert_damaged(&longer, &key, &format!("trailing byte {extra:#04x}"));
    }
    for suffix in [&b"\n"[..], b"\r\n", b" \n", b"\n\n", b"# comment\n"] {
        let longer = [bytes.as_slice(), suffix].concat();
        assert_damaged(&longer, &key, &format!("trailing {suffix:?}"));
    }
    let with_bom = [&b"\xef\xbb\xbf"[..], &bytes].concat();
    assert_damaged(&with_bom, &key, "a byte-order mark");
    let crlf = String::from_utf8(bytes.clone())
        .unwrap()
        .replace('\n', "\r\n");
    assert_damaged(crlf.as_bytes(), &key, "CRLF line endings");
    let doubled = [bytes.as_slice(), &bytes].concat();
    assert_damaged(&doubled, &key, "the file twice");
}

/// A deliberate forger recomputes the checksum. Changes to the payload, its
/// nonce or the header then fail authentication (exit 5); changes to the
/// wrapped key are a wrong key (exit 4, see SECURITY.md). Nothing ever reads.
#[test]
fn forgeries_with_a_recomputed_checksum_never_read() {
    let (vault, bytes, key) = sample_v1();
    let original = VaultFile::parse(&bytes).unwrap();
    let body_len = security_support::body(&bytes).len();
    let mut rng = Rng::new(0x7a3e);
    let mut key_wrapping_changes = Vec::new();
    let (mut refused_by_parse, mut refused_by_aead) = (0, 0);
    for i in 0..body_len {
        let mut changed = bytes.clone();
        changed[i] ^= 1 << rng.below(7);
        let changed = reseal_checksum(&changed);
        let Ok(file) = VaultFile::parse(&changed) else {
            refused_by_parse += 1;
            continue;
        };
        if file.wrapped_key != original.wrapped_key || file.key_nonce != original.key_nonce {
            key_wrapping_changes.push(changed);
            continue;
        }
        let err = vault::vault::open_payload(&file, &key)
            .err()
            .unwrap_or_else(|| panic!("byte {i} changed and the payload still opened"));
        assert_eq!(err.exit_code(), 5, "byte {i}: {}", err.message);
        assert!(err.message.contains("tampered"), "{}", err.message);
        refused_by_aead += 1;
    }
    assert!(refused_by_aead > 100, "only {refused_by_aead} reached AEAD");
    // The key-wrapping path runs Argon2: check a sample through the library.
    assert!(!key_wrapping_changes.is_empty());
    let path = vault.path().join("forged.toml");
    for forged in key_wrapping_changes.iter().step_by(9) {
        std::fs::write(&path, forged).unwrap();
        let mut forged_vault = vault::vault::Vault::new(
            vault::vault::storage::Store::new(path.clone()),
            vault::vault::KeySource::Passphrase(V1_PASSPHRASE.into()),
        );
        let err = forged_vault.open().err().expect("a forged key never opens");
        assert!(matches!(err.exit_code(), 4 | 5), "{}", err.message);
    }
    eprintln!(
        "forgeries: {refused_by_parse} refused by parsing, {refused_by_aead} by payload \
         authentication, {} key-wrapping changes",
        key_wrapping_changes.len()
    );
}

/// The sampled sweep through the binary: exit 5, a clear message, no panic,
/// nothing on stdout, and the file left as it was (also by a write command).
#[test]
fn tampered_files_through_the_binary() {
    let (vault, bytes, _key) = sample();
    let mut rng = Rng::new(0x5eed_0005);
    let mut cases: Vec<(String, Vec<u8>)> = Vec::new();
    for n in 0..60 {
        let i = rng.below(bytes.len() as u64) as usize;
        let mut changed = bytes.clone();
        if n % 2 == 0 {
            changed[i] ^= 1 << rng.below(8);
        } else {
            let mut c = 0x20 + rng.below(0x5f) as u8;
            if c == bytes[i] {
                c = if c == b'~' { b'!' } else { c + 1 };
            }
            changed[i] = c;
        }
        cases.push((format!("byte {i} changed"), changed));
    }
    for len in [0, 1, 10, bytes.len() / 2, bytes.len() - 2, bytes.len() - 1] {
        cases.push((format!("truncated to {len}"), bytes[..len].to_vec()));
    }
    cases.push(("a trailing newline".into(), [&bytes[..], b"\n"].concat()));
    cases.push(("a trailing byte".into(), [&bytes[..], b"x"].concat()));
    cases.push(("a leading byte".into(), [&b" "[..], &bytes].concat()));

    let path = vault.vault_path();
    for (what, changed) in &cases {
        std::fs::write(&path, changed).unwrap();
        for args in [
            &["get", "secrets"][..],
            &["create", "secret", "new", "-e", "K=v"],
        ] {
            let output = vault.cmd(args).output().unwrap();
            let err = stderr(&output);
            assert_eq!(output.status.code(), Some(5), "{what}, {args:?}: {err}");
            assert!(!panicked(&output.stderr), "{what}: {err}");
            assert!(err.starts_with("error: vault file"), "{what}: {err}");
            assert!(
                err.contains("damaged") || err.contains("tampered"),
                "{what}: {err}"
            );
            assert!(output.stdout.is_empty(), "{what}");
            assert_eq!(&std::fs::read(&path).unwrap(), changed, "{what}: rewritten");
        }
    }
    eprintln!("{} tampered files refused through the binary", cases.len());
}

#[test]
fn a_session_does_not_turn_damage_into_a_read() {
    let (vault, bytes, _key) = sample();
    let unlock = vault.ok(&["unlock"]);
    let token = unlock
        .trim()
        .strip_prefix("export VAULT_SESSION=")
        .expect("unlock prints an export line")
        .trim_matches(|c| c == '\'' || c == '"');
    let path = vault.vault_path();
    // A flipped payload byte (accident), then the same with the checksum recomputed (forgery).
    let text = std::str::from_utf8(&bytes).unwrap();
    let record_line = text.find("\nrecord ").unwrap() + 1;
    let line_end = record_line + text[record_line..].find('\n').unwrap();
    let at = record_line + text[record_line..line_end].rfind(' ').unwrap() + 9; // inside the ciphertext
    let mut changed = bytes.clone();
    // Another base64 character, so that the forgery below is still well-formed.
    changed[at] = if changed[at] == b'A' { b'B' } else { b'A' };
    for (what, file) in [
        ("damaged", changed.clone()),
        ("tampered", reseal_checksum(&changed)),
    ] {
        std::fs::write(&path, &file).unwrap();
        let output = vault
            .bare(&["get", "secret", "db", "--reveal"])
            .env("VAULT_SESSION", token)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(5), "{}", stderr(&output));
        assert!(stderr(&output).contains(what), "{}", stderr(&output));
        assert!(!String::from_utf8_lossy(&output.stdout).contains("admin-canary"));
    }
}

#[test]
fn an_unknown_format_version_is_named() {
    let (vault, bytes, _key) = sample();
    let text = String::from_utf8(bytes).unwrap();
    for version in ["4", "17", "4294967295"] {
        let newer = text.replace("format = 3\n", &format!("format = {version}\n"));
        // Whether or not the newer file's checksum matches, the version is named first.
        for file in [
            newer.clone().into_bytes(),
            reseal_checksum(newer.as_bytes()),
        ] {
            std::fs::write(vault.vault_path(), &file).unwrap();
            let output = vault.fails(&["get", "secrets"], 5);
            let err = stderr(&output);
            assert!(err.contains(&format!("version {version}")), "{err}");
            assert!(err.contains("not supported"), "{err}");
            assert!(!panicked(&output.stderr));
        }
    }
    let garbled = text.replace("format = 3\n", "format = two\n");
    assert_ne!(garbled, text);
    std::fs::write(vault.vault_path(), garbled).unwrap();
    vault.fails(&["get", "secrets"], 5);
}

#[test]
fn empty_and_foreign_files_are_refused() {
    let vault = TestVault::new();
    let foreign: [&[u8]; 5] = [
        b"",
        b"\n",
        b"project = \"blue\"\n",
        b"\x7fELF\x02\x01\x01\0\0\0",
        &[0xff; 4096],
    ];
    for bytes in foreign {
        std::fs::write(vault.vault_path(), bytes).unwrap();
        let output = vault.fails(&["get", "secrets"], 5);
        assert!(!panicked(&output.stderr), "{}", stderr(&output));
        assert!(
            stderr(&output).contains("vault file"),
            "{}",
            stderr(&output)
        );
    }
}

// ---- Hostile files: a valid checksum around a header that asks too much ----

/// Runs `vault get secrets` on `bytes`, asserting exit 5 and returning stderr and time.
fn refused(vault: &TestVault, bytes: &[u8], what: &str) -> (String, Duration) {
    refused_by(vault, &["get", "secrets"], bytes, what)
}

fn refused_by(vault: &TestVault, args: &[&str], bytes: &[u8], what: &str) -> (String, Duration) {
    std::fs::write(vault.vault_path(), bytes).unwrap();
    let start = Instant::now();
    // Bounded, so that a broken bound fails the test instead of hanging it.
    let output = vault
        .cmd(args)
        .timeout(Duration::from_secs(10))
        .output()
        .unwrap();
    let elapsed = start.elapsed();
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(5), "{what}: {err}");
    assert!(!panicked(&output.stderr), "{what}: {err}");
    assert!(err.contains("vault file"), "{what}: {err}");
    (err, elapsed)
}

#[test]
fn hostile_kdf_parameters_are_refused_before_any_work() {
    let (vault, bytes, _key) = sample_v1();
    let cases = [
        ("kdf_memory_kib", "67108864", "KDF memory"),   // 64 GiB
        ("kdf_memory_kib", "4294967295", "KDF memory"), // 4 TiB
        ("kdf_memory_kib", "2097152", "KDF memory"),    // 2 GiB: over the 1 GiB bound
        ("kdf_memory_kib", "0", "KDF memory"),
        ("kdf_memory_kib", "1024", "KDF memory"), // a weakened file: below the floor
        ("kdf_iterations", "1000000", "KDF iterations"),
        ("kdf_iterations", "4294967295", "KDF iterations"),
        ("kdf_iterations", "0", "KDF iterations"),
        ("kdf_parallelism", "0", "KDF parallelism"),
        ("kdf_parallelism", "16777215", "KDF parallelism"),
        ("kdf_memory_kib", "99999999999", "not a number"), // over u32
        ("kdf_iterations", "-1", "not a number"),
        ("kdf_iterations", "3.0", "not a number"),
        ("kdf_iterations", "0x10", "not a number"),
    ];
    let mut slowest = Duration::ZERO;
    for (field, value, expected) in cases {
        let hostile = set_field(&bytes, field, value);
        let (err, elapsed) = refused(&vault, &hostile, &format!("{field} = {value}"));
        assert!(err.contains(expected), "{field} = {value}: {err}");
        slowest = slowest.max(elapsed);
        // The bound holds for every command that reads the file, writers included.
        for args in [&["create", "secret", "x", "-e", "K=v"][..], &["unlock"]] {
            let (_, elapsed) = refused_by(&vault, args, &hostile, &format!("{field} = {value}"));
            slowest = slowest.max(elapsed);
        }
    }
    // Argon2 with 64 GiB or a million passes would take minutes or abort;
    // refused at parse time it is a process start and a read.
    assert!(
        slowest < Duration::from_millis(900),
        "a hostile file took {slowest:?}"
    );
    eprintln!("hostile KDF headers refused, slowest in {slowest:?}");
}

#[test]
fn lengths_are_checked_exactly() {
    let (vault, bytes, _key) = sample_v1();
    let b64 = |n: usize| format!("\"{}\"", B64.encode(vec![0x5a; n]));
    let cases = [
        ("vault_id", 15),
        ("vault_id", 17),
        ("salt", 15),
        ("salt", 17),
        ("salt", 0),
        ("key_nonce", 12), // a ChaCha20-Poly1305 (not X) nonce
        ("key_nonce", 23),
        ("key_nonce", 25),
        ("wrapped_key", 47),
        ("wrapped_key", 49),
        ("wrapped_key", 32), // a key with no tag
        ("wrapped_key", 0),
        ("payload_nonce", 23),
        ("payload_nonce", 25),
        ("payload", 15), // shorter than a tag
        ("payload", 0),
    ];
    for (field, len) in cases {
        let hostile = set_field(&bytes, field, &b64(len));
        let (err, _) = refused(&vault, &hostile, &format!("{field} of {len} bytes"));
        assert!(
            err.contains(field)
                || err.contains(&field.replace('_', " "))
                || err.contains("too short"),
            "{field} of {len} bytes: {err}"
        );
    }
}

#[test]
fn unknown_duplicate_and_reordered_fields_are_refused() {
    let (vault, bytes, _key) = sample_v1();
    let body = std::str::from_utf8(security_support::body(&bytes)).unwrap();
    let lines: Vec<&str> = body.lines().collect();
    let mut variants: Vec<(String, String)> = Vec::new();
    // An unknown field at every position.
    for at in 1..=lines.len() {
        let mut changed = lines.clone();
        changed.insert(at, "colour = \"red\"");
        variants.push((format!("unknown field at line {at}"), changed.join("\n")));
    }
    // Each field twice, and each pair of neighbours swapped.
    for at in 1..lines.len() {
        let mut changed = lines.clone();
        changed.insert(at, lines[at]);
        variants.push((format!("line {at} twice"), changed.join("\n")));
        if at + 1 < lines.len() {
            let mut swapped = lines.clone();
            swapped.swap(at, at + 1);
            variants.push((
                format!("lines {at} and {} swapped", at + 1),
                swapped.join("\n"),
            ));
        }
    }
    // Another KDF, a TOML table, spacing and quoting that TOML would accept.
    for (from, to) in [
        ("kdf = \"argon2id\"", "kdf = \"argon2i\""),
        ("kdf = \"argon2id\"", "kdf = \"scrypt\""),
        ("kdf = \"argon2id\"", "kdf = 'argon2id'"),
        ("kdf_iterations = 1", "kdf_iterations=1"),
        ("kdf_iterations = 1", "kdf_iterations = 01"),
        ("kdf_iterations = 1", "kdf_iterations = +1"),
        ("kdf_iterations = 1", "kdf_iterations = 1 # fast"),
        ("format = 1", "format = 1\n[extra]"),
    ] {
        assert!(body.contains(from), "{from}");
        variants.push((to.to_owned(), body.replacen(from, to, 1)));
    }
    for (what, text) in &variants {
        let text = if text.ends_with('\n') {
            text.clone()
        } else {
            format!("{text}\n")
        };
        let hostile = security_support::with_checksum(text.as_bytes());
        refused(&vault, &hostile, what);
    }
    eprintln!("{} hostile layouts refused", variants.len());
}
