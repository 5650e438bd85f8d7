//! `vault read` (one raw value for scripts) and `export --format kestra`.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;

use crate::common::{TestVault, assert_no_canary};
use crate::util::{Snapshot, error_mentions, expect_code, write_work_file};

const CANARY: &str = "canary-read-5e1d";

fn vault() -> TestVault {
    let tv = TestVault::new();
    tv.ok(&[
        "create",
        "secret",
        "api",
        "-e",
        &format!("TOKEN={CANARY}-token"),
    ]);
    tv.ok(&[
        "create",
        "secret",
        "db",
        "-e",
        &format!("URL=postgres://{CANARY}"),
        "-e",
        &format!("PASS={CANARY}-pass"),
    ]);
    tv
}

fn read(tv: &TestVault, args: &[&str]) -> Vec<u8> {
    let mut all = vec!["read"];
    all.extend_from_slice(args);
    let output = expect_code(&mut tv.cmd(&all), 0);
    output.stdout
}

#[test]
fn prints_one_raw_value_with_a_newline_unless_n() {
    let tv = vault();
    assert_eq!(
        read(&tv, &["db", "PASS"]),
        format!("{CANARY}-pass\n").as_bytes()
    );
    assert_eq!(
        read(&tv, &["db", "PASS", "-n"]),
        format!("{CANARY}-pass").as_bytes()
    );
    assert_eq!(
        read(&tv, &["api"]),
        format!("{CANARY}-token\n").as_bytes(),
        "one variable: KEY may be left out"
    );
    // Raw: no quoting, escaping or trimming of what is stored.
    let raw = " spaced 'q' \"dq\" $HOME \\ \n second line ";
    tv.ok(&["update", "secret", "api", "-e", &format!("RAW={raw}")]);
    assert_eq!(read(&tv, &["api", "RAW", "-n"]), raw.as_bytes());
}

#[test]
fn several_variables_without_key_is_exit_2_naming_the_keys() {
    let tv = vault();
    let before = Snapshot::of(&tv);
    let output = expect_code(&mut tv.cmd(&["read", "db"]), 2);
    error_mentions(&output, "URL, PASS");
    assert_no_canary(&output, CANARY);
    assert!(output.stdout.is_empty());
    before.assert_unchanged();
}

#[test]
fn missing_secret_key_or_file_is_exit_3_without_values() {
    let tv = vault();
    for (args, says) in [
        (&["read", "nope"][..], "secret 'nope' not found"),
        (&["read", "db", "USER"], "no variable USER"),
        (&["read", "db", "--file", "key.pem"], "no file 'key.pem'"),
    ] {
        let output = expect_code(&mut tv.cmd(args), 3);
        error_mentions(&output, says);
        assert_no_canary(&output, CANARY);
        assert!(output.stdout.is_empty());
    }
    let output = expect_code(&mut tv.cmd(&["read", "db", "PASS", "--file", "x"]), 2);
    assert_no_canary(&output, CANARY);
}

#[test]
fn file_bytes_come_out_exactly_binary_included() {
    let tv = vault();
    let bytes: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
    write_work_file(&tv, "blob.bin", &bytes);
    tv.ok(&["update", "secret", "db", "-f", "blob.bin:certs/blob.bin"]);
    assert_eq!(read(&tv, &["db", "--file", "certs/blob.bin"]), bytes);
    assert_eq!(read(&tv, &["db", "--file", "certs/blob.bin", "-n"]), bytes);
}

#[test]
fn resolves_by_precedence_and_honours_allow_lists() {
    let tv = vault();
    tv.ok(&[
        "create",
        "secret",
        "api",
        "-p",
        "blue",
        "-e",
        "TOKEN=blue-token",
    ]);
    tv.ok(&[
        "create",
        "secret",
        "red-only",
        "--allow-project",
        "red",
        "-e",
        "K=v",
    ]);
    assert_eq!(read(&tv, &["api", "-p", "blue"]), b"blue-token\n");
    assert_eq!(
        read(&tv, &["api", "-p", "green"]),
        format!("{CANARY}-token\n").as_bytes()
    );
    let output = expect_code(&mut tv.cmd(&["read", "red-only", "-p", "blue"]), 7);
    assert!(output.stdout.is_empty());
}

#[test]
fn is_recorded_as_a_reveal_without_the_value() {
    let tv = vault();
    let described = tv.json(&["get", "secret", "db", "-o", "json"]);
    assert!(described["last_read_at"].is_null());
    read(&tv, &["db", "PASS"]);
    let described = tv.json(&["get", "secret", "db", "-o", "json"]);
    assert!(described["last_read_at"].is_string(), "{described}");
    let log = tv.ok(&["log", "-o", "json"]);
    let entries: serde_json::Value = serde_json::from_str(&log).unwrap();
    let last = entries.as_array().unwrap().last().unwrap();
    assert_eq!(last["action"], "reveal");
    assert_eq!(last["secret"], "db");
    assert!(!log.contains(CANARY), "{log}");
}

#[test]
fn kestra_export_is_secret_prefixed_base64_of_each_value() {
    let tv = TestVault::new();
    let values = [
        ("PLAIN", "hunter2"),
        ("NEWLINES", "line one\nline two\n"),
        ("UNICODE", "ünïcødé 🔑"),
        ("QUOTES", "it's \"q\" $HOME"),
        ("EMPTY", ""),
    ];
    let mut args = vec!["create".to_owned(), "secret".to_owned(), "app".to_owned()];
    for (k, v) in values {
        args.extend(["-e".to_owned(), format!("{k}={v}")]);
    }
    tv.ok(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let text = tv.ok(&["export", "app", "--format", "kestra"]);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), values.len(), "{text}");
    for ((key, value), line) in values.iter().zip(lines) {
        let (name, encoded) = line.split_once('=').unwrap();
        assert_eq!(name, format!("SECRET_{key}"));
        assert_eq!(B64.decode(encoded).unwrap(), value.as_bytes(), "{key}");
    }
    let log = tv.ok(&["log"]);
    assert!(log.contains("export"), "{log}");
}
