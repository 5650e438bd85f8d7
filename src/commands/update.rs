//! `vault update secret`: a partial change, for scripts and rotation.

use crate::audit::Entry;
use crate::cli::UpdateSecretArgs;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::output;
use crate::vault::model::{Scope, SecretId};
use crate::vault::validate;

pub fn run(ctx: &Context, args: UpdateSecretArgs) -> Result<()> {
    validate::name("secret", &args.name)?;
    let scope = Scope::from_project(ctx.project(&args.project)?.as_deref());
    let mut change = super::create::read_contents(&args.contents)?;
    change.unset_env = args.unset;
    change.remove_files = args.remove_file;
    change.description = args.description;
    change.allowed_projects = match args.allow_all_projects {
        true => Some(Vec::new()),
        false => (!args.allow_projects.is_empty()).then_some(args.allow_projects),
    };
    let nothing = change.set_env.is_empty()
        && change.set_files.is_empty()
        && change.unset_env.is_empty()
        && change.remove_files.is_empty()
        && change.description.is_none()
        && change.allowed_projects.is_none();
    if nothing {
        return Err(Error::usage("nothing to update")
            .with_hint("give -e, -g, -f, --unset, --remove-file, --description, --allow-project or --allow-all-projects"));
    }
    change.validate(&scope)?;

    let mut vault = ctx.vault_for_writing()?;
    let name = args.name;
    let id = SecretId::plain(&name);
    vault.modify_secrets(&[(scope.clone(), id.clone())], |payload| {
        change.apply(payload.get_exact_mut(&scope, &id)?, &scope)
    })?;
    super::record(&vault, &[Entry::new("update", Some((&scope, &name)))]);
    output::println_stdout(&format!(
        "Secret '{name}' updated{}.",
        super::create::in_scope(&scope)
    ));
    Ok(())
}
