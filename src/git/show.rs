//! `vault git show FILE`, git's textconv for the vault file: a stable,
//! line-per-item view for `git diff`, `git log -p` and `git show`. Values never
//! appear: each is shown as a fingerprint, a short HMAC-SHA256 under a key
//! derived from the vault's key, which changes when the value changes and
//! tells nothing about it to whoever lacks that key. Without a key the view is
//! what the header shows. Each secret starts a line of its own at column 0, so
//! git's hunk headers name the secret a change is in.

use std::fmt::Write as _;
use std::path::Path;

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::error::{Error, Result};
use crate::vault::Vault;
use crate::vault::crypto::{Key, hex};
use crate::vault::duration;
use crate::vault::format::{self, VaultFile};
use crate::vault::format2::File2;
use crate::vault::model::Secret;
use crate::vault::versions::{Member, Version};

/// Hex digits of a fingerprint: 64 bits, plenty to tell versions apart.
const FINGERPRINT_BYTES: usize = 8;

/// The text view of the vault file at `path`, opened with `vault`'s key when
/// there is one. A file that cannot be read or opened still gets a view that
/// says why; the view never holds a value.
pub fn view(path: &Path, vault: Result<Vault>) -> String {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(err) => return format!("unreadable: {}\n", Error::io("read", path, err).message),
    };
    let mut text = match header_view(&bytes) {
        Ok(text) => text,
        Err(err) => return format!("not a vault file vault can read: {}\n", err.message),
    };
    let opened = vault.and_then(|mut vault| vault.open_version(&bytes));
    match opened.and_then(|version| contents_view(&version)) {
        Ok(contents) => text.push_str(&contents),
        Err(err) => {
            let _ = writeln!(text, "locked: {}", err.message);
        }
    }
    text
}

/// What anyone can read: the format, what its header and layout show, and a
/// digest of the whole file, so that a diff without a key still shows that
/// the file changed.
fn header_view(bytes: &[u8]) -> Result<String> {
    use sha2::Digest;
    let layout = if format::version(bytes)? == 1 {
        let file = VaultFile::parse(bytes)?;
        let kdf = &file.header.kdf;
        format!(
            "format: 1\nkdf: argon2id, {} KiB, {} iterations, {} lanes\nsealed: {} bytes\n",
            kdf.memory_kib,
            kdf.iterations,
            kdf.parallelism,
            file.payload.len()
        )
    } else {
        let file = File2::parse(bytes)?;
        format!(
            "format: 2\nmember lines: {}\nrecords: {}\n",
            file.members.len(),
            file.records.len()
        )
    };
    let digest = hex(&Sha256::digest(bytes)[..FINGERPRINT_BYTES]);
    Ok(format!("{layout}file: sha256:{digest}\n"))
}

/// Members, then every secret, org level first, then projects by name.
fn contents_view(version: &Version) -> Result<String> {
    let fingerprints = Fingerprints::new(&version.fingerprint_key()?, &version.vault_id);
    let mut text = String::new();
    for member in &version.members {
        member_view(&mut text, member);
    }
    for found in version.payload.all() {
        let place = super::merge::place(&found.scope, found.environment);
        let _ = writeln!(text, "secret {} ({place})", found.name);
        secret_view(&mut text, found.secret, &fingerprints);
    }
    Ok(text)
}

/// "member alice: age, full" or "member ci: ssh, projects blue, green".
fn member_view(text: &mut String, member: &Member) {
    let info = &member.info;
    let kind = info.kind.label();
    let access = match &info.projects {
        None => "full".to_owned(),
        Some(projects) => format!("projects {}", projects.join(", ")),
    };
    let _ = writeln!(text, "member {}: {kind}, {access}", info.name);
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
        let _ = writeln!(text, "  rotate every: {}", duration::display(period));
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

/// Keyed fingerprints of values, under a key of their own derived from a key
/// only full members hold (format 1's data key, format 2's org key), so that
/// a project member cannot test guesses against the fingerprints of secrets
/// it may not read, and a fingerprint is never that key's own output.
struct Fingerprints {
    mac: Hmac<Sha256>,
}

impl Fingerprints {
    fn new(vault_key: &Key, vault_id: &[u8]) -> Fingerprints {
        let mut derive = <Hmac<Sha256> as Mac>::new_from_slice(vault_key.as_ref())
            .expect("HMAC takes a key of any length");
        derive.update(b"vault/git-fingerprint\n");
        derive.update(vault_id);
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

    const VAULT_ID: &[u8] = &[7; 16];

    #[test]
    fn a_fingerprint_changes_with_the_value_and_with_the_key() {
        let key = random_key();
        let prints = Fingerprints::new(&key, VAULT_ID);
        assert_eq!(prints.of("env", b"one"), prints.of("env", b"one"));
        assert_ne!(prints.of("env", b"one"), prints.of("env", b"two"));
        assert_ne!(prints.of("env", b"one"), prints.of("file", b"one"));
        let other = Fingerprints::new(&random_key(), VAULT_ID);
        assert_ne!(prints.of("env", b"one"), other.of("env", b"one"));
        assert_eq!(prints.of("env", b"one").len(), 3 + 2 * FINGERPRINT_BYTES);
    }

    #[test]
    fn a_fingerprint_is_not_a_plain_hash_of_the_value() {
        use sha2::Digest;
        let prints = Fingerprints::new(&random_key(), VAULT_ID);
        let plain = hex(&Sha256::digest(b"value")[..FINGERPRINT_BYTES]);
        assert_ne!(prints.of("env", b"value"), format!("fp:{plain}"));
    }
}
