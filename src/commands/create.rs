//! `vault create secret`, and the reading of `-e`/`-f` flags it shares with `update`.

use std::io::{IsTerminal, Read};

use crate::cli::{ContentArgs, CreateSecretArgs, RuleArgs};
use crate::context::{self, Context};
use crate::error::{Error, Result};
use crate::formats;
use crate::output;
use crate::random_value;
use crate::secret::SecretString;
use crate::vault::changes::{EnvArg, SecretChange, read_file_arg};
use crate::vault::duration;
use crate::vault::model::{Scope, SecretId};
use crate::vault::validate;

pub fn run(ctx: &Context, args: CreateSecretArgs) -> Result<()> {
    let (scope, id) = super::address(ctx, &args.project, &args.environment, &args.name)?;
    let mut change = read_contents(&args.contents)?;
    if let Some(path) = &args.env_file {
        let mut from_file = formats::read_dotenv_file(path)?;
        from_file.append(&mut change.set_env);
        change.set_env = from_file;
    }
    change.description = args.description;
    change.allowed_projects = (!args.allow_projects.is_empty()).then_some(args.allow_projects);
    read_rules(&mut change, args.rules)?;
    change.validate(&scope)?;

    let mut vault = ctx.vault_for_writing()?;
    let name = id.name.clone();
    let place = super::in_place(&scope, &id);
    vault.modify_secrets(&[(scope.clone(), id.clone())], |payload| {
        let secrets = payload.scope_mut(&scope);
        if secrets.contains_key(&id) {
            let flag = match &id.environment {
                Some(environment) => format!(" -E {environment}"),
                None => String::new(),
            };
            let at = format!("at {} level{}", scope.describe(), env_place(&id));
            return Err(
                Error::conflict(format!("secret '{name}' already exists {at}"))
                    .with_hint(format!("change it with `vault update secret {name}{flag}`")),
            );
        }
        secrets.insert(id.clone(), change.create(&scope)?);
        Ok(())
    })?;
    super::record(&vault, &[super::entry("create", &scope, &id)]);
    output::println_stdout(&format!("Secret '{name}' created{place}."));
    Ok(())
}

/// " in environment 'prod'", or "".
fn env_place(id: &SecretId) -> String {
    super::in_place(&Scope::Org, id)
}

/// `--allow-branch` and `--rotate-every`, shared with `update`.
fn read_rules(change: &mut SecretChange, rules: RuleArgs) -> Result<()> {
    set_rules(
        change,
        rules.allow_branches,
        false,
        rules.rotate_every.as_deref(),
    )
}

/// Sets the branch rule (`allow_all` clears it) and the rotation period
/// (`never` clears it) on `change`; a bad one is exit 2.
pub fn set_rules(
    change: &mut SecretChange,
    allow_branches: Vec<String>,
    allow_all: bool,
    rotate_every: Option<&str>,
) -> Result<()> {
    change.allowed_branches = match allow_all {
        true => Some(Vec::new()),
        false => (!allow_branches.is_empty()).then_some(allow_branches),
    };
    change.rotate_every = rotate_every
        .map(duration::parse_rotation)
        .transpose()
        .map_err(Error::usage)?;
    Ok(())
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
