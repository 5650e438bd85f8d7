//! Reading a few secrets of a format 2 file by name: the records that
//! resolving the names can reach are picked out in the one pass that checks
//! the file, and the others are neither kept nor indexed. Every record's
//! locator and nonce still goes into the commitment, so a record removed,
//! added or replayed is exit 5 here as on a whole read.

use std::rc::Rc;

use super::format::VAULT_ID_LEN;
use super::format2::{File2, LOCATOR_LEN, RecordLine, record_at, tampered};
use super::keyring::Keyring;
use super::model::{Payload, Scope, SecretId};
use super::record_heads::{RecordHead, RecordSink};
use super::records::{self, Commitment, Locators};
use super::storage::FileBytes;
use crate::error::{Error, Result};

/// The addresses a name may resolve to, in order of precedence: the
/// project's variant in the environment, its plain secret, then the org's.
pub fn candidates<'a>(
    own: Option<&'a Scope>,
    environment: Option<&'a str>,
    name: &'a str,
) -> impl Iterator<Item = (&'a Scope, SecretId)> {
    let variants = move |scope| {
        let ids = environment.map(|e| SecretId::new(name, Some(e)));
        ids.into_iter()
            .chain([SecretId::plain(name)])
            .map(move |id| (scope, id))
    };
    own.into_iter().chain([&Scope::Org]).flat_map(variants)
}

/// A sink that keeps the records at the wanted locators and feeds every
/// record to the commitment.
pub struct Selection {
    commitment: Commitment,
    /// Ascending and distinct, as the file's records are, so that one walk
    /// along both finds them.
    wanted: Vec<[u8; LOCATOR_LEN]>,
    next: usize,
    found: Vec<RecordLine>,
}

impl Selection {
    /// A selection of the records at `wanted` of the file whose head is `head`.
    pub fn new(keyring: &Keyring, head: &File2, mut wanted: Vec<[u8; LOCATOR_LEN]>) -> Selection {
        wanted.sort_unstable();
        wanted.dedup();
        Selection {
            commitment: Commitment::new(keyring, head),
            wanted,
            next: 0,
            found: Vec::new(),
        }
    }

    /// The records found, once the file's commitment matches every record read.
    pub fn finish(self, file: &File2) -> Result<Found> {
        self.commitment.check(&file.commit)?;
        Ok(Found(self.found))
    }
}

impl RecordSink for Selection {
    fn take(&mut self, file: &Rc<FileBytes>, heads: &[RecordHead]) -> Result<()> {
        for head in heads {
            self.commitment.add(&head.locator, &head.nonce);
            while self
                .wanted
                .get(self.next)
                .is_some_and(|wanted| *wanted < head.locator)
            {
                self.next += 1;
            }
            if self.wanted.get(self.next) == Some(&head.locator) {
                self.found.push(head.line(file));
                self.next += 1;
            }
        }
        Ok(())
    }
}

/// The records a selection found (or every record of a file read whole),
/// in ascending order of locator.
pub struct Found(Vec<RecordLine>);

impl Found {
    pub fn new(records: Vec<RecordLine>) -> Found {
        Found(records)
    }

    pub fn record(&self, locator: &[u8; LOCATOR_LEN]) -> Option<&RecordLine> {
        record_at(&self.0, locator)
    }
}

/// Every locator resolving `names` for `project` in `environment` can reach.
pub fn wanted(
    locators: &Locators,
    project: Option<&str>,
    environment: Option<&str>,
    names: &[String],
) -> Vec<[u8; LOCATOR_LEN]> {
    let own = project.map(|p| Scope::Project(p.to_owned()));
    names
        .iter()
        .flat_map(|name| candidates(own.as_ref(), environment, name))
        .map(|(scope, id)| locators.of(scope, &id))
        .collect()
}

/// Opens the records `names` resolve to for `project` in `environment`, the
/// first of each name's candidates that was found, into a payload.
pub fn resolve(
    keyring: &Keyring,
    vault_id: &[u8; VAULT_ID_LEN],
    found: &Found,
    (project, environment): (Option<&str>, Option<&str>),
    names: &[String],
) -> Result<Payload> {
    let mut payload = Payload::default();
    let own = project.map(|p| Scope::Project(p.to_owned()));
    let locators = Locators::new(keyring);
    for name in names {
        let mut candidates = candidates(own.as_ref(), environment, name);
        let Some(line) = candidates.find_map(|(scope, id)| found.record(&locators.of(scope, &id)))
        else {
            continue;
        };
        match records::open(keyring, &locators, vault_id, line)? {
            Some((scope, id, secret)) => {
                payload.scope_mut(&scope).insert(id, secret);
            }
            None if keyring.is_full() => {
                return Err(tampered("a record is sealed under no key of this vault"));
            }
            None => return Err(not_for_this_member(name, project)),
        }
    }
    Ok(payload)
}

fn not_for_this_member(name: &str, project: Option<&str>) -> Error {
    let whose = project.map_or("this member".to_owned(), |p| format!("project '{p}'"));
    Error::denied(format!(
        "org secret '{name}' is not available to {whose}: it is sealed under keys this member does not hold"
    ))
}
