//! `{{ secret('NAME') }}` templates (SPEC.md, "Generated values and templates").
//!
//! A reference is `{{ secret('NAME') }}` or `{{ secret('NAME', 'KEY') }}`, with
//! single or double quotes, optional spaces and an optional `| base64` or
//! `| json` filter, written on one line. `{{{{` is a literal `{{`; `}}` outside
//! a reference is plain text. The scanner below reads the template once, left
//! to right (linear in its size), and `parse` finds every reference before any
//! is resolved (`render`), so a bad one anywhere means nothing is written.

mod render;
mod source;

pub use render::{Resolved, pick_variable, render, render_to, resolve};
pub use source::{MAX_TEMPLATE_BYTES, read};

use std::ops::Range;

use crate::error::{Error, Result};
use crate::vault::validate;

/// What a reference's value goes through before it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Filter {
    Raw,
    /// Standard, padded base64 of the value.
    Base64,
    /// The value as a JSON string, quotes included.
    Json,
}

/// One `{{ … }}` reference. It holds names only, never a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// 1-based line where it first appears.
    pub line: usize,
    /// The reference as written, for messages.
    pub text: String,
    pub secret: String,
    pub key: Option<String>,
    pub filter: Filter,
}

/// A run of literal text and the reference that follows it (an index into
/// `Template::references`; none after the last run).
#[derive(Debug)]
struct Part {
    text: Range<usize>,
    reference: Option<usize>,
}

/// A parsed template: its text, cut into literal runs and references.
#[derive(Debug)]
pub struct Template {
    /// Where the template came from, for messages: a path or "stdin".
    pub origin: String,
    source: String,
    parts: Vec<Part>,
    /// Each distinct reference once, in order of first appearance: a template
    /// that repeats one reference costs memory for it once.
    pub references: Vec<Reference>,
}

impl Template {
    /// Parses a template; `origin` names it in errors (exit 2), which give the
    /// line and the reference but never a value.
    pub fn parse(bytes: Vec<u8>, origin: &str) -> Result<Template> {
        let source = String::from_utf8(bytes).map_err(|err| {
            let bad = err.utf8_error().valid_up_to();
            let line = 1 + err.as_bytes()[..bad]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            Error::usage(format!(
                "{origin}, line {line}: the template is not UTF-8 text"
            ))
        })?;
        let (parts, references) = scan(&source).map_err(|(line, text, why)| {
            let (text, why) = (excerpt(text), escape_controls(&why));
            Error::usage(format!("{origin}, line {line}: {text}: {why}"))
                .with_hint("a reference is {{ secret('NAME') }} or {{ secret('NAME', 'KEY') }}, optionally with | base64 or | json; write {{{{ for a literal {{")
        })?;
        Ok(Template {
            origin: origin.to_owned(),
            source,
            parts,
            references,
        })
    }

    /// The secrets the template names, each once, in order of first use.
    pub fn secret_names(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for reference in &self.references {
            if !names.contains(&reference.secret) {
                names.push(reference.secret.clone());
            }
        }
        names
    }
}

/// A malformed reference: its line, its text and what is wrong with it.
type ScanError<'a> = (usize, &'a str, String);

/// Cuts `src` into literal text and references, in one pass.
fn scan(src: &str) -> std::result::Result<(Vec<Part>, Vec<Reference>), ScanError<'_>> {
    let (mut parts, mut references) = (Vec::new(), Vec::<Reference>::new());
    let mut seen = std::collections::HashMap::new();
    let (mut text_start, mut pos) = (0, 0);
    let (mut line, mut counted) = (1, 0);
    while let Some(found) = src[pos..].find("{{") {
        let open = pos + found;
        if src[open..].starts_with("{{{{") {
            let text = text_start..open + 2;
            parts.push(Part {
                text,
                reference: None,
            });
            (pos, text_start) = (open + 4, open + 4);
            continue;
        }
        line += src[counted..open].bytes().filter(|&b| b == b'\n').count();
        counted = open;
        let Some(close) = closing_braces(src.as_bytes(), open + 2) else {
            let end = src[open..].find('\n').map_or(src.len(), |i| open + i);
            let why = "no }} closes it on this line".to_owned();
            return Err((line, &src[open..end], why));
        };
        let text = &src[open..close + 2];
        let parsed = parse_reference(&src[open + 2..close]).map_err(|why| (line, text, why))?;
        let index = *seen
            .entry(parsed)
            .or_insert_with_key(|(secret, key, filter)| {
                references.push(Reference {
                    line,
                    text: text.to_owned(),
                    secret: secret.clone(),
                    key: key.clone(),
                    filter: *filter,
                });
                references.len() - 1
            });
        let text = text_start..open;
        parts.push(Part {
            text,
            reference: Some(index),
        });
        (pos, text_start) = (close + 2, close + 2);
    }
    let text = text_start..src.len();
    parts.push(Part {
        text,
        reference: None,
    });
    Ok((parts, references))
}

/// The index of the first `}}` at or after `from`, unless a newline comes first.
fn closing_braces(bytes: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while i + 1 < bytes.len() {
        match (bytes[i], bytes[i + 1]) {
            (b'\n', _) => return None,
            (b'}', b'}') => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// ` secret('NAME', 'KEY') | json ` → its parts.
fn parse_reference(body: &str) -> std::result::Result<(String, Option<String>, Filter), String> {
    let mut rest = body.trim_start();
    if !eat("secret", &mut rest) || !eat("(", &mut rest) {
        return Err("expected secret('NAME') or secret('NAME', 'KEY')".to_owned());
    }
    let secret = quoted(&mut rest, "the secret's name")?;
    let key = match eat(",", &mut rest) {
        true => Some(quoted(&mut rest, "the variable's name")?),
        false => None,
    };
    if !eat(")", &mut rest) {
        return Err("expected ')' after the names".to_owned());
    }
    let filter = match eat("|", &mut rest) {
        false => Filter::Raw,
        true => {
            let word_end = rest.find(|c: char| !c.is_ascii_alphanumeric() && c != '_');
            let (word, after) = rest.split_at(word_end.unwrap_or(rest.len()));
            rest = after.trim_start();
            match word {
                "base64" => Filter::Base64,
                "json" => Filter::Json,
                "" => return Err("expected a filter after '|': base64 or json".to_owned()),
                other => return Err(format!("unknown filter '{other}': use base64 or json")),
            }
        }
    };
    if let Some(c) = rest.chars().next() {
        return Err(format!("unexpected {c:?}"));
    }
    validate::name("secret", &secret).map_err(|e| e.message)?;
    if let Some(key) = &key {
        validate::env_key(key).map_err(|e| e.message)?;
    }
    Ok((secret, key, filter))
}

/// Takes `token` and the spaces after it off the front of `rest`, if it is there.
fn eat(token: &str, rest: &mut &str) -> bool {
    match rest.strip_prefix(token) {
        Some(after) => {
            *rest = after.trim_start();
            true
        }
        None => false,
    }
}

/// A quoted name, 'like this' or "like this", and the spaces after it.
fn quoted(rest: &mut &str, what: &str) -> std::result::Result<String, String> {
    let quote = rest
        .chars()
        .next()
        .filter(|c| matches!(c, '\'' | '"'))
        .ok_or_else(|| format!("expected {what} in quotes"))?;
    let body = &rest[1..];
    let end = body
        .find(quote)
        .ok_or_else(|| format!("{what} has no closing {quote}"))?;
    let name = body[..end].to_owned();
    *rest = body[end + 1..].trim_start();
    Ok(name)
}

/// The reference as written, shortened and with control characters escaped.
fn excerpt(text: &str) -> String {
    const MAX_CHARS: usize = 80;
    let mut out = escape_controls(&text.chars().take(MAX_CHARS).collect::<String>());
    if text.chars().nth(MAX_CHARS).is_some() {
        out.push('…');
    }
    out
}

/// Control characters (a terminal escape, a tab) shown escaped: `\u{1b}`.
fn escape_controls(text: &str) -> String {
    text.chars()
        .map(|c| match c.is_control() {
            true => c.escape_default().to_string(),
            false => c.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Template> {
        Template::parse(text.as_bytes().to_vec(), "t")
    }

    fn refs(text: &str) -> Vec<(String, Option<String>, Filter, usize)> {
        parse(text)
            .unwrap()
            .references
            .into_iter()
            .map(|r| (r.secret, r.key, r.filter, r.line))
            .collect()
    }

    #[test]
    fn reads_every_spelling_of_a_reference() {
        let text = "a {{ secret('db') }} b {{secret(\"db\",\"URL\")}}\n\
                    {{  secret( 'api' , 'TOKEN' )  |  base64  }} {{ secret('x')|json }}";
        assert_eq!(
            refs(text),
            [
                ("db".into(), None, Filter::Raw, 1),
                ("db".into(), Some("URL".into()), Filter::Raw, 1),
                ("api".into(), Some("TOKEN".into()), Filter::Base64, 2),
                ("x".into(), None, Filter::Json, 2),
            ]
        );
        assert_eq!(parse(text).unwrap().secret_names(), ["db", "api", "x"]);
    }

    #[test]
    fn a_repeated_reference_is_kept_once_where_it_first_appears() {
        let text =
            "{{ secret('a') }}\n{{ secret('b') }} {{secret(\"a\")}}\n{{ secret('a') | json }}";
        let found = refs(text);
        assert_eq!(found.len(), 3, "{found:?}");
        assert_eq!(found[0], ("a".into(), None, Filter::Raw, 1));
        assert_eq!(found[2], ("a".into(), None, Filter::Json, 3));
    }

    #[test]
    fn escapes_and_stray_braces_are_text() {
        let template = parse("{{{{ secret('a') }} }} { x } }}}").unwrap();
        assert!(template.references.is_empty());
        let template = parse("{{{{{{ secret('a') }}").unwrap();
        assert_eq!(template.references.len(), 1, "{{{{ then a reference");
    }

    #[test]
    fn malformed_references_name_the_line_and_the_reference() {
        for (text, why) in [
            ("ok\n{{ secret('a') ", "no }} closes it"),
            ("{{ secret('a')\n }}", "no }} closes it"),
            ("{{ .Values.x }}", "expected secret("),
            ("{{ secret(a) }}", "in quotes"),
            ("{{ secret('a) }}", "no closing '"),
            ("{{ secret('a' 'b') }}", "expected ')'"),
            ("{{ secret('a') | upper }}", "unknown filter 'upper'"),
            ("{{ secret('a') | }}", "expected a filter"),
            ("{{ secret('a') | json x }}", "unexpected 'x'"),
            ("{{ secret('a', 'B') | base64 | json }}", "unexpected '|'"),
            ("{{ secret('bad name') }}", "invalid secret name"),
            ("{{ secret('a', '1KEY') }}", "starts with a digit"),
            ("{{{ secret('a') }}", "expected secret("),
        ] {
            let err = parse(text).unwrap_err();
            assert_eq!(err.exit_code(), 2, "{text}");
            assert!(err.message.contains(why), "{text}: {}", err.message);
            let line = 1 + text.lines().take_while(|l| !l.contains("{{")).count();
            assert!(
                err.message.starts_with(&format!("t, line {line}: {{{{")),
                "{text}: {}",
                err.message
            );
        }
    }

    #[test]
    fn not_utf8_names_the_line() {
        let err = Template::parse(b"a\nb\n\xff\n".to_vec(), "t").unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(err.message.contains("line 3"), "{}", err.message);
    }

    #[test]
    fn excerpts_escape_control_characters() {
        let err = parse("{{ secret('a\x1b[31m') }}").unwrap_err();
        assert!(!err.message.contains('\x1b'), "{}", err.message);
    }
}
