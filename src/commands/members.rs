//! `vault keygen`, `vault member add/remove/list`, `vault rekey` and
//! `vault upgrade`: identities, members and their keys.

use std::io::{IsTerminal, Write};
use std::os::unix::fs::OpenOptionsExt;

use serde::Serialize;

use crate::audit::Entry;
use crate::cli::{KeygenArgs, MemberAddArgs, MemberListArgs, MemberRemoveArgs, Output};
use crate::context::{self, Context};
use crate::error::{Error, Result};
use crate::output;
use crate::session;
use crate::vault::members::{self, MemberKind};

pub fn keygen(args: KeygenArgs) -> Result<()> {
    let path = match args.output {
        Some(path) => path,
        None => {
            let dirs = directories::BaseDirs::new().ok_or_else(|| {
                Error::failure("cannot find your home directory").with_hint("pass -o PATH")
            })?;
            context::default_identity_path(&dirs)
        }
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        session::private_dir(dir)?;
    }
    let (text, recipient) = members::generate_identity();
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&path)
        .map_err(|err| match err.kind() {
            std::io::ErrorKind::AlreadyExists => Error::conflict(format!(
                "{} already exists; vault keygen never overwrites an identity",
                path.display()
            ))
            .with_hint("pass -o PATH to write a new one elsewhere"),
            _ => Error::io("create", &path, err),
        })?;
    file.write_all(text.expose().as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|err| Error::io("write", &path, err))?;
    output::println_stdout(&recipient);
    eprintln!("Identity written to {} (mode 0600).", path.display());
    Ok(())
}

/// A recipient argument: the text itself, or `@PATH` of a file holding it.
fn recipient_text(arg: &str) -> Result<String> {
    match arg.strip_prefix('@') {
        Some(path) => std::fs::read_to_string(path)
            .map(|text| text.trim().to_owned())
            .map_err(|err| Error::usage(format!("cannot read recipient file {path}: {err}"))),
        None => Ok(arg.to_owned()),
    }
}

pub fn init_with_recipient(ctx: &Context, recipient: &str, member: Option<String>) -> Result<()> {
    let store = ctx.store();
    let name = match member {
        Some(name) => name,
        None => login_name(),
    };
    crate::vault::validate::name("member", &name)?;
    crate::vault::Vault::init_with_recipient(&store, &name, &recipient_text(recipient)?)?;
    output::println_stdout(&format!(
        "Vault created at {} with member '{name}'.",
        store.path().display()
    ));
    Ok(())
}

fn login_name() -> String {
    let user = crate::vault::actor::current();
    let login = user.split('@').next().unwrap_or_default();
    if crate::vault::validate::name("member", login).is_ok() {
        login.to_owned()
    } else {
        "owner".to_owned()
    }
}

pub fn add(ctx: &Context, args: MemberAddArgs) -> Result<()> {
    let recipient = recipient_text(&args.recipient)?;
    members::parse_recipient(&recipient)?;
    let mut vault = ctx.vault_for_writing()?;
    let projects = (!args.projects.is_empty()).then_some(args.projects);
    vault.add_member(&args.name, &recipient, projects.clone())?;
    super::record(
        &vault,
        &[Entry::new(&format!("member add {}", args.name), None)],
    );
    let access = match &projects {
        None => "a full member".to_owned(),
        Some(projects) => format!("a project member of {}", projects.join(", ")),
    };
    output::println_stdout(&format!("Member '{}' added as {access}.", args.name));
    Ok(())
}

pub fn remove(ctx: &Context, args: MemberRemoveArgs) -> Result<()> {
    let on_terminal = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    if !args.yes && !on_terminal {
        return Err(
            Error::usage("removing a member without a terminal needs --yes")
                .with_hint(format!("vault member remove {} --yes", args.name)),
        );
    }
    let mut vault = ctx.vault_for_writing()?;
    let vault_id = vault.vault_id()?;
    if !args.yes
        && !confirm(&format!(
            "Remove member '{}' and replace every key?",
            args.name
        ))?
    {
        eprintln!("Nothing removed.");
        return Ok(());
    }
    vault.remove_member(&args.name)?;
    session::end_all(&vault_id)?;
    vault.unlock()?;
    super::record(
        &vault,
        &[Entry::new(&format!("member remove {}", args.name), None)],
    );
    output::println_stdout(&format!(
        "Member '{}' removed; every key was replaced and every session has ended.",
        args.name
    ));
    eprintln!(
        "Copies made before (backups, git history) stay readable to it: rotate the credentials it could read."
    );
    Ok(())
}

#[derive(Serialize)]
struct MemberView<'a> {
    name: &'a str,
    kind: &'a str,
    recipient: Option<&'a str>,
    projects: Option<&'a [String]>,
    added_at: &'a str,
    added_by: &'a str,
}

pub fn list(ctx: &Context, args: MemberListArgs) -> Result<()> {
    let mut vault = ctx.vault()?;
    let members = vault.members()?;
    let views: Vec<MemberView> = members
        .iter()
        .map(|m| MemberView {
            name: &m.name,
            kind: m.kind.label(),
            recipient: (m.kind != MemberKind::Passphrase).then_some(m.recipient.as_str()),
            projects: m.projects.as_deref(),
            added_at: &m.added_at,
            added_by: &m.added_by,
        })
        .collect();
    match args.output.output {
        Output::Json => output::print_json(&views),
        Output::Table => {
            let mut table = output::table(&["name", "kind", "access", "recipient", "added"]);
            for view in &views {
                table.add_row(vec![
                    view.name.to_owned(),
                    view.kind.to_owned(),
                    view.projects
                        .map_or("full".to_owned(), |p| format!("projects: {}", p.join(", "))),
                    view.recipient.unwrap_or("-").to_owned(),
                    format!("{} by {}", view.added_at, view.added_by),
                ]);
            }
            output::println_stdout(&table.to_string());
        }
    }
    Ok(())
}

pub fn rekey(ctx: &Context) -> Result<()> {
    let mut vault = ctx.vault_for_writing()?;
    let vault_id = vault.vault_id()?;
    vault.rekey()?;
    session::end_all(&vault_id)?;
    vault.unlock()?;
    super::record(&vault, &[Entry::new("rekey", None)]);
    output::println_stdout("Every key was replaced; every session has ended.");
    Ok(())
}

pub fn upgrade(ctx: &Context) -> Result<()> {
    let mut vault = ctx.vault()?;
    if vault.upgrade()? {
        output::println_stdout(&format!(
            "Vault upgraded to format 3; the old file is kept as {}.",
            vault.store.backup_path().display()
        ));
    } else {
        eprintln!("The vault is in the current format already: nothing written.");
    }
    Ok(())
}

fn confirm(prompt: &str) -> Result<bool> {
    dialoguer::Confirm::new()
        .with_prompt(prompt)
        .default(false)
        .interact()
        .map_err(|e| Error::failure(format!("cannot ask for confirmation: {e}")))
}
