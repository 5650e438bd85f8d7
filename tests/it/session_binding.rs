//! A session opens the passphrase member's grant and is bound to the file's
//! epoch: a vault file whose grant was replaced (checksum recomputed) is
//! refused under the session too, instead of being read and carried forward
//! into new writes.
use crate::common::TestVault;
use vault::vault::format2::File2;

fn unlock(vault: &TestVault) -> String {
    let out = vault.ok(&["unlock"]);
    out.trim()
        .strip_prefix("export VAULT_SESSION=")
        .expect("export line")
        .to_owned()
}

#[test]
fn a_replaced_wrapped_key_is_refused_under_a_session() {
    let vault = TestVault::new();
    vault.ok(&["create", "secret", "aws", "-e", "K=canary-binding-1"]);
    let token = unlock(&vault);
    let with_session = |args: &[&str]| {
        let mut cmd = vault.bare(args);
        cmd.env("VAULT_SESSION", &token);
        cmd.output().unwrap()
    };
    assert!(with_session(&["get", "secrets"]).status.success());

    let mut file = File2::parse(vault.vault_bytes()).unwrap();
    let grant = &mut file.members[0].grant;
    let last = grant.len() - 1;
    grant[last] ^= 0xff;
    let forged = file.to_bytes();
    std::fs::write(vault.vault_path(), &forged).unwrap();

    // The grant no longer opens (4) or opens but fails authentication (5):
    // either way nothing is read.
    let read = with_session(&["get", "secrets"]);
    assert!(
        matches!(read.status.code(), Some(4 | 5)),
        "{}",
        String::from_utf8_lossy(&read.stderr)
    );
    let write = with_session(&["update", "secret", "aws", "-e", "K=new"]);
    assert!(matches!(write.status.code(), Some(4 | 5)));
    assert_eq!(
        vault.vault_bytes(),
        forged,
        "nothing written over the forgery"
    );
}

#[test]
fn a_session_still_works_after_an_ordinary_write() {
    let vault = TestVault::new();
    let token = unlock(&vault);
    let mut cmd = vault.bare(&["create", "secret", "db", "-e", "K=v"]);
    cmd.env("VAULT_SESSION", &token).assert().success();
    let mut cmd = vault.bare(&["get", "secret", "db", "-o", "json"]);
    cmd.env("VAULT_SESSION", &token).assert().success();
}
