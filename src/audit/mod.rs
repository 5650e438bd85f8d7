//! The audit trail: who did what to which secret and when, never values.
//!
//! Each entry is one line appended to `<vault>.audit`, sealed and chained to
//! the line before (line.rs has the format): appending never rewrites the
//! vault, the log reveals nothing without the key, and a line removed, changed,
//! reordered or copied from elsewhere breaks the chain and is reported (exit 5);
//! only cutting off the newest lines cannot be told from a shorter history.
//!
//! What a command needs of it costs the same whatever the trail's length: an
//! `exec` appends one entry naming all the secrets it injected (a few KB for
//! 1,000), `last_read_at` comes from a sealed index (index.rs), `log -n N`
//! reads the trail from its end. `vault log` without `-n` reads and verifies
//! the whole chain.

mod index;
pub mod keys;
mod line;

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::vault::actor;
use crate::vault::format::VAULT_ID_LEN;
use crate::vault::model::Scope;
use index::Index;
pub use keys::{KeyId, MemberKeys, TrailKeys};
use line::{FIRST, Link, Opened};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub at: String,
    pub by: String,
    /// create, update, edit, delete, reveal, export, exec, import, passwd, unlock, lock.
    pub action: String,
    /// "org", "project", or null for vault-wide actions and for an `exec` of several secrets.
    pub scope: Option<String>,
    /// The secret's project; for an `exec` of several secrets, the project it ran for.
    pub project: Option<String>,
    pub secret: Option<String>,
    /// The secret's environment; absent for the variant of no environment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<String>,
    /// The secrets an `exec` of more than one injected (an exec of one names it
    /// in scope, project and secret, like every other entry).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secrets: Option<Vec<Target>>,
}

/// A secret by scope, project and name, as an entry names it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Target {
    pub scope: String,
    pub project: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<String>,
    pub secret: String,
}

impl Entry {
    /// An entry stamped now, by the current user.
    pub fn new(action: &str, target: Option<(&Scope, &str)>) -> Entry {
        Entry {
            at: actor::now(),
            by: actor::current(),
            action: action.to_owned(),
            scope: target.map(|(scope, _)| scope.label().to_owned()),
            project: target.and_then(|(scope, _)| scope.project().map(str::to_owned)),
            secret: target.map(|(_, name)| name.to_owned()),
            environment: None,
            secrets: None,
        }
    }

    /// The entry about the variant of `environment`.
    pub fn in_environment(mut self, environment: Option<&str>) -> Entry {
        self.environment = environment.map(str::to_owned);
        self
    }

    /// The one entry of an `exec` run for `project` that injected `read`
    /// (none if it injected nothing).
    pub fn exec(project: Option<&str>, read: &[SecretRead]) -> Option<Entry> {
        Entry::reading("exec", project, read)
    }

    /// One entry for an action that read several secrets at once (`exec`,
    /// `inject`): one secret is named as in every entry, several in `secrets`.
    pub fn reading(action: &str, project: Option<&str>, read: &[SecretRead]) -> Option<Entry> {
        match read {
            [] => None,
            [(scope, environment, name)] => {
                Some(Entry::new(action, Some((scope, name))).in_environment(*environment))
            }
            many => Some(Entry {
                scope: None,
                project: project.map(str::to_owned),
                secrets: Some(
                    many.iter()
                        .map(|(scope, environment, name)| Target {
                            scope: scope.label().to_owned(),
                            project: scope.project().map(str::to_owned),
                            environment: environment.map(str::to_owned),
                            secret: (*name).to_owned(),
                        })
                        .collect(),
                ),
                ..Entry::new(action, None)
            }),
        }
    }

    /// The secrets whose values this entry read: (scope, project, environment, name).
    pub fn reads(&self) -> impl Iterator<Item = (&str, Option<&str>, Option<&str>, &str)> {
        let is_read = matches!(
            self.action.as_str(),
            "reveal" | "export" | "exec" | "inject"
        );
        let single = match (&self.scope, &self.secret) {
            (Some(scope), Some(name)) if is_read => Some((
                scope.as_str(),
                self.project.as_deref(),
                self.environment.as_deref(),
                name.as_str(),
            )),
            _ => None,
        };
        let many = self.secrets.iter().flatten().filter(move |_| is_read);
        single.into_iter().chain(many.map(|t| {
            (
                t.scope.as_str(),
                t.project.as_deref(),
                t.environment.as_deref(),
                t.secret.as_str(),
            )
        }))
    }
}

/// A secret read: its scope, environment and name.
pub type SecretRead<'a> = (&'a Scope, Option<&'a str>, &'a str);

/// The trail of `vault`, with the trail keys its member holds.
pub fn trail(vault: &crate::vault::Vault) -> Result<Trail> {
    let (vault_id, keys) = vault
        .trail_keys()
        .ok_or_else(|| Error::failure("the vault must be opened before using its log"))?;
    Ok(Trail::new(
        vault.store.audit_path(),
        vault_id,
        MemberKeys::new(keys),
    ))
}

/// Appends to `vault`'s trail.
pub fn record(
    vault: &crate::vault::Vault,
    entries: &[Entry],
    durability: Durability,
) -> Result<()> {
    trail(vault)?.append(entries, durability)
}

/// Whether an append waits for the disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// fsync before returning: for changes, recorded beside a durable write.
    Synced,
    /// Leave the line to the kernel, which writes it out within seconds: for
    /// `exec`, which wraps every command of a script, where an fsync would
    /// cost more than everything else it does (0.5 to several ms on a busy
    /// disk). Every reader sees the line at once; only a crash of the machine
    /// in those seconds can lose it.
    Buffered,
}

/// One vault's trail, read and written with `keys`.
pub struct Trail<K: TrailKeys = MemberKeys> {
    path: PathBuf,
    vault_id: [u8; VAULT_ID_LEN],
    keys: K,
    rotate_at: u64,
}

/// The size at which a trail is archived and a new one continues its chain:
/// about 20,000 execs of 1,000 secrets.
pub const ROTATE_BYTES: u64 = 64 << 20;

/// When each secret was last read, from the index.
#[derive(Default)]
pub struct LastReads(Index);

impl LastReads {
    /// When a secret's values were last read (revealed, exported or injected).
    pub fn get(&self, scope: &Scope, environment: Option<&str>, name: &str) -> Option<String> {
        self.0
            .last_read(scope.label(), scope.project(), environment, name)
            .map(str::to_owned)
    }
}

impl<K: TrailKeys> Trail<K> {
    pub fn new(path: PathBuf, vault_id: [u8; VAULT_ID_LEN], keys: K) -> Trail<K> {
        Trail {
            path,
            vault_id,
            keys,
            rotate_at: ROTATE_BYTES,
        }
    }

    /// Rotates the trail into an archive once it reaches `bytes` (tests use a small size).
    pub fn rotating_at(mut self, bytes: u64) -> Trail<K> {
        self.rotate_at = bytes;
        self
    }

    /// Appends entries as one write under an exclusive lock on the log (created
    /// with mode 0600), chained to the last line already there, and brings the
    /// index up to date. A trail of `rotate_at` bytes is archived first.
    pub fn append(&self, entries: &[Entry], durability: Durability) -> Result<()> {
        let fail = |err| Error::io("append to audit log", &self.path, err);
        let mut file = self.open_locked().map_err(fail)?;
        let (mut len, mut link) = tail_state(&mut file).map_err(fail)?;
        if len < file.metadata().map_err(fail)?.len() {
            // A torn last line (a writer that died mid-write): cut off under the lock.
            file.set_len(len).map_err(fail)?;
        }
        let mut index = self.index_at(len, link);
        if len >= self.rotate_at {
            (file, len) = self.rotate(&file, &link).map_err(fail)?;
        }
        let mut lines = String::new();
        for entry in entries {
            let line = line::seal(&self.keys, &self.vault_id, &link, entry);
            link = line::link_after(&line);
            lines.push_str(&line);
            lines.push('\n');
            if let Some(index) = &mut index {
                index.note(entry);
            }
        }
        file.write_all(lines.as_bytes()).map_err(fail)?;
        if durability == Durability::Synced {
            file.sync_data().map_err(fail)?;
        }
        if let (Some(mut index), Some(key)) = (index, self.keys.index()) {
            index.len = len + lines.len() as u64;
            index.last = link;
            // A cache: if it cannot be written the next reader rebuilds it.
            let _ = index.save(&Index::path_for(&self.path), &self.vault_id, key);
        }
        Ok(())
    }

    /// The trail file, locked. A writer that waited for the lock while another
    /// rotated the trail holds the archive: it opens the new trail instead.
    fn open_locked(&self) -> io::Result<File> {
        loop {
            let file = OpenOptions::new()
                .read(true)
                .append(true)
                .create(true)
                .mode(0o600)
                .custom_flags(crate::vault::storage::NO_FOLLOW)
                .open(&self.path)?;
            file.lock()?;
            let (held, now) = (file.metadata()?, std::fs::metadata(&self.path)?);
            if (held.dev(), held.ino()) == (now.dev(), now.ino()) {
                return Ok(file);
            }
        }
    }

    /// Archives the trail as `<trail>.N` and puts in its place a new one whose
    /// first line says it continues archive N from `link`, its last line's
    /// link: the chain runs on across files, and deleting archives from the
    /// oldest end (pruning) leaves what remains verifiable. Returns the new
    /// trail, locked, and its length.
    fn rotate(&self, current: &File, link: &Link) -> io::Result<(File, u64)> {
        let number = segment_header(&self.path)?.map_or(1, |(n, _)| n + 1);
        let archive = archive_path(&self.path, number);
        let header = format!("{}\n", line::header(number, link));
        let mut temp = self.path.clone();
        temp.as_mut_os_string().push(".new");
        let mut next = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .custom_flags(crate::vault::storage::NO_FOLLOW)
            .open(&temp)?;
        next.lock()?;
        next.write_all(header.as_bytes())?;
        // The trail's path never goes missing: the archive is a second name
        // for it, then the new trail replaces it in one rename.
        std::fs::hard_link(&self.path, &archive)?;
        std::fs::rename(&temp, &self.path)?;
        let _ = current.sync_data();
        Ok((next, header.len() as u64))
    }

    /// The index as of a trail of `len` bytes ending in `link`: loaded if it is
    /// current, else rebuilt from the whole trail; `None` without an index key
    /// or when the trail cannot be read.
    fn index_at(&self, len: u64, link: Link) -> Option<Index> {
        let key = self.keys.index()?;
        let path = Index::path_for(&self.path);
        match Index::load(&path, &self.vault_id, key) {
            Some(index) if index.len == len && index.last == link => Some(index),
            _ => {
                let mut index = Index::empty();
                let (entries, covered, last) = self.read_verified().ok()?;
                if (covered, last) != (len, link) {
                    return None;
                }
                entries.iter().for_each(|e| index.note(e));
                (index.len, index.last) = (len, link);
                Some(index)
            }
        }
    }

    /// When each secret was last read. Costs the same whatever the trail's
    /// length while the index is current; otherwise the whole trail is read
    /// (and verified) once and the index rewritten.
    pub fn last_reads(&self) -> Result<LastReads> {
        let mut file = match File::open(&self.path) {
            Ok(file) => file,
            Err(err) if err.kind() == io::ErrorKind::NotFound => {
                return Ok(LastReads(Index::empty()));
            }
            Err(err) => return Err(Error::io("read audit log", &self.path, err)),
        };
        let (len, link) =
            tail_state(&mut file).map_err(|e| Error::io("read audit log", &self.path, e))?;
        if let Some(key) = self.keys.index() {
            let path = Index::path_for(&self.path);
            if let Some(index) = Index::load(&path, &self.vault_id, key)
                .filter(|index| index.len == len && index.last == link)
            {
                return Ok(LastReads(index));
            }
        }
        let (entries, covered, last) = self.read_verified()?;
        let mut index = Index::empty();
        entries.iter().for_each(|e| index.note(e));
        (index.len, index.last) = (covered, last);
        self.save_rebuilt(&mut index, &mut file);
        Ok(LastReads(index))
    }

    /// Writes a rebuilt index under the trail's lock, if the trail did not move
    /// on meanwhile. Best effort: without it the next reader rebuilds again.
    fn save_rebuilt(&self, index: &mut Index, file: &mut File) {
        let Some(key) = self.keys.index() else { return };
        if file.lock().is_err() {
            return;
        }
        if tail_state(file).is_ok_and(|state| state == (index.len, index.last)) {
            let _ = index.save(&Index::path_for(&self.path), &self.vault_id, key);
        }
        let _ = file.unlock();
    }

    /// The whole trail, oldest first, archives included, every line verified.
    /// A missing log is an empty trail; a torn last line is left out; any other
    /// damage is an error (exit 5). Lines sealed with a key this reader lacks
    /// are left out.
    pub fn read(&self) -> Result<Vec<Entry>> {
        self.read_verified().map(|(entries, _, _)| entries)
    }

    /// `read`, with the length of the current file's whole lines and the last one's link.
    fn read_verified(&self) -> Result<(Vec<Entry>, u64, Link)> {
        let mut segments = vec![self.path.clone()];
        let mut header = segment_header(&self.path).map_err(|e| self.io(e))?;
        while let Some((number, _)) = header {
            let archive = archive_path(&self.path, number);
            if !archive.exists() {
                // Pruned from the oldest end: the chain is verified from the
                // oldest archive kept. One missing between kept ones is damage.
                if number > 1 && archive_path(&self.path, number - 1).exists() {
                    return Err(damaged(&archive, "this archive of the trail is missing"));
                }
                break;
            }
            header = segment_header(&archive).map_err(|e| self.io(e))?;
            segments.push(archive);
        }
        let mut entries = Vec::new();
        let mut ends: Option<Link> = None;
        let mut len = 0;
        for segment in segments.iter().rev() {
            let text = match std::fs::read(segment) {
                Ok(text) => text,
                Err(err) if err.kind() == io::ErrorKind::NotFound => Vec::new(),
                Err(err) => return Err(self.io(err)),
            };
            let whole = &text[..text
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |end| end + 1)];
            let text =
                std::str::from_utf8(whole).map_err(|_| damaged(segment, "it is not text"))?;
            let mut lines = text.lines().peekable();
            let start = lines
                .peek()
                .and_then(|l| line::parse_header(l))
                .map(|(_, link)| link);
            if let (Some(start), Some(ends)) = (start, ends)
                && start != ends
            {
                return Err(damaged(
                    segment,
                    "it does not continue where its archive ends",
                ));
            }
            let link = start.unwrap_or(FIRST);
            let end = self
                .verify(link, lines, true, &mut entries)
                .map_err(|(n, why)| damaged(segment, &format!("line {n} {why}")))?;
            ends = Some(end);
            len = whole.len() as u64;
        }
        Ok((entries, len, ends.unwrap_or(FIRST)))
    }

    /// Opens `lines` in order from `link`, pushing their entries; the link
    /// after the last, or the (1-based) line that failed and why.
    /// A segment header is accepted only as the first of `lines`, and only if
    /// `from_file_start` (they begin at the start of the file).
    fn verify<'l>(
        &self,
        mut link: Link,
        lines: impl Iterator<Item = &'l str>,
        from_file_start: bool,
        entries: &mut Vec<Entry>,
    ) -> std::result::Result<Link, (usize, &'static str)> {
        for (i, text) in lines.enumerate() {
            let is_header = line::parse_header(text).is_some();
            if is_header && (i > 0 || !from_file_start) {
                return Err((i + 1, "is a segment header inside the trail"));
            }
            if !is_header {
                match line::open(&self.keys, &self.vault_id, &link, text) {
                    Ok(Opened::Entry(entry)) => entries.push(entry),
                    Ok(Opened::Hidden) => {}
                    Err(why) => return Err((i + 1, why)),
                }
            }
            link = line::link_after(text);
        }
        Ok(link)
    }

    /// The newest `count` entries, oldest first, read from the end of the
    /// trail (and of its newest archives if it holds fewer): each verified, and
    /// chained to the line before it.
    pub fn newest(&self, count: usize) -> Result<Vec<Entry>> {
        let mut path = self.path.clone();
        let mut found: Vec<Vec<Entry>> = Vec::new();
        let mut wanted = count;
        let mut continues: Option<Link> = None;
        while let Some((entries, header, last)) = self.newest_visible(&path, wanted)? {
            if continues.is_some_and(|link| link != last) {
                return Err(damaged(
                    &path,
                    "the archive does not end where the trail continues it",
                ));
            }
            wanted -= entries.len().min(wanted);
            found.push(entries);
            match header {
                Some((number, link)) if wanted > 0 => {
                    path = archive_path(&self.path, number);
                    continues = Some(link);
                }
                _ => break,
            }
        }
        Ok(found.into_iter().rev().flatten().collect())
    }

    /// The newest `count` entries this reader opens in one file, its header
    /// if its start was read, and its last link; `None` if it does not exist.
    /// A reader that opens only some lines (a project member) reads further
    /// back, doubling, until it has `count` or the file's start.
    #[allow(clippy::type_complexity)]
    fn newest_visible(
        &self,
        path: &Path,
        count: usize,
    ) -> Result<Option<(Vec<Entry>, Option<(u32, Link)>, Link)>> {
        let mut lines = count;
        loop {
            let Some((mut entries, header, last, whole)) = self.newest_in(path, lines)? else {
                return Ok(None);
            };
            if entries.len() >= count || whole {
                entries.drain(..entries.len().saturating_sub(count));
                return Ok(Some((entries, header, last)));
            }
            lines = lines.saturating_mul(2);
        }
    }

    /// The entries of the newest `count` lines of one file, its header if its
    /// start was read, its last link and whether the whole file was read;
    /// `None` if it does not exist.
    #[allow(clippy::type_complexity)]
    fn newest_in(
        &self,
        path: &Path,
        count: usize,
    ) -> Result<Option<(Vec<Entry>, Option<(u32, Link)>, Link, bool)>> {
        let mut file = match File::open(path) {
            Ok(file) => file,
            Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(err) => return Err(self.io(err)),
        };
        let tail = tail_lines(&mut file, count + 1).map_err(|e| self.io(e))?;
        let text = std::str::from_utf8(&tail.lines).map_err(|_| damaged(path, "it is not text"))?;
        let mut all: Vec<&str> = text.lines().collect();
        let header = match tail.from_start {
            true => all.first().and_then(|l| line::parse_header(l)),
            false => None,
        };
        let skipped = all.len().saturating_sub(count + 1);
        all.drain(..skipped);
        let mut from_file_start = tail.from_start && skipped == 0;
        let mut link = FIRST;
        if all.len() > count || !tail.from_start {
            // The line before the newest `count` only gives its link.
            let before = all.remove(0);
            if line::parse_header(before).is_some() && !from_file_start {
                return Err(damaged(path, "a segment header is inside the trail"));
            }
            link = line::link_after(before);
            from_file_start = false;
        }
        let total = all.len();
        let mut entries = Vec::new();
        let last = self
            .verify(link, all.into_iter(), from_file_start, &mut entries)
            .map_err(|(n, why)| {
                damaged(path, &format!("line {} from the end {why}", total + 1 - n))
            })?;
        Ok(Some((entries, header, last, from_file_start)))
    }

    fn io(&self, err: io::Error) -> Error {
        Error::io("read audit log", &self.path, err)
    }
}

/// Where archive `number` of a trail lives: `<trail>.N`.
fn archive_path(trail: &Path, number: u32) -> PathBuf {
    let mut path = trail.as_os_str().to_owned();
    path.push(format!(".{number}"));
    PathBuf::from(path)
}

/// The archive a trail file continues and the link it continues from, read
/// from its first line; `None` for a trail that starts the chain (or is empty).
fn segment_header(path: &Path) -> io::Result<Option<(u32, Link)>> {
    let mut file = match File::open(path) {
        Ok(file) => file,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(err) => return Err(err),
    };
    let mut start = [0; 128];
    let mut read = 0;
    while read < start.len() {
        match file.read(&mut start[read..])? {
            0 => break,
            n => read += n,
        }
    }
    let first = start[..read]
        .split(|&b| b == b'\n')
        .next()
        .unwrap_or_default();
    Ok(std::str::from_utf8(first).ok().and_then(line::parse_header))
}

/// The length of the whole lines and the last one's link (zeros if none).
fn tail_state(file: &mut File) -> io::Result<(u64, Link)> {
    let tail = tail_lines(file, 1)?;
    let lines = &tail.lines;
    let start_of_last = lines[..lines.len().saturating_sub(1)]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let link = match lines.len() {
        0 => FIRST,
        n => {
            line::link_after(std::str::from_utf8(&lines[start_of_last..n - 1]).unwrap_or_default())
        }
    };
    Ok((tail.end, link))
}

/// The length of the file up to its last newline (what follows it is torn).
fn whole_len(file: &mut File) -> io::Result<u64> {
    let len = file.metadata()?.len();
    let mut end = len;
    let mut buf = vec![0; 4096];
    while end > 0 {
        let start = end.saturating_sub(buf.len() as u64);
        let chunk = &mut buf[..(end - start) as usize];
        file.seek(SeekFrom::Start(start))?;
        file.read_exact(chunk)?;
        if let Some(i) = chunk.iter().rposition(|&b| b == b'\n') {
            return Ok(start + i as u64 + 1);
        }
        end = start;
    }
    Ok(0)
}

/// The end of a trail: its last whole lines.
struct Tail {
    /// At least the last `count` whole lines (all of them if there are fewer),
    /// each ending in a newline.
    lines: Vec<u8>,
    /// Whether they begin at the start of the file.
    from_start: bool,
    /// Where the whole lines end (anything after is a torn line).
    end: u64,
}

/// Reads backwards from the last newline, doubling the window, until it holds
/// `count` whole lines or the file's start.
fn tail_lines(file: &mut File, count: usize) -> io::Result<Tail> {
    let end = whole_len(file)?;
    let mut start = end;
    let mut window: Vec<u8> = Vec::new();
    let mut step = 16 * 1024;
    loop {
        let from = start.saturating_sub(step);
        let mut chunk = vec![0; (start - from) as usize];
        file.seek(SeekFrom::Start(from))?;
        file.read_exact(&mut chunk)?;
        chunk.extend_from_slice(&window);
        window = chunk;
        start = from;
        // More newlines than lines wanted: the one before them ends a line,
        // so the window holds `count` whole lines.
        let newlines = window.iter().filter(|&&b| b == b'\n').count();
        if start == 0 || newlines > count {
            break;
        }
        step *= 2;
    }
    if start > 0 {
        let mut seen = 0;
        let cut = window[..window.len() - 1]
            .iter()
            .rposition(|&b| {
                seen += usize::from(b == b'\n');
                seen == count
            })
            .map_or(0, |i| i + 1);
        window.drain(..cut);
    }
    Ok(Tail {
        lines: window,
        from_start: start == 0,
        end,
    })
}

fn damaged(path: &Path, why: &str) -> Error {
    Error::corrupt(format!(
        "audit log {} is damaged or was tampered with: {why}",
        path.display()
    ))
    .with_hint("the vault itself is unaffected; keep the damaged log for inspection and move it aside to start a new one")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vault::crypto;

    struct Setup {
        _dir: tempfile::TempDir,
        path: PathBuf,
        key: crypto::Key,
    }

    impl Setup {
        fn new() -> Setup {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("vault.toml.audit");
            Setup {
                _dir: dir,
                path,
                key: crypto::random_key(),
            }
        }

        fn trail(&self) -> Trail {
            self.trail_with(&self.key, [9; VAULT_ID_LEN])
        }

        fn trail_with(&self, key: &crypto::Key, id: [u8; VAULT_ID_LEN]) -> Trail {
            Trail::new(self.path.clone(), id, MemberKeys::single(key))
        }

        fn append(&self, entries: &[Entry]) {
            self.trail().append(entries, Durability::Synced).unwrap();
        }

        fn text(&self) -> String {
            std::fs::read_to_string(&self.path).unwrap()
        }
    }

    fn entry(action: &str, name: &str) -> Entry {
        Entry::new(action, Some((&Scope::Project("blue".into()), name)))
    }

    fn flip_byte(text: &str, at: usize) -> String {
        let mut bytes = text.as_bytes().to_vec();
        bytes[at] = if bytes[at] == b'A' { b'B' } else { b'A' };
        String::from_utf8(bytes).unwrap()
    }

    fn actions(entries: &[Entry]) -> Vec<&str> {
        entries.iter().map(|e| e.action.as_str()).collect()
    }

    #[test]
    fn appends_and_reads_back_without_plaintext_on_disk() {
        let t = Setup::new();
        let scope = Scope::Project("blue".into());
        t.append(&[entry("create", "canary-name")]);
        t.append(&[entry("reveal", "canary-name"), entry("export", "x")]);
        let entries = t.trail().read().unwrap();
        assert_eq!(actions(&entries), ["create", "reveal", "export"]);
        let reads = t.trail().last_reads().unwrap();
        assert!(reads.get(&scope, None, "canary-name").is_some());
        assert!(reads.get(&Scope::Org, None, "canary-name").is_none());
        for file in [&t.path, &Index::path_for(&t.path)] {
            let raw = std::fs::read(file).unwrap();
            assert!(!String::from_utf8_lossy(&raw).contains("canary-name"));
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(file).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn removed_reordered_or_foreign_lines_are_reported() {
        let t = Setup::new();
        for action in ["create", "update", "reveal"] {
            t.append(&[entry(action, "a")]);
        }
        let text = t.text();
        let lines: Vec<&str> = text.lines().collect();
        for tampered in [
            format!("{}\n{}\n", lines[0], lines[2]),
            format!("{}\n{}\n{}\n", lines[1], lines[0], lines[2]),
            format!("{}\n{}\n", lines[1], lines[2]),
            format!("{}\n{}\n{}\n{}\n", lines[0], lines[1], lines[1], lines[2]),
            flip_byte(&text, 30),
        ] {
            std::fs::write(&t.path, &tampered).unwrap();
            let err = t.trail().read().unwrap_err();
            assert_eq!(err.exit_code(), 5, "{tampered}");
        }
        std::fs::write(&t.path, &text).unwrap();
        let err = t.trail_with(&t.key, [1; VAULT_ID_LEN]).read().unwrap_err();
        assert_eq!(err.exit_code(), 5);
        let other = crypto::random_key();
        assert!(t.trail_with(&other, [9; VAULT_ID_LEN]).read().is_err());
    }

    #[test]
    fn the_newest_entries_come_from_the_end_and_are_verified() {
        let t = Setup::new();
        for i in 0..50 {
            t.append(&[entry("reveal", &format!("s{i}"))]);
        }
        let newest = t.trail().newest(3).unwrap();
        let names: Vec<_> = newest.iter().map(|e| e.secret.clone().unwrap()).collect();
        assert_eq!(names, ["s47", "s48", "s49"]);
        assert_eq!(t.trail().newest(80).unwrap().len(), 50);
        assert!(t.trail().newest(0).unwrap().is_empty());
        // A line removed just before the newest three breaks the oldest one's link.
        let text = t.text();
        let lines: Vec<&str> = text.lines().collect();
        let without: Vec<&str> = lines
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != 46)
            .map(|(_, l)| *l)
            .collect();
        std::fs::write(&t.path, without.join("\n") + "\n").unwrap();
        let err = t.trail().newest(3).unwrap_err();
        assert_eq!(err.exit_code(), 5);
        assert!(
            err.message.contains("line 3 from the end"),
            "{}",
            err.message
        );
    }

    #[test]
    fn an_exec_of_many_secrets_is_one_compact_entry() {
        let t = Setup::new();
        let org = Scope::Org;
        let names: Vec<String> = (0..1000).map(|i| format!("svc-{i:05}")).collect();
        let read: Vec<SecretRead> = names.iter().map(|n| (&org, None, n.as_str())).collect();
        let exec = Entry::exec(Some("blue"), &read).unwrap();
        t.append(std::slice::from_ref(&exec));
        let size = std::fs::metadata(&t.path).unwrap().len();
        assert!(
            size <= 12 * 1024,
            "{size} bytes for one exec of 1,000 secrets"
        );
        let back = t.trail().read().unwrap();
        assert_eq!(back, [exec]);
        let reads = t.trail().last_reads().unwrap();
        assert_eq!(reads.get(&org, None, "svc-00999"), Some(back[0].at.clone()));
        assert_eq!(
            reads.get(&Scope::Project("blue".into()), None, "svc-00999"),
            None
        );
    }

    #[test]
    fn a_stale_or_missing_index_is_rebuilt_from_the_verified_trail() {
        let t = Setup::new();
        let org = Scope::Org;
        t.append(&[Entry::new("reveal", Some((&org, "a")))]);
        let index = Index::path_for(&t.path);
        let first = std::fs::read(&index).unwrap();
        t.append(&[Entry {
            at: "2030-01-01T00:00:00Z".into(),
            ..Entry::new("export", Some((&org, "a")))
        }]);
        // An older index (or none) no longer matches the trail: rebuilt, not trusted.
        std::fs::write(&index, &first).unwrap();
        let reads = t.trail().last_reads().unwrap();
        assert_eq!(
            reads.get(&org, None, "a").as_deref(),
            Some("2030-01-01T00:00:00Z")
        );
        std::fs::remove_file(&index).unwrap();
        let reads = t.trail().last_reads().unwrap();
        assert_eq!(
            reads.get(&org, None, "a").as_deref(),
            Some("2030-01-01T00:00:00Z")
        );
        assert!(index.exists(), "the rebuilt index was saved");
        // A damaged trail behind a stale index is reported.
        std::fs::write(&index, &first).unwrap();
        let text = t.text();
        std::fs::write(&t.path, flip_byte(&text, 40)).unwrap();
        assert_eq!(t.trail().last_reads().err().unwrap().exit_code(), 5);
    }

    #[test]
    fn a_reader_without_a_lines_key_still_verifies_its_place() {
        /// Org entries under key 0, project entries under key 1.
        struct TwoKeys {
            org: crypto::Key,
            blue: Option<crypto::Key>,
            chain: crypto::Key,
        }
        impl TrailKeys for TwoKeys {
            fn sealing(&self, entry: &Entry) -> (KeyId, &crypto::Key) {
                match (&entry.project, &self.blue) {
                    (Some(_), Some(blue)) => (1, blue),
                    _ => (0, &self.org),
                }
            }
            fn opening(&self, id: KeyId) -> Option<&crypto::Key> {
                match id {
                    0 => Some(&self.org),
                    1 => self.blue.as_ref(),
                    _ => None,
                }
            }
            fn chain(&self) -> &crypto::Key {
                &self.chain
            }
            fn index(&self) -> Option<&crypto::Key> {
                None
            }
        }
        let t = Setup::new();
        let (org, blue, chain) = (
            crypto::random_key(),
            crypto::random_key(),
            crypto::random_key(),
        );
        let writer = Trail::new(
            t.path.clone(),
            [9; VAULT_ID_LEN],
            TwoKeys {
                org: org.clone(),
                blue: Some(blue),
                chain: chain.clone(),
            },
        );
        let org_only = Trail::new(
            t.path.clone(),
            [9; VAULT_ID_LEN],
            TwoKeys {
                org,
                blue: None,
                chain,
            },
        );
        writer
            .append(
                &[Entry::new("create", Some((&Scope::Org, "o")))],
                Durability::Synced,
            )
            .unwrap();
        writer
            .append(&[entry("create", "b")], Durability::Synced)
            .unwrap();
        writer
            .append(
                &[Entry::new("update", Some((&Scope::Org, "o")))],
                Durability::Synced,
            )
            .unwrap();
        assert_eq!(writer.read().unwrap().len(), 3);
        assert_eq!(actions(&org_only.read().unwrap()), ["create", "update"]);
        // The project line it cannot open is still in the chain: changing it is seen.
        let text = t.text();
        let lines: Vec<&str> = text.lines().collect();
        let changed = format!("{}\n{}\n{}\n", lines[0], flip_byte(lines[1], 20), lines[2]);
        std::fs::write(&t.path, changed).unwrap();
        let err = org_only.read().unwrap_err();
        assert!(
            err.message.contains("line 2 breaks the chain"),
            "{}",
            err.message
        );
    }

    #[test]
    fn a_torn_last_line_is_ignored_and_cut_off_by_the_next_append() {
        let t = Setup::new();
        t.append(&[entry("create", "a")]);
        let mut file = OpenOptions::new().append(true).open(&t.path).unwrap();
        file.write_all(b"dGhpcyB3YXMgdG9ybg").unwrap();
        drop(file);
        assert_eq!(actions(&t.trail().read().unwrap()), ["create"]);
        assert_eq!(actions(&t.trail().newest(5).unwrap()), ["create"]);
        t.append(&[entry("reveal", "a")]);
        assert_eq!(actions(&t.trail().read().unwrap()), ["create", "reveal"]);
    }

    #[test]
    fn a_long_log_chains_across_the_tail_window() {
        let t = Setup::new();
        let long = "n".repeat(120);
        for _ in 0..300 {
            t.append(&[entry("reveal", &long)]);
        }
        assert!(std::fs::metadata(&t.path).unwrap().len() > 64 * 1024);
        t.append(&[entry("delete", "last")]);
        let entries = t.trail().read().unwrap();
        assert_eq!(entries.len(), 301);
        assert_eq!(entries[300].action, "delete");
        assert_eq!(t.trail().newest(200).unwrap().len(), 200);
    }

    #[test]
    fn a_full_trail_rotates_into_archives_that_stay_chained() {
        let t = Setup::new();
        let small = || t.trail().rotating_at(2048);
        let org = Scope::Org;
        for i in 0..40 {
            let entry = Entry::new("reveal", Some((&org, &format!("s{i:02}"))));
            small().append(&[entry], Durability::Synced).unwrap();
        }
        let archive = |n: u32| archive_path(&t.path, n);
        assert!(
            archive(1).exists() && archive(2).exists(),
            "rotated twice or more"
        );
        assert!(t.text().starts_with("continues "));
        let all = small().read().unwrap();
        let names: Vec<String> = all.iter().map(|e| e.secret.clone().unwrap()).collect();
        let expected: Vec<String> = (0..40).map(|i| format!("s{i:02}")).collect();
        assert_eq!(
            names, expected,
            "every entry, oldest first, across the archives"
        );
        let newest = small().newest(30).unwrap();
        assert_eq!(newest.len(), 30, "-n reaches into the archives");
        assert_eq!(newest[29].secret.as_deref(), Some("s39"));
        assert_eq!(newest[0].secret.as_deref(), Some("s10"));
        assert!(
            small()
                .last_reads()
                .unwrap()
                .get(&org, None, "s00")
                .is_some()
        );
        // The index lost: rebuilt from the archives too.
        std::fs::remove_file(Index::path_for(&t.path)).unwrap();
        assert!(
            small()
                .last_reads()
                .unwrap()
                .get(&org, None, "s00")
                .is_some()
        );

        // A line removed from an archive, or an archive swapped, is reported.
        let kept = std::fs::read_to_string(archive(2)).unwrap();
        let lines: Vec<&str> = kept.lines().collect();
        std::fs::write(archive(2), lines[..lines.len() - 1].join("\n") + "\n").unwrap();
        assert_eq!(small().read().unwrap_err().exit_code(), 5);
        std::fs::write(archive(2), &kept).unwrap();
        let middle = std::fs::read(archive(2)).unwrap();
        std::fs::remove_file(archive(2)).unwrap();
        let err = small().read().unwrap_err();
        assert!(err.message.contains("missing"), "{}", err.message);
        std::fs::write(archive(2), middle).unwrap();

        // Pruning from the oldest end keeps the rest verifiable.
        std::fs::remove_file(archive(1)).unwrap();
        let pruned = small().read().unwrap();
        assert!(pruned.len() < 40 && pruned.last().unwrap().secret.as_deref() == Some("s39"));
    }

    #[test]
    fn a_forged_segment_header_cannot_hide_a_removed_line() {
        let t = Setup::new();
        for i in 0..6 {
            t.append(&[entry("reveal", &format!("s{i}"))]);
        }
        let text = t.text();
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        // Line 4 links to line 3: a header carrying that link in its place
        // would let line 4 verify, were headers accepted anywhere but first.
        lines[2] = line::header(1, &line::link_after(&lines[2]));
        std::fs::write(&t.path, lines.join("\n") + "\n").unwrap();
        assert_eq!(t.trail().read().unwrap_err().exit_code(), 5);
        for count in [3, 4, 5] {
            let err = t.trail().newest(count).unwrap_err();
            assert_eq!(err.exit_code(), 5, "-n {count}");
        }
    }

    #[test]
    fn version_1_lines_are_still_read_and_chained() {
        let t = Setup::new();
        let id = [9; VAULT_ID_LEN];
        let old = entry("create", "a");
        let json = serde_json::to_vec(&old).unwrap();
        let aad = [b"vault/audit\n".as_slice(), &id, &FIRST].concat();
        let (nonce, sealed) = crypto::seal(&t.key, &aad, &json);
        use base64::Engine;
        let v1 =
            base64::engine::general_purpose::STANDARD.encode([nonce.as_slice(), &sealed].concat());
        std::fs::write(&t.path, format!("{v1}\n")).unwrap();
        t.append(&[entry("reveal", "a")]);
        assert_eq!(actions(&t.trail().read().unwrap()), ["create", "reveal"]);
        assert_eq!(actions(&t.trail().newest(1).unwrap()), ["reveal"]);
    }
}
