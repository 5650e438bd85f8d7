//! `vault git merge BASE OURS THEIRS`, the merge driver git runs for the vault
//! file: open the three versions with the caller's key, merge them
//! (`merge::merge`) and replace OURS with the result in one atomic rename.
//! Until the merged file is renamed into place OURS is untouched, so any
//! failure (no key, a damaged version) leaves git with our side as it was.

use std::fs;
use std::io::Write;
use std::path::Path;

use super::merge::{self, Conflict};
use crate::error::{Error, Kind, Result};
use crate::vault::Vault;
use crate::vault::model::Payload;
use crate::vault::versions::{Member, Version};

/// The three versions git hands its driver (%O, %A, %B).
pub struct Versions<'a> {
    pub base: &'a Path,
    pub ours: &'a Path,
    pub theirs: &'a Path,
}

/// Merges the three versions into `versions.ours` with the key `vault` holds;
/// returns the conflicts (empty on a clean merge). The merge is sealed for the
/// merged members, with fresh keys when a member of either side is not in it
/// as that side had it (removed, or changed) or when one side replaced its
/// keys, so that nobody removed on either side can read it. OURS is written
/// only when the merge differs from it, and gets THEIRS' bytes as they are
/// when the merge equals theirs, so that a merge bringing nothing new records
/// nothing new.
pub fn merge_files(versions: &Versions, vault: &mut Vault) -> Result<Vec<Conflict>> {
    let (ours, _) = open(vault, versions.ours)?;
    let (theirs, theirs_bytes) = open(vault, versions.theirs)?;
    let base = open_base(vault, versions.base)?;
    for other in [Some(&theirs), base.as_ref()].into_iter().flatten() {
        if other.vault_id != ours.vault_id {
            return Err(Error::usage(
                "the versions to merge are of different vaults (their vault ids differ)",
            )
            .with_hint("keep one of them: `git checkout --ours FILE` or `--theirs FILE`"));
        }
    }
    let empty = Payload::default();
    let (base_payload, base_members) = match &base {
        Some(base) => (&base.payload, base.members.as_slice()),
        None => (&empty, &[][..]),
    };
    let merged = merge::merge(base_payload, &ours.payload, &theirs.payload);
    let mut conflicts = merged.conflicts;
    let members: Vec<Member> = merge::merge_members(
        [base_members, &ours.members, &theirs.members],
        |member| &member.info.name,
        &mut conflicts,
    );
    let new_keys = !merge::keeps_every_member(&ours.members, &members)
        || !merge::keeps_every_member(&theirs.members, &members)
        || !ours.shares_keys_with(&theirs);
    let same_as = |side: &Version| side.payload == merged.payload && side.members == members;
    if !new_keys && same_as(&ours) {
        return Ok(conflicts);
    }
    if !new_keys && same_as(&theirs) && !theirs.is_format_1() {
        write_atomically(versions.ours, &theirs_bytes)?;
        return Ok(conflicts);
    }
    // Written onto a format 2 side when there is one (a format 1 one would
    // need converting, with the passphrase).
    let onto = if ours.is_format_1() && !theirs.is_format_1() {
        theirs
    } else {
        ours
    };
    let bytes = vault.write_version(onto, members, &merged.payload, new_keys)?;
    crate::vault::storage::check_size(&bytes)?;
    write_atomically(versions.ours, &bytes)?;
    Ok(conflicts)
}

/// Opens one version with the caller's key; a key that is not a full
/// member's is "no key" here (exit 4), as only a full member can write a merge.
fn open(vault: &mut Vault, path: &Path) -> Result<(Version, Vec<u8>)> {
    let bytes = read(path)?;
    let version = vault.open_version(&bytes).map_err(|err| {
        let err = match err.kind {
            Kind::Denied => Error::auth(
                "merging the vault needs a full member's key; this one is a project member's",
            ),
            _ => err,
        };
        in_version(path, err)
    })?;
    Ok((version, bytes))
}

/// The common ancestor; an empty file (git's stand-in when both sides added
/// the vault) is no ancestor at all.
fn open_base(vault: &mut Vault, path: &Path) -> Result<Option<Version>> {
    if fs::metadata(path).is_ok_and(|meta| meta.len() == 0) {
        return Ok(None);
    }
    open(vault, path).map(|(version, _)| Some(version))
}

fn read(path: &Path) -> Result<Vec<u8>> {
    fs::read(path).map_err(|err| Error::io("read", path, err))
}

/// Says which version an error is about (git's temporary names are not
/// telling, but the path is what the user can inspect).
fn in_version(path: &Path, mut err: Error) -> Error {
    err.message = format!("{}: {}", path.display(), err.message);
    if err.hint.as_deref() == Some(crate::vault::format::RESTORE_HINT) {
        err.hint = Some("keep one side with `git checkout --ours FILE` or `--theirs FILE`".into());
    }
    err
}

/// Replaces `path` with `bytes`: a temporary file in the same directory,
/// fsynced, then renamed over it, with the mode `path` had. The temporary
/// file holds only ciphertext, and is removed if anything fails.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let permissions = fs::metadata(path)
        .map_err(|err| Error::io("read", path, err))?
        .permissions();
    let mut temp = tempfile::Builder::new()
        .prefix(".vault-merge.")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|err| Error::io("create a temporary file in", dir, err))?;
    temp.write_all(bytes)
        .and_then(|()| temp.as_file().set_permissions(permissions))
        .and_then(|()| temp.as_file().sync_all())
        .map_err(|err| Error::io("write", temp.path(), err))?;
    temp.persist(path)
        .map_err(|err| Error::io("replace", path, err.error))?;
    fs::File::open(dir)
        .and_then(|dir| dir.sync_all())
        .map_err(|err| Error::io("sync directory", dir, err))
}
