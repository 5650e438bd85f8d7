//! Small checks shared by the contract tests, on top of `common::TestVault`.
#![allow(dead_code)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Output;

use crate::common::TestVault;

/// The exit code, failing the test on a death by signal.
pub fn code(output: &Output) -> i32 {
    output
        .status
        .code()
        .unwrap_or_else(|| panic!("killed by a signal: {:?}", output.status))
}

/// Runs `cmd` and asserts the exit code; returns the output.
pub fn expect_code(cmd: &mut assert_cmd::Command, want: i32) -> Output {
    let output = cmd.output().expect("run vault");
    assert_eq!(
        code(&output),
        want,
        "expected exit {want}\nstdout: {}\nstderr: {}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    no_panic(&output);
    output
}

/// Asserts that the process did not panic (a panic is never a clean error).
pub fn no_panic(output: &Output) {
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(!err.contains("panicked"), "vault panicked: {err}");
    assert!(!err.contains("RUST_BACKTRACE"), "vault panicked: {err}");
}

/// Asserts the output names a clean `error: …` on stderr containing `needle`.
pub fn error_mentions(output: &Output, needle: &str) {
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains("error: "), "no 'error: ' line in: {err}");
    assert!(
        err.to_lowercase().contains(&needle.to_lowercase()),
        "stderr does not mention {needle:?}: {err}"
    );
}

/// Asserts that a failed command wrote nothing: the vault file is
/// byte-for-byte what it was, and the backup too.
pub struct Snapshot {
    vault: Option<Vec<u8>>,
    backup: Option<Vec<u8>>,
    vault_path: PathBuf,
}

impl Snapshot {
    pub fn of(tv: &TestVault) -> Snapshot {
        Snapshot::of_path(&tv.vault_path())
    }

    pub fn of_path(path: &Path) -> Snapshot {
        Snapshot {
            vault: std::fs::read(path).ok(),
            backup: std::fs::read(backup_path(path)).ok(),
            vault_path: path.to_owned(),
        }
    }

    pub fn assert_unchanged(&self) {
        let now = std::fs::read(&self.vault_path).ok();
        assert!(
            now == self.vault,
            "the vault file changed on a failed or no-op command"
        );
        let backup = std::fs::read(backup_path(&self.vault_path)).ok();
        assert!(backup == self.backup, "the backup changed");
    }
}

pub fn backup_path(vault: &Path) -> PathBuf {
    sibling(vault, "bak")
}

pub fn sibling(vault: &Path, extension: &str) -> PathBuf {
    let mut name = vault.file_name().unwrap().to_os_string();
    name.push(".");
    name.push(extension);
    vault.with_file_name(name)
}

/// Writes `bytes` to `name` in the test's working directory; returns the path.
pub fn write_work_file(tv: &TestVault, name: &str, bytes: &[u8]) -> PathBuf {
    let path = tv.work().join(name);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).unwrap();
    }
    std::fs::write(&path, bytes).unwrap();
    path
}

/// An executable `sh` script in the test's home, for `EDITOR`.
pub fn script(tv: &TestVault, name: &str, body: &str) -> PathBuf {
    let path = tv.home().join(name);
    std::fs::write(&path, format!("#!/bin/sh\nset -e\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

/// The permission bits of a file or directory.
pub fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

/// `get secret NAME [ARGS] --reveal -o json`, parsed.
pub fn reveal(tv: &TestVault, name: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["get", "secret", name, "--reveal", "-o", "json"];
    args.extend_from_slice(extra);
    tv.json(&args)
}

/// The revealed value of `key` in secret `name`.
pub fn value_of(tv: &TestVault, name: &str, extra: &[&str], key: &str) -> Option<String> {
    reveal(tv, name, extra)["env"]
        .as_array()
        .unwrap()
        .iter()
        .find(|var| var["name"] == key)
        .map(|var| var["value"].as_str().unwrap().to_owned())
}

/// The env names of a described secret, in order.
pub fn env_names(secret: &serde_json::Value) -> Vec<String> {
    secret["env"]
        .as_array()
        .unwrap()
        .iter()
        .map(|var| var["name"].as_str().unwrap().to_owned())
        .collect()
}

/// The names in a `get secrets -o json` list, in order.
pub fn names(list: &serde_json::Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap().to_owned())
        .collect()
}
