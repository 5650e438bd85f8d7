//! `vault get secrets`, `vault get secret NAME` and `vault get projects`.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use serde::Serialize;

use crate::audit::{self, Entry};
use crate::cli::{GetSecretArgs, Output, OutputArg};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::output;
use crate::vault::model::{Found, Scope};
use crate::vault::{Vault, validate};

/// The JSON shape of a secret (SPEC.md, `get secret -o json`).
#[derive(Serialize)]
struct SecretView<'a> {
    name: &'a str,
    scope: &'static str,
    project: Option<&'a str>,
    description: &'a str,
    env: Vec<EnvView<'a>>,
    files: Vec<FileView<'a>>,
    allowed_projects: &'a [String],
    created_at: &'a str,
    created_by: &'a str,
    updated_at: &'a str,
    updated_by: &'a str,
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
    fn new(found: &'a Found<'a>, trail: &[Entry], reveal: bool) -> SecretView<'a> {
        let secret = found.secret;
        let meta = &secret.meta;
        SecretView {
            name: found.name,
            scope: found.scope.label(),
            project: found.scope.project(),
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
            created_at: &meta.created_at,
            created_by: &meta.created_by,
            updated_at: &meta.updated_at,
            updated_by: &meta.updated_by,
            last_read_at: audit::last_read_at(trail, &found.scope, found.name),
        }
    }
}

/// `get secrets` (a list) or `get secret NAME` (one, described).
pub fn secrets(ctx: &Context, args: GetSecretArgs) -> Result<()> {
    let project = if args.all {
        None
    } else {
        ctx.project(&args.project)?
    };
    if let Some(name) = &args.name {
        return describe(
            ctx,
            name,
            project.as_deref(),
            args.output.output,
            args.reveal,
        );
    }
    let mut vault = ctx.vault()?;
    let project = match args.all {
        true => project,
        false => crate::context::restrict_project(project, &mut vault)?,
    };
    let payload = vault.open()?.payload;
    let mut found = match (&project, args.all) {
        (_, true) => payload.all(),
        (None, false) => payload.visible_to(None, None),
        (Some(project), false) => {
            let own = payload
                .projects
                .get(project)
                .ok_or_else(|| unknown_project(project))?;
            own.iter()
                .map(|(id, secret)| Found {
                    name: &id.name,
                    scope: Scope::Project(project.clone()),
                    environment: id.environment.as_deref(),
                    secret,
                })
                .collect()
        }
    };
    if let Some(text) = &args.search {
        let text = text.to_lowercase();
        found.retain(|f| matches(f, &text));
    }
    match args.output.output {
        Output::Json => {
            let trail = trail(&vault);
            let views: Vec<_> = found
                .iter()
                .map(|f| SecretView::new(f, &trail, false))
                .collect();
            output::print_json(&views);
        }
        Output::Table => return list_table(&found),
    }
    Ok(())
}

/// The listing as a table.
fn list_table(found: &[Found]) -> Result<()> {
    let rows: Vec<Vec<String>> = found.iter().map(row).collect();
    if rows.is_empty() {
        eprintln!("No secrets found.");
        return Ok(());
    }
    // The usual listing is plain ASCII: render it directly. comfy-table keeps
    // several copies of every cell, 20 MB for 10,000 secrets; it still renders
    // anything else (wide characters, line breaks), so the output is the same.
    let plain = rows
        .iter()
        .flatten()
        .all(|cell| cell.bytes().all(|b| (b' '..=b'~').contains(&b)));
    if plain {
        output::println_stdout(&render_plain(&LIST_HEADERS, &rows));
        return Ok(());
    }
    let mut table = output::table(&LIST_HEADERS);
    for row in rows {
        table.add_row(row);
    }
    output::print_table(&table);
    Ok(())
}

const LIST_HEADERS: [&str; 6] = ["name", "scope", "keys", "files", "updated", "updated by"];

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

fn row(f: &Found) -> Vec<String> {
    let keys: Vec<&str> = f.secret.env.iter().map(|v| v.name.as_str()).collect();
    let files: Vec<&str> = f.secret.files.iter().map(|v| v.path.as_str()).collect();
    vec![
        f.name.to_owned(),
        scope_cell(&f.scope),
        keys.join(","),
        files.join(","),
        f.secret.meta.updated_at.clone(),
        f.secret.meta.updated_by.clone(),
    ]
}

fn scope_cell(scope: &Scope) -> String {
    match scope {
        Scope::Org => "org".to_owned(),
        Scope::Project(project) => format!("project:{project}"),
    }
}

fn describe(
    ctx: &Context,
    name: &str,
    project: Option<&str>,
    format: Output,
    reveal: bool,
) -> Result<()> {
    validate::name("secret", name)?;
    let mut vault = ctx.vault()?;
    let project = crate::context::restrict_project(project.map(str::to_owned), &mut vault)?;
    let project = project.as_deref();
    let payload = vault
        .open_resolving(project, Some(&[name.to_owned()]))?
        .payload;
    let found = payload.resolve(project, None, name)?;
    if reveal {
        super::record(
            &vault,
            &[Entry::new("reveal", Some((&found.scope, found.name)))],
        );
    }
    let trail = trail(&vault);
    let view = SecretView::new(&found, &trail, reveal);
    match format {
        Output::Json => output::print_json(&view),
        Output::Table => print_description(&view),
    }
    Ok(())
}

fn print_description(view: &SecretView) {
    let scope = match view.project {
        Some(project) => format!("project {project}"),
        None => "org".to_owned(),
    };
    let allowed = if view.allowed_projects.is_empty() {
        "all projects".to_owned()
    } else {
        view.allowed_projects.join(", ")
    };
    let mut lines = vec![
        format!("Name:          {}", view.name),
        format!("Scope:         {scope}"),
        format!("Description:   {}", view.description),
    ];
    if view.project.is_none() {
        lines.push(format!("Allowed:       {allowed}"));
    }
    lines.push(format!(
        "Created:       {} by {}",
        view.created_at, view.created_by
    ));
    lines.push(format!(
        "Updated:       {} by {}",
        view.updated_at, view.updated_by
    ));
    lines.push(format!(
        "Last read:     {}",
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
    #[derive(Serialize)]
    struct ProjectView<'a> {
        name: &'a str,
        secrets: usize,
    }
    let mut vault = ctx.vault()?;
    let payload = vault.open()?.payload;
    let views: Vec<_> = payload
        .projects
        .iter()
        .map(|(name, secrets)| ProjectView {
            name,
            secrets: secrets.len(),
        })
        .collect();
    match args.output {
        Output::Json => output::print_json(&views),
        Output::Table if views.is_empty() => eprintln!("No projects found."),
        Output::Table => {
            let mut table = output::table(&["name", "secrets"]);
            for view in &views {
                table.add_row(vec![view.name.to_owned(), view.secrets.to_string()]);
            }
            output::print_table(&table);
        }
    }
    Ok(())
}

/// The audit trail for `last_read_at`; a damaged log is a warning, not a failure.
fn trail(vault: &Vault) -> Vec<Entry> {
    crate::audit::trail(vault).unwrap_or_else(|err| {
        output::warn(&err.message);
        Vec::new()
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
                .map(|i| (0..6).map(|c| cell(i, c)).collect())
                .collect();
            assert_eq!(
                render_plain(&LIST_HEADERS, &rows),
                comfy(&LIST_HEADERS, &rows),
                "{count} rows"
            );
        }
    }
}
