//! The contract rows of `init`, `create`, `get` and `update` (SPEC.md,
//! "Commands"), through the binary.

use crate::common::{TestVault, assert_no_canary, stderr, stdout};
use crate::util::{
    Snapshot, env_names, error_mentions, expect_code, names, reveal, value_of, write_work_file,
};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use serde_json::json;

// --- init -------------------------------------------------------------------

#[test]
fn init_creates_a_vault_and_refuses_to_overwrite_it() {
    let tv = TestVault::empty();
    let out = tv.ok(&["init", "--kdf-memory-mib", "8", "--kdf-iterations", "1"]);
    assert!(out.contains("created"), "{out}");
    assert!(tv.vault_path().is_file());
    tv.ok(&["create", "secret", "kept", "-e", "K=canary-init-1"]);
    let before = Snapshot::of(&tv);
    let output = tv.fails(
        &["init", "--kdf-memory-mib", "8", "--kdf-iterations", "1"],
        6,
    );
    error_mentions(&output, "already exists");
    assert_no_canary(&output, "canary-init-1");
    before.assert_unchanged();
    assert_eq!(value_of(&tv, "kept", &[], "K").unwrap(), "canary-init-1");
}

#[test]
fn init_refuses_kdf_parameters_out_of_bounds() {
    let tv = TestVault::empty();
    for args in [
        &["init", "--kdf-memory-mib", "1", "--kdf-iterations", "1"][..],
        &["init", "--kdf-memory-mib", "8", "--kdf-iterations", "0"],
        &["init", "--kdf-memory-mib", "4096", "--kdf-iterations", "1"],
    ] {
        let output = tv.fails(args, 2);
        error_mentions(&output, "KDF");
        assert!(!tv.vault_path().exists(), "{args:?} wrote a vault");
    }
}

#[test]
fn init_without_any_passphrase_source_is_exit_4() {
    let tv = TestVault::empty();
    let output = expect_code(
        &mut tv.bare(&["init", "--kdf-memory-mib", "8", "--kdf-iterations", "1"]),
        4,
    );
    error_mentions(&output, "VAULT_PASSPHRASE");
    assert!(!tv.vault_path().exists());
}

// --- create -----------------------------------------------------------------

#[test]
fn create_accepts_secret_and_secrets() {
    let tv = TestVault::new();
    let out = tv.ok(&["create", "secret", "one", "-e", "A=canary-alias-1"]);
    assert_eq!(out.trim(), "Secret 'one' created.");
    let out = tv.ok(&["create", "secrets", "two", "-e", "B=canary-alias-2"]);
    assert_eq!(out.trim(), "Secret 'two' created.");
    let out = tv.ok(&["create", "secret", "three", "-p", "blue", "-e", "C=x"]);
    assert_eq!(out.trim(), "Secret 'three' created in project 'blue'.");
    // `get secret` and `get secrets` both list and both describe.
    for verb in ["secret", "secrets"] {
        let list = tv.json(&["get", verb, "-o", "json"]);
        assert_eq!(names(&list), ["one", "two"]);
        let one = tv.json(&["get", verb, "one", "-o", "json"]);
        assert_eq!(one["name"], "one");
    }
    let listing = tv.cmd(&["get", "secrets"]).output().unwrap();
    assert!(stdout(&listing).contains("one") && stdout(&listing).contains("two"));
    assert_no_canary(&listing, "canary-alias");
}

#[test]
fn create_reads_a_value_from_stdin_dropping_one_trailing_newline() {
    let tv = TestVault::new();
    let output = tv
        .cmd(&["create", "secret", "piped", "-e", "TOKEN", "-e", "PLAIN=x"])
        .write_stdin("canary-stdin-1\n\n")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert_no_canary(&output, "canary-stdin-1");
    // Exactly one newline is dropped: the value keeps the second one.
    assert_eq!(
        value_of(&tv, "piped", &[], "TOKEN").unwrap(),
        "canary-stdin-1\n"
    );
    let output = tv
        .cmd(&["create", "secret", "bare", "-e", "TOKEN"])
        .write_stdin("canary-stdin-2")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        value_of(&tv, "bare", &[], "TOKEN").unwrap(),
        "canary-stdin-2"
    );
    // Order follows the command line.
    assert_eq!(
        env_names(&tv.json(&["get", "secret", "piped", "-o", "json"])),
        ["TOKEN", "PLAIN"]
    );
}

#[test]
fn create_stores_binary_files_exactly() {
    let tv = TestVault::new();
    let contents: Vec<u8> = (0..=255u8).cycle().take(3000).collect();
    write_work_file(&tv, "blob.bin", &contents);
    write_work_file(&tv, "empty.txt", b"");
    let output = tv
        .cmd(&[
            "create",
            "secret",
            "files",
            "-f",
            "blob.bin:certs/blob.bin",
            "-f",
            "empty.txt:empty.txt",
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let described = tv.json(&["get", "secret", "files", "-o", "json"]);
    assert_eq!(
        described["files"],
        json!([{"path": "certs/blob.bin", "size": 3000}, {"path": "empty.txt", "size": 0}])
    );
    let revealed = reveal(&tv, "files", &[]);
    assert_eq!(
        revealed["files"][0]["content_base64"],
        B64.encode(&contents).as_str()
    );
    assert_eq!(revealed["files"][1]["content_base64"], "");
}

#[test]
fn create_reads_an_env_file() {
    let tv = TestVault::new();
    write_work_file(
        &tv,
        "app.env",
        b"# a comment\nexport FIRST=canary-envfile-1\nSECOND=\"two words\"\n\nTHIRD='it''s'\n",
    );
    let output = tv
        .cmd(&[
            "create",
            "secret",
            "app",
            "--env-file",
            "app.env",
            "-e",
            "FOURTH=canary-envfile-4",
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert_no_canary(&output, "canary-envfile");
    let secret = reveal(&tv, "app", &[]);
    assert_eq!(
        secret["env"][0],
        json!({"name": "FIRST", "value": "canary-envfile-1"})
    );
    assert_eq!(
        secret["env"][1],
        json!({"name": "SECOND", "value": "two words"})
    );
    assert_eq!(
        env_names(&secret),
        ["FIRST", "SECOND", "THIRD", "FOURTH"],
        "the file's variables, then -e"
    );
}

#[test]
fn create_with_a_missing_env_file_writes_nothing() {
    let tv = TestVault::new();
    let before = Snapshot::of(&tv);
    let output = tv.fails(
        &[
            "create",
            "secret",
            "app",
            "--env-file",
            "nope.env",
            "-e",
            "A=canary-envfile-missing",
        ],
        2,
    );
    assert_no_canary(&output, "canary-envfile-missing");
    before.assert_unchanged();
}

#[test]
fn create_with_description_and_allow_list() {
    let tv = TestVault::new();
    tv.ok(&[
        "create",
        "secret",
        "aws",
        "-e",
        "K=v",
        "--description",
        "AWS for CI",
        "--allow-project",
        "blue",
        "--allow-project",
        "green",
    ]);
    let aws = tv.json(&["get", "secret", "aws", "-o", "json"]);
    assert_eq!(aws["description"], "AWS for CI");
    assert_eq!(aws["allowed_projects"], json!(["blue", "green"]));
    // An allow-list belongs to org-level secrets only.
    let before = Snapshot::of(&tv);
    let output = tv.fails(
        &[
            "create",
            "secret",
            "own",
            "-p",
            "blue",
            "-e",
            "K=canary-allow-1",
            "--allow-project",
            "green",
        ],
        2,
    );
    error_mentions(&output, "allow-project");
    assert_no_canary(&output, "canary-allow-1");
    before.assert_unchanged();
}

#[test]
fn create_an_existing_secret_is_a_conflict() {
    let tv = TestVault::new();
    tv.ok(&["create", "secret", "db", "-e", "A=canary-exists-1"]);
    tv.ok(&["create", "secret", "db", "-p", "blue", "-e", "A=other"]);
    let before = Snapshot::of(&tv);
    let output = tv.fails(&["create", "secret", "db", "-e", "A=canary-exists-2"], 6);
    error_mentions(&output, "already exists");
    assert_no_canary(&output, "canary-exists");
    let output = tv.fails(
        &[
            "create",
            "secret",
            "db",
            "-p",
            "blue",
            "-e",
            "A=canary-exists-3",
        ],
        6,
    );
    assert_no_canary(&output, "canary-exists");
    before.assert_unchanged();
    assert_eq!(value_of(&tv, "db", &[], "A").unwrap(), "canary-exists-1");
}

// --- get --------------------------------------------------------------------

fn three_scopes() -> TestVault {
    let tv = TestVault::new();
    tv.ok(&[
        "create",
        "secret",
        "aws",
        "-e",
        "AWS_KEY=canary-list-1",
        "--description",
        "Cloud credentials",
    ]);
    tv.ok(&["create", "secret", "github", "-e", "GH_TOKEN=canary-list-2"]);
    tv.ok(&[
        "create",
        "secret",
        "db",
        "-p",
        "blue",
        "-e",
        "DB=canary-list-3",
    ]);
    tv.ok(&[
        "create",
        "secret",
        "aws",
        "-p",
        "green",
        "-e",
        "AWS_KEY=canary-list-4",
    ]);
    tv
}

#[test]
fn get_secrets_lists_org_by_default_a_project_with_p_and_everything_with_all() {
    let tv = three_scopes();
    let org = tv.json(&["get", "secrets", "-o", "json"]);
    assert_eq!(names(&org), ["aws", "github"]);
    assert!(org.as_array().unwrap().iter().all(|s| s["scope"] == "org"));

    let blue = tv.json(&["get", "secrets", "-p", "blue", "-o", "json"]);
    assert_eq!(names(&blue), ["db"]);
    assert_eq!(blue[0]["scope"], "project");
    assert_eq!(blue[0]["project"], "blue");

    let all = tv.json(&["get", "secrets", "--all", "-o", "json"]);
    let scoped: Vec<(String, serde_json::Value)> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["name"].as_str().unwrap().to_owned(), s["project"].clone()))
        .collect();
    assert_eq!(
        scoped,
        [
            ("aws".to_owned(), json!(null)),
            ("github".to_owned(), json!(null)),
            ("db".to_owned(), json!("blue")),
            ("aws".to_owned(), json!("green")),
        ]
    );
    for args in [
        &["get", "secrets"][..],
        &["get", "secrets", "--all"],
        &["get", "secrets", "-p", "blue"],
        &["get", "secrets", "--all", "-o", "json"],
    ] {
        let output = tv.cmd(args).output().unwrap();
        assert!(output.status.success());
        assert_no_canary(&output, "canary-list");
    }
    let table = tv.ok(&["get", "secrets", "--all"]);
    assert!(table.contains("project:blue"), "{table}");
}

#[test]
fn get_secrets_search_matches_name_or_description() {
    let tv = three_scopes();
    let found = tv.json(&["get", "secrets", "--search", "GIT", "-o", "json"]);
    assert_eq!(names(&found), ["github"]);
    let found = tv.json(&["get", "secrets", "--search", "cloud", "-o", "json"]);
    assert_eq!(names(&found), ["aws"]);
    let found = tv.json(&["get", "secrets", "--all", "--search", "aws", "-o", "json"]);
    assert_eq!(names(&found), ["aws", "aws"]);
    let found = tv.json(&[
        "get",
        "secrets",
        "--search",
        "nothing-like-it",
        "-o",
        "json",
    ]);
    assert_eq!(found, json!([]));
    // Values are not searched.
    let found = tv.json(&[
        "get", "secrets", "--all", "--search", "canary", "-o", "json",
    ]);
    assert_eq!(found, json!([]));
}

#[test]
fn get_secret_json_has_exactly_the_contract_shape() {
    let tv = TestVault::new();
    write_work_file(&tv, "key.pem", &[7u8; 1675]);
    tv.ok(&[
        "create",
        "secret",
        "blue-secret",
        "-e",
        "AWS_KEY=canary-shape-1",
        "-f",
        "key.pem:key.pem",
    ]);
    let secret = tv.json(&["get", "secret", "blue-secret", "-o", "json"]);
    let keys: Vec<&str> = secret
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "name",
            "scope",
            "project",
            "environment",
            "description",
            "env",
            "files",
            "allowed_projects",
            "allowed_branches",
            "rotate_every",
            "rotation_due_at",
            "created_at",
            "created_by",
            "updated_at",
            "updated_by",
            "rotated_at",
            "last_read_at"
        ]
    );
    assert_eq!(secret["name"], "blue-secret");
    assert_eq!(secret["scope"], "org");
    assert_eq!(secret["project"], json!(null));
    assert_eq!(secret["description"], "");
    assert_eq!(secret["env"], json!([{"name": "AWS_KEY"}]));
    assert_eq!(secret["files"], json!([{"path": "key.pem", "size": 1675}]));
    assert_eq!(secret["allowed_projects"], json!([]));
    assert_eq!(secret["last_read_at"], json!(null), "never read yet");
    for field in ["created_at", "updated_at"] {
        let at = secret[field].as_str().unwrap();
        assert!(
            at.len() == 20 && at.ends_with('Z') && at.as_bytes()[10] == b'T',
            "{field} is RFC 3339 UTC: {at}"
        );
    }
    let host = nix_hostname();
    assert_eq!(secret["created_by"], format!("tester@{host}").as_str());
    assert_eq!(secret["updated_by"], format!("tester@{host}").as_str());

    // The list is an array of the same objects.
    let list = tv.json(&["get", "secrets", "-o", "json"]);
    assert_eq!(list, json!([secret.clone()]));

    // --reveal adds the values and records the read.
    let revealed = reveal(&tv, "blue-secret", &[]);
    assert_eq!(
        revealed["env"],
        json!([{"name": "AWS_KEY", "value": "canary-shape-1"}])
    );
    assert_eq!(
        revealed["files"][0]["content_base64"],
        B64.encode([7u8; 1675]).as_str()
    );
    let read_at = revealed["last_read_at"]
        .as_str()
        .expect("set by the reveal");
    assert!(read_at.ends_with('Z'), "{read_at}");
    let after = tv.json(&["get", "secret", "blue-secret", "-o", "json"]);
    assert_eq!(after["last_read_at"], read_at);
    assert_eq!(
        after["env"],
        json!([{"name": "AWS_KEY"}]),
        "no values again"
    );
    assert!(after["files"][0].get("content_base64").is_none());
}

fn nix_hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_owned())
        .or_else(|_| {
            std::process::Command::new("hostname")
                .output()
                .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        })
        .unwrap()
}

#[test]
fn get_secret_table_shows_values_only_with_reveal() {
    let tv = TestVault::new();
    tv.ok(&["create", "secret", "s", "-e", "KEY=canary-table-1"]);
    let output = tv.cmd(&["get", "secret", "s"]).output().unwrap();
    assert!(output.status.success());
    assert!(stdout(&output).contains("KEY"));
    assert_no_canary(&output, "canary-table-1");
    let shown = tv.ok(&["get", "secret", "s", "--reveal"]);
    assert!(shown.contains("KEY=canary-table-1"), "{shown}");
}

#[test]
fn get_projects_counts_each_projects_own_secrets() {
    let tv = three_scopes();
    tv.ok(&["create", "secret", "cache", "-p", "blue", "-e", "C=1"]);
    assert_eq!(
        tv.json(&["get", "projects", "-o", "json"]),
        json!([{"name": "blue", "secrets": 2}, {"name": "green", "secrets": 1}])
    );
    let table = tv.ok(&["get", "projects"]);
    assert!(table.contains("blue") && table.contains("green"), "{table}");
    let empty = TestVault::new();
    assert_eq!(empty.json(&["get", "projects", "-o", "json"]), json!([]));
}

// --- update -----------------------------------------------------------------

#[test]
fn update_sets_and_unsets_variables_in_place() {
    let tv = TestVault::new();
    tv.ok(&[
        "create",
        "secret",
        "s",
        "-e",
        "A=canary-upd-1",
        "-e",
        "B=canary-upd-2",
        "-e",
        "C=canary-upd-3",
    ]);
    let created = tv.json(&["get", "secret", "s", "-o", "json"]);
    let output = tv
        .cmd(&[
            "update",
            "secret",
            "s",
            "-e",
            "B=canary-upd-rotated",
            "-e",
            "D=canary-upd-4",
            "--unset",
            "A",
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stdout(&output).trim(), "Secret 's' updated.");
    assert_no_canary(&output, "canary-upd");
    let secret = reveal(&tv, "s", &[]);
    assert_eq!(
        secret["env"],
        json!([
            {"name": "B", "value": "canary-upd-rotated"},
            {"name": "C", "value": "canary-upd-3"},
            {"name": "D", "value": "canary-upd-4"}
        ])
    );
    assert_eq!(secret["created_at"], created["created_at"]);
    assert_eq!(secret["created_by"], created["created_by"]);
}

#[test]
fn update_reads_a_value_from_stdin() {
    let tv = TestVault::new();
    tv.ok(&["create", "secret", "s", "-e", "TOKEN=old"]);
    let output = tv
        .cmd(&["update", "secrets", "s", "-e", "TOKEN"])
        .write_stdin("canary-upd-stdin\n")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert_no_canary(&output, "canary-upd-stdin");
    assert_eq!(
        value_of(&tv, "s", &[], "TOKEN").unwrap(),
        "canary-upd-stdin"
    );
}

#[test]
fn update_adds_replaces_and_removes_files() {
    let tv = TestVault::new();
    write_work_file(&tv, "a.txt", b"first");
    write_work_file(&tv, "b.bin", &[0, 255, 0, 255]);
    tv.ok(&["create", "secret", "s", "-f", "a.txt:conf/a.txt"]);
    write_work_file(&tv, "a.txt", b"second version");
    tv.ok(&[
        "update",
        "secret",
        "s",
        "-f",
        "a.txt:conf/a.txt",
        "-f",
        "b.bin:b.bin",
    ]);
    let secret = reveal(&tv, "s", &[]);
    assert_eq!(
        secret["files"],
        json!([
            {"path": "conf/a.txt", "size": 14, "content_base64": B64.encode("second version")},
            {"path": "b.bin", "size": 4, "content_base64": B64.encode([0, 255, 0, 255])}
        ])
    );
    tv.ok(&["update", "secret", "s", "--remove-file", "conf/a.txt"]);
    let secret = tv.json(&["get", "secret", "s", "-o", "json"]);
    assert_eq!(secret["files"], json!([{"path": "b.bin", "size": 4}]));
}

#[test]
fn update_description_and_allow_list() {
    let tv = TestVault::new();
    tv.ok(&[
        "create",
        "secret",
        "s",
        "-e",
        "A=1",
        "--allow-project",
        "blue",
    ]);
    tv.ok(&[
        "update",
        "secret",
        "s",
        "--description",
        "now described",
        "--allow-project",
        "green",
        "--allow-project",
        "red",
    ]);
    let secret = tv.json(&["get", "secret", "s", "-o", "json"]);
    assert_eq!(secret["description"], "now described");
    assert_eq!(secret["allowed_projects"], json!(["green", "red"]));
    assert_eq!(secret["env"], json!([{"name": "A"}]), "the rest is kept");
}

#[test]
fn update_with_nothing_to_do_or_a_missing_target_writes_nothing() {
    let tv = TestVault::new();
    tv.ok(&["create", "secret", "s", "-e", "A=canary-upd-none"]);
    let before = Snapshot::of(&tv);
    let output = tv.fails(&["update", "secret", "s"], 2);
    error_mentions(&output, "nothing to update");
    let output = tv.fails(&["update", "secret", "missing", "-e", "A=canary-upd-x"], 3);
    error_mentions(&output, "missing");
    assert_no_canary(&output, "canary-upd-x");
    let output = tv.fails(&["update", "secret", "s", "--unset", "NOPE"], 3);
    error_mentions(&output, "NOPE");
    let output = tv.fails(&["update", "secret", "s", "--remove-file", "nope.txt"], 3);
    error_mentions(&output, "nope.txt");
    // A failing part of a change cancels the whole change.
    let output = tv.fails(
        &[
            "update",
            "secret",
            "s",
            "-e",
            "A=canary-upd-y",
            "--unset",
            "NOPE",
        ],
        3,
    );
    assert_no_canary(&output, "canary-upd");
    before.assert_unchanged();
    assert_eq!(value_of(&tv, "s", &[], "A").unwrap(), "canary-upd-none");
}
