//! Masking a stream as it comes: [`MaskWriter`] and [`pump`].

use std::io::{self, IoSlice, Read, Write};

use super::Masker;
use super::matcher::{Matcher, Piece};

/// Size of the reads `pump` makes, and of the slices `MaskWriter::write` works
/// on, so its scratch buffers stay bounded whatever the caller writes at once.
pub(super) const CHUNK: usize = 64 * 1024;

/// At most this many pieces of output go to one `write_vectored` call
/// (the kernel takes up to 1024).
const PIECES_PER_WRITE: usize = 64;

/// The alignment of the buffer `pump` reads into.
const READ_ALIGN: usize = 64;

/// A writer that masks secret values in everything written through it.
///
/// Each `write` forwards (and flushes) at once everything that can no longer
/// be part of a secret, and keeps only the shortest tail that still could
/// (see the matcher's docs). `flush` flushes the inner writer but keeps that
/// tail: it may be the first half of a secret. Call [`MaskWriter::finish`] at
/// end of stream; dropping the writer emits the tail too, best effort,
/// ignoring errors.
///
/// The output is written as it stands in the input, a vectored write of the
/// pieces between the matches and the masks: nothing is copied in between.
///
/// After an error from the inner writer the bytes of that `write` are lost
/// (partly written at most); the stream is broken at that point anyway.
pub struct MaskWriter<'m, W: Write> {
    masker: &'m Masker,
    /// `None` only once `finish` has taken it.
    inner: Option<W>,
    /// The held-back tail is `buf[tail..tail + held]`; new bytes are read
    /// (or copied) in after it. `buf` never shrinks: it is as long as the
    /// longest tail plus a chunk, and its bytes are initialised once.
    buf: Vec<u8>,
    tail: usize,
    held: usize,
    /// Scratch for the pieces of masked output, reused across writes.
    pieces: Vec<Piece>,
}

impl<'m, W: Write> MaskWriter<'m, W> {
    pub fn new(masker: &'m Masker, out: W) -> Self {
        MaskWriter {
            masker,
            inner: Some(out),
            buf: Vec::new(),
            tail: 0,
            held: 0,
            pieces: Vec::new(),
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

    /// Bytes held back now (for the tests of the bound).
    #[cfg(test)]
    pub(super) fn held(&self) -> usize {
        self.held
    }

    fn inner(&mut self) -> &mut W {
        self.inner
            .as_mut()
            .expect("inner writer present until finish")
    }

    /// Moves the held-back tail to `buf[at..]`, with room for `more` bytes
    /// after it.
    fn move_tail(&mut self, at: usize, more: usize) {
        if self.buf.len() < at + self.held + more {
            self.buf.resize(at + self.held + more, 0);
        }
        self.buf.copy_within(self.tail..self.tail + self.held, at);
        self.tail = at;
    }

    /// Masks `data` (at most `CHUNK` bytes, so scratch stays bounded) and
    /// emits its safe part.
    fn write_chunk(&mut self, matcher: &Matcher, data: &[u8]) -> io::Result<()> {
        if self.held > 0 {
            // Search the tail and the new bytes together.
            self.move_tail(0, data.len());
            self.buf[self.held..self.held + data.len()].copy_from_slice(data);
            return self.mask_buffered(matcher, data.len());
        }
        // Nothing held back: search the caller's buffer where it is.
        let (consumed, result) = mask_and_write(matcher, data, &mut self.pieces, &mut self.inner);
        let tail = &data[consumed..];
        self.move_tail(0, tail.len());
        self.buf[..tail.len()].copy_from_slice(tail);
        self.held = tail.len();
        result
    }

    /// Masks the tail and the `new` bytes after it, emits the safe part and
    /// keeps the rest as the new tail.
    fn mask_buffered(&mut self, matcher: &Matcher, new: usize) -> io::Result<()> {
        let hay = &self.buf[self.tail..self.tail + self.held + new];
        let (consumed, result) = mask_and_write(matcher, hay, &mut self.pieces, &mut self.inner);
        self.tail += consumed;
        self.held = hay.len() - consumed;
        result
    }

    /// Reads `input` to its end, masking each read (after the held-back
    /// tail, in place: no copy) and forwarding its safe part at once.
    fn pump_from(&mut self, mut input: impl Read) -> io::Result<()> {
        loop {
            // Reads go to a 64-byte aligned address: the kernel's copy to
            // an unaligned one measured twice as slow. The tail goes just
            // before it.
            let misaligned = (self.buf.as_ptr() as usize + self.held) % READ_ALIGN;
            self.move_tail((READ_ALIGN - misaligned) % READ_ALIGN, CHUNK);
            let at = self.tail + self.held;
            let n = match input.read(&mut self.buf[at..at + CHUNK]) {
                Ok(0) => return Ok(()),
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            // The masker's build (if still under way) is waited for only
            // once the first bytes arrive.
            match self.masker.matcher() {
                Some(matcher) => self.mask_buffered(matcher, n)?,
                None => {
                    let inner = self
                        .inner
                        .as_mut()
                        .expect("inner writer present until finish");
                    write_and_flush(inner, &self.buf[at..at + n])?;
                }
            }
        }
    }

    fn emit_pending(&mut self) -> io::Result<()> {
        if self.held > 0 {
            // End of stream: the tail can no longer grow, so mask it as is.
            let masked = self
                .masker
                .mask_all(&self.buf[self.tail..self.tail + self.held]);
            self.held = 0;
            self.inner().write_all(&masked)?;
        }
        self.inner().flush()
    }
}

/// Masks `hay`, more of the stream still to come, and writes the part of it
/// that can no longer change; returns how many bytes of `hay` that covered,
/// and the write's result. `pieces` is scratch; `inner` is present until
/// `finish`.
fn mask_and_write<W: Write>(
    matcher: &Matcher,
    hay: &[u8],
    pieces: &mut Vec<Piece>,
    inner: &mut Option<W>,
) -> (usize, io::Result<()>) {
    pieces.clear();
    let consumed = matcher.mask(hay, false, pieces);
    let inner = inner.as_mut().expect("inner writer present until finish");
    (consumed, write_pieces(inner, hay, pieces))
}

/// Writes the pieces of `hay`'s masked output, a few dozen per system call.
fn write_pieces(inner: &mut impl Write, hay: &[u8], pieces: &[Piece]) -> io::Result<()> {
    if pieces.is_empty() {
        return Ok(());
    }
    for group in pieces.chunks(PIECES_PER_WRITE) {
        let mut slices = [IoSlice::new(&[]); PIECES_PER_WRITE];
        for (slice, piece) in slices.iter_mut().zip(group) {
            *slice = IoSlice::new(piece.bytes(hay));
        }
        write_all_vectored(inner, &mut slices[..group.len()])?;
    }
    inner.flush()
}

/// `Write::write_all_vectored`, which is not stable yet.
fn write_all_vectored(inner: &mut impl Write, mut slices: &mut [IoSlice<'_>]) -> io::Result<()> {
    while !slices.is_empty() {
        match inner.write_vectored(slices) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => IoSlice::advance_slices(&mut slices, n),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
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
        match self.masker.matcher() {
            None => write_and_flush(self.inner(), data)?,
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
        if self.inner.is_some() && self.held > 0 && !std::thread::panicking() {
            let _ = self.emit_pending();
        }
    }
}

/// Copies `input` to `out` through the masker until EOF, forwarding each
/// read's safe part at once. The masker's build (if still under way) is
/// waited for only once the first bytes arrive.
pub fn pump(masker: &Masker, input: impl Read, out: impl Write) -> io::Result<()> {
    let mut writer = MaskWriter::new(masker, out);
    writer.pump_from(input)?;
    writer.finish().map(drop)
}
