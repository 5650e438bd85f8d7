//! How `vault` talks to people: messages, warnings, errors, tables and JSON.
//! Human output goes to stdout, diagnostics to stderr; `NO_COLOR` is honoured.
//! Text from the vault (names, descriptions, destinations, who did what) never reaches
//! human output raw: control characters are escaped ([`escape_control`]), terminal or
//! pipe, so that a description cannot clear the screen, retitle the window or hide
//! a line. JSON escapes them as JSON does.

use std::borrow::Cow;
use std::fmt::Write as _;
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
    eprintln!("{} {}", paint("1;33", "warning:"), escape_control(message));
}

pub fn print_error(err: &Error) {
    eprintln!(
        "{} {}",
        paint("1;31", "error:"),
        escape_control(&err.message)
    );
    if let Some(hint) = &err.hint {
        eprintln!("{} {}", paint("1;36", "hint:"), escape_control(hint));
    }
}

/// `text` with every control character but newline and tab written as `\xNN`, and the
/// Unicode bidirectional overrides (which reorder what a terminal shows) as `\u{NNNN}`.
pub fn escape_control(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            c if !needs_escape(c) => escaped.push(c),
            c if (c as u32) < 0x100 => {
                let _ = write!(escaped, "\\x{:02x}", c as u32);
            }
            c => {
                let _ = write!(escaped, "\\u{{{:04x}}}", c as u32);
            }
        }
    }
    Cow::Owned(escaped)
}

fn needs_escape(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
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

/// JSON escapes control characters itself; printed as it is.
pub fn print_json(value: &impl serde::Serialize) {
    let text = serde_json::to_string_pretty(value).expect("JSON output serialises");
    println_raw(&text);
}

/// Prints a line of human output on stdout, control characters escaped. A closed pipe
/// (`vault get secrets | head -1`) is not an error.
pub fn println_stdout(text: &str) {
    println_raw(&escape_control(text));
}

/// Prints a line on stdout exactly as it is: for JSON and for what scripts read back.
pub fn println_raw(text: &str) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped_and_the_rest_kept() {
        assert_eq!(escape_control("plain text\n\tok"), "plain text\n\tok");
        assert!(matches!(escape_control("é ü"), Cow::Borrowed(_)));
        assert_eq!(
            escape_control("a\x1b[2J\x07\r\x7f\u{9b}b"),
            "a\\x1b[2J\\x07\\x0d\\x7f\\x9bb"
        );
        assert_eq!(escape_control("x\u{202e}y"), "x\\u{202e}y");
    }
}
