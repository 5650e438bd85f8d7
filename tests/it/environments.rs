//! Environments (SPEC.md, "Where things come from", "Environments, branches
//! and rotation"): where the environment comes from, in order, and bad names.

use crate::common::{TestVault, stdout};
use crate::util::{Snapshot, error_mentions, expect_code, write_work_file};

/// The `Environment:` line of `exec --dry-run` with `args` and `vars`.
fn environment_line(tv: &TestVault, args: &[&str], vars: &[(&str, &str)]) -> String {
    let mut all = vec!["exec", "--dry-run"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--", "true"]);
    let mut cmd = tv.cmd(&all);
    for (name, value) in vars {
        cmd.env(name, value);
    }
    let plan = stdout(&expect_code(&mut cmd, 0));
    plan.lines()
        .find(|line| line.starts_with("Environment:"))
        .unwrap_or_else(|| panic!("no Environment: line in {plan}"))
        .to_owned()
}

const PROJECT_FILE: &str = r#"
project = "blue"
environment = "dev"
[branches]
"main" = "prod"
"release/*" = "staging"
"#;

#[test]
fn each_source_of_the_environment_wins_over_the_later_ones() {
    let tv = TestVault::new();
    write_work_file(&tv, ".vault.toml", PROJECT_FILE.as_bytes());
    let on_main = [("VAULT_BRANCH", "main"), ("VAULT_ENVIRONMENT", "qa")];
    let line = environment_line(&tv, &["-E", "cli"], &on_main);
    assert!(line.contains("cli (from -E)"), "{line}");
    let line = environment_line(&tv, &[], &on_main);
    assert!(line.contains("qa (from VAULT_ENVIRONMENT)"), "{line}");
    let line = environment_line(&tv, &[], &[("VAULT_BRANCH", "main")]);
    assert!(
        line.contains("prod (from [branches] \"main\"") && line.contains("branch 'main'"),
        "{line}"
    );
    let line = environment_line(&tv, &[], &[("CI_COMMIT_REF_NAME", "release/3.1")]);
    assert!(
        line.contains("staging (from [branches] \"release/*\""),
        "{line}"
    );
    let line = environment_line(&tv, &[], &[("VAULT_BRANCH", "feature/x")]);
    assert!(line.contains("dev (from `environment`"), "{line}");
    let line = environment_line(&tv, &[], &[]);
    assert!(
        line.contains("dev (from `environment`"),
        "unknown branch: {line}"
    );
    // An empty VAULT_ENVIRONMENT is not set.
    let line = environment_line(
        &tv,
        &[],
        &[("VAULT_ENVIRONMENT", ""), ("VAULT_BRANCH", "main")],
    );
    assert!(line.contains("prod"), "{line}");
}

#[test]
fn without_any_source_there_is_no_environment() {
    let tv = TestVault::new();
    let line = environment_line(&tv, &[], &[("VAULT_BRANCH", "main")]);
    assert!(line.contains("(none)"), "{line}");
    write_work_file(
        &tv,
        ".vault.toml",
        b"project = \"blue\"\n[branches]\n\"main\" = \"prod\"\n",
    );
    let line = environment_line(&tv, &[], &[("VAULT_BRANCH", "dev")]);
    assert!(line.contains("(none)"), "no pattern matches: {line}");
}

#[test]
fn the_first_matching_branches_pattern_wins_in_file_order() {
    let tv = TestVault::new();
    write_work_file(
        &tv,
        ".vault.toml",
        b"[branches]\n\"feature/*\" = \"preview\"\n\"*\" = \"dev\"\n\"main\" = \"prod\"\n",
    );
    let line = environment_line(&tv, &[], &[("VAULT_BRANCH", "feature/a/b")]);
    assert!(line.contains("preview"), "{line}");
    let line = environment_line(&tv, &[], &[("VAULT_BRANCH", "main")]);
    assert!(line.contains("dev"), "'*' comes before 'main': {line}");
}

#[test]
fn bad_environment_names_are_usage_errors_and_write_nothing() {
    let tv = TestVault::new();
    let before = Snapshot::of(&tv);
    for bad in [
        "",
        "no way",
        "-prod",
        ".hidden",
        "prod/eu",
        &"e".repeat(129),
    ] {
        let flag = format!("--environment={bad}");
        let out = tv.fails(&["create", "secret", "db", &flag, "-e", "A=1"], 2);
        error_mentions(&out, "environment");
        before.assert_unchanged();
    }
    let mut cmd = tv.cmd(&["create", "secret", "db", "-e", "A=1"]);
    cmd.env("VAULT_ENVIRONMENT", "bad env");
    error_mentions(&expect_code(&mut cmd, 2), "environment");
    tv.fails(&["get", "secrets", "-E", "bad env"], 2);
    tv.fails(&["exec", "-E", "bad env", "--", "true"], 2);
    before.assert_unchanged();
}

#[test]
fn a_bad_project_file_is_a_usage_error_naming_the_file() {
    let tv = TestVault::new();
    let before = Snapshot::of(&tv);
    for (text, says) in [
        ("environment = \"bad env\"\n", "environment name"),
        ("[branches]\n\"main\" = \"bad env\"\n", "environment name"),
        ("[branches]\n\"\" = \"prod\"\n", "empty"),
        ("[branches]\n\"a b\" = \"prod\"\n", "whitespace"),
        ("[branches]\n\"main\" = [\"prod\"]\n", "string"),
    ] {
        write_work_file(&tv, ".vault.toml", text.as_bytes());
        let out = tv.fails(&["exec", "--dry-run", "--", "true"], 2);
        error_mentions(&out, ".vault.toml");
        error_mentions(&out, says);
        tv.fails(&["create", "secret", "db", "-e", "A=1"], 2);
        before.assert_unchanged();
    }
}

#[test]
fn get_environments_lists_none_in_a_vault_without_them() {
    let tv = TestVault::new();
    tv.ok(&["create", "secret", "db", "-e", "A=1"]);
    assert_eq!(
        tv.json(&["get", "environments", "-o", "json"]),
        serde_json::json!([])
    );
    let out = tv.fails(&["get", "environments"], 0);
    assert!(crate::common::stderr(&out).contains("No environments found."));
}
