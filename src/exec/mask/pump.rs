//! Masking a stream as it comes: [`MaskWriter`] and [`pump`].

use std::io::{self, Read, Write};

use super::Masker;
use super::matcher::Matcher;

/// Size of the reads `pump` makes, and of the slices `MaskWriter::write` works
/// on, so its scratch buffers stay bounded whatever the caller writes at once.
pub(super) const CHUNK: usize = 64 * 1024;

/// A writer that masks secret values in everything written through it.
///
/// Each `write` forwards (and flushes) at once everything that can no longer
/// be part of a secret, and keeps only the shortest tail that still could
/// (see the matcher's docs). `flush` flushes the inner writer but keeps that
/// tail: it may be the first half of a secret. Call [`MaskWriter::finish`] at
/// end of stream; dropping the writer emits the tail too, best effort,
/// ignoring errors.
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

    /// Bytes held back now (for the tests of the bound).
    #[cfg(test)]
    pub(super) fn held(&self) -> usize {
        self.pending.len()
    }

    fn inner(&mut self) -> &mut W {
        self.inner
            .as_mut()
            .expect("inner writer present until finish")
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
        let mut out = std::mem::take(&mut self.out);
        out.clear();
        let masked = matcher.mask(hay, false, &mut out);
        let emitted = if masked.copied {
            &out[..]
        } else {
            &hay[..masked.consumed]
        };
        let result = write_and_flush(self.inner(), emitted);
        self.pending.clear();
        self.pending.extend_from_slice(&hay[masked.consumed..]);
        self.joined = joined;
        self.out = out;
        result
    }

    fn emit_pending(&mut self) -> io::Result<()> {
        if !self.pending.is_empty() {
            // End of stream: the tail can no longer grow, so mask it as is.
            let masked = self.masker.mask_all(&self.pending);
            self.pending.clear();
            self.inner().write_all(&masked)?;
        }
        self.inner().flush()
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
        if self.inner.is_some() && !self.pending.is_empty() && !std::thread::panicking() {
            let _ = self.emit_pending();
        }
    }
}

/// Copies `input` to `out` through the masker until EOF, forwarding each
/// read's safe part at once. The masker's build (if still under way) is
/// waited for only once the first bytes arrive.
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
