//! The masker's behaviour over streams: chunking, prefixes, hold-back,
//! encodings and escape sequences, against a naive reference.

use std::cell::RefCell;
use std::rc::Rc;

use std::io::{self, Read, Write};

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE};
use proptest::prelude::*;

use super::matcher::{MASK, Matcher};
use super::patterns::{MIN_CHARS, Patterns};
use super::pump::CHUNK;
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
    m.matcher().map_or(0, Matcher::max_len)
}

/// The specification, written as plainly as possible: at each position
/// mask the longest pattern starting there, else copy one byte.
fn naive_mask(values: &[String], input: &[u8]) -> Vec<u8> {
    let mut patterns = Patterns::default();
    for v in values.iter().filter(|v| v.chars().count() >= MIN_CHARS) {
        patterns.add_value(v.as_bytes());
    }
    naive_mask_patterns(&patterns.finish(), input)
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
    assert!(w.held() == 0);
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
    assert!(w.held() == 0);
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
    assert!(w.held() < max_len(&m));
    for _ in 0..1000 {
        w.write_all(b"a").unwrap();
        assert!(w.held() < max_len(&m));
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
        assert_eq!(mask_with(&matcher, &input), expected, "shift {shift}");
    }
}

/// `input` masked by `matcher` in one go, as at the end of a stream.
fn mask_with(matcher: &Matcher, input: &[u8]) -> Vec<u8> {
    let mut pieces = Vec::new();
    assert_eq!(matcher.mask(input, true, &mut pieces), input.len());
    pieces
        .iter()
        .flat_map(|p| p.bytes(input).to_vec())
        .collect()
}

/// A masker of exactly `patterns` (no derived forms).
fn raw_masker(patterns: &[Vec<u8>]) -> Masker {
    Masker {
        values: patterns.len(),
        built: OnceLock::from(Built {
            matcher: Some(Matcher::new(patterns)),
            patterns: patterns.len(),
        }),
        builder: Mutex::new(None),
    }
}

#[test]
fn every_length_class_is_found_at_every_offset_and_split() {
    // Raw patterns of lengths around each filter's stride and window, and
    // past the live-tail limit, placed at every offset from a sampled
    // position and split at every byte: the filters look at one position
    // in a stride, and hold-back must see every live tail, however long.
    let lengths = [
        4, 5, 7, 8, 9, 12, 15, 16, 17, 24, 31, 32, 33, 40, 63, 64, 65, 90,
    ];
    for len in lengths {
        let pattern: Vec<u8> = (0..len)
            .map(|i| b"qwertyuiopasdfghjkl"[i % 19] + (i / 19) as u8)
            .collect();
        let patterns = [pattern.clone()];
        let masker = raw_masker(&patterns);
        let matcher = masker.matcher().expect("a pattern");
        for offset in 0..60 {
            let mut input = vec![b'.'; offset];
            input.extend_from_slice(&pattern);
            input.extend_from_slice(b" and ");
            input.extend_from_slice(&pattern[..len - 1]);
            let expected = naive_mask_patterns(&patterns, &input);
            let at = format!("len {len} offset {offset}");
            assert_eq!(mask_with(matcher, &input), expected, "{at}");
            for split in offset + 1..offset + len {
                let (a, b) = input.split_at(split);
                assert_eq!(stream(&masker, &[a, b]), expected, "{at} split {split}");
            }
            let mut out = Vec::new();
            pump(&masker, &input[..], &mut out).unwrap();
            assert_eq!(out, expected, "{at}, pumped");
        }
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
    pump(&Masker::new::<&str>([]), &b"nothing to hide"[..], &mut out).unwrap();
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
    prop::collection::vec("[a-zA-Z0-9!@#%&+/=_. \n-]{1,30}", 1..5)
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
        assert!(w.held() < max_len(m).max(1));
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

/// Removes complete CSI/OSC sequences, as a terminal would not show them.
fn visible(bytes: &[u8]) -> Vec<u8> {
    super::matcher::strip_escapes(bytes)
}

/// Every escape sequence of `bytes`, in order.
fn escapes(bytes: &[u8]) -> Vec<u8> {
    let text = visible(bytes);
    let mut rest = &text[..];
    let mut out = Vec::new();
    for &b in bytes {
        match rest.split_first() {
            Some((&t, tail)) if t == b => rest = tail,
            _ => out.push(b),
        }
    }
    out
}

#[test]
fn colour_codes_inside_a_value_are_skipped_and_kept() {
    let m = Masker::new(["hunter2secret"]);
    // What `grep --color=always secret` prints for a line holding the value.
    let line = b"pw=hunter2\x1b[01;31m\x1b[Ksecret\x1b[m\x1b[K!\n";
    let expected = b"pw=***\x1b[01;31m\x1b[K\x1b[m\x1b[K!\n".to_vec();
    assert_eq!(m.mask_all(line), expected);
    assert_eq!(stream_bytewise(&m, line), expected);
    // An OSC (a hyperlink) ended by ST, and a lone ESC that starts nothing.
    let osc = b"hunter\x1b]8;;http://x\x1b\\2secret \x1b\x01hunter2secret";
    assert_eq!(
        stream_bytewise(&m, osc),
        b"***\x1b]8;;http://x\x1b\\ \x1b\x01***"
    );
}

#[test]
fn a_value_holding_an_escape_sequence_is_masked_without_it() {
    let m = Masker::new(["red\x1b[31mhot"]);
    assert_eq!(m.mask_all(b"a red\x1b[31mhot b"), b"a ***\x1b[31m b");
}

#[test]
fn non_utf8_values_are_matched_as_bytes() {
    let value: &[u8] = &[0xde, 0xad, 0xbe, 0xef, 0xff, 0x00];
    let m = Masker::new([value]);
    let mut input = b"key: ".to_vec();
    input.extend_from_slice(value);
    assert_eq!(stream_bytewise(&m, &input), b"key: ***");
    assert_eq!(m.mask_all(b"hex deadbeefff00."), b"hex ***.");
}

#[test]
fn a_background_build_masks_like_a_direct_one() {
    let values = ["hunter2secret", "p@ss w0rd"];
    let lazy = Masker::in_background(values);
    assert!(!lazy.is_empty());
    let input = b"a hunter2secret b p%40ss%20w0rd c";
    assert_eq!(lazy.mask_all(input), Masker::new(values).mask_all(input));
    assert!(Masker::in_background(["abc"]).is_empty());
}

/// A value with a character of every class the encodings treat apart.
fn value_strategy() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9]{2,6}[ /'\"\\\\$~#,=:+%&ä€😀\t]{1,3}[a-zA-Z0-9]{2,8}"
}

/// The value printed in each form a tool would print it.
fn encoded_forms(value: &str) -> Vec<Vec<u8>> {
    let bytes = value.as_bytes();
    let lower_hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let json = serde_json::to_string(value).unwrap();
    let python_json: String = json
        .chars()
        .flat_map(|c| match c.is_ascii() {
            true => vec![c.to_string()],
            false => {
                let mut units = [0; 2];
                c.encode_utf16(&mut units)
                    .iter()
                    .map(|u| format!("\\u{u:04x}"))
                    .collect()
            }
        })
        .collect();
    let quote_keeping_slash: String = bytes
        .iter()
        .map(|&b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02x}"),
        })
        .collect();
    let long = value.repeat(8);
    let wrapped: Vec<u8> = STANDARD
        .encode(&long)
        .as_bytes()
        .chunks(76)
        .collect::<Vec<_>>()
        .join(&b'\n');
    vec![
        bytes.to_vec(),
        STANDARD.encode(bytes).into_bytes(),
        URL_SAFE.encode(format!("k:{value}")).into_bytes(),
        lower_hex.to_uppercase().into_bytes(),
        lower_hex.into_bytes(),
        json.into_bytes(),
        python_json.into_bytes(),
        quote_keeping_slash.into_bytes(),
        format!("'{}'", value.replace('\'', r"'\''")).into_bytes(),
        wrapped,
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Each form, with the value cut at every offset between two writes
    /// and an escape sequence put at every offset: the visible output never
    /// shows the form, nothing but the form changes, and every escape
    /// sequence reaches the terminal.
    #[test]
    fn every_form_is_masked_at_every_split_and_escape_offset(value in value_strategy()) {
        let long = value.repeat(8);
        let m = Masker::new([value.as_str(), long.as_str()]);
        for form in encoded_forms(&value) {
            let visible_form = String::from_utf8_lossy(&form).into_owned();
            for at in 0..=form.len() {
                let mut input = b"<< ".to_vec();
                input.extend_from_slice(&form[..at]);
                input.extend_from_slice(b"\x1b[1;31m");
                input.extend_from_slice(&form[at..]);
                input.extend_from_slice(b" >>");
                let (head, tail) = input.split_at(3 + at);
                let out = stream(&m, &[head, tail]);
                let shown = visible(&out);
                prop_assert!(shown.starts_with(b"<< ") && shown.ends_with(b" >>"));
                for line in visible(&form).split(|&b| b == b'\n') {
                    prop_assert!(
                        line.len() < 8 || !contains(&shown, line),
                        "{:?} leaked from {:?}", String::from_utf8_lossy(line), visible_form
                    );
                }
                prop_assert_eq!(escapes(&out), b"\x1b[1;31m".to_vec());
                prop_assert_eq!(&out, &m.mask_all(&input));
            }
        }
    }
}
