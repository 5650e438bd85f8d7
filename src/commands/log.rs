//! `vault log`: the audit trail, oldest first.

use crate::audit::Entry;
use crate::cli::{LogArgs, Output};
use crate::context::Context;
use crate::error::Result;
use crate::output;

pub fn run(ctx: &Context, args: LogArgs) -> Result<()> {
    let mut vault = ctx.vault()?;
    vault.open()?;
    // `-n` reads from the end; the whole log is read (and its chain verified) without it.
    let trail = crate::audit::trail(&vault)?;
    let entries = match args.count {
        Some(count) => trail.newest(count)?,
        None => trail.read()?,
    };
    match args.output.output {
        Output::Json => output::print_json(&entries),
        Output::Table if entries.is_empty() => eprintln!("The audit trail is empty."),
        Output::Table => {
            let mut table = output::table(&["time", "who", "action", "scope", "secret"]);
            for entry in &entries {
                let scope = match (&entry.scope, &entry.project) {
                    (Some(_), Some(project)) => format!("project:{project}"),
                    (Some(scope), None) => scope.clone(),
                    (None, Some(project)) if entry.secrets.is_some() => {
                        format!("project:{project}")
                    }
                    (None, _) => "-".to_owned(),
                };
                table.add_row(vec![
                    entry.at.clone(),
                    entry.by.clone(),
                    entry.action.clone(),
                    scope,
                    secret_cell(entry),
                ]);
            }
            output::print_table(&table);
        }
    }
    Ok(())
}

/// The secret, or for an exec of several how many and the first of them.
fn secret_cell(entry: &Entry) -> String {
    match (&entry.secret, entry.secrets.as_deref()) {
        (Some(secret), _) => match &entry.environment {
            Some(environment) => format!("{secret} ({environment})"),
            None => secret.clone(),
        },
        (None, Some([first, rest @ ..])) => {
            format!("{} secrets: {}, …", rest.len() + 1, first.secret)
        }
        (None, _) => "-".to_owned(),
    }
}
