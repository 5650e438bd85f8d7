//! `vault git setup`: tells git to merge the vault file with `vault git merge`
//! and to diff it through `vault git show`. Three places change, each only when
//! it lacks what it needs, so that running it again changes nothing:
//! `.gitattributes` at the work tree's root, the repository's own config, and
//! `.gitignore` (the files `vault` keeps beside the vault have no place in git).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::error::{Error, Result};
use crate::vault::storage::Store;

/// The attributes that route the vault file to the driver and the textconv.
pub const ATTRIBUTES: &str = "merge=vault diff=vault";
/// The git config `vault git setup` sets, as (key, value).
pub const CONFIG: [(&str, &str); 3] = [
    (
        "merge.vault.name",
        "vault: merge secrets one part at a time",
    ),
    ("merge.vault.driver", "vault git merge %O %A %B"),
    ("diff.vault.textconv", "vault git show"),
];

/// One change `setup` made, in words for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change(pub String);

/// Sets up the git work tree around the vault file `store`; returns what changed
/// (nothing on a second run).
pub fn setup(store: &Store) -> Result<Vec<Change>> {
    let root = work_tree_root(store.path())?;
    let relative = path_in_work_tree(&root, store.path())?;
    let mut changes = Vec::new();
    let line = format!("{} {ATTRIBUTES}", attribute_pattern(&relative));
    if add_lines(&root.join(".gitattributes"), std::slice::from_ref(&line))? {
        changes.push(Change(format!("added `{line}` to .gitattributes")));
    }
    for (key, value) in CONFIG {
        if set_config(&root, key, value)? {
            changes.push(Change(format!("set {key} = \"{value}\" in .git/config")));
        }
    }
    let mut ignored: Vec<String> = [store.backup_path(), store.lock_path(), store.audit_path()]
        .iter()
        .map(|path| path_in_work_tree(&root, path).map(|p| ignore_pattern(&p)))
        .collect::<Result<_>>()?;
    // The audit trail's index and archives (`.audit.idx`, `.audit.N`) sit beside it.
    ignored.push(format!("{}.*", ignored[2]));
    let gitignore = root.join(".gitignore");
    let before = read_lines(&gitignore)?;
    if add_lines(&gitignore, &ignored)? {
        let added: Vec<&str> = ignored
            .iter()
            .filter(|line| !before.iter().any(|b| b == line.trim()))
            .map(String::as_str)
            .collect();
        changes.push(Change(format!("added {} to .gitignore", added.join(", "))));
    }
    Ok(changes)
}

/// The root of the git work tree holding `vault_path`'s directory; exit 2 when
/// there is none (not a repository, or a bare one).
fn work_tree_root(vault_path: &Path) -> Result<PathBuf> {
    let dir = existing_dir(vault_path)?;
    let output = git(&dir, &["rev-parse", "--show-toplevel"])?;
    if !output.status.success() {
        return Err(Error::usage(format!(
            "{} is not inside a git work tree",
            dir.display()
        ))
        .with_hint("run `git init` first, or point --vault / VAULT_FILE at a vault inside your repository"));
    }
    let root = String::from_utf8_lossy(&output.stdout)
        .trim_end_matches('\n')
        .to_owned();
    Ok(PathBuf::from(root))
}

/// The vault's directory, made absolute with symbolic links resolved (git
/// reports the root that way too).
fn existing_dir(vault_path: &Path) -> Result<PathBuf> {
    let dir = match vault_path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    fs::canonicalize(dir).map_err(|err| Error::io("find directory", dir, err))
}

/// `path` relative to the work tree's root, with `/` separators.
fn path_in_work_tree(root: &Path, path: &Path) -> Result<String> {
    let name = path
        .file_name()
        .ok_or_else(|| Error::usage(format!("{} does not name a file", path.display())))?;
    let full = existing_dir(path)?.join(name);
    let relative = full.strip_prefix(root).map_err(|_| {
        Error::usage(format!(
            "{} is outside the git work tree at {}",
            path.display(),
            root.display()
        ))
    })?;
    let parts: Vec<String> = relative
        .components()
        .map(|part| part.as_os_str().to_string_lossy().into_owned())
        .collect();
    Ok(parts.join("/"))
}

/// `relative` with the characters that gitignore and gitattributes patterns
/// treat as globs escaped, so that the pattern matches that one file.
fn escape_globs(relative: &str) -> String {
    let mut escaped = String::with_capacity(relative.len());
    for c in relative.chars() {
        if matches!(c, '*' | '?' | '[' | '\\' | '!' | '#') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// A `.gitattributes` pattern for exactly `relative`: quoted C-style when it
/// holds a space, a quote or a control character (a space would end it).
pub fn attribute_pattern(relative: &str) -> String {
    let escaped = escape_globs(relative);
    if !relative
        .chars()
        .any(|c| c == ' ' || c == '"' || c.is_control())
    {
        return escaped;
    }
    let mut quoted = String::from("\"");
    for c in escaped.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            c if c.is_control() => quoted.push_str(&format!("\\{:03o}", c as u32)),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

/// A `.gitignore` pattern for exactly `relative` (gitignore has no quoting; a
/// trailing space is kept by escaping it).
pub fn ignore_pattern(relative: &str) -> String {
    let escaped = escape_globs(relative);
    match escaped.strip_suffix(' ') {
        Some(rest) => format!("{rest}\\ "),
        None => escaped,
    }
}

fn read_lines(path: &Path) -> Result<Vec<String>> {
    match fs::read_to_string(path) {
        Ok(text) => Ok(text.lines().map(|line| line.trim().to_owned()).collect()),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(err) => Err(Error::io("read", path, err)),
    }
}

/// Appends each of `lines` that `path` does not hold yet; true if any was added.
fn add_lines(path: &Path, lines: &[String]) -> Result<bool> {
    let present = read_lines(path)?;
    let missing: Vec<&String> = lines
        .iter()
        .filter(|line| !present.iter().any(|p| p == line.trim()))
        .collect();
    if missing.is_empty() {
        return Ok(false);
    }
    let existing = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(err) => return Err(Error::io("read", path, err)),
    };
    let mut text = String::new();
    if !existing.is_empty() && !existing.ends_with(b"\n") {
        text.push('\n');
    }
    for line in missing {
        text.push_str(line);
        text.push('\n');
    }
    fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .and_then(|mut file| file.write_all(text.as_bytes()))
        .map_err(|err| Error::io("write", path, err))?;
    Ok(true)
}

/// Sets `key` in the repository's own config unless it already holds `value`;
/// true if it was set.
fn set_config(root: &Path, key: &str, value: &str) -> Result<bool> {
    let current = git(root, &["config", "--local", "--get", key])?;
    if current.status.success() && String::from_utf8_lossy(&current.stdout).trim_end() == value {
        return Ok(false);
    }
    let set = git(root, &["config", "--local", key, value])?;
    if !set.status.success() {
        return Err(Error::failure(format!(
            "`git config --local {key}` failed: {}",
            String::from_utf8_lossy(&set.stderr).trim()
        )));
    }
    Ok(true)
}

fn git(dir: &Path, args: &[&str]) -> Result<Output> {
    Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|err| {
            Error::failure(format!("cannot run git: {err}"))
                .with_hint("install git, or put it on PATH")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_path_is_its_own_pattern() {
        assert_eq!(
            attribute_pattern("secrets/vault.toml"),
            "secrets/vault.toml"
        );
        assert_eq!(
            ignore_pattern("secrets/vault.toml.bak"),
            "secrets/vault.toml.bak"
        );
    }

    #[test]
    fn glob_characters_are_escaped() {
        assert_eq!(attribute_pattern("a*b?[c].toml"), "a\\*b\\?\\[c].toml");
        assert_eq!(ignore_pattern("#x"), "\\#x");
    }

    #[test]
    fn a_path_with_a_space_is_quoted_in_attributes_only() {
        assert_eq!(
            attribute_pattern("my secrets/v.toml"),
            "\"my secrets/v.toml\""
        );
        assert_eq!(attribute_pattern("a\"b c"), "\"a\\\"b c\"");
        assert_eq!(ignore_pattern("my secrets/v.toml"), "my secrets/v.toml");
        assert_eq!(ignore_pattern("v.toml "), "v.toml\\ ");
    }
}
