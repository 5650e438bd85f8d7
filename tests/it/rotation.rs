//! Rotation and `vault check` (SPEC.md, "Environments, branches and
//! rotation"): exit 0 when nothing is due, 1 when anything is; `--unread-for`;
//! the json shape; bad durations.

use serde_json::json;

use crate::common::{TestVault, stderr, stdout};
use crate::util::{Snapshot, error_mentions};

fn check_json(tv: &TestVault, args: &[&str], code: i32) -> serde_json::Value {
    let mut all = vec!["check", "-o", "json"];
    all.extend_from_slice(args);
    let out = tv.fails(&all, code);
    serde_json::from_slice(&out.stdout).expect("one JSON document")
}

#[test]
fn nothing_due_is_exit_0_in_both_formats() {
    let tv = TestVault::new();
    let out = tv.fails(&["check"], 0);
    assert!(stderr(&out).contains("Nothing is due."), "{}", stderr(&out));
    assert!(stdout(&out).is_empty());
    assert_eq!(check_json(&tv, &[], 0), json!([]));
    tv.ok(&["create", "secret", "db", "-e", "A=1"]);
    assert_eq!(
        check_json(&tv, &["--all"], 0),
        json!([]),
        "no rotation period"
    );
}

#[test]
fn unread_secrets_are_listed_with_the_date_they_are_unread_since() {
    let tv = TestVault::new();
    tv.ok(&["create", "secret", "db", "-e", "A=1"]);
    tv.ok(&["create", "secret", "api", "-p", "blue", "-e", "B=1"]);
    let created_at = tv.json(&["get", "secret", "db", "-o", "json"])["created_at"].clone();
    let due = check_json(&tv, &["--unread-for", "30d"], 1);
    assert_eq!(
        due,
        json!([{"name": "db", "scope": "org", "project": null, "environment": null,
                "reason": "unread", "since": created_at}])
    );
    let keys: Vec<&str> = due[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        ["name", "scope", "project", "environment", "reason", "since"]
    );
    // -p selects the project's own secrets; --all every scope.
    let blue = check_json(&tv, &["--unread-for", "30d", "-p", "blue"], 1);
    assert_eq!(blue[0]["name"], "api");
    assert_eq!(blue[0]["project"], "blue");
    assert_eq!(
        check_json(&tv, &["--unread-for", "30d", "--all"], 1)
            .as_array()
            .unwrap()
            .len(),
        2
    );

    // A use of the values counts as a read: db is no longer unread.
    tv.ok(&["exec", "-s", "db", "--", "true"]);
    assert_eq!(check_json(&tv, &["--unread-for", "30d"], 0), json!([]));
    let all = check_json(&tv, &["--unread-for", "30d", "--all"], 1);
    assert_eq!(all.as_array().unwrap().len(), 1);
    assert_eq!(all[0]["name"], "api");

    let table = tv.fails(&["check", "--all", "--unread-for", "30d"], 1);
    let text = stdout(&table);
    assert!(text.contains("REASON") && text.contains("unread"), "{text}");
    assert!(
        text.lines()
            .any(|l| l.starts_with("api") && l.contains("project:blue")),
        "{text}"
    );
}

#[test]
fn bad_check_arguments_are_usage_errors() {
    let tv = TestVault::new();
    for bad in ["30", "0d", "1y", "-1d", "d", "1.5d", "never"] {
        let flag = format!("--unread-for={bad}");
        let out = tv.fails(&["check", &flag], 2);
        error_mentions(&out, "--unread-for");
    }
    tv.fails(&["check", "-p", "nosuch"], 3);
    tv.fails(&["check", "-o", "yaml"], 2);
}

#[test]
fn bad_rotation_periods_and_branch_globs_are_refused_and_write_nothing() {
    let tv = TestVault::new();
    tv.ok(&["create", "secret", "db", "-e", "A=1"]);
    let before = Snapshot::of(&tv);
    for bad in ["90", "0d", "1y", "-1d", "d", "90 d", "1.5d", "Never", ""] {
        let flag = format!("--rotate-every={bad}");
        let out = tv.fails(&["create", "secret", "new", "-e", "A=1", &flag], 2);
        error_mentions(&out, "--rotate-every");
        let out = tv.fails(&["update", "secret", "db", &flag], 2);
        error_mentions(&out, "--rotate-every");
        before.assert_unchanged();
    }
    for bad in ["", "a b", "main\tx", "rel\u{1b}[31m"] {
        let flag = format!("--allow-branch={bad}");
        let out = tv.fails(&["create", "secret", "new", "-e", "A=1", &flag], 2);
        error_mentions(&out, "branch glob");
        let out = tv.fails(&["update", "secret", "db", &flag], 2);
        error_mentions(&out, "branch glob");
        before.assert_unchanged();
    }
    tv.fails(
        &[
            "update",
            "secret",
            "db",
            "--allow-branch",
            "main",
            "--allow-all-branches",
        ],
        2,
    );
    before.assert_unchanged();
}
