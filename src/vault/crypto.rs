//! The cryptography of the vault file: Argon2id turns the passphrase into a key
//! that wraps a random data key; the data key seals the payload with
//! XChaCha20-Poly1305 under a fresh random nonce each time.

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, AeadInPlace, KeyInit, Payload as AeadPayload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use zeroize::Zeroizing;

use crate::error::{Error, Result};

pub const KEY_LEN: usize = 32;
pub const NONCE_LEN: usize = 24;
pub const TAG_LEN: usize = 16;
pub const SALT_LEN: usize = 16;

/// Argon2id cost parameters, as stored in the file header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KdfParams {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl KdfParams {
    /// Default: about half a second on a 2-core machine (see docs/SECURITY.md;
    /// measured in bench/RESULTS.md: 256 MiB took 0.94 s there, 160 MiB 0.53 s).
    pub const DEFAULT: KdfParams = KdfParams {
        memory_kib: 160 * 1024,
        iterations: 3,
        parallelism: 1,
    };
    /// Bounds enforced on every file read, before any work, so that a hostile
    /// file cannot make `vault` allocate gigabytes or spin for minutes.
    pub const MIN_MEMORY_KIB: u32 = 8 * 1024;
    pub const MAX_MEMORY_KIB: u32 = 1024 * 1024;
    pub const MAX_ITERATIONS: u32 = 64;
    pub const MAX_PARALLELISM: u32 = 8;

    pub fn check_bounds(&self) -> std::result::Result<(), String> {
        let Self {
            memory_kib,
            iterations,
            parallelism,
        } = *self;
        if !(Self::MIN_MEMORY_KIB..=Self::MAX_MEMORY_KIB).contains(&memory_kib) {
            return Err(format!(
                "KDF memory {memory_kib} KiB is outside {}..={} KiB",
                Self::MIN_MEMORY_KIB,
                Self::MAX_MEMORY_KIB
            ));
        }
        if !(1..=Self::MAX_ITERATIONS).contains(&iterations) {
            return Err(format!(
                "KDF iterations {iterations} is outside 1..={}",
                Self::MAX_ITERATIONS
            ));
        }
        if !(1..=Self::MAX_PARALLELISM).contains(&parallelism) {
            return Err(format!(
                "KDF parallelism {parallelism} is outside 1..={}",
                Self::MAX_PARALLELISM
            ));
        }
        Ok(())
    }
}

/// A 256-bit key: the data key or a key derived from the passphrase.
pub type Key = Zeroizing<[u8; KEY_LEN]>;

pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).expect("the operating system's random source failed");
    bytes
}

/// Lower-case hex, for file names and checksums.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn random_key() -> Key {
    Zeroizing::new(random_bytes::<KEY_LEN>())
}

/// Derives the key-encryption key from the passphrase with Argon2id.
pub fn derive_key(passphrase: &[u8], salt: &[u8], params: KdfParams) -> Result<Key> {
    let params = Params::new(
        params.memory_kib,
        params.iterations,
        params.parallelism,
        Some(KEY_LEN),
    )
    .map_err(|e| Error::corrupt(format!("invalid KDF parameters: {e}")))?;
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
    let mut key = Zeroizing::new([0u8; KEY_LEN]);
    argon
        .hash_password_into(passphrase, salt, key.as_mut())
        .map_err(|e| Error::failure(format!("key derivation failed: {e}")))?;
    Ok(key)
}

/// Encrypts `plaintext` under `key` with a fresh random nonce; returns (nonce, ciphertext).
pub fn seal(key: &[u8; KEY_LEN], aad: &[u8], plaintext: &[u8]) -> ([u8; NONCE_LEN], Vec<u8>) {
    let nonce = random_bytes::<NONCE_LEN>();
    let cipher = XChaCha20Poly1305::new(key.into());
    let message = AeadPayload {
        msg: plaintext,
        aad,
    };
    let ciphertext = cipher
        .encrypt(XNonce::from_slice(&nonce), message)
        .expect("XChaCha20-Poly1305 encryption cannot fail for in-memory buffers");
    (nonce, ciphertext)
}

/// `seal`, encrypting `buffer` where it lies (the tag is appended to it): a
/// large payload is sealed without a second buffer of its size.
pub fn seal_in_place(key: &[u8; KEY_LEN], aad: &[u8], buffer: &mut Vec<u8>) -> [u8; NONCE_LEN] {
    let nonce = random_bytes::<NONCE_LEN>();
    XChaCha20Poly1305::new(key.into())
        .encrypt_in_place(XNonce::from_slice(&nonce), aad, buffer)
        .expect("XChaCha20-Poly1305 encryption cannot fail for in-memory buffers");
    nonce
}

/// Decrypts and authenticates; `None` when the key is wrong or the data was changed.
pub fn open(
    key: &[u8; KEY_LEN],
    nonce: &[u8; NONCE_LEN],
    aad: &[u8],
    ciphertext: &[u8],
) -> Option<Zeroizing<Vec<u8>>> {
    let cipher = XChaCha20Poly1305::new(key.into());
    let message = AeadPayload {
        msg: ciphertext,
        aad,
    };
    cipher
        .decrypt(XNonce::from_slice(nonce), message)
        .ok()
        .map(Zeroizing::new)
}

/// Decrypts and authenticates `buffer` (ciphertext and tag) where it lies,
/// leaving the plaintext; `false`, with `buffer` unchanged, when the key is
/// wrong or the data was changed. A large payload is decrypted without a second
/// buffer of its size.
pub fn open_in_place(
    key: &[u8; KEY_LEN],
    nonce: &[u8; NONCE_LEN],
    aad: &[u8],
    buffer: &mut Vec<u8>,
) -> bool {
    XChaCha20Poly1305::new(key.into())
        .decrypt_in_place(XNonce::from_slice(nonce), aad, buffer)
        .is_ok()
}

/// Turns decrypted bytes back into a key; `None` if the length is wrong.
pub fn key_from_bytes(bytes: &[u8]) -> Option<Key> {
    let array: [u8; KEY_LEN] = bytes.try_into().ok()?;
    Some(Zeroizing::new(array))
}

/// A key for one purpose, derived from `key` with keyed BLAKE2b-256.
pub fn derive(key: &[u8; KEY_LEN], purpose: &[u8]) -> Key {
    use blake2::digest::Mac;
    let mut mac = <blake2::Blake2bMac<blake2::digest::consts::U32> as Mac>::new_from_slice(key)
        .expect("32-byte keys");
    mac.update(purpose);
    let mut out = Key::default();
    out.copy_from_slice(&mac.finalize().into_bytes()[..KEY_LEN]);
    out
}
