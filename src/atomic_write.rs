//! Writing an output file that may hold secrets (`vault inject -o OUT`): whole
//! or not at all, mode 0600, and never over an existing file unless told to.

use std::fs::{File, Permissions};
use std::io::{self, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use crate::error::{Error, Result};

/// Whether an existing file at the path may be replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    Refuse,
    Replace,
}

/// Errors with exit 6 if `path` exists (even as a dangling symlink) and may
/// not be replaced: checked before any work, and again when the file is put
/// in place.
pub fn check_free(path: &Path, existing: Existing) -> Result<()> {
    match (existing, std::fs::symlink_metadata(path)) {
        (Existing::Refuse, Ok(_)) => Err(exists(path)),
        _ => Ok(()),
    }
}

/// Has `fill` write a 0600 temporary file beside `path`, syncs it, and
/// renames it into place, then syncs the directory: a reader sees the old
/// file or the new one, never part of it. If `fill` fails, the temporary file
/// is removed and `path` is untouched.
pub fn write(
    path: &Path,
    existing: Existing,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let fail = |action: &str, err: io::Error| Error {
        kind: crate::error::Kind::Failure,
        ..Error::io(action, path, err)
    };
    let mut temp = tempfile::Builder::new()
        .prefix(".vault-")
        .suffix(".tmp")
        .permissions(Permissions::from_mode(0o600))
        .tempfile_in(dir)
        .map_err(|err| fail("create a temporary file for", err))?;
    let mut buffered = io::BufWriter::new(temp.as_file_mut());
    fill(&mut buffered)
        .and_then(|()| buffered.flush())
        .map_err(|err| fail("write", err))?;
    drop(buffered);
    temp.as_file()
        .sync_all()
        .map_err(|err| fail("write", err))?;
    match existing {
        Existing::Replace => temp.persist(path).map(drop),
        Existing::Refuse => temp.persist_noclobber(path).map(drop),
    }
    .map_err(|err| match err.error.kind() {
        io::ErrorKind::AlreadyExists => exists(path),
        _ => fail("write", err.error),
    })?;
    File::open(dir)
        .and_then(|dir| dir.sync_all())
        .map_err(|err| fail("sync the directory of", err))
}

fn exists(path: &Path) -> Error {
    Error::conflict(format!("{} already exists", path.display()))
        .with_hint("pass --force to replace it")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_0600_and_replaces_only_when_told() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.yml");
        write(&path, Existing::Refuse, |f| f.write_all(b"one")).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert_eq!(
            check_free(&path, Existing::Refuse).unwrap_err().exit_code(),
            6
        );
        let err = write(&path, Existing::Refuse, |f| f.write_all(b"two")).unwrap_err();
        assert_eq!(err.exit_code(), 6);
        assert_eq!(std::fs::read(&path).unwrap(), b"one");
        write(&path, Existing::Replace, |f| f.write_all(b"two")).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary file is left behind");
    }
}
