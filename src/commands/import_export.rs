//! `vault import` and `vault export`: secrets in and out of `.env`, JSON and shell files.

use std::io::Read;
use std::path::Path;

use crate::audit::Entry;
use crate::cli::{ExportArgs, ExportFormat, ImportArgs, ImportFormat};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::formats;
use crate::output;
use crate::secret::SecretString;
use crate::vault::changes::SecretChange;
use crate::vault::model::Scope;
use crate::vault::validate;

pub fn import(ctx: &Context, args: ImportArgs) -> Result<()> {
    validate::name("secret", &args.secret)?;
    let scope = Scope::from_project(ctx.project(&args.project)?.as_deref());
    let format = args.format.unwrap_or_else(|| guess_format(&args.path));
    let vars = read_vars(&args.path, format)?;
    let keys: Vec<String> = vars.iter().map(|(key, _)| key.clone()).collect();
    let change = SecretChange {
        set_env: vars,
        ..SecretChange::default()
    };
    change.validate(&scope)?;

    let mut vault = ctx.vault()?;
    let name = args.secret;
    let created = vault.modify(|payload| {
        let secrets = payload.scope_mut(&scope);
        match secrets.get_mut(&name) {
            Some(secret) => change.apply(secret, &scope).map(|()| false),
            None => {
                secrets.insert(name.clone(), change.create(&scope)?);
                Ok(true)
            }
        }
    })?;
    super::record(&vault, &[Entry::new("import", Some((&scope, &name)))]);
    let verb = if created {
        "created with"
    } else {
        "updated with"
    };
    output::println_stdout(&format!(
        "Secret '{name}'{} {verb} {} variable(s): {}.",
        super::create::in_scope(&scope),
        keys.len(),
        keys.join(", ")
    ));
    Ok(())
}

fn guess_format(path: &Path) -> ImportFormat {
    match path.extension().and_then(|e| e.to_str()) {
        Some(ext) if ext.eq_ignore_ascii_case("json") => ImportFormat::Json,
        _ => ImportFormat::Dotenv,
    }
}

fn read_vars(path: &Path, format: ImportFormat) -> Result<Vec<(String, SecretString)>> {
    let from_stdin = path == Path::new("-");
    match format {
        ImportFormat::Dotenv if from_stdin => formats::read_dotenv(std::io::stdin().lock(), path),
        ImportFormat::Dotenv => formats::read_dotenv_file(path),
        ImportFormat::Json => {
            let mut text = zeroize::Zeroizing::new(String::new());
            let read = if from_stdin {
                std::io::stdin().read_to_string(&mut text).map(drop)
            } else {
                std::fs::File::open(path).and_then(|mut f| f.read_to_string(&mut text).map(drop))
            };
            read.map_err(|err| Error::usage(format!("cannot read {}: {err}", path.display())))?;
            formats::read_json(&text, path)
        }
    }
}

pub fn export(ctx: &Context, args: ExportArgs) -> Result<()> {
    validate::name("secret", &args.name)?;
    let project = ctx.project(&args.project)?;
    let mut vault = ctx.vault()?;
    let payload = vault.open()?.payload;
    let found = payload.resolve(project.as_deref(), &args.name)?;
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
    });
    super::record(
        &vault,
        &[Entry::new("export", Some((&found.scope, found.name)))],
    );
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
