//! Precedence through the binary (SPEC.md, "Model"): for project P and
//! environment E, P's N in E, P's N, the org's N in E, the org's N; the first
//! that exists wins whole, and its allow-list and branch rule are the ones
//! checked. Also the branch rule where values are used, and rotation.

use std::process::Output;

use crate::common::{TestVault, stderr, stdout};
use crate::util::{Snapshot, error_mentions, expect_code};

/// db at all four levels for project blue in prod, each with its own URL.
fn four_levels() -> TestVault {
    let tv = TestVault::new();
    for (args, url) in [
        (&["-p", "blue", "-E", "prod"][..], "blue-prod"),
        (&["-p", "blue"][..], "blue"),
        (&["-E", "prod"][..], "org-prod"),
        (&[][..], "org"),
    ] {
        let mut all = vec!["create", "secret", "db"];
        all.extend_from_slice(args);
        let pair = format!("URL={url}");
        all.extend_from_slice(&["-e", &pair, "-e", "SAME=1"]);
        tv.ok(&all);
    }
    tv
}

/// What `exec` injects as URL with `args`, or the exit code.
fn url(tv: &TestVault, args: &[&str], vars: &[(&str, &str)]) -> Result<String, i32> {
    let mut all = vec!["exec", "--no-mask"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--", "sh", "-c", "printf %s \"${URL-unset}\""]);
    let mut cmd = tv.cmd(&all);
    for (k, v) in vars {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    match out.status.code() {
        Some(0) => Ok(stdout(&out)),
        Some(code) => Err(code),
        None => panic!("killed"),
    }
}

#[test]
fn each_level_missing_in_turn_hands_over_to_the_next() {
    let tv = four_levels();
    let blue_prod = ["-p", "blue", "-E", "prod"];
    let named = ["-p", "blue", "-E", "prod", "-s", "db"];
    assert_eq!(url(&tv, &blue_prod, &[]).unwrap(), "blue-prod");
    assert_eq!(
        url(&tv, &["-p", "blue"], &[]).unwrap(),
        "blue",
        "no environment"
    );
    assert_eq!(
        url(&tv, &["-E", "prod"], &[]).unwrap(),
        "org-prod",
        "no project"
    );
    assert_eq!(url(&tv, &[], &[]).unwrap(), "org");
    assert_eq!(
        url(&tv, &["-p", "red", "-E", "prod"], &[]).unwrap(),
        "org-prod"
    );
    assert_eq!(url(&tv, &["-p", "blue", "-E", "dev"], &[]).unwrap(), "blue");
    for (gone, then) in [
        (&["-p", "blue", "-E", "prod"][..], "blue"),
        (&["-p", "blue"][..], "org-prod"),
        (&["-E", "prod"][..], "org"),
    ] {
        let mut delete = vec!["delete", "secret", "db", "--yes"];
        delete.extend_from_slice(gone);
        tv.ok(&delete);
        assert_eq!(
            url(&tv, &blue_prod, &[]).unwrap(),
            then,
            "after deleting {gone:?}"
        );
        assert_eq!(url(&tv, &named, &[]).unwrap(), then);
    }
    tv.ok(&["delete", "secret", "db", "--yes"]);
    assert_eq!(url(&tv, &blue_prod, &[]).unwrap(), "unset");
    assert_eq!(url(&tv, &named, &[]), Err(3));
}

#[test]
fn the_winner_is_taken_whole() {
    let tv = TestVault::new();
    tv.ok(&[
        "create",
        "secret",
        "db",
        "-e",
        "URL=org",
        "-e",
        "ONLY_ORG=1",
    ]);
    tv.ok(&["create", "secret", "db", "-E", "prod", "-e", "URL=org-prod"]);
    let out = tv.ok(&[
        "exec",
        "--no-mask",
        "-E",
        "prod",
        "--",
        "sh",
        "-c",
        "printf %s \"${ONLY_ORG-unset}\"",
    ]);
    assert_eq!(out, "unset", "nothing is merged from the variant that lost");
}

#[test]
fn describe_export_and_dry_run_say_which_variant_won_and_why() {
    let tv = four_levels();
    tv.ok(&[
        "delete", "secret", "db", "-p", "blue", "-E", "prod", "--yes",
    ]);
    tv.ok(&["delete", "secret", "db", "-p", "blue", "--yes"]);
    let json = tv.json(&[
        "get", "secret", "db", "-p", "blue", "-E", "prod", "-o", "json",
    ]);
    assert_eq!(json["scope"], "org");
    assert_eq!(json["environment"], "prod");
    let table = tv.ok(&["get", "secret", "db", "-p", "blue", "-E", "prod"]);
    assert!(
        table.contains(
            "Resolved:     org level in prod: none in project blue in prod, project blue"
        ),
        "{table}"
    );
    let plan = tv.ok(&[
        "exec",
        "-p",
        "blue",
        "-E",
        "prod",
        "--dry-run",
        "--",
        "true",
    ]);
    assert!(plan.contains("Environment: prod (from -E)"), "{plan}");
    assert!(
        plan.contains("'db' (org, prod)  <- org level in prod"),
        "{plan}"
    );
    assert!(
        plan.lines()
            .any(|l| l.contains("URL") && l.contains("'db' (org, prod)")),
        "{plan}"
    );
    let exported = tv.ok(&["export", "db", "-p", "blue", "-E", "prod"]);
    assert!(exported.contains("org-prod"), "{exported}");
}

#[test]
fn listings_show_the_environment_column_and_one_environment_at_a_time() {
    let tv = four_levels();
    let all = tv.ok(&["get", "secrets", "--all"]);
    let header = all.lines().next().unwrap();
    assert!(
        header.starts_with("NAME") && header.contains("ENVIRONMENT"),
        "{all}"
    );
    assert_eq!(
        all.lines().filter(|l| l.contains("prod")).count(),
        2,
        "{all}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&tv.ok(&["get", "secrets", "--all", "-o", "json"])).unwrap();
    let envs: Vec<_> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["environment"].clone())
        .collect();
    assert_eq!(envs.len(), 4);
    assert!(envs.contains(&serde_json::json!("prod")) && envs.contains(&serde_json::Value::Null));
    let prod: serde_json::Value =
        serde_json::from_str(&tv.ok(&["get", "secrets", "-E", "prod", "-o", "json"])).unwrap();
    assert_eq!(prod.as_array().unwrap().len(), 1);
    assert_eq!(prod[0]["environment"], "prod");
    let plain: serde_json::Value =
        serde_json::from_str(&tv.ok(&["get", "secrets", "-o", "json"])).unwrap();
    assert_eq!(plain[0]["environment"], serde_json::Value::Null);
    assert!(!tv.ok(&["get", "secrets"]).contains("ENVIRONMENT"));
}

#[test]
fn exact_addressing_never_touches_another_variant() {
    let tv = four_levels();
    tv.ok(&["update", "secret", "db", "-E", "prod", "-e", "URL=changed"]);
    assert_eq!(url(&tv, &[], &[]).unwrap(), "org");
    assert_eq!(url(&tv, &["-E", "prod"], &[]).unwrap(), "changed");
    let before = Snapshot::of(&tv);
    tv.fails(&["update", "secret", "db", "-E", "dev", "-e", "URL=x"], 3);
    tv.fails(&["create", "secret", "db", "-E", "prod", "-e", "URL=x"], 6);
    before.assert_unchanged();
    tv.ok(&["create", "secret", "db", "-E", "dev", "-e", "URL=dev"]);
    assert_eq!(url(&tv, &["-E", "dev"], &[]).unwrap(), "dev");
}

#[test]
fn an_allow_list_is_checked_on_the_winner() {
    let tv = TestVault::new();
    tv.ok(&["create", "secret", "db", "-e", "URL=org"]);
    tv.ok(&[
        "create",
        "secret",
        "db",
        "-E",
        "prod",
        "-e",
        "URL=org-prod",
        "--allow-project",
        "red",
    ]);
    assert_eq!(url(&tv, &["-p", "blue"], &[]).unwrap(), "org");
    assert_eq!(
        url(&tv, &["-p", "red", "-E", "prod"], &[]).unwrap(),
        "org-prod"
    );
    assert_eq!(
        url(&tv, &["-p", "blue", "-E", "prod", "-s", "db"], &[]),
        Err(7)
    );
    assert_eq!(
        url(&tv, &["-p", "blue", "-E", "prod"], &[]).unwrap(),
        "unset",
        "left out"
    );
    tv.fails(&["get", "secret", "db", "-p", "blue", "-E", "prod"], 7);
    // A project's own variant wins over the org's and has no allow-list.
    tv.ok(&["create", "secret", "db", "-p", "blue", "-e", "URL=blue"]);
    assert_eq!(
        url(&tv, &["-p", "blue", "-E", "prod", "-s", "db"], &[]).unwrap(),
        "blue"
    );
}

fn denied(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(7), "{}", stderr(out));
    stderr(out)
}

#[test]
fn a_branch_rule_applies_where_values_are_used_and_on_the_winner() {
    let tv = TestVault::new();
    tv.ok(&["create", "secret", "db", "-e", "URL=org"]);
    tv.ok(&[
        "create",
        "secret",
        "db",
        "-E",
        "prod",
        "-e",
        "URL=org-prod",
        "--allow-branch",
        "main",
        "--allow-branch",
        "release/*",
    ]);
    let main = [("VAULT_BRANCH", "main")];
    let feature = [("VAULT_BRANCH", "feature/x")];
    assert_eq!(
        url(&tv, &["-E", "prod", "-s", "db"], &main).unwrap(),
        "org-prod"
    );
    assert_eq!(
        url(&tv, &["-E", "prod"], &[("GITHUB_HEAD_REF", "release/1.0")]).unwrap(),
        "org-prod"
    );
    assert_eq!(url(&tv, &["-E", "prod", "-s", "db"], &feature), Err(7));
    assert_eq!(
        url(&tv, &["-E", "prod"], &feature).unwrap(),
        "unset",
        "left out, not the next variant"
    );
    assert_eq!(
        url(&tv, &["-E", "prod"], &[]).unwrap(),
        "unset",
        "unknown branch: hidden"
    );
    assert_eq!(
        url(&tv, &[], &feature).unwrap(),
        "org",
        "the plain variant has no rule"
    );
    let mut cmd = tv.cmd(&["exec", "-E", "prod", "--dry-run", "--", "true"]);
    cmd.env("VAULT_BRANCH", "feature/x");
    let plan = stdout(&expect_code(&mut cmd, 0));
    assert!(
        plan.contains("Left out: 1")
            && plan.contains("'db' (org, prod): branch rule main, release/*"),
        "{plan}"
    );

    let mut cmd = tv.cmd(&["exec", "-E", "prod", "-s", "db", "--", "true"]);
    cmd.env("VAULT_BRANCH", "feature/x");
    let err = denied(&expect_code(&mut cmd, 7));
    assert!(
        err.contains("'main', 'release/*'") && err.contains("'feature/x'"),
        "{err}"
    );
    for args in [
        &["get", "secret", "db", "-E", "prod", "--reveal"][..],
        &["export", "db", "-E", "prod"][..],
    ] {
        let mut cmd = tv.cmd(args);
        cmd.env("VAULT_BRANCH", "feature/x");
        let out = expect_code(&mut cmd, 7);
        assert!(!stdout(&out).contains("org-prod"), "{args:?}");
        error_mentions(&out, "feature/x");
    }
    // Without values, the secret is shown with its rule.
    let mut cmd = tv.cmd(&["get", "secret", "db", "-E", "prod", "-o", "json"]);
    cmd.env("VAULT_BRANCH", "feature/x");
    let json: serde_json::Value = serde_json::from_slice(&expect_code(&mut cmd, 0).stdout).unwrap();
    assert_eq!(
        json["allowed_branches"],
        serde_json::json!(["main", "release/*"])
    );
    let list = tv.ok(&["get", "secrets", "-E", "prod"]);
    assert!(list.contains("main,release/*"), "{list}");

    tv.ok(&[
        "update",
        "secret",
        "db",
        "-E",
        "prod",
        "--allow-all-branches",
    ]);
    assert_eq!(
        url(&tv, &["-E", "prod", "-s", "db"], &feature).unwrap(),
        "org-prod"
    );
}

/// Parses an RFC 3339 time from a json field.
fn time(json: &serde_json::Value, field: &str) -> jiff::Timestamp {
    json[field]
        .as_str()
        .unwrap_or_else(|| panic!("{field}: {json}"))
        .parse()
        .unwrap()
}

#[test]
fn rotation_dates_follow_values_not_metadata() {
    let tv = TestVault::new();
    tv.ok(&[
        "create",
        "secret",
        "db",
        "-e",
        "URL=1",
        "--rotate-every",
        "90d",
    ]);
    let first = tv.json(&["get", "secret", "db", "-o", "json"]);
    assert_eq!(first["rotate_every"], "90d");
    assert_eq!(first["rotated_at"], first["created_at"], "creation counts");
    let due = time(&first, "rotation_due_at");
    let rotated = time(&first, "rotated_at");
    assert_eq!(due.as_second() - rotated.as_second(), 90 * 86_400);
    let table = tv.ok(&["get", "secret", "db"]);
    let date = due.to_zoned(jiff::tz::TimeZone::UTC).date().to_string();
    assert!(
        table.contains(&format!("Rotate every: 90d, due {date}")),
        "{table}"
    );
    assert!(!table.contains("overdue"), "{table}");

    std::thread::sleep(std::time::Duration::from_millis(1100));
    tv.ok(&[
        "update",
        "secret",
        "db",
        "--description",
        "the db",
        "--allow-branch",
        "main",
    ]);
    tv.ok(&["update", "secret", "db", "--rotate-every", "12w"]);
    let meta_only = tv.json(&["get", "secret", "db", "-o", "json"]);
    assert_eq!(
        meta_only["rotated_at"], first["rotated_at"],
        "only metadata changed"
    );
    assert_ne!(meta_only["updated_at"], first["updated_at"]);
    assert_eq!(meta_only["rotate_every"], "84d");

    tv.ok(&["update", "secret", "db", "-e", "URL=2"]);
    let rotated = tv.json(&["get", "secret", "db", "-o", "json"]);
    assert_ne!(
        rotated["rotated_at"], first["rotated_at"],
        "a value changed"
    );
    assert_eq!(rotated["rotated_at"], rotated["updated_at"]);

    tv.ok(&["update", "secret", "db", "--rotate-every", "never"]);
    let cleared = tv.json(&["get", "secret", "db", "-o", "json"]);
    assert_eq!(cleared["rotate_every"], serde_json::Value::Null);
    assert_eq!(cleared["rotation_due_at"], serde_json::Value::Null);
}

#[test]
fn check_reports_overdue_rotations_with_exit_1() {
    let tv = TestVault::new();
    tv.ok(&[
        "create",
        "secret",
        "soon",
        "-E",
        "prod",
        "-e",
        "A=1",
        "--rotate-every",
        "1s",
    ]);
    tv.ok(&[
        "create",
        "secret",
        "later",
        "-e",
        "A=1",
        "--rotate-every",
        "90d",
    ]);
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let out = tv.fails(&["check", "-o", "json"], 1);
    let due: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(due.as_array().unwrap().len(), 1, "{due}");
    assert_eq!(due[0]["name"], "soon");
    assert_eq!(due[0]["environment"], "prod");
    assert_eq!(due[0]["reason"], "rotation_due");
    let described = tv.json(&["get", "secret", "soon", "-E", "prod", "-o", "json"]);
    assert_eq!(due[0]["since"], described["rotation_due_at"]);
    assert!(
        tv.ok(&["get", "secret", "soon", "-E", "prod"])
            .contains("(overdue)")
    );
    let list = tv.ok(&["get", "secrets", "--all"]);
    assert!(
        list.lines()
            .any(|l| l.starts_with("soon") && l.contains("overdue")),
        "{list}"
    );
    assert!(
        list.lines()
            .any(|l| l.starts_with("later") && l.contains("due ")),
        "{list}"
    );
    let table = tv.fails(&["check"], 1);
    assert!(
        stdout(&table).contains("rotation due"),
        "{}",
        stdout(&table)
    );
    // Rotating the value clears it.
    tv.ok(&[
        "update",
        "secret",
        "soon",
        "-E",
        "prod",
        "-e",
        "A=2",
        "--rotate-every",
        "90d",
    ]);
    tv.fails(&["check"], 0);
}

#[test]
fn environment_names_are_offered_for_completion() {
    let tv = four_levels();
    tv.ok(&[
        "create", "secret", "api", "-p", "green", "-E", "staging", "-e", "K=1",
    ]);
    let token = tv.ok(&["unlock", "--ttl", "1m"]);
    let token = token
        .split("VAULT_SESSION=")
        .nth(1)
        .unwrap()
        .trim()
        .trim_matches(|c| c == '\'' || c == '"' || c == ';');
    let mut cmd = tv.bare(&["__complete", "environments"]);
    cmd.env("VAULT_SESSION", token);
    let names = stdout(&expect_code(&mut cmd, 0));
    assert_eq!(names.lines().collect::<Vec<_>>(), ["prod", "staging"]);
    assert_eq!(
        tv.json(&["get", "environments", "-o", "json"]),
        serde_json::json!([{"name": "prod", "secrets": 2}, {"name": "staging", "secrets": 1}])
    );
}

#[test]
fn reads_are_counted_per_environment_variant() {
    let tv = TestVault::new();
    tv.ok(&["create", "secret", "db", "-e", "URL=org"]);
    tv.ok(&["create", "secret", "db", "-E", "prod", "-e", "URL=prod"]);
    tv.ok(&["exec", "-E", "prod", "-s", "db", "--", "true"]);
    let prod = tv.json(&["get", "secret", "db", "-E", "prod", "-o", "json"]);
    assert!(prod["last_read_at"].is_string(), "{prod}");
    let plain = tv.json(&["get", "secret", "db", "-o", "json"]);
    assert!(plain["last_read_at"].is_null(), "{plain}");
    let out = tv.fails(&["check", "--unread-for", "30d", "-o", "json"], 1);
    let due: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(due.as_array().unwrap().len(), 1, "{due}");
    assert_eq!(due[0]["environment"], serde_json::Value::Null);
    let log = tv.ok(&["log"]);
    assert!(log.contains("db (prod)"), "{log}");
}

#[test]
fn read_and_inject_resolve_in_the_environment_and_honour_branch_rules() {
    let tv = TestVault::new();
    tv.ok(&["create", "secret", "db", "-e", "URL=org-url"]);
    tv.ok(&[
        "create",
        "secret",
        "db",
        "-E",
        "prod",
        "-e",
        "URL=prod-url",
        "--allow-branch",
        "main",
    ]);
    let run = |args: &[&str], branch: &str, stdin: &str| {
        let mut cmd = tv.cmd(args);
        cmd.env("VAULT_BRANCH", branch)
            .write_stdin(stdin.to_owned());
        cmd.output().unwrap()
    };
    let out = run(&["read", "db", "URL", "-E", "prod"], "main", "");
    assert_eq!(stdout(&out), "prod-url\n", "{}", stderr(&out));
    let out = run(&["read", "db", "URL"], "feature/x", "");
    assert_eq!(stdout(&out), "org-url\n", "{}", stderr(&out));
    let out = run(&["read", "db", "URL", "-E", "prod"], "feature/x", "");
    assert_eq!(out.status.code(), Some(7), "{}", stderr(&out));
    assert!(!stdout(&out).contains("prod-url"));

    let template = "url={{ secret('db', 'URL') }}\n";
    let out = run(&["inject", "-E", "prod"], "main", template);
    assert_eq!(stdout(&out), "url=prod-url\n", "{}", stderr(&out));
    let out = run(&["inject", "-E", "prod"], "feature/x", template);
    assert_eq!(out.status.code(), Some(7), "{}", stderr(&out));
    assert!(!stdout(&out).contains("prod-url"));
    let prod = tv.json(&["get", "secret", "db", "-E", "prod", "-o", "json"]);
    assert!(
        prod["last_read_at"].is_string(),
        "read and inject count: {prod}"
    );
}
