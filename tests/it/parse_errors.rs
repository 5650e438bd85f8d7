//! Command-line parsing errors never echo a value given as KEY=VALUE.
use crate::common::{TestVault, assert_no_canary, stderr};

#[test]
fn a_forgotten_dash_e_does_not_echo_the_value() {
    let vault = TestVault::new();
    let output = vault.fails(&["create", "secret", "aws", "AWS_KEY=canary-parse-9d1"], 2);
    assert_no_canary(&output, "canary-parse-9d1");
    assert!(stderr(&output).contains("AWS_KEY=…"), "{}", stderr(&output));
}

#[test]
fn help_and_version_exit_zero() {
    let vault = TestVault::empty();
    vault.cmd(&["--version"]).assert().success();
    vault.cmd(&["exec", "--help"]).assert().success();
}

#[test]
fn update_can_clear_an_allow_list() {
    let vault = TestVault::new();
    vault.ok(&[
        "create",
        "secret",
        "aws",
        "-e",
        "K=v",
        "--allow-project",
        "red",
    ]);
    vault.fails(&["exec", "-p", "blue", "-s", "aws", "--", "true"], 7);
    vault.ok(&["update", "secret", "aws", "--allow-all-projects"]);
    let json = vault.json(&["get", "secret", "aws", "-o", "json"]);
    assert_eq!(json["allowed_projects"], serde_json::json!([]));
    vault.ok(&["exec", "-p", "blue", "-s", "aws", "--", "true"]);
}
