//! The formats secrets travel in and out of `vault`: `.env` files (real dotenv
//! syntax, read by dotenvy), flat JSON objects, shell `export` lines, and
//! Kestra's `SECRET_KEY=<base64>` lines.
//! Parse errors never quote the offending line: it may hold a value.

use std::path::Path;

use std::io::Read;

use zeroize::Zeroizing;

mod dollars;

use crate::error::{Error, Result};
use crate::secret::SecretString;
use crate::vault::validate;

/// Reads a `.env` file into ordered (KEY, value) pairs.
pub fn read_dotenv_file(path: &Path) -> Result<Vec<(String, SecretString)>> {
    let text = read_text(path)?;
    read_dotenv(&text, path)
}

/// The whole of a file (or stdin for `-`) as UTF-8, in memory that is zeroed after use.
pub fn read_text(path: &Path) -> Result<Zeroizing<String>> {
    let mut text = Zeroizing::new(String::new());
    let read = if path == Path::new("-") {
        std::io::stdin().lock().read_to_string(&mut text)
    } else {
        std::fs::File::open(path).and_then(|mut file| file.read_to_string(&mut text))
    };
    read.map_err(|err| match err.kind() {
        std::io::ErrorKind::InvalidData => {
            Error::usage(format!("{} is not UTF-8 text", path.display()))
        }
        _ => Error::usage(format!("cannot read {}: {err}", path.display())),
    })?;
    Ok(text)
}

/// Parses dotenv syntax with dotenvy: quotes, `export`, comments, multi-line
/// quoted values, `${VAR}` substitution. A `$` is never dropped silently: see
/// [`dollars`]; a substitution of a variable that is not set is reported.
pub fn read_dotenv(text: &str, source: &Path) -> Result<Vec<(String, SecretString)>> {
    let prepared = dollars::prepare(text);
    let vars = parse_dotenv(&prepared.text, source)?;
    warn_unset_references(&prepared, &vars);
    Ok(vars)
}

/// dotenv makes `$NAME` empty when NAME is neither set nor an earlier key: say so,
/// naming the key but not NAME, which may be the rest of a password (`pa$word`).
fn warn_unset_references(prepared: &dollars::Prepared, vars: &[(String, SecretString)]) {
    let mut warned = std::collections::HashSet::new();
    for reference in &prepared.references {
        let Some(key) = prepared.keys.get(reference.entry) else {
            continue;
        };
        let earlier = &prepared.keys[..reference.entry];
        let set = std::env::var_os(&reference.name).is_some() || earlier.contains(&reference.name);
        if set || !vars.iter().any(|(k, _)| k == key) || !warned.insert(key.clone()) {
            continue;
        }
        crate::output::warn(&format!(
            "the value of {key} has a '$' substitution of a variable that is not set: \
             dotenv made that part empty; write the value in single quotes, or '$' as \
             '\\$', to keep it literally"
        ));
    }
}

fn parse_dotenv(text: &str, source: &Path) -> Result<Vec<(String, SecretString)>> {
    let dollars = text.bytes().filter(|&b| b == b'$').count();
    let mut longest = std::env::vars_os()
        .map(|(_, value)| value.len())
        .max()
        .unwrap_or(0);
    let mut vars = Vec::new();
    let mut items = dotenvy::from_read_iter(text.as_bytes());
    loop {
        bound_expansion(dollars, longest, source)?;
        let Some(item) = items.next() else { break };
        let (key, value) = item.map_err(|err| dotenv_error(text, source, err))?;
        let value = SecretString::new(value);
        if value.expose().len() > validate::MAX_VALUE_BYTES {
            validate::env_value(&key, value.expose()).map_err(|err| {
                err.with_hint("a ${NAME} substitution may have made it this long")
            })?;
        }
        longest = longest.max(value.expose().len());
        vars.push((key, value));
    }
    refuse_key_substitution(&vars, source)?;
    Ok(vars)
}

/// How far `${NAME}` substitution may make one entry grow.
const MAX_EXPANSION_BYTES: usize = 64 << 20;

/// dotenvy expands `$NAME` and `${NAME}` with the values of earlier lines (and
/// of the environment), so a few lines can ask for gigabytes: each `A=$A$A`
/// doubles A. Every substitution starts at a `$`, so the next entry can grow by
/// at most (number of `$`) × (longest value it can refer to). Reading stops at
/// the first value over the 64 KiB limit, and before any entry that could
/// grow past MAX_EXPANSION_BYTES.
fn bound_expansion(dollars: usize, longest: usize, source: &Path) -> Result<()> {
    if dollars.saturating_mul(longest) > MAX_EXPANSION_BYTES {
        return Err(Error::usage(format!(
            "{} has {dollars} '$' signs and values of {longest} bytes: its ${{NAME}} \
             substitutions could expand it past {} MiB; nothing imported",
            source.display(),
            MAX_EXPANSION_BYTES >> 20
        )));
    }
    Ok(())
}

/// dotenvy substitutes `${NAME}` from `vault`'s own environment, so a hostile
/// `.env` could copy the passphrase or session into a secret, and from there
/// into a child of `vault exec`. Refuse any value that holds one of them.
fn refuse_key_substitution(vars: &[(String, SecretString)], source: &Path) -> Result<()> {
    // The `_FILE` variables hold paths, not keys.
    let keys = crate::key_vars::KEY_VARIABLES.iter();
    for name in keys.filter(|name| !name.ends_with("_FILE")) {
        let Some(key) = std::env::var(name).ok().filter(|v| !v.is_empty()) else {
            continue;
        };
        let key = Zeroizing::new(key);
        if let Some((var, _)) = vars.iter().find(|(_, v)| v.expose().contains(key.as_str())) {
            return Err(Error::usage(format!(
                "{}: the value of {var} would contain {name}, the key to the vault \
                 (through ${{{name}}} substitution?): nothing imported",
                source.display()
            )));
        }
    }
    Ok(())
}

/// Names the line that failed to parse by its number; its text may hold a value.
fn dotenv_error(text: &str, source: &Path, err: dotenvy::Error) -> Error {
    let line = match &err {
        dotenvy::Error::LineParse(bad, _) if !bad.is_empty() => text
            .find(bad.as_str())
            .map(|at| format!(" at line {}", text[..at].matches('\n').count() + 1)),
        _ => None,
    };
    Error::usage(format!(
        "{} is not valid dotenv syntax{} (the line is not shown: it may hold a value)",
        source.display(),
        line.unwrap_or_default()
    ))
    .with_hint("write KEY=value, KEY='literal value' or KEY=\"value with \\n escapes\"; quote values with spaces")
}

/// Reads a flat JSON object of string values, keeping its order.
pub fn read_json(text: &str, source: &Path) -> Result<Vec<(String, SecretString)>> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|err| {
        Error::usage(format!(
            "{} is not valid JSON (line {}, column {})",
            source.display(),
            err.line(),
            err.column()
        ))
    })?;
    let serde_json::Value::Object(map) = value else {
        return Err(Error::usage(format!(
            "{} must hold a JSON object",
            source.display()
        )));
    };
    map.into_iter()
        .map(|(key, value)| match value {
            serde_json::Value::String(text) => Ok((key, SecretString::new(text))),
            _ => Err(Error::usage(format!(
                "{}: the value of {key} must be a string",
                source.display()
            ))),
        })
        .collect()
}

/// `KEY='value'` lines that a dotenv parser (dotenvy) reads back exactly.
///
/// Single quotes are literal and the most portable, but dotenvy's line reader
/// treats a backslash inside them as an escape when it looks for the closing
/// quote, so a value holding `'`, `\` or a line break is written in double
/// quotes instead, where dotenvy understands `\\`, `\"`, `\$` and `\n`.
pub fn render_dotenv(vars: &[(&str, &str)]) -> String {
    vars.iter()
        .map(|(key, value)| {
            if value.contains(['\'', '\\', '\n']) {
                format!("{key}=\"{}\"\n", escape_double_quoted(value))
            } else {
                format!("{key}='{value}'\n")
            }
        })
        .collect()
}

/// The escapes dotenvy reads inside double quotes; every other character is literal.
fn escape_double_quoted(value: &str) -> String {
    let mut escaped = String::with_capacity(value.len() + 8);
    for c in value.chars() {
        match c {
            '\\' => escaped.push_str("\\\\"),
            '"' => escaped.push_str("\\\""),
            '$' => escaped.push_str("\\$"),
            '\n' => escaped.push_str("\\n"),
            c => escaped.push(c),
        }
    }
    escaped
}

/// `export KEY='value'` lines that `. file` in sh reads back exactly.
pub fn render_shell(vars: &[(&str, &str)]) -> String {
    vars.iter()
        .map(|(key, value)| format!("export {key}='{}'\n", value.replace('\'', "'\\''")))
        .collect()
}

/// `SECRET_KEY=<base64 of the value>` lines: how Kestra's open-source edition
/// reads secrets from its environment (standard, padded base64).
pub fn render_kestra(vars: &[(&str, &str)]) -> String {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD;
    vars.iter()
        .map(|(key, value)| format!("SECRET_{key}={}\n", b64.encode(value)))
        .collect()
}

/// A flat `{"KEY": "value"}` object, in the secret's order.
pub fn render_json(vars: &[(&str, &str)]) -> String {
    let map: serde_json::Map<String, serde_json::Value> = vars
        .iter()
        .map(|(key, value)| {
            (
                (*key).to_owned(),
                serde_json::Value::String((*value).to_owned()),
            )
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&map).expect("a JSON object serialises");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const HOSTILE: &[&str] = &[
        "with spaces  ",
        "single ' quote",
        "double \" quote",
        "both ' and \"",
        "$HOME and ${HOME} and $",
        "`uname` and $(id)",
        "back\\slash",
        "ends with a backslash\\",
        "\\",
        "line one\nline two\n",
        "\r\ncrlf\r",
        "tab\there",
        "# not a comment",
        "key=value=more",
        "ünïcødé ✓ 🔑",
        "",
        " ",
        "'",
        "\"",
        "\\'",
        "\\n literally",
    ];

    fn read_back(text: &str) -> Vec<(String, String)> {
        read_dotenv(text, Path::new("test.env"))
            .unwrap()
            .into_iter()
            .map(|(key, value)| (key, value.expose().to_owned()))
            .collect()
    }

    fn assert_dotenv_round_trip(vars: &[(&str, &str)]) {
        let text = render_dotenv(vars);
        let expected: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        assert_eq!(read_back(&text), expected, "rendered as:\n{text}");
    }

    #[test]
    fn dotenv_round_trips_hostile_values() {
        for value in HOSTILE {
            assert_dotenv_round_trip(&[("A", value), ("B", "after")]);
        }
        let keys: Vec<String> = (0..HOSTILE.len()).map(|i| format!("K{i}")).collect();
        let all: Vec<(&str, &str)> = keys
            .iter()
            .map(String::as_str)
            .zip(HOSTILE.iter().copied())
            .collect();
        assert_dotenv_round_trip(&all);
    }

    #[test]
    fn dotenv_uses_plain_single_quotes_where_it_can() {
        assert_eq!(render_dotenv(&[("A", "a b $c")]), "A='a b $c'\n");
        assert_eq!(render_dotenv(&[("A", "it's")]), "A=\"it's\"\n");
        assert_eq!(render_dotenv(&[("A", "x\\")]), "A=\"x\\\\\"\n");
    }

    #[test]
    fn reads_real_dotenv_syntax() {
        let text = "# a comment\n\
                    export EXPORTED=yes\n\
                    PLAIN=value # trailing comment\n\
                    SINGLE='literal $HOME \\n'\n\
                    DOUBLE=\"esc \\\" \\$ \\n\"\n\
                    MULTI=\"first\nsecond\"\n\
                    \n\
                    EMPTY=\n";
        let vars = read_back(text);
        assert_eq!(
            vars,
            [
                ("EXPORTED", "yes"),
                ("PLAIN", "value"),
                ("SINGLE", "literal $HOME \\n"),
                ("DOUBLE", "esc \" $ \n"),
                ("MULTI", "first\nsecond"),
                ("EMPTY", ""),
            ]
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
        );
    }

    #[test]
    fn parse_errors_never_show_the_line() {
        for bad in [
            "KEY='unterminated canary-dotenv",
            "KEY=a b canary-dotenv",
            "=canary-dotenv",
        ] {
            let err = read_dotenv(bad, Path::new("x.env")).unwrap_err();
            assert_eq!(err.exit_code(), 2);
            assert!(!err.message.contains("canary"), "{}", err.message);
        }
        for bad in ["{\"A\": \"canary-json", "[\"canary-json\"]", "{\"A\": 1}"] {
            let err = read_json(bad, Path::new("x.json")).unwrap_err();
            assert_eq!(err.exit_code(), 2);
            assert!(!err.message.contains("canary"), "{}", err.message);
        }
    }

    #[test]
    fn parse_errors_name_the_line_number() {
        for (text, line) in [
            ("A=1\n# c\nB=two words\n", 3),
            ("A='multi\nline'\nB=\"open\nC=3\n", 3),
            ("\n\nexport\n", 3),
        ] {
            let err = read_dotenv(text, Path::new("x.env")).unwrap_err();
            assert!(
                err.message.contains(&format!("at line {line}")),
                "{}",
                err.message
            );
        }
    }

    #[test]
    fn json_round_trips_in_order() {
        let vars = [("Z", "last ' \" \\ \n"), ("A", "first")];
        let text = render_json(&vars);
        let back: Vec<(String, String)> = read_json(&text, Path::new("x.json"))
            .unwrap()
            .into_iter()
            .map(|(k, v)| (k, v.expose().to_owned()))
            .collect();
        assert_eq!(back, vars.map(|(k, v)| (k.to_owned(), v.to_owned())));
    }

    proptest! {
        #[test]
        fn dotenv_round_trips_any_value(values in proptest::collection::vec("[^\u{0}]*", 1..4)) {
            let keys: Vec<String> = (0..values.len()).map(|i| format!("KEY_{i}")).collect();
            let vars: Vec<(&str, &str)> =
                keys.iter().map(String::as_str).zip(values.iter().map(String::as_str)).collect();
            let expected: Vec<(String, String)> =
                keys.iter().cloned().zip(values.iter().cloned()).collect();
            prop_assert_eq!(read_back(&render_dotenv(&vars)), expected);
        }

        #[test]
        fn dotenv_round_trips_shell_like_values(value in "[ a-z'\"$`\\\n\r\t#={}()]{0,24}") {
            let expected = vec![("K".to_owned(), value.clone())];
            prop_assert_eq!(read_back(&render_dotenv(&[("K", &value)])), expected);
        }
    }
}
