//! The streaming matcher: finds the patterns in the child's output.
//!
//! # Search
//!
//! Every pattern is at least 4 bytes long. The patterns are split by length
//! into classes (4-7, 8-15 and 16 bytes or more), each with a prefilter that
//! looks at one position in a *stride* (`Sampled`): every match of a pattern
//! of the class covers a whole window (4 or 8 bytes) at the first multiple
//! of the stride at or after its start, so a Bloom filter of each pattern's
//! windows at offsets below the stride finds every match from those
//! positions alone. At 5,000 values of 32 characters (every form is 32
//! bytes or more) that is one lookup per 25 bytes of output. A hit makes the
//! stride of positions before it candidates, and a second filter of every
//! pattern's first 4 bytes keeps only the few that may start one. At a
//! candidate, the longest pattern starting exactly there is a binary search
//! among the sorted patterns that share its first 4 bytes (`PatternSet`).
//! Candidates are tried in order, so the first that matches is the
//! leftmost-longest match. No automaton: building is sorting plus one pass,
//! linear in the patterns, which matters at thousands of values times a
//! dozen forms (an Aho-Corasick automaton took seconds for 5,000 values).
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
//!    of some pattern (a binary search in the sorted patterns). Only the last
//!    `longest pattern − 1` positions can qualify, which bounds both the work
//!    and the hold-back. A live tail of `LIVE_TAIL` bytes or more is among
//!    the filters' candidates (the strides are chosen so); the last
//!    `LIVE_TAIL` positions are each looked at.
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
//! Linear in the output. Text that keeps repeating the start of a pattern (a
//! secret beginning with `-----`, a log full of `-----` rules) makes every
//! position a candidate, each costing a lookup and a comparison.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// What every match is replaced with.
pub(super) const MASK: &[u8] = b"***";

const ESC: u8 = 0x1b;

/// Escape sequences longer than this are not skipped but treated as text, so
/// a stray ESC cannot make the writer hold back without bound.
const MAX_ESCAPE: usize = 1024;

/// A Bloom filter over 64-bit keys, four bits per key in one 64-bit word: a
/// lookup is one load, no false negatives, and with 8 bits per key about
/// 2.5% false positives (0.3% with 16; two bits per key gave 5% and 1.4%).
struct BitFilter {
    words: Box<[u64]>,
    /// `64 − log2(word count)`: the word is chosen by the top bits of the hash.
    shift: u32,
}

/// The bits a key sets in its word, chosen by its hash: 1,024 words of four
/// distinct bits each, so that a lookup takes one load for them instead of
/// four shifts.
static BIT_PATTERNS: [u64; 1024] = bit_patterns();

const fn bit_patterns() -> [u64; 1024] {
    let mut patterns = [0u64; 1024];
    let mut state = 0x853C_49E6_748F_EA9Bu64;
    let mut i = 0;
    while i < patterns.len() {
        let mut word = 0u64;
        while word.count_ones() < 4 {
            // SplitMix64: a fixed pseudo-random choice of bits.
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            word |= 1 << ((z ^ (z >> 31)) & 63);
        }
        patterns[i] = word;
        i += 1;
    }
    patterns
}

/// The ASCII case bit of every byte of a key.
const FOLD_CASE: u64 = 0x2020_2020_2020_2020;

/// The size of a [`Sampled`] filter per key it holds, before rounding up.
const BITS_PER_KEY: usize = 8;

/// The largest [`BitFilter`], in bits (1 MiB). Measured at 5,000 values: a
/// stride of 25 with this filter masked 200 MB in about 90 ms, a stride of 6
/// or 13 to fit 256-512 KiB (a core's L2) 110-240 ms, and 2 MiB with fewer
/// false positives 160 ms: once the filter is out of L2 its size matters
/// less than the number of lookups.
const MAX_FILTER_BITS: usize = 1 << 23;

impl BitFilter {
    fn with_capacity(keys: usize, bits_per_key: usize) -> BitFilter {
        let bits = (keys * bits_per_key)
            .next_power_of_two()
            .clamp(1 << 9, MAX_FILTER_BITS);
        let words = bits / 64;
        BitFilter {
            words: vec![0; words].into_boxed_slice(),
            shift: 64 - words.trailing_zeros(),
        }
    }

    /// The word and the bits of `key`.
    #[inline(always)]
    fn locate(&self, key: u64) -> (usize, u64) {
        // Letters in either case are one key: upper- and lower-case hex of
        // a value then fill the filter once (no false negatives: the text
        // is folded the same way).
        let h = (key | FOLD_CASE).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let low = h ^ (h >> 29);
        (
            (h >> self.shift) as usize,
            BIT_PATTERNS[low as usize % BIT_PATTERNS.len()],
        )
    }

    fn insert(&mut self, key: u64) {
        let (word, bits) = self.locate(key);
        self.words[word] |= bits;
    }

    #[inline(always)]
    fn contains(&self, key: u64) -> bool {
        let (word, bits) = self.locate(key);
        self.words[word] & bits == bits
    }

    fn memory_usage(&self) -> usize {
        self.words.len() * size_of::<u64>()
    }
}

/// The 4 bytes at `i` as a number.
#[inline(always)]
fn quad_at(bytes: &[u8], i: usize) -> u32 {
    u32::from_le_bytes(bytes[i..i + 4].try_into().expect("4 bytes"))
}

/// The `W` (4 or 8) bytes at `i` as a number.
#[inline(always)]
fn window_at<const W: usize>(bytes: &[u8], i: usize) -> u64 {
    match W {
        4 => u64::from(quad_at(bytes, i)),
        _ => u64::from_le_bytes(bytes[i..i + 8].try_into().expect("8 bytes")),
    }
}

/// A live tail (a proper prefix of a pattern at the end of a buffer) of
/// this many bytes or more is always seen by the [`Sampled`] filters; the
/// last `LIVE_TAIL` positions of a buffer are checked one by one.
const LIVE_TAIL: usize = 64;

/// The classes of patterns by length, each with a filter of its own:
/// `(shortest, window bytes)`. A class takes the patterns from its length
/// up to the next class's.
const CLASSES: [(usize, usize); 3] = [(4, 4), (8, 4), (16, 8)];

/// The filters' keys (windows) the stride is chosen for: fewer keys than
/// this fill a filter that stays in a core's own cache (L2).
const KEY_BUDGET: usize = MAX_FILTER_BITS / BITS_PER_KEY;

/// The stride for a class of `count` patterns, the shortest `shortest`
/// bytes long, looked at through windows of `window` bytes: the largest with
/// which every match covers a whole window at an offset below the stride
/// (`stride + window − 1 ≤ shortest`, and ≤ `LIVE_TAIL`), but smaller when
/// the filter would then hold more keys than fit in the cache.
fn stride_for(shortest: usize, window: usize, count: usize) -> usize {
    let covering = (shortest.min(LIVE_TAIL) + 1).saturating_sub(window).max(1);
    covering.min((KEY_BUDGET / count.max(1)).max(1))
}

/// A prefilter for the match starts of the patterns of one length class
/// that looks at one position in `stride`: a match of a pattern starting at
/// `s` covers the whole window at the first multiple `q` of `stride` at or
/// after `s`, at offset `q − s < stride` in the pattern. The filter holds
/// the windows at offsets `0..stride` of every pattern of the class; a hit at
/// `q` makes the positions `q − stride + 1 ..= q` candidates, of which only
/// those whose first 4 bytes start some pattern (the [`Matcher`]'s `starts`)
/// are tried. No false negatives, and little work per byte: on text that
/// holds no secret one lookup per `stride` bytes, each one load.
struct Sampled {
    window: usize,
    stride: usize,
    filter: BitFilter,
}

impl Sampled {
    fn new(window: usize, stride: usize, patterns: &[&[u8]]) -> Sampled {
        let mut filter = BitFilter::with_capacity(patterns.len() * stride, BITS_PER_KEY);
        for p in patterns {
            for j in 0..stride {
                let key = match window {
                    4 => window_at::<4>(p, j),
                    _ => window_at::<8>(p, j),
                };
                filter.insert(key);
            }
        }
        Sampled {
            window,
            stride,
            filter,
        }
    }

    /// The first position in `from..` that the filter makes a candidate
    /// and whose first 4 bytes may start a pattern.
    #[inline]
    fn next_candidate(&self, hay: &[u8], from: usize, starts: &BitFilter) -> Option<usize> {
        match self.window {
            4 => self.next_candidate_in::<4>(hay, from, starts),
            _ => self.next_candidate_in::<8>(hay, from, starts),
        }
    }

    fn next_candidate_in<const W: usize>(
        &self,
        hay: &[u8],
        from: usize,
        starts: &BitFilter,
    ) -> Option<usize> {
        let stride = self.stride;
        let end = hay.len().checked_sub(W)?;
        let mut q = from.next_multiple_of(stride);
        while q <= end {
            // A block of lookups at once, with no branch between them: they
            // are independent, so the CPU overlaps their loads (a filter
            // for thousands of values does not fit in the nearest caches).
            let block = ((end - q) / stride + 1).min(64);
            let mut reversed = 0u64;
            for i in 0..block {
                let hit = self.filter.contains(window_at::<W>(hay, q + i * stride));
                reversed = reversed << 1 | u64::from(hit);
            }
            // Bit `i` for the lookup at `q + i * stride`.
            let mut hits = reversed.reverse_bits() >> (64 - block);
            while hits != 0 {
                let hit = q + hits.trailing_zeros() as usize * stride;
                hits &= hits - 1;
                let first = (hit + 1).saturating_sub(stride).max(from);
                let last = hit.min(hay.len() - MIN_LEN);
                if let Some(s) = (first..=last).find(|&s| starts.contains(window_at::<4>(hay, s))) {
                    return Some(s);
                }
            }
            q += block * stride;
        }
        None
    }
}

/// The patterns, sorted, in one buffer: patterns sharing their first 4 bytes
/// are neighbours, and those sharing a prefix with a text sit around where
/// the text would be inserted, so both questions the search asks are a
/// binary search in a small range.
struct PatternSet {
    bytes: Vec<u8>,
    /// Pattern `i` is `bytes[ends[i - 1]..ends[i]]` (from 0 for the first).
    ends: Vec<usize>,
    /// The range of patterns beginning with each 4 bytes.
    buckets: HashMap<u32, (usize, usize), BuildHasherDefault<QuadHasher>>,
}

impl PatternSet {
    /// `sorted` must be sorted and without duplicates, each of 4 bytes or more.
    fn new(sorted: &[Vec<u8>]) -> PatternSet {
        let mut set = PatternSet {
            bytes: Vec::with_capacity(sorted.iter().map(Vec::len).sum()),
            ends: Vec::with_capacity(sorted.len()),
            buckets: HashMap::default(),
        };
        for (i, p) in sorted.iter().enumerate() {
            set.bytes.extend_from_slice(p);
            set.ends.push(set.bytes.len());
            set.buckets.entry(quad_at(p, 0)).or_insert((i, i)).1 = i + 1;
        }
        set
    }

    fn get(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.bytes[start..self.ends[i]]
    }

    /// The first index in `lo..hi` whose pattern is not `below` the key.
    fn partition(&self, (lo, hi): (usize, usize), below: impl Fn(&[u8]) -> bool) -> usize {
        let (mut lo, mut hi) = (lo, hi);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match below(self.get(mid)) {
                true => lo = mid + 1,
                false => hi = mid,
            }
        }
        lo
    }

    /// The length of the longest pattern that `text` starts with.
    #[inline]
    fn longest_prefix_of(&self, text: &[u8], max_len: usize) -> Option<usize> {
        if text.len() < MIN_LEN {
            return None;
        }
        let bucket = *self.buckets.get(&quad_at(text, 0))?;
        let mut key = &text[..text.len().min(max_len)];
        loop {
            // The greatest pattern not above the key: if it is a prefix of
            // the key it is the longest one (a longer prefix would sort
            // between it and the key); if not, only a prefix of what the two
            // have in common can be.
            let after = self.partition(bucket, |p| p <= key);
            if after == bucket.0 {
                return None;
            }
            let candidate = self.get(after - 1);
            if key.starts_with(candidate) {
                return Some(candidate.len());
            }
            let common = candidate
                .iter()
                .zip(key)
                .take_while(|(a, b)| a == b)
                .count();
            if common < MIN_LEN {
                return None;
            }
            key = &key[..common];
        }
    }

    /// Whether `tail` is a proper prefix of some pattern (more bytes could
    /// still make it a match).
    fn extends(&self, tail: &[u8]) -> bool {
        let bucket = match tail.len() >= MIN_LEN {
            true => match self.buckets.get(&quad_at(tail, 0)) {
                Some(&bucket) => bucket,
                None => return false,
            },
            false => (0, self.ends.len()),
        };
        let first = self.partition(bucket, |p| p < tail);
        (first..bucket.1).take(2).any(|i| {
            let p = self.get(i);
            p.len() > tail.len() && p.starts_with(tail)
        })
    }

    fn memory_usage(&self) -> usize {
        self.bytes.capacity()
            + self.ends.capacity() * size_of::<usize>()
            + self.buckets.capacity() * (size_of::<u32>() + 2 * size_of::<usize>() + 1)
    }
}

/// Every pattern is at least this long (the filters read 4 bytes).
const MIN_LEN: usize = 4;

/// A hasher for the 4-byte keys of `PatternSet::buckets`.
#[derive(Default)]
struct QuadHasher(u64);

impl Hasher for QuadHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u32(u32::from(b));
        }
    }

    fn write_u32(&mut self, quad: u32) {
        let h = (self.0 ^ u64::from(quad)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        self.0 = h ^ (h >> 29);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// The patterns plus what the searches need around them.
pub(super) struct Matcher {
    set: PatternSet,
    /// The first 4 bytes of every pattern.
    starts: BitFilter,
    /// One filter per length class that has patterns, shortest first.
    classes: Vec<Sampled>,
    /// Length in bytes of the longest pattern; the hold-back is shorter.
    max_len: usize,
}

impl Matcher {
    /// `patterns` must be sorted and without duplicates, each of 4 bytes or
    /// more. Building is linear in their total size.
    pub(super) fn new(patterns: &[Vec<u8>]) -> Matcher {
        // Tried at up to a stride of positions per hit of a sampled filter:
        // worth fewer false positives.
        let mut starts = BitFilter::with_capacity(patterns.len(), 2 * BITS_PER_KEY);
        let mut by_class: Vec<Vec<&[u8]>> = vec![Vec::new(); CLASSES.len()];
        for p in patterns {
            starts.insert(window_at::<4>(p, 0));
            let class = CLASSES.iter().rposition(|&(min, _)| p.len() >= min);
            by_class[class.expect("patterns have 4 bytes or more")].push(p);
        }
        let classes = CLASSES
            .iter()
            .zip(&by_class)
            .filter(|(_, members)| !members.is_empty())
            .map(|(&(_, window), members)| {
                let shortest = members.iter().map(|p| p.len()).min().unwrap_or(0);
                let stride = stride_for(shortest, window, members.len());
                Sampled::new(window, stride, members)
            })
            .collect();
        Matcher {
            set: PatternSet::new(patterns),
            starts,
            classes,
            max_len: patterns.iter().map(Vec::len).max().unwrap_or(0),
        }
    }

    /// Whether a pattern may start at `p`, the last `LIVE_TAIL` positions
    /// of `hay` (where a live tail may be too short for the sampled filters).
    #[inline]
    fn may_start_near_end(&self, hay: &[u8], p: usize) -> bool {
        hay.len() - p < MIN_LEN || self.starts.contains(window_at::<4>(hay, p))
    }
}

/// Every class's next candidate, kept while it is still ahead, so that no
/// filter scans the same bytes twice while the others' candidates are tried.
struct Candidates {
    next: [Option<usize>; CLASSES.len()],
    /// Up to where `next` is known: `next[i]` is class `i`'s first
    /// candidate at or after `known`, or none.
    known: [usize; CLASSES.len()],
}

impl Candidates {
    fn new() -> Candidates {
        Candidates {
            next: [None; CLASSES.len()],
            known: [usize::MAX; CLASSES.len()],
        }
    }

    /// The first candidate start at or after `at` of any class.
    #[inline]
    fn first(&mut self, matcher: &Matcher, hay: &[u8], at: usize) -> Option<usize> {
        let mut first: Option<usize> = None;
        for (i, class) in matcher.classes.iter().enumerate() {
            let stale = self.known[i] > at || self.next[i].is_some_and(|c| c < at);
            if stale {
                self.next[i] = class.next_candidate(hay, at, &matcher.starts);
                self.known[i] = at;
            }
            first = match (first, self.next[i]) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
        }
        first
    }
}

/// A piece of masked output: a range of the buffer being masked, or the mask.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Piece {
    Text(usize, usize),
    Mask,
}

impl Piece {
    /// The bytes of this piece of `hay`'s masked output.
    pub(super) fn bytes(self, hay: &[u8]) -> &[u8] {
        match self {
            Piece::Text(start, end) => &hay[start..end],
            Piece::Mask => MASK,
        }
    }
}

impl Matcher {
    /// Bytes of memory the patterns and the filters take.
    pub(super) fn memory_usage(&self) -> usize {
        self.set.memory_usage()
            + self.starts.memory_usage()
            + self
                .classes
                .iter()
                .map(|c| c.filter.memory_usage())
                .sum::<usize>()
    }

    /// The longest pattern, in bytes: the held-back tail is shorter.
    #[cfg(test)]
    pub(super) fn max_len(&self) -> usize {
        self.max_len
    }

    /// Masks `hay`, the pending tail and new bytes of a stream (the whole
    /// rest of it when `at_end`): appends to `out` the pieces of the masked
    /// form of `hay[..consumed]` and returns `consumed`; the rest of `hay`
    /// must be held back. Nothing is copied: the pieces are ranges of `hay`
    /// and masks, to be written out as they are.
    pub(super) fn mask(&self, hay: &[u8], at_end: bool, out: &mut Vec<Piece>) -> usize {
        let mut push = |piece| match piece {
            Piece::Text(start, end) if start >= end => {}
            piece => out.push(piece),
        };
        if memchr::memchr(ESC, hay).is_none() {
            let mut prev = 0;
            let hold = self.scan(hay, at_end, |start, end| {
                push(Piece::Text(prev, start));
                push(Piece::Mask);
                prev = end;
            });
            push(Piece::Text(prev, hold));
            return hold;
        }
        let view = TextView::new(hay, at_end);
        let mut prev = 0;
        let hold = self.scan(&view.text, at_end, |start, end| {
            push(Piece::Text(prev, view.map[start]));
            push(Piece::Mask);
            // The sequences inside the value (colours) stay, after the mask.
            for pair in view.map[start..end].windows(2) {
                push(Piece::Text(pair[0] + 1, pair[1]));
            }
            prev = view.map[end - 1] + 1;
        });
        let consumed = view.map.get(hold).copied().unwrap_or(view.text_end);
        push(Piece::Text(prev, consumed));
        consumed
    }

    /// Passes the leftmost-longest matches of `text` to `on_match` in order
    /// and returns where the held-back tail starts (`text.len()` at the end
    /// of the stream); see the module docs for why matches before it are
    /// final.
    ///
    /// The candidates are tried in order: the first one where more bytes
    /// could still complete or lengthen a match is where the tail starts;
    /// at the others, the longest pattern starting there is a match. A live
    /// tail of `LIVE_TAIL` bytes or more is among the filters' candidates;
    /// a shorter one is found by looking at each of the last positions.
    fn scan(&self, text: &[u8], at_end: bool, mut on_match: impl FnMut(usize, usize)) -> usize {
        let len = text.len();
        // Only a tail shorter than the longest pattern can be a proper prefix.
        let (live_from, near_end) = match at_end {
            true => (len, len),
            false => (
                len.saturating_sub(self.max_len - 1),
                len.saturating_sub(LIVE_TAIL),
            ),
        };
        let mut candidates = Candidates::new();
        let mut at = 0;
        loop {
            let sampled = candidates.first(self, text, at);
            let close = (at.max(near_end)..sampled.unwrap_or(len).min(len))
                .find(|&p| self.may_start_near_end(text, p));
            let Some(start) = close.or(sampled) else {
                return len;
            };
            if start >= live_from && self.set.extends(&text[start..]) {
                return start;
            }
            match self.set.longest_prefix_of(&text[start..], self.max_len) {
                Some(found) => {
                    on_match(start, start + found);
                    at = start + found;
                }
                None => at = start + 1,
            }
        }
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
