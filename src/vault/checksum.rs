//! The public checksum on the last line of every vault file (docs/FORMAT.md):
//! it tells damage (exit 5) from a wrong key (exit 4) before any key is tried.
//! It guards against accidents, not attackers (anyone can recompute it): the
//! records' AEAD tags and the keyed commitment do that. So it can be a fast
//! hash: format 3 carries XXH3-128, which hashes a 7 MB file in a fraction of
//! a millisecond where SHA-256 takes several; formats 1 and 2 carry SHA-256.

use sha2::{Digest, Sha256};

use super::crypto::hex;
use super::format::damaged;
use crate::error::Result;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    Sha256,
    Xxh3_128,
}

impl Algorithm {
    fn prefix(self) -> &'static [u8] {
        match self {
            Algorithm::Sha256 => b"checksum = \"sha256:",
            Algorithm::Xxh3_128 => b"checksum = \"xxh3-128:",
        }
    }

    fn digest_hex(self, body: &[u8]) -> String {
        match self {
            Algorithm::Sha256 => hex(&Sha256::digest(body)),
            Algorithm::Xxh3_128 => hex(&twox_hash::XxHash3_128::oneshot(body).to_be_bytes()),
        }
    }
}

/// The checksum line of `body`, with its LF.
pub fn line(algorithm: Algorithm, body: &[u8]) -> String {
    let prefix = std::str::from_utf8(algorithm.prefix()).expect("ASCII");
    format!("{prefix}{}\"\n", algorithm.digest_hex(body))
}

/// The digest a checksum line names.
pub struct Expected<'a> {
    algorithm: Algorithm,
    hex: &'a [u8],
}

impl Expected<'_> {
    /// Checks the body against the digest.
    pub fn check(&self, body: &[u8]) -> Result<()> {
        if self.hex != self.algorithm.digest_hex(body).as_bytes() {
            return Err(damaged("its checksum does not match its contents"));
        }
        Ok(())
    }
}

/// Splits off the last line, the checksum, naming one of `accepted`: returns
/// the body before it and the digest it names.
pub fn split<'a>(bytes: &'a [u8], accepted: &[Algorithm]) -> Result<(&'a [u8], Expected<'a>)> {
    let missing = || damaged("its checksum line is missing (truncated or extended?)");
    let without_newline = bytes.strip_suffix(b"\n").ok_or_else(missing)?;
    let start = memchr::memrchr(b'\n', without_newline).map_or(0, |i| i + 1);
    let (body, last_line) = (&bytes[..start], &without_newline[start..]);
    let expected = accepted
        .iter()
        .find_map(|&algorithm| {
            let hex = last_line
                .strip_prefix(algorithm.prefix())?
                .strip_suffix(b"\"")?;
            Some(Expected { algorithm, hex })
        })
        .ok_or_else(missing)?;
    Ok((body, expected))
}

/// `split`, then `check`: the body, if the checksum matches it.
pub fn verify<'a>(bytes: &'a [u8], accepted: &[Algorithm]) -> Result<&'a [u8]> {
    let (body, expected) = split(bytes, accepted)?;
    expected.check(body)?;
    Ok(body)
}

/// `verify`, with `parse` given the body meanwhile: a large body is hashed on
/// another thread, since hashing and decoding each take a millisecond or more
/// at 10,000 secrets and neither needs the other. A checksum mismatch is what
/// is reported, whatever `parse` found; `parse` must do nothing that matters
/// when the file turns out damaged.
pub fn verify_while<T>(
    bytes: &[u8],
    accepted: &[Algorithm],
    parse: impl FnOnce(&[u8]) -> Result<T>,
) -> Result<T> {
    let (body, expected) = split(bytes, accepted)?;
    if body.len() < PARALLEL_FROM_BYTES {
        expected.check(body)?;
        return parse(body);
    }
    let (checked, parsed) = std::thread::scope(|scope| {
        let hashing = scope.spawn(|| expected.check(body));
        let parsed = parse(body);
        (hashing.join().expect("the hashing thread panicked"), parsed)
    });
    checked?;
    parsed
}

/// Below this size, hashing is cheaper than starting a thread: on this 2-core
/// VM a second thread can take about 1 ms to get going (waking the other vCPU).
const PARALLEL_FROM_BYTES: usize = 2 * 1024 * 1024;

#[cfg(test)]
mod tests {
    use super::*;

    const BOTH: &[Algorithm] = &[Algorithm::Xxh3_128, Algorithm::Sha256];

    fn file(algorithm: Algorithm, body: &[u8]) -> Vec<u8> {
        [body, line(algorithm, body).as_bytes()].concat()
    }

    #[test]
    fn each_algorithm_round_trips_and_names_itself() {
        for algorithm in [Algorithm::Sha256, Algorithm::Xxh3_128] {
            let bytes = file(algorithm, b"a\nb\n");
            assert_eq!(verify(&bytes, BOTH).unwrap(), b"a\nb\n");
        }
        let xxh3 = line(Algorithm::Xxh3_128, b"");
        // XXH3-128 of the empty input, from the reference implementation.
        assert_eq!(
            xxh3,
            "checksum = \"xxh3-128:99aa06d3014798d86001c324468d497f\"\n"
        );
    }

    #[test]
    fn a_changed_byte_or_a_refused_algorithm_is_damage() {
        let bytes = file(Algorithm::Xxh3_128, b"a\nb\n");
        let mut changed = bytes.clone();
        changed[2] ^= 1;
        assert_eq!(verify(&changed, BOTH).unwrap_err().exit_code(), 5);
        let err = verify(&bytes, &[Algorithm::Sha256]).unwrap_err();
        assert_eq!(err.exit_code(), 5);
        assert_eq!(
            verify(&bytes[..bytes.len() - 1], BOTH)
                .unwrap_err()
                .exit_code(),
            5
        );
    }
}
