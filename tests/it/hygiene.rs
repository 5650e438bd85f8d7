//! Memory and process hygiene (SPEC.md: "the process disables core dumps";
//! "Every file `vault` writes beside the vault ... and every session file is
//! mode 0600, their directories 0700"): core dumps are off in a running
//! `vault`, the process is not dumpable, no `Debug` of a secret type prints a
//! value, files and directories are private whatever the umask, and a vault
//! file others can read is reported.

use std::io::Write;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::common::{TestVault, stderr};
use crate::security_support::{exec_available, spawnable};
use vault::secret::{SecretBytes, SecretString};
use vault::vault::changes::{EnvArg, SecretChange};
use vault::vault::model::{EnvVar, Payload, Scope, Secret, SecretFile};

const CANARY: &str = "cnryDebug0d5a7e";

/// The soft "Max core file size" of a process, from /proc/<pid>/limits.
fn core_limit(pid: u32) -> String {
    let limits = std::fs::read_to_string(format!("/proc/{pid}/limits")).unwrap();
    let line = limits
        .lines()
        .find(|l| l.starts_with("Max core file size"))
        .expect("a core file size limit");
    line["Max core file size".len()..]
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned()
}

fn wait_until(what: &str, mut ready: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !ready() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn children_of(pid: u32) -> Vec<u32> {
    let Ok(text) = std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children")) else {
        return Vec::new();
    };
    text.split_whitespace()
        .filter_map(|p| p.parse().ok())
        .collect()
}

fn terminate(mut child: Child) {
    let pid = nix::unistd::Pid::from_raw(child.id() as i32);
    let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM);
    let _ = child.wait();
}

#[test]
fn core_dumps_are_off_in_a_running_vault_and_back_on_in_its_child() {
    let vault = TestVault::new();
    vault.ok(&["create", "secret", "app", "-e", "KEY=value"]);
    if !exec_available(&vault) {
        eprintln!("note: `vault exec` is not available yet: skipped");
        return;
    }
    let mut cmd = spawnable(&vault, &["exec", "-s", "app", "--", "sleep", "30"]);
    // Start vault with core dumps allowed (soft limit up to the hard one), so
    // that a 0 in vault is vault's doing, not the test environment's.
    // SAFETY: getrlimit(2) and setrlimit(2) are async-signal-safe.
    unsafe {
        cmd.pre_exec(|| {
            use nix::sys::resource::{Resource, getrlimit, setrlimit};
            let (_, hard) = getrlimit(Resource::RLIMIT_CORE)?;
            setrlimit(Resource::RLIMIT_CORE, hard.min(1 << 30), hard)?;
            Ok(())
        });
    }
    let mut running = cmd.spawn().unwrap();
    let pid = running.id();
    let mut child = 0;
    wait_until("the child", || {
        assert!(running.try_wait().unwrap().is_none(), "vault exec ended");
        child = children_of(pid).first().copied().unwrap_or(0);
        child != 0
            && std::fs::read(format!("/proc/{child}/cmdline"))
                .is_ok_and(|c| c.starts_with(b"sleep"))
    });
    let in_vault = core_limit(pid);
    let in_child = core_limit(child);
    let hard = nix::sys::resource::getrlimit(nix::sys::resource::Resource::RLIMIT_CORE)
        .unwrap()
        .1;
    terminate(running);
    assert_eq!(in_vault, "0", "core dumps are on in vault exec");
    // The child gets back the limit vault was started with (vault lowers
    // only the soft limit).
    let started_with = match hard.min(1 << 30) {
        nix::sys::resource::RLIM_INFINITY => "unlimited".to_owned(),
        limit => limit.to_string(),
    };
    assert_eq!(
        in_child, started_with,
        "the child's core limit was not restored"
    );
    if hard == 0 {
        eprintln!("note: the hard core limit is 0 here: the core limit check proves nothing");
    }
}

/// A `vault` blocked on reading a value from stdin: a running process that
/// needs no vault file, so it can run as another user.
fn blocked_on_stdin(vault: &TestVault, as_nobody: bool) -> Result<Child, String> {
    let args = ["create", "secret", "x", "-e", "KEY"];
    let mut cmd = spawnable(vault, &args);
    // `nobody` may not reach the test binary (a checkout in a private home
    // directory): run a copy from a directory anyone can enter.
    let public = tempfile::Builder::new()
        .permissions(std::fs::Permissions::from_mode(0o755))
        .tempdir()
        .unwrap();
    if as_nobody {
        let copy = public.path().join("vault");
        std::fs::copy(env!("CARGO_BIN_EXE_vault"), &copy).unwrap();
        cmd = std::process::Command::new(&copy);
        cmd.args(args)
            .env_clear()
            .env("VAULT_FILE", "/nonexistent/vault.toml")
            .env("VAULT_PASSPHRASE", "unused")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .uid(65534)
            .gid(65534)
            .current_dir("/");
    }
    cmd.stdin(Stdio::piped());
    // A copy just written may be "busy" while another test's fork still holds
    // its descriptor (until that fork's exec): try again.
    let mut tries = 0;
    let mut child = loop {
        match cmd.spawn() {
            Err(e) if e.raw_os_error() == Some(nix::libc::ETXTBSY) && tries < 50 => {
                tries += 1;
                std::thread::sleep(Duration::from_millis(20));
            }
            spawned => break spawned.map_err(|e| format!("cannot start vault: {e}"))?,
        }
    };
    let pid = child.id();
    // Wait until it is blocked in read(2) on stdin, past main's hardening
    // (where /proc/<pid>/wchan is not available: asleep for a second).
    let started = Instant::now();
    let mut exited = None;
    wait_until("vault to read stdin", || {
        if let Some(status) = child.try_wait().unwrap() {
            exited = Some(status);
            return true;
        }
        let wchan = std::fs::read_to_string(format!("/proc/{pid}/wchan")).unwrap_or_default();
        let asleep = std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|s| {
            s.rsplit_once(')')
                .is_some_and(|(_, r)| r.trim_start().starts_with('S'))
        });
        wchan.contains("read") || (asleep && started.elapsed() > Duration::from_secs(1))
    });
    match exited {
        Some(status) => Err(format!("vault ended before reading stdin: {status}")),
        None => Ok(child),
    }
}

fn finish(mut child: Child) {
    drop(child.stdin.take().map(|mut stdin| stdin.write_all(b"v\n")));
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn every_vault_process_is_undumpable() {
    let vault = TestVault::new();
    let child = blocked_on_stdin(&vault, false).unwrap();
    let limit = core_limit(child.id());
    finish(child);
    assert_eq!(limit, "0", "core dumps are on in vault create");

    // PR_SET_DUMPABLE(0) shows as /proc/<pid> files owned by root instead of
    // the process's user. Observable when the process runs as someone else
    // than root: as root, the test runs vault as `nobody`.
    let me = nix::unistd::geteuid().as_raw();
    let child = match blocked_on_stdin(&vault, me == 0) {
        Ok(child) => child,
        // Where `nobody` cannot run the test binary (a checkout under a private
        // home directory), the flag cannot be observed from here.
        Err(why) if me == 0 => {
            eprintln!("note: the dumpable flag is not checked: as nobody, {why}");
            return;
        }
        Err(why) => panic!("{why}"),
    };
    let owner = std::fs::metadata(format!("/proc/{}/environ", child.id()))
        .unwrap()
        .uid();
    let user = std::fs::metadata(format!("/proc/{}", child.id()))
        .map(|m| m.uid())
        .unwrap();
    finish(child);
    let process_user = if me == 0 { 65534 } else { me };
    assert_ne!(process_user, 0);
    assert_eq!(
        owner, 0,
        "vault is dumpable: its /proc files belong to uid {owner} (the process runs as {user})"
    );
}

#[test]
fn debug_never_prints_a_value() {
    let mut secret = Secret {
        description: "desc".into(),
        ..Secret::default()
    };
    secret.env.push(EnvVar {
        name: "KEY".into(),
        value: SecretString::from(CANARY),
    });
    secret.files.push(SecretFile {
        path: "cert.pem".into(),
        contents: SecretBytes::new(CANARY.as_bytes().to_vec()),
    });
    let mut payload = Payload::default();
    payload.org.insert("app".into(), secret.clone());
    payload
        .projects
        .entry("blue".into())
        .or_default()
        .insert("app".into(), secret.clone());
    let change = SecretChange {
        set_env: vec![("KEY".into(), SecretString::from(CANARY))],
        set_files: vec![("f".into(), SecretBytes::new(CANARY.as_bytes().to_vec()))],
        ..SecretChange::default()
    };
    let arg = EnvArg::parse(&format!("KEY={CANARY}")).unwrap();
    let bytes_as_list = format!("{:?}", CANARY.as_bytes());
    let bytes_as_list = &bytes_as_list[1..bytes_as_list.len() - 1]; // "99, 110, ..."
    let texts = [
        format!("{:?}", SecretString::from(CANARY)),
        format!("{:#?}", SecretString::from(CANARY)),
        format!("{:?}", SecretBytes::new(CANARY.as_bytes().to_vec())),
        format!("{:?}", secret),
        format!("{:#?}", secret),
        format!("{:?}", payload),
        format!("{:#?}", payload),
        format!("{:?}", change),
        format!("{:?}", arg),
        format!("{:?}", secret.env[0]),
        format!("{:?}", secret.files[0]),
        format!("{:?}", Scope::Org),
    ];
    for text in &texts {
        assert!(!text.contains(CANARY), "{text}");
        assert!(!text.contains(bytes_as_list), "{text}");
        assert!(!text.contains("0d5a7e"), "{text}");
    }
    assert!(texts[3].contains("redacted"), "{}", texts[3]);
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// Runs `vault ARGS` with umask 000, so that only explicit modes protect files.
fn run_with_umask_0(vault: &TestVault, args: &[&str], vault_path: &Path) -> String {
    let mut cmd = spawnable(vault, args);
    cmd.env("VAULT_FILE", vault_path);
    // SAFETY: umask(2) is async-signal-safe.
    unsafe {
        cmd.pre_exec(|| {
            nix::sys::stat::umask(nix::sys::stat::Mode::empty());
            Ok(())
        });
    }
    let output = cmd.output().unwrap();
    assert!(
        output.status.success(),
        "vault {args:?}: {}",
        stderr(&output)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn files_and_directories_are_private_whatever_the_umask() {
    let vault = TestVault::empty();
    let dir: PathBuf = vault.path().join("fresh/nested");
    let path = dir.join("vault.toml");
    let run = |args: &[&str]| run_with_umask_0(&vault, args, &path);
    run(&["init", "--kdf-memory-mib", "8", "--kdf-iterations", "1"]);
    let local = vault.path().join("local.pem");
    std::fs::write(&local, "pem").unwrap();
    let file_arg = format!("{}:sub/dir/cert.pem", local.display());
    run(&[
        "create",
        "secret",
        "app",
        "-e",
        "KEY=value",
        "-f",
        &file_arg,
    ]);
    run(&["update", "secret", "app", "-e", "KEY=other"]);
    run(&["unlock"]);
    if exec_available(&vault) {
        // The child reports the modes of its secret file, the directories made
        // for it, and vault's journal of what to remove, while they exist.
        let script =
            "stat -c '%n %a' sub sub/dir sub/dir/cert.pem \"$XDG_RUNTIME_DIR\"/vault/exec-*";
        let modes = run(&["exec", "-s", "app", "--", "sh", "-c", script]);
        let modes: Vec<(&str, &str)> = modes.lines().map(|l| l.rsplit_once(' ').unwrap()).collect();
        assert_eq!(modes.len(), 4, "{modes:?}");
        for (name, mode) in modes {
            let expected = if name.ends_with("sub") || name.ends_with("dir") {
                "700"
            } else {
                "600"
            };
            assert_eq!(mode, expected, "{name}");
        }
    }
    for dir in [vault.path().join("fresh"), dir.clone()] {
        assert_eq!(mode(&dir), 0o700, "{}", dir.display());
    }
    for ext in ["", ".bak", ".lock", ".audit"] {
        let file = PathBuf::from(format!("{}{ext}", path.display()));
        assert_eq!(mode(&file), 0o600, "{}", file.display());
    }
    let runtime = vault.runtime_dir().join("vault");
    let mut checked = 0;
    let mut stack = vec![runtime];
    while let Some(dir) = stack.pop() {
        assert_eq!(mode(&dir), 0o700, "{}", dir.display());
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                assert_eq!(mode(&path), 0o600, "{}", path.display());
                checked += 1;
            }
        }
    }
    assert!(checked > 0, "no session file was checked");
}

#[test]
fn a_vault_file_others_can_read_is_reported() {
    let vault = TestVault::new();
    let path = vault.vault_path();
    for (mode, warned) in [(0o600, false), (0o640, true), (0o604, true), (0o660, true)] {
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        let output = vault.cmd(&["get", "secrets"]).output().unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
        let err = stderr(&output);
        assert_eq!(
            err.contains("warning:") && err.contains("readable by other users"),
            warned,
            "mode {mode:o}: {err}"
        );
        if warned {
            assert!(err.contains("chmod 600"), "{err}");
        }
    }
}
