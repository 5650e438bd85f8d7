//! Types that hold secret material. They zeroize their memory when dropped and
//! never print their contents through `Debug`, so a stray `{:?}` in a log line or
//! a panic message cannot leak a value.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use zeroize::{Zeroize, Zeroizing};

/// A secret UTF-8 value: an environment variable's value or a passphrase.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SecretString(Zeroizing<String>);

impl SecretString {
    pub fn new(value: String) -> SecretString {
        SecretString(Zeroizing::new(value))
    }

    /// The value itself. Callers must not put it in messages or logs.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Overwrites the value with zeros now, leaving it empty: for a value
    /// that will not be dropped (`exec::wipe`).
    pub fn wipe(&mut self) {
        self.0.zeroize();
    }
}

impl From<&str> for SecretString {
    fn from(value: &str) -> SecretString {
        SecretString::new(value.to_owned())
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretString([redacted])")
    }
}

impl Serialize for SecretString {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for SecretString {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(SecretString::new)
    }
}

/// Secret bytes: the contents of a secret file, or key material.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SecretBytes(Zeroizing<Vec<u8>>);

impl SecretBytes {
    pub fn new(bytes: Vec<u8>) -> SecretBytes {
        SecretBytes(Zeroizing::new(bytes))
    }

    /// The bytes themselves. Callers must not put them in messages or logs.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }

    /// Overwrites the bytes with zeros now, leaving them empty: for bytes
    /// that will not be dropped (`exec::wipe`).
    pub fn wipe(&mut self) {
        self.0.zeroize();
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for SecretBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretBytes([redacted; {} bytes])", self.0.len())
    }
}

impl Serialize for SecretBytes {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(&self.0)
    }
}

impl<'de> Deserialize<'de> for SecretBytes {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde_bytes::ByteBuf::deserialize(deserializer).map(|buf| SecretBytes::new(buf.into_vec()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_prints_the_value() {
        let canary = "canary-3f9a1c-value";
        let text = format!(
            "{:?} {:?}",
            SecretString::from(canary),
            SecretBytes::new(canary.as_bytes().to_vec())
        );
        assert!(!text.contains(canary), "{text}");
        assert!(text.contains("redacted"));
    }
}
