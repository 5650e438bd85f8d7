//! The index of last reads, beside the trail (`<trail>.idx`): for every secret
//! ever revealed, exported or injected, when that last happened. `get secret`
//! answers `last_read_at` from it in time that does not grow with the trail.
//!
//! It is a cache, sealed with the index key: it records the length of the
//! trail and the link of the last line it has seen, and is trusted only while
//! both match the trail. Appends update it under the trail's lock; a trail
//! that moved on without it (a crash between the two writes, an older
//! `vault`) or an index that is missing, foreign or damaged makes the next
//! reader rebuild it from the whole trail, verifying the chain as it goes.

use std::collections::HashMap;
use std::io::{self, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::Entry;
use super::line::{FIRST, Link};
use crate::vault::crypto::{self, Key, NONCE_LEN};

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Index {
    /// Bytes of whole lines of the trail this index has seen.
    pub len: u64,
    /// The link of the last of them.
    pub last: Link,
    /// Distinct times, so that the 1,000 reads of one `exec` share one string.
    times: Vec<String>,
    /// Which time each secret was last read at ("org\nNAME" or "project\nP\nNAME").
    reads: HashMap<String, u32>,
    #[serde(skip)]
    time_ids: HashMap<String, u32>,
}

impl Index {
    pub fn empty() -> Index {
        Index {
            last: FIRST,
            ..Index::default()
        }
    }

    pub fn path_for(trail: &Path) -> PathBuf {
        let mut path = trail.as_os_str().to_owned();
        path.push(".idx");
        PathBuf::from(path)
    }

    /// The index, if there is one this key opens; anything else is no index.
    pub fn load(path: &Path, vault_id: &[u8], key: &Key) -> Option<Index> {
        let bytes = std::fs::read(path).ok()?;
        if bytes.len() < NONCE_LEN {
            return None;
        }
        let (nonce, sealed) = bytes.split_at(NONCE_LEN);
        let plain = crypto::open(key, nonce.try_into().ok()?, &aad(vault_id), sealed)?;
        let mut index: Index = postcard::from_bytes(&plain).ok()?;
        index.time_ids = (0..)
            .zip(&index.times)
            .map(|(i, t)| (t.clone(), i))
            .collect();
        Some(index)
    }

    /// Replaces the index file in one rename (the caller holds the trail's lock).
    pub fn save(&mut self, path: &Path, vault_id: &[u8], key: &Key) -> io::Result<()> {
        self.drop_unused_times();
        let plain = zeroize::Zeroizing::new(postcard::to_stdvec(self).map_err(io::Error::other)?);
        let (nonce, sealed) = crypto::seal(key, &aad(vault_id), &plain);
        let mut temp = PathBuf::from(path);
        temp.as_mut_os_string().push(".tmp");
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .custom_flags(crate::vault::storage::NO_FOLLOW)
            .open(&temp)?;
        file.write_all(&[nonce.as_slice(), &sealed].concat())?;
        drop(file);
        std::fs::rename(&temp, path)
    }

    /// Takes the reads `entry` records.
    pub fn note(&mut self, entry: &Entry) {
        let mut reads = entry.reads().peekable();
        if reads.peek().is_none() {
            return;
        }
        let next = self.times.len() as u32;
        let time = *self.time_ids.entry(entry.at.clone()).or_insert(next);
        if time == next {
            self.times.push(entry.at.clone());
        }
        // One buffer for the keys: a secret read before (every secret of a
        // repeated `exec`) costs a lookup, not an allocation.
        let mut key = String::new();
        for (scope, project, environment, name) in reads {
            write_read_key(&mut key, scope, project, environment, name);
            match self.reads.get_mut(key.as_str()) {
                Some(at) => *at = time,
                None => {
                    self.reads.insert(key.clone(), time);
                }
            }
        }
    }

    pub fn last_read(
        &self,
        scope: &str,
        project: Option<&str>,
        environment: Option<&str>,
        name: &str,
    ) -> Option<&str> {
        let time = *self
            .reads
            .get(&read_key(scope, project, environment, name))?;
        self.times.get(time as usize).map(String::as_str)
    }

    /// Times no secret points at any more are dropped, so the index stays as
    /// large as the number of secrets read, whatever the trail's length.
    fn drop_unused_times(&mut self) {
        let mut renumbered: HashMap<u32, u32> = HashMap::new();
        let mut times = Vec::new();
        for time in self.reads.values_mut() {
            let next = times.len() as u32;
            let new = *renumbered.entry(*time).or_insert_with(|| {
                times.push(std::mem::take(&mut self.times[*time as usize]));
                next
            });
            *time = new;
        }
        self.times = times;
        self.time_ids = (0..)
            .zip(&self.times)
            .map(|(i, t)| (t.clone(), i))
            .collect();
    }
}

fn read_key(scope: &str, project: Option<&str>, environment: Option<&str>, name: &str) -> String {
    let mut key = String::new();
    write_read_key(&mut key, scope, project, environment, name);
    key
}

/// "SCOPE\n[PROJECT\n][@ENVIRONMENT\n]NAME" into `key`, replacing what it held.
fn write_read_key(
    key: &mut String,
    scope: &str,
    project: Option<&str>,
    environment: Option<&str>,
    name: &str,
) {
    key.clear();
    key.push_str(scope);
    key.push('\n');
    if let Some(project) = project {
        key.push_str(project);
        key.push('\n');
    }
    if let Some(environment) = environment {
        key.push('@');
        key.push_str(environment);
        key.push('\n');
    }
    key.push_str(name);
}

fn aad(vault_id: &[u8]) -> Vec<u8> {
    [b"vault/audit-index\n".as_slice(), vault_id].concat()
}
