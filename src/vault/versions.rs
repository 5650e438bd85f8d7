//! Versions of a vault file that live outside its store: the three that git
//! hands its merge driver (`vault git merge`). Each is opened with one key
//! source, as a full member; a merged version is then written from one of
//! them, sealed for the merged members, with fresh keys when a member lost
//! access, so that whoever was removed on either side cannot read it.

use super::crypto::Key;
use super::format::{self, VAULT_ID_LEN, VaultFile};
use super::format2::File2;
use super::keyring::{Grant, Keyring};
use super::members::{MemberInfo, PassphraseLock};
use super::model::Payload;
use super::{Draft, Loaded, Vault, format1_member, keyring, records};
use crate::error::Result;

/// One member as a version holds it: what `member list` shows, and for the
/// passphrase the lock its member line carries.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub info: MemberInfo,
    lock: Option<PassphraseLock>,
}

/// A version, decrypted.
pub struct Version {
    pub vault_id: [u8; VAULT_ID_LEN],
    pub members: Vec<Member>,
    pub payload: Payload,
    sealed: Sealed,
}

enum Sealed {
    /// A format 1 file and its data key.
    V1(VaultFile, Key),
    V2(File2, Box<Grant>),
}

impl Vault {
    /// Opens a version of a vault held in `bytes` with this vault's key
    /// source; only a full member may (a project member cannot write a merge).
    pub fn open_version(&mut self, bytes: &[u8]) -> Result<Version> {
        let loaded = match format::version(bytes)? {
            1 => Loaded::V1(VaultFile::parse(bytes)?),
            _ => Loaded::V2(File2::parse(bytes)?),
        };
        match loaded {
            Loaded::V1(file) => {
                let payload = self.open_v1(&file)?;
                let key = self.v1_key(&file)?;
                Ok(Version {
                    vault_id: file.header.vault_id,
                    members: vec![Member {
                        info: format1_member(),
                        lock: None,
                    }],
                    payload,
                    sealed: Sealed::V1(file, key),
                })
            }
            Loaded::V2(file) => {
                let grant = self.grant(&file)?;
                if !grant.keyring.is_full() {
                    return Err(keyring::project_member_denied());
                }
                records::check_commitment(&grant.keyring, &file)?;
                let meta = records::open_meta(&grant.keyring, &file.vault_id, &file.meta)?;
                let members = meta
                    .members
                    .into_iter()
                    .zip(&file.members)
                    .map(|(info, line)| Member {
                        info,
                        lock: line.passphrase.clone(),
                    })
                    .collect();
                let draft = Draft::open(file.clone(), grant.clone())?;
                let payload = draft.payload()?;
                Ok(Version {
                    vault_id: file.vault_id,
                    members,
                    payload,
                    sealed: Sealed::V2(file, Box::new(grant)),
                })
            }
        }
    }

    /// The bytes of a version made from `onto` (a format 2 version, or format
    /// 1 converted with the passphrase), holding `payload` and `members`;
    /// with `new_keys`, every key is replaced and every record sealed again.
    pub fn write_version(
        &mut self,
        onto: Version,
        members: Vec<Member>,
        payload: &Payload,
        new_keys: bool,
    ) -> Result<Vec<u8>> {
        let (file, grant) = match onto.sealed {
            Sealed::V2(file, grant) => (file, *grant),
            Sealed::V1(old, _) => {
                let file = self.upgraded(&old)?;
                let grant = self.grant(&file)?;
                (file, grant)
            }
        };
        let mut draft = Draft::open(file, grant)?;
        let before = draft.payload()?;
        draft.apply_diff(&before, payload)?;
        let infos = members.into_iter().map(|m| (m.info, m.lock)).collect();
        draft.set_members(infos)?;
        if new_keys {
            draft.rekey()?;
        }
        Ok(draft.finish()?.to_bytes())
    }
}

impl Version {
    pub fn is_format_1(&self) -> bool {
        matches!(self.sealed, Sealed::V1(..))
    }

    /// False when `other` was sealed with keys that replaced some of this
    /// version's (a rekey, a passphrase change or a member's removal on one
    /// side): a merge must then get keys of its own, or it would undo that.
    /// Keys only one side has (a project new on that side) do not count.
    pub fn shares_keys_with(&self, other: &Version) -> bool {
        let (Sealed::V2(_, a), Sealed::V2(_, b)) = (&self.sealed, &other.sealed) else {
            // A format 1 side is converted with keys of its own anyway.
            return true;
        };
        same_keys(&a.keyring, &b.keyring)
    }

    /// A key only full members hold, for `vault git show`'s fingerprints:
    /// format 1's data key, format 2's org key.
    pub fn fingerprint_key(&self) -> Result<Key> {
        Ok(match &self.sealed {
            Sealed::V1(_, key) => key.clone(),
            Sealed::V2(_, grant) => zeroize::Zeroizing::new(grant.keyring.org()?.key),
        })
    }
}

fn same_keys(a: &Keyring, b: &Keyring) -> bool {
    let common_projects = a
        .projects
        .iter()
        .all(|(project, key)| b.projects.get(project).is_none_or(|other| other == key));
    a.index == b.index && a.shared == b.shared && a.org == b.org && common_projects
}
