//! `vault inject`: render a `{{ secret('NAME', 'KEY') }}` template to a file or stdout.

use std::io::Write;

use crate::atomic_write::{self, Existing};
use crate::audit::Entry;
use crate::cli::InjectArgs;
use crate::context::Context;
use crate::error::Result;
use crate::template;
use crate::vault::model::Payload;

pub fn run(ctx: &Context, args: InjectArgs) -> Result<()> {
    let (project, environment) = ctx.project_and_environment(&args.project, &args.environment)?;
    let environment = environment.map(|e| e.name);
    let template = template::read(args.in_file.as_deref())?;
    let existing = match args.force {
        true => Existing::Replace,
        false => Existing::Refuse,
    };
    if let Some(out) = &args.out_file {
        // Before the passphrase is asked for: the answer is no anyway.
        atomic_write::check_free(out, existing)?;
    }
    // No reference, nothing to resolve: no need for the key.
    let (vault, payload, project) = match template.references.is_empty() {
        true => (None, Payload::default(), project),
        false => {
            let mut vault = ctx.vault()?;
            let names = template.secret_names();
            let (project, opened) = vault.open_resolving(
                |access| crate::context::restrict(project, access),
                environment.as_deref(),
                Some(&names),
            )?;
            (Some(vault), opened.payload, project)
        }
    };
    // Every reference is resolved before anything is written.
    let lookup = crate::exec::plan::Lookup {
        project: project.as_deref(),
        environment: environment.as_deref(),
        branch: crate::branch::current(),
    };
    let resolved = template::resolve(&template, &payload, lookup)?;
    let render = |out: &mut dyn Write| template::render_to(&template, &resolved, out);
    match &args.out_file {
        Some(out) => atomic_write::write(out, existing, render)?,
        None => {
            let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
            // A reader that stops early (`| head`) is not an error.
            let _ = render(&mut stdout).and_then(|()| stdout.flush());
        }
    }
    if let Some(vault) = vault {
        let entries: Vec<Entry> = resolved
            .used
            .iter()
            .map(|(scope, environment, name)| {
                Entry::new("inject", Some((scope, name))).in_environment(environment.as_deref())
            })
            .collect();
        super::record(&vault, &entries);
    }
    Ok(())
}
