//! The payload's plaintext walked without decoding it: where each secret's bytes
//! are, by scope and name. `vault exec -s NAME`, `get secret NAME`, `create` and
//! `update` touch one or a few secrets, and decoding all of a large vault's
//! secrets (allocating every name, key and value, then zeroizing and freeing them)
//! was most of their time. With this index they decode only the secrets they
//! use, and a write re-serialises the payload by copying every other secret's
//! bytes as they are.
//!
//! The wire format is postcard's, as docs/FORMAT.md describes it: a map or a
//! sequence is a varint length and its elements, a string or byte string a
//! varint length and its bytes, a struct its fields in order.

use std::collections::BTreeMap;

use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::vault::legacy::V1Secret;
use crate::vault::model::{Payload, Scope, Secret, SecretId};

/// The secrets of one scope, in the payload's (ascending) order: name, then the
/// secret's postcard bytes.
type Entries<'a> = Vec<(&'a str, &'a [u8])>;

/// Where every secret of a payload is, without any of them decoded.
pub struct RawPayload<'a> {
    org: Entries<'a>,
    projects: Vec<(&'a str, Entries<'a>)>,
}

impl<'a> RawPayload<'a> {
    /// Indexes a payload's plaintext; `None` if it is not a well-formed payload
    /// with its maps in ascending order and nothing after them.
    pub fn parse(bytes: &'a [u8]) -> Option<RawPayload<'a>> {
        let mut cursor = Cursor { bytes, at: 0 };
        let org = cursor.entries()?;
        let count = cursor.length()?;
        let mut projects: Vec<(&str, Entries)> = Vec::with_capacity(count.min(4096));
        for _ in 0..count {
            let name = cursor.str()?;
            if projects.last().is_some_and(|(last, _)| *last >= name) {
                return None;
            }
            projects.push((name, cursor.entries()?));
        }
        (cursor.at == bytes.len()).then_some(RawPayload { org, projects })
    }

    fn scope(&self, scope: &Scope) -> Option<&Entries<'a>> {
        match scope {
            Scope::Org => Some(&self.org),
            Scope::Project(project) => find(&self.projects, project.as_str()),
        }
    }

    /// Every secret, org level first, then projects by name, in the order of
    /// `Payload::all`: scope, name and the secret's bytes (see `decode`).
    pub fn iter(&self) -> impl Iterator<Item = (Scope, &'a str, &'a [u8])> + '_ {
        let org = self.org.iter().map(|&(n, b)| (Scope::Org, n, b));
        let projects = self.projects.iter().flat_map(|(project, entries)| {
            entries
                .iter()
                .map(move |&(n, b)| (Scope::Project((*project).to_owned()), n, b))
        });
        org.chain(projects)
    }

    /// The secrets stored exactly at `scope`, in order; `None` for a project
    /// that has none.
    pub fn iter_scope(
        &self,
        scope: &Scope,
    ) -> Option<impl Iterator<Item = (&'a str, &'a [u8])> + '_> {
        self.scope(scope).map(|entries| entries.iter().copied())
    }

    /// The bytes of the secret stored exactly at `scope`.
    fn get(&self, scope: &Scope, name: &str) -> Option<&'a [u8]> {
        self.scope(scope)
            .and_then(|entries| find(entries, name))
            .copied()
    }

    /// A payload holding only the given secrets (those that exist), decoded.
    pub fn subset<'k>(
        &self,
        keys: impl IntoIterator<Item = (&'k Scope, &'k SecretId)>,
    ) -> Result<Payload> {
        let mut payload = Payload::default();
        for (scope, id) in keys {
            // Format 1 has no environments: such a variant does not exist.
            if id.environment.is_some() {
                continue;
            }
            if let Some(bytes) = self.get(scope, &id.name) {
                payload.scope_mut(scope).insert(id.clone(), decode(bytes)?);
            }
        }
        Ok(payload)
    }

    /// The secrets that resolving each of `names` for `project` can reach: the
    /// project's own secret of that name, else the org-level one. Resolving
    /// those names in the subset gives what it gives in the whole payload.
    pub fn resolving(&self, project: Option<&str>, names: &[String]) -> Result<Payload> {
        let project = project.map(|p| Scope::Project(p.to_owned()));
        let ids: Vec<SecretId> = names.iter().map(|name| SecretId::plain(name)).collect();
        let keys: Vec<(&Scope, &SecretId)> = ids
            .iter()
            .map(|id| match &project {
                Some(own) if self.get(own, &id.name).is_some() => (own, id),
                _ => (&Scope::Org, id),
            })
            .collect();
        self.subset(keys)
    }

    /// This payload's plaintext with the secrets in `changed` replaced: each
    /// `(scope, name)` gets the given secret, or is removed when it is `None`.
    /// Every other secret's bytes are copied as they are; a project left with
    /// no secrets is dropped, as `Payload::remove` does.
    pub fn splice(
        &self,
        changed: &BTreeMap<(Scope, String), Option<Zeroizing<Vec<u8>>>>,
    ) -> Vec<u8> {
        let mut by_scope: BTreeMap<&Scope, BTreeMap<&str, Option<&[u8]>>> = BTreeMap::new();
        for ((scope, name), bytes) in changed {
            by_scope
                .entry(scope)
                .or_default()
                .insert(name.as_str(), bytes.as_ref().map(|b| b.as_slice()));
        }
        let empty = BTreeMap::new();
        let total = self.projects.iter().map(|(_, e)| e.len()).sum::<usize>() + self.org.len();
        let extra: usize = changed.values().flatten().map(|b| b.len() + 140).sum();
        let mut out = Vec::with_capacity(total * 16 + extra + 64);

        let org = merge(&self.org, by_scope.get(&Scope::Org).unwrap_or(&empty));
        write_entries(&mut out, &org);

        let mut projects: BTreeMap<&str, Entries> = BTreeMap::new();
        for (project, entries) in &self.projects {
            let scope = Scope::Project((*project).to_owned());
            let merged = merge(entries, by_scope.get(&scope).unwrap_or(&empty));
            projects.insert(project, merged);
        }
        for (scope, changes) in &by_scope {
            if let Scope::Project(project) = scope
                && !projects.contains_key(project.as_str())
            {
                projects.insert(project, merge(&Vec::new(), changes));
            }
        }
        projects.retain(|_, entries| !entries.is_empty());
        write_varint(&mut out, projects.len());
        for (project, entries) in &projects {
            write_bytes(&mut out, project.as_bytes());
            write_entries(&mut out, entries);
        }
        out
    }
}

/// Decodes one secret's bytes.
pub fn decode(bytes: &[u8]) -> Result<Secret> {
    postcard::from_bytes::<V1Secret>(bytes)
        .map(Secret::from)
        .map_err(|_| malformed())
}

/// Encodes one secret as it appears inside the payload.
pub fn encode(secret: &Secret) -> Result<Vec<u8>> {
    postcard::to_stdvec(&V1Secret::try_from(secret)?)
        .map_err(|e| Error::failure(format!("cannot serialise the vault: {e}")))
}

/// The name a secret has in format 1, which has no environments.
pub fn v1_name(id: &SecretId) -> Result<String> {
    match id.environment {
        None => Ok(id.name.clone()),
        Some(_) => Err(crate::vault::legacy::needs_format_2()),
    }
}

pub fn malformed() -> Error {
    Error::corrupt("vault file contents are malformed after decryption")
}

fn find<'e, T>(entries: &'e [(&str, T)], name: &str) -> Option<&'e T> {
    entries
        .binary_search_by(|(key, _)| (*key).cmp(name))
        .ok()
        .map(|i| &entries[i].1)
}

/// `entries` with `changes` applied, still in ascending order.
fn merge<'a>(entries: &Entries<'a>, changes: &BTreeMap<&'a str, Option<&'a [u8]>>) -> Entries<'a> {
    if changes.is_empty() {
        return entries.clone();
    }
    let mut merged: Entries = Vec::with_capacity(entries.len() + changes.len());
    let mut changes = changes.iter().peekable();
    for &(name, bytes) in entries {
        while let Some((&changed, &replacement)) = changes.next_if(|(c, _)| **c < name) {
            merged.extend(replacement.map(|b| (changed, b)));
        }
        match changes.next_if(|(c, _)| **c == name) {
            Some((_, replacement)) => merged.extend(replacement.map(|b| (name, b))),
            None => merged.push((name, bytes)),
        }
    }
    for (&changed, &replacement) in changes {
        merged.extend(replacement.map(|b| (changed, b)));
    }
    merged
}

fn write_entries(out: &mut Vec<u8>, entries: &Entries) {
    write_varint(out, entries.len());
    for (name, bytes) in entries {
        write_bytes(out, name.as_bytes());
        out.extend_from_slice(bytes);
    }
}

fn write_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    write_varint(out, bytes.len());
    out.extend_from_slice(bytes);
}

fn write_varint(out: &mut Vec<u8>, value: usize) {
    let mut value = value as u64;
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// A position in the plaintext; every read checks its bounds.
struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn varint(&mut self) -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = *self.bytes.get(self.at)?;
            self.at += 1;
            value |= u64::from(byte & 0x7f).checked_shl(shift)?;
            if byte & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }

    fn length(&mut self) -> Option<usize> {
        usize::try_from(self.varint()?).ok()
    }

    fn bytes(&mut self) -> Option<&'a [u8]> {
        let len = self.length()?;
        let end = self.at.checked_add(len)?;
        let bytes = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(bytes)
    }

    fn str(&mut self) -> Option<&'a str> {
        std::str::from_utf8(self.bytes()?).ok()
    }

    /// A sequence of `count` elements, each `fields` byte strings long.
    fn skip_seq(&mut self, fields: usize) -> Option<()> {
        for _ in 0..self.length()? {
            for _ in 0..fields {
                self.bytes()?;
            }
        }
        Some(())
    }

    /// One `Secret`: env (name, value)…, files (path, contents)…, description,
    /// allowed_projects, and the four metadata strings.
    fn skip_secret(&mut self) -> Option<()> {
        self.skip_seq(2)?;
        self.skip_seq(2)?;
        self.bytes()?;
        self.skip_seq(1)?;
        for _ in 0..4 {
            self.bytes()?;
        }
        Some(())
    }

    /// A map of secrets by name, in ascending order.
    fn entries(&mut self) -> Option<Entries<'a>> {
        let count = self.length()?;
        // Each entry takes at least 10 bytes: bound the allocation by what is there.
        let mut entries: Entries = Vec::with_capacity(count.min(self.bytes.len() / 10));
        for _ in 0..count {
            let name = self.str()?;
            if entries.last().is_some_and(|(last, _)| *last >= name) {
                return None;
            }
            let start = self.at;
            self.skip_secret()?;
            entries.push((name, &self.bytes[start..self.at]));
        }
        Some(entries)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::{SecretBytes, SecretString};
    use crate::vault::model::{EnvVar, Metadata, SecretFile};

    fn secret(value: &str) -> Secret {
        Secret {
            env: vec![EnvVar {
                name: "KEY".into(),
                value: SecretString::from(value),
            }],
            files: vec![SecretFile {
                path: "a/b.pem".into(),
                contents: SecretBytes::new(vec![0, 200, 3]),
            }],
            description: format!("about {value}"),
            allowed_projects: vec!["blue".into()],
            meta: Metadata {
                created_at: "t".into(),
                ..Metadata::default()
            },
            ..Secret::default()
        }
    }

    fn sample() -> Payload {
        let mut payload = Payload::default();
        for name in ["a", "b", "c-long-name", "z"] {
            payload.org.insert(name.into(), secret(name));
        }
        for project in ["blue", "red"] {
            let scope = Scope::Project(project.into());
            for name in ["a", "q"] {
                payload
                    .scope_mut(&scope)
                    .insert(name.into(), secret(&format!("{project}/{name}")));
            }
        }
        payload
    }

    fn bytes(payload: &Payload) -> Vec<u8> {
        postcard::to_stdvec(&crate::vault::legacy::V1Payload::try_from(payload).unwrap()).unwrap()
    }

    #[test]
    fn subsets_decode_only_what_they_name() {
        let payload = sample();
        let plain = bytes(&payload);
        let raw = RawPayload::parse(&plain).unwrap();
        let blue = Scope::Project("blue".into());
        let sub = raw.resolving(Some("blue"), &["a".into(), "b".into(), "nope".into()]);
        let sub = sub.unwrap();
        let (a, b) = (SecretId::plain("a"), SecretId::plain("b"));
        assert_eq!(sub.org.keys().collect::<Vec<_>>(), [&b]);
        assert_eq!(
            sub.scope(&blue).unwrap()[&a],
            payload.scope(&blue).unwrap()[&a]
        );
        assert_eq!(sub.org[&b], payload.org[&b]);
        let sub = raw.resolving(None, &["a".into()]).unwrap();
        assert_eq!(sub.org[&a], payload.org[&a]);
        assert!(sub.projects.is_empty());
    }

    #[test]
    fn splicing_equals_changing_the_decoded_payload() {
        let original = sample();
        let plain = bytes(&original);
        let raw = RawPayload::parse(&plain).unwrap();
        let blue = Scope::Project("blue".into());
        let green = Scope::Project("green".into());
        let red = Scope::Project("red".into());
        let cases: Vec<Vec<(Scope, &str, Option<Secret>)>> = vec![
            vec![],
            vec![(Scope::Org, "b", Some(secret("new b")))],
            vec![(Scope::Org, "0first", Some(secret("x")))],
            vec![(Scope::Org, "zz", Some(secret("x")))],
            vec![
                (Scope::Org, "bb", Some(secret("x"))),
                (Scope::Org, "a", None),
            ],
            vec![(blue.clone(), "b", Some(secret("x")))],
            vec![(green.clone(), "g", Some(secret("x")))],
            vec![(red.clone(), "a", None), (red.clone(), "q", None)],
            vec![(red.clone(), "missing", None)],
        ];
        for case in cases {
            let mut expected = original.clone();
            let mut changed = BTreeMap::new();
            for (scope, name, secret) in case {
                match &secret {
                    Some(s) => {
                        expected.scope_mut(&scope).insert(name.into(), s.clone());
                    }
                    None => {
                        let _ = expected.remove(&scope, &name.into());
                    }
                }
                let encoded = secret.as_ref().map(|s| Zeroizing::new(encode(s).unwrap()));
                changed.insert((scope, name.to_owned()), encoded);
            }
            assert_eq!(raw.splice(&changed), bytes(&expected));
        }
    }

    #[test]
    fn malformed_plaintext_is_refused() {
        let plain = bytes(&sample());
        for len in 0..plain.len() {
            assert!(RawPayload::parse(&plain[..len]).is_none(), "{len}");
        }
        let mut longer = plain.clone();
        longer.push(0);
        assert!(RawPayload::parse(&longer).is_none());
        assert!(RawPayload::parse(&[0, 0]).is_some());
        // Out of order: postcard of a Vec in descending order.
        let unordered = postcard::to_stdvec(&(
            vec![("b", secret("b")), ("a", secret("a"))],
            Vec::<(String, Vec<(String, Secret)>)>::new(),
        ))
        .unwrap();
        assert!(RawPayload::parse(&unordered).is_none());
    }
}
