//! `vault exec --pty` (and `--mask` on a terminal): the command runs on a
//! pseudo-terminal, and what it writes is masked on the master side on its way
//! to the real terminal.
//!
//! The command gets a terminal of its own (`isatty`, colours, line editing,
//! full-screen programs all work): it is the session leader of the
//! pseudo-terminal, whose settings and size start as the real terminal's. The
//! real terminal is put in raw mode while the command runs, so every key
//! (Ctrl-C, Ctrl-Z, Ctrl-\ included) reaches the pseudo-terminal as typed,
//! and the pseudo-terminal's line discipline turns them into signals for the
//! command's foreground process group, as a terminal would.
//!
//! The real terminal's settings are restored however `vault` ends (a drop
//! guard, and a panic hook for a panicking thread); SIGINT, SIGTERM, SIGHUP and
//! SIGQUIT sent to `vault` are forwarded and `vault` waits for the command.
//! When the command stops, `vault` restores the terminal and stops too, so
//! the shell's job control sees the job stop; on `fg` it sets raw mode again
//! and resumes the command. (A Ctrl-Z typed is SIGTSTP to the command, which
//! the kernel drops: a session leader's process group is orphaned. A shell
//! run as the command handles Ctrl-Z for its own jobs.) After the command exits, `vault`
//! passes on what is left to read and closes the master side, which hangs up
//! whatever the command left in the background, as a terminal emulator does
//! when its shell exits.
//!
//! Built on nix's `openpty` and `termios` (already a dependency) rather than
//! a pty crate: the crates spawn the child themselves, and `vault` needs std's
//! `Command` for its environment, core-limit and error handling.

use std::fs::File;
use std::io::{self, IsTerminal, Read, Write};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, Once, PoisonError};
use std::thread::{self, JoinHandle};

use nix::errno::Errno;
use nix::fcntl::{FcntlArg, FdFlag, fcntl};
use nix::libc;
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use nix::pty::{Winsize, openpty};
use nix::sys::signal::{Signal, kill, killpg};
use nix::sys::termios::{self, SetArg, Termios};
use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use nix::unistd::{Pid, getpid};
use signal_hook::consts::{SIGCHLD, SIGCONT, SIGWINCH};

use crate::exec::mask::{self, Masker};
use crate::exec::signals::{self, Supervisor};

/// How long the helper threads wait in `poll` before looking at their stop
/// flag, and how long output may pause after the command exits before the
/// master side is closed.
const TICK_MS: u8 = 50;

/// Whether stdin and stdout are both terminals, which `--pty` needs.
pub fn available() -> bool {
    io::stdin().is_terminal() && io::stdout().is_terminal()
}

/// A pseudo-terminal for the command, set up like the real one.
pub(crate) struct Pty {
    master: OwnedFd,
    slave: OwnedFd,
}

impl Pty {
    /// Opens a pseudo-terminal with the real terminal's settings and size.
    pub(crate) fn open() -> io::Result<Pty> {
        let settings = termios::tcgetattr(io::stdin()).ok();
        let pair = openpty(window_size().as_ref(), settings.as_ref())?;
        for fd in [&pair.master, &pair.slave] {
            // Neither end may leak into the command (it gets the slave as its
            // stdio) nor into anything else `vault` starts.
            fcntl(fd, FcntlArg::F_SETFD(FdFlag::FD_CLOEXEC))?;
        }
        Ok(Pty {
            master: pair.master,
            slave: pair.slave,
        })
    }

    /// Makes `command` run on the pseudo-terminal: the slave as its stdin,
    /// stdout and stderr, in a new session whose controlling terminal it is.
    pub(crate) fn attach(&self, command: &mut Command) -> io::Result<()> {
        command
            .stdin(Stdio::from(self.slave.try_clone()?))
            .stdout(Stdio::from(self.slave.try_clone()?))
            .stderr(Stdio::from(self.slave.try_clone()?));
        // SAFETY: runs between fork and exec, where only async-signal-safe
        // calls are allowed: setsid and ioctl are system calls. std has made
        // the slave the child's fd 0 by then.
        unsafe {
            command.pre_exec(|| {
                nix::unistd::setsid()?;
                if libc::ioctl(0, libc::TIOCSCTTY, 0) == -1 {
                    return Err(io::Error::last_os_error());
                }
                Ok(())
            });
        }
        Ok(())
    }

    /// Passes keys to the command and its masked output to the real terminal
    /// until it exits, forwarding signals, window sizes and job control;
    /// returns how the command ended.
    pub(crate) fn run(
        self,
        child: Child,
        masker: Arc<Masker>,
        supervisor: &mut Supervisor,
    ) -> io::Result<ExitStatus> {
        // Only the command holds the slave now: its exit ends the output.
        drop(self.slave);
        for signal in [SIGWINCH, SIGCONT] {
            supervisor.add_signal(signal)?;
        }
        let raw = RawMode::enter();
        let stop = Arc::new(AtomicBool::new(false));
        let master = File::from(self.master);
        let output = start_output(master.try_clone()?, masker, Arc::clone(&stop))?;
        // Detached: it may sit in a write to a command that reads nothing.
        start_input(master.try_clone()?, Arc::clone(&stop))?;
        let status = wait(&child, &master, supervisor, &raw);
        stop.store(true, Ordering::Release);
        let _ = output.join();
        drop(raw);
        status
    }
}

/// Waits for the command, handling the signals `vault` receives meanwhile.
fn wait(
    child: &Child,
    master: &File,
    supervisor: &mut Supervisor,
    raw: &RawMode,
) -> io::Result<ExitStatus> {
    let pid = Pid::from_raw(child.id() as i32);
    loop {
        match waitpid(pid, Some(WaitPidFlag::WUNTRACED | WaitPidFlag::WNOHANG)) {
            Ok(WaitStatus::Exited(_, code)) => return Ok(ExitStatus::from_raw((code & 0xff) << 8)),
            Ok(WaitStatus::Signaled(_, signal, _)) => {
                return Ok(ExitStatus::from_raw(signal as i32));
            }
            Ok(WaitStatus::Stopped(..)) => stop_with_child(pid, master, raw),
            Ok(_) | Err(Errno::EINTR) => {}
            Err(e) => return Err(e.into()),
        }
        let Some((signal, sender)) = supervisor.next_signal() else {
            continue;
        };
        match signal {
            SIGCHLD => {}
            SIGWINCH => resize(master),
            SIGCONT => {
                // Stopped from outside and continued: the shell may have
                // reset the terminal meanwhile.
                raw.set();
                resize(master);
            }
            signal => {
                if signals::should_forward(signal, sender, pid)
                    && let Ok(signal) = Signal::try_from(signal)
                {
                    let _ = kill(pid, signal);
                }
            }
        }
    }
}

/// The command stopped (Ctrl-Z reached it): `vault` gives the terminal back
/// and stops too, so the shell sees the job stop; when continued, it takes
/// the terminal again and continues the command.
fn stop_with_child(child: Pid, master: &File, raw: &RawMode) {
    raw.restore();
    let _ = kill(getpid(), Signal::SIGTSTP);
    // Running again (`fg`).
    raw.set();
    resize(master);
    let _ = killpg(child, Signal::SIGCONT);
}

/// The real terminal's size, from stdout.
fn window_size() -> Option<Winsize> {
    let mut size: Winsize = unsafe { std::mem::zeroed() };
    // SAFETY: TIOCGWINSZ writes a winsize into the struct it is given.
    let ok = unsafe { libc::ioctl(io::stdout().as_raw_fd(), libc::TIOCGWINSZ, &mut size) } == 0;
    ok.then_some(size)
}

/// Gives the pseudo-terminal the real terminal's size; the kernel then sends
/// SIGWINCH to the command's foreground process group.
fn resize(master: &File) {
    if let Some(size) = window_size() {
        // SAFETY: TIOCSWINSZ reads a winsize from the struct it is given.
        unsafe { libc::ioctl(master.as_raw_fd(), libc::TIOCSWINSZ, &size) };
    }
}

/// Copies the command's output from the master side to `vault`'s stdout
/// through the masker, until the command has exited and nothing more comes.
fn start_output(
    master: File,
    masker: Arc<Masker>,
    stop: Arc<AtomicBool>,
) -> io::Result<JoinHandle<()>> {
    let out = File::from(io::stdout().as_fd().try_clone_to_owned()?);
    thread::Builder::new()
        .name("vault-pty-out".into())
        .spawn(move || {
            signals::block_in_this_thread();
            let reader = MasterReader { master, stop };
            if let Err(e) = mask::pump(&masker, reader, out)
                && e.kind() != io::ErrorKind::BrokenPipe
            {
                eprintln!("vault: warning: cannot pass the command's output on: {e}");
            }
        })
}

/// Reads the master side; end of file once the command has exited and the
/// output paused for a tick, or once nothing holds the slave side any more
/// (Linux reports that as EIO).
struct MasterReader {
    master: File,
    stop: Arc<AtomicBool>,
}

impl Read for MasterReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if !readable(self.master.as_fd())? {
                match self.stop.load(Ordering::Acquire) {
                    true => return Ok(0),
                    false => continue,
                }
            }
            return match self.master.read(buf) {
                Err(e) if e.raw_os_error() == Some(libc::EIO) => Ok(0),
                other => other,
            };
        }
    }
}

/// Whether `fd` has something to read (or has hung up) within a tick.
fn readable(fd: BorrowedFd<'_>) -> io::Result<bool> {
    let mut fds = [PollFd::new(fd, PollFlags::POLLIN)];
    match poll(&mut fds, PollTimeout::from(TICK_MS)) {
        Ok(n) => Ok(n > 0),
        Err(Errno::EINTR) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Copies keys from the real terminal to the master side until `stop`.
fn start_input(mut master: File, stop: Arc<AtomicBool>) -> io::Result<()> {
    let stdin = io::stdin().as_fd().try_clone_to_owned()?;
    thread::Builder::new()
        .name("vault-pty-in".into())
        .spawn(move || {
            signals::block_in_this_thread();
            let mut stdin = File::from(stdin);
            let mut buf = [0; 4096];
            while !stop.load(Ordering::Acquire) {
                match readable(stdin.as_fd()) {
                    Ok(false) => continue,
                    Ok(true) => {}
                    Err(_) => return,
                }
                if stop.load(Ordering::Acquire) {
                    return;
                }
                match stdin.read(&mut buf) {
                    // The terminal is gone: nothing more will be typed.
                    Ok(0) | Err(_) => return,
                    Ok(n) => {
                        if master.write_all(&buf[..n]).is_err() {
                            return;
                        }
                    }
                }
            }
        })?;
    Ok(())
}

/// The real terminal's settings before raw mode, for the panic hook.
static SAVED: Mutex<Option<libc::termios>> = Mutex::new(None);

/// The real terminal in raw mode; dropping it restores the settings.
struct RawMode {
    saved: Option<Termios>,
}

impl RawMode {
    fn enter() -> RawMode {
        let saved = termios::tcgetattr(io::stdin()).ok();
        if let Some(saved) = &saved {
            *SAVED.lock().unwrap_or_else(PoisonError::into_inner) = Some(saved.clone().into());
            install_panic_hook();
        }
        let raw = RawMode { saved };
        raw.set();
        raw
    }

    /// Raw mode: no echo, no line editing, no signals from keys (they go to
    /// the pseudo-terminal, whose own settings decide what they do).
    fn set(&self) {
        if let Some(saved) = &self.saved {
            let mut raw = saved.clone();
            termios::cfmakeraw(&mut raw);
            let _ = termios::tcsetattr(io::stdin(), SetArg::TCSADRAIN, &raw);
        }
    }

    fn restore(&self) {
        if let Some(saved) = &self.saved {
            let _ = termios::tcsetattr(io::stdin(), SetArg::TCSADRAIN, saved);
        }
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        self.restore();
        *SAVED.lock().unwrap_or_else(PoisonError::into_inner) = None;
    }
}

/// A panic anywhere restores the terminal before the message is printed (and
/// before a panic in the main thread ends `vault`).
fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let saved = *SAVED.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(saved) = saved {
                // SAFETY: tcsetattr reads the termios struct it is given.
                unsafe { libc::tcsetattr(0, libc::TCSADRAIN, &saved) };
            }
            previous(info);
        }));
    });
}
