//! `vault edit secret`: the whole secret as TOML in the user's editor, then a
//! full overwrite. The buffer ([`EditBuffer`]) is private, in memory where the
//! system allows, and overwritten and removed however the edit ends, signals
//! included. The editor gets none of the variables that hold the vault's key.

use std::io::IsTerminal;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicI32, Ordering};

use crate::audit::Entry;
use crate::cli::NameArgs;
use crate::context::Context;
use crate::edit_buffer::EditBuffer;
use crate::edit_doc;
use crate::error::{Error, Result};
use crate::key_vars::KEY_VARIABLES;
use crate::output;
use crate::vault::model::{Scope, SecretId};
use crate::vault::validate;

pub fn run(ctx: &Context, args: NameArgs) -> Result<()> {
    validate::name("secret", &args.name)?;
    let scope = Scope::from_project(ctx.project(&args.project)?.as_deref());
    let name = args.name;
    let mut vault = ctx.vault_for_writing()?;
    let id = SecretId::plain(&name);
    let original = vault.open()?.payload.get_exact(&scope, &id)?.clone();
    let text = edit_doc::render(&name, &scope, &original);

    let buffer = EditBuffer::create(&name, &text)?;
    let editor_pid = Arc::new(AtomicI32::new(0));
    let signals = buffer.remove_on_signals(Arc::clone(&editor_pid))?;
    let edited = loop {
        run_editor(buffer.path(), &editor_pid)?;
        let edited = buffer.read()?;
        if edited == text {
            eprintln!("Secret '{name}' unchanged: nothing written.");
            return Ok(());
        }
        if edit_doc::is_empty(&edited) {
            eprintln!("The file was emptied: nothing written.");
            return Ok(());
        }
        match edit_doc::parse(&edited, &scope, &original) {
            Ok(secret) => break secret,
            Err(err) if std::io::stdin().is_terminal() => {
                output::print_error(&err);
                if !ask_to_edit_again()? {
                    return Err(Error::usage("edit abandoned: nothing written"));
                }
            }
            Err(err) => return Err(err.with_hint("nothing was written")),
        }
    };
    drop(signals);
    drop(buffer);

    vault.modify(|payload| {
        let current = payload.get_exact_mut(&scope, &id)?;
        *current = edited;
        Ok(())
    })?;
    super::record(&vault, &[Entry::new("edit", Some((&scope, &name)))]);
    output::println_stdout(&format!(
        "Secret '{name}' updated{}.",
        super::create::in_scope(&scope)
    ));
    Ok(())
}

/// Runs `$VISUAL`, else `$EDITOR`, else `vi`, through `sh` so that editors
/// with arguments (`code --wait`) work, without the key variables: an editor
/// plugin or a shell escape (`:!cmd`) must not be handed the vault's key.
/// `pid` holds the editor's pid while it runs, for the signal handler.
fn run_editor(path: &Path, pid: &AtomicI32) -> Result<()> {
    let editor = ["VISUAL", "EDITOR"]
        .iter()
        .find_map(|var| std::env::var(var).ok().filter(|v| !v.trim().is_empty()))
        .unwrap_or_else(|| "vi".to_owned());
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("sh")
        .arg(path);
    for key in KEY_VARIABLES {
        command.env_remove(key);
    }
    let mut child = command
        .spawn()
        .map_err(|e| Error::failure(format!("cannot start the editor '{editor}': {e}")))?;
    pid.store(child.id() as i32, Ordering::SeqCst);
    let status = child.wait();
    pid.store(0, Ordering::SeqCst);
    let status =
        status.map_err(|e| Error::failure(format!("lost track of the editor '{editor}': {e}")))?;
    if !status.success() {
        return Err(Error::failure(format!(
            "the editor '{editor}' failed ({status}): nothing written"
        )));
    }
    Ok(())
}

fn ask_to_edit_again() -> Result<bool> {
    dialoguer::Confirm::new()
        .with_prompt("Edit again?")
        .default(true)
        .interact()
        .map_err(|e| Error::failure(format!("cannot ask: {e}")))
}
