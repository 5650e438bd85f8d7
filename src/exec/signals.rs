//! Signals during `vault exec`: SIGINT, SIGTERM, SIGHUP and SIGQUIT sent to `vault` are
//! passed on to the command, except those the terminal already delivered to it, and
//! `vault` waits for the command's own shutdown rather than dying first.

use std::io;
use std::process::{Child, ExitStatus};

use nix::libc::{self, c_int};
use nix::sys::signal::{SigSet, Signal, kill};
use nix::unistd::{Pid, getpgid, getpgrp, getpid, getsid};
use signal_hook::consts::{SIGCHLD, SIGHUP, SIGINT, SIGQUIT, SIGTERM};
use signal_hook::iterator::exfiltrator::WithRawSiginfo;
use signal_hook::iterator::{Handle, SignalsInfo};

/// The signals passed on to the command.
pub(crate) const FORWARDED: [c_int; 4] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT];

/// Receives `vault`'s signals while the command runs.
pub(crate) struct Supervisor {
    // Raw siginfo rather than signal-hook's `WithOrigin`, which needs its
    // `extended-siginfo` feature and a C compiler: only si_code and si_pid are read.
    signals: SignalsInfo<WithRawSiginfo>,
}

impl Supervisor {
    /// Catches the forwarded signals, and SIGCHLD to learn when the command ends. Must run
    /// before spawning, so that no signal is missed between spawning and waiting.
    ///
    /// A signal `vault` inherited as ignored (`nohup`, `cmd &` in a script) is left
    /// ignored: the command inherits that too, and forwarding it would defeat it.
    pub(crate) fn install() -> io::Result<Supervisor> {
        let mut wanted: Vec<c_int> = FORWARDED.into_iter().filter(|&s| !is_ignored(s)).collect();
        wanted.push(SIGCHLD);
        let signals = SignalsInfo::with_exfiltrator(wanted, WithRawSiginfo)?;
        Ok(Supervisor { signals })
    }

    pub(crate) fn handle(&self) -> Handle {
        self.signals.handle()
    }

    /// Forwards signals to `child` until it exits; returns how it ended.
    ///
    /// Only this thread reaps the child, so its pid cannot be reused while a signal may
    /// still be sent to it: until reaped, an exited child stays a zombie holding its pid.
    pub(crate) fn wait(&mut self, child: &mut Child) -> io::Result<ExitStatus> {
        let pid = Pid::from_raw(child.id() as i32);
        loop {
            if let Some(status) = child.try_wait()? {
                return Ok(status);
            }
            let Some(info) = self.signals.forever().next() else {
                return child.wait();
            };
            let signal = info.si_signo;
            if signal != SIGCHLD
                && should_forward(signal, sender(&info), pid)
                && let Ok(signal) = Signal::try_from(signal)
            {
                let _ = kill(pid, signal);
            }
        }
    }

    /// Catches one more signal (the pseudo-terminal's SIGWINCH and SIGCONT).
    pub(crate) fn add_signal(&self, signal: c_int) -> io::Result<()> {
        self.signals.add_signal(signal)
    }

    /// The next signal received and its sender (`None`: the kernel), for a
    /// caller that waits for the command its own way (`exec::pty`).
    pub(crate) fn next_signal(&mut self) -> Option<(c_int, Option<libc::pid_t>)> {
        let info = self.signals.forever().next()?;
        Some((info.si_signo, sender(&info)))
    }

    /// Once the command has exited: returns when the [`handle`](Self::handle) is closed or
    /// at the first forwarded signal. With nobody left to forward it to, a signal now
    /// means "stop waiting", e.g. for a background process still holding a pipe.
    pub(crate) fn wait_for_close_or_signal(&mut self) {
        for info in self.signals.forever() {
            if info.si_signo != SIGCHLD {
                return;
            }
        }
    }
}

/// The pid of the process that sent a signal; `None` when the kernel did (SI_KERNEL: the
/// terminal's ^C, ^\ and hangups) or the code carries no sender.
fn sender(info: &libc::siginfo_t) -> Option<libc::pid_t> {
    let sent = matches!(
        info.si_code,
        libc::SI_USER | libc::SI_QUEUE | libc::SI_TKILL | libc::SI_MESGQ
    );
    // SAFETY: for these codes the kernel fills in the si_pid member of the union.
    sent.then(|| unsafe { info.si_pid() })
}

/// Whether a signal `vault` received should be passed to the command, `sender` being the
/// pid of the process that sent it, `None` when the kernel did.
pub(crate) fn should_forward(signal: c_int, sender: Option<libc::pid_t>, child: Pid) -> bool {
    match sender {
        // The command signalling `vault`: it knows; echoing it back would only surprise it.
        Some(pid) => pid != child.as_raw(),
        None => !terminal_reached_child(signal, child),
    }
}

/// A kernel-sent SIGINT/SIGQUIT comes from the terminal (^C, ^\), which sends it to its
/// whole foreground process group: the command has it already if it is still in ours.
/// Same for SIGHUP, except that on hangup the session leader alone gets it: if that is
/// `vault`, the command has not.
fn terminal_reached_child(signal: c_int, child: Pid) -> bool {
    let same_group = getpgid(Some(child)).is_ok_and(|group| group == getpgrp());
    let leader_hangup = signal == SIGHUP && getsid(None).is_ok_and(|sid| sid == getpid());
    same_group && !leader_hangup
}

fn is_ignored(signal: c_int) -> bool {
    // SAFETY: a null new action makes sigaction only report the current one, into a
    // zeroed struct of the right type that outlives the call.
    unsafe {
        let mut current: libc::sigaction = std::mem::zeroed();
        libc::sigaction(signal, std::ptr::null(), &mut current) == 0
            && current.sa_sigaction == libc::SIG_IGN
    }
}

/// Blocks the supervised signals in the calling thread, so they are handled by the
/// supervising one and never interrupt a helper thread's reads and writes.
pub(crate) fn block_in_this_thread() {
    let mut set = SigSet::empty();
    for signal in FORWARDED.into_iter().chain([SIGCHLD]) {
        if let Ok(signal) = Signal::try_from(signal) {
            set.add(signal);
        }
    }
    let _ = set.thread_block();
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Command;

    #[test]
    fn signals_from_other_processes_are_forwarded() {
        let child = Pid::from_raw(999_999);
        assert!(should_forward(SIGTERM, Some(1234), child));
        assert!(should_forward(SIGINT, Some(1234), child));
    }

    #[test]
    fn the_childs_own_signals_are_not_echoed_back() {
        let child = Pid::from_raw(4321);
        assert!(!should_forward(SIGTERM, Some(4321), child));
    }

    #[test]
    fn terminal_signals_are_not_sent_twice_to_a_child_in_our_group() {
        let mut same_group = Command::new("sleep").arg("5").spawn().unwrap();
        let pid = Pid::from_raw(same_group.id() as i32);
        assert!(!should_forward(SIGINT, None, pid));
        assert!(!should_forward(SIGQUIT, None, pid));
        same_group.kill().unwrap();
        same_group.wait().unwrap();
    }

    #[test]
    fn terminal_signals_are_forwarded_to_a_child_in_another_group() {
        use std::os::unix::process::CommandExt;
        let mut own_group = Command::new("sleep")
            .arg("5")
            .process_group(0)
            .spawn()
            .unwrap();
        let pid = Pid::from_raw(own_group.id() as i32);
        assert!(should_forward(SIGINT, None, pid));
        own_group.kill().unwrap();
        own_group.wait().unwrap();
    }
}
