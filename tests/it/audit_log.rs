//! The audit trail: what is recorded, what is never recorded, `vault log`.

use crate::common::{TestVault, stderr, stdout};
use serde_json::Value;

const CANARIES: [&str; 4] = [
    "canary-audit-create",
    "canary-audit-update",
    "canary-audit-import",
    "canary-audit-file",
];

fn log_json(vault: &TestVault, extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["log", "-o", "json"];
    args.extend_from_slice(extra);
    match vault.json(&args) {
        Value::Array(entries) => entries,
        other => panic!("vault log -o json is not an array: {other}"),
    }
}

fn summary(entries: &[Value]) -> Vec<String> {
    entries
        .iter()
        .map(|e| {
            format!(
                "{} {} {} {}",
                e["action"].as_str().unwrap(),
                e["scope"].as_str().unwrap_or("-"),
                e["project"].as_str().unwrap_or("-"),
                e["secret"].as_str().unwrap_or("-"),
            )
        })
        .collect()
}

/// A workflow touching every recorded action but passwd (tests/sessions.rs).
fn workflow(vault: &TestVault) {
    let local = vault.work().join("key.pem");
    std::fs::write(&local, CANARIES[3]).unwrap();
    vault.ok(&[
        "create",
        "secret",
        "aws",
        "-e",
        &format!("AWS_KEY={}", CANARIES[0]),
    ]);
    vault.ok(&[
        "create",
        "secret",
        "db",
        "-p",
        "blue",
        "-e",
        "URL=x",
        "-f",
        "key.pem:key.pem",
    ]);
    vault.ok(&[
        "update",
        "secret",
        "aws",
        "-e",
        &format!("AWS_KEY={}", CANARIES[1]),
    ]);
    let out = vault
        .cmd(&["edit", "secret", "aws"])
        .env("VISUAL", "printf '\\n# touched\\n' >>")
        .output()
        .unwrap();
    assert!(out.status.success(), "edit: {}", stderr(&out));
    vault.ok(&["get", "secret", "aws", "--reveal"]);
    vault.ok(&["get", "secret", "db", "-p", "blue"]); // not a read of values
    vault.ok(&["export", "db", "-p", "blue"]);
    std::fs::write(
        vault.work().join(".env"),
        format!("TOKEN={}\n", CANARIES[2]),
    )
    .unwrap();
    vault.ok(&["import", ".env", "--secret", "imported"]);
    vault.ok(&["delete", "secret", "db", "-p", "blue", "--yes"]);
    vault.ok(&["unlock", "--ttl", "1m"]);
    vault.ok(&[
        "exec",
        "-s",
        "aws",
        "--",
        "sh",
        "-c",
        "test -n \"$AWS_KEY\"",
    ]);
}

#[test]
fn the_log_records_a_workflow_in_order() {
    let vault = TestVault::new();
    workflow(&vault);
    let entries = log_json(&vault, &[]);
    assert_eq!(
        summary(&entries),
        [
            "create org - aws",
            "create project blue db",
            "update org - aws",
            "edit org - aws",
            "reveal org - aws",
            "export project blue db",
            "import org - imported",
            "delete project blue db",
            "unlock - - -",
            "exec org - aws",
        ]
    );
    for entry in &entries {
        assert_eq!(
            entry["by"].as_str().unwrap().split('@').next(),
            Some("tester")
        );
        let at = entry["at"].as_str().unwrap();
        assert!(
            at.parse::<jiff::Timestamp>().is_ok() && at.ends_with('Z'),
            "{at}"
        );
        let keys: Vec<&String> = entry.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["at", "by", "action", "scope", "project", "secret"]);
    }

    let table = vault.ok(&["log"]);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 1 + entries.len(), "{table}");
    assert!(lines[0].starts_with("TIME"), "{table}");
    assert!(
        lines[2].contains("create") && lines[2].contains("project:blue"),
        "{table}"
    );
    assert!(lines[2].contains("db"), "{table}");
}

#[test]
fn no_value_reaches_the_log() {
    let vault = TestVault::new();
    workflow(&vault);
    let log_path = vault.path().join("data/vault.toml.audit");
    let bytes = std::fs::read(&log_path).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    for canary in CANARIES {
        assert!(!text.contains(canary), "{canary} in the log file");
        for output in [vault.ok(&["log"]), vault.ok(&["log", "-o", "json"])] {
            assert!(!output.contains(canary), "{canary} in vault log");
        }
    }
    // Names are encrypted too: the file is lines of base64 (version 2 lines:
    // `2.KEY_ID.BODY.TAG`), nothing readable.
    // (Only names long enough not to turn up in base64 by chance are checked.)
    for name in ["imported", "reveal", "tester", "action"] {
        assert!(!text.contains(name), "{name} readable in the log file");
    }
    for line in text.lines() {
        assert!(
            line.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+/=.".contains(&b)),
            "{line}"
        );
    }
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&log_path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[test]
fn n_shows_the_newest_entries() {
    let vault = TestVault::new();
    workflow(&vault);
    let all = summary(&log_json(&vault, &[]));
    assert_eq!(
        summary(&log_json(&vault, &["-n", "2"])),
        all[all.len() - 2..]
    );
    assert_eq!(summary(&log_json(&vault, &["-n", "100"])), all);
    assert!(log_json(&vault, &["-n", "0"]).is_empty());
    let table = vault.ok(&["log", "-n", "1"]);
    assert_eq!(table.lines().count(), 2, "{table}");
    assert!(table.contains("exec"), "{table}");
    vault.fails(&["log", "-n", "many"], 2);
}

#[test]
fn an_empty_log() {
    let vault = TestVault::new();
    assert_eq!(vault.ok(&["log", "-o", "json"]).trim(), "[]");
    let out = vault.cmd(&["log"]).output().unwrap();
    assert!(out.status.success());
    assert_eq!(stdout(&out), "");
    assert!(stderr(&out).contains("empty"), "{}", stderr(&out));
}

#[test]
fn recording_a_read_leaves_the_vault_file_unchanged() {
    let vault = TestVault::new();
    vault.ok(&["create", "secret", "aws", "-e", "AWS_KEY=v"]);
    let before = vault.vault_bytes();
    let backup = std::fs::read(vault.path().join("data/vault.toml.bak")).ok();
    vault.ok(&["get", "secret", "aws", "--reveal"]);
    vault.ok(&["export", "aws", "--format", "json"]);
    vault.ok(&["unlock"]);
    vault.ok(&["log"]);
    assert_eq!(vault.vault_bytes(), before);
    assert_eq!(
        std::fs::read(vault.path().join("data/vault.toml.bak")).ok(),
        backup
    );
    assert_eq!(log_json(&vault, &[]).len(), 4);
}

#[test]
fn get_secret_shows_when_values_were_last_read() {
    let vault = TestVault::new();
    vault.ok(&["create", "secret", "aws", "-e", "AWS_KEY=v"]);
    vault.ok(&["create", "secret", "aws", "-p", "blue", "-e", "AWS_KEY=w"]);
    let describe = |args: &[&str]| vault.json(args)["last_read_at"].clone();
    assert_eq!(
        describe(&["get", "secret", "aws", "-o", "json"]),
        Value::Null
    );
    vault.ok(&["export", "aws"]);
    let read = describe(&["get", "secret", "aws", "-o", "json"]);
    let last = log_json(&vault, &[]).last().unwrap()["at"].clone();
    assert_eq!(read, last);
    // Reading the org secret says nothing about project blue's own.
    assert_eq!(
        describe(&["get", "secret", "aws", "-p", "blue", "-o", "json"]),
        Value::Null
    );
    assert!(
        vault
            .ok(&["get", "secret", "aws"])
            .contains(last.as_str().unwrap())
    );
}

#[test]
fn a_session_can_read_the_log_and_is_recorded_by_name_only() {
    let vault = TestVault::new();
    vault.ok(&["create", "secret", "aws", "-e", "AWS_KEY=v"]);
    let token = vault.ok(&["unlock"]);
    let token = token.trim().strip_prefix("export VAULT_SESSION=").unwrap();
    let out = vault
        .bare(&["get", "secret", "aws", "--reveal"])
        .env("VAULT_SESSION", token)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let out = vault
        .bare(&["log", "-o", "json"])
        .env("VAULT_SESSION", token)
        .output()
        .unwrap();
    let entries: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        summary(&entries),
        ["create org - aws", "unlock - - -", "reveal org - aws"]
    );
    assert!(!stdout(&out).contains(token));
}

#[test]
fn a_tampered_log_is_reported_not_trusted() {
    let vault = TestVault::new();
    workflow(&vault);
    let path = vault.path().join("data/vault.toml.audit");
    let text = std::fs::read_to_string(&path).unwrap();
    let without_second: Vec<&str> = text
        .lines()
        .enumerate()
        .filter(|(i, _)| *i != 1)
        .map(|(_, l)| l)
        .collect();
    std::fs::write(&path, without_second.join("\n") + "\n").unwrap();
    let out = vault.fails(&["log"], 5);
    assert!(stderr(&out).contains("line 2"), "{}", stderr(&out));
    // Describing a secret still works, with a warning.
    let out = vault.cmd(&["get", "secret", "aws"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("audit log"), "{}", stderr(&out));
}
