mod common;
use common::TestVault;

#[test]
fn create_then_list() {
    let vault = TestVault::new();
    vault.ok(&["create", "secret", "aws", "-e", "AWS_KEY=canary-smoke-1"]);
    let list = vault.ok(&["get", "secrets"]);
    assert!(list.contains("aws"), "{list}");
    assert!(!list.contains("canary-smoke-1"));
}
