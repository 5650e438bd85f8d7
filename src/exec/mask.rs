//! Masking of secret values in a child's output (`vault exec -- CMD`).
//!
//! This module owns the rule "every secret value of 4 characters or more is
//! replaced by `***` in the child's stdout and stderr" and everything needed to
//! keep it while the output streams by:
//!
//! * [`Masker`] turns the secret values into the set of byte patterns to hide:
//!   the value itself, each of its lines (for multi-line values such as PEM
//!   keys), its base64 forms (standard and URL-safe alphabets, at each of the
//!   three possible alignments inside a larger base64 blob) and its URL-encoded
//!   forms. All patterns go into one Aho-Corasick automaton with
//!   leftmost-longest semantics, so when one value is a prefix of another the
//!   longer one is masked whole and its tail cannot leak.
//! * [`MaskWriter`] masks one stream incrementally, and [`pump`] copies a
//!   reader (a child's pipe) through it. stdout and stderr each get their own
//!   writer; they share the immutable `Masker`.
//!
//! # Search
//!
//! Every pattern is at least 4 bytes long, so a match can only start where the
//! next 4 bytes are the first 4 bytes of some pattern. A small bitmap over a
//! hash of those prefixes (`StartFilter`) finds the candidate positions, and
//! at each one an *anchored* leftmost-longest search of the automaton returns
//! the longest pattern starting exactly there. The first candidate that
//! matches is therefore the leftmost-longest match. This is ~3x faster than an
//! unanchored scan, which is a chain of dependent table loads per byte, and
//! since the automaton is only walked at candidates the compact contiguous NFA
//! does as well as a DFA 20x its size (see `Masker::new`).
//!
//! # Hold-back design
//!
//! A value can be split across two writes ("tok" now, "en123" later), so a
//! streaming masker must not emit the end of a write that could still be the
//! start of a value. Holding back a whole buffer would stall progress output,
//! so the writer holds back only the *shortest* tail that could still be part
//! of a match:
//!
//! 1. It searches `pending + new` (`buf`) for leftmost-longest matches.
//! 2. It finds the first position `h` such that `buf[h..]` is a proper prefix
//!    of some pattern, by walking the automaton anchored from each candidate
//!    position: the tail is live iff the walk never reaches a dead state and a
//!    further byte could keep it alive. Only the last `longest pattern − 1`
//!    positions can qualify, which bounds both the work and the hold-back.
//! 3. Matches starting before `h` are final: an earlier or a longer match that
//!    only future bytes could complete would need a live prefix starting
//!    before `h`. They are replaced by `***` and emitted with the text between
//!    them. A match that ends exactly at the end of the buffer but could grow
//!    into a longer pattern starts at a live position, so it is held back like
//!    any other live tail.
//! 4. The text up to `h` is written and the inner writer flushed at once;
//!    `buf[h..]` becomes the new pending tail (at most `longest − 1` bytes).
//!
//! This reproduces exactly the matches of a single search over the whole
//! stream, so the output does not depend on how the child chunked its writes
//! (the tests check this against a naive reference).
//!
//! Cost is linear in the output for ordinary text. Text that keeps repeating
//! the start of a pattern (a secret beginning with `-----`, a log full of
//! `-----` rules) would cost one anchored walk per position; when failed
//! candidates get that dense the search switches to an unanchored pass over a
//! window, which is linear whatever the text (see `Matcher::find`).

use std::fmt;
use std::io::{self, Read, Write};

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::nfa::contiguous;
use aho_corasick::{Anchored, Input, Match, MatchKind};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD_NO_PAD;

/// Values (and derived patterns) shorter than this many characters are not
/// masked: masking "a" or "on" would shred ordinary output. The start filter
/// relies on every pattern having at least 4 bytes.
const MIN_CHARS: usize = 4;

/// What every match is replaced with.
const MASK: &[u8] = b"***";

/// Size of the reads `pump` makes, and of the slices `MaskWriter::write` works
/// on, so its scratch buffers stay bounded whatever the caller writes at once.
const CHUNK: usize = 64 * 1024;

/// When `DENSE_MISSES` candidate starts in a row failed and came on average
/// closer than `DENSE_SPACING` bytes apart, the search switches to an
/// unanchored pass over `DENSE_WINDOW` bytes (see `Matcher::find`). Ordinary
/// logs see a failed candidate every ~100+ bytes and never trigger it.
const DENSE_MISSES: usize = 32;
const DENSE_SPACING: usize = 8;
/// Tests use a tiny window so the properties cross many window edges.
const DENSE_WINDOW: usize = if cfg!(test) { 64 } else { 16 * 1024 };

/// The compiled set of patterns derived from the secret values. Immutable and
/// `Send + Sync`, so one `Masker` serves stdout and stderr from two threads.
pub struct Masker {
    /// `None` when no value is long enough to be masked.
    matcher: Option<Matcher>,
    /// Number of values that produced patterns (for `Debug`).
    values: usize,
    /// Number of distinct patterns (for `Debug`).
    patterns: usize,
}

// The exec code shares one `Masker` between the stdout and stderr threads.
const _: fn() = || {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Masker>();
};

impl Masker {
    /// Builds the patterns from secret values (values shorter than 4 chars are ignored).
    ///
    /// The automaton is a contiguous NFA rather than a DFA: the search only
    /// walks it at the filter's candidate positions, and there the NFA
    /// (~0.4 MB for 100 values) measured as fast as the DFA on small value
    /// sets and faster on large ones, where the DFA (~8 MB anchored-only,
    /// ~17 MB with both start kinds) no longer fits in cache.
    ///
    /// # Panics
    ///
    /// Only if the patterns need more automaton states than its 32-bit ids
    /// can address (gigabytes of secrets): failing open is not an option for
    /// a masker.
    pub fn new<'a>(values: impl IntoIterator<Item = &'a str>) -> Masker {
        let mut patterns = Vec::new();
        let mut count = 0;
        for value in values {
            if value.chars().count() >= MIN_CHARS {
                count += 1;
                derive_patterns(value, &mut patterns);
            }
        }
        patterns.sort_unstable();
        patterns.dedup();
        let matcher = (!patterns.is_empty()).then(|| Matcher::new(&patterns));
        let masker = Masker {
            matcher,
            values: count,
            patterns: patterns.len(),
        };
        for p in &mut patterns {
            wipe(p);
        }
        masker
    }

    /// True when there is nothing to mask (then callers may skip masking entirely).
    pub fn is_empty(&self) -> bool {
        self.matcher.is_none()
    }

    /// Masks a complete buffer in one go (convenience, used by tests and dry runs).
    pub fn mask_all(&self, input: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(input.len());
        match &self.matcher {
            None => out.extend_from_slice(input),
            Some(matcher) => matcher.mask_complete(input, &mut out),
        }
        out
    }
}

impl fmt::Debug for Masker {
    // Counts only: the patterns are secrets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let memory = self.matcher.as_ref().map_or(0, |m| {
            m.nfa.memory_usage() + m.filter.bits.len() * size_of::<u64>()
        });
        f.debug_struct("Masker")
            .field("values", &self.values)
            .field("patterns", &self.patterns)
            .field("memory_bytes", &memory)
            .finish()
    }
}

/// Appends every pattern derived from one value (duplicates are removed later).
fn derive_patterns(value: &str, out: &mut Vec<Vec<u8>>) {
    let mut push = |p: &[u8]| {
        // Derived forms are ASCII but lines may not be: count characters, as
        // the "4 characters" rule says.
        let chars = std::str::from_utf8(p).map_or(p.len(), |s| s.chars().count());
        if chars >= MIN_CHARS {
            out.push(p.to_vec());
        }
    };
    let bytes = value.as_bytes();
    push(bytes);

    // Tools often print a multi-line value (a PEM key) line by line, with
    // their own indentation or line endings, so each line is a pattern too.
    if value.contains('\n') {
        for line in value.split('\n') {
            push(line.strip_suffix('\r').unwrap_or(line).as_bytes());
        }
    }

    // The value may sit at byte offset 0, 1 or 2 of a 3-byte base64 group
    // inside a larger encoded blob (an encoded config file, a basic-auth
    // header). Encode `k` filler bytes + value and keep only the characters
    // whose 6 bits all come from the value: character `i` covers bits
    // `6i..6i+6` and the value covers bits `8k..8k+8n`. That drops leading
    // characters mixing in the filler and trailing ones mixing in whatever
    // follows (or padding).
    let n = bytes.len();
    let mut buf = Vec::with_capacity(n + 2);
    for k in 0..3 {
        buf.clear();
        buf.resize(k, 0);
        buf.extend_from_slice(bytes);
        let mut encoded = STANDARD_NO_PAD.encode(&buf).into_bytes();
        let (start, end) = ((8 * k).div_ceil(6), (8 * (k + n)) / 6);
        if end > start {
            push(&encoded[start..end]);
            // The URL-safe alphabet differs only in these two characters.
            for c in &mut encoded[start..end] {
                *c = match *c {
                    b'+' => b'-',
                    b'/' => b'_',
                    c => c,
                };
            }
            push(&encoded[start..end]);
        }
        wipe(&mut encoded);
    }
    wipe(&mut buf);

    // URL-encoded, as in query strings and form bodies; a space is `%20` in
    // paths and `+` in forms.
    for space_as_plus in [false, true] {
        let mut encoded = url_encode(bytes, space_as_plus);
        if encoded != bytes {
            push(&encoded);
        }
        wipe(&mut encoded);
    }
}

/// Percent-encodes every byte except the RFC 3986 unreserved characters,
/// with upper-case hex digits (what encoders emit by default).
fn url_encode(bytes: &[u8], space_as_plus: bool) -> Vec<u8> {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = Vec::with_capacity(bytes.len() * 3);
    for &b in bytes {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b),
            b' ' if space_as_plus => out.push(b'+'),
            _ => out.extend_from_slice(&[b'%', HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]]),
        }
    }
    out
}

/// Best-effort overwrite of derived secret bytes before they are freed; the
/// `black_box` keeps the stores from being optimised away as dead.
fn wipe(bytes: &mut [u8]) {
    bytes.fill(0);
    std::hint::black_box(bytes);
}

/// An exact prefilter for match starts: a bitmap over a hash of every
/// pattern's first 4 bytes. No false negatives; with 256 bits per pattern
/// (a 16 KiB bitmap for 500 patterns, which stays in L1) few false positives.
/// Testing a position is a handful of independent instructions, which the CPU
/// overlaps across positions.
struct StartFilter {
    bits: Box<[u64]>,
    /// `32 − log2(bit count)`: the hash keeps the top bits of the product.
    shift: u32,
}

impl StartFilter {
    fn new(patterns: &[Vec<u8>]) -> StartFilter {
        let len = (patterns.len() * 256)
            .next_power_of_two()
            .clamp(1 << 12, 1 << 23);
        let mut filter = StartFilter {
            bits: vec![0; len / 64].into_boxed_slice(),
            shift: 32 - len.trailing_zeros(),
        };
        for p in patterns {
            let h = filter.hash(quad_at(p, 0));
            filter.bits[h / 64] |= 1 << (h % 64);
        }
        filter
    }

    /// Multiplicative (Fibonacci) hashing of the 4 bytes.
    #[inline(always)]
    fn hash(&self, quad: u32) -> usize {
        (quad.wrapping_mul(0x9E37_79B1) >> self.shift) as usize
    }

    /// Whether a pattern may start with these 4 bytes.
    #[inline(always)]
    fn may_start(&self, quad: u32) -> bool {
        let h = self.hash(quad);
        self.bits[h / 64] & (1 << (h % 64)) != 0
    }

    /// The first position in `from..to` where a pattern may start.
    #[inline]
    fn next_candidate(&self, hay: &[u8], from: usize, to: usize) -> Option<usize> {
        let to = to.min(hay.len().saturating_sub(3));
        if from >= to {
            return None;
        }
        // Re-slicing to exactly the bytes read lets the compiler drop the
        // bounds checks; one unaligned 4-byte load per position measured
        // ~1.7x faster than `windows(4)`.
        let hay = &hay[..to + 3];
        (from..to).find(|&i| self.may_start(quad_at(hay, i)))
    }
}

/// The 4 bytes at `i` as a number.
#[inline(always)]
fn quad_at(bytes: &[u8], i: usize) -> u32 {
    u32::from_le_bytes(bytes[i..i + 4].try_into().expect("4 bytes"))
}

/// The automaton plus what the searches need around it.
struct Matcher {
    /// Leftmost-longest. Searched anchored at the filter's candidates, and
    /// unanchored only in the dense-candidate fallback.
    nfa: contiguous::NFA,
    filter: StartFilter,
    /// Length in bytes of the longest pattern; the hold-back is shorter.
    max_len: usize,
}

impl Matcher {
    fn new(patterns: &[Vec<u8>]) -> Matcher {
        let nfa = contiguous::Builder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(patterns)
            .expect("secret patterns exceed the automaton's state limit");
        Matcher {
            nfa,
            filter: StartFilter::new(patterns),
            max_len: patterns.iter().map(Vec::len).max().unwrap_or(0),
        }
    }

    /// The leftmost-longest match of `hay` that starts in `from..limit`, or
    /// `None`. Matches must end within `hay`. At each candidate start an
    /// anchored leftmost-longest search returns the longest pattern starting
    /// exactly there, so the first success is the leftmost-longest match.
    ///
    /// Each failed candidate costs a walk as long as the text agrees with a
    /// pattern's start. When failures get dense (a run of dashes against a
    /// secret that starts with dashes: up to 40 steps per byte, measured
    /// 4 MB/s) a window is searched unanchored instead, which is linear.
    fn find(&self, hay: &[u8], from: usize, limit: usize) -> Option<Match> {
        let (mut at, mut stretch, mut misses) = (from, from, 0);
        while let Some(start) = self.filter.next_candidate(hay, at, limit) {
            let input = Input::new(hay).range(start..).anchored(Anchored::Yes);
            let found = self
                .nfa
                .try_find(&input)
                .expect("NFAs support anchored searches");
            if found.is_some() {
                return found;
            }
            at = start + 1;
            misses += 1;
            if misses == DENSE_MISSES {
                if at - stretch >= DENSE_MISSES * DENSE_SPACING {
                    // Sparse enough: judge the next group on its own.
                    (stretch, misses) = (at, 0);
                } else {
                    match self.find_in_window(hay, at) {
                        Ok(found) => return found.filter(|m| m.start() < limit),
                        Err(resume) => (at, stretch, misses) = (resume, resume, 0),
                    }
                }
            }
        }
        None
    }

    /// Unanchored leftmost-longest search of a window starting at `at`. A
    /// match must end inside the window to be seen, so the result is only
    /// trusted for starts at least `max_len` before the window's end (or when
    /// the window reaches the end of `hay`). `Ok` is the answer for
    /// `at..`; `Err(p)` means no match starts in `at..p`, search on from `p`.
    fn find_in_window(&self, hay: &[u8], at: usize) -> Result<Option<Match>, usize> {
        // At least twice the longest pattern, so each window makes progress.
        let end = hay.len().min(at + DENSE_WINDOW.max(2 * self.max_len));
        let found = self
            .nfa
            .try_find(&Input::new(hay).range(at..end))
            .expect("NFAs support unanchored searches");
        if end == hay.len() {
            return Ok(found);
        }
        // `end >= at + 2 * max_len` here, so this is past `at`.
        let trusted_before = end + 1 - self.max_len;
        match found {
            Some(m) if m.start() < trusted_before => Ok(Some(m)),
            _ => Err(trusted_before),
        }
    }

    /// Masks `hay` as a complete stream: every leftmost-longest match is
    /// replaced.
    fn mask_complete(&self, hay: &[u8], out: &mut Vec<u8>) {
        let mut pos = 0;
        while let Some(m) = self.find(hay, pos, hay.len()) {
            out.extend_from_slice(&hay[pos..m.start()]);
            out.extend_from_slice(MASK);
            pos = m.end();
        }
        out.extend_from_slice(&hay[pos..]);
    }

    /// One streaming step over `hay` (pending tail + new bytes); see the
    /// module docs for why the matches before `hold` are final.
    fn mask_stream(&self, hay: &[u8], out: &mut Vec<u8>) -> Split {
        // Only a tail shorter than the longest pattern can be a proper prefix.
        let lo = hay.len().saturating_sub(self.max_len - 1);
        let mut hold = self.first_live(hay, lo);
        let mut pos = 0;
        while let Some(m) = self.find(hay, pos, hold) {
            out.extend_from_slice(&hay[pos..m.start()]);
            out.extend_from_slice(MASK);
            pos = m.end();
            if pos > hold {
                // The match swallowed the live tail we found; look for the
                // next live position after it.
                hold = self.first_live(hay, pos.max(lo));
            }
        }
        Split {
            masked_to: pos,
            hold,
        }
    }

    /// The first position `p >= from` such that `hay[p..]` could still grow
    /// into a pattern, or `hay.len()` if there is none. Scans left to right
    /// and stops at the first live one; most positions fail the filter or die
    /// within a byte or two of the walk.
    fn first_live(&self, hay: &[u8], from: usize) -> usize {
        let start = self
            .nfa
            .start_state(Anchored::Yes)
            .expect("NFAs support anchored searches");
        (from..hay.len())
            .find(|&p| {
                let tail = &hay[p..];
                (tail.len() < 4 || self.filter.may_start(quad_at(tail, 0)))
                    && self.is_live_prefix(start, tail)
            })
            .unwrap_or(hay.len())
    }

    /// True iff `tail` is a proper prefix of some pattern: the anchored walk
    /// over it never dies (so it is a prefix of a pattern) and at least one
    /// more byte keeps it alive (so a longer pattern exists; a tail that is a
    /// complete pattern nothing extends is final and need not wait).
    fn is_live_prefix(&self, start: StateID, tail: &[u8]) -> bool {
        let nfa = &self.nfa;
        let mut sid = start;
        for &b in tail {
            sid = nfa.next_state(Anchored::Yes, sid, b);
            if nfa.is_dead(sid) {
                return false;
            }
        }
        (0..=u8::MAX).any(|b| !nfa.is_dead(nfa.next_state(Anchored::Yes, sid, b)))
    }
}

/// How `mask_stream` split a buffer: `out` holds the masked form of
/// `hay[..masked_to]`, `hay[masked_to..hold]` is safe to emit as is, and
/// `hay[hold..]` must be held back.
struct Split {
    masked_to: usize,
    hold: usize,
}

/// A writer that masks secret values in everything written through it.
///
/// Each `write` forwards (and flushes) at once everything that can no longer
/// be part of a secret, and keeps only the shortest tail that still could
/// (never more than the longest pattern minus one byte). `flush` flushes the
/// inner writer but keeps that tail: it may be the first half of a secret.
/// Call [`MaskWriter::finish`] at end of stream; dropping the writer emits
/// the tail too, best effort, ignoring errors.
///
/// After an error from the inner writer the bytes of that `write` are lost
/// (partly written at most); the stream is broken at that point anyway.
pub struct MaskWriter<'m, W: Write> {
    masker: &'m Masker,
    /// `None` only once `finish` has taken it.
    inner: Option<W>,
    /// The held-back tail.
    pending: Vec<u8>,
    /// Scratch for `pending + new bytes`, reused across writes.
    joined: Vec<u8>,
    /// Scratch for masked output, reused across writes.
    out: Vec<u8>,
}

impl<'m, W: Write> MaskWriter<'m, W> {
    pub fn new(masker: &'m Masker, out: W) -> Self {
        MaskWriter {
            masker,
            inner: Some(out),
            pending: Vec::new(),
            joined: Vec::new(),
            out: Vec::new(),
        }
    }

    /// Writes whatever is still held back (masked) and returns the inner writer.
    pub fn finish(mut self) -> io::Result<W> {
        self.emit_pending()?;
        Ok(self
            .inner
            .take()
            .expect("inner writer present until finish"))
    }

    /// Masks `data` (at most `CHUNK` bytes, so scratch stays bounded) and
    /// emits its safe part.
    fn write_chunk(&mut self, matcher: &Matcher, data: &[u8]) -> io::Result<()> {
        // Search a copy only when there is a tail to prepend: with nothing
        // held back the caller's buffer is searched directly.
        let mut joined = std::mem::take(&mut self.joined);
        let hay: &[u8] = if self.pending.is_empty() {
            data
        } else {
            joined.clear();
            joined.extend_from_slice(&self.pending);
            joined.extend_from_slice(data);
            &joined
        };
        self.out.clear();
        let split = matcher.mask_stream(hay, &mut self.out);
        let inner = self
            .inner
            .as_mut()
            .expect("inner writer present until finish");
        let result = if self.out.is_empty() {
            // No match: forward the bytes without copying them.
            write_and_flush(inner, &hay[..split.hold])
        } else {
            self.out
                .extend_from_slice(&hay[split.masked_to..split.hold]);
            write_and_flush(inner, &self.out)
        };
        self.pending.clear();
        self.pending.extend_from_slice(&hay[split.hold..]);
        self.joined = joined;
        result
    }

    fn emit_pending(&mut self) -> io::Result<()> {
        let inner = self
            .inner
            .as_mut()
            .expect("inner writer present until finish");
        if !self.pending.is_empty() {
            // End of stream: the tail can no longer grow, so mask it as is.
            let masked = self.masker.mask_all(&self.pending);
            self.pending.clear();
            inner.write_all(&masked)?;
        }
        inner.flush()
    }
}

fn write_and_flush(inner: &mut impl Write, bytes: &[u8]) -> io::Result<()> {
    if bytes.is_empty() {
        return Ok(());
    }
    inner.write_all(bytes)?;
    inner.flush()
}

impl<W: Write> Write for MaskWriter<'_, W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        let masker = self.masker;
        match &masker.matcher {
            None => {
                let inner = self
                    .inner
                    .as_mut()
                    .expect("inner writer present until finish");
                write_and_flush(inner, data)?;
            }
            Some(matcher) => {
                for chunk in data.chunks(CHUNK) {
                    self.write_chunk(matcher, chunk)?;
                }
            }
        }
        Ok(data.len())
    }

    /// Flushes the inner writer; the held-back tail stays held (see the type
    /// docs).
    fn flush(&mut self) -> io::Result<()> {
        match self.inner.as_mut() {
            Some(inner) => inner.flush(),
            None => Ok(()),
        }
    }
}

impl<W: Write> Drop for MaskWriter<'_, W> {
    fn drop(&mut self) {
        // Like `BufWriter`: don't lose the tail if `finish` wasn't called,
        // but don't touch a writer that may be mid-panic either.
        if self.inner.is_some() && !self.pending.is_empty() && !std::thread::panicking() {
            let _ = self.emit_pending();
        }
    }
}

/// Copies `input` to `out` through the masker until EOF, forwarding each read's safe part at once.
pub fn pump(masker: &Masker, mut input: impl Read, out: impl Write) -> io::Result<()> {
    let mut writer = MaskWriter::new(masker, out);
    let mut buf = vec![0; CHUNK];
    loop {
        let n = match input.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        writer.write_all(&buf[..n])?;
    }
    writer.finish().map(drop)
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::rc::Rc;

    use base64::engine::general_purpose::{STANDARD, URL_SAFE};
    use proptest::prelude::*;

    use super::*;

    /// Writes `chunks` one `write` call each and finishes.
    fn stream(masker: &Masker, chunks: &[&[u8]]) -> Vec<u8> {
        let mut w = MaskWriter::new(masker, Vec::new());
        for chunk in chunks {
            assert_eq!(w.write(chunk).unwrap(), chunk.len());
        }
        w.finish().unwrap()
    }

    fn stream_bytewise(masker: &Masker, input: &[u8]) -> Vec<u8> {
        let chunks: Vec<&[u8]> = input.chunks(1).collect();
        stream(masker, &chunks)
    }

    fn contains(hay: &[u8], needle: &[u8]) -> bool {
        hay.windows(needle.len()).any(|w| w == needle)
    }

    fn max_len(m: &Masker) -> usize {
        m.matcher.as_ref().map_or(0, |m| m.max_len)
    }

    /// The specification, written as plainly as possible: at each position
    /// mask the longest pattern starting there, else copy one byte.
    fn naive_mask(values: &[String], input: &[u8]) -> Vec<u8> {
        let mut patterns = Vec::new();
        for v in values.iter().filter(|v| v.chars().count() >= MIN_CHARS) {
            derive_patterns(v, &mut patterns);
        }
        naive_mask_patterns(&patterns, input)
    }

    fn naive_mask_patterns(patterns: &[Vec<u8>], input: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < input.len() {
            let longest = patterns
                .iter()
                .filter(|p| input[i..].starts_with(p))
                .map(Vec::len)
                .max();
            match longest {
                Some(len) => {
                    out.extend_from_slice(MASK);
                    i += len;
                }
                None => {
                    out.push(input[i]);
                    i += 1;
                }
            }
        }
        out
    }

    /// A writer whose output can be inspected while a `MaskWriter` owns it.
    #[derive(Clone, Default)]
    struct Shared(Rc<RefCell<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn masks_plain_value() {
        let m = Masker::new(["hunter2secret"]);
        let input = b"login ok, password=hunter2secret; again: hunter2secret\n";
        let expected = b"login ok, password=***; again: ***\n".to_vec();
        assert_eq!(m.mask_all(input), expected);
        assert_eq!(stream(&m, &[input]), expected);
    }

    #[test]
    fn masks_value_split_across_writes() {
        let m = Masker::new(["hunter2secret"]);
        assert_eq!(
            stream(&m, &[b"token=hunt", b"er2secret done\n"]),
            b"token=*** done\n"
        );
        assert_eq!(
            stream_bytewise(&m, b"a hunter2secret b hunter2secre"),
            b"a *** b hunter2secre"
        );
    }

    #[test]
    fn longer_value_wins_over_its_prefix() {
        let m = Masker::new(["abcd", "abcdefgh"]);
        for out in [
            m.mask_all(b"xx abcdefgh yy"),
            stream_bytewise(&m, b"xx abcdefgh yy"),
            stream(&m, &[b"xx abcd", b"efgh yy"]),
        ] {
            assert_eq!(out, b"xx *** yy");
            assert!(!contains(&out, b"efgh"));
        }
        assert_eq!(stream(&m, &[b"xx abcd", b" yy"]), b"xx *** yy");
        assert_eq!(stream(&m, &[b"abcdef", b"gh"]), b"***");
        // A short match at the very end waits: it may still grow.
        let sink = Shared::default();
        let mut w = MaskWriter::new(&m, sink.clone());
        w.write_all(b"xx abcd").unwrap();
        assert_eq!(*sink.0.borrow(), b"xx ");
        w.finish().unwrap();
        assert_eq!(*sink.0.borrow(), b"xx ***");
    }

    #[test]
    fn complete_value_at_end_of_write_is_not_held() {
        // Nothing extends "hunter2secret", so it is final as soon as seen.
        let m = Masker::new(["hunter2secret"]);
        let sink = Shared::default();
        let mut w = MaskWriter::new(&m, sink.clone());
        w.write_all(b"pw: hunter2secret").unwrap();
        assert_eq!(*sink.0.borrow(), b"pw: ***");
        assert!(w.pending.is_empty());
    }

    #[test]
    fn tail_after_a_final_match_is_not_held() {
        // "abcdZ" could grow into "abcdZZ", but the leftmost match "xabcd"
        // wins and swallows its start; only what follows it is then checked.
        let m = Masker::new(["xabcd", "abcdZZ"]);
        let sink = Shared::default();
        let mut w = MaskWriter::new(&m, sink.clone());
        w.write_all(b"xabcdZ").unwrap();
        assert_eq!(*sink.0.borrow(), b"***Z");
        w.write_all(b"Z").unwrap();
        w.finish().unwrap();
        assert_eq!(*sink.0.borrow(), b"***ZZ");
    }

    #[test]
    fn masks_each_line_of_a_multi_line_value() {
        let pem = "-----BEGIN PRIVATE KEY-----\n\
                   MIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n\
                   BKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj\n\
                   -----END PRIVATE KEY-----\n";
        let m = Masker::new([pem]);
        assert_eq!(m.mask_all(format!("key:\n{pem}").as_bytes()), b"key:\n***");
        // Printed line by line, indented, with CRLF endings.
        let log = "  MIIEvQIBADANBgkqhkiG9w0BAQEFAASC\r\n  BKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj\r\n";
        let expected = b"  ***\r\n  ***\r\n".to_vec();
        assert_eq!(m.mask_all(log.as_bytes()), expected);
        assert_eq!(stream_bytewise(&m, log.as_bytes()), expected);
    }

    #[test]
    fn masks_base64_at_every_alignment() {
        let value = b"s3cr3t-Value/42!";
        let n = value.len();
        let m = Masker::new([std::str::from_utf8(value).unwrap()]);
        for k in 0..3 {
            for suffix in ["", "Q", "QR", "QRS"] {
                let mut blob = b"xyz"[..k].to_vec();
                blob.extend_from_slice(value);
                blob.extend_from_slice(suffix.as_bytes());
                for engine in [STANDARD, URL_SAFE] {
                    let encoded = engine.encode(&blob).into_bytes();
                    // Only the characters mixing in neighbouring bytes (or
                    // padding) may survive.
                    let (start, end) = ((8 * k).div_ceil(6), 8 * (k + n) / 6);
                    let mut expected = encoded[..start].to_vec();
                    expected.extend_from_slice(b"***");
                    expected.extend_from_slice(&encoded[end..]);
                    assert_eq!(m.mask_all(&encoded), expected, "k={k} suffix={suffix:?}");
                    assert_eq!(stream_bytewise(&m, &encoded), expected);
                }
            }
        }
    }

    #[test]
    fn masks_url_encoded_forms() {
        let m = Masker::new(["p@ss w0rd/+&="]);
        let log = b"GET /cb?token=p%40ss%20w0rd%2F%2B%26%3D&x=1 form: t=p%40ss+w0rd%2F%2B%26%3D\n";
        assert_eq!(m.mask_all(log), b"GET /cb?token=***&x=1 form: t=***\n");
        assert_eq!(
            stream_bytewise(&m, log),
            b"GET /cb?token=***&x=1 form: t=***\n"
        );
        assert_eq!(m.mask_all(b"raw p@ss w0rd/+&= end"), b"raw *** end");
    }

    #[test]
    fn short_values_are_ignored() {
        let m = Masker::new(["abc", "xy", "", "日本語"]);
        assert!(m.is_empty());
        assert_eq!(m.mask_all(b"abc xy"), b"abc xy");
        assert_eq!(stream(&m, &[b"ab", b"c xy"]), b"abc xy");
        // Four characters count, not four bytes.
        let m = Masker::new(["日本語版"]);
        assert!(!m.is_empty());
        assert_eq!(m.mask_all("見て日本語版".as_bytes()), "見て***".as_bytes());
    }

    #[test]
    fn output_without_secret_is_forwarded_immediately() {
        let m = Masker::new(["hunter2secret", "Zm9vYmFyYmF6"]);
        let sink = Shared::default();
        let mut w = MaskWriter::new(&m, sink.clone());
        w.write_all(b"Downloading... 45%\r").unwrap();
        assert_eq!(*sink.0.borrow(), b"Downloading... 45%\r");
        assert!(w.pending.is_empty());
        // A tail that could start a secret is held, and only that tail.
        w.write_all(b"token: hun").unwrap();
        assert_eq!(*sink.0.borrow(), b"Downloading... 45%\rtoken: ");
        w.write_all(b"ter2secret!").unwrap();
        assert_eq!(*sink.0.borrow(), b"Downloading... 45%\rtoken: ***!");
        // A tail that turns out not to be a secret is released at finish.
        w.write_all(b" hunter").unwrap();
        w.finish().unwrap();
        assert_eq!(*sink.0.borrow(), b"Downloading... 45%\rtoken: ***! hunter");
    }

    #[test]
    fn hold_back_is_bounded() {
        let m = Masker::new(["aaaaaaaaaaaaaaab", "aaaa"]);
        let sink = Shared::default();
        let mut w = MaskWriter::new(&m, sink.clone());
        w.write_all(&[b'a'; 100_000]).unwrap();
        assert!(w.pending.len() < max_len(&m));
        for _ in 0..1000 {
            w.write_all(b"a").unwrap();
            assert!(w.pending.len() < max_len(&m));
        }
        w.write_all(b"b").unwrap();
        w.finish().unwrap();
        let out = sink.0.borrow().clone();
        assert_eq!(out, m.mask_all(&[&[b'a'; 101_000][..], b"b"].concat()));
        assert!(!contains(&out, b"aaaa"));
    }

    #[test]
    fn dense_near_misses_fall_back_to_a_linear_search() {
        // Every dash starts a 39-step near miss; the window fallback keeps
        // this linear and must still find the real matches, including ones
        // straddling window edges.
        let value = format!("{}X", "-".repeat(39));
        let m = Masker::new([value.as_str()]);
        let mut input = vec![b'-'; 48 * 1024];
        // Matches need 39 dashes before the X, so space them 40+ apart.
        let xs = [100, 5000, 16_374, 16_414, 32_769];
        for at in xs {
            input[at] = b'X';
        }
        let out = m.mask_all(&input);
        assert_eq!(out, naive_mask(std::slice::from_ref(&value), &input));
        // Each of the matches turned 40 bytes into 3 (two of them adjacent).
        assert_eq!(
            input.len() - out.len(),
            xs.len() * (value.len() - MASK.len())
        );
        assert_eq!(stream(&m, &[&input]), out);
    }

    #[test]
    fn window_fallback_is_exact_at_every_alignment() {
        // Raw patterns (no derived forms), so the longest pattern is the one
        // in the text and "aaaab" is its prefix. The a-run makes every
        // position a failed candidate, so the window fallback starts at a
        // fixed place; sliding the long pattern along after it puts it at
        // every offset from the window's edge.
        let patterns = [b"aaaab".to_vec(), b"aaaabbbbbbbbbb".to_vec()];
        let matcher = Matcher::new(&patterns);
        for shift in 0..120 {
            let mut input = vec![b'a'; 40];
            input.extend_from_slice(&vec![b'c'; shift]);
            input.extend_from_slice(b"aaaabbbbbbbbbbccccccccccccccccccccc");
            let expected = naive_mask_patterns(&patterns, &input);
            assert!(expected.ends_with(b"***ccccccccccccccccccccc"));
            let mut out = Vec::new();
            matcher.mask_complete(&input, &mut out);
            assert_eq!(out, expected, "shift {shift}");
        }
    }

    #[test]
    fn window_fallback_respects_the_hold_point() {
        // The fallback is active when the first write ends with "aaaaaab",
        // a complete pattern that the next write extends into a longer one.
        let values = ["aaaaaab".to_string(), "aaaaaab".repeat(2)];
        let m = Masker::new(values.iter().map(String::as_str));
        let first = [&[b'a'; 200][..], b"aaaaaab"].concat();
        let expected = naive_mask(&values, &[&first[..], b"aaaaaab"].concat());
        assert_eq!(stream(&m, &[&first, b"aaaaaab"]), expected);
        assert!(expected.ends_with(b"a***"));
    }

    #[test]
    fn large_writes_are_processed_in_bounded_pieces() {
        let m = Masker::new(["hunter2secret"]);
        let mut input = vec![b'.'; 3 * CHUNK];
        // Straddle the internal chunk boundary.
        input[CHUNK - 5..CHUNK + 8].copy_from_slice(b"hunter2secret");
        let out = stream(&m, &[&input]);
        assert_eq!(out, m.mask_all(&input));
        assert!(!contains(&out, b"hunter2secret"));
    }

    #[test]
    fn drop_emits_the_held_tail() {
        let m = Masker::new(["abcd", "abcdefgh"]);
        let sink = Shared::default();
        {
            let mut w = MaskWriter::new(&m, sink.clone());
            w.write_all(b"x abcdef").unwrap();
            assert_eq!(*sink.0.borrow(), b"x ");
        }
        assert_eq!(*sink.0.borrow(), b"x ***ef");
    }

    #[test]
    fn pump_masks_a_reader() {
        /// Hands out at most 3 bytes per read, like a slow pipe.
        struct Trickle<'a>(&'a [u8]);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = buf.len().min(3).min(self.0.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let m = Masker::new(["hunter2secret"]);
        let mut out = Vec::new();
        pump(&m, Trickle(b"pw hunter2secret ok\n"), &mut out).unwrap();
        assert_eq!(out, b"pw *** ok\n");
        let mut out = Vec::new();
        pump(&Masker::new([]), &b"nothing to hide"[..], &mut out).unwrap();
        assert_eq!(out, b"nothing to hide");
    }

    #[test]
    fn debug_prints_counts_only() {
        let m = Masker::new(["hunter2secret"]);
        let shown = format!("{m:?}");
        assert!(shown.contains("values: 1"), "{shown}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(!shown.contains(&STANDARD_NO_PAD.encode("hunter2secret")[..8]));
    }

    /// Values of random characters (never `*`, which the mask itself uses).
    fn values_strategy() -> impl Strategy<Value = Vec<String>> {
        prop::collection::vec("[a-zA-Z0-9!@#%&+/=_. \n-]{1,12}", 1..5)
    }

    /// Output made of filler and embedded values (by index).
    fn segments_strategy() -> impl Strategy<Value = Vec<Result<String, usize>>> {
        let segment = prop_oneof![
            "[a-z0-9 \n:=,.%+/-]{0,10}".prop_map(Ok),
            any::<usize>().prop_map(Err),
        ];
        prop::collection::vec(segment, 0..20)
    }

    fn assemble(values: &[String], segments: &[Result<String, usize>]) -> Vec<u8> {
        let mut out = Vec::new();
        for s in segments {
            match s {
                Ok(filler) => out.extend_from_slice(filler.as_bytes()),
                Err(i) => out.extend_from_slice(values[i % values.len()].as_bytes()),
            }
        }
        out
    }

    /// Cuts `input` into writes of the given sizes (cycled) and streams it,
    /// checking the hold-back bound after every write.
    fn stream_in_pieces(m: &Masker, input: &[u8], sizes: &[usize]) -> Vec<u8> {
        let mut w = MaskWriter::new(m, Vec::new());
        let mut rest = input;
        for &size in sizes.iter().cycle() {
            if rest.is_empty() {
                break;
            }
            let (head, tail) = rest.split_at(size.min(rest.len()));
            w.write_all(head).unwrap();
            assert!(w.pending.len() < max_len(m).max(1));
            rest = tail;
        }
        w.finish().unwrap()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn streamed_output_hides_values_and_ignores_chunking(
            values in values_strategy(),
            segments in segments_strategy(),
            sizes in prop::collection::vec(1..24usize, 1..40),
        ) {
            let m = Masker::new(values.iter().map(String::as_str));
            let input = assemble(&values, &segments);
            let streamed = stream_in_pieces(&m, &input, &sizes);
            let whole = m.mask_all(&input);
            prop_assert_eq!(&streamed, &whole);
            prop_assert_eq!(&whole, &naive_mask(&values, &input));
            for v in values.iter().filter(|v| v.chars().count() >= MIN_CHARS) {
                prop_assert!(!contains(&streamed, v.as_bytes()), "{:?} leaked", v);
            }
        }

        /// Tiny alphabets make values overlap, nest and prefix each other.
        #[test]
        fn overlapping_values_ignore_chunking(
            values in prop::collection::vec("[ab]{4,9}", 1..4),
            input in "[ab]{0,600}",
            sizes in prop::collection::vec(1..200usize, 1..20),
        ) {
            let m = Masker::new(values.iter().map(String::as_str));
            let streamed = stream_in_pieces(&m, input.as_bytes(), &sizes);
            prop_assert_eq!(&streamed, &m.mask_all(input.as_bytes()));
            prop_assert_eq!(&streamed, &naive_mask(&values, input.as_bytes()));
            for v in &values {
                prop_assert!(!contains(&streamed, v.as_bytes()));
            }
        }

        /// Long runs of a pattern's first byte make every position a failed
        /// candidate, which drives the search into its window fallback.
        #[test]
        fn dense_candidates_ignore_chunking(
            values in prop::collection::vec("a{4,10}[ab]{0,3}", 1..4),
            input in "(a{0,60}b){0,20}a{0,30}",
            sizes in prop::collection::vec(1..300usize, 1..10),
        ) {
            let m = Masker::new(values.iter().map(String::as_str));
            let streamed = stream_in_pieces(&m, input.as_bytes(), &sizes);
            prop_assert_eq!(&streamed, &m.mask_all(input.as_bytes()));
            prop_assert_eq!(&streamed, &naive_mask(&values, input.as_bytes()));
        }

        #[test]
        fn output_without_secrets_passes_through_unchanged(
            values in prop::collection::vec("[a-zA-Z0-9]{4,20}", 1..5),
            input in "[ \t\r\n!\"#$&'()*,:;<>?@^`{|}é→\\[\\]]{0,200}",
            sizes in prop::collection::vec(1..32usize, 1..20),
        ) {
            let m = Masker::new(values.iter().map(String::as_str));
            let sink = Shared::default();
            let mut w = MaskWriter::new(&m, sink.clone());
            let mut rest = input.as_bytes();
            let mut written = 0;
            for &size in sizes.iter().cycle() {
                if rest.is_empty() {
                    break;
                }
                let (head, tail) = rest.split_at(size.min(rest.len()));
                w.write_all(head).unwrap();
                written += head.len();
                // Nothing here can start a pattern, so nothing is held.
                prop_assert_eq!(&sink.0.borrow()[..], &input.as_bytes()[..written]);
                rest = tail;
            }
            w.finish().unwrap();
            prop_assert_eq!(&sink.0.borrow()[..], input.as_bytes());
        }
    }
}
