//! How `vault` talks to people: messages, warnings, errors, tables and JSON.
//! Human output goes to stdout, diagnostics to stderr; `NO_COLOR` is honoured.

use std::io::{IsTerminal, Write};

use comfy_table::{ContentArrangement, Table, presets};

use crate::error::Error;

fn color_enabled() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
}

fn paint(code: &str, text: &str) -> String {
    if color_enabled() {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_owned()
    }
}

pub fn warn(message: &str) {
    eprintln!("{} {message}", paint("1;33", "warning:"));
}

pub fn print_error(err: &Error) {
    eprintln!("{} {}", paint("1;31", "error:"), err.message);
    if let Some(hint) = &err.hint {
        eprintln!("{} {hint}", paint("1;36", "hint:"));
    }
}

/// A table in the style of `kubectl get`: upper-case headers, no borders.
pub fn table(headers: &[&str]) -> Table {
    let mut table = Table::new();
    table
        .load_preset(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(headers.iter().map(|h| h.to_uppercase()));
    for column in table.column_iter_mut() {
        column.set_padding((0, 3));
    }
    table
}

pub fn print_table(table: &Table) {
    let text = table.to_string();
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    println_stdout(&lines.join("\n"));
}

pub fn print_json(value: &impl serde::Serialize) {
    let text = serde_json::to_string_pretty(value).expect("JSON output serialises");
    println_stdout(&text);
}

/// Prints a line on stdout. A closed pipe (`vault get secrets | head -1`) is not an error.
pub fn println_stdout(text: &str) {
    let mut stdout = std::io::stdout().lock();
    if writeln!(stdout, "{text}")
        .and_then(|()| stdout.flush())
        .is_err()
    {
        std::process::exit(0);
    }
}

/// Prints a command-line parsing error (or `--help`/`--version`) and returns
/// the exit code. clap quotes unexpected arguments, and a mistyped
/// `vault create secret aws KEY=VALUE` (no `-e`) would echo the value: the
/// part after `=` of any argument is redacted from the message.
pub fn report_parse_error(err: clap::Error) -> i32 {
    if !err.use_stderr() {
        let _ = err.print();
        return 0;
    }
    let mut text = err.render().to_string();
    for arg in std::env::args_os().skip(1) {
        let arg = arg.to_string_lossy();
        if let Some((key, value)) = arg.split_once('=')
            && !value.is_empty()
        {
            text = text.replace(arg.as_ref(), &format!("{key}=…"));
        }
    }
    eprint!("{text}");
    2
}
