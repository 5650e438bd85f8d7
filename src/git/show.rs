//! `vault git show FILE`, git's textconv for the vault file: a stable,
//! line-per-item view for `git diff`, `git log -p` and `git show`. Values never
//! appear: each is shown as a fingerprint, a short HMAC-SHA256 under a key
//! derived from the vault's data key, which changes when the value changes and
//! tells nothing about it to whoever lacks that key. Without a key the view is
//! what the header shows. Each secret starts a line of its own at column 0, so
//! git's hunk headers name the secret a change is in.

use std::fmt::Write as _;
use std::path::Path;

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::error::Error;
use crate::vault::crypto::{Key, hex};
use crate::vault::format::{FORMAT_VERSION, Header, VaultFile};
use crate::vault::model::{Payload, Secret};
use crate::vault::storage::Store;
use crate::vault::{self, KeySource, Vault};

/// Hex digits of a fingerprint: 64 bits, plenty to tell versions apart.
const FINGERPRINT_BYTES: usize = 8;

/// The text view of the vault file at `path`, opened with `source` when given.
/// A file that cannot be read or opened still gets a view that says why; the
/// view never holds a value.
pub fn view(path: &Path, source: Option<KeySource>) -> String {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(err) => return format!("unreadable: {}\n", Error::io("read", path, err).message),
    };
    let file = match VaultFile::parse(&bytes) {
        Ok(file) => file,
        Err(err) => return format!("not a vault file vault can read: {}\n", err.message),
    };
    let mut text = header_view(&file);
    let Some(source) = source else {
        text.push_str("locked: no key given; set VAULT_SESSION, VAULT_PASSPHRASE or VAULT_PASSPHRASE_FILE to see its contents\n");
        return text;
    };
    let mut keys = Vault::new(Store::new(path.to_owned()), source);
    let opened = keys
        .data_key(&file)
        .and_then(|key| Ok((vault::open_payload(&file, &key)?, key)));
    match opened {
        Ok((payload, key)) => text.push_str(&contents_view(
            &payload,
            &Fingerprints::new(&key, &file.header),
        )),
        Err(err) => {
            let _ = writeln!(text, "locked: {}", err.message);
        }
    }
    text
}

/// What anyone can read: the format, the KDF and the size of the ciphertext.
fn header_view(file: &VaultFile) -> String {
    let kdf = &file.header.kdf;
    format!(
        "format: {FORMAT_VERSION}\nkdf: argon2id, {} KiB, {} iterations, {} lanes\nsealed: {} bytes\n",
        kdf.memory_kib,
        kdf.iterations,
        kdf.parallelism,
        file.payload.len()
    )
}

/// Members, then every secret, org level first, then projects by name.
fn contents_view(payload: &Payload, fingerprints: &Fingerprints) -> String {
    // Format 1 has one member: the passphrase, with full access.
    let mut text = String::from("member passphrase: passphrase, full\n");
    for found in payload.all() {
        let place = super::merge::place(&found.scope, found.environment);
        let _ = writeln!(text, "secret {} ({place})", found.name);
        secret_view(&mut text, found.secret, fingerprints);
    }
    text
}

fn secret_view(text: &mut String, secret: &Secret, fingerprints: &Fingerprints) {
    if !secret.description.is_empty() {
        let _ = writeln!(text, "  description: {:?}", secret.description);
    }
    if !secret.allowed_projects.is_empty() {
        let _ = writeln!(
            text,
            "  allowed projects: {}",
            secret.allowed_projects.join(", ")
        );
    }
    if !secret.allowed_branches.is_empty() {
        let _ = writeln!(
            text,
            "  allowed branches: {}",
            secret.allowed_branches.join(", ")
        );
    }
    if let Some(period) = secret.rotate_every {
        let _ = writeln!(text, "  rotate every: {}", period_text(period));
    }
    let meta = &secret.meta;
    let _ = writeln!(
        text,
        "  created: {} by {}",
        meta.created_at, meta.created_by
    );
    let _ = writeln!(
        text,
        "  updated: {} by {}",
        meta.updated_at, meta.updated_by
    );
    if !secret.rotated_at.is_empty() {
        let _ = writeln!(text, "  rotated: {}", secret.rotated_at);
    }
    for var in &secret.env {
        let fingerprint = fingerprints.of("env", var.value.expose().as_bytes());
        let _ = writeln!(text, "  env {}: {fingerprint}", var.name);
    }
    for file in &secret.files {
        let fingerprint = fingerprints.of("file", file.contents.expose());
        let _ = writeln!(
            text,
            "  file {}: {} bytes, {fingerprint}",
            file.path.escape_debug(),
            file.contents.len()
        );
    }
}

/// A rotation period in the largest unit that divides it: "90d", "12w", "36h".
fn period_text(period: std::time::Duration) -> String {
    let secs = period.as_secs();
    let units = [("w", 604_800), ("d", 86_400), ("h", 3_600), ("m", 60)];
    match units
        .iter()
        .find(|(_, size)| secs > 0 && secs.is_multiple_of(*size))
    {
        Some((unit, size)) => format!("{}{unit}", secs / size),
        None => format!("{secs}s"),
    }
}

/// Keyed fingerprints of values, under a key of their own derived from the
/// data key, so that a fingerprint is never the data key's own output.
struct Fingerprints {
    mac: Hmac<Sha256>,
}

impl Fingerprints {
    fn new(data_key: &Key, header: &Header) -> Fingerprints {
        let mut derive = <Hmac<Sha256> as Mac>::new_from_slice(data_key.as_ref())
            .expect("HMAC takes a key of any length");
        derive.update(b"vault/git-fingerprint\n");
        derive.update(&header.vault_id);
        let key = derive.finalize().into_bytes();
        let mac = <Hmac<Sha256> as Mac>::new_from_slice(&key).expect("HMAC takes any key");
        Fingerprints { mac }
    }

    /// "fp:0123456789abcdef" for `bytes`, in the domain `kind` (env or file).
    fn of(&self, kind: &str, bytes: &[u8]) -> String {
        let mut mac = self.mac.clone();
        mac.update(kind.as_bytes());
        mac.update(b"\n");
        mac.update(bytes);
        let digest = mac.finalize().into_bytes();
        format!("fp:{}", hex(&digest[..FINGERPRINT_BYTES]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vault::crypto::random_key;

    fn header() -> Header {
        Header {
            vault_id: [7; 16],
            kdf: crate::vault::crypto::KdfParams::DEFAULT,
            salt: [1; 16],
        }
    }

    #[test]
    fn a_fingerprint_changes_with_the_value_and_with_the_key() {
        let key = random_key();
        let prints = Fingerprints::new(&key, &header());
        assert_eq!(prints.of("env", b"one"), prints.of("env", b"one"));
        assert_ne!(prints.of("env", b"one"), prints.of("env", b"two"));
        assert_ne!(prints.of("env", b"one"), prints.of("file", b"one"));
        let other = Fingerprints::new(&random_key(), &header());
        assert_ne!(prints.of("env", b"one"), other.of("env", b"one"));
        assert_eq!(prints.of("env", b"one").len(), 3 + 2 * FINGERPRINT_BYTES);
    }

    #[test]
    fn a_period_is_shown_in_its_largest_whole_unit() {
        use std::time::Duration;
        assert_eq!(period_text(Duration::from_secs(90 * 86_400)), "90d");
        assert_eq!(period_text(Duration::from_secs(14 * 86_400)), "2w");
        assert_eq!(period_text(Duration::from_secs(90)), "90s");
        assert_eq!(period_text(Duration::from_secs(7_200)), "2h");
    }

    #[test]
    fn a_fingerprint_is_not_a_plain_hash_of_the_value() {
        use sha2::Digest;
        let prints = Fingerprints::new(&random_key(), &header());
        let plain = hex(&Sha256::digest(b"value")[..FINGERPRINT_BYTES]);
        assert_ne!(prints.of("env", b"value"), format!("fp:{plain}"));
    }
}
