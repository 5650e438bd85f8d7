//! Generated values for `-g KEY[=SPEC]` (SPEC.md, "Validation"): random letters
//! and digits, hex or base64 of random bytes, or a UUID v4, all from the
//! operating system's random source. The value is returned, never printed.
//!
//! Letters and digits are drawn by rejection sampling: a random byte maps to
//! one of the 62 characters only when it is below 248 (4 × 62), so every
//! character is exactly equally likely; `byte % 62` would favour the first eight.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::secret::SecretString;

/// What `-g` makes when no SPEC is given: 32 letters and digits.
pub const DEFAULT_LENGTH: usize = 32;

/// The alphabet of `-g KEY=N`.
pub const ALPHANUMERIC: &[u8; 62] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

const CHARS: std::ops::RangeInclusive<usize> = 8..=1024;
const BYTES: std::ops::RangeInclusive<usize> = 8..=512;

/// A parsed `-g` spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spec {
    /// N letters and digits.
    Alphanumeric(usize),
    /// N random bytes as lower-case hex (2N characters).
    Hex(usize),
    /// N random bytes as standard, padded base64.
    Base64(usize),
    /// A random UUID v4, lower-case.
    Uuid,
}

impl Spec {
    /// `N`, `hex:N`, `base64:N` or `uuid`; the text holds no secret, so
    /// errors quote it.
    pub fn parse(text: &str) -> Result<Spec> {
        let (kind, count) = match text.split_once(':') {
            Some((kind, count)) => (kind, count),
            None if text == "uuid" => return Ok(Spec::Uuid),
            None => ("", text),
        };
        let (make, range): (fn(usize) -> Spec, _) = match kind {
            "" => (Spec::Alphanumeric, CHARS),
            "hex" => (Spec::Hex, BYTES),
            "base64" => (Spec::Base64, BYTES),
            _ => return Err(bad_spec(text)),
        };
        let digits = !count.is_empty() && count.bytes().all(|b| b.is_ascii_digit());
        let n: usize = match digits {
            true => count.parse().unwrap_or(usize::MAX),
            false => return Err(bad_spec(text)),
        };
        if !range.contains(&n) {
            let unit = if kind.is_empty() {
                "characters"
            } else {
                "bytes"
            };
            return Err(Error::usage(format!(
                "-g spec '{text}': {n} is outside {}..={} {unit}",
                range.start(),
                range.end()
            )));
        }
        Ok(make(n))
    }

    /// A fresh random value of this shape.
    pub fn generate(self) -> SecretString {
        SecretString::new(match self {
            Spec::Alphanumeric(n) => alphanumeric(n),
            Spec::Hex(n) => crate::vault::crypto::hex(&random_bytes(n)),
            Spec::Base64(n) => B64.encode(random_bytes(n)),
            Spec::Uuid => uuid_v4(),
        })
    }
}

impl fmt::Display for Spec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Spec::Alphanumeric(n) => write!(f, "{n}"),
            Spec::Hex(n) => write!(f, "hex:{n}"),
            Spec::Base64(n) => write!(f, "base64:{n}"),
            Spec::Uuid => f.write_str("uuid"),
        }
    }
}

fn bad_spec(text: &str) -> Error {
    Error::usage(format!("invalid -g spec '{text}'")).with_hint(
        "write -g KEY (32 letters and digits), -g KEY=N (8 to 1024), \
         -g KEY=hex:N or -g KEY=base64:N (N bytes, 8 to 512) or -g KEY=uuid",
    )
}

/// Parses one `-g` argument: `KEY` or `KEY=SPEC`.
pub fn parse_arg(arg: &str) -> Result<(String, Spec)> {
    let (key, spec) = match arg.split_once('=') {
        Some((key, spec)) => (key, Spec::parse(spec)?),
        None => (arg, Spec::Alphanumeric(DEFAULT_LENGTH)),
    };
    if key.is_empty() {
        return Err(Error::usage(
            "-g needs a variable name: write -g KEY[=SPEC]",
        ));
    }
    crate::vault::validate::env_key(key)?;
    Ok((key.to_owned(), spec))
}

fn random_bytes(n: usize) -> Zeroizing<Vec<u8>> {
    let mut bytes = Zeroizing::new(vec![0u8; n]);
    getrandom::fill(&mut bytes).expect("the operating system's random source failed");
    bytes
}

/// `n` characters uniform over `ALPHANUMERIC`.
fn alphanumeric(n: usize) -> String {
    const LIMIT: u8 = (256 / ALPHANUMERIC.len() * ALPHANUMERIC.len()) as u8; // 248
    let mut out = String::with_capacity(n);
    while out.len() < n {
        // About 3% of bytes are rejected: draw a few more than needed.
        for &byte in random_bytes(n - out.len() + 8).iter() {
            if byte < LIMIT && out.len() < n {
                out.push(ALPHANUMERIC[usize::from(byte) % ALPHANUMERIC.len()] as char);
            }
        }
    }
    out
}

/// A UUID v4 (RFC 9562): 122 random bits, the version and variant bits set.
fn uuid_v4() -> String {
    let mut bytes = random_bytes(16);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex = crate::vault::crypto::hex(&bytes);
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_contract_specs() {
        assert_eq!(Spec::parse("8").unwrap(), Spec::Alphanumeric(8));
        assert_eq!(Spec::parse("1024").unwrap(), Spec::Alphanumeric(1024));
        assert_eq!(Spec::parse("hex:32").unwrap(), Spec::Hex(32));
        assert_eq!(Spec::parse("base64:512").unwrap(), Spec::Base64(512));
        assert_eq!(Spec::parse("uuid").unwrap(), Spec::Uuid);
        assert_eq!(
            parse_arg("TOKEN").unwrap(),
            ("TOKEN".into(), Spec::Alphanumeric(32))
        );
    }

    #[test]
    fn refuses_bad_specs() {
        for bad in [
            "7", "1025", "hex:7", "hex:513", "base64:0", "abc", "", "hex:", "uuid:4", "-8",
            "hex:x", "sha:8", " 8", "+8",
        ] {
            let err = Spec::parse(bad).unwrap_err();
            assert_eq!(err.exit_code(), 2, "{bad}");
        }
        assert_eq!(parse_arg("=8").unwrap_err().exit_code(), 2);
        assert_eq!(parse_arg("VAULT_X").unwrap_err().exit_code(), 2);
    }

    #[test]
    fn values_have_their_shape() {
        let value = Spec::Alphanumeric(100).generate();
        assert_eq!(value.expose().len(), 100);
        assert!(value.expose().bytes().all(|b| ALPHANUMERIC.contains(&b)));
        assert_eq!(Spec::Hex(16).generate().expose().len(), 32);
        assert_eq!(Spec::Base64(9).generate().expose().len(), 12);
        let uuid = Spec::Uuid.generate();
        let uuid = uuid.expose();
        assert_eq!(uuid.len(), 36);
        assert_eq!(&uuid[14..15], "4");
        assert!(matches!(&uuid[19..20], "8" | "9" | "a" | "b"), "{uuid}");
    }
}
