//! What the commands say about a resolved secret (SPEC.md, "Model",
//! Precedence): which variant won and why, and whether its branch rule lets
//! its values be used on the current branch.

use crate::branch::Branch;
use crate::error::{Error, Result};
use crate::vault::model::{Found, Scope};

/// "'db' (org)", "'db' (project blue, prod)".
pub fn label(name: &str, scope: &Scope, environment: Option<&str>) -> String {
    let scope = match scope {
        Scope::Org => "org".to_owned(),
        Scope::Project(project) => format!("project {project}"),
    };
    match environment {
        Some(environment) => format!("'{name}' ({scope}, {environment})"),
        None => format!("'{name}' ({scope})"),
    }
}

/// Why `found` won for `project` in `environment`: each level that was tried
/// before it and did not exist. Precedence is P in E, P, org in E, org.
pub fn why(found: &Found, project: Option<&str>, environment: Option<&str>) -> String {
    let own = |env: Option<&str>| match (project, env) {
        (Some(p), Some(e)) => format!("project {p} in {e}"),
        (Some(p), None) => format!("project {p}"),
        (None, Some(e)) => format!("org level in {e}"),
        (None, None) => "org level".to_owned(),
    };
    let won = match (&found.scope, found.environment) {
        (Scope::Project(p), Some(e)) => format!("project {p} in {e}"),
        (Scope::Project(p), None) => format!("project {p}"),
        (Scope::Org, Some(e)) => format!("org level in {e}"),
        (Scope::Org, None) => "org level".to_owned(),
    };
    // The levels tried before the winner, in order.
    let mut tried = Vec::new();
    if project.is_some() {
        if environment.is_some() {
            tried.push(own(environment));
        }
        tried.push(own(None));
    }
    if let Some(e) = environment {
        tried.push(format!("org level in {e}"));
    }
    tried.push("org level".to_owned());
    let before: Vec<&String> = tried.iter().take_while(|level| **level != won).collect();
    match before.is_empty() {
        true => format!("{won}: the first place looked at"),
        false => format!(
            "{won}: none in {}",
            before
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// The branch rule of `found`, checked where its values are used: exit 7
/// naming the rule and the branch when it does not match (or the branch is unknown).
pub fn require_branch(found: &Found, branch: &Branch) -> Result<()> {
    let secret = found.secret;
    if secret.allows_branch(branch.name.as_deref()) {
        return Ok(());
    }
    let rule = secret
        .allowed_branches
        .iter()
        .map(|glob| format!("'{glob}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let name = label(found.name, &found.scope, found.environment);
    Err(Error::denied(format!(
        "secret {name} may be used only on branch {rule}; this is {}",
        branch.describe()
    ))
    .with_hint(match branch.name {
        Some(_) => "run it on a matching branch, or change the rule with `--allow-branch GLOB` or `--allow-all-branches` on `vault update secret`".to_owned(),
        None => "set VAULT_BRANCH to the branch this runs for".to_owned(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::branch::Source;
    use crate::vault::model::Secret;

    fn found<'a>(secret: &'a Secret, scope: Scope, environment: Option<&'a str>) -> Found<'a> {
        Found {
            name: "db",
            scope,
            environment,
            secret,
        }
    }

    #[test]
    fn why_names_every_level_tried_before_the_winner() {
        let secret = Secret::default();
        let blue = || Scope::Project("blue".into());
        let cases = [
            (
                found(&secret, blue(), Some("prod")),
                "project blue in prod: the first place looked at",
            ),
            (
                found(&secret, blue(), None),
                "project blue: none in project blue in prod",
            ),
            (
                found(&secret, Scope::Org, Some("prod")),
                "org level in prod: none in project blue in prod, project blue",
            ),
            (
                found(&secret, Scope::Org, None),
                "org level: none in project blue in prod, project blue, org level in prod",
            ),
        ];
        for (found, expected) in cases {
            assert_eq!(why(&found, Some("blue"), Some("prod")), expected);
        }
        assert_eq!(
            why(&found(&secret, Scope::Org, None), None, None),
            "org level: the first place looked at"
        );
        assert_eq!(
            why(&found(&secret, Scope::Org, None), Some("blue"), None),
            "org level: none in project blue"
        );
    }

    #[test]
    fn a_branch_rule_denies_naming_the_rule_and_the_branch() {
        let secret = Secret {
            allowed_branches: vec!["main".into(), "release/*".into()],
            ..Secret::default()
        };
        let found = found(&secret, Scope::Org, Some("prod"));
        let on = |name: Option<&str>| Branch {
            name: name.map(str::to_owned),
            source: Source::Variable("VAULT_BRANCH"),
        };
        require_branch(&found, &on(Some("main"))).unwrap();
        require_branch(&found, &on(Some("release/2.0"))).unwrap();
        let err = require_branch(&found, &on(Some("feature/x"))).unwrap_err();
        assert_eq!(err.exit_code(), 7);
        assert!(
            err.message.contains("'main', 'release/*'"),
            "{}",
            err.message
        );
        assert!(err.message.contains("'feature/x'"), "{}", err.message);
        let err = require_branch(&found, &on(None)).unwrap_err();
        assert_eq!(err.exit_code(), 7);
        assert!(err.message.contains("unknown branch"), "{}", err.message);
        let open = Secret::default();
        require_branch(&super::tests::found(&open, Scope::Org, None), &on(None)).unwrap();
    }
}
