//! `vault exec` through the binary, rule by rule (SPEC.md, "`vault exec`"): which
//! secrets are selected, the child's environment, the files, the exit codes, masking,
//! the dry run, and what must never leak. Signals, terminals and killed runs are in
//! tests/exec_signals.rs.
//!
//! In these tests stdout and stderr are pipes, so masking is on unless turned off.
//! When there is nothing to mask and no file to write, `vault` replaces itself with
//! the command; otherwise it supervises it. Rules that hold in both ways are checked
//! in both.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;

use crate::common::{PASSPHRASE, TestVault, assert_no_canary, stderr, stdout};
use crate::exec_support::*;
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE};

const VAULT: &str = env!("CARGO_BIN_EXE_vault");

/// Runs `vault exec --no-mask ARGS -- env -0` as `cmd` was set up and returns the
/// child's environment.
fn child_env_of(mut cmd: assert_cmd::Command) -> BTreeMap<String, String> {
    cmd.timeout(PATIENCE);
    let output = cmd.output().expect("run vault");
    assert_code(&output, 0, "exec -- env -0");
    let mut env = BTreeMap::new();
    for entry in output.stdout.split(|&b| b == 0).filter(|e| !e.is_empty()) {
        let entry = String::from_utf8_lossy(entry);
        let (key, value) = entry.split_once('=').expect("KEY=value");
        env.insert(key.to_owned(), value.to_owned());
    }
    env
}

/// `vault exec --no-mask EXEC_ARGS -- env -0`: the child's environment.
fn child_env(tv: &TestVault, exec_args: &[&str]) -> BTreeMap<String, String> {
    child_env_of(tv.cmd(&exec_line(exec_args, &["env", "-0"])))
}

/// `exec --no-mask EXEC_ARGS -- COMMAND…`
fn exec_line<'a>(exec_args: &[&'a str], command: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["exec", "--no-mask"];
    args.extend_from_slice(exec_args);
    args.push("--");
    args.extend_from_slice(command);
    args
}

/// `vault exec EXEC_ARGS -- sh -c SCRIPT sh`, output captured.
fn exec_sh(tv: &TestVault, exec_args: &[&str], script: &str) -> std::process::Output {
    let mut args = vec!["exec"];
    args.extend_from_slice(exec_args);
    args.extend_from_slice(&["--", "sh", "-c", script, "sh"]);
    run(tv, &args)
}

/// Writes `bytes` outside the working directory, for `-f LOCAL:DEST`; returns its path.
fn local_file(tv: &TestVault, name: &str, bytes: &[u8]) -> String {
    let path = tv.path().join(name);
    fs::write(&path, bytes).unwrap();
    path.to_str().unwrap().to_owned()
}

/// The exec journals left in the runtime directory.
fn journals(tv: &TestVault) -> Vec<String> {
    let Ok(entries) = fs::read_dir(tv.runtime_dir().join("vault")) else {
        return Vec::new();
    };
    entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("exec-"))
        .collect()
}

fn unlock(tv: &TestVault) -> String {
    let out = tv.ok(&["unlock"]);
    let line = out
        .lines()
        .find_map(|l| l.strip_prefix("export VAULT_SESSION="))
        .unwrap_or_else(|| panic!("unexpected unlock output: {out}"));
    line.trim_matches(['\'', '"']).to_owned()
}

// --- 1. selection -----------------------------------------------------------

#[test]
fn named_secrets_are_injected_in_the_order_given_and_only_they() {
    let tv = TestVault::new();
    tv.ok(&["create", "secret", "first", "-e", "SHARED=from-first"]);
    tv.ok(&["update", "secret", "first", "-e", "ONLY_FIRST=yes"]);
    tv.ok(&["create", "secret", "second", "-e", "SHARED=from-second"]);
    tv.ok(&["create", "secret", "unnamed", "-e", "UNNAMED=yes"]);

    let env = child_env(&tv, &["-s", "first", "-s", "second"]);
    assert_eq!(env["SHARED"], "from-second", "the later secret wins");
    assert_eq!(env["ONLY_FIRST"], "yes");
    assert!(!env.contains_key("UNNAMED"), "only the named secrets");

    let env = child_env(&tv, &["--secret", "second", "--secret", "first"]);
    assert_eq!(env["SHARED"], "from-first", "the order given decides");
}

#[test]
fn without_names_the_secrets_listed_in_vault_toml_are_injected_from_a_subdirectory() {
    let tv = TestVault::new();
    tv.ok(&["create", "secret", "aws", "-e", "AWS=org-aws"]);
    tv.ok(&["create", "secret", "db", "-e", "DB=org-db"]);
    tv.ok(&["create", "secret", "db", "-p", "blue", "-e", "DB=blue-db"]);
    tv.ok(&["create", "secret", "other", "-e", "OTHER=yes"]);
    fs::write(
        tv.work().join(".vault.toml"),
        "project = \"blue\"\nsecrets = [\"db\", \"aws\"]\n",
    )
    .unwrap();
    let deep = tv.work().join("src/module");
    fs::create_dir_all(&deep).unwrap();

    let mut cmd = tv.cmd(&exec_line(&[], &["env", "-0"]));
    cmd.current_dir(&deep);
    let env = child_env_of(cmd);
    assert_eq!(env["DB"], "blue-db", "the project from .vault.toml");
    assert_eq!(env["AWS"], "org-aws");
    assert!(!env.contains_key("OTHER"), "only what .vault.toml lists");

    // -s takes precedence over the list.
    let mut cmd = tv.cmd(&exec_line(&["-s", "other"], &["env", "-0"]));
    cmd.current_dir(&deep);
    let env = child_env_of(cmd);
    assert_eq!(env["OTHER"], "yes");
    assert!(!env.contains_key("DB") && !env.contains_key("AWS"));

    // A name in .vault.toml that does not resolve is as wrong as a -s one.
    fs::write(
        tv.work().join(".vault.toml"),
        "project = \"blue\"\nsecrets = [\"db\", \"gone\"]\n",
    )
    .unwrap();
    let mut cmd = tv.cmd(&["exec", "--", "touch", "started"]);
    cmd.current_dir(&deep).timeout(PATIENCE);
    let output = cmd.output().unwrap();
    assert_code(&output, 3, ".vault.toml naming a missing secret");
    assert!(stderr(&output).contains("gone"), "{}", stderr(&output));
    assert!(!deep.join("started").exists());
}

#[test]
fn without_names_every_visible_secret_is_injected_org_first_then_the_projects() {
    let tv = TestVault::new();
    tv.ok(&[
        "create",
        "secret",
        "base",
        "-e",
        "BASE=org",
        "-e",
        "SHARED=org",
    ]);
    tv.ok(&[
        "create",
        "secret",
        "for-red",
        "-e",
        "RED_ONLY=yes",
        "--allow-project",
        "red",
    ]);
    tv.ok(&[
        "create",
        "secret",
        "for-blue",
        "-e",
        "BLUE_ALLOWED=yes",
        "--allow-project",
        "blue",
    ]);
    tv.ok(&["create", "secret", "own", "-p", "blue", "-e", "SHARED=own"]);
    tv.ok(&[
        "create",
        "secret",
        "elsewhere",
        "-p",
        "green",
        "-e",
        "GREEN=yes",
    ]);

    let env = child_env(&tv, &["-p", "blue"]);
    assert_eq!(env["BASE"], "org");
    assert_eq!(env["BLUE_ALLOWED"], "yes");
    assert_eq!(
        env["SHARED"], "own",
        "the project's own come after the org's"
    );
    assert!(!env.contains_key("RED_ONLY"), "allow-list excludes blue");
    assert!(!env.contains_key("GREEN"), "another project's secret");

    // Left out silently: exit 0 and not a word about it.
    let output = run_code(&tv, &["exec", "-p", "blue", "--", "true"], 0);
    assert!(!stderr(&output).contains("for-red"), "{}", stderr(&output));

    // The project also comes from VAULT_PROJECT, or .vault.toml without a list.
    let mut cmd = tv.cmd(&exec_line(&[], &["env", "-0"]));
    cmd.env("VAULT_PROJECT", "blue");
    assert_eq!(child_env_of(cmd)["SHARED"], "own");
    fs::write(tv.work().join(".vault.toml"), "project = \"blue\"\n").unwrap();
    let env = child_env(&tv, &[]);
    assert_eq!(env["SHARED"], "own");
    assert!(!env.contains_key("RED_ONLY"));

    let plan = stdout(&run_code(&tv, &["exec", "--dry-run", "--", "true"], 0));
    let org = plan.find("'base' (org)").expect(&plan);
    let own = plan.find("'own' (project blue)").expect(&plan);
    assert!(org < own, "org level first:\n{plan}");
}

#[test]
fn an_empty_secrets_list_in_vault_toml_injects_nothing() {
    let tv = TestVault::new();
    tv.ok(&["create", "secret", "org", "-e", "ORG=yes"]);
    tv.ok(&["create", "secret", "own", "-p", "blue", "-e", "OWN=yes"]);
    fs::write(
        tv.work().join(".vault.toml"),
        "project = \"blue\"\nsecrets = []\n",
    )
    .unwrap();
    let env = child_env(&tv, &[]);
    assert!(
        !env.contains_key("ORG") && !env.contains_key("OWN"),
        "{env:?}"
    );
    assert!(env.contains_key("PATH"), "the command still runs");
    // -s still selects.
    assert_eq!(child_env(&tv, &["-s", "own"])["OWN"], "yes");
}

#[test]
fn a_named_secret_that_does_not_resolve_is_exit_3_and_nothing_runs() {
    let tv = TestVault::new();
    tv.ok(&["create", "secret", "present", "-e", "K=v"]);
    tv.ok(&["create", "secret", "theirs", "-p", "red", "-e", "K=v"]);
    for args in [
        &[
            "exec", "-s", "present", "-s", "absent", "--", "touch", "started",
        ][..],
        &[
            "exec", "-p", "blue", "-s", "absent", "--", "touch", "started",
        ],
        // Another project's secret is not visible.
        &[
            "exec", "-p", "blue", "-s", "theirs", "--", "touch", "started",
        ],
    ] {
        let output = run_code(&tv, args, 3);
        let err = stderr(&output);
        assert!(err.contains("error:") && err.contains("not found"), "{err}");
        assert!(stdout(&output).is_empty());
        assert!(!tv.work().join("started").exists(), "{args:?} ran");
    }
}

#[test]
fn a_named_org_secret_whose_allow_list_excludes_the_project_is_exit_7() {
    let tv = TestVault::new();
    tv.ok(&[
        "create",
        "secret",
        "prod-db",
        "-e",
        "DB=x",
        "--allow-project",
        "red",
    ]);
    let output = run_code(
        &tv,
        &[
            "exec", "-p", "blue", "-s", "prod-db", "--", "touch", "started",
        ],
        7,
    );
    let err = stderr(&output);
    assert!(
        err.contains("prod-db") && err.contains("allow-list"),
        "{err}"
    );
    assert!(!tv.work().join("started").exists());
    // The project it allows gets it.
    let env = child_env(&tv, &["-p", "red", "-s", "prod-db"]);
    assert_eq!(env["DB"], "x");
}

#[test]
fn a_project_secret_overrides_the_org_secret_of_the_same_name() {
    let tv = TestVault::new();
    tv.ok(&[
        "create",
        "secret",
        "db",
        "-e",
        "URL=org",
        "-e",
        "ORG_ONLY=1",
    ]);
    tv.ok(&["create", "secret", "db", "-p", "blue", "-e", "URL=blue"]);

    for args in [&["-p", "blue", "-s", "db"][..], &["-p", "blue"]] {
        let env = child_env(&tv, args);
        assert_eq!(env["URL"], "blue", "{args:?}");
        assert!(
            !env.contains_key("ORG_ONLY"),
            "the whole secret is replaced"
        );
    }
    // No warning: one secret replaced another, no key was set twice.
    let output = run_code(&tv, &["exec", "-p", "blue", "--", "true"], 0);
    assert_eq!(stderr(&output), "");
    // Other projects, and the org level, still see the org's.
    assert_eq!(child_env(&tv, &["-p", "green", "-s", "db"])["URL"], "org");
    assert_eq!(child_env(&tv, &["-s", "db"])["URL"], "org");
}

// --- 2 and 7. overrides, dry run ------------------------------------------

#[test]
fn a_key_set_by_two_secrets_takes_the_later_value_with_a_warning_naming_both() {
    let tv = TestVault::new();
    create_from_stdin(&tv, "first", &[], "SHARED", "canary-first-7f3a");
    create_from_stdin(
        &tv,
        "second",
        &["-p", "blue"],
        "SHARED",
        "canary-second-9c1d",
    );

    let output = run_code(&tv, &["exec", "-p", "blue", "--", "true"], 0);
    let err = stderr(&output);
    assert!(err.contains("warning"), "{err}");
    assert!(err.contains("SHARED"), "names the key: {err}");
    assert!(err.contains("'first' (org)"), "names the loser: {err}");
    assert!(
        err.contains("'second' (project blue)"),
        "names the winner: {err}"
    );
    assert!(stdout(&output).is_empty());
    assert_no_canary(&output, "canary-first");
    assert_no_canary(&output, "canary-second");

    let env = child_env(&tv, &["-p", "blue"]);
    assert_eq!(env["SHARED"], "canary-second-9c1d");
    let env = child_env(&tv, &["-p", "blue", "-s", "second", "-s", "first"]);
    assert_eq!(env["SHARED"], "canary-first-7f3a");
}

#[test]
fn a_file_destination_set_by_two_secrets_takes_the_later_contents_with_a_warning() {
    let tv = TestVault::new();
    let one = local_file(&tv, "one", b"canary-file-one");
    let two = local_file(&tv, "two", b"canary-file-two");
    tv.ok(&[
        "create",
        "secret",
        "one",
        "-f",
        &format!("{one}:conf/app.conf"),
    ]);
    tv.ok(&[
        "create",
        "secret",
        "two",
        "-f",
        &format!("{two}:conf/app.conf"),
    ]);
    let output = exec_sh(&tv, &["-s", "one", "-s", "two"], "cp conf/app.conf seen");
    assert_code(&output, 0, "exec");
    assert_eq!(
        fs::read(tv.work().join("seen")).unwrap(),
        b"canary-file-two"
    );
    let err = stderr(&output);
    assert!(
        err.contains("conf/app.conf") && err.contains("'one'") && err.contains("'two'"),
        "{err}"
    );
    assert_no_canary(&output, "canary-file");
    assert!(!tv.work().join("conf").exists());
}

#[test]
fn dry_run_prints_the_plan_without_values_and_runs_nothing() {
    let tv = TestVault::new();
    create_from_stdin(&tv, "base", &[], "API_TOKEN", "canary-dry-token-1");
    add_from_stdin(&tv, "base", &[], "SHARED", "canary-dry-shared-org");
    let conf = local_file(&tv, "app.conf", b"password=canary-dry-file\n");
    create_from_stdin(
        &tv,
        "app",
        &["-p", "blue"],
        "SHARED",
        "canary-dry-shared-own",
    );
    tv.ok(&[
        "update",
        "secret",
        "app",
        "-p",
        "blue",
        "-f",
        &format!("{conf}:config/app.conf"),
    ]);
    let marker = tv.work().join("marker");
    let marker_arg = marker.to_str().unwrap();

    let output = run_code(
        &tv,
        &["exec", "-p", "blue", "--dry-run", "--", "touch", marker_arg],
        0,
    );
    let plan = stdout(&output);
    assert!(!marker.exists(), "the command ran:\n{plan}");
    assert!(!tv.work().join("config").exists(), "a file was written");
    assert_no_canary(&output, "canary-dry");

    let line = |needle: &str| {
        plan.lines()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no line with {needle:?}:\n{plan}"))
            .to_owned()
    };
    assert!(line("API_TOKEN").contains("'base' (org)"), "{plan}");
    // SHARED comes from the project's secret, and what it replaced is said.
    let shared: Vec<&str> = plan.lines().filter(|l| l.contains("SHARED")).collect();
    assert!(
        shared.iter().any(|l| l.contains("'app' (project blue)")),
        "{plan}"
    );
    let overridden = shared
        .iter()
        .find(|l| l.contains("overridden"))
        .unwrap_or_else(|| panic!("no override line:\n{plan}"));
    assert!(overridden.contains("'base' (org)"), "{plan}");
    assert!(
        line("config/app.conf").contains("'app' (project blue)"),
        "{plan}"
    );
    assert!(plan.contains("blue"), "the project: {plan}");
    // The override warning is on stderr as in a real run.
    assert!(stderr(&output).contains("SHARED"), "{}", stderr(&output));

    // Nothing to run is needed: a command that does not exist is not looked for.
    run_code(
        &tv,
        &["exec", "--dry-run", "--", "vault-test-no-such-cmd"],
        0,
    );
    // And no exec is recorded for a run that did not happen.
    let log = tv.json(&["log", "-o", "json"]);
    let execs = log.as_array().unwrap().iter();
    assert_eq!(execs.filter(|e| e["action"] == "exec").count(), 0);
}

#[test]
fn dry_run_fails_like_a_real_run_on_selection_errors() {
    let tv = TestVault::new();
    tv.ok(&[
        "create",
        "secret",
        "red-only",
        "-e",
        "K=v",
        "--allow-project",
        "red",
    ]);
    let output = run_code(&tv, &["exec", "--dry-run", "-s", "absent", "--", "true"], 3);
    assert!(stdout(&output).is_empty());
    let args = [
        "exec",
        "--dry-run",
        "-p",
        "blue",
        "-s",
        "red-only",
        "--",
        "true",
    ];
    let output = run_code(&tv, &args, 7);
    assert!(stdout(&output).is_empty());
}

// --- 2. the child's environment; stdout is the child's -----------------------

#[test]
fn the_child_never_gets_the_key_to_the_vault_but_keeps_the_rest_of_the_environment() {
    let tv = TestVault::new();
    tv.ok(&["create", "secret", "app", "-e", "APP_KEY=app-value-123"]);
    let pass_file = tv.path().join("passphrase");
    fs::write(&pass_file, PASSPHRASE).unwrap();
    let token = unlock(&tv);
    let key_vars = ["VAULT_SESSION", "VAULT_PASSPHRASE", "VAULT_PASSPHRASE_FILE"];

    type Setup<'a> = (&'a str, Vec<(&'a str, &'a str)>);
    let pass_file = pass_file.to_str().unwrap();
    let setups: [Setup; 4] = [
        ("passphrase", vec![("VAULT_PASSPHRASE", PASSPHRASE)]),
        (
            "passphrase file",
            vec![("VAULT_PASSPHRASE_FILE", pass_file)],
        ),
        ("session", vec![("VAULT_SESSION", &token)]),
        (
            "all three",
            vec![
                ("VAULT_SESSION", &token),
                ("VAULT_PASSPHRASE", PASSPHRASE),
                ("VAULT_PASSPHRASE_FILE", pass_file),
            ],
        ),
    ];
    // Without masking and files vault becomes the command; with masking it supervises.
    for mask in ["--no-mask", "--mask"] {
        for (what, vars) in &setups {
            let mut cmd = tv.bare(&["exec", mask, "--", "env", "-0"]);
            cmd.env("CALLER_VAR", "kept")
                .env("VAULT_PROJECT_HINT", "kept too");
            for (key, value) in vars {
                cmd.env(key, value);
            }
            let env = child_env_of(cmd);
            for key in key_vars {
                assert!(
                    !env.contains_key(key),
                    "{what}, {mask}: {key} reached the child"
                );
            }
            assert_eq!(env.get("CALLER_VAR").map(String::as_str), Some("kept"));
            assert_eq!(env["VAULT_PROJECT_HINT"], "kept too");
            assert_eq!(env["HOME"], tv.home().to_str().unwrap());
            assert!(env.contains_key("PATH") && env.contains_key("VAULT_FILE"));
            let injected = if mask == "--mask" {
                "***"
            } else {
                "app-value-123"
            };
            // `env -0` prints the value: unmasked, or masked by --mask.
            assert_eq!(env["APP_KEY"], injected, "{what}, {mask}");
        }
    }
}

#[test]
fn a_secret_variable_replaces_the_callers_variable_of_that_name() {
    let tv = TestVault::new();
    tv.ok(&["create", "secret", "app", "-e", "DATABASE_URL=from-vault"]);
    let mut cmd = tv.cmd(&exec_line(&[], &["env", "-0"]));
    cmd.env("DATABASE_URL", "from-caller");
    assert_eq!(child_env_of(cmd)["DATABASE_URL"], "from-vault");
}

#[test]
fn vault_itself_writes_nothing_on_stdout() {
    let tv = TestVault::new();
    tv.ok(&["create", "secret", "app", "-e", "K=some-value-1"]);
    let conf = local_file(&tv, "c", b"file secret");
    tv.ok(&["create", "secret", "files", "-f", &format!("{conf}:c.txt")]);
    tv.ok(&["create", "secret", "again", "-e", "K=some-value-2"]);
    for mode in [
        &["--no-mask", "-s", "app"][..],
        &["-s", "app"],
        &[],
        &["--no-mask"],
    ] {
        let mut args = vec!["exec"];
        args.extend_from_slice(mode);
        args.extend_from_slice(&["--", "true"]);
        let output = run_code(&tv, &args, 0);
        assert_eq!(output.stdout, b"", "{mode:?}");

        let mut args = vec!["exec"];
        args.extend_from_slice(mode);
        args.extend_from_slice(&["--", "printf", r"x\000y\377\n"]);
        let output = run_code(&tv, &args, 0);
        assert_eq!(
            output.stdout, b"x\0y\xff\n",
            "{mode:?}: exactly the child's bytes"
        );
    }
    // Through a pipe, as a script would use it.
    let script = format!("'{VAULT}' exec -- printf x | od -An -tx1");
    let output = sh_from(&tv.cmd(&[]), &script).output().unwrap();
    assert_eq!(stdout(&output).trim(), "78", "{}", stderr(&output));
}

/// `sh -c SCRIPT` with the environment and working directory of a harness command.
fn sh_from(template: &assert_cmd::Command, script: &str) -> std::process::Command {
    let mut sh = std::process::Command::new("sh");
    sh.arg("-c").arg(script).env_clear();
    for (key, value) in template.get_envs() {
        if let Some(value) = value {
            sh.env(key, value);
        }
    }
    if let Some(dir) = template.get_current_dir() {
        sh.current_dir(dir);
    }
    sh
}

// --- 3. files -----------------------------------------------------------------

#[test]
fn files_are_written_0600_relative_to_the_cwd_and_home_then_removed_with_their_dirs() {
    let tv = TestVault::new();
    let pem: Vec<u8> = b"-----BEGIN KEY-----\n\x00\xff\xfe binary canary-pem\n".to_vec();
    let pem_path = local_file(&tv, "deploy.pem", &pem);
    let token_path = local_file(&tv, "token", b"canary-token-file");
    tv.ok(&[
        "create",
        "secret",
        "deploy",
        "-f",
        &format!("{pem_path}:keys/ci/deploy.pem"),
        "-f",
        &format!("{token_path}:~/.config/app/token"),
    ]);
    let home_before: Vec<_> = fs::read_dir(tv.home()).unwrap().flatten().collect();
    let script = r#"
        cp keys/ci/deploy.pem seen.pem
        cp "$HOME/.config/app/token" seen.token
        stat -c %a keys/ci/deploy.pem "$HOME/.config/app/token" > modes
        test -d keys/ci && echo dirs-made > dirs
    "#;
    let output = exec_sh(&tv, &[], script);
    assert_code(&output, 0, "exec");
    assert_eq!(fs::read(tv.work().join("seen.pem")).unwrap(), pem);
    assert_eq!(
        fs::read(tv.work().join("seen.token")).unwrap(),
        b"canary-token-file"
    );
    assert_eq!(
        fs::read_to_string(tv.work().join("modes")).unwrap(),
        "600\n600\n"
    );
    assert!(tv.work().join("dirs").exists());
    assert!(!tv.work().join("keys").exists(), "created dirs are removed");
    assert!(
        !tv.home().join(".config").exists(),
        "created dirs are removed"
    );
    let home_after: Vec<_> = fs::read_dir(tv.home()).unwrap().flatten().collect();
    assert_eq!(home_before.len(), home_after.len());
    assert!(journals(&tv).is_empty(), "{:?}", journals(&tv));
}

#[test]
fn an_existing_directory_is_kept_when_a_file_in_it_is_removed() {
    let tv = TestVault::new();
    let path = local_file(&tv, "k", b"kkkk");
    tv.ok(&[
        "create",
        "secret",
        "s",
        "-f",
        &format!("{path}:existing/new/k"),
    ]);
    fs::create_dir(tv.work().join("existing")).unwrap();
    fs::write(tv.work().join("existing/mine"), "mine").unwrap();
    let output = exec_sh(&tv, &[], "test -f existing/new/k");
    assert_code(&output, 0, "exec");
    assert!(!tv.work().join("existing/new").exists());
    assert_eq!(
        fs::read_to_string(tv.work().join("existing/mine")).unwrap(),
        "mine"
    );
}

#[test]
fn an_existing_destination_is_exit_6_with_nothing_written_and_nothing_run() {
    let tv = TestVault::new();
    let first = local_file(&tv, "first", b"canary-conflict-first");
    let taken = local_file(&tv, "taken", b"canary-conflict-taken");
    tv.ok(&[
        "create",
        "secret",
        "two-files",
        "-f",
        &format!("{first}:new/first.pem"),
        "-f",
        &format!("{taken}:taken.pem"),
    ]);
    fs::write(tv.work().join("taken.pem"), "mine").unwrap();
    for mask in ["--mask", "--no-mask"] {
        let output = run_code(&tv, &["exec", mask, "--", "touch", "started"], 6);
        let err = stderr(&output);
        assert!(err.contains("error:") && err.contains("taken.pem"), "{err}");
        assert!(stdout(&output).is_empty());
        assert_no_canary(&output, "canary-conflict");
        assert!(!tv.work().join("started").exists(), "the child ran");
        assert!(!tv.work().join("new").exists(), "a file was written");
        assert_eq!(
            fs::read_to_string(tv.work().join("taken.pem")).unwrap(),
            "mine"
        );
    }
    assert!(journals(&tv).is_empty());
}

#[test]
fn files_are_removed_after_success_failure_and_death_by_signal() {
    let tv = TestVault::new();
    let path = local_file(&tv, "k", b"canary-lifetime-file");
    tv.ok(&[
        "create",
        "secret",
        "s",
        "-f",
        &format!("{path}:sub/dir/key.pem"),
    ]);
    for (script, code) in [
        ("true", 0),
        ("exit 3", 3),
        ("kill -TERM $$", 143),
        ("kill -KILL $$", 137),
    ] {
        for mask in ["--mask", "--no-mask"] {
            let script = format!("test -f sub/dir/key.pem || exit 99; {script}");
            let output = exec_sh(&tv, &[mask], &script);
            assert_code(&output, code, (&script, mask));
            assert!(!tv.work().join("sub").exists(), "{script} {mask}: left");
            assert!(journals(&tv).is_empty());
        }
    }
}

// --- 5. exit codes ------------------------------------------------------------

#[test]
fn exit_codes_are_the_childs_own() {
    let tv = TestVault::new();
    tv.ok(&["create", "secret", "s", "-e", "K=long-enough"]);
    // --mask: vault supervises the child; --no-mask: it becomes the child.
    for mask in ["--mask", "--no-mask"] {
        for code in [0, 1, 2, 3, 42, 255] {
            let output = exec_sh(&tv, &[mask], &format!("exit {code}"));
            assert_code(&output, code, mask);
        }
    }
}

#[test]
fn death_by_signal_n_is_128_plus_n() {
    let tv = TestVault::new();
    tv.ok(&["create", "secret", "s", "-e", "K=long-enough"]);
    for (signal, code) in [("TERM", 143), ("KILL", 137), ("INT", 130), ("HUP", 129)] {
        let output = exec_sh(&tv, &["--mask"], &format!("kill -{signal} $$"));
        assert_code(&output, code, signal);
    }
    // Having become the command, vault dies of the same signal: a script sees 128+N.
    let script = format!(r#"'{VAULT}' exec --no-mask -- sh -c 'kill -TERM $$'; echo "code=$?""#);
    let output = sh_from(&tv.cmd(&[]), &script).output().unwrap();
    assert_eq!(stdout(&output).trim(), "code=143", "{}", stderr(&output));
}

#[test]
fn a_command_not_found_is_127_and_one_that_cannot_run_is_126() {
    let tv = TestVault::new();
    let path = local_file(&tv, "k", b"kkkk");
    tv.ok(&["create", "secret", "s", "-e", "K=long-enough"]);
    tv.ok(&["create", "secret", "f", "-f", &format!("{path}:k.pem")]);
    let script = tv.work().join("not-executable.sh");
    fs::write(&script, "#!/bin/sh\necho ran\n").unwrap();
    fs::set_permissions(&script, fs::Permissions::from_mode(0o644)).unwrap();
    fs::create_dir(tv.work().join("a-directory")).unwrap();

    for mode in [&["--no-mask", "-s", "s"][..], &["-s", "s"], &["-s", "f"]] {
        let mut args = vec!["exec"];
        args.extend_from_slice(mode);
        args.extend_from_slice(&["--", "vault-test-no-such-command", "arg"]);
        let output = run_code(&tv, &args, 127);
        assert!(output.stdout.is_empty());
        let err = stderr(&output);
        assert!(
            err.contains("not found") && err.contains("vault-test-no-such-command"),
            "{mode:?}: {err}"
        );

        for target in ["./not-executable.sh", "./a-directory"] {
            let mut args = vec!["exec"];
            args.extend_from_slice(mode);
            args.extend_from_slice(&["--", target]);
            let output = run_code(&tv, &args, 126);
            assert!(output.stdout.is_empty(), "{target} ran");
            assert!(stderr(&output).contains(target), "{}", stderr(&output));
        }
        assert!(!tv.work().join("k.pem").exists());
    }
    assert!(journals(&tv).is_empty());
}

#[test]
fn the_command_is_looked_up_on_its_own_path_as_execvp_does() {
    let tv = TestVault::new();
    let dirs: Vec<_> = ["denied", "tools", "scripts"]
        .iter()
        .map(|d| tv.work().join(d))
        .collect();
    let write = |path: std::path::PathBuf, text: &str, mode: u32| {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, text).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(mode)).unwrap();
    };
    // Not executable: skipped (EACCES), as execvp skips it, for the next one.
    write(dirs[0].join("tool"), "#!/bin/sh\necho denied\n", 0o644);
    write(
        dirs[1].join("tool"),
        "#!/bin/sh\necho \"tool from tools\"\n",
        0o755,
    );
    // No `#!`: execve says ENOEXEC, and the file is run by /bin/sh.
    write(dirs[2].join("bare"), "echo \"bare script ran\"\n", 0o755);
    let path: Vec<&str> = dirs.iter().map(|d| d.to_str().unwrap()).collect();
    let path = format!("{}:/usr/bin:/bin", path.join(":"));
    tv.ok(&["create", "secret", "p", "-e", &format!("PATH={path}")]);
    let key = local_file(&tv, "k", b"kkkk");
    tv.ok(&["create", "secret", "f", "-f", &format!("{key}:k.pem")]);

    // In place, supervised to mask, and supervised to clean up a file.
    for mode in [
        &["--no-mask", "-s", "p"][..],
        &["-s", "p"],
        &["-s", "p", "-s", "f"],
    ] {
        for (command, expected) in [("tool", "tool from tools"), ("bare", "bare script ran")] {
            let mut args = vec!["exec"];
            args.extend_from_slice(mode);
            args.extend_from_slice(&["--", command]);
            let output = run_code(&tv, &args, 0);
            assert_eq!(stdout(&output).trim(), expected, "{mode:?} {command}");
        }
        let mut args = vec!["exec"];
        args.extend_from_slice(mode);
        args.extend_from_slice(&["--", "denied-nowhere-else"]);
        run_code(&tv, &args, 127);
    }
    // Found only where it may not run: 126, as execvp reports EACCES.
    fs::remove_file(dirs[1].join("tool")).unwrap();
    run_code(&tv, &["exec", "--no-mask", "-s", "p", "--", "tool"], 126);
    assert!(journals(&tv).is_empty());
}

// --- 6. masking -----------------------------------------------------------------

#[test]
fn masking_is_on_for_pipes_and_turned_off_by_no_mask_or_vault_mask_0() {
    let tv = TestVault::new();
    create_from_stdin(&tv, "s", &[], "TOKEN", "canary-mask-4e2b");
    let script = r#"echo "token=$TOKEN"; echo "err=$TOKEN" >&2"#;

    let output = exec_sh(&tv, &[], script);
    assert_code(&output, 0, "default");
    assert_eq!(stdout(&output), "token=***\n");
    assert_eq!(stderr(&output), "err=***\n");

    let output = exec_sh(&tv, &["--mask"], script);
    assert_eq!(stdout(&output), "token=***\n");
    assert_eq!(stderr(&output), "err=***\n");
    let output = exec_sh(&tv, &["--no-mask"], script);
    assert_eq!(stdout(&output), "token=canary-mask-4e2b\n");
    assert_eq!(stderr(&output), "err=canary-mask-4e2b\n");

    for (value, masked) in [("0", false), ("1", true), ("", true)] {
        let mut cmd = tv.cmd(&["exec", "--", "sh", "-c", script]);
        cmd.env("VAULT_MASK", value).timeout(PATIENCE);
        let output = cmd.output().unwrap();
        let want = if masked {
            "token=***\n"
        } else {
            "token=canary-mask-4e2b\n"
        };
        assert_eq!(stdout(&output), want, "VAULT_MASK={value:?}");
    }
}

#[test]
fn an_explicit_mask_flag_beats_vault_mask_0() {
    let tv = TestVault::new();
    create_from_stdin(&tv, "s", &[], "TOKEN", "canary-mask-flag-1");
    let mut cmd = tv.cmd(&["exec", "--mask", "--", "sh", "-c", "echo $TOKEN"]);
    cmd.env("VAULT_MASK", "0").timeout(PATIENCE);
    let output = cmd.output().unwrap();
    assert_eq!(stdout(&output), "***\n");
}

#[test]
fn a_value_split_across_two_writes_is_masked() {
    let tv = TestVault::new();
    tv.ok(&["create", "secret", "s", "-e", "K=abcdef"]);
    let output = exec_sh(&tv, &[], "printf abc; sleep 0.05; printf def");
    assert_eq!(output.stdout, b"***");
    let output = exec_sh(&tv, &[], "printf 'x=ab'; sleep 0.05; printf 'cdef\\n'");
    assert_eq!(stdout(&output), "x=***\n");
    // A start that goes nowhere is passed on whole.
    let output = exec_sh(&tv, &[], "printf abc; sleep 0.05; printf 'xyz\\n'");
    assert_eq!(stdout(&output), "abcxyz\n");
}

#[test]
fn each_line_of_a_multi_line_value_is_masked() {
    let tv = TestVault::new();
    let pem = "-----BEGIN TEST KEY-----\n\
               MIIBOgIBAAJBAKj34GkxFhD90vcNLYLTg3ypxQeYh3Ek\n\
               7e8mGmbzaW0mLN2xDQ9dSqCrGfUb1R2hZ4EoV\n\
               Q==\n\
               -----END TEST KEY-----";
    create_from_stdin(&tv, "s", &[], "PEM", &format!("{pem}\n"));
    let key_path = local_file(&tv, "key.pem", format!("{pem}\n").as_bytes());
    tv.ok(&[
        "create",
        "secret",
        "f",
        "-f",
        &format!("{key_path}:key.pem"),
    ]);

    // Whole.
    let output = exec_sh(&tv, &[], r#"printf '%s\n' "$PEM""#);
    assert_eq!(stdout(&output), "***\n");
    // Line by line, re-indented: each line of 4 or more characters.
    let output = exec_sh(&tv, &[], r#"printf '%s\n' "$PEM" | sed 's/^/  /'"#);
    assert_eq!(
        stdout(&output),
        "  ***\n  ***\n  ***\n  Q==\n  ***\n",
        "a 3-character line is not masked"
    );
    // One line alone.
    let output = exec_sh(&tv, &[], r#"printf '%s\n' "$PEM" | sed -n 2p"#);
    assert_eq!(stdout(&output), "***\n");
    // A text file's contents are values too.
    let output = exec_sh(&tv, &[], "cat key.pem; sed -n 3p key.pem");
    let out = stdout(&output);
    assert!(!out.contains("MIIBOg") && !out.contains("7e8mGm"), "{out}");
    assert!(!out.contains("BEGIN TEST KEY"), "{out}");
}

#[test]
fn a_value_that_is_the_prefix_of_another_does_not_leak_the_longer_ones_tail() {
    let tv = TestVault::new();
    tv.ok(&[
        "create",
        "secret",
        "s",
        "-e",
        "SHORT=abcd1234",
        "-e",
        "LONG=abcd1234XYZW",
    ]);
    let output = exec_sh(
        &tv,
        &[],
        r#"echo "$LONG"; echo "$SHORT"; echo "$SHORT-$LONG""#,
    );
    assert_eq!(stdout(&output), "***\n***\n***-***\n");
    let output = exec_sh(&tv, &[], "printf abcd1234; sleep 0.05; printf 'XYZW\\n'");
    assert_eq!(stdout(&output), "***\n", "split between the two values");
    let output = exec_sh(&tv, &[], "printf abcd1234; sleep 0.05; printf 'XY\\n'");
    assert_eq!(stdout(&output), "***XY\n");
}

/// Percent-encoding of everything but the RFC 3986 unreserved characters.
fn url_encode(value: &str, space_as_plus: bool) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            b' ' if space_as_plus => "+".to_owned(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[test]
fn base64_and_url_encoded_forms_are_masked() {
    let tv = TestVault::new();
    // Encodes to both '+' and '/' in standard base64, so the URL-safe form differs.
    let value = "canary>>>???~ p&q=1";
    create_from_stdin(&tv, "s", &[], "PASSWORD", value);
    let std = STANDARD.encode(value);
    let url = URL_SAFE.encode(value);
    assert!(std.contains('+') && std.contains('/') && std != url);
    let basic = STANDARD.encode(format!("user:{value}"));
    let forms = [
        std.clone(),
        url.clone(),
        url_encode(value, false),
        url_encode(value, true),
        format!("Authorization: Basic {basic}"),
        format!("https://db.test/?password={}&x=1", url_encode(value, false)),
    ];
    let mut args = vec![
        "exec",
        "--",
        "sh",
        "-c",
        r#"for f; do echo "$f"; done"#,
        "sh",
    ];
    args.extend(forms.iter().map(String::as_str));
    let output = run_code(&tv, &args, 0);
    let out = stdout(&output);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), forms.len(), "{out}");
    for (form, line) in forms.iter().zip(&lines) {
        assert!(line.contains("***"), "{form} not masked: {line}");
    }
    // A base64 form's last characters mix the value's last bits with padding: at
    // most one such character (and the padding) may remain.
    for line in &lines[..2] {
        assert!(line.starts_with("***") && line.len() <= 6, "{line}");
    }
    assert_eq!(&lines[2..4], ["***", "***"]);
    assert!(
        !lines[4].contains(&basic[8..basic.len() - 4]),
        "{}",
        lines[4]
    );
    assert_eq!(lines[5], "https://db.test/?password=***&x=1");
    assert!(!out.contains("canary"), "{out}");
    // The child computing it itself.
    let output = exec_sh(&tv, &[], r#"printf %s "$PASSWORD" | base64 -w0; echo"#);
    let out = stdout(&output);
    assert!(out.starts_with("***") && out.len() <= 7, "{out}");
}

#[test]
fn values_shorter_than_4_characters_are_not_masked() {
    let tv = TestVault::new();
    tv.ok(&[
        "create",
        "secret",
        "s",
        "-e",
        "THREE=abc",
        "-e",
        "FOUR=wxyz",
    ]);
    create_from_stdin(&tv, "u", &[], "UNI3", "ééé");
    create_from_stdin(&tv, "v", &[], "UNI4", "ëëëë");
    let output = exec_sh(&tv, &[], r#"echo "$THREE $FOUR $UNI3 $UNI4""#);
    assert_eq!(
        stdout(&output),
        "abc *** ééé ***\n",
        "characters, not bytes"
    );
}

#[test]
fn stdout_and_stderr_stay_separate() {
    let tv = TestVault::new();
    create_from_stdin(&tv, "s", &[], "K", "canary-streams-51");
    let script = r#"for i in 1 2 3; do echo "out $i"; echo "err $i $K" >&2; done; echo "out $K""#;
    let output = exec_sh(&tv, &[], script);
    assert_eq!(stdout(&output), "out 1\nout 2\nout 3\nout ***\n");
    assert_eq!(stderr(&output), "err 1 ***\nerr 2 ***\nerr 3 ***\n");
}

#[test]
fn output_is_passed_on_as_it_comes() {
    let tv = TestVault::new();
    create_from_stdin(&tv, "s", &[], "K", "canary-prompt-77");
    // The child prints, then blocks on stdin: what it printed must arrive meanwhile.
    let script = r#"echo "first $K"; echo "to stderr" >&2; read go; echo "second $go""#;
    let mut vault = Running::spawn_with_stdin(vault_std(&tv, &["exec", "--", "sh", "-c", script]));
    assert_eq!(vault.line(), "first ***");
    assert!(vault.is_running(), "the line came before the child ended");
    vault
        .child
        .stdin
        .take()
        .unwrap()
        .write_all(b"now\n")
        .unwrap();
    assert_eq!(vault.line(), "second now");
    assert!(vault.wait().success());
    assert_eq!(vault.rest_of_stderr(), ["to stderr"]);
}

#[test]
fn a_prompt_without_a_newline_is_passed_on_before_the_child_reads_the_answer() {
    let tv = TestVault::new();
    create_from_stdin(&tv, "s", &[], "K", "canary-partial-3b");
    let script = r#"printf 'Proceed? [y/N] '; read answer; echo "answer=$answer""#;
    let mut vault = Running::spawn_with_stdin(vault_std(&tv, &["exec", "--", "sh", "-c", script]));
    let prompt = vault.bytes_until(b"[y/N] ", PATIENCE);
    assert_eq!(prompt.as_deref(), Some(&b"Proceed? [y/N] "[..]));
    assert!(vault.is_running());
    let mut stdin = vault.child.stdin.take().unwrap();
    stdin.write_all(b"y\n").unwrap();
    assert_eq!(vault.line(), "answer=y");
    assert!(vault.wait().success());
}

#[test]
fn stdin_passes_through() {
    let tv = TestVault::new();
    tv.ok(&["create", "secret", "s", "-e", "K=long-enough"]);
    for mask in ["--mask", "--no-mask"] {
        let output = bounded(&tv, &["exec", mask, "--", "cat"])
            .write_stdin("hi\nthere\n")
            .output()
            .unwrap();
        assert_code(&output, 0, mask);
        assert_eq!(stdout(&output), "hi\nthere\n", "{mask}");
    }
}

// --- leaks --------------------------------------------------------------------

#[test]
fn values_never_appear_in_vaults_messages_or_its_command_line() {
    let tv = TestVault::new();
    create_from_stdin(&tv, "app", &[], "API_KEY", "canary-cmdline-0a9f");
    let file = local_file(&tv, "f", b"canary-cmdline-file");
    tv.ok(&["create", "secret", "cfg", "-f", &format!("{file}:cfg.txt")]);
    create_from_stdin(&tv, "dup", &[], "API_KEY", "canary-cmdline-dup");

    // While the child runs: vault's and the child's command lines.
    let script = "echo ready; read go";
    let mut vault = Running::spawn_with_stdin(vault_std(&tv, &["exec", "--", "sh", "-c", script]));
    vault.wait_for_line("ready");
    let pid = vault.pid();
    let mut lines = vec![(pid, cmdline(pid))];
    lines.extend(children(pid).into_iter().map(|c| (c, cmdline(c))));
    assert!(lines.len() >= 2, "the child is not among vault's children");
    for (pid, line) in &lines {
        assert!(!line.is_empty(), "no command line for {pid}");
        assert!(!contains(line, b"canary"), "{pid}: {line:?}");
    }
    if let Ok(environ) = fs::read(format!("/proc/{pid}/environ")) {
        assert!(!contains(&environ, b"canary"), "vault's own environment");
    }
    vault.child.stdin.take().unwrap().write_all(b"\n").unwrap();
    assert!(vault.wait().success());
    let err = vault.rest_of_stderr().join("\n");
    assert!(err.contains("API_KEY") && !err.contains("canary"), "{err}");

    // Errors: conflict, not found, denied, command not found.
    fs::write(tv.work().join("cfg.txt"), "mine").unwrap();
    let output = run_code(&tv, &["exec", "--", "true"], 6);
    assert_no_canary(&output, "canary");
    fs::remove_file(tv.work().join("cfg.txt")).unwrap();
    let output = run_code(&tv, &["exec", "-s", "app", "-s", "nope", "--", "true"], 3);
    assert_no_canary(&output, "canary");
    let output = run_code(&tv, &["exec", "--", "vault-test-no-such-command"], 127);
    assert_no_canary(&output, "canary");
    let output = run_code(&tv, &["exec", "--dry-run", "--", "true"], 0);
    assert_no_canary(&output, "canary");
    let log = run_code(&tv, &["log", "-o", "json"], 0);
    assert_no_canary(&log, "canary");
}

#[test]
fn the_child_inherits_no_descriptor_of_vault() {
    let tv = TestVault::new();
    let file = local_file(&tv, "f", b"file contents");
    tv.ok(&["create", "secret", "s", "-e", "K=long-enough"]);
    tv.ok(&["create", "secret", "f", "-f", &format!("{file}:f.txt")]);
    let script = r#"for fd in /proc/$$/fd/*; do echo "$fd $(readlink "$fd")"; done"#;
    for mask in ["--mask", "--no-mask"] {
        let output = exec_sh(&tv, &[mask], script);
        assert_code(&output, 0, mask);
        let out = stdout(&output);
        let test_dir = tv.path().to_str().unwrap();
        for line in out.lines() {
            assert!(
                !line.contains(test_dir) && !line.contains("socket:"),
                "{mask}: the child holds one of vault's descriptors: {line}\n{out}"
            );
        }
    }
}

#[test]
fn large_output_passes_through_intact() {
    let tv = TestVault::new();
    tv.ok(&["create", "secret", "s", "-e", "K=not-in-the-output"]);
    let output = run_code(&tv, &["exec", "--", "seq", "1", "200000"], 0);
    let want: String = (1..=200_000).map(|n| format!("{n}\n")).collect();
    assert!(stdout(&output) == want, "seq's output changed on its way");
}

#[test]
fn a_reader_that_goes_away_ends_the_command_as_it_would_without_vault() {
    let tv = TestVault::new();
    tv.ok(&["create", "secret", "s", "-e", "K=long-enough"]);
    for mask in ["--mask", "--no-mask"] {
        // `yes` runs until its reader goes away; then SIGPIPE ends it: exit 141.
        let script =
            format!(r#"{{ '{VAULT}' exec {mask} -- yes; echo "$?" > code; }} | head -n 2"#);
        let mut sh = Running::spawn(sh_from(&tv.cmd(&[]), &script));
        assert_eq!(sh.rest_of_stdout(), ["y", "y"]);
        assert!(sh.wait().success());
        let code = fs::read_to_string(tv.work().join("code")).unwrap();
        assert_eq!(code.trim(), "141", "{mask}");
    }
}

// --- sessions, audit ------------------------------------------------------------

#[test]
fn exec_works_with_a_session_and_no_passphrase() {
    let tv = TestVault::new();
    tv.ok(&["create", "secret", "s", "-e", "K=session-value"]);
    let token = unlock(&tv);
    let mut cmd = tv.bare(&["exec", "--no-mask", "--", "sh", "-c", "echo $K"]);
    cmd.env("VAULT_SESSION", &token).timeout(PATIENCE);
    let output = cmd.output().unwrap();
    assert_code(&output, 0, "exec with a session");
    assert_eq!(stdout(&output), "session-value\n");
    // Without any key source: exit 4, nothing run.
    let mut cmd = tv.bare(&["exec", "--", "touch", "started"]);
    let output = cmd.timeout(PATIENCE).output().unwrap();
    assert_code(&output, 4, "exec without a key");
    assert!(!tv.work().join("started").exists());
}

#[test]
fn the_audit_log_records_one_exec_naming_every_injected_secret_and_last_read_at_is_set() {
    let tv = TestVault::new();
    tv.ok(&["create", "secret", "org-one", "-e", "A=aaaa"]);
    tv.ok(&["create", "secret", "own", "-p", "blue", "-e", "B=bbbb"]);
    tv.ok(&["create", "secret", "not-used", "-e", "C=cccc"]);
    let read_at = |args: &[&str]| tv.json(args)["last_read_at"].clone();
    assert!(read_at(&["get", "secret", "org-one", "-o", "json"]).is_null());

    run_code(
        &tv,
        &[
            "exec", "-p", "blue", "-s", "org-one", "-s", "own", "--", "true",
        ],
        0,
    );
    let log = tv.json(&["log", "-o", "json"]);
    let execs: Vec<_> = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "exec")
        .collect();
    assert_eq!(execs.len(), 1, "{log:#}");
    let exec = execs[0];
    assert!(exec["at"].is_string() && exec["by"].is_string(), "{exec}");
    assert_eq!(exec["project"], "blue", "the project it ran for");
    assert!(
        exec["scope"].is_null() && exec["secret"].is_null(),
        "{exec}"
    );
    assert_eq!(
        exec["secrets"],
        serde_json::json!([
            {"scope": "org", "project": null, "secret": "org-one"},
            {"scope": "project", "project": "blue", "secret": "own"},
        ])
    );
    assert!(read_at(&["get", "secret", "org-one", "-o", "json"]).is_string());
    assert!(read_at(&["get", "secret", "own", "-p", "blue", "-o", "json"]).is_string());
    assert!(read_at(&["get", "secret", "not-used", "-o", "json"]).is_null());
}
