//! Wiping the opened vault just before `vault` exits, without freeing it.
//!
//! Dropping a payload of 10,000 secrets frees each of its strings and map
//! nodes one by one: 5% of a dry run, and more than linear in the number of
//! secrets (the allocator's bins). Only the values and file contents are
//! secret; they are overwritten with zeros, and the rest (names, metadata, the
//! maps) is left to the end of the process.

use crate::vault::model::{Payload, Secret};

/// Overwrites every value and file content of `payload` with zeros, then
/// leaks what is left. Only for a process about to exit: the memory stays
/// allocated until then.
pub fn forgetting(mut payload: Payload) {
    let scopes = std::iter::once(&mut payload.org).chain(payload.projects.values_mut());
    for secrets in scopes {
        secrets.values_mut().for_each(wipe_secret);
    }
    std::mem::forget(payload);
}

fn wipe_secret(secret: &mut Secret) {
    for var in &mut secret.env {
        var.value.wipe();
    }
    for file in &mut secret.files {
        file.contents.wipe();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::{SecretBytes, SecretString};
    use crate::vault::model::{Scope, SecretFile};

    #[test]
    fn every_value_and_file_is_zeroed_in_place() {
        let mut payload = Payload::default();
        let mut org = Secret::default();
        org.set_env("TOKEN", SecretString::from("canary-org-value"));
        org.files.push(SecretFile {
            path: "key.pem".into(),
            contents: SecretBytes::new(b"canary-file-bytes".to_vec()),
        });
        let mut own = Secret::default();
        own.set_env("DB", SecretString::from("canary-project-value"));
        payload.org.insert("a".into(), org);
        payload
            .scope_mut(&Scope::Project("blue".into()))
            .insert("b".into(), own);
        // Where the bytes are: the buffers stay allocated (leaked), so they
        // can still be read after.
        let mut spans: Vec<(*const u8, usize)> = Vec::new();
        for secrets in std::iter::once(&payload.org).chain(payload.projects.values()) {
            for secret in secrets.values() {
                let values = secret.env.iter().map(|v| v.value.expose().as_bytes());
                let files = secret.files.iter().map(|f| f.contents.expose());
                spans.extend(values.chain(files).map(|b| (b.as_ptr(), b.len())));
            }
        }
        assert_eq!(spans.len(), 3);
        forgetting(payload);
        for (ptr, len) in spans {
            // SAFETY: leaked, never freed: the allocation is still live.
            let bytes = unsafe { std::slice::from_raw_parts(ptr, len) };
            assert!(bytes.iter().all(|&b| b == 0), "not wiped: {bytes:?}");
        }
    }
}
