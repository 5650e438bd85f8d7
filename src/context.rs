//! Where each command's inputs come from (SPEC.md, "Where things come from"):
//! the vault file, the key that opens it, and the project.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::cli::{GlobalArgs, ProjectArg};
use crate::error::{Error, Result};
use crate::secret::SecretString;
use crate::vault::storage::Store;
use crate::vault::{KeySource, Vault, validate};

pub const PROJECT_FILE: &str = ".vault.toml";

/// The inputs shared by every command.
pub struct Context {
    pub vault_path: PathBuf,
    passphrase_file: Option<PathBuf>,
}

/// A project's `.vault.toml`: committed, holds no values.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectFile {
    pub project: Option<String>,
    /// What `vault exec` injects by default.
    pub secrets: Option<Vec<String>>,
}

impl Context {
    pub fn new(global: &GlobalArgs) -> Result<Context> {
        let vault_path = match &global.vault {
            Some(path) => path.clone(),
            None => default_vault_path()?,
        };
        let passphrase_file = global
            .passphrase_file
            .clone()
            .or_else(|| non_empty_env("VAULT_PASSPHRASE_FILE").map(PathBuf::from));
        Ok(Context {
            vault_path,
            passphrase_file,
        })
    }

    pub fn store(&self) -> Store {
        Store::new(self.vault_path.clone())
    }

    /// The vault with the first key source found. The file is checked first, so
    /// that a missing vault says "vault init" rather than asking for a passphrase.
    pub fn vault(&self) -> Result<Vault> {
        self.require_vault()?;
        Ok(Vault::new(self.store(), self.key_source()?))
    }

    /// The first key source found (a prompt only on a terminal), for a vault
    /// file that is not `--vault`'s, such as the versions git hands its driver.
    pub fn key_source(&self) -> Result<KeySource> {
        match self.key_source_given()? {
            Some(source) => Ok(source),
            None => self.passphrase("Passphrase: ").map(KeySource::Passphrase),
        }
    }

    /// The key source set in the environment or by flags; `None` when only a
    /// prompt is left (a textconv run by `git log -p` must never ask).
    pub fn key_source_given(&self) -> Result<Option<KeySource>> {
        if let Some(token) = non_empty_env("VAULT_SESSION") {
            return Ok(Some(KeySource::Session(SecretString::new(token))));
        }
        Ok(self.passphrase_given()?.map(KeySource::Passphrase))
    }

    /// The vault opened with the passphrase itself, never a session: a session
    /// must not be able to extend itself or change the passphrase.
    pub fn vault_with_passphrase(&self) -> Result<Vault> {
        self.require_vault()?;
        let passphrase = self.passphrase("Passphrase: ").map_err(|err| match err.kind {
            crate::error::Kind::Auth if err.message == NO_KEY => Error::auth(
                "this command needs the passphrase itself; a session (VAULT_SESSION) is not enough",
            )
            .with_hint("set VAULT_PASSPHRASE or VAULT_PASSPHRASE_FILE, pass --passphrase-file PATH, or run on a terminal"),
            _ => err,
        })?;
        Ok(Vault::new(self.store(), KeySource::Passphrase(passphrase)))
    }

    fn require_vault(&self) -> Result<()> {
        let store = self.store();
        store.check_exists()?;
        if store.is_exposed() {
            crate::output::warn(&format!(
                "{} is readable by other users; run `chmod 600 {}`",
                store.path().display(),
                store.path().display()
            ));
        }
        Ok(())
    }

    /// The passphrase from VAULT_PASSPHRASE, a passphrase file, or a hidden prompt.
    pub fn passphrase(&self, prompt: &str) -> Result<SecretString> {
        if let Some(passphrase) = self.passphrase_given()? {
            return Ok(passphrase);
        }
        if std::io::stdin().is_terminal() {
            return prompt_hidden(prompt);
        }
        Err(no_key_source())
    }

    /// The passphrase from VAULT_PASSPHRASE or a passphrase file, if set.
    fn passphrase_given(&self) -> Result<Option<SecretString>> {
        if let Some(passphrase) = non_empty_env("VAULT_PASSPHRASE") {
            return Ok(Some(SecretString::new(passphrase)));
        }
        self.passphrase_file
            .as_deref()
            .map(read_passphrase_file)
            .transpose()
    }

    /// A new passphrase: from `env_var` if set, else typed twice on a terminal.
    pub fn new_passphrase(&self, env_var: Option<&str>) -> Result<SecretString> {
        if let Some(passphrase) = env_var.and_then(non_empty_env) {
            return Ok(SecretString::new(passphrase));
        }
        if env_var.is_none() {
            if let Some(passphrase) = non_empty_env("VAULT_PASSPHRASE") {
                return Ok(SecretString::new(passphrase));
            }
            if let Some(path) = &self.passphrase_file {
                return read_passphrase_file(path);
            }
        }
        if !std::io::stdin().is_terminal() {
            let names =
                env_var.unwrap_or("VAULT_PASSPHRASE, VAULT_PASSPHRASE_FILE or --passphrase-file");
            return Err(Error::auth(format!(
                "no new passphrase: set {names}, or run on a terminal"
            )));
        }
        let first = prompt_hidden("New passphrase: ")?;
        let second = prompt_hidden("Repeat the passphrase: ")?;
        if first != second {
            return Err(Error::usage("the passphrases do not match"));
        }
        Ok(first)
    }

    /// The project: `-p`, VAULT_PROJECT, or `project` in the nearest `.vault.toml`.
    pub fn project(&self, arg: &ProjectArg) -> Result<Option<String>> {
        match arg.project.as_deref().filter(|p| !p.is_empty()) {
            Some(_) => project_from(arg, None),
            None => project_from(arg, find_project_file()?.map(|(_, file)| file).as_ref()),
        }
    }
}

/// The project from `-p`/VAULT_PROJECT, else from an already-read `.vault.toml`.
pub fn project_from(arg: &ProjectArg, file: Option<&ProjectFile>) -> Result<Option<String>> {
    let project = match arg.project.clone().filter(|p| !p.is_empty()) {
        Some(project) => Some(project),
        None => file.and_then(|file| file.project.clone()),
    };
    if let Some(project) = &project {
        validate::name("project", project)?;
    }
    Ok(project)
}

/// The nearest `.vault.toml` in the working directory or its ancestors.
pub fn find_project_file() -> Result<Option<(PathBuf, ProjectFile)>> {
    let cwd = std::env::current_dir()
        .map_err(|e| Error::failure(format!("cannot read the working directory: {e}")))?;
    for dir in cwd.ancestors() {
        let path = dir.join(PROJECT_FILE);
        if path.is_file() {
            let file = read_project_file(&path)?;
            return Ok(Some((path, file)));
        }
    }
    Ok(None)
}

fn read_project_file(path: &Path) -> Result<ProjectFile> {
    let text = std::fs::read_to_string(path).map_err(|err| Error::io("read", path, err))?;
    toml::from_str(&text).map_err(|err| {
        Error::usage(format!("{} is invalid: {}", path.display(), err.message()))
            .with_hint("it holds `project = \"NAME\"` and optionally `secrets = [\"a\", \"b\"]`")
    })
}

fn default_vault_path() -> Result<PathBuf> {
    let dirs = directories::BaseDirs::new().ok_or_else(|| {
        Error::failure("cannot find your home directory")
            .with_hint("set VAULT_FILE or pass --vault PATH")
    })?;
    Ok(dirs.data_dir().join("vault").join("vault.toml"))
}

fn non_empty_env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

fn read_passphrase_file(path: &Path) -> Result<SecretString> {
    let text = zeroize::Zeroizing::new(std::fs::read_to_string(path).map_err(|err| {
        Error::auth(format!(
            "cannot read passphrase file {}: {err}",
            path.display()
        ))
    })?);
    let first_line = text.lines().next().unwrap_or_default();
    if first_line.is_empty() {
        return Err(Error::auth(format!(
            "passphrase file {} is empty",
            path.display()
        )));
    }
    Ok(SecretString::from(first_line))
}

/// A hidden prompt on the terminal.
pub fn prompt_hidden(prompt: &str) -> Result<SecretString> {
    let value = rpassword::prompt_password(prompt)
        .map_err(|err| Error::failure(format!("cannot read from the terminal: {err}")))?;
    if value.is_empty() && prompt.contains("assphrase") {
        return Err(Error::auth("the passphrase is empty"));
    }
    Ok(SecretString::new(value))
}

const NO_KEY: &str = "no key to open the vault";

fn no_key_source() -> Error {
    Error::auth(NO_KEY).with_hint(
        "set VAULT_SESSION (eval \"$(vault unlock)\"), VAULT_PASSPHRASE or VAULT_PASSPHRASE_FILE, \
         pass --passphrase-file PATH, or run on a terminal to be asked",
    )
}
