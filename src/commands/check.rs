//! `vault check`: the secrets due for rotation, and with `--unread-for` those
//! whose values were not used for that long, for a scheduled CI job. Exit 1
//! when anything is listed, so the job fails and someone looks.

use jiff::Timestamp;
use serde::Serialize;

use crate::audit::LastReads;
use crate::cli::{CheckArgs, Output};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::output;
use crate::vault::duration::Period;
use crate::vault::model::{Found, Scope};
use crate::vault::rotation;

/// One line of the report (SPEC.md: `{"name", "scope", "project",
/// "environment", "reason", "since"}`).
#[derive(Debug, Serialize, PartialEq)]
pub struct Due<'a> {
    name: &'a str,
    scope: &'static str,
    project: Option<&'a str>,
    environment: Option<&'a str>,
    reason: Reason,
    /// When the rotation fell due; for `unread`, the last read, or the
    /// creation of a secret never read.
    since: String,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    RotationDue,
    Unread,
}

pub fn run(ctx: &Context, args: CheckArgs) -> Result<i32> {
    let unread_for = args
        .unread_for
        .as_deref()
        .map(|text| Period::parse(text).map_err(|why| Error::usage(format!("--unread-for: {why}"))))
        .transpose()?;
    let project = match args.all {
        true => None,
        false => ctx.project(&args.project)?,
    };
    let mut vault = ctx.vault()?;
    let project = match args.all {
        true => project,
        false => crate::context::restrict_project(project, &mut vault)?,
    };
    let payload = vault.open()?.payload;
    let candidates = match (args.all, &project) {
        (true, _) => payload.all(),
        (false, project) => {
            let scope = Scope::from_project(project.as_deref());
            payload.of_scope(&scope).ok_or_else(|| {
                Error::not_found(format!(
                    "project '{}' has no secrets",
                    project.as_deref().unwrap_or("")
                ))
                .with_hint("list projects with `vault get projects`")
            })?
        }
    };
    let reads = match unread_for {
        Some(_) => super::get::last_reads(&vault),
        None => LastReads::default(),
    };
    let due = find_due(&candidates, unread_for, &reads, Timestamp::now());
    match args.output.output {
        Output::Json => output::print_json(&due),
        Output::Table if due.is_empty() => eprintln!("Nothing is due."),
        Output::Table => print_table(&due),
    }
    Ok(if due.is_empty() { 0 } else { 1 })
}

/// The report for `candidates` at `now`: for each secret, a due rotation,
/// then (with `unread_for`) a lack of reads.
pub fn find_due<'a>(
    candidates: &'a [Found<'a>],
    unread_for: Option<Period>,
    reads: &LastReads,
    now: Timestamp,
) -> Vec<Due<'a>> {
    let mut due = Vec::new();
    for found in candidates {
        let line = |reason, since| Due {
            name: found.name,
            scope: found.scope.label(),
            project: found.scope.project(),
            environment: found.environment,
            reason,
            since,
        };
        let secret = found.secret;
        if let Some(at) = secret
            .rotate_every
            .and_then(|every| rotation::due_at(&secret.rotated_at, every))
            .filter(|at| rotation::is_due(*at, now))
        {
            due.push(line(Reason::RotationDue, rotation::rfc3339(at)));
        }
        if let Some(period) = unread_for {
            let last = reads.get(&found.scope, found.environment, found.name);
            if rotation::unread_for(last.as_deref(), period.as_duration(), now) {
                let since = last.unwrap_or_else(|| secret.meta.created_at.clone());
                due.push(line(Reason::Unread, since));
            }
        }
    }
    due
}

fn print_table(due: &[Due]) {
    let mut table = output::table(&["name", "scope", "environment", "reason", "since"]);
    for line in due {
        let scope = match line.project {
            Some(project) => format!("project:{project}"),
            None => line.scope.to_owned(),
        };
        let (reason, since) = match line.reason {
            Reason::RotationDue => ("rotation due", &line.since),
            Reason::Unread => ("unread", &line.since),
        };
        let date = since
            .parse::<Timestamp>()
            .map(rotation::date)
            .unwrap_or_else(|_| since.clone());
        table.add_row(vec![
            line.name.to_owned(),
            scope,
            line.environment.unwrap_or("-").to_owned(),
            reason.to_owned(),
            date,
        ]);
    }
    output::print_table(&table);
    eprintln!("{} item(s) need attention.", due.len());
}
