//! The terminal prompts, driven through a pseudo-terminal as a person would:
//! `init` asks for the passphrase twice, other commands once, `-e KEY` asks
//! for the value hidden, and `delete` asks for confirmation. Every wait has a
//! timeout, so a prompt that never comes (or never returns) fails the test.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::common::{PASSPHRASE, TestVault};
use expectrl::{Eof, Session, WaitStatus};

const TIMEOUT: Duration = Duration::from_secs(20);

/// `vault ARGS` on a new terminal, with the environment of `TestVault::bare`
/// (no key source) plus `extra`.
fn spawn(tv: &TestVault, args: &[&str], extra: &[(&str, &str)]) -> Session {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("vault"));
    cmd.args(args)
        .current_dir(tv.work())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", tv.home())
        .env("USER", "tester")
        .env("TERM", "dumb")
        .env("XDG_RUNTIME_DIR", tv.runtime_dir())
        .env("XDG_DATA_HOME", tv.path().join("data-home"))
        .env("VAULT_FILE", tv.vault_path())
        .env("NO_COLOR", "1");
    for (name, value) in extra {
        cmd.env(name, value);
    }
    let mut session = Session::spawn(cmd).expect("spawn vault on a pty");
    session.set_expect_timeout(Some(TIMEOUT));
    session
}

/// Waits for `prompt`, then for the terminal's echo to be off, then types
/// `text` and Enter. Returns everything printed up to the prompt.
fn answer_hidden(session: &mut Session, prompt: &str, text: &str) -> String {
    let before = expect(session, prompt);
    let start = Instant::now();
    while session
        .get_process()
        .get_echo()
        .expect("read the echo flag")
    {
        assert!(
            start.elapsed() < TIMEOUT,
            "echo never turned off at {prompt:?}"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    session.send_line(text).expect("type");
    before
}

/// Waits for `needle`; returns the output up to and including it.
fn expect(session: &mut Session, needle: &str) -> String {
    match session.expect(needle) {
        Ok(found) => String::from_utf8_lossy(found.as_bytes()).into_owned(),
        Err(err) => panic!("waiting for {needle:?}: {err}"),
    }
}

/// Reads to the end and returns the rest of the output and the exit code.
fn finish(mut session: Session) -> (String, i32) {
    let rest = match session.expect(Eof) {
        Ok(found) => String::from_utf8_lossy(found.as_bytes()).into_owned(),
        Err(expectrl::Error::Eof) => String::new(),
        Err(err) => panic!("waiting for the end: {err}"),
    };
    match session.get_process().wait().expect("wait for vault") {
        WaitStatus::Exited(_, code) => (rest, code),
        other => panic!("vault did not exit normally: {other:?}"),
    }
}

fn init_args() -> [&'static str; 5] {
    ["init", "--kdf-memory-mib", "8", "--kdf-iterations", "1"]
}

#[test]
fn init_asks_twice_and_refuses_a_mismatch() {
    let tv = TestVault::empty();
    let mut session = spawn(&tv, &init_args(), &[]);
    answer_hidden(&mut session, "New passphrase: ", "canary-typed-one");
    answer_hidden(&mut session, "Repeat the passphrase: ", "canary-typed-two");
    let (rest, code) = finish(session);
    assert_eq!(code, 2, "{rest}");
    assert!(rest.contains("do not match"), "{rest}");
    assert!(
        !rest.contains("canary-typed"),
        "a passphrase was echoed: {rest}"
    );
    assert!(!tv.vault_path().exists(), "a mismatch creates nothing");

    let mut session = spawn(&tv, &init_args(), &[]);
    let first = answer_hidden(&mut session, "New passphrase: ", PASSPHRASE);
    answer_hidden(&mut session, "Repeat the passphrase: ", PASSPHRASE);
    let (rest, code) = finish(session);
    assert_eq!(code, 0, "{rest}");
    assert!(rest.contains("Vault created"), "{rest}");
    assert!(
        !format!("{first}{rest}").contains(PASSPHRASE),
        "echoed: {rest}"
    );
    // The passphrase typed is the vault's passphrase.
    tv.ok(&["get", "secrets"]);
}

#[test]
fn other_commands_ask_once() {
    let tv = TestVault::new();
    tv.ok(&["create", "secret", "prompted", "-e", "K=canary-prompt-1"]);

    let mut session = spawn(&tv, &["get", "secrets"], &[]);
    answer_hidden(&mut session, "Passphrase: ", PASSPHRASE);
    let (rest, code) = finish(session);
    assert_eq!(code, 0, "{rest}");
    assert!(rest.contains("prompted"), "{rest}");
    assert!(!rest.contains("Passphrase"), "asked twice: {rest}");
    assert!(!rest.contains(PASSPHRASE), "echoed: {rest}");

    // A write asks once too.
    let mut session = spawn(&tv, &["update", "secret", "prompted", "-e", "B=x"], &[]);
    answer_hidden(&mut session, "Passphrase: ", PASSPHRASE);
    let (rest, code) = finish(session);
    assert_eq!(code, 0, "{rest}");
    assert!(rest.contains("updated"), "{rest}");
    assert!(!rest.contains("Passphrase"), "asked twice: {rest}");

    // A wrong one is exit 4.
    let mut session = spawn(&tv, &["get", "secrets"], &[]);
    answer_hidden(&mut session, "Passphrase: ", "not the passphrase");
    let (rest, code) = finish(session);
    assert_eq!(code, 4, "{rest}");
    assert!(rest.contains("wrong passphrase"), "{rest}");
}

#[test]
fn a_value_given_as_e_key_is_asked_for_hidden() {
    let tv = TestVault::new();
    let mut session = spawn(
        &tv,
        &["create", "secret", "typed", "-e", "TOKEN", "-e", "PLAIN=x"],
        &[("VAULT_PASSPHRASE", PASSPHRASE)],
    );
    let before = answer_hidden(&mut session, "Value for TOKEN: ", "canary-typed-value");
    let (rest, code) = finish(session);
    assert_eq!(code, 0, "{rest}");
    assert!(rest.contains("Secret 'typed' created."), "{rest}");
    let all = format!("{before}{rest}");
    assert!(!all.contains("canary-typed-value"), "echoed: {all}");
    let secret = tv.json(&["get", "secret", "typed", "--reveal", "-o", "json"]);
    assert_eq!(
        secret["env"],
        serde_json::json!([
            {"name": "TOKEN", "value": "canary-typed-value"},
            {"name": "PLAIN", "value": "x"}
        ])
    );
}

#[test]
fn values_and_the_passphrase_are_both_asked_for() {
    let tv = TestVault::new();
    let mut session = spawn(
        &tv,
        &["create", "secret", "both", "-e", "A", "-e", "B"],
        &[],
    );
    answer_hidden(&mut session, "Value for A: ", "canary-typed-a");
    answer_hidden(&mut session, "Value for B: ", "canary-typed-b");
    answer_hidden(&mut session, "Passphrase: ", PASSPHRASE);
    let (rest, code) = finish(session);
    assert_eq!(code, 0, "{rest}");
    let secret = tv.json(&["get", "secret", "both", "--reveal", "-o", "json"]);
    assert_eq!(secret["env"][0]["value"], "canary-typed-a");
    assert_eq!(secret["env"][1]["value"], "canary-typed-b");
}

#[test]
fn delete_asks_for_confirmation_on_a_terminal() {
    let tv = TestVault::new();
    tv.ok(&["create", "secret", "doomed", "-e", "K=v"]);
    let env = [("VAULT_PASSPHRASE", PASSPHRASE)];

    // 'n' keeps it.
    let mut session = spawn(&tv, &["delete", "secret", "doomed"], &env);
    expect(&mut session, "Delete secret 'doomed'");
    session.send("n").unwrap();
    let (rest, code) = finish(session);
    assert_eq!(code, 0, "{rest}");
    assert!(rest.contains("Nothing deleted"), "{rest}");
    tv.ok(&["get", "secret", "doomed"]);

    // 'y' deletes it.
    let mut session = spawn(&tv, &["delete", "secret", "doomed"], &env);
    expect(&mut session, "Delete secret 'doomed'");
    session.send("y").unwrap();
    let (rest, code) = finish(session);
    assert_eq!(code, 0, "{rest}");
    assert!(rest.contains("Secret 'doomed' deleted."), "{rest}");
    tv.fails(&["get", "secret", "doomed"], 3);
}

/// An editor that breaks the document on its first run and, when run again,
/// repairs it and changes the value.
fn flaky_editor(tv: &TestVault) -> String {
    use std::os::unix::fs::PermissionsExt;
    let path = tv.home().join("flaky-editor.sh");
    std::fs::write(
        &path,
        "#!/bin/sh\nset -e\n\
         if [ -f \"$HOME/ran-once\" ]; then\n\
           sed -i -e '/^BROKEN/d' -e 's/canary-edit-before/canary-edit-after/' \"$1\"\n\
         else\n\
           : > \"$HOME/ran-once\"\n\
           printf 'BROKEN = = =\\n' >> \"$1\"\n\
         fi\n",
    )
    .unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path.to_str().unwrap().to_owned()
}

#[test]
fn an_invalid_edit_offers_to_edit_again_on_a_terminal() {
    let tv = TestVault::new();
    tv.ok(&["create", "secret", "s", "-e", "K=canary-edit-before"]);
    let editor = flaky_editor(&tv);
    let env = [
        ("VAULT_PASSPHRASE", PASSPHRASE),
        ("EDITOR", editor.as_str()),
    ];

    // Declining writes nothing.
    let before = tv.vault_bytes();
    let mut session = spawn(&tv, &["edit", "secret", "s"], &env);
    let said = expect(&mut session, "Edit again?");
    assert!(said.contains("not valid at line"), "{said}");
    assert!(
        !said.contains("canary-edit"),
        "the error quotes a value: {said}"
    );
    session.send("n").unwrap();
    let (rest, code) = finish(session);
    assert_eq!(code, 2, "{rest}");
    assert!(rest.contains("nothing written"), "{rest}");
    assert_eq!(tv.vault_bytes(), before);

    // Accepting runs the editor again on the same text; its repair is saved.
    std::fs::remove_file(tv.home().join("ran-once")).unwrap();
    let mut session = spawn(&tv, &["edit", "secret", "s"], &env);
    expect(&mut session, "Edit again?");
    session.send("y").unwrap();
    let (rest, code) = finish(session);
    assert_eq!(code, 0, "{rest}");
    assert!(rest.contains("Secret 's' updated."), "{rest}");
    let secret = tv.json(&["get", "secret", "s", "--reveal", "-o", "json"]);
    assert_eq!(secret["env"][0]["value"], "canary-edit-after");
}
