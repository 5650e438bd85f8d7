//! Members of a format 2 vault: who they are (kept in the sealed member list)
//! and how each one's grant is made and opened. Every member is an age
//! recipient: an X25519 `age1…` key, an SSH key, or, for the passphrase, an
//! X25519 identity kept in the file sealed under an Argon2id key of the
//! passphrase. So any full member can re-grant keys to every member without
//! knowing anyone's secret.

use std::io::{Read, Write};
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::crypto::{self, KdfParams, NONCE_LEN, SALT_LEN};
use super::format::VAULT_ID_LEN;
use super::keyring::Grant;
use crate::error::{Error, Result};
use crate::secret::SecretString;

/// What `vault member list` shows of one member.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberInfo {
    pub name: String,
    pub kind: MemberKind,
    /// The recipient the grant is encrypted to (for the passphrase, the public
    /// half of its stored identity: not shown to users).
    pub recipient: String,
    /// `None` for a full member.
    pub projects: Option<Vec<String>>,
    pub added_at: String,
    pub added_by: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MemberKind {
    Passphrase,
    Age,
    Ssh,
}

impl MemberKind {
    pub fn label(self) -> &'static str {
        match self {
            MemberKind::Passphrase => "passphrase",
            MemberKind::Age => "age",
            MemberKind::Ssh => "ssh",
        }
    }
}

/// The passphrase member's secret part, as stored in its member line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PassphraseLock {
    pub kdf: KdfParams,
    pub salt: [u8; SALT_LEN],
    /// nonce || XChaCha20-Poly1305(Argon2id(passphrase), identity text)
    pub sealed_identity: Vec<u8>,
}

/// A recipient given to `init --recipient` or `member add`: its kind and
/// canonical text.
pub fn parse_recipient(text: &str) -> Result<(MemberKind, String)> {
    let text = text.trim();
    if text.starts_with("age1") {
        let recipient = age::x25519::Recipient::from_str(text).map_err(|_| bad_recipient())?;
        return Ok((MemberKind::Age, recipient.to_string()));
    }
    if text.starts_with("ssh-ed25519 ") || text.starts_with("ssh-rsa ") {
        if text.contains('\n') {
            return Err(bad_recipient());
        }
        let recipient = age::ssh::Recipient::from_str(text).map_err(|_| bad_recipient())?;
        return Ok((MemberKind::Ssh, recipient.to_string()));
    }
    Err(bad_recipient())
}

fn bad_recipient() -> Error {
    Error::usage(
        "not a recipient: give an age X25519 recipient (age1…), a one-line ssh-ed25519 or ssh-rsa public key, or @PATH of a file holding one",
    )
}

fn recipient_of(kind: MemberKind, text: &str) -> Result<Box<dyn age::Recipient + Send>> {
    let broken = || Error::corrupt("a member's recipient in the vault is not valid");
    Ok(match kind {
        MemberKind::Ssh => Box::new(age::ssh::Recipient::from_str(text).map_err(|_| broken())?),
        _ => Box::new(age::x25519::Recipient::from_str(text).map_err(|_| broken())?),
    })
}

/// Encrypts `grant` to the member's recipient.
pub fn seal_grant(info: &MemberInfo, grant: &Grant) -> Result<Vec<u8>> {
    let recipient = recipient_of(info.kind, &info.recipient)?;
    let plaintext = zeroize::Zeroizing::new(
        postcard::to_stdvec(grant)
            .map_err(|e| Error::failure(format!("cannot encode a grant: {e}")))?,
    );
    let encryptor = age::Encryptor::with_recipients(std::iter::once(recipient.as_ref() as _))
        .map_err(|e| Error::failure(format!("cannot encrypt to member '{}': {e}", info.name)))?;
    let mut out = Vec::with_capacity(plaintext.len() + 300);
    let mut writer = encryptor
        .wrap_output(&mut out)
        .map_err(|e| Error::failure(format!("cannot encrypt: {e}")))?;
    writer
        .write_all(&plaintext)
        .and_then(|()| writer.finish().map(drop))
        .map_err(|e| Error::failure(format!("cannot encrypt: {e}")))?;
    Ok(out)
}

/// Opens a grant with any of `identities`; `None` when none of them is its
/// recipient. A grant for another vault is refused.
pub fn open_grant(
    sealed: &[u8],
    identities: &[&dyn age::Identity],
    vault_id: &[u8; VAULT_ID_LEN],
) -> Result<Option<Grant>> {
    let Ok(decryptor) = age::Decryptor::new_buffered(sealed) else {
        return Err(Error::corrupt(
            "a member line of the vault file is not an age file",
        ));
    };
    let Ok(mut reader) = decryptor.decrypt(identities.iter().copied()) else {
        return Ok(None);
    };
    let mut plaintext = zeroize::Zeroizing::new(Vec::new());
    reader
        .read_to_end(&mut plaintext)
        .map_err(|_| Error::corrupt("a member's grant fails authentication"))?;
    let grant =
        Grant::decode(&plaintext).ok_or_else(|| Error::corrupt("a member's grant is malformed"))?;
    if &grant.vault_id != vault_id {
        return Err(Error::corrupt("a member's grant belongs to another vault"));
    }
    Ok(Some(grant))
}

/// A new passphrase member: an X25519 identity sealed under the passphrase.
/// Returns the lock for its member line and the recipient to grant keys to.
pub fn passphrase_member(
    passphrase: &SecretString,
    kdf: KdfParams,
    vault_id: &[u8; VAULT_ID_LEN],
) -> Result<(PassphraseLock, String)> {
    use age::secrecy::ExposeSecret;
    let identity = age::x25519::Identity::generate();
    let salt: [u8; SALT_LEN] = crypto::random_bytes();
    let kek = crypto::derive_key(passphrase.expose().as_bytes(), &salt, kdf)?;
    let text = identity.to_string();
    let (nonce, sealed) = crypto::seal(
        &kek,
        &passphrase_aad(vault_id, kdf, &salt),
        text.expose_secret().as_bytes(),
    );
    let lock = PassphraseLock {
        kdf,
        salt,
        sealed_identity: [&nonce[..], &sealed].concat(),
    };
    Ok((lock, identity.to_public().to_string()))
}

/// The passphrase member's identity text, unsealed with `passphrase` (exit 4 when wrong).
pub fn unlock_passphrase(
    lock: &PassphraseLock,
    passphrase: &SecretString,
    vault_id: &[u8; VAULT_ID_LEN],
) -> Result<SecretString> {
    let wrong = || {
        Error::auth("wrong passphrase")
            .with_hint("check VAULT_PASSPHRASE, VAULT_PASSPHRASE_FILE or --passphrase-file")
    };
    let kek = crypto::derive_key(passphrase.expose().as_bytes(), &lock.salt, lock.kdf)?;
    let (nonce, sealed) = lock.sealed_identity.split_at(NONCE_LEN);
    let nonce: &[u8; NONCE_LEN] = nonce.try_into().map_err(|_| wrong())?;
    let aad = passphrase_aad(vault_id, lock.kdf, &lock.salt);
    let text = crypto::open(&kek, nonce, &aad, sealed).ok_or_else(wrong)?;
    let text = std::str::from_utf8(&text).map_err(|_| wrong())?;
    Ok(SecretString::from(text))
}

/// An X25519 identity from its `AGE-SECRET-KEY-1…` text.
pub fn x25519_identity(text: &SecretString) -> Result<Box<dyn age::Identity>> {
    age::x25519::Identity::from_str(text.expose().trim())
        .map(|identity| Box::new(identity) as Box<dyn age::Identity>)
        .map_err(|_| Error::auth("not an age identity (AGE-SECRET-KEY-1…)"))
}

fn passphrase_aad(vault_id: &[u8; VAULT_ID_LEN], kdf: KdfParams, salt: &[u8]) -> Vec<u8> {
    let mut aad = b"vault/passphrase\n".to_vec();
    aad.extend_from_slice(vault_id);
    for n in [kdf.memory_kib, kdf.iterations, kdf.parallelism] {
        aad.extend_from_slice(&n.to_be_bytes());
    }
    aad.extend_from_slice(salt);
    aad
}

/// Reads identities from the text of an age identity file or an unencrypted
/// OpenSSH private key (ed25519 or RSA).
pub fn parse_identities(text: &str, origin: &str) -> Result<Vec<Box<dyn age::Identity>>> {
    let unusable = |why: &str| {
        Error::auth(format!("{origin} is not a usable identity: {why}"))
            .with_hint("give an age identity file (from `vault keygen`) or an unencrypted OpenSSH ed25519/RSA key")
    };
    if text.trim_start().starts_with("-----BEGIN") {
        let identity = age::ssh::Identity::from_buffer(text.as_bytes(), None)
            .map_err(|_| unusable("not an OpenSSH private key"))?;
        return match identity {
            age::ssh::Identity::Unencrypted(_) => Ok(vec![Box::new(identity)]),
            age::ssh::Identity::Encrypted(_) => Err(unusable(
                "the SSH key is encrypted with a passphrase, which vault does not prompt for",
            )),
            age::ssh::Identity::Unsupported(_) => {
                Err(unusable("this SSH key type is not supported"))
            }
        };
    }
    let file = age::IdentityFile::from_buffer(text.as_bytes())
        .map_err(|_| unusable("not an age identity file"))?;
    let identities = file
        .into_identities()
        .map_err(|_| unusable("not an age identity file"))?;
    if identities.is_empty() {
        return Err(unusable("it holds no identity"));
    }
    Ok(identities)
}

/// A new age X25519 identity: its file text and its recipient.
pub fn generate_identity() -> (SecretString, String) {
    use age::secrecy::ExposeSecret;
    let identity = age::x25519::Identity::generate();
    let recipient = identity.to_public().to_string();
    let text = format!(
        "# created by vault keygen: {}\n# public key: {recipient}\n{}\n",
        super::actor::now(),
        identity.to_string().expose_secret()
    );
    (SecretString::new(text), recipient)
}
