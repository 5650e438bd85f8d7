//! The streaming matcher: finds the patterns in the child's output.
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
//! does as well as a DFA 20x its size.
//!
//! # Hold-back
//!
//! A value can be split across two writes ("tok" now, "en123" later), so a
//! streaming masker must not emit the end of a write that could still be the
//! start of a value. Holding back a whole buffer would stall progress output,
//! so only the *shortest* tail that could still be part of a match is held:
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
//! 4. The text up to `h` is written at once; `buf[h..]` becomes the new
//!    pending tail.
//!
//! This reproduces exactly the matches of a single search over the whole
//! stream, so the output does not depend on how the child chunked its writes
//! (the tests check this against a naive reference).
//!
//! # Terminal escape sequences
//!
//! `grep --color=always` and friends put colour codes inside a value. The
//! search runs over the *text* of the output, with complete CSI, OSC and
//! two-byte escape sequences left out (a map keeps where each text byte came
//! from); a masked value keeps the sequences it contained, after its `***`,
//! so colours and cursor state are as the child left them. An escape sequence
//! still incomplete at the end of a write is held back with the tail. Output
//! without an ESC byte skips all this.
//!
//! # Cost
//!
//! Linear in the output for ordinary text. Text that keeps repeating the start
//! of a pattern (a secret beginning with `-----`, a log full of `-----` rules)
//! would cost one anchored walk per position; when failed candidates get that
//! dense the search switches to an unanchored pass over a window, which is
//! linear whatever the text (see `Matcher::find`).

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::nfa::contiguous;
use aho_corasick::{Anchored, Input, Match, MatchKind};

/// What every match is replaced with.
pub(super) const MASK: &[u8] = b"***";

const ESC: u8 = 0x1b;

/// Escape sequences longer than this are not skipped but treated as text, so
/// a stray ESC cannot make the writer hold back without bound.
const MAX_ESCAPE: usize = 1024;

/// When `DENSE_MISSES` candidate starts in a row failed and came on average
/// closer than `DENSE_SPACING` bytes apart, the search switches to an
/// unanchored pass over `DENSE_WINDOW` bytes (see `Matcher::find`). Ordinary
/// logs see a failed candidate every ~100+ bytes and never trigger it.
const DENSE_MISSES: usize = 32;
const DENSE_SPACING: usize = 8;
/// Tests use a tiny window so the properties cross many window edges.
const DENSE_WINDOW: usize = if cfg!(test) { 64 } else { 16 * 1024 };

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
pub(super) struct Matcher {
    /// Leftmost-longest. Searched anchored at the filter's candidates, and
    /// unanchored only in the dense-candidate fallback.
    nfa: contiguous::NFA,
    filter: StartFilter,
    /// Length in bytes of the longest pattern; the hold-back is shorter.
    max_len: usize,
}

impl Matcher {
    pub(super) fn new(patterns: &[Vec<u8>]) -> Matcher {
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

/// How [`Matcher::mask`] covered a buffer.
pub(super) struct Masked {
    /// `hay[..consumed]` is final; the rest must be held back.
    pub(super) consumed: usize,
    /// Whether `out` holds the masked form of `hay[..consumed]`; when false
    /// nothing matched and `out` was left alone: emit `hay[..consumed]` as is.
    pub(super) copied: bool,
}

impl Matcher {
    /// Bytes of memory the automaton and the filter take.
    pub(super) fn memory_usage(&self) -> usize {
        self.nfa.memory_usage() + self.filter.bits.len() * size_of::<u64>()
    }

    /// The longest pattern, in bytes: the held-back tail is shorter.
    #[cfg(test)]
    pub(super) fn max_len(&self) -> usize {
        self.max_len
    }

    /// Masks `hay`, the pending tail and new bytes of a stream (the whole
    /// rest of it when `at_end`), into `out`.
    pub(super) fn mask(&self, hay: &[u8], at_end: bool, out: &mut Vec<u8>) -> Masked {
        if !hay.contains(&ESC) {
            return self.mask_plain(hay, at_end, out);
        }
        let view = TextView::new(hay, at_end);
        let mut prev = 0;
        let hold = self.scan(&view.text, at_end, |start, end| {
            out.extend_from_slice(&hay[prev..view.map[start]]);
            out.extend_from_slice(MASK);
            // The sequences inside the value (colours) stay, after the mask.
            for pair in view.map[start..end].windows(2) {
                out.extend_from_slice(&hay[pair[0] + 1..pair[1]]);
            }
            prev = view.map[end - 1] + 1;
        });
        let consumed = view.map.get(hold).copied().unwrap_or(view.text_end);
        out.extend_from_slice(&hay[prev..consumed]);
        Masked {
            consumed,
            copied: true,
        }
    }

    fn mask_plain(&self, hay: &[u8], at_end: bool, out: &mut Vec<u8>) -> Masked {
        let mut prev = 0;
        let mut copied = false;
        let hold = self.scan(hay, at_end, |start, end| {
            out.extend_from_slice(&hay[prev..start]);
            out.extend_from_slice(MASK);
            prev = end;
            copied = true;
        });
        if copied {
            out.extend_from_slice(&hay[prev..hold]);
        }
        Masked {
            consumed: hold,
            copied,
        }
    }

    /// Passes the leftmost-longest matches of `text` to `on_match` in order
    /// and returns where the held-back tail starts (`text.len()` at the end
    /// of the stream); see the module docs for why matches before it are
    /// final.
    fn scan(&self, text: &[u8], at_end: bool, mut on_match: impl FnMut(usize, usize)) -> usize {
        if at_end {
            let mut pos = 0;
            while let Some(m) = self.find(text, pos, text.len()) {
                on_match(m.start(), m.end());
                pos = m.end();
            }
            return text.len();
        }
        // Only a tail shorter than the longest pattern can be a proper prefix.
        let lo = text.len().saturating_sub(self.max_len - 1);
        let mut hold = self.first_live(text, lo);
        let mut pos = 0;
        while let Some(m) = self.find(text, pos, hold) {
            on_match(m.start(), m.end());
            pos = m.end();
            if pos > hold {
                // The match swallowed the live tail we found; look for the
                // next live position after it.
                hold = self.first_live(text, pos.max(lo));
            }
        }
        hold
    }
}

/// The text of a buffer without its terminal escape sequences.
struct TextView {
    text: Vec<u8>,
    /// `map[i]` is the index in the buffer of `text[i]`.
    map: Vec<usize>,
    /// Where an escape sequence still incomplete at the end of the buffer
    /// starts, else the buffer's length.
    text_end: usize,
}

impl TextView {
    fn new(hay: &[u8], at_end: bool) -> TextView {
        let mut view = TextView {
            text: Vec::with_capacity(hay.len()),
            map: Vec::with_capacity(hay.len()),
            text_end: hay.len(),
        };
        let mut i = 0;
        while i < hay.len() {
            if hay[i] == ESC {
                match escape_at(&hay[i..]) {
                    Escape::Complete(len) => {
                        i += len;
                        continue;
                    }
                    Escape::Incomplete if !at_end => {
                        view.text_end = i;
                        break;
                    }
                    Escape::Incomplete | Escape::NotOne => {}
                }
            }
            view.text.push(hay[i]);
            view.map.push(i);
            i += 1;
        }
        view
    }
}

/// `bytes` without the terminal escape sequences in it.
pub(super) fn strip_escapes(bytes: &[u8]) -> Vec<u8> {
    match bytes.contains(&ESC) {
        true => TextView::new(bytes, true).text,
        false => bytes.to_vec(),
    }
}

enum Escape {
    /// A whole sequence of this many bytes.
    Complete(usize),
    /// The start of a sequence that the buffer ends inside.
    Incomplete,
    /// An ESC that starts no sequence (or one too long to be skipped).
    NotOne,
}

/// The escape sequence at the start of `b` (which starts with ESC): CSI
/// (`ESC [`, parameters, intermediates, a final byte), OSC (`ESC ]` up to BEL
/// or ST), `ESC`, intermediates and a final byte (character sets), or ESC
/// and one byte.
fn escape_at(b: &[u8]) -> Escape {
    let Some(&kind) = b.get(1) else {
        return Escape::Incomplete;
    };
    match kind {
        b'[' => sequence(b, MAX_ESCAPE, |c| match c {
            0x40..=0x7e => Step::End,
            0x20..=0x3f => Step::More,
            _ => Step::Bad,
        }),
        b']' => osc(b),
        0x20..=0x2f => sequence(b, 16, |c| match c {
            0x30..=0x7e => Step::End,
            0x20..=0x2f => Step::More,
            _ => Step::Bad,
        }),
        0x30..=0x7e => Escape::Complete(2),
        _ => Escape::NotOne,
    }
}

enum Step {
    More,
    End,
    Bad,
}

/// A sequence whose bytes after the first two are classified by `step`.
fn sequence(b: &[u8], max: usize, step: impl Fn(u8) -> Step) -> Escape {
    for (i, &c) in b.iter().enumerate().take(max).skip(2) {
        match step(c) {
            Step::More => {}
            Step::End => return Escape::Complete(i + 1),
            Step::Bad => return Escape::NotOne,
        }
    }
    if b.len() < max {
        Escape::Incomplete
    } else {
        Escape::NotOne
    }
}

/// An operating system command (titles, hyperlinks), ended by BEL or `ESC \`.
fn osc(b: &[u8]) -> Escape {
    for i in 2..b.len().min(MAX_ESCAPE) {
        match (b[i], b.get(i + 1)) {
            (0x07, _) => return Escape::Complete(i + 1),
            (ESC, Some(b'\\')) => return Escape::Complete(i + 2),
            (ESC, Some(_)) => return Escape::NotOne,
            _ => {}
        }
    }
    if b.len() < MAX_ESCAPE {
        Escape::Incomplete
    } else {
        Escape::NotOne
    }
}
