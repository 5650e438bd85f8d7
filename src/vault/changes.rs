//! A change to one secret, as `create`, `update` and `import` express it:
//! validated as a whole before anything is applied, so a bad flag anywhere
//! leaves the vault untouched.

use std::collections::HashSet;
use std::fs;
use std::io::Read;

use crate::error::{Error, Result};
use crate::secret::{SecretBytes, SecretString};
use crate::vault::model::{Metadata, Scope, Secret};
use crate::vault::{actor, validate};

#[derive(Debug, Default)]
pub struct SecretChange {
    pub set_env: Vec<(String, SecretString)>,
    pub unset_env: Vec<String>,
    pub set_files: Vec<(String, SecretBytes)>,
    pub remove_files: Vec<String>,
    pub description: Option<String>,
    /// Replaces the allow-list when given (org-level secrets only).
    pub allowed_projects: Option<Vec<String>>,
}

/// One `-e` argument: `KEY=VALUE`, or `KEY` whose value is asked for.
#[derive(Debug)]
pub enum EnvArg {
    Assign(String, SecretString),
    Ask(String),
}

impl EnvArg {
    pub fn parse(arg: &str) -> Result<EnvArg> {
        let parsed = match arg.split_once('=') {
            Some((key, value)) => EnvArg::Assign(key.to_owned(), SecretString::from(value)),
            None => EnvArg::Ask(arg.to_owned()),
        };
        let key = match &parsed {
            EnvArg::Assign(key, _) | EnvArg::Ask(key) => key,
        };
        if key.is_empty() {
            return Err(Error::usage(
                "-e needs a variable name: write -e KEY=VALUE, or -e KEY to be asked for the value",
            ));
        }
        validate::env_key(key)?;
        Ok(parsed)
    }
}

/// Reads `-f LOCAL:DEST`: the local file's bytes for destination DEST.
pub fn read_file_arg(arg: &str) -> Result<(String, SecretBytes)> {
    let (local, dest) = arg.split_once(':').ok_or_else(|| {
        Error::usage(format!("-f '{arg}' has no ':'")).with_hint("write -f LOCAL_PATH:DESTINATION")
    })?;
    if local.is_empty() {
        return Err(Error::usage(format!("-f '{arg}' has no local path")));
    }
    validate::destination(dest)?;
    let refuse = |why: String| Error::usage(format!("cannot use '{local}' for '{dest}': {why}"));
    let meta = fs::metadata(local).map_err(|e| refuse(e.to_string()))?;
    if !meta.is_file() {
        return Err(refuse("not a regular file".into()));
    }
    validate::file_size(dest, meta.len() as usize)?;
    let mut contents = Vec::with_capacity(meta.len() as usize);
    fs::File::open(local)
        .and_then(|f| {
            f.take(validate::MAX_FILE_BYTES as u64 + 1)
                .read_to_end(&mut contents)
        })
        .map_err(|e| refuse(e.to_string()))?;
    let contents = SecretBytes::new(contents);
    validate::file_size(dest, contents.len())?;
    Ok((dest.to_owned(), contents))
}

impl SecretChange {
    /// Checks every rule before anything is applied.
    pub fn validate(&self, scope: &Scope) -> Result<()> {
        let mut seen = HashSet::new();
        for (key, value) in &self.set_env {
            validate::env_key(key)?;
            validate::env_value(key, value.expose())?;
            if !seen.insert(key.as_str()) {
                return Err(Error::usage(format!(
                    "variable {key} is given more than once"
                )));
            }
        }
        for key in &self.unset_env {
            validate::env_key(key)?;
        }
        let mut dests = HashSet::new();
        for (dest, contents) in &self.set_files {
            validate::destination(dest)?;
            validate::file_size(dest, contents.len())?;
            if !dests.insert(dest.as_str()) {
                return Err(Error::usage(format!(
                    "file destination '{dest}' is given more than once"
                )));
            }
        }
        if let Some(projects) = &self.allowed_projects {
            if let Scope::Project(project) = scope {
                return Err(Error::usage(format!(
                    "--allow-project applies to org-level secrets; this secret belongs to project '{project}'"
                )));
            }
            for project in projects {
                validate::name("project", project)?;
            }
        }
        Ok(())
    }

    /// A new secret made of this change, stamped with who created it and when.
    pub fn create(self, scope: &Scope) -> Result<Secret> {
        let (by, at) = (actor::current(), actor::now());
        let mut secret = Secret {
            rotated_at: at.clone(),
            meta: Metadata {
                created_at: at.clone(),
                created_by: by.clone(),
                updated_at: at,
                updated_by: by,
            },
            ..Secret::default()
        };
        self.apply_fields(&mut secret, scope)?;
        Ok(secret)
    }

    /// Applies this change to an existing secret and stamps the update.
    pub fn apply(self, secret: &mut Secret, scope: &Scope) -> Result<()> {
        let (env, files) = (secret.env.clone(), secret.files.clone());
        self.apply_fields(secret, scope)?;
        secret.meta.updated_at = actor::now();
        if secret.env != env || secret.files != files {
            secret.rotated_at = secret.meta.updated_at.clone();
        }
        secret.meta.updated_by = actor::current();
        Ok(())
    }

    fn apply_fields(self, secret: &mut Secret, scope: &Scope) -> Result<()> {
        self.validate(scope)?;
        for key in &self.unset_env {
            let before = secret.env.len();
            secret.env.retain(|var| &var.name != key);
            if secret.env.len() == before {
                return Err(Error::not_found(format!(
                    "the secret has no variable {key}"
                )));
            }
        }
        for dest in &self.remove_files {
            let before = secret.files.len();
            secret.files.retain(|file| &file.path != dest);
            if secret.files.len() == before {
                return Err(Error::not_found(format!("the secret has no file '{dest}'")));
            }
        }
        for (key, value) in self.set_env {
            secret.set_env(&key, value);
        }
        for (dest, contents) in self.set_files {
            secret.set_file(&dest, contents);
        }
        if let Some(description) = self.description {
            secret.description = description;
        }
        if let Some(projects) = self.allowed_projects {
            secret.allowed_projects = projects;
        }
        Ok(())
    }
}
