//! The vault: its model, file formats, cryptography and storage, and the
//! `Vault` handle that opens it for reading or for a locked read-modify-write.
//! This is the floor of the crate: it imports nothing above it. The key that
//! opens a vault comes in from above as a `KeySource`.

pub mod actor;
pub mod changes;
pub mod checksum;
pub mod crypto;
pub mod duration;
pub mod format;
pub mod format2;
pub mod glob;
pub mod keyring;
pub mod legacy;
mod lookup;
pub mod members;
pub mod model;
mod record_heads;
pub mod records;
pub mod rotation;
pub mod storage;
pub mod validate;
pub mod versions;
mod write2;

use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::secret::SecretString;
use crypto::{KdfParams, Key};
use format::{VAULT_ID_LEN, VaultFile};
use format2::{EPOCH_LEN, File2};
use keyring::{Grant, Keyring, project_member_denied};
use members::{MemberInfo, MemberKind};
use model::{Payload, Scope, SecretId};
use storage::Store;
pub use write2::Draft;

/// Opens a session made by `vault unlock` (implemented above, by `session`):
/// the secret it holds, if the session belongs to `vault_id`, was made for
/// `binding` (format 2: the file's epoch) and has neither expired nor ended.
pub trait SessionKeys {
    fn open(&self, vault_id: &[u8; VAULT_ID_LEN], binding: &[u8]) -> Result<Zeroizing<Vec<u8>>>;
}

/// What a session keeps: the vault id, what it is bound to, and its secret.
pub type SessionMaterial = ([u8; VAULT_ID_LEN], Vec<u8>, Zeroizing<Vec<u8>>);

/// What unlocks the vault.
pub enum KeySource {
    Session(Box<dyn SessionKeys>),
    Passphrase(SecretString),
    /// Age or SSH identities; `origin` names where they came from, for errors.
    Identities {
        identities: Vec<Box<dyn age::Identity>>,
        origin: String,
    },
}

/// A vault file together with the means to unlock it.
pub struct Vault {
    pub store: Store,
    source: KeySource,
    unlocked: Option<Unlocked>,
    /// The file `unlock` read, for the read that follows it in the same
    /// command: a large vault is read, hashed and parsed once, not twice.
    read_ahead: Option<Loaded>,
    /// The file whose member lines `unlock_if_member` found a grant in, not
    /// yet checked: the read that follows checks and parses it.
    unchecked: Option<storage::FileBytes>,
}

/// The keys found by the last open, kept so that a write pays for Argon2
/// once and outside the lock.
enum Unlocked {
    V1 {
        vault_id: [u8; VAULT_ID_LEN],
        binding: Vec<u8>,
        key: Key,
    },
    V2 {
        vault_id: [u8; VAULT_ID_LEN],
        /// The member line's grant it was opened from.
        grant_bytes: Vec<u8>,
        grant: Box<Grant>,
        /// The passphrase member's identity, for `vault unlock` to keep in a session.
        session_secret: Option<SecretString>,
    },
}

/// A decrypted vault (for a project member, only what it may read).
pub struct Opened {
    pub payload: Payload,
}

/// Who opened the vault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    pub member: Option<String>,
    /// `None` for a full member (and for format 1, which has only its passphrase).
    pub projects: Option<Vec<String>>,
}

enum Loaded {
    V1(VaultFile),
    V2(File2),
}

impl Vault {
    pub fn new(store: Store, source: KeySource) -> Vault {
        Vault {
            store,
            source,
            unlocked: None,
            read_ahead: None,
            unchecked: None,
        }
    }

    /// Creates a new vault whose one member is the passphrase.
    pub fn init(store: &Store, passphrase: &SecretString, kdf: KdfParams) -> Result<()> {
        kdf.check_bounds().map_err(Error::usage)?;
        let vault_id = crypto::random_bytes();
        let (lock, recipient) = members::passphrase_member(passphrase, kdf, &vault_id)?;
        let info = new_member("passphrase", MemberKind::Passphrase, recipient, None);
        let file = Draft::new_vault(vault_id, info, Some(lock), Keyring::generate([]))?;
        create(store, &file)
    }

    /// Creates a new vault whose one member is `name` holding `recipient`.
    pub fn init_with_recipient(store: &Store, name: &str, recipient: &str) -> Result<()> {
        let (kind, recipient) = members::parse_recipient(recipient)?;
        let info = new_member(name, kind, recipient, None);
        let file = Draft::new_vault(crypto::random_bytes(), info, None, Keyring::generate([]))?;
        create(store, &file)
    }

    fn load(&self) -> Result<Loaded> {
        self.parse(self.store.read()?)
    }

    fn parse(&self, bytes: storage::FileBytes) -> Result<Loaded> {
        let loaded = match format::version(&bytes) {
            Ok(1) => VaultFile::parse(&bytes).map(Loaded::V1),
            Ok(_) => File2::parse(bytes).map(Loaded::V2),
            Err(err) => Err(err),
        };
        loaded.map_err(|err| name_backup(&self.store, err))
    }

    /// Reads and decrypts the vault without taking the write lock: writes are
    /// atomic renames, so a reader always sees a whole file.
    pub fn open(&mut self) -> Result<Opened> {
        let payload = match self.load_for_reading()? {
            Loaded::V1(file) => self.open_v1(&file)?,
            Loaded::V2(file) => self.open_v2(&file)?,
        };
        Ok(Opened { payload })
    }

    fn open_v1(&mut self, file: &VaultFile) -> Result<Payload> {
        let key = self.v1_key(file)?;
        let plaintext = open_v1_payload(file, &key)?;
        decode_v1(&plaintext)
    }

    fn open_v2(&mut self, file: &File2) -> Result<Payload> {
        let grant = self.grant(file)?;
        let keyring = &grant.keyring;
        records::check_commitment(keyring, file)?;
        let mut payload = Payload::default();
        for record in records::open_all(keyring, file)? {
            match record {
                Some((scope, id, secret)) => {
                    payload.scope_mut(&scope).insert(id, secret);
                }
                None if keyring.is_full() => {
                    return Err(format2::tampered(
                        "a record is sealed under no key of this vault",
                    ));
                }
                None => {}
            }
        }
        Ok(payload)
    }

    /// Like `open`, but decrypts only the secrets that resolving `names` for
    /// the project in `environment` can reach (`Payload::resolve` gives the
    /// same answers as on the whole payload); with `None`, every secret.
    /// `restrict` picks the project once it is known who opened the vault;
    /// the project it picked is returned with the secrets. In format 2 each
    /// secret is its own record: the others stay sealed, and a file not read
    /// yet is read in one pass that keeps only the records these names can
    /// reach (`lookup`).
    pub fn open_resolving(
        &mut self,
        restrict: impl FnOnce(&Access) -> Result<Option<String>>,
        environment: Option<&str>,
        names: Option<&[String]>,
    ) -> Result<(Option<String>, Opened)> {
        let Some(names) = names else {
            let project = restrict(&self.unlock()?)?;
            return Ok((project, self.open()?));
        };
        let (grant, project, file, found) = match self.read_ahead.take() {
            None => {
                let bytes = self.read_unless_kept()?;
                if !format::version(&bytes).is_ok_and(|version| version >= 2) {
                    let loaded = self.parse(bytes)?;
                    self.unlock_loaded(loaded)?;
                    return self.open_resolving(restrict, environment, Some(names));
                }
                self.select(bytes, restrict, environment, names)?
            }
            Some(Loaded::V1(file)) => {
                let project = restrict(&self.access().expect("unlocked"))?;
                let payload = self.open_v1(&file)?;
                return Ok((project, Opened { payload }));
            }
            Some(Loaded::V2(mut file)) => {
                let grant = self.grant(&file)?;
                let project = restrict(&self.access().expect("just opened"))?;
                records::check_commitment(&grant.keyring, &file)?;
                let found = lookup::Found::new(std::mem::take(&mut file.records));
                (grant, project, file, found)
            }
        };
        let payload = lookup::resolve(
            &grant.keyring,
            &file.vault_id,
            &found,
            (project.as_deref(), environment),
            names,
        )?;
        Ok((project, Opened { payload }))
    }

    /// A format 2 file read in one pass for `open_resolving`: its head gives
    /// the grant, the grant the locators of the records to keep.
    fn select(
        &mut self,
        bytes: storage::FileBytes,
        restrict: impl FnOnce(&Access) -> Result<Option<String>>,
        environment: Option<&str>,
        names: &[String],
    ) -> Result<(Grant, Option<String>, File2, lookup::Found)> {
        let mut chosen = None;
        let parsed = File2::parse_selecting(bytes, |head| {
            let grant = self.grant(head)?;
            let project = restrict(&self.access().expect("just opened"))?;
            let locators = records::Locators::new(&grant.keyring);
            let wanted = lookup::wanted(&locators, project.as_deref(), environment, names);
            let selection = lookup::Selection::new(&grant.keyring, head, wanted);
            chosen = Some((grant, project));
            Ok(selection)
        });
        let (file, selection) = parsed.map_err(|err| name_backup(&self.store, err))?;
        let (grant, project) = chosen.expect("a parse that succeeded has selected");
        let found = selection.finish(&file)?;
        Ok((grant, project, file, found))
    }

    /// Applies `change` to the payload under the write lock and saves the result.
    /// If `change` fails, nothing is written. Only the secrets that changed are
    /// sealed again.
    pub fn modify<T>(&mut self, change: impl FnOnce(&mut Payload) -> Result<T>) -> Result<T> {
        self.write(|_, draft| {
            let before = draft.payload()?;
            let mut after = before.clone();
            let out = change(&mut after)?;
            draft.apply_diff(&before, &after)?;
            Ok(out)
        })
    }

    /// `modify` for changes to a few secrets, named by exact scope: `change` sees
    /// a payload holding only those of them that exist, and may change, add or
    /// remove those and no others. The other records are neither decrypted nor
    /// sealed again: their lines are copied as they were.
    pub fn modify_secrets<T>(
        &mut self,
        keys: &[(Scope, SecretId)],
        change: impl FnOnce(&mut Payload) -> Result<T>,
    ) -> Result<T> {
        self.write(|_, draft| {
            let before = draft.subset(keys)?;
            let mut after = before.clone();
            let out = change(&mut after)?;
            let touched = after.all().len();
            let named = keys
                .iter()
                .filter(|(scope, id)| after.scope(scope).is_some_and(|s| s.contains_key(id)))
                .count();
            if touched != named {
                return Err(Error::failure(
                    "internal error: a change touched a secret it did not name",
                ));
            }
            draft.apply_diff(&before, &after)?;
            Ok(out)
        })
    }

    /// The locked read-modify-write of a format 2 file: a format 1 file is
    /// converted first (which needs its passphrase). `change` edits the draft;
    /// if it fails, nothing is written.
    fn write<T>(&mut self, change: impl FnOnce(&mut Vault, &mut Draft) -> Result<T>) -> Result<T> {
        self.unlock_outside_lock()?;
        self.read_ahead = None;
        self.unchecked = None;
        let lock = self.store.lock()?;
        let file = match self.load()? {
            Loaded::V2(file) => file,
            Loaded::V1(old) => self.upgraded(&old)?,
        };
        let grant = self.grant(&file)?;
        if !grant.keyring.is_full() {
            return Err(project_member_denied());
        }
        records::check_commitment(&grant.keyring, &file)?;
        let mut draft = Draft::open(file, grant)?;
        let out = change(self, &mut draft)?;
        let epoch_changed = draft.epoch_changed();
        let keyring = draft.keyring().clone();
        let file = draft.finish()?;
        self.store.replace(&lock, &file.to_bytes())?;
        match &mut self.unlocked {
            _ if epoch_changed => self.unlocked = None,
            // The keys of projects this write made seal its trail entries.
            Some(Unlocked::V2 { grant, .. }) => grant.keyring = keyring,
            _ => {}
        }
        Ok(out)
    }

    /// A format 1 file in format 2: a passphrase member with the file's Argon2
    /// parameters, the audit trail's key kept, every secret a record.
    fn upgraded(&mut self, old: &VaultFile) -> Result<File2> {
        let KeySource::Passphrase(passphrase) = &self.source else {
            return Err(Error::auth(
                "this vault is in format 1: converting it to format 2 needs its passphrase, not a session",
            )
            .with_hint("run `vault upgrade` with VAULT_PASSPHRASE or on a terminal"));
        };
        let passphrase = passphrase.clone();
        let payload = self.open_v1(old)?;
        let Some(Unlocked::V1 { key, .. }) = &self.unlocked else {
            unreachable!("open_v1 leaves the data key")
        };
        let mut keyring = Keyring::generate(payload.projects.keys());
        // The trail was sealed with the data key: keep it readable.
        keyring.audit.key = **key;
        let vault_id = old.header.vault_id;
        let (lock, recipient) = members::passphrase_member(&passphrase, old.header.kdf, &vault_id)?;
        let info = new_member("passphrase", MemberKind::Passphrase, recipient, None);
        let file = Draft::new_vault(vault_id, info, Some(lock), keyring)?;
        let grant = self.grant(&file)?;
        let mut draft = Draft::open(file, grant)?;
        draft.apply_diff(&Payload::default(), &payload)?;
        draft.finish()
    }

    /// Rewrites a vault of format 1 or 2 in format 3 (the old file kept as
    /// `.bak`); `false`, with nothing written, when it is current already.
    pub fn upgrade(&mut self) -> Result<bool> {
        if let Loaded::V2(file) = self.load()?
            && file.version == format2::FORMAT_VERSION
        {
            self.grant(&file)?;
            return Ok(false);
        }
        self.write(|_, _| Ok(()))?;
        Ok(true)
    }

    /// With a passphrase, pays for Argon2 before a write takes the lock, not
    /// while holding it.
    fn unlock_outside_lock(&mut self) -> Result<()> {
        if matches!(self.source, KeySource::Passphrase(_)) {
            match self.load()? {
                Loaded::V1(file) => drop(self.v1_key(&file)?),
                Loaded::V2(file) => drop(self.grant(&file)?),
            }
        }
        Ok(())
    }

    /// The data key of a format 1 file, from the session or the passphrase.
    fn v1_key(&mut self, file: &VaultFile) -> Result<Key> {
        let binding = file.key_binding();
        if let Some(Unlocked::V1 {
            vault_id,
            binding: b,
            key,
        }) = &self.unlocked
            && *b == binding
            && *vault_id == file.header.vault_id
        {
            return Ok(key.clone());
        }
        let key = match &self.source {
            KeySource::Session(session) => {
                let bytes = session.open(&file.header.vault_id, &binding)?;
                crypto::key_from_bytes(&bytes)
                    .ok_or_else(|| Error::auth("VAULT_SESSION was made for another vault format"))?
            }
            KeySource::Passphrase(passphrase) => unwrap_v1_key(file, passphrase)?,
            KeySource::Identities { .. } => {
                return Err(Error::auth(
                    "this vault is in format 1 and has no members: only its passphrase opens it",
                )
                .with_hint("run `vault upgrade` with the passphrase, then add members"));
            }
        };
        self.unlocked = Some(Unlocked::V1 {
            vault_id: file.header.vault_id,
            binding,
            key: key.clone(),
        });
        Ok(key)
    }

    /// The grant of the member this key source opens, from the member lines of `file`.
    fn grant(&mut self, file: &File2) -> Result<Grant> {
        if let Some(Unlocked::V2 {
            vault_id,
            grant_bytes,
            grant,
            ..
        }) = &self.unlocked
            && *vault_id == file.vault_id
            && file.members.iter().any(|m| &m.grant == grant_bytes)
        {
            return Ok((**grant).clone());
        }
        let (owned, session_secret) = self.unlocked_identity(file)?;
        let identities: Vec<&dyn age::Identity> = match (&self.source, &owned) {
            (KeySource::Identities { identities, .. }, _) => {
                identities.iter().map(|i| i.as_ref()).collect()
            }
            (_, Some(identity)) => vec![identity.as_ref()],
            (_, None) => Vec::new(),
        };
        let mut found = None;
        for member in &file.members {
            if let Some(grant) = members::open_grant(&member.grant, &identities, &file.vault_id)? {
                found = Some((member.grant.clone(), grant));
                break;
            }
        }
        let Some((grant_bytes, grant)) = found else {
            return Err(match &self.source {
                KeySource::Identities { origin, .. } => Error::auth(format!(
                    "{origin} is not a member of this vault (or was removed from it)"
                ))
                .with_hint("ask a full member to add its recipient with `vault member add`"),
                KeySource::Session(_) => session_revoked(),
                KeySource::Passphrase(_) => {
                    Error::auth("the passphrase is no longer a member of this vault")
                }
            });
        };
        if matches!(self.source, KeySource::Identities { .. }) {
            actor::set_member(&grant.member);
        }
        self.unlocked = Some(Unlocked::V2 {
            vault_id: file.vault_id,
            grant_bytes,
            grant: Box::new(grant.clone()),
            session_secret,
        });
        Ok(grant)
    }

    /// For a passphrase or a session, the passphrase member's identity (and
    /// its text, for `vault unlock`); `None` for a source of identities.
    #[allow(clippy::type_complexity)]
    fn unlocked_identity(
        &self,
        file: &File2,
    ) -> Result<(Option<Box<dyn age::Identity>>, Option<SecretString>)> {
        let text = match &self.source {
            KeySource::Identities { .. } => return Ok((None, None)),
            KeySource::Passphrase(passphrase) => {
                let lock = file
                    .members
                    .iter()
                    .find_map(|m| m.passphrase.as_ref())
                    .ok_or_else(|| {
                        Error::auth("this vault has no passphrase member: open it with an identity")
                            .with_hint("set VAULT_IDENTITY_FILE or pass --identity PATH")
                    })?;
                members::unlock_passphrase(lock, passphrase, &file.vault_id)?
            }
            KeySource::Session(session) => {
                let bytes = session.open(&file.vault_id, &file.epoch)?;
                let text = std::str::from_utf8(&bytes).map_err(|_| session_revoked())?;
                SecretString::from(text)
            }
        };
        let identity = members::x25519_identity(&text)?;
        Ok((Some(identity), Some(text)))
    }

    /// What `vault unlock` keeps in a session: the vault id, what the session
    /// is bound to, and the secret that opens the vault (format 1: the data
    /// key; format 2: the passphrase member's identity).
    pub fn session_material(&mut self) -> Result<SessionMaterial> {
        match self.load()? {
            Loaded::V1(file) => {
                let key = self.v1_key(&file)?;
                Ok((
                    file.header.vault_id,
                    file.key_binding(),
                    Zeroizing::new(key.to_vec()),
                ))
            }
            Loaded::V2(file) => {
                self.grant(&file)?;
                let Some(Unlocked::V2 {
                    session_secret: Some(secret),
                    ..
                }) = &self.unlocked
                else {
                    return Err(Error::auth("only the passphrase starts a session"));
                };
                let secret = Zeroizing::new(secret.expose().as_bytes().to_vec());
                Ok((file.vault_id, file.epoch.to_vec(), secret))
            }
        }
    }

    /// The keys this source opens (for tools and tests that read files
    /// with the library, such as the independent reader of the test vectors).
    pub fn keyring(&mut self) -> Result<Keyring> {
        match self.load()? {
            Loaded::V2(file) => Ok(self.grant(&file)?.keyring),
            Loaded::V1(_) => Err(Error::usage("a format 1 vault has no keyring")),
        }
    }

    /// Who opened the vault (after an open).
    pub fn access(&self) -> Option<Access> {
        match self.unlocked.as_ref()? {
            Unlocked::V1 { .. } => Some(Access {
                member: None,
                projects: None,
            }),
            Unlocked::V2 { grant, .. } => Some(Access {
                member: Some(grant.member.clone()),
                projects: (!grant.keyring.is_full())
                    .then(|| grant.keyring.projects.keys().cloned().collect()),
            }),
        }
    }

    /// Opens the vault's keys (not its records) and tells who holds them.
    pub fn unlock(&mut self) -> Result<Access> {
        let bytes = self.read_unless_kept()?;
        let loaded = self.parse(bytes)?;
        self.unlock_loaded(loaded)
    }

    /// Whether this key source is a member, for choosing among the default
    /// identity files. When the member lines of a format 2 file open a grant,
    /// that is enough: the file is kept for the read that follows, which
    /// checks all of it (a read by name then still reads it in one pass).
    /// Otherwise `unlock` decides, after the checksum: damage is exit 5, and
    /// only a key that is no member's is `false`.
    pub fn unlock_if_member(&mut self) -> Result<bool> {
        let bytes = self.store.read()?;
        let granted =
            File2::parse_head_unchecked(&bytes).is_ok_and(|head| self.grant(&head).is_ok());
        self.unchecked = Some(bytes);
        if granted {
            return Ok(true);
        }
        match self.unlock() {
            Ok(_) => Ok(true),
            Err(err) if err.exit_code() == 4 => Ok(false),
            Err(err) => Err(err),
        }
    }

    fn unlock_loaded(&mut self, loaded: Loaded) -> Result<Access> {
        match &loaded {
            Loaded::V1(file) => drop(self.v1_key(file)?),
            Loaded::V2(file) => drop(self.grant(file)?),
        }
        self.read_ahead = Some(loaded);
        Ok(self.access().expect("just unlocked"))
    }

    /// The file for a read without the lock: the one `unlock` just read, else
    /// read now. Writes always read again under the lock.
    fn load_for_reading(&mut self) -> Result<Loaded> {
        if let Some(bytes) = self.unchecked.take() {
            return self.parse(bytes);
        }
        match self.read_ahead.take() {
            Some(loaded) => Ok(loaded),
            None => self.load(),
        }
    }

    /// The file `unlock_if_member` kept, else read now.
    fn read_unless_kept(&mut self) -> Result<storage::FileBytes> {
        match self.unchecked.take() {
            Some(bytes) => Ok(bytes),
            None => self.store.read(),
        }
    }

    /// The vault id and the audit trail's keys this member holds, once the
    /// vault has been opened.
    pub fn trail_keys(&self) -> Option<([u8; VAULT_ID_LEN], keyring::TrailKeySet)> {
        match self.unlocked.as_ref()? {
            Unlocked::V1 { vault_id, key, .. } => {
                Some((*vault_id, keyring::TrailKeySet::single(key)))
            }
            Unlocked::V2 {
                vault_id, grant, ..
            } => Some((*vault_id, grant.keyring.trail_keys())),
        }
    }

    /// The vault's id, read from its header without a key.
    pub fn vault_id(&self) -> Result<[u8; VAULT_ID_LEN]> {
        Ok(match self.load()? {
            Loaded::V1(file) => file.header.vault_id,
            Loaded::V2(file) => file.vault_id,
        })
    }

    /// The passphrase's current Argon2 parameters (`passwd` keeps them by default).
    pub fn kdf(&self) -> Result<Option<KdfParams>> {
        Ok(match self.load()? {
            Loaded::V1(file) => Some(file.header.kdf),
            Loaded::V2(file) => file
                .members
                .iter()
                .find_map(|m| m.passphrase.as_ref().map(|l| l.kdf)),
        })
    }

    /// The members (a full member's view).
    pub fn members(&mut self) -> Result<Vec<MemberInfo>> {
        let file = match self.load()? {
            Loaded::V1(_) => return Ok(vec![format1_member()]),
            Loaded::V2(file) => file,
        };
        let grant = self.grant(&file)?;
        if !grant.keyring.is_full() {
            return Err(project_member_denied());
        }
        records::check_commitment(&grant.keyring, &file)?;
        Ok(records::open_meta(&grant.keyring, &file.vault_id, &file.meta)?.members)
    }

    /// Adds a member holding `recipient`; with `projects`, a project member.
    pub fn add_member(
        &mut self,
        name: &str,
        recipient: &str,
        projects: Option<Vec<String>>,
    ) -> Result<()> {
        let (kind, recipient) = members::parse_recipient(recipient)?;
        let info = new_member(name, kind, recipient, projects);
        self.write(|_, draft| draft.add_member(info))
    }

    /// Removes a member and replaces every key (see `rekey`).
    pub fn remove_member(&mut self, name: &str) -> Result<()> {
        self.write(|_, draft| {
            draft.remove_member(name)?;
            draft.rekey()
        })
    }

    /// Replaces every key of the vault, seals every record again and ends every session.
    pub fn rekey(&mut self) -> Result<()> {
        self.write(|_, draft| draft.rekey())
    }

    /// Replaces the passphrase (new salt and parameters) and every key; every session ends.
    pub fn change_passphrase(&mut self, new: &SecretString, kdf: KdfParams) -> Result<()> {
        kdf.check_bounds().map_err(Error::usage)?;
        self.write(|_, draft| {
            draft.replace_passphrase(new, kdf)?;
            draft.rekey()
        })?;
        self.source = KeySource::Passphrase(new.clone());
        self.unlocked = None;
        Ok(())
    }

    /// Ends every session of this vault wherever it was made, by giving the
    /// file a new epoch (format 2; needs no key). `false` for format 1, whose
    /// sessions only `session::end_all` can end.
    pub fn new_epoch(&mut self) -> Result<bool> {
        let lock = self.store.lock()?;
        let Loaded::V2(mut file) = self.load()? else {
            return Ok(false);
        };
        file.epoch = crypto::random_bytes::<EPOCH_LEN>();
        self.store.replace(&lock, &file.to_bytes())?;
        Ok(true)
    }
}

fn create(store: &Store, file: &File2) -> Result<()> {
    store.create_dir()?;
    let lock = store.lock()?;
    if store.exists() {
        return Err(store.already_exists());
    }
    store.create(&lock, &file.to_bytes())
}

fn new_member(
    name: &str,
    kind: MemberKind,
    recipient: String,
    projects: Option<Vec<String>>,
) -> MemberInfo {
    MemberInfo {
        name: name.to_owned(),
        kind,
        recipient,
        projects,
        added_at: actor::now(),
        added_by: actor::current(),
    }
}

/// A format 1 vault's one member, as `member list` shows it.
fn format1_member() -> MemberInfo {
    MemberInfo {
        name: "passphrase".to_owned(),
        kind: MemberKind::Passphrase,
        recipient: String::new(),
        projects: None,
        added_at: String::new(),
        added_by: String::new(),
    }
}

fn session_revoked() -> Error {
    Error::auth("the session has ended (by `vault lock`, `vault passwd`, `vault rekey` or a member's removal)")
        .with_hint("start a new one with `eval \"$(vault unlock)\"`")
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

/// The data key of a format 1 file, unwrapped with its passphrase.
pub fn unwrap_v1_key(file: &VaultFile, passphrase: &SecretString) -> Result<Key> {
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

/// Format 1's payload plaintext, authenticated. The checksum already ruled out
/// accidental damage, so a failure here means tampering or another vault's key.
fn open_v1_payload(file: &VaultFile, key: &Key) -> Result<Zeroizing<Vec<u8>>> {
    let aad = file.header.aad("payload");
    crypto::open(key, &file.payload_nonce, &aad, &file.payload).ok_or_else(|| {
        Error::corrupt("vault file has been tampered with: its contents fail authentication")
            .with_hint(format::RESTORE_HINT)
    })
}

/// Decrypts every record of a format 2 file with `keyring` (for tests and
/// tools): the commitment is checked, and a record no key of the keyring
/// opens is left out.
pub fn open_bytes(bytes: &[u8], keyring: &Keyring) -> Result<Payload> {
    if format::version(bytes)? == 1 {
        return Err(Error::usage("not a format 2 vault"));
    }
    let file = File2::parse(bytes)?;
    records::check_commitment(keyring, &file)?;
    let mut payload = Payload::default();
    for (scope, id, secret) in records::open_all(keyring, &file)?.into_iter().flatten() {
        payload.scope_mut(&scope).insert(id, secret);
    }
    Ok(payload)
}

/// Decrypts a format 1 file's payload with its data key (for tests and tools).
pub fn open_payload(file: &VaultFile, key: &Key) -> Result<Payload> {
    decode_v1(&open_v1_payload(file, key)?)
}

/// Decodes format 1's payload plaintext into the current model.
fn decode_v1(plaintext: &[u8]) -> Result<Payload> {
    postcard::from_bytes::<legacy::V1Payload>(plaintext)
        .map(Payload::from)
        .map_err(|_| Error::corrupt("vault file contents are malformed after decryption"))
}
