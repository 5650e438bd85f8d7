//! Which key seals each entry of the trail, chosen per entry by the caller.
//!
//! `MemberKeys` seals each entry with its project's trail key (or the org's),
//! so that a project member opens only its projects' entries, and every reader
//! holds the chain key, which authenticates the linkage of every line without
//! opening any (see line.rs).

use std::collections::BTreeMap;

use blake2::Blake2bMac;
use blake2::digest::consts::U32;

use crate::audit::Entry;
use crate::vault::crypto::Key;
use crate::vault::keyring::TrailKeySet;

/// Keyed BLAKE2b with a 32-byte output.
pub type Mac256 = Blake2bMac<U32>;

/// Names the key a line was sealed with; written in the clear on the line.
pub type KeyId = u32;

pub trait TrailKeys {
    /// The id and key `entry` is sealed with.
    fn sealing(&self, entry: &Entry) -> (KeyId, &Key);
    /// The key of `id`, if this reader holds it. A line whose key it lacks is
    /// skipped, its place in the chain still verified.
    fn opening(&self, id: KeyId) -> Option<&Key>;
    /// Authenticates the linkage of every line; every reader of the trail holds it.
    fn chain(&self) -> &Key;
    /// Seals the index of last reads; `None`: no index, `last_read_at` scans.
    fn index(&self) -> Option<&Key>;
}

/// The trail keys of one member (`TrailKeySet`): an entry about project P is
/// sealed under P's trail key (full members and P's members hold it),
/// every other entry under the org's (full members only). A project member's
/// own action outside its projects (a reveal of an org secret every project
/// may see) is sealed under its first project's key, so that it is recorded
/// and full members read it. Format 1 seals everything under its data key (id 0).
pub struct MemberKeys {
    org: Option<(KeyId, Key)>,
    projects: BTreeMap<String, (KeyId, Key)>,
    /// Every key this member opens lines with, by id.
    opening: Vec<(KeyId, Key)>,
    first: Option<Key>,
    chain: Key,
    index: Option<Key>,
}

/// The id of the trail's first key: lines sealed before per-project keys.
const FIRST_KEY: KeyId = 0;

impl MemberKeys {
    pub fn new(set: TrailKeySet) -> MemberKeys {
        let with_id = |key: Key| (key_id(&key), key);
        let org = set.org.map(with_id);
        let projects: BTreeMap<String, (KeyId, Key)> = set
            .projects
            .into_iter()
            .map(|(name, key)| (name, with_id(key)))
            .collect();
        let opening = set
            .first
            .iter()
            .map(|key| (FIRST_KEY, key.clone()))
            .chain(org.clone())
            .chain(projects.values().cloned())
            .chain(set.retired.into_iter().map(with_id))
            .collect();
        MemberKeys {
            org,
            projects,
            opening,
            first: set.first,
            chain: set.chain,
            index: set.index,
        }
    }

    /// Format 1, and tests: everything under one key.
    pub fn single(key: &Key) -> MemberKeys {
        MemberKeys::new(TrailKeySet::single(key))
    }
}

impl TrailKeys for MemberKeys {
    fn sealing(&self, entry: &Entry) -> (KeyId, &Key) {
        let project = entry.project.as_deref().and_then(|p| self.projects.get(p));
        let (id, key) = project
            .or(self.org.as_ref())
            .or_else(|| self.projects.values().next())
            .map(|(id, key)| (*id, key))
            .unwrap_or_else(|| {
                (
                    FIRST_KEY,
                    self.first.as_ref().expect("a reader holds some key"),
                )
            });
        (id, key)
    }

    fn opening(&self, id: KeyId) -> Option<&Key> {
        self.opening
            .iter()
            .find(|(i, _)| *i == id)
            .map(|(_, key)| key)
    }

    fn chain(&self) -> &Key {
        &self.chain
    }

    fn index(&self) -> Option<&Key> {
        self.index.as_ref()
    }
}

/// A line's key id, derived from its key: it tells which lines share a key,
/// nothing of which project (records' wraps name keys by other ids). Never 0,
/// the trail's first key.
fn key_id(key: &Key) -> KeyId {
    let bytes = derive(key, b"vault/audit/key-id");
    u32::from_be_bytes(bytes[..4].try_into().expect("4 bytes")).max(1)
}

pub use crate::vault::crypto::derive;
