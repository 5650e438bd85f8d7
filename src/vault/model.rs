//! The decrypted contents of a vault: org-level and project-level secrets, and
//! the rules that tie them together (scopes, precedence, allow-lists).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::secret::{SecretBytes, SecretString};

/// Everything inside the ciphertext of a vault file.
#[derive(Debug, Default, Clone, Serialize, Deserialize, PartialEq)]
pub struct Payload {
    /// Org-level secrets by name.
    pub org: BTreeMap<String, Secret>,
    /// Project-level secrets: project name → secret name → secret.
    pub projects: BTreeMap<String, BTreeMap<String, Secret>>,
}

#[derive(Debug, Default, Clone, Serialize, Deserialize, PartialEq)]
pub struct Secret {
    /// Ordered environment variables.
    pub env: Vec<EnvVar>,
    /// Files by destination, in insertion order.
    pub files: Vec<SecretFile>,
    pub description: String,
    /// Projects allowed to see an org-level secret; empty means every project.
    pub allowed_projects: Vec<String>,
    pub meta: Metadata,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct EnvVar {
    pub name: String,
    pub value: SecretString,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SecretFile {
    pub path: String,
    pub contents: SecretBytes,
}

/// Who changed a secret and when (RFC 3339 UTC, `user@host`).
#[derive(Debug, Default, Clone, Serialize, Deserialize, PartialEq)]
pub struct Metadata {
    pub created_at: String,
    pub created_by: String,
    pub updated_at: String,
    pub updated_by: String,
}

/// Where a secret lives: at org level or in one project.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    Org,
    Project(String),
}

impl Scope {
    pub fn from_project(project: Option<&str>) -> Scope {
        match project {
            Some(name) => Scope::Project(name.to_owned()),
            None => Scope::Org,
        }
    }

    pub fn project(&self) -> Option<&str> {
        match self {
            Scope::Org => None,
            Scope::Project(name) => Some(name),
        }
    }

    /// "org" or "project", as in the JSON output.
    pub fn label(&self) -> &'static str {
        match self {
            Scope::Org => "org",
            Scope::Project(_) => "project",
        }
    }

    /// Human wording: "org" or "project 'blue'".
    pub fn describe(&self) -> String {
        match self {
            Scope::Org => "org".to_owned(),
            Scope::Project(name) => format!("project '{name}'"),
        }
    }
}

impl Secret {
    pub fn env_var(&self, name: &str) -> Option<&EnvVar> {
        self.env.iter().find(|var| var.name == name)
    }

    /// Sets a variable, keeping its place if it exists, else appending it.
    pub fn set_env(&mut self, name: &str, value: SecretString) {
        match self.env.iter_mut().find(|var| var.name == name) {
            Some(var) => var.value = value,
            None => self.env.push(EnvVar {
                name: name.to_owned(),
                value,
            }),
        }
    }

    /// Sets a file, keeping its place if the destination exists, else appending it.
    pub fn set_file(&mut self, path: &str, contents: SecretBytes) {
        match self.files.iter_mut().find(|file| file.path == path) {
            Some(file) => file.contents = contents,
            None => self.files.push(SecretFile {
                path: path.to_owned(),
                contents,
            }),
        }
    }

    pub fn allows(&self, project: &str) -> bool {
        self.allowed_projects.is_empty() || self.allowed_projects.iter().any(|p| p == project)
    }
}

/// A secret found by a lookup, with the scope it came from.
pub struct Found<'a> {
    pub name: &'a str,
    pub scope: Scope,
    pub secret: &'a Secret,
}

impl Payload {
    pub fn scope(&self, scope: &Scope) -> Option<&BTreeMap<String, Secret>> {
        match scope {
            Scope::Org => Some(&self.org),
            Scope::Project(name) => self.projects.get(name),
        }
    }

    /// The secrets of one scope, created on demand for a new project.
    pub fn scope_mut(&mut self, scope: &Scope) -> &mut BTreeMap<String, Secret> {
        match scope {
            Scope::Org => &mut self.org,
            Scope::Project(name) => self.projects.entry(name.clone()).or_default(),
        }
    }

    /// The secret stored exactly at `scope` (no fallback to org level).
    pub fn get_exact(&self, scope: &Scope, name: &str) -> Result<&Secret> {
        self.scope(scope)
            .and_then(|secrets| secrets.get(name))
            .ok_or_else(|| not_found(scope, name))
    }

    pub fn get_exact_mut(&mut self, scope: &Scope, name: &str) -> Result<&mut Secret> {
        let secret = match scope {
            Scope::Org => self.org.get_mut(name),
            Scope::Project(project) => self.projects.get_mut(project).and_then(|s| s.get_mut(name)),
        };
        secret.ok_or_else(|| not_found(scope, name))
    }

    /// Removes a secret, dropping a project that has no secrets left.
    pub fn remove(&mut self, scope: &Scope, name: &str) -> Result<Secret> {
        let removed = self.scope_mut(scope).remove(name);
        if let Scope::Project(project) = scope
            && self.projects.get(project).is_some_and(BTreeMap::is_empty)
        {
            self.projects.remove(project);
        }
        removed.ok_or_else(|| not_found(scope, name))
    }

    /// Resolves `name` as `project` sees it: the project's own secret, else the
    /// org-level one, which its allow-list may deny (exit 7).
    pub fn resolve(&self, project: Option<&str>, name: &str) -> Result<Found<'_>> {
        if let Some(project) = project
            && let Some((key, secret)) = self
                .projects
                .get(project)
                .and_then(|s| s.get_key_value(name))
        {
            return Ok(Found {
                name: key,
                scope: Scope::Project(project.to_owned()),
                secret,
            });
        }
        let (key, secret) = self.org.get_key_value(name).ok_or_else(|| match project {
            Some(project) => Error::not_found(format!(
                "secret '{name}' not found in project '{project}' or at org level"
            )),
            None => not_found(&Scope::Org, name),
        })?;
        if let Some(project) = project
            && !secret.allows(project)
        {
            return Err(Error::denied(format!(
                "org secret '{name}' is not available to project '{project}': its allow-list excludes it"
            ))
            .with_hint(format!(
                "add the project with `vault update secret {name} --allow-project {project} ...`"
            )));
        }
        Ok(Found {
            name: key,
            scope: Scope::Org,
            secret,
        })
    }

    /// Every secret `project` can see, org level first then its own; an org
    /// secret it overrides or is not allowed to see is left out.
    pub fn visible_to(&self, project: Option<&str>) -> Vec<Found<'_>> {
        let own = project.and_then(|p| self.projects.get(p));
        let org = self.org.iter().filter(|(name, secret)| {
            let overridden = own.is_some_and(|own| own.contains_key(*name));
            let allowed = project.is_none_or(|p| secret.allows(p));
            !overridden && allowed
        });
        let org = org.map(|(name, secret)| Found {
            name,
            scope: Scope::Org,
            secret,
        });
        let own = own.into_iter().flatten().map(|(name, secret)| Found {
            name,
            scope: Scope::from_project(project),
            secret,
        });
        org.chain(own).collect()
    }

    /// Every secret in the vault, org level first, then projects by name.
    pub fn all(&self) -> Vec<Found<'_>> {
        let org = self.org.iter().map(|(name, secret)| Found {
            name,
            scope: Scope::Org,
            secret,
        });
        let projects = self.projects.iter().flat_map(|(project, secrets)| {
            secrets.iter().map(move |(name, secret)| Found {
                name,
                scope: Scope::Project(project.clone()),
                secret,
            })
        });
        org.chain(projects).collect()
    }
}

fn not_found(scope: &Scope, name: &str) -> Error {
    let hint = match scope {
        Scope::Org => "list secrets with `vault get secrets`".to_owned(),
        Scope::Project(p) => format!("list them with `vault get secrets -p {p}`"),
    };
    let place = match scope {
        Scope::Org => "at org level".to_owned(),
        Scope::Project(p) => format!("in project '{p}'"),
    };
    Error::not_found(format!("secret '{name}' not found {place}")).with_hint(hint)
}
