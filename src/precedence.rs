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

    /// The four levels of `db` for project blue in prod, each tagged by its
    /// description; `missing` leaves one out.
    fn levels(missing: Option<&str>) -> crate::vault::model::Payload {
        use crate::vault::model::{Payload, SecretId};
        let mut payload = Payload::default();
        let blue = Scope::Project("blue".into());
        for (scope, env, tag) in [
            (&blue, Some("prod"), "blue/prod"),
            (&blue, None, "blue"),
            (&Scope::Org, Some("prod"), "org/prod"),
            (&Scope::Org, None, "org"),
        ] {
            if missing != Some(tag) {
                let secret = Secret {
                    description: tag.to_owned(),
                    ..Secret::default()
                };
                payload
                    .scope_mut(scope)
                    .insert(SecretId::new("db", env), secret);
            }
        }
        payload
    }

    fn lookup<'a>(branch: &'a Branch) -> crate::exec::plan::Lookup<'a> {
        crate::exec::plan::Lookup {
            project: Some("blue"),
            environment: Some("prod"),
            branch,
        }
    }

    fn on(name: &str) -> Branch {
        Branch {
            name: Some(name.to_owned()),
            source: Source::Variable("VAULT_BRANCH"),
        }
    }

    /// The description of what `db` resolves to, named and unnamed, or the
    /// exit code of a named lookup.
    fn outcome(payload: &crate::vault::model::Payload, branch: &Branch) -> Result<String, i32> {
        use crate::exec::plan::select;
        let unnamed: Vec<String> = select(payload, lookup(branch), None)
            .unwrap()
            .iter()
            .map(|f| f.secret.description.clone())
            .collect();
        let named = select(payload, lookup(branch), Some(&["db".to_owned()]));
        match named {
            Ok(found) => {
                let tag = found[0].secret.description.clone();
                assert_eq!(
                    unnamed,
                    std::slice::from_ref(&tag),
                    "named and unnamed agree"
                );
                Ok(tag)
            }
            Err(err) => {
                assert!(
                    unnamed.is_empty(),
                    "a denied winner is left out: {unnamed:?}"
                );
                Err(err.exit_code())
            }
        }
    }

    #[test]
    fn each_level_missing_in_turn_hands_over_to_the_next() {
        let main = on("main");
        for (missing, winner) in [
            (None, "blue/prod"),
            (Some("blue/prod"), "blue"),
            (Some("blue"), "blue/prod"),
            (Some("org/prod"), "blue/prod"),
            (Some("org"), "blue/prod"),
        ] {
            assert_eq!(outcome(&levels(missing), &main), Ok(winner.to_owned()));
        }
        // Only lower levels left: remove the higher ones one by one.
        let mut payload = levels(None);
        let blue = Scope::Project("blue".into());
        use crate::vault::model::SecretId;
        payload
            .remove(&blue, &SecretId::new("db", Some("prod")))
            .unwrap();
        assert_eq!(outcome(&payload, &main), Ok("blue".into()));
        payload.remove(&blue, &SecretId::plain("db")).unwrap();
        assert_eq!(outcome(&payload, &main), Ok("org/prod".into()));
        payload
            .remove(&Scope::Org, &SecretId::new("db", Some("prod")))
            .unwrap();
        assert_eq!(outcome(&payload, &main), Ok("org".into()));
        payload.remove(&Scope::Org, &SecretId::plain("db")).unwrap();
        assert_eq!(outcome(&payload, &main), Err(3));
    }

    #[test]
    fn an_allow_list_is_checked_on_the_winner_only() {
        use crate::vault::model::SecretId;
        let main = on("main");
        let blue = Scope::Project("blue".into());
        // org/prod wins and excludes blue: denied, although org (no
        // environment) would allow it.
        let mut payload = levels(None);
        payload
            .remove(&blue, &SecretId::new("db", Some("prod")))
            .unwrap();
        payload.remove(&blue, &SecretId::plain("db")).unwrap();
        let org_prod = payload
            .get_exact_mut(&Scope::Org, &SecretId::new("db", Some("prod")))
            .unwrap();
        org_prod.allowed_projects = vec!["red".into()];
        assert_eq!(outcome(&payload, &main), Err(7));
        // An allow-list on a level that does not win changes nothing.
        let mut payload = levels(Some("blue/prod"));
        for env in [Some("prod"), None] {
            let org = payload
                .get_exact_mut(&Scope::Org, &SecretId::new("db", env))
                .unwrap();
            org.allowed_projects = vec!["red".into()];
        }
        assert_eq!(outcome(&payload, &main), Ok("blue".into()));
        // The org winner that lists blue is allowed.
        let mut payload = levels(None);
        payload.projects.clear();
        let org_prod = payload
            .get_exact_mut(&Scope::Org, &SecretId::new("db", Some("prod")))
            .unwrap();
        org_prod.allowed_projects = vec!["blue".into()];
        assert_eq!(outcome(&payload, &main), Ok("org/prod".into()));
    }

    #[test]
    fn a_branch_rule_is_checked_on_the_winner_only() {
        use crate::vault::model::SecretId;
        let blue = Scope::Project("blue".into());
        for winner in ["blue/prod", "blue", "org/prod", "org"] {
            let mut payload = levels(None);
            // Remove the levels above the winner.
            let order = ["blue/prod", "blue", "org/prod", "org"];
            let above = order.iter().take_while(|tag| **tag != winner);
            for tag in above {
                let (scope, env) = match *tag {
                    "blue/prod" => (&blue, Some("prod")),
                    "blue" => (&blue, None),
                    _ => (&Scope::Org, Some("prod")),
                };
                payload.remove(scope, &SecretId::new("db", env)).unwrap();
            }
            let (scope, env) = match winner {
                "blue/prod" => (blue.clone(), Some("prod")),
                "blue" => (blue.clone(), None),
                "org/prod" => (Scope::Org, Some("prod")),
                _ => (Scope::Org, None),
            };
            payload
                .get_exact_mut(&scope, &SecretId::new("db", env))
                .unwrap()
                .allowed_branches = vec!["main".into(), "release/*".into()];
            assert_eq!(outcome(&payload, &on("main")), Ok(winner.into()));
            assert_eq!(outcome(&payload, &on("release/1")), Ok(winner.into()));
            assert_eq!(outcome(&payload, &on("feature/x")), Err(7), "{winner}");
            let unknown = Branch {
                name: None,
                source: Source::Nowhere,
            };
            assert_eq!(outcome(&payload, &unknown), Err(7), "{winner}");
        }
    }
}
