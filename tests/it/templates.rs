//! `{{ secret('NAME') }}` templates (SPEC.md, "Generated values and
//! templates"): `vault inject` and `vault exec --template TEMPLATE:DEST`.
//! Every error names the line and the reference, never a value, and writes
//! nothing; values rendered under exec are masked and their files removed.

use std::fs;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;

use crate::common::{TestVault, assert_no_canary, stderr, stdout};
use crate::util::{Snapshot, error_mentions, expect_code, mode, write_work_file};

const CANARY: &str = "canary-tmpl-4b7e";

/// `db` (two variables), `api` (one, with characters JSON must escape) and a
/// project's own `api`.
fn vault() -> TestVault {
    let tv = TestVault::new();
    tv.ok(&[
        "create",
        "secret",
        "db",
        "-e",
        &format!("URL=postgres://app:{CANARY}@db/app"),
        "-e",
        "USER=app",
    ]);
    tv.ok(&[
        "create",
        "secret",
        "api",
        "-e",
        &format!("TOKEN={CANARY}\"tok\\en"),
    ]);
    tv.ok(&[
        "create",
        "secret",
        "api",
        "-p",
        "blue",
        "-e",
        "TOKEN=blue-token",
    ]);
    tv
}

/// `vault inject ARGS` with `stdin`, asserting `code`.
fn inject(tv: &TestVault, args: &[&str], stdin: &str, code: i32) -> std::process::Output {
    let mut all = vec!["inject"];
    all.extend_from_slice(args);
    expect_code(tv.cmd(&all).write_stdin(stdin.as_bytes().to_vec()), code)
}

fn rendered(tv: &TestVault, template: &str) -> String {
    stdout(&inject(tv, &[], template, 0))
}

#[test]
fn replaces_references_in_every_spelling_with_their_filtered_values() {
    let tv = vault();
    let template = "\
url: {{ secret('db', 'URL') }}
user: {{secret(\"db\",\"USER\")}}
token: {{  secret( 'api' )  }}
json: {{ secret('api') | json }}
b64: {{ secret(\"db\", 'USER')|base64 }}
literal: {{{{ secret('db') }} and }} and { x }
no newline at the end";
    let expected = format!(
        "\
url: postgres://app:{CANARY}@db/app
user: app
token: {CANARY}\"tok\\en
json: \"{CANARY}\\\"tok\\\\en\"
b64: {}
literal: {{{{ secret('db') }}}} and }}}} and {{ x }}
no newline at the end",
        B64.encode("app")
    );
    assert_eq!(rendered(&tv, template), expected);
    let path = write_work_file(&tv, "app.tpl", template.as_bytes());
    let out = stdout(&inject(&tv, &["-i", path.to_str().unwrap()], "", 0));
    assert_eq!(out, expected, "-i reads a file");
    assert_eq!(
        rendered(&tv, "no references at all\n"),
        "no references at all\n"
    );
}

#[test]
fn names_resolve_by_precedence_in_the_selected_project() {
    let tv = vault();
    let out = stdout(&inject(
        &tv,
        &["-p", "blue"],
        "{{ secret('api') }}|{{ secret('db', 'USER') }}",
        0,
    ));
    assert_eq!(out, "blue-token|app");
    tv.ok(&[
        "create",
        "secret",
        "red-only",
        "--allow-project",
        "red",
        "-e",
        "K=v",
    ]);
    let output = inject(&tv, &["-p", "blue"], "{{ secret('red-only') }}", 7);
    assert!(output.stdout.is_empty());
}

#[test]
fn out_is_written_atomically_0600_and_replaced_only_with_force() {
    let tv = vault();
    let out = tv.work().join("config.yml");
    inject(
        &tv,
        &["-o", "config.yml"],
        "user: {{ secret('db', 'USER') }}\n",
        0,
    );
    assert_eq!(fs::read_to_string(&out).unwrap(), "user: app\n");
    assert_eq!(mode(&out), 0o600);

    let output = inject(
        &tv,
        &["-o", "config.yml"],
        "changed {{ secret('api') }}\n",
        6,
    );
    error_mentions(&output, "--force");
    assert_no_canary(&output, CANARY);
    assert_eq!(
        fs::read_to_string(&out).unwrap(),
        "user: app\n",
        "kept without --force"
    );

    fs::set_permissions(&out, std::os::unix::fs::PermissionsExt::from_mode(0o644)).unwrap();
    inject(&tv, &["-o", "config.yml", "--force"], "new\n", 0);
    assert_eq!(fs::read_to_string(&out).unwrap(), "new\n");
    assert_eq!(mode(&out), 0o600, "the replacement is 0600 too");
    let names: Vec<String> = fs::read_dir(tv.work())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["config.yml"], "no temporary file is left");
}

/// A failing template: exit `code`, the line and the reference named, no value
/// anywhere, nothing on stdout, OUT not created and the vault unchanged.
fn refused(tv: &TestVault, template: &[u8], code: i32, says: &[&str]) {
    let before = Snapshot::of(tv);
    let output = expect_code(
        tv.cmd(&["inject", "-o", "out.yml"])
            .write_stdin(template.to_vec()),
        code,
    );
    for needle in says {
        error_mentions(&output, needle);
    }
    assert_no_canary(&output, CANARY);
    assert!(output.stdout.is_empty(), "{}", stdout(&output));
    assert!(!tv.work().join("out.yml").exists(), "nothing is written");
    before.assert_unchanged();
    let log = tv.ok(&["log"]);
    assert!(
        !log.contains("inject"),
        "a failed inject is not recorded: {log}"
    );
}

#[test]
fn a_missing_secret_or_key_is_exit_3_naming_the_line_and_the_reference() {
    let tv = vault();
    let head = "url: {{ secret('db', 'URL') }}\n";
    refused(
        &tv,
        format!("{head}x: {{{{ secret('nope') }}}}\n").as_bytes(),
        3,
        &["stdin, line 2: {{ secret('nope') }}", "not found"],
    );
    refused(
        &tv,
        format!("{head}\n\nx: {{{{ secret('db', 'PASS') }}}}").as_bytes(),
        3,
        &["line 4: {{ secret('db', 'PASS') }}", "no variable PASS"],
    );
}

#[test]
fn malformed_references_and_ambiguous_ones_are_exit_2_naming_the_line() {
    let tv = vault();
    let head = "url: {{ secret('db', 'URL') }}\n";
    for (bad, says) in [
        ("{{ secret('db') }}", "2 variables (URL, USER)"),
        ("{{ secret('db', 'URL') ", "no }} closes it"),
        (
            "{{ secret('db', 'URL') | upper }}",
            "unknown filter 'upper'",
        ),
        ("{{ secret('db', 'URL') | }}", "expected a filter"),
        ("{{ .Values.image }}", "expected secret("),
        ("{{ secret(db) }}", "in quotes"),
        ("{{ secret('db' 'URL') }}", "expected ')'"),
        ("{{ secret('d b') }}", "invalid secret name"),
    ] {
        let template = format!("{head}ok\n{bad}\n");
        refused(
            &tv,
            template.as_bytes(),
            2,
            &[&format!("line 3: {}", bad.trim_end()), says],
        );
    }
}

#[test]
fn a_template_that_is_not_utf8_is_exit_2_naming_the_line() {
    let tv = vault();
    refused(
        &tv,
        b"{{ secret('api') }}\nfine\n\xff\xfe bad\n",
        2,
        &["line 3", "not UTF-8"],
    );
}

#[test]
fn each_secret_used_is_recorded_once_as_read_without_values() {
    let tv = vault();
    rendered(
        &tv,
        "{{ secret('db', 'URL') }}{{ secret('db', 'USER') }}{{ secret('api') }}",
    );
    let entries: serde_json::Value = serde_json::from_str(&tv.ok(&["log", "-o", "json"])).unwrap();
    let injects: Vec<String> = entries
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "inject")
        .map(|e| {
            format!(
                "{} {}",
                e["scope"].as_str().unwrap(),
                e["secret"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(injects, ["org db", "org api"]);
    assert!(!entries.to_string().contains(CANARY));
    let described = tv.json(&["get", "secret", "db", "-o", "json"]);
    assert!(
        described["last_read_at"].is_string(),
        "inject counts as a read"
    );
    let described = tv.json(&["get", "secret", "api", "-p", "blue", "-o", "json"]);
    assert!(described["last_read_at"].is_null(), "only the secret used");
}

/// 100,000 lines, each with a reference: rendered whole and in order. A
/// scanner that went back over the text would take minutes here (the bound
/// below is generous; speed is measured in bench/RESULTS.md, not here).
#[test]
fn a_template_of_100_000_lines_renders_in_one_pass() {
    let tv = vault();
    let template: String = (0..100_000)
        .map(|i| format!("line {i}: {{{{ secret('db', 'USER') }}}} {{{{{{{{ }}}}\n"))
        .collect();
    let output = tv
        .cmd(&["inject"])
        .write_stdin(template.into_bytes())
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert_eq!(text.lines().count(), 100_000);
    assert_eq!(text.lines().nth(99_999), Some("line 99999: app {{ }}"));
    // The same references all on one line: no rescanning of the line either.
    let one_line = "{{ secret('db', 'USER') }},".repeat(100_000);
    let output = tv
        .cmd(&["inject"])
        .write_stdin(one_line.into_bytes())
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(output.stdout.len(), "app,".len() * 100_000);
}

// --- exec --template ----------------------------------------------------------

#[test]
fn exec_renders_each_template_for_the_run_masks_its_values_and_removes_it() {
    let tv = vault();
    write_work_file(
        &tv,
        "config.yml.tpl",
        b"db: {{ secret('db', 'URL') }}\ntoken: {{ secret('api') | base64 }}\n",
    );
    // `api` is not selected: a template may name any secret the run may see.
    let script = "cat out/config.yml; stat -c %a out/config.yml";
    let exec = |mask: &'static str| {
        let template = ["--template", "config.yml.tpl:out/config.yml"];
        let mut args = vec!["exec", mask, "-s", "db"];
        args.extend(template.iter().chain(&["--", "sh", "-c", script]));
        args
    };
    let api = tv.json(&["get", "secret", "api", "-o", "json"]);
    assert!(api["last_read_at"].is_null());
    let unmasked = tv.ok(&exec("--no-mask"));
    let token = B64.encode(format!("{CANARY}\"tok\\en"));
    assert_eq!(
        unmasked,
        format!("db: postgres://app:{CANARY}@db/app\ntoken: {token}\n600\n")
    );
    assert!(
        !tv.work().join("out").exists(),
        "the file and its directory are removed"
    );

    let output = expect_code(&mut tv.cmd(&exec("--mask")), 0);
    assert_no_canary(&output, CANARY);
    assert!(!stdout(&output).contains(&token), "{}", stdout(&output));
    assert!(
        stdout(&output).contains("token: ***"),
        "{}",
        stdout(&output)
    );

    // The template's secret counts as read by the run, selected or not.
    let api = tv.json(&["get", "secret", "api", "-o", "json"]);
    assert!(api["last_read_at"].is_string(), "{api}");
    let log = tv.ok(&["log", "-o", "json"]);
    assert!(log.contains("\"exec\""), "{log}");
    assert!(!log.contains(CANARY));
}

#[test]
fn exec_dry_run_names_templates_and_destinations_without_values() {
    let tv = vault();
    write_work_file(
        &tv,
        "t.tpl",
        b"{{ secret('api') }} {{ secret('db', 'URL') }}\n",
    );
    let out = tv.ok(&[
        "exec",
        "--dry-run",
        "-s",
        "db",
        "--template",
        "t.tpl:conf/app.conf",
        "--",
        "true",
    ]);
    assert!(out.contains("Templates: 1"), "{out}");
    assert!(out.contains("conf/app.conf"), "{out}");
    assert!(
        out.contains("from t.tpl (uses 'api' (org), 'db' (org))"),
        "{out}"
    );
    assert!(!out.contains(CANARY), "{out}");
    assert!(!tv.work().join("conf").exists());
}

#[test]
fn exec_template_errors_stop_the_run_before_anything_is_written() {
    let tv = vault();
    let marker = tv.work().join("ran");
    let run = format!("touch {}", marker.display());
    write_work_file(&tv, "missing.tpl", b"ok\n{{ secret('nope') }}\n");
    write_work_file(&tv, "bad.tpl", b"{{ secret('db', 'URL') | upper }}\n");
    write_work_file(&tv, "good.tpl", b"{{ secret('db', 'USER') }}\n");
    write_work_file(&tv, "taken", b"mine");
    for (args, code, says) in [
        (
            vec![
                "--template",
                "good.tpl:a/x",
                "--template",
                "missing.tpl:b/y",
            ],
            3,
            "missing.tpl, line 2: {{ secret('nope') }}",
        ),
        (
            vec!["--template", "good.tpl:a/x", "--template", "bad.tpl:b/y"],
            2,
            "bad.tpl, line 1",
        ),
        (vec!["--template", "good.tpl:taken"], 6, "taken"),
        (vec!["--template", "good.tpl"], 2, "no ':'"),
        (vec!["--template", "absent.tpl:a/x"], 2, "absent.tpl"),
    ] {
        let mut all = vec!["exec"];
        all.extend_from_slice(&args);
        all.extend_from_slice(&["--", "sh", "-c", &run]);
        let output = expect_code(&mut tv.cmd(&all), code);
        error_mentions(&output, says);
        assert_no_canary(&output, CANARY);
        assert!(!marker.exists(), "{args:?}: the command must not run");
        assert!(!tv.work().join("a").exists() && !tv.work().join("b").exists());
        assert_eq!(fs::read(tv.work().join("taken")).unwrap(), b"mine");
    }
}
