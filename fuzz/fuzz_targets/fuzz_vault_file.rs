//! The vault file parser and decryptor on hostile bytes. The first byte picks
//! what the rest is:
//! - 0: a whole file, as read from disk (almost always stopped by the checksum);
//! - 1: a file body whose checksum line is recomputed, so that the fuzzer
//!   reaches the field parser as a deliberate forger would;
//! - 2: decrypted payload bytes, as the key holder's postcard decoder sees them.
//!
//! Invariants: no panic; a file that parses is canonical (it re-serialises to
//! the same bytes), its KDF parameters are within bounds, and decrypting it
//! under a key that did not seal it fails as tampering (exit 5).
#![no_main]

use libfuzzer_sys::fuzz_target;
use sha2::{Digest, Sha256};
use vault::vault::crypto::KdfParams;
use vault::vault::format::VaultFile;
use vault::vault::model::Payload;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    match mode % 3 {
        0 => check_file(rest),
        1 => {
            let digest = Sha256::digest(rest);
            let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
            let mut file = rest.to_vec();
            file.extend_from_slice(format!("checksum = \"sha256:{hex}\"\n").as_bytes());
            check_file(&file);
        }
        _ => {
            if let Ok(payload) = postcard::from_bytes::<Payload>(rest) {
                // Whatever decodes re-encodes and decodes to the same payload.
                let again = postcard::to_stdvec(&payload).expect("a payload serialises");
                let back: Payload = postcard::from_bytes(&again).expect("and reads back");
                assert_eq!(back, payload);
            }
        }
    }
});

fn check_file(bytes: &[u8]) {
    match VaultFile::parse(bytes) {
        Ok(file) => {
            assert_eq!(file.to_bytes(), bytes, "a parsed file is canonical");
            let kdf: KdfParams = file.header.kdf;
            assert!(kdf.check_bounds().is_ok(), "bounds are checked on read");
            let key = zeroize::Zeroizing::new([7u8; 32]);
            let err = vault::vault::open_payload(&file, &key).expect_err("a forged payload");
            assert_eq!(err.exit_code(), 5);
        }
        Err(err) => {
            assert_eq!(err.exit_code(), 5, "{}", err.message);
            assert!(err.message.contains("vault file"), "{}", err.message);
        }
    }
}
