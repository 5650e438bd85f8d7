//! Tamper tests for format 2 (SECURITY.md, "Attacker with the vault file"):
//! every byte, truncations, records swapped between names and between vaults,
//! removed, added, reordered, or replayed from an older version of the file:
//! exit 5 every time, never a read, and never exit 4.

use crate::common::{TestVault, stderr};
use crate::security_support::{data_key, read_with_key, reseal_checksum};
use vault::vault::format2::File2;

fn sample() -> (TestVault, Vec<u8>) {
    let tv = TestVault::new();
    tv.ok(&["create", "secret", "a", "-e", "A=canary-a-1"]);
    tv.ok(&["create", "secret", "b", "-e", "B=canary-b-1"]);
    tv.ok(&["create", "secret", "c", "-p", "blue", "-e", "C=canary-c-1"]);
    let bytes = tv.vault_bytes();
    (tv, bytes)
}

#[track_caller]
fn assert_refused(keys: &crate::security_support::Key, bytes: &[u8], what: &str) {
    match read_with_key(bytes, keys) {
        Ok(_) => panic!("{what}: a changed file was read"),
        Err(err) => assert_eq!(err.exit_code(), 5, "{what}: {}", err.message),
    }
}

#[test]
fn every_byte_and_every_truncation_is_exit_5() {
    let (tv, bytes) = sample();
    let keys = data_key(&tv.vault_path(), crate::common::PASSPHRASE);
    read_with_key(&bytes, &keys).expect("the untouched file reads");
    for i in 0..bytes.len() {
        for mask in [0x01u8, 0x80] {
            let mut changed = bytes.clone();
            changed[i] ^= mask;
            assert_refused(&keys, &changed, &format!("byte {i} xor {mask:#x}"));
        }
    }
    for len in 0..bytes.len() {
        assert_refused(&keys, &bytes[..len], &format!("truncated to {len}"));
    }
    let mut longer = bytes.clone();
    longer.push(b'\n');
    assert_refused(&keys, &longer, "a trailing newline");
}

#[test]
fn forged_record_changes_are_exit_5_even_with_the_checksum_recomputed() {
    let (tv, bytes) = sample();
    let keys = data_key(&tv.vault_path(), crate::common::PASSPHRASE);
    let file = File2::parse(&bytes).unwrap();
    assert_eq!(file.records.len(), 3);
    // Two records' sealed parts swapped between names.
    let mut swapped = file.clone();
    let rest0 = swapped.records[0].rest.clone();
    swapped.records[0].rest = swapped.records[1].rest.clone();
    swapped.records[1].rest = rest0;
    assert_refused(&keys, &swapped.to_bytes(), "records swapped between names");
    // A whole record line moved under another name (its nonce too).
    let mut moved = file.clone();
    let (nonce, rest) = (moved.records[0].nonce, moved.records[0].rest.clone());
    moved.records[1].nonce = nonce;
    moved.records[1].rest = rest;
    assert_refused(&keys, &moved.to_bytes(), "a record moved to another name");
    // Removed, duplicated and reordered records.
    let mut removed = file.clone();
    removed.records.remove(1);
    assert_refused(&keys, &removed.to_bytes(), "a record removed");
    let text = String::from_utf8(bytes.clone()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let first_record = lines.iter().position(|l| l.starts_with("record ")).unwrap();
    for edit in 0..2 {
        let mut changed = lines.clone();
        match edit {
            0 => changed.insert(first_record, lines[first_record]),
            _ => changed.swap(first_record, first_record + 1),
        }
        let forged = reseal_checksum(format!("{}\n", changed.join("\n")).as_bytes());
        assert_refused(&keys, &forged, &format!("edit {edit} of the record lines"));
    }
    // Through the binary: reading one untouched secret still refuses the file.
    std::fs::write(tv.vault_path(), removed.to_bytes()).unwrap();
    let out = tv.fails(&["get", "secret", "a", "--reveal"], 5);
    assert!(stderr(&out).contains("tampered"), "{}", stderr(&out));
    assert!(!String::from_utf8_lossy(&out.stdout).contains("canary"));
}

#[test]
fn a_record_replayed_from_an_older_version_is_exit_5() {
    let (tv, old) = sample();
    tv.ok(&["update", "secret", "a", "-e", "A=canary-a-2"]);
    let new = tv.vault_bytes();
    let keys = data_key(&tv.vault_path(), crate::common::PASSPHRASE);
    let (old, mut replayed) = (File2::parse(&old).unwrap(), File2::parse(&new).unwrap());
    // Only the changed secret's line differs.
    let differing: Vec<_> = replayed
        .records
        .iter()
        .filter(|r| !old.records.contains(r))
        .collect();
    assert_eq!(
        differing.len(),
        1,
        "a change to one secret changes only its line"
    );
    let locator = differing[0].locator;
    let at = replayed
        .records
        .iter()
        .position(|r| r.locator == locator)
        .unwrap();
    replayed.records[at] = old.record(&locator).unwrap().clone();
    assert_refused(&keys, &replayed.to_bytes(), "an older record replayed");
    std::fs::write(tv.vault_path(), replayed.to_bytes()).unwrap();
    let out = tv.fails(&["get", "secret", "a", "--reveal"], 5);
    assert!(!String::from_utf8_lossy(&out.stdout).contains("canary-a-1"));
}

#[test]
fn a_record_from_another_vault_is_exit_5() {
    let (tv, bytes) = sample();
    let (other, other_bytes) = sample();
    let keys = data_key(&tv.vault_path(), crate::common::PASSPHRASE);
    let mut file = File2::parse(&bytes).unwrap();
    let foreign = File2::parse(&other_bytes).unwrap();
    file.records[0].rest = foreign.records[0].rest.clone();
    file.records[0].nonce = foreign.records[0].nonce;
    assert_refused(&keys, &file.to_bytes(), "a record from another vault");
    drop(other);
}

/// Record heads are decoded a batch at a time: a file with more records
/// than a batch, their locators ending in every kind of last character,
/// reads back record for record.
#[test]
fn records_across_many_batches_read_back_exactly() {
    use vault::vault::format2::{RecordLine, WRAP_LEN};
    let (_tv, bytes) = sample();
    let mut file = File2::parse(&bytes).unwrap();
    file.records = (0..300u16)
        .map(|i| {
            let mut locator = [0u8; 16];
            locator[..2].copy_from_slice(&i.to_be_bytes());
            locator[15] = (i * 37) as u8;
            let nonce = [(i % 251) as u8; 24];
            RecordLine::new(locator, nonce, &[i as u8; WRAP_LEN], &[7; 20])
        })
        .collect();
    let read = File2::parse(file.to_bytes()).unwrap();
    assert_eq!(read.records, file.records);
}

/// A locator or nonce that is not canonical base64, with the checksum
/// recomputed to match, is damage: exit 5 from the parser, before any key.
#[test]
fn a_record_head_that_is_not_canonical_base64_is_exit_5() {
    let (_tv, bytes) = sample();
    let text = String::from_utf8(bytes).unwrap();
    let line = text.lines().find(|l| l.starts_with("record ")).unwrap();
    let locator_end = "record ".len() + 24;
    let edits: [(&str, usize, &str); 5] = [
        (
            "a nonzero bit after the locator's last byte",
            locator_end - 3,
            "B",
        ),
        ("a locator without its padding", locator_end - 2, "AA"),
        ("padding inside the nonce", locator_end + 5, "="),
        ("a character outside the alphabet", locator_end + 9, "!"),
        ("a locator with a character too few", locator_end - 1, " "),
    ];
    for (what, at, with) in edits {
        let mut changed = line.to_string();
        changed.replace_range(at..at + with.len(), with);
        assert_ne!(changed, line, "{what}: the edit changed nothing");
        let forged = reseal_checksum(text.replacen(line, &changed, 1).as_bytes());
        let err = File2::parse(forged).expect_err(what);
        assert_eq!(err.exit_code(), 5, "{what}: {}", err.message);
    }
}

/// `vault get secret NAME`, `exec -s NAME` and the other reads by name take
/// the records they need in the one pass that checks the file
/// (`src/vault/lookup.rs`), learning who opened the vault on the way: every
/// changed byte and every truncation is still exit 5 there, never the wrong
/// key (4) or the project refusal (7) that the untouched file gives.
#[test]
fn a_read_by_name_checks_every_byte_before_any_key_or_project_error() {
    use vault::vault::storage::Store;
    use vault::vault::{KeySource, Vault};
    let (tv, _) = sample();
    let (ci, ci_recipient) = crate::members::keygen(&tv, "ci");
    let (stranger, _) = crate::members::keygen(&tv, "stranger");
    tv.ok(&[
        "member",
        "add",
        "ci",
        "--recipient",
        &ci_recipient,
        "--project",
        "blue",
    ]);
    let bytes = tv.vault_bytes();
    let path = tv.path().join("copy.toml");
    let vault_of = |identity: &std::path::Path| {
        let text = std::fs::read_to_string(identity).unwrap();
        let identities = vault::vault::members::parse_identities(&text, "test").unwrap();
        let source = KeySource::Identities {
            identities,
            origin: "test".to_owned(),
        };
        Vault::new(Store::new(path.clone()), source)
    };
    let names = ["c".to_owned()];
    // Untouched: the member in its project reads; another project is 7; a stranger 4.
    let cases: [(&str, &std::path::Path, &str, Option<i32>, usize); 3] = [
        ("the project member", &ci, "blue", None, 1),
        ("another project", &ci, "green", Some(7), 3),
        ("a stranger", &stranger, "blue", Some(4), 7),
    ];
    for (who, identity, project, untouched, stride) in cases {
        // One handle throughout, as a command keeps one: its cached grant
        // must not let a changed file through either.
        let mut vault = vault_of(identity);
        let mut read = |file: &[u8]| {
            std::fs::write(&path, file).unwrap();
            let restrict = |access: &_| vault::context::restrict(Some(project.to_owned()), access);
            vault.open_resolving(restrict, None, Some(&names))
        };
        match (read(&bytes), untouched) {
            (Ok((_, opened)), None) => {
                let c = opened.payload.all();
                assert_eq!(c.len(), 1, "{who}: one secret opened");
            }
            (Err(err), Some(code)) => assert_eq!(err.exit_code(), code, "{who}: {}", err.message),
            (result, _) => panic!(
                "{who}: untouched file gave {:?}",
                result.err().map(|e| e.message)
            ),
        }
        for i in (0..bytes.len()).step_by(stride) {
            let mut changed = bytes.clone();
            changed[i] ^= 0x01;
            match read(&changed) {
                Ok(_) => panic!("{who}: byte {i} changed and the file was read"),
                Err(err) => assert_eq!(err.exit_code(), 5, "{who}, byte {i}: {}", err.message),
            }
        }
        for len in (0..bytes.len()).step_by(stride) {
            match read(&bytes[..len]) {
                Ok(_) => panic!("{who}: truncated to {len} and the file was read"),
                Err(err) => assert_eq!(err.exit_code(), 5, "{who}, {len} bytes: {}", err.message),
            }
        }
    }
}
