//! Scopes and precedence (SPEC.md, "Model" and "Where things come from"):
//! a project's own secret beats the org's, allow-lists deny with exit 7, the
//! project comes from -p, VAULT_PROJECT or the nearest .vault.toml, and
//! update/edit/delete with -p never touch the org secret of that name.

use crate::common::{TestVault, assert_no_canary, stderr};
use crate::util::{Snapshot, error_mentions, expect_code, script, value_of};
use serde_json::json;

/// org `db` and `aws` (allowed: blue), blue's own `db`.
fn scoped() -> TestVault {
    let tv = TestVault::new();
    tv.ok(&["create", "secret", "db", "-e", "DB_URL=canary-org-db"]);
    tv.ok(&[
        "create",
        "secret",
        "aws",
        "-e",
        "AWS_KEY=canary-org-aws",
        "--allow-project",
        "blue",
    ]);
    tv.ok(&[
        "create",
        "secret",
        "db",
        "-p",
        "blue",
        "-e",
        "DB_URL=canary-blue-db",
    ]);
    tv
}

#[test]
fn a_projects_own_secret_beats_the_org_secret() {
    let tv = scoped();
    let blue = tv.json(&["get", "secret", "db", "-p", "blue", "-o", "json"]);
    assert_eq!(blue["scope"], "project");
    assert_eq!(blue["project"], "blue");
    assert_eq!(
        value_of(&tv, "db", &["-p", "blue"], "DB_URL").unwrap(),
        "canary-blue-db"
    );
    let org = tv.json(&["get", "secret", "db", "-o", "json"]);
    assert_eq!(org["scope"], "org");
    assert_eq!(value_of(&tv, "db", &[], "DB_URL").unwrap(), "canary-org-db");
}

#[test]
fn get_secret_with_p_falls_back_to_the_org_secret() {
    let tv = scoped();
    // green has no secrets of its own: it sees the org's db.
    let green = tv.json(&["get", "secret", "db", "-p", "green", "-o", "json"]);
    assert_eq!(green["scope"], "org");
    assert_eq!(green["project"], json!(null));
    assert_eq!(
        value_of(&tv, "db", &["-p", "green"], "DB_URL").unwrap(),
        "canary-org-db"
    );
    // blue sees the org's aws: it is on the allow-list.
    let aws = tv.json(&["get", "secret", "aws", "-p", "blue", "-o", "json"]);
    assert_eq!(aws["scope"], "org");
    // Neither its own nor the org's: not found.
    let output = tv.fails(&["get", "secret", "nothing", "-p", "blue"], 3);
    error_mentions(&output, "nothing");
}

#[test]
fn an_allow_list_denies_other_projects_with_exit_7() {
    let tv = scoped();
    for args in [
        &["get", "secret", "aws", "-p", "green"][..],
        &["get", "secret", "aws", "-p", "green", "--reveal"],
        &[
            "get", "secret", "aws", "-p", "green", "--reveal", "-o", "json",
        ],
    ] {
        let output = tv.fails(args, 7);
        error_mentions(&output, "allow-list");
        error_mentions(&output, "green");
        assert_no_canary(&output, "canary-org-aws");
    }
    let mut cmd = tv.cmd(&["get", "secret", "aws", "--reveal"]);
    cmd.env("VAULT_PROJECT", "green");
    expect_code(&mut cmd, 7);
    // Without a project, the org secret is there for everyone.
    assert_eq!(
        value_of(&tv, "aws", &[], "AWS_KEY").unwrap(),
        "canary-org-aws"
    );
}

#[test]
fn get_secrets_for_an_unknown_project_is_not_found() {
    let tv = scoped();
    let output = tv.fails(&["get", "secrets", "-p", "nosuch"], 3);
    error_mentions(&output, "nosuch");
    let output = tv.fails(&["get", "secrets", "-p", "nosuch", "-o", "json"], 3);
    assert!(output.stdout.is_empty());
}

#[test]
fn the_project_comes_from_vault_project() {
    let tv = scoped();
    let mut cmd = tv.cmd(&["get", "secret", "db", "-o", "json"]);
    cmd.env("VAULT_PROJECT", "blue");
    let output = expect_code(&mut cmd, 0);
    let secret: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(secret["project"], "blue");
    // -p beats VAULT_PROJECT.
    let mut cmd = tv.cmd(&["get", "secret", "db", "-p", "green", "-o", "json"]);
    cmd.env("VAULT_PROJECT", "blue");
    let output = expect_code(&mut cmd, 0);
    let secret: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(secret["scope"], "org");
    // create with VAULT_PROJECT creates in the project.
    let mut cmd = tv.cmd(&["create", "secret", "cache", "-e", "C=1"]);
    cmd.env("VAULT_PROJECT", "blue");
    let output = expect_code(&mut cmd, 0);
    assert!(String::from_utf8_lossy(&output.stdout).contains("in project 'blue'"));
    assert_eq!(
        tv.json(&["get", "projects", "-o", "json"]),
        json!([{"name": "blue", "secrets": 2}])
    );
}

#[test]
fn the_project_comes_from_the_nearest_vault_toml() {
    let tv = scoped();
    std::fs::write(
        tv.work().join(".vault.toml"),
        "project = \"blue\"\nsecrets = [\"db\"]\n",
    )
    .unwrap();
    let deep = tv.work().join("src/deep/er");
    std::fs::create_dir_all(&deep).unwrap();
    let mut cmd = tv.cmd(&["get", "secret", "db", "-o", "json"]);
    cmd.current_dir(&deep);
    let output = expect_code(&mut cmd, 0);
    let secret: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(secret["scope"], "project");
    assert_eq!(secret["project"], "blue");

    // A nearer .vault.toml wins over a farther one.
    std::fs::write(tv.work().join("src/.vault.toml"), "project = \"green\"\n").unwrap();
    let mut cmd = tv.cmd(&["get", "secret", "db", "-o", "json"]);
    cmd.current_dir(&deep);
    let output = expect_code(&mut cmd, 0);
    let secret: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(secret["scope"], "org", "green has no db: the org's");

    // VAULT_PROJECT beats .vault.toml, and -p beats both.
    let mut cmd = tv.cmd(&["get", "secret", "db", "-o", "json"]);
    cmd.current_dir(&deep).env("VAULT_PROJECT", "blue");
    let output = expect_code(&mut cmd, 0);
    let secret: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(secret["project"], "blue");

    // The allow-list applies to the project found there too.
    let mut cmd = tv.cmd(&["get", "secret", "aws"]);
    cmd.current_dir(&deep);
    expect_code(&mut cmd, 7);
}

#[test]
fn an_invalid_vault_toml_is_a_usage_error() {
    let tv = scoped();
    std::fs::write(tv.work().join(".vault.toml"), "project = [not toml\n").unwrap();
    let output = tv.fails(&["get", "secrets"], 2);
    error_mentions(&output, ".vault.toml");
    std::fs::write(tv.work().join(".vault.toml"), "project = \"bad name\"\n").unwrap();
    let output = tv.fails(&["get", "secrets"], 2);
    error_mentions(&output, "project name");
}

#[test]
fn update_with_p_acts_only_on_the_projects_own_secret() {
    let tv = scoped();
    // green has no `db` of its own: the org's db is not updated instead.
    let before = Snapshot::of(&tv);
    let output = tv.fails(
        &[
            "update",
            "secret",
            "db",
            "-p",
            "green",
            "-e",
            "DB_URL=canary-wrong-target",
        ],
        3,
    );
    error_mentions(&output, "green");
    assert_no_canary(&output, "canary-wrong-target");
    before.assert_unchanged();
    // blue's own db is updated, the org's is left alone.
    tv.ok(&[
        "update",
        "secret",
        "db",
        "-p",
        "blue",
        "-e",
        "DB_URL=canary-blue-rotated",
    ]);
    assert_eq!(
        value_of(&tv, "db", &["-p", "blue"], "DB_URL").unwrap(),
        "canary-blue-rotated"
    );
    assert_eq!(value_of(&tv, "db", &[], "DB_URL").unwrap(), "canary-org-db");
    // And without -p, the org's.
    tv.ok(&["update", "secret", "db", "-e", "DB_URL=canary-org-rotated"]);
    assert_eq!(
        value_of(&tv, "db", &["-p", "blue"], "DB_URL").unwrap(),
        "canary-blue-rotated"
    );
    assert_eq!(
        value_of(&tv, "db", &[], "DB_URL").unwrap(),
        "canary-org-rotated"
    );
}

#[test]
fn update_with_a_project_from_vault_toml_acts_on_that_project_only() {
    let tv = scoped();
    std::fs::write(tv.work().join(".vault.toml"), "project = \"green\"\n").unwrap();
    let before = Snapshot::of(&tv);
    tv.fails(&["update", "secret", "db", "-e", "DB_URL=x"], 3);
    before.assert_unchanged();
}

#[test]
fn edit_with_p_acts_only_on_the_projects_own_secret() {
    let tv = scoped();
    let editor = script(&tv, "editor.sh", "sed -i 's/canary/edited/' \"$1\"");
    let before = Snapshot::of(&tv);
    let mut cmd = tv.cmd(&["edit", "secret", "db", "-p", "green"]);
    cmd.env("EDITOR", &editor);
    let output = expect_code(&mut cmd, 3);
    assert_no_canary(&output, "canary-org-db");
    before.assert_unchanged();

    let mut cmd = tv.cmd(&["edit", "secret", "db", "-p", "blue"]);
    cmd.env("EDITOR", &editor);
    let output = expect_code(&mut cmd, 0);
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("in project 'blue'"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        value_of(&tv, "db", &["-p", "blue"], "DB_URL").unwrap(),
        "edited-blue-db"
    );
    assert_eq!(value_of(&tv, "db", &[], "DB_URL").unwrap(), "canary-org-db");
}

#[test]
fn delete_with_p_acts_only_on_the_projects_own_secret() {
    let tv = scoped();
    let before = Snapshot::of(&tv);
    let output = tv.fails(&["delete", "secret", "db", "-p", "green", "--yes"], 3);
    error_mentions(&output, "green");
    before.assert_unchanged();

    let out = tv.ok(&["delete", "secret", "db", "-p", "blue", "--yes"]);
    assert_eq!(out.trim(), "Secret 'db' deleted in project 'blue'.");
    // The org's db is still there, and blue now sees it.
    assert_eq!(value_of(&tv, "db", &[], "DB_URL").unwrap(), "canary-org-db");
    let seen = tv.json(&["get", "secret", "db", "-p", "blue", "-o", "json"]);
    assert_eq!(seen["scope"], "org");
    // A project with no secrets left is gone.
    assert_eq!(tv.json(&["get", "projects", "-o", "json"]), json!([]));
}

#[test]
fn last_read_at_belongs_to_the_scope_that_was_read() {
    let tv = scoped();
    let read_at = |args: &[&str]| -> serde_json::Value {
        let mut all = vec!["get", "secret"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["-o", "json"]);
        tv.json(&all)["last_read_at"].clone()
    };
    assert_eq!(read_at(&["db"]), json!(null));
    assert_eq!(read_at(&["db", "-p", "blue"]), json!(null));
    // Reading blue's db marks blue's db only.
    tv.ok(&["get", "secret", "db", "-p", "blue", "--reveal"]);
    assert!(read_at(&["db", "-p", "blue"]).is_string());
    assert_eq!(read_at(&["db"]), json!(null));
    assert!(
        tv.ok(&["get", "secret", "db"])
            .contains("Last read:    never")
    );
    // Reading the org's db through project green marks the org's db.
    tv.ok(&["get", "secret", "db", "-p", "green", "--reveal"]);
    assert!(read_at(&["db"]).is_string());
    // A denied read is no read.
    tv.fails(&["get", "secret", "aws", "-p", "green", "--reveal"], 7);
    assert_eq!(read_at(&["aws"]), json!(null));
}
