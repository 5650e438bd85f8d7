//! Completions and man pages: the committed copies under `completions/` and
//! `man/` are current, and the bash script completes names for real.
//!
//! After changing the command line (src/cli.rs), regenerate them with
//! `UPDATE_GENERATED=1 cargo test --test it generated`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{TestVault, stderr};
use vault::generate;

const UPDATE_HINT: &str = "regenerate with: UPDATE_GENERATED=1 cargo test --test it generated";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn updating() -> bool {
    std::env::var_os("UPDATE_GENERATED").is_some_and(|v| !v.is_empty() && v != "0")
}

/// Compares (or, when updating, rewrites) one generated file.
fn check(path: &Path, expected: &[u8]) {
    if updating() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, expected).unwrap();
        return;
    }
    let actual = std::fs::read(path).unwrap_or_default();
    assert!(
        actual == expected,
        "{} is stale or missing; {UPDATE_HINT}",
        path.display()
    );
}

#[test]
fn completions_are_current() {
    for (shell, file) in generate::SHELLS {
        check(
            &repo().join("completions").join(file),
            generate::completion_script(shell).as_bytes(),
        );
    }
}

#[test]
fn man_pages_are_current() {
    let dir = repo().join("man");
    let pages = generate::man_pages();
    if updating() && dir.exists() {
        std::fs::remove_dir_all(&dir).unwrap();
    }
    for (name, roff) in &pages {
        check(&dir.join(name), roff);
    }
    let expected: BTreeSet<&str> = pages.iter().map(|(name, _)| name.as_str()).collect();
    let present: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let present: BTreeSet<&str> = present.iter().map(String::as_str).collect();
    assert_eq!(
        present, expected,
        "man/ has extra or missing pages; {UPDATE_HINT}"
    );
}

#[test]
fn there_is_a_man_page_per_subcommand() {
    let pages = generate::man_pages();
    let names: Vec<&str> = pages.iter().map(|(name, _)| name.as_str()).collect();
    for expected in [
        "vault.1",
        "vault-init.1",
        "vault-create-secret.1",
        "vault-get-secret.1",
        "vault-get-projects.1",
        "vault-update-secret.1",
        "vault-edit-secret.1",
        "vault-delete-secret.1",
        "vault-exec.1",
        "vault-read.1",
        "vault-inject.1",
        "vault-import.1",
        "vault-export.1",
        "vault-unlock.1",
        "vault-lock.1",
        "vault-passwd.1",
        "vault-log.1",
        "vault-completions.1",
    ] {
        assert!(
            names.contains(&expected),
            "{expected} missing from {names:?}"
        );
    }
    assert!(!names.iter().any(|n| n.contains("__complete")), "{names:?}");
    let (_, page) = pages.iter().find(|(n, _)| n == "vault-unlock.1").unwrap();
    let page = String::from_utf8_lossy(page);
    assert!(
        page.contains("vault\\-unlock") && page.contains("\\-\\-ttl"),
        "{page}"
    );
}

#[test]
fn vault_completions_prints_the_committed_scripts() {
    let vault = TestVault::empty();
    for (shell, name) in ["bash", "zsh", "fish", "powershell", "elvish"]
        .iter()
        .zip(generate::SHELLS.map(|(_, file)| file))
    {
        let out = vault.bare(&["completions", shell]).output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        let committed = std::fs::read(repo().join("completions").join(name)).unwrap();
        assert!(
            out.stdout == committed,
            "vault completions {shell}; {UPDATE_HINT}"
        );
    }
    vault.bare(&["completions", "tcsh"]).assert().code(2);
}

#[test]
fn no_script_offers_the_internal_command() {
    for (shell, _) in generate::SHELLS {
        let script = generate::completion_script(shell);
        let offers: Vec<&str> = script
            .lines()
            .filter(|l| {
                l.contains("'__complete:")
                    || l.contains("-a \"__complete\"")
                    || l.contains("new('__complete'")
                    || l.contains("cand __complete")
                    || (l.trim_start().starts_with("opts=") && l.contains(" __complete "))
            })
            .collect();
        assert!(offers.is_empty(), "{shell}: {offers:?}");
    }
}

#[test]
fn scripts_parse_in_their_shells() {
    for (shell, check) in [("bash", "-n"), ("zsh", "-n"), ("fish", "--no-execute")] {
        let Ok(status) = Command::new(shell).arg("--version").output() else {
            eprintln!("{shell} is not installed: not checked");
            continue;
        };
        assert!(status.status.success());
        let file = generate::SHELLS
            .iter()
            .find(|(s, _)| s.to_string() == shell)
            .unwrap()
            .1;
        let out = Command::new(shell)
            .arg(check)
            .arg(repo().join("completions").join(file))
            .output()
            .unwrap();
        assert!(out.status.success(), "{shell}: {}", stderr(&out));
    }
}

/// A vault with org secrets `aws` and `api`, project `blue` with `db`, and a session.
fn vault_with_session() -> (TestVault, String) {
    let vault = TestVault::new();
    vault.ok(&["create", "secret", "aws", "-e", "A=1"]);
    vault.ok(&["create", "secret", "api", "-e", "A=1"]);
    vault.ok(&["create", "secret", "db", "-p", "blue", "-e", "A=1"]);
    vault.ok(&["create", "secret", "web", "-p", "green", "-e", "A=1"]);
    let token = vault.ok(&["unlock"]);
    let token = token
        .trim()
        .strip_prefix("export VAULT_SESSION=")
        .unwrap()
        .to_owned();
    (vault, token)
}

/// Runs the bash completion for `words` (the last one is being completed)
/// in a real bash, as readline would, and returns COMPREPLY.
fn complete_bash(vault: &TestVault, token: Option<&str>, words: &[&str]) -> Vec<String> {
    let bin = assert_cmd::cargo::cargo_bin("vault");
    let mut all = vec![bin.to_string_lossy().into_owned()];
    all.extend(words.iter().map(|w| w.to_string()));
    let quoted: Vec<String> = all.iter().map(|w| format!("'{w}'")).collect();
    let cword = all.len() - 1;
    let script_path = vault.path().join("vault.bash");
    std::fs::write(
        &script_path,
        generate::completion_script(clap_complete::Shell::Bash),
    )
    .unwrap();
    let script = format!(
        "source '{script}'\n\
         COMP_WORDS=({words})\n\
         COMP_CWORD={cword}\n\
         COMP_LINE=\"${{COMP_WORDS[*]}}\"\n\
         COMP_POINT=${{#COMP_LINE}}\n\
         _vault_dynamic '{bin}' \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"\n\
         printf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        script = script_path.display(),
        words = quoted.join(" "),
        bin = bin.display(),
    );
    let mut cmd = Command::new("bash");
    cmd.arg("--norc")
        .arg("-c")
        .arg(script)
        .current_dir(vault.work())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", vault.home())
        .env("XDG_RUNTIME_DIR", vault.runtime_dir())
        .env("VAULT_FILE", vault.vault_path());
    if let Some(token) = token {
        cmd.env("VAULT_SESSION", token);
    }
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stderr(&out), "", "completion wrote to stderr");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

#[test]
fn bash_completes_secret_and_project_names_with_a_session() {
    let (vault, token) = vault_with_session();
    let t = Some(token.as_str());
    assert_eq!(
        complete_bash(&vault, t, &["get", "secret", ""]),
        ["api", "aws"]
    );
    assert_eq!(
        complete_bash(&vault, t, &["get", "secrets", "a"]),
        ["api", "aws"]
    );
    assert_eq!(complete_bash(&vault, t, &["export", "aw"]), ["aws"]);
    assert_eq!(complete_bash(&vault, t, &["read", "aw"]), ["aws"]);
    assert_eq!(
        complete_bash(&vault, t, &["delete", "secret", "-p", "blue", ""]),
        ["api", "aws", "db"]
    );
    assert_eq!(
        complete_bash(&vault, t, &["update", "secret", "--project", "blue", "d"]),
        ["db"]
    );
    assert_eq!(
        complete_bash(&vault, t, &["edit", "secret", ""]),
        ["api", "aws"]
    );
    assert_eq!(
        complete_bash(&vault, t, &["exec", "-p", "green", "-s", ""]),
        ["api", "aws", "web"]
    );
    assert_eq!(
        complete_bash(&vault, t, &["import", "x.env", "--secret", "ap"]),
        ["api"]
    );
    assert_eq!(
        complete_bash(&vault, t, &["get", "secret", "-p", ""]),
        ["blue", "green"]
    );
    assert_eq!(
        complete_bash(&vault, t, &["exec", "--project", "g"]),
        ["green"]
    );
    assert_eq!(
        complete_bash(
            &vault,
            t,
            &["create", "secret", "x", "--allow-project", "b"]
        ),
        ["blue"]
    );
}

#[test]
fn bash_keeps_static_completion_elsewhere() {
    let (vault, token) = vault_with_session();
    let t = Some(token.as_str());
    assert_eq!(complete_bash(&vault, t, &["ge"]), ["get"]);
    assert_eq!(
        complete_bash(&vault, t, &["get", "se"]),
        ["secret", "secrets"]
    );
    assert!(complete_bash(&vault, t, &["unlock", "--t"]).contains(&"--ttl".to_owned()));
    // The internal command is not offered.
    let top = complete_bash(&vault, t, &[""]);
    assert!(top.contains(&"unlock".to_owned()), "{top:?}");
    assert!(!top.iter().any(|w| w.contains("__complete")), "{top:?}");
    assert!(complete_bash(&vault, t, &["__"]).is_empty());
    // create names a new secret; a second positional is not a secret name.
    assert!(!complete_bash(&vault, t, &["create", "secret", ""]).contains(&"aws".to_owned()));
    assert!(!complete_bash(&vault, t, &["get", "secret", "aws", ""]).contains(&"api".to_owned()));
    assert!(!complete_bash(&vault, t, &["exec", "--", ""]).contains(&"aws".to_owned()));
}

#[test]
fn bash_offers_no_names_without_a_session() {
    let (vault, token) = vault_with_session();
    for words in [
        &["get", "secret", ""][..],
        &["export", "a"],
        &["exec", "-p", ""],
    ] {
        let got = complete_bash(&vault, None, words);
        assert!(
            !got.iter()
                .any(|w| ["aws", "api", "blue"].contains(&w.as_str())),
            "{got:?}"
        );
    }
    // An ended session offers nothing either, and says nothing.
    vault.bare(&["lock"]).assert().success();
    let got = complete_bash(&vault, Some(&token), &["get", "secret", ""]);
    assert!(!got.contains(&"aws".to_owned()), "{got:?}");
}

#[test]
fn hidden_complete_lists_names_only_with_a_session() {
    let (vault, token) = vault_with_session();
    let run = |token: Option<&str>, args: &[&str]| {
        let mut cmd = vault.bare(args);
        if let Some(token) = token {
            cmd.env("VAULT_SESSION", token);
        }
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(stderr(&out), "");
        String::from_utf8(out.stdout).unwrap()
    };
    let t = Some(token.as_str());
    assert_eq!(run(t, &["__complete", "secrets"]), "api\naws\n");
    assert_eq!(
        run(t, &["__complete", "secrets", "-p", "blue"]),
        "api\naws\ndb\n"
    );
    assert_eq!(run(t, &["__complete", "projects"]), "blue\ngreen\n");
    assert_eq!(run(t, &["__complete", "nonsense"]), "");
    assert_eq!(run(None, &["__complete", "secrets"]), "");
    assert_eq!(run(Some(""), &["__complete", "secrets"]), "");
    assert_eq!(run(Some("vs1_garbage"), &["__complete", "secrets"]), "");
    // A passphrase in the environment is not used: completion never unlocks.
    let out = vault.cmd(&["__complete", "secrets"]).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "");
    // And it is not listed among the commands.
    let help = vault.ok(&["--help"]);
    assert!(!help.contains("__complete"), "{help}");
}
