//! The one error type of `vault`. Each error carries the exit code the contract
//! assigns to it, a message a user can act on and, where it helps, a hint.
//! Messages never contain secret values: build them from names, paths and counts.

use std::fmt;
use std::io;
use std::path::Path;

/// The contract's exit codes (SPEC.md, "Exit codes").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// 1: any other failure.
    Failure,
    /// 2: usage or validation error.
    Usage,
    /// 3: vault file, secret or project not found.
    NotFound,
    /// 4: wrong passphrase, no key source, expired or revoked session.
    Auth,
    /// 5: vault file corrupt, tampered, truncated or of an unknown version.
    Corrupt,
    /// 6: already exists, a file destination exists, lock held too long.
    Conflict,
    /// 7: denied by an allow-list.
    Denied,
}

impl Kind {
    pub fn exit_code(self) -> i32 {
        match self {
            Kind::Failure => 1,
            Kind::Usage => 2,
            Kind::NotFound => 3,
            Kind::Auth => 4,
            Kind::Corrupt => 5,
            Kind::Conflict => 6,
            Kind::Denied => 7,
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    pub kind: Kind,
    pub message: String,
    pub hint: Option<String>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(kind: Kind, message: impl fmt::Display) -> Error {
        Error {
            kind,
            message: message.to_string(),
            hint: None,
        }
    }

    pub fn failure(message: impl fmt::Display) -> Error {
        Error::new(Kind::Failure, message)
    }

    pub fn usage(message: impl fmt::Display) -> Error {
        Error::new(Kind::Usage, message)
    }

    pub fn not_found(message: impl fmt::Display) -> Error {
        Error::new(Kind::NotFound, message)
    }

    pub fn auth(message: impl fmt::Display) -> Error {
        Error::new(Kind::Auth, message)
    }

    pub fn corrupt(message: impl fmt::Display) -> Error {
        Error::new(Kind::Corrupt, message)
    }

    pub fn conflict(message: impl fmt::Display) -> Error {
        Error::new(Kind::Conflict, message)
    }

    pub fn denied(message: impl fmt::Display) -> Error {
        Error::new(Kind::Denied, message)
    }

    /// An I/O failure on `path`, phrased as "cannot ACTION PATH: reason".
    pub fn io(action: &str, path: &Path, err: io::Error) -> Error {
        let kind = match err.kind() {
            io::ErrorKind::NotFound => Kind::NotFound,
            io::ErrorKind::AlreadyExists => Kind::Conflict,
            _ => Kind::Failure,
        };
        Error::new(kind, format!("cannot {action} {}: {err}", path.display()))
    }

    /// Adds a suggestion that is printed under the message.
    pub fn with_hint(mut self, hint: impl fmt::Display) -> Error {
        self.hint = Some(hint.to_string());
        self
    }

    pub fn exit_code(&self) -> i32 {
        self.kind.exit_code()
    }
}
