//! `vault read`: one raw value for scripts (`TOKEN=$(vault read api TOKEN)`).

use std::io::Write;

use zeroize::Zeroizing;

use crate::cli::ReadArgs;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::template::pick_variable;
use crate::vault::model::Found;
use crate::vault::validate;

pub fn run(ctx: &Context, args: ReadArgs) -> Result<()> {
    validate::name("secret", &args.name)?;
    if let Some(key) = &args.key {
        validate::env_key(key)?;
    }
    let (project, environment) = ctx.project_and_environment(&args.project, &args.environment)?;
    let environment = environment.map(|e| e.name);
    let mut vault = ctx.vault()?;
    let (project, opened) = vault.open_resolving(
        |access| crate::context::restrict(project, access),
        environment.as_deref(),
        Some(std::slice::from_ref(&args.name)),
    )?;
    let payload = opened.payload;
    let found = payload.resolve(project.as_deref(), environment.as_deref(), &args.name)?;
    crate::precedence::require_branch(&found, crate::branch::current())?;
    let bytes = match &args.file {
        Some(dest) => file_bytes(&found, dest)?,
        None => {
            let var = pick_variable(&found, args.key.as_deref())?;
            let mut bytes = Zeroizing::new(Vec::with_capacity(var.value.expose().len() + 1));
            bytes.extend_from_slice(var.value.expose().as_bytes());
            if !args.no_newline {
                bytes.push(b'\n');
            }
            bytes
        }
    };
    super::record(&vault, &[super::read_entry("reveal", &found)]);
    let mut stdout = std::io::stdout().lock();
    // A reader that stops early (`| head -c 4`) is not an error.
    let _ = stdout.write_all(&bytes).and_then(|()| stdout.flush());
    Ok(())
}

/// The bytes of the secret's file at `dest`, exactly as stored.
fn file_bytes(found: &Found, dest: &str) -> Result<Zeroizing<Vec<u8>>> {
    let file = found.secret.files.iter().find(|f| f.path == dest);
    let file = file.ok_or_else(|| {
        let dests: Vec<&str> = found.secret.files.iter().map(|f| f.path.as_str()).collect();
        Error::not_found(format!(
            "secret '{}' has no file '{dest}' (it has: {})",
            found.name,
            match dests.is_empty() {
                true => "none".to_owned(),
                false => dests.join(", "),
            }
        ))
    })?;
    Ok(Zeroizing::new(file.contents.expose().to_vec()))
}
