//! One module per verb group. Each is thin: resolve inputs, call the library,
//! print the result. `run` returns the process exit code.

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
    Cli, Command, CreateCommand, DeleteCommand, EditCommand, GetCommand, MemberCommand,
    UpdateCommand,
};
use crate::context::Context;
use crate::error::Result;
use crate::output;
use crate::vault::Vault;

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
        Command::Git(command) => return git::run(&ctx, command),
        Command::Completions(args) => complete::completions(args),
        Command::Complete(args) => complete::names(&ctx, args),
    }
    .map(|()| 0)
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
