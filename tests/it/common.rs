//! The integration-test harness: a `TestVault` owns a temporary home with a
//! vault made with weak KDF parameters (fast tests), and builds `vault`
//! commands whose environment points only inside it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use tempfile::TempDir;

pub const PASSPHRASE: &str = "correct horse battery staple";

pub struct TestVault {
    pub dir: TempDir,
}

impl TestVault {
    /// A test home with an initialised vault.
    pub fn new() -> TestVault {
        let vault = TestVault::empty();
        vault.ok(&["init", "--kdf-memory-mib", "8", "--kdf-iterations", "1"]);
        vault
    }

    /// A test home without a vault.
    pub fn empty() -> TestVault {
        let dir = tempfile::tempdir().expect("temp dir");
        for sub in ["home", "work", "run", "data"] {
            std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        }
        let run = dir.path().join("run");
        std::fs::set_permissions(&run, std::os::unix::fs::PermissionsExt::from_mode(0o700))
            .unwrap();
        TestVault { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn vault_path(&self) -> PathBuf {
        self.path().join("data/vault.toml")
    }

    /// The working directory commands run in.
    pub fn work(&self) -> PathBuf {
        self.path().join("work")
    }

    pub fn home(&self) -> PathBuf {
        self.path().join("home")
    }

    pub fn runtime_dir(&self) -> PathBuf {
        self.path().join("run")
    }

    /// `vault ARGS` with the passphrase in the environment.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = self.bare(args);
        cmd.env("VAULT_PASSPHRASE", PASSPHRASE);
        cmd
    }

    /// `vault ARGS` with no key source at all.
    pub fn bare(&self, args: &[&str]) -> Command {
        let mut cmd = Command::cargo_bin("vault").expect("vault binary");
        cmd.args(args)
            .current_dir(self.work())
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.home())
            .env("USER", "tester")
            .env("XDG_RUNTIME_DIR", self.runtime_dir())
            .env("XDG_DATA_HOME", self.path().join("data-home"))
            .env("VAULT_FILE", self.vault_path())
            .env("NO_COLOR", "1");
        cmd
    }

    /// Runs `vault ARGS` and asserts success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let output = self.cmd(args).output().expect("run vault");
        assert!(
            output.status.success(),
            "vault {args:?} failed: {}\nstdout: {}\nstderr: {}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).expect("utf-8 stdout")
    }

    /// Runs `vault ARGS`, asserts the exit code, returns the whole output.
    pub fn fails(&self, args: &[&str], code: i32) -> Output {
        let output = self.cmd(args).output().expect("run vault");
        assert_eq!(
            output.status.code(),
            Some(code),
            "vault {args:?}: expected exit {code}\nstdout: {}\nstderr: {}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        output
    }

    /// `get secret NAME -o json` (plus extra args) parsed.
    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        serde_json::from_str(&self.ok(args)).expect("JSON output")
    }

    pub fn vault_bytes(&self) -> Vec<u8> {
        std::fs::read(self.vault_path()).expect("vault file")
    }
}

/// Asserts that `canary` appears nowhere in the output.
pub fn assert_no_canary(output: &Output, canary: &str) {
    for (name, bytes) in [("stdout", &output.stdout), ("stderr", &output.stderr)] {
        let text = String::from_utf8_lossy(bytes);
        assert!(!text.contains(canary), "canary found in {name}: {text}");
    }
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}
