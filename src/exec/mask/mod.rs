//! Masking of secret values in a child's output (`vault exec -- CMD`).
//!
//! This module owns the rule "every secret value of 4 characters or more is
//! replaced by `***` in the child's output" and everything needed to keep it
//! while the output streams by:
//!
//! * [`patterns`] turns each value into the forms tools print it in: itself,
//!   each of its lines, base64 (both alphabets, every alignment, wrapped),
//!   hex, URL-encoding, JSON and shell escaping.
//! * [`matcher`] finds them with leftmost-longest semantics (when one value
//!   is a prefix of another the longer one is masked whole): sampled Bloom
//!   filters find the few candidate starts, sorted patterns confirm them.
//!   It searches the output's text with terminal escape sequences skipped,
//!   holding back only a tail that could still grow into a match.
//! * [`pump`] masks one stream incrementally: [`MaskWriter`] and [`pump`].
//!   stdout and stderr each get their own writer; they share the `Masker`.
//!
//! [`Masker`] takes a plain list of values (byte strings: file contents need
//! not be UTF-8). Building the matcher for thousands of values takes
//! milliseconds, so `vault exec` builds it on a thread of its own while the
//! child starts ([`Masker::in_background`]): a child that prints nothing never
//! waits for it, and one that prints waits at most for the rest of the build.

mod matcher;
mod patterns;
mod pump;
#[cfg(test)]
mod tests;

use std::fmt;
use std::panic;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::thread::{self, JoinHandle};

use zeroize::Zeroizing;

use crate::exec::signals;
use matcher::Matcher;
use patterns::Patterns;

pub use pump::{MaskWriter, pump};

/// The compiled set of patterns derived from the secret values. `Send +
/// Sync`, so one `Masker` serves stdout and stderr from two threads.
pub struct Masker {
    /// Number of values long enough to be masked.
    values: usize,
    built: OnceLock<Built>,
    /// The thread building `built`, until the first use joins it.
    builder: Mutex<Option<JoinHandle<Built>>>,
}

// The exec code shares one `Masker` between the stdout and stderr threads.
const _: fn() = || {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Masker>();
};

/// The matcher, once built.
struct Built {
    /// `None` when no value is long enough to be masked.
    matcher: Option<Matcher>,
    /// Number of distinct patterns (for `Debug`).
    patterns: usize,
}

impl Masker {
    /// Builds the patterns of secret values now (values shorter than 4
    /// characters are ignored).
    pub fn new<V: AsRef<[u8]>>(values: impl IntoIterator<Item = V>) -> Masker {
        let values: Vec<V> = values.into_iter().collect();
        let built = build(values.iter().map(AsRef::as_ref));
        Masker {
            values: values
                .iter()
                .filter(|v| patterns::long_enough(v.as_ref()))
                .count(),
            built: OnceLock::from(built),
            builder: Mutex::new(None),
        }
    }

    /// Like [`Masker::new`], but builds on a thread of its own: this returns
    /// after copying the values, and the first use waits for the build.
    pub fn in_background<V: AsRef<[u8]>>(values: impl IntoIterator<Item = V>) -> Masker {
        // One buffer for all the values: one allocation, not one per value,
        // and sized first so that no copy is left behind unwiped by a growth.
        let values: Vec<V> = values.into_iter().collect();
        let mut copied = Values::default();
        copied
            .bytes
            .reserve_exact(values.iter().map(|v| v.as_ref().len()).sum());
        for value in &values {
            copied.push(value.as_ref());
        }
        let copied = Arc::new(copied);
        let masker = Masker {
            values: copied.ends.len(),
            built: OnceLock::new(),
            builder: Mutex::new(None),
        };
        let for_thread = Arc::clone(&copied);
        let spawned = thread::Builder::new()
            .name("vault-masker".into())
            .spawn(move || {
                signals::block_in_this_thread();
                build(for_thread.iter())
            });
        match spawned {
            Ok(handle) => {
                *masker
                    .builder
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner) = Some(handle)
            }
            // No thread to spare: build here, now.
            Err(_) => drop(masker.built.set(build(copied.iter()))),
        }
        masker
    }

    /// True when there is nothing to mask (then callers may skip masking
    /// entirely). Known without waiting for the build.
    pub fn is_empty(&self) -> bool {
        self.values == 0
    }

    /// Masks a complete buffer in one go (convenience, used by tests and dry runs).
    pub fn mask_all(&self, input: &[u8]) -> Vec<u8> {
        let Some(matcher) = self.matcher() else {
            return input.to_vec();
        };
        let mut pieces = Vec::new();
        matcher.mask(input, true, &mut pieces);
        let mut out = Vec::with_capacity(input.len());
        for piece in pieces {
            out.extend_from_slice(piece.bytes(input));
        }
        out
    }

    /// The matcher, waiting for its build if it is still under way.
    fn matcher(&self) -> Option<&Matcher> {
        self.built().matcher.as_ref()
    }

    fn built(&self) -> &Built {
        self.built.get_or_init(|| {
            let builder = self
                .builder
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take();
            match builder.map(JoinHandle::join) {
                Some(Ok(built)) => built,
                // The build panicked: no output without masking.
                Some(Err(cause)) => panic::resume_unwind(cause),
                None => Built {
                    matcher: None,
                    patterns: 0,
                },
            }
        })
    }
}

/// Copies of the values long enough to be masked, end to end in one
/// buffer (wiped when dropped).
#[derive(Default)]
struct Values {
    bytes: Zeroizing<Vec<u8>>,
    ends: Vec<usize>,
}

impl Values {
    fn push(&mut self, value: &[u8]) {
        if patterns::long_enough(value) {
            self.bytes.extend_from_slice(value);
            self.ends.push(self.bytes.len());
        }
    }

    fn iter(&self) -> impl Iterator<Item = &[u8]> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(&self.ends)
            .map(|(start, &end)| &self.bytes[start..end])
    }
}

/// Derives every pattern of the values and compiles them.
fn build<'a>(values: impl Iterator<Item = &'a [u8]>) -> Built {
    let mut patterns = Patterns::default();
    for value in values.filter(|v| patterns::long_enough(v)) {
        patterns.add_value(value);
    }
    let mut patterns = patterns.finish();
    let matcher = (!patterns.is_empty()).then(|| Matcher::new(&patterns));
    let count = patterns.len();
    patterns.iter_mut().for_each(|p| patterns::wipe(p));
    Built {
        matcher,
        patterns: count,
    }
}

impl fmt::Debug for Masker {
    // Counts only: the patterns are secrets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let built = self.built();
        f.debug_struct("Masker")
            .field("values", &self.values)
            .field("patterns", &built.patterns)
            .field(
                "memory_bytes",
                &built.matcher.as_ref().map_or(0, Matcher::memory_usage),
            )
            .finish()
    }
}
