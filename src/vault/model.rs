//! The decrypted contents of a vault: org-level and project-level secrets, and
//! the rules that tie them together (scopes, precedence, allow-lists).

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::secret::{SecretBytes, SecretString};

/// The secrets of one scope (org level or one project), by name and environment.
pub type Secrets = BTreeMap<SecretId, Secret>;

/// Everything inside the ciphertext of a vault file.
#[derive(Debug, Default, Clone, Serialize, Deserialize, PartialEq)]
pub struct Payload {
    /// Org-level secrets.
    pub org: Secrets,
    /// Project-level secrets: project name → its secrets.
    pub projects: BTreeMap<String, Secrets>,
}

/// A secret's address within its scope: its name and, optionally, the
/// environment of this variant. A secret is unique per (scope, environment);
/// the variants of one name sort together, the one of no environment first.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SecretId {
    pub name: String,
    pub environment: Option<String>,
}

impl SecretId {
    pub fn new(name: &str, environment: Option<&str>) -> SecretId {
        SecretId {
            name: name.to_owned(),
            environment: environment.map(str::to_owned),
        }
    }

    /// The variant of no environment.
    pub fn plain(name: &str) -> SecretId {
        SecretId::new(name, None)
    }
}

/// A name alone addresses the variant of no environment.
impl From<&str> for SecretId {
    fn from(name: &str) -> SecretId {
        SecretId::plain(name)
    }
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
    /// Branch globs the current branch must match for values to be used;
    /// empty means every branch.
    pub allowed_branches: Vec<String>,
    /// How often the values should change; `None`: never due.
    pub rotate_every: Option<Duration>,
    /// When a value or file last changed (RFC 3339 UTC; creation counts).
    pub rotated_at: String,
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

/// A secret found by a lookup, with the scope and environment it came from.
pub struct Found<'a> {
    pub name: &'a str,
    pub scope: Scope,
    pub environment: Option<&'a str>,
    pub secret: &'a Secret,
}

impl<'a> Found<'a> {
    fn new(scope: Scope, (id, secret): (&'a SecretId, &'a Secret)) -> Found<'a> {
        Found {
            name: &id.name,
            scope,
            environment: id.environment.as_deref(),
            secret,
        }
    }
}

impl Payload {
    pub fn scope(&self, scope: &Scope) -> Option<&Secrets> {
        match scope {
            Scope::Org => Some(&self.org),
            Scope::Project(name) => self.projects.get(name),
        }
    }

    /// The secrets of one scope, created on demand for a new project.
    pub fn scope_mut(&mut self, scope: &Scope) -> &mut Secrets {
        match scope {
            Scope::Org => &mut self.org,
            Scope::Project(name) => self.projects.entry(name.clone()).or_default(),
        }
    }

    /// The secret stored exactly at `scope` and `id` (no fallback).
    pub fn get_exact(&self, scope: &Scope, id: &SecretId) -> Result<&Secret> {
        self.scope(scope)
            .and_then(|secrets| secrets.get(id))
            .ok_or_else(|| not_found(scope, id))
    }

    pub fn get_exact_mut(&mut self, scope: &Scope, id: &SecretId) -> Result<&mut Secret> {
        let secret = match scope {
            Scope::Org => self.org.get_mut(id),
            Scope::Project(project) => self.projects.get_mut(project).and_then(|s| s.get_mut(id)),
        };
        secret.ok_or_else(|| not_found(scope, id))
    }

    /// Removes a secret, dropping a project that has no secrets left.
    pub fn remove(&mut self, scope: &Scope, id: &SecretId) -> Result<Secret> {
        let removed = self.scope_mut(scope).remove(id);
        if let Scope::Project(project) = scope
            && self.projects.get(project).is_some_and(BTreeMap::is_empty)
        {
            self.projects.remove(project);
        }
        removed.ok_or_else(|| not_found(scope, id))
    }

    /// The secret that `name` means for `project` in `environment`, by
    /// precedence: the project's own variant in the environment, the
    /// project's own, the org's in the environment, the org's. The first that
    /// exists wins whole; `None` if none does. Allow-lists are not checked.
    fn winner(
        &self,
        project: Option<&str>,
        environment: Option<&str>,
        name: &str,
    ) -> Option<Found<'_>> {
        let own = project.and_then(|p| Some((Scope::Project(p.to_owned()), self.projects.get(p)?)));
        let levels = own.into_iter().chain([(Scope::Org, &self.org)]);
        let mut candidates = levels.flat_map(|(scope, secrets)| {
            let variants = environment.into_iter().map(Some).chain([None]);
            variants.filter_map(move |env| {
                let found = secrets.get_key_value(&SecretId::new(name, env))?;
                Some(Found::new(scope.clone(), found))
            })
        });
        candidates.next()
    }

    /// Resolves `name` as `project` sees it in `environment` (see `winner`); an
    /// org secret that wins but whose allow-list excludes the project: exit 7.
    pub fn resolve(
        &self,
        project: Option<&str>,
        environment: Option<&str>,
        name: &str,
    ) -> Result<Found<'_>> {
        let found = self
            .winner(project, environment, name)
            .ok_or_else(|| match project {
                Some(project) => Error::not_found(format!(
                    "secret '{name}' not found in project '{project}' or at org level"
                )),
                None => not_found(&Scope::Org, &SecretId::new(name, environment)),
            })?;
        if let Some(project) = project
            && found.scope == Scope::Org
            && !found.secret.allows(project)
        {
            return Err(Error::denied(format!(
                "org secret '{name}' is not available to project '{project}': its allow-list excludes it"
            ))
            .with_hint(format!(
                "add the project with `vault update secret {name} --allow-project {project} ...`"
            )));
        }
        Ok(found)
    }

    /// Every secret `project` can see in `environment`: each name resolved by
    /// precedence, org level first then its own; an org secret that wins but
    /// that the project may not see is left out.
    pub fn visible_to(&self, project: Option<&str>, environment: Option<&str>) -> Vec<Found<'_>> {
        let relevant =
            |id: &&SecretId| id.environment.is_none() || id.environment.as_deref() == environment;
        let own = project.and_then(|p| self.projects.get(p));
        let mut names: Vec<&str> = self
            .org
            .keys()
            .chain(own.into_iter().flat_map(BTreeMap::keys))
            .filter(relevant)
            .map(|id| id.name.as_str())
            .collect();
        names.sort_unstable();
        names.dedup();
        let mut found: Vec<Found> = names
            .into_iter()
            .filter_map(|name| self.winner(project, environment, name))
            .filter(|f| f.scope != Scope::Org || project.is_none_or(|p| f.secret.allows(p)))
            .collect();
        // Org level first, then the project's own, each by name.
        found.sort_by_key(|f| f.scope != Scope::Org);
        found
    }

    /// Every secret in the vault, org level first, then projects by name.
    pub fn all(&self) -> Vec<Found<'_>> {
        let org = self.org.iter().map(|entry| Found::new(Scope::Org, entry));
        let projects = self.projects.iter().flat_map(|(project, secrets)| {
            secrets
                .iter()
                .map(move |entry| Found::new(Scope::Project(project.clone()), entry))
        });
        org.chain(projects).collect()
    }
}

fn not_found(scope: &Scope, id: &SecretId) -> Error {
    let name = &id.name;
    let hint = match scope {
        Scope::Org => "list secrets with `vault get secrets`".to_owned(),
        Scope::Project(p) => format!("list them with `vault get secrets -p {p}`"),
    };
    let mut place = match scope {
        Scope::Org => "at org level".to_owned(),
        Scope::Project(p) => format!("in project '{p}'"),
    };
    if let Some(environment) = &id.environment {
        place.push_str(&format!(" in environment '{environment}'"));
    }
    Error::not_found(format!("secret '{name}' not found {place}")).with_hint(hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tagged(tag: &str) -> Secret {
        Secret {
            description: tag.to_owned(),
            ..Secret::default()
        }
    }

    fn sample() -> Payload {
        let mut payload = Payload::default();
        let blue = Scope::Project("blue".into());
        for (scope, env, tag) in [
            (&Scope::Org, None, "org"),
            (&Scope::Org, Some("prod"), "org/prod"),
            (&blue, None, "blue"),
            (&blue, Some("dev"), "blue/dev"),
        ] {
            payload
                .scope_mut(scope)
                .insert(SecretId::new("db", env), tagged(tag));
        }
        payload
    }

    fn winner(payload: &Payload, project: Option<&str>, env: Option<&str>) -> String {
        let found = payload.resolve(project, env, "db").unwrap();
        found.secret.description.clone()
    }

    #[test]
    fn precedence_tries_each_level_in_the_environment_first() {
        let payload = sample();
        assert_eq!(winner(&payload, Some("blue"), Some("dev")), "blue/dev");
        assert_eq!(winner(&payload, Some("blue"), Some("prod")), "blue");
        assert_eq!(winner(&payload, Some("red"), Some("prod")), "org/prod");
        assert_eq!(winner(&payload, Some("red"), Some("dev")), "org");
        assert_eq!(winner(&payload, None, None), "org");
    }

    #[test]
    fn visible_to_lists_each_name_once_by_its_winner() {
        let payload = sample();
        let found = payload.visible_to(Some("blue"), Some("dev"));
        let tags: Vec<_> = found
            .iter()
            .map(|f| f.secret.description.as_str())
            .collect();
        assert_eq!(tags, ["blue/dev"]);
        assert_eq!(found[0].environment, Some("dev"));
        let found = payload.visible_to(None, Some("prod"));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].secret.description, "org/prod");
    }

    #[test]
    fn a_denied_org_winner_is_exit_7_and_left_out() {
        let mut payload = sample();
        let org = payload.org.get_mut(&SecretId::plain("db")).unwrap();
        org.allowed_projects = vec!["blue".into()];
        let err = payload.resolve(Some("red"), None, "db").err().unwrap();
        assert_eq!(err.exit_code(), 7);
        assert!(payload.visible_to(Some("red"), None).is_empty());
    }
}
