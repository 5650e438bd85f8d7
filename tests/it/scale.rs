//! `vault exec` and the audit trail at scale (issue 15): one compact entry per
//! exec, `last_read_at` from the index, the environment-size refusal, and a
//! large `.env` import. Sizes are asserted here; times live in bench/.

use std::path::Path;

use serde_json::Value;

use crate::common::{PASSPHRASE, TestVault, stderr};
use vault::secret::SecretString;
use vault::vault::model::{EnvVar, Payload, Secret, SecretId};
use vault::vault::storage::Store;
use vault::vault::{KeySource, Vault};

/// Adds `count` org secrets `svc-NNNNN` (one variable each, `value_len`
/// bytes) through the library: a thousand `vault create` would be slow.
fn add_secrets(tv: &TestVault, count: usize, value_len: usize) {
    let mut vault = Vault::new(
        Store::new(tv.vault_path()),
        KeySource::Passphrase(SecretString::from(PASSPHRASE)),
    );
    vault
        .modify(|payload: &mut Payload| {
            for i in 0..count {
                let mut secret = Secret::default();
                secret.env.push(EnvVar {
                    name: format!("S{i:05}_TOKEN"),
                    value: SecretString::new(format!("{i:05}{}", "v".repeat(value_len - 5))),
                });
                payload
                    .org
                    .insert(SecretId::new(&format!("svc-{i:05}"), None), secret);
            }
            Ok(())
        })
        .unwrap();
}

fn audit_path(tv: &TestVault) -> std::path::PathBuf {
    tv.path().join("data/vault.toml.audit")
}

fn size(path: &Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}

fn last_read_at(tv: &TestVault, name: &str) -> Value {
    tv.json(&["get", "secret", name, "-o", "json"])["last_read_at"].clone()
}

#[test]
fn an_exec_of_1000_secrets_adds_one_entry_of_at_most_12_kb() {
    let tv = TestVault::new();
    add_secrets(&tv, 1000, 32);
    let trail = audit_path(&tv);
    let before = size(&trail);
    tv.ok(&["exec", "--no-mask", "--", "true"]);
    let grown = size(&trail) - before;
    assert!(
        grown <= 12 * 1024,
        "one exec of 1,000 secrets wrote {grown} bytes"
    );
    let newest = tv.json(&["log", "-n", "1", "-o", "json"]);
    let exec = &newest[0];
    assert_eq!(exec["action"], "exec");
    let secrets = exec["secrets"].as_array().unwrap();
    assert_eq!(secrets.len(), 1000);
    assert!(secrets.contains(&serde_json::json!(
        {"scope": "org", "project": null, "secret": "svc-00999"}
    )));
    assert_eq!(last_read_at(&tv, "svc-00500"), exec["at"]);
    let table = tv.ok(&["log", "-n", "1"]);
    assert!(table.contains("1000 secrets: svc-00000"), "{table}");
}

#[test]
fn last_read_at_stays_right_when_the_index_is_stale_missing_or_forged() {
    let tv = TestVault::new();
    tv.ok(&["create", "secret", "a", "-e", "A=aaaa"]);
    tv.ok(&["create", "secret", "b", "-e", "B=bbbb"]);
    tv.ok(&["exec", "-s", "a", "-s", "b", "--", "true"]);
    let index = tv.path().join("data/vault.toml.audit.idx");
    assert!(index.exists());
    let first = last_read_at(&tv, "a");
    assert!(first.is_string());
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let old_index = std::fs::read(&index).unwrap();
    tv.ok(&["export", "b"]);
    let exported = tv.json(&["log", "-n", "1", "-o", "json"])[0]["at"].clone();
    assert_ne!(exported, first);
    assert_eq!(last_read_at(&tv, "b"), exported);
    assert_eq!(last_read_at(&tv, "a"), first);
    // An older (but genuine) index no longer matches the trail: not trusted.
    std::fs::write(&index, &old_index).unwrap();
    assert_eq!(last_read_at(&tv, "b"), exported);
    std::fs::remove_file(&index).unwrap();
    assert_eq!(last_read_at(&tv, "b"), exported);
    // A forged index is not opened: rebuilt from the trail.
    std::fs::write(&index, vec![7u8; 200]).unwrap();
    assert_eq!(last_read_at(&tv, "b"), exported);
    assert_eq!(last_read_at(&tv, "a"), first);
}

#[test]
fn a_line_removed_or_altered_is_reported_by_log_and_log_n() {
    let tv = TestVault::new();
    for name in ["a", "b", "c", "d"] {
        tv.ok(&["create", "secret", name, "-e", "K=vvvv"]);
    }
    let path = audit_path(&tv);
    let text = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let without_third: Vec<&str> = [0, 1, 3].iter().map(|&i| lines[i]).collect();
    let mut altered: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    let mut bytes = altered[2].clone().into_bytes();
    bytes[10] = if bytes[10] == b'A' { b'B' } else { b'A' };
    altered[2] = String::from_utf8(bytes).unwrap();
    for tampered in [without_third.join("\n"), altered.join("\n")] {
        std::fs::write(&path, tampered + "\n").unwrap();
        for args in [
            &["log"][..],
            &["log", "-n", "1"],
            &["log", "-n", "2", "-o", "json"],
        ] {
            let out = tv.fails(args, 5);
            assert!(
                stderr(&out).contains("tampered"),
                "{args:?}: {}",
                stderr(&out)
            );
        }
    }
}

/// `vault ARGS` under `ulimit -s 1024`: execve then takes at most 256 KiB.
fn with_a_1_mib_stack(tv: &TestVault, args: &str) -> std::process::Output {
    let vault = tv.cmd(&[]);
    let mut sh = std::process::Command::new("sh");
    sh.arg("-c")
        .arg(format!("ulimit -s 1024 && exec \"$0\" {args}"))
        .arg(vault.get_program())
        .env_clear()
        .current_dir(tv.work());
    for (key, value) in vault.get_envs() {
        if let Some(value) = value {
            sh.env(key, value);
        }
    }
    sh.output().unwrap()
}

#[test]
fn an_environment_larger_than_the_kernel_accepts_is_refused_before_the_child_starts() {
    let tv = TestVault::new();
    // Five values of 60 KB: 300 KB, over the 256 KiB a 1 MiB stack allows.
    add_secrets(&tv, 5, 60_000);
    let trail_before = std::fs::read(audit_path(&tv)).unwrap_or_default();
    let out = with_a_1_mib_stack(&tv, "exec --no-mask -- sh -c 'touch started'");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let message = stderr(&out);
    assert!(
        message.contains("bytes") && message.contains("262144"),
        "{message}"
    );
    assert!(message.contains("nothing was started"), "{message}");
    assert!(!tv.work().join("started").exists(), "the child ran");
    assert_eq!(
        std::fs::read(audit_path(&tv)).unwrap_or_default(),
        trail_before,
        "a run refused is not recorded as a read"
    );
    // --dry-run still shows the plan, and says a real run would be refused.
    let out = with_a_1_mib_stack(&tv, "exec --dry-run -- true");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("a real run would be refused"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_large_env_file_imports_every_key_in_order_and_reimports_in_place() {
    let tv = TestVault::new();
    let keys = 20_000;
    let mut text: String = (0..keys).map(|i| format!("K{i:05}=value-{i}\n")).collect();
    text.push_str("K00007=last-one-wins\n");
    std::fs::write(tv.work().join("big.env"), &text).unwrap();
    let out = tv.ok(&["import", "big.env", "--secret", "big"]);
    assert!(
        out.contains("created with 20000 variable(s)"),
        "{}",
        &out[..200.min(out.len())]
    );
    let exported: Value =
        serde_json::from_str(&tv.ok(&["export", "big", "--format", "json"])).unwrap();
    let exported = exported.as_object().unwrap();
    assert_eq!(exported.len(), keys);
    let names: Vec<&String> = exported.keys().collect();
    assert_eq!(names[0], "K00000");
    assert_eq!(names[keys - 1], &format!("K{:05}", keys - 1));
    assert_eq!(exported["K00007"], "last-one-wins");
    assert_eq!(exported["K19999"], "value-19999");
    // Again, with new values for half and one new key: replaced in place.
    let text: String = (0..keys / 2)
        .map(|i| format!("K{i:05}=new-{i}\n"))
        .collect::<String>()
        + "NEW=x\n";
    std::fs::write(tv.work().join("half.env"), text).unwrap();
    let out = tv.ok(&["import", "half.env", "--secret", "big"]);
    assert!(
        out.contains("added 1 (NEW); replaced 10000"),
        "{}",
        &out[..200.min(out.len())]
    );
    let exported: Value =
        serde_json::from_str(&tv.ok(&["export", "big", "--format", "json"])).unwrap();
    let exported = exported.as_object().unwrap();
    assert_eq!(exported.len(), keys + 1);
    assert_eq!(exported.keys().next().unwrap(), "K00000");
    assert_eq!(exported.keys().next_back().unwrap(), "NEW");
    assert_eq!(exported["K00001"], "new-1");
    assert_eq!(exported["K10001"], "value-10001");
}

#[test]
fn a_vault_of_a_mebibyte_or_more_is_mapped_and_still_checked_byte_by_byte() {
    let tv = TestVault::new();
    add_secrets(&tv, 10, 120_000);
    let path = tv.vault_path();
    let good = std::fs::read(&path).unwrap();
    assert!(good.len() >= 1 << 20, "{} bytes: not mapped", good.len());
    let out = tv.ok(&[
        "exec",
        "--no-mask",
        "-s",
        "svc-00001",
        "--",
        "printenv",
        "S00001_TOKEN",
    ]);
    assert!(out.starts_with("00001vvv"), "{}", &out[..20]);
    // One byte of another record's ciphertext, far from what is read: exit 5.
    for at in [good.len() / 5, good.len() * 4 / 5] {
        let mut damaged = good.clone();
        damaged[at] = if damaged[at] == b'A' { b'B' } else { b'A' };
        std::fs::write(&path, &damaged).unwrap();
        let out = tv.cmd(&["get", "secret", "svc-00001"]).output().unwrap();
        assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
        assert!(stderr(&out).contains("damaged"), "{}", stderr(&out));
        assert_eq!(std::fs::read(&path).unwrap(), damaged);
    }
    std::fs::write(&path, &good).unwrap();
    tv.ok(&["create", "secret", "new", "-e", "NEW=1"]);
    tv.ok(&["get", "secret", "svc-00002"]);
}
