//! `vault exec`: select the secrets, report what overrides what, then hand the
//! child's environment, files and masking to `exec::run`. During a real run
//! `vault` prints nothing on stdout: stdout is the child's.

use std::ffi::OsString;
use std::io::IsTerminal;
use std::sync::Arc;

use crate::audit::{Durability, Entry};
use crate::cli::ExecArgs;
use crate::context::{self, Context};
use crate::error::{Error, Result};
use crate::exec::files::{self, FileSpec};
use crate::exec::mask::Masker;
use crate::exec::plan::{self, Plan};
use crate::exec::pty;
use crate::exec::run::{self, ChildSpec};
use crate::output;
use crate::session;
use crate::vault::validate;

/// Variables that carry the key to the vault: the child never gets them.
const KEY_VARIABLES: [&str; 4] = [
    "VAULT_SESSION",
    "VAULT_PASSPHRASE",
    "VAULT_PASSPHRASE_FILE",
    "VAULT_NEW_PASSPHRASE",
];

pub fn run(ctx: &Context, args: ExecArgs) -> Result<i32> {
    if args.pty && !args.dry_run && !pty::available() {
        return Err(Error::usage("--pty needs a terminal on stdin and stdout"));
    }
    // Read once, and only when needed: it may give both the project and the secrets.
    let needs_file =
        args.secrets.is_empty() || args.project.project.as_deref().is_none_or(str::is_empty);
    let project_file = match needs_file {
        true => context::find_project_file()?.map(|(_, file)| file),
        false => None,
    };
    let project = context::project_from(&args.project, project_file.as_ref())?;
    // `None`: nothing names the secrets, so every visible one. `secrets = []` in
    // .vault.toml names none.
    let names = match args.secrets.is_empty() {
        false => Some(args.secrets.clone()),
        true => project_file.and_then(|file| file.secrets),
    };
    for name in names.iter().flatten() {
        validate::name("secret", name)?;
    }
    let mut vault = ctx.vault()?;
    let plan = {
        let opened = vault.open_resolving(project.as_deref(), names.as_deref())?;
        let selected = plan::select(&opened.payload, project.as_deref(), names.as_deref())?;
        plan::build(&selected)
    };
    for o in &plan.overrides {
        output::warn(&format!(
            "{} is set by {} and by {}; using {}",
            o.what,
            o.loser.describe(),
            o.winner.describe(),
            o.winner.describe()
        ));
    }
    if args.dry_run {
        print_plan(&plan, project.as_deref(), &args.command);
        return Ok(0);
    }
    let files: Vec<FileSpec> = plan
        .files
        .iter()
        .map(|f| FileSpec {
            destination: f.destination.clone(),
            contents: zeroize::Zeroizing::new(f.contents.expose().to_vec()),
        })
        .collect();
    // An existing destination stops the run (exit 6) before it is recorded as
    // an exec: nothing was injected, so nothing was read. `run` checks again.
    files::plan(&files)?;
    let entries: Vec<Entry> = plan
        .secrets
        .iter()
        .map(|s| Entry::new("exec", Some((&s.scope, &s.name))))
        .collect();
    // Not fsynced: see audit::Durability::Buffered.
    super::record_with(&vault, &entries, Durability::Buffered);

    let (mask_stdout, mask_stderr) = masking(&args);
    // On a terminal, masking keeps the terminal: the command runs on a pty.
    let on_pty = args.pty || (args.mask && pty::available());
    let masker = (mask_stdout || mask_stderr)
        .then(|| Arc::new(Masker::in_background(plan.values_to_mask())));
    let spec = ChildSpec {
        command: args.command,
        env: child_env(&plan),
        files,
        mask_stdout: masker.clone().filter(|_| mask_stdout),
        mask_stderr: masker.filter(|_| mask_stderr),
        pty: on_pty,
        runtime_dir: session::runtime_dir()?,
    };
    drop(plan);
    run::run(spec)
}

/// Masking per stream: on with --mask, off with --no-mask or VAULT_MASK=0, else on
/// wherever the stream is not a terminal (logs, pipes, CI). The flags beat the
/// variable: an explicit --mask must not be undone by a VAULT_MASK=0 exported long ago.
fn masking(args: &ExecArgs) -> (bool, bool) {
    if args.mask || args.pty {
        return (true, true);
    }
    let disabled = args.no_mask || std::env::var("VAULT_MASK").is_ok_and(|v| v == "0");
    if disabled {
        return (false, false);
    }
    (
        !std::io::stdout().is_terminal(),
        !std::io::stderr().is_terminal(),
    )
}

/// The caller's environment without the vault's keys, then the secrets' variables.
fn child_env(plan: &Plan) -> Vec<(OsString, OsString)> {
    let inherited = std::env::vars_os().filter(|(key, _)| {
        let key = key.to_string_lossy();
        !KEY_VARIABLES.contains(&key.as_ref()) && plan.vars.iter().all(|v| v.key != key)
    });
    let injected = plan
        .vars
        .iter()
        .map(|v| (OsString::from(&v.key), OsString::from(v.value.expose())));
    inherited.chain(injected).collect()
}

/// `--dry-run`: what would be injected and from where, never values.
fn print_plan(plan: &Plan, project: Option<&str>, command: &[OsString]) {
    let command: Vec<String> = command
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let mut lines = vec![
        format!("Command:  {}", command.join(" ")),
        format!("Project:  {}", project.unwrap_or("(none: org level only)")),
        format!("Secrets:  {}", plan.secrets.len()),
    ];
    for source in &plan.secrets {
        lines.push(format!("  {}", source.describe()));
    }
    lines.push(format!("Variables: {}", plan.vars.len()));
    for var in &plan.vars {
        lines.push(format!("  {:<24} from {}", var.key, var.from.describe()));
    }
    lines.push(format!("Files: {}", plan.files.len()));
    for file in &plan.files {
        lines.push(format!(
            "  {:<24} from {}",
            file.destination,
            file.from.describe()
        ));
    }
    if !plan.overrides.is_empty() {
        lines.push(format!("Overridden: {}", plan.overrides.len()));
        for o in &plan.overrides {
            lines.push(format!(
                "  {} from {} (overridden by {})",
                o.what,
                o.loser.describe(),
                o.winner.describe()
            ));
        }
    }
    output::println_stdout(&lines.join("\n"));
}
