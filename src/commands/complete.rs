//! `vault completions SHELL` and the hidden `vault __complete` that the
//! completion scripts call for secret and project names.

use clap::CommandFactory;

use crate::cli::{Cli, CompleteArgs, CompletionsArgs};
use crate::context::Context;
use crate::error::Result;

pub fn completions(args: CompletionsArgs) -> Result<()> {
    let mut command = Cli::command();
    clap_complete::generate(args.shell, &mut command, "vault", &mut std::io::stdout());
    Ok(())
}

/// Prints secret or project names, one per line, when a session is unlocked.
/// It never prompts: without a session it prints nothing.
pub fn names(ctx: &Context, args: CompleteArgs) -> Result<()> {
    if std::env::var_os("VAULT_SESSION").is_none() {
        return Ok(());
    }
    let Ok(mut vault) = ctx.vault() else {
        return Ok(());
    };
    let Ok(opened) = vault.open() else {
        return Ok(());
    };
    let project = ctx.project(&args.project).ok().flatten();
    let names: Vec<String> = match args.what.as_str() {
        "projects" => opened.payload.projects.keys().cloned().collect(),
        _ => opened
            .payload
            .visible_to(project.as_deref())
            .iter()
            .map(|found| found.name.to_owned())
            .collect(),
    };
    for name in names {
        crate::output::println_stdout(&name);
    }
    Ok(())
}
