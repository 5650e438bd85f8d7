//! The vault: its model, file format, cryptography and storage, and the
//! `Vault` handle that opens it for reading or for a locked read-modify-write.

pub mod actor;
pub mod changes;
pub mod crypto;
pub mod format;
pub mod legacy;
pub mod model;
pub mod raw;
pub mod storage;
pub mod validate;

use std::collections::BTreeMap;

use zeroize::Zeroizing;

use crate::audit;
use crate::error::{Error, Result};
use crate::secret::SecretString;
use crate::session;
use crypto::{KdfParams, Key};
use format::{Header, VaultFile};
use model::{Payload, Scope, SecretId};
use storage::Store;

/// What unlocks the vault: a session token from `vault unlock`, or the passphrase.
pub enum KeySource {
    Session(SecretString),
    Passphrase(SecretString),
}

/// A vault file together with the means to unlock it.
pub struct Vault {
    pub store: Store,
    source: KeySource,
    /// The data key, remembered with the wrapped key it came from, so that a
    /// write pays for Argon2 once and outside the lock.
    cached: Option<Unlocked>,
}

struct Unlocked {
    wrapped_key: Vec<u8>,
    vault_id: [u8; format::VAULT_ID_LEN],
    key: Key,
}

/// A decrypted vault.
pub struct Opened {
    /// The file's header and wrapped key; its payload, decrypted where it lay,
    /// is left empty.
    pub file: VaultFile,
    pub key: Key,
    pub payload: Payload,
}

impl Vault {
    pub fn new(store: Store, source: KeySource) -> Vault {
        Vault {
            store,
            source,
            cached: None,
        }
    }

    /// Creates a new, empty vault file.
    pub fn init(store: &Store, passphrase: &SecretString, kdf: KdfParams) -> Result<()> {
        kdf.check_bounds().map_err(Error::usage)?;
        store.create_dir()?;
        let lock = store.lock()?;
        if store.exists() {
            return Err(store.already_exists());
        }
        let header = Header {
            vault_id: crypto::random_bytes(),
            kdf,
            salt: crypto::random_bytes(),
        };
        let data_key = crypto::random_key();
        let file = wrap_key(header, &data_key, passphrase)?;
        let file = seal_payload(file, &data_key, &Payload::default())?;
        store.create(&lock, &file.to_bytes())
    }

    /// Reads and decrypts the vault without taking the write lock: writes are
    /// atomic renames, so a reader always sees a whole file.
    pub fn open(&mut self) -> Result<Opened> {
        self.open_with(decode_payload)
    }

    /// Like `open`, but decodes only the secrets that resolving `names` for
    /// `project` can reach (`Payload::resolve` gives the same answers as on the
    /// whole payload); with `None`, every secret. The payload still
    /// authenticates as a whole: only the decoding is left out, which is most of
    /// the time a large vault takes to open.
    pub fn open_resolving(
        &mut self,
        project: Option<&str>,
        names: Option<&[String]>,
    ) -> Result<Opened> {
        let Some(names) = names else {
            return self.open();
        };
        self.open_with(|plaintext| {
            raw::RawPayload::parse(plaintext)
                .ok_or_else(raw::malformed)?
                .resolving(project, names)
        })
    }

    /// Reads, checks and decrypts the file, and decodes the payload's plaintext
    /// with `decode`. With a session (or a key already derived) the checksum is
    /// checked while the file is decoded and decrypted; with a passphrase it is
    /// checked first, so that a damaged file costs no key derivation.
    fn open_with(&mut self, decode: impl FnOnce(&[u8]) -> Result<Payload>) -> Result<Opened> {
        let (file, key, payload) = self.read_with(decode)?;
        Ok(Opened { file, key, payload })
    }

    /// Reads and decrypts the vault, and hands `read` an index of its secrets
    /// to decode one at a time (a long listing need not hold them all).
    pub fn read_raw<T>(&mut self, read: impl FnOnce(&raw::RawPayload) -> Result<T>) -> Result<T> {
        let (_, _, out) = self.read_with(|plaintext| {
            read(&raw::RawPayload::parse(plaintext).ok_or_else(raw::malformed)?)
        })?;
        Ok(out)
    }

    fn read_with<T>(
        &mut self,
        decode: impl FnOnce(&[u8]) -> Result<T>,
    ) -> Result<(VaultFile, Key, T)> {
        let bytes = self.store.read()?;
        let open = |vault: &mut Vault, mut file: VaultFile| {
            let key = vault.data_key(&file)?;
            let plaintext = decrypt_payload_in_place(&mut file, &key)?;
            let out = decode(&plaintext)?;
            Ok((file, key, out))
        };
        let overlap = matches!(self.source, KeySource::Session(_)) || self.cached.is_some();
        let opened = if overlap {
            VaultFile::parse_then(&bytes, |file| open(self, file))
        } else {
            VaultFile::parse(&bytes).and_then(|file| open(self, file))
        };
        opened.map_err(|err| name_backup(&self.store, err))
    }

    /// Applies `change` to the payload under the write lock and saves the result.
    /// If `change` fails, nothing is written.
    pub fn modify<T>(&mut self, change: impl FnOnce(&mut Payload) -> Result<T>) -> Result<T> {
        self.rewrite(|opened| {
            let out = change(&mut opened.payload)?;
            Ok((opened.file.without_payload(), out))
        })
    }

    /// `modify` for changes to a few secrets, named by exact scope: `change` sees
    /// a payload holding only those of them that exist, and may change, add or
    /// remove those and no others. The other secrets are neither decoded nor
    /// re-encoded: their bytes are copied into the new payload as they were.
    pub fn modify_secrets<T>(
        &mut self,
        keys: &[(Scope, SecretId)],
        change: impl FnOnce(&mut Payload) -> Result<T>,
    ) -> Result<T> {
        self.derive_key_outside_lock()?;
        let lock = self.store.lock()?;
        let bytes = self.store.read()?;
        let (file, key, plaintext) = VaultFile::parse_then(&bytes, |mut file| {
            let key = self.data_key(&file)?;
            let plaintext = decrypt_payload_in_place(&mut file, &key)?;
            Ok((file, key, plaintext))
        })
        .map_err(|err| name_backup(&self.store, err))?;
        drop(bytes);
        let raw = raw::RawPayload::parse(&plaintext).ok_or_else(raw::malformed)?;
        let mut payload = raw.subset(keys.iter().map(|(scope, id)| (scope, id)))?;
        let out = change(&mut payload)?;
        let mut changed = BTreeMap::new();
        for (scope, id) in keys {
            let secret = payload.scope(scope).and_then(|secrets| secrets.get(id));
            let bytes = secret.map(raw::encode).transpose()?.map(Zeroizing::new);
            changed.insert((scope.clone(), raw::v1_name(id)?), bytes);
        }
        let touched =
            payload.org.len() + payload.projects.values().map(BTreeMap::len).sum::<usize>();
        if touched != changed.values().flatten().count() {
            return Err(Error::failure(
                "internal error: a change touched a secret it did not name",
            ));
        }
        let spliced = Zeroizing::new(raw.splice(&changed));
        // The old plaintext is not needed any more: free it before sealing.
        drop(raw);
        drop(plaintext);
        let sealed = seal_plaintext(file.without_payload(), &key, spliced);
        self.store.replace(&lock, &sealed.to_bytes())?;
        Ok(out)
    }

    /// Wraps the data key under a new passphrase (and new salt and parameters).
    pub fn change_passphrase(&mut self, new: &SecretString, kdf: KdfParams) -> Result<()> {
        self.rewrite(|opened| {
            let header = Header {
                vault_id: opened.file.header.vault_id,
                kdf,
                salt: crypto::random_bytes(),
            };
            Ok((wrap_key(header, &opened.key, new)?, ()))
        })?;
        self.source = KeySource::Passphrase(new.clone());
        self.cached = None;
        Ok(())
    }

    /// The locked read-modify-write: `change` returns the file to seal the
    /// (possibly changed) payload into, and a result for the caller.
    fn rewrite<T>(
        &mut self,
        change: impl FnOnce(&mut Opened) -> Result<(VaultFile, T)>,
    ) -> Result<T> {
        self.derive_key_outside_lock()?;
        let lock = self.store.lock()?;
        let mut opened = self.open()?;
        let (file, out) = change(&mut opened)?;
        let sealed = seal_payload(file, &opened.key, &opened.payload)?;
        self.store.replace(&lock, &sealed.to_bytes())?;
        Ok(out)
    }

    /// With a passphrase, pays for Argon2 before a write takes the lock, not while
    /// holding it.
    fn derive_key_outside_lock(&mut self) -> Result<()> {
        if matches!(self.source, KeySource::Passphrase(_)) {
            let file = read_file(&self.store)?;
            self.data_key(&file)?;
        }
        Ok(())
    }

    /// The data key of `file`, from the session or by unwrapping it with the passphrase.
    pub fn data_key(&mut self, file: &VaultFile) -> Result<Key> {
        if let Some(cached) = &self.cached
            && cached.wrapped_key == file.wrapped_key
            && cached.vault_id == file.header.vault_id
        {
            return Ok(cached.key.clone());
        }
        let key = match &self.source {
            KeySource::Session(token) => {
                session::open(token, &file.header.vault_id, &file.key_binding())?
            }
            KeySource::Passphrase(passphrase) => unwrap_key(file, passphrase)?,
        };
        self.cached = Some(Unlocked {
            wrapped_key: file.wrapped_key.clone(),
            vault_id: file.header.vault_id,
            key: key.clone(),
        });
        Ok(key)
    }

    /// Appends to the audit trail with the key this vault was last opened with.
    pub fn record(&self, entries: &[audit::Entry]) -> Result<()> {
        self.record_with(entries, audit::Durability::Synced)
    }

    /// `record`, choosing whether to wait for the disk (see `audit::Durability`).
    pub fn record_with(
        &self,
        entries: &[audit::Entry],
        durability: audit::Durability,
    ) -> Result<()> {
        let cached = self
            .cached
            .as_ref()
            .ok_or_else(|| Error::failure("the vault must be opened before recording"))?;
        audit::append_with(
            &self.store.audit_path(),
            &cached.vault_id,
            &cached.key,
            entries,
            durability,
        )
    }

    /// Reads the audit trail (the vault must have been opened).
    pub fn audit_trail(&self) -> Result<Vec<audit::Entry>> {
        let cached = self
            .cached
            .as_ref()
            .ok_or_else(|| Error::failure("the vault must be opened before reading its log"))?;
        audit::read(&self.store.audit_path(), &cached.vault_id, &cached.key)
    }
}

/// Reads and parses the vault file; damage names the backup to restore from.
pub fn read_file(store: &Store) -> Result<VaultFile> {
    VaultFile::parse(&store.read()?).map_err(|err| name_backup(store, err))
}

fn name_backup(store: &Store, mut err: Error) -> Error {
    if err.hint.as_deref() == Some(format::RESTORE_HINT) {
        err.hint = Some(format!(
            "restore the previous version from {}",
            store.backup_path().display()
        ));
    }
    err
}

/// Seals `data_key` under a key derived from `passphrase`; the payload fields
/// are left empty for `seal_payload` to fill.
fn wrap_key(header: Header, data_key: &Key, passphrase: &SecretString) -> Result<VaultFile> {
    let kek = crypto::derive_key(passphrase.expose().as_bytes(), &header.salt, header.kdf)?;
    let (key_nonce, wrapped_key) = crypto::seal(&kek, &header.aad("key"), data_key.as_ref());
    Ok(VaultFile {
        header,
        key_nonce,
        wrapped_key,
        payload_nonce: [0; crypto::NONCE_LEN],
        payload: Vec::new(),
    })
}

fn unwrap_key(file: &VaultFile, passphrase: &SecretString) -> Result<Key> {
    let header = &file.header;
    let kek = crypto::derive_key(passphrase.expose().as_bytes(), &header.salt, header.kdf)?;
    let aad = header.aad("key");
    crypto::open(&kek, &file.key_nonce, &aad, &file.wrapped_key)
        .and_then(|bytes| crypto::key_from_bytes(&bytes))
        .ok_or_else(|| {
            Error::auth("wrong passphrase")
                .with_hint("check VAULT_PASSPHRASE, VAULT_PASSPHRASE_FILE or --passphrase-file")
        })
}

/// Serialises and seals the payload under a fresh nonce.
pub fn seal_payload(file: VaultFile, key: &Key, payload: &Payload) -> Result<VaultFile> {
    let v1 = legacy::V1Payload::try_from(payload)?;
    let plaintext = Zeroizing::new(
        postcard::to_stdvec(&v1)
            .map_err(|e| Error::failure(format!("cannot serialise the vault: {e}")))?,
    );
    Ok(seal_plaintext(file, key, plaintext))
}

/// Seals a serialised payload under a fresh nonce, encrypting it where it lies.
fn seal_plaintext(mut file: VaultFile, key: &Key, mut plaintext: Zeroizing<Vec<u8>>) -> VaultFile {
    // Once sealed in place, the buffer holds ciphertext: no longer a secret.
    let mut buffer = std::mem::take(&mut *plaintext);
    file.payload_nonce = crypto::seal_in_place(key, &file.header.aad("payload"), &mut buffer);
    file.payload = buffer;
    file
}

/// Decrypts the payload. The checksum already ruled out accidental damage, so a
/// failure here means deliberate tampering or a key from another vault.
pub fn open_payload(file: &VaultFile, key: &Key) -> Result<Payload> {
    decode_payload(&decrypt_payload(file, key)?)
}

/// Decodes format 1's payload plaintext into the current model.
fn decode_payload(plaintext: &[u8]) -> Result<Payload> {
    postcard::from_bytes::<legacy::V1Payload>(plaintext)
        .map(Payload::from)
        .map_err(|_| raw::malformed())
}

/// The payload's plaintext, authenticated.
fn decrypt_payload(file: &VaultFile, key: &Key) -> Result<Zeroizing<Vec<u8>>> {
    let aad = file.header.aad("payload");
    crypto::open(key, &file.payload_nonce, &aad, &file.payload).ok_or_else(tampered)
}

/// The payload's plaintext, authenticated and decrypted where the ciphertext
/// was: the file's payload is moved out, so no second buffer of its size is made.
fn decrypt_payload_in_place(file: &mut VaultFile, key: &Key) -> Result<Zeroizing<Vec<u8>>> {
    let aad = file.header.aad("payload");
    let mut buffer = Zeroizing::new(std::mem::take(&mut file.payload));
    if !crypto::open_in_place(key, &file.payload_nonce, &aad, &mut buffer) {
        file.payload = std::mem::take(&mut *buffer);
        return Err(tampered());
    }
    Ok(buffer)
}

fn tampered() -> Error {
    Error::corrupt("vault file has been tampered with: its contents fail authentication")
        .with_hint(format::RESTORE_HINT)
}
