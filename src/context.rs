//! Where each command's inputs come from (SPEC.md, "Where things come from"):
//! the vault file, the key that opens it, the project and the environment.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::cli::{EnvironmentArg, GlobalArgs, ProjectArg};
use crate::error::{Error, Result};
use crate::secret::SecretString;
use crate::vault::storage::Store;
use crate::vault::{Access, KeySource, Vault, glob, validate};

pub const PROJECT_FILE: &str = ".vault.toml";

/// Whether a passphrase may be asked for when no other key source is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prompt {
    OnTerminal,
    Never,
}

/// The inputs shared by every command.
pub struct Context {
    pub vault_path: PathBuf,
    passphrase_file: Option<PathBuf>,
    identity_file: Option<PathBuf>,
}

/// A project's `.vault.toml`: committed, holds no values.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectFile {
    pub project: Option<String>,
    /// What `vault exec` injects by default.
    pub secrets: Option<Vec<String>>,
    /// The default environment.
    pub environment: Option<String>,
    /// Branch glob → environment, in the file's order: the first match wins.
    #[serde(default, deserialize_with = "ordered_pairs")]
    pub branches: Vec<(String, String)>,
}

/// The selected environment and where it came from, for `exec --dry-run`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Environment {
    pub name: String,
    pub source: EnvironmentSource,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnvironmentSource {
    Flag,
    Variable,
    /// A `[branches]` pattern of `.vault.toml` matched the current branch.
    Branch {
        pattern: String,
        branch: String,
    },
    File,
}

impl std::fmt::Display for EnvironmentSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EnvironmentSource::Flag => write!(f, "from -E"),
            EnvironmentSource::Variable => write!(f, "from VAULT_ENVIRONMENT"),
            EnvironmentSource::Branch { pattern, branch } => write!(
                f,
                "from [branches] \"{pattern}\" in {PROJECT_FILE}, matching branch '{branch}'"
            ),
            EnvironmentSource::File => write!(f, "from `environment` in {PROJECT_FILE}"),
        }
    }
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
        let identity_file = global
            .identity
            .clone()
            .or_else(|| non_empty_env("VAULT_IDENTITY_FILE").map(PathBuf::from));
        Ok(Context {
            vault_path,
            passphrase_file,
            identity_file,
        })
    }

    pub fn store(&self) -> Store {
        Store::new(self.vault_path.clone())
    }

    /// The vault with the first key source found. The file is checked first, so
    /// that a missing vault says "vault init" rather than asking for a passphrase.
    ///
    /// The order is the contract's: VAULT_SESSION, VAULT_IDENTITY,
    /// VAULT_IDENTITY_FILE/--identity, VAULT_PASSPHRASE,
    /// VAULT_PASSPHRASE_FILE/--passphrase-file, the default identity files
    /// when the vault has a member holding them, a prompt on a terminal.
    pub fn vault(&self) -> Result<Vault> {
        self.require_vault()?;
        self.vault_at(self.store(), Prompt::OnTerminal)
    }

    /// The vault at `store` (a version git hands its driver or textconv, not
    /// `--vault`'s file) with the first key source found, as `vault` finds it;
    /// with `Prompt::Never`, none is asked for (`git log -p` must never stop).
    pub fn vault_at(&self, store: Store, prompt: Prompt) -> Result<Vault> {
        let with = |source| Ok(Vault::new(store.clone(), source));
        if let Some(token) = non_empty_env("VAULT_SESSION") {
            let token = crate::session::Token(SecretString::new(token));
            return with(KeySource::Session(Box::new(token)));
        }
        if let Some(text) = non_empty_env("VAULT_IDENTITY").map(zeroize::Zeroizing::new) {
            return with(identities(&text, "VAULT_IDENTITY")?);
        }
        if let Some(path) = &self.identity_file {
            return with(read_identity_file(path)?);
        }
        if let Some(passphrase) = non_empty_env("VAULT_PASSPHRASE") {
            return with(KeySource::Passphrase(SecretString::new(passphrase)));
        }
        if let Some(path) = &self.passphrase_file {
            return with(KeySource::Passphrase(read_passphrase_file(path)?));
        }
        for path in default_identity_files() {
            let Ok(source) = read_identity_file(&path) else {
                continue;
            };
            let mut vault = Vault::new(store.clone(), source);
            // Damage (exit 5) or a file that cannot be read is the same for
            // every key: trying the others would turn it into "no key".
            if vault.unlock_if_member()? {
                return Ok(vault);
            }
        }
        if prompt == Prompt::OnTerminal && std::io::stdin().is_terminal() {
            return with(KeySource::Passphrase(prompt_hidden("Passphrase: ")?));
        }
        Err(no_key_source())
    }

    /// The vault for a change: a project member may not write (exit 7).
    pub fn vault_for_writing(&self) -> Result<Vault> {
        let mut vault = self.vault()?;
        if vault.unlock()?.projects.is_some() {
            return Err(crate::vault::keyring::project_member_denied());
        }
        Ok(vault)
    }

    /// The project to act in, given who opened `vault`: a project member acts
    /// in one of its projects (with none selected, its only one; with several,
    /// exit 2 naming them; another project: exit 7).
    pub fn project_for(&self, arg: &ProjectArg, vault: &mut Vault) -> Result<Option<String>> {
        restrict_project(self.project(arg)?, vault)
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
        if store.dir_is_shared() {
            crate::output::warn(&format!(
                "the directory of {} is writable by other users, who could replace the vault \
                 or its backup, lock and audit files; run `chmod 700` on it or move the vault",
                store.path().display()
            ));
        }
        Ok(())
    }

    /// The passphrase from VAULT_PASSPHRASE, a passphrase file, or a hidden prompt.
    pub fn passphrase(&self, prompt: &str) -> Result<SecretString> {
        if let Some(passphrase) = non_empty_env("VAULT_PASSPHRASE") {
            return Ok(SecretString::new(passphrase));
        }
        if let Some(path) = &self.passphrase_file {
            return read_passphrase_file(path);
        }
        if std::io::stdin().is_terminal() {
            return prompt_hidden(prompt);
        }
        Err(no_key_source())
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

    /// The project and the environment, reading `.vault.toml` at most once.
    pub fn project_and_environment(
        &self,
        project: &ProjectArg,
        environment: &EnvironmentArg,
    ) -> Result<(Option<String>, Option<Environment>)> {
        let given = |v: &Option<String>| v.as_deref().is_some_and(|v| !v.is_empty());
        let needs_file = !given(&project.project)
            || !(given(&environment.environment) || non_empty_env("VAULT_ENVIRONMENT").is_some());
        let file = match needs_file {
            true => find_project_file()?.map(|(_, file)| file),
            false => None,
        };
        let project = project_from(project, file.as_ref())?;
        let environment = environment_from(environment, file.as_ref(), || {
            crate::branch::current().name.as_deref()
        })?;
        Ok((project, environment))
    }

    /// The project: `-p`, VAULT_PROJECT, or `project` in the nearest `.vault.toml`.
    pub fn project(&self, arg: &ProjectArg) -> Result<Option<String>> {
        match arg.project.as_deref().filter(|p| !p.is_empty()) {
            Some(_) => project_from(arg, None),
            None => project_from(arg, find_project_file()?.map(|(_, file)| file).as_ref()),
        }
    }
}

/// The environment: `-E`, VAULT_ENVIRONMENT, the first `[branches]` pattern
/// of `.vault.toml` matching the current branch, its `environment`; else none.
/// `branch` is asked only when `[branches]` has to be consulted.
pub fn environment_from<'b>(
    arg: &EnvironmentArg,
    file: Option<&ProjectFile>,
    branch: impl FnOnce() -> Option<&'b str>,
) -> Result<Option<Environment>> {
    let variable = non_empty_env("VAULT_ENVIRONMENT");
    choose_environment(arg.environment.as_deref(), variable, file, branch)
}

fn choose_environment<'b>(
    flag: Option<&str>,
    variable: Option<String>,
    file: Option<&ProjectFile>,
    branch: impl FnOnce() -> Option<&'b str>,
) -> Result<Option<Environment>> {
    let selected = |name: String, source| {
        validate::name("environment", &name)?;
        Ok(Some(Environment { name, source }))
    };
    if let Some(name) = flag {
        return selected(name.to_owned(), EnvironmentSource::Flag);
    }
    if let Some(name) = variable {
        return selected(name, EnvironmentSource::Variable);
    }
    let Some(file) = file else {
        return Ok(None);
    };
    if !file.branches.is_empty()
        && let Some(branch) = branch()
        && let Some((pattern, name)) = file
            .branches
            .iter()
            .find(|(pattern, _)| glob::matches(pattern, branch))
    {
        let source = EnvironmentSource::Branch {
            pattern: pattern.clone(),
            branch: branch.to_owned(),
        };
        return selected(name.clone(), source);
    }
    match &file.environment {
        Some(name) => selected(name.clone(), EnvironmentSource::File),
        None => Ok(None),
    }
}

/// `selected` as the member who opened `vault` may use it (see `Context::project_for`).
pub fn restrict_project(selected: Option<String>, vault: &mut Vault) -> Result<Option<String>> {
    restrict(selected, &vault.unlock()?)
}

/// `selected` as the member with `access` may use it: for
/// `Vault::open_resolving`, which learns who opened the vault as it reads.
pub fn restrict(selected: Option<String>, access: &Access) -> Result<Option<String>> {
    let Some(projects) = &access.projects else {
        return Ok(selected);
    };
    match selected {
        Some(project) if projects.contains(&project) => Ok(Some(project)),
        Some(project) => Err(Error::denied(format!(
            "this project member may act in {} only, not in project '{project}'",
            projects.join(", ")
        ))),
        None if projects.len() == 1 => Ok(projects.first().cloned()),
        None => Err(Error::usage(format!(
            "this project member holds several projects ({}): choose one with -p",
            projects.join(", ")
        ))),
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

/// The nearest `.vault.toml` in the working directory or its ancestors. A file owned
/// by another user (one planted in a shared /tmp, say) is skipped with a warning, as
/// git skips repositories it does not trust (`safe.directory`).
pub fn find_project_file() -> Result<Option<(PathBuf, ProjectFile)>> {
    let cwd = std::env::current_dir()
        .map_err(|e| Error::failure(format!("cannot read the working directory: {e}")))?;
    for dir in cwd.ancestors() {
        let path = dir.join(PROJECT_FILE);
        if !path.is_file() {
            continue;
        }
        if !owned_by_us(&path) {
            crate::output::warn(&format!(
                "ignoring {}: it belongs to another user",
                path.display()
            ));
            continue;
        }
        let file = read_project_file(&path)?;
        return Ok(Some((path, file)));
    }
    Ok(None)
}

fn owned_by_us(path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).is_ok_and(|m| m.uid() == nix::unistd::geteuid().as_raw())
}

fn read_project_file(path: &Path) -> Result<ProjectFile> {
    let text = std::fs::read_to_string(path).map_err(|err| Error::io("read", path, err))?;
    let invalid = |why: &str| {
        Error::usage(format!("{} is invalid: {why}", path.display())).with_hint(
            "it holds `project = \"NAME\"` and optionally `secrets = [\"a\", \"b\"]`, \
             `environment = \"E\"` and a `[branches]` table of \"GLOB\" = \"E\"",
        )
    };
    let file: ProjectFile = toml::from_str(&text).map_err(|err| invalid(err.message()))?;
    let checked = file
        .environment
        .iter()
        .try_for_each(|name| validate::name("environment", name))
        .and_then(|()| {
            file.branches.iter().try_for_each(|(pattern, name)| {
                glob::validate(pattern)?;
                validate::name("environment", name)
            })
        });
    checked.map_err(|err| invalid(&err.message))?;
    Ok(file)
}

/// A TOML table as (key, string value) pairs in the file's order.
fn ordered_pairs<'de, D>(deserializer: D) -> std::result::Result<Vec<(String, String)>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    use serde::de::Error as _;
    let table = toml::Table::deserialize(deserializer)?;
    table
        .into_iter()
        .map(|(key, value)| match value {
            toml::Value::String(name) => Ok((key, name)),
            other => Err(D::Error::custom(format!(
                "[branches] \"{key}\" must name an environment as a string, not a {}",
                other.type_str()
            ))),
        })
        .collect()
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

/// The identities in an age identity file or an unencrypted OpenSSH key.
fn read_identity_file(path: &Path) -> Result<KeySource> {
    let text = zeroize::Zeroizing::new(std::fs::read_to_string(path).map_err(|err| {
        Error::auth(format!(
            "cannot read identity file {}: {err}",
            path.display()
        ))
    })?);
    identities(&text, &path.display().to_string())
}

fn identities(text: &str, origin: &str) -> Result<KeySource> {
    Ok(KeySource::Identities {
        identities: crate::vault::members::parse_identities(text, origin)?,
        origin: origin.to_owned(),
    })
}

/// `<config dir>/vault/identity.txt` (where `vault keygen` writes) and `~/.ssh/id_ed25519`.
pub fn default_identity_files() -> Vec<PathBuf> {
    let Some(dirs) = directories::BaseDirs::new() else {
        return Vec::new();
    };
    vec![
        default_identity_path(&dirs),
        dirs.home_dir().join(".ssh").join("id_ed25519"),
    ]
}

pub fn default_identity_path(dirs: &directories::BaseDirs) -> PathBuf {
    dirs.config_dir().join("vault").join("identity.txt")
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
        "set VAULT_SESSION (eval \"$(vault unlock)\"), VAULT_IDENTITY, VAULT_IDENTITY_FILE (or pass --identity PATH), \
         VAULT_PASSPHRASE or VAULT_PASSPHRASE_FILE (or pass --passphrase-file PATH), or run on a terminal to be asked",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> ProjectFile {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(PROJECT_FILE);
        std::fs::write(&path, text).unwrap();
        read_project_file(&path).unwrap()
    }

    fn chosen(
        flag: Option<&str>,
        variable: Option<&str>,
        file: Option<&ProjectFile>,
        branch: Option<&str>,
    ) -> Option<(String, EnvironmentSource)> {
        choose_environment(flag, variable.map(str::to_owned), file, || branch)
            .unwrap()
            .map(|e| (e.name, e.source))
    }

    const FILE: &str = r#"
project = "blue"
environment = "dev"
[branches]
"release/*" = "staging"
"main" = "prod"
"*" = "preview"
"#;

    #[test]
    fn each_source_wins_over_the_later_ones() {
        let file = file(FILE);
        let f = Some(&file);
        let branch = |pattern: &str, branch: &str| EnvironmentSource::Branch {
            pattern: pattern.into(),
            branch: branch.into(),
        };
        assert_eq!(
            chosen(Some("a"), Some("b"), f, Some("main")),
            Some(("a".into(), EnvironmentSource::Flag))
        );
        assert_eq!(
            chosen(None, Some("b"), f, Some("main")),
            Some(("b".into(), EnvironmentSource::Variable))
        );
        assert_eq!(
            chosen(None, None, f, Some("main")),
            Some(("prod".into(), branch("main", "main")))
        );
        assert_eq!(
            chosen(None, None, f, Some("release/2")),
            Some(("staging".into(), branch("release/*", "release/2")))
        );
        assert_eq!(
            chosen(None, None, f, Some("feature/x")),
            Some(("preview".into(), branch("*", "feature/x")))
        );
        assert_eq!(
            chosen(None, None, f, None),
            Some(("dev".into(), EnvironmentSource::File))
        );
        assert_eq!(chosen(None, None, None, Some("main")), None);
        assert_eq!(
            chosen(None, None, Some(&ProjectFile::default()), None),
            None
        );
    }

    #[test]
    fn the_branch_is_looked_up_only_when_branches_are_consulted() {
        let file = file(FILE);
        let asked = std::cell::Cell::new(false);
        let branch = || {
            asked.set(true);
            Some("main")
        };
        choose_environment(Some("x"), None, Some(&file), branch).unwrap();
        assert!(!asked.get());
        let plain = ProjectFile::default();
        choose_environment(None, None, Some(&plain), || {
            asked.set(true);
            None
        })
        .unwrap();
        assert!(!asked.get());
    }

    #[test]
    fn the_first_matching_pattern_wins_in_file_order() {
        let file = file("[branches]\n\"*\" = \"any\"\n\"main\" = \"prod\"\n");
        assert_eq!(
            chosen(None, None, Some(&file), Some("main")).unwrap().0,
            "any"
        );
    }

    #[test]
    fn bad_names_are_usage_errors() {
        assert_eq!(
            choose_environment(Some("bad name"), None, None, || None)
                .unwrap_err()
                .exit_code(),
            2
        );
        assert_eq!(
            choose_environment(Some(""), None, None, || None)
                .unwrap_err()
                .exit_code(),
            2
        );
    }

    #[test]
    fn bad_project_files_are_refused_naming_the_problem() {
        for (text, says) in [
            ("environment = \"no way\"", "environment name"),
            ("[branches]\n\"main\" = \"bad env\"", "environment name"),
            ("[branches]\n\"\" = \"prod\"", "branch glob is empty"),
            ("[branches]\n\"a b\" = \"prod\"", "whitespace"),
            ("[branches]\n\"main\" = 1", "as a string"),
            ("environments = \"dev\"", "unknown field"),
        ] {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join(PROJECT_FILE);
            std::fs::write(&path, text).unwrap();
            let err = read_project_file(&path).unwrap_err();
            assert_eq!(err.exit_code(), 2, "{text}");
            assert!(err.message.contains(says), "{text}: {}", err.message);
        }
    }
}
