//! A session is bound to the wrapped key it was unlocked with: a vault file whose
//! wrapped key was replaced (checksum recomputed) is refused under the session
//! too, instead of being read and carried forward into new writes.
use crate::common::TestVault;
use vault::vault::format::VaultFile;

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

    let mut file = VaultFile::parse(&vault.vault_bytes()).unwrap();
    file.wrapped_key[0] ^= 0xff;
    let forged = file.to_bytes();
    std::fs::write(vault.vault_path(), &forged).unwrap();

    let read = with_session(&["get", "secrets"]);
    assert_eq!(
        read.status.code(),
        Some(4),
        "{}",
        String::from_utf8_lossy(&read.stderr)
    );
    let write = with_session(&["update", "secret", "aws", "-e", "K=new"]);
    assert_eq!(write.status.code(), Some(4));
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
