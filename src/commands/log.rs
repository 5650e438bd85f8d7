//! `vault log`: the audit trail, oldest first.

use crate::cli::{LogArgs, Output};
use crate::context::Context;
use crate::error::Result;
use crate::output;

pub fn run(ctx: &Context, args: LogArgs) -> Result<()> {
    let mut vault = ctx.vault()?;
    vault.open()?;
    let mut entries = crate::audit::trail(&vault)?;
    if let Some(count) = args.count {
        entries.drain(..entries.len().saturating_sub(count));
    }
    match args.output.output {
        Output::Json => output::print_json(&entries),
        Output::Table if entries.is_empty() => eprintln!("The audit trail is empty."),
        Output::Table => {
            let mut table = output::table(&["time", "who", "action", "scope", "secret"]);
            for entry in &entries {
                let scope = match (&entry.scope, &entry.project) {
                    (Some(_), Some(project)) => format!("project:{project}"),
                    (Some(scope), None) => scope.clone(),
                    (None, _) => "-".to_owned(),
                };
                table.add_row(vec![
                    entry.at.clone(),
                    entry.by.clone(),
                    entry.action.clone(),
                    scope,
                    entry.secret.clone().unwrap_or_else(|| "-".to_owned()),
                ]);
            }
            output::print_table(&table);
        }
    }
    Ok(())
}
