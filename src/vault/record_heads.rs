//! The heads of format 2's record lines, `record LOCATOR NONCE `, decoded a
//! batch at a time. Every record's locator and nonce are decoded on every
//! read (the commitment covers them all), and base64-simd decodes a 24- or
//! 32-character field one character at a time but a long run with AVX2: one
//! call per 64 records takes 10,000 records' heads from 0.6 ms to 0.25 ms.

use std::ops::Range;
use std::rc::Rc;

use super::crypto::NONCE_LEN;
use super::format2::{LOCATOR_LEN, RecordLine, RecordText, damaged};
use super::storage::FileBytes;
use crate::error::Result;

/// How a record line begins, as written and as read.
pub const PREFIX: &[u8] = b"record ";
const LOCATOR_B64: usize = LOCATOR_LEN.div_ceil(3) * 4;
const NONCE_B64: usize = NONCE_LEN.div_ceil(3) * 4;
/// The head's length: prefix, both fields and the space after each.
pub const HEAD_LEN: usize = PREFIX.len() + LOCATOR_B64 + 1 + NONCE_B64 + 1;
/// A locator's base64 ends in `==` (16 bytes are five groups and one byte).
/// In a batch the `==` reads as `AA`, so that the fields run on unpadded and
/// the locator decodes to two more bytes, both zero exactly when its last
/// character is canonical.
const LOCATOR_RUN: usize = LOCATOR_LEN + 2;
const RUN: usize = LOCATOR_RUN + NONCE_LEN;
const BATCH: usize = 64;

/// A record line's head, decoded, and where the rest of its line is.
pub struct RecordHead {
    pub locator: [u8; LOCATOR_LEN],
    pub nonce: [u8; NONCE_LEN],
    /// `WRAPS_B64 SEALED_B64`, a span of the file.
    pub rest: Range<usize>,
}

impl RecordHead {
    /// The record, keeping its rest where the file has it.
    pub fn line(&self, file: &Rc<FileBytes>) -> RecordLine {
        RecordLine {
            locator: self.locator,
            nonce: self.nonce,
            rest: RecordText::in_file(file, self.rest.clone()),
        }
    }
}

/// What a parse does with the records it reads: they reach it a batch at a
/// time, in the file's order, which is checked before.
pub trait RecordSink {
    fn take(&mut self, file: &Rc<FileBytes>, heads: &[RecordHead]) -> Result<()>;
}

/// The index of every record.
impl RecordSink for Vec<RecordLine> {
    fn take(&mut self, file: &Rc<FileBytes>, heads: &[RecordHead]) -> Result<()> {
        self.extend(heads.iter().map(|head| head.line(file)));
        Ok(())
    }
}

/// Record lines queued until a batch is full.
pub struct Heads {
    text: Vec<u8>,
    spans: Vec<Range<usize>>,
    decoded: Vec<u8>,
    heads: Vec<RecordHead>,
    last: Option<[u8; LOCATOR_LEN]>,
}

impl Heads {
    pub fn new() -> Heads {
        Heads {
            text: Vec::with_capacity(BATCH * (LOCATOR_B64 + NONCE_B64)),
            spans: Vec::with_capacity(BATCH),
            decoded: vec![0; BATCH * RUN],
            heads: Vec::with_capacity(BATCH),
            last: None,
        }
    }

    /// Queues the record line at `span` of `file`; the records reach `sink`
    /// when a batch is full and on `finish`.
    pub fn push(
        &mut self,
        file: &Rc<FileBytes>,
        span: Range<usize>,
        sink: &mut impl RecordSink,
    ) -> Result<()> {
        let line = &file[span.clone()];
        let well_formed = line.len() > HEAD_LEN
            && line.starts_with(PREFIX)
            && line[PREFIX.len() + LOCATOR_B64 - 2..][..2] == *b"=="
            && line[PREFIX.len() + LOCATOR_B64] == b' '
            && line[HEAD_LEN - 1] == b' ';
        if !well_formed {
            return Err(damaged("a record line is malformed"));
        }
        let locator = &line[PREFIX.len()..][..LOCATOR_B64];
        self.text.extend_from_slice(&locator[..LOCATOR_B64 - 2]);
        self.text.extend_from_slice(b"AA");
        self.text
            .extend_from_slice(&line[PREFIX.len() + LOCATOR_B64 + 1..][..NONCE_B64]);
        self.spans.push(span);
        if self.spans.len() == BATCH {
            self.flush(file, sink)?;
        }
        Ok(())
    }

    /// Decodes what is still queued.
    pub fn finish(mut self, file: &Rc<FileBytes>, sink: &mut impl RecordSink) -> Result<()> {
        self.flush(file, sink)
    }

    fn flush(&mut self, file: &Rc<FileBytes>, sink: &mut impl RecordSink) -> Result<()> {
        let decoded = &mut self.decoded[..self.spans.len() * RUN];
        let canonical = base64_simd::STANDARD
            .decode(&self.text, base64_simd::Out::from_slice(decoded))
            .is_ok_and(|out| {
                out.chunks(RUN)
                    .all(|run| run[LOCATOR_LEN..LOCATOR_RUN] == [0, 0])
            });
        if !canonical {
            return Err(damaged(
                "a record's locator or nonce is not canonical base64",
            ));
        }
        self.heads.clear();
        for (run, span) in decoded.chunks(RUN).zip(self.spans.drain(..)) {
            let head = RecordHead {
                locator: run[..LOCATOR_LEN].try_into().expect("a locator's length"),
                nonce: run[LOCATOR_RUN..].try_into().expect("a nonce's length"),
                rest: span.start + HEAD_LEN..span.end,
            };
            if self.last.is_some_and(|last| last >= head.locator) {
                return Err(damaged("its records are out of order"));
            }
            self.last = Some(head.locator);
            self.heads.push(head);
        }
        self.text.clear();
        sink.take(file, &self.heads)
    }
}
