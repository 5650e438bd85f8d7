//! `vault exec` and processes (SPEC.md, "`vault exec`", rules 4 and 6): signals
//! forwarded to the command and waited for, a terminal's ^C delivered once, files
//! removed however the run ends and swept after a `vault` killed outright, masking
//! decided per stream by whether it is a terminal. Everything runs the real binary.

use std::fs;
use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use crate::common::TestVault;
use crate::exec_support::*;
use nix::sys::signal::Signal;

/// A vault with `files` (`key.pem` in the working directory and `~/.ssh/ci_key`, so
/// `vault` supervises the command) and `plain` (one variable, no file).
fn vault_with_files() -> TestVault {
    let tv = TestVault::new();
    let local = tv.path().join("local.pem");
    fs::write(&local, "canary-signal-file\n").unwrap();
    let local = local.to_str().unwrap();
    tv.ok(&[
        "create",
        "secret",
        "files",
        "-f",
        &format!("{local}:key.pem"),
        "-f",
        &format!("{local}:~/.ssh/ci_key"),
    ]);
    tv.ok(&["create", "secret", "plain", "-e", "PLAIN=plain-value"]);
    tv
}

fn key_pem(tv: &TestVault) -> PathBuf {
    tv.work().join("key.pem")
}

fn journals(tv: &TestVault) -> usize {
    match fs::read_dir(tv.runtime_dir().join("vault")) {
        Ok(entries) => entries
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with("exec-"))
            .count(),
        Err(_) => 0,
    }
}

fn assert_files_gone(tv: &TestVault) {
    assert!(!key_pem(tv).exists(), "key.pem left behind");
    assert!(!tv.home().join(".ssh").exists(), "~/.ssh left behind");
    assert_eq!(journals(tv), 0, "journal left behind");
}

/// `vault exec EXEC_ARGS -- sh -c SCRIPT sh`, spawned with stdin a pipe.
fn spawn_sh(tv: &TestVault, exec_args: &[&str], script: &str) -> Running {
    let mut args = vec!["exec"];
    args.extend_from_slice(exec_args);
    args.extend_from_slice(&["--", "sh", "-c", script, "sh"]);
    Running::spawn_with_stdin(vault_std(tv, &args))
}

/// `vault ARGS` on a pseudo-terminal.
fn on_terminal(tv: &TestVault, args: &[&str]) -> expectrl::Session {
    let mut cmd = vault_std(tv, args);
    cmd.env("TERM", "dumb");
    let mut session = expectrl::Session::spawn(cmd).expect("spawn on a pty");
    session.set_expect_timeout(Some(PATIENCE));
    session
}

fn pty_exit_code(session: &mut expectrl::Session) -> i32 {
    session.expect(expectrl::Eof).ok();
    match session.get_process_mut().wait().unwrap() {
        expectrl::WaitStatus::Exited(_, code) => code,
        other => panic!("vault did not exit: {other:?}"),
    }
}

#[test]
fn without_files_or_masking_vault_becomes_the_command() {
    let tv = vault_with_files();
    let mut vault = spawn_sh(&tv, &["--no-mask", "-s", "plain"], "echo $$");
    let pid = vault.pid();
    assert_eq!(vault.line(), pid.to_string(), "same process: vault exec'd");
    assert!(vault.wait().success());
}

#[test]
fn sigterm_is_forwarded_and_vault_waits_for_the_childs_own_shutdown() {
    let tv = vault_with_files();
    // The trap takes a while and exits 7: vault must wait for it and report it.
    let script = r#"trap 'echo got-term; sleep 0.2; echo cleaned-up; kill $!; exit 7' TERM
        sleep 30 >/dev/null 2>&1 & echo ready; wait"#;
    for mask in ["--mask", "--no-mask"] {
        let mut vault = spawn_sh(&tv, &[mask], script);
        vault.wait_for_line("ready");
        assert!(key_pem(&tv).exists() && tv.home().join(".ssh/ci_key").exists());
        // Another exec meanwhile leaves a live run's files alone.
        let other = run(&tv, &["exec", "--no-mask", "-s", "plain", "--", "true"]);
        assert_code(&other, 0, "a concurrent exec");
        assert!(key_pem(&tv).exists(), "a live run's file was swept");

        vault.signal(Signal::SIGTERM);
        assert_eq!(vault.rest_of_stdout(), ["got-term", "cleaned-up"], "{mask}");
        assert_eq!(vault.wait().code(), Some(7), "{mask}: the child's code");
        assert_files_gone(&tv);
    }
}

#[test]
fn vault_terminated_while_the_child_sleeps_removes_the_files() {
    let tv = vault_with_files();
    for mask in ["--mask", "--no-mask"] {
        let mut vault = spawn_sh(&tv, &[mask], "echo ready; exec sleep 30");
        vault.wait_for_line("ready");
        assert!(key_pem(&tv).exists());
        vault.signal(Signal::SIGTERM);
        assert_eq!(vault.wait().code(), Some(143), "{mask}: 128 + SIGTERM");
        // Gone by the time vault has exited, not some time later.
        assert_files_gone(&tv);
    }
}

#[test]
fn sigint_sighup_and_sigquit_from_another_process_are_forwarded() {
    let tv = vault_with_files();
    for (signal, name, code) in [
        (Signal::SIGINT, "INT", 5),
        (Signal::SIGHUP, "HUP", 6),
        (Signal::SIGQUIT, "QUIT", 8),
    ] {
        let script = format!(
            r#"trap 'echo got-{name}; kill $!; exit {code}' {name}
            sleep 30 >/dev/null 2>&1 & echo ready; wait"#
        );
        let mut vault = spawn_sh(&tv, &[], &script);
        vault.wait_for_line("ready");
        vault.signal(signal);
        vault.wait_for_line(&format!("got-{name}"));
        assert_eq!(vault.wait().code(), Some(code), "{name}");
        assert_files_gone(&tv);
    }
}

#[test]
fn a_signal_the_caller_ignores_stays_ignored() {
    let tv = vault_with_files();
    // Under nohup, SIGHUP is ignored: vault must neither die of it nor hand the
    // command a default disposition (a handler would not survive exec; SIG_IGN does).
    let script = "kill -HUP $$; echo ready; read go; echo survived";
    let template = vault_std(&tv, &["exec", "--", "sh", "-c", script]);
    let mut nohup = std::process::Command::new("nohup");
    nohup
        .arg(template.get_program())
        .args(template.get_args())
        .env_clear()
        .envs(template.get_envs().filter_map(|(k, v)| Some((k, v?))))
        .current_dir(tv.work());
    let mut vault = Running::spawn_with_stdin(nohup);
    vault.wait_for_line("ready");
    vault.signal(Signal::SIGHUP);
    std::thread::sleep(Duration::from_millis(50));
    assert!(vault.is_running(), "vault died of an ignored SIGHUP");
    let mut stdin = vault.child.stdin.take().unwrap();
    stdin.write_all(b"go\n").unwrap();
    assert_eq!(vault.line(), "survived");
    assert_eq!(vault.wait().code(), Some(0));
    assert_files_gone(&tv);
}

#[test]
fn files_of_a_vault_killed_outright_are_swept_by_the_next_exec() {
    let tv = vault_with_files();
    let pid_file = tv.work().join("child.pid");
    let script = r#"echo $$ > child.pid; echo ready; exec sleep 30"#;
    let mut vault = spawn_sh(&tv, &["-s", "files"], script);
    vault.wait_for_line("ready");
    vault.signal(Signal::SIGKILL);
    vault.wait();
    kill_pid_in(&pid_file);
    assert!(key_pem(&tv).exists(), "SIGKILL leaves the file");
    assert!(tv.home().join(".ssh/ci_key").exists());
    assert_eq!(journals(&tv), 1, "but its journal says so");

    // Any exec sweeps, even one that then replaces itself with its command.
    let output = run(&tv, &["exec", "--no-mask", "-s", "plain", "--", "true"]);
    assert_code(&output, 0, "the next exec");
    assert_files_gone(&tv);
    assert!(pid_file.exists(), "only what vault wrote is swept");
}

#[test]
fn a_terminal_ctrl_c_reaches_the_child_once() {
    // The terminal sends ^C to the whole foreground group, vault and the command: vault
    // must not send it again. `wait` returns at the first SIGINT, so the trap has run
    // before a duplicate from vault could arrive; a duplicate would then run it again
    // during `sleep 0.1`. A duplicate arriving before the shell ran its trap merges with
    // the first and goes unseen, hence several rounds.
    let tv = vault_with_files();
    let script = r#"n=0; trap 'n=$((n+1))' INT
        for round in 1 2 3 4 5; do
            sleep 1 & echo "ready $round"; wait; sleep 0.1; kill $! 2>/dev/null
        done
        echo "total $n""#;
    let mut tty = on_terminal(&tv, &["exec", "-s", "files", "--", "sh", "-c", script]);
    for round in 1..=5 {
        tty.expect(format!("ready {round}").as_str()).unwrap();
        tty.send(b"\x03").unwrap();
    }
    let found = tty.expect(expectrl::Regex(r"total \d+")).unwrap();
    let found = String::from_utf8_lossy(found.get(0).unwrap()).into_owned();
    assert_eq!(found, "total 5", "more: vault forwarded the terminal's ^C");
    assert_eq!(pty_exit_code(&mut tty), 0);
    assert_files_gone(&tv);
}

#[test]
fn ctrl_c_on_a_terminal_ends_a_command_that_does_not_catch_it() {
    let tv = vault_with_files();
    let mut tty = on_terminal(
        &tv,
        &[
            "exec",
            "-s",
            "files",
            "--",
            "sh",
            "-c",
            "echo ready; exec sleep 30",
        ],
    );
    tty.expect("ready").unwrap();
    tty.send(b"\x03").unwrap();
    assert_eq!(pty_exit_code(&mut tty), 130, "128 + SIGINT");
    assert_files_gone(&tv);
}

#[test]
fn on_a_terminal_output_is_masked_only_with_mask() {
    let tv = vault_with_files();
    let script = r#"echo "value=$PLAIN""#;
    let mut tty = on_terminal(&tv, &["exec", "-s", "plain", "--", "sh", "-c", script]);
    tty.expect("value=plain-value").unwrap();
    assert_eq!(pty_exit_code(&mut tty), 0);

    let args = ["exec", "--mask", "-s", "plain", "--", "sh", "-c", script];
    let mut tty = on_terminal(&tv, &args);
    let found = tty.expect(expectrl::Regex(r"value=\S+")).unwrap();
    assert_eq!(String::from_utf8_lossy(found.get(0).unwrap()), "value=***");
    assert_eq!(pty_exit_code(&mut tty), 0);
}

#[test]
fn masking_is_decided_per_stream() {
    // stdout a terminal, stderr a file: only stderr is masked.
    let tv = vault_with_files();
    let err_file = tv.work().join("stderr.log");
    let vault = env!("CARGO_BIN_EXE_vault");
    let inner = r#"echo "out=$PLAIN"; echo "err=$PLAIN" >&2"#;
    let script = format!(
        r#"exec '{vault}' exec -s plain -- sh -c '{inner}' 2>'{}'"#,
        err_file.display()
    );
    let template = vault_std(&tv, &[]);
    let mut sh = std::process::Command::new("sh");
    sh.arg("-c")
        .arg(&script)
        .env_clear()
        .envs(template.get_envs().filter_map(|(k, v)| Some((k, v?))))
        .env("TERM", "dumb")
        .current_dir(tv.work());
    let mut tty = expectrl::Session::spawn(sh).expect("spawn on a pty");
    tty.set_expect_timeout(Some(PATIENCE));
    tty.expect("out=plain-value").unwrap();
    assert_eq!(pty_exit_code(&mut tty), 0);
    assert_eq!(fs::read_to_string(&err_file).unwrap(), "err=***\n");
}

#[test]
fn files_go_when_the_child_ends_though_a_background_process_holds_its_output() {
    let tv = vault_with_files();
    let script = r#"sleep 30 & echo $! > bg.pid; echo started"#;
    let mut vault = spawn_sh(&tv, &["--mask"], script);
    vault.wait_for_line("started");
    wait_until_gone(&key_pem(&tv));
    // Still passing on what the background `sleep` may write...
    assert!(vault.is_running());
    // ...until told to stop, exiting with the command's code.
    vault.signal(Signal::SIGTERM);
    assert_eq!(vault.wait().code(), Some(0));
    kill_pid_in(&tv.work().join("bg.pid"));
    assert_files_gone(&tv);
}
