//! The keys of a format 2 vault and who holds which (docs/FORMAT.md, "Keys"):
//! an index key (record locators and the file's commitment) and a shared key
//! (org secrets every project may see), held by every member; an org key (org
//! secrets with an allow-list, the member list), held by full members; and one
//! key per project, held by full members and that project's members. Each
//! member's keys travel in a grant encrypted to that member's age or SSH
//! recipient.

use std::collections::BTreeMap;
use std::fmt;

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::crypto::{self, KEY_LEN};
use super::format::VAULT_ID_LEN;
use crate::error::{Error, Result};

pub const KEY_ID_LEN: usize = 8;

/// One key and the random id that names it in records' wraps (the id tells
/// nothing of what the key is for).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Zeroize, ZeroizeOnDrop)]
pub struct KeyEntry {
    pub id: [u8; KEY_ID_LEN],
    pub key: [u8; KEY_LEN],
}

impl KeyEntry {
    pub fn random() -> KeyEntry {
        KeyEntry {
            id: crypto::random_bytes(),
            key: crypto::random_bytes(),
        }
    }
}

/// The keys one member holds.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Keyring {
    /// Seals the audit trail; every member holds it, so every member's actions
    /// are recorded. Kept by rekey, so that the trail stays readable.
    pub audit: KeyEntry,
    pub index: KeyEntry,
    pub shared: KeyEntry,
    /// Full members only.
    pub org: Option<KeyEntry>,
    /// Every project for a full member; a project member's own projects.
    pub projects: BTreeMap<String, KeyEntry>,
}

impl fmt::Debug for Keyring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Keyring")
            .field("full", &self.org.is_some())
            .field("projects", &self.projects.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

/// What a member's grant holds: the vault it belongs to, the member's name and
/// its keys.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Grant {
    pub vault_id: [u8; VAULT_ID_LEN],
    pub member: String,
    pub keyring: Keyring,
}

impl Keyring {
    /// Fresh keys for a vault (or a rekey of one): the given projects get keys too.
    pub fn generate<'a>(projects: impl IntoIterator<Item = &'a String>) -> Keyring {
        Keyring {
            audit: KeyEntry::random(),
            index: KeyEntry::random(),
            shared: KeyEntry::random(),
            org: Some(KeyEntry::random()),
            projects: projects
                .into_iter()
                .map(|p| (p.clone(), KeyEntry::random()))
                .collect(),
        }
    }

    pub fn is_full(&self) -> bool {
        self.org.is_some()
    }

    /// The org key; only full members hold it.
    pub fn org(&self) -> Result<&KeyEntry> {
        self.org.as_ref().ok_or_else(project_member_denied)
    }

    /// The key of `project`, made on first use (by a full member's write).
    pub fn project_key(&mut self, project: &str) -> &KeyEntry {
        self.projects
            .entry(project.to_owned())
            .or_insert_with(KeyEntry::random)
    }

    /// The keys a member of `projects` is given: the index and shared keys and
    /// those projects' keys, nothing else.
    pub fn for_projects(&mut self, projects: &[String]) -> Keyring {
        Keyring {
            audit: self.audit.clone(),
            index: self.index.clone(),
            shared: self.shared.clone(),
            org: None,
            projects: projects
                .iter()
                .map(|p| (p.clone(), self.project_key(p).clone()))
                .collect(),
        }
    }

    /// The key named `id` in a wrap, if this keyring holds it.
    pub fn by_id(&self, id: &[u8]) -> Option<&KeyEntry> {
        [&self.index, &self.shared]
            .into_iter()
            .chain(self.org.as_ref())
            .chain(self.projects.values())
            .find(|k| k.id == id)
    }

    /// HMAC-SHA256 under the index key, for locators and the commitment.
    pub fn index_mac(&self) -> Hmac<Sha256> {
        <Hmac<Sha256> as Mac>::new_from_slice(&self.index.key).expect("HMAC takes any key length")
    }

    pub fn audit_key(&self) -> crypto::Key {
        zeroize::Zeroizing::new(self.audit.key)
    }

    /// New keys for everything but the audit trail (see `audit`).
    pub fn rotated(&self) -> Keyring {
        Keyring {
            audit: self.audit.clone(),
            ..Keyring::generate(self.projects.keys())
        }
    }
}

pub fn project_member_denied() -> Error {
    Error::denied(
        "a project member can read its projects' secrets, and nothing else: writing, managing members, rekey and passwd need a full member",
    )
}
