//! `vault unlock`, `vault lock` and `vault passwd`: the session lifecycle.

use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::process::Output;

use crate::common::{PASSPHRASE, TestVault, stderr};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;

/// `eval "$(vault unlock)"`, reduced to the token.
fn unlock(vault: &TestVault, extra: &[&str]) -> String {
    let mut args = vec!["unlock"];
    args.extend_from_slice(extra);
    let out = vault.ok(&args);
    let line = out.trim();
    let token = line
        .strip_prefix("export VAULT_SESSION=")
        .unwrap_or_else(|| panic!("unexpected unlock output: {out}"));
    token.to_owned()
}

/// `vault ARGS` with only the session as a key source.
fn with_session(vault: &TestVault, token: &str, args: &[&str]) -> Output {
    vault
        .bare(args)
        .env("VAULT_SESSION", token)
        .output()
        .expect("run vault")
}

fn assert_session_refused(out: &Output, says: &str) {
    assert_eq!(out.status.code(), Some(4), "stderr: {}", stderr(out));
    let err = stderr(out);
    assert!(err.contains(says), "expected '{says}' in: {err}");
}

fn session_files(vault: &TestVault) -> Vec<PathBuf> {
    let root = vault.runtime_dir().join("vault/sessions");
    let mut files = Vec::new();
    for dir in std::fs::read_dir(root).into_iter().flatten().flatten() {
        for file in std::fs::read_dir(dir.path()).unwrap().flatten() {
            files.push(file.path());
        }
    }
    files
}

#[test]
fn a_session_replaces_the_passphrase() {
    let vault = TestVault::new();
    vault.ok(&["create", "secret", "aws", "-e", "AWS_KEY=canary-sess-1"]);
    let token = unlock(&vault, &[]);
    assert!(token.starts_with("vs1_"), "{token}");

    let out = with_session(
        &vault,
        &token,
        &["get", "secret", "aws", "--reveal", "-o", "json"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("canary-sess-1"));
    let out = with_session(&vault, &token, &["update", "secret", "aws", "-e", "B=2"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = with_session(&vault, &token, &["export", "aws", "--format", "shell"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "export AWS_KEY='canary-sess-1'\nexport B='2'\n"
    );

    // Without the session or a passphrase, nothing opens.
    let out = vault.bare(&["get", "secrets"]).output().unwrap();
    assert_eq!(out.status.code(), Some(4));
}

#[test]
fn unlock_prints_shell_syntax() {
    let vault = TestVault::new();
    let out = vault.ok(&["unlock", "--shell", "fish"]);
    assert!(out.starts_with("set -gx VAULT_SESSION vs1_"), "{out}");
    assert_eq!(out.lines().count(), 1);

    // eval "$(vault unlock)" in a real shell, then a command that uses it.
    let vault_bin = assert_cmd::cargo::cargo_bin("vault");
    let script = format!(
        "eval \"$('{bin}' unlock --ttl 1m)\" && unset VAULT_PASSPHRASE && '{bin}' get secrets -o json",
        bin = vault_bin.display()
    );
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(script)
        .current_dir(vault.work())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", vault.home())
        .env("XDG_RUNTIME_DIR", vault.runtime_dir())
        .env("VAULT_FILE", vault.vault_path())
        .env("VAULT_PASSPHRASE", PASSPHRASE)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "[]");
}

#[test]
fn unlock_needs_the_passphrase_not_a_session() {
    let vault = TestVault::new();
    let token = unlock(&vault, &[]);
    // A session cannot extend itself.
    let out = with_session(&vault, &token, &["unlock"]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    let out = with_session(&vault, &token, &["passwd"]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
}

#[test]
fn a_session_expires() {
    let vault = TestVault::new();
    let token = unlock(&vault, &["--ttl", "1s"]);
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let out = with_session(&vault, &token, &["get", "secrets"]);
    assert_session_refused(&out, "expired");
    assert!(stderr(&out).contains("vault unlock"), "{}", stderr(&out));
}

#[test]
fn bad_ttls_are_usage_errors() {
    let vault = TestVault::new();
    for bad in ["bad", "10", "0s", "1.5h", "99999d", "1m2"] {
        let out = vault.fails(&["unlock", "--ttl", bad], 2);
        assert!(stderr(&out).contains("90s"), "{}", stderr(&out));
    }
    vault.fails(&["unlock", "--ttl", "-1m"], 2);
    assert!(session_files(&vault).is_empty());
}

#[test]
fn lock_ends_every_session() {
    let vault = TestVault::new();
    let first = unlock(&vault, &[]);
    let second = unlock(&vault, &["--ttl", "1h"]);
    assert_eq!(session_files(&vault).len(), 2);
    let out = vault.bare(&["lock"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("2 session(s) ended"),
        "{}",
        stderr(&out)
    );
    for token in [first, second] {
        let out = with_session(&vault, &token, &["get", "secrets"]);
        assert_session_refused(&out, "ended");
    }
    assert!(session_files(&vault).is_empty());
}

#[test]
fn a_token_from_another_vault_is_refused() {
    let ours = TestVault::new();
    let theirs = TestVault::new();
    let token = unlock(&theirs, &[]);
    let out = with_session(&ours, &token, &["get", "secrets"]);
    assert_session_refused(&out, "another vault");
}

#[test]
fn garbled_tokens_are_refused() {
    let vault = TestVault::new();
    let token = unlock(&vault, &[]);
    let mut truncated = token.clone();
    truncated.truncate(token.len() - 5);
    for bad in ["garbage", "vs1_", "vs1_%%%", truncated.as_str()] {
        let out = with_session(&vault, bad, &["get", "secrets"]);
        assert_session_refused(&out, "not a vault session token");
    }
}

#[test]
fn a_token_with_another_session_key_opens_nothing() {
    let vault = TestVault::new();
    let token = unlock(&vault, &[]);
    let mut raw = B64URL.decode(token.strip_prefix("vs1_").unwrap()).unwrap();
    let last = raw.len() - 1;
    raw[last] ^= 0x55; // the session key is the token's last 32 bytes
    let forged = format!("vs1_{}", B64URL.encode(&raw));
    let out = with_session(&vault, &forged, &["get", "secrets"]);
    assert_session_refused(&out, "does not match");
    // The genuine token still works.
    let out = with_session(&vault, &token, &["get", "secrets"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn session_files_are_private() {
    let vault = TestVault::new();
    unlock(&vault, &[]);
    let files = session_files(&vault);
    assert_eq!(files.len(), 1);
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&files[0]), 0o600);
    let mut dir = files[0].parent().unwrap();
    while dir != vault.runtime_dir() {
        assert_eq!(mode(dir), 0o700, "{}", dir.display());
        dir = dir.parent().unwrap();
    }
    // The file is a nonce and a ciphertext: no readable structure. It seals
    // the expiry and the passphrase member's age identity (74 characters).
    let bytes = std::fs::read(&files[0]).unwrap();
    assert_eq!(bytes.len(), 24 + 8 + 74 + 16);
}

#[test]
fn without_xdg_runtime_dir_sessions_live_in_the_users_state_dir() {
    let vault = TestVault::new();
    let tmp = vault.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let out = vault
        .cmd(&["unlock"])
        .env_remove("XDG_RUNTIME_DIR")
        .env("TMPDIR", &tmp)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let token = String::from_utf8_lossy(&out.stdout)
        .trim()
        .strip_prefix("export VAULT_SESSION=")
        .unwrap()
        .to_owned();
    // Not under the temp dir, where another user could create the directory first.
    assert_eq!(std::fs::read_dir(&tmp).unwrap().count(), 0);
    let runtime = vault.home().join(".local/state/vault/runtime");
    let mode = std::fs::metadata(&runtime).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o700);
    assert_eq!(
        std::fs::read_dir(runtime.join("sessions")).unwrap().count(),
        1
    );
    let out = vault
        .bare(&["get", "secrets"])
        .env_remove("XDG_RUNTIME_DIR")
        .env("TMPDIR", &tmp)
        .env("VAULT_SESSION", &token)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn passwd_changes_the_passphrase_and_ends_sessions() {
    let vault = TestVault::new();
    vault.ok(&["create", "secret", "aws", "-e", "AWS_KEY=canary-passwd-1"]);
    vault.ok(&[
        "create",
        "secret",
        "db",
        "-p",
        "blue",
        "-e",
        "URL=canary-passwd-2",
    ]);
    let token = unlock(&vault, &[]);
    let new = "a brand new passphrase";

    let out = vault
        .cmd(&["passwd"])
        .env("VAULT_NEW_PASSPHRASE", new)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!String::from_utf8_lossy(&out.stdout).contains(new));

    // The old passphrase is refused, the session has ended.
    let out = vault.fails(&["get", "secrets"], 4);
    assert!(
        stderr(&out).contains("wrong passphrase"),
        "{}",
        stderr(&out)
    );
    let out = with_session(&vault, &token, &["get", "secrets"]);
    assert_session_refused(&out, "ended");
    assert!(session_files(&vault).is_empty());

    // The new one opens the vault, with every secret intact.
    let with_new = |args: &[&str]| {
        let out = vault
            .bare(args)
            .env("VAULT_PASSPHRASE", new)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        String::from_utf8(out.stdout).unwrap()
    };
    assert_eq!(with_new(&["export", "aws"]), "AWS_KEY='canary-passwd-1'\n");
    assert_eq!(
        with_new(&["export", "db", "-p", "blue"]),
        "URL='canary-passwd-2'\n"
    );
    // The audit trail is still readable, and records the change.
    let log = with_new(&["log", "-o", "json"]);
    let log: serde_json::Value = serde_json::from_str(&log).unwrap();
    let actions: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(actions.contains(&"passwd"), "{actions:?}");
}

#[test]
fn passwd_without_a_new_passphrase_changes_nothing() {
    let vault = TestVault::new();
    let before = vault.vault_bytes();
    let out = vault.fails(&["passwd"], 4);
    assert!(
        stderr(&out).contains("VAULT_NEW_PASSPHRASE"),
        "{}",
        stderr(&out)
    );
    assert_eq!(vault.vault_bytes(), before);
}

#[test]
fn passwd_with_the_wrong_old_passphrase_changes_nothing() {
    let vault = TestVault::new();
    let before = vault.vault_bytes();
    let out = vault
        .bare(&["passwd"])
        .env("VAULT_PASSPHRASE", "not it")
        .env("VAULT_NEW_PASSPHRASE", "new one")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    assert_eq!(vault.vault_bytes(), before);
}

/// `vault ARGS` on a pseudo-terminal, with the test home's environment and no key.
fn on_terminal(vault: &TestVault, args: &[&str]) -> expectrl::Session {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("vault"));
    cmd.args(args)
        .current_dir(vault.work())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", vault.home())
        .env("USER", "tester")
        .env("TERM", "dumb")
        .env("XDG_RUNTIME_DIR", vault.runtime_dir())
        .env("VAULT_FILE", vault.vault_path())
        .env("NO_COLOR", "1");
    let mut session = expectrl::Session::spawn(cmd).expect("spawn on a pty");
    session.set_expect_timeout(Some(std::time::Duration::from_secs(20)));
    session
}

fn exit_code(session: &mut expectrl::Session) -> i32 {
    session.expect(expectrl::Eof).ok();
    match session.get_process_mut().wait().unwrap() {
        expectrl::WaitStatus::Exited(_, code) => code,
        other => panic!("vault did not exit: {other:?}"),
    }
}

#[test]
fn passwd_on_a_terminal_asks_twice() {
    let vault = TestVault::new();
    vault.ok(&["create", "secret", "aws", "-e", "AWS_KEY=v"]);
    let mut tty = on_terminal(&vault, &["passwd"]);
    tty.expect("Passphrase: ").unwrap();
    tty.send_line(PASSPHRASE).unwrap();
    tty.expect("New passphrase: ").unwrap();
    tty.send_line("typed twice").unwrap();
    tty.expect("Repeat the passphrase: ").unwrap();
    tty.send_line("typed twice").unwrap();
    tty.expect("Passphrase changed").unwrap();
    assert_eq!(exit_code(&mut tty), 0);
    let out = vault
        .bare(&["export", "aws"])
        .env("VAULT_PASSPHRASE", "typed twice")
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "AWS_KEY='v'\n");
}

#[test]
fn passwd_on_a_terminal_refuses_a_mismatch() {
    let vault = TestVault::new();
    let before = vault.vault_bytes();
    let mut tty = on_terminal(&vault, &["passwd"]);
    tty.expect("Passphrase: ").unwrap();
    tty.send_line(PASSPHRASE).unwrap();
    tty.expect("New passphrase: ").unwrap();
    tty.send_line("one thing").unwrap();
    tty.expect("Repeat the passphrase: ").unwrap();
    tty.send_line("another").unwrap();
    tty.expect("do not match").unwrap();
    assert_eq!(exit_code(&mut tty), 2);
    assert_eq!(vault.vault_bytes(), before);
}

#[test]
fn unlock_on_a_terminal_asks_for_the_passphrase_and_explains_eval() {
    let vault = TestVault::new();
    let mut tty = on_terminal(&vault, &["unlock", "--ttl", "10m"]);
    tty.expect("Passphrase: ").unwrap();
    tty.send_line(PASSPHRASE).unwrap();
    tty.expect("export VAULT_SESSION=vs1_").unwrap();
    tty.expect("Vault unlocked until").unwrap();
    tty.expect("eval \"$(vault unlock)\"").unwrap();
    assert_eq!(exit_code(&mut tty), 0);
}
