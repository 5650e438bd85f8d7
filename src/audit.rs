//! The audit trail: who did what to which secret and when, never values.
//! Each entry is one line appended to `<vault>.audit`, sealed with the vault's
//! data key under a fresh nonce, so appending never rewrites the vault and the
//! log reveals nothing without the key.

use std::fs::OpenOptions;
use std::io::{self, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::vault::actor;
use crate::vault::crypto::{self, Key, NONCE_LEN};
use crate::vault::format::VAULT_ID_LEN;
use crate::vault::model::Scope;

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
        matches!(self.action.as_str(), "reveal" | "export" | "exec")
            && self.secret.as_deref() == Some(name)
            && self.scope.as_deref() == Some(scope.label())
            && self.project.as_deref() == scope.project()
    }
}

/// Appends entries as one write (O_APPEND), creating the log with mode 0600.
pub fn append(
    path: &Path,
    vault_id: &[u8; VAULT_ID_LEN],
    key: &Key,
    entries: &[Entry],
) -> Result<()> {
    let mut lines = String::new();
    for entry in entries {
        let json = serde_json::to_vec(entry).expect("audit entries serialise");
        let (nonce, sealed) = crypto::seal(key, &aad(vault_id), &json);
        B64.encode_string([nonce.as_slice(), &sealed].concat(), &mut lines);
        lines.push('\n');
    }
    OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(path)
        .and_then(|mut file| {
            file.write_all(lines.as_bytes())?;
            file.sync_data()
        })
        .map_err(|err| Error::io("append to audit log", path, err))
}

/// Reads the whole trail, oldest first. A missing log is an empty trail.
pub fn read(path: &Path, vault_id: &[u8; VAULT_ID_LEN], key: &Key) -> Result<Vec<Entry>> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(err) => return Err(Error::io("read audit log", path, err)),
    };
    let aad = aad(vault_id);
    text.lines()
        .enumerate()
        .map(|(index, line)| {
            decode_line(line, key, &aad).ok_or_else(|| {
                Error::corrupt(format!(
                    "audit log {} is damaged at line {}",
                    path.display(),
                    index + 1
                ))
            })
        })
        .collect()
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

fn aad(vault_id: &[u8]) -> Vec<u8> {
    [b"vault/audit\n".as_slice(), vault_id].concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appends_and_reads_back_without_plaintext_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vault.toml.audit");
        let key = crypto::random_key();
        let id = [9; VAULT_ID_LEN];
        let scope = Scope::Project("blue".into());
        append(
            &path,
            &id,
            &key,
            &[Entry::new("create", Some((&scope, "canary-name")))],
        )
        .unwrap();
        append(
            &path,
            &id,
            &key,
            &[Entry::new("reveal", Some((&scope, "canary-name")))],
        )
        .unwrap();
        let entries = read(&path, &id, &key).unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[1].action, "reveal");
        assert!(last_read_at(&entries, &scope, "canary-name").is_some());
        assert!(last_read_at(&entries, &Scope::Org, "canary-name").is_none());
        let raw = std::fs::read_to_string(&path).unwrap();
        assert!(!raw.contains("canary-name"));
    }
}
