//! Regression tests for the security review (issue 11): one test, or a few, per
//! finding, each failing on the code before its fix. docs/SECURITY.md links each
//! promise to its test here.

use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::time::Duration;

use nix::sys::signal::Signal;

use crate::common::{TestVault, stderr, stdout};
use crate::exec_support::{Running, kill_pid_in, run, run_code, std_command, wait_until};
use crate::util::{Snapshot, script, value_of, write_work_file};

/// `vault edit secret app` with an editor that records its file and pid in $HOME and
/// then waits, standing in for a person at the editor when the session drops.
fn waiting_editor(tv: &TestVault) -> std::process::Command {
    let editor = script(
        tv,
        "waiting-editor.sh",
        "printf '%s' \"$1\" > \"$HOME/buffer-path.tmp\"\n\
         mv \"$HOME/buffer-path.tmp\" \"$HOME/buffer-path\"\n\
         echo $$ > \"$HOME/editor-pid\"\n\
         exec sleep 30",
    );
    let mut cmd = tv.cmd(&["edit", "secret", "app"]);
    cmd.env("EDITOR", &editor);
    std_command(&cmd)
}

fn with_app_secret() -> TestVault {
    let tv = TestVault::new();
    tv.ok(&["create", "secret", "app", "-e", "TOKEN=canary-review-edit"]);
    tv
}

fn buffer_path(tv: &TestVault) -> PathBuf {
    let recorded = tv.home().join("buffer-path");
    wait_until("the editor started", || recorded.exists());
    PathBuf::from(fs::read_to_string(recorded).unwrap())
}

/// Finding 1: the buffer holding the whole secret is removed on every catchable
/// signal, whichever reaches `vault` while the editor runs.
#[test]
fn the_edit_buffer_is_removed_on_every_catchable_signal() {
    for signal in [
        Signal::SIGHUP,
        Signal::SIGTERM,
        Signal::SIGINT,
        Signal::SIGQUIT,
    ] {
        let tv = with_app_secret();
        let before = Snapshot::of(&tv);
        let mut running = Running::spawn(waiting_editor(&tv));
        let buffer = buffer_path(&tv);
        assert!(buffer.exists());
        running.signal(signal);
        let status = running.wait();
        kill_pid_in(&tv.home().join("editor-pid"));
        assert!(!status.success(), "{signal:?}: an interrupted edit fails");
        assert!(
            fs::symlink_metadata(&buffer).is_err(),
            "{signal:?} left the edit buffer {}",
            buffer.display()
        );
        assert!(
            fs::symlink_metadata(buffer.parent().unwrap()).is_err()
                || buffer.parent() == Some(&tv.runtime_dir().join("vault")),
            "{signal:?} left the buffer's directory"
        );
        before.assert_unchanged();
    }
}

/// Finding 1: a buffer left by a `vault` killed outright is removed by the next command.
#[test]
fn an_edit_buffer_left_by_a_killed_vault_is_swept_by_the_next_command() {
    let tv = with_app_secret();
    let mut running = Running::spawn(waiting_editor(&tv));
    let buffer = buffer_path(&tv);
    running.signal(Signal::SIGKILL);
    running.wait();
    kill_pid_in(&tv.home().join("editor-pid"));
    assert!(buffer.exists(), "SIGKILL cannot be caught");
    tv.ok(&["get", "secrets"]);
    assert!(
        fs::symlink_metadata(&buffer).is_err(),
        "the next command left {}",
        buffer.display()
    );
}

/// Finding 1: without XDG_RUNTIME_DIR the buffer does not go to the temp dir (on disk,
/// surviving a reboot, under a name others can pre-create).
#[test]
fn without_a_runtime_dir_the_edit_buffer_is_not_under_the_temp_dir() {
    let tv = with_app_secret();
    let tmp = tv.path().join("tmp");
    fs::create_dir(&tmp).unwrap();
    let editor = script(
        &tv,
        "record-editor.sh",
        "printf '%s' \"$1\" > \"$HOME/buffer-path\"",
    );
    let mut cmd = tv.cmd(&["edit", "secret", "app"]);
    cmd.env("EDITOR", &editor)
        .env_remove("XDG_RUNTIME_DIR")
        .env("TMPDIR", &tmp)
        .env("XDG_STATE_HOME", tv.path().join("state"))
        .env("XDG_CACHE_HOME", tv.path().join("cache"));
    let output = cmd.output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let buffer = PathBuf::from(fs::read_to_string(tv.home().join("buffer-path")).unwrap());
    assert!(
        !buffer.starts_with(&tmp) && !buffer.starts_with("/tmp"),
        "the edit buffer was at {}",
        buffer.display()
    );
    if Path::new("/dev/shm").is_dir() {
        assert!(buffer.starts_with("/dev/shm"), "{}", buffer.display());
    }
    assert!(!buffer.exists());
}

/// Finding 13: the editor gets none of the variables that hold the key to the vault.
#[test]
fn the_editor_does_not_inherit_the_key_variables() {
    let tv = with_app_secret();
    let passphrase_file = tv.path().join("passphrase");
    fs::write(&passphrase_file, crate::common::PASSPHRASE).unwrap();
    let token = crate::security_support::session_token(&tv);
    let editor = script(&tv, "env-editor.sh", "env > \"$HOME/editor-env\"");
    // An identity of a member: VAULT_IDENTITY_FILE comes before the passphrase.
    let identity = tv.path().join("identity.txt");
    let recipient = tv.ok(&["keygen", "-o", identity.to_str().unwrap()]);
    tv.ok(&["member", "add", "editor", "--recipient", recipient.trim()]);
    for with_session in [false, true] {
        let mut cmd = tv.cmd(&["edit", "secret", "app"]);
        cmd.env("EDITOR", &editor)
            .env("VAULT_PASSPHRASE_FILE", &passphrase_file)
            .env("VAULT_NEW_PASSPHRASE", "canary-new-passphrase")
            .env("VAULT_IDENTITY_FILE", &identity);
        if with_session {
            cmd.env_remove("VAULT_PASSPHRASE")
                .env_remove("VAULT_PASSPHRASE_FILE")
                .env("VAULT_SESSION", &token);
        }
        let output = cmd.output().unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
        let env = fs::read_to_string(tv.home().join("editor-env")).unwrap();
        for key in [
            "VAULT_SESSION",
            "VAULT_PASSPHRASE",
            "VAULT_PASSPHRASE_FILE",
            "VAULT_NEW_PASSPHRASE",
            "VAULT_IDENTITY",
            "VAULT_IDENTITY_FILE",
        ] {
            assert!(
                !env.lines().any(|line| line.starts_with(&format!("{key}="))),
                "the editor got {key} (session: {with_session})"
            );
        }
        assert!(!env.contains(crate::common::PASSPHRASE));
        assert!(env.contains("HOME="), "the rest of the environment is kept");
    }
}

/// Finding 3: a child that swaps a destination's parent directory for a symlink does
/// not make `vault` delete a file it never wrote.
#[test]
fn exec_cleanup_never_deletes_a_file_it_did_not_write() {
    let tv = TestVault::new();
    let local = write_work_file(&tv, "key.src", b"canary-review-file");
    let local = local.to_str().unwrap().to_owned();
    tv.ok(&[
        "create",
        "secret",
        "f",
        "-f",
        &format!("{local}:sub/key.pem"),
    ]);
    let victim = tv.path().join("victim");
    fs::create_dir(&victim).unwrap();
    fs::write(victim.join("key.pem"), "not vault's").unwrap();
    let swap = format!("mv sub sub.moved && ln -s {} sub", victim.to_str().unwrap());
    let output = run(&tv, &["exec", "-s", "f", "--", "sh", "-c", &swap]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        fs::read_to_string(victim.join("key.pem")).unwrap(),
        "not vault's",
        "vault deleted a file it never wrote"
    );
    let moved = tv.work().join("sub.moved/key.pem");
    assert!(
        !moved.exists(),
        "the secret file vault wrote was left behind"
    );
}

/// Finding 3: a destination the child replaced is left alone, with a warning, and the
/// journal is kept for the sweep.
#[test]
fn exec_cleanup_leaves_a_replaced_destination_alone_and_warns() {
    let tv = TestVault::new();
    let local = write_work_file(&tv, "key.src", b"canary-review-file");
    let local = local.to_str().unwrap().to_owned();
    tv.ok(&["create", "secret", "f", "-f", &format!("{local}:key.pem")]);
    let replace = "rm key.pem && echo theirs > key.pem";
    let output = run(&tv, &["exec", "-s", "f", "--", "sh", "-c", replace]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        fs::read_to_string(tv.work().join("key.pem")).unwrap(),
        "theirs\n",
        "vault removed a file the command put there"
    );
    assert!(stderr(&output).contains("key.pem"), "{}", stderr(&output));
    fs::remove_file(tv.work().join("key.pem")).unwrap();
}

/// Finding 5: `-e KEY` whose read gives nothing is refused (exit 2), on create and
/// update, so a failed producer cannot wipe a value; `-e KEY=` still sets "".
#[test]
fn an_empty_read_of_e_key_is_refused() {
    let tv = TestVault::new();
    tv.ok(&["create", "secret", "api", "-e", "TOKEN=canary-review-old"]);
    for input in ["", "\n"] {
        let before = Snapshot::of(&tv);
        for args in [
            &["create", "secret", "other", "-e", "TOKEN"][..],
            &["update", "secret", "api", "-e", "TOKEN"][..],
        ] {
            let output = tv.cmd(args).write_stdin(input).output().unwrap();
            assert_eq!(output.status.code(), Some(2), "{args:?} {input:?}");
            assert!(stderr(&output).contains("TOKEN"), "{}", stderr(&output));
        }
        before.assert_unchanged();
    }
    // Closed stdin, as from a producer that died.
    let mut cmd = std_command(&tv.cmd(&["update", "secret", "api", "-e", "TOKEN"]));
    let status = cmd.stdin(std::process::Stdio::null()).status().unwrap();
    assert_eq!(status.code(), Some(2));
    assert_eq!(
        value_of(&tv, "api", &[], "TOKEN").as_deref(),
        Some("canary-review-old")
    );
    tv.ok(&["update", "secret", "api", "-e", "TOKEN="]);
    assert_eq!(value_of(&tv, "api", &[], "TOKEN").as_deref(), Some(""));
}

/// Findings 6 and 12: a vault path that is a symlink (dangling or not) is resolved
/// once: init and get agree, writes replace the target and keep the link, the backup
/// and the lock sit beside the target.
#[test]
fn a_symlinked_vault_path_is_resolved_once() {
    let tv = TestVault::empty();
    let real = tv.path().join("real");
    let link = tv.path().join("data/link.toml");
    symlink(real.join("vault.toml"), &link).unwrap();
    let link_str = link.to_str().unwrap();
    let with_link = |args: &[&str]| {
        let mut cmd = tv.cmd(args);
        cmd.env("VAULT_FILE", link_str);
        cmd.output().unwrap()
    };
    let get = with_link(&["get", "secrets"]);
    let init = with_link(&["init", "--kdf-memory-mib", "8", "--kdf-iterations", "1"]);
    assert_eq!(get.status.code(), Some(3), "no vault yet: {}", stderr(&get));
    assert_eq!(init.status.code(), Some(0), "{}", stderr(&init));
    for n in 0..2 {
        let name = format!("s{n}");
        let output = with_link(&["create", "secret", &name, "-e", "A=b"]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    }
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        fs::symlink_metadata(real.join("vault.toml"))
            .unwrap()
            .is_file()
    );
    assert!(
        fs::symlink_metadata(real.join("vault.toml.bak"))
            .unwrap()
            .is_file()
    );
    assert!(real.join("vault.toml.lock").exists());
    assert!(!tv.path().join("data/link.toml.bak").exists());
    assert!(!tv.path().join("data/link.toml.lock").exists());
    let list = with_link(&["get", "secrets", "-o", "json"]);
    assert_eq!(list.status.code(), Some(0));
    assert!(stdout(&list).contains("s1"));
}

/// Finding 7: the lock file and the audit trail are never opened through a symlink.
#[test]
fn sidecar_symlinks_are_not_followed() {
    let tv = TestVault::new();
    let victim = tv.path().join("victim.txt");
    fs::write(&victim, "mine").unwrap();
    let audit = tv.path().join("data/vault.toml.audit");
    fs::remove_file(&audit).ok();
    symlink(&victim, &audit).unwrap();
    let _ = tv.cmd(&["create", "secret", "a", "-e", "A=b"]).output();
    assert_eq!(
        fs::read_to_string(&victim).unwrap(),
        "mine",
        "audit followed"
    );

    let lock = tv.path().join("data/vault.toml.lock");
    let planted = tv.path().join("planted-by-lock");
    fs::remove_file(&lock).ok();
    symlink(&planted, &lock).unwrap();
    let _ = tv.cmd(&["create", "secret", "b", "-e", "A=b"]).output();
    assert!(
        !planted.exists(),
        "the lock file was created through a symlink"
    );
}

/// Finding 7: a vault directory others can write to is reported.
#[test]
fn a_vault_directory_others_can_write_is_reported() {
    let tv = TestVault::new();
    let data = tv.path().join("data");
    fs::set_permissions(&data, fs::Permissions::from_mode(0o777)).unwrap();
    let output = tv.cmd(&["get", "secrets"]).output().unwrap();
    let err = stderr(&output);
    assert!(err.contains("writable"), "{err}");
    fs::set_permissions(&data, fs::Permissions::from_mode(0o700)).unwrap();
    let output = tv.cmd(&["get", "secrets"]).output().unwrap();
    assert!(!stderr(&output).contains("writable"));
}

/// Finding 8: a `.vault.toml` owned by another user is ignored, with a warning.
#[test]
fn a_project_file_owned_by_another_user_is_ignored() {
    if !nix::unistd::geteuid().is_root() {
        eprintln!("skipped: only root can make a file owned by another user");
        return;
    }
    let tv = TestVault::new();
    let planted = tv.path().join(".vault.toml");
    fs::write(&planted, "project = \"planted\"\n").unwrap();
    std::os::unix::fs::chown(&planted, Some(65534), Some(65534)).unwrap();
    let output = tv
        .cmd(&["create", "secret", "s", "-e", "A=canary-review"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stderr(&output).contains(".vault.toml"),
        "{}",
        stderr(&output)
    );
    let json = tv.json(&["get", "secret", "s", "-o", "json"]);
    assert_eq!(json["scope"], "org", "the planted project was used");
    // One's own file still counts.
    std::os::unix::fs::chown(&planted, Some(0), Some(0)).unwrap();
    tv.ok(&["create", "secret", "t", "-e", "A=b"]);
    let json = tv.json(&["get", "secret", "t", "-p", "planted", "-o", "json"]);
    assert_eq!(json["project"], "planted");
}

/// Finding 9: without XDG_RUNTIME_DIR, a directory someone else made first under the
/// temp dir blocks neither sessions, nor `exec`, nor `edit`.
#[test]
fn a_pre_created_temp_directory_blocks_nothing() {
    let tv = with_app_secret();
    let tmp = tv.path().join("tmp");
    fs::create_dir(&tmp).unwrap();
    let uid = nix::unistd::getuid();
    // What another user would plant: here a file, which no user can turn into a
    // private directory of ours either.
    fs::write(tmp.join(format!("vault-{uid}")), "planted").unwrap();
    let env = |cmd: &mut assert_cmd::Command| {
        cmd.env_remove("XDG_RUNTIME_DIR")
            .env("TMPDIR", &tmp)
            .env("XDG_STATE_HOME", tv.path().join("state"))
            .env("XDG_CACHE_HOME", tv.path().join("cache"));
    };
    let mut unlock = tv.cmd(&["unlock"]);
    env(&mut unlock);
    let output = unlock.output().unwrap();
    assert_eq!(output.status.code(), Some(0), "unlock: {}", stderr(&output));
    let mut exec = tv.cmd(&["exec", "--", "true"]);
    env(&mut exec);
    let output = exec.output().unwrap();
    assert_eq!(output.status.code(), Some(0), "exec: {}", stderr(&output));
    let local = write_work_file(&tv, "f.src", b"x");
    tv.ok(&[
        "update",
        "secret",
        "app",
        "-f",
        &format!("{}:f.out", local.display()),
    ]);
    let mut exec = tv.cmd(&["exec", "--", "cat", "f.out"]);
    env(&mut exec);
    let output = exec.output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "exec -f: {}",
        stderr(&output)
    );
    let state = fs::symlink_metadata(tv.path().join("state")).unwrap();
    assert_eq!(state.uid(), uid.as_raw());
}

/// Finding 9: an `exec` with no files and no session needs no runtime directory.
#[test]
fn exec_without_files_does_not_need_the_runtime_directory() {
    let tv = with_app_secret();
    let mut exec = tv.cmd(&["exec", "--", "true"]);
    exec.env("XDG_RUNTIME_DIR", tv.path().join("run-file"))
        .env("HOME", tv.path().join("no-home"))
        .env("XDG_STATE_HOME", tv.path().join("run-file/state"))
        .env("XDG_CACHE_HOME", tv.path().join("run-file/cache"))
        .env("TMPDIR", tv.path().join("run-file"));
    fs::write(tv.path().join("run-file"), "not a directory").unwrap();
    let output = exec.output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

/// Finding 10: a journal of a run in another PID namespace is never swept: its pid
/// says nothing about a process of ours.
#[test]
fn journals_of_runs_in_another_pid_namespace_are_not_swept() {
    let tv = TestVault::new();
    let local = write_work_file(&tv, "k.src", b"x");
    tv.ok(&[
        "create",
        "secret",
        "f",
        "-f",
        &format!("{}:mine.txt", local.display()),
    ]);
    let theirs = tv.work().join("theirs.txt");
    fs::write(&theirs, "a live run's file").unwrap();
    let meta = fs::metadata(&theirs).unwrap();
    let boot_id = fs::read_to_string("/proc/sys/kernel/random/boot_id")
        .unwrap_or_default()
        .trim()
        .to_owned();
    let journal = serde_json::json!({
        "owner": {"pid": 999_999_999u32, "start_time": 1, "boot_id": boot_id,
                  "pid_namespace": "pid:[1]", "run_id": "0123456789abcdef"},
        "files": [{"path": theirs, "id": [meta.dev(), meta.ino()]}],
        "dirs": []
    });
    let runtime = tv.runtime_dir().join("vault");
    fs::create_dir_all(&runtime).unwrap();
    fs::write(runtime.join("exec-999999999.json"), journal.to_string()).unwrap();
    run_code(&tv, &["exec", "-s", "f", "--", "true"], 0);
    assert!(
        theirs.exists(),
        "a file of a run in another namespace was swept"
    );
}

/// Finding 11: destinations that can never name a file are refused (exit 2) at
/// create, update and edit.
#[test]
fn destinations_that_name_no_file_are_refused() {
    let tv = TestVault::new();
    let local = write_work_file(&tv, "k.src", b"x");
    let local = local.to_str().unwrap();
    tv.ok(&["create", "secret", "ok", "-f", &format!("{local}:good.txt")]);
    for dest in ["a/", "~/", ".", "..", "/", "a/.", "a/..", "~", "./"] {
        let before = Snapshot::of(&tv);
        let spec = format!("{local}:{dest}");
        let output = tv
            .cmd(&["create", "secret", "bad", "-f", &spec])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "create {dest:?}");
        let output = tv
            .cmd(&["update", "secret", "ok", "-f", &spec])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "update {dest:?}");
        before.assert_unchanged();
    }
    let editor = script(
        &tv,
        "bad-dest-editor.sh",
        "sed -i 's#good\\.txt#a/#' \"$1\"",
    );
    let before = Snapshot::of(&tv);
    let mut cmd = tv.cmd(&["edit", "secret", "ok"]);
    cmd.env("EDITOR", &editor);
    let output = cmd.output().unwrap();
    assert_eq!(output.status.code(), Some(2), "edit: {}", stderr(&output));
    before.assert_unchanged();
}

/// Finding 12: a `.env` value holding `$` is never silently changed: a `$` that starts
/// no substitution is kept, and one that refers to nothing is reported.
#[test]
fn dotenv_dollars_are_kept_or_reported() {
    let tv = TestVault::new();
    let env = write_work_file(
        &tv,
        "app.env",
        b"P1=pa$$word\nP2=\"cost: 5$\"\nP3='lit$eral'\nP4=a$ b\nP5=x\\$y\n",
    );
    let output = tv
        .cmd(&["import", env.to_str().unwrap(), "--secret", "app"])
        .output()
        .unwrap();
    // `P4=a$ b` is not dotenv syntax (an unquoted space).
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let env = write_work_file(
        &tv,
        "app.env",
        b"P1=pa$$word\nP2=\"cost: 5$\"\nP3='lit$eral'\nP5=x\\$y\nP6=${UNSET_REVIEW}z\n",
    );
    let output = tv
        .cmd(&["import", env.to_str().unwrap(), "--secret", "app"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let value = |key| value_of(&tv, "app", &[], key).unwrap();
    assert_eq!(value("P2"), "cost: 5$");
    assert_eq!(value("P3"), "lit$eral");
    assert_eq!(value("P5"), "x$y");
    // `$$word`: the first `$` starts no substitution and is kept; `$word` refers to
    // an unset variable, which dotenv makes empty: that is reported.
    assert_eq!(value("P1"), "pa$");
    assert_eq!(value("P6"), "z");
    let err = stderr(&output);
    for key in ["P1", "P6"] {
        assert!(err.contains(key), "no warning for {key}: {err}");
    }
    assert!(!err.contains("P2") && !err.contains("P3") && !err.contains("P5"));
    assert!(
        !err.contains("word"),
        "the warning shows part of a value: {err}"
    );
}

/// Finding 12: the vault file is read only up to a bound: larger or endless files
/// give exit 5 at once, in bounded memory.
#[test]
fn an_oversized_or_endless_vault_file_is_refused_in_bounded_memory() {
    let tv = TestVault::new();
    let huge = tv.path().join("huge.toml");
    fs::File::create(&huge)
        .unwrap()
        .set_len(vault::vault::storage::MAX_VAULT_FILE_BYTES + 1)
        .unwrap();
    for path in [huge.as_path(), Path::new("/dev/zero")] {
        // 256 MiB of address space is plenty for `vault`, and less than reading the
        // file whole would need.
        let mut cmd = tv.cmd(&["get", "secrets"]);
        cmd.env("VAULT_FILE", path);
        let inner = std_command(&cmd);
        let mut sh_cmd = std::process::Command::new("sh");
        sh_cmd
            .arg("-c")
            .arg("ulimit -v 262144; exec \"$0\" \"$@\"")
            .arg(inner.get_program())
            .args(inner.get_args())
            .env_clear()
            .envs(inner.get_envs().filter_map(|(k, v)| v.map(|v| (k, v))))
            .current_dir(tv.work());
        let mut running = Running::spawn(sh_cmd);
        let start = std::time::Instant::now();
        let status = running.wait();
        assert_eq!(status.code(), Some(5), "{}", path.display());
        assert!(start.elapsed() < Duration::from_secs(10));
        let err = running.rest_of_stderr().join("\n");
        assert!(err.contains("vault file"), "{err}");
    }
}

/// Finding 12: control characters from the vault never reach human output raw (get,
/// log, --dry-run, errors); JSON escapes them as JSON does.
#[test]
fn control_characters_are_escaped_in_human_output() {
    let tv = TestVault::new();
    let local = write_work_file(&tv, "k.src", b"x");
    let dest = "evil\x1b]0;pwned\x07\x1b[2J.txt";
    let mut create = tv.cmd(&[
        "create",
        "secret",
        "s",
        "--description",
        "desc \x1b[31mred\r\x1b[2K",
        "-f",
        &format!("{}:{dest}", local.display()),
    ]);
    create.env("USER", "user\x1b[2Jname");
    let output = create.output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let outputs = [
        tv.cmd(&["get", "secret", "s"]).output().unwrap(),
        tv.cmd(&["get", "secrets"]).output().unwrap(),
        tv.cmd(&["log"]).output().unwrap(),
        tv.cmd(&["exec", "--dry-run", "--", "true"])
            .output()
            .unwrap(),
        tv.cmd(&["update", "secret", "s", "--remove-file", "x\x1b[2Jy"])
            .output()
            .unwrap(),
    ];
    for output in &outputs {
        for stream in [&output.stdout, &output.stderr] {
            let text = String::from_utf8_lossy(stream);
            assert!(
                !stream.iter().any(|&b| b == 0x1b || b == 0x07 || b == b'\r'),
                "a raw control character in {text:?}"
            );
        }
    }
    assert!(
        stdout(&outputs[0]).contains("\\x1b"),
        "{}",
        stdout(&outputs[0])
    );
    assert!(stdout(&outputs[2]).contains("user\\x1b[2Jname"));
    let json = tv.json(&["get", "secret", "s", "-o", "json"]);
    assert_eq!(json["description"], "desc \x1b[31mred\r\x1b[2K");
    assert_eq!(json["files"][0]["path"], dest);
}
