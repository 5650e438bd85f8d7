//! `vault git setup|merge|show`: the vault file in a git repository (see
//! `crate::git`). `merge` and `show` are run by git itself, as the merge driver
//! and the textconv that `vault git setup` configures.

use crate::cli::{GitCommand, GitMergeArgs, GitShowArgs};
use crate::context::{Context, Prompt};
use crate::error::Result;
use crate::git::{driver, setup as git_setup, show as git_show};
use crate::output;
use crate::vault::storage::Store;

/// Runs one `vault git` command; returns the exit code.
pub fn run(ctx: &Context, command: GitCommand) -> Result<i32> {
    match command {
        GitCommand::Setup => setup(ctx).map(|()| 0),
        GitCommand::Merge(args) => merge(ctx, args),
        GitCommand::Show(args) => show(ctx, args).map(|()| 0),
    }
}

fn setup(ctx: &Context) -> Result<()> {
    let changes = git_setup::setup(&ctx.store())?;
    if changes.is_empty() {
        output::println_stdout("Already set up: nothing changed.");
    }
    for change in changes {
        output::println_stdout(&format!("Git setup: {}.", change.0));
    }
    Ok(())
}

/// Exit 0 when merged cleanly, 1 when conflicts were kept as ours (git then
/// reports the file as conflicted, holding a valid vault).
fn merge(ctx: &Context, args: GitMergeArgs) -> Result<i32> {
    let versions = driver::Versions {
        base: &args.base,
        ours: &args.ours,
        theirs: &args.theirs,
    };
    let mut vault = ctx.vault_at(Store::new(args.ours.clone()), Prompt::OnTerminal)?;
    let conflicts = driver::merge_files(&versions, &mut vault)?;
    if conflicts.is_empty() {
        return Ok(0);
    }
    eprintln!(
        "vault: {} conflict(s) in the vault file; it holds our side of each:",
        conflicts.len()
    );
    for conflict in &conflicts {
        eprintln!("  {conflict}");
    }
    eprintln!(
        "hint: settle each with `vault update secret …` (or `vault edit secret …`), then `git add` the vault file"
    );
    Ok(1)
}

fn show(ctx: &Context, args: GitShowArgs) -> Result<()> {
    // git cannot show a diff when its textconv fails: without a key that
    // works, the view says so and still succeeds.
    let vault = ctx.vault_at(Store::new(args.file.clone()), Prompt::Never);
    let text = git_show::view(&args.file, vault);
    output::println_stdout(text.trim_end_matches('\n'));
    Ok(())
}
