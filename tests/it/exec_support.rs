//! Helpers for the `vault exec` tests (tests/exec.rs, tests/exec_signals.rs): secrets
//! created without their values on `vault`'s command line, `vault exec` as a running
//! process whose output is read line by line with timeouts, and bounded polling.
#![allow(dead_code)]

use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

use crate::common::TestVault;

/// How long anything in these tests may take before it counts as hung.
pub const PATIENCE: Duration = Duration::from_secs(15);

/// The std `Command` equivalent of a harness command (same program, arguments,
/// working directory and environment), for what `assert_cmd` cannot do: spawning
/// with pipes, in a pty, or with a signal.
pub fn std_command(cmd: &assert_cmd::Command) -> Command {
    let mut std = Command::new(cmd.get_program());
    std.args(cmd.get_args()).env_clear();
    for (key, value) in cmd.get_envs() {
        match value {
            Some(value) => std.env(key, value),
            None => std.env_remove(key),
        };
    }
    if let Some(dir) = cmd.get_current_dir() {
        std.current_dir(dir);
    }
    std
}

/// `vault ARGS` (with the passphrase) as a std `Command`.
pub fn vault_std(tv: &TestVault, args: &[&str]) -> Command {
    std_command(&tv.cmd(args))
}

/// `vault ARGS` with a bounded run time, so that a hang fails the test instead of the suite.
pub fn bounded(tv: &TestVault, args: &[&str]) -> assert_cmd::Command {
    let mut cmd = tv.cmd(args);
    cmd.timeout(PATIENCE);
    cmd
}

/// Runs `vault ARGS` (bounded) and returns the output.
pub fn run(tv: &TestVault, args: &[&str]) -> Output {
    bounded(tv, args).output().expect("run vault")
}

/// Runs `vault ARGS` (bounded), asserts the exit code, returns the output.
pub fn run_code(tv: &TestVault, args: &[&str], code: i32) -> Output {
    let output = run(tv, args);
    assert_code(&output, code, args);
    output
}

pub fn assert_code(output: &Output, code: i32, what: impl std::fmt::Debug) {
    assert_eq!(
        output.status.code(),
        Some(code),
        "{what:?}: expected exit {code}, got {}\nstdout: {}\nstderr: {}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// `vault create secret NAME EXTRA… -e KEY` with the value on stdin: the value never
/// appears on any command line.
pub fn create_from_stdin(tv: &TestVault, name: &str, extra: &[&str], key: &str, value: &str) {
    let mut args = vec!["create", "secret", name];
    args.extend_from_slice(extra);
    args.extend_from_slice(&["-e", key]);
    let output = bounded(tv, &args)
        .write_stdin(value)
        .output()
        .expect("run vault");
    assert_code(&output, 0, &args);
}

/// `vault update secret NAME -e KEY` with the value on stdin.
pub fn add_from_stdin(tv: &TestVault, name: &str, extra: &[&str], key: &str, value: &str) {
    let mut args = vec!["update", "secret", name];
    args.extend_from_slice(extra);
    args.extend_from_slice(&["-e", key]);
    let output = bounded(tv, &args)
        .write_stdin(value)
        .output()
        .expect("run vault");
    assert_code(&output, 0, &args);
}

/// A spawned process, killed (with SIGKILL) and reaped if a test fails while it runs.
pub struct Running {
    pub child: Child,
    stdout: Option<Stream>,
    stderr: Option<Stream>,
}

impl Running {
    /// Spawns `command` with stdin empty, and stdout and stderr piped, each read as it
    /// comes by a thread.
    pub fn spawn(mut command: Command) -> Running {
        command.stdin(Stdio::null());
        Running::start(command)
    }

    /// Like [`Running::spawn`], with stdin a pipe (`child.stdin`).
    pub fn spawn_with_stdin(mut command: Command) -> Running {
        command.stdin(Stdio::piped());
        Running::start(command)
    }

    fn start(mut command: Command) -> Running {
        command.stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = command.spawn().expect("spawn");
        let stdout = child.stdout.take().map(Stream::new);
        let stderr = child.stderr.take().map(Stream::new);
        Running {
            child,
            stdout,
            stderr,
        }
    }

    pub fn pid(&self) -> i32 {
        self.child.id() as i32
    }

    fn out(&mut self) -> &mut Stream {
        self.stdout.as_mut().expect("stdout piped")
    }

    /// The next stdout line (without its newline), failing after `PATIENCE`.
    pub fn line(&mut self) -> String {
        self.line_within(PATIENCE)
            .unwrap_or_else(|| panic!("no stdout line within {PATIENCE:?}"))
    }

    /// The next stdout line, or `None` if none comes within `timeout` (or stdout closed).
    pub fn line_within(&mut self, timeout: Duration) -> Option<String> {
        let bytes = self.out().take_until(b"\n", timeout)?;
        let line = String::from_utf8_lossy(&bytes[..bytes.len() - 1]).into_owned();
        Some(line)
    }

    /// Reads stdout until `want` (not necessarily a whole line) has arrived; returns
    /// everything up to and including it, or `None` after `timeout`.
    pub fn bytes_until(&mut self, want: &[u8], timeout: Duration) -> Option<Vec<u8>> {
        self.out().take_until(want, timeout)
    }

    /// Reads stdout lines until one equals `want`.
    pub fn wait_for_line(&mut self, want: &str) {
        let start = Instant::now();
        loop {
            let left = PATIENCE.saturating_sub(start.elapsed());
            match self.line_within(left) {
                Some(line) if line == want => return,
                Some(_) => {}
                None => panic!("no {want:?} line on stdout within {PATIENCE:?}"),
            }
        }
    }

    /// The rest of stdout, once it closes, as lines.
    pub fn rest_of_stdout(&mut self) -> Vec<String> {
        lines(self.stdout.take().expect("stdout piped").rest())
    }

    /// The rest of stderr, once it closes, as lines.
    pub fn rest_of_stderr(&mut self) -> Vec<String> {
        lines(self.stderr.take().expect("stderr piped").rest())
    }

    pub fn signal(&self, signal: Signal) {
        kill(Pid::from_raw(self.pid()), signal).expect("signal");
    }

    /// Waits (bounded) for the process to end.
    pub fn wait(&mut self) -> std::process::ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return status;
            }
            assert!(
                start.elapsed() < PATIENCE,
                "still running after {PATIENCE:?}"
            );
            thread::sleep(Duration::from_millis(10));
        }
    }

    pub fn is_running(&mut self) -> bool {
        self.child.try_wait().expect("try_wait").is_none()
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A pipe read by a thread, chunk by chunk, exactly as the bytes arrive.
struct Stream {
    chunks: Receiver<Vec<u8>>,
    buffer: Vec<u8>,
}

impl Stream {
    fn new(mut pipe: impl Read + Send + 'static) -> Stream {
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            let mut chunk = [0u8; 8192];
            loop {
                match pipe.read(&mut chunk) {
                    Ok(0) | Err(_) => return,
                    Ok(n) => {
                        if tx.send(chunk[..n].to_vec()).is_err() {
                            return;
                        }
                    }
                }
            }
        });
        Stream {
            chunks: rx,
            buffer: Vec::new(),
        }
    }

    /// Takes the buffered bytes up to and including the first `needle`, receiving
    /// more until it is there; `None` after `timeout` or when the pipe closes first.
    fn take_until(&mut self, needle: &[u8], timeout: Duration) -> Option<Vec<u8>> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(at) = find(&self.buffer, needle) {
                return Some(self.buffer.drain(..at + needle.len()).collect());
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match self.chunks.recv_timeout(left) {
                Ok(chunk) => self.buffer.extend_from_slice(&chunk),
                Err(_) => return None,
            }
        }
    }

    /// Everything until the pipe closes, failing after `PATIENCE`.
    fn rest(mut self) -> Vec<u8> {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.chunks.recv_timeout(left) {
                Ok(chunk) => self.buffer.extend_from_slice(&chunk),
                Err(RecvTimeoutError::Disconnected) => return self.buffer,
                Err(RecvTimeoutError::Timeout) => panic!("output still open after {PATIENCE:?}"),
            }
        }
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn lines(bytes: Vec<u8>) -> Vec<String> {
    let text = String::from_utf8_lossy(&bytes);
    text.lines().map(str::to_owned).collect()
}

/// Polls `condition` every 10 ms until it holds, failing after `PATIENCE`.
pub fn wait_until(what: &str, mut condition: impl FnMut() -> bool) {
    let start = Instant::now();
    while !condition() {
        assert!(start.elapsed() < PATIENCE, "{what}: not after {PATIENCE:?}");
        thread::sleep(Duration::from_millis(10));
    }
}

pub fn wait_until_gone(path: &Path) {
    wait_until(&format!("{} removed", path.display()), || {
        std::fs::symlink_metadata(path).is_err()
    });
}

/// Kills a process left behind by a test (a child orphaned by a SIGKILLed `vault`).
pub fn kill_pid_in(path: &Path) {
    if let Ok(text) = std::fs::read_to_string(path)
        && let Ok(pid) = text.trim().parse::<i32>()
    {
        let _ = kill(Pid::from_raw(pid), Signal::SIGKILL);
    }
}

/// The NUL-separated command line of a running process.
pub fn cmdline(pid: i32) -> Vec<u8> {
    std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default()
}

/// The pids of a process's children (Linux: /proc/PID/task/*/children).
pub fn children(pid: i32) -> Vec<i32> {
    let mut pids = Vec::new();
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return pids;
    };
    for task in tasks.flatten() {
        if let Ok(text) = std::fs::read_to_string(task.path().join("children")) {
            pids.extend(
                text.split_whitespace()
                    .filter_map(|p| p.parse::<i32>().ok()),
            );
        }
    }
    pids
}

pub fn contains(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}
