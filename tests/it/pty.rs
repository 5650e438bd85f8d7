//! `vault exec --pty` (and `--mask` on a terminal), driven as a person would:
//! `vault` runs in a shell on a pseudo-terminal made by the test, keys are
//! typed into it and the screen is read back (exec step 6 of the contract).

use std::time::Duration;

use expectrl::Session;

use crate::common::TestVault;
use crate::exec_support::{create_from_stdin, run_code, std_command};

const SECRET: &str = "s3cr3t-pty-value";

/// A vault holding `SECRET` as `TOKEN` in the secret `app`.
fn vault_with_secret() -> TestVault {
    let tv = TestVault::new();
    create_from_stdin(&tv, "app", &[], "TOKEN", SECRET);
    tv
}

/// `sh -c SCRIPT` on a terminal made by the test, with `vault`'s test
/// environment and `$VAULT` the binary.
fn terminal(tv: &TestVault, script: &str) -> Session {
    let cmd = std_command(&tv.cmd(&[]));
    let vault = cmd.get_program().to_owned();
    let mut sh = std::process::Command::new("sh");
    sh.arg("-c").arg(script).env_clear();
    for (key, value) in cmd.get_envs() {
        if let Some(value) = value {
            sh.env(key, value);
        }
    }
    sh.env("VAULT", vault)
        .env("TERM", "xterm")
        .current_dir(tv.work());
    let mut session = Session::spawn(sh).expect("spawn on a pty");
    session.set_expect_timeout(Some(Duration::from_secs(20)));
    session
}

#[test]
fn the_child_has_a_terminal_and_colours_pass_while_the_value_is_masked() {
    let tv = vault_with_secret();
    let script = r#"$VAULT exec --pty -- sh -c '[ -t 0 ] && [ -t 1 ] && [ -t 2 ] && echo "all three are terminals"; printf "\033[31mred\033[0m $TOKEN end\n"'; echo "vault exited $?""#;
    let mut tty = terminal(&tv, script);
    tty.expect("all three are terminals").unwrap();
    let seen = tty.expect("vault exited 0").unwrap();
    let before = String::from_utf8_lossy(seen.before()).into_owned();
    assert!(before.contains("\x1b[31mred\x1b[0m *** end"), "{before:?}");
    assert!(!before.contains(SECRET), "{before:?}");
}

#[test]
fn mask_on_a_terminal_runs_the_child_on_a_pty() {
    let tv = vault_with_secret();
    let script = r#"$VAULT exec --mask -- sh -c '[ -t 1 ] && echo "on a terminal: $TOKEN"'; echo "vault exited $?""#;
    let mut tty = terminal(&tv, script);
    let seen = tty.expect("vault exited 0").unwrap();
    let before = String::from_utf8_lossy(seen.before()).into_owned();
    assert!(before.contains("on a terminal: ***"), "{before:?}");
    assert!(!before.contains(SECRET), "{before:?}");
}

#[test]
fn a_typed_line_reaches_the_child_and_its_echo_is_masked() {
    let tv = vault_with_secret();
    let script =
        r#"$VAULT exec --pty -- sh -c 'read line; echo "got <$line>"'; echo "vault exited $?""#;
    let mut tty = terminal(&tv, script);
    std::thread::sleep(Duration::from_millis(500));
    tty.send_line(format!("hello {SECRET}")).unwrap();
    let seen = tty.expect("vault exited 0").unwrap();
    let before = String::from_utf8_lossy(seen.before()).into_owned();
    assert!(before.contains("got <hello ***>"), "{before:?}");
    assert!(!before.contains(SECRET), "{before:?}");
}

#[test]
fn the_window_size_follows_the_terminal() {
    let tv = vault_with_secret();
    let script = r#"$VAULT exec --pty -- sh -c 'echo "size $(stty size)"; read x; echo "size $(stty size)"'"#;
    let mut tty = terminal(&tv, script);
    tty.get_process_mut().set_window_size(100, 30).unwrap();
    // The first size is the terminal's at start.
    tty.expect("size 30 100").unwrap();
    tty.get_process_mut().set_window_size(132, 43).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    tty.send_line("").unwrap();
    tty.expect("size 43 132").unwrap();
}

#[test]
fn ctrl_c_ends_the_child_with_130_and_the_terminal_is_restored() {
    let tv = vault_with_secret();
    let script = r#"stty -g > before; $VAULT exec --pty -- sh -c 'echo started; exec sleep 30'; echo "vault exited $?"; stty -g > after; cmp -s before after && echo "terminal restored""#;
    let mut tty = terminal(&tv, script);
    tty.expect("started").unwrap();
    tty.send([3u8]).unwrap();
    tty.expect("vault exited 130").unwrap();
    tty.expect("terminal restored").unwrap();
}

#[test]
fn a_full_screen_program_shows_and_exits() {
    if std::process::Command::new("less")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("skipped: less is not installed");
        return;
    }
    let tv = vault_with_secret();
    std::fs::write(
        tv.work().join("notes.txt"),
        format!("first line\ntoken {SECRET}\n"),
    )
    .unwrap();
    let script = r#"$VAULT exec --pty -- less notes.txt; echo "vault exited $?""#;
    let mut tty = terminal(&tv, script);
    tty.expect("token ***").unwrap();
    tty.send("q").unwrap();
    let seen = tty.expect("vault exited 0").unwrap();
    assert!(!String::from_utf8_lossy(seen.before()).contains(SECRET));
}

#[test]
fn pty_without_a_terminal_is_a_usage_error() {
    let tv = vault_with_secret();
    let out = run_code(&tv, &["exec", "--pty", "--", "true"], 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("--pty"));
}

/// When the command stops, `vault` stops too (the shell's job control sees
/// the job stop) and `fg` resumes both. The command stops itself here: a
/// Ctrl-Z typed reaches it as SIGTSTP, which the kernel drops for a session
/// leader's process group (see the README).
#[test]
fn a_stopped_child_stops_vault_and_fg_resumes_both() {
    let tv = vault_with_secret();
    // A shell with job control, as a person's would be.
    let script = r#"set -m; $VAULT exec --pty -- sh -c 'kill -STOP $$; read x; echo "resumed <$x>"'; echo "stopped with $?"; fg > /dev/null; echo "vault exited $?""#;
    let mut tty = terminal(&tv, script);
    // 128 + SIGTSTP: the shell saw the job stop.
    tty.expect("stopped with 148").unwrap();
    std::thread::sleep(Duration::from_millis(300));
    tty.send_line("go").unwrap();
    tty.expect("resumed <go>").unwrap();
    tty.expect("vault exited 0").unwrap();
}
