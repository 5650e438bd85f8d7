//! A format 2 file being changed under the write lock: records replaced one
//! line at a time, members added or removed, keys rotated; `finish` re-grants
//! keys to every member when they changed and seals the commitment.

use super::crypto::{self, KdfParams};
use super::format::VAULT_ID_LEN;
use super::format2::{self, File2, MemberLine, RecordLine, tampered};
use super::keyring::{Grant, Keyring};
use super::members::{self, MemberInfo, MemberKind, PassphraseLock};
use super::model::{Payload, Scope, SecretId};
use super::records::{self, Meta};
use super::validate;
use crate::error::{Error, Result};
use crate::secret::SecretString;

pub struct Draft {
    file: File2,
    keyring: Keyring,
    meta: Meta,
    /// The member lines or member list need writing again.
    members_changed: bool,
    /// Sessions must end: keys were replaced.
    epoch_changed: bool,
    /// How many project keys the members were granted: a record sealed for a
    /// new project adds one, and full members must be given it.
    projects_at_open: usize,
}

impl Draft {
    /// The file of a new vault with one member.
    pub(super) fn new_vault(
        vault_id: [u8; VAULT_ID_LEN],
        info: MemberInfo,
        lock: Option<PassphraseLock>,
        keyring: Keyring,
    ) -> Result<File2> {
        let file = File2 {
            version: format2::FORMAT_VERSION,
            vault_id,
            epoch: crypto::random_bytes(),
            members: vec![MemberLine {
                passphrase: lock,
                grant: Vec::new(),
            }],
            meta: Vec::new(),
            records: Vec::new(),
            commit: [0; 32],
        };
        let mut draft = Draft {
            file,
            keyring,
            meta: Meta {
                members: vec![info],
            },
            members_changed: true,
            epoch_changed: false,
            projects_at_open: 0,
        };
        draft.regrant()?;
        draft.finish()
    }

    /// A draft of `file` as the full member holding `grant` may change it.
    pub(super) fn open(file: File2, grant: Grant) -> Result<Draft> {
        let meta = records::open_meta(&grant.keyring, &file.vault_id, &file.meta)?;
        if meta.members.len() != file.members.len() {
            return Err(tampered("its member lines do not match its member list"));
        }
        Ok(Draft {
            projects_at_open: grant.keyring.projects.len(),
            file,
            keyring: grant.keyring,
            meta,
            members_changed: false,
            epoch_changed: false,
        })
    }

    /// Every secret, decrypted.
    pub(super) fn payload(&self) -> Result<Payload> {
        let mut payload = Payload::default();
        for record in records::open_all(&self.keyring, &self.file)? {
            let (scope, id, secret) =
                record.ok_or_else(|| tampered("a record is sealed under no key of this vault"))?;
            payload.scope_mut(&scope).insert(id, secret);
        }
        Ok(payload)
    }

    /// The named secrets that exist, decrypted; no other record is opened.
    pub(super) fn subset(&self, keys: &[(Scope, SecretId)]) -> Result<Payload> {
        let mut payload = Payload::default();
        let locators = records::Locators::new(&self.keyring);
        for (scope, id) in keys {
            if let Some(line) = self.file.record(&locators.of(scope, id)) {
                let (scope, id, secret) =
                    records::open(&self.keyring, &locators, &self.file.vault_id, line)?
                        .ok_or_else(|| tampered("a record is sealed under no key of this vault"))?;
                payload.scope_mut(&scope).insert(id, secret);
            }
        }
        Ok(payload)
    }

    /// Seals again each secret that differs between `before` and `after`,
    /// removes the records of those gone, and leaves every other line as it is.
    pub(super) fn apply_diff(&mut self, before: &Payload, after: &Payload) -> Result<()> {
        for gone in before.all() {
            let id = SecretId::new(gone.name, gone.environment);
            if after
                .scope(&gone.scope)
                .is_none_or(|s| !s.contains_key(&id))
            {
                let locator = records::locator(&self.keyring, &gone.scope, &id);
                self.file.records.retain(|r| r.locator != locator);
            }
        }
        for now in after.all() {
            let id = SecretId::new(now.name, now.environment);
            let old = before.scope(&now.scope).and_then(|s| s.get(&id));
            if old != Some(now.secret) {
                let line = records::seal(
                    &mut self.keyring,
                    &self.file.vault_id,
                    &now.scope,
                    &id,
                    now.secret,
                )?;
                self.put(line);
            }
        }
        Ok(())
    }

    fn put(&mut self, line: RecordLine) {
        let records = &mut self.file.records;
        match records.binary_search_by(|r| r.locator.cmp(&line.locator)) {
            Ok(i) => records[i] = line,
            Err(i) => records.insert(i, line),
        }
    }

    pub(super) fn add_member(&mut self, info: MemberInfo) -> Result<()> {
        validate::name("member", &info.name)?;
        for project in info.projects.iter().flatten() {
            validate::name("project", project)?;
        }
        if let Some(other) = self
            .meta
            .members
            .iter()
            .find(|m| m.name == info.name || m.recipient == info.recipient)
        {
            return Err(Error::conflict(format!(
                "member '{}' already exists with that name or recipient",
                other.name
            )));
        }
        let at = self.meta.members.partition_point(|m| m.name < info.name);
        self.meta.members.insert(at, info);
        self.file.members.insert(
            at,
            MemberLine {
                passphrase: None,
                grant: Vec::new(),
            },
        );
        self.members_changed = true;
        Ok(())
    }

    pub(super) fn remove_member(&mut self, name: &str) -> Result<()> {
        let at = self
            .meta
            .members
            .iter()
            .position(|m| m.name == name)
            .ok_or_else(|| {
                Error::not_found(format!("no member named '{name}'"))
                    .with_hint("list them with `vault member list`")
            })?;
        let full_left = self
            .meta
            .members
            .iter()
            .enumerate()
            .filter(|(i, m)| *i != at && m.projects.is_none())
            .count();
        if full_left == 0 {
            return Err(Error::usage(format!(
                "'{name}' is the last full member: removing it would leave nobody able to manage the vault"
            ))
            .with_hint("add another full member first with `vault member add`"));
        }
        self.meta.members.remove(at);
        self.file.members.remove(at);
        self.members_changed = true;
        Ok(())
    }

    /// New keys for everything (the audit trail's aside), every record sealed
    /// again under them, every member granted the new keys; sessions end.
    pub(super) fn rekey(&mut self) -> Result<()> {
        let payload = self.payload()?;
        self.keyring = self.keyring.rotated();
        self.file.records.clear();
        self.apply_diff(&Payload::default(), &payload)?;
        self.members_changed = true;
        self.epoch_changed = true;
        Ok(())
    }

    /// A new passphrase: a new identity for the passphrase member, sealed under it.
    pub(super) fn replace_passphrase(&mut self, new: &SecretString, kdf: KdfParams) -> Result<()> {
        let at = self
            .meta
            .members
            .iter()
            .position(|m| m.kind == MemberKind::Passphrase)
            .ok_or_else(|| Error::usage("this vault has no passphrase member"))?;
        let (lock, recipient) = members::passphrase_member(new, kdf, &self.file.vault_id)?;
        self.meta.members[at].recipient = recipient;
        self.file.members[at].passphrase = Some(lock);
        self.members_changed = true;
        self.epoch_changed = true;
        Ok(())
    }

    /// Replaces the whole member list (a merge's): each member with the
    /// passphrase lock of its member line. A member kept as it was keeps its
    /// grant; `finish` grants the keys again to all when the list changed.
    pub(super) fn set_members(
        &mut self,
        mut members: Vec<(MemberInfo, Option<PassphraseLock>)>,
    ) -> Result<()> {
        if !members.iter().any(|(info, _)| info.projects.is_none()) {
            return Err(Error::usage(
                "the merge leaves no full member: nobody could manage the vault",
            ));
        }
        members.sort_by(|a, b| a.0.name.cmp(&b.0.name));
        let current: Vec<(&MemberInfo, &Option<PassphraseLock>)> = self
            .meta
            .members
            .iter()
            .zip(self.file.members.iter().map(|line| &line.passphrase))
            .collect();
        let wanted: Vec<(&MemberInfo, &Option<PassphraseLock>)> =
            members.iter().map(|(info, lock)| (info, lock)).collect();
        if current == wanted {
            return Ok(());
        }
        let (infos, lines) = members
            .into_iter()
            .map(|(info, passphrase)| {
                let line = MemberLine {
                    passphrase,
                    grant: Vec::new(),
                };
                (info, line)
            })
            .unzip();
        self.meta.members = infos;
        self.file.members = lines;
        self.members_changed = true;
        Ok(())
    }

    /// The keys as this draft holds them (a new project's key included).
    pub(super) fn keyring(&self) -> &Keyring {
        &self.keyring
    }

    pub(super) fn epoch_changed(&self) -> bool {
        self.epoch_changed
    }

    /// Grants each member the keys it may hold: a full member every key, a
    /// project member the index and shared keys, the trail's chain key and its projects' keys.
    fn regrant(&mut self) -> Result<()> {
        for project in self
            .meta
            .members
            .iter()
            .flat_map(|m| m.projects.iter().flatten())
        {
            self.keyring.project_key(project);
        }
        for (info, line) in self.meta.members.iter().zip(&mut self.file.members) {
            let keyring = match &info.projects {
                None => self.keyring.clone(),
                Some(projects) => self.keyring.for_projects(projects),
            };
            let grant = Grant {
                vault_id: self.file.vault_id,
                member: info.name.clone(),
                keyring,
            };
            line.grant = members::seal_grant(info, &grant)?;
        }
        self.file.meta = records::seal_meta(&self.keyring, &self.file.vault_id, &self.meta)?;
        Ok(())
    }

    /// The file to write: keys granted again if any changed (a new project
    /// key, a member added or removed, a rekey), the commitment sealed.
    pub(super) fn finish(mut self) -> Result<File2> {
        if self.members_changed || self.projects_at_open != self.keyring.projects.len() {
            self.regrant()?;
        }
        if self.epoch_changed {
            self.file.epoch = crypto::random_bytes();
        }
        // Every write is in the current version: the commitment covers it.
        self.file.version = format2::FORMAT_VERSION;
        self.file.commit = records::commitment(&self.keyring, &self.file);
        Ok(self.file)
    }
}
