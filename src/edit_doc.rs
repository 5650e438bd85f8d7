//! The TOML document `vault edit` puts in the editor: one secret, whole.
//! Text files are TOML strings, binary ones `{ base64 = "…" }`. Parse errors
//! give a line number and the parser's reason, never the line itself.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use serde::Deserialize;
use toml::{Table, Value};

use crate::error::{Error, Result};
use crate::secret::{SecretBytes, SecretString};
use crate::vault::model::{EnvVar, Scope, Secret, SecretFile};
use crate::vault::{actor, validate};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EditDoc {
    #[serde(default)]
    description: String,
    #[serde(default)]
    allowed_projects: Vec<String>,
    #[serde(default)]
    env: Table,
    #[serde(default)]
    files: Table,
}

/// The document for `secret`, with a comment explaining how to use it.
pub fn render(name: &str, scope: &Scope, secret: &Secret) -> String {
    let mut doc = Table::new();
    doc.insert(
        "description".into(),
        Value::String(secret.description.clone()),
    );
    if *scope == Scope::Org {
        let allowed = secret
            .allowed_projects
            .iter()
            .cloned()
            .map(Value::String)
            .collect();
        doc.insert("allowed_projects".into(), Value::Array(allowed));
    }
    let env = secret
        .env
        .iter()
        .map(|var| {
            (
                var.name.clone(),
                Value::String(var.value.expose().to_owned()),
            )
        })
        .collect();
    doc.insert("env".into(), Value::Table(env));
    let files = secret
        .files
        .iter()
        .map(|file| (file.path.clone(), file_value(file.contents.expose())))
        .collect();
    doc.insert("files".into(), Value::Table(files));
    let body = toml::to_string(&doc).expect("a TOML table serialises");
    let allow_note = if *scope == Scope::Org {
        "\n# allowed_projects: the projects that may see this org secret; [] means all."
    } else {
        ""
    };
    format!(
        "# Secret '{name}' ({}). Save and quit to replace it whole.\n\
         # Empty the file, or leave it unchanged, to write nothing.\n\
         # [files]: text as a string, binary as {{ base64 = \"...\" }}.{allow_note}\n\n{body}",
        scope.describe()
    )
}

fn file_value(bytes: &[u8]) -> Value {
    match std::str::from_utf8(bytes) {
        Ok(text) => Value::String(text.to_owned()),
        Err(_) => {
            let mut table = Table::new();
            table.insert("base64".into(), Value::String(B64.encode(bytes)));
            Value::Table(table)
        }
    }
}

/// True when nothing but comments and blank lines is left.
pub fn is_empty(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .all(|line| line.is_empty() || line.starts_with('#'))
}

/// Parses an edited document into the secret that replaces `original`.
pub fn parse(text: &str, scope: &Scope, original: &Secret) -> Result<Secret> {
    let doc: EditDoc = toml::from_str(text).map_err(|err| {
        let line = err
            .span()
            .map(|span| text[..span.start.min(text.len())].lines().count().max(1));
        let place = line.map(|l| format!(" at line {l}")).unwrap_or_default();
        Error::usage(format!(
            "the edited secret is not valid{place}: {}",
            redact(err.message())
        ))
    })?;
    if *scope != Scope::Org && !doc.allowed_projects.is_empty() {
        return Err(Error::usage(
            "allowed_projects applies to org-level secrets only",
        ));
    }
    for project in &doc.allowed_projects {
        validate::name("project", project)?;
    }
    let mut secret = Secret {
        env: doc
            .env
            .into_iter()
            .map(|(k, v)| env_var(k, v))
            .collect::<Result<_>>()?,
        files: doc
            .files
            .into_iter()
            .map(|(p, v)| file(p, v))
            .collect::<Result<_>>()?,
        description: doc.description,
        allowed_projects: doc.allowed_projects,
        allowed_branches: original.allowed_branches.clone(),
        rotate_every: original.rotate_every,
        rotated_at: original.rotated_at.clone(),
        meta: original.meta.clone(),
    };
    secret.meta.updated_at = actor::now();
    if secret.env != original.env || secret.files != original.files {
        secret.rotated_at = secret.meta.updated_at.clone();
    }
    secret.meta.updated_by = actor::current();
    Ok(secret)
}

/// The parser's message without the input it quotes: serde puts strings in
/// double quotes and numbers in backticks (`invalid type: integer `123…` as
/// i128`), and either may be a secret value. Identifiers in backticks (field
/// names, as in "unknown field `colour`") are kept.
fn redact(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(start) = rest.find(['`', '"']) {
        let quote = rest[start..].chars().next().unwrap_or('"');
        let Some(len) = rest[start + 1..].find(quote) else {
            break;
        };
        let inner = &rest[start + 1..start + 1 + len];
        out.push_str(&rest[..start]);
        let identifier = inner
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && inner.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if quote == '`' && identifier {
            out.push_str(&rest[start..start + len + 2]);
        } else {
            out.push(quote);
            out.push('…');
            out.push(quote);
        }
        rest = &rest[start + len + 2..];
    }
    out.push_str(rest);
    out
}

fn env_var(name: String, value: Value) -> Result<EnvVar> {
    validate::env_key(&name)?;
    let Value::String(value) = value else {
        return Err(Error::usage(format!("env.{name} must be a string")));
    };
    validate::env_value(&name, &value)?;
    Ok(EnvVar {
        name,
        value: SecretString::new(value),
    })
}

fn file(path: String, value: Value) -> Result<SecretFile> {
    validate::destination(&path)?;
    let contents = match value {
        Value::String(text) => text.into_bytes(),
        Value::Table(table) if table.len() == 1 => match table.get("base64") {
            Some(Value::String(encoded)) => B64.decode(encoded).map_err(|_| {
                Error::usage(format!("files.\"{path}\".base64 is not valid base64"))
            })?,
            _ => return Err(file_shape_error(&path)),
        },
        _ => return Err(file_shape_error(&path)),
    };
    validate::file_size(&path, contents.len())?;
    Ok(SecretFile {
        path,
        contents: SecretBytes::new(contents),
    })
}

fn file_shape_error(path: &str) -> Error {
    Error::usage(format!(
        "files.\"{path}\" must be a string or {{ base64 = \"...\" }}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Secret {
        let mut secret = Secret {
            description: "db".into(),
            ..Secret::default()
        };
        secret.set_env("USER_NAME", SecretString::from("admin"));
        secret.set_env("MULTI", SecretString::from("line one\nline \"two\"\n"));
        secret.set_file(
            "cert.pem",
            SecretBytes::new(b"-----BEGIN-----\nabc\n".to_vec()),
        );
        secret.set_file("blob.bin", SecretBytes::new(vec![0, 159, 146, 150, 255]));
        secret
    }

    #[test]
    fn render_then_parse_round_trips() {
        let secret = sample();
        let text = render("db", &Scope::Org, &secret);
        let parsed = parse(&text, &Scope::Org, &secret).unwrap();
        assert_eq!(parsed.env, secret.env);
        assert_eq!(parsed.files, secret.files);
        assert_eq!(parsed.description, secret.description);
    }

    #[test]
    fn errors_do_not_quote_values() {
        let text = "[env]\nTOKEN = \"canary-7731\nBROKEN";
        let err = parse(text, &Scope::Org, &Secret::default()).unwrap_err();
        assert!(!err.message.contains("canary-7731"), "{}", err.message);
        assert!(err.message.contains("line"), "{}", err.message);
    }

    #[test]
    fn parser_messages_do_not_quote_values() {
        let text = "[env]\nPIN = 123456789012345678901234567890\n";
        let err = parse(text, &Scope::Org, &Secret::default()).unwrap_err();
        assert!(!err.message.contains("1234567890"), "{}", err.message);
        let err = parse("colour = 1", &Scope::Org, &Secret::default()).unwrap_err();
        assert!(err.message.contains("`colour`"), "{}", err.message);
        let err = parse("env = \"canary-3310\"", &Scope::Org, &Secret::default()).unwrap_err();
        assert!(!err.message.contains("canary-3310"), "{}", err.message);
        assert_eq!(
            redact("a `x1` b `9` c \"s\" d `unclosed"),
            "a `x1` b `…` c \"…\" d `unclosed"
        );
    }

    #[test]
    fn unknown_fields_and_bad_keys_are_refused() {
        assert!(parse("colour = \"red\"", &Scope::Org, &Secret::default()).is_err());
        assert!(parse("[env]\nVAULT_X = \"v\"", &Scope::Org, &Secret::default()).is_err());
        let project = Scope::Project("blue".into());
        assert!(parse("allowed_projects = [\"x\"]", &project, &Secret::default()).is_err());
    }

    #[test]
    fn comments_only_is_empty() {
        assert!(is_empty("# a\n\n   # b\n"));
        assert!(!is_empty("# a\ndescription = \"\"\n"));
    }
}
