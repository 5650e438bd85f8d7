//! The environment variables that carry the key to the vault. Whatever `vault` starts
//! (the child of `exec`, the editor of `edit`) gets none of them, and a `.env` file may
//! not copy one into a secret through `${NAME}` substitution.

pub const KEY_VARIABLES: [&str; 6] = [
    "VAULT_SESSION",
    "VAULT_PASSPHRASE",
    "VAULT_PASSPHRASE_FILE",
    "VAULT_NEW_PASSPHRASE",
    "VAULT_IDENTITY",
    "VAULT_IDENTITY_FILE",
];

/// True for a variable that must not reach a process `vault` starts.
pub fn is_key_variable(name: &std::ffi::OsStr) -> bool {
    KEY_VARIABLES.iter().any(|key| name == *key)
}
