//! The format 2 test vector (`tests/vectors/v2.toml`, README there): read by
//! each of its members through the binary, and by an independent reader
//! written from docs/FORMAT.md ("Format 2") with the `age` crate, HMAC and
//! XChaCha20-Poly1305 and a hand-written postcard decoder.

use std::path::PathBuf;

use crate::common::{TestVault, stderr, stdout};

fn vector(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/vectors")
        .join(name)
}

fn home() -> TestVault {
    let tv = TestVault::empty();
    std::fs::create_dir_all(tv.vault_path().parent().unwrap()).unwrap();
    std::fs::copy(vector("v2.toml"), tv.vault_path()).unwrap();
    tv
}

fn names_seen(tv: &TestVault, key: (&str, String), args: &[&str]) -> String {
    let out = tv.bare(args).env(key.0, key.1).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
    stdout(&out)
}

#[test]
fn every_member_of_the_vector_reads_what_it_may() {
    let tv = home();
    let identity = |name: &str| vector(name).display().to_string();
    let full = [
        ("VAULT_PASSPHRASE", "test-vector-passphrase".to_owned()),
        ("VAULT_IDENTITY_FILE", identity("v2-alice.txt")),
        ("VAULT_IDENTITY_FILE", identity("v2-ssh")),
    ];
    for key in full {
        let listing = names_seen(&tv, key.clone(), &["get", "secrets", "--all"]);
        for name in ["shared", "aws", "db", "cache"] {
            assert!(listing.contains(name), "{key:?}: {listing}");
        }
        let shown = names_seen(
            &tv,
            key,
            &["get", "secret", "cache", "-p", "red", "--reveal"],
        );
        assert!(shown.contains("vector-red-cache"));
    }
    let ci = ("VAULT_IDENTITY_FILE", identity("v2-ci.txt"));
    let out = names_seen(
        &tv,
        ci.clone(),
        &[
            "exec",
            "--no-mask",
            "--",
            "sh",
            "-c",
            "echo $SHARED_TOKEN $AWS_SECRET_ACCESS_KEY $DB_PASSWORD $CACHE_URL",
        ],
    );
    assert_eq!(
        out.trim(),
        "vector-shared-token vector-aws-secret vector-blue-db"
    );
    let out = tv
        .bare(&["get", "secret", "cache", "-p", "red"])
        .env(ci.0, &ci.1)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(7));
    assert_eq!(
        std::fs::read(tv.vault_path()).unwrap(),
        std::fs::read(vector("v2.toml")).unwrap()
    );
}

mod reader {
    use std::collections::BTreeMap;
    use std::io::Read;
    use std::str::FromStr;

    use base64::Engine;
    use base64::engine::general_purpose::STANDARD as B64;
    use chacha20poly1305::aead::{Aead, KeyInit, Payload};
    use chacha20poly1305::{XChaCha20Poly1305, XNonce};
    use hmac::{Hmac, Mac};
    use sha2::{Digest, Sha256};

    pub struct Keys {
        pub vault_id: Vec<u8>,
        pub member: String,
        /// key id → key
        pub keys: BTreeMap<Vec<u8>, Vec<u8>>,
        pub index: Vec<u8>,
        pub projects: Vec<String>,
        pub full: bool,
    }

    /// postcard: varints, length-prefixed strings, fixed arrays as their bytes.
    pub struct Postcard<'a>(pub &'a [u8]);
    impl Postcard<'_> {
        pub fn varint(&mut self) -> u64 {
            let mut v = 0;
            for shift in (0..64).step_by(7) {
                let b = self.0[0];
                self.0 = &self.0[1..];
                v |= u64::from(b & 0x7f) << shift;
                if b & 0x80 == 0 {
                    break;
                }
            }
            v
        }
        pub fn bytes(&mut self, n: usize) -> Vec<u8> {
            let (a, b) = self.0.split_at(n);
            self.0 = b;
            a.to_vec()
        }
        pub fn string(&mut self) -> String {
            let n = self.varint() as usize;
            String::from_utf8(self.bytes(n)).unwrap()
        }
        pub fn option_string(&mut self) -> Option<String> {
            (self.varint() == 1).then(|| self.string())
        }
        fn key_entry(&mut self) -> (Vec<u8>, Vec<u8>) {
            (self.bytes(8), self.bytes(32))
        }
    }

    /// The file's lines, after the checksum is checked.
    pub fn lines(bytes: &[u8]) -> Vec<String> {
        let text = std::str::from_utf8(bytes).unwrap();
        let at = text.rfind("checksum = ").unwrap();
        let body = &bytes[..at];
        // Format 3: XXH3-128; format 2: SHA-256.
        let expected = if text.contains("\nformat = 3\n") {
            let digest = xxhash_rust::xxh3::xxh3_128(body).to_be_bytes();
            format!("xxh3-128:{}", hex(&digest))
        } else {
            format!("sha256:{}", hex(&Sha256::digest(body)))
        };
        assert_eq!(&text[at..], format!("checksum = \"{expected}\"\n"));
        text[..at].lines().map(str::to_owned).collect()
    }

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    pub fn open_with(bytes: &[u8], identity: &dyn age::Identity) -> Keys {
        let lines = lines(bytes);
        assert!(["format = 2", "format = 3"].contains(&lines[1].as_str()));
        let vault_id = B64
            .decode(
                lines[2]
                    .strip_prefix("vault_id = \"")
                    .unwrap()
                    .trim_end_matches('"'),
            )
            .unwrap();
        for line in lines.iter().filter(|l| l.starts_with("member ")) {
            let grant = B64.decode(line.rsplit(' ').next().unwrap()).unwrap();
            let Ok(decryptor) = age::Decryptor::new(&grant[..]) else {
                continue;
            };
            let Ok(mut reader) = decryptor.decrypt(std::iter::once(identity)) else {
                continue;
            };
            let mut plain = Vec::new();
            reader.read_to_end(&mut plain).unwrap();
            let mut p = Postcard(&plain);
            assert_eq!(p.bytes(16), vault_id, "a grant names its vault");
            let member = p.string();
            let mut keys = BTreeMap::new();
            let (audit, index, shared) = (p.key_entry(), p.key_entry(), p.key_entry());
            let index_key = index.1.clone();
            let full = p.varint() == 1;
            if full {
                let (id, key) = p.key_entry();
                keys.insert(id, key);
            }
            let mut projects = Vec::new();
            for _ in 0..p.varint() {
                projects.push(p.string());
                let (id, key) = p.key_entry();
                keys.insert(id, key);
            }
            for (id, key) in [audit, index, shared] {
                keys.insert(id, key);
            }
            return Keys {
                vault_id,
                member,
                keys,
                index: index_key,
                projects,
                full,
            };
        }
        panic!("no member line opens with this identity");
    }

    pub fn x25519(text: &str) -> age::x25519::Identity {
        age::x25519::Identity::from_str(text.lines().find(|l| l.starts_with("AGE-")).unwrap())
            .unwrap()
    }

    /// The passphrase member's identity, unsealed as FORMAT.md says.
    pub fn passphrase_identity(bytes: &[u8], passphrase: &str) -> age::x25519::Identity {
        let lines = lines(bytes);
        let vault_id = B64
            .decode(
                lines[2]
                    .strip_prefix("vault_id = \"")
                    .unwrap()
                    .trim_end_matches('"'),
            )
            .unwrap();
        let line = lines
            .iter()
            .find(|l| l.starts_with("member passphrase "))
            .unwrap();
        let f: Vec<&str> = line.split(' ').collect();
        let (m, t, p): (u32, u32, u32) = (
            f[2].parse().unwrap(),
            f[3].parse().unwrap(),
            f[4].parse().unwrap(),
        );
        let salt = B64.decode(f[5]).unwrap();
        let sealed = B64.decode(f[6]).unwrap();
        let params = argon2::Params::new(m, t, p, Some(32)).unwrap();
        let mut kek = [0u8; 32];
        argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
            .hash_password_into(passphrase.as_bytes(), &salt, &mut kek)
            .unwrap();
        let mut aad = b"vault/passphrase\n".to_vec();
        aad.extend_from_slice(&vault_id);
        for n in [m, t, p] {
            aad.extend_from_slice(&n.to_be_bytes());
        }
        aad.extend_from_slice(&salt);
        let (nonce, ct) = sealed.split_at(24);
        let text = XChaCha20Poly1305::new((&kek).into())
            .decrypt(XNonce::from_slice(nonce), Payload { msg: ct, aad: &aad })
            .unwrap();
        x25519(std::str::from_utf8(&text).unwrap())
    }

    /// Every record these keys open: (project, environment, name, env vars).
    #[allow(clippy::type_complexity)]
    pub fn records(
        bytes: &[u8],
        keys: &Keys,
    ) -> (
        Vec<(
            Option<String>,
            Option<String>,
            String,
            Vec<(String, String)>,
        )>,
        usize,
    ) {
        let lines = lines(bytes);
        let mut out = Vec::new();
        let mut sealed_away = 0;
        let mut commit = <Hmac<Sha256> as Mac>::new_from_slice(&keys.index).unwrap();
        commit.update(b"vault/commit\n");
        for line in lines.iter().filter(|l| {
            !l.starts_with("epoch = ") && !l.starts_with("record ") && !l.starts_with("commit = ")
        }) {
            commit.update(line.as_bytes());
            commit.update(b"\n");
        }
        for line in lines.iter().filter(|l| l.starts_with("record ")) {
            let f: Vec<&str> = line.split(' ').collect();
            let (locator, nonce) = (B64.decode(f[1]).unwrap(), B64.decode(f[2]).unwrap());
            commit.update(&locator);
            commit.update(&nonce);
            let wraps = B64.decode(f[3]).unwrap();
            let ct = B64.decode(f[4]).unwrap();
            let mut record_key = None;
            for wrap in wraps.chunks(80) {
                let (id, rest) = wrap.split_at(8);
                let Some(key) = keys.keys.get(id) else {
                    continue;
                };
                let aad = [b"vault/wrap\n".as_slice(), &keys.vault_id, &locator, id].concat();
                let (wn, wct) = rest.split_at(24);
                record_key = Some(
                    XChaCha20Poly1305::new(key[..].into())
                        .decrypt(
                            XNonce::from_slice(wn),
                            Payload {
                                msg: wct,
                                aad: &aad,
                            },
                        )
                        .unwrap(),
                );
            }
            let Some(record_key) = record_key else {
                sealed_away += 1;
                continue;
            };
            let aad = [b"vault/record\n".as_slice(), &keys.vault_id, &locator].concat();
            let plain = XChaCha20Poly1305::new(record_key[..].into())
                .decrypt(
                    XNonce::from_slice(&nonce),
                    Payload {
                        msg: &ct,
                        aad: &aad,
                    },
                )
                .unwrap();
            let mut p = Postcard(&plain);
            let (project, environment, name) = (p.option_string(), p.option_string(), p.string());
            let vars = (0..p.varint()).map(|_| (p.string(), p.string())).collect();
            // The locator is the keyed hash of the address.
            let mut address = Vec::new();
            for part in [&project, &environment] {
                match part {
                    None => address.push(0),
                    Some(s) => {
                        address.push(1);
                        address.push(s.len() as u8);
                        address.extend_from_slice(s.as_bytes());
                    }
                }
            }
            address.push(name.len() as u8);
            address.extend_from_slice(name.as_bytes());
            let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&keys.index).unwrap();
            mac.update(b"vault/locator\n");
            mac.update(&address);
            assert_eq!(&mac.finalize().into_bytes()[..16], &locator[..]);
            out.push((project, environment, name, vars));
        }
        let expected = lines
            .iter()
            .find_map(|l| l.strip_prefix("commit = \""))
            .unwrap()
            .trim_end_matches('"');
        assert_eq!(
            B64.encode(commit.finalize().into_bytes()),
            expected,
            "the commitment"
        );
        (out, sealed_away)
    }
}

#[test]
fn the_vector_decodes_as_format_md_describes() {
    decodes_as_format_md_describes(&std::fs::read(vector("v2.toml")).unwrap());
}

#[test]
fn a_write_turns_format_2_into_format_3_with_its_xxh3_checksum() {
    let tv = home();
    let pass = ("VAULT_PASSPHRASE", "test-vector-passphrase");
    let out = tv
        .bare(&["get", "secret", "shared"])
        .env(pass.0, pass.1)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let out = tv
        .bare(&["create", "secret", "new", "-e", "NEW=vector-new"])
        .env(pass.0, pass.1)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let written = std::fs::read(tv.vault_path()).unwrap();
    let last = written.rsplit(|&b| b == b'\n').nth(1).unwrap();
    assert!(last.starts_with(b"checksum = \"xxh3-128:"));
    assert_eq!(reader::lines(&written)[1], "format = 3");
    let alice = reader::x25519(&std::fs::read_to_string(vector("v2-alice.txt")).unwrap());
    let (records, _) = reader::records(&written, &reader::open_with(&written, &alice));
    let values: Vec<_> = records.iter().map(|r| r.3[0].1.as_str()).collect();
    assert_eq!(values.len(), 5);
    assert!(values.contains(&"vector-new"), "{values:?}");
}

fn decodes_as_format_md_describes(bytes: &[u8]) {
    let alice = reader::x25519(&std::fs::read_to_string(vector("v2-alice.txt")).unwrap());
    let keys = reader::open_with(bytes, &alice);
    assert_eq!(keys.member, "alice");
    assert!(keys.full);
    let (records, hidden) = reader::records(bytes, &keys);
    assert_eq!(hidden, 0);
    let mut found: Vec<_> = records
        .iter()
        .map(|(p, _, n, v)| (p.clone(), n.clone(), v[0].1.clone()))
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            (None, "aws".to_owned(), "vector-aws-secret".to_owned()),
            (None, "shared".into(), "vector-shared-token".into()),
            (Some("blue".into()), "db".into(), "vector-blue-db".into()),
            (
                Some("red".into()),
                "cache".into(),
                "vector-red-cache".into()
            ),
        ]
    );
    // The passphrase member and the SSH member open the same keys.
    let pass = reader::passphrase_identity(bytes, "test-vector-passphrase");
    assert_eq!(reader::open_with(bytes, &pass).keys, keys.keys);
    let ssh_text = std::fs::read_to_string(vector("v2-ssh")).unwrap();
    let ssh = age::ssh::Identity::from_buffer(ssh_text.as_bytes(), None).unwrap();
    let bob = reader::open_with(bytes, &ssh);
    assert_eq!(
        (bob.member.as_str(), bob.keys.len()),
        ("bob", keys.keys.len())
    );
    // The project member: blue's keys only; two records stay sealed away.
    let ci = reader::x25519(&std::fs::read_to_string(vector("v2-ci.txt")).unwrap());
    let ci_keys = reader::open_with(bytes, &ci);
    assert!(!ci_keys.full);
    assert_eq!(ci_keys.projects, ["blue"]);
    let (seen, hidden) = reader::records(bytes, &ci_keys);
    let mut names: Vec<_> = seen.iter().map(|r| r.2.as_str()).collect();
    names.sort();
    assert_eq!((names, hidden), (vec!["aws", "db", "shared"], 1));
}

#[test]
fn upgrade_turns_format_2_into_3_once_and_lock_keeps_the_version() {
    let tv = home();
    let locked = home();
    let pass = ("VAULT_PASSPHRASE", "test-vector-passphrase");
    let out = tv.bare(&["upgrade"]).env(pass.0, pass.1).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("format 3"), "{}", stdout(&out));
    let upgraded = std::fs::read(tv.vault_path()).unwrap();
    assert_eq!(reader::lines(&upgraded)[1], "format = 3");
    let backup = tv.vault_path().with_extension("toml.bak");
    assert_eq!(
        std::fs::read(backup).unwrap(),
        std::fs::read(vector("v2.toml")).unwrap()
    );
    let out = tv.bare(&["upgrade"]).env(pass.0, pass.1).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(std::fs::read(tv.vault_path()).unwrap(), upgraded);
    // `lock` holds no key: it cannot seal the commitment again, so the version stays.
    let out = locked.bare(&["lock"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let relocked = std::fs::read(locked.vault_path()).unwrap();
    assert_eq!(reader::lines(&relocked)[1], "format = 2");
    let out = locked
        .bare(&["get", "secret", "shared"])
        .env(pass.0, pass.1)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}
