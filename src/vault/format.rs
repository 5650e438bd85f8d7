//! The vault file on disk (docs/FORMAT.md): a readable header, the wrapped data
//! key, the sealed payload and a checksum, as a small TOML document written in
//! exactly one canonical layout. Parsing is strict: any byte that differs from
//! what `to_bytes` would write is damage (exit 5), told apart from a wrong
//! passphrase (exit 4) by the checksum.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;

use super::checksum::{self, Algorithm};
use super::crypto::{KEY_LEN, KdfParams, NONCE_LEN, SALT_LEN, TAG_LEN};
use crate::error::{Error, Result};

pub const FORMAT_VERSION: u32 = 1;
pub const VAULT_ID_LEN: usize = 16;
const COMMENT: &str = "# vault file: see docs/FORMAT.md. Any edit makes it unreadable.";
const KDF_NAME: &str = "argon2id";
/// The hint on damage; `Vault` replaces it with the backup's actual path.
pub const RESTORE_HINT: &str = "restore the previous version from the .bak file beside the vault";

/// The readable part of the file; its bytes are the associated data of both ciphertexts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// A random identifier, stable across passphrase changes; sessions are tied to it.
    pub vault_id: [u8; VAULT_ID_LEN],
    pub kdf: KdfParams,
    pub salt: [u8; SALT_LEN],
}

/// A parsed vault file: the header and the two ciphertexts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VaultFile {
    pub header: Header,
    pub key_nonce: [u8; NONCE_LEN],
    /// The data key sealed under the passphrase key: KEY_LEN + TAG_LEN bytes.
    pub wrapped_key: Vec<u8>,
    pub payload_nonce: [u8; NONCE_LEN],
    pub payload: Vec<u8>,
}

impl Header {
    /// The header's canonical text: the associated data bound into every ciphertext.
    pub fn to_text(&self) -> String {
        let KdfParams {
            memory_kib,
            iterations,
            parallelism,
        } = self.kdf;
        format!(
            "{COMMENT}\nformat = {FORMAT_VERSION}\nvault_id = \"{}\"\nkdf = \"{KDF_NAME}\"\n\
             kdf_memory_kib = {memory_kib}\nkdf_iterations = {iterations}\n\
             kdf_parallelism = {parallelism}\nsalt = \"{}\"\n",
            B64.encode(self.vault_id),
            B64.encode(self.salt),
        )
    }

    /// Associated data for one of the two ciphertexts, domain-separated by `purpose`.
    pub fn aad(&self, purpose: &str) -> Vec<u8> {
        format!("vault/{purpose}\n{}", self.to_text()).into_bytes()
    }
}

impl VaultFile {
    /// The same file with its payload left out, for a write to seal a new one into.
    pub fn without_payload(&self) -> VaultFile {
        VaultFile {
            header: self.header.clone(),
            key_nonce: self.key_nonce,
            wrapped_key: self.wrapped_key.clone(),
            payload_nonce: [0; NONCE_LEN],
            payload: Vec::new(),
        }
    }

    /// The bytes that wrap the data key (key nonce and wrapped key): a session
    /// is bound to them, so that replacing them ends the session.
    pub fn key_binding(&self) -> Vec<u8> {
        [&self.key_nonce[..], &self.wrapped_key].concat()
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut body = self.header.to_text();
        let encoded = |n: usize| n.div_ceil(3) * 4;
        body.reserve(
            160 + encoded(self.wrapped_key.len()) + encoded(self.payload.len()) + 2 * NONCE_LEN,
        );
        let fields = [
            ("key_nonce", &self.key_nonce[..]),
            ("wrapped_key", &self.wrapped_key),
            ("payload_nonce", &self.payload_nonce),
            ("payload", &self.payload),
        ];
        for (name, bytes) in fields {
            body.push_str(name);
            body.push_str(" = \"");
            base64_simd::STANDARD.encode_append(bytes, &mut body);
            body.push_str("\"\n");
        }
        let checksum = checksum::line(Algorithm::Sha256, body.as_bytes());
        body.push_str(&checksum);
        body.into_bytes()
    }

    /// Parses a vault file, refusing anything but the canonical layout.
    pub fn parse(bytes: &[u8]) -> Result<VaultFile> {
        Self::parse_then(bytes, Ok)
    }

    /// Parses a vault file and hands it to `then` (to decrypt it, say) while
    /// its checksum is checked (`checksum::verify_while`). The errors are those
    /// of `parse` followed by `then`, in that order: a checksum mismatch is what
    /// is reported, whatever decoding or `then` found. `then` must do nothing
    /// that matters when the file turns out damaged.
    pub fn parse_then<T>(bytes: &[u8], then: impl FnOnce(VaultFile) -> Result<T>) -> Result<T> {
        if bytes.is_empty() {
            return Err(damaged("the file is empty"));
        }
        check_version(bytes)?;
        // Debug builds check that parsing accepted only the canonical spelling,
        // once the checksum says the bytes are the ones that were written.
        let (canonical, out) = checksum::verify_while(bytes, &[Algorithm::Sha256], |body, _| {
            let file = parse_body(body)?;
            let canonical = cfg!(debug_assertions).then(|| file.to_bytes() == bytes);
            Ok((canonical, then(file)))
        })?;
        debug_assert!(
            canonical != Some(false),
            "parse accepted a non-canonical file"
        );
        out
    }
}

/// Decodes the fields of the body (every line before the checksum). The file
/// must be in its canonical form: the header exactly as `Header::to_text`
/// writes it (numbers without sign or leading zeros), each field once in its
/// place, nothing after the payload, and base64 that the strict decoder accepts
/// (canonical padding, no stray bits), so that exactly one spelling of the
/// file is valid without writing it back out to compare.
fn parse_body(body: &[u8]) -> Result<VaultFile> {
    // The payload line, the last of the body, is nearly all of a large file:
    // split it off after the short lines before it, and decode it as bytes with
    // the SIMD decoder, without a UTF-8 check or a line search over megabytes.
    // Its base64 can hold no newline, so nothing can follow it.
    let head_len = body
        .iter()
        .enumerate()
        .filter(|&(_, &b)| b == b'\n')
        .nth(LINES_BEFORE_PAYLOAD - 1)
        .map_or(body.len(), |(i, _)| i + 1);
    let (head, payload_line) = body.split_at(head_len);
    let text = std::str::from_utf8(head).map_err(|_| damaged("it is not UTF-8 text"))?;
    let mut fields = Fields::new(text);
    let file = fields.parse_head()?;
    let payload = payload_line
        .strip_prefix(b"payload = \"")
        .and_then(|rest| rest.strip_suffix(b"\"\n"))
        .ok_or_else(|| damaged("field 'payload' is missing or out of place"))?;
    let payload = decode(payload, "payload")?;
    if payload.len() < TAG_LEN {
        return Err(damaged("its payload is too short"));
    }
    if !text.starts_with(&file.header.to_text()) {
        return Err(damaged("it is not in canonical form"));
    }
    Ok(VaultFile { payload, ..file })
}

/// The comment and the ten fields before the payload.
const LINES_BEFORE_PAYLOAD: usize = 11;

/// Strict base64 (RFC 4648 with padding; the SIMD decoder refuses stray bits
/// and wrong padding, so each byte string has exactly one spelling).
fn decode(text: &[u8], name: &str) -> Result<Vec<u8>> {
    base64_simd::STANDARD
        .decode_to_vec(text)
        .map_err(|_| damaged(&format!("field '{name}' is not base64")))
}

/// Reads the version first, so that a newer file names its version rather than
/// failing its checksum or field checks.
fn check_version(bytes: &[u8]) -> Result<()> {
    match version(bytes)? {
        FORMAT_VERSION => Ok(()),
        other => Err(damaged(&format!(
            "it is format {other}, not {FORMAT_VERSION}"
        ))),
    }
}

/// The format version of a vault file: 1 or 2; damage or another version is exit 5.
pub fn version(bytes: &[u8]) -> Result<u32> {
    if bytes.is_empty() {
        return Err(damaged("the file is empty"));
    }
    let mut lines = bytes.split(|&b| b == b'\n');
    let comment = lines.next().unwrap_or_default();
    let format_line = lines.next().unwrap_or_default();
    let version = std::str::from_utf8(format_line)
        .ok()
        .and_then(|line| line.strip_prefix("format = "))
        .filter(|_| comment == COMMENT.as_bytes());
    let Some(version) = version else {
        return Err(damaged("it does not start with a vault header"));
    };
    match version.parse::<u32>() {
        Ok(v @ 1..=3) if version == v.to_string() => Ok(v),
        Ok(other) => Err(Error::corrupt(format!(
            "vault file format version {other} is not supported: this vault reads versions 1 to 3"
        ))
        .with_hint("upgrade vault to a release that reads this version")),
        Err(_) => Err(damaged("its format version is not a number")),
    }
}

/// A cursor over the `name = value` lines of the body, in their fixed order.
struct Fields<'a> {
    lines: std::str::Split<'a, char>,
}

impl<'a> Fields<'a> {
    fn new(text: &'a str) -> Fields<'a> {
        let mut lines = text.split('\n');
        lines.next(); // the comment, checked with the version
        Fields { lines }
    }

    /// The fields before the payload; the returned file's payload is empty.
    fn parse_head(&mut self) -> Result<VaultFile> {
        self.number("format")?;
        let vault_id = self.fixed("vault_id")?;
        if self.string("kdf")? != KDF_NAME {
            return Err(damaged("its key derivation function is not argon2id"));
        }
        let kdf = KdfParams {
            memory_kib: self.number("kdf_memory_kib")?,
            iterations: self.number("kdf_iterations")?,
            parallelism: self.number("kdf_parallelism")?,
        };
        kdf.check_bounds().map_err(|why| damaged(&why))?;
        let header = Header {
            vault_id,
            kdf,
            salt: self.fixed("salt")?,
        };
        let key_nonce = self.fixed("key_nonce")?;
        let wrapped_key = self.bytes("wrapped_key")?;
        if wrapped_key.len() != KEY_LEN + TAG_LEN {
            return Err(damaged("its wrapped key has the wrong length"));
        }
        let payload_nonce = self.fixed("payload_nonce")?;
        Ok(VaultFile {
            header,
            key_nonce,
            wrapped_key,
            payload_nonce,
            payload: Vec::new(),
        })
    }

    fn value(&mut self, name: &str) -> Result<&'a str> {
        let line = self.lines.next().unwrap_or_default();
        line.strip_prefix(name)
            .and_then(|rest| rest.strip_prefix(" = "))
            .ok_or_else(|| damaged(&format!("field '{name}' is missing or out of place")))
    }

    fn number(&mut self, name: &str) -> Result<u32> {
        self.value(name)?
            .parse()
            .map_err(|_| damaged(&format!("field '{name}' is not a number")))
    }

    fn string(&mut self, name: &str) -> Result<&'a str> {
        self.value(name)?
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .ok_or_else(|| damaged(&format!("field '{name}' is not a string")))
    }

    fn bytes(&mut self, name: &str) -> Result<Vec<u8>> {
        decode(self.string(name)?.as_bytes(), name)
    }

    fn fixed<const N: usize>(&mut self, name: &str) -> Result<[u8; N]> {
        self.bytes(name)?
            .try_into()
            .map_err(|_| damaged(&format!("field '{name}' has the wrong length")))
    }
}

pub fn damaged(why: &str) -> Error {
    Error::corrupt(format!("vault file is damaged or not a vault file: {why}"))
        .with_hint(RESTORE_HINT)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> VaultFile {
        VaultFile {
            header: Header {
                vault_id: [7; VAULT_ID_LEN],
                kdf: KdfParams {
                    memory_kib: 8192,
                    iterations: 1,
                    parallelism: 1,
                },
                salt: [1; SALT_LEN],
            },
            key_nonce: [2; NONCE_LEN],
            wrapped_key: vec![3; KEY_LEN + TAG_LEN],
            payload_nonce: [4; NONCE_LEN],
            payload: vec![5; 40],
        }
    }

    #[test]
    fn round_trips() {
        let file = sample();
        assert_eq!(VaultFile::parse(&file.to_bytes()).unwrap(), file);
    }

    #[test]
    fn every_single_byte_change_is_damage() {
        let bytes = sample().to_bytes();
        for i in 0..bytes.len() {
            let mut changed = bytes.clone();
            changed[i] ^= 0x01;
            let err = VaultFile::parse(&changed).unwrap_err();
            assert_eq!(err.exit_code(), 5, "byte {i}");
        }
    }

    #[test]
    fn truncation_and_extension_are_damage() {
        let bytes = sample().to_bytes();
        for len in 0..bytes.len() {
            assert_eq!(VaultFile::parse(&bytes[..len]).unwrap_err().exit_code(), 5);
        }
        let mut longer = bytes.clone();
        longer.push(b'\n');
        assert_eq!(VaultFile::parse(&longer).unwrap_err().exit_code(), 5);
    }

    #[test]
    fn hostile_kdf_parameters_are_refused_before_any_work() {
        let mut file = sample();
        file.header.kdf.memory_kib = 64 * 1024 * 1024;
        let err = VaultFile::parse(&file.to_bytes()).unwrap_err();
        assert_eq!(err.exit_code(), 5);
        assert!(err.message.contains("KDF memory"), "{}", err.message);
    }

    #[test]
    fn unknown_version_is_named() {
        let text = String::from_utf8(sample().to_bytes()).unwrap();
        let newer = text.replace("format = 1\n", "format = 9\n");
        let err = VaultFile::parse(newer.as_bytes()).unwrap_err();
        assert_eq!(err.exit_code(), 5);
        assert!(err.message.contains("version 9"), "{}", err.message);
    }
}
