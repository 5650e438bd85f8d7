//! SPEC.md, "Exit codes" 3, 4 and 5, and the key sources of "Where things
//! come from": what a script sees when the vault, a secret, a project or the
//! key is missing or wrong, or when the file is damaged.

use crate::common;
use crate::util;
use std::path::PathBuf;

use crate::common::{PASSPHRASE, TestVault, assert_no_canary};
use crate::util::{Snapshot, error_mentions, expect_code, value_of};

const CANARY: &str = "canary-exit-5c1d";

fn with_secret() -> TestVault {
    let tv = TestVault::new();
    tv.ok(&["create", "secret", "s", "-e", &format!("K={CANARY}")]);
    tv
}

/// Commands that need the vault, reading and writing, with a canary value.
fn commands() -> Vec<Vec<String>> {
    let value = format!("K={CANARY}-new");
    [
        &["get", "secrets"][..],
        &["get", "secrets", "--all", "-o", "json"],
        &["get", "secret", "s", "--reveal"],
        &["get", "projects"],
        &["create", "secret", "n", "-e", &value],
        &["update", "secret", "s", "-e", &value],
        &["delete", "secret", "s", "--yes"],
        &["edit", "secret", "s"],
    ]
    .iter()
    .map(|args| args.iter().map(|a| a.to_string()).collect())
    .collect()
}

fn strs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

// --- 3: not found -----------------------------------------------------------

#[test]
fn no_vault_is_exit_3_with_a_hint_to_init() {
    let tv = TestVault::empty();
    for args in commands() {
        // With a passphrase, and without any key source: the missing file is
        // reported first, rather than asking for a key to a vault that is not there.
        for mut cmd in [tv.cmd(&strs(&args)), tv.bare(&strs(&args))] {
            cmd.env("EDITOR", "true");
            let output = expect_code(&mut cmd, 3);
            error_mentions(&output, "no vault");
            error_mentions(&output, "vault init");
            assert_no_canary(&output, CANARY);
        }
    }
    assert!(!tv.vault_path().exists(), "nothing was created");
}

#[test]
fn a_missing_secret_is_exit_3() {
    let tv = with_secret();
    let before = Snapshot::of(&tv);
    for args in [
        &["get", "secret", "nope"][..],
        &["get", "secret", "nope", "--reveal", "-o", "json"],
        &["get", "secret", "nope", "-p", "blue"],
        &["update", "secret", "nope", "-e", "K=v"],
        &["delete", "secret", "nope", "--yes"],
    ] {
        let output = tv.fails(args, 3);
        error_mentions(&output, "'nope' not found");
        assert!(output.stdout.is_empty());
    }
    let mut cmd = tv.cmd(&["edit", "secret", "nope"]);
    cmd.env("EDITOR", "true");
    expect_code(&mut cmd, 3);
    before.assert_unchanged();
}

#[test]
fn an_unknown_project_is_exit_3() {
    let tv = with_secret();
    let output = tv.fails(&["get", "secrets", "-p", "nosuch"], 3);
    error_mentions(&output, "nosuch");
    assert!(common::stderr(&output).contains("get projects"));
}

// --- 4: authentication ------------------------------------------------------

#[test]
fn a_wrong_passphrase_is_exit_4_and_writes_nothing() {
    let tv = with_secret();
    let before = Snapshot::of(&tv);
    for args in commands() {
        let mut cmd = tv.bare(&strs(&args));
        cmd.env("VAULT_PASSPHRASE", "not the passphrase")
            .env("EDITOR", "true");
        let output = expect_code(&mut cmd, 4);
        error_mentions(&output, "wrong passphrase");
        assert_no_canary(&output, CANARY);
        assert!(output.stdout.is_empty());
    }
    before.assert_unchanged();
}

#[test]
fn no_key_source_without_a_terminal_is_exit_4_naming_the_options() {
    let tv = with_secret();
    let before = Snapshot::of(&tv);
    for args in commands() {
        let mut cmd = tv.bare(&strs(&args));
        cmd.env("EDITOR", "true");
        let output = expect_code(&mut cmd, 4);
        for option in [
            "VAULT_PASSPHRASE",
            "VAULT_PASSPHRASE_FILE",
            "--passphrase-file",
            "VAULT_SESSION",
        ] {
            error_mentions(&output, option);
        }
        assert_no_canary(&output, CANARY);
    }
    // An empty VAULT_PASSPHRASE is no key source either.
    let mut cmd = tv.bare(&["get", "secrets"]);
    cmd.env("VAULT_PASSPHRASE", "");
    let output = expect_code(&mut cmd, 4);
    error_mentions(&output, "VAULT_PASSPHRASE_FILE");
    before.assert_unchanged();
}

fn passphrase_file(tv: &TestVault, name: &str, contents: &str) -> PathBuf {
    let path = tv.home().join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

#[test]
fn the_passphrase_can_come_from_a_file() {
    let tv = with_secret();
    let good = passphrase_file(&tv, "good", &format!("{PASSPHRASE}\n"));
    let good = good.to_str().unwrap();
    // --passphrase-file before and after the subcommand.
    for args in [
        &[
            "--passphrase-file",
            good,
            "get",
            "secret",
            "s",
            "--reveal",
            "-o",
            "json",
        ][..],
        &[
            "get",
            "secret",
            "s",
            "--reveal",
            "-o",
            "json",
            "--passphrase-file",
            good,
        ],
        &[
            "get",
            "--passphrase-file",
            good,
            "secret",
            "s",
            "--reveal",
            "-o",
            "json",
        ],
    ] {
        let output = expect_code(&mut tv.bare(args), 0);
        let secret: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(secret["env"][0]["value"], CANARY, "{args:?}");
    }
    // VAULT_PASSPHRASE_FILE.
    let mut cmd = tv.bare(&["get", "secrets"]);
    cmd.env("VAULT_PASSPHRASE_FILE", good);
    expect_code(&mut cmd, 0);
    // Only the first line counts, without its line ending.
    let crlf = passphrase_file(&tv, "lines", &format!("{PASSPHRASE}\nsecond line\n"));
    expect_code(
        &mut tv.bare(&[
            "get",
            "secrets",
            "--passphrase-file",
            crlf.to_str().unwrap(),
        ]),
        0,
    );
    // Writes work with it too.
    expect_code(
        &mut tv.bare(&[
            "update",
            "secret",
            "s",
            "-e",
            "B=x",
            "--passphrase-file",
            good,
        ]),
        0,
    );
}

#[test]
fn a_bad_passphrase_file_is_exit_4() {
    let tv = with_secret();
    let before = Snapshot::of(&tv);
    let wrong = passphrase_file(&tv, "wrong", "not the passphrase\n");
    let empty = passphrase_file(&tv, "empty", "");
    let missing = tv.home().join("missing");
    for (path, says) in [
        (&wrong, "wrong passphrase"),
        (&empty, "empty"),
        (&missing, "passphrase file"),
    ] {
        for args in [
            &[
                "get",
                "secrets",
                "--passphrase-file",
                path.to_str().unwrap(),
            ][..],
            &[
                "update",
                "secret",
                "s",
                "-e",
                "K=v",
                "--passphrase-file",
                path.to_str().unwrap(),
            ],
        ] {
            let output = expect_code(&mut tv.bare(args), 4);
            error_mentions(&output, says);
        }
    }
    before.assert_unchanged();
}

#[test]
fn vault_passphrase_comes_before_a_passphrase_file() {
    let tv = with_secret();
    let wrong = passphrase_file(&tv, "wrong", "not the passphrase\n");
    let mut cmd = tv.cmd(&[
        "get",
        "secrets",
        "--passphrase-file",
        wrong.to_str().unwrap(),
    ]);
    expect_code(&mut cmd, 0);
    let mut cmd = tv.cmd(&["get", "secrets"]);
    cmd.env("VAULT_PASSPHRASE_FILE", &wrong);
    expect_code(&mut cmd, 0);
}

// --- 5: damaged -------------------------------------------------------------

/// Runs every command on a vault whose bytes were replaced by `damaged`:
/// exit 5, no panic, nothing written, even with a wrong passphrase.
fn assert_damaged(tv: &TestVault, damaged: &[u8], says: &str) {
    std::fs::write(tv.vault_path(), damaged).unwrap();
    let before = Snapshot::of(tv);
    for args in commands() {
        for passphrase in [PASSPHRASE, "a wrong passphrase"] {
            let mut cmd = tv.bare(&strs(&args));
            cmd.env("VAULT_PASSPHRASE", passphrase)
                .env("EDITOR", "true");
            let output = expect_code(&mut cmd, 5);
            error_mentions(&output, says);
            assert_no_canary(&output, CANARY);
            assert!(output.stdout.is_empty());
        }
    }
    before.assert_unchanged();
}

#[test]
fn a_tampered_file_is_exit_5() {
    let tv = with_secret();
    let good = tv.vault_bytes();
    let mut tampered = good.clone();
    let middle = tampered.len() / 2;
    tampered[middle] ^= 0x04;
    assert_damaged(&tv, &tampered, "damaged");
    // A changed header number.
    let text = String::from_utf8(good.clone()).unwrap();
    let changed = text.replace("member passphrase 8192 1 1 ", "member passphrase 8192 2 1 ");
    assert_ne!(changed, text);
    assert_damaged(&tv, changed.as_bytes(), "checksum");
}

#[test]
fn a_truncated_or_extended_file_is_exit_5() {
    let tv = with_secret();
    let good = tv.vault_bytes();
    assert_damaged(&tv, &good[..good.len() / 2], "damaged");
    assert_damaged(&tv, &good[..good.len() - 1], "damaged");
    let mut longer = good.clone();
    longer.push(b'\n');
    assert_damaged(&tv, &longer, "damaged");
    let crlf = String::from_utf8(good.clone())
        .unwrap()
        .replace('\n', "\r\n");
    assert_damaged(&tv, crlf.as_bytes(), "damaged");
}

#[test]
fn an_empty_or_foreign_file_is_exit_5() {
    let tv = with_secret();
    assert_damaged(&tv, b"", "empty");
    assert_damaged(&tv, b"project = \"blue\"\n", "damaged");
    assert_damaged(&tv, &[0xff, 0x00, 0x13, 0x37], "damaged");
}

#[test]
fn restoring_the_backup_recovers_from_damage() {
    let tv = with_secret();
    tv.ok(&["update", "secret", "s", "-e", "B=later"]);
    let backup = std::fs::read(util::backup_path(&tv.vault_path())).unwrap();
    std::fs::write(tv.vault_path(), b"garbage").unwrap();
    tv.fails(&["get", "secrets"], 5);
    std::fs::write(tv.vault_path(), backup).unwrap();
    assert_eq!(value_of(&tv, "s", &[], "K").unwrap(), CANARY);
    assert!(
        value_of(&tv, "s", &[], "B").is_none(),
        "the previous version"
    );
}

#[test]
fn damage_names_the_backup_to_restore_from() {
    let tv = TestVault::new();
    let other = tv.path().join("team.vault");
    let path = other.to_str().unwrap();
    tv.ok(&[
        "init",
        "--kdf-memory-mib",
        "8",
        "--kdf-iterations",
        "1",
        "--vault",
        path,
    ]);
    tv.ok(&["create", "secret", "s", "-e", "K=v", "--vault", path]);
    let mut bytes = std::fs::read(&other).unwrap();
    bytes.truncate(100);
    std::fs::write(&other, bytes).unwrap();
    let output = tv.fails(&["get", "secrets", "--vault", path], 5);
    let backup = util::backup_path(&other);
    error_mentions(
        &output,
        &format!("restore the previous version from {}", backup.display()),
    );
}
