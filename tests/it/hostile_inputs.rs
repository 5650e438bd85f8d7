//! Hostile inputs other than the vault file: a `.env` built to expand to
//! gigabytes through `${NAME}` substitution (found by `fuzz_dotenv`), and
//! documents nested deeply enough to exhaust a recursive parser. Each must be
//! refused quickly (exit 2) with nothing written, never exhaust memory or
//! overflow the stack.

use std::time::{Duration, Instant};

use crate::common::{TestVault, stderr};
use crate::security_support::{panicked, spawnable};
use std::os::unix::process::CommandExt;

/// Runs `vault ARGS` with its address space bounded (so that a regression
/// aborts instead of eating the machine's memory); asserts exit 2 within
/// seconds, no panic, the vault untouched.
fn refused(vault: &TestVault, args: &[&str], env: &[(&str, &str)]) -> String {
    let before = vault.vault_bytes();
    let start = Instant::now();
    let mut cmd = spawnable(vault, args);
    cmd.envs(env.iter().copied());
    // SAFETY: setrlimit(2) is async-signal-safe.
    unsafe {
        cmd.pre_exec(|| {
            let limit = 4 << 30;
            nix::sys::resource::setrlimit(nix::sys::resource::Resource::RLIMIT_AS, limit, limit)?;
            Ok(())
        });
    }
    let output = cmd.output().unwrap();
    let err = stderr(&output);
    assert_eq!(
        output.status.code(),
        Some(2),
        "vault {args:?}: {}: {err}",
        output.status
    );
    assert!(!panicked(&output.stderr), "{err}");
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "took {:?}",
        start.elapsed()
    );
    assert_eq!(vault.vault_bytes(), before, "vault {args:?} wrote");
    err
}

#[test]
fn a_dotenv_that_doubles_itself_is_refused() {
    let vault = TestVault::new();
    // 40 lines of A=$A$A ask for 2^40 copies of A: a terabyte.
    let mut text = String::from("A=xxxxxxxxxxxxxxxx\n");
    for _ in 0..40 {
        text.push_str("A=$A${A}\n");
    }
    let path = vault.path().join("laughs.env");
    std::fs::write(&path, &text).unwrap();
    let path = path.to_str().unwrap();
    let err = refused(&vault, &["import", path, "--secret", "boom"], &[]);
    assert!(err.contains("the limit is 65536"), "{err}");
    refused(
        &vault,
        &["create", "secret", "boom", "--env-file", path],
        &[],
    );
}

#[test]
fn a_dotenv_with_too_many_substitutions_is_refused() {
    let vault = TestVault::new();
    let big = "x".repeat(60_000);
    // One line that repeats a 60 KB value: 1000 copies (60 MB) are within the
    // 64 MiB expansion bound and stop at the value limit; 1200 (72 MB) are
    // refused before the line is expanded.
    for (copies, expected) in [(1000, "the limit is 65536"), (1200, "'$' signs")] {
        let text = format!("A={big}\nB={}\n", "$A".repeat(copies));
        let path = vault.path().join("wide.env");
        std::fs::write(&path, text).unwrap();
        let err = refused(
            &vault,
            &["import", path.to_str().unwrap(), "--secret", "w"],
            &[],
        );
        assert!(err.contains(expected), "{copies} copies: {err}");
    }
    // Ordinary substitution still works.
    let path = vault.path().join("ok.env");
    std::fs::write(&path, "HOST=db\nURL=postgres://${HOST}:5432\nPRICE='$5'\n").unwrap();
    vault.ok(&["import", path.to_str().unwrap(), "--secret", "ok"]);
    let values = vault.ok(&["export", "ok", "--format", "json"]);
    let values: serde_json::Value = serde_json::from_str(&values).unwrap();
    assert_eq!(values["URL"], "postgres://db:5432");
    assert_eq!(values["PRICE"], "$5");
}

#[test]
fn deeply_nested_documents_are_refused_without_overflowing_the_stack() {
    let vault = TestVault::new();
    vault.ok(&["create", "secret", "app", "-e", "K=v"]);
    let deep = 100_000;
    // The edit buffer, through a scripted editor.
    for doc in [
        format!("x = {}\n", "[".repeat(deep)),
        format!("x = {}\n", "{a=".repeat(deep)),
        format!("[env]\nK = {}\n", "[".repeat(deep)),
    ] {
        let doc_path = vault.path().join("deep.toml");
        std::fs::write(&doc_path, doc).unwrap();
        let editor = format!("cp {}", doc_path.display());
        refused(&vault, &["edit", "secret", "app"], &[("EDITOR", &editor)]);
    }
    // A JSON import.
    let json = vault.path().join("deep.json");
    std::fs::write(&json, format!("{{\"A\": {}}}", "[".repeat(deep))).unwrap();
    refused(
        &vault,
        &["import", json.to_str().unwrap(), "--secret", "j"],
        &[],
    );
    // A project file (.vault.toml) in the working directory.
    std::fs::write(
        vault.work().join(".vault.toml"),
        format!("project = {}\n", "[".repeat(deep)),
    )
    .unwrap();
    refused(&vault, &["get", "secrets"], &[]);
}

/// The bound counts every '$', quoted or not, so it must not refuse what
/// `vault export` writes for ordinary values full of '$' (found by
/// `fuzz_dotenv` against a first, per-file bound of 1024 '$').
#[test]
fn exported_values_full_of_dollars_read_back() {
    let vault = TestVault::new();
    let value = "$x$".repeat(40); // 80 '$' in 120 bytes
    let mut args = vec!["create".to_owned(), "secret".into(), "money".into()];
    for i in 0..25 {
        args.extend(["-e".into(), format!("V{i}={value}")]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    vault.ok(&args);
    let exported = vault.ok(&["export", "money", "--format", "dotenv"]);
    assert!(exported.matches('$').count() >= 2000);
    let path = vault.path().join("money.env");
    std::fs::write(&path, exported).unwrap();
    vault.ok(&["import", path.to_str().unwrap(), "--secret", "again"]);
    let back: serde_json::Value =
        serde_json::from_str(&vault.ok(&["export", "again", "--format", "json"])).unwrap();
    assert_eq!(back["V24"], value.as_str());
}
