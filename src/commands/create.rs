//! `vault create secret`, and the reading of `-e`/`-f` flags it shares with `update`.

use std::io::{IsTerminal, Read};

use crate::audit::Entry;
use crate::cli::{ContentArgs, CreateSecretArgs};
use crate::context::{self, Context};
use crate::error::{Error, Result};
use crate::formats;
use crate::output;
use crate::random_value;
use crate::secret::SecretString;
use crate::vault::changes::{EnvArg, SecretChange, read_file_arg};
use crate::vault::model::{Scope, SecretId};
use crate::vault::validate;

pub fn run(ctx: &Context, args: CreateSecretArgs) -> Result<()> {
    validate::name("secret", &args.name)?;
    let scope = Scope::from_project(ctx.project(&args.project)?.as_deref());
    let mut change = read_contents(&args.contents)?;
    if let Some(path) = &args.env_file {
        let mut from_file = formats::read_dotenv_file(path)?;
        from_file.append(&mut change.set_env);
        change.set_env = from_file;
    }
    change.description = args.description;
    change.allowed_projects = (!args.allow_projects.is_empty()).then_some(args.allow_projects);
    change.validate(&scope)?;

    let mut vault = ctx.vault_for_writing()?;
    let name = args.name;
    let id = SecretId::plain(&name);
    vault.modify_secrets(&[(scope.clone(), id.clone())], |payload| {
        let secrets = payload.scope_mut(&scope);
        if secrets.contains_key(&id) {
            return Err(Error::conflict(format!(
                "secret '{name}' already exists at {} level",
                scope.describe()
            ))
            .with_hint(format!("change it with `vault update secret {name}`")));
        }
        secrets.insert(id.clone(), change.create(&scope)?);
        Ok(())
    })?;
    super::record(&vault, &[Entry::new("create", Some((&scope, &name)))]);
    output::println_stdout(&format!("Secret '{name}' created{}.", in_scope(&scope)));
    Ok(())
}

/// " in project 'blue'" or "" for org level, for confirmation messages.
pub fn in_scope(scope: &Scope) -> String {
    match scope {
        Scope::Org => String::new(),
        Scope::Project(project) => format!(" in project '{project}'"),
    }
}

/// Turns `-e`, `-g` and `-f` flags into a change, asking for values given
/// without `=` and generating those of `-g`.
pub fn read_contents(args: &ContentArgs) -> Result<SecretChange> {
    let env_args = args
        .env
        .iter()
        .map(|arg| EnvArg::parse(arg))
        .collect::<Result<Vec<_>>>()?;
    let generated = args
        .generate
        .iter()
        .map(|arg| random_value::parse_arg(arg))
        .collect::<Result<Vec<_>>>()?;
    let asked = env_args
        .iter()
        .filter(|a| matches!(a, EnvArg::Ask(_)))
        .count();
    let on_terminal = std::io::stdin().is_terminal();
    if asked > 1 && !on_terminal {
        return Err(
            Error::usage("only one -e KEY without a value can be read from stdin")
                .with_hint("give the others as -e KEY=VALUE, or run on a terminal"),
        );
    }
    let mut change = SecretChange::default();
    for arg in env_args {
        let (key, value) = match arg {
            EnvArg::Assign(key, value) => (key, value),
            EnvArg::Ask(key) if on_terminal => {
                let value = context::prompt_hidden(&format!("Value for {key}: "))?;
                (refuse_empty_read(key, &value, "nothing was typed")?, value)
            }
            EnvArg::Ask(key) => {
                let value = read_stdin_value(&key)?;
                (refuse_empty_read(key, &value, "stdin was empty")?, value)
            }
        };
        change.set_env.push((key, value));
    }
    for (key, spec) in generated {
        change.set_env.push((key, spec.generate()));
    }
    for arg in &args.files {
        change.set_files.push(read_file_arg(arg)?);
    }
    Ok(change)
}

/// An empty read is refused: a producer that failed in a pipeline
/// (`get-token | vault update secret api -e TOKEN`) must not wipe the value.
fn refuse_empty_read(key: String, value: &SecretString, why: &str) -> Result<String> {
    if !value.expose().is_empty() {
        return Ok(key);
    }
    Err(
        Error::usage(format!("no value for {key}: {why}; nothing written"))
            .with_hint(format!("to set an empty value on purpose, write -e {key}=")),
    )
}

/// A value piped on stdin, with one trailing newline dropped.
fn read_stdin_value(key: &str) -> Result<SecretString> {
    let mut bytes = zeroize::Zeroizing::new(Vec::new());
    std::io::stdin()
        .take(validate::MAX_VALUE_BYTES as u64 + 2)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::failure(format!("cannot read the value of {key} from stdin: {e}")))?;
    if bytes.ends_with(b"\n") {
        bytes.pop();
    }
    let text = String::from_utf8(bytes.to_vec())
        .map_err(|_| Error::usage(format!("the value of {key} is not UTF-8")))?;
    Ok(SecretString::new(text))
}
