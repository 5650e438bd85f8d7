//! The test vectors of docs/FORMAT.md (tests/vectors/README.md): the good
//! vault opens with exactly the documented contents, through the binary and
//! through an independent reader written from the documentation alone; every
//! bad vector is refused with exit 5, a clear message and no panic.

use crate::common;
use crate::util;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use crate::common::TestVault;
use crate::util::{Snapshot, code, error_mentions, expect_code, no_panic};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use serde_json::json;

const VECTOR_PASSPHRASE: &str = "test-vector-passphrase";

fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors")
}

fn vector_bytes(name: &str) -> Vec<u8> {
    std::fs::read(vectors_dir().join(name)).unwrap()
}

/// A test home whose vault file is a private copy of the vector `name`:
/// commands may write a lock or an audit log beside it.
fn home_with(name: &str) -> TestVault {
    let tv = TestVault::empty();
    let path = tv.vault_path();
    std::fs::write(&path, vector_bytes(name)).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    tv
}

fn vault(tv: &TestVault, args: &[&str]) -> assert_cmd::Command {
    let mut cmd = tv.bare(args);
    cmd.env("VAULT_PASSPHRASE", VECTOR_PASSPHRASE);
    cmd
}

fn json_of(tv: &TestVault, args: &[&str]) -> serde_json::Value {
    let output = expect_code(&mut vault(tv, args), 0);
    serde_json::from_slice(&output.stdout).expect("JSON on stdout")
}

/// The described contents of v1.toml, as `get secrets --all -o json` prints them.
fn expected_listing() -> serde_json::Value {
    json!([
        {
            "name": "aws", "scope": "org", "project": null, "environment": null,
            "description": "Org AWS credentials",
            "env": [{"name": "AWS_ACCESS_KEY_ID"}, {"name": "AWS_SECRET_ACCESS_KEY"}],
            "files": [],
            "allowed_projects": ["blue", "green"],
            "allowed_branches": [], "rotate_every": null, "rotation_due_at": null,
            "created_at": "2026-11-23T21:24:38Z", "created_by": "tester@vm",
            "updated_at": "2026-11-23T21:24:38Z", "updated_by": "tester@vm",
            "rotated_at": "2026-11-23T21:24:38Z",
            "last_read_at": null
        },
        {
            "name": "db", "scope": "project", "project": "blue", "environment": null,
            "description": "Blue database",
            "env": [{"name": "DB_USER"}, {"name": "DB_PASSWORD"}],
            "files": [{"path": "config/app.conf", "size": 32}, {"path": "certs/key.bin", "size": 5}],
            "allowed_projects": [],
            "allowed_branches": [], "rotate_every": null, "rotation_due_at": null,
            "created_at": "2026-11-23T21:24:38Z", "created_by": "tester@vm",
            "updated_at": "2026-11-23T21:24:38Z", "updated_by": "tester@vm",
            "rotated_at": "2026-11-23T21:24:38Z",
            "last_read_at": null
        }
    ])
}

const APP_CONF: &[u8] = b"host=db.blue.internal\nport=5432\n";
const KEY_BIN: &[u8] = &[0x00, 0x01, 0x02, 0xfe, 0xff];

#[test]
fn v1_lists_exactly_the_documented_secrets() {
    let tv = home_with("v1.toml");
    assert_eq!(
        json_of(&tv, &["get", "secrets", "--all", "-o", "json"]),
        expected_listing()
    );
    assert_eq!(
        json_of(&tv, &["get", "projects", "-o", "json"]),
        json!([{"name": "blue", "secrets": 1}])
    );
    // Reading never rewrites the file.
    assert_eq!(
        std::fs::read(tv.vault_path()).unwrap(),
        vector_bytes("v1.toml")
    );
}

#[test]
fn v1_reveals_exactly_the_documented_values() {
    let tv = home_with("v1.toml");
    let aws = json_of(&tv, &["get", "secret", "aws", "--reveal", "-o", "json"]);
    assert_eq!(
        aws["env"],
        json!([
            {"name": "AWS_ACCESS_KEY_ID", "value": "AKIAVECTOR000001"},
            {"name": "AWS_SECRET_ACCESS_KEY", "value": "vector-aws-secret-value"}
        ])
    );
    let db = json_of(
        &tv,
        &[
            "get", "secret", "db", "-p", "blue", "--reveal", "-o", "json",
        ],
    );
    assert_eq!(
        db["env"],
        json!([
            {"name": "DB_USER", "value": "blue_app"},
            {"name": "DB_PASSWORD", "value": "vector-db-password"}
        ])
    );
    assert_eq!(
        db["files"],
        json!([
            {"path": "config/app.conf", "size": 32, "content_base64": B64.encode(APP_CONF)},
            {"path": "certs/key.bin", "size": 5, "content_base64": B64.encode(KEY_BIN)}
        ])
    );
    // The org secret, as project blue sees it (its allow-list names blue).
    let seen = json_of(
        &tv,
        &[
            "get", "secret", "aws", "-p", "blue", "--reveal", "-o", "json",
        ],
    );
    assert_eq!(seen["scope"], "org");
    assert_eq!(seen["env"], aws["env"]);
}

#[test]
fn v1_with_a_wrong_passphrase_is_exit_4_not_5() {
    let tv = home_with("v1.toml");
    let mut cmd = tv.bare(&["get", "secrets", "--all"]);
    cmd.env("VAULT_PASSPHRASE", "not-the-test-vector-passphrase");
    let output = expect_code(&mut cmd, 4);
    error_mentions(&output, "passphrase");
    assert_eq!(
        std::fs::read(tv.vault_path()).unwrap(),
        vector_bytes("v1.toml")
    );
}

/// Each bad vector and what its error must say.
const BAD: &[(&str, &str)] = &[
    ("bad-empty.toml", "empty"),
    ("bad-flipped-byte.toml", "checksum"),
    ("bad-truncated.toml", "checksum"),
    ("bad-trailing-newline.toml", "checksum"),
    ("bad-unknown-version.toml", "version 4"),
    ("bad-hostile-kdf-memory.toml", "KDF memory"),
    ("bad-wrapped-key-length.toml", "wrapped key"),
    ("bad-tampered-payload.toml", "tampered"),
];

#[test]
fn the_bad_vectors_are_all_present() {
    let mut on_disk: Vec<String> = std::fs::read_dir(vectors_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("bad-") && name.ends_with(".toml"))
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = BAD.iter().map(|(name, _)| name.to_string()).collect();
    listed.sort();
    assert_eq!(on_disk, listed, "every bad vector is tested");
    assert!(vector_bytes("bad-empty.toml").is_empty());
    let good = vector_bytes("v1.toml");
    let mut longer = good.clone();
    longer.push(b'\n');
    assert_eq!(vector_bytes("bad-trailing-newline.toml"), longer);
}

#[test]
fn every_bad_vector_is_exit_5_with_a_clear_message() {
    for (name, says) in BAD {
        for args in [
            &["get", "secrets", "--all"][..],
            &["get", "secret", "aws", "--reveal"],
            &["create", "secret", "new", "-e", "K=canary-bad-vector-1"],
            &["delete", "secret", "aws", "--yes"],
        ] {
            let tv = home_with(name);
            let before = Snapshot::of(&tv);
            let output = vault(&tv, args).output().unwrap();
            assert_eq!(
                code(&output),
                5,
                "{name} {args:?}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            no_panic(&output);
            error_mentions(&output, says);
            util::error_mentions(&output, "vault");
            common::assert_no_canary(&output, "canary-bad-vector-1");
            assert!(output.stdout.is_empty(), "{name}: nothing on stdout");
            before.assert_unchanged();
        }
    }
}

#[test]
fn damage_is_told_apart_from_a_wrong_passphrase() {
    // A damaged file is exit 5 whatever the passphrase: the checksum and the
    // header checks come before the key is derived.
    for (name, _) in BAD {
        if *name == "bad-tampered-payload.toml" {
            continue; // found only after the key is unwrapped; see FORMAT.md
        }
        let tv = home_with(name);
        let mut cmd = tv.bare(&["get", "secrets"]);
        cmd.env("VAULT_PASSPHRASE", "a-wrong-passphrase");
        let output = expect_code(&mut cmd, 5);
        no_panic(&output);
    }
}

#[test]
fn a_future_version_is_named_even_without_a_valid_checksum() {
    let text = String::from_utf8(vector_bytes("v1.toml")).unwrap();
    let tv = TestVault::empty();
    std::fs::write(
        tv.vault_path(),
        text.replace("\nformat = 1\n", "\nformat = 7\n"),
    )
    .unwrap();
    let output = expect_code(&mut vault(&tv, &["get", "secrets"]), 5);
    error_mentions(&output, "version 7");
    error_mentions(&output, "upgrade");
}

/// Every one-byte change, every truncation and an added byte at every position
/// of v1.toml is refused as damage by the parser (the library, in-process:
/// thousands of cases), and a sample of them by the binary.
#[test]
fn every_byte_of_v1_matters() {
    use vault::vault::format::VaultFile;
    let good = vector_bytes("v1.toml");
    VaultFile::parse(&good).expect("v1.toml parses");
    for i in 0..good.len() {
        for bit in [0x01, 0x20, 0x80] {
            let mut changed = good.clone();
            changed[i] ^= bit;
            let err = VaultFile::parse(&changed).expect_err("a changed byte is refused");
            assert_eq!(err.exit_code(), 5, "byte {i} ^ {bit:#x}");
        }
        let err = VaultFile::parse(&good[..i]).expect_err("a truncation is refused");
        assert_eq!(err.exit_code(), 5, "truncated to {i}");
        let mut longer = good.clone();
        longer.insert(i, b' ');
        assert_eq!(VaultFile::parse(&longer).unwrap_err().exit_code(), 5);
    }
    for i in (0..good.len()).step_by(97) {
        let tv = TestVault::empty();
        let mut changed = good.clone();
        changed[i] ^= 0x01;
        std::fs::write(tv.vault_path(), &changed).unwrap();
        let output = expect_code(&mut vault(&tv, &["get", "secrets"]), 5);
        error_mentions(&output, "damaged");
    }
}

// ---------------------------------------------------------------------------
// An independent reader, written from docs/FORMAT.md alone: if the document
// and the implementation drift apart, this test fails.

mod reader {
    use argon2::{Algorithm, Argon2, Params, Version};
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD as B64;
    use chacha20poly1305::aead::{Aead, KeyInit, Payload};
    use chacha20poly1305::{XChaCha20Poly1305, XNonce};
    use sha2::{Digest, Sha256};

    pub struct File {
        pub header_text: String,
        pub fields: Vec<(String, String)>,
    }

    /// Splits the file into its 13 `name = value` lines (after the comment)
    /// and checks the checksum line.
    pub fn parse(bytes: &[u8]) -> File {
        let text = std::str::from_utf8(bytes).unwrap();
        assert!(text.ends_with('\n'));
        let lines: Vec<&str> = text[..text.len() - 1].split('\n').collect();
        assert_eq!(lines.len(), 13, "a comment, 11 fields and the checksum");
        assert_eq!(
            lines[0],
            "# vault file: see docs/FORMAT.md. Any edit makes it unreadable."
        );
        let checksum_at = text.rfind("checksum = ").unwrap();
        let digest = Sha256::digest(&bytes[..checksum_at]);
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(lines[12], format!("checksum = \"sha256:{hex}\""));
        let fields: Vec<(String, String)> = lines[1..12]
            .iter()
            .map(|line| {
                let (name, value) = line.split_once(" = ").unwrap();
                (name.to_owned(), value.trim_matches('"').to_owned())
            })
            .collect();
        let names: Vec<&str> = fields.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "format",
                "vault_id",
                "kdf",
                "kdf_memory_kib",
                "kdf_iterations",
                "kdf_parallelism",
                "salt",
                "key_nonce",
                "wrapped_key",
                "payload_nonce",
                "payload",
            ]
        );
        // The header: the comment and the lines up to and including `salt`.
        let header_end = text.find("key_nonce = ").unwrap();
        File {
            header_text: text[..header_end].to_owned(),
            fields,
        }
    }

    impl File {
        pub fn get(&self, name: &str) -> &str {
            &self.fields.iter().find(|(n, _)| n == name).unwrap().1
        }

        pub fn bytes(&self, name: &str) -> Vec<u8> {
            B64.decode(self.get(name)).unwrap()
        }

        pub fn number(&self, name: &str) -> u32 {
            self.get(name).parse().unwrap()
        }

        /// Derives the key-encryption key, unwraps the data key, opens the payload.
        pub fn open(&self, passphrase: &str) -> (Vec<u8>, Vec<u8>) {
            assert_eq!(self.get("format"), "1");
            assert_eq!(self.get("kdf"), "argon2id");
            let params = Params::new(
                self.number("kdf_memory_kib"),
                self.number("kdf_iterations"),
                self.number("kdf_parallelism"),
                Some(32),
            )
            .unwrap();
            let mut kek = [0u8; 32];
            Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
                .hash_password_into(passphrase.as_bytes(), &self.bytes("salt"), &mut kek)
                .unwrap();
            let key_aad = format!("vault/key\n{}", self.header_text);
            let data_key = XChaCha20Poly1305::new((&kek).into())
                .decrypt(
                    XNonce::from_slice(&self.bytes("key_nonce")),
                    Payload {
                        msg: &self.bytes("wrapped_key"),
                        aad: key_aad.as_bytes(),
                    },
                )
                .expect("the data key unwraps");
            assert_eq!(data_key.len(), 32);
            let payload_aad = format!("vault/payload\n{}", self.header_text);
            let plaintext = XChaCha20Poly1305::new(data_key.as_slice().into())
                .decrypt(
                    XNonce::from_slice(&self.bytes("payload_nonce")),
                    Payload {
                        msg: &self.bytes("payload"),
                        aad: payload_aad.as_bytes(),
                    },
                )
                .expect("the payload opens");
            (data_key, plaintext)
        }
    }

    /// A reader of postcard's wire format, as FORMAT.md describes it.
    pub struct Postcard<'a> {
        pub bytes: &'a [u8],
    }

    impl Postcard<'_> {
        pub fn varint(&mut self) -> usize {
            let mut value = 0usize;
            for shift in (0..).step_by(7) {
                let byte = self.bytes[0];
                self.bytes = &self.bytes[1..];
                value |= ((byte & 0x7f) as usize) << shift;
                if byte & 0x80 == 0 {
                    return value;
                }
            }
            unreachable!()
        }

        pub fn bytes(&mut self) -> Vec<u8> {
            let len = self.varint();
            let (out, rest) = self.bytes.split_at(len);
            self.bytes = rest;
            out.to_vec()
        }

        pub fn string(&mut self) -> String {
            String::from_utf8(self.bytes()).unwrap()
        }

        pub fn seq<T>(&mut self, mut item: impl FnMut(&mut Self) -> T) -> Vec<T> {
            let len = self.varint();
            (0..len).map(|_| item(self)).collect()
        }

        /// A Secret: env, files, description, allowed_projects, meta.
        pub fn secret(&mut self) -> serde_json::Value {
            let env = self.seq(|p| serde_json::json!([p.string(), p.string()]));
            let files = self.seq(|p| {
                let path = p.string();
                serde_json::json!([path, B64.encode(p.bytes())])
            });
            let description = self.string();
            let allowed = self.seq(|p| p.string());
            let meta = [self.string(), self.string(), self.string(), self.string()];
            serde_json::json!({
                "env": env, "files": files, "description": description,
                "allowed_projects": allowed, "meta": meta,
            })
        }

        /// The Payload: org (name → Secret), projects (name → name → Secret).
        pub fn payload(&mut self) -> serde_json::Value {
            let org = self.seq(|p| serde_json::json!([p.string(), p.secret()]));
            let projects = self.seq(|p| {
                let project = p.string();
                serde_json::json!([
                    project,
                    p.seq(|p| serde_json::json!([p.string(), p.secret()]))
                ])
            });
            assert!(self.bytes.is_empty(), "nothing after the payload");
            serde_json::json!({"org": org, "projects": projects})
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

const DATA_KEY_HEX: &str = "5683446e46e7168d9ad4952e15a16b91bff712c3832a3170b68a6e7d79d59aca";
const PLAINTEXT_HEX: &str = "\
010361777302114157535f4143434553535f4b45595f494410414b4941564543544f52303030303031
154157535f5345435245545f4143434553535f4b455917766563746f722d6177732d7365637265742d
76616c756500134f7267204157532063726564656e7469616c730204626c756505677265656e143230
32362d31312d32335432313a32343a33385a0974657374657240766d14323032362d31312d32335432
313a32343a33385a0974657374657240766d0104626c756501026462020744425f5553455208626c75
655f6170700b44425f50415353574f524412766563746f722d64622d70617373776f7264020f636f6e
6669672f6170702e636f6e6620686f73743d64622e626c75652e696e7465726e616c0a706f72743d35
3433320a0d63657274732f6b65792e62696e05000102feff0d426c7565206461746162617365001432
3032362d31312d32335432313a32343a33385a0974657374657240766d14323032362d31312d323354
32313a32343a33385a0974657374657240766d";

#[test]
fn v1_decodes_as_format_md_describes() {
    let bytes = vector_bytes("v1.toml");
    let file = reader::parse(&bytes);
    assert_eq!(file.bytes("vault_id").len(), 16);
    assert_eq!(file.bytes("salt").len(), 16);
    assert_eq!(file.bytes("key_nonce").len(), 24);
    assert_eq!(file.bytes("wrapped_key").len(), 48);
    assert_eq!(file.bytes("payload_nonce").len(), 24);
    assert_eq!(file.number("kdf_memory_kib"), 8192);
    assert_eq!(file.number("kdf_iterations"), 1);
    assert_eq!(file.number("kdf_parallelism"), 1);
    let (data_key, plaintext) = file.open(VECTOR_PASSPHRASE);
    // The intermediate values published in tests/vectors/README.md.
    assert_eq!(hex(&data_key), DATA_KEY_HEX);
    assert_eq!(hex(&plaintext), PLAINTEXT_HEX.replace(['\n', ' '], ""));
    let payload = reader::Postcard { bytes: &plaintext }.payload();
    let meta = json!([
        "2026-11-23T21:24:38Z",
        "tester@vm",
        "2026-11-23T21:24:38Z",
        "tester@vm"
    ]);
    assert_eq!(
        payload,
        json!({
            "org": [["aws", {
                "env": [["AWS_ACCESS_KEY_ID", "AKIAVECTOR000001"],
                        ["AWS_SECRET_ACCESS_KEY", "vector-aws-secret-value"]],
                "files": [],
                "description": "Org AWS credentials",
                "allowed_projects": ["blue", "green"],
                "meta": meta,
            }]],
            "projects": [["blue", [["db", {
                "env": [["DB_USER", "blue_app"], ["DB_PASSWORD", "vector-db-password"]],
                "files": [["config/app.conf", B64.encode(APP_CONF)],
                          ["certs/key.bin", B64.encode(KEY_BIN)]],
                "description": "Blue database",
                "allowed_projects": [],
                "meta": meta,
            }]]]],
        })
    );
}
