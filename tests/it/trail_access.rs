//! Who reads which entries of the audit trail (SPEC.md, Security promises: "A
//! project member's actions are recorded too, and what it can read of the
//! trail is limited to its projects"): entries about project P are sealed
//! under P's trail key, every other entry under the org's.

use std::path::{Path, PathBuf};

use crate::common::{TestVault, stderr, stdout};
use crate::members::{as_member, code, keygen};

/// A vault with an org secret only `green` may see, secrets in `blue` and
/// `green`, each revealed by the full (passphrase) member, and a project
/// member `ci` of `blue`.
fn team() -> (TestVault, PathBuf) {
    let tv = TestVault::new();
    tv.ok(&[
        "create",
        "secret",
        "orgcanary",
        "--allow-project",
        "green",
        "-e",
        "O=v1",
    ]);
    tv.ok(&["create", "secret", "bluename", "-p", "blue", "-e", "B=v2"]);
    tv.ok(&[
        "create",
        "secret",
        "greencanary",
        "-p",
        "green",
        "-e",
        "G=v3",
    ]);
    tv.ok(&["get", "secret", "orgcanary", "--reveal"]);
    tv.ok(&["get", "secret", "greencanary", "-p", "green", "--reveal"]);
    let (ci, ci_r) = keygen(&tv, "ci");
    tv.ok(&[
        "member",
        "add",
        "ci",
        "--recipient",
        &ci_r,
        "--project",
        "blue",
    ]);
    (tv, ci)
}

fn log_of(tv: &TestVault, identity: Option<&Path>) -> (String, Vec<serde_json::Value>) {
    let out = match identity {
        Some(identity) => as_member(tv, identity, &["log", "-o", "json"]),
        None => tv.cmd(&["log", "-o", "json"]).output().unwrap(),
    };
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    let entries = serde_json::from_str(&text).unwrap();
    (text, entries)
}

fn trail(tv: &TestVault) -> PathBuf {
    tv.path().join("data/vault.toml.audit")
}

/// The entries naming secret `name` with `action`.
fn count(entries: &[serde_json::Value], action: &str, name: &str) -> usize {
    entries
        .iter()
        .filter(|e| e["action"] == action && e["secret"] == name)
        .count()
}

#[test]
fn a_project_member_reads_only_its_projects_entries_and_its_own_are_recorded() {
    let (tv, ci) = team();
    let out = as_member(&tv, &ci, &["get", "secret", "bluename", "--reveal"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let out = as_member(&tv, &ci, &["exec", "--no-mask", "--", "true"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));

    let (text, entries) = log_of(&tv, Some(&ci));
    for canary in ["orgcanary", "greencanary", "green"] {
        assert!(
            !text.contains(canary),
            "{canary} in a blue member's log: {text}"
        );
    }
    assert!(
        entries.iter().all(|e| e["project"] == "blue"),
        "only entries about blue: {text}"
    );
    assert_eq!(count(&entries, "create", "bluename"), 1, "{text}");
    assert_eq!(
        count(&entries, "reveal", "bluename"),
        1,
        "its own reveal: {text}"
    );
    assert_eq!(
        count(&entries, "exec", "bluename"),
        1,
        "its own exec: {text}"
    );
    // last_read_at from what it can read.
    let out = as_member(&tv, &ci, &["get", "secret", "bluename", "-o", "json"]);
    let got: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(got["last_read_at"].is_string(), "{got}");

    // A full member reads everything, the project member's actions included.
    let (text, entries) = log_of(&tv, None);
    for (action, name) in [
        ("create", "orgcanary"),
        ("create", "greencanary"),
        ("reveal", "orgcanary"),
        ("reveal", "greencanary"),
        ("reveal", "bluename"),
        ("exec", "bluename"),
    ] {
        assert_eq!(count(&entries, action, name), 1, "{action} {name}: {text}");
    }
    let got: serde_json::Value =
        serde_json::from_str(&tv.ok(&["get", "secret", "orgcanary", "-o", "json"])).unwrap();
    assert!(got["last_read_at"].is_string(), "{got}");

    // `-n N`: the newest N entries it can read, past newer lines it cannot.
    for _ in 0..3 {
        tv.ok(&["get", "secret", "greencanary", "-p", "green", "--reveal"]);
    }
    let out = as_member(&tv, &ci, &["log", "-n", "2", "-o", "json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let newest: Vec<serde_json::Value> = serde_json::from_str(&stdout(&out)).unwrap();
    let actions: Vec<&str> = newest
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["reveal", "exec"], "{newest:?}");
}

#[test]
fn both_readers_report_a_removed_or_altered_line_they_cannot_open() {
    let (tv, ci) = team();
    let path = trail(&tv);
    let text = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    // Line 3 creates greencanary: the blue member cannot open it.
    let without: Vec<&str> = [0, 1, 3, 4].iter().map(|&i| lines[i]).collect();
    let mut altered: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    let mut bytes = altered[2].clone().into_bytes();
    bytes[12] = if bytes[12] == b'A' { b'B' } else { b'A' };
    altered[2] = String::from_utf8(bytes).unwrap();
    for tampered in [without.join("\n"), altered.join("\n")] {
        std::fs::write(&path, tampered + "\n").unwrap();
        let full = tv.cmd(&["log"]).output().unwrap();
        let member = as_member(&tv, &ci, &["log"]);
        for out in [full, member] {
            assert_eq!(code(&out), 5, "{}", stderr(&out));
            assert!(stderr(&out).contains("tampered"), "{}", stderr(&out));
        }
    }
}

#[test]
fn after_a_rekey_new_entries_use_new_keys_and_old_ones_stay_readable() {
    let (tv, ci) = team();
    let before = std::fs::read_to_string(trail(&tv)).unwrap();
    tv.ok(&["rekey"]);
    tv.ok(&["get", "secret", "greencanary", "-p", "green", "--reveal"]);
    let out = as_member(&tv, &ci, &["get", "secret", "bluename", "--reveal"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let after = std::fs::read_to_string(trail(&tv)).unwrap();
    let key_id = |line: &str| line.split('.').nth(1).unwrap().to_owned();
    let old_ids: Vec<String> = before.lines().map(key_id).collect();
    for line in after.lines().skip(old_ids.len()) {
        assert!(!old_ids.contains(&key_id(line)), "a key kept by rekey");
    }
    let (text, entries) = log_of(&tv, None);
    assert_eq!(count(&entries, "create", "greencanary"), 1, "{text}");
    assert_eq!(count(&entries, "reveal", "greencanary"), 2, "{text}");
    assert_eq!(count(&entries, "reveal", "bluename"), 1, "{text}");
    let (text, entries) = log_of(&tv, Some(&ci));
    assert!(!text.contains("green"), "{text}");
    assert_eq!(count(&entries, "reveal", "bluename"), 1, "{text}");
}
