//! `vault edit secret` and `vault delete secret` (SPEC.md, "Commands"), with
//! EDITOR set to small shell scripts standing in for a person at an editor.

use crate::util;
use std::path::{Path, PathBuf};

use crate::common::{TestVault, assert_no_canary, stderr, stdout};
use crate::util::{
    Snapshot, error_mentions, expect_code, mode, reveal, script, value_of, write_work_file,
};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use serde_json::json;

/// A secret with two variables and a binary file.
fn with_secret() -> TestVault {
    let tv = TestVault::new();
    write_work_file(&tv, "key.bin", &[0, 1, 2, 0xfe, 0xff]);
    tv.ok(&[
        "create",
        "secret",
        "app",
        "-e",
        "TOKEN=canary-edit-old",
        "-e",
        "USER_NAME=admin",
        "-f",
        "key.bin:certs/key.bin",
        "--description",
        "the app",
    ]);
    tv
}

/// `vault edit secret NAME` with EDITOR set to a script running `body`
/// (the file to edit is "$1"). The script also records where the file was
/// and its mode, in $HOME/edited-path and $HOME/edited-mode (its directory's in
/// $HOME/edited-dir-mode).
fn edit(tv: &TestVault, args: &[&str], body: &str) -> std::process::Output {
    let editor = script(
        tv,
        "editor.sh",
        &format!(
            "printf '%s' \"$1\" > \"$HOME/edited-path\"\nstat -c %a \"$1\" > \"$HOME/edited-mode\"\n\
             stat -c %a \"$(dirname \"$1\")\" > \"$HOME/edited-dir-mode\"\n{body}"
        ),
    );
    let mut cmd_args = vec!["edit", "secret"];
    cmd_args.extend_from_slice(args);
    let mut cmd = tv.cmd(&cmd_args);
    cmd.env("EDITOR", &editor);
    let output = cmd.output().unwrap();
    util::no_panic(&output);
    output
}

/// The file the editor was given.
fn edited_path(tv: &TestVault) -> PathBuf {
    PathBuf::from(std::fs::read_to_string(tv.home().join("edited-path")).unwrap())
}

/// Asserts the editor's file was private, in the runtime dir, and is gone.
fn assert_buffer_private_and_gone(tv: &TestVault) {
    let path = edited_path(tv);
    assert!(
        path.starts_with(tv.runtime_dir()),
        "the edit file {} is not in the runtime dir",
        path.display()
    );
    let mode = std::fs::read_to_string(tv.home().join("edited-mode")).unwrap();
    assert_eq!(mode.trim(), "600", "the edit file's mode");
    let dir_mode = std::fs::read_to_string(tv.home().join("edited-dir-mode")).unwrap();
    assert_eq!(dir_mode.trim(), "700", "the edit file's directory's mode");
    assert!(!path.exists(), "the edit file {} was left", path.display());
    assert!(leftovers(&tv.runtime_dir()).is_empty());
}

/// Every `edit-*` file under `dir`.
fn leftovers(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return found;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(leftovers(&path));
        } else if entry.file_name().to_string_lossy().starts_with("edit-") {
            found.push(path);
        }
    }
    found
}

// --- edit -------------------------------------------------------------------

#[test]
fn edit_replaces_the_secret_with_the_edited_document() {
    let tv = with_secret();
    let output = edit(
        &tv,
        &["app"],
        r#"sed -i -e 's/canary-edit-old/canary-edit-new/' \
            -e 's/^\[env\]$/[env]\nADDED = "canary-edit-added"/' \
            -e '/^USER_NAME = /d' \
            -e 's/^description = .*/description = "edited"/' "$1""#,
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(stdout(&output).trim(), "Secret 'app' updated.");
    assert_no_canary(&output, "canary-edit");
    let secret = reveal(&tv, "app", &[]);
    assert_eq!(
        secret["env"],
        json!([
            {"name": "ADDED", "value": "canary-edit-added"},
            {"name": "TOKEN", "value": "canary-edit-new"}
        ])
    );
    assert_eq!(secret["description"], "edited");
    // The binary file went through the editor as base64 and came back intact.
    assert_eq!(
        secret["files"],
        json!([{"path": "certs/key.bin", "size": 5, "content_base64": B64.encode([0, 1, 2, 0xfe, 0xff])}])
    );
    assert_buffer_private_and_gone(&tv);
}

fn code(output: &std::process::Output) -> i32 {
    util::code(output)
}

#[test]
fn edit_can_add_and_remove_files_and_keeps_created_metadata() {
    let tv = with_secret();
    let before = tv.json(&["get", "secret", "app", "-o", "json"]);
    let output = edit(
        &tv,
        &["app"],
        r#"sed -i -e '/^\[files."certs\/key.bin"\]$/,$d' "$1"
printf '[files]\n"conf/app.ini" = "a = 1\\n"\n' >> "$1""#,
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let after = tv.json(&["get", "secret", "app", "-o", "json"]);
    assert_eq!(after["files"], json!([{"path": "conf/app.ini", "size": 6}]));
    assert_eq!(after["created_at"], before["created_at"]);
    assert_eq!(after["created_by"], before["created_by"]);
}

#[test]
fn edit_unchanged_writes_nothing() {
    let tv = with_secret();
    let before = Snapshot::of(&tv);
    let output = edit(&tv, &["app"], ":");
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert!(stderr(&output).contains("unchanged"), "{}", stderr(&output));
    assert!(stdout(&output).is_empty());
    before.assert_unchanged();
    assert_buffer_private_and_gone(&tv);
}

#[test]
fn edit_emptied_writes_nothing() {
    let tv = with_secret();
    let before = Snapshot::of(&tv);
    for body in [": > \"$1\"", "printf '# just a comment\\n\\n' > \"$1\""] {
        let output = edit(&tv, &["app"], body);
        assert_eq!(code(&output), 0, "{body}: {}", stderr(&output));
        assert!(stderr(&output).contains("nothing written"));
        before.assert_unchanged();
        assert_buffer_private_and_gone(&tv);
    }
    assert_eq!(
        value_of(&tv, "app", &[], "TOKEN").unwrap(),
        "canary-edit-old"
    );
}

#[test]
fn edit_invalid_without_a_terminal_is_exit_2_and_writes_nothing() {
    let tv = with_secret();
    let before = Snapshot::of(&tv);
    let cases = [
        // not TOML at all
        (r#"printf 'this is = = not toml\n' >> "$1""#, "line"),
        // a string left open, right after a value
        (
            r#"sed -i 's/"canary-edit-old"/"canary-edit-old/' "$1""#,
            "line",
        ),
        // a reserved key
        (
            r#"sed -i 's/^TOKEN = /VAULT_TOKEN = /' "$1""#,
            "VAULT_TOKEN",
        ),
        // a key given twice
        (
            r#"sed -i 's/^USER_NAME = /TOKEN = /' "$1""#,
            "duplicate key",
        ),
        // a field the document does not have
        (r#"sed -i '1i colour = "red"' "$1""#, "colour"),
        // a value that is not a string
        (
            r#"sed -i 's/^USER_NAME = .*/USER_NAME = 42/' "$1""#,
            "USER_NAME",
        ),
    ];
    for (body, says) in cases {
        let output = edit(&tv, &["app"], body);
        assert_eq!(code(&output), 2, "{body}: {}", stderr(&output));
        error_mentions(&output, says);
        assert!(
            stderr(&output).contains("nothing was written"),
            "{}",
            stderr(&output)
        );
        assert_no_canary(&output, "canary-edit");
        before.assert_unchanged();
        assert_buffer_private_and_gone(&tv);
    }
}

#[test]
fn edit_with_a_failing_editor_writes_nothing() {
    let tv = with_secret();
    let before = Snapshot::of(&tv);
    let output = edit(&tv, &["app"], "sed -i 's/canary/changed/' \"$1\"\nexit 3");
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    error_mentions(&output, "editor");
    assert_no_canary(&output, "canary-edit");
    before.assert_unchanged();
    assert_buffer_private_and_gone(&tv);
}

#[test]
fn edit_prefers_visual_over_editor() {
    let tv = with_secret();
    let visual = script(
        &tv,
        "visual.sh",
        "sed -i 's/canary-edit-old/canary-by-visual/' \"$1\"",
    );
    let editor = script(
        &tv,
        "other.sh",
        "sed -i 's/canary-edit-old/canary-by-editor/' \"$1\"",
    );
    let mut cmd = tv.cmd(&["edit", "secret", "app"]);
    cmd.env("VISUAL", &visual).env("EDITOR", &editor);
    expect_code(&mut cmd, 0);
    assert_eq!(
        value_of(&tv, "app", &[], "TOKEN").unwrap(),
        "canary-by-visual"
    );
}

#[test]
fn edit_a_missing_secret_is_not_found_and_starts_no_editor() {
    let tv = with_secret();
    let output = edit(&tv, &["nope"], ": > \"$HOME/editor-ran\"");
    assert_eq!(code(&output), 3, "{}", stderr(&output));
    error_mentions(&output, "nope");
    assert!(!tv.home().join("editor-ran").exists());
}

#[test]
fn edit_secrets_alias_and_project_scope() {
    let tv = TestVault::new();
    tv.ok(&[
        "create",
        "secret",
        "db",
        "-p",
        "blue",
        "-e",
        "PW=canary-p-1",
    ]);
    let output = edit(
        &tv,
        &["db", "-p", "blue"],
        "sed -i 's/canary-p-1/canary-p-2/' \"$1\"",
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(
        value_of(&tv, "db", &["-p", "blue"], "PW").unwrap(),
        "canary-p-2"
    );
    // A project secret's document has no allow-list to set.
    let before = Snapshot::of(&tv);
    let editor = script(
        &tv,
        "allow.sh",
        "printf 'allowed_projects = [\"x\"]\\n' > \"$1.new\"\ncat \"$1\" >> \"$1.new\"\nmv \"$1.new\" \"$1\"",
    );
    let mut cmd = tv.cmd(&["edit", "secrets", "db", "-p", "blue"]);
    cmd.env("EDITOR", &editor);
    let output = expect_code(&mut cmd, 2);
    error_mentions(&output, "allowed_projects");
    before.assert_unchanged();
    // An editor that replaces the file (write a new one, rename) is fine too,
    // and nothing is left behind.
    assert!(leftovers(&tv.runtime_dir()).is_empty());
}

#[test]
fn a_successful_edit_keeps_the_previous_version_as_backup() {
    let tv = with_secret();
    let previous = tv.vault_bytes();
    let output = edit(&tv, &["app"], "sed -i 's/canary-edit-old/x/' \"$1\"");
    assert_eq!(code(&output), 0);
    assert_eq!(
        std::fs::read(util::backup_path(&tv.vault_path())).unwrap(),
        previous
    );
    assert_eq!(mode(&util::backup_path(&tv.vault_path())), 0o600);
}

// --- delete -----------------------------------------------------------------

#[test]
fn delete_with_yes_removes_the_secret() {
    let tv = with_secret();
    tv.ok(&["create", "secret", "other", "-e", "O=1"]);
    let previous = tv.vault_bytes();
    let out = tv.ok(&["delete", "secret", "app", "--yes"]);
    assert_eq!(out.trim(), "Secret 'app' deleted.");
    let output = tv.fails(&["get", "secret", "app"], 3);
    error_mentions(&output, "app");
    assert_eq!(
        std::fs::read(util::backup_path(&tv.vault_path())).unwrap(),
        previous
    );
    let out = tv.ok(&["delete", "secrets", "other", "-y"]);
    assert_eq!(out.trim(), "Secret 'other' deleted.");
    assert_eq!(tv.json(&["get", "secrets", "-o", "json"]), json!([]));
}

#[test]
fn delete_without_a_terminal_needs_yes() {
    let tv = with_secret();
    let before = Snapshot::of(&tv);
    let output = tv.fails(&["delete", "secret", "app"], 2);
    error_mentions(&output, "--yes");
    assert!(output.stdout.is_empty());
    before.assert_unchanged();
    // Even with something on stdin: stdin is not a terminal.
    let mut cmd = tv.cmd(&["delete", "secret", "app"]);
    cmd.write_stdin("y\n");
    let output = expect_code(&mut cmd, 2);
    error_mentions(&output, "--yes");
    before.assert_unchanged();
    assert_eq!(
        value_of(&tv, "app", &[], "TOKEN").unwrap(),
        "canary-edit-old"
    );
}

#[test]
fn delete_a_missing_secret_is_not_found() {
    let tv = with_secret();
    let before = Snapshot::of(&tv);
    let output = tv.fails(&["delete", "secret", "nope", "--yes"], 3);
    error_mentions(&output, "nope");
    let output = tv.fails(&["delete", "secret", "app", "-p", "blue", "--yes"], 3);
    error_mentions(&output, "blue");
    before.assert_unchanged();
}

#[test]
fn edit_errors_do_not_quote_a_value_the_parser_rejects() {
    let tv = with_secret();
    let before = Snapshot::of(&tv);
    // A numeric secret typed without quotes, too large for a TOML integer,
    // and a whole table replaced by a string: the parser's own messages
    // would quote both.
    let number = "31415926535897932384626433832795";
    for body in [
        format!(r#"sed -i 's/^TOKEN = .*/TOKEN = {number}/' "$1""#),
        r#"sed -i -e '/^\[env\]$/,/^$/d' -e '1i env = "canary-edit-as-table"' "$1""#.to_owned(),
    ] {
        let output = edit(&tv, &["app"], &body);
        assert_eq!(code(&output), 2, "{body}: {}", stderr(&output));
        error_mentions(&output, "not valid");
        assert_no_canary(&output, number);
        assert_no_canary(&output, "canary-edit");
        before.assert_unchanged();
    }
}

#[test]
fn edit_keeps_awkward_values_and_files_exactly() {
    let tv = TestVault::new();
    let values = [
        ("QUOTES", "it's \"quoted\" \\ back\\slash"),
        ("LINES", "line one\nline two\r\nline three\n"),
        ("TRIPLE", "''' and \"\"\" inside"),
        ("CONTROL", "tab\there\u{1}\u{7f}bell\u{7}"),
        ("UNICODE", "héllo wörld ✓ 🦀"),
        ("SPACES", "  padded  "),
        ("EMPTY", ""),
        ("HASH", "# not a comment"),
    ];
    let mut args = vec!["create".to_owned(), "secret".to_owned(), "odd".to_owned()];
    for (key, value) in values {
        args.push("-e".to_owned());
        args.push(format!("{key}={value}"));
    }
    write_work_file(&tv, "crlf.txt", b"a\r\nb\r\n");
    write_work_file(&tv, "latin1.bin", &[0x63, 0x61, 0x66, 0xe9, 0x00]);
    for file in [
        "crlf.txt:dir/with space/crlf.txt",
        "latin1.bin:weird \"name\".bin",
    ] {
        args.push("-f".to_owned());
        args.push(file.to_owned());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    tv.ok(&args);
    let before = reveal(&tv, "odd", &[]);

    let output = edit(
        &tv,
        &["odd"],
        r#"sed -i 's/^description = .*/description = "changed"/' "$1""#,
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let after = reveal(&tv, "odd", &[]);
    assert_eq!(after["description"], "changed");
    assert_eq!(after["env"], before["env"]);
    assert_eq!(after["files"], before["files"]);
    for (i, (key, value)) in values.iter().enumerate() {
        assert_eq!(after["env"][i], json!({"name": key, "value": value}));
    }
}
