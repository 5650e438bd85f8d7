//! The current branch (SPEC.md, "Where things come from"): `VAULT_BRANCH`,
//! then the CI variables in the contract's order (each counts only when set
//! and not empty), then the git work tree around the working directory, read
//! without running `git` (linked work trees, detached HEAD = unknown).
//! `exec --dry-run` reports the branch it found.

use std::path::Path;
use std::process::Command;

use crate::common::{TestVault, stdout};
use crate::util::{expect_code, script};

const VARIABLES: [&str; 8] = [
    "VAULT_BRANCH",
    "GITHUB_HEAD_REF",
    "GITHUB_REF_NAME",
    "SEMAPHORE_GIT_PR_BRANCH",
    "SEMAPHORE_GIT_BRANCH",
    "BUILDKITE_BRANCH",
    "CIRCLE_BRANCH",
    "CI_COMMIT_REF_NAME",
];

/// The `Branch:` line of `exec --dry-run`, run in `dir` with `vars`.
fn branch_line(tv: &TestVault, dir: &Path, vars: &[(&str, &str)]) -> String {
    let mut cmd = tv.cmd(&["exec", "--dry-run", "--", "true"]);
    cmd.current_dir(dir);
    for (name, value) in vars {
        cmd.env(name, value);
    }
    let plan = stdout(&expect_code(&mut cmd, 0));
    plan.lines()
        .find(|line| line.starts_with("Branch:"))
        .unwrap_or_else(|| panic!("no Branch: line in {plan}"))
        .to_owned()
}

#[test]
fn each_ci_variable_alone_names_the_branch() {
    let tv = TestVault::new();
    for name in VARIABLES {
        let line = branch_line(&tv, &tv.work(), &[(name, "feature/from-var")]);
        assert!(
            line.contains("branch 'feature/from-var'") && line.contains(&format!("from {name}")),
            "{name}: {line}"
        );
    }
}

#[test]
fn each_variable_wins_over_every_later_one() {
    let tv = TestVault::new();
    for (i, winner) in VARIABLES.iter().enumerate() {
        let values: Vec<(String, String)> = VARIABLES[i..]
            .iter()
            .map(|name| (name.to_string(), format!("b-{name}")))
            .collect();
        let vars: Vec<(&str, &str)> = values
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let line = branch_line(&tv, &tv.work(), &vars);
        assert!(line.contains(&format!("'b-{winner}'")), "{winner}: {line}");
    }
}

#[test]
fn an_empty_variable_does_not_count() {
    let tv = TestVault::new();
    let line = branch_line(
        &tv,
        &tv.work(),
        &[
            ("VAULT_BRANCH", ""),
            ("GITHUB_HEAD_REF", ""),
            ("CIRCLE_BRANCH", "c"),
        ],
    );
    assert!(
        line.contains("'c'") && line.contains("CIRCLE_BRANCH"),
        "{line}"
    );
    let line = branch_line(&tv, &tv.work(), &[("GITHUB_REF_NAME", "")]);
    assert!(line.contains("unknown branch"), "{line}");
}

#[test]
fn outside_a_work_tree_without_variables_the_branch_is_unknown() {
    let tv = TestVault::new();
    let line = branch_line(&tv, &tv.work(), &[]);
    assert!(line.contains("unknown branch"), "{line}");
}

/// Runs git in `dir`; false when git is not installed.
fn git(dir: &Path, args: &[&str]) -> bool {
    let status = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "advice.detachedHead=false",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output();
    match status {
        Ok(out) if out.status.success() => true,
        Ok(out) => panic!("git {args:?}: {}", String::from_utf8_lossy(&out.stderr)),
        Err(_) => false,
    }
}

/// A repository with one commit at `dir`; false (with a message) without git.
fn repo(dir: &Path) -> bool {
    std::fs::create_dir_all(dir).unwrap();
    if !git(dir, &["init", "-q"]) {
        eprintln!("skipped: git is not installed");
        return false;
    }
    git(dir, &["commit", "-q", "--allow-empty", "-m", "first"])
}

#[test]
fn the_checked_out_branch_is_read_from_the_work_tree_and_its_subdirectories() {
    let tv = TestVault::new();
    let repo_dir = tv.work().join("repo");
    if !repo(&repo_dir) {
        return;
    }
    let deep = repo_dir.join("src/deep");
    std::fs::create_dir_all(&deep).unwrap();
    let line = branch_line(&tv, &deep, &[]);
    assert!(
        line.contains("branch 'main'") && line.contains("checked out at"),
        "{line}"
    );
    git(&repo_dir, &["checkout", "-q", "-b", "feature/login"]);
    let line = branch_line(&tv, &deep, &[]);
    assert!(line.contains("branch 'feature/login'"), "{line}");
    // A variable wins over the work tree.
    let line = branch_line(&tv, &deep, &[("BUILDKITE_BRANCH", "ci-branch")]);
    assert!(line.contains("'ci-branch'"), "{line}");
}

#[test]
fn a_linked_work_tree_reports_its_own_branch() {
    let tv = TestVault::new();
    let repo_dir = tv.work().join("repo");
    if !repo(&repo_dir) {
        return;
    }
    git(
        &repo_dir,
        &["worktree", "add", "-q", "-b", "release/2.0", "../linked"],
    );
    let linked = tv.work().join("linked");
    assert!(
        linked.join(".git").is_file(),
        "a linked work tree has a .git file"
    );
    let line = branch_line(&tv, &linked, &[]);
    assert!(line.contains("branch 'release/2.0'"), "{line}");
    let line = branch_line(&tv, &repo_dir, &[]);
    assert!(line.contains("branch 'main'"), "{line}");
}

#[test]
fn a_detached_head_is_an_unknown_branch() {
    let tv = TestVault::new();
    let repo_dir = tv.work().join("repo");
    if !repo(&repo_dir) {
        return;
    }
    git(&repo_dir, &["checkout", "-q", "--detach"]);
    let line = branch_line(&tv, &repo_dir, &[]);
    assert!(
        line.contains("unknown branch") && line.contains("detached"),
        "{line}"
    );
    let line = branch_line(&tv, &repo_dir, &[("VAULT_BRANCH", "main")]);
    assert!(line.contains("'main'"), "a variable still names it: {line}");
}

#[test]
fn vault_never_runs_git() {
    let tv = TestVault::new();
    let repo_dir = tv.work().join("repo");
    if !repo(&repo_dir) {
        return;
    }
    // A `git` first on PATH that leaves a mark if anything runs it.
    let bin = tv.home().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let marker = tv.home().join("git-was-run");
    let fake = script(&tv, "git", &format!("touch '{}'", marker.display()));
    std::fs::rename(&fake, bin.join("git")).unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut cmd = tv.cmd(&["exec", "--dry-run", "--", "true"]);
    cmd.current_dir(&repo_dir).env("PATH", path);
    let plan = stdout(&expect_code(&mut cmd, 0));
    assert!(plan.contains("branch 'main'"), "{plan}");
    assert!(!marker.exists(), "vault ran git");
}
