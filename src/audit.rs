//! The audit trail: who did what to which secret and when, never values.
//!
//! Each entry is one line appended to `<vault>.audit`: base64 of a fresh nonce
//! and the entry sealed with the vault's data key. Appending never rewrites the
//! vault, and the log reveals nothing without the key. Each line's associated
//! data holds the SHA-256 of the line before it, so a line removed, changed,
//! reordered or copied from elsewhere breaks the chain and is reported; only
//! cutting off the newest lines cannot be told from a shorter history.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::vault::actor;
use crate::vault::crypto::{self, Key, NONCE_LEN};
use crate::vault::format::VAULT_ID_LEN;
use crate::vault::model::Scope;

/// The link to the line before; the first line links to zeros.
type Link = [u8; 32];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub at: String,
    pub by: String,
    /// create, update, edit, delete, reveal, export, exec, import, passwd, unlock, lock.
    pub action: String,
    /// "org", "project", or null for vault-wide actions.
    pub scope: Option<String>,
    pub project: Option<String>,
    pub secret: Option<String>,
}

impl Entry {
    /// An entry stamped now, by the current user.
    pub fn new(action: &str, target: Option<(&Scope, &str)>) -> Entry {
        Entry {
            at: actor::now(),
            by: actor::current(),
            action: action.to_owned(),
            scope: target.map(|(scope, _)| scope.label().to_owned()),
            project: target.and_then(|(scope, _)| scope.project().map(str::to_owned)),
            secret: target.map(|(_, name)| name.to_owned()),
        }
    }

    fn is_read_of(&self, scope: &Scope, name: &str) -> bool {
        matches!(
            self.action.as_str(),
            "reveal" | "export" | "exec" | "inject"
        ) && self.secret.as_deref() == Some(name)
            && self.scope.as_deref() == Some(scope.label())
            && self.project.as_deref() == scope.project()
    }
}

/// Whether an append waits for the disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// fsync before returning: for changes, recorded beside a durable write.
    Synced,
    /// Leave the line to the kernel, which writes it out within seconds: for
    /// `exec`, which wraps every command of a script, where an fsync would
    /// cost more than everything else it does (0.5 to several ms on a busy
    /// disk). Every reader sees the line at once; only a crash of the machine
    /// in those seconds can lose it.
    Buffered,
}

/// Appends entries as one write under an exclusive lock on the log (created
/// with mode 0600), chained to the last line already there.
pub fn append(
    path: &Path,
    vault_id: &[u8; VAULT_ID_LEN],
    key: &Key,
    entries: &[Entry],
) -> Result<()> {
    append_with(path, vault_id, key, entries, Durability::Synced)
}

/// `append`, choosing whether to wait for the disk.
pub fn append_with(
    path: &Path,
    vault_id: &[u8; VAULT_ID_LEN],
    key: &Key,
    entries: &[Entry],
    durability: Durability,
) -> Result<()> {
    let fail = |err| Error::io("append to audit log", path, err);
    let mut file = OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .mode(0o600)
        .custom_flags(crate::vault::storage::NO_FOLLOW)
        .open(path)
        .map_err(fail)?;
    file.lock().map_err(fail)?;
    let mut link = last_link(&mut file).map_err(fail)?;
    let mut lines = String::new();
    for entry in entries {
        let json = zeroize::Zeroizing::new(serde_json::to_vec(entry).expect("entries serialise"));
        let (nonce, sealed) = crypto::seal(key, &aad(vault_id, &link), &json);
        let line = B64.encode([nonce.as_slice(), &sealed].concat());
        link = Sha256::digest(line.as_bytes()).into();
        lines.push_str(&line);
        lines.push('\n');
    }
    file.write_all(lines.as_bytes()).map_err(fail)?;
    if durability == Durability::Synced {
        file.sync_data().map_err(fail)?;
    }
    Ok(())
}

/// The link for the next line: the hash of the last whole line. A torn last
/// line (a writer that died mid-write) is cut off first, under the lock.
fn last_link(file: &mut File) -> io::Result<Link> {
    let len = file.metadata()?.len();
    let mut start = len.saturating_sub(64 * 1024);
    loop {
        let mut tail = Vec::new();
        file.seek(SeekFrom::Start(start))?;
        file.read_to_end(&mut tail)?;
        // Whole lines end at the last newline; whatever follows it is torn.
        let complete = tail.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let body = &tail[..complete.saturating_sub(1)];
        let last = match body.iter().rposition(|&b| b == b'\n') {
            Some(newline) => &body[newline + 1..],
            None if start == 0 => body,
            None => {
                // The window began inside the last whole line: read it all.
                start = 0;
                continue;
            }
        };
        let link = match complete {
            0 => [0; 32],
            _ => Sha256::digest(last).into(),
        };
        if complete < tail.len() {
            file.set_len(start + complete as u64)?;
        }
        return Ok(link);
    }
}

/// Reads the whole trail, oldest first. A missing log is an empty trail; a
/// torn last line is left out; any other damage is an error (exit 5).
pub fn read(path: &Path, vault_id: &[u8; VAULT_ID_LEN], key: &Key) -> Result<Vec<Entry>> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(err) if err.kind() == io::ErrorKind::InvalidData => {
            return Err(damaged(path, "it is not text"));
        }
        Err(err) => return Err(Error::io("read audit log", path, err)),
    };
    let whole = &text[..text.rfind('\n').map_or(0, |end| end + 1)];
    let mut link = [0; 32];
    let mut entries = Vec::new();
    for (index, line) in whole.lines().enumerate() {
        let entry = decode_line(line, key, &aad(vault_id, &link))
            .ok_or_else(|| damaged(path, &format!("line {} fails authentication", index + 1)))?;
        link = Sha256::digest(line.as_bytes()).into();
        entries.push(entry);
    }
    Ok(entries)
}

fn damaged(path: &Path, why: &str) -> Error {
    Error::corrupt(format!(
        "audit log {} is damaged or was tampered with: {why}",
        path.display()
    ))
    .with_hint("the vault itself is unaffected; keep the damaged log for inspection and move it aside to start a new one")
}

/// When a secret's values were last read (revealed, exported or injected).
pub fn last_read_at(entries: &[Entry], scope: &Scope, name: &str) -> Option<String> {
    entries
        .iter()
        .rev()
        .find(|entry| entry.is_read_of(scope, name))
        .map(|entry| entry.at.clone())
}

fn decode_line(line: &str, key: &Key, aad: &[u8]) -> Option<Entry> {
    let bytes = B64.decode(line).ok()?;
    if bytes.len() < NONCE_LEN {
        return None;
    }
    let (nonce, sealed) = bytes.split_at(NONCE_LEN);
    let json = crypto::open(key, nonce.try_into().ok()?, aad, sealed)?;
    serde_json::from_slice(&json).ok()
}

fn aad(vault_id: &[u8], previous: &Link) -> Vec<u8> {
    [b"vault/audit\n".as_slice(), vault_id, previous].concat()
}

/// Appends to `vault`'s trail with the key it was opened with.
pub fn record(
    vault: &crate::vault::Vault,
    entries: &[Entry],
    durability: Durability,
) -> Result<()> {
    let (vault_id, key) = vault
        .audit_key()
        .ok_or_else(|| Error::failure("the vault must be opened before recording"))?;
    append_with(
        &vault.store.audit_path(),
        &vault_id,
        &key,
        entries,
        durability,
    )
}

/// Reads `vault`'s trail (the vault must have been opened).
pub fn trail(vault: &crate::vault::Vault) -> Result<Vec<Entry>> {
    let (vault_id, key) = vault
        .audit_key()
        .ok_or_else(|| Error::failure("the vault must be opened before reading its log"))?;
    read(&vault.store.audit_path(), &vault_id, &key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup() -> (
        tempfile::TempDir,
        std::path::PathBuf,
        [u8; VAULT_ID_LEN],
        Key,
    ) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vault.toml.audit");
        (dir, path, [9; VAULT_ID_LEN], crypto::random_key())
    }

    fn entry(action: &str, name: &str) -> Entry {
        Entry::new(action, Some((&Scope::Project("blue".into()), name)))
    }

    fn flip_byte(text: &str, at: usize) -> String {
        let mut bytes = text.as_bytes().to_vec();
        bytes[at] = if bytes[at] == b'A' { b'B' } else { b'A' };
        String::from_utf8(bytes).unwrap()
    }

    fn actions(entries: &[Entry]) -> Vec<&str> {
        entries.iter().map(|e| e.action.as_str()).collect()
    }

    #[test]
    fn appends_and_reads_back_without_plaintext_on_disk() {
        let (_dir, path, id, key) = setup();
        let scope = Scope::Project("blue".into());
        append(&path, &id, &key, &[entry("create", "canary-name")]).unwrap();
        append(
            &path,
            &id,
            &key,
            &[entry("reveal", "canary-name"), entry("export", "x")],
        )
        .unwrap();
        let entries = read(&path, &id, &key).unwrap();
        assert_eq!(actions(&entries), ["create", "reveal", "export"]);
        assert!(last_read_at(&entries, &scope, "canary-name").is_some());
        assert!(last_read_at(&entries, &Scope::Org, "canary-name").is_none());
        let raw = std::fs::read_to_string(&path).unwrap();
        assert!(!raw.contains("canary-name"));
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn removed_reordered_or_foreign_lines_are_reported() {
        let (_dir, path, id, key) = setup();
        for action in ["create", "update", "reveal"] {
            append(&path, &id, &key, &[entry(action, "a")]).unwrap();
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for tampered in [
            format!("{}\n{}\n", lines[0], lines[2]),
            format!("{}\n{}\n{}\n", lines[1], lines[0], lines[2]),
            format!("{}\n{}\n", lines[1], lines[2]),
            format!("{}\n{}\n{}\n{}\n", lines[0], lines[1], lines[1], lines[2]),
            flip_byte(&text, 30),
        ] {
            std::fs::write(&path, &tampered).unwrap();
            let err = read(&path, &id, &key).unwrap_err();
            assert_eq!(err.exit_code(), 5, "{tampered}");
        }
        std::fs::write(&path, &text).unwrap();
        let err = read(&path, &[1; VAULT_ID_LEN], &key).unwrap_err();
        assert_eq!(err.exit_code(), 5);
        assert!(read(&path, &id, &crypto::random_key()).is_err());
    }

    #[test]
    fn a_torn_last_line_is_ignored_and_cut_off_by_the_next_append() {
        let (_dir, path, id, key) = setup();
        append(&path, &id, &key, &[entry("create", "a")]).unwrap();
        let mut file = OpenOptions::new().append(true).open(&path).unwrap();
        file.write_all(b"dGhpcyB3YXMgdG9ybg").unwrap();
        drop(file);
        assert_eq!(actions(&read(&path, &id, &key).unwrap()), ["create"]);
        append(&path, &id, &key, &[entry("reveal", "a")]).unwrap();
        assert_eq!(
            actions(&read(&path, &id, &key).unwrap()),
            ["create", "reveal"]
        );
    }

    #[test]
    fn a_long_log_chains_across_the_tail_window() {
        let (_dir, path, id, key) = setup();
        let long = "n".repeat(120);
        for _ in 0..300 {
            append(&path, &id, &key, &[entry("reveal", &long)]).unwrap();
        }
        assert!(std::fs::metadata(&path).unwrap().len() > 64 * 1024);
        append(&path, &id, &key, &[entry("delete", "last")]).unwrap();
        let entries = read(&path, &id, &key).unwrap();
        assert_eq!(entries.len(), 301);
        assert_eq!(entries[300].action, "delete");
    }
}
