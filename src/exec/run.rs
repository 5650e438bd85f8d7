//! Running the command of `vault exec`: stages its files, starts it with exactly the
//! environment it is given, forwards signals, masks its output, cleans up when it ends,
//! and turns the outcome into `vault`'s exit code.
//!
//! When there are no files to clean up and no output to mask, `vault` replaces itself
//! with the command (execve): nothing of `vault` stays between the command and its
//! caller.

use std::any::Any;
use std::ffi::{OsStr, OsString};
use std::fs::File;
use std::io::{self, Read};
use std::os::fd::AsFd;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Arc;
use std::thread::{self, JoinHandle};

use nix::errno::Errno;

use crate::error::{Error, Result};
use crate::exec::child_env::ChildEnv;
use crate::exec::files::{self, FileSpec, Placed};
use crate::exec::hardening;
use crate::exec::journal::{self, Journal};
use crate::exec::launch::Launch;
use crate::exec::mask::{self, Masker};
use crate::exec::pty::Pty;
use crate::exec::signals::{self, Supervisor};

/// Everything needed to run the command.
pub struct ChildSpec {
    /// The command and its arguments; must not be empty.
    pub command: Vec<OsString>,
    /// The command's complete environment: it gets these variables and no others.
    pub env: ChildEnv,
    pub files: Vec<FileSpec>,
    /// `Some` to pass the command's stdout through the masker.
    pub mask_stdout: Option<Arc<Masker>>,
    /// `Some` to pass the command's stderr through the masker.
    pub mask_stderr: Option<Arc<Masker>>,
    /// Run the command on a pseudo-terminal, its output masked by `mask_stdout`
    /// (`--pty`; the caller has checked that stdin and stdout are terminals).
    pub pty: bool,
    /// The private (0700) directory holding the exec journals; the caller creates it.
    /// Needed only when there are files; `None` skips the sweep.
    pub runtime_dir: Option<PathBuf>,
    /// What else `vault` holds of the secrets (the opened vault): dropped, which
    /// wipes it, as soon as the command has its own copies. A supervised command
    /// is started first, so that the wiping runs while it does.
    pub held: Option<Box<dyn Any>>,
}

/// Runs the command to completion and returns the code `vault` must exit with: the
/// command's own, 128+N if signal N killed it, 127 if it was not found and 126 if it
/// could not be run (both explained on stderr).
///
/// An error means the command was never started: `Kind::Conflict` when a file
/// destination exists, `Kind::Usage` for an empty command or a destination that names no
/// file, `Kind::Failure` otherwise.
pub fn run(mut spec: ChildSpec) -> Result<i32> {
    if spec.command.is_empty() {
        return Err(Error::usage("no command to run"));
    }
    // Best effort: what an earlier run left must not stop this one.
    if let Some(dir) = &spec.runtime_dir {
        let _ = journal::sweep(dir);
    }
    drop_empty_maskers(&mut spec);
    let plan = files::plan(&spec.files)?;
    let launch = Launch::new(&spec.command, std::mem::take(&mut spec.env))?;
    if plan.is_empty() && spec.mask_stdout.is_none() && spec.mask_stderr.is_none() {
        drop(spec.held.take());
        return Ok(exec_in_place(&spec, launch));
    }
    // Signals are caught before any file exists, so that a SIGTERM arriving while
    // the files are written is forwarded to the child (once it starts) rather than
    // killing `vault` and leaving the files for the next sweep.
    let supervisor = Supervisor::install()
        .map_err(|e| Error::failure(format!("cannot set up signal handling: {e}")))?;
    let staged = match plan.is_empty() {
        true => None,
        false => Some(Staged::create(&spec, &plan)?),
    };
    // On disk now; the copies in memory are zeroized as they drop.
    spec.files.clear();
    supervise(spec, launch, staged, supervisor)
}

/// A masker with nothing to mask would only turn the command's terminal into a pipe.
fn drop_empty_maskers(spec: &mut ChildSpec) {
    for masker in [&mut spec.mask_stdout, &mut spec.mask_stderr] {
        if masker.as_ref().is_some_and(|m| m.is_empty()) {
            *masker = None;
        }
    }
}

/// The files on disk and their journal. Dropping it removes the files, then the journal
/// (fields drop in declaration order).
struct Staged {
    placed: Placed,
    journal: Journal,
}

impl Staged {
    /// Journals the plan, creates the files empty, journals their identities, and only
    /// then writes the secrets: at no point can a killed `vault` leave an unjournaled
    /// secret on disk.
    fn create(spec: &ChildSpec, plan: &files::Plan) -> Result<Staged> {
        let runtime_dir = spec.runtime_dir.as_deref().ok_or_else(|| {
            Error::failure("no private runtime directory for the journal of the files")
        })?;
        let mut journal = Journal::begin(runtime_dir, plan)?;
        let mut placed = plan.place()?;
        journal.record(&placed)?;
        placed.fill(&spec.files)?;
        Ok(Staged { placed, journal })
    }

    fn clean_up(mut self) {
        if !self.placed.remove_all() {
            // A file is still there: leave the journal for the next run's sweep.
            self.journal.keep();
        }
    }
}

/// Replaces `vault` with the command. Returns only if that failed, with the exit code.
fn exec_in_place(spec: &ChildSpec, launch: Launch) -> i32 {
    // `vault` is about to become the command, which should dump core as it would have.
    let _ = hardening::restore_core_limit();
    // std's `exec` resets the signal mask and SIGPIPE, then runs the launch.
    let mut command = Command::new(&spec.command[0]);
    launch.attach(&mut command);
    let err = command.exec();
    report_start_error(&spec.command[0], &err)
}

/// Runs the command as a child of `vault`, which stays to forward signals, mask output
/// and clean up.
fn supervise(
    mut spec: ChildSpec,
    launch: Launch,
    staged: Option<Staged>,
    mut supervisor: Supervisor,
) -> Result<i32> {
    if spec.pty
        && let Some(masker) = spec.mask_stdout.clone()
    {
        return supervise_on_pty(spec, launch, staged, supervisor, masker);
    }
    let masking = Masking::prepare(&spec)?;
    let mut command = Command::new(&spec.command[0]);
    masking.configure(&mut command);
    let mut child = match spawn(command, launch) {
        Ok(child) => child,
        Err(err) => return Ok(report_start_error(&spec.command[0], &err)),
    };
    let pumps = masking.start(&mut child);
    // The command is running and its output flowing: now wipe the rest.
    drop(spec.held.take());
    let status = supervisor.wait(&mut child);
    if let Some(staged) = staged {
        staged.clean_up();
    }
    finish_output(&mut supervisor, pumps);
    Ok(exit_code(&spec.command[0], status))
}

/// Runs the command on a pseudo-terminal whose output goes through `masker`.
fn supervise_on_pty(
    mut spec: ChildSpec,
    launch: Launch,
    staged: Option<Staged>,
    mut supervisor: Supervisor,
    masker: Arc<Masker>,
) -> Result<i32> {
    let setup = |e: io::Error| Error::failure(format!("cannot set up a pseudo-terminal: {e}"));
    let pty = Pty::open().map_err(setup)?;
    let mut command = Command::new(&spec.command[0]);
    pty.attach(&mut command).map_err(setup)?;
    let spawned = spawn(command, launch);
    drop(spec.held.take());
    let child = match spawned {
        Ok(child) => child,
        Err(err) => return Ok(report_start_error(&spec.command[0], &err)),
    };
    let status = pty.run(child, masker, &mut supervisor);
    if let Some(staged) = staged {
        staged.clean_up();
    }
    Ok(exit_code(&spec.command[0], status))
}

/// Starts `launch` in a child set up by `command` (its stdio, a pseudo-terminal).
/// The environment's copy in `vault` is wiped as soon as the child has its own.
fn spawn(mut command: Command, launch: Launch) -> io::Result<Child> {
    launch.attach(&mut command);
    let spawned = command.spawn();
    // Drops the launch, wiping the environment.
    drop(command);
    spawned
}

/// Prints why the command could not be started, `env`-style, and returns the exit code.
fn report_start_error(program: &OsStr, err: &io::Error) -> i32 {
    let name = program.to_string_lossy();
    match err.raw_os_error().map(Errno::from_raw) {
        Some(Errno::ENOENT) => {
            eprintln!("vault: command not found: {name}");
            127
        }
        Some(errno) => {
            eprintln!("vault: cannot run {name}: {}", errno.desc());
            126
        }
        None => {
            eprintln!("vault: cannot run {name}: {err}");
            126
        }
    }
}

fn exit_code(program: &OsStr, status: io::Result<ExitStatus>) -> i32 {
    match status {
        Ok(status) => status
            .code()
            .or_else(|| status.signal().map(|n| 128 + n))
            .unwrap_or(1),
        Err(err) => {
            let name = program.to_string_lossy();
            eprintln!("vault: lost track of {name}: {err}");
            1
        }
    }
}

/// The masked streams: which masker, and where the masked output goes.
struct Masking {
    stdout: Option<(Arc<Masker>, File)>,
    stderr: Option<(Arc<Masker>, File)>,
}

impl Masking {
    /// Takes `vault`'s own stdout/stderr as raw, unbuffered descriptors, so that output is
    /// passed on as it comes (std's stdout buffers up to a newline).
    fn prepare(spec: &ChildSpec) -> Result<Masking> {
        let dup = |fd: std::os::fd::BorrowedFd<'_>| {
            fd.try_clone_to_owned()
                .map(File::from)
                .map_err(|e| Error::failure(format!("cannot set up output masking: {e}")))
        };
        let stdout = match &spec.mask_stdout {
            Some(masker) => Some((Arc::clone(masker), dup(io::stdout().as_fd())?)),
            None => None,
        };
        let stderr = match &spec.mask_stderr {
            Some(masker) => Some((Arc::clone(masker), dup(io::stderr().as_fd())?)),
            None => None,
        };
        Ok(Masking { stdout, stderr })
    }

    /// Pipes the masked streams; the others, and stdin, are inherited untouched.
    fn configure(&self, command: &mut Command) {
        if self.stdout.is_some() {
            command.stdout(Stdio::piped());
        }
        if self.stderr.is_some() {
            command.stderr(Stdio::piped());
        }
    }

    /// One thread per masked stream, so stdout and stderr stay separate and neither
    /// waits on the other.
    fn start(self, child: &mut Child) -> Vec<JoinHandle<()>> {
        let mut pumps = Vec::new();
        if let (Some((masker, out)), Some(pipe)) = (self.stdout, child.stdout.take()) {
            pumps.push(start_pump(masker, pipe, out));
        }
        if let (Some((masker, out)), Some(pipe)) = (self.stderr, child.stderr.take()) {
            pumps.push(start_pump(masker, pipe, out));
        }
        pumps
    }
}

fn start_pump(masker: Arc<Masker>, input: impl Read + Send + 'static, out: File) -> JoinHandle<()> {
    thread::spawn(move || {
        signals::block_in_this_thread();
        // A reader that went away (`vault exec ... | head`) is not an error: the command
        // gets SIGPIPE/EPIPE as it would have without `vault`, once this pipe closes.
        if let Err(e) = mask::pump(&masker, input, out)
            && e.kind() != io::ErrorKind::BrokenPipe
        {
            eprintln!("vault: warning: cannot pass the command's output on: {e}");
        }
    })
}

/// Waits until the masked output is all passed on: a background process the command
/// left may still hold the pipes. A signal to `vault` ends the wait.
fn finish_output(supervisor: &mut Supervisor, pumps: Vec<JoinHandle<()>>) {
    if pumps.is_empty() {
        return;
    }
    let handle = supervisor.handle();
    thread::spawn(move || {
        for pump in pumps {
            let _ = pump.join();
        }
        handle.close();
    });
    supervisor.wait_for_close_or_signal();
}

#[cfg(test)]
mod tests {
    //! These run the real `run()` in the test process. Each spec has a file, so `vault`
    //! supervises rather than replacing the test process with the command.

    use super::*;
    use crate::error::Kind;
    use std::fs;
    use std::os::unix::fs::PermissionsExt;
    use std::path::Path;
    use tempfile::TempDir;
    use zeroize::Zeroizing;

    struct Scene {
        work: TempDir,
        runtime: TempDir,
    }

    impl Scene {
        fn new() -> Scene {
            Scene {
                work: tempfile::tempdir().unwrap(),
                runtime: tempfile::tempdir().unwrap(),
            }
        }

        fn path(&self, name: &str) -> PathBuf {
            self.work.path().join(name)
        }

        /// `sh -c SCRIPT` with `$1` the work dir, a PATH, and the file `key.pem`.
        fn spec(&self, script: &str) -> ChildSpec {
            self.spec_with(&["key.pem"], script)
        }

        fn spec_with(&self, files: &[&str], script: &str) -> ChildSpec {
            let work = self.work.path().as_os_str().to_owned();
            let command = ["/bin/sh", "-c", script, "sh"].map(OsString::from);
            ChildSpec {
                command: command.into_iter().chain([work]).collect(),
                env: ChildEnv::exactly(
                    [(&b"PATH"[..], &b"/usr/bin:/bin"[..]), (b"FOO", b"bar")].into_iter(),
                )
                .unwrap(),
                files: files.iter().map(|f| self.file(f)).collect(),
                mask_stdout: None,
                mask_stderr: None,
                pty: false,
                runtime_dir: Some(self.runtime.path().to_path_buf()),
                held: None,
            }
        }

        fn file(&self, name: &str) -> FileSpec {
            FileSpec {
                destination: self.path(name).to_str().unwrap().to_owned(),
                contents: Zeroizing::new(format!("secret of {name}").into_bytes()),
            }
        }

        fn runtime_is_empty(&self) -> bool {
            fs::read_dir(self.runtime.path()).unwrap().next().is_none()
        }
    }

    #[test]
    fn passes_the_exit_code_through() {
        let scene = Scene::new();
        for code in [0, 3, 42] {
            let spec = scene.spec(&format!("exit {code}"));
            assert_eq!(run(spec).unwrap(), code);
        }
    }

    #[test]
    fn death_by_signal_is_128_plus_n() {
        let scene = Scene::new();
        assert_eq!(run(scene.spec("kill -KILL $$")).unwrap(), 128 + 9);
        assert_eq!(run(scene.spec("kill -TERM $$")).unwrap(), 128 + 15);
    }

    #[test]
    fn command_not_found_is_127_and_not_runnable_is_126() {
        let scene = Scene::new();
        let mut spec = scene.spec("");
        spec.command = vec!["vault-test-no-such-command".into()];
        assert_eq!(run(spec).unwrap(), 127);
        assert!(!scene.path("key.pem").exists());

        let script = scene.path("not-executable.sh");
        fs::write(&script, "#!/bin/sh\nexit 0\n").unwrap();
        fs::set_permissions(&script, fs::Permissions::from_mode(0o644)).unwrap();
        let mut spec = scene.spec("");
        spec.command = vec![script.into()];
        assert_eq!(run(spec).unwrap(), 126);
        assert!(!scene.path("key.pem").exists());
        assert!(scene.runtime_is_empty());
    }

    #[test]
    fn the_child_sees_its_files_0600_and_they_are_removed_after() {
        let scene = Scene::new();
        let script = r#"stat -c %a "$1/key.pem" > "$1/seen"; cat "$1/key.pem" >> "$1/seen""#;
        assert_eq!(run(scene.spec(script)).unwrap(), 0);
        let seen = fs::read_to_string(scene.path("seen")).unwrap();
        assert_eq!(seen, "600\nsecret of key.pem");
        assert!(!scene.path("key.pem").exists());
        assert!(scene.runtime_is_empty(), "the journal is removed");
    }

    #[test]
    fn created_parent_directories_are_removed_after() {
        let scene = Scene::new();
        let spec = scene.spec_with(&["a/b/c.txt"], r#"cat "$1/a/b/c.txt" > "$1/seen""#);
        assert_eq!(run(spec).unwrap(), 0);
        assert_eq!(
            fs::read_to_string(scene.path("seen")).unwrap(),
            "secret of a/b/c.txt"
        );
        assert!(!scene.path("a").exists());
    }

    #[test]
    fn files_are_removed_after_a_failing_child() {
        let scene = Scene::new();
        assert_eq!(run(scene.spec_with(&["x/key.pem"], "exit 1")).unwrap(), 1);
        assert!(!scene.path("x").exists());
    }

    #[test]
    fn an_existing_destination_writes_nothing_and_starts_nothing() {
        let scene = Scene::new();
        fs::write(scene.path("taken.pem"), "mine").unwrap();
        let spec = scene.spec_with(&["new.pem", "taken.pem"], r#"touch "$1/started""#);
        let err = run(spec).unwrap_err();
        assert_eq!(err.kind, Kind::Conflict);
        assert!(err.message.contains("taken.pem"), "{}", err.message);
        assert!(!scene.path("new.pem").exists());
        assert!(!scene.path("started").exists());
        assert_eq!(fs::read_to_string(scene.path("taken.pem")).unwrap(), "mine");
        assert!(scene.runtime_is_empty());
    }

    #[test]
    fn the_child_gets_exactly_the_given_environment() {
        let scene = Scene::new();
        assert_eq!(run(scene.spec(r#"env > "$1/env""#)).unwrap(), 0);
        let env = fs::read_to_string(scene.path("env")).unwrap();
        assert!(env.lines().any(|l| l == "FOO=bar"), "{env}");
        assert!(
            !env.contains("CARGO"),
            "the caller's environment leaked: {env}"
        );
    }

    #[test]
    fn sweeps_a_dead_runs_leftovers_first() {
        let scene = Scene::new();
        let leftover = scene.path("left.pem");
        fs::write(&leftover, "old secret").unwrap();
        let meta = fs::metadata(&leftover).unwrap();
        let journal = format!(
            r#"{{"owner":{{"pid":{},"start_time":1,"boot_id":""}},"files":[{{"path":{:?},"id":[{},{}]}}],"dirs":[]}}"#,
            i32::MAX - 1, // above any pid_max: no such process
            leftover.to_str().unwrap(),
            std::os::unix::fs::MetadataExt::dev(&meta),
            std::os::unix::fs::MetadataExt::ino(&meta),
        );
        fs::write(scene.runtime.path().join("exec-1.json"), journal).unwrap();
        assert_eq!(run(scene.spec("exit 0")).unwrap(), 0);
        assert!(!leftover.exists());
        assert!(scene.runtime_is_empty());
    }

    #[test]
    fn an_empty_command_is_a_usage_error() {
        let scene = Scene::new();
        let mut spec = scene.spec("");
        spec.command.clear();
        assert_eq!(run(spec).unwrap_err().kind, Kind::Usage);
        assert!(!Path::new(&scene.path("key.pem")).exists());
    }
}
