//! `vault import` and `vault export`: values survive every format exactly.

use crate::common;
use std::collections::BTreeMap;
use std::process::Command;

use crate::common::{TestVault, assert_no_canary, stderr, stdout};
use serde_json::Value;

/// Values that break naive quoting, keyed by the variable that holds them.
const HOSTILE: &[(&str, &str)] = &[
    ("SPACES", "  with  spaces  "),
    ("SINGLE", "it's 'quoted'"),
    ("DOUBLE", "say \"hi\""),
    ("DOLLAR", "$HOME ${HOME} $(id) $"),
    ("BACKTICK", "`id` and `uname -a`"),
    ("BACKSLASH", "C:\\path\\to\\"),
    ("TRAILING_BACKSLASH", "ends\\"),
    ("NEWLINES", "line one\nline two\n\nline four\n"),
    ("CRLF", "a\r\nb\r"),
    ("UNICODE", "ünïcødé ✓ 🔑 日本"),
    ("EQUALS", "a=b==c="),
    ("HASH", "# not a comment"),
    ("MIXED", "'\"$`\\\n'\\''"),
    ("TAB", "\tindented\t"),
    ("EMPTY", ""),
];

fn hostile_vault() -> TestVault {
    let vault = TestVault::new();
    let mut args = vec![
        "create".to_owned(),
        "secret".to_owned(),
        "hostile".to_owned(),
    ];
    for (key, value) in HOSTILE {
        args.push("-e".to_owned());
        args.push(format!("{key}={value}"));
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    vault.ok(&args);
    vault
}

fn expected() -> Vec<(String, String)> {
    HOSTILE
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// The secret's variables as `export --format json` shows them, in order.
fn values(vault: &TestVault, name: &str) -> Vec<(String, String)> {
    let text = vault.ok(&["export", name, "--format", "json"]);
    let map: serde_json::Map<String, Value> = serde_json::from_str(&text).unwrap();
    map.into_iter()
        .map(|(k, v)| (k, v.as_str().unwrap().to_owned()))
        .collect()
}

#[test]
fn dotenv_export_reads_back_through_dotenvy_and_import() {
    let vault = hostile_vault();
    let text = vault.ok(&["export", "hostile", "--format", "dotenv"]);
    let parsed: Vec<(String, String)> = dotenvy::from_read_iter(text.as_bytes())
        .collect::<Result<_, _>>()
        .expect("dotenvy reads the export");
    assert_eq!(parsed, expected());

    std::fs::write(vault.work().join("hostile.env"), &text).unwrap();
    vault.ok(&["import", "hostile.env", "--secret", "copy"]);
    assert_eq!(values(&vault, "copy"), expected());
}

#[test]
fn json_export_reads_back_through_import() {
    let vault = hostile_vault();
    let text = vault.ok(&["export", "hostile", "--format", "json"]);
    let map: BTreeMap<String, String> = serde_json::from_str(&text).unwrap();
    assert_eq!(map.len(), HOSTILE.len());
    std::fs::write(vault.work().join("hostile.json"), &text).unwrap();
    vault.ok(&["import", "hostile.json", "--secret", "copy"]);
    assert_eq!(values(&vault, "copy"), expected());
    // --format overrides the extension.
    std::fs::write(vault.work().join("data.txt"), &text).unwrap();
    vault.ok(&[
        "import", "data.txt", "--format", "json", "--secret", "copy2",
    ]);
    assert_eq!(values(&vault, "copy2"), expected());
}

#[test]
fn shell_export_survives_dot_sourcing_in_sh() {
    let vault = hostile_vault();
    let text = vault.ok(&["export", "hostile", "--format", "shell"]);
    std::fs::write(vault.work().join("file"), &text).unwrap();
    for (key, value) in HOSTILE {
        let out = Command::new("sh")
            .arg("-c")
            .arg(format!(". ./file; printf %s \"${key}\""))
            .current_dir(vault.work())
            .env("HOME", "/nonexistent-home")
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(stdout(&out), *value, "{key}");
    }
    // The variables are exported to children too.
    let out = Command::new("sh")
        .arg("-c")
        .arg(". ./file; env | grep -c '^UNICODE='")
        .current_dir(vault.work())
        .output()
        .unwrap();
    assert_eq!(stdout(&out).trim(), "1");
}

#[test]
fn import_reads_real_dotenv_syntax() {
    let vault = TestVault::new();
    let env = "# comment line\n\
               export EXPORTED=yes\n\
               PLAIN=plain # trailing comment\n\
               SINGLE='no $expansion here'\n\
               DOUBLE=\"no tab escape: \\\"quoted\\\" \\$5 \\\\\"\n\
               MULTI=\"-----BEGIN KEY-----\n\
               abc\n\
               -----END KEY-----\"\n\
               \n\
               SPACED = spaced\n";
    std::fs::write(vault.work().join(".env"), env).unwrap();
    let out = vault.ok(&["import", ".env", "--secret", "app"]);
    assert_eq!(
        out.trim(),
        "Secret 'app' created with 6 variable(s): EXPORTED, PLAIN, SINGLE, DOUBLE, MULTI, SPACED."
    );
    let got = values(&vault, "app");
    let want = [
        ("EXPORTED", "yes"),
        ("PLAIN", "plain"),
        ("SINGLE", "no $expansion here"),
        ("DOUBLE", "no tab escape: \"quoted\" $5 \\"),
        ("MULTI", "-----BEGIN KEY-----\nabc\n-----END KEY-----"),
        ("SPACED", "spaced"),
    ]
    .map(|(k, v)| (k.to_owned(), v.to_owned()));
    assert_eq!(got, want);
}

#[test]
fn import_adds_to_an_existing_secret_naming_keys_not_values() {
    let vault = TestVault::new();
    vault.ok(&[
        "create",
        "secret",
        "app",
        "-p",
        "blue",
        "-e",
        "KEEP=kept",
        "-e",
        "ROTATE=old",
    ]);
    std::fs::write(
        vault.work().join(".env"),
        "ROTATE=canary-import-new\nADDED=canary-import-added\n",
    )
    .unwrap();
    let out = vault
        .cmd(&["import", ".env", "--secret", "app", "-p", "blue"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out).trim(),
        "Secret 'app' in project 'blue' updated: added 1 (ADDED); replaced 1 (ROTATE)."
    );
    assert_no_canary(&out, "canary-import");
    let text = vault.ok(&["export", "app", "-p", "blue", "--format", "json"]);
    let map: serde_json::Map<String, Value> = serde_json::from_str(&text).unwrap();
    let got: Vec<(&str, &str)> = map
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str().unwrap()))
        .collect();
    assert_eq!(
        got,
        [
            ("KEEP", "kept"),
            ("ROTATE", "canary-import-new"),
            ("ADDED", "canary-import-added")
        ]
    );
    // The org level was not touched.
    vault.fails(&["export", "app"], 3);
}

#[test]
fn import_reads_stdin() {
    let vault = TestVault::new();
    let out = vault
        .cmd(&["import", "-", "--secret", "piped"])
        .write_stdin("A=1\nB='two words'\n")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let out = vault
        .cmd(&["import", "-", "--format", "json", "--secret", "piped"])
        .write_stdin("{\"C\": \"3\"}")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        vault.ok(&["export", "piped", "--format", "shell"]),
        "export A='1'\nexport B='two words'\nexport C='3'\n"
    );
}

#[test]
fn a_key_defined_twice_keeps_its_last_value() {
    let vault = TestVault::new();
    std::fs::write(vault.work().join(".env"), "A=canary-first\nA=second\n").unwrap();
    let out = vault
        .cmd(&["import", ".env", "--secret", "dup"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("A is defined more than once"),
        "{}",
        stderr(&out)
    );
    assert_no_canary(&out, "canary-first");
    assert_eq!(vault.ok(&["export", "dup"]), "A='second'\n");
}

#[test]
fn invalid_input_is_refused_without_showing_values() {
    let vault = TestVault::new();
    vault.ok(&["create", "secret", "app", "-e", "A=1"]);
    let before = vault.vault_bytes();
    let cases: &[(&str, &str)] = &[
        ("bad.env", "GOOD=1\nBAD='unterminated canary-invalid-1\n"),
        ("bad2.env", "KEY=two words canary-invalid-2\n"),
        ("bad3.env", "NOEQUALS canary-invalid-3\n"),
        ("bad.json", "{\"A\": \"canary-invalid-4"),
        ("bad2.json", "[\"canary-invalid-5\"]"),
        ("bad3.json", "{\"A\": {\"nested\": \"canary-invalid-6\"}}"),
        ("bad4.json", "{\"A\": 42}"),
        ("reserved.env", "VAULT_TOKEN=canary-invalid-7\n"),
        ("badkey.json", "{\"not-a-key\": \"canary-invalid-8\"}"),
        ("empty.env", "# nothing here\n"),
    ];
    for (file, contents) in cases {
        std::fs::write(vault.work().join(file), contents).unwrap();
        for secret in ["app", "new"] {
            let out = vault.fails(&["import", file, "--secret", secret], 2);
            assert_no_canary(&out, "canary-invalid");
            assert!(stderr(&out).starts_with("error:"), "{}", stderr(&out));
            assert_eq!(vault.vault_bytes(), before, "{file}");
        }
    }
    let out = vault.fails(&["import", "bad.env", "--secret", "app"], 2);
    assert!(stderr(&out).contains("line 2"), "{}", stderr(&out));
    let out = vault.fails(&["import", "missing.env", "--secret", "app"], 2);
    assert!(stderr(&out).contains("missing.env"), "{}", stderr(&out));
    vault.fails(&["import", "bad.env", "--secret", "bad name"], 2);
    vault.fails(
        &["import", "bad.env", "--secret", "x", "--format", "yaml"],
        2,
    );
    assert_eq!(vault.vault_bytes(), before);
}

#[test]
fn export_resolves_like_get_and_warns_about_files() {
    let vault = TestVault::new();
    std::fs::write(vault.work().join("key.pem"), "pem").unwrap();
    vault.ok(&[
        "create",
        "secret",
        "shared",
        "-e",
        "ORG=1",
        "-f",
        "key.pem:key.pem",
    ]);
    vault.ok(&[
        "create",
        "secret",
        "limited",
        "-e",
        "X=1",
        "--allow-project",
        "red",
    ]);
    // A project sees the org secret when it has none of its own.
    assert_eq!(vault.ok(&["export", "shared", "-p", "blue"]), "ORG='1'\n");
    let out = vault.cmd(&["export", "shared"]).output().unwrap();
    assert!(stderr(&out).contains("1 file(s)"), "{}", stderr(&out));
    vault.fails(&["export", "limited", "-p", "blue"], 7);
    vault.fails(&["export", "nothing"], 3);
    assert_eq!(
        vault.ok(&["export", "limited", "--format", "json"]).trim(),
        "{\n  \"X\": \"1\"\n}"
    );
}

#[test]
fn a_dotenv_file_cannot_copy_the_vault_key_into_a_secret() {
    let vault = TestVault::new();
    std::fs::write(
        vault.work().join(".env"),
        "STOLEN=\"x${VAULT_PASSPHRASE}x\"\n",
    )
    .unwrap();
    let before = vault.vault_bytes();
    let out = vault.fails(&["import", ".env", "--secret", "app"], 2);
    assert!(
        stderr(&out).contains("VAULT_PASSPHRASE"),
        "{}",
        stderr(&out)
    );
    assert_no_canary(&out, common::PASSPHRASE);
    vault.fails(&["create", "secret", "app", "--env-file", ".env"], 2);
    assert_eq!(vault.vault_bytes(), before);
    // Other substitutions work as dotenv defines them.
    std::fs::write(vault.work().join(".env"), "A=one\nB=\"${A}-two\"\n").unwrap();
    vault.ok(&["import", ".env", "--secret", "app"]);
    assert_eq!(vault.ok(&["export", "app"]), "A='one'\nB='one-two'\n");
}
