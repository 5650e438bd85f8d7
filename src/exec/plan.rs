//! What `vault exec` injects: which secrets are selected, the variables and
//! files they contribute in order, and which of them a later secret overrode.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use crate::branch::Branch;
use crate::error::Result;
use crate::secret::{SecretBytes, SecretString};
use crate::vault::model::{Found, Payload, Scope};

/// The selected secrets' contributions, after precedence. It borrows the keys,
/// values and contents from the opened payload: a value is copied once, into the
/// child's environment, not into the plan first.
#[derive(Debug, Default)]
pub struct Plan<'a> {
    /// The secrets injected, in order.
    pub secrets: Vec<Source>,
    pub vars: Vec<PlannedVar<'a>>,
    pub files: Vec<PlannedFile<'a>>,
    /// Keys and destinations set by two secrets: the later one won.
    pub overrides: Vec<Override>,
    /// Where each key is in `vars`.
    var_at: HashMap<&'a str, usize>,
}

/// A secret by name, scope and environment, as the plan reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub name: String,
    pub scope: Scope,
    pub environment: Option<String>,
}

impl Source {
    /// "'aws' (org)", "'db' (project blue)" or "'db' (org, prod)".
    pub fn describe(&self) -> String {
        crate::precedence::label(&self.name, &self.scope, self.environment.as_deref())
    }
}

#[derive(Debug)]
pub struct PlannedVar<'a> {
    pub key: &'a str,
    pub value: &'a SecretString,
    /// The secret it comes from: an index into [`Plan::secrets`].
    pub from: usize,
}

#[derive(Debug)]
pub struct PlannedFile<'a> {
    pub destination: &'a str,
    pub contents: &'a SecretBytes,
    /// The secret it comes from: an index into [`Plan::secrets`].
    pub from: usize,
}

#[derive(Debug)]
pub struct Override {
    /// "variable KEY" or "file DEST".
    pub what: String,
    pub loser: Source,
    pub winner: Source,
}

/// Where a run looks secrets up: the project, the environment and the
/// current branch.
#[derive(Clone, Copy)]
pub struct Lookup<'a> {
    pub project: Option<&'a str>,
    pub environment: Option<&'a str>,
    pub branch: &'a Branch,
}

/// Selects secrets: the names given (`-s`, else `.vault.toml`) in order, else
/// (`None`) everything visible to the project in the environment. A named
/// secret must resolve (exit 3) and be allowed by its allow-list and branch
/// rule (exit 7); unnamed ones that either excludes are left out. An empty
/// list names no secret.
pub fn select<'a>(
    payload: &'a Payload,
    lookup: Lookup,
    names: Option<&[String]>,
) -> Result<Vec<Found<'a>>> {
    let Lookup {
        project,
        environment,
        branch,
    } = lookup;
    let Some(names) = names else {
        return Ok(select_visible(payload, lookup).0);
    };
    // A name given twice (`-s a -s a`) is injected once, at its first place.
    let mut seen = std::collections::HashSet::new();
    names
        .iter()
        .filter(|name| seen.insert(name.as_str()))
        .map(|name| {
            let found = payload.resolve(project, environment, name)?;
            crate::precedence::require_branch(&found, branch)?;
            Ok(found)
        })
        .collect()
}

/// Everything visible to the project in the environment, split by the branch
/// rules: what they allow (`select` with no names), and what they leave out
/// (for `--dry-run` to say so).
pub fn select_visible<'a>(
    payload: &'a Payload,
    lookup: Lookup,
) -> (Vec<Found<'a>>, Vec<Found<'a>>) {
    let branch = lookup.branch.name.as_deref();
    payload
        .visible_to(lookup.project, lookup.environment)
        .into_iter()
        .partition(|found| found.secret.allows_branch(branch))
}

/// Merges the selected secrets in order: when two set one key (or file), the later wins.
/// Each key and destination is looked up in a map of its place in the plan, so
/// the cost grows with the number of variables, not with its square.
pub fn build<'a>(selected: &[Found<'a>]) -> Plan<'a> {
    let var_count = selected.iter().map(|f| f.secret.env.len()).sum();
    let mut plan = Plan {
        secrets: Vec::with_capacity(selected.len()),
        vars: Vec::with_capacity(var_count),
        var_at: HashMap::with_capacity(var_count),
        ..Plan::default()
    };
    let mut file_at: HashMap<&str, usize> = HashMap::new();
    for found in selected {
        let from = plan.secrets.len();
        plan.secrets.push(Source {
            name: found.name.to_owned(),
            scope: found.scope.clone(),
            environment: found.environment.map(str::to_owned),
        });
        for var in &found.secret.env {
            let planned = PlannedVar {
                key: &var.name,
                value: &var.value,
                from,
            };
            match plan.var_at.entry(&var.name) {
                Entry::Occupied(at) => {
                    let existing = &mut plan.vars[*at.get()];
                    let what = format!("variable {}", var.name);
                    plan.overrides
                        .push(overridden(what, &plan.secrets, existing.from, from));
                    *existing = planned;
                }
                Entry::Vacant(at) => {
                    at.insert(plan.vars.len());
                    plan.vars.push(planned);
                }
            }
        }
        for file in &found.secret.files {
            let planned = PlannedFile {
                destination: &file.path,
                contents: &file.contents,
                from,
            };
            match file_at.entry(&file.path) {
                Entry::Occupied(at) => {
                    let existing = &mut plan.files[*at.get()];
                    let what = format!("file {}", file.path);
                    plan.overrides
                        .push(overridden(what, &plan.secrets, existing.from, from));
                    *existing = planned;
                }
                Entry::Vacant(at) => {
                    at.insert(plan.files.len());
                    plan.files.push(planned);
                }
            }
        }
    }
    plan
}

fn overridden(what: String, secrets: &[Source], loser: usize, winner: usize) -> Override {
    Override {
        what,
        loser: secrets[loser].clone(),
        winner: secrets[winner].clone(),
    }
}

impl<'a> Plan<'a> {
    /// Whether the plan sets the variable `key`.
    pub fn sets(&self, key: &str) -> bool {
        self.var_at.contains_key(key)
    }

    /// The secret a variable or file comes from.
    pub fn source(&self, from: usize) -> &Source {
        &self.secrets[from]
    }

    /// Every value the child could print: variables and file contents, as
    /// bytes (a file need not be UTF-8), without a file's final newline, so
    /// that masking keeps the line break.
    pub fn values_to_mask(&self) -> Vec<&'a [u8]> {
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
    use crate::branch::Source as BranchSource;
    use crate::vault::model::Secret;

    const NO_BRANCH: Branch = Branch {
        name: None,
        source: BranchSource::Nowhere,
    };

    fn lookup(project: Option<&str>) -> Lookup<'_> {
        Lookup {
            project,
            environment: None,
            branch: &NO_BRANCH,
        }
    }

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
        let selected = select(&payload, lookup(None), Some(&["a".into(), "b".into()])).unwrap();
        let plan = build(&selected);
        let k = plan.vars.iter().find(|v| v.key == "K").unwrap();
        assert_eq!(k.value.expose(), "2");
        assert_eq!(plan.vars[0].key, "K", "the key keeps its first place");
        assert_eq!(plan.overrides.len(), 1);
        assert_eq!(plan.overrides[0].winner.name, "b");
        assert_eq!(plan.source(k.from).name, "b");
    }

    #[test]
    fn a_name_given_twice_is_injected_once() {
        let mut payload = Payload::default();
        payload.org.insert("a".into(), secret(&[("K", "1")]));
        let names = ["a".to_owned(), "a".to_owned()];
        let plan = build(&select(&payload, lookup(None), Some(&names)).unwrap());
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
        let plan = build(&select(&payload, lookup(Some("blue")), None).unwrap());
        assert_eq!(plan.secrets.len(), 1);
        assert_eq!(plan.vars[0].value.expose(), "blue");
    }

    #[test]
    fn allow_lists_leave_out_or_deny() {
        let mut payload = Payload::default();
        let mut restricted = secret(&[("K", "v")]);
        restricted.allowed_projects = vec!["red".into()];
        payload.org.insert("r".into(), restricted);
        assert!(
            select(&payload, lookup(Some("blue")), None)
                .unwrap()
                .is_empty()
        );
        let err = select(&payload, lookup(Some("blue")), Some(&["r".into()]))
            .err()
            .unwrap();
        assert_eq!(err.exit_code(), 7);
        let err = select(&payload, lookup(Some("blue")), Some(&["missing".into()]))
            .err()
            .unwrap();
        assert_eq!(err.exit_code(), 3);
    }

    #[test]
    fn branch_rules_leave_out_or_deny_and_unknown_branches_match_nothing() {
        let mut payload = Payload::default();
        let mut main_only = secret(&[("K", "v")]);
        main_only.allowed_branches = vec!["main".into()];
        payload.org.insert("m".into(), main_only);
        payload.org.insert("open".into(), secret(&[("O", "v")]));
        let on = |name: Option<&str>| Branch {
            name: name.map(str::to_owned),
            source: BranchSource::Variable("VAULT_BRANCH"),
        };
        for branch in [on(Some("feature")), on(None)] {
            let at = Lookup {
                branch: &branch,
                ..lookup(None)
            };
            let names: Vec<&str> = select(&payload, at, None)
                .unwrap()
                .iter()
                .map(|f| f.name)
                .collect();
            assert_eq!(names, ["open"]);
            let err = select(&payload, at, Some(&["m".into()])).err().unwrap();
            assert_eq!(err.exit_code(), 7);
        }
        let main = on(Some("main"));
        let at = Lookup {
            branch: &main,
            ..lookup(None)
        };
        assert_eq!(select(&payload, at, None).unwrap().len(), 2);
    }
}
