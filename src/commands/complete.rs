//! `vault completions SHELL` and the hidden `vault __complete` that the
//! completion scripts call for secret and project names.

use std::io::Write;

use crate::cli::{CompleteArgs, CompletionsArgs};
use crate::context::Context;
use crate::error::Result;
use crate::secret::SecretString;
use crate::vault::{KeySource, Vault};

pub fn completions(args: CompletionsArgs) -> Result<()> {
    let script = crate::generate::completion_script(args.shell);
    let mut stdout = std::io::stdout().lock();
    let _ = stdout
        .write_all(script.as_bytes())
        .and_then(|()| stdout.flush());
    Ok(())
}

/// Prints secret or project names, one per line, when a session is unlocked.
/// It never prompts and never fails: without a usable session it prints nothing.
pub fn names(ctx: &Context, args: CompleteArgs) -> Result<()> {
    let token = std::env::var("VAULT_SESSION").unwrap_or_default();
    if token.is_empty() || !matches!(args.what.as_str(), "secrets" | "projects") {
        return Ok(());
    }
    // The session only: never the passphrase sources, which may prompt.
    let mut vault = Vault::new(
        ctx.store(),
        KeySource::Session(Box::new(crate::session::Token(SecretString::new(token)))),
    );
    let Ok(opened) = vault.open() else {
        return Ok(());
    };
    let project = ctx.project(&args.project).ok().flatten();
    let mut names: Vec<String> = match args.what.as_str() {
        "projects" => opened.payload.projects.keys().cloned().collect(),
        _ => opened
            .payload
            .visible_to(project.as_deref(), None)
            .iter()
            .map(|found| found.name.to_owned())
            .collect(),
    };
    names.sort();
    names.dedup();
    for name in names {
        crate::output::println_stdout(&name);
    }
    Ok(())
}
