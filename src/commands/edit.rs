//! `vault edit secret`: the whole secret as TOML in the user's editor, then a
//! full overwrite. The temporary file lives in the private runtime directory
//! (0700, file 0600) and is overwritten and removed however the edit ends.

use std::fs::{self, OpenOptions};
use std::io::{IsTerminal, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::audit::Entry;
use crate::cli::NameArgs;
use crate::context::Context;
use crate::edit_doc;
use crate::error::{Error, Result};
use crate::output;
use crate::session;
use crate::vault::crypto;
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

    let buffer = EditBuffer::create(&text)?;
    let edited = loop {
        run_editor(buffer.path())?;
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
/// with arguments (`code --wait`) work.
fn run_editor(path: &Path) -> Result<()> {
    let editor = ["VISUAL", "EDITOR"]
        .iter()
        .find_map(|var| std::env::var(var).ok().filter(|v| !v.trim().is_empty()))
        .unwrap_or_else(|| "vi".to_owned());
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("sh")
        .arg(path)
        .status()
        .map_err(|e| Error::failure(format!("cannot start the editor '{editor}': {e}")))?;
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

/// The private temporary file holding the secret while it is edited.
struct EditBuffer {
    path: PathBuf,
}

impl EditBuffer {
    fn create(text: &str) -> Result<EditBuffer> {
        let dir = session::runtime_dir()?;
        let name = format!("edit-{}.toml", crypto::hex(&crypto::random_bytes::<8>()));
        let path = dir.join(name);
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)
            .map_err(|err| Error::io("create", &path, err))?;
        let buffer = EditBuffer { path };
        file.write_all(text.as_bytes())
            .map_err(|err| Error::io("write", &buffer.path, err))?;
        Ok(buffer)
    }

    fn path(&self) -> &Path {
        &self.path
    }

    fn read(&self) -> Result<String> {
        fs::read_to_string(&self.path).map_err(|err| {
            Error::usage(format!("cannot read the edited file: {err}"))
                .with_hint("nothing was written")
        })
    }
}

impl Drop for EditBuffer {
    fn drop(&mut self) {
        // Editors may have replaced the file: overwrite whatever is there now.
        if let Ok(len) = fs::metadata(&self.path).map(|m| m.len())
            && let Ok(mut file) = OpenOptions::new().write(true).open(&self.path)
        {
            let _ = file.write_all(&vec![0; len as usize]);
            let _ = file.sync_all();
        }
        let _ = fs::remove_file(&self.path);
    }
}
