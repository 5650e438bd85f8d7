//! Resolving a template's references against the vault, all of them before
//! anything is written, and writing the result.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use zeroize::Zeroizing;

use std::io::{self, Write};

use super::{Filter, Reference, Template};
use crate::error::{Error, Result};
use crate::vault::model::{EnvVar, Found, Payload, Scope};

/// Every reference's value, found; and the secrets they came from.
#[derive(Default)]
pub struct Resolved<'a> {
    /// One per (distinct) reference, in the template's order.
    values: Vec<&'a str>,
    /// The secrets used, each once, by the name and scope they resolved to.
    pub used: Vec<(Scope, String)>,
}

impl<'a> Resolved<'a> {
    /// The raw values the template uses (for masking), each once.
    pub fn values(&self) -> Vec<&'a str> {
        let mut values: Vec<&'a str> = Vec::new();
        for value in &self.values {
            if !values.contains(value) {
                values.push(value);
            }
        }
        values
    }
}

/// Resolves every reference by precedence for `project`. The first that fails
/// stops it: a missing secret or key is exit 3, `secret('NAME')` of a secret
/// without exactly one variable exit 2 (a denied one 7), each error naming the
/// line and the reference.
pub fn resolve<'a>(
    template: &Template,
    payload: &'a Payload,
    project: Option<&str>,
) -> Result<Resolved<'a>> {
    let mut resolved = Resolved {
        values: Vec::with_capacity(template.references.len()),
        used: Vec::new(),
    };
    for reference in &template.references {
        let in_context = |err: Error| Error {
            message: format!(
                "{}, line {}: {}: {}",
                template.origin, reference.line, reference.text, err.message
            ),
            ..err
        };
        let found = payload
            .resolve(project, None, &reference.secret)
            .map_err(in_context)?;
        let var = pick_variable(&found, reference.key.as_deref()).map_err(in_context)?;
        resolved.values.push(var.value.expose());
        let used = (found.scope.clone(), found.name.to_owned());
        if !resolved.used.contains(&used) {
            resolved.used.push(used);
        }
    }
    Ok(resolved)
}

/// The variable KEY of a secret, or with no KEY its only one. Errors name the
/// secret's keys, never a value.
pub fn pick_variable<'a>(found: &Found<'a>, key: Option<&str>) -> Result<&'a EnvVar> {
    let secret = found.secret;
    let keys = || {
        let names: Vec<&str> = secret.env.iter().map(|v| v.name.as_str()).collect();
        names.join(", ")
    };
    match key {
        Some(key) => secret.env_var(key).ok_or_else(|| {
            let held = match secret.env.is_empty() {
                true => "none".to_owned(),
                false => keys(),
            };
            Error::not_found(format!(
                "secret '{}' has no variable {key} (it has: {held})",
                found.name
            ))
        }),
        None => match secret.env.as_slice() {
            [only] => Ok(only),
            [] => Err(Error::usage(format!(
                "secret '{}' has no variables",
                found.name
            ))),
            _ => Err(Error::usage(format!(
                "secret '{}' has {} variables ({}): name one",
                found.name,
                secret.env.len(),
                keys()
            ))
            .with_hint(format!(
                "name the variable: `vault read {0} KEY`, or {{{{ secret('{0}', 'KEY') }}}} in a template",
                found.name
            ))),
        },
    }
}

/// The template with every reference replaced by its value, filtered, in
/// memory (for `exec`, whose files are written from memory). The buffer is
/// sized exactly first, so no copy of a value is left behind in a reallocation.
pub fn render(template: &Template, resolved: &Resolved) -> Zeroizing<Vec<u8>> {
    let filtered = filtered(template, resolved);
    let size: usize = template
        .parts
        .iter()
        .map(|part| part.text.len() + part.reference.map_or(0, |i| filtered[i].len()))
        .sum();
    let mut out = Zeroizing::new(Vec::with_capacity(size));
    write_parts(template, &filtered, &mut *out).expect("writing to memory cannot fail");
    out
}

/// Writes the rendered template to `out` as it goes, without holding it whole.
pub fn render_to(template: &Template, resolved: &Resolved, out: &mut dyn Write) -> io::Result<()> {
    write_parts(template, &filtered(template, resolved), out)
}

/// Each distinct reference's value through its filter.
fn filtered(template: &Template, resolved: &Resolved) -> Vec<Zeroizing<String>> {
    let references = template.references.iter().zip(&resolved.values);
    references
        .map(|(reference, value)| filter(reference, value))
        .collect()
}

fn write_parts(
    template: &Template,
    filtered: &[Zeroizing<String>],
    out: &mut dyn Write,
) -> io::Result<()> {
    for part in &template.parts {
        out.write_all(&template.source.as_bytes()[part.text.clone()])?;
        if let Some(i) = part.reference {
            out.write_all(filtered[i].as_bytes())?;
        }
    }
    Ok(())
}

fn filter(reference: &Reference, value: &str) -> Zeroizing<String> {
    Zeroizing::new(match reference.filter {
        Filter::Raw => value.to_owned(),
        Filter::Base64 => B64.encode(value),
        Filter::Json => serde_json::to_string(value).expect("a string serialises"),
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::secret::SecretString;
    use crate::vault::model::Secret;

    fn payload() -> Payload {
        let mut payload = Payload::default();
        let mut db = Secret::default();
        db.set_env("URL", SecretString::from("postgres://u:p@h/db"));
        db.set_env("USER", SecretString::from("u"));
        payload.org.insert("db".into(), db);
        let mut api = Secret::default();
        api.set_env("TOKEN", SecretString::from("tok\"en\n"));
        payload.org.insert("api".into(), api);
        payload
    }

    fn render_text(text: &str) -> Result<String> {
        let template = Template::parse(text.as_bytes().to_vec(), "t")?;
        let payload = payload();
        let resolved = resolve(&template, &payload, None)?;
        Ok(String::from_utf8(render(&template, &resolved).to_vec()).unwrap())
    }

    #[test]
    fn replaces_references_with_filtered_values() {
        let out = render_text(
            "url: {{ secret('db', 'URL') }}\ntoken: {{ secret(\"api\") | json }}\n\
             b64: {{secret('db','USER')|base64}} {{{{ kept }}\n",
        )
        .unwrap();
        assert_eq!(
            out,
            "url: postgres://u:p@h/db\ntoken: \"tok\\\"en\\n\"\nb64: dQ== {{ kept }}\n"
        );
    }

    #[test]
    fn missing_and_ambiguous_references_fail_naming_the_line() {
        let err = render_text("a\n{{ secret('nope') }}").unwrap_err();
        assert_eq!(err.exit_code(), 3);
        assert!(err.message.starts_with("t, line 2: {{ secret('nope') }}: "));
        let err = render_text("{{ secret('db', 'PASS') }}").unwrap_err();
        assert_eq!(err.exit_code(), 3);
        assert!(err.message.contains("URL, USER"), "{}", err.message);
        let err = render_text("\n\n{{ secret('db') }}").unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(err.message.contains("line 3"), "{}", err.message);
        assert!(!err.message.contains("postgres"), "{}", err.message);
    }

    /// A piece of a generated template and what it renders to.
    fn piece() -> impl Strategy<Value = (String, String)> {
        let refs = [
            ("secret('db', 'USER')", "u"),
            ("secret(\"api\")", "tok\"en\n"),
            ("secret('api')|json", "\"tok\\\"en\\n\""),
            ("secret(\"db\",'USER') | base64", "dQ=="),
        ];
        prop_oneof![
            "[a-z }:\n\t'\"()|]{0,12}".prop_map(|t| (t.clone(), t)),
            Just(("{{{{".to_owned(), "{{".to_owned())),
            (0..refs.len(), " {0,2}", " {0,2}").prop_map(move |(i, before, after)| {
                (
                    format!("{{{{{before}{}{after}}}}}", refs[i].0),
                    refs[i].1.to_owned(),
                )
            }),
        ]
    }

    proptest! {
        #[test]
        fn renders_like_a_model_of_the_syntax(pieces in prop::collection::vec(piece(), 0..24)) {
            let template: String = pieces.iter().map(|(t, _)| t.as_str()).collect();
            let expected: String = pieces.iter().map(|(_, r)| r.as_str()).collect();
            prop_assert_eq!(render_text(&template).unwrap(), expected);
        }

        #[test]
        fn any_text_is_parsed_or_refused_without_panic(text in "[{}()'\" a-z|,\n]{0,64}") {
            if let Err(err) = Template::parse(text.into_bytes(), "t") {
                prop_assert_eq!(err.exit_code(), 2);
                prop_assert!(err.message.starts_with("t, line "));
            }
        }
    }

    #[test]
    fn records_each_secret_once() {
        let template =
            Template::parse(b"{{ secret('api') }}{{ secret('api') }}".to_vec(), "t").unwrap();
        let payload = payload();
        let resolved = resolve(&template, &payload, None).unwrap();
        assert_eq!(resolved.used, [(Scope::Org, "api".to_owned())]);
        assert_eq!(resolved.values(), ["tok\"en\n"]);
    }
}
