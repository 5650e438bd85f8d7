//! The payload of format 1, frozen: format 1 files are read through these
//! types and converted to the current model, so the model can grow without
//! changing how old files decode (postcard encodes a struct as its fields in
//! order, so any change to `model::Secret` would change the wire layout).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::model::{EnvVar, Metadata, Payload, Secret, SecretFile, SecretId, Secrets};
use crate::error::{Error, Result};

/// Format 1's payload: org secrets and project secrets by name.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct V1Payload {
    pub org: BTreeMap<String, V1Secret>,
    pub projects: BTreeMap<String, BTreeMap<String, V1Secret>>,
}

/// Format 1's secret. `EnvVar` and `SecretFile` are two strings each on the
/// wire; they must keep that shape for this struct to stay format 1's.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct V1Secret {
    pub env: Vec<EnvVar>,
    pub files: Vec<SecretFile>,
    pub description: String,
    pub allowed_projects: Vec<String>,
    pub meta: V1Metadata,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct V1Metadata {
    pub created_at: String,
    pub created_by: String,
    pub updated_at: String,
    pub updated_by: String,
}

impl From<V1Secret> for Secret {
    fn from(old: V1Secret) -> Secret {
        let V1Metadata {
            created_at,
            created_by,
            updated_at,
            updated_by,
        } = old.meta;
        Secret {
            env: old.env,
            files: old.files,
            description: old.description,
            allowed_projects: old.allowed_projects,
            allowed_branches: Vec::new(),
            rotate_every: None,
            // Format 1 did not record rotations: its last change is the best
            // (latest possible) answer.
            rotated_at: updated_at.clone(),
            meta: Metadata {
                created_at,
                created_by,
                updated_at,
                updated_by,
            },
        }
    }
}

impl From<V1Payload> for Payload {
    fn from(old: V1Payload) -> Payload {
        let convert = |secrets: BTreeMap<String, V1Secret>| -> Secrets {
            secrets
                .into_iter()
                .map(|(name, secret)| (SecretId::plain(&name), secret.into()))
                .collect()
        };
        Payload {
            org: convert(old.org),
            projects: old
                .projects
                .into_iter()
                .map(|(project, secrets)| (project, convert(secrets)))
                .collect(),
        }
    }
}

impl TryFrom<&Secret> for V1Secret {
    type Error = Error;

    /// Only what format 1 can hold: a secret with a branch rule or a rotation
    /// period needs format 2.
    fn try_from(secret: &Secret) -> Result<V1Secret> {
        if !secret.allowed_branches.is_empty() || secret.rotate_every.is_some() {
            return Err(needs_format_2());
        }
        Ok(V1Secret {
            env: secret.env.clone(),
            files: secret.files.clone(),
            description: secret.description.clone(),
            allowed_projects: secret.allowed_projects.clone(),
            meta: V1Metadata {
                created_at: secret.meta.created_at.clone(),
                created_by: secret.meta.created_by.clone(),
                updated_at: secret.meta.updated_at.clone(),
                updated_by: secret.meta.updated_by.clone(),
            },
        })
    }
}

impl TryFrom<&Payload> for V1Payload {
    type Error = Error;

    fn try_from(payload: &Payload) -> Result<V1Payload> {
        let convert = |secrets: &Secrets| -> Result<BTreeMap<String, V1Secret>> {
            secrets
                .iter()
                .map(|(id, secret)| {
                    if id.environment.is_some() {
                        return Err(needs_format_2());
                    }
                    Ok((id.name.clone(), V1Secret::try_from(secret)?))
                })
                .collect()
        };
        Ok(V1Payload {
            org: convert(&payload.org)?,
            projects: payload
                .projects
                .iter()
                .map(|(project, secrets)| Ok((project.clone(), convert(secrets)?)))
                .collect::<Result<_>>()?,
        })
    }
}

pub fn needs_format_2() -> Error {
    Error::failure(
        "environments, branch rules and rotation periods need vault format 2, which this build does not write yet",
    )
}
