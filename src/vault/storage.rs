//! Where the vault file lives and how it is replaced: a sidecar lock around every
//! read-modify-write, and an atomic, durable swap (temporary file, fsync, rename,
//! fsync of the directory) that keeps the previous version as `<file>.bak`.

use std::fs::{self, DirBuilder, File, OpenOptions, TryLockError};
use std::io::{self, Read, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::error::{Error, Result};

/// The largest vault file `vault` reads: anything larger is refused (exit 5) before
/// a byte is read, so a huge or endless file cannot exhaust memory. The format has no
/// limit of its own on the number of secrets; at 1 MiB per file and 64 KiB per value
/// this leaves room for hundreds of full-size secrets. The format module may change it.
pub const MAX_VAULT_FILE_BYTES: u64 = 256 << 20;

/// Vault files from this size on are mapped rather than read.
const MAP_FROM_BYTES: u64 = 1 << 20;

/// A vault file's bytes, read or mapped.
pub enum FileBytes {
    Read(Vec<u8>),
    Mapped(memmap2::Mmap),
}

impl std::ops::Deref for FileBytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            FileBytes::Read(bytes) => bytes,
            FileBytes::Mapped(map) => map,
        }
    }
}

impl<T: AsRef<[u8]> + ?Sized> From<&T> for FileBytes {
    fn from(bytes: &T) -> FileBytes {
        FileBytes::Read(bytes.as_ref().to_vec())
    }
}

impl From<Vec<u8>> for FileBytes {
    fn from(bytes: Vec<u8>) -> FileBytes {
        FileBytes::Read(bytes)
    }
}

/// How many symlinks `Store::new` follows before giving up (as the kernel's MAXSYMLINKS).
const MAX_SYMLINKS: usize = 40;

/// Sidecar files are never opened through a symlink: in a directory others can write
/// to, a planted link would make `vault` create, truncate or append to their choice.
pub const NO_FOLLOW: i32 = nix::libc::O_NOFOLLOW | nix::libc::O_CLOEXEC;

/// How long a writer waits for another one before giving up (exit 6).
const DEFAULT_LOCK_TIMEOUT: Duration = Duration::from_secs(30);
const LOCK_POLL: Duration = Duration::from_millis(10);

/// The vault file's path and the files kept beside it.
#[derive(Debug, Clone)]
pub struct Store {
    path: PathBuf,
}

/// Holds the vault's write lock until dropped. The lock is on a sidecar file,
/// since each write swaps the vault file's inode; the kernel releases it when
/// the process dies, so a killed writer never blocks the next one.
#[derive(Debug)]
pub struct WriteLock {
    _file: File,
}

impl Store {
    /// A vault path that is a symlink is resolved once, here (a dangling one too), so
    /// that the lock, the backup, the audit trail and the atomic replace all act on
    /// the target, and the link stays a link.
    pub fn new(path: PathBuf) -> Store {
        Store {
            path: resolve_links(path),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn backup_path(&self) -> PathBuf {
        self.sibling("bak")
    }

    pub fn lock_path(&self) -> PathBuf {
        self.sibling("lock")
    }

    pub fn audit_path(&self) -> PathBuf {
        self.sibling("audit")
    }

    fn sibling(&self, extension: &str) -> PathBuf {
        let mut name = self.path.file_name().unwrap_or_default().to_os_string();
        name.push(".");
        name.push(extension);
        self.path.with_file_name(name)
    }

    fn dir(&self) -> &Path {
        match self.path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        }
    }

    pub fn exists(&self) -> bool {
        self.path.exists()
    }

    /// Reads the raw bytes; a missing file is "not found" with a hint to `vault init`.
    /// Only a regular file of at most [`MAX_VAULT_FILE_BYTES`] is read (exit 5 otherwise,
    /// before reading), and never more than that even if it grows meanwhile.
    pub fn read(&self) -> Result<FileBytes> {
        let file = File::open(&self.path).map_err(|err| self.read_error(err))?;
        let meta = file.metadata().map_err(|err| self.read_error(err))?;
        if !meta.is_file() {
            return Err(self.unreadable("it is not a regular file"));
        }
        if meta.len() > MAX_VAULT_FILE_BYTES {
            return Err(self.too_large());
        }
        if meta.len() >= MAP_FROM_BYTES {
            return self.map(&file);
        }
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        file.take(MAX_VAULT_FILE_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|err| self.read_error(err))?;
        if bytes.len() as u64 > MAX_VAULT_FILE_BYTES {
            return Err(self.too_large());
        }
        Ok(FileBytes::Read(bytes))
    }

    /// Maps a large vault file instead of copying it: reading one secret of
    /// 10,000 then costs no 7 MB copy into fresh pages. Writers replace the
    /// file by rename, never in place, so the mapped file does not change.
    /// The mapping is populated up front: every page is read anyway (the
    /// checksum), and one call that maps them all cost 0.3 ms at 7 MB where
    /// taking them as page faults cost 1.3 ms on this VM. Asked for huge pages
    /// first, a file read from disk comes into the page cache in 2 MiB pieces,
    /// mapped by a few page-table entries instead of 1,700: at 7 MB that is
    /// 1 ms less on every later read, as for a file just written in one piece
    /// (by `vault` or by git). Either advice may be refused (an older kernel,
    /// a file system without large folios): the mapping works as before.
    fn map(&self, file: &File) -> Result<FileBytes> {
        // SAFETY: the mapping is read-only and `vault` never writes a vault file
        // in place. Another program truncating it while it is read would end
        // this process with SIGBUS, which loses nothing: no write is under way.
        let map =
            unsafe { memmap2::MmapOptions::new().map(file) }.map_err(|err| self.read_error(err))?;
        let _ = map.advise(memmap2::Advice::HugePage);
        if map.advise(memmap2::Advice::PopulateRead).is_err() {
            let _ = map.advise(memmap2::Advice::WillNeed);
        }
        Ok(FileBytes::Mapped(map))
    }

    fn too_large(&self) -> Error {
        self.unreadable(&format!(
            "it is larger than {} MiB, the most a vault file can hold",
            MAX_VAULT_FILE_BYTES >> 20
        ))
    }

    fn unreadable(&self, why: &str) -> Error {
        Error::corrupt(format!(
            "the vault file {} is unreadable: {why}",
            self.path.display()
        ))
    }

    /// Fails as `read` would when there is no vault file, without reading it.
    pub fn check_exists(&self) -> Result<()> {
        fs::metadata(&self.path)
            .map(drop)
            .map_err(|err| self.read_error(err))
    }

    fn read_error(&self, err: io::Error) -> Error {
        if err.kind() == io::ErrorKind::NotFound {
            Error::not_found(format!("no vault at {}", self.path.display()))
                .with_hint("create one with `vault init`, or point --vault / VAULT_FILE at yours")
        } else {
            Error::io("read vault file", &self.path, err)
        }
    }

    /// True when the vault file can be read by the group or others.
    pub fn is_exposed(&self) -> bool {
        fs::metadata(&self.path).is_ok_and(|m| m.permissions().mode() & 0o077 != 0)
    }

    /// True when others than the owner may create, rename or delete files in the
    /// vault's directory (sticky directories such as /tmp included: names can still be
    /// taken there first).
    pub fn dir_is_shared(&self) -> bool {
        fs::metadata(self.dir()).is_ok_and(|m| m.permissions().mode() & 0o022 != 0)
    }

    /// Creates the vault's directory (0700) if missing.
    pub fn create_dir(&self) -> Result<()> {
        DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(self.dir())
            .map_err(|err| Error::io("create directory", self.dir(), err))
    }

    /// Takes the write lock, waiting for another writer up to a timeout
    /// (`VAULT_LOCK_TIMEOUT` seconds, default 30).
    pub fn lock(&self) -> Result<WriteLock> {
        let lock_path = self.lock_path();
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .mode(0o600)
            .custom_flags(NO_FOLLOW)
            .open(&lock_path)
            .map_err(|err| Error::io("open lock file", &lock_path, err))?;
        let timeout = lock_timeout();
        let start = Instant::now();
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(WriteLock { _file: file }),
                Err(TryLockError::WouldBlock) if start.elapsed() < timeout => {
                    std::thread::sleep(LOCK_POLL)
                }
                Err(TryLockError::WouldBlock) => {
                    return Err(Error::conflict(format!(
                        "another vault process has held the lock on {} for over {}s",
                        self.path.display(),
                        timeout.as_secs()
                    ))
                    .with_hint("try again when it has finished"));
                }
                Err(TryLockError::Error(err)) => {
                    return Err(Error::io("lock", &lock_path, err));
                }
            }
        }
    }

    /// Writes a brand-new vault file; fails with "conflict" if one exists.
    pub fn create(&self, _lock: &WriteLock, bytes: &[u8]) -> Result<()> {
        if self.exists() {
            return Err(self.already_exists());
        }
        let temp = self.write_temp(bytes)?;
        temp.persist_noclobber(&self.path)
            .map_err(|err| match err.error.kind() {
                io::ErrorKind::AlreadyExists => self.already_exists(),
                _ => Error::io("write vault file", &self.path, err.error),
            })?;
        self.sync_dir()
    }

    pub fn already_exists(&self) -> Error {
        Error::conflict(format!("a vault already exists at {}", self.path.display()))
            .with_hint("use it, or choose another path with --vault")
    }

    /// Atomically replaces the vault file, keeping the current one as `.bak`.
    pub fn replace(&self, _lock: &WriteLock, bytes: &[u8]) -> Result<()> {
        self.sweep_temp_files();
        let temp = self.write_temp(bytes)?;
        self.keep_backup()?;
        temp.persist(&self.path)
            .map_err(|err| Error::io("replace vault file", &self.path, err.error))?;
        self.sync_dir()
    }

    /// A temporary file beside the vault (mode 0600), written and fsynced.
    fn write_temp(&self, bytes: &[u8]) -> Result<tempfile::NamedTempFile> {
        check_size(bytes)?;
        let mut temp = tempfile::Builder::new()
            .prefix(&self.temp_prefix())
            .suffix(".tmp")
            .permissions(fs::Permissions::from_mode(0o600))
            .tempfile_in(self.dir())
            .map_err(|err| Error::io("create a temporary file in", self.dir(), err))?;
        temp.write_all(bytes)
            .and_then(|()| temp.as_file().sync_all())
            .map_err(|err| Error::io("write", temp.path(), err))?;
        Ok(temp)
    }

    fn temp_prefix(&self) -> String {
        format!(
            ".{}.",
            self.path.file_name().unwrap_or_default().to_string_lossy()
        )
    }

    /// Under the lock, any temporary file of ours belongs to a writer that died
    /// before its rename: remove it.
    fn sweep_temp_files(&self) {
        let prefix = self.temp_prefix();
        let Ok(entries) = fs::read_dir(self.dir()) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with(&prefix) && name.ends_with(".tmp") {
                let _ = fs::remove_file(entry.path());
            }
        }
    }

    /// Makes `.bak` the current version. Each write swaps in a new inode, so a
    /// hard link preserves the old one without copying it.
    fn keep_backup(&self) -> Result<()> {
        let backup = self.backup_path();
        let staging = self.dir().join(format!("{}bak.tmp", self.temp_prefix()));
        let _ = fs::remove_file(&staging);
        let linked = fs::hard_link(&self.path, &staging).or_else(|_| {
            fs::copy(&self.path, &staging)?;
            fs::set_permissions(&staging, fs::Permissions::from_mode(0o600))?;
            File::open(&staging)?.sync_all()
        });
        match linked {
            Ok(()) => {
                fs::rename(&staging, &backup)
                    .map_err(|err| Error::io("keep backup", &backup, err))?;
                // After a writer killed before its rename, `.bak` is already a
                // link to the vault file, and rename(2) between two links of
                // one inode does nothing: drop the staging link it leaves.
                let _ = fs::remove_file(&staging);
                Ok(())
            }
            Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(err) => Err(Error::io("keep backup", &backup, err)),
        }
    }

    fn sync_dir(&self) -> Result<()> {
        File::open(self.dir())
            .and_then(|dir| dir.sync_all())
            .map_err(|err| Error::io("sync directory", self.dir(), err))
    }
}

/// Follows `path` while it is a symlink, relative targets against the link's own
/// directory; a dangling link resolves to where it points, so that `init` creates
/// the vault there and every other command looks for it there.
fn resolve_links(mut path: PathBuf) -> PathBuf {
    for _ in 0..MAX_SYMLINKS {
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {}
            _ => return path,
        }
        let Ok(target) = fs::read_link(&path) else {
            return path;
        };
        path = match path.parent() {
            Some(dir) => dir.join(target),
            None => target,
        };
    }
    path
}

/// A vault file larger than `read` accepts is never written (exit 2): the
/// write would replace a readable vault with one that no command can open.
/// Each secret is bounded when it is sealed, but many can add up.
pub fn check_size(bytes: &[u8]) -> Result<()> {
    if bytes.len() as u64 > MAX_VAULT_FILE_BYTES {
        return Err(Error::usage(format!(
            "the vault would be {} MiB, more than the {} MiB a vault file can hold; nothing was written",
            bytes.len() >> 20,
            MAX_VAULT_FILE_BYTES >> 20
        ))
        .with_hint("delete secrets or files that are no longer needed, or keep some in another vault"));
    }
    Ok(())
}

fn lock_timeout() -> Duration {
    std::env::var("VAULT_LOCK_TIMEOUT")
        .ok()
        .and_then(|secs| secs.parse::<f64>().ok())
        .filter(|secs| secs.is_finite() && *secs >= 0.0)
        .map_or(DEFAULT_LOCK_TIMEOUT, Duration::from_secs_f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replace_keeps_the_previous_version_as_backup() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path().join("vault.toml"));
        let lock = store.lock().unwrap();
        store.create(&lock, b"one").unwrap();
        store.replace(&lock, b"two").unwrap();
        assert_eq!(fs::read(store.path()).unwrap(), b"two");
        assert_eq!(fs::read(store.backup_path()).unwrap(), b"one");
        for path in [
            store.path().to_owned(),
            store.backup_path(),
            store.lock_path(),
        ] {
            let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{}", path.display());
        }
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty());
    }

    #[test]
    fn a_vault_larger_than_reads_accept_is_never_written() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path().join("vault.toml"));
        let lock = store.lock().unwrap();
        // Zeroed and never touched: the allocation costs no memory.
        let too_large = vec![0u8; MAX_VAULT_FILE_BYTES as usize + 1];
        assert_eq!(store.create(&lock, &too_large).unwrap_err().exit_code(), 2);
        assert!(!store.exists());
        store.create(&lock, b"one").unwrap();
        let err = store.replace(&lock, &too_large).unwrap_err();
        assert_eq!(err.exit_code(), 2, "{}", err.message);
        assert_eq!(fs::read(store.path()).unwrap(), b"one");
        assert!(!store.backup_path().exists());
        let exactly = &too_large[..MAX_VAULT_FILE_BYTES as usize];
        assert!(check_size(exactly).is_ok());
    }

    #[test]
    fn create_refuses_an_existing_vault() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path().join("vault.toml"));
        let lock = store.lock().unwrap();
        store.create(&lock, b"one").unwrap();
        assert_eq!(store.create(&lock, b"two").unwrap_err().exit_code(), 6);
        assert_eq!(fs::read(store.path()).unwrap(), b"one");
    }
}
