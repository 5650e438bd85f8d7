//! `$` in `.env` files, before dotenvy sees them. dotenv expands `$NAME` and `${NAME}`
//! in unquoted and double-quoted values; dotenvy also drops a `$` that starts no
//! name (`pa$$word` became `pa`), cuts names at `_` and chokes on `"cost: 5$"`.
//! This pass keeps dotenv's rules and loses nothing silently:
//!
//! - a `$` that starts no substitution (`$$`, `$ `, `$"`, a trailing `$`) is kept
//!   literally (written `\$` for dotenvy);
//! - `$NAME` is written `${NAME}`, so NAME is the whole `[A-Za-z_][A-Za-z0-9_]*` run;
//! - every substitution is noted with the entry it is in, so that one naming a
//!   variable that is not set (dotenv makes it empty) can be reported.
//!
//! Single-quoted text, escapes (`\$`) and comments are left exactly as they are.

use zeroize::Zeroizing;

/// A `${NAME}` in the value of the entry with index `entry`.
#[derive(Debug, PartialEq)]
pub(super) struct Reference {
    pub(super) entry: usize,
    pub(super) name: String,
}

/// The text to give dotenvy, the keys of its entries in order, and the substitutions.
pub(super) struct Prepared {
    pub(super) text: Zeroizing<String>,
    pub(super) keys: Vec<String>,
    pub(super) references: Vec<Reference>,
}

#[derive(Clone, Copy, PartialEq)]
enum Quote {
    None,
    Single,
    Double,
}

pub(super) fn prepare(text: &str) -> Prepared {
    let mut out = Prepared {
        text: Zeroizing::new(String::with_capacity(text.len() + 16)),
        keys: Vec::new(),
        references: Vec::new(),
    };
    let mut rest = text;
    while !rest.is_empty() {
        rest = line_start(rest, &mut out);
    }
    out
}

/// Copies one line that is not an entry, or an entry's key and `=`, then its value.
fn line_start<'a>(text: &'a str, out: &mut Prepared) -> &'a str {
    let line_end = text.find('\n').map_or(text.len(), |at| at + 1);
    let line = &text[..line_end];
    let trimmed = line.trim_start();
    let equals = line.find('=');
    match equals {
        Some(at) if !trimmed.starts_with('#') => {
            let key = line[..at].trim();
            let key = key.strip_prefix("export").map_or(key, str::trim_start);
            out.keys.push(key.to_owned());
            out.text.push_str(&text[..=at]);
            value(&text[at + 1..], out)
        }
        _ => {
            out.text.push_str(line);
            &text[line_end..]
        }
    }
}

/// Copies a value (possibly spanning lines inside quotes) up to and including the
/// newline that ends it, rewriting `$` where dotenv would expand.
fn value<'a>(text: &'a str, out: &mut Prepared) -> &'a str {
    let entry = out.keys.len() - 1;
    // dotenv skips blanks between `=` and the value.
    let start = text.len() - text.trim_start_matches([' ', '\t']).len();
    out.text.push_str(&text[..start]);
    let text = &text[start..];
    let mut quote = Quote::None;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match (quote, c) {
            (Quote::None, '\n') => {
                out.text.push('\n');
                return &text[at + 1..];
            }
            (Quote::None, ' ' | '\t') => {
                // dotenv allows only a comment after unquoted whitespace: copy the
                // rest of the line as it is.
                let end = text[at..].find('\n').map_or(text.len(), |n| at + n);
                out.text.push_str(&text[at..end]);
                return &text[end..];
            }
            // An escape (dotenvy's line reader honours one inside single quotes too).
            (_, '\\') => {
                out.text.push('\\');
                if let Some((_, next)) = chars.next() {
                    out.text.push(next);
                }
            }
            (Quote::None, '\'') => {
                quote = Quote::Single;
                out.text.push(c);
            }
            (Quote::Single, '\'') | (Quote::Double, '"') => {
                quote = Quote::None;
                out.text.push(c);
            }
            (Quote::None, '"') => {
                quote = Quote::Double;
                out.text.push(c);
            }
            (Quote::None | Quote::Double, '$') => {
                let consumed = dollar(&text[at + 1..], entry, out);
                for _ in 0..consumed {
                    chars.next();
                }
            }
            _ => out.text.push(c),
        }
    }
    ""
}

/// Handles the `$` before `after`; returns how many characters of `after` it used.
fn dollar(after: &str, entry: usize, out: &mut Prepared) -> usize {
    if let Some(inner) = after.strip_prefix('{') {
        let line = &inner[..inner.find('\n').unwrap_or(inner.len())];
        let Some(close) = line.find('}') else {
            // Unclosed on its line: dotenvy refuses the line, as it should.
            out.text.push('$');
            return 0;
        };
        let name = &inner[..close];
        out.references.push(Reference {
            entry,
            name: name.to_owned(),
        });
        out.text.push_str("${");
        out.text.push_str(name);
        out.text.push('}');
        return name.chars().count() + 2;
    }
    let starts_name = after.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_');
    if !starts_name {
        out.text.push_str("\\$");
        return 0;
    }
    let len = after
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(after.len());
    let name = &after[..len];
    out.references.push(Reference {
        entry,
        name: name.to_owned(),
    });
    out.text.push_str("${");
    out.text.push_str(name);
    out.text.push('}');
    len
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(input: &str) -> String {
        prepare(input).text.to_string()
    }

    #[test]
    fn dollars_that_start_no_name_are_kept_literally() {
        assert_eq!(text("P=pa$$word\n"), "P=pa\\$${word}\n");
        assert_eq!(text("P=\"cost: 5$\"\n"), "P=\"cost: 5\\$\"\n");
        assert_eq!(text("P=5$"), "P=5\\$");
    }

    #[test]
    fn names_are_whole_and_noted_with_their_entry() {
        let prepared = prepare("A=1\nB=$MY_VAR.x\nexport C=\"${A}\"\n");
        assert_eq!(
            prepared.text.as_str(),
            "A=1\nB=${MY_VAR}.x\nexport C=\"${A}\"\n"
        );
        assert_eq!(prepared.keys, ["A", "B", "C"]);
        let names: Vec<(usize, &str)> = prepared
            .references
            .iter()
            .map(|r| (r.entry, r.name.as_str()))
            .collect();
        assert_eq!(names, [(1, "MY_VAR"), (2, "A")]);
    }

    #[test]
    fn single_quotes_escapes_and_comments_are_untouched() {
        for input in [
            "P='lit$eral'\n",
            "P=x\\$y\n",
            "# cost $5, it's cheap\nP=1\n",
            "P=1 # $ and '\n",
            "P=\"a\\\"$\\\"\"\n",
        ] {
            let prepared = prepare(input);
            let literal = input.replace("\"a\\\"$\\\"\"", "\"a\\\"\\$\\\"\"");
            assert_eq!(prepared.text.as_str(), literal, "{input}");
            assert!(prepared.references.is_empty(), "{input}");
        }
    }

    #[test]
    fn an_unclosed_brace_does_not_swallow_the_next_line() {
        let prepared = prepare("A=${B\nC=}\n");
        assert_eq!(prepared.text.as_str(), "A=${B\nC=}\n");
        assert_eq!(prepared.keys, ["A", "C"]);
        assert!(prepared.references.is_empty());
    }

    #[test]
    fn multi_line_double_quoted_values_are_one_entry() {
        let prepared = prepare("K=\"line one $\nline two $X\"\nN=2\n");
        assert_eq!(prepared.keys, ["K", "N"]);
        assert_eq!(
            prepared.references,
            [Reference {
                entry: 0,
                name: "X".into()
            }]
        );
    }
}
