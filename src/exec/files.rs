//! The files `vault exec` gives the command: resolving where they go (relative to the
//! working directory, `~/` under `$HOME`), refusing to overwrite anything, writing them
//! 0600 in the directories it had to create (0700), and removing all of that afterwards.

use std::collections::HashSet;
use std::ffi::OsStr;
use std::fs::{self, DirBuilder, File, OpenOptions, Permissions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use crate::error::{Error, Kind, Result};

/// One file to hand to the command.
pub struct FileSpec {
    /// As the user wrote it: `key.pem`, `~/.ssh/id`, `a/b/c.txt`.
    pub destination: String,
    pub contents: Zeroizing<Vec<u8>>,
}

/// Where the files will go, checked: no destination exists yet.
#[derive(Debug, Default)]
pub(crate) struct Plan {
    /// Resolved destinations, in the order of the specs.
    pub(crate) paths: Vec<PathBuf>,
    /// Missing parent directories, parents before their children.
    pub(crate) dirs: Vec<PathBuf>,
}

/// Resolves every destination and checks that none exists, before anything is written:
/// a conflict on the third file must not leave the first two behind.
pub(crate) fn plan(specs: &[FileSpec]) -> Result<Plan> {
    if specs.is_empty() {
        return Ok(Plan::default());
    }
    let cwd = std::env::current_dir()
        .map_err(|e| Error::failure(format!("cannot read the working directory: {e}")))?;
    plan_in(specs, &cwd, std::env::var_os("HOME").as_deref())
}

fn plan_in(specs: &[FileSpec], cwd: &Path, home: Option<&OsStr>) -> Result<Plan> {
    let mut plan = Plan::default();
    let mut seen = HashSet::new();
    for spec in specs {
        let path = resolve(&spec.destination, cwd, home)?;
        if !seen.insert(path.clone()) {
            return Err(Error::conflict(format!(
                "file destination {} is given twice",
                spec.destination
            )));
        }
        for dir in missing_parents(&path)? {
            if !plan.dirs.contains(&dir) {
                plan.dirs.push(dir);
            }
        }
        check_free(&spec.destination, &path)?;
        plan.paths.push(path);
    }
    Ok(plan)
}

/// `~/x` is `$HOME/x`; anything else is relative to `cwd` (or absolute).
fn resolve(destination: &str, cwd: &Path, home: Option<&OsStr>) -> Result<PathBuf> {
    if destination.is_empty() || destination.ends_with('/') {
        return Err(Error::usage(format!(
            "invalid file destination {destination:?}: it must name a file"
        )));
    }
    let Some(rest) = destination.strip_prefix("~/") else {
        // `join` keeps an absolute destination as it is.
        return Ok(cwd.join(destination));
    };
    match home {
        Some(home) if !home.is_empty() => Ok(Path::new(home).join(rest)),
        _ => Err(Error::failure(format!(
            "cannot expand {destination}: HOME is not set"
        ))),
    }
}

/// The ancestors of `path` that do not exist yet, outermost first.
fn missing_parents(path: &Path) -> Result<Vec<PathBuf>> {
    let mut missing = Vec::new();
    for dir in path.ancestors().skip(1) {
        if dir.as_os_str().is_empty() {
            break;
        }
        // Follows symlinks: a link to a directory is a fine parent.
        match fs::metadata(dir) {
            Ok(meta) if meta.is_dir() => break,
            Ok(_) => {
                return Err(Error::failure(format!(
                    "cannot write into {}: not a directory",
                    dir.display()
                )));
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => missing.push(dir.to_path_buf()),
            Err(e) => return Err(io_failure("check", dir, e)),
        }
    }
    missing.reverse();
    Ok(missing)
}

/// Errors if anything, even a dangling symlink, is at `path`.
fn check_free(destination: &str, path: &Path) -> Result<()> {
    match fs::symlink_metadata(path) {
        Ok(_) => Err(already_exists(destination, path)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_failure("check", path, e)),
    }
}

fn already_exists(destination: &str, path: &Path) -> Error {
    Error::conflict(format!("file destination {destination} already exists")).with_hint(format!(
        "vault never overwrites files: remove {} or choose another destination",
        path.display()
    ))
}

impl Plan {
    pub(crate) fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }

    /// Creates the missing directories and the files, still empty, so that what will hold
    /// a secret can be journaled before any secret reaches the disk. On error, whatever was
    /// created is removed again.
    pub(crate) fn place(&self) -> Result<Placed> {
        let mut placed = Placed::default();
        for dir in &self.dirs {
            if create_dir(dir)? {
                placed.dirs.push(dir.clone());
            }
        }
        for path in &self.paths {
            placed.files.push(create_file(path)?);
        }
        Ok(placed)
    }
}

/// Returns whether this call created the directory (and so must remove it).
fn create_dir(dir: &Path) -> Result<bool> {
    match DirBuilder::new().mode(0o700).create(dir) {
        Ok(()) => Ok(true),
        // Made meanwhile by someone else: theirs, not ours to remove.
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(io_failure("create directory", dir, e)),
    }
}

fn create_file(path: &Path) -> Result<PlacedFile> {
    let file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| match e.kind() {
            io::ErrorKind::AlreadyExists => already_exists(&path.to_string_lossy(), path),
            _ => io_failure("create", path, e),
        })?;
    match pin_mode(&file) {
        Ok(id) => Ok(PlacedFile {
            path: path.to_path_buf(),
            id,
            handle: Some(file),
        }),
        Err(e) => {
            drop(file);
            remove_file(path);
            Err(io_failure("set the mode of", path, e))
        }
    }
}

/// Makes the mode exactly 0600 (the umask may have taken bits away) and returns the
/// file's identity.
fn pin_mode(file: &File) -> io::Result<(u64, u64)> {
    file.set_permissions(Permissions::from_mode(0o600))?;
    let meta = file.metadata()?;
    Ok((meta.dev(), meta.ino()))
}

/// A file `vault` created, identified by device and inode so that a later sweep never
/// removes a file someone else has since put at the same path.
#[derive(Debug)]
pub(crate) struct PlacedFile {
    pub(crate) path: PathBuf,
    pub(crate) id: (u64, u64),
    /// Open until filled.
    handle: Option<File>,
}

/// The files and directories `vault` created; dropping it removes them.
#[derive(Debug, Default)]
pub(crate) struct Placed {
    files: Vec<PlacedFile>,
    /// Only those this run created, parents before their children.
    dirs: Vec<PathBuf>,
}

impl Placed {
    pub(crate) fn files(&self) -> &[PlacedFile] {
        &self.files
    }

    pub(crate) fn dirs(&self) -> &[PathBuf] {
        &self.dirs
    }

    /// Writes each spec's contents into its file (same order as the plan) and syncs it.
    pub(crate) fn fill(&mut self, specs: &[FileSpec]) -> Result<()> {
        for (placed, spec) in self.files.iter_mut().zip(specs) {
            let Some(mut file) = placed.handle.take() else {
                continue;
            };
            file.write_all(&spec.contents)
                .and_then(|()| file.sync_all())
                .map_err(|e| io_failure("write", &placed.path, e))?;
        }
        Ok(())
    }

    /// Removes the files, then the directories created for them, innermost first and only
    /// if empty (anything else in them is not ours). Returns false if a file is still there.
    pub(crate) fn remove_all(&mut self) -> bool {
        let mut clean = true;
        for file in self.files.drain(..) {
            drop(file.handle);
            clean &= remove_file(&file.path);
        }
        for dir in self.dirs.drain(..).rev() {
            let _ = fs::remove_dir(dir);
        }
        clean
    }
}

impl Drop for Placed {
    fn drop(&mut self) {
        self.remove_all();
    }
}

/// Like `Error::io`, but always `Kind::Failure`: the contract keeps exit 6 for an existing
/// destination and exit 3 for missing secrets, not for a directory that vanished.
pub(crate) fn io_failure(action: &str, path: &Path, err: io::Error) -> Error {
    Error {
        kind: Kind::Failure,
        ..Error::io(action, path, err)
    }
}

/// Removes `path`, warning on stderr if it cannot; returns whether it is gone.
pub(crate) fn remove_file(path: &Path) -> bool {
    match fs::remove_file(path) {
        Ok(()) => true,
        Err(e) if e.kind() == io::ErrorKind::NotFound => true,
        Err(e) => {
            eprintln!("vault: warning: cannot remove {}: {e}", path.display());
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(destination: &str, contents: &str) -> FileSpec {
        FileSpec {
            destination: destination.to_owned(),
            contents: Zeroizing::new(contents.as_bytes().to_vec()),
        }
    }

    fn mode(path: &Path) -> u32 {
        fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn resolves_relative_home_and_absolute_destinations() {
        let cwd = Path::new("/work/dir");
        let home = Some(OsStr::new("/home/me"));
        assert_eq!(resolve("key.pem", cwd, home).unwrap(), cwd.join("key.pem"));
        assert_eq!(resolve("a/b.txt", cwd, home).unwrap(), cwd.join("a/b.txt"));
        assert_eq!(
            resolve("~/.ssh/id", cwd, home).unwrap(),
            Path::new("/home/me/.ssh/id")
        );
        assert_eq!(resolve("/etc/x", cwd, home).unwrap(), Path::new("/etc/x"));
        // Only `~/` is special.
        assert_eq!(resolve("~x", cwd, home).unwrap(), cwd.join("~x"));
    }

    #[test]
    fn rejects_unusable_destinations() {
        let cwd = Path::new("/w");
        assert!(resolve("", cwd, None).is_err());
        assert!(resolve("dir/", cwd, None).is_err());
        assert!(resolve("~/", cwd, Some(OsStr::new("/h"))).is_err());
        let err = resolve("~/x", cwd, None).unwrap_err();
        assert!(err.message.contains("HOME"), "{}", err.message);
    }

    #[test]
    fn existing_destination_is_a_conflict_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("taken"), "old").unwrap();
        let specs = [spec("new", "s1"), spec("taken", "s3cr3t")];
        let err = plan_in(&specs, dir.path(), None).unwrap_err();
        assert_eq!(err.kind, crate::error::Kind::Conflict);
        assert!(err.message.contains("taken"), "{}", err.message);
        assert!(!err.message.contains("s3cr3t"));
        assert!(!dir.path().join("new").exists(), "nothing is written");
    }

    #[test]
    fn dangling_symlink_counts_as_existing() {
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink("/nonexistent/target", dir.path().join("link")).unwrap();
        let err = plan_in(&[spec("link", "s")], dir.path(), None).unwrap_err();
        assert_eq!(err.kind, crate::error::Kind::Conflict);
    }

    #[test]
    fn same_destination_twice_is_a_conflict() {
        let dir = tempfile::tempdir().unwrap();
        let specs = [spec("a", "1"), spec("a", "2")];
        let err = plan_in(&specs, dir.path(), None).unwrap_err();
        assert_eq!(err.kind, crate::error::Kind::Conflict);
        assert!(err.message.contains("twice"), "{}", err.message);
    }

    #[test]
    fn parent_that_is_a_file_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("f"), "").unwrap();
        let err = plan_in(&[spec("f/x", "s")], dir.path(), None).unwrap_err();
        assert!(err.message.contains("not a directory"), "{}", err.message);
    }

    #[test]
    fn plans_missing_parents_outermost_first_without_duplicates() {
        let dir = tempfile::tempdir().unwrap();
        let specs = [spec("a/b/c.txt", "1"), spec("a/d.txt", "2")];
        let plan = plan_in(&specs, dir.path(), None).unwrap();
        assert_eq!(plan.dirs, [dir.path().join("a"), dir.path().join("a/b")]);
    }

    #[test]
    fn writes_0600_files_in_0700_dirs_and_removes_them_all() {
        let dir = tempfile::tempdir().unwrap();
        let specs = [spec("a/b/c.txt", "secret-c"), spec("top.pem", "secret-t")];
        let plan = plan_in(&specs, dir.path(), None).unwrap();
        let mut placed = plan.place().unwrap();
        placed.fill(&specs).unwrap();
        let c = dir.path().join("a/b/c.txt");
        assert_eq!(fs::read_to_string(&c).unwrap(), "secret-c");
        assert_eq!(mode(&c), 0o600);
        assert_eq!(mode(&dir.path().join("top.pem")), 0o600);
        assert_eq!(mode(&dir.path().join("a")), 0o700);
        assert_eq!(mode(&dir.path().join("a/b")), 0o700);
        assert!(placed.remove_all());
        assert!(!dir.path().join("a").exists());
        assert!(!dir.path().join("top.pem").exists());
        assert!(dir.path().exists(), "pre-existing directories stay");
    }

    #[test]
    fn created_dir_holding_other_files_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let specs = [spec("a/c.txt", "s")];
        let plan = plan_in(&specs, dir.path(), None).unwrap();
        let placed = plan.place().unwrap();
        fs::write(dir.path().join("a/other"), "made by the command").unwrap();
        drop(placed);
        assert!(!dir.path().join("a/c.txt").exists());
        assert!(dir.path().join("a/other").exists());
    }

    #[test]
    fn a_file_appearing_after_the_plan_aborts_and_cleans_up() {
        let dir = tempfile::tempdir().unwrap();
        let specs = [spec("n/first", "1"), spec("n/second", "2")];
        let plan = plan_in(&specs, dir.path(), None).unwrap();
        fs::create_dir(dir.path().join("n")).unwrap();
        fs::write(dir.path().join("n/second"), "raced").unwrap();
        let err = plan.place().unwrap_err();
        assert_eq!(err.kind, crate::error::Kind::Conflict);
        assert!(!dir.path().join("n/first").exists());
        assert_eq!(
            fs::read_to_string(dir.path().join("n/second")).unwrap(),
            "raced"
        );
        assert!(dir.path().join("n").exists(), "not created by us");
    }
}
