//! Format 2's secret records: each secret sealed on its own under a fresh
//! record key, the record key wrapped for each key allowed to open it, the
//! line located by a keyed hash of its address; and the commitment that binds
//! the set of records together (docs/FORMAT.md, "Records").

use hmac::Mac;
use serde::{Deserialize, Serialize};

use super::crypto::{self, KEY_LEN, NONCE_LEN};
use super::format::VAULT_ID_LEN;
use super::format2::{COMMIT_LEN, File2, LOCATOR_LEN, RecordLine, WRAP_LEN, tampered};
use super::keyring::{KEY_ID_LEN, KeyEntry, Keyring};
use super::members::MemberInfo;
use super::model::{Scope, Secret, SecretId};
use super::storage::MAX_VAULT_FILE_BYTES;
use crate::error::{Error, Result};

/// A record's plaintext: its address again (checked against the locator) and the secret.
#[derive(Serialize)]
struct BodyRef<'a> {
    project: Option<&'a str>,
    environment: Option<&'a str>,
    name: &'a str,
    secret: &'a Secret,
}

#[derive(Deserialize)]
struct Body {
    project: Option<String>,
    environment: Option<String>,
    name: String,
    secret: Secret,
}

/// The sealed member list.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Meta {
    pub members: Vec<MemberInfo>,
}

/// Where the records of secrets live: HMAC-SHA256 under the index key of
/// each secret's address, cut to 16 bytes. The HMAC is keyed once: each
/// locator then costs two SHA-256 blocks instead of four, which was 14% of
/// opening 1,000 records.
#[derive(Clone)]
pub struct Locators(hmac::Hmac<sha2::Sha256>);

impl Locators {
    pub fn new(keyring: &Keyring) -> Locators {
        Locators(keyring.index_mac())
    }

    pub fn of(&self, scope: &Scope, id: &SecretId) -> [u8; LOCATOR_LEN] {
        let address = postcard::to_stdvec(&(scope.project(), id.environment.as_deref(), &id.name))
            .expect("an address always encodes");
        let mut mac = self.0.clone();
        mac.update(b"vault/locator\n");
        mac.update(&address);
        let digest = mac.finalize().into_bytes();
        digest[..LOCATOR_LEN].try_into().expect("16 of 32 bytes")
    }
}

/// The locator of one secret (`Locators` for many).
pub fn locator(keyring: &Keyring, scope: &Scope, id: &SecretId) -> [u8; LOCATOR_LEN] {
    Locators::new(keyring).of(scope, id)
}

/// The keys that may open a secret: its project's; for an org secret, the
/// shared key when every project may see it, else the org key and the key of
/// each project on its allow-list (made here if new).
fn access_keys(keyring: &mut Keyring, scope: &Scope, secret: &Secret) -> Result<Vec<KeyEntry>> {
    Ok(match scope {
        Scope::Project(project) => vec![keyring.project_key(project).clone()],
        Scope::Org if secret.allowed_projects.is_empty() => vec![keyring.shared.clone()],
        Scope::Org => {
            let mut keys = vec![keyring.org()?.clone()];
            for project in &secret.allowed_projects {
                keys.push(keyring.project_key(project).clone());
            }
            keys
        }
    })
}

fn record_aad(vault_id: &[u8; VAULT_ID_LEN], locator: &[u8]) -> Vec<u8> {
    [b"vault/record\n".as_slice(), vault_id, locator].concat()
}

fn wrap_aad(vault_id: &[u8; VAULT_ID_LEN], locator: &[u8], key_id: &[u8]) -> Vec<u8> {
    [b"vault/wrap\n".as_slice(), vault_id, locator, key_id].concat()
}

/// Seals one secret into its record line.
pub fn seal(
    keyring: &mut Keyring,
    vault_id: &[u8; VAULT_ID_LEN],
    scope: &Scope,
    id: &SecretId,
    secret: &Secret,
) -> Result<RecordLine> {
    let locator = locator(keyring, scope, id);
    let record_key = crypto::random_key();
    let mut wraps = Vec::new();
    for key in access_keys(keyring, scope, secret)? {
        let (nonce, sealed) = crypto::seal(
            &key.key,
            &wrap_aad(vault_id, &locator, &key.id),
            record_key.as_ref(),
        );
        wraps.extend_from_slice(&key.id);
        wraps.extend_from_slice(&nonce);
        wraps.extend_from_slice(&sealed);
    }
    let body = BodyRef {
        project: scope.project(),
        environment: id.environment.as_deref(),
        name: &id.name,
        secret,
    };
    let mut plaintext = zeroize::Zeroizing::new(
        postcard::to_stdvec(&body)
            .map_err(|e| Error::failure(format!("cannot encode a secret: {e}")))?,
    );
    // The file could not be read back, and its record spans are u32.
    if plaintext.len() as u64 > MAX_VAULT_FILE_BYTES {
        return Err(Error::usage(format!(
            "secret '{}' is too large: a vault file holds at most {} MiB",
            id.name,
            MAX_VAULT_FILE_BYTES >> 20
        )));
    }
    let mut buffer = std::mem::take(&mut *plaintext);
    let nonce = crypto::seal_in_place(&record_key, &record_aad(vault_id, &locator), &mut buffer);
    Ok(RecordLine::new(locator, nonce, &wraps, &buffer))
}

/// Opens one record: `None` when this keyring holds none of the keys it is
/// wrapped for; tampering (a wrap or ciphertext that fails authentication, an
/// address that does not match the locator) is exit 5.
pub fn open(
    keyring: &Keyring,
    locators: &Locators,
    vault_id: &[u8; VAULT_ID_LEN],
    line: &RecordLine,
) -> Result<OpenedRecord> {
    let (wraps, sealed) = line.parts()?;
    let Some(record_key) = unwrap_record_key(keyring, vault_id, line, &wraps)? else {
        return Ok(None);
    };
    let plaintext = crypto::open(
        &record_key,
        &line.nonce,
        &record_aad(vault_id, &line.locator),
        &sealed,
    )
    .ok_or_else(|| tampered("a record fails authentication"))?;
    let body: Body = postcard::from_bytes(&plaintext)
        .map_err(|_| tampered("a record is malformed after decryption"))?;
    let scope = Scope::from_project(body.project.as_deref());
    let id = SecretId {
        name: body.name,
        environment: body.environment,
    };
    if locators.of(&scope, &id) != line.locator {
        return Err(tampered("a record was moved from another name"));
    }
    Ok(Some((scope, id, body.secret)))
}

/// A record opened: its scope, name and secret; `None` when this keyring
/// holds none of the keys it is wrapped for.
pub type OpenedRecord = Option<(Scope, SecretId, Secret)>;

/// Opens every record of `file`, in file order, with one keyed HMAC for
/// their locators. (Opening them on two threads bought nothing measurable at
/// 1,000 records on this 2-core VM, where waking the second vCPU costs about
/// as much as it saves.)
pub fn open_all(keyring: &Keyring, file: &File2) -> Result<Vec<OpenedRecord>> {
    let locators = Locators::new(keyring);
    file.records
        .iter()
        .map(|line| open(keyring, &locators, &file.vault_id, line))
        .collect()
}

fn unwrap_record_key(
    keyring: &Keyring,
    vault_id: &[u8; VAULT_ID_LEN],
    line: &RecordLine,
    wraps: &[u8],
) -> Result<Option<crypto::Key>> {
    for wrap in wraps.chunks_exact(WRAP_LEN) {
        let (id, rest) = wrap.split_at(KEY_ID_LEN);
        let Some(key) = keyring.by_id(id) else {
            continue;
        };
        let (nonce, sealed) = rest.split_at(NONCE_LEN);
        let nonce: &[u8; NONCE_LEN] = nonce.try_into().expect("split at NONCE_LEN");
        let bytes = crypto::open(
            &key.key,
            nonce,
            &wrap_aad(vault_id, &line.locator, id),
            sealed,
        )
        .ok_or_else(|| tampered("a record key fails authentication"))?;
        return Ok(Some(
            crypto::key_from_bytes(&bytes)
                .ok_or_else(|| tampered("a record key has the wrong length"))?,
        ));
    }
    Ok(None)
}

/// The commitment: HMAC-SHA256 under the index key of the header, member
/// lines and member list, then every record's locator and nonce in order. A
/// record removed, added, reordered or replayed from an older version (whose
/// nonce differs) changes it.
pub struct Commitment {
    mac: hmac::Hmac<sha2::Sha256>,
    batch: Vec<u8>,
}

/// Records fed to the MAC at a time: 20,000 small updates cost twice the hashing itself.
const COMMIT_BATCH: usize = 256;
const COMMIT_ENTRY: usize = LOCATOR_LEN + NONCE_LEN;

impl Commitment {
    /// The commitment of `file`'s head, before any record.
    pub fn new(keyring: &Keyring, file: &File2) -> Commitment {
        let mut mac = keyring.index_mac();
        mac.update(b"vault/commit\n");
        mac.update(file.committed_head().as_bytes());
        Commitment {
            mac,
            batch: Vec::with_capacity(COMMIT_BATCH * COMMIT_ENTRY),
        }
    }

    /// The next record, in the file's order.
    pub fn add(&mut self, locator: &[u8; LOCATOR_LEN], nonce: &[u8; NONCE_LEN]) {
        self.batch.extend_from_slice(locator);
        self.batch.extend_from_slice(nonce);
        if self.batch.len() == COMMIT_BATCH * COMMIT_ENTRY {
            self.mac.update(&self.batch);
            self.batch.clear();
        }
    }

    fn finish(mut self) -> hmac::Hmac<sha2::Sha256> {
        self.mac.update(&self.batch);
        self.mac
    }

    /// Checks the commitment a file carries (in constant time).
    pub fn check(self, commit: &[u8; COMMIT_LEN]) -> Result<()> {
        self.finish()
            .verify_slice(commit)
            .map_err(|_| tampered("its records were removed, added, reordered or replayed"))
    }
}

fn commitment_of(keyring: &Keyring, file: &File2) -> Commitment {
    let mut commitment = Commitment::new(keyring, file);
    for record in &file.records {
        commitment.add(&record.locator, &record.nonce);
    }
    commitment
}

/// The commitment `file` should carry.
pub fn commitment(keyring: &Keyring, file: &File2) -> [u8; COMMIT_LEN] {
    commitment_of(keyring, file)
        .finish()
        .finalize()
        .into_bytes()
        .into()
}

/// Checks the commitment of a file read whole.
pub fn check_commitment(keyring: &Keyring, file: &File2) -> Result<()> {
    commitment_of(keyring, file).check(&file.commit)
}

fn meta_aad(vault_id: &[u8; VAULT_ID_LEN]) -> Vec<u8> {
    [b"vault/meta\n".as_slice(), vault_id].concat()
}

pub fn seal_meta(keyring: &Keyring, vault_id: &[u8; VAULT_ID_LEN], meta: &Meta) -> Result<Vec<u8>> {
    let plaintext = postcard::to_stdvec(meta)
        .map_err(|e| Error::failure(format!("cannot encode members: {e}")))?;
    let (nonce, sealed) = crypto::seal(&keyring.org()?.key, &meta_aad(vault_id), &plaintext);
    Ok([&nonce[..], &sealed].concat())
}

pub fn open_meta(keyring: &Keyring, vault_id: &[u8; VAULT_ID_LEN], sealed: &[u8]) -> Result<Meta> {
    let (nonce, ciphertext) = sealed.split_at(NONCE_LEN);
    let nonce: &[u8; NONCE_LEN] = nonce.try_into().expect("length checked at parse");
    let plaintext = crypto::open(&keyring.org()?.key, nonce, &meta_aad(vault_id), ciphertext)
        .ok_or_else(|| tampered("the member list fails authentication"))?;
    postcard::from_bytes(&plaintext).map_err(|_| tampered("the member list is malformed"))
}

const _: () = assert!(KEY_LEN == 32);
