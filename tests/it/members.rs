//! Members and keys (SPEC.md, "Members and keys"): identities from
//! `vault keygen`, age and SSH members, project members whose limits are
//! cryptographic, removal and rekey that replace every key, `lock` that ends
//! sessions made anywhere, and `upgrade` from format 1.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::common::{PASSPHRASE, TestVault, stderr, stdout};
use vault::vault::format2::File2;

/// A new age identity in the test home: its path and recipient.
pub(crate) fn keygen(tv: &TestVault, name: &str) -> (PathBuf, String) {
    let path = tv.home().join(format!("{name}.txt"));
    let out = tv.ok(&["keygen", "-o", path.to_str().unwrap()]);
    (path, out.trim().to_owned())
}

/// `vault ARGS` opened with the identity file at `identity` only.
pub(crate) fn as_member(tv: &TestVault, identity: &Path, args: &[&str]) -> Output {
    tv.bare(args)
        .env("VAULT_IDENTITY_FILE", identity)
        .output()
        .unwrap()
}

#[track_caller]
pub(crate) fn code(output: &Output) -> i32 {
    output.status.code().unwrap_or(-1)
}

/// A vault with org secrets (one for every project, one for `red` only) and
/// secrets in projects `blue` and `red`, a full age member `alice` and a
/// project member `ci` of `blue`.
fn team() -> (TestVault, PathBuf, PathBuf) {
    let tv = TestVault::new();
    tv.ok(&["create", "secret", "shared", "-e", "SHARED=canary-shared-1"]);
    tv.ok(&[
        "create",
        "secret",
        "redonly",
        "--allow-project",
        "red",
        "-e",
        "R=canary-redonly-1",
    ]);
    tv.ok(&[
        "create",
        "secret",
        "app",
        "-p",
        "blue",
        "-e",
        "BLUE=canary-blue-1",
    ]);
    tv.ok(&[
        "create",
        "secret",
        "app",
        "-p",
        "red",
        "-e",
        "RED=canary-red-1",
    ]);
    let (alice, alice_r) = keygen(&tv, "alice");
    let (ci, ci_r) = keygen(&tv, "ci");
    tv.ok(&["member", "add", "alice", "--recipient", &alice_r]);
    tv.ok(&[
        "member",
        "add",
        "ci",
        "--recipient",
        &ci_r,
        "--project",
        "blue",
    ]);
    (tv, alice, ci)
}

#[test]
fn keygen_writes_a_private_identity_and_never_overwrites_it() {
    let tv = TestVault::empty();
    let (path, recipient) = keygen(&tv, "me");
    assert!(recipient.starts_with("age1"), "{recipient}");
    let mode =
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&path).unwrap().permissions());
    assert_eq!(mode & 0o777, 0o600);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("AGE-SECRET-KEY-1"));
    let out = tv.fails(&["keygen", "-o", path.to_str().unwrap()], 6);
    assert!(!stdout(&out).contains("AGE-SECRET-KEY"));
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        text,
        "left as it was"
    );
    // The default place is <config dir>/vault/identity.txt.
    let out = tv
        .bare(&["keygen"])
        .env("XDG_CONFIG_HOME", tv.path().join("cfg"))
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(tv.path().join("cfg/vault/identity.txt").is_file());
}

#[test]
fn init_with_a_recipient_needs_no_passphrase_and_names_the_member() {
    let tv = TestVault::empty();
    let (identity, recipient) = keygen(&tv, "alice");
    let out = tv
        .bare(&["init", "--recipient", &recipient, "--member", "alice"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let out = as_member(&tv, &identity, &["create", "secret", "db", "-e", "K=v"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let out = as_member(&tv, &identity, &["get", "secret", "db", "-o", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        json["created_by"],
        "alice (tester@".to_owned() + &hostname() + ")"
    );
    let out = as_member(&tv, &identity, &["member", "list", "-o", "json"]);
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list[0]["name"], "alice");
    assert_eq!(list[0]["kind"], "age");
    assert_eq!(list[0]["recipient"], recipient);
    assert_eq!(list[0]["projects"], serde_json::Value::Null);
    // No passphrase member: a passphrase opens nothing.
    tv.fails(&["get", "secrets"], 4);
    // The identity as text works too, and `exec` hands neither variable to the child.
    let text = std::fs::read_to_string(&identity).unwrap();
    let out = tv
        .bare(&[
            "exec",
            "--",
            "sh",
            "-c",
            "echo [$VAULT_IDENTITY][$VAULT_IDENTITY_FILE][$K]",
        ])
        .env("VAULT_IDENTITY", &text)
        .env("VAULT_IDENTITY_FILE", tv.home().join("nope"))
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), "[][][v]");
}

fn hostname() -> String {
    nix::unistd::gethostname().unwrap().into_string().unwrap()
}

#[test]
fn member_list_has_the_contract_shape() {
    let (tv, _, _) = team();
    let list = tv.json(&["member", "list", "-o", "json"]);
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["alice", "ci", "passphrase"]);
    let ci = &list[1];
    assert_eq!(ci["kind"], "age");
    assert_eq!(ci["projects"], serde_json::json!(["blue"]));
    assert!(ci["added_at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(ci["added_by"], format!("tester@{}", hostname()));
    assert_eq!(list[2]["kind"], "passphrase");
    assert_eq!(list[2]["recipient"], serde_json::Value::Null);
    // A name or a recipient already present: exit 6, nothing written.
    let before = tv.vault_bytes();
    let ci_recipient = ci["recipient"].as_str().unwrap();
    tv.fails(&["member", "add", "other", "--recipient", ci_recipient], 6);
    let (_, fresh) = keygen(&tv, "fresh");
    tv.fails(&["member", "add", "alice", "--recipient", &fresh], 6);
    tv.fails(
        &["member", "add", "x", "--recipient", "age1notarecipient"],
        2,
    );
    tv.fails(&["member", "add", "x", "--recipient", "ssh-dss AAAA"], 2);
    assert_eq!(tv.vault_bytes(), before);
}

#[test]
fn a_project_member_reads_its_project_and_nothing_else() {
    let (tv, _, ci) = team();
    // Its only project is chosen without -p.
    let out = as_member(
        &tv,
        &ci,
        &[
            "exec",
            "--no-mask",
            "--",
            "sh",
            "-c",
            "echo $SHARED $BLUE $RED $R",
        ],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), "canary-shared-1 canary-blue-1");
    let out = as_member(&tv, &ci, &["get", "secret", "redonly"]);
    assert_eq!(code(&out), 7, "{}", stderr(&out));
    let out = as_member(&tv, &ci, &["get", "secrets", "-p", "red"]);
    assert_eq!(code(&out), 7, "{}", stderr(&out));
    let out = as_member(&tv, &ci, &["exec", "-p", "red", "--", "true"]);
    assert_eq!(code(&out), 7, "{}", stderr(&out));
    assert!(!stdout(&out).contains("canary-red"));
    // Writes, member changes, rekey and passwd: exit 7, nothing written.
    let before = tv.vault_bytes();
    let (_, other) = keygen(&tv, "other");
    let dotenv = tv.work().join("new.env");
    std::fs::write(&dotenv, "K=canary-import-1\n").unwrap();
    for args in [
        &["create", "secret", "n", "-p", "blue", "-e", "K=v"][..],
        &["update", "secret", "app", "-p", "blue", "-e", "K=v"],
        &["delete", "secret", "app", "-p", "blue", "--yes"],
        &[
            "import",
            dotenv.to_str().unwrap(),
            "--secret",
            "n",
            "-p",
            "blue",
        ],
        &["member", "add", "x", "--recipient", &other],
        &["member", "remove", "alice", "--yes"],
        &["member", "list"],
        &["rekey"],
    ] {
        let out = as_member(&tv, &ci, args);
        assert_eq!(code(&out), 7, "{args:?}: {}", stderr(&out));
    }
    assert_eq!(tv.vault_bytes(), before, "nothing written");
}

#[test]
fn a_member_of_several_projects_must_choose_one() {
    let (tv, _, _) = team();
    let (both, recipient) = keygen(&tv, "both");
    tv.ok(&[
        "member",
        "add",
        "both",
        "--recipient",
        &recipient,
        "--project",
        "blue",
        "--project",
        "red",
    ]);
    let out = as_member(&tv, &both, &["get", "secrets"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("blue, red"), "{}", stderr(&out));
    let out = as_member(
        &tv,
        &both,
        &["get", "secret", "redonly", "-p", "red", "--reveal"],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).contains("canary-redonly-1"));
}

/// The project member's limits are cryptographic: with only its identity and
/// the format (docs/FORMAT.md), no key it can unwrap opens any wrap of a
/// record outside its reach.
#[test]
fn records_outside_a_project_members_reach_open_under_none_of_its_keys() {
    use vault::vault::crypto;
    use vault::vault::format2::WRAP_LEN;
    use vault::vault::keyring::KEY_ID_LEN;
    let (tv, _, ci) = team();
    let text = std::fs::read_to_string(&ci).unwrap();
    let identities = vault::vault::members::parse_identities(&text, "ci").unwrap();
    let mut member = vault::vault::Vault::new(
        vault::vault::storage::Store::new(tv.vault_path()),
        vault::vault::KeySource::Identities {
            identities,
            origin: "ci".into(),
        },
    );
    let keyring = member.keyring().unwrap();
    assert!(keyring.org.is_none(), "a project member holds no org key");
    assert_eq!(keyring.projects.keys().collect::<Vec<_>>(), ["blue"]);
    let keys = [
        &keyring.audit,
        &keyring.index,
        &keyring.shared,
        &keyring.projects["blue"],
    ];
    let file = File2::parse(tv.vault_bytes()).unwrap();
    let (mut readable, mut sealed_away) = (0, 0);
    let locators = vault::vault::records::Locators::new(&keyring);
    for line in &file.records {
        if vault::vault::records::open(&keyring, &locators, &file.vault_id, line)
            .unwrap()
            .is_some()
        {
            readable += 1;
            continue;
        }
        sealed_away += 1;
        let (wraps, _) = line.parts().unwrap();
        for wrap in wraps.chunks_exact(WRAP_LEN) {
            let (id, rest) = wrap.split_at(KEY_ID_LEN);
            let (nonce, sealed) = rest.split_at(crypto::NONCE_LEN);
            let aad = [
                b"vault/wrap\n".as_slice(),
                &file.vault_id,
                &line.locator,
                id,
            ]
            .concat();
            for key in keys {
                let opened = crypto::open(&key.key, nonce.try_into().unwrap(), &aad, sealed);
                assert!(opened.is_none(), "a wrap outside its reach opened");
            }
        }
    }
    // shared and blue/app are its; redonly and red/app are not.
    assert_eq!((readable, sealed_away), (2, 2));
}

#[test]
fn ssh_members_open_the_vault_with_their_private_key() {
    if std::process::Command::new("ssh-keygen")
        .arg("-?")
        .output()
        .is_err()
    {
        eprintln!("skipped: ssh-keygen is not installed");
        return;
    }
    let (tv, _, _) = team();
    for kind in ["ed25519", "rsa"] {
        let key = tv.home().join(format!("id_{kind}"));
        let status = std::process::Command::new("ssh-keygen")
            .args(["-q", "-t", kind, "-N", "", "-C", "dev@laptop", "-f"])
            .arg(&key)
            .status()
            .unwrap();
        assert!(status.success());
        let public = format!("@{}.pub", key.display());
        tv.ok(&[
            "member",
            "add",
            &format!("ssh-{kind}"),
            "--recipient",
            &public,
        ]);
        let out = tv
            .bare(&[
                "get",
                "secret",
                "shared",
                "--reveal",
                "--identity",
                key.to_str().unwrap(),
            ])
            .output()
            .unwrap();
        assert_eq!(code(&out), 0, "{kind}: {}", stderr(&out));
        assert!(stdout(&out).contains("canary-shared-1"));
    }
    let list = tv.json(&["member", "list", "-o", "json"]);
    assert!(list.as_array().unwrap().iter().any(|m| m["kind"] == "ssh"));
    // ~/.ssh/id_ed25519 is a default identity when it is a member's.
    std::fs::create_dir_all(tv.home().join(".ssh")).unwrap();
    std::fs::copy(
        tv.home().join("id_ed25519"),
        tv.home().join(".ssh/id_ed25519"),
    )
    .unwrap();
    let out = tv.bare(&["get", "secrets"]).output().unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
}

#[test]
fn a_removed_member_opens_nothing_and_everyone_else_reads_as_before() {
    let (tv, alice, ci) = team();
    let (bob, bob_r) = keygen(&tv, "bob");
    tv.ok(&["member", "add", "bob", "--recipient", &bob_r]);
    let kept_removed = std::fs::read(&bob).unwrap();
    let token = tv.ok(&["unlock"]);
    let token = token
        .trim()
        .strip_prefix("export VAULT_SESSION=")
        .unwrap()
        .to_owned();
    let before = tv.vault_bytes();
    tv.ok(&["member", "remove", "bob", "--yes"]);
    let after = tv.vault_bytes();
    // Every key replaced: no record line survives.
    let old = File2::parse(&before).unwrap();
    let new = File2::parse(&after).unwrap();
    for record in &new.records {
        assert!(
            old.records
                .iter()
                .all(|r| r.rest != record.rest && r.locator != record.locator)
        );
    }
    assert_eq!(std::fs::read(&bob).unwrap(), kept_removed);
    for args in [
        &["get", "secrets"][..],
        &["get", "secret", "shared", "--reveal"],
        &["exec", "--", "true"],
        &["export", "shared"],
        &["member", "list"],
        &["create", "secret", "x", "-e", "K=v"],
        &["rekey"],
        &["unlock"],
        &["log"],
    ] {
        let out = as_member(&tv, &bob, args);
        assert_eq!(code(&out), 4, "{args:?}: {}", stderr(&out));
        assert!(!stdout(&out).contains("canary"));
    }
    assert_eq!(
        tv.vault_bytes(),
        after,
        "nothing written by the removed member"
    );
    // Every session has ended.
    let out = tv
        .bare(&["get", "secrets"])
        .env("VAULT_SESSION", &token)
        .output()
        .unwrap();
    assert_eq!(code(&out), 4, "{}", stderr(&out));
    // Everyone else reads as before.
    assert!(
        stdout(&as_member(
            &tv,
            &alice,
            &["get", "secret", "redonly", "--reveal"]
        ))
        .contains("canary-redonly-1")
    );
    assert!(
        stdout(&as_member(&tv, &ci, &["get", "secret", "app", "--reveal"]))
            .contains("canary-blue-1")
    );
    assert!(
        tv.ok(&["get", "secret", "app", "-p", "red", "--reveal"])
            .contains("canary-red-1")
    );
    // The last full member stays.
    tv.ok(&["member", "remove", "alice", "--yes"]);
    tv.fails(&["member", "remove", "passphrase", "--yes"], 2);
    tv.fails(&["member", "remove", "nobody", "--yes"], 3);
    tv.fails(&["member", "remove", "ci"], 2);
}

#[test]
fn rekey_and_passwd_replace_the_keys_and_end_sessions() {
    let (tv, alice, _) = team();
    let token = tv.ok(&["unlock"]);
    let token = token
        .trim()
        .strip_prefix("export VAULT_SESSION=")
        .unwrap()
        .to_owned();
    let before = File2::parse(tv.vault_bytes()).unwrap();
    tv.ok(&["rekey"]);
    let after = File2::parse(tv.vault_bytes()).unwrap();
    assert_eq!(before.records.len(), after.records.len());
    assert!(
        after
            .records
            .iter()
            .all(|r| before.records.iter().all(|o| o.rest != r.rest))
    );
    let out = tv
        .bare(&["get", "secrets"])
        .env("VAULT_SESSION", &token)
        .output()
        .unwrap();
    assert_eq!(code(&out), 4, "{}", stderr(&out));
    assert!(
        stdout(&as_member(
            &tv,
            &alice,
            &["get", "secret", "shared", "--reveal"]
        ))
        .contains("canary-shared-1")
    );
    // passwd: the old passphrase opens nothing, and the keys changed too.
    let out = tv
        .cmd(&["passwd"])
        .env("VAULT_NEW_PASSPHRASE", "new-pass")
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    tv.fails(&["get", "secrets"], 4);
    let out = tv
        .bare(&["get", "secrets"])
        .env("VAULT_PASSPHRASE", "new-pass")
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let passwd = File2::parse(tv.vault_bytes()).unwrap();
    assert!(
        passwd
            .records
            .iter()
            .all(|r| after.records.iter().all(|o| o.rest != r.rest))
    );
}

#[test]
fn lock_ends_sessions_made_in_another_runtime_directory() {
    let tv = TestVault::new();
    tv.ok(&["create", "secret", "db", "-e", "K=v"]);
    let elsewhere = tv.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    let out = tv
        .cmd(&["unlock"])
        .env("XDG_RUNTIME_DIR", &elsewhere)
        .output()
        .unwrap();
    let token = stdout(&out)
        .trim()
        .strip_prefix("export VAULT_SESSION=")
        .unwrap()
        .to_owned();
    let with_session = || {
        tv.bare(&["get", "secrets"])
            .env("XDG_RUNTIME_DIR", &elsewhere)
            .env("VAULT_SESSION", &token)
            .output()
            .unwrap()
    };
    assert_eq!(code(&with_session()), 0);
    // `lock` runs in the default runtime directory, without any key.
    let out = tv.bare(&["lock"]).output().unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let out = with_session();
    assert_eq!(code(&out), 4, "{}", stderr(&out));
    assert!(stderr(&out).contains("ended"), "{}", stderr(&out));
    // The vault itself reads as before.
    tv.ok(&["get", "secret", "db", "--reveal"]);
}

#[test]
fn upgrade_converts_format_1_and_keeps_the_old_file() {
    let tv = TestVault::empty();
    let v1 = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vectors/v1.toml"
    ))
    .unwrap();
    std::fs::create_dir_all(tv.vault_path().parent().unwrap()).unwrap();
    std::fs::write(tv.vault_path(), &v1).unwrap();
    let run = |args: &[&str]| {
        tv.bare(args)
            .env("VAULT_PASSPHRASE", "test-vector-passphrase")
            .output()
            .unwrap()
    };
    let listed = stdout(&run(&["get", "secrets", "--all", "-o", "json"]));
    let out = run(&["upgrade"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        std::fs::read(tv.path().join("data/vault.toml.bak")).unwrap(),
        v1
    );
    let upgraded = tv.vault_bytes();
    assert!(upgraded.starts_with(
        b"# vault file: see docs/FORMAT.md. Any edit makes it unreadable.\nformat = 3\n"
    ));
    assert_eq!(
        stdout(&run(&["get", "secrets", "--all", "-o", "json"])),
        listed
    );
    let out = run(&["upgrade"]);
    assert_eq!(code(&out), 0);
    assert_eq!(
        tv.vault_bytes(),
        upgraded,
        "a current vault: nothing written"
    );
    let _ = PASSPHRASE;
}

/// An identity is a key: it never appears in any output, in any file `vault`
/// writes (the vault, its backup, the audit trail, the runtime directory), or
/// in the environment of what `vault` starts.
#[test]
fn an_identity_never_leaks_into_output_files_or_children() {
    let tv = TestVault::new();
    let (path, recipient) = keygen(&tv, "alice");
    tv.ok(&["member", "add", "alice", "--recipient", &recipient]);
    let text = std::fs::read_to_string(&path).unwrap();
    let secret = text
        .lines()
        .find(|l| l.starts_with("AGE-SECRET-KEY-1"))
        .unwrap()
        .to_owned();
    std::fs::remove_file(&path).unwrap();
    let with_identity = |args: &[&str]| {
        let out = tv.bare(args).env("VAULT_IDENTITY", &text).output().unwrap();
        for stream in [&out.stdout, &out.stderr] {
            let shown = String::from_utf8_lossy(stream).to_uppercase();
            assert!(!shown.contains(&secret), "{args:?} printed the identity");
        }
        out
    };
    with_identity(&["create", "secret", "db", "-e", "K=canary-id-1"]);
    with_identity(&["get", "secret", "db", "--reveal"]);
    with_identity(&["member", "list"]);
    with_identity(&["log"]);
    with_identity(&["get", "secrets", "-p", "nope"]);
    let out = with_identity(&[
        "exec",
        "--",
        "sh",
        "-c",
        "env; cat /proc/$PPID/cmdline | tr '\\0' ' '",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(!stdout(&out).contains("VAULT_IDENTITY"));
    let mut files = vec![tv.vault_path()];
    let mut dirs = vec![
        tv.vault_path().parent().unwrap().to_owned(),
        tv.runtime_dir(),
    ];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let p = entry.path();
            if p.is_dir() {
                dirs.push(p)
            } else {
                files.push(p)
            }
        }
    }
    for file in files {
        let bytes = std::fs::read(&file).unwrap_or_default();
        let shown = String::from_utf8_lossy(&bytes).to_uppercase();
        assert!(
            !shown.contains(&secret),
            "{} holds the identity",
            file.display()
        );
    }
}

/// A default identity file is tried only for whether it is a member: a
/// damaged vault is exit 5 with it as with any key, not "no key" (4).
#[test]
fn a_damaged_vault_is_exit_5_when_opened_with_a_default_identity() {
    let tv = TestVault::new();
    tv.ok(&["create", "secret", "a", "-e", "A=canary-default-1"]);
    let identity = tv.home().join(".config/vault/identity.txt");
    let out = tv
        .bare(&["keygen", "-o", identity.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let recipient = stdout(&out).trim().to_owned();
    tv.ok(&["member", "add", "me", "--recipient", &recipient]);
    let default_home = |args: &[&str]| {
        tv.bare(args)
            .env("XDG_CONFIG_HOME", tv.home().join(".config"))
            .output()
            .unwrap()
    };
    let out = default_home(&["get", "secret", "a", "--reveal"]);
    assert_eq!(
        code(&out),
        0,
        "the default identity opens it: {}",
        stderr(&out)
    );
    let mut bytes = tv.vault_bytes();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    std::fs::write(tv.vault_path(), &bytes).unwrap();
    for args in [&["get", "secret", "a", "--reveal"][..], &["get", "secrets"]] {
        let out = default_home(args);
        assert_eq!(code(&out), 5, "{args:?}: {}", stderr(&out));
        assert!(!stdout(&out).contains("canary-default-1"));
    }
}
