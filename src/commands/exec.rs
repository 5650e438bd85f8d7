//! `vault exec`: select the secrets, report what overrides what, then hand the
//! child's environment, files and masking to `exec::run`. During a real run
//! `vault` prints nothing on stdout: stdout is the child's.

use std::collections::HashSet;
use std::ffi::{OsStr, OsString};
use std::io::IsTerminal;
use std::os::unix::ffi::OsStringExt;
use std::sync::Arc;

use crate::audit::{Durability, Entry};
use crate::cli::ExecArgs;
use crate::context::{self, Context};
use crate::error::Result;
use crate::exec::env_limit;
use crate::exec::files::{self, FileSpec};
use crate::exec::mask::Masker;
use crate::exec::plan::{self, Plan};
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
    let env = child_env(&plan);
    if args.dry_run {
        if let Err(err) = env_limit::check(&args.command, &env) {
            output::warn(&format!("a real run would be refused: {}", err.message));
        }
        // The copies of the values were only measured.
        for (_, value) in env {
            zeroize::Zeroize::zeroize(&mut value.into_vec());
        }
        print_plan(&plan, project.as_deref(), &args.command);
        return Ok(0);
    }
    // Refused before anything is written, recorded or started (exit 2).
    env_limit::check(&args.command, &env)?;
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
    // One entry naming every secret injected; not fsynced: see audit::Durability::Buffered.
    let read: Vec<_> = plan
        .secrets
        .iter()
        .map(|s| (&s.scope, s.name.as_str()))
        .collect();
    if let Some(entry) = Entry::exec(project.as_deref(), &read) {
        super::record_with(&vault, &[entry], Durability::Buffered);
    }

    let (mask_stdout, mask_stderr) = masking(&args);
    let masker = (mask_stdout || mask_stderr).then(|| Arc::new(Masker::new(plan.values_to_mask())));
    let spec = ChildSpec {
        command: args.command,
        env,
        files,
        mask_stdout: masker.clone().filter(|_| mask_stdout),
        mask_stderr: masker.filter(|_| mask_stderr),
        runtime_dir: session::runtime_dir()?,
    };
    drop(plan);
    run::run(spec)
}

/// Masking per stream: on with --mask, off with --no-mask or VAULT_MASK=0, else on
/// wherever the stream is not a terminal (logs, pipes, CI). The flags beat the
/// variable: an explicit --mask must not be undone by a VAULT_MASK=0 exported long ago.
fn masking(args: &ExecArgs) -> (bool, bool) {
    if args.mask {
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
/// The injected keys are a set, so filtering the inherited ones is linear.
fn child_env(plan: &Plan) -> Vec<(OsString, OsString)> {
    let injected_keys: HashSet<&OsStr> = plan.vars.iter().map(|v| OsStr::new(&v.key)).collect();
    let inherited = std::env::vars_os().filter(|(key, _)| {
        !injected_keys.contains(key.as_os_str())
            && !KEY_VARIABLES.iter().any(|k| OsStr::new(k) == key)
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
