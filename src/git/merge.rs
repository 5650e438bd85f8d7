//! The three-way merge of a vault's decrypted contents, as git's merge driver
//! needs it. Each secret (a name in one scope and environment) is merged part
//! by part: each variable, each file, the description, the project allow-list,
//! the branch rule and the rotation period. A part changed on one side only is taken
//! from that side; changed the same way on both sides, it is taken once;
//! changed differently, or a secret deleted on one side and changed on the
//! other, is a conflict: the merge keeps our side and names the conflict
//! (never a value). Metadata and `rotated_at` never conflict: they follow the
//! parts.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::vault::model::{Metadata, Payload, Scope, Secret, SecretId, Secrets};

/// The merged contents and what could not be merged.
#[derive(Debug)]
pub struct Merged {
    pub payload: Payload,
    pub conflicts: Vec<Conflict>,
}

/// Something both sides changed differently; the merge holds our side of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    pub subject: Subject,
    pub kind: ConflictKind,
}

/// What a conflict is about: a part of one secret, or a member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    Secret {
        scope: Scope,
        /// The secret's name and environment.
        secret: SecretId,
        part: Part,
    },
    Member(String),
}

/// Which part of a secret a conflict is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// The secret as a whole (deleted on one side, changed on the other).
    Secret,
    Variable(String),
    File(String),
    Description,
    AllowedProjects,
    AllowedBranches,
    RotateEvery,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConflictKind {
    /// Both sides changed it, each its own way.
    ChangedOnBoth,
    /// Both sides added it, each with its own contents.
    AddedOnBoth,
    /// We deleted it and they changed it: it stays deleted.
    DeletedByUs,
    /// They deleted it and we changed it: it stays, with our change.
    DeletedByThem,
}

/// Merges `ours` and `theirs`, two descendants of `base`.
pub fn merge(base: &Payload, ours: &Payload, theirs: &Payload) -> Merged {
    let mut merged = Merged {
        payload: Payload::default(),
        conflicts: Vec::new(),
    };
    merged.payload.org = merge_scope(
        &Scope::Org,
        Some(&base.org),
        Some(&ours.org),
        Some(&theirs.org),
        &mut merged.conflicts,
    );
    let projects: BTreeSet<&String> = [base, ours, theirs]
        .iter()
        .flat_map(|payload| payload.projects.keys())
        .collect();
    for project in projects {
        let scope = Scope::Project(project.clone());
        let secrets = merge_scope(
            &scope,
            base.projects.get(project),
            ours.projects.get(project),
            theirs.projects.get(project),
            &mut merged.conflicts,
        );
        if !secrets.is_empty() {
            merged.payload.projects.insert(project.clone(), secrets);
        }
    }
    merged
}

/// Merges the secrets of one scope, secret by secret.
fn merge_scope(
    scope: &Scope,
    base: Option<&Secrets>,
    ours: Option<&Secrets>,
    theirs: Option<&Secrets>,
    conflicts: &mut Vec<Conflict>,
) -> Secrets {
    let ids: BTreeSet<&SecretId> = [base, ours, theirs]
        .into_iter()
        .flatten()
        .flat_map(BTreeMap::keys)
        .collect();
    let mut merged = Secrets::new();
    for id in ids {
        let mut named = |part: Part, kind: ConflictKind| {
            conflicts.push(Conflict {
                subject: Subject::Secret {
                    scope: scope.clone(),
                    secret: id.clone(),
                    part,
                },
                kind,
            })
        };
        if let Some(secret) = merge_secret(
            secret_in(base, id),
            secret_in(ours, id),
            secret_in(theirs, id),
            &mut named,
        ) {
            merged.insert(id.clone(), secret);
        }
    }
    merged
}

fn secret_in<'a>(secrets: Option<&'a Secrets>, id: &SecretId) -> Option<&'a Secret> {
    secrets.and_then(|secrets| secrets.get(id))
}

/// Merges one secret; `None` when the merge deletes it (or it never existed).
fn merge_secret(
    base: Option<&Secret>,
    ours: Option<&Secret>,
    theirs: Option<&Secret>,
    conflict: &mut impl FnMut(Part, ConflictKind),
) -> Option<Secret> {
    match three_way(base, ours, theirs) {
        Pick::Agreed(secret) => return secret.cloned(),
        Pick::Differ(kind) if ours.is_none() || theirs.is_none() => {
            conflict(Part::Secret, kind);
            return ours.cloned();
        }
        Pick::Differ(_) => {}
    }
    let (ours, theirs) = (ours?, theirs?);
    let empty = Secret::default();
    let sides = Sides {
        base: base.unwrap_or(&empty),
        ours,
        theirs,
    };
    let mut merged = Secret {
        env: sides.list(|s| &s.env, |v| &v.name, Part::Variable, conflict),
        files: sides.list(|s| &s.files, |f| &f.path, Part::File, conflict),
        description: sides.field(|s| &s.description, Part::Description, conflict),
        allowed_projects: sides.field(|s| &s.allowed_projects, Part::AllowedProjects, conflict),
        allowed_branches: sides.field(|s| &s.allowed_branches, Part::AllowedBranches, conflict),
        rotate_every: sides.field(|s| &s.rotate_every, Part::RotateEvery, conflict),
        rotated_at: String::new(),
        meta: Metadata::default(),
    };
    merged_metadata(&mut merged, ours, theirs);
    Some(merged)
}

/// The three versions of a secret that both sides have.
struct Sides<'a> {
    base: &'a Secret,
    ours: &'a Secret,
    theirs: &'a Secret,
}

impl<'a> Sides<'a> {
    /// Merges one field as a whole; a conflict keeps ours.
    fn field<T: PartialEq + Clone>(
        &self,
        pick: impl Fn(&Secret) -> &T,
        part: Part,
        conflict: &mut impl FnMut(Part, ConflictKind),
    ) -> T {
        let (b, o, t) = (pick(self.base), pick(self.ours), pick(self.theirs));
        match three_way(Some(b), Some(o), Some(t)) {
            Pick::Agreed(value) => value.unwrap_or(o).clone(),
            Pick::Differ(kind) => {
                conflict(part, kind);
                o.clone()
            }
        }
    }

    /// Merges a list of named items (variables or files) item by item.
    fn list<T: PartialEq + Clone + 'a>(
        &self,
        pick: impl Fn(&'a Secret) -> &'a Vec<T>,
        key: impl Fn(&T) -> &String,
        part: impl Fn(String) -> Part,
        conflict: &mut impl FnMut(Part, ConflictKind),
    ) -> Vec<T> {
        let lists: [&[T]; 3] = [pick(self.base), pick(self.ours), pick(self.theirs)];
        merge_named(lists, key, |name, kind| {
            conflict(part(name.to_owned()), kind)
        })
    }
}

/// Three-way merge of lists of items named by `key` (variables, files,
/// members), item by item. The result keeps our order, then what only they
/// added, in their order. A conflict keeps our side of the item (present or
/// deleted) and is reported with the item's name.
pub fn merge_named<'a, T: PartialEq + Clone + 'a>(
    [base, ours, theirs]: [&'a [T]; 3],
    key: impl Fn(&T) -> &String,
    mut conflict: impl FnMut(&str, ConflictKind),
) -> Vec<T> {
    let find = |items: &'a [T], name: &String| items.iter().find(|item| key(item) == name);
    // Items deleted on both sides, or on one side and unchanged on the other,
    // are in neither list and stay deleted; an item deleted on one side and
    // changed on the other is in the list of the side that changed it.
    let their_additions = theirs.iter().filter(|item| find(ours, key(item)).is_none());
    let mut merged = Vec::new();
    for name in ours.iter().chain(their_additions).map(&key) {
        let (b, o, t) = (find(base, name), find(ours, name), find(theirs, name));
        let chosen = match three_way(b, o, t) {
            Pick::Agreed(value) => value,
            Pick::Differ(kind) => {
                conflict(name, kind);
                o
            }
        };
        merged.extend(chosen.cloned());
    }
    merged
}

/// Merges the member lists of the three versions, member by member (a member
/// is what its side holds of it: name, kind, recipient, projects, and for the
/// passphrase its lock). A member removed on one side and unchanged on the
/// other is removed; removed on one side and changed on the other, it is a
/// conflict that keeps our side.
pub fn merge_members<M: PartialEq + Clone>(
    sides: [&[M]; 3],
    name: impl Fn(&M) -> &String,
    conflicts: &mut Vec<Conflict>,
) -> Vec<M> {
    merge_named(sides, name, |name, kind| {
        conflicts.push(Conflict {
            subject: Subject::Member(name.to_owned()),
            kind,
        })
    })
}

/// True when every member of `side` is in `merged` exactly as `side` has it:
/// then whatever `side`'s members could open, the merge's members may open
/// too. When false, a member was removed or changed (a passphrase replaced,
/// projects taken away), and the merge needs keys that member never held.
pub fn keeps_every_member<M: PartialEq>(side: &[M], merged: &[M]) -> bool {
    side.iter().all(|member| merged.contains(member))
}

/// The outcome of comparing one part across the three versions.
enum Pick<T> {
    /// The sides agree on this value (or only one side changed it).
    Agreed(T),
    /// Both sides changed it, each its own way.
    Differ(ConflictKind),
}

/// Three-way choice for one part, absent (`None`) or present.
fn three_way<'a, T: PartialEq>(
    base: Option<&'a T>,
    ours: Option<&'a T>,
    theirs: Option<&'a T>,
) -> Pick<Option<&'a T>> {
    if ours == theirs || base == theirs {
        return Pick::Agreed(ours);
    }
    if base == ours {
        return Pick::Agreed(theirs);
    }
    Pick::Differ(match (base, ours, theirs) {
        (None, _, _) => ConflictKind::AddedOnBoth,
        (_, None, _) => ConflictKind::DeletedByUs,
        (_, _, None) => ConflictKind::DeletedByThem,
        _ => ConflictKind::ChangedOnBoth,
    })
}

/// Fills in the merged secret's metadata and `rotated_at`: those of the side
/// whose contents it equals, else our creation, and the later of the two
/// updates and of the two rotations.
fn merged_metadata(merged: &mut Secret, ours: &Secret, theirs: &Secret) {
    let contents = |side: &Secret| Secret {
        meta: Metadata::default(),
        rotated_at: String::new(),
        ..side.clone()
    };
    for side in [ours, theirs] {
        if contents(side) == *merged {
            merged.meta = side.meta.clone();
            merged.rotated_at = side.rotated_at.clone();
            return;
        }
    }
    let updated = if is_later(&theirs.meta.updated_at, &ours.meta.updated_at) {
        &theirs.meta
    } else {
        &ours.meta
    };
    merged.meta = Metadata {
        created_at: ours.meta.created_at.clone(),
        created_by: ours.meta.created_by.clone(),
        updated_at: updated.updated_at.clone(),
        updated_by: updated.updated_by.clone(),
    };
    merged.rotated_at = if is_later(&theirs.rotated_at, &ours.rotated_at) {
        theirs.rotated_at.clone()
    } else {
        ours.rotated_at.clone()
    };
}

/// True when RFC 3339 time `a` is after `b` (unparsable times compare as text).
fn is_later(a: &str, b: &str) -> bool {
    match (a.parse::<jiff::Timestamp>(), b.parse::<jiff::Timestamp>()) {
        (Ok(a), Ok(b)) => a > b,
        _ => a > b,
    }
}

/// "org", "project 'blue'" or "project 'blue', environment 'prod'".
pub fn place(scope: &Scope, environment: Option<&str>) -> String {
    match environment {
        Some(environment) => format!("{}, environment '{environment}'", scope.describe()),
        None => scope.describe(),
    }
}

impl fmt::Display for Conflict {
    /// "secret 'aws' (org): variable AWS_KEY changed differently on both sides; kept ours".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (what, on_both) = match self.kind {
            ConflictKind::ChangedOnBoth => ("changed differently on both sides", "kept ours"),
            ConflictKind::AddedOnBoth => ("added differently on both sides", "kept ours"),
            ConflictKind::DeletedByUs => {
                ("deleted on our side and changed on theirs", "kept deleted")
            }
            ConflictKind::DeletedByThem => (
                "changed on our side and deleted on theirs",
                "kept our change",
            ),
        };
        match &self.subject {
            Subject::Secret {
                scope,
                secret,
                part,
            } => {
                let place = place(scope, secret.environment.as_deref());
                write!(
                    f,
                    "secret '{}' ({place}): {} {what}; {on_both}",
                    secret.name,
                    part.describe()
                )
            }
            Subject::Member(name) => {
                let on_both = match self.kind {
                    ConflictKind::DeletedByUs => "kept removed",
                    _ => on_both,
                };
                write!(f, "member '{name}' {what}; {on_both}")
            }
        }
    }
}

impl Part {
    fn describe(&self) -> String {
        match self {
            Part::Secret => "the secret".to_owned(),
            Part::Variable(key) => format!("variable {key}"),
            Part::File(path) => format!("file {path}"),
            Part::Description => "the description".to_owned(),
            Part::AllowedProjects => "the project allow-list".to_owned(),
            Part::AllowedBranches => "the branch rule".to_owned(),
            Part::RotateEvery => "the rotation period".to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::{SecretBytes, SecretString};
    use crate::vault::model::{EnvVar, SecretFile};

    fn secret(vars: &[(&str, &str)]) -> Secret {
        Secret {
            env: vars
                .iter()
                .map(|(name, value)| EnvVar {
                    name: (*name).to_owned(),
                    value: SecretString::from(*value),
                })
                .collect(),
            ..Secret::default()
        }
    }

    fn org(secrets: &[(&str, Secret)]) -> Payload {
        Payload {
            org: secrets
                .iter()
                .map(|(name, secret)| (SecretId::from(*name), secret.clone()))
                .collect(),
            ..Payload::default()
        }
    }

    fn vars(payload: &Payload, name: &str) -> Vec<(String, String)> {
        payload.org[&SecretId::from(name)]
            .env
            .iter()
            .map(|var| (var.name.clone(), var.value.expose().to_owned()))
            .collect()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn conflict(secret: &str, part: Part, kind: ConflictKind) -> Conflict {
        Conflict {
            subject: Subject::Secret {
                scope: Scope::Org,
                secret: SecretId::from(secret),
                part,
            },
            kind,
        }
    }

    #[test]
    fn nothing_changed_merges_to_the_same() {
        let base = org(&[("app", secret(&[("A", "1")]))]);
        let merged = merge(&base, &base, &base);
        assert_eq!(merged.payload, base);
        assert!(merged.conflicts.is_empty());
    }

    #[test]
    fn a_change_on_one_side_is_taken_from_that_side() {
        let base = org(&[("app", secret(&[("A", "1"), ("B", "2")]))]);
        let changed = org(&[("app", secret(&[("A", "1"), ("B", "3")]))]);
        for (ours, theirs) in [(&changed, &base), (&base, &changed)] {
            let merged = merge(&base, ours, theirs);
            assert_eq!(merged.payload, changed);
            assert!(merged.conflicts.is_empty());
        }
    }

    #[test]
    fn the_same_change_on_both_sides_is_taken_once() {
        let base = org(&[("app", secret(&[("A", "1")]))]);
        let both = org(&[("app", secret(&[("A", "2"), ("B", "3")]))]);
        let merged = merge(&base, &both, &both);
        assert_eq!(merged.payload, both);
        assert!(merged.conflicts.is_empty());
    }

    #[test]
    fn different_variables_changed_on_each_side_are_both_kept() {
        let base = org(&[("app", secret(&[("A", "1"), ("B", "2")]))]);
        let ours = org(&[("app", secret(&[("A", "ours"), ("B", "2"), ("C", "c")]))]);
        let theirs = org(&[("app", secret(&[("A", "1"), ("B", "theirs"), ("D", "d")]))]);
        let merged = merge(&base, &ours, &theirs);
        assert!(merged.conflicts.is_empty());
        assert_eq!(
            vars(&merged.payload, "app"),
            pairs(&[("A", "ours"), ("B", "theirs"), ("C", "c"), ("D", "d")])
        );
    }

    #[test]
    fn one_variable_changed_differently_conflicts_and_keeps_ours() {
        let base = org(&[("app", secret(&[("A", "1"), ("B", "2")]))]);
        let ours = org(&[("app", secret(&[("A", "ours"), ("B", "2")]))]);
        let theirs = org(&[("app", secret(&[("A", "theirs"), ("B", "b")]))]);
        let merged = merge(&base, &ours, &theirs);
        assert_eq!(
            vars(&merged.payload, "app"),
            pairs(&[("A", "ours"), ("B", "b")])
        );
        assert_eq!(
            merged.conflicts,
            [conflict(
                "app",
                Part::Variable("A".into()),
                ConflictKind::ChangedOnBoth
            )]
        );
    }

    #[test]
    fn a_variable_deleted_on_one_side_and_unchanged_on_the_other_is_deleted() {
        let base = org(&[("app", secret(&[("A", "1"), ("B", "2")]))]);
        let deleted = org(&[("app", secret(&[("B", "2")]))]);
        for (ours, theirs) in [(&deleted, &base), (&base, &deleted)] {
            let merged = merge(&base, ours, theirs);
            assert_eq!(vars(&merged.payload, "app"), pairs(&[("B", "2")]));
            assert!(merged.conflicts.is_empty());
        }
    }

    #[test]
    fn a_variable_deleted_by_us_and_changed_by_them_conflicts_and_stays_deleted() {
        let base = org(&[("app", secret(&[("A", "1"), ("B", "2")]))]);
        let ours = org(&[("app", secret(&[("B", "2")]))]);
        let theirs = org(&[("app", secret(&[("A", "new"), ("B", "2")]))]);
        let merged = merge(&base, &ours, &theirs);
        assert_eq!(vars(&merged.payload, "app"), pairs(&[("B", "2")]));
        assert_eq!(
            merged.conflicts,
            [conflict(
                "app",
                Part::Variable("A".into()),
                ConflictKind::DeletedByUs
            )]
        );
    }

    #[test]
    fn a_variable_changed_by_us_and_deleted_by_them_conflicts_and_keeps_our_change() {
        let base = org(&[("app", secret(&[("A", "1"), ("B", "2")]))]);
        let ours = org(&[("app", secret(&[("A", "new"), ("B", "2")]))]);
        let theirs = org(&[("app", secret(&[("B", "2")]))]);
        let merged = merge(&base, &ours, &theirs);
        assert_eq!(
            vars(&merged.payload, "app"),
            pairs(&[("A", "new"), ("B", "2")])
        );
        assert_eq!(
            merged.conflicts,
            [conflict(
                "app",
                Part::Variable("A".into()),
                ConflictKind::DeletedByThem
            )]
        );
    }

    #[test]
    fn a_variable_added_differently_on_both_sides_conflicts() {
        let base = org(&[("app", secret(&[]))]);
        let ours = org(&[("app", secret(&[("A", "ours")]))]);
        let theirs = org(&[("app", secret(&[("A", "theirs")]))]);
        let merged = merge(&base, &ours, &theirs);
        assert_eq!(vars(&merged.payload, "app"), pairs(&[("A", "ours")]));
        assert_eq!(
            merged.conflicts,
            [conflict(
                "app",
                Part::Variable("A".into()),
                ConflictKind::AddedOnBoth
            )]
        );
    }

    #[test]
    fn secrets_added_on_each_side_are_both_kept() {
        let base = org(&[]);
        let ours = org(&[("one", secret(&[("A", "1")]))]);
        let theirs = org(&[("two", secret(&[("B", "2")]))]);
        let merged = merge(&base, &ours, &theirs);
        assert!(merged.conflicts.is_empty());
        assert_eq!(
            merged.payload,
            org(&[
                ("one", secret(&[("A", "1")])),
                ("two", secret(&[("B", "2")]))
            ])
        );
    }

    #[test]
    fn a_secret_added_on_both_sides_merges_its_parts() {
        let base = org(&[]);
        let ours = org(&[("app", secret(&[("A", "1"), ("S", "same")]))]);
        let theirs = org(&[("app", secret(&[("S", "same"), ("B", "2")]))]);
        let merged = merge(&base, &ours, &theirs);
        assert!(merged.conflicts.is_empty());
        assert_eq!(
            vars(&merged.payload, "app"),
            pairs(&[("A", "1"), ("S", "same"), ("B", "2")])
        );
    }

    #[test]
    fn a_secret_deleted_on_one_side_and_unchanged_on_the_other_is_deleted() {
        let base = org(&[("app", secret(&[("A", "1")])), ("keep", secret(&[]))]);
        let deleted = org(&[("keep", secret(&[]))]);
        for (ours, theirs) in [(&deleted, &base), (&base, &deleted)] {
            let merged = merge(&base, ours, theirs);
            assert_eq!(merged.payload, deleted);
            assert!(merged.conflicts.is_empty());
        }
    }

    #[test]
    fn a_secret_deleted_by_us_and_changed_by_them_conflicts_and_stays_deleted() {
        let base = org(&[("app", secret(&[("A", "1")]))]);
        let ours = org(&[]);
        let theirs = org(&[("app", secret(&[("A", "2")]))]);
        let merged = merge(&base, &ours, &theirs);
        assert_eq!(merged.payload, ours);
        assert_eq!(
            merged.conflicts,
            [conflict("app", Part::Secret, ConflictKind::DeletedByUs)]
        );
    }

    #[test]
    fn a_secret_changed_by_us_and_deleted_by_them_conflicts_and_keeps_our_change() {
        let base = org(&[("app", secret(&[("A", "1")]))]);
        let ours = org(&[("app", secret(&[("A", "2")]))]);
        let theirs = org(&[]);
        let merged = merge(&base, &ours, &theirs);
        assert_eq!(merged.payload, ours);
        assert_eq!(
            merged.conflicts,
            [conflict("app", Part::Secret, ConflictKind::DeletedByThem)]
        );
    }

    #[test]
    fn files_merge_one_destination_at_a_time() {
        let file = |path: &str, bytes: &[u8]| SecretFile {
            path: path.to_owned(),
            contents: SecretBytes::new(bytes.to_vec()),
        };
        let with = |files: Vec<SecretFile>| {
            org(&[(
                "app",
                Secret {
                    files,
                    ..Secret::default()
                },
            )])
        };
        let base = with(vec![file("a.pem", b"a"), file("b.pem", b"b")]);
        let ours = with(vec![file("a.pem", b"ours"), file("b.pem", b"b")]);
        let theirs = with(vec![
            file("a.pem", b"theirs"),
            file("b.pem", b"b2"),
            file("c.pem", b"c"),
        ]);
        let merged = merge(&base, &ours, &theirs);
        let expected = with(vec![
            file("a.pem", b"ours"),
            file("b.pem", b"b2"),
            file("c.pem", b"c"),
        ]);
        assert_eq!(merged.payload, expected);
        assert_eq!(
            merged.conflicts,
            [conflict(
                "app",
                Part::File("a.pem".into()),
                ConflictKind::ChangedOnBoth
            )]
        );
    }

    fn described(description: &str, allowed: &[&str]) -> Payload {
        org(&[(
            "app",
            Secret {
                description: description.to_owned(),
                allowed_projects: allowed.iter().map(|p| (*p).to_owned()).collect(),
                ..Secret::default()
            },
        )])
    }

    #[test]
    fn description_and_allow_list_merge_as_parts() {
        let base = described("old", &["blue"]);
        let ours = described("new", &["blue"]);
        let theirs = described("old", &["blue", "green"]);
        let merged = merge(&base, &ours, &theirs);
        assert!(merged.conflicts.is_empty());
        assert_eq!(merged.payload, described("new", &["blue", "green"]));
    }

    #[test]
    fn description_and_allow_list_changed_differently_conflict() {
        let base = described("old", &[]);
        let ours = described("ours", &["blue"]);
        let theirs = described("theirs", &["green"]);
        let merged = merge(&base, &ours, &theirs);
        assert_eq!(merged.payload, ours);
        assert_eq!(
            merged.conflicts,
            [
                conflict("app", Part::Description, ConflictKind::ChangedOnBoth),
                conflict("app", Part::AllowedProjects, ConflictKind::ChangedOnBoth),
            ]
        );
    }

    #[test]
    fn project_secrets_merge_and_an_emptied_project_disappears() {
        let project = |secrets: &[(&str, Secret)]| Payload {
            projects: [(
                "blue".to_owned(),
                secrets
                    .iter()
                    .map(|(n, s)| (SecretId::from(*n), s.clone()))
                    .collect(),
            )]
            .into_iter()
            .filter(|(_, secrets): &(String, Secrets)| !secrets.is_empty())
            .collect(),
            ..Payload::default()
        };
        let base = project(&[("db", secret(&[("URL", "1")]))]);
        let ours = project(&[]);
        let merged = merge(&base, &ours, &base);
        assert_eq!(merged.payload, Payload::default());
        let theirs = project(&[("db", secret(&[("URL", "2")]))]);
        let merged = merge(&base, &ours, &theirs);
        assert_eq!(merged.payload, Payload::default());
        assert!(matches!(
            &merged.conflicts[0].subject,
            Subject::Secret { scope: Scope::Project(p), .. } if p == "blue"
        ));
    }

    fn stamped(vars: &[(&str, &str)], updated_at: &str, by: &str) -> Secret {
        Secret {
            meta: Metadata {
                created_at: "2026-01-01T00:00:00Z".into(),
                created_by: "creator@host".into(),
                updated_at: updated_at.into(),
                updated_by: by.into(),
            },
            rotated_at: updated_at.into(),
            ..secret(vars)
        }
    }

    #[test]
    fn metadata_follows_the_parts_and_takes_the_later_update() {
        let base = org(&[(
            "app",
            stamped(&[("A", "1"), ("B", "1")], "2026-01-01T00:00:00Z", "c"),
        )]);
        let ours = org(&[(
            "app",
            stamped(&[("A", "2"), ("B", "1")], "2026-02-01T00:00:00Z", "ours"),
        )]);
        let theirs = org(&[(
            "app",
            stamped(&[("A", "1"), ("B", "2")], "2026-03-01T00:00:00Z", "theirs"),
        )]);
        let merged = merge(&base, &ours, &theirs);
        let app = &merged.payload.org[&SecretId::from("app")];
        let meta = &app.meta;
        assert_eq!(meta.updated_by, "theirs");
        assert_eq!(meta.updated_at, "2026-03-01T00:00:00Z");
        assert_eq!(meta.created_by, "creator@host");
        assert_eq!(app.rotated_at, "2026-03-01T00:00:00Z");
        // Only their side changed: the merged secret is theirs, metadata too.
        let merged = merge(&base, &base, &theirs);
        assert_eq!(merged.payload, theirs);
    }

    #[test]
    fn a_conflict_names_secret_scope_and_key_but_never_a_value() {
        let canary = "canary-merge-7f3a";
        let base = org(&[("app", secret(&[("TOKEN", "1")]))]);
        let ours = org(&[("app", secret(&[("TOKEN", canary)]))]);
        let theirs = org(&[("app", secret(&[("TOKEN", "other-canary-value")]))]);
        let merged = merge(&base, &ours, &theirs);
        let text = format!("{} {:?}", merged.conflicts[0], merged.conflicts);
        assert!(text.contains("'app'") && text.contains("TOKEN") && text.contains("org"));
        assert!(
            !text.contains(canary) && !text.contains("other-canary"),
            "{text}"
        );
    }

    fn ruled(branches: &[&str], rotate_days: Option<u64>) -> Payload {
        org(&[(
            "app",
            Secret {
                allowed_branches: branches.iter().map(|b| (*b).to_owned()).collect(),
                rotate_every: rotate_days.map(|d| std::time::Duration::from_secs(d * 86_400)),
                ..Secret::default()
            },
        )])
    }

    #[test]
    fn branch_rule_and_rotation_period_merge_as_parts() {
        let base = ruled(&[], None);
        let ours = ruled(&["main"], None);
        let theirs = ruled(&[], Some(90));
        let merged = merge(&base, &ours, &theirs);
        assert!(merged.conflicts.is_empty());
        assert_eq!(merged.payload, ruled(&["main"], Some(90)));
    }

    #[test]
    fn branch_rule_and_rotation_period_changed_differently_conflict() {
        let base = ruled(&[], Some(30));
        let ours = ruled(&["main"], Some(60));
        let theirs = ruled(&["release/*"], Some(90));
        let merged = merge(&base, &ours, &theirs);
        assert_eq!(merged.payload, ours);
        assert_eq!(
            merged.conflicts,
            [
                conflict("app", Part::AllowedBranches, ConflictKind::ChangedOnBoth),
                conflict("app", Part::RotateEvery, ConflictKind::ChangedOnBoth),
            ]
        );
    }

    #[test]
    fn each_environment_of_a_secret_merges_on_its_own() {
        let prod = SecretId::new("app", Some("prod"));
        let with = |plain: &str, in_prod: &str| Payload {
            org: [
                (SecretId::from("app"), secret(&[("A", plain)])),
                (prod.clone(), secret(&[("A", in_prod)])),
            ]
            .into_iter()
            .collect(),
            ..Payload::default()
        };
        let base = with("1", "1");
        let merged = merge(&base, &with("ours", "1"), &with("1", "theirs"));
        assert!(merged.conflicts.is_empty());
        assert_eq!(merged.payload, with("ours", "theirs"));
        let merged = merge(&base, &with("1", "ours"), &with("1", "theirs"));
        assert_eq!(merged.payload, with("1", "ours"));
        assert_eq!(merged.conflicts.len(), 1);
        assert!(matches!(
            &merged.conflicts[0].subject,
            Subject::Secret { secret, .. } if *secret == prod
        ));
        let text = merged.conflicts[0].to_string();
        assert!(text.contains("environment 'prod'"), "{text}");
    }

    #[derive(Debug, Clone, PartialEq)]
    struct Member {
        name: String,
        projects: Option<Vec<String>>,
    }

    fn members(list: &[(&str, Option<&str>)]) -> Vec<Member> {
        list.iter()
            .map(|(name, project)| Member {
                name: (*name).to_owned(),
                projects: project.map(|p| vec![p.to_owned()]),
            })
            .collect()
    }

    fn merge_m(
        base: &[Member],
        ours: &[Member],
        theirs: &[Member],
    ) -> (Vec<Member>, Vec<Conflict>) {
        let mut conflicts = Vec::new();
        let merged = merge_members([base, ours, theirs], |m| &m.name, &mut conflicts);
        (merged, conflicts)
    }

    #[test]
    fn members_added_on_either_side_are_all_kept_with_the_same_keys() {
        let base = members(&[("passphrase", None)]);
        let ours = members(&[("passphrase", None), ("alice", None)]);
        let theirs = members(&[("passphrase", None), ("ci", Some("blue"))]);
        let (merged, conflicts) = merge_m(&base, &ours, &theirs);
        assert!(conflicts.is_empty());
        assert_eq!(
            merged,
            members(&[("passphrase", None), ("alice", None), ("ci", Some("blue"))])
        );
        assert!(keeps_every_member(&ours, &merged) && keeps_every_member(&theirs, &merged));
    }

    #[test]
    fn a_member_removed_on_one_side_stays_removed_and_needs_new_keys() {
        let base = members(&[("passphrase", None), ("mallory", None)]);
        let removed = members(&[("passphrase", None)]);
        for (ours, theirs) in [(&removed, &base), (&base, &removed)] {
            let (merged, conflicts) = merge_m(&base, ours, theirs);
            assert!(conflicts.is_empty());
            assert_eq!(merged, removed);
            assert!(!keeps_every_member(&base, &merged));
        }
    }

    #[test]
    fn a_member_removed_by_us_and_changed_by_them_conflicts_and_stays_removed() {
        let base = members(&[("passphrase", None), ("ci", Some("blue"))]);
        let ours = members(&[("passphrase", None)]);
        let theirs = members(&[("passphrase", None), ("ci", Some("green"))]);
        let (merged, conflicts) = merge_m(&base, &ours, &theirs);
        assert_eq!(merged, ours);
        assert_eq!(
            conflicts,
            [Conflict {
                subject: Subject::Member("ci".into()),
                kind: ConflictKind::DeletedByUs
            }]
        );
        assert_eq!(
            conflicts[0].to_string(),
            "member 'ci' deleted on our side and changed on theirs; kept removed"
        );
        assert!(!keeps_every_member(&theirs, &merged));
    }

    #[test]
    fn a_member_changed_on_one_side_is_taken_and_needs_new_keys() {
        let base = members(&[("passphrase", None), ("ci", Some("blue"))]);
        let theirs = members(&[("passphrase", None), ("ci", Some("green"))]);
        let (merged, conflicts) = merge_m(&base, &base, &theirs);
        assert!(conflicts.is_empty());
        assert_eq!(merged, theirs);
        assert!(!keeps_every_member(&base, &merged));
    }
}
