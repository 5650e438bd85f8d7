//! The runtime journal: a record, in `vault`'s private runtime directory, of the files and
//! directories a running `vault exec` has put on disk, so that when `vault` is killed
//! outright (SIGKILL, the OOM killer) the next `vault exec` can [`sweep`] them up.
//!
//! A journal names its owner by pid, process start time, boot id and PID namespace: a pid
//! alone could have been reused by an unrelated process, and means nothing in another
//! PID namespace (a container sharing the directory), where the sweep cannot tell a
//! live run from a dead one and so leaves it alone. Its file name adds a random run id,
//! so that runs with the same pid in two namespaces never share a journal. It holds
//! paths, never contents.

use std::ffi::OsString;
use std::fs;
use std::io::{self, Write};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, Result};
use crate::exec::files::{self, Placed, Plan};

/// The process that wrote a journal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Owner {
    pub(crate) pid: u32,
    /// Field 22 of /proc/<pid>/stat: clock ticks from boot to the process's start.
    pub(crate) start_time: u64,
    /// /proc/sys/kernel/random/boot_id; empty if unreadable. Start times restart at boot.
    pub(crate) boot_id: String,
    /// The target of /proc/self/ns/pid (`pid:[4026531836]`); empty if unreadable (and in
    /// journals of older versions).
    #[serde(default)]
    pub(crate) pid_namespace: String,
    /// Random, per run: the journal's name is unique even across PID namespaces.
    #[serde(default)]
    pub(crate) run_id: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct Record {
    owner: Owner,
    files: Vec<Entry>,
    /// Directories created for the files, parents before their children.
    dirs: Vec<StoredPath>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Entry {
    path: StoredPath,
    /// (device, inode) once the file exists; `None` in the journal written before creating it.
    id: Option<(u64, u64)>,
}

/// The journal of this process's `vault exec`. Dropping it deletes it, unless [`kept`].
///
/// [`kept`]: Journal::keep
#[derive(Debug)]
pub(crate) struct Journal {
    path: PathBuf,
    record: Record,
    keep: bool,
}

impl Journal {
    /// Records the plan (paths and directories to create) before anything is created.
    pub(crate) fn begin(runtime_dir: &Path, plan: &Plan) -> Result<Journal> {
        let owner = Owner::current()?;
        let record = Record {
            files: plan.paths.iter().map(|p| Entry::new(p, None)).collect(),
            dirs: plan.dirs.iter().cloned().map(StoredPath).collect(),
            owner,
        };
        Journal::write_new(runtime_dir, record)
    }

    fn write_new(runtime_dir: &Path, record: Record) -> Result<Journal> {
        let name = format!("exec-{}-{}.json", record.owner.pid, record.owner.run_id);
        let journal = Journal {
            path: runtime_dir.join(name),
            record,
            keep: false,
        };
        journal.save()?;
        Ok(journal)
    }

    /// Records what was actually created, with the files' identities.
    pub(crate) fn record(&mut self, placed: &Placed) -> Result<()> {
        let files = placed.files().iter().map(|f| &f.entry);
        self.record.files = files.map(|f| Entry::new(&f.path, Some(f.id))).collect();
        let dirs = placed.dirs().iter();
        self.record.dirs = dirs.map(|d| StoredPath(d.path.clone())).collect();
        self.save()
    }

    /// Leaves the journal on disk for a later sweep: something it lists is still there.
    pub(crate) fn keep(&mut self) {
        self.keep = true;
    }

    fn save(&self) -> Result<()> {
        let json = serde_json::to_vec(&self.record)
            .map_err(|e| Error::failure(format!("cannot encode the exec journal: {e}")))?;
        write_atomically(&self.path, &json).map_err(|e| files::io_failure("write", &self.path, e))
    }
}

impl Drop for Journal {
    fn drop(&mut self) {
        if !self.keep {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// Write-then-rename, so a sweep never reads half a journal. The temporary file is 0600.
///
/// Not fsynced. The journal is for a `vault` killed outright (SIGKILL, the OOM
/// killer): the kernel then still holds everything written, and the next sweep
/// reads it as written, whatever reached the disk. What it does not cover is a
/// crash of the machine, and an fsync would not make it cover one: the secret
/// files are not made durable either (that would put the secrets on disk on
/// purpose), and a journal that did not reach the disk lists files that did not
/// either, bar the kernel's own write-back order. An fsync apiece cost `vault
/// exec` more than a millisecond per journal write.
fn write_atomically(path: &Path, data: &[u8]) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new().prefix(".exec-").tempfile_in(dir)?;
    tmp.write_all(data)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

impl Entry {
    fn new(path: &Path, id: Option<(u64, u64)>) -> Entry {
        Entry {
            path: StoredPath(path.to_path_buf()),
            id,
        }
    }
}

/// Removes what `vault exec` runs whose owner is gone left behind, and their journals.
/// Journals of live runs, and those that cannot be read, are left alone.
/// Returns how many journals were swept.
pub fn sweep(runtime_dir: &Path) -> Result<usize> {
    let entries = match fs::read_dir(runtime_dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(files::io_failure("read", runtime_dir, e)),
    };
    let mut swept = 0;
    for entry in entries.flatten() {
        if is_journal_name(&entry.file_name()) && sweep_one(&entry.path()) {
            swept += 1;
        }
    }
    Ok(swept)
}

fn is_journal_name(name: &std::ffi::OsStr) -> bool {
    let name = name.as_bytes();
    name.starts_with(b"exec-") && name.ends_with(b".json")
}

fn sweep_one(journal: &Path) -> bool {
    let Some(record) = load(journal) else {
        return false;
    };
    if !record.owner.is_gone() || !remove_leftovers(&record) {
        return false;
    }
    fs::remove_file(journal).is_ok()
}

fn load(journal: &Path) -> Option<Record> {
    let bytes = fs::read(journal).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Returns false if a file of the record is still there.
fn remove_leftovers(record: &Record) -> bool {
    let mut clean = true;
    for entry in &record.files {
        clean &= remove_if_ours(entry);
    }
    for dir in record.dirs.iter().rev() {
        // Only if empty: anything else in it is not ours.
        let _ = fs::remove_dir(&dir.0);
    }
    clean
}

fn remove_if_ours(entry: &Entry) -> bool {
    let path = &entry.path.0;
    let meta = match fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) => return e.kind() == io::ErrorKind::NotFound,
    };
    let ours = match entry.id {
        Some((dev, ino)) => meta.dev() == dev && meta.ino() == ino,
        // The owner died before journaling the file's identity, which it does before
        // writing a byte into it: only its empty placeholder can be there.
        None => meta.is_file() && meta.len() == 0 && meta.uid() == nix::unistd::geteuid().as_raw(),
    };
    !ours || files::remove_file(path)
}

impl Owner {
    pub(crate) fn current() -> Result<Owner> {
        let stat = fs::read_to_string("/proc/self/stat")
            .map_err(|e| files::io_failure("read", Path::new("/proc/self/stat"), e))?;
        let (_, start_time) =
            parse_stat(&stat).ok_or_else(|| Error::failure("cannot parse /proc/self/stat"))?;
        Ok(Owner {
            pid: std::process::id(),
            start_time,
            boot_id: boot_id(),
            pid_namespace: pid_namespace(),
            run_id: crate::vault::crypto::hex(&crate::vault::crypto::random_bytes::<8>()),
        })
    }

    /// True when the owner is certainly not running: a previous boot, or in our PID
    /// namespace no such pid, a zombie, or another process under a reused pid. When
    /// unsure (another namespace, whose pids we cannot see), false.
    fn is_gone(&self) -> bool {
        let this_boot = boot_id();
        if !self.boot_id.is_empty() && !this_boot.is_empty() && self.boot_id != this_boot {
            return true;
        }
        // A journal of an older `vault` names no namespace: it was written on the
        // assumption that there is one, as before, so that its files are still swept.
        if !self.pid_namespace.is_empty() && self.pid_namespace != pid_namespace() {
            return false;
        }
        process_is_gone(self.pid, self.start_time)
    }
}

/// True when no process `pid` that started at `start_time` (clock ticks after boot) is
/// running in our PID namespace: no such pid, a zombie, or another process under a
/// reused pid. When unsure (no /proc), false.
pub(crate) fn process_is_gone(pid: u32, start_time: u64) -> bool {
    let stat = match fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => stat,
        // Without a mounted /proc, every pid would look dead.
        Err(_) if !Path::new("/proc/self/stat").exists() => return false,
        Err(e) => {
            return e.kind() == io::ErrorKind::NotFound
                || e.raw_os_error() == Some(nix::libc::ESRCH);
        }
    };
    match parse_stat(&stat) {
        Some((state, started)) => matches!(state, 'Z' | 'X') || started != start_time,
        None => false,
    }
}

fn pid_namespace() -> String {
    fs::read_link("/proc/self/ns/pid")
        .map(|target| target.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn boot_id() -> String {
    fs::read_to_string("/proc/sys/kernel/random/boot_id")
        .map(|id| id.trim().to_owned())
        .unwrap_or_default()
}

/// (state, start time) from the text of /proc/<pid>/stat. The command name (field 2) may
/// hold spaces and parentheses, so fields are counted from the last `)`.
fn parse_stat(stat: &str) -> Option<(char, u64)> {
    let after_name = &stat[stat.rfind(')')? + 1..];
    let mut fields = after_name.split_whitespace();
    let state = fields.next()?.chars().next()?; // field 3
    let start_time = fields.nth(18)?.parse().ok()?; // field 22
    Some((state, start_time))
}

/// A path in JSON: a string when it is UTF-8, else its bytes, so no path is unrecordable.
#[derive(Debug, Clone, PartialEq)]
struct StoredPath(PathBuf);

impl Serialize for StoredPath {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0.to_str() {
            Some(text) => serializer.serialize_str(text),
            None => self.0.as_os_str().as_bytes().serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for StoredPath {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<StoredPath, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Repr {
            Text(String),
            Bytes(Vec<u8>),
        }
        Ok(StoredPath(match Repr::deserialize(deserializer)? {
            Repr::Text(text) => PathBuf::from(text),
            Repr::Bytes(bytes) => PathBuf::from(OsString::from_vec(bytes)),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;
    use std::process::Command;

    /// The pid and start time of a process that has exited (and been reaped).
    fn dead_owner() -> Owner {
        let child = Command::new("true").spawn().unwrap();
        let pid = child.id();
        let mut child = child;
        child.wait().unwrap();
        Owner {
            pid,
            start_time: 1,
            boot_id: boot_id(),
            pid_namespace: pid_namespace(),
            run_id: "dead".into(),
        }
    }

    fn record(owner: Owner, files: &[(&Path, Option<(u64, u64)>)], dirs: &[&Path]) -> Record {
        Record {
            owner,
            files: files.iter().map(|(p, id)| Entry::new(p, *id)).collect(),
            dirs: dirs.iter().map(|d| StoredPath(d.to_path_buf())).collect(),
        }
    }

    fn id_of(path: &Path) -> Option<(u64, u64)> {
        let meta = fs::metadata(path).unwrap();
        Some((meta.dev(), meta.ino()))
    }

    #[test]
    fn parses_stat_with_awkward_command_names() {
        let mut fields: Vec<String> = (3..=52).map(|n| n.to_string()).collect();
        fields[0] = "S".into();
        fields[19] = "123456".into();
        let stat = format!("42 (a) b (c)) {}", fields.join(" "));
        assert_eq!(parse_stat(&stat), Some(('S', 123456)));
        assert_eq!(parse_stat("42 (x"), None);
    }

    #[test]
    fn this_process_is_alive_and_others_are_not() {
        let me = Owner::current().unwrap();
        assert_eq!(me.pid, std::process::id());
        assert!(!me.is_gone());
        let reused = Owner {
            start_time: me.start_time + 1,
            ..me.clone()
        };
        assert!(
            reused.is_gone(),
            "a different start time means a reused pid"
        );
        let other_boot = Owner {
            boot_id: "another-boot".into(),
            ..me.clone()
        };
        assert!(other_boot.is_gone());
        assert!(dead_owner().is_gone());
        let elsewhere = Owner {
            pid_namespace: "pid:[1]".into(),
            ..dead_owner()
        };
        assert!(
            !elsewhere.is_gone(),
            "a pid of another namespace proves nothing"
        );
    }

    #[test]
    fn two_runs_with_one_pid_never_share_a_journal() {
        let runtime = tempfile::tempdir().unwrap();
        let plan = Plan {
            paths: vec![PathBuf::from("/x/one")],
            dirs: vec![],
        };
        let first = Journal::begin(runtime.path(), &plan).unwrap();
        let second = Journal::begin(runtime.path(), &plan).unwrap();
        assert_ne!(first.path, second.path);
        assert_eq!(fs::read_dir(runtime.path()).unwrap().count(), 2);
    }

    #[test]
    fn journal_is_private_and_removed_when_dropped() {
        let runtime = tempfile::tempdir().unwrap();
        let plan = Plan {
            paths: vec![PathBuf::from("/x/key.pem")],
            dirs: vec![PathBuf::from("/x")],
        };
        let journal = Journal::begin(runtime.path(), &plan).unwrap();
        let path = journal.path.clone();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            name.starts_with(&format!("exec-{}-", std::process::id())),
            "{name}"
        );
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains("/x/key.pem"), "{text}");
        assert_eq!(sweep(runtime.path()).unwrap(), 0, "our own journal is live");
        drop(journal);
        assert!(!path.exists());
    }

    #[test]
    fn sweep_removes_what_a_dead_owner_left() {
        let runtime = tempfile::tempdir().unwrap();
        let work = tempfile::tempdir().unwrap();
        let dir = work.path().join("made");
        fs::create_dir(&dir).unwrap();
        let file = dir.join("key.pem");
        fs::write(&file, "secret").unwrap();
        let rec = record(dead_owner(), &[(&file, id_of(&file))], &[&dir]);
        Journal::write_new(runtime.path(), rec).unwrap().keep();
        assert_eq!(sweep(runtime.path()).unwrap(), 1);
        assert!(!file.exists());
        assert!(!dir.exists());
        assert_eq!(fs::read_dir(runtime.path()).unwrap().count(), 0);
    }

    #[test]
    fn sweep_leaves_live_owners_alone() {
        let runtime = tempfile::tempdir().unwrap();
        let work = tempfile::tempdir().unwrap();
        let file = work.path().join("key.pem");
        fs::write(&file, "secret").unwrap();
        let rec = record(Owner::current().unwrap(), &[(&file, id_of(&file))], &[]);
        let journal = Journal::write_new(runtime.path(), rec).unwrap();
        assert_eq!(sweep(runtime.path()).unwrap(), 0);
        assert!(file.exists());
        drop(journal);
    }

    #[test]
    fn sweep_spares_files_that_are_not_the_ones_written() {
        let runtime = tempfile::tempdir().unwrap();
        let work = tempfile::tempdir().unwrap();
        let replaced = work.path().join("replaced");
        fs::write(&replaced, "new, the user's").unwrap();
        let placeholder = work.path().join("placeholder");
        fs::write(&placeholder, "").unwrap();
        let unfilled = work.path().join("unfilled-but-not-empty");
        fs::write(&unfilled, "the user's").unwrap();
        let files = [
            (replaced.as_path(), Some((0, 0))),
            (placeholder.as_path(), None),
            (unfilled.as_path(), None),
        ];
        let journal = Journal::write_new(runtime.path(), record(dead_owner(), &files, &[]));
        journal.unwrap().keep();
        assert_eq!(sweep(runtime.path()).unwrap(), 1);
        assert!(replaced.exists());
        assert!(!placeholder.exists(), "an empty placeholder is removed");
        assert!(unfilled.exists());
    }

    #[test]
    fn sweep_ignores_a_missing_dir_and_unreadable_journals() {
        let runtime = tempfile::tempdir().unwrap();
        assert_eq!(sweep(&runtime.path().join("absent")).unwrap(), 0);
        fs::write(runtime.path().join("exec-1.json"), "{not json").unwrap();
        fs::write(runtime.path().join("other.txt"), "").unwrap();
        assert_eq!(sweep(runtime.path()).unwrap(), 0);
        assert!(runtime.path().join("exec-1.json").exists());
    }

    #[test]
    fn non_utf8_paths_round_trip() {
        let path = PathBuf::from(OsString::from_vec(b"/tmp/\xff\xfe".to_vec()));
        let json = serde_json::to_string(&StoredPath(path.clone())).unwrap();
        let back: StoredPath = serde_json::from_str(&json).unwrap();
        assert_eq!(back.0, path);
        let text: StoredPath = serde_json::from_str("\"/a/b\"").unwrap();
        assert_eq!(text.0, Path::new("/a/b"));
    }
}
