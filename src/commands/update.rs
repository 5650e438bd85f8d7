//! `vault update secret`: a partial change, for scripts and rotation.

use crate::cli::UpdateSecretArgs;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::output;

pub fn run(ctx: &Context, args: UpdateSecretArgs) -> Result<()> {
    let (scope, id) = super::address(ctx, &args.project, &args.environment, &args.name)?;
    let mut change = super::create::read_contents(&args.contents)?;
    change.unset_env = args.unset;
    change.remove_files = args.remove_file;
    change.description = args.description;
    change.allowed_projects = match args.allow_all_projects {
        true => Some(Vec::new()),
        false => (!args.allow_projects.is_empty()).then_some(args.allow_projects),
    };
    super::create::set_rules(
        &mut change,
        args.allow_branches,
        args.allow_all_branches,
        args.rotate_every.as_deref(),
    )?;
    if change.is_empty() {
        return Err(Error::usage("nothing to update").with_hint(
            "give -e, -g, -f, --unset, --remove-file, --description, --allow-project, \
             --allow-all-projects, --allow-branch, --allow-all-branches or --rotate-every",
        ));
    }
    change.validate(&scope)?;

    let mut vault = ctx.vault_for_writing()?;
    vault.modify_secrets(&[(scope.clone(), id.clone())], |payload| {
        change.apply(payload.get_exact_mut(&scope, &id)?, &scope)
    })?;
    super::record(&vault, &[super::entry("update", &scope, &id)]);
    output::println_stdout(&format!(
        "Secret '{}' updated{}.",
        id.name,
        super::in_place(&scope, &id)
    ));
    Ok(())
}
