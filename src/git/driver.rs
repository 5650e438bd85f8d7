//! `vault git merge BASE OURS THEIRS`, the merge driver git runs for the vault
//! file: open the three versions with the caller's key, merge them
//! (`merge::merge`) and replace OURS with the result in one atomic rename.
//! Until the merged file is renamed into place OURS is untouched, so any
//! failure (no key, a damaged version) leaves git with our side as it was.

use std::fs;
use std::io::Write;
use std::path::Path;

use super::merge::{self, Conflict};
use crate::error::{Error, Result};
use crate::vault::crypto::Key;
use crate::vault::format::VaultFile;
use crate::vault::model::Payload;
use crate::vault::storage::Store;
use crate::vault::{self, KeySource, Vault};

/// The three versions git hands its driver (%O, %A, %B).
pub struct Versions<'a> {
    pub base: &'a Path,
    pub ours: &'a Path,
    pub theirs: &'a Path,
}

/// One version, decrypted.
struct Opened {
    bytes: Vec<u8>,
    file: VaultFile,
    key: Key,
    payload: Payload,
}

/// Merges the three versions into `versions.ours`; returns the conflicts
/// (empty on a clean merge). OURS is written only when the merge differs
/// from it, and gets THEIRS' bytes as they are when the merge equals theirs,
/// so that a merge that changes nothing leaves nothing for git to record.
pub fn merge_files(versions: &Versions, source: KeySource) -> Result<Vec<Conflict>> {
    let mut keys = Vault::new(Store::new(versions.ours.to_owned()), source);
    let ours = open(&mut keys, versions.ours)?;
    let theirs = open(&mut keys, versions.theirs)?;
    let base = open_base(&mut keys, versions.base)?;
    for other in [Some(&theirs), base.as_ref()].into_iter().flatten() {
        if other.file.header.vault_id != ours.file.header.vault_id {
            return Err(Error::usage(
                "the versions to merge are of different vaults (their vault ids differ)",
            )
            .with_hint("keep one of them: `git checkout --ours FILE` or `--theirs FILE`"));
        }
    }
    let empty = Payload::default();
    let base_payload = base.as_ref().map_or(&empty, |base| &base.payload);
    let merged = merge::merge(base_payload, &ours.payload, &theirs.payload);
    if merged.payload == theirs.payload && merged.payload != ours.payload {
        write_atomically(versions.ours, &theirs.bytes)?;
    } else if merged.payload != ours.payload {
        let sealed = vault::seal_payload(ours.file.without_payload(), &ours.key, &merged.payload)?;
        write_atomically(versions.ours, &sealed.to_bytes())?;
    }
    Ok(merged.conflicts)
}

fn open(keys: &mut Vault, path: &Path) -> Result<Opened> {
    let bytes = read(path)?;
    let file = VaultFile::parse(&bytes).map_err(|err| in_version(path, err))?;
    let key = keys.data_key(&file).map_err(|err| in_version(path, err))?;
    let payload = vault::open_payload(&file, &key).map_err(|err| in_version(path, err))?;
    Ok(Opened {
        bytes,
        file,
        key,
        payload,
    })
}

/// The common ancestor; an empty file (git's stand-in when both sides added
/// the vault) is no ancestor at all.
fn open_base(keys: &mut Vault, path: &Path) -> Result<Option<Opened>> {
    if fs::metadata(path).is_ok_and(|meta| meta.len() == 0) {
        return Ok(None);
    }
    open(keys, path).map(Some)
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
