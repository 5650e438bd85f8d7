//! SPEC.md, "Security and durability promises" and "Where things come from":
//! the backup, file modes, the lock, and where the vault file is.

use crate::common;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use crate::common::{TestVault, assert_no_canary};
use crate::util::{
    Snapshot, backup_path, error_mentions, expect_code, mode, names, sibling, value_of,
};
use serde_json::json;

#[test]
fn every_write_keeps_the_previous_version_as_bak() {
    let tv = TestVault::new();
    let bak = backup_path(&tv.vault_path());
    let steps: [&[&str]; 4] = [
        &["create", "secret", "s", "-e", "K=canary-bak-1"],
        &["update", "secret", "s", "-e", "K=canary-bak-2"],
        &["create", "secret", "t", "-p", "blue", "-e", "T=1"],
        &["delete", "secret", "s", "--yes"],
    ];
    for args in steps {
        let previous = tv.vault_bytes();
        tv.ok(args);
        assert_eq!(std::fs::read(&bak).unwrap(), previous, "after {args:?}");
        assert_ne!(tv.vault_bytes(), previous);
        assert_eq!(mode(&bak), 0o600);
    }
    // The backup is a whole vault: the version before the delete.
    std::fs::copy(&bak, tv.vault_path()).unwrap();
    assert_eq!(value_of(&tv, "s", &[], "K").unwrap(), "canary-bak-2");
}

#[test]
fn reads_write_nothing() {
    let tv = TestVault::new();
    tv.ok(&["create", "secret", "s", "-e", "K=v"]);
    let before = Snapshot::of(&tv);
    tv.ok(&["get", "secrets"]);
    tv.ok(&["get", "secret", "s", "--reveal"]);
    tv.ok(&["get", "projects"]);
    before.assert_unchanged();
}

fn assert_private_files(vault: &Path) {
    assert_eq!(mode(vault), 0o600, "{}", vault.display());
    for extension in ["bak", "lock", "audit"] {
        let path = sibling(vault, extension);
        assert!(path.exists(), "{} was not written", path.display());
        assert_eq!(mode(&path), 0o600, "{}", path.display());
    }
    // No temporary files are left beside the vault.
    let dir = vault.parent().unwrap();
    let leftovers: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn files_beside_the_vault_are_0600_and_a_new_directory_is_0700() {
    let tv = TestVault::empty();
    let vault = tv.path().join("fresh/nested/vault.toml");
    let path = vault.to_str().unwrap();
    tv.ok(&[
        "init",
        "--kdf-memory-mib",
        "8",
        "--kdf-iterations",
        "1",
        "--vault",
        path,
    ]);
    assert_eq!(mode(&tv.path().join("fresh/nested")), 0o700);
    assert_eq!(mode(&tv.path().join("fresh")), 0o700);
    tv.ok(&["create", "secret", "s", "-e", "K=v", "--vault", path]);
    tv.ok(&["update", "secret", "s", "-e", "K=w", "--vault", path]);
    assert_private_files(&vault);
}

#[test]
fn modes_do_not_depend_on_the_umask() {
    let tv = TestVault::empty();
    let vault = tv.path().join("loose/vault.toml");
    let bin = assert_cmd::cargo::cargo_bin("vault");
    let script = "umask 000 && \"$0\" init --kdf-memory-mib 8 --kdf-iterations 1 && \
         \"$0\" create secret s -e K=v && \"$0\" update secret s -e K=w";
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg(&bin)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", tv.home())
        .env("XDG_RUNTIME_DIR", tv.runtime_dir())
        .env("VAULT_FILE", &vault)
        .env("VAULT_PASSPHRASE", common::PASSPHRASE)
        .current_dir(tv.work())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(mode(vault.parent().unwrap()), 0o700);
    assert_private_files(&vault);
}

#[test]
fn a_vault_readable_by_others_is_warned_about() {
    let tv = TestVault::new();
    std::fs::set_permissions(tv.vault_path(), std::fs::Permissions::from_mode(0o644)).unwrap();
    let output = expect_code(&mut tv.cmd(&["get", "secrets"]), 0);
    let err = common::stderr(&output);
    assert!(
        err.contains("warning:") && err.contains("chmod 600"),
        "{err}"
    );
}

// --- where the vault file is ------------------------------------------------

/// Two vaults: A at VAULT_FILE (the harness's), B elsewhere.
fn two_vaults() -> (TestVault, PathBuf) {
    let tv = TestVault::new();
    tv.ok(&["create", "secret", "in-a", "-e", "K=a"]);
    let b = tv.path().join("b/vault.toml");
    let b_str = b.to_str().unwrap();
    tv.ok(&[
        "init",
        "--kdf-memory-mib",
        "8",
        "--kdf-iterations",
        "1",
        "--vault",
        b_str,
    ]);
    tv.ok(&["--vault", b_str, "create", "secret", "in-b", "-e", "K=b"]);
    (tv, b)
}

#[test]
fn vault_goes_before_or_after_the_subcommand_and_beats_vault_file() {
    let (tv, b) = two_vaults();
    let b = b.to_str().unwrap();
    for args in [
        &["--vault", b, "get", "secrets", "-o", "json"][..],
        &["get", "secrets", "-o", "json", "--vault", b],
        &["get", "--vault", b, "secrets", "-o", "json"],
    ] {
        assert_eq!(names(&tv.json(args)), ["in-b"], "{args:?}");
    }
    // Writes go to the named vault too.
    tv.ok(&["update", "secret", "in-b", "-e", "X=1", "--vault", b]);
    tv.ok(&["--vault", b, "delete", "secret", "in-b", "--yes"]);
    assert_eq!(
        tv.json(&["--vault", b, "get", "secrets", "-o", "json"]),
        json!([])
    );
    // VAULT_FILE's vault was never touched.
    assert_eq!(names(&tv.json(&["get", "secrets", "-o", "json"])), ["in-a"]);
}

#[test]
fn the_default_vault_is_in_the_user_data_dir() {
    let tv = TestVault::empty();
    let data_home = tv.path().join("data-home");
    let mut cmd = tv.cmd(&["init", "--kdf-memory-mib", "8", "--kdf-iterations", "1"]);
    cmd.env_remove("VAULT_FILE");
    expect_code(&mut cmd, 0);
    let default = data_home.join("vault/vault.toml");
    assert!(default.is_file(), "no vault at {}", default.display());
    assert_eq!(mode(&data_home.join("vault")), 0o700);
    let mut cmd = tv.cmd(&["create", "secret", "s", "-e", "K=v"]);
    cmd.env_remove("VAULT_FILE");
    expect_code(&mut cmd, 0);
    assert!(!tv.vault_path().exists(), "VAULT_FILE's path was not used");
}

#[test]
fn a_missing_vault_at_vault_path_says_where_it_looked() {
    let tv = TestVault::new();
    let elsewhere = tv.path().join("nowhere/vault.toml");
    let output = tv.fails(
        &["get", "secrets", "--vault", elsewhere.to_str().unwrap()],
        3,
    );
    error_mentions(&output, elsewhere.to_str().unwrap());
    error_mentions(&output, "vault init");
}

// --- the lock -----------------------------------------------------------------

#[test]
fn concurrent_writers_lose_nothing() {
    let tv = TestVault::new();
    let children: Vec<_> = (0..8)
        .map(|i| {
            let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("vault"));
            cmd.args([
                "create",
                "secret",
                &format!("s{i}"),
                "-e",
                &format!("K=canary-lock-{i}"),
            ])
            .current_dir(tv.work())
            .env_clear()
            .env("HOME", tv.home())
            .env("XDG_RUNTIME_DIR", tv.runtime_dir())
            .env("VAULT_FILE", tv.vault_path())
            .env("VAULT_PASSPHRASE", common::PASSPHRASE)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
            cmd.spawn().unwrap()
        })
        .collect();
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success(), "{}", common::stderr(&output));
        assert_no_canary(&output, "canary-lock");
    }
    let list = tv.json(&["get", "secrets", "-o", "json"]);
    assert_eq!(
        names(&list),
        ["s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7"]
    );
    for i in 0..8 {
        assert_eq!(
            value_of(&tv, &format!("s{i}"), &[], "K").unwrap(),
            format!("canary-lock-{i}")
        );
    }
}

#[test]
fn a_writer_held_up_too_long_is_a_conflict_and_writes_nothing() {
    let tv = TestVault::new();
    tv.ok(&["create", "secret", "s", "-e", "K=v"]);
    let lock = std::fs::OpenOptions::new()
        .write(true)
        .open(sibling(&tv.vault_path(), "lock"))
        .unwrap();
    lock.lock().unwrap();
    let before = Snapshot::of(&tv);
    let mut cmd = tv.cmd(&["update", "secret", "s", "-e", "K=canary-locked-out"]);
    cmd.env("VAULT_LOCK_TIMEOUT", "0.2");
    let output = expect_code(&mut cmd, 6);
    error_mentions(&output, "lock");
    assert_no_canary(&output, "canary-locked-out");
    before.assert_unchanged();
    // Readers do not wait for writers.
    expect_code(&mut tv.cmd(&["get", "secret", "s", "--reveal"]), 0);
    lock.unlock().unwrap();
    tv.ok(&["update", "secret", "s", "-e", "K=after"]);
}
