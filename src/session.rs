//! Sessions from `vault unlock`: the data key sealed under a random session
//! key, with its expiry inside the ciphertext, in a private runtime directory.
//! The token printed to the user carries the session key; the file carries the
//! sealed data key; neither alone opens the vault.

use std::fs::{self, DirBuilder};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::vault::crypto::{self, KEY_LEN, NONCE_LEN, hex};
use crate::vault::format::VAULT_ID_LEN;

const TOKEN_PREFIX: &str = "vs1_";
const SESSION_ID_LEN: usize = 16;
const TOKEN_LEN: usize = VAULT_ID_LEN + SESSION_ID_LEN + KEY_LEN;

/// The private directory for sessions and exec journals: `$XDG_RUNTIME_DIR/vault`,
/// else [`fallback_runtime_dir`]; created 0700 and refused if another user owns it.
pub fn runtime_dir() -> Result<PathBuf> {
    let dir = match std::env::var_os("XDG_RUNTIME_DIR").filter(|d| Path::new(d).is_dir()) {
        Some(base) => PathBuf::from(base).join("vault"),
        None => fallback_runtime_dir()?,
    };
    private_dir(&dir)?;
    Ok(dir)
}

/// Without `XDG_RUNTIME_DIR` (cron, `su`, `docker exec`, many CI jobs): `vault/runtime`
/// in the user's own state directory (`$XDG_STATE_HOME`, `~/.local/state`; the cache
/// directory where there is none). A fixed name in the shared temp dir could be
/// created first by any local user, blocking every `unlock`, `exec` and `edit`.
pub fn fallback_runtime_dir() -> Result<PathBuf> {
    let dirs = directories::BaseDirs::new().ok_or_else(|| {
        Error::failure("no private runtime directory: XDG_RUNTIME_DIR is not set and there is no home directory")
            .with_hint("set XDG_RUNTIME_DIR or HOME")
    })?;
    let base = dirs.state_dir().unwrap_or(dirs.cache_dir());
    Ok(base.join("vault").join("runtime"))
}

/// Creates `dir` with mode 0700, or checks that an existing one is ours and private.
pub fn private_dir(dir: &Path) -> Result<()> {
    DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|err| Error::io("create directory", dir, err))?;
    let meta = fs::symlink_metadata(dir).map_err(|err| Error::io("inspect", dir, err))?;
    if !meta.is_dir() || meta.uid() != nix::unistd::getuid().as_raw() {
        return Err(Error::failure(format!(
            "{} is not a directory owned by you; refusing to keep secrets there",
            dir.display()
        )));
    }
    if meta.permissions().mode() & 0o077 != 0 {
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700))
            .map_err(|err| Error::io("restrict permissions of", dir, err))?;
    }
    Ok(())
}

fn sessions_dir(vault_id: &[u8; VAULT_ID_LEN]) -> Result<PathBuf> {
    Ok(runtime_dir()?.join("sessions").join(hex(vault_id)))
}

/// Starts a session for `vault_id` lasting `ttl`; returns the token. The
/// session is bound to `wrapped_key` (the vault file's key nonce and wrapped
/// data key when it was unlocked: `VaultFile::key_binding`): if someone swaps in
/// another, the session stops opening the vault rather than silently carrying
/// the forgery into new writes.
pub fn create(
    vault_id: &[u8; VAULT_ID_LEN],
    wrapped_key: &[u8],
    data_key: &[u8],
    ttl: Duration,
) -> Result<Zeroizing<String>> {
    create_in(
        &sessions_dir(vault_id)?,
        vault_id,
        wrapped_key,
        data_key,
        ttl,
    )
}

/// `VAULT_SESSION`, as the vault's key source.
pub struct Token(pub crate::secret::SecretString);

impl crate::vault::SessionKeys for Token {
    fn open(&self, vault_id: &[u8; VAULT_ID_LEN], binding: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
        open(&self.0, vault_id, binding)
    }
}

/// The data key of the session named by `token`, if it belongs to `vault_id`,
/// was made for `wrapped_key`, and has neither expired nor been ended.
pub fn open(
    token: &crate::secret::SecretString,
    vault_id: &[u8; VAULT_ID_LEN],
    wrapped_key: &[u8],
) -> Result<Zeroizing<Vec<u8>>> {
    let token = Parsed::parse(token.expose())?;
    if token.vault_id() != vault_id {
        return Err(session_error(
            "VAULT_SESSION belongs to another vault (it was made by `vault unlock` on a different vault file)",
        ));
    }
    open_in(&sessions_dir(vault_id)?, &token, wrapped_key)
}

/// The session file holds `nonce || seal(session key, expiry || data key)`; the
/// token holds the vault id, the session id and the session key.
fn create_in(
    dir: &Path,
    vault_id: &[u8; VAULT_ID_LEN],
    wrapped_key: &[u8],
    data_key: &[u8],
    ttl: Duration,
) -> Result<Zeroizing<String>> {
    private_dir(dir)?;
    remove_expired(dir);
    let session_id: [u8; SESSION_ID_LEN] = crypto::random_bytes();
    let session_key = crypto::random_key();
    let expiry_secs = now_secs().saturating_add(ttl.as_secs());

    let mut plaintext = Zeroizing::new(expiry_secs.to_be_bytes().to_vec());
    plaintext.extend_from_slice(data_key.as_ref());
    let (nonce, sealed) = crypto::seal(
        &session_key,
        &aad(vault_id, &session_id, wrapped_key),
        &plaintext,
    );
    let mut contents = nonce.to_vec();
    contents.extend_from_slice(&sealed);
    write_private(dir, &hex(&session_id), &contents)?;

    let mut raw = Zeroizing::new(Vec::with_capacity(TOKEN_LEN));
    raw.extend_from_slice(vault_id);
    raw.extend_from_slice(&session_id);
    raw.extend_from_slice(session_key.as_ref());
    Ok(Zeroizing::new(format!(
        "{TOKEN_PREFIX}{}",
        B64URL.encode(&raw)
    )))
}

fn open_in(dir: &Path, token: &Parsed, wrapped_key: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    let path = dir.join(hex(token.session_id()));
    let contents = match fs::read(&path) {
        Ok(contents) => contents,
        Err(err) if err.kind() == io::ErrorKind::NotFound => {
            return Err(session_error(
                "the session has ended (by `vault lock`, `vault passwd` or a reboot)",
            ));
        }
        Err(err) => return Err(Error::io("read session", &path, err)),
    };
    let session_key = crypto::key_from_bytes(token.session_key()).expect("length checked");
    let plaintext = (contents.len() > NONCE_LEN)
        .then(|| {
            let (nonce, sealed) = contents.split_at(NONCE_LEN);
            let nonce: &[u8; NONCE_LEN] = nonce.try_into().ok()?;
            let aad = aad(token.vault_id(), token.session_id(), wrapped_key);
            crypto::open(&session_key, nonce, &aad, sealed)
        })
        .flatten()
        .filter(|p| p.len() > 8)
        .ok_or_else(|| {
            session_error(
                "VAULT_SESSION does not match its session file or this vault: the session was ended \
                 (by `vault lock`, `rekey`, `passwd` or a member's removal), the token is damaged, \
                 or the vault file's wrapped key was replaced",
            )
        })?;
    let expiry = u64::from_be_bytes(plaintext[..8].try_into().expect("8 bytes"));
    if now_secs() >= expiry {
        let _ = fs::remove_file(&path);
        let when = i64::try_from(expiry)
            .ok()
            .and_then(|secs| jiff::Timestamp::from_second(secs).ok())
            .map(|t| format!(" at {t}"))
            .unwrap_or_default();
        return Err(session_error(&format!("the session expired{when}")));
    }
    Ok(Zeroizing::new(plaintext[8..].to_vec()))
}

/// A decoded `VAULT_SESSION`: vault id, session id and session key.
struct Parsed(Zeroizing<Vec<u8>>);

impl Parsed {
    fn parse(text: &str) -> Result<Parsed> {
        text.trim()
            .strip_prefix(TOKEN_PREFIX)
            .and_then(|t| B64URL.decode(t).ok())
            .map(Zeroizing::new)
            .filter(|raw| raw.len() == TOKEN_LEN)
            .map(Parsed)
            .ok_or_else(|| {
                session_error("VAULT_SESSION is not a vault session token (garbled or truncated?)")
            })
    }

    fn vault_id(&self) -> &[u8] {
        &self.0[..VAULT_ID_LEN]
    }

    fn session_id(&self) -> &[u8] {
        &self.0[VAULT_ID_LEN..VAULT_ID_LEN + SESSION_ID_LEN]
    }

    fn session_key(&self) -> &[u8] {
        &self.0[VAULT_ID_LEN + SESSION_ID_LEN..]
    }
}

/// Ends every session of `vault_id`; returns how many there were.
pub fn end_all(vault_id: &[u8; VAULT_ID_LEN]) -> Result<usize> {
    let dir = sessions_dir(vault_id)?;
    let count = fs::read_dir(&dir)
        .map(|entries| entries.count())
        .unwrap_or(0);
    match fs::remove_dir_all(&dir) {
        Ok(()) => Ok(count),
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(0),
        Err(err) => Err(Error::io("remove sessions in", &dir, err)),
    }
}

/// Parses a TTL such as `90s`, `10m`, `1h` or `2d`.
pub fn parse_ttl(text: &str) -> std::result::Result<Duration, String> {
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("'{text}' is not a duration: write e.g. 90s, 10m, 1h"))?;
    let seconds = match unit {
        "s" => number,
        "m" => number.saturating_mul(60),
        "h" => number.saturating_mul(3600),
        "d" => number.saturating_mul(86_400),
        _ => return Err(format!("'{text}' has no unit: write e.g. 90s, 10m, 1h")),
    };
    if seconds == 0 || seconds > 31 * 86_400 {
        return Err(format!(
            "'{text}' is out of range: use 1s to 31d, e.g. 90s, 10m, 1h"
        ));
    }
    Ok(Duration::from_secs(seconds))
}

fn remove_expired(dir: &Path) {
    // A session's expiry is sealed, so only the file's age can be read here:
    // files older than the longest TTL are certainly dead.
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > Duration::from_secs(31 * 86_400));
        if old {
            let _ = fs::remove_file(entry.path());
        }
    }
}

fn write_private(dir: &Path, name: &str, contents: &[u8]) -> Result<()> {
    let mut temp = tempfile::Builder::new()
        .permissions(fs::Permissions::from_mode(0o600))
        .tempfile_in(dir)
        .map_err(|err| Error::io("create session in", dir, err))?;
    temp.write_all(contents)
        .and_then(|()| temp.as_file().sync_all())
        .map_err(|err| Error::io("write session in", dir, err))?;
    temp.persist(dir.join(name))
        .map_err(|err| Error::io("write session in", dir, err.error))?;
    Ok(())
}

fn aad(vault_id: &[u8], session_id: &[u8], wrapped_key: &[u8]) -> Vec<u8> {
    [
        b"vault/session\n".as_slice(),
        vault_id,
        session_id,
        wrapped_key,
    ]
    .concat()
}

fn session_error(why: &str) -> Error {
    Error::auth(why)
        .with_hint("start a new session with `eval \"$(vault unlock)\"`, or unset VAULT_SESSION")
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs()
}

#[cfg(test)]
mod tests {
    use super::*;

    const WRAPPED: &[u8] = &[7; 48];

    #[test]
    fn a_replaced_wrapped_key_ends_the_session() {
        let dir = tempfile::tempdir().unwrap();
        let sessions = dir.path().join("sessions");
        let vault_id = [3; VAULT_ID_LEN];
        let token = create_in(
            &sessions,
            &vault_id,
            WRAPPED,
            crypto::random_key().as_ref(),
            Duration::from_secs(60),
        )
        .unwrap();
        let token = Parsed::parse(&token).unwrap();
        assert!(open_in(&sessions, &token, WRAPPED).is_ok());
        let err = open_in(&sessions, &token, &[8; 48]).unwrap_err();
        assert_eq!(err.exit_code(), 4);
        assert!(err.message.contains("wrapped key"), "{}", err.message);
    }

    #[test]
    fn the_session_file_alone_does_not_hold_the_data_key() {
        let dir = tempfile::tempdir().unwrap();
        let sessions = dir.path().join("sessions");
        let vault_id = [7; VAULT_ID_LEN];
        let data_key = crypto::random_key();
        let token = create_in(
            &sessions,
            &vault_id,
            WRAPPED,
            data_key.as_ref(),
            Duration::from_secs(60),
        )
        .unwrap();
        let token = Parsed::parse(&token).unwrap();
        assert_eq!(
            *open_in(&sessions, &token, WRAPPED).unwrap(),
            data_key.to_vec()
        );

        let files: Vec<_> = fs::read_dir(&sessions).unwrap().flatten().collect();
        assert_eq!(files.len(), 1);
        let meta = files[0].metadata().unwrap();
        assert_eq!(meta.permissions().mode() & 0o777, 0o600);
        let dir_mode = fs::metadata(&sessions).unwrap().permissions().mode() & 0o777;
        assert_eq!(dir_mode, 0o700);
        let contents = fs::read(files[0].path()).unwrap();
        assert!(!contents.windows(KEY_LEN).any(|w| w == data_key.as_ref()));
        assert!(!contents.windows(KEY_LEN).any(|w| w == token.session_key()));

        // The same session id with another session key opens nothing.
        let mut forged = token.0.to_vec();
        let last = forged.len() - 1;
        forged[last] ^= 1;
        let forged = Parsed(Zeroizing::new(forged));
        let err = open_in(&sessions, &forged, WRAPPED).unwrap_err();
        assert_eq!(err.exit_code(), 4);
        assert!(err.message.contains("does not match"), "{}", err.message);
    }

    #[test]
    fn expired_and_ended_sessions_say_so() {
        let dir = tempfile::tempdir().unwrap();
        let sessions = dir.path().join("sessions");
        let vault_id = [8; VAULT_ID_LEN];
        let key = crypto::random_key();
        let token = create_in(&sessions, &vault_id, WRAPPED, key.as_ref(), Duration::ZERO).unwrap();
        let token = Parsed::parse(&token).unwrap();
        let err = open_in(&sessions, &token, WRAPPED).unwrap_err();
        assert_eq!(err.exit_code(), 4);
        assert!(err.message.contains("expired"), "{}", err.message);
        // An expired session's file is removed when it is found out.
        let err = open_in(&sessions, &token, WRAPPED).unwrap_err();
        assert!(err.message.contains("ended"), "{}", err.message);
    }

    #[test]
    fn garbled_tokens_are_refused() {
        for bad in ["", "vs1_", "vs1_!!!", "hello", "vs1_AAAA"] {
            let err = Parsed::parse(bad).err().expect(bad);
            assert_eq!(err.exit_code(), 4);
            assert!(err.message.contains("not a vault session token"));
        }
    }

    #[test]
    fn ttl_parsing() {
        assert_eq!(parse_ttl("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_ttl("10m"), Ok(Duration::from_secs(600)));
        assert_eq!(parse_ttl("1h"), Ok(Duration::from_secs(3600)));
        for bad in ["", "10", "m", "1x", "-1s", "0s", "1.5h"] {
            assert!(parse_ttl(bad).is_err(), "{bad}");
        }
    }
}
