//! Helpers shared by the security tests (tamper, crash, concurrency, leak scan):
//! reading a vault file through the library, re-sealing a hand-edited file's
//! checksum, and a small deterministic PRNG so that randomised runs reproduce.
#![allow(dead_code)]

use std::path::Path;

use sha2::{Digest, Sha256};
use vault::secret::SecretString;
use vault::vault::model::Payload;
use vault::vault::storage::Store;
use vault::vault::{KeySource, Vault};

/// The keys a full member holds (format 2).
pub type Key = vault::vault::keyring::Keyring;

/// The keys of the vault at `path`, unwrapped once with `passphrase`.
pub fn data_key(path: &Path, passphrase: &str) -> Key {
    let mut vault = Vault::new(
        Store::new(path.to_owned()),
        KeySource::Passphrase(SecretString::from(passphrase)),
    );
    vault.keyring().expect("open the vault through the library")
}

/// Parses and decrypts raw vault bytes with known keys, as `vault` does
/// after unwrapping them: the exit code on failure.
pub fn read_with_key(bytes: &[u8], key: &Key) -> Result<Payload, vault::error::Error> {
    vault::vault::open_bytes(bytes, key)
}

/// Replaces the last line (`checksum = "…"`) with the right checksum of
/// everything before it, in the algorithm it names, as a deliberate attacker
/// (not an accident) would.
pub fn reseal_checksum(bytes: &[u8]) -> Vec<u8> {
    let body_end = body_end(bytes);
    let body = &bytes[..body_end];
    let mut out = body.to_vec();
    if bytes[body_end..].starts_with(b"checksum = \"xxh3-128:") {
        let digest = xxhash_rust::xxh3::xxh3_128(body).to_be_bytes();
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        out.extend_from_slice(format!("checksum = \"xxh3-128:{hex}\"\n").as_bytes());
    } else {
        out.extend_from_slice(checksum_line(body).as_bytes());
    }
    out
}

/// Builds a file from its body (every line but the checksum), adding the right checksum.
pub fn with_checksum(body: &[u8]) -> Vec<u8> {
    let mut out = body.to_vec();
    out.extend_from_slice(checksum_line(body).as_bytes());
    out
}

/// The body of a well-formed file: everything before its last line.
pub fn body(bytes: &[u8]) -> &[u8] {
    &bytes[..body_end(bytes)]
}

fn body_end(bytes: &[u8]) -> usize {
    let trimmed = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    trimmed
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1)
}

fn checksum_line(body: &[u8]) -> String {
    let digest = Sha256::digest(body);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("checksum = \"sha256:{hex}\"\n")
}

/// Replaces the value of `field` (the text after `field = `) in a vault file's
/// body and re-seals the checksum.
pub fn set_field(bytes: &[u8], field: &str, value: &str) -> Vec<u8> {
    let text = std::str::from_utf8(body(bytes)).expect("vault files are text");
    let prefix = format!("{field} = ");
    let mut found = false;
    let mut out = String::new();
    for line in text.split_inclusive('\n') {
        if line.starts_with(&prefix) {
            found = true;
            out.push_str(&prefix);
            out.push_str(value);
            out.push('\n');
        } else {
            out.push_str(line);
        }
    }
    assert!(found, "no field {field}");
    with_checksum(out.as_bytes())
}

/// SplitMix64: a tiny deterministic PRNG, seeded per run so failures reproduce.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
}

/// True when stderr shows a Rust panic (never acceptable, whatever the input).
pub fn panicked(stderr: &[u8]) -> bool {
    let text = String::from_utf8_lossy(stderr);
    text.contains("panicked") || text.contains("RUST_BACKTRACE")
}

/// `vault ARGS` as a plain `std::process::Command` (which can be spawned and
/// killed), with the same isolated environment as `TestVault::cmd`.
pub fn spawnable(vault: &crate::common::TestVault, args: &[&str]) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_vault"));
    cmd.args(args)
        .current_dir(vault.work())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", vault.home())
        .env("USER", "tester")
        .env("XDG_RUNTIME_DIR", vault.runtime_dir())
        .env("XDG_DATA_HOME", vault.path().join("data-home"))
        .env("VAULT_FILE", vault.vault_path())
        .env("NO_COLOR", "1")
        .env("VAULT_PASSPHRASE", crate::common::PASSPHRASE)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    cmd
}

/// The token of a new session (`vault unlock`), for fast commands without Argon2.
pub fn session_token(vault: &crate::common::TestVault) -> String {
    let out = vault.ok(&["unlock", "--ttl", "1h"]);
    out.trim()
        .strip_prefix("export VAULT_SESSION=")
        .expect("unlock prints an export line")
        .trim_matches(|c| c == '\'' || c == '"')
        .to_owned()
}

/// True once `vault exec` has landed (before that it fails with "not yet").
pub fn exec_available(vault: &crate::common::TestVault) -> bool {
    vault
        .cmd(&["exec", "--dry-run", "--", "true"])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The names of the temporary files `vault` leaves beside the vault file.
pub fn temp_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|name| name.ends_with(".tmp"))
                .collect()
        })
        .unwrap_or_default()
}
