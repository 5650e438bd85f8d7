//! An exec stopped by an existing file destination (exit 6) injected nothing,
//! so it is not recorded as a read of the secret.
use crate::common::TestVault;

#[test]
fn a_conflicting_destination_is_not_recorded_as_an_exec() {
    let vault = TestVault::new();
    let local = vault.path().join("key.pem");
    std::fs::write(&local, "pem-contents").unwrap();
    let file_arg = format!("{}:key.pem", local.display());
    vault.ok(&["create", "secret", "tls", "-f", &file_arg]);
    std::fs::write(vault.work().join("key.pem"), "already here").unwrap();

    vault.fails(&["exec", "--", "true"], 6);

    let log = vault.json(&["log", "-o", "json"]);
    let actions: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(!actions.contains(&"exec"), "{actions:?}");
    let secret = vault.json(&["get", "secret", "tls", "-o", "json"]);
    assert!(secret["last_read_at"].is_null());
}
