//! `vault delete secret`: confirmed on a terminal, `--yes` required otherwise.

use std::io::IsTerminal;

use crate::cli::DeleteSecretArgs;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::output;
use crate::vault::model::{Scope, SecretId};

pub fn run(ctx: &Context, args: DeleteSecretArgs) -> Result<()> {
    let (scope, id) = super::address(ctx, &args.project, &args.environment, &args.name)?;
    let on_terminal = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    if !args.yes && !on_terminal {
        return Err(Error::usage("deleting without a terminal needs --yes")
            .with_hint(format!("vault delete secret {} --yes", args.name)));
    }
    let mut vault = ctx.vault_for_writing()?;
    vault.open()?.payload.get_exact(&scope, &id)?;
    if !args.yes && !confirm(&scope, &id)? {
        eprintln!("Nothing deleted.");
        return Ok(());
    }
    vault.modify(|payload| payload.remove(&scope, &id).map(drop))?;
    super::record(&vault, &[super::entry("delete", &scope, &id)]);
    output::println_stdout(&format!(
        "Secret '{}' deleted{}.",
        id.name,
        super::in_place(&scope, &id)
    ));
    Ok(())
}

fn confirm(scope: &Scope, id: &SecretId) -> Result<bool> {
    let label = crate::precedence::label(&id.name, scope, id.environment.as_deref());
    dialoguer::Confirm::new()
        .with_prompt(format!("Delete secret {label}?"))
        .default(false)
        .interact()
        .map_err(|e| Error::failure(format!("cannot ask for confirmation: {e}")))
}
