//! `vault git` with real git (SPEC.md, "Git"): a shared bare repository and
//! two clones, alice's and bob's, each with the vault file committed and `vault`
//! first on the PATH that git runs its merge driver and textconv from.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

use crate::common::PASSPHRASE;

const KDF: [&str; 4] = ["--kdf-memory-mib", "8", "--kdf-iterations", "1"];

/// A temporary home holding `origin.git` and clones of it.
struct Team {
    dir: TempDir,
}

/// One clone, with the vault file at `vault.toml` in its root.
struct Clone<'a> {
    team: &'a Team,
    name: &'static str,
}

fn have_git() -> bool {
    let found = Command::new("git").arg("--version").output().is_ok();
    if !found {
        eprintln!("note: git is not installed: the `vault git` tests are skipped");
    }
    found
}

impl Team {
    /// A bare origin and alice's clone with a vault holding secret `app`
    /// (A=1, B=2), set up with `vault git setup`, committed and pushed.
    fn new() -> Team {
        let team = Team::empty();
        let origin = team.path().join("origin.git");
        team.run_git(team.path(), &["init", "-q", "--bare", "-b", "main"])
            .success_in(&origin);
        let alice = team.clone_as("alice");
        alice.vault(&["init"]).chain(&KDF).ok();
        alice.vault(&["git", "setup"]).ok();
        alice
            .vault(&["create", "secret", "app", "-e", "A=1", "-e", "B=2"])
            .ok();
        alice.commit_all("vault with app");
        alice.git(&["push", "-q", "origin", "main"]).ok();
        team
    }

    /// Alice's clone, made by `Team::new`.
    fn alice(&self) -> Clone<'_> {
        Clone {
            team: self,
            name: "alice",
        }
    }

    fn empty() -> Team {
        let dir = tempfile::tempdir().expect("temp dir");
        for sub in ["home", "run"] {
            std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        }
        let run = dir.path().join("run");
        std::fs::set_permissions(&run, std::os::unix::fs::PermissionsExt::from_mode(0o700))
            .unwrap();
        Team { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// A clone of origin named `name`, with user.name/email set and (when the
    /// vault is already in origin) `vault git setup` run in it.
    fn clone_as(&self, name: &'static str) -> Clone<'_> {
        let origin = self.path().join("origin.git");
        self.run_git(self.path(), &["clone", "-q"])
            .arg(&origin)
            .arg(name)
            .output_ok();
        let clone = Clone { team: self, name };
        clone.git(&["config", "user.name", name]).ok();
        clone
            .git(&["config", "user.email", &format!("{name}@example.com")])
            .ok();
        if clone.vault_path().exists() {
            clone.vault(&["git", "setup"]).ok();
        }
        clone
    }

    /// `git ARGS` in `dir`, in the test's environment.
    fn run_git(&self, dir: &Path, args: &[&str]) -> Run {
        let mut cmd = Command::new("git");
        cmd.args(args).current_dir(dir);
        self.environment(&mut cmd, None);
        Run(cmd)
    }

    /// Only what the test gives: a temporary HOME (no user git config), no
    /// system git config, `vault` first on PATH and the passphrase.
    fn environment(&self, cmd: &mut Command, vault_file: Option<&Path>) {
        let bin = Path::new(env!("CARGO_BIN_EXE_vault")).parent().unwrap();
        let path = std::env::var_os("PATH").unwrap_or_default();
        let mut dirs = vec![bin.to_owned()];
        dirs.extend(std::env::split_paths(&path));
        cmd.env_clear()
            .env("PATH", std::env::join_paths(dirs).unwrap())
            .env("HOME", self.path().join("home"))
            .env("USER", "tester")
            .env("XDG_RUNTIME_DIR", self.path().join("run"))
            .env("XDG_CONFIG_HOME", self.path().join("home/.config"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_PAGER", "cat")
            .env("GIT_EDITOR", "true")
            .env("NO_COLOR", "1")
            .env("VAULT_PASSPHRASE", PASSPHRASE);
        if let Some(file) = vault_file {
            cmd.env("VAULT_FILE", file);
        }
    }
}

impl Clone<'_> {
    fn root(&self) -> PathBuf {
        self.team.path().join(self.name)
    }

    fn vault_path(&self) -> PathBuf {
        self.root().join("vault.toml")
    }

    fn git(&self, args: &[&str]) -> Run {
        let mut run = self.team.run_git(&self.root(), args);
        run.0.env("VAULT_FILE", self.vault_path());
        run
    }

    fn vault(&self, args: &[&str]) -> Run {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_vault"));
        cmd.args(args).current_dir(self.root());
        self.team.environment(&mut cmd, Some(&self.vault_path()));
        Run(cmd)
    }

    fn commit_all(&self, message: &str) {
        self.git(&["add", "-A"]).ok();
        self.git(&["commit", "-q", "-m", message]).ok();
    }

    /// Changes the vault with `vault ARGS` and commits it.
    fn change(&self, args: &[&str], message: &str) {
        self.vault(args).ok();
        self.commit_all(message);
    }

    fn push(&self) {
        self.git(&["push", "-q", "origin", "HEAD"]).ok();
    }

    /// The value of `key` in secret `name` of this clone's vault, if any.
    fn value(&self, name: &str, key: &str) -> Option<String> {
        let text = self
            .vault(&["get", "secret", name, "--reveal", "-o", "json"])
            .ok();
        let secret: serde_json::Value = serde_json::from_str(&text).unwrap();
        secret["env"]
            .as_array()
            .unwrap()
            .iter()
            .find(|var| var["name"] == key)
            .map(|var| var["value"].as_str().unwrap().to_owned())
    }

    fn secret_exists(&self, name: &str) -> bool {
        let output = self.vault(&["get", "secret", name]).output();
        match output.status.code() {
            Some(0) => true,
            Some(3) => false,
            _ => panic!("get secret {name}: {}", text(&output)),
        }
    }

    /// No temporary file of the driver's is left anywhere in the clone.
    fn assert_no_temp_files(&self) {
        let mut stack = vec![self.root()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                assert!(
                    !name.starts_with(".vault-merge."),
                    "temporary file left: {}",
                    entry.path().display()
                );
                if entry.file_type().unwrap().is_dir() {
                    stack.push(entry.path());
                }
            }
        }
    }
}

/// A command to run, with assertions on its outcome.
struct Run(Command);

impl Run {
    fn arg(mut self, arg: impl AsRef<std::ffi::OsStr>) -> Run {
        self.0.arg(arg);
        self
    }

    fn chain(mut self, args: &[&str]) -> Run {
        self.0.args(args);
        self
    }

    fn output(mut self) -> Output {
        self.0.output().expect("run the command")
    }

    /// Runs and asserts success; returns stdout.
    fn ok(self) -> String {
        let output = self.output_ok();
        String::from_utf8(output.stdout).unwrap()
    }

    fn output_ok(self) -> Output {
        let what = format!("{:?}", self.0);
        let output = self.output();
        assert!(output.status.success(), "{what} failed: {}", text(&output));
        output
    }

    fn code(self, want: i32) -> Output {
        let what = format!("{:?}", self.0);
        let output = self.output();
        assert_eq!(
            output.status.code(),
            Some(want),
            "{what}: {}",
            text(&output)
        );
        output
    }

    /// Runs in `dir` (for the `git init` of a repository that does not exist yet).
    fn success_in(mut self, dir: &Path) {
        self.0.arg(dir);
        self.output_ok();
    }
}

fn text(output: &Output) -> String {
    format!(
        "{}\nstdout: {}\nstderr: {}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn setup_writes_attributes_config_and_ignores_and_a_second_run_changes_nothing() {
    if !have_git() {
        return;
    }
    let team = Team::new();
    let alice = team.alice();
    let attributes = std::fs::read_to_string(alice.root().join(".gitattributes")).unwrap();
    assert!(
        attributes
            .lines()
            .any(|l| l == "vault.toml merge=vault diff=vault"),
        "{attributes}"
    );
    let ignore = std::fs::read_to_string(alice.root().join(".gitignore")).unwrap();
    for name in [
        "vault.toml.bak",
        "vault.toml.lock",
        "vault.toml.audit",
        "vault.toml.audit.*",
    ] {
        assert!(ignore.lines().any(|l| l == name), "{name} in {ignore}");
    }
    let config = |key: &str| alice.git(&["config", "--local", "--get", key]).ok();
    assert_eq!(
        config("merge.vault.driver").trim(),
        "vault git merge %O %A %B"
    );
    assert_eq!(config("diff.vault.textconv").trim(), "vault git show");
    // The side files are not in git.
    let tracked = alice.git(&["ls-files"]).ok();
    assert_eq!(
        tracked.lines().collect::<Vec<_>>(),
        [".gitattributes", ".gitignore", "vault.toml"]
    );
    let before = (
        attributes,
        ignore,
        std::fs::read(alice.root().join(".git/config")).unwrap(),
    );
    let again = alice.vault(&["git", "setup"]).ok();
    assert!(again.contains("nothing changed"), "{again}");
    let after = (
        std::fs::read_to_string(alice.root().join(".gitattributes")).unwrap(),
        std::fs::read_to_string(alice.root().join(".gitignore")).unwrap(),
        std::fs::read(alice.root().join(".git/config")).unwrap(),
    );
    assert!(
        before == after,
        "a second `vault git setup` changed something"
    );
}

#[test]
fn setup_names_the_vault_relative_to_the_work_tree_root() {
    if !have_git() {
        return;
    }
    let team = Team::empty();
    let repo = team.path().join("repo");
    std::fs::create_dir_all(repo.join("ops/secrets")).unwrap();
    team.run_git(&repo, &["init", "-q"]).output_ok();
    let vault_file = repo.join("ops/secrets/team vault.toml");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vault"));
    // Run from a subdirectory: the root is the work tree's, not the cwd's.
    cmd.args(["git", "setup"]).current_dir(repo.join("ops"));
    team.environment(&mut cmd, Some(&vault_file));
    Run(cmd).ok();
    let attributes = std::fs::read_to_string(repo.join(".gitattributes")).unwrap();
    assert_eq!(
        attributes,
        "\"ops/secrets/team vault.toml\" merge=vault diff=vault\n"
    );
    let check = team
        .run_git(&repo, &["check-attr", "merge", "diff", "--"])
        .arg("ops/secrets/team vault.toml")
        .ok();
    assert!(
        check.contains("merge: vault") && check.contains("diff: vault"),
        "{check}"
    );
    let ignored = team
        .run_git(&repo, &["check-ignore", "--"])
        .arg("ops/secrets/team vault.toml.bak")
        .arg("ops/secrets/team vault.toml.audit")
        .ok();
    assert_eq!(ignored.lines().count(), 2, "{ignored}");
}

#[test]
fn setup_outside_a_work_tree_is_a_usage_error() {
    if !have_git() {
        return;
    }
    let team = Team::empty();
    let plain = team.path().join("plain");
    std::fs::create_dir_all(&plain).unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vault"));
    cmd.args(["git", "setup"]).current_dir(&plain);
    // GIT_CEILING_DIRECTORIES: the temp dir may itself sit inside a repository.
    team.environment(&mut cmd, Some(&plain.join("vault.toml")));
    cmd.env("GIT_CEILING_DIRECTORIES", team.path());
    let output = Run(cmd).code(2);
    assert!(
        stderr(&output).contains("not inside a git work tree"),
        "{}",
        text(&output)
    );
    assert!(!plain.join(".gitattributes").exists());
    assert!(!plain.join(".gitignore").exists());
}

#[test]
fn two_clones_changing_different_secrets_merge_cleanly_with_both_changes() {
    if !have_git() {
        return;
    }
    let team = Team::new();
    let alice = team.alice();
    let bob = team.clone_as("bob");
    alice.change(&["update", "secret", "app", "-e", "A=alice"], "alice: A");
    alice.push();
    bob.change(&["update", "secret", "app", "-e", "B=bob"], "bob: B");
    bob.change(
        &["create", "secret", "db", "-e", "URL=postgres://bob"],
        "bob: db",
    );
    bob.git(&["pull", "-q", "--no-rebase", "--no-edit", "origin", "main"])
        .ok();
    assert_eq!(bob.value("app", "A").as_deref(), Some("alice"));
    assert_eq!(bob.value("app", "B").as_deref(), Some("bob"));
    assert_eq!(bob.value("db", "URL").as_deref(), Some("postgres://bob"));
    let status = bob.git(&["status", "--porcelain"]).ok();
    assert_eq!(status, "", "the merge left changes behind");
    bob.assert_no_temp_files();
    // And back: alice pulls bob's merge and has everything.
    bob.push();
    alice
        .git(&["pull", "-q", "--no-rebase", "origin", "main"])
        .ok();
    assert_eq!(alice.value("app", "B").as_deref(), Some("bob"));
    assert_eq!(alice.value("db", "URL").as_deref(), Some("postgres://bob"));
}

#[test]
fn the_same_key_changed_on_both_sides_conflicts_and_the_file_still_opens() {
    if !have_git() {
        return;
    }
    let team = Team::new();
    let alice = team.alice();
    let bob = team.clone_as("bob");
    let (alice_canary, bob_canary) = ("canary-alice-5e1d", "canary-bob-77aa");
    alice.change(
        &[
            "update",
            "secret",
            "app",
            "-e",
            &format!("A={alice_canary}"),
        ],
        "alice",
    );
    alice.change(&["update", "secret", "app", "-e", "B=alice-b"], "alice b");
    alice.push();
    bob.change(
        &["update", "secret", "app", "-e", &format!("A={bob_canary}")],
        "bob",
    );
    let output = bob
        .git(&["pull", "--no-rebase", "--no-edit", "origin", "main"])
        .output();
    assert!(
        !output.status.success(),
        "the pull should conflict: {}",
        text(&output)
    );
    let all = text(&output);
    assert!(all.contains("secret 'app' (org): variable A"), "{all}");
    assert!(
        !all.contains(alice_canary) && !all.contains(bob_canary),
        "{all}"
    );
    let status = bob.git(&["status", "--porcelain"]).ok();
    assert!(status.contains("UU vault.toml"), "{status}");
    // The work-tree file is a valid vault: ours on the conflict, theirs elsewhere.
    assert_eq!(bob.value("app", "A").as_deref(), Some(bob_canary));
    assert_eq!(bob.value("app", "B").as_deref(), Some("alice-b"));
    bob.assert_no_temp_files();
    // Resolve as the README says: `vault update`, `git add`, commit.
    bob.vault(&["update", "secret", "app", "-e", "A=settled"])
        .ok();
    bob.git(&["add", "vault.toml"]).ok();
    bob.git(&["commit", "-q", "--no-edit"]).ok();
    assert_eq!(bob.value("app", "A").as_deref(), Some("settled"));
    assert_eq!(bob.value("app", "B").as_deref(), Some("alice-b"));
}

#[test]
fn a_secret_deleted_on_one_side_and_changed_on_the_other_conflicts() {
    if !have_git() {
        return;
    }
    let team = Team::new();
    let alice = team.alice();
    let bob = team.clone_as("bob");
    alice.change(&["delete", "secret", "app", "--yes"], "alice deletes app");
    alice.change(
        &["create", "secret", "other", "-e", "X=1"],
        "alice adds other",
    );
    alice.push();
    bob.change(
        &["update", "secret", "app", "-e", "A=bob"],
        "bob changes app",
    );
    let output = bob
        .git(&["pull", "--no-rebase", "--no-edit", "origin", "main"])
        .output();
    assert!(!output.status.success(), "{}", text(&output));
    assert!(
        text(&output)
            .contains("secret 'app' (org): the secret changed on our side and deleted on theirs"),
        "{}",
        text(&output)
    );
    // Ours (bob's change) is kept; alice's other change is merged in.
    assert_eq!(bob.value("app", "A").as_deref(), Some("bob"));
    assert!(bob.secret_exists("other"));
}

#[test]
fn a_change_merged_onto_our_deletion_conflicts_and_stays_deleted() {
    if !have_git() {
        return;
    }
    let team = Team::new();
    let alice = team.alice();
    let bob = team.clone_as("bob");
    bob.change(
        &["update", "secret", "app", "-e", "A=bob"],
        "bob changes app",
    );
    bob.git(&["push", "-q", "origin", "HEAD:bob-side"]).ok();
    alice.change(&["delete", "secret", "app", "--yes"], "alice deletes app");
    let output = alice
        .git(&["pull", "--no-rebase", "--no-edit", "origin", "bob-side"])
        .output();
    assert!(!output.status.success(), "{}", text(&output));
    assert!(
        text(&output).contains("the secret deleted on our side and changed on theirs"),
        "{}",
        text(&output)
    );
    assert!(!alice.secret_exists("app"));
}

#[test]
fn diff_log_and_show_name_keys_and_fingerprints_never_values() {
    if !have_git() {
        return;
    }
    let team = Team::new();
    let alice = team.alice();
    let (canary, file_canary) = ("canary-diff-91c3e7", "canary-file-40b2d6");
    std::fs::write(alice.root().join("../ca.pem"), file_canary).unwrap();
    alice
        .vault(&["update", "secret", "app", "-e", &format!("TOKEN={canary}")])
        .chain(&["-f", "../ca.pem:certs/ca.pem"])
        .ok();
    let diff = alice.git(&["diff"]).ok();
    assert!(diff.contains("+  env TOKEN: fp:"), "{diff}");
    assert!(
        diff.contains("+  file certs/ca.pem: 18 bytes, fp:"),
        "{diff}"
    );
    assert!(diff.contains(" secret app (org)\n"), "{diff}");
    alice.commit_all("token and certificate");
    alice
        .vault(&["update", "secret", "app", "-e", "TOKEN=rotated"])
        .ok();
    alice.commit_all("rotate token");
    let log = alice.git(&["log", "-p"]).ok();
    let show = alice.git(&["show", "HEAD"]).ok();
    let show_file = alice.git(&["show", "HEAD~1:vault.toml"]).ok();
    for (what, out) in [("diff", &diff), ("log -p", &log), ("show", &show)] {
        assert!(
            !out.contains(canary) && !out.contains(file_canary),
            "{what}: {out}"
        );
        assert!(out.contains("env TOKEN: fp:"), "{what}: {out}");
    }
    // The rotation shows as one changed fingerprint.
    let changed: Vec<&str> = show
        .lines()
        .filter(|l| l.starts_with("-  env") || l.starts_with("+  env"))
        .collect();
    assert_eq!(changed.len(), 2, "{show}");
    assert!(
        changed.iter().all(|l| l.contains("env TOKEN: fp:")),
        "{show}"
    );
    // `git show REV:PATH` prints the blob itself: ciphertext, never a value.
    assert!(!show_file.contains(canary), "{show_file}");
}

#[test]
fn without_a_key_the_diff_view_is_the_header_and_exits_zero() {
    if !have_git() {
        return;
    }
    let team = Team::new();
    let alice = team.alice();
    alice
        .vault(&["update", "secret", "app", "-e", "A=changed"])
        .ok();
    let mut diff = alice.git(&["diff"]);
    diff.0.env_remove("VAULT_PASSPHRASE");
    let diff = diff.ok();
    assert!(diff.contains("+file: sha256:"), "{diff}");
    assert!(diff.contains("locked: no key"), "{diff}");
    assert!(!diff.contains("app"), "{diff}");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vault"));
    cmd.args(["git", "show"]).arg(alice.vault_path());
    team.environment(&mut cmd, None);
    cmd.env_remove("VAULT_PASSPHRASE");
    let output = Run(cmd).code(0);
    let view = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(view.starts_with("format: "), "{view}");
    assert!(view.contains("locked: no key"), "{view}");
    assert!(!view.contains("app") && !view.contains("secret "), "{view}");
    // With a wrong passphrase: the header too, still exit 0.
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vault"));
    cmd.args(["git", "show"]).arg(alice.vault_path());
    team.environment(&mut cmd, None);
    cmd.env("VAULT_PASSPHRASE", "not the passphrase");
    let output = Run(cmd).code(0);
    let view = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(view.contains("locked: wrong passphrase"), "{view}");
    assert!(!view.contains("app"), "{view}");
}

#[test]
fn the_driver_without_a_key_exits_4_at_once_and_leaves_ours_untouched() {
    if !have_git() {
        return;
    }
    let team = Team::new();
    let alice = team.alice();
    let base = team.path().join("base.toml");
    let ours = team.path().join("ours.toml");
    let theirs = team.path().join("theirs.toml");
    std::fs::copy(alice.vault_path(), &base).unwrap();
    alice
        .vault(&["update", "secret", "app", "-e", "A=ours"])
        .ok();
    std::fs::copy(alice.vault_path(), &ours).unwrap();
    alice
        .vault(&["update", "secret", "app", "-e", "B=theirs"])
        .ok();
    std::fs::copy(alice.vault_path(), &theirs).unwrap();
    let before = std::fs::read(&ours).unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vault"));
    cmd.args(["git", "merge"]).args([&base, &ours, &theirs]);
    team.environment(&mut cmd, None);
    cmd.env_remove("VAULT_PASSPHRASE")
        .stdin(std::process::Stdio::null());
    let started = std::time::Instant::now();
    let output = Run(cmd).code(4);
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    assert!(stderr(&output).contains("no key"), "{}", text(&output));
    assert_eq!(std::fs::read(&ours).unwrap(), before, "OURS changed");
    // And a wrong key: exit 4, OURS untouched.
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vault"));
    cmd.args(["git", "merge"]).args([&base, &ours, &theirs]);
    team.environment(&mut cmd, None);
    cmd.env("VAULT_PASSPHRASE", "wrong");
    Run(cmd).code(4);
    assert_eq!(std::fs::read(&ours).unwrap(), before, "OURS changed");
    // With the key: merged into OURS, which then holds both changes.
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vault"));
    cmd.args(["git", "merge"]).args([&base, &ours, &theirs]);
    team.environment(&mut cmd, None);
    Run(cmd).code(0);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vault"));
    cmd.args(["get", "secret", "app", "--reveal"]);
    team.environment(&mut cmd, Some(&ours));
    let shown = Run(cmd).ok();
    assert!(
        shown.contains("A=ours") && shown.contains("B=theirs"),
        "{shown}"
    );
    let leftovers: Vec<_> = std::fs::read_dir(team.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_session_opens_the_versions_for_the_driver() {
    if !have_git() {
        return;
    }
    let team = Team::new();
    let alice = team.alice();
    let bob = team.clone_as("bob");
    alice.change(&["update", "secret", "app", "-e", "A=alice"], "alice");
    alice.push();
    bob.change(&["update", "secret", "app", "-e", "B=bob"], "bob");
    let unlock = bob.vault(&["unlock"]).ok();
    let token = unlock.trim().strip_prefix("export VAULT_SESSION=").unwrap();
    let mut pull = bob.git(&["pull", "-q", "--no-rebase", "--no-edit", "origin", "main"]);
    pull.0
        .env_remove("VAULT_PASSPHRASE")
        .env("VAULT_SESSION", token);
    pull.ok();
    assert_eq!(bob.value("app", "A").as_deref(), Some("alice"));
    assert_eq!(bob.value("app", "B").as_deref(), Some("bob"));
}

#[test]
fn a_rebase_of_several_commits_touching_the_vault_works() {
    if !have_git() {
        return;
    }
    let team = Team::new();
    let alice = team.alice();
    let bob = team.clone_as("bob");
    alice.change(&["update", "secret", "app", "-e", "A=alice"], "alice A");
    alice.change(
        &["create", "secret", "alice-only", "-e", "X=1"],
        "alice secret",
    );
    alice.push();
    bob.change(&["update", "secret", "app", "-e", "B=bob1"], "bob 1");
    bob.change(&["create", "secret", "db", "-e", "URL=u"], "bob 2");
    bob.change(&["update", "secret", "app", "-e", "C=bob3"], "bob 3");
    bob.git(&["pull", "-q", "--rebase", "origin", "main"]).ok();
    let log = bob.git(&["log", "--format=%s"]).ok();
    assert_eq!(
        log.lines().collect::<Vec<_>>(),
        [
            "bob 3",
            "bob 2",
            "bob 1",
            "alice secret",
            "alice A",
            "vault with app"
        ]
    );
    assert_eq!(bob.value("app", "A").as_deref(), Some("alice"));
    assert_eq!(bob.value("app", "B").as_deref(), Some("bob1"));
    assert_eq!(bob.value("app", "C").as_deref(), Some("bob3"));
    assert!(bob.secret_exists("db") && bob.secret_exists("alice-only"));
    // Every rebased commit holds a valid vault with what it should.
    bob.git(&["checkout", "-q", "HEAD~2"]).ok();
    assert_eq!(bob.value("app", "B").as_deref(), Some("bob1"));
    assert_eq!(bob.value("app", "A").as_deref(), Some("alice"));
    assert!(!bob.secret_exists("db"));
    bob.assert_no_temp_files();
}

#[test]
fn an_empty_base_merges_as_if_from_an_empty_vault() {
    if !have_git() {
        return;
    }
    let team = Team::new();
    let alice = team.alice();
    // git hands an empty %O when both sides added the file.
    let base = team.path().join("base.toml");
    std::fs::write(&base, b"").unwrap();
    let ours = team.path().join("ours.toml");
    let theirs = team.path().join("theirs.toml");
    std::fs::copy(alice.vault_path(), &ours).unwrap();
    alice.vault(&["create", "secret", "db", "-e", "URL=u"]).ok();
    std::fs::copy(alice.vault_path(), &theirs).unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vault"));
    cmd.args(["git", "merge"]).args([&base, &ours, &theirs]);
    team.environment(&mut cmd, None);
    Run(cmd).code(0);
    // The merge equals their side: OURS is now their file, byte for byte.
    assert_eq!(
        std::fs::read(&ours).unwrap(),
        std::fs::read(&theirs).unwrap()
    );
}

impl Clone<'_> {
    /// A new age identity at `name.txt` in the team's directory; its recipient.
    fn keygen(&self, name: &str) -> (PathBuf, String) {
        let path = self.team.path().join(format!("{name}.txt"));
        let recipient = self.vault(&["keygen", "-o"]).arg(&path).ok();
        (path, recipient.trim().to_owned())
    }

    /// `vault ARGS` opened with only the identity at `identity`.
    fn vault_as(&self, identity: &Path, args: &[&str]) -> Run {
        let mut run = self.vault(args);
        run.0
            .env_remove("VAULT_PASSPHRASE")
            .env("VAULT_IDENTITY_FILE", identity);
        run
    }
}

#[test]
fn a_member_added_on_one_side_and_a_secret_changed_on_the_other_merge() {
    if !have_git() {
        return;
    }
    let team = Team::new();
    let alice = team.alice();
    let bob = team.clone_as("bob");
    let (carol, recipient) = alice.keygen("carol");
    alice.change(
        &["member", "add", "carol", "--recipient", &recipient],
        "add carol",
    );
    alice.push();
    bob.change(&["update", "secret", "app", "-e", "A=bob"], "bob: A");
    bob.git(&["pull", "-q", "--no-rebase", "--no-edit", "origin", "main"])
        .ok();
    let members = bob.vault(&["member", "list", "-o", "json"]).ok();
    assert!(members.contains("\"carol\""), "{members}");
    // Carol's own identity opens the merge and reads bob's change.
    let shown = bob
        .vault_as(&carol, &["get", "secret", "app", "--reveal"])
        .ok();
    assert!(shown.contains("A=bob"), "{shown}");
    let view = bob.git(&["show", "HEAD"]).ok();
    assert!(view.contains("member carol: age, full"), "{view}");
}

#[test]
fn a_member_removed_on_one_side_cannot_read_the_merge_which_holds_the_other_sides_secret() {
    if !have_git() {
        return;
    }
    let team = Team::new();
    let alice = team.alice();
    let (mallory, recipient) = alice.keygen("mallory");
    alice.change(
        &["member", "add", "mallory", "--recipient", &recipient],
        "add mallory",
    );
    alice.push();
    let bob = team.clone_as("bob");
    assert!(
        bob.vault_as(&mallory, &["get", "secrets"])
            .output()
            .status
            .success()
    );
    // What mallory keeps from before her removal: her keys, unwrapped.
    let old_keys = keyring_of(&bob.vault_path(), &mallory);
    alice.change(&["member", "remove", "mallory", "--yes"], "remove mallory");
    alice.push();
    let canary = "canary-after-removal-3c8e";
    bob.change(
        &["create", "secret", "new", "-e", &format!("TOKEN={canary}")],
        "bob: new secret",
    );
    // Bob's side still has mallory; the merge must drop her and her keys.
    bob.git(&["pull", "-q", "--no-rebase", "--no-edit", "origin", "main"])
        .ok();
    assert_eq!(bob.value("new", "TOKEN").as_deref(), Some(canary));
    let members = bob.vault(&["member", "list", "-o", "json"]).ok();
    assert!(!members.contains("mallory"), "{members}");
    let denied = bob
        .vault_as(&mallory, &["get", "secret", "new", "--reveal"])
        .code(4);
    assert!(!text(&denied).contains(canary));
    bob.vault_as(&mallory, &["get", "secrets"]).code(4);
    // Nor do the keys she held before: the merge was sealed under new ones.
    assert_opens_nothing(&bob.vault_path(), &old_keys);

    // The other way round: the removal is ours, their side adds a secret.
    let carol = team.clone_as("carol");
    let (eve, recipient) = carol.keygen("eve");
    carol.change(
        &["member", "add", "eve", "--recipient", &recipient],
        "add eve",
    );
    let eve_keys = keyring_of(&carol.vault_path(), &eve);
    carol.change(
        &["create", "secret", "from-theirs", "-e", "X=theirs"],
        "theirs: secret",
    );
    carol.git(&["push", "-q", "origin", "HEAD:eve-added"]).ok();
    carol.git(&["reset", "-q", "--hard", "HEAD~1"]).ok();
    carol.change(&["member", "remove", "eve", "--yes"], "ours: remove eve");
    carol
        .git(&[
            "pull",
            "-q",
            "--no-rebase",
            "--no-edit",
            "origin",
            "eve-added",
        ])
        .ok();
    assert_eq!(carol.value("from-theirs", "X").as_deref(), Some("theirs"));
    carol.vault_as(&eve, &["get", "secrets"]).code(4);
    assert_opens_nothing(&carol.vault_path(), &eve_keys);
}

/// The keys the identity at `identity` unwraps from the vault file at `path`.
fn keyring_of(path: &Path, identity: &Path) -> vault::vault::keyring::Keyring {
    let text = std::fs::read_to_string(identity).unwrap();
    let identities = vault::vault::members::parse_identities(&text, "test").unwrap();
    let mut member = vault::vault::Vault::new(
        vault::vault::storage::Store::new(path.to_owned()),
        vault::vault::KeySource::Identities {
            identities,
            origin: "test".into(),
        },
    );
    member.keyring().unwrap()
}

#[test]
fn a_project_members_key_cannot_merge_exit_4_and_ours_untouched() {
    if !have_git() {
        return;
    }
    let team = Team::new();
    let alice = team.alice();
    let (ci, recipient) = alice.keygen("ci");
    alice
        .vault(&[
            "member",
            "add",
            "ci",
            "--recipient",
            &recipient,
            "--project",
            "blue",
        ])
        .ok();
    let ours = team.path().join("ours.toml");
    std::fs::copy(alice.vault_path(), &ours).unwrap();
    let before = std::fs::read(&ours).unwrap();
    let path = alice.vault_path();
    let mut run = alice.vault_as(&ci, &["git", "merge"]);
    run.0.arg(&path).arg(&ours).arg(&path);
    let output = run.code(4);
    assert!(stderr(&output).contains("full member"), "{}", text(&output));
    assert_eq!(std::fs::read(&ours).unwrap(), before);
    // Its view is the header's, exit 0.
    let view = alice.vault_as(&ci, &["git", "show"]).arg(&path).ok();
    assert!(
        view.contains("locked:") && !view.contains("secret app"),
        "{view}"
    );
}

/// Asserts that `keys` open no record of the vault file at `path`.
fn assert_opens_nothing(path: &Path, keys: &vault::vault::keyring::Keyring) {
    let bytes = std::fs::read(path).unwrap();
    match vault::vault::open_bytes(&bytes, keys) {
        Err(err) => assert_eq!(err.exit_code(), 5, "{}", err.message),
        Ok(payload) => assert!(payload.all().is_empty(), "old keys opened the merge"),
    }
}

#[test]
fn an_identity_opens_the_versions_for_the_driver() {
    if !have_git() {
        return;
    }
    let team = Team::new();
    let alice = team.alice();
    let (carol, recipient) = alice.keygen("carol");
    alice.change(
        &["member", "add", "carol", "--recipient", &recipient],
        "add carol",
    );
    alice.push();
    let bob = team.clone_as("bob");
    alice.change(&["update", "secret", "app", "-e", "A=alice"], "alice: A");
    alice.push();
    bob.change(&["update", "secret", "app", "-e", "B=bob"], "bob: B");
    let mut pull = bob.git(&["pull", "-q", "--no-rebase", "--no-edit", "origin", "main"]);
    pull.0
        .env_remove("VAULT_PASSPHRASE")
        .env("VAULT_IDENTITY_FILE", &carol)
        .stdin(std::process::Stdio::null());
    pull.ok();
    assert_eq!(bob.value("app", "A").as_deref(), Some("alice"));
    assert_eq!(bob.value("app", "B").as_deref(), Some("bob"));
}
