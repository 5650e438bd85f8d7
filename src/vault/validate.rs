//! The contract's validation rules (SPEC.md, "Validation"). Every failure is a
//! usage error (exit 2) whose message names the offending name or key, never a
//! value.

use crate::error::{Error, Result};

pub const MAX_NAME_LEN: usize = 128;
pub const MAX_KEY_LEN: usize = 255;
pub const MAX_VALUE_BYTES: usize = 64 * 1024;
pub const MAX_FILE_BYTES: usize = 1024 * 1024;

/// Secret and project names: `[A-Za-z0-9][A-Za-z0-9._-]*`, at most 128 characters.
pub fn name(what: &str, name: &str) -> Result<()> {
    let mut chars = name.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphanumeric());
    let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if name.is_empty() {
        return Err(Error::usage(format!("{what} name is empty")));
    }
    if !first_ok || !rest_ok {
        return Err(Error::usage(format!(
            "invalid {what} name '{name}': use letters, digits, '.', '_' and '-', starting with a letter or digit"
        )));
    }
    if name.len() > MAX_NAME_LEN {
        return Err(Error::usage(format!(
            "{what} name is {} characters long; the limit is {MAX_NAME_LEN}",
            name.len()
        )));
    }
    Ok(())
}

/// Environment variable keys: `[A-Za-z_][A-Za-z0-9_]*`, at most 255, not `VAULT_*`.
pub fn env_key(key: &str) -> Result<()> {
    if key.is_empty() {
        return Err(
            Error::usage("environment variable name is empty").with_hint("write -e KEY=VALUE")
        );
    }
    // What follows a bad character may be a value (`--unset KEY=value`,
    // `-e "KEY value"`): name the valid start and the bad character only.
    if let Some((at, bad)) = key
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_alphanumeric() || c == '_'))
    {
        return Err(Error::usage(format!(
            "invalid environment variable name '{}…': {} is not allowed; use letters, digits and '_'",
            &key[..at],
            match bad {
                '=' => "'=' (write -e KEY=VALUE, or a name alone)".to_owned(),
                c if c.is_whitespace() || c.is_control() => "whitespace".to_owned(),
                c => format!("'{c}'"),
            }
        )));
    }
    if key.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(Error::usage(format!(
            "invalid environment variable name '{key}': it starts with a digit"
        )));
    }
    if key.len() > MAX_KEY_LEN {
        return Err(Error::usage(format!(
            "environment variable name is {} characters long; the limit is {MAX_KEY_LEN}",
            key.len()
        )));
    }
    if key.starts_with("VAULT_") {
        return Err(Error::usage(format!(
            "environment variable name '{key}' is reserved: names starting with VAULT_ belong to vault itself"
        )));
    }
    Ok(())
}

/// Values: no NUL, at most 64 KiB. The message names the key, never the value.
pub fn env_value(key: &str, value: &str) -> Result<()> {
    if value.contains('\0') {
        return Err(Error::usage(format!(
            "the value of {key} contains a NUL byte"
        )));
    }
    if value.len() > MAX_VALUE_BYTES {
        return Err(Error::usage(format!(
            "the value of {key} is {} bytes; the limit is {MAX_VALUE_BYTES}",
            value.len()
        )));
    }
    Ok(())
}

/// File destinations: non-empty, no NUL, and naming a file: not `a/`, `~/`, `~`,
/// `.`, `..` or `/`, which `vault exec` could never write (and every default exec of
/// the organization would then fail).
pub fn destination(dest: &str) -> Result<()> {
    if dest.is_empty() {
        return Err(Error::usage("file destination is empty").with_hint("write -f LOCAL:DEST"));
    }
    if dest.contains('\0') {
        return Err(Error::usage("file destination contains a NUL byte"));
    }
    let last = dest.rsplit('/').next().unwrap_or(dest);
    if dest.ends_with('/') || dest == "~" || last == "." || last == ".." {
        return Err(Error::usage(format!(
            "file destination '{dest}' names a directory, not a file"
        ))
        .with_hint("end it with a file name, such as certs/ca.pem or ~/.ssh/id_deploy"));
    }
    Ok(())
}

pub fn file_size(dest: &str, size: usize) -> Result<()> {
    if size > MAX_FILE_BYTES {
        return Err(Error::usage(format!(
            "file for '{dest}' is {size} bytes; the limit is {MAX_FILE_BYTES}"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(name("secret", "blue-secret.v2_x").is_ok());
        assert!(name("secret", "9lives").is_ok());
        for bad in ["", "-x", ".x", "a b", "a/b", "é"] {
            assert!(name("secret", bad).is_err(), "{bad}");
        }
        assert!(name("secret", &"a".repeat(128)).is_ok());
        assert!(name("secret", &"a".repeat(129)).is_err());
    }

    #[test]
    fn keys() {
        assert!(env_key("AWS_KEY").is_ok());
        assert!(env_key("_x1").is_ok());
        for bad in ["", "1A", "A-B", "A B", "VAULT_X", "VAULT_"] {
            assert!(env_key(bad).is_err(), "{bad}");
        }
        assert!(env_key(&"K".repeat(255)).is_ok());
        assert!(env_key(&"K".repeat(256)).is_err());
    }

    #[test]
    fn bad_keys_are_named_without_what_follows_the_bad_character() {
        for bad in [
            "TOKEN=canary-41",
            "TOKEN canary-41",
            "TOKEN:canary-41",
            "É-canary-41",
        ] {
            let err = env_key(bad).unwrap_err();
            assert!(!err.message.contains("canary-41"), "{}", err.message);
        }
        let err = env_key("TOKEN=canary-41").unwrap_err();
        assert!(err.message.contains("'TOKEN…'"), "{}", err.message);
        let err = env_key("1BAD").unwrap_err();
        assert!(err.message.contains("'1BAD'"), "{}", err.message);
    }

    #[test]
    fn destinations_must_name_a_file() {
        for good in [
            "key.pem",
            "a/b.txt",
            "~/.ssh/id",
            "/etc/x",
            "../x",
            "~x",
            ".env",
        ] {
            assert!(destination(good).is_ok(), "{good}");
        }
        for bad in [
            "", "a/", "~/", "~", ".", "..", "/", "a/.", "a/..", "./", "a\0b",
        ] {
            assert!(destination(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn values() {
        assert!(env_value("K", &"v".repeat(MAX_VALUE_BYTES)).is_ok());
        assert!(env_value("K", &"v".repeat(MAX_VALUE_BYTES + 1)).is_err());
        let err = env_value("K", "canary\0value").unwrap_err();
        assert!(!err.message.contains("canary"));
    }
}
