//! The dotenv reader (`vault import`, `--env-file`) on hostile text.
//!
//! Invariants: no panic, no runaway memory (`${NAME}` substitution is
//! bounded); a parse error never quotes the input (it may hold a value); and
//! whatever is read, `vault export --format dotenv` writes back in a form that
//! reads back to exactly the same pairs.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use vault::formats::{read_dotenv, render_dotenv};
use vault::vault::validate;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return; // `vault` refuses a .env that is not UTF-8 before parsing it
    };
    let source = Path::new("fuzz.env");
    let vars = match read_dotenv(text, source) {
        Ok(vars) => vars,
        Err(err) => {
            // The only refusals, none of which quotes a line (it may hold a value):
            // bad syntax, a value over the limit (or with a NUL, checked first),
            // too many substitutions.
            let m = &err.message;
            let syntax = m.starts_with("fuzz.env is not valid dotenv syntax")
                && m.ends_with("(the line is not shown: it may hold a value)");
            let too_long = m.starts_with("the value of ")
                && (m.ends_with("; the limit is 65536") || m.ends_with("contains a NUL byte"));
            let too_many = m.starts_with("fuzz.env has ") && m.contains("'$' signs");
            assert!(
                syntax || too_long || too_many,
                "an error message that may quote the input: {m}"
            );
            return;
        }
    };
    // Only what `vault` would store is exported: valid keys and values.
    let stored: Vec<(&str, &str)> = vars
        .iter()
        .filter(|(key, value)| {
            validate::env_key(key).is_ok() && validate::env_value(key, value.expose()).is_ok()
        })
        .map(|(key, value)| (key.as_str(), value.expose()))
        .collect();
    let exported = render_dotenv(&stored);
    // The one documented limit of the round trip: an export whose '$' signs
    // times its longest value exceed the 64 MiB expansion bound is refused.
    let dollars = exported.matches('$').count();
    let longest = stored
        .iter()
        .map(|(_, v)| v.len())
        .chain(std::env::vars_os().map(|(_, v)| v.len()))
        .max()
        .unwrap_or(0);
    if dollars.saturating_mul(longest) > 64 << 20 {
        return;
    }
    let back = read_dotenv(&exported, source).expect("exported dotenv reads back");
    let back: Vec<(&str, &str)> = back.iter().map(|(k, v)| (k.as_str(), v.expose())).collect();
    assert_eq!(back, stored, "export then import changes the values");
});
