//! The files `vault exec` gives the command: resolving where they go (relative to the
//! working directory, `~/` under `$HOME`), refusing to overwrite anything, writing them
//! 0600 in the directories it had to create (0700), and removing all of that afterwards.
//!
//! Everything is created and removed through a handle on the directory it is in, and
//! removed only if it is still the very file (device and inode) `vault` created: a
//! command that swaps a directory for a symlink cannot make `vault` delete a file it
//! never wrote, and what the command put in the place of a file of ours stays.

use std::collections::HashSet;
use std::ffi::{OsStr, OsString};
use std::fs::{self, File, Permissions};
use std::io::{self, Write};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use nix::errno::Errno;
use nix::fcntl::{AtFlags, OFlag, openat};
use nix::sys::stat::{Mode, fstatat, mkdirat};
use nix::unistd::{UnlinkatFlags, unlinkat};
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
            if let Some(created) = create_dir(dir)? {
                placed.dirs.push(created);
            }
        }
        for path in &self.paths {
            placed.files.push(create_file(path)?);
        }
        Ok(placed)
    }
}

/// A directory entry `vault` created: the handle of the directory it is in, its name
/// there, and its identity, so that it is removed only while it is still the same one.
#[derive(Debug)]
pub(crate) struct Entry {
    pub(crate) path: PathBuf,
    pub(crate) id: (u64, u64),
    parent: File,
    name: OsString,
}

/// The directory holding `path`, opened, and the name of `path` in it.
fn open_parent(path: &Path) -> Result<(File, OsString)> {
    let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else {
        return Err(Error::usage(format!(
            "invalid file destination {}: it must name a file",
            path.display()
        )));
    };
    let parent = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    };
    let dir = File::open(parent).map_err(|e| io_failure("open directory", parent, e))?;
    Ok((dir, name.to_owned()))
}

fn identity(dir: &File, name: &OsStr) -> nix::Result<(u64, u64)> {
    let stat = fstatat(dir, name, AtFlags::AT_SYMLINK_NOFOLLOW)?;
    Ok((stat.st_dev as u64, stat.st_ino as u64))
}

/// `Some` when this call created the directory (and so must remove it).
fn create_dir(dir: &Path) -> Result<Option<Entry>> {
    let (parent, name) = open_parent(dir)?;
    match mkdirat(&parent, name.as_os_str(), Mode::from_bits_truncate(0o700)) {
        Ok(()) => {}
        // Made meanwhile by someone else: theirs, not ours to remove.
        Err(Errno::EEXIST) => return Ok(None),
        Err(e) => return Err(io_failure("create directory", dir, e.into())),
    }
    let id = identity(&parent, &name).map_err(|e| io_failure("check", dir, e.into()))?;
    Ok(Some(Entry {
        path: dir.to_path_buf(),
        id,
        parent,
        name,
    }))
}

fn create_file(path: &Path) -> Result<PlacedFile> {
    let (parent, name) = open_parent(path)?;
    let flags =
        OFlag::O_WRONLY | OFlag::O_CREAT | OFlag::O_EXCL | OFlag::O_NOFOLLOW | OFlag::O_CLOEXEC;
    let fd = openat(
        &parent,
        name.as_os_str(),
        flags,
        Mode::from_bits_truncate(0o600),
    )
    .map_err(|e| match e {
        Errno::EEXIST => already_exists(&path.to_string_lossy(), path),
        _ => io_failure("create", path, e.into()),
    })?;
    let file = File::from(fd);
    let entry = |id| Entry {
        path: path.to_path_buf(),
        id,
        parent,
        name,
    };
    match pin_mode(&file) {
        Ok(id) => Ok(PlacedFile {
            entry: entry(id),
            handle: Some(file),
        }),
        Err(e) => {
            drop(file);
            // Still ours: nothing else has run since it was created.
            let _ = entry((0, 0)).remove_unchecked();
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

/// A file `vault` created, identified by device and inode so that neither the cleanup
/// nor a later sweep removes a file someone else has since put at the same path.
#[derive(Debug)]
pub(crate) struct PlacedFile {
    pub(crate) entry: Entry,
    /// Open until removed: while it is, the kernel cannot reuse its inode for a file
    /// the command puts in its place, so the identity check cannot be fooled.
    handle: Option<File>,
}

/// The files and directories `vault` created; dropping it removes them.
#[derive(Debug, Default)]
pub(crate) struct Placed {
    files: Vec<PlacedFile>,
    /// Only those this run created, parents before their children.
    dirs: Vec<Entry>,
}

impl Entry {
    /// Removes the entry if it is still the one created, through the directory handle
    /// (so wherever that directory is now). Returns false, after a warning, when
    /// something else is there now, or the path no longer leads to it: the journal
    /// is then kept for the sweep.
    fn remove(&self, is_dir: bool) -> bool {
        match identity(&self.parent, &self.name) {
            Err(Errno::ENOENT) => return self.path_still_leads_here(),
            Err(e) => {
                warn(&format!("cannot check {}: {e}", self.path.display()));
                return false;
            }
            Ok(id) if id != self.id => {
                warn(&format!(
                    "{} was replaced while the command ran; leaving what is there now",
                    self.path.display()
                ));
                return false;
            }
            Ok(_) => {}
        }
        let flag = match is_dir {
            true => UnlinkatFlags::RemoveDir,
            false => UnlinkatFlags::NoRemoveDir,
        };
        match unlinkat(&self.parent, self.name.as_os_str(), flag) {
            Ok(()) => self.path_still_leads_here(),
            // A directory the command left something in is its, with what it holds.
            Err(Errno::ENOTEMPTY | Errno::EEXIST) if is_dir => true,
            Err(e) => {
                warn(&format!("cannot remove {}: {e}", self.path.display()));
                false
            }
        }
    }

    /// Nothing of ours is left in our directory; but if the path now leads to another
    /// directory (one above was moved or replaced by a symlink), say so.
    fn path_still_leads_here(&self) -> bool {
        let moved = match File::open(self.path.parent().unwrap_or(Path::new("."))) {
            Ok(dir) => same_file(&dir, &self.parent).is_some_and(|same| !same),
            Err(e) => e.kind() == io::ErrorKind::NotFound,
        };
        if moved {
            warn(&format!(
                "a directory above {} was moved or replaced while the command ran; \
                 vault removed only what it had written",
                self.path.display()
            ));
        }
        true
    }

    fn remove_unchecked(&self) -> nix::Result<()> {
        unlinkat(
            &self.parent,
            self.name.as_os_str(),
            UnlinkatFlags::NoRemoveDir,
        )
    }
}

fn same_file(a: &File, b: &File) -> Option<bool> {
    let (a, b) = (a.metadata().ok()?, b.metadata().ok()?);
    Some(a.dev() == b.dev() && a.ino() == b.ino())
}

fn warn(message: &str) {
    eprintln!("vault: warning: {}", crate::output::escape_control(message));
}

impl Placed {
    pub(crate) fn files(&self) -> &[PlacedFile] {
        &self.files
    }

    pub(crate) fn dirs(&self) -> &[Entry] {
        &self.dirs
    }

    /// Writes each spec's contents into its file (same order as the plan). Not
    /// fsynced: the command reads them through the kernel, which has them, and
    /// they are removed when it ends; forcing a secret onto the disk would only
    /// make it outlive the run in more places.
    pub(crate) fn fill(&mut self, specs: &[FileSpec]) -> Result<()> {
        for (placed, spec) in self.files.iter_mut().zip(specs) {
            let Some(file) = placed.handle.as_mut() else {
                continue;
            };
            file.write_all(&spec.contents)
                .map_err(|e| io_failure("write", &placed.entry.path, e))?;
        }
        Ok(())
    }

    /// Removes the files, then the directories created for them, innermost first and only
    /// if empty (anything else in them is not ours). Returns false if the journal must be
    /// kept: a file could not be removed, or its place was taken by something else.
    pub(crate) fn remove_all(&mut self) -> bool {
        let mut clean = true;
        for file in self.files.drain(..) {
            clean &= file.entry.remove(false);
            drop(file.handle);
        }
        for dir in self.dirs.drain(..).rev() {
            clean &= dir.remove(true);
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
