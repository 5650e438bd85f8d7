//! `vault exec`: select the secrets, report what overrides what, then hand the
//! child's environment, files and masking to `exec::run`. During a real run
//! `vault` prints nothing on stdout: stdout is the child's.

use std::ffi::OsString;
use std::io::IsTerminal;
use std::os::unix::ffi::OsStrExt;
use std::sync::Arc;

use crate::audit::{Durability, Entry};
use crate::branch::Branch;
use crate::cli::ExecArgs;
use crate::context::{self, Context, Environment};
use crate::error::{Error, Result};
use crate::exec::child_env::{self, ChildEnv};
use crate::exec::env_limit;
use crate::exec::files::{self, FileSpec};
use crate::exec::mask::Masker;
use crate::exec::plan::{self, Plan, Source};
use crate::exec::pty;
use crate::exec::run::{self, ChildSpec};
use crate::exec::templates;
use crate::exec::wipe;
use crate::output;
use crate::precedence;
use crate::session;
use crate::vault::model::Found;
use crate::vault::validate;

pub fn run(ctx: &Context, args: ExecArgs) -> Result<i32> {
    if args.pty && !args.dry_run && !pty::available() {
        return Err(Error::usage("--pty needs a terminal on stdin and stdout"));
    }
    // Read once, and only when needed: it may give the project, the
    // environment and the secrets.
    let environment_given = args.environment.environment.is_some()
        || std::env::var_os("VAULT_ENVIRONMENT").is_some_and(|v| !v.is_empty());
    let needs_file = args.secrets.is_empty()
        || args.project.project.as_deref().is_none_or(str::is_empty)
        || !environment_given;
    let project_file = match needs_file {
        true => context::find_project_file()?.map(|(_, file)| file),
        false => None,
    };
    let project = context::project_from(&args.project, project_file.as_ref())?;
    let branch = crate::branch::current();
    let environment = context::environment_from(&args.environment, project_file.as_ref(), || {
        branch.name.as_deref()
    })?;
    let env = environment.as_ref().map(|e| e.name.as_str());
    // `None`: nothing names the secrets, so every visible one. `secrets = []` in
    // .vault.toml names none.
    let names = match args.secrets.is_empty() {
        false => Some(args.secrets.clone()),
        true => project_file.and_then(|file| file.secrets),
    };
    for name in names.iter().flatten() {
        validate::name("secret", name)?;
    }
    let templates = templates::load(&args.templates)?;
    // A template may name secrets that are not selected: open those too.
    let to_open = names.as_ref().map(|names| {
        let mut all = names.clone();
        all.extend(templates::secret_names(&templates));
        all
    });
    let mut vault = ctx.vault()?;
    let (project, opened) = vault.open_resolving(
        |access| context::restrict(project, access),
        env,
        to_open.as_deref(),
    )?;
    let lookup = plan::Lookup {
        project: project.as_deref(),
        environment: env,
        branch,
    };
    let (selected, left_out) = match names.as_deref() {
        None => plan::select_visible(&opened.payload, lookup),
        some => (plan::select(&opened.payload, lookup, some)?, Vec::new()),
    };
    let rendered = templates::render(&templates, &opened.payload, lookup)?;
    let mut plan = plan::build(&selected);
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
        warn_if_refused(&args.command, &plan);
        let context = PlanContext {
            project: project.as_deref(),
            environment: environment.as_ref(),
            branch,
            reasons: &reasons(&selected, project.as_deref(), env),
            left_out: &describe_left_out(&left_out),
        };
        print_plan(&plan, &rendered, &context, &args.command);
        drop((plan, selected, left_out));
        wipe::forgetting(opened.payload);
        return Ok(0);
    }
    let injected: Vec<(&str, &[u8])> = plan
        .vars
        .iter()
        .map(|v| (v.key, v.value.expose().as_bytes()))
        .collect();
    let child_env = ChildEnv::inheriting(&injected, |key| plan.sets(key))?;
    drop(injected);
    // Refused before anything is written, recorded or started (exit 2).
    env_limit::check(&args.command, child_env.sizes())?;
    let mut files: Vec<FileSpec> = plan
        .files
        .iter()
        .map(|f| FileSpec {
            destination: f.destination.to_owned(),
            contents: zeroize::Zeroizing::new(f.contents.expose().to_vec()),
        })
        .collect();
    let mut template_values = Vec::new();
    let mut template_sources = Vec::new();
    for template in rendered {
        files.push(template.file);
        template_values.extend(template.values);
        template_sources.extend(template.used);
    }
    let mut read: Vec<&Source> = plan.secrets.iter().collect();
    for source in &template_sources {
        if !read.contains(&source) {
            read.push(source);
        }
    }
    // An existing destination stops the run (exit 6) before it is recorded as
    // an exec: nothing was injected, so nothing was read. `run` checks again.
    files::plan(&files)?;
    // One entry naming every secret read; not fsynced: see audit::Durability::Buffered.
    let read: Vec<_> = read
        .iter()
        .map(|s| (&s.scope, s.environment.as_deref(), s.name.as_str()))
        .collect();
    if let Some(entry) = Entry::exec(project.as_deref(), &read) {
        super::record_with(&vault, &[entry], Durability::Buffered);
    }

    let runtime_dir = runtime_dir_for(&files)?;
    let (mask_stdout, mask_stderr) = masking(&args);
    // On a terminal, masking keeps the terminal: the command runs on a pty.
    let on_pty = args.pty || (args.mask && pty::available());
    let masker = (mask_stdout || mask_stderr).then(|| {
        let mut values = plan.values_to_mask();
        values.extend(template_values.iter().map(|v| v.expose().as_bytes()));
        Arc::new(Masker::in_background(values))
    });
    // Freed once the command has started, with the opened vault.
    let sources = std::mem::take(&mut plan.secrets);
    drop(plan);
    drop(selected);
    let spec = ChildSpec {
        command: args.command,
        env: child_env,
        files,
        mask_stdout: masker.clone().filter(|_| mask_stdout),
        mask_stderr: masker.filter(|_| mask_stderr),
        pty: on_pty,
        runtime_dir,
        held: Some(Box::new((opened, sources))),
    };
    run::run(spec)
}

/// The runtime directory holds the journals of runs that write files. A run without
/// files needs none (only for the best-effort sweep), so a missing or unusable one
/// cannot stop it.
fn runtime_dir_for(files: &[FileSpec]) -> Result<Option<std::path::PathBuf>> {
    match files.is_empty() {
        true => Ok(session::runtime_dir().ok()),
        false => session::runtime_dir().map(Some),
    }
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

/// A dry run says so when a real run would be refused for the size of the
/// environment. It measures the plan: it needs no copy of the values.
fn warn_if_refused(command: &[OsString], plan: &Plan) {
    let inherited = child_env::inherited(|key| plan.sets(key));
    let inherited = inherited
        .iter()
        .map(|(k, v)| (k.as_bytes(), k.len() + 1 + v.len()));
    let injected = plan
        .vars
        .iter()
        .map(|v| (v.key.as_bytes(), v.key.len() + 1 + v.value.expose().len()));
    if let Err(err) = env_limit::check(command, inherited.chain(injected)) {
        output::warn(&format!("a real run would be refused: {}", err.message));
    }
}

/// Why each selected secret's variant won, in the plan's order (for --dry-run).
fn reasons(selected: &[Found], project: Option<&str>, environment: Option<&str>) -> Vec<String> {
    selected
        .iter()
        .map(|found| precedence::why(found, project, environment))
        .collect()
}

/// What a branch rule silently left out, so that --dry-run can say so.
fn describe_left_out(left_out: &[Found]) -> Vec<String> {
    left_out
        .iter()
        .map(|found| {
            let label = precedence::label(found.name, &found.scope, found.environment);
            format!(
                "{label}: branch rule {}",
                found.secret.allowed_branches.join(", ")
            )
        })
        .collect()
}

/// What `--dry-run` reports besides the plan: where the run looked.
struct PlanContext<'a> {
    project: Option<&'a str>,
    environment: Option<&'a Environment>,
    branch: &'a Branch,
    /// Why each selected secret's variant won, in the plan's order.
    reasons: &'a [String],
    /// The secrets a branch rule left out.
    left_out: &'a [String],
}

/// `--dry-run`: what would be injected and from where, never values.
fn print_plan(
    plan: &Plan,
    templates: &[templates::Rendered],
    context: &PlanContext,
    command: &[OsString],
) {
    use std::fmt::Write;
    let command: Vec<String> = command
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let environment = match context.environment {
        Some(e) => format!("{} ({})", e.name, e.source),
        None => "(none)".to_owned(),
    };
    // One text, written line by line: at 10,000 secrets a string per line,
    // joined, cost more than the plan itself. Each source is described once.
    let sources: Vec<String> = plan.secrets.iter().map(Source::describe).collect();
    let mut out = String::with_capacity(64 * (plan.secrets.len() + plan.vars.len()));
    let project = context.project.unwrap_or("(none: org level only)");
    let _ = writeln!(out, "Command:  {}", command.join(" "));
    let _ = writeln!(out, "Project:  {project}");
    let _ = writeln!(out, "Environment: {environment}");
    let _ = writeln!(out, "Branch:   {}", context.branch.describe());
    let _ = writeln!(out, "Secrets:  {}", plan.secrets.len());
    for (source, why) in sources.iter().zip(context.reasons) {
        let _ = writeln!(out, "  {source}  <- {why}");
    }
    if !context.left_out.is_empty() {
        let _ = writeln!(out, "Left out: {}", context.left_out.len());
        for line in context.left_out {
            let _ = writeln!(out, "  {line}");
        }
    }
    let _ = writeln!(out, "Variables: {}", plan.vars.len());
    for var in &plan.vars {
        let _ = writeln!(out, "  {:<24} from {}", var.key, sources[var.from]);
    }
    let _ = writeln!(out, "Files: {}", plan.files.len());
    for file in &plan.files {
        let _ = writeln!(
            out,
            "  {:<24} from {}",
            file.destination, sources[file.from]
        );
    }
    if !templates.is_empty() {
        let _ = writeln!(out, "Templates: {}", templates.len());
    }
    for t in templates {
        let used: Vec<String> = t.used.iter().map(|s| s.describe()).collect();
        let used = match used.is_empty() {
            true => "no secrets".to_owned(),
            false => used.join(", "),
        };
        let _ = writeln!(
            out,
            "  {:<24} from {} (uses {used})",
            t.file.destination, t.template
        );
    }
    if !plan.overrides.is_empty() {
        let _ = writeln!(out, "Overridden: {}", plan.overrides.len());
        for o in &plan.overrides {
            let _ = writeln!(
                out,
                "  {} from {} (overridden by {})",
                o.what,
                o.loser.describe(),
                o.winner.describe()
            );
        }
    }
    output::println_stdout(out.strip_suffix('\n').unwrap_or(&out));
}
