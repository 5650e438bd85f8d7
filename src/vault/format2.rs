//! The format 2 vault file on disk (docs/FORMAT.md, "Format 2"): canonical,
//! line-oriented text. A header, one line per member, the sealed member list,
//! one line per secret record in ascending order of locator, a commitment over
//! all of them and a public checksum. Parsing is strict: a file is valid in
//! exactly one spelling, and any damage is exit 5 (the checksum), told apart
//! from a wrong key (exit 4).

use std::rc::Rc;

use super::checksum::{self, Algorithm, Running};
use super::crypto::{KdfParams, NONCE_LEN, SALT_LEN, TAG_LEN};
pub use super::format::damaged;
use super::format::{RESTORE_HINT, VAULT_ID_LEN};
use super::members::PassphraseLock;
use super::record_heads::{HEAD_LEN, Heads, PREFIX as RECORD_PREFIX, RecordSink};
use super::storage::FileBytes;
use crate::error::{Error, Result};

/// Format 3 is format 2 with an XXH3-128 checksum in place of SHA-256: a
/// `vault` that reads only 1 and 2 then names the version and says to
/// upgrade, instead of calling the file damaged.
pub const FORMAT_VERSION: u32 = 3;
/// The first version of this layout, read as before (its checksum SHA-256).
pub const SHA256_VERSION: u32 = 2;
pub const COMMENT: &str = "# vault file: see docs/FORMAT.md. Any edit makes it unreadable.";
pub const EPOCH_LEN: usize = 16;
pub const LOCATOR_LEN: usize = 16;
pub const COMMIT_LEN: usize = 32;
/// A wrap of a record key: key id, nonce, sealed 32-byte key and tag.
pub const WRAP_LEN: usize = super::keyring::KEY_ID_LEN + NONCE_LEN + 32 + TAG_LEN;
const MAX_MEMBERS: usize = 10_000;
/// No record line is shorter: its head, one wrap, a space, a tag, the LF.
const MIN_RECORD_LINE: usize =
    HEAD_LEN + WRAP_LEN.div_ceil(3) * 4 + 1 + TAG_LEN.div_ceil(3) * 4 + 1;

/// A parsed format 2 file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File2 {
    /// `SHA256_VERSION` or `FORMAT_VERSION`; a write makes it the latter.
    pub version: u32,
    pub vault_id: [u8; VAULT_ID_LEN],
    /// Changed by `lock`, `rekey`, `passwd` and `member remove`: sessions are
    /// bound to it, so changing it ends every session wherever it was made.
    pub epoch: [u8; EPOCH_LEN],
    pub members: Vec<MemberLine>,
    /// nonce || sealed member list (under the org key).
    pub meta: Vec<u8>,
    /// In ascending order of locator, each locator once.
    pub records: Vec<RecordLine>,
    pub commit: [u8; COMMIT_LEN],
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberLine {
    /// Set for the passphrase member.
    pub passphrase: Option<PassphraseLock>,
    /// The member's keys, age-encrypted to its recipient.
    pub grant: Vec<u8>,
}

/// One sealed secret. The wraps and ciphertext stay base64 text until the
/// record is opened, where the file has them: reading one secret of 10,000
/// neither copies nor decodes the others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordLine {
    pub locator: [u8; LOCATOR_LEN],
    pub nonce: [u8; NONCE_LEN],
    /// `WRAPS_B64 SEALED_B64`, as in the file.
    pub rest: RecordText,
}

/// A record's `WRAPS_B64 SEALED_B64`: a span of the file read, or of the text
/// of a record sealed now. 16 bytes: each of 10,000 records' entries in the
/// index is written to fresh pages on every read, and on this VM 64 more
/// bytes per entry cost 1 ms.
#[derive(Clone)]
pub struct RecordText {
    text: Rc<FileBytes>,
    start: u32,
    end: u32,
}

impl RecordText {
    /// The text of a record sealed now (`records::seal` keeps it under the
    /// largest vault file).
    pub fn sealed(text: String) -> RecordText {
        let end = offset(text.len());
        RecordText {
            text: Rc::new(FileBytes::Read(text.into_bytes())),
            start: 0,
            end,
        }
    }

    /// A span of a file read (which `MAX_VAULT_FILE_BYTES` keeps under 4 GiB).
    pub fn in_file(file: &Rc<FileBytes>, span: std::ops::Range<usize>) -> RecordText {
        RecordText {
            text: Rc::clone(file),
            start: offset(span.start),
            end: offset(span.end),
        }
    }

    pub fn bytes(&self) -> &[u8] {
        &self.text[self.start as usize..self.end as usize]
    }
}

fn offset(at: usize) -> u32 {
    u32::try_from(at).expect("a vault file and its records are smaller than 4 GiB")
}

impl PartialEq for RecordText {
    fn eq(&self, other: &RecordText) -> bool {
        self.bytes() == other.bytes()
    }
}

impl Eq for RecordText {}

/// Ciphertext says nothing to a reader: its length does.
impl std::fmt::Debug for RecordText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RecordText({} bytes)", self.bytes().len())
    }
}

impl RecordLine {
    pub fn new(
        locator: [u8; LOCATOR_LEN],
        nonce: [u8; NONCE_LEN],
        wraps: &[u8],
        sealed: &[u8],
    ) -> RecordLine {
        let mut rest = b64(wraps);
        rest.push(' ');
        base64_simd::STANDARD.encode_append(sealed, &mut rest);
        RecordLine {
            locator,
            nonce,
            rest: RecordText::sealed(rest),
        }
    }

    /// The record's wraps and ciphertext, decoded: the rest of its line is
    /// checked here, when it is opened.
    pub fn parts(&self) -> Result<(Vec<u8>, Vec<u8>)> {
        let bad = || damaged("a record line is malformed");
        let rest = self.rest.bytes();
        let space = memchr::memchr(b' ', rest).ok_or_else(bad)?;
        let wraps = decode(&rest[..space], "record wraps")?;
        let sealed = decode(&rest[space + 1..], "record")?;
        if wraps.is_empty() || wraps.len() % WRAP_LEN != 0 || sealed.len() < TAG_LEN {
            return Err(bad());
        }
        Ok((wraps, sealed))
    }
}

impl File2 {
    /// The header's text (comment, format, vault id, epoch).
    pub fn header_text(&self) -> String {
        format!(
            "{COMMENT}\nformat = {}\nvault_id = \"{}\"\nepoch = \"{}\"\n",
            self.version,
            b64(&self.vault_id),
            b64(&self.epoch)
        )
    }

    /// Everything the commitment covers but the records: the header without
    /// the epoch (which `lock` changes without a key), the member lines and
    /// the member list.
    pub fn committed_head(&self) -> String {
        let mut text = format!(
            "{COMMENT}\nformat = {}\nvault_id = \"{}\"\n",
            self.version,
            b64(&self.vault_id)
        );
        for member in &self.members {
            text.push_str(&member_line(member));
        }
        text.push_str(&format!("meta {}\n", b64(&self.meta)));
        text
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut body = self.header_text();
        for member in &self.members {
            body.push_str(&member_line(member));
        }
        body.push_str(&format!("meta {}\n", b64(&self.meta)));
        let mut body = body.into_bytes();
        body.reserve(self.records.iter().map(|r| r.rest.bytes().len() + 80).sum());
        for record in &self.records {
            body.extend_from_slice(RECORD_PREFIX);
            body.extend_from_slice(b64(&record.locator).as_bytes());
            body.push(b' ');
            body.extend_from_slice(b64(&record.nonce).as_bytes());
            body.push(b' ');
            body.extend_from_slice(record.rest.bytes());
            body.push(b'\n');
        }
        body.extend_from_slice(format!("commit = \"{}\"\n", b64(&self.commit)).as_bytes());
        let checksum = checksum::line(checksum_of(self.version), &body);
        body.extend_from_slice(checksum.as_bytes());
        body
    }

    /// Parses a format 2 file (its version already read) and indexes every
    /// record. The checksum is checked first, so that damage is exit 5 before
    /// any key is tried. Record lines are split into locator, nonce and the
    /// rest; the rest is checked when the record is opened.
    pub fn parse(bytes: impl Into<FileBytes>) -> Result<File2> {
        // Sized once for the shortest record a vault writes (one wrap, an
        // empty secret): growing it by doubling copied it and faulted in
        // fresh pages four times at 10,000 records. Untouched capacity costs
        // no memory.
        let index =
            |_: &File2, records_len: usize| Ok(Vec::with_capacity(records_len / MIN_RECORD_LINE));
        let (mut file, records) = parse_with(bytes, index)?;
        file.records = records;
        Ok(file)
    }

    /// Parses a format 2 file in one pass, giving its records to the sink
    /// that `select` makes from the file's head (everything but its records,
    /// which it does not hold yet): reading a few secrets then neither keeps
    /// nor indexes the others. An error from `select` or the sink is
    /// reported only once the whole file has matched its checksum, so damage
    /// is still exit 5 whatever they found.
    pub fn parse_selecting<S: RecordSink>(
        bytes: impl Into<FileBytes>,
        select: impl FnOnce(&File2) -> Result<S>,
    ) -> Result<(File2, S)> {
        parse_with(bytes, |head, _| select(head))
    }

    /// The head of a format 2 file (everything but its records) without
    /// checking the checksum: only to ask whether a key is a member's
    /// (`Vault::unlock_if_member`), before a read that checks everything.
    pub fn parse_head_unchecked(bytes: &[u8]) -> Result<File2> {
        let version = version_of(bytes)?;
        let (body, expected) = checksum::split(bytes, &[checksum_of(version)])?;
        let mut unchecked = Running::new(body, expected.algorithm());
        let mut lines = Lines {
            body,
            at: 0,
            checksum: &mut unchecked,
        };
        parse_head(&mut lines, version)
    }

    /// The record at `locator`, by binary search.
    pub fn record(&self, locator: &[u8; LOCATOR_LEN]) -> Option<&RecordLine> {
        record_at(&self.records, locator)
    }
}

/// The record at `locator` of `records`, which are in ascending order of
/// locator (as a file has them), by binary search.
pub fn record_at<'a>(
    records: &'a [RecordLine],
    locator: &[u8; LOCATOR_LEN],
) -> Option<&'a RecordLine> {
    records
        .binary_search_by(|r| r.locator.cmp(locator))
        .ok()
        .map(|i| &records[i])
}

fn member_line(member: &MemberLine) -> String {
    match &member.passphrase {
        Some(lock) => format!(
            "member passphrase {} {} {} {} {} {}\n",
            lock.kdf.memory_kib,
            lock.kdf.iterations,
            lock.kdf.parallelism,
            b64(&lock.salt),
            b64(&lock.sealed_identity),
            b64(&member.grant)
        ),
        None => format!("member recipient {}\n", b64(&member.grant)),
    }
}

fn parse_member(line: &str) -> Result<MemberLine> {
    let bad = || damaged("a member line is malformed");
    let fields: Vec<&str> = line.split(' ').collect();
    match fields.as_slice() {
        ["member", "recipient", grant] => Ok(MemberLine {
            passphrase: None,
            grant: decode(grant, "member")?,
        }),
        [
            "member",
            "passphrase",
            memory,
            iterations,
            parallelism,
            salt,
            sealed,
            grant,
        ] => {
            let kdf = KdfParams {
                memory_kib: number(memory)?,
                iterations: number(iterations)?,
                parallelism: number(parallelism)?,
            };
            // Bounded before any work: a hostile file cannot make vault allocate gigabytes.
            kdf.check_bounds().map_err(|why| damaged(&why))?;
            let sealed_identity = decode(sealed, "member")?;
            if sealed_identity.len() <= NONCE_LEN + TAG_LEN {
                return Err(bad());
            }
            Ok(MemberLine {
                passphrase: Some(PassphraseLock {
                    kdf,
                    salt: fixed::<SALT_LEN>(salt, "salt")?,
                    sealed_identity,
                }),
                grant: decode(grant, "member")?,
            })
        }
        _ => Err(bad()),
    }
}

/// The file's version, which must be 2 or 3.
fn version_of(bytes: &[u8]) -> Result<u32> {
    let version = super::format::version(bytes)?;
    if version != SHA256_VERSION && version != FORMAT_VERSION {
        return Err(damaged("it is not in format 2 or 3"));
    }
    Ok(version)
}

/// The one reader of formats 2 and 3: the head, then the sink `select`
/// makes from it (given the length of what follows), then the records.
fn parse_with<S: RecordSink>(
    bytes: impl Into<FileBytes>,
    select: impl FnOnce(&File2, usize) -> Result<S>,
) -> Result<(File2, S)> {
    let file = Rc::new(bytes.into());
    let version = version_of(&file)?;
    checksum::verify_while(&file, &[checksum_of(version)], |body, checksum| {
        let mut lines = Lines {
            body,
            at: 0,
            checksum,
        };
        let mut head = parse_head(&mut lines, version)?;
        let mut sink = select(&head, body.len() - lines.at)?;
        head.commit = parse_records(&file, &mut lines, &mut sink)?;
        Ok((head, sink))
    })
}

/// The lines before the records, as a file with no records yet.
fn parse_head(lines: &mut Lines, version: u32) -> Result<File2> {
    let mut next = |what: &str| {
        lines
            .next_text()
            .ok_or_else(|| damaged(&format!("{what} is missing")))?
    };
    if next("the header")? != COMMENT || next("the header")? != format!("format = {version}") {
        return Err(damaged("it does not start with a format 2 header"));
    }
    let vault_id = fixed(quoted(next("vault_id")?, "vault_id")?, "vault_id")?;
    let epoch = fixed(quoted(next("epoch")?, "epoch")?, "epoch")?;
    let mut members = Vec::new();
    let meta = loop {
        let line = next("the member list")?;
        if let Some(meta) = line.strip_prefix("meta ") {
            break decode(meta.as_bytes(), "meta")?;
        }
        if members.len() >= MAX_MEMBERS {
            return Err(damaged("it has too many members"));
        }
        members.push(parse_member(line)?);
    };
    if members.is_empty() || meta.len() < NONCE_LEN + TAG_LEN {
        return Err(damaged("it has no members"));
    }
    Ok(File2 {
        version,
        vault_id,
        epoch,
        members,
        meta,
        records: Vec::new(),
        commit: [0; COMMIT_LEN],
    })
}

/// The record lines, given to `sink`, up to the commitment, which is the
/// last line before the checksum and is returned. The lines' body is the
/// start of `file`, so a span of it is a span of the file, which records keep.
fn parse_records(
    file: &Rc<FileBytes>,
    lines: &mut Lines,
    sink: &mut impl RecordSink,
) -> Result<[u8; COMMIT_LEN]> {
    let mut heads = Heads::new();
    let commit = loop {
        let span = lines
            .next_span()
            .ok_or_else(|| damaged("the commitment is missing"))?;
        let line = &lines.body[span.clone()];
        if let Some(commit) = line.strip_prefix(b"commit = ") {
            let commit = std::str::from_utf8(commit).map_err(|_| not_text())?;
            break fixed(quoted_value(commit, "commit")?, "commit")?;
        }
        heads.push(file, span, sink)?;
    };
    heads.finish(file, sink)?;
    if lines.next_span().is_some() {
        return Err(damaged("it has lines after its commitment"));
    }
    Ok(commit)
}

/// The checksum each version carries.
fn checksum_of(version: u32) -> Algorithm {
    match version {
        SHA256_VERSION => Algorithm::Sha256,
        _ => Algorithm::Xxh3_128,
    }
}

/// The lines of a file's body, as spans (LF excluded), with the checksum
/// kept a stretch ahead of them.
struct Lines<'a, 'c> {
    body: &'a [u8],
    at: usize,
    checksum: &'c mut Running<'a>,
}

impl<'a> Lines<'a, '_> {
    fn next_span(&mut self) -> Option<std::ops::Range<usize>> {
        self.checksum.cover(self.at);
        let rest = &self.body[self.at..];
        let end = self.at + memchr::memchr(b'\n', rest)?;
        let span = self.at..end;
        self.at = end + 1;
        Some(span)
    }

    /// The next line, which must be text.
    fn next_text(&mut self) -> Option<Result<&'a str>> {
        let span = self.next_span()?;
        Some(std::str::from_utf8(&self.body[span]).map_err(|_| not_text()))
    }
}

fn not_text() -> Error {
    damaged("it is not UTF-8 text")
}

fn number(text: &str) -> Result<u32> {
    let n: u32 = text.parse().map_err(|_| damaged("a number is malformed"))?;
    if n.to_string() != text {
        return Err(damaged("a number is not in canonical form"));
    }
    Ok(n)
}

fn quoted<'a>(line: &'a str, name: &str) -> Result<&'a str> {
    let value = line
        .strip_prefix(name)
        .and_then(|rest| rest.strip_prefix(" = "))
        .ok_or_else(|| damaged(&format!("field '{name}' is missing or out of place")))?;
    quoted_value(value, name)
}

fn quoted_value<'a>(value: &'a str, name: &str) -> Result<&'a str> {
    value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .ok_or_else(|| damaged(&format!("field '{name}' is not a string")))
}

pub fn b64(bytes: &[u8]) -> String {
    base64_simd::STANDARD.encode_to_string(bytes)
}

fn decode(text: impl AsRef<[u8]>, name: &str) -> Result<Vec<u8>> {
    base64_simd::STANDARD
        .decode_to_vec(text.as_ref())
        .map_err(|_| damaged(&format!("field '{name}' is not base64")))
}

/// Exactly N bytes of base64, decoded without an allocation.
fn fixed<const N: usize>(text: &str, name: &str) -> Result<[u8; N]> {
    let not_base64 = || damaged(&format!("field '{name}' is not base64"));
    let length = base64_simd::STANDARD
        .decoded_length(text.as_bytes())
        .map_err(|_| not_base64())?;
    if length != N {
        return Err(damaged(&format!("field '{name}' has the wrong length")));
    }
    let mut out = [0u8; N];
    base64_simd::STANDARD
        .decode(text.as_bytes(), base64_simd::Out::from_slice(&mut out[..]))
        .map_err(|_| not_base64())?;
    Ok(out)
}

pub fn tampered(what: &str) -> Error {
    Error::corrupt(format!("vault file has been tampered with: {what}")).with_hint(RESTORE_HINT)
}
