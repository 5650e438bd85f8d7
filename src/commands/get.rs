//! `vault get secrets`, `vault get secret NAME` and `vault get projects`.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use serde::Serialize;

use crate::audit::LastReads;
use crate::cli::{GetSecretArgs, Output, OutputArg};
use crate::context::{Context, Environment};
use crate::error::{Error, Result};
use crate::output;
use crate::precedence;
use crate::vault::model::{Found, Scope, Secret};
use crate::vault::{Vault, duration, rotation, validate};

/// The JSON shape of a secret (SPEC.md, `get secret -o json`).
#[derive(Serialize)]
struct SecretView<'a> {
    name: &'a str,
    scope: &'static str,
    project: Option<&'a str>,
    environment: Option<&'a str>,
    description: &'a str,
    env: Vec<EnvView<'a>>,
    files: Vec<FileView<'a>>,
    allowed_projects: &'a [String],
    allowed_branches: &'a [String],
    rotate_every: Option<String>,
    rotation_due_at: Option<String>,
    created_at: &'a str,
    created_by: &'a str,
    updated_at: &'a str,
    updated_by: &'a str,
    rotated_at: &'a str,
    last_read_at: Option<String>,
}

#[derive(Serialize)]
struct EnvView<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<&'a str>,
}

#[derive(Serialize)]
struct FileView<'a> {
    path: &'a str,
    size: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    content_base64: Option<String>,
}

impl<'a> SecretView<'a> {
    fn new(found: &'a Found<'a>, reads: &LastReads, reveal: bool) -> SecretView<'a> {
        let secret = found.secret;
        let meta = &secret.meta;
        SecretView {
            name: found.name,
            scope: found.scope.label(),
            project: found.scope.project(),
            environment: found.environment,
            description: &secret.description,
            env: secret
                .env
                .iter()
                .map(|var| EnvView {
                    name: &var.name,
                    value: reveal.then(|| var.value.expose()),
                })
                .collect(),
            files: secret
                .files
                .iter()
                .map(|file| FileView {
                    path: &file.path,
                    size: file.contents.len(),
                    content_base64: reveal.then(|| B64.encode(file.contents.expose())),
                })
                .collect(),
            allowed_projects: &secret.allowed_projects,
            allowed_branches: &secret.allowed_branches,
            rotate_every: secret.rotate_every.map(duration::display),
            rotation_due_at: rotation_due_at(secret).map(rotation::rfc3339),
            created_at: &meta.created_at,
            created_by: &meta.created_by,
            updated_at: &meta.updated_at,
            updated_by: &meta.updated_by,
            rotated_at: &secret.rotated_at,
            last_read_at: reads.get(&found.scope, found.environment, found.name),
        }
    }
}

fn rotation_due_at(secret: &Secret) -> Option<jiff::Timestamp> {
    rotation::due_at(&secret.rotated_at, secret.rotate_every?)
}

/// "" without a rotation period, else "due 2027-03-02" or "overdue".
fn rotation_cell(secret: &Secret, now: jiff::Timestamp) -> String {
    match rotation_due_at(secret) {
        Some(due) if rotation::is_due(due, now) => "overdue".to_owned(),
        Some(due) => format!("due {}", rotation::date(due)),
        None => String::new(),
    }
}

/// `get secrets` (a list) or `get secret NAME` (one, described).
pub fn secrets(ctx: &Context, args: GetSecretArgs) -> Result<()> {
    let (project, environment) = match args.all {
        true => (None, None),
        false => ctx.project_and_environment(&args.project, &args.environment)?,
    };
    if let Some(name) = &args.name {
        return describe(
            ctx,
            name,
            (project.as_deref(), environment.as_ref()),
            args.output.output,
            args.reveal,
        );
    }
    let environment = environment.map(|e| e.name);
    let mut vault = ctx.vault()?;
    let project = match args.all {
        true => project,
        false => crate::context::restrict_project(project, &mut vault)?,
    };
    let payload = vault.open()?.payload;
    let scope = Scope::from_project(project.as_deref());
    let mut found = match args.all {
        true => payload.all(),
        false => payload
            .of_scope(&scope)
            .ok_or_else(|| unknown_project(project.as_deref().unwrap_or_default()))?,
    };
    // One environment's variants (none's by default), unless --all.
    found.retain(|f| args.all || f.environment == environment.as_deref());
    if let Some(text) = &args.search {
        let text = text.to_lowercase();
        found.retain(|f| matches(f, &text));
    }
    match args.output.output {
        Output::Json => {
            let reads = last_reads(&vault);
            let views: Vec<_> = found
                .iter()
                .map(|f| SecretView::new(f, &reads, false))
                .collect();
            output::print_json(&views);
        }
        Output::Table => return list_table(&found, args.all),
    }
    Ok(())
}

/// The listing as a table.
fn list_table(found: &[Found], all: bool) -> Result<()> {
    let now = jiff::Timestamp::now();
    let rows: Vec<Vec<String>> = found.iter().map(|f| row(f, all, now)).collect();
    if rows.is_empty() {
        eprintln!("No secrets found.");
        return Ok(());
    }
    // The usual listing is plain ASCII: render it directly. comfy-table keeps
    // several copies of every cell, 20 MB for 10,000 secrets; it still renders
    // anything else (wide characters, line breaks), so the output is the same.
    let headers = list_headers(all);
    let plain = rows
        .iter()
        .flatten()
        .all(|cell| cell.bytes().all(|b| (b' '..=b'~').contains(&b)));
    if plain {
        output::println_stdout(&render_plain(&headers, &rows));
        return Ok(());
    }
    let mut table = output::table(&headers);
    for row in rows {
        table.add_row(row);
    }
    output::print_table(&table);
    Ok(())
}

const LIST_HEADERS: [&str; 8] = [
    "name",
    "scope",
    "keys",
    "files",
    "branches",
    "rotation",
    "updated",
    "updated by",
];

/// The listing's columns; `--all` adds the environment after the scope.
fn list_headers(all: bool) -> Vec<&'static str> {
    let mut headers = LIST_HEADERS.to_vec();
    if all {
        headers.insert(2, "environment");
    }
    headers
}

/// What `output::table` and `output::print_table` print for single-line
/// ASCII cells: upper-case headers, each column as wide as its widest cell
/// plus 3 spaces, lines without trailing spaces.
fn render_plain(headers: &[&str], rows: &[Vec<String>]) -> String {
    let headers: Vec<String> = headers.iter().map(|h| h.to_uppercase()).collect();
    let mut widths: Vec<usize> = headers.iter().map(String::len).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.len());
        }
    }
    let line_width: usize = widths.iter().map(|w| w + 3).sum();
    let mut out = String::with_capacity((rows.len() + 1) * (line_width + 1));
    for row in std::iter::once(&headers).chain(rows) {
        let start = out.len();
        for (cell, width) in row.iter().zip(&widths) {
            out.push_str(cell);
            out.extend(std::iter::repeat_n(' ', width - cell.len() + 3));
        }
        out.truncate(start + out[start..].trim_end().len());
        out.push('\n');
    }
    out.pop();
    out
}

/// `--search`: in the name or the description, ignoring case.
fn matches(found: &Found, lowercase_text: &str) -> bool {
    found.name.to_lowercase().contains(lowercase_text)
        || found
            .secret
            .description
            .to_lowercase()
            .contains(lowercase_text)
}

fn row(f: &Found, all: bool, now: jiff::Timestamp) -> Vec<String> {
    let keys: Vec<&str> = f.secret.env.iter().map(|v| v.name.as_str()).collect();
    let files: Vec<&str> = f.secret.files.iter().map(|v| v.path.as_str()).collect();
    let mut row = vec![
        f.name.to_owned(),
        scope_cell(&f.scope),
        keys.join(","),
        files.join(","),
        f.secret.allowed_branches.join(","),
        rotation_cell(f.secret, now),
        f.secret.meta.updated_at.clone(),
        f.secret.meta.updated_by.clone(),
    ];
    if all {
        row.insert(2, f.environment.unwrap_or("-").to_owned());
    }
    row
}

fn scope_cell(scope: &Scope) -> String {
    match scope {
        Scope::Org => "org".to_owned(),
        Scope::Project(project) => format!("project:{project}"),
    }
}

/// `get secret NAME`: the secret `NAME` resolves to for the project in the
/// environment, by precedence; `--reveal` is a use of its values, so its
/// branch rule applies.
fn describe(
    ctx: &Context,
    name: &str,
    (project, environment): (Option<&str>, Option<&Environment>),
    format: Output,
    reveal: bool,
) -> Result<()> {
    validate::name("secret", name)?;
    let env = environment.map(|e| e.name.as_str());
    let mut vault = ctx.vault()?;
    let names = [name.to_owned()];
    let restrict = |access: &_| crate::context::restrict(project.map(str::to_owned), access);
    let (project, opened) = vault.open_resolving(restrict, env, Some(&names))?;
    let (project, payload) = (project.as_deref(), opened.payload);
    let found = payload.resolve(project, env, name)?;
    if reveal {
        precedence::require_branch(&found, crate::branch::current())?;
        super::record(&vault, &[super::read_entry("reveal", &found)]);
    }
    let reads = last_reads(&vault);
    let view = SecretView::new(&found, &reads, reveal);
    match format {
        Output::Json => output::print_json(&view),
        Output::Table => {
            let why = precedence::why(&found, project, env);
            let from = environment.map(|e| format!("{} {}", e.name, e.source));
            print_description(&view, &why, from.as_deref());
        }
    }
    Ok(())
}

/// "90d, due 2027-03-02", with "(overdue)" when past; "never".
fn rotation_line(view: &SecretView) -> String {
    let Some(every) = &view.rotate_every else {
        return "never".to_owned();
    };
    let Some(due) = view
        .rotation_due_at
        .as_deref()
        .and_then(|at| at.parse::<jiff::Timestamp>().ok())
    else {
        return every.clone();
    };
    let overdue = match rotation::is_due(due, jiff::Timestamp::now()) {
        true => " (overdue)",
        false => "",
    };
    format!("{every}, due {}{overdue}", rotation::date(due))
}

fn print_description(view: &SecretView, why: &str, environment: Option<&str>) {
    let scope = match view.project {
        Some(project) => format!("project {project}"),
        None => "org".to_owned(),
    };
    let allowed = if view.allowed_projects.is_empty() {
        "all projects".to_owned()
    } else {
        view.allowed_projects.join(", ")
    };
    let branches = match view.allowed_branches.is_empty() {
        true => "all branches".to_owned(),
        false => view.allowed_branches.join(", "),
    };
    let mut lines = vec![
        format!("Name:         {}", view.name),
        format!("Scope:        {scope}"),
        format!("Environment:  {}", view.environment.unwrap_or("none")),
    ];
    if let Some(environment) = environment {
        lines.push(format!("Selected:     {environment}"));
    }
    lines.push(format!("Resolved:     {why}"));
    lines.push(format!("Description:  {}", view.description));
    if view.project.is_none() {
        lines.push(format!("Allowed:      {allowed}"));
    }
    lines.push(format!("Branches:     {branches}"));
    lines.push(format!("Rotate every: {}", rotation_line(view)));
    lines.push(format!(
        "Created:      {} by {}",
        view.created_at, view.created_by
    ));
    lines.push(format!(
        "Updated:      {} by {}",
        view.updated_at, view.updated_by
    ));
    lines.push(format!("Rotated:      {}", view.rotated_at));
    lines.push(format!(
        "Last read:    {}",
        view.last_read_at.as_deref().unwrap_or("never")
    ));
    lines.push(format!("Environment variables ({}):", view.env.len()));
    for var in &view.env {
        match var.value {
            Some(value) => lines.push(format!("  {}={value}", var.name)),
            None => lines.push(format!("  {}", var.name)),
        }
    }
    lines.push(format!("Files ({}):", view.files.len()));
    for file in &view.files {
        lines.push(format!("  {}  ({} bytes)", file.path, file.size));
        if let Some(content) = &file.content_base64 {
            lines.push(format!("    base64: {content}"));
        }
    }
    output::println_stdout(&lines.join("\n"));
}

/// `get projects`: each project with its number of own secrets.
pub fn projects(ctx: &Context, args: OutputArg) -> Result<()> {
    let mut vault = ctx.vault()?;
    let payload = vault.open()?.payload;
    let counts: Vec<_> = payload
        .projects
        .iter()
        .map(|(name, secrets)| Count {
            name,
            secrets: secrets.len(),
        })
        .collect();
    print_counts(&counts, args.output, "No projects found.");
    Ok(())
}

/// `get environments`: each environment in use (in any scope) with its
/// number of secret variants.
pub fn environments(ctx: &Context, args: OutputArg) -> Result<()> {
    let mut vault = ctx.vault()?;
    let payload = vault.open()?.payload;
    let mut by_name = std::collections::BTreeMap::<&str, usize>::new();
    for found in payload.all() {
        if let Some(environment) = found.environment {
            *by_name.entry(environment).or_default() += 1;
        }
    }
    let counts: Vec<_> = by_name
        .into_iter()
        .map(|(name, secrets)| Count { name, secrets })
        .collect();
    print_counts(&counts, args.output, "No environments found.");
    Ok(())
}

/// A project or an environment with its number of secrets (json:
/// `{"name": "blue", "secrets": 2}`).
#[derive(Serialize)]
struct Count<'a> {
    name: &'a str,
    secrets: usize,
}

fn print_counts(counts: &[Count], format: Output, none: &str) {
    match format {
        Output::Json => output::print_json(&counts),
        Output::Table if counts.is_empty() => eprintln!("{none}"),
        Output::Table => {
            let mut table = output::table(&["name", "secrets"]);
            for count in counts {
                table.add_row(vec![count.name.to_owned(), count.secrets.to_string()]);
            }
            output::print_table(&table);
        }
    }
}

/// When secrets were last read; a damaged log is a warning, not a failure.
pub(super) fn last_reads(vault: &Vault) -> LastReads {
    crate::audit::trail(vault)
        .and_then(|trail| trail.last_reads())
        .unwrap_or_else(|err| {
            output::warn(&err.message);
            LastReads::default()
        })
}

fn unknown_project(project: &str) -> Error {
    Error::not_found(format!("project '{project}' has no secrets"))
        .with_hint("list projects with `vault get projects`")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comfy(headers: &[&str], rows: &[Vec<String>]) -> String {
        let mut table = output::table(headers);
        for row in rows {
            table.add_row(row.clone());
        }
        let text = table.to_string();
        let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
        lines.join("\n")
    }

    #[test]
    fn plain_rendering_is_what_comfy_table_prints() {
        let cell = |i: usize, c: usize| match (i * 7 + c * 3) % 5 {
            0 => String::new(),
            1 => "x".repeat(i % 13),
            2 => format!("svc-{i:05}"),
            3 => "A_KEY,B_KEY,C".to_owned(),
            _ => "a b  c ".to_owned(),
        };
        for count in [0, 1, 2, 7, 40] {
            let rows: Vec<Vec<String>> = (0..count)
                .map(|i| (0..LIST_HEADERS.len()).map(|c| cell(i, c)).collect())
                .collect();
            assert_eq!(
                render_plain(&LIST_HEADERS, &rows),
                comfy(&LIST_HEADERS, &rows),
                "{count} rows"
            );
        }
    }
}
