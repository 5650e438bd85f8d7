//! The format 2 vault file on disk (docs/FORMAT.md, "Format 2"): canonical,
//! line-oriented text. A header, one line per member, the sealed member list,
//! one line per secret record in ascending order of locator, a commitment over
//! all of them and a public checksum. Parsing is strict: a file is valid in
//! exactly one spelling, and any damage is exit 5 (the checksum), told apart
//! from a wrong key (exit 4).

use sha2::{Digest, Sha256};

use super::crypto::{KdfParams, NONCE_LEN, SALT_LEN, TAG_LEN, hex};
pub use super::format::damaged;
use super::format::{RESTORE_HINT, VAULT_ID_LEN, check_digest, split_checksum};
use super::members::PassphraseLock;
use crate::error::{Error, Result};

pub const FORMAT_VERSION: u32 = 2;
pub const COMMENT: &str = "# vault file: see docs/FORMAT.md. Any edit makes it unreadable.";
pub const EPOCH_LEN: usize = 16;
pub const LOCATOR_LEN: usize = 16;
pub const COMMIT_LEN: usize = 32;
/// A wrap of a record key: key id, nonce, sealed 32-byte key and tag.
pub const WRAP_LEN: usize = super::keyring::KEY_ID_LEN + NONCE_LEN + 32 + TAG_LEN;
const MAX_MEMBERS: usize = 10_000;

/// A parsed format 2 file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File2 {
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
/// record is opened: reading one secret decodes only its own line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordLine {
    pub locator: [u8; LOCATOR_LEN],
    pub nonce: [u8; NONCE_LEN],
    /// `WRAPS_B64 SEALED_B64`, as in the file.
    pub rest: String,
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
            rest,
        }
    }

    /// The record's wraps and ciphertext, decoded.
    pub fn parts(&self) -> Result<(Vec<u8>, Vec<u8>)> {
        let (wraps, sealed) = self
            .rest
            .split_once(' ')
            .ok_or_else(|| damaged("a record line is malformed"))?;
        let wraps = decode(wraps, "record wraps")?;
        let sealed = decode(sealed, "record")?;
        if wraps.is_empty() || wraps.len() % WRAP_LEN != 0 || sealed.len() < TAG_LEN {
            return Err(damaged("a record line is malformed"));
        }
        Ok((wraps, sealed))
    }
}

impl File2 {
    /// The header's text (comment, format, vault id, epoch).
    pub fn header_text(&self) -> String {
        format!(
            "{COMMENT}\nformat = {FORMAT_VERSION}\nvault_id = \"{}\"\nepoch = \"{}\"\n",
            b64(&self.vault_id),
            b64(&self.epoch)
        )
    }

    /// Everything the commitment covers but the records: the header without
    /// the epoch (which `lock` changes without a key), the member lines and
    /// the member list.
    pub fn committed_head(&self) -> String {
        let mut text = format!(
            "{COMMENT}\nformat = {FORMAT_VERSION}\nvault_id = \"{}\"\n",
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
        body.reserve(self.records.iter().map(|r| r.rest.len() + 80).sum());
        for record in &self.records {
            body.push_str("record ");
            body.push_str(&b64(&record.locator));
            body.push(' ');
            body.push_str(&b64(&record.nonce));
            body.push(' ');
            body.push_str(&record.rest);
            body.push('\n');
        }
        body.push_str(&format!("commit = \"{}\"\n", b64(&self.commit)));
        let checksum = hex(&Sha256::digest(body.as_bytes()));
        body.push_str(&format!("checksum = \"sha256:{checksum}\"\n"));
        body.into_bytes()
    }

    /// Parses a format 2 file (its version already read). The checksum is
    /// checked first, so that damage is exit 5 before any key is tried.
    pub fn parse(bytes: &[u8]) -> Result<File2> {
        let (body, expected) = split_checksum(bytes)?;
        check_digest(body, expected)?;
        let text = std::str::from_utf8(body).map_err(|_| damaged("it is not UTF-8 text"))?;
        let mut lines = text.split_terminator('\n');
        let mut next = |what: &str| {
            lines
                .next()
                .ok_or_else(|| damaged(&format!("{what} is missing")))
        };
        if next("the header")? != COMMENT
            || next("the header")? != format!("format = {FORMAT_VERSION}")
        {
            return Err(damaged("it does not start with a format 2 header"));
        }
        let vault_id = fixed(quoted(next("vault_id")?, "vault_id")?, "vault_id")?;
        let epoch = fixed(quoted(next("epoch")?, "epoch")?, "epoch")?;
        let mut members = Vec::new();
        let meta = loop {
            let line = next("the member list")?;
            if let Some(meta) = line.strip_prefix("meta ") {
                break decode(meta, "meta")?;
            }
            if members.len() >= MAX_MEMBERS {
                return Err(damaged("it has too many members"));
            }
            members.push(parse_member(line)?);
        };
        if members.is_empty() || meta.len() < NONCE_LEN + TAG_LEN {
            return Err(damaged("it has no members"));
        }
        let mut records: Vec<RecordLine> = Vec::new();
        let commit = loop {
            let line = next("the commitment")?;
            if let Some(commit) = line.strip_prefix("commit = ") {
                break fixed(quoted_value(commit, "commit")?, "commit")?;
            }
            let record = parse_record(line)?;
            if records
                .last()
                .is_some_and(|last| last.locator >= record.locator)
            {
                return Err(damaged("its records are out of order"));
            }
            records.push(record);
        };
        if lines.next().is_some() {
            return Err(damaged("it has lines after its commitment"));
        }
        Ok(File2 {
            vault_id,
            epoch,
            members,
            meta,
            records,
            commit,
        })
    }

    /// The record at `locator`, by binary search.
    pub fn record(&self, locator: &[u8; LOCATOR_LEN]) -> Option<&RecordLine> {
        self.records
            .binary_search_by(|r| r.locator.cmp(locator))
            .ok()
            .map(|i| &self.records[i])
    }
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

fn parse_record(line: &str) -> Result<RecordLine> {
    let bad = || damaged("a record line is malformed");
    let rest = line.strip_prefix("record ").ok_or_else(bad)?;
    let mut fields = rest.splitn(3, ' ');
    let locator = fixed(fields.next().ok_or_else(bad)?, "locator")?;
    let nonce = fixed(fields.next().ok_or_else(bad)?, "nonce")?;
    let rest = fields.next().ok_or_else(bad)?;
    let mut parts = rest.split(' ');
    let (Some(wraps), Some(sealed), None) = (parts.next(), parts.next(), parts.next()) else {
        return Err(bad());
    };
    // Checked as base64 here so that exactly one spelling is valid; decoded
    // for use only when the record is opened.
    for (text, what) in [(wraps, "record wraps"), (sealed, "record")] {
        if text.is_empty() || base64_simd::STANDARD.check(text.as_bytes()).is_err() {
            return Err(damaged(&format!("field '{what}' is not base64")));
        }
    }
    Ok(RecordLine {
        locator,
        nonce,
        rest: rest.to_owned(),
    })
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

fn decode(text: &str, name: &str) -> Result<Vec<u8>> {
    base64_simd::STANDARD
        .decode_to_vec(text.as_bytes())
        .map_err(|_| damaged(&format!("field '{name}' is not base64")))
}

fn fixed<const N: usize>(text: &str, name: &str) -> Result<[u8; N]> {
    decode(text, name)?
        .try_into()
        .map_err(|_| damaged(&format!("field '{name}' has the wrong length")))
}

pub fn tampered(what: &str) -> Error {
    Error::corrupt(format!("vault file has been tampered with: {what}")).with_hint(RESTORE_HINT)
}
