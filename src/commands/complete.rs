//! `vault completions SHELL` and the hidden `vault __complete` that the
//! completion scripts call for secret, project and environment names.

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

/// Prints secret, project or environment names, one per line, when a session is unlocked.
/// It never prompts and never fails: without a usable session it prints nothing.
pub fn names(ctx: &Context, args: CompleteArgs) -> Result<()> {
    let token = std::env::var("VAULT_SESSION").unwrap_or_default();
    let known = matches!(args.what.as_str(), "secrets" | "projects" | "environments");
    if token.is_empty() || !known {
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
    let (project, environment) = ctx
        .project_and_environment(&args.project, &args.environment)
        .unwrap_or_default();
    let environment = environment.map(|e| e.name);
    let mut names: Vec<String> = match args.what.as_str() {
        "projects" => opened.payload.projects.keys().cloned().collect(),
        "environments" => opened
            .payload
            .all()
            .iter()
            .filter_map(|found| found.environment.map(str::to_owned))
            .collect(),
        _ => opened
            .payload
            .visible_to(project.as_deref(), environment.as_deref())
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
