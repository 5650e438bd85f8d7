//! One line of the trail, and the chain that links it to the line before.
//!
//! Version 2 (written since the trail became one entry per `exec`):
//!
//! ```text
//! 2.KEY_ID.BODY.TAG
//! ```
//!
//! BODY is base64 of a nonce and the entry (JSON, deflated when long) sealed with key
//! KEY_ID, its associated data holding the vault id, the key id and LINK, the
//! SHA-256 of the previous line's bytes (zeros for the first line). TAG is
//! base64 of keyed BLAKE2b, under the chain key, of the vault id, LINK and the
//! line up to its last dot. Both hash ciphertext: a reader who may open only
//! some lines still verifies, with the tags, that no line was removed, changed,
//! reordered or copied in anywhere, and, with each line it opens, that line's
//! content and place.
//!
//! Version 1 lines (older trails) are base64 of a nonce and the JSON entry
//! sealed with the data key, LINK in the associated data; they are still read,
//! and the chain runs on through a trail holding both.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use blake2::digest::Mac;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::Entry;
use super::keys::{KeyId, Mac256, TrailKeys};
use crate::vault::crypto::{self, NONCE_LEN};

/// The link to the line before; the first line links to zeros.
pub type Link = [u8; 32];

/// What the first line of a trail links to.
pub const FIRST: Link = [0; 32];

/// Entries of this many bytes of JSON or more are deflated.
const DEFLATE_FROM: usize = 1024;

/// A sealed entry inflates to at most this (far more than any real one).
const MAX_ENTRY_BYTES: usize = 64 << 20;

/// The link a line passes to the next: the SHA-256 of its bytes, or for a
/// segment header the link it carries on from its archive.
pub fn link_after(line: &str) -> Link {
    match parse_header(line) {
        Some((_, link)) => link,
        None => Sha256::digest(line.as_bytes()).into(),
    }
}

/// The first line of a trail that continues archive `number`, whose last
/// line's link is `link`: `continues N HEX`. It needs no seal: the next
/// line's associated data and tag hold the link, so a forged one is caught
/// there, and archive N's last line must hash to it.
pub fn header(number: u32, link: &Link) -> String {
    format!("continues {number} {}", crypto::hex(link))
}

pub fn parse_header(line: &str) -> Option<(u32, Link)> {
    let rest = line.strip_prefix("continues ")?;
    let (number, hex) = rest.split_once(' ')?;
    let mut link = [0; 32];
    if hex.len() != 64 {
        return None;
    }
    for (i, byte) in link.iter_mut().enumerate() {
        *byte = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some((number.parse().ok()?, link))
}

/// What a line holds for this reader.
pub enum Opened {
    Entry(Entry),
    /// Sealed with a key this reader does not hold; its linkage was verified.
    Hidden,
}

/// Seals `entry` as a version-2 line (no newline) following the line `previous` links to.
pub fn seal(keys: &dyn TrailKeys, vault_id: &[u8], previous: &Link, entry: &Entry) -> String {
    let (id, key) = keys.sealing(entry);
    let json = zeroize::Zeroizing::new(
        serde_json::to_vec(&Stored::from(entry)).expect("entries serialise"),
    );
    // Deflate only pays for long entries (an exec of many secrets): its
    // compressor's tables would cost a short entry more than they save. Level
    // 1: secret names are repetitive enough that the fastest level already
    // gets what level 6 gets (2.1 KB for 1,000 names), in half the time.
    let plaintext = match json.len() < DEFLATE_FROM {
        true => zeroize::Zeroizing::new([b"j".as_slice(), &json].concat()),
        false => zeroize::Zeroizing::new(
            [
                b"z".as_slice(),
                &miniz_oxide::deflate::compress_to_vec(&json, 1),
            ]
            .concat(),
        ),
    };
    let (nonce, sealed) = crypto::seal(key, &aad(vault_id, previous, id), &plaintext);
    let mut line = format!(
        "2.{id}.{}",
        B64.encode([nonce.as_slice(), &sealed].concat())
    );
    let tag = tag(keys, vault_id, previous, &line);
    line.push('.');
    line.push_str(&B64.encode(tag));
    line
}

/// Opens one line, checking it follows the line `previous` links to; the
/// error says what is wrong, without any of the line's content.
pub fn open(
    keys: &dyn TrailKeys,
    vault_id: &[u8],
    previous: &Link,
    line: &str,
) -> Result<Opened, &'static str> {
    let Some(rest) = line.strip_prefix("2.") else {
        return open_v1(keys, vault_id, previous, line);
    };
    let (signed, tag_b64) = line.rsplit_once('.').ok_or("is not a trail line")?;
    let expected = B64.decode(tag_b64).map_err(|_| "is not a trail line")?;
    chain_mac(keys, vault_id, previous, signed)
        .verify_slice(&expected)
        .map_err(|_| "breaks the chain")?;
    let (id, body) = rest[..signed.len() - 2]
        .split_once('.')
        .ok_or("is not a trail line")?;
    let id: KeyId = id.parse().map_err(|_| "is not a trail line")?;
    let Some(key) = keys.opening(id) else {
        return Ok(Opened::Hidden);
    };
    let bytes = B64.decode(body).map_err(|_| "is not a trail line")?;
    let plaintext =
        open_sealed(key, &aad(vault_id, previous, id), &bytes).ok_or("fails authentication")?;
    let json = match plaintext.split_first() {
        Some((b'j', json)) => json.to_vec(),
        Some((b'z', deflated)) => {
            miniz_oxide::inflate::decompress_to_vec_with_limit(deflated, MAX_ENTRY_BYTES)
                .map_err(|_| "holds an entry that does not inflate")?
        }
        _ => return Err("holds no entry"),
    };
    let stored: Stored = serde_json::from_slice(&json).map_err(|_| "holds no entry")?;
    Ok(Opened::Entry(stored.into()))
}

fn open_v1(
    keys: &dyn TrailKeys,
    vault_id: &[u8],
    previous: &Link,
    line: &str,
) -> Result<Opened, &'static str> {
    let fails = "fails authentication";
    let key = keys.opening(0).ok_or(fails)?;
    let bytes = B64.decode(line).map_err(|_| fails)?;
    let aad = [b"vault/audit\n".as_slice(), vault_id, previous].concat();
    let json = open_sealed(key, &aad, &bytes).ok_or(fails)?;
    serde_json::from_slice(&json)
        .map(Opened::Entry)
        .map_err(|_| fails)
}

fn open_sealed(key: &crypto::Key, aad: &[u8], bytes: &[u8]) -> Option<zeroize::Zeroizing<Vec<u8>>> {
    if bytes.len() < NONCE_LEN {
        return None;
    }
    let (nonce, sealed) = bytes.split_at(NONCE_LEN);
    crypto::open(key, nonce.try_into().ok()?, aad, sealed)
}

fn aad(vault_id: &[u8], previous: &Link, id: KeyId) -> Vec<u8> {
    [
        b"vault/audit/2\n".as_slice(),
        vault_id,
        previous,
        &id.to_be_bytes(),
    ]
    .concat()
}

fn chain_mac(keys: &dyn TrailKeys, vault_id: &[u8], previous: &Link, signed: &str) -> Mac256 {
    let mut mac = <Mac256 as Mac>::new_from_slice(keys.chain().as_slice()).expect("32-byte keys");
    mac.update(b"vault/audit/2 chain\n");
    mac.update(vault_id);
    mac.update(previous);
    mac.update(signed.as_bytes());
    mac
}

fn tag(keys: &dyn TrailKeys, vault_id: &[u8], previous: &Link, signed: &str) -> [u8; 32] {
    chain_mac(keys, vault_id, previous, signed)
        .finalize()
        .into_bytes()
        .into()
}

/// An entry as sealed: the secrets an `exec` read are grouped by scope and
/// sorted, so that the names of 1,000 secrets deflate to a few KB.
#[derive(Serialize, Deserialize)]
struct Stored {
    at: String,
    by: String,
    action: String,
    scope: Option<String>,
    project: Option<String>,
    secret: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    environment: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    reads: Vec<Group>,
}

#[derive(Serialize, Deserialize)]
struct Group {
    scope: String,
    project: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    environment: Option<String>,
    names: Vec<String>,
}

impl From<&Entry> for Stored {
    fn from(entry: &Entry) -> Stored {
        let mut reads: Vec<Group> = Vec::new();
        for target in entry.secrets.iter().flatten() {
            let group = match reads.iter_mut().position(|g| {
                g.scope == target.scope
                    && g.project == target.project
                    && g.environment == target.environment
            }) {
                Some(at) => &mut reads[at],
                None => {
                    reads.push(Group {
                        scope: target.scope.clone(),
                        project: target.project.clone(),
                        environment: target.environment.clone(),
                        names: Vec::new(),
                    });
                    reads.last_mut().expect("just pushed")
                }
            };
            group.names.push(target.secret.clone());
        }
        for group in &mut reads {
            group.names.sort_unstable();
        }
        Stored {
            at: entry.at.clone(),
            by: entry.by.clone(),
            action: entry.action.clone(),
            scope: entry.scope.clone(),
            project: entry.project.clone(),
            secret: entry.secret.clone(),
            environment: entry.environment.clone(),
            reads,
        }
    }
}

impl From<Stored> for Entry {
    fn from(stored: Stored) -> Entry {
        let secrets = (!stored.reads.is_empty()).then(|| {
            stored
                .reads
                .into_iter()
                .flat_map(|group| {
                    let (scope, project, environment) =
                        (group.scope, group.project, group.environment);
                    group.names.into_iter().map(move |secret| super::Target {
                        scope: scope.clone(),
                        project: project.clone(),
                        environment: environment.clone(),
                        secret,
                    })
                })
                .collect()
        });
        Entry {
            at: stored.at,
            by: stored.by,
            action: stored.action,
            scope: stored.scope,
            project: stored.project,
            secret: stored.secret,
            environment: stored.environment,
            secrets,
        }
    }
}
