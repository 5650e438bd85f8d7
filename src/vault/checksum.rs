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
        Running::new(body, self).finish()
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
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// Checks the body against the digest.
    pub fn check(&self, body: &[u8]) -> Result<()> {
        self.matches(self.algorithm.digest_hex(body))
    }

    fn matches(&self, digest_hex: String) -> Result<()> {
        if self.hex != digest_hex.as_bytes() {
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

/// `verify`, with `parse` given the body meanwhile and the checksum to
/// advance as it goes (`Running::cover`): hashing each stretch just before it
/// is parsed reads a large file from memory once, not twice. Whatever is left
/// is hashed after `parse`, and a mismatch is what is reported, whatever
/// `parse` found; `parse` must do nothing that matters when the file turns
/// out damaged.
pub fn verify_while<'a, T>(
    bytes: &'a [u8],
    accepted: &[Algorithm],
    parse: impl FnOnce(&'a [u8], &mut Running<'a>) -> Result<T>,
) -> Result<T> {
    let (body, expected) = split(bytes, accepted)?;
    let mut running = Running::new(body, expected.algorithm);
    let parsed = parse(body, &mut running);
    expected.matches(running.finish())?;
    parsed
}

/// A checksum being computed over a body, front to back.
pub struct Running<'a> {
    body: &'a [u8],
    hashed: usize,
    prefetched: usize,
    hasher: Hasher,
}

enum Hasher {
    Sha256(Sha256),
    Xxh3_128(Box<twox_hash::XxHash3_128>),
}

/// How far ahead of the parser the checksum runs: small enough to stay in
/// the L2 cache until the parser reads it, large enough to hash in long runs.
const STRETCH: usize = 64 * 1024;

impl<'a> Running<'a> {
    pub fn new(body: &'a [u8], algorithm: Algorithm) -> Running<'a> {
        let hasher = match algorithm {
            Algorithm::Sha256 => Hasher::Sha256(Sha256::new()),
            Algorithm::Xxh3_128 => Hasher::Xxh3_128(Box::default()),
        };
        Running {
            body,
            hashed: 0,
            prefetched: 0,
            hasher,
        }
    }

    /// Hashes the body at least up to `at`, a stretch ahead of it.
    pub fn cover(&mut self, at: usize) {
        if at >= self.hashed {
            let end = (at + STRETCH).min(self.body.len());
            self.hash_to(end);
        }
        self.prefetch_to((at + 2 * STRETCH).min(self.body.len()));
    }

    /// Asks for the next stretch's bytes a little at a time while the parser
    /// works on this one, so that they arrive while it computes and the hash
    /// finds them in the cache.
    fn prefetch_to(&mut self, end: usize) {
        #[cfg(target_arch = "x86_64")]
        while self.prefetched < end {
            let line = self.body[self.prefetched..].as_ptr();
            // SAFETY: a prefetch is a hint; it reads nothing and cannot fault.
            unsafe {
                std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(line.cast())
            };
            self.prefetched += 64;
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = end;
    }

    fn hash_to(&mut self, end: usize) {
        let stretch = &self.body[self.hashed..end];
        match &mut self.hasher {
            Hasher::Sha256(hasher) => hasher.update(stretch),
            Hasher::Xxh3_128(hasher) => hasher.write(stretch),
        }
        self.hashed = end;
    }

    /// The digest of the whole body, in hex.
    fn finish(mut self) -> String {
        self.hash_to(self.body.len());
        match self.hasher {
            Hasher::Sha256(hasher) => hex(&hasher.finalize()),
            Hasher::Xxh3_128(hasher) => hex(&hasher.finish_128().to_be_bytes()),
        }
    }
}

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

    #[test]
    fn a_checksum_covered_in_stretches_is_the_checksum_of_the_whole() {
        let body: Vec<u8> = (0..3 * STRETCH + 17).map(|i| (i * 7 % 251) as u8).collect();
        let whole = [
            hex(&Sha256::digest(&body)),
            hex(&twox_hash::XxHash3_128::oneshot(&body).to_be_bytes()),
        ];
        for (algorithm, whole) in [Algorithm::Sha256, Algorithm::Xxh3_128]
            .into_iter()
            .zip(whole)
        {
            let mut running = Running::new(&body, algorithm);
            for at in [0, 1, STRETCH, STRETCH + 1, 2 * STRETCH + 5] {
                running.cover(at);
            }
            assert_eq!(running.finish(), whole);
        }
    }

    #[test]
    fn a_change_the_parser_never_reached_is_still_damage() {
        let mut bytes = file(Algorithm::Xxh3_128, &vec![b'x'; 2 * STRETCH]);
        bytes[2 * STRETCH - 1] = b'y';
        let parsed = verify_while(&bytes, BOTH, |_, running| {
            running.cover(0);
            Ok(())
        });
        assert_eq!(parsed.unwrap_err().exit_code(), 5);
    }
}
