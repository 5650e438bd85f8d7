//! `vault delete secret`: confirmed on a terminal, `--yes` required otherwise.

use std::io::IsTerminal;

use crate::audit::Entry;
use crate::cli::DeleteSecretArgs;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::output;
use crate::vault::model::{Scope, SecretId};
use crate::vault::validate;

pub fn run(ctx: &Context, args: DeleteSecretArgs) -> Result<()> {
    validate::name("secret", &args.name)?;
    let scope = Scope::from_project(ctx.project(&args.project)?.as_deref());
    let on_terminal = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    if !args.yes && !on_terminal {
        return Err(Error::usage("deleting without a terminal needs --yes")
            .with_hint(format!("vault delete secret {} --yes", args.name)));
    }
    let mut vault = ctx.vault_for_writing()?;
    let name = args.name;
    let id = SecretId::plain(&name);
    vault.open()?.payload.get_exact(&scope, &id)?;
    if !args.yes && !confirm(&name, &scope)? {
        eprintln!("Nothing deleted.");
        return Ok(());
    }
    vault.modify(|payload| payload.remove(&scope, &id).map(drop))?;
    super::record(&vault, &[Entry::new("delete", Some((&scope, &name)))]);
    output::println_stdout(&format!(
        "Secret '{name}' deleted{}.",
        super::create::in_scope(&scope)
    ));
    Ok(())
}

fn confirm(name: &str, scope: &Scope) -> Result<bool> {
    dialoguer::Confirm::new()
        .with_prompt(format!("Delete secret '{name}' ({})?", scope.describe()))
        .default(false)
        .interact()
        .map_err(|e| Error::failure(format!("cannot ask for confirmation: {e}")))
}
