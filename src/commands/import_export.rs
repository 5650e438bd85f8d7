//! `vault import` and `vault export`: secrets in and out of `.env`, JSON and shell files.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use crate::cli::{ExportArgs, ExportFormat, ImportArgs, ImportFormat};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::formats;
use crate::output;
use crate::secret::SecretString;
use crate::vault::changes::SecretChange;
use crate::vault::validate;

pub fn import(ctx: &Context, args: ImportArgs) -> Result<()> {
    let (scope, id) = super::address(ctx, &args.project, &args.environment, &args.secret)?;
    let format = args.format.unwrap_or_else(|| guess_format(&args.path));
    let vars = last_definition_wins(read_vars(&args.path, format)?);
    if vars.is_empty() {
        return Err(Error::usage(format!(
            "{} holds no variables: nothing imported",
            args.path.display()
        )));
    }
    let keys: Vec<String> = vars.iter().map(|(key, _)| key.clone()).collect();
    let change = SecretChange {
        set_env: vars,
        ..SecretChange::default()
    };
    change.validate(&scope)?;

    let mut vault = ctx.vault_for_writing()?;
    let name = id.name.clone();
    // The keys the secret held before, to tell added from replaced; None if new.
    let existing = vault.modify(|payload| {
        let secrets = payload.scope_mut(&scope);
        match secrets.get_mut(&id) {
            Some(secret) => {
                let present: HashSet<&str> =
                    secret.env.iter().map(|var| var.name.as_str()).collect();
                let had: Vec<String> = keys
                    .iter()
                    .filter(|key| present.contains(key.as_str()))
                    .cloned()
                    .collect();
                change.apply(secret, &scope).map(|()| Some(had))
            }
            None => {
                secrets.insert(id.clone(), change.create(&scope)?);
                Ok(None)
            }
        }
    })?;
    super::record(&vault, &[super::entry("import", &scope, &id)]);
    let in_scope = super::in_place(&scope, &id);
    let message = match existing {
        None => format!(
            "Secret '{name}'{in_scope} created with {} variable(s): {}.",
            keys.len(),
            keys.join(", ")
        ),
        Some(replaced) => {
            let was_there: HashSet<&String> = replaced.iter().collect();
            let added: Vec<&str> = keys
                .iter()
                .filter(|key| !was_there.contains(key))
                .map(String::as_str)
                .collect();
            format!(
                "Secret '{name}'{in_scope} updated: added {}; replaced {}.",
                list(&added),
                list(&replaced.iter().map(String::as_str).collect::<Vec<_>>())
            )
        }
    };
    output::println_stdout(&message);
    Ok(())
}

/// "2 (A, B)" or "none".
fn list(keys: &[&str]) -> String {
    match keys.len() {
        0 => "none".to_owned(),
        n => format!("{n} ({})", keys.join(", ")),
    }
}

/// A key defined twice in one file keeps its last value, as when the file is
/// sourced by a shell; a warning names it (never the values).
fn last_definition_wins(vars: Vec<(String, SecretString)>) -> Vec<(String, SecretString)> {
    let mut kept: Vec<(String, SecretString)> = Vec::with_capacity(vars.len());
    let mut at: HashMap<String, usize> = HashMap::with_capacity(vars.len());
    for (key, value) in vars {
        match at.get(&key) {
            Some(&i) => {
                output::warn(&format!(
                    "{key} is defined more than once; the last one wins"
                ));
                kept[i].1 = value;
            }
            None => {
                at.insert(key.clone(), kept.len());
                kept.push((key, value));
            }
        }
    }
    kept
}

fn guess_format(path: &Path) -> ImportFormat {
    match path.extension().and_then(|e| e.to_str()) {
        Some(ext) if ext.eq_ignore_ascii_case("json") => ImportFormat::Json,
        _ => ImportFormat::Dotenv,
    }
}

fn read_vars(path: &Path, format: ImportFormat) -> Result<Vec<(String, SecretString)>> {
    let text = formats::read_text(path)?;
    match format {
        ImportFormat::Dotenv => formats::read_dotenv(&text, path),
        ImportFormat::Json => formats::read_json(&text, path),
    }
}

pub fn export(ctx: &Context, args: ExportArgs) -> Result<()> {
    validate::name("secret", &args.name)?;
    let (project, environment) = ctx.project_and_environment(&args.project, &args.environment)?;
    let environment = environment.map(|e| e.name);
    let mut vault = ctx.vault()?;
    let names = [args.name.clone()];
    let (project, opened) = vault.open_resolving(
        |access| crate::context::restrict(project, access),
        environment.as_deref(),
        Some(&names),
    )?;
    let payload = opened.payload;
    let found = payload.resolve(project.as_deref(), environment.as_deref(), &args.name)?;
    crate::precedence::require_branch(&found, crate::branch::current())?;
    let vars: Vec<(&str, &str)> = found
        .secret
        .env
        .iter()
        .map(|var| (var.name.as_str(), var.value.expose()))
        .collect();
    let text = zeroize::Zeroizing::new(match args.format {
        ExportFormat::Dotenv => formats::render_dotenv(&vars),
        ExportFormat::Shell => formats::render_shell(&vars),
        ExportFormat::Json => formats::render_json(&vars),
        ExportFormat::Kestra => formats::render_kestra(&vars),
    });
    super::record(&vault, &[super::read_entry("export", &found)]);
    if !found.secret.files.is_empty() {
        output::warn(&format!(
            "secret '{}' also has {} file(s); export covers its variables only",
            found.name,
            found.secret.files.len()
        ));
    }
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    let _ = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
    Ok(())
}
