//! `vault exec --template TEMPLATE:DEST`: templates read and parsed before the
//! vault is opened, rendered against it, and handed to the run as files (so
//! they are written, journaled and removed like `-f` files), with the values
//! they hold added to what is masked.

use std::path::Path;

use crate::error::{Error, Result};
use crate::exec::files::FileSpec;
use crate::exec::plan::Source;
use crate::secret::SecretString;
use crate::template::{self, Template};
use crate::vault::model::Payload;
use crate::vault::validate;

/// A `--template` argument, parsed.
pub struct ExecTemplate {
    pub template: Template,
    pub destination: String,
}

/// A template rendered for the run.
pub struct Rendered {
    pub file: FileSpec,
    /// Where it came from, for `--dry-run`.
    pub template: String,
    /// The raw values it holds, to be masked.
    pub values: Vec<SecretString>,
    /// The secrets it used.
    pub used: Vec<Source>,
}

/// Reads and parses every `TEMPLATE:DEST` (exit 2 on a malformed one).
pub fn load(args: &[String]) -> Result<Vec<ExecTemplate>> {
    args.iter()
        .map(|arg| {
            let (path, destination) = arg.split_once(':').ok_or_else(|| {
                Error::usage(format!("--template '{arg}' has no ':'"))
                    .with_hint("write --template TEMPLATE:DEST")
            })?;
            if path.is_empty() {
                return Err(Error::usage(format!("--template '{arg}' has no template")));
            }
            validate::destination(destination)?;
            Ok(ExecTemplate {
                template: template::read(Some(Path::new(path)))?,
                destination: destination.to_owned(),
            })
        })
        .collect()
}

/// The secrets the templates name, each once.
pub fn secret_names(templates: &[ExecTemplate]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for name in templates.iter().flat_map(|t| t.template.secret_names()) {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// Resolves every reference of every template, then renders them.
pub fn render(
    templates: &[ExecTemplate],
    payload: &Payload,
    project: Option<&str>,
) -> Result<Vec<Rendered>> {
    let resolved = templates
        .iter()
        .map(|t| template::resolve(&t.template, payload, project))
        .collect::<Result<Vec<_>>>()?;
    let rendered = templates
        .iter()
        .zip(&resolved)
        .map(|(t, resolved)| Rendered {
            file: FileSpec {
                destination: t.destination.clone(),
                contents: template::render(&t.template, resolved),
            },
            template: t.template.origin.clone(),
            values: resolved
                .values()
                .into_iter()
                .map(SecretString::from)
                .collect(),
            used: resolved
                .used
                .iter()
                .map(|(scope, name)| Source {
                    name: name.clone(),
                    scope: scope.clone(),
                })
                .collect(),
        });
    Ok(rendered.collect())
}
