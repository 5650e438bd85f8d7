//! Which key seals each entry of the trail, chosen per entry by the caller.
//!
//! Today one data key opens the whole vault, so `OneKey` seals everything with
//! it (key id 0). A vault format where a project member may read only its
//! projects' entries plugs in its own `TrailKeys`: each entry sealed with its
//! project's key, and a chain key that every reader of the trail holds, which
//! authenticates the linkage of every line without opening any (see line.rs).

use blake2::Blake2bMac;
use blake2::digest::Mac;
use blake2::digest::consts::U32;

/// Keyed BLAKE2b with a 32-byte output.
pub type Mac256 = Blake2bMac<U32>;

use crate::audit::Entry;
use crate::vault::crypto::{KEY_LEN, Key};

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

/// Everything under one data key: the key itself for entries and the index,
/// and a chain key derived from it (one key, one purpose).
pub struct OneKey {
    key: Key,
    chain: Key,
}

impl OneKey {
    pub fn new(key: &Key) -> OneKey {
        OneKey {
            key: key.clone(),
            chain: derive(key, b"vault/audit/chain"),
        }
    }
}

impl TrailKeys for OneKey {
    fn sealing(&self, _entry: &Entry) -> (KeyId, &Key) {
        (0, &self.key)
    }

    fn opening(&self, id: KeyId) -> Option<&Key> {
        (id == 0).then_some(&self.key)
    }

    fn chain(&self) -> &Key {
        &self.chain
    }

    fn index(&self) -> Option<&Key> {
        Some(&self.key)
    }
}

/// A key for one purpose, derived from `key` with keyed BLAKE2b.
pub fn derive(key: &Key, purpose: &[u8]) -> Key {
    let mut mac = <Mac256 as Mac>::new_from_slice(key.as_slice()).expect("32-byte keys");
    mac.update(purpose);
    let mut out = Key::default();
    out.copy_from_slice(&mac.finalize().into_bytes()[..KEY_LEN]);
    out
}
