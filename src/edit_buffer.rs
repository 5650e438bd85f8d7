//! The file holding a whole secret, in plaintext, while `vault edit` runs the editor.
//!
//! - It lives in a fresh private directory (0700, the file 0600, the editor's swap and
//!   backup files beside it) in memory-backed storage that does not survive a reboot:
//!   `$XDG_RUNTIME_DIR/vault`, else `/dev/shm` (under a random name no one can take
//!   first), else the user's own state directory (`session::fallback_runtime_dir`).
//!   Never under a fixed name in the shared temp dir.
//! - It is overwritten and removed however the edit ends: on return, on error, and on
//!   SIGHUP (a dropped SSH session), SIGTERM, SIGINT and SIGQUIT, which are caught
//!   while the editor runs.
//! - A directory left by a `vault` killed outright (SIGKILL) is removed by the next
//!   command ([`sweep`]): its name holds the pid and start time of its owner.

use std::fs::{self, DirBuilder, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicI32, Ordering};

use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
use signal_hook::iterator::{Handle, Signals};

use crate::error::{Error, Result};
use crate::exec::journal;
use crate::session;
use crate::vault::crypto;

const SHM: &str = "/dev/shm";

/// Where buffers go, and the prefix of their directories' names there.
struct Base {
    dir: PathBuf,
    prefix: String,
}

/// The places tried in order; `create` makes the private ones it needs.
fn bases() -> Vec<Base> {
    let uid = nix::unistd::getuid();
    let mut bases = Vec::new();
    if let Some(runtime) = std::env::var_os("XDG_RUNTIME_DIR").filter(|d| Path::new(d).is_dir()) {
        bases.push(Base {
            dir: PathBuf::from(runtime).join("vault"),
            prefix: "edit-".into(),
        });
    }
    if Path::new(SHM).is_dir() {
        bases.push(Base {
            dir: PathBuf::from(SHM),
            prefix: format!("vault-{uid}-edit-"),
        });
    }
    if let Ok(dir) = session::fallback_runtime_dir() {
        bases.push(Base {
            dir,
            prefix: "edit-".into(),
        });
    }
    bases
}

/// The buffer: removed, with its directory, when dropped.
pub struct EditBuffer {
    dir: PathBuf,
    path: PathBuf,
}

impl EditBuffer {
    /// A new buffer named after the secret (so editors pick TOML), holding `text`.
    pub fn create(secret_name: &str, text: &str) -> Result<EditBuffer> {
        sweep();
        let dir = private_dir()?;
        let buffer = EditBuffer {
            path: dir.join(format!("{secret_name}.toml")),
            dir,
        };
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&buffer.path)
            .map_err(|err| Error::io("create", &buffer.path, err))?;
        file.write_all(text.as_bytes())
            .map_err(|err| Error::io("write", &buffer.path, err))?;
        Ok(buffer)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn read(&self) -> Result<String> {
        fs::read_to_string(&self.path).map_err(|err| {
            Error::usage(format!("cannot read the edited file: {err}"))
                .with_hint("nothing was written")
        })
    }

    /// Until the guard drops, SIGHUP, SIGTERM, SIGINT and SIGQUIT wipe the buffer, pass
    /// the signal on to the editor (`editor`, once it holds a pid) and end `vault`
    /// with 128 + the signal: an interrupted edit writes nothing.
    pub fn remove_on_signals(&self, editor: Arc<AtomicI32>) -> Result<SignalGuard> {
        let mut signals = Signals::new([SIGHUP, SIGTERM, SIGINT, SIGQUIT])
            .map_err(|e| Error::failure(format!("cannot set up signal handling: {e}")))?;
        let handle = signals.handle();
        let dir = self.dir.clone();
        let thread = std::thread::spawn(move || {
            if let Some(signal) = signals.forever().next() {
                wipe(&dir);
                let pid = editor.load(Ordering::SeqCst);
                if pid > 0
                    && let Ok(signal) = nix::sys::signal::Signal::try_from(signal)
                {
                    let _ = nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), signal);
                }
                eprintln!("Edit interrupted by a signal: nothing written.");
                std::process::exit(128 + signal);
            }
        });
        Ok(SignalGuard {
            handle,
            thread: Some(thread),
        })
    }
}

impl Drop for EditBuffer {
    fn drop(&mut self) {
        wipe(&self.dir);
    }
}

/// Restores the signals' usual effect when dropped.
pub struct SignalGuard {
    handle: Handle,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for SignalGuard {
    fn drop(&mut self) {
        self.handle.close();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// A fresh 0700 directory in the first base that works, named after this process.
fn private_dir() -> Result<PathBuf> {
    let owner = journal::Owner::current()?;
    let mut last_error = Error::failure("no private place for the edit buffer");
    for base in bases() {
        if base.prefix == "edit-"
            && let Err(err) = session::private_dir(&base.dir)
        {
            last_error = err;
            continue;
        }
        let name = format!(
            "{}{}-{}-{}",
            base.prefix,
            owner.pid,
            owner.start_time,
            crypto::hex(&crypto::random_bytes::<8>())
        );
        let dir = base.dir.join(name);
        // Not recursive: this must create the directory itself, never reuse one.
        match DirBuilder::new().mode(0o700).create(&dir) {
            Ok(()) => return Ok(dir),
            Err(err) => last_error = Error::io("create directory", &dir, err),
        }
    }
    Err(last_error)
}

/// Removes the buffers whose owner is gone. Best effort, and quick: called by every
/// command. Reads only; creates nothing.
pub fn sweep() {
    let uid = nix::unistd::getuid().as_raw();
    for base in bases() {
        let Ok(entries) = fs::read_dir(&base.dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(owner) = name.to_str().and_then(|n| n.strip_prefix(&base.prefix)) else {
                continue;
            };
            let ours = fs::symlink_metadata(entry.path())
                .is_ok_and(|meta| meta.is_dir() && meta.uid() == uid);
            if ours && owner_is_gone(owner) {
                wipe(&entry.path());
            }
        }
    }
}

/// `owner` is `<pid>-<start time>-<random>`.
fn owner_is_gone(owner: &str) -> bool {
    let mut parts = owner.split('-');
    let pid = parts.next().and_then(|p| p.parse().ok());
    let start_time = parts.next().and_then(|t| t.parse().ok());
    match (pid, start_time) {
        (Some(pid), Some(start_time)) => journal::process_is_gone(pid, start_time),
        _ => false,
    }
}

/// Overwrites every file in `dir` (the buffer, an editor's swap and backup files) with
/// zeros, then removes the directory. Editors may have replaced the buffer by rename,
/// so what is there now is overwritten, never followed through a symlink.
fn wipe(dir: &Path) {
    if let Ok(entries) = fs::read_dir(dir) {
        for entry in entries.flatten() {
            let Ok(meta) = fs::symlink_metadata(entry.path()) else {
                continue;
            };
            if !meta.is_file() {
                continue;
            }
            if let Ok(mut file) = OpenOptions::new()
                .write(true)
                .custom_flags(nix::libc::O_NOFOLLOW)
                .open(entry.path())
            {
                let _ = file.write_all(&vec![0; meta.len() as usize]);
                let _ = file.sync_all();
            }
        }
    }
    let _ = fs::remove_dir_all(dir);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owners_are_parsed_from_names() {
        let me = journal::Owner::current().unwrap();
        assert!(!owner_is_gone(&format!(
            "{}-{}-ab12",
            me.pid, me.start_time
        )));
        assert!(owner_is_gone(&format!(
            "{}-{}-ab12",
            me.pid,
            me.start_time + 1
        )));
        assert!(!owner_is_gone("not-a-pid"));
    }
}
