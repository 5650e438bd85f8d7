//! One module per verb group. Each is thin: resolve inputs, call the library,
//! print the result. `run` returns the process exit code.

mod check;
mod complete;
mod create;
mod delete;
mod edit;
mod exec;
mod get;
mod git;
mod import_export;
mod init;
mod inject;
mod log;
mod members;
mod read;
mod session;
mod update;

use crate::audit::{Durability, Entry};
use crate::cli::{
    Cli, Command, CreateCommand, DeleteCommand, EditCommand, EnvironmentArg, GetCommand,
    MemberCommand, ProjectArg, UpdateCommand,
};
use crate::context::Context;
use crate::error::Result;
use crate::output;
use crate::vault::Vault;
use crate::vault::model::{Found, Scope, SecretId};
use crate::vault::validate;

/// Runs a parsed command line; returns the exit code.
pub fn run(cli: Cli) -> i32 {
    match dispatch(cli) {
        Ok(code) => code,
        Err(err) => {
            output::print_error(&err);
            err.exit_code()
        }
    }
}

fn dispatch(cli: Cli) -> Result<i32> {
    // Edit buffers of a `vault` killed outright hold a whole secret: any command
    // removes them.
    crate::edit_buffer::sweep();
    let ctx = Context::new(&cli.global)?;
    match cli.command {
        Command::Init(args) => init::run(&ctx, args),
        Command::Create(CreateCommand::Secret(args)) => create::run(&ctx, args),
        Command::Get(GetCommand::Secret(args)) => get::secrets(&ctx, args),
        Command::Get(GetCommand::Projects(args)) => get::projects(&ctx, args),
        Command::Get(GetCommand::Environments(args)) => get::environments(&ctx, args),
        Command::Update(UpdateCommand::Secret(args)) => update::run(&ctx, args),
        Command::Edit(EditCommand::Secret(args)) => edit::run(&ctx, args),
        Command::Delete(DeleteCommand::Secret(args)) => delete::run(&ctx, args),
        Command::Read(args) => read::run(&ctx, args),
        Command::Exec(args) => return exec::run(&ctx, args),
        Command::Inject(args) => inject::run(&ctx, args),
        Command::Import(args) => import_export::import(&ctx, args),
        Command::Export(args) => import_export::export(&ctx, args),
        Command::Unlock(args) => session::unlock(&ctx, args),
        Command::Lock => session::lock(&ctx),
        Command::Passwd(args) => session::passwd(&ctx, args),
        Command::Keygen(args) => members::keygen(args),
        Command::Member(MemberCommand::Add(args)) => members::add(&ctx, args),
        Command::Member(MemberCommand::Remove(args)) => members::remove(&ctx, args),
        Command::Member(MemberCommand::List(args)) => members::list(&ctx, args),
        Command::Rekey => members::rekey(&ctx),
        Command::Upgrade => members::upgrade(&ctx),
        Command::Log(args) => log::run(&ctx, args),
        Command::Check(args) => return check::run(&ctx, args),
        Command::Git(command) => return git::run(&ctx, command),
        Command::Completions(args) => complete::completions(args),
        Command::Complete(args) => complete::names(&ctx, args),
    }
    .map(|()| 0)
}

/// The exact address a command names with `-p` and `-E` (or their other
/// sources): one scope, one environment's variant, no precedence.
fn address(
    ctx: &Context,
    project: &ProjectArg,
    environment: &EnvironmentArg,
    name: &str,
) -> Result<(Scope, SecretId)> {
    validate::name("secret", name)?;
    let (project, environment) = ctx.project_and_environment(project, environment)?;
    let environment = environment.map(|e| e.name);
    Ok((
        Scope::from_project(project.as_deref()),
        SecretId::new(name, environment.as_deref()),
    ))
}

/// " in project 'blue'", " in environment 'prod'", both, or "" for org
/// level without an environment, for confirmation messages.
fn in_place(scope: &Scope, id: &SecretId) -> String {
    let mut place = match scope {
        Scope::Org => String::new(),
        Scope::Project(project) => format!(" in project '{project}'"),
    };
    if let Some(environment) = &id.environment {
        place.push_str(&format!(" in environment '{environment}'"));
    }
    place
}

/// The audit entry for an action on one secret variant.
fn entry(action: &str, scope: &Scope, id: &SecretId) -> Entry {
    Entry::new(action, Some((scope, &id.name))).in_environment(id.environment.as_deref())
}

/// The audit entry for a use of a resolved secret's values.
fn read_entry(action: &str, found: &Found) -> Entry {
    Entry::new(action, Some((&found.scope, found.name))).in_environment(found.environment)
}

/// Records an audit entry. The change it records has already happened, so a
/// failure to record is a warning, not a reason to report the change as failed.
fn record(vault: &Vault, entries: &[Entry]) {
    record_with(vault, entries, Durability::Synced);
}

fn record_with(vault: &Vault, entries: &[Entry], durability: Durability) {
    if let Err(err) = crate::audit::record(vault, entries, durability) {
        output::warn(&format!("the audit trail was not updated: {}", err.message));
    }
}
