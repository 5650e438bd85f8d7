//! What `vault exec` injects: which secrets are selected, the variables and
//! files they contribute in order, and which of them a later secret overrode.

use crate::error::Result;
use crate::secret::{SecretBytes, SecretString};
use crate::vault::model::{Found, Payload, Scope};

/// The selected secrets' contributions, after precedence.
#[derive(Debug, Default)]
pub struct Plan {
    /// The secrets injected, in order.
    pub secrets: Vec<Source>,
    pub vars: Vec<PlannedVar>,
    pub files: Vec<PlannedFile>,
    /// Keys and destinations set by two secrets: the later one won.
    pub overrides: Vec<Override>,
}

/// A secret by name and scope, as the plan reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub name: String,
    pub scope: Scope,
}

impl Source {
    /// "'aws' (org)" or "'db' (project blue)".
    pub fn describe(&self) -> String {
        match &self.scope {
            Scope::Org => format!("'{}' (org)", self.name),
            Scope::Project(project) => format!("'{}' (project {project})", self.name),
        }
    }
}

#[derive(Debug)]
pub struct PlannedVar {
    pub key: String,
    pub value: SecretString,
    pub from: Source,
}

#[derive(Debug)]
pub struct PlannedFile {
    pub destination: String,
    pub contents: SecretBytes,
    pub from: Source,
}

#[derive(Debug)]
pub struct Override {
    /// "variable KEY" or "file DEST".
    pub what: String,
    pub loser: Source,
    pub winner: Source,
}

/// Selects secrets: the names given (`-s`, else `.vault.toml`) in order, else
/// (`None`) everything visible to the project. A named secret must resolve
/// (exit 3) and be allowed (exit 7); unnamed org secrets that deny the project
/// are left out. An empty list names no secret.
pub fn select<'a>(
    payload: &'a Payload,
    project: Option<&str>,
    names: Option<&[String]>,
) -> Result<Vec<Found<'a>>> {
    let Some(names) = names else {
        return Ok(payload.visible_to(project));
    };
    // A name given twice (`-s a -s a`) is injected once, at its first place.
    let mut seen = std::collections::HashSet::new();
    names
        .iter()
        .filter(|name| seen.insert(name.as_str()))
        .map(|name| payload.resolve(project, name))
        .collect()
}

/// Merges the selected secrets in order: when two set one key (or file), the later wins.
pub fn build(selected: &[Found]) -> Plan {
    let mut plan = Plan::default();
    for found in selected {
        let from = Source {
            name: found.name.to_owned(),
            scope: found.scope.clone(),
        };
        for var in &found.secret.env {
            let planned = PlannedVar {
                key: var.name.clone(),
                value: var.value.clone(),
                from: from.clone(),
            };
            match plan.vars.iter_mut().find(|v| v.key == var.name) {
                Some(existing) => {
                    plan.overrides.push(Override {
                        what: format!("variable {}", var.name),
                        loser: existing.from.clone(),
                        winner: from.clone(),
                    });
                    *existing = planned;
                }
                None => plan.vars.push(planned),
            }
        }
        for file in &found.secret.files {
            let planned = PlannedFile {
                destination: file.path.clone(),
                contents: file.contents.clone(),
                from: from.clone(),
            };
            match plan.files.iter_mut().find(|f| f.destination == file.path) {
                Some(existing) => {
                    plan.overrides.push(Override {
                        what: format!("file {}", file.path),
                        loser: existing.from.clone(),
                        winner: from.clone(),
                    });
                    *existing = planned;
                }
                None => plan.files.push(planned),
            }
        }
        plan.secrets.push(from);
    }
    plan
}

impl Plan {
    /// Every value the child could print: variables and file contents, as
    /// bytes (a file need not be UTF-8), without a file's final newline, so
    /// that masking keeps the line break.
    pub fn values_to_mask(&self) -> Vec<&[u8]> {
        let vars = self.vars.iter().map(|v| v.value.expose().as_bytes());
        let files = self
            .files
            .iter()
            .map(|f| trim_newlines(f.contents.expose()));
        vars.chain(files).collect()
    }
}

fn trim_newlines(mut bytes: &[u8]) -> &[u8] {
    while let [rest @ .., b'\n' | b'\r'] = bytes {
        bytes = rest;
    }
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vault::model::Secret;

    fn secret(vars: &[(&str, &str)]) -> Secret {
        let mut secret = Secret::default();
        for (k, v) in vars {
            secret.set_env(k, SecretString::from(*v));
        }
        secret
    }

    #[test]
    fn later_secret_wins_and_the_override_is_reported() {
        let mut payload = Payload::default();
        payload
            .org
            .insert("a".into(), secret(&[("K", "1"), ("A", "x")]));
        payload.org.insert("b".into(), secret(&[("K", "2")]));
        let selected = select(&payload, None, Some(&["a".into(), "b".into()])).unwrap();
        let plan = build(&selected);
        let k = plan.vars.iter().find(|v| v.key == "K").unwrap();
        assert_eq!(k.value.expose(), "2");
        assert_eq!(plan.vars[0].key, "K", "the key keeps its first place");
        assert_eq!(plan.overrides.len(), 1);
        assert_eq!(plan.overrides[0].winner.name, "b");
    }

    #[test]
    fn a_name_given_twice_is_injected_once() {
        let mut payload = Payload::default();
        payload.org.insert("a".into(), secret(&[("K", "1")]));
        let names = ["a".to_owned(), "a".to_owned()];
        let plan = build(&select(&payload, None, Some(&names)).unwrap());
        assert_eq!(plan.secrets.len(), 1);
        assert!(plan.overrides.is_empty());
    }

    #[test]
    fn project_secret_overrides_org_secret_of_the_same_name() {
        let mut payload = Payload::default();
        payload.org.insert("db".into(), secret(&[("URL", "org")]));
        payload
            .scope_mut(&Scope::Project("blue".into()))
            .insert("db".into(), secret(&[("URL", "blue")]));
        let plan = build(&select(&payload, Some("blue"), None).unwrap());
        assert_eq!(plan.secrets.len(), 1);
        assert_eq!(plan.vars[0].value.expose(), "blue");
    }

    #[test]
    fn allow_lists_leave_out_or_deny() {
        let mut payload = Payload::default();
        let mut restricted = secret(&[("K", "v")]);
        restricted.allowed_projects = vec!["red".into()];
        payload.org.insert("r".into(), restricted);
        assert!(select(&payload, Some("blue"), None).unwrap().is_empty());
        let err = select(&payload, Some("blue"), Some(&["r".into()]))
            .err()
            .unwrap();
        assert_eq!(err.exit_code(), 7);
        let err = select(&payload, Some("blue"), Some(&["missing".into()]))
            .err()
            .unwrap();
        assert_eq!(err.exit_code(), 3);
    }
}
