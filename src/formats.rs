//! The formats secrets travel in and out of `vault`: `.env` files (real dotenv
//! syntax, read by dotenvy), flat JSON objects, and shell `export` lines.
//! Parse errors never quote the offending line: it may hold a value.

use std::path::Path;

use crate::error::{Error, Result};
use crate::secret::SecretString;

/// Reads a `.env` file into ordered (KEY, value) pairs.
pub fn read_dotenv_file(path: &Path) -> Result<Vec<(String, SecretString)>> {
    let iter = dotenvy::from_path_iter(path).map_err(|err| dotenv_error(path, err))?;
    iter.map(|item| {
        item.map(|(key, value)| (key, SecretString::new(value)))
            .map_err(|err| dotenv_error(path, err))
    })
    .collect()
}

fn dotenv_error(path: &Path, err: dotenvy::Error) -> Error {
    match err {
        dotenvy::Error::Io(io) => Error::usage(format!("cannot read {}: {io}", path.display())),
        // LineParse carries the line's text, which may hold a value: never show it.
        _ => Error::usage(format!(
            "{} is not valid dotenv syntax (the offending line is not shown: it may hold a value)",
            path.display()
        )),
    }
}

/// Reads dotenv syntax from any reader (`vault import -` reads stdin).
pub fn read_dotenv(
    reader: impl std::io::Read,
    source: &Path,
) -> Result<Vec<(String, SecretString)>> {
    dotenvy::from_read_iter(reader)
        .map(|item| {
            item.map(|(key, value)| (key, SecretString::new(value)))
                .map_err(|err| dotenv_error(source, err))
        })
        .collect()
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

/// `KEY='value'` lines a dotenv parser reads back exactly.
pub fn render_dotenv(vars: &[(&str, &str)]) -> String {
    vars.iter()
        .map(|(key, value)| {
            if value.contains('\'') {
                let escaped: String = value
                    .chars()
                    .flat_map(|c| match c {
                        '\\' => vec!['\\', '\\'],
                        '"' => vec!['\\', '"'],
                        '$' => vec!['\\', '$'],
                        '\n' => vec!['\\', 'n'],
                        c => vec![c],
                    })
                    .collect();
                format!("{key}=\"{escaped}\"\n")
            } else {
                format!("{key}='{value}'\n")
            }
        })
        .collect()
}

/// `export KEY='value'` lines that `. file` in sh reads back exactly.
pub fn render_shell(vars: &[(&str, &str)]) -> String {
    vars.iter()
        .map(|(key, value)| format!("export {key}='{}'\n", value.replace('\'', "'\\''")))
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
