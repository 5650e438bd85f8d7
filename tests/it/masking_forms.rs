//! Masking of the forms values really take (exec step 6 of the contract):
//! each form is printed by the real tool that prints it, with stdout and
//! stderr piped (so masking is on), and must come out as `***`.

use std::process::Command;

use crate::common::TestVault;
use crate::exec_support::{create_from_stdin, run_code};

/// Longer than 57 bytes, so `base64` wraps it at 76 columns, and with a space,
/// quotes, a backslash, a slash, a dollar and non-ASCII.
const VALUE: &str = "it's a \"long\" p@ss w0rd/with\\odd $chars and ümlauts, 0123456789 abcdefghij";

fn has(tool: &str) -> bool {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        eprintln!("skipped: {tool} is not installed");
    }
    found
}

/// Runs `sh -c SCRIPT` under `vault exec` with `$TOKEN` = `value`; returns
/// stdout and stderr together after checking that neither holds `form`
/// (what the tool printed without `vault`) and that something was masked.
fn masked(value: &str, script: &str) -> String {
    let tv = TestVault::new();
    create_from_stdin(&tv, "app", &[], "TOKEN", value);
    let unmasked = Command::new("sh")
        .args(["-c", script])
        .env("TOKEN", value)
        .output()
        .unwrap();
    let form = String::from_utf8_lossy(&[unmasked.stdout, unmasked.stderr].concat()).into_owned();
    assert!(!form.trim().is_empty(), "{script} printed nothing");
    let out = run_code(&tv, &["exec", "-s", "app", "--", "sh", "-c", script], 0);
    let shown = String::from_utf8_lossy(&[out.stdout, out.stderr].concat()).into_owned();
    assert!(
        shown.contains("***"),
        "{script}: nothing masked in {shown:?}"
    );
    for line in form.lines().filter(|l| l.len() >= 8) {
        // What stays of a line (the mixed edge of a base64 group, the quotes
        // around a shell word) is short; the line itself never shows.
        assert!(
            !shown.contains(line.trim()),
            "{script}: {line:?} shown in {shown:?}"
        );
    }
    shown
}

#[test]
fn base64_on_one_line_and_url_safe() {
    if has("base64") {
        masked(VALUE, r#"printf %s "$TOKEN" | base64 -w0; echo"#);
        masked(
            VALUE,
            r#"printf %s "$TOKEN" | base64 -w0 | tr '+/' '-_'; echo"#,
        );
        masked(VALUE, r#"printf 'user:%s' "$TOKEN" | base64 -w0; echo"#);
    }
}

#[test]
fn base64_wrapped_at_76_and_64_columns() {
    if has("base64") {
        let shown = masked(VALUE, r#"printf %s "$TOKEN" | base64"#);
        assert!(shown.lines().count() >= 2, "{shown:?}");
        masked(VALUE, r#"printf %s "$TOKEN" | base64 -w 64"#);
        masked(VALUE, r#"echo "$TOKEN" | base64"#);
    }
}

#[test]
fn grep_colours_inside_the_value() {
    if has("grep") {
        let shown = masked(VALUE, r#"echo "line: $TOKEN" | grep --color=always 'w0rd'"#);
        assert!(shown.contains("\x1b["), "the colours stay: {shown:?}");
        assert!(!shown.contains("with\\odd"), "{shown:?}");
    }
}

#[test]
fn json_string_escaping() {
    if has("python3") {
        masked(
            VALUE,
            r#"python3 -c 'import json,os; print(json.dumps(os.environ["TOKEN"]))'"#,
        );
        masked(
            VALUE,
            r#"python3 -c 'import json,os; print(json.dumps({"t": os.environ["TOKEN"]}, ensure_ascii=False))'"#,
        );
    }
}

#[test]
fn shell_quoting() {
    if has("bash") {
        masked(VALUE, r#"bash -c 'printf "%q\n" "$TOKEN"'"#);
        // set -x quotes the word with '\'' for the single quote.
        masked(VALUE, r#"bash -xc ': "$TOKEN"'"#);
    }
    if has("python3") {
        masked(
            VALUE,
            r#"python3 -c 'import shlex,os; print(shlex.quote(os.environ["TOKEN"]))'"#,
        );
    }
    masked(VALUE, r#"sh -xc ': "$TOKEN"'"#);
}

#[test]
fn hex_in_either_case() {
    if has("xxd") {
        masked(VALUE, r#"printf %s "$TOKEN" | xxd -p"#);
        masked(VALUE, r#"printf %s "$TOKEN" | xxd -p -u"#);
        masked(VALUE, r#"printf %s "$TOKEN" | xxd -p -c 0"#);
    }
}

#[test]
fn url_encoding_in_either_case_with_or_without_slash() {
    if has("python3") {
        let quote = |f: &str| format!(r#"python3 -c 'import urllib.parse as u,os,re; print({f})'"#);
        masked(VALUE, &quote(r#"u.quote(os.environ["TOKEN"])"#));
        masked(VALUE, &quote(r#"u.quote(os.environ["TOKEN"], safe="")"#));
        masked(VALUE, &quote(r#"u.quote_plus(os.environ["TOKEN"])"#));
        masked(
            VALUE,
            &quote(
                r#"re.sub("%[0-9A-F]{2}", lambda m: m.group(0).lower(), u.quote(os.environ["TOKEN"], safe=""))"#,
            ),
        );
    }
}

#[test]
fn a_file_that_is_not_utf8_is_masked_as_bytes() {
    let tv = TestVault::new();
    let binary: Vec<u8> = (0..64u8).map(|i| i.wrapping_mul(37) ^ 0xa5).collect();
    assert!(std::str::from_utf8(&binary).is_err());
    std::fs::write(tv.work().join("key.bin"), &binary).unwrap();
    tv.ok(&["create", "secret", "bin", "-f", "key.bin:out/key.bin"]);
    std::fs::remove_file(tv.work().join("key.bin")).unwrap();
    let out = run_code(&tv, &["exec", "-s", "bin", "--", "cat", "out/key.bin"], 0);
    assert_eq!(out.stdout, b"***");
    if has("xxd") {
        let out = run_code(
            &tv,
            &["exec", "-s", "bin", "--", "xxd", "-p", "out/key.bin"],
            0,
        );
        let shown = String::from_utf8_lossy(&out.stdout);
        assert!(shown.lines().all(|l| l == "***"), "{shown:?}");
    }
}
