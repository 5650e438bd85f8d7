//! The forms a secret value takes in output, as byte patterns for the matcher.
//!
//! A value is rarely printed only as itself: tools encode it (base64, hex,
//! URL-encoding), escape it (JSON, shell quoting), wrap it (base64 at 64 or 76
//! columns, `xxd -p` at 60) or print a multi-line value line by line. Each form
//! here is what a real tool prints; the tests in `tests/it/masking_forms.rs`
//! run those tools.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};

use super::matcher::strip_escapes;

/// Values (and derived patterns) shorter than this many characters are not
/// masked: masking "a" or "on" would shred ordinary output. The matcher's
/// start filter relies on every pattern having at least 4 bytes.
pub(super) const MIN_CHARS: usize = 4;

/// The columns base64 is wrapped at: PEM and `base64 -w 64`; MIME and
/// coreutils' `base64` by default.
const BASE64_WRAP: [usize; 2] = [64, 76];

/// The shortest last line of a wrapped form that is masked.
const MIN_WRAPPED_TAIL: usize = 8;

/// The columns `xxd -p` wraps its hex at.
const HEX_WRAP: usize = 60;

/// Whether a value (or a form of it) is long enough to be masked: 4
/// characters when it is UTF-8, else 4 bytes.
pub(super) fn long_enough(bytes: &[u8]) -> bool {
    // A character is at most 4 bytes: most forms need no counting.
    if bytes.len() >= 4 * MIN_CHARS {
        return true;
    }
    let chars = std::str::from_utf8(bytes).map_or(bytes.len(), |s| s.chars().count());
    chars >= MIN_CHARS
}

/// The patterns of a set of values, wiped from memory when dropped.
#[derive(Default)]
pub(super) struct Patterns(pub(super) Vec<Vec<u8>>);

impl Patterns {
    /// Adds every form of `value` (duplicates are removed by [`Patterns::finish`]).
    pub(super) fn add_value(&mut self, value: &[u8]) {
        // The matcher skips terminal escape sequences in the output, so a
        // value that holds one can only match without it.
        let text = strip_escapes(value);
        self.push(&text);
        if text.contains(&b'\n') {
            // Tools often print a multi-line value (a PEM key) line by line,
            // with their own indentation or line endings.
            for line in text.split(|&b| b == b'\n') {
                self.push(line.strip_suffix(b"\r").unwrap_or(line));
            }
        }
        self.add_base64(value);
        self.add_hex(value);
        self.add_url_encoded(value);
        if let Ok(text) = std::str::from_utf8(value) {
            self.add_json(text);
            self.add_shell_quoted(text);
        }
    }

    /// Sorted and without duplicates.
    pub(super) fn finish(mut self) -> Vec<Vec<u8>> {
        // Sorting (first 8 bytes as a number, index) pairs settles almost
        // every comparison of random-looking forms without a `memcmp` call
        // and moves 16 bytes instead of a `Vec`: a third of the build's time
        // at 5,000 values went to sorting the forms themselves.
        let prefix = |p: &[u8]| {
            let mut bytes = [0; 8];
            let n = p.len().min(8);
            bytes[..n].copy_from_slice(&p[..n]);
            u64::from_be_bytes(bytes)
        };
        let forms = &self.0;
        let mut order: Vec<(u64, usize)> = forms
            .iter()
            .enumerate()
            .map(|(i, p)| (prefix(p), i))
            .collect();
        order.sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| forms[a.1].cmp(&forms[b.1])));
        let mut sorted: Vec<Vec<u8>> = order
            .iter()
            .map(|&(_, i)| std::mem::take(&mut self.0[i]))
            .collect();
        sorted.dedup_by(|a, b| {
            let same = a == b;
            if same {
                wipe(a);
            }
            same
        });
        sorted
    }

    fn push(&mut self, form: &[u8]) {
        if long_enough(form) {
            self.0.push(form.to_vec());
        }
    }

    /// Adds each line of `form` wrapped at `width` columns. A last line
    /// shorter than `MIN_WRAPPED_TAIL` is left out: four hex digits or
    /// base64 characters would mask numbers and words all over the output.
    fn push_lines(&mut self, form: &[u8], width: usize) {
        for line in form.chunks(width) {
            if line.len() == width || line.len() >= MIN_WRAPPED_TAIL {
                self.push(line);
            }
        }
    }

    /// Adds a form and wipes the buffer it was built in.
    fn push_wiped(&mut self, mut form: Vec<u8>) {
        self.push(&form);
        wipe(&mut form);
    }

    /// The value may sit at byte offset 0, 1 or 2 of a 3-byte base64 group
    /// inside a larger encoded blob (an encoded config file, a basic-auth
    /// header). Encode `k` filler bytes + value and keep only the characters
    /// whose 6 bits all come from the value: character `i` covers bits
    /// `6i..6i+6` and the value covers bits `8k..8k+8n`. That drops leading
    /// characters mixing in the filler and trailing ones mixing in whatever
    /// follows (or padding). At offset 0 (the value encoded on its own, as in
    /// `base64 <<<"$TOKEN"`) each line of the form wrapped at 64 and 76
    /// columns is a pattern too.
    fn add_base64(&mut self, value: &[u8]) {
        let n = value.len();
        let mut buf = Vec::with_capacity(n + 2);
        for k in 0..3 {
            buf.clear();
            buf.resize(k, 0);
            buf.extend_from_slice(value);
            let mut encoded = STANDARD_NO_PAD.encode(&buf).into_bytes();
            let (start, end) = ((8 * k).div_ceil(6), (8 * (k + n)) / 6);
            if end > start {
                let standard = &encoded[start..end];
                let mut url_safe = to_url_safe(standard);
                for form in [standard, &url_safe[..]] {
                    self.push(form);
                    if k == 0 {
                        self.push_wrapped_base64(form);
                    }
                }
                wipe(&mut url_safe);
            }
            wipe(&mut encoded);
        }
        wipe(&mut buf);
        // Encoded on its own, the value's last character and padding are
        // known too: its last line as `base64` prints it is a pattern when
        // it has `MIN_WRAPPED_TAIL` characters with the padding.
        let mut padded = STANDARD.encode(value).into_bytes();
        let mut url_safe = to_url_safe(&padded);
        for form in [&padded[..], &url_safe[..]] {
            self.push_wrapped_base64(form);
        }
        wipe(&mut url_safe);
        wipe(&mut padded);
    }

    /// Each line of a base64 form wrapped at the usual columns.
    fn push_wrapped_base64(&mut self, form: &[u8]) {
        for width in BASE64_WRAP.into_iter().filter(|&w| form.len() > w) {
            self.push_lines(form, width);
        }
    }

    /// Lower- and upper-case hex, on one line and as `xxd -p` wraps it.
    fn add_hex(&mut self, value: &[u8]) {
        for digits in [b"0123456789abcdef", b"0123456789ABCDEF"] {
            let mut hex = Vec::with_capacity(2 * value.len());
            for &b in value {
                hex.extend_from_slice(&[digits[usize::from(b >> 4)], digits[usize::from(b & 15)]]);
            }
            if hex.len() > HEX_WRAP {
                self.push_lines(&hex, HEX_WRAP);
            }
            self.push_wiped(hex);
        }
    }

    /// URL-encoded, as in query strings and form bodies: either case of hex;
    /// `/` encoded (`quote_plus`, `encodeURIComponent`) or kept (Python's
    /// `quote`, paths); a space as `%20`, as `+` (forms) or kept.
    fn add_url_encoded(&mut self, value: &[u8]) {
        // Most values (tokens, keys) have nothing to encode: skip building
        // twelve copies of them.
        if value.iter().all(|&b| url_unreserved(b)) {
            return;
        }
        for upper in [true, false] {
            for keep_slash in [false, true] {
                for space in [Space::Percent, Space::Plus, Space::Kept] {
                    let encoded = url_encode(value, upper, keep_slash, space);
                    if encoded != value {
                        self.push_wiped(encoded);
                    }
                }
            }
        }
    }

    /// JSON string escaping: as jq, serde and `JSON.stringify` print it
    /// (non-ASCII as is), and as Python's `json.dumps` does (`\u00e4`).
    fn add_json(&mut self, value: &str) {
        // Printable ASCII but quotes and backslashes is escaped by no one.
        let plain = |b: u8| (b' '..=b'~').contains(&b) && b != b'"' && b != b'\\';
        if value.bytes().all(plain) {
            return;
        }
        for ascii_only in [false, true] {
            let escaped = json_escape(value, ascii_only);
            if escaped.as_bytes() != value.as_bytes() {
                self.push_wiped(escaped.into_bytes());
            }
        }
    }

    /// Shell quoting: bash's `printf %q` (a backslash before each special
    /// character), and a value inside single quotes as `set -x` (`'\''`) and
    /// Python's `shlex.quote` (`'"'"'`) print it, or inside double quotes.
    /// The quotes around the value are outside the pattern.
    fn add_shell_quoted(&mut self, value: &str) {
        // Characters no form quotes or escapes, wherever they are.
        let plain = |b: u8| b.is_ascii_alphanumeric() || b"-_./@%+:=".contains(&b);
        if value.bytes().all(plain) {
            return;
        }
        let forms = [
            printf_q(value),
            ansi_c_quoted(value, true),
            ansi_c_quoted(value, false),
            value.replace('\'', r"'\''"),
            value.replace('\'', r#"'"'"'"#),
            double_quoted(value),
        ];
        for form in forms {
            if form != value {
                self.push_wiped(form.into_bytes());
            }
        }
    }
}

impl Drop for Patterns {
    fn drop(&mut self) {
        self.0.iter_mut().for_each(|p| wipe(p));
    }
}

/// A base64 form in the URL-safe alphabet, which differs from the standard
/// one only in two characters (padding is kept).
fn to_url_safe(standard: &[u8]) -> Vec<u8> {
    standard
        .iter()
        .map(|&c| match c {
            b'+' => b'-',
            b'/' => b'_',
            c => c,
        })
        .collect()
}

#[derive(Clone, Copy)]
enum Space {
    Percent,
    Plus,
    Kept,
}

/// Percent-encodes every byte except the RFC 3986 unreserved characters (and
/// `/` when asked).
fn url_encode(bytes: &[u8], upper: bool, keep_slash: bool, space: Space) -> Vec<u8> {
    let digits = if upper {
        b"0123456789ABCDEF"
    } else {
        b"0123456789abcdef"
    };
    let mut out = Vec::with_capacity(bytes.len() * 3);
    for &b in bytes {
        match (b, space) {
            (b, _) if url_unreserved(b) => out.push(b),
            (b'/', _) if keep_slash => out.push(b),
            (b' ', Space::Plus) => out.push(b'+'),
            (b' ', Space::Kept) => out.push(b' '),
            _ => out.extend_from_slice(&[
                b'%',
                digits[usize::from(b >> 4)],
                digits[usize::from(b & 15)],
            ]),
        }
    }
    out
}

/// The RFC 3986 unreserved characters, never percent-encoded.
fn url_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~')
}

/// The inside of a JSON string holding `value`.
fn json_escape(value: &str, ascii_only: bool) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(value.len() + 8);
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if c < ' ' || (ascii_only && !c.is_ascii()) => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// What bash's `printf %q` prints for a value without control characters
/// (bash's `sh_backslash_quote`).
fn printf_q(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 8);
    let mut previous = None;
    for c in value.chars() {
        let special = match c {
            ' ' | '\t' | '\'' | '"' | '\\' | '|' | '&' | ';' | '(' | ')' | '<' | '>' | '!'
            | '{' | '}' | '*' | '[' | '?' | ']' | '^' | '$' | '`' | ',' => true,
            '~' => matches!(previous, None | Some('=' | ':')),
            '#' => previous.is_none(),
            _ => false,
        };
        if special {
            out.push('\\');
        }
        out.push(c);
        previous = Some(c);
    }
    out
}

/// The inside of bash's `$'...'`, which `printf %q` prints for a value with
/// control characters, or (outside a UTF-8 locale, `octal_non_ascii`) with
/// non-ASCII ones (bash's `ansic_quote`).
fn ansi_c_quoted(value: &str, octal_non_ascii: bool) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(value.len() + 8);
    for c in value.chars() {
        match c {
            '\'' => out.push_str("\\'"),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{1b}' => out.push_str("\\E"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if c.is_ascii_control() || (octal_non_ascii && !c.is_ascii()) => {
                let mut bytes = [0; 4];
                for b in c.encode_utf8(&mut bytes).bytes() {
                    let _ = write!(out, "\\{b:03o}");
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// The inside of a double-quoted shell word holding `value`.
fn double_quoted(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 8);
    for c in value.chars() {
        if matches!(c, '"' | '\\' | '$' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Best-effort overwrite of derived secret bytes before they are freed; the
/// `black_box` keeps the stores from being optimised away as dead.
pub(super) fn wipe(bytes: &mut [u8]) {
    bytes.fill(0);
    std::hint::black_box(bytes);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forms(value: &str) -> Vec<Vec<u8>> {
        let mut p = Patterns::default();
        p.add_value(value.as_bytes());
        p.finish()
    }

    fn has(value: &str, form: &str) -> bool {
        forms(value).iter().any(|p| p == form.as_bytes())
    }

    #[test]
    fn printf_q_matches_bash() {
        // Checked against bash 5.2's `printf %q`.
        assert_eq!(
            printf_q("it's a $x/y~#z,=:~w"),
            r"it\'s\ a\ \$x/y~#z\,=:\~w"
        );
        assert_eq!(printf_q("#~a"), r"\#~a");
        assert_eq!(printf_q("~a#"), r"\~a#");
    }

    #[test]
    fn ansi_c_quoting_matches_bash() {
        // bash 5.2 `printf %q` in the C locale.
        assert_eq!(ansi_c_quoted("it's ü\n", true), r"it\'s \303\274\n");
        assert_eq!(ansi_c_quoted("it's ü\n", false), r"it\'s ü\n");
    }

    #[test]
    fn json_escapes_like_python_and_jq() {
        assert_eq!(
            json_escape("a\"b\\cä\n😀", true),
            r#"a\"b\\c\u00e4\n\ud83d\ude00"#
        );
        assert_eq!(json_escape("a\"b\\cä\u{1}", false), "a\\\"b\\\\cä\\u0001");
    }

    #[test]
    fn url_encoding_in_every_variant() {
        let v = "p@ss w0rd/x";
        for form in [
            "p%40ss%20w0rd%2Fx",
            "p%40ss+w0rd%2Fx",
            "p%40ss%20w0rd/x",
            "p%40ss w0rd%2fx",
            "p%40ss+w0rd/x",
        ] {
            assert!(has(v, form), "{form}");
        }
    }

    #[test]
    fn hex_both_cases_and_wrapped_like_xxd() {
        let v = "0123456789abcdefghijklmnopqrstuvwxyz";
        let lower: String = v.bytes().map(|b| format!("{b:02x}")).collect();
        assert!(has(v, &lower));
        assert!(has(v, &lower.to_uppercase()));
        assert!(has(v, &lower[..60]) && has(v, &lower[60..]));
    }

    #[test]
    fn wrapped_base64_lines() {
        for (len, width) in [97, 100, 110].into_iter().flat_map(|n| [(n, 64), (n, 76)]) {
            let v = "x".repeat(len);
            let m = super::super::Masker::new([&v]);
            let encoded = STANDARD.encode(&v);
            let lines: Vec<&[u8]> = encoded.as_bytes().chunks(width).collect();
            let masked = m.mask_all(&lines.join(&b'\n'));
            let masked: Vec<&[u8]> = masked.split(|&b| b == b'\n').collect();
            let (last, full) = masked.split_last().unwrap();
            assert!(full.iter().all(|line| line == b"***"), "width {width}");
            // A last line of 8 characters or more, padding included, is
            // masked whole; a shorter one is left.
            let tail = &encoded.as_bytes()[encoded.len() / width * width..];
            match tail.len() >= 8 {
                true => assert_eq!(*last, b"***", "width {width}"),
                false => assert_eq!(*last, tail, "width {width}"),
            }
        }
    }

    #[test]
    fn short_forms_and_identical_forms_are_left_out() {
        // Alphanumeric: URL, JSON and shell forms are the value itself, and
        // its hex has no letters to change case.
        let expected: [&[u8]; 5] = [b"61626364", b"FiY2", b"YWJjZ", b"abcd", b"hYmNk"];
        assert_eq!(forms("abcd"), expected);
    }

    #[test]
    fn non_utf8_values_get_byte_forms() {
        let mut p = Patterns::default();
        p.add_value(&[0xff, 0xfe, 0x00, 0x80, 0x41]);
        let all = p.finish();
        assert!(all.iter().any(|f| f == &[0xff, 0xfe, 0x00, 0x80, 0x41]));
        assert!(all.iter().any(|f| f == b"fffe008041"));
    }
}
