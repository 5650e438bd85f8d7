//! The keys of a format 2 vault and who holds which (docs/FORMAT.md, "Keys"):
//! an index key (record locators and the file's commitment) and a shared key
//! (org secrets every project may see), held by every member; an org key (org
//! secrets with an allow-list, the member list), held by full members; and one
//! key per project, held by full members and that project's members. The audit
//! trail's keys derive from the org and project keys (`trail_keys`), so each
//! reader opens the entries of what it may read. Each member's keys travel in
//! a grant encrypted to that member's age or SSH recipient.

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

/// The id of a keyring's `audit` entry that holds the trail's chain key, not
/// the trail's first key (a project member's).
const CHAIN_ONLY: [u8; KEY_ID_LEN] = [0; KEY_ID_LEN];

/// What the audit trail's keys derive from their roots with (one key, one purpose).
const TRAIL_CHAIN: &[u8] = b"vault/audit/chain";
const TRAIL_ENTRIES: &[u8] = b"vault/audit/entries";
const TRAIL_INDEX: &[u8] = b"vault/audit/index";

/// The keys a member reads and writes the audit trail with (audit/keys.rs
/// picks one per entry).
pub struct TrailKeySet {
    /// Every reader holds it: it authenticates the linkage of every line.
    pub chain: crypto::Key,
    /// The trail's first key (format 1's data key, format 2's `audit`), which
    /// sealed every line before per-project trail keys; full members only.
    pub first: Option<crypto::Key>,
    /// Org-level and vault-wide entries: derived from the org key.
    pub org: Option<crypto::Key>,
    /// Entries about project P: derived from P's key.
    pub projects: BTreeMap<String, crypto::Key>,
    /// Seals the index of last reads; full members only (a project member scans).
    pub index: Option<crypto::Key>,
    /// Trail keys replaced by rekeys; full members only.
    pub retired: Vec<crypto::Key>,
}

impl TrailKeySet {
    /// Format 1: the data key seals everything.
    pub fn single(key: &crypto::Key) -> TrailKeySet {
        TrailKeySet {
            chain: crypto::derive(key, TRAIL_CHAIN),
            first: Some(key.clone()),
            org: None,
            projects: BTreeMap::new(),
            index: Some(key.clone()),
            retired: Vec::new(),
        }
    }
}

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
    /// The trail's first key, kept by rekey: a full member holds it, opens
    /// the lines sealed under it (all lines before per-project trail keys) and
    /// derives the chain key from it. A project member holds only the chain key
    /// here, its id `CHAIN_ONLY` (see `trail_keys`).
    pub audit: KeyEntry,
    pub index: KeyEntry,
    pub shared: KeyEntry,
    /// Full members only.
    pub org: Option<KeyEntry>,
    /// Every project for a full member; a project member's own projects.
    pub projects: BTreeMap<String, KeyEntry>,
    /// Full members only: the trail keys rekeys replaced (derived from the old
    /// org and project keys), so that full members still open the lines
    /// sealed under them. The ids are random and unused.
    pub retired_trail: Vec<KeyEntry>,
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

impl Grant {
    /// A grant's postcard: as written now, or before `retired_trail` was added
    /// (postcard has no optional fields, so that shape is decoded on its own).
    pub fn decode(bytes: &[u8]) -> Option<Grant> {
        if let Ok(grant) = postcard::from_bytes::<Grant>(bytes) {
            return Some(grant);
        }
        let old: GrantBeforeRetiredTrail = postcard::from_bytes(bytes).ok()?;
        Some(Grant {
            vault_id: old.vault_id,
            member: old.member,
            keyring: Keyring {
                audit: old.audit,
                index: old.index,
                shared: old.shared,
                org: old.org,
                projects: old.projects,
                retired_trail: Vec::new(),
            },
        })
    }
}

#[derive(Deserialize)]
struct GrantBeforeRetiredTrail {
    vault_id: [u8; VAULT_ID_LEN],
    member: String,
    audit: KeyEntry,
    index: KeyEntry,
    shared: KeyEntry,
    org: Option<KeyEntry>,
    projects: BTreeMap<String, KeyEntry>,
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
            retired_trail: Vec::new(),
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
            audit: KeyEntry {
                id: CHAIN_ONLY,
                key: *crypto::derive(&self.audit.key, TRAIL_CHAIN),
            },
            index: self.index.clone(),
            shared: self.shared.clone(),
            org: None,
            projects: projects
                .iter()
                .map(|p| (p.clone(), self.project_key(p).clone()))
                .collect(),
            retired_trail: Vec::new(),
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

    /// The trail keys this keyring holds. A grant written before project
    /// members held only the chain key gave them the trail's first key: it
    /// is not used to open lines either way.
    pub fn trail_keys(&self) -> TrailKeySet {
        let chain = match self.audit.id == CHAIN_ONLY {
            true => zeroize::Zeroizing::new(self.audit.key),
            false => crypto::derive(&self.audit.key, TRAIL_CHAIN),
        };
        let org = self
            .org
            .as_ref()
            .map(|org| crypto::derive(&org.key, TRAIL_ENTRIES));
        TrailKeySet {
            chain,
            first: self
                .is_full()
                .then(|| zeroize::Zeroizing::new(self.audit.key)),
            index: org.as_ref().map(|org| crypto::derive(org, TRAIL_INDEX)),
            org,
            projects: self
                .projects
                .iter()
                .map(|(name, key)| (name.clone(), crypto::derive(&key.key, TRAIL_ENTRIES)))
                .collect(),
            retired: match self.is_full() {
                true => self
                    .retired_trail
                    .iter()
                    .map(|k| zeroize::Zeroizing::new(k.key))
                    .collect(),
                false => Vec::new(),
            },
        }
    }

    /// New keys for everything but the trail's first key (see `audit`); the
    /// trail keys replaced are kept in `retired_trail`.
    pub fn rotated(&self) -> Keyring {
        let replaced = self.trail_keys();
        let mut retired_trail = self.retired_trail.clone();
        retired_trail.extend(
            replaced
                .org
                .iter()
                .chain(replaced.projects.values())
                .map(|key| KeyEntry {
                    id: crypto::random_bytes(),
                    key: **key,
                }),
        );
        Keyring {
            audit: self.audit.clone(),
            retired_trail,
            ..Keyring::generate(self.projects.keys())
        }
    }
}

pub fn project_member_denied() -> Error {
    Error::denied(
        "a project member can read its projects' secrets, and nothing else: writing, managing members, rekey and passwd need a full member",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_project_member_holds_the_chain_key_and_only_its_projects_trail_keys() {
        let projects = ["blue".to_owned(), "green".to_owned()];
        let mut full = Keyring::generate(&projects);
        let member = full.for_projects(&projects[..1]);
        let (all, some) = (full.trail_keys(), member.trail_keys());
        assert_eq!(*some.chain, *all.chain, "one chain for every reader");
        assert!(some.first.is_none() && some.org.is_none() && some.index.is_none());
        assert_ne!(
            member.audit.key, full.audit.key,
            "not the trail's first key"
        );
        assert_eq!(some.projects.keys().collect::<Vec<_>>(), ["blue"]);
        assert_eq!(*some.projects["blue"], *all.projects["blue"]);
        assert!(all.first.is_some() && all.org.is_some() && all.index.is_some());
    }

    #[test]
    fn rekey_keeps_the_replaced_trail_keys_for_full_members_only() {
        let projects = ["blue".to_owned()];
        let before = Keyring::generate(&projects);
        let old = before.trail_keys();
        let mut after = before.rotated().rotated();
        let new = after.trail_keys();
        assert_ne!(*new.projects["blue"], *old.projects["blue"]);
        assert_ne!(**new.org.as_ref().unwrap(), **old.org.as_ref().unwrap());
        assert_eq!(*new.chain, *old.chain);
        for key in [old.org.as_ref().unwrap(), &old.projects["blue"]] {
            assert!(new.retired.iter().any(|k| **k == **key));
        }
        assert_eq!(
            new.retired.len(),
            4,
            "two rekeys of the org and one project"
        );
        assert!(
            after
                .for_projects(&projects)
                .trail_keys()
                .retired
                .is_empty()
        );
    }

    #[test]
    fn grants_of_the_shape_before_retired_trail_keys_still_decode() {
        let keyring = Keyring::generate(&["blue".to_owned()]);
        let old = postcard::to_stdvec(&(
            [7u8; VAULT_ID_LEN],
            "ci",
            &keyring.audit,
            &keyring.index,
            &keyring.shared,
            &keyring.org,
            &keyring.projects,
        ))
        .unwrap();
        let grant = Grant::decode(&old).unwrap();
        assert_eq!(
            (grant.vault_id, grant.member.as_str()),
            ([7; VAULT_ID_LEN], "ci")
        );
        assert_eq!(grant.keyring, keyring);
        let new = Grant {
            vault_id: [7; VAULT_ID_LEN],
            member: "ci".into(),
            keyring: keyring.rotated(),
        };
        let back = Grant::decode(&postcard::to_stdvec(&new).unwrap()).unwrap();
        assert_eq!(back.keyring, new.keyring);
        assert!(Grant::decode(&old[..old.len() - 1]).is_none());
    }
}
