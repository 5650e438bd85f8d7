//! `vault unlock`, `vault lock` and `vault passwd`: sessions and the passphrase.

use std::io::IsTerminal;

use crate::audit::Entry;
use crate::cli::{PasswdArgs, ShellSyntax, UnlockArgs};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::output;
use crate::secret::SecretString;
use crate::session;
use crate::vault::crypto::KdfParams;
use crate::vault::{KeySource, Vault};

pub fn unlock(ctx: &Context, args: UnlockArgs) -> Result<()> {
    let ttl = session::parse_ttl(&args.ttl).map_err(Error::usage)?;
    let mut vault = ctx.vault_with_passphrase()?;
    // Pay for Argon2 first, then start the session under the write lock after
    // checking the key again (cached, so cheap): a `vault passwd` that ran in
    // between makes this fail instead of leaving a session it did not end.
    vault.open()?;
    let lock = vault.store.lock()?;
    let (vault_id, binding, secret) = vault.session_material()?;
    let token = session::create(&vault_id, &binding, &secret, ttl)?;
    drop(lock);
    super::record(&vault, &[Entry::new("unlock", None)]);
    let line = match args.shell {
        ShellSyntax::Sh => format!("export VAULT_SESSION={}", token.as_str()),
        ShellSyntax::Fish => format!("set -gx VAULT_SESSION {}", token.as_str()),
    };
    output::println_stdout(&line);
    let until = jiff::Timestamp::now()
        .checked_add(jiff::SignedDuration::from_secs(ttl.as_secs() as i64))
        .map(|t| t.round(jiff::Unit::Second).unwrap_or(t).to_string())
        .unwrap_or_default();
    eprintln!("Vault unlocked until {until}; `vault lock` ends the session sooner.");
    if std::io::stdout().is_terminal() {
        eprintln!("To use it, run: eval \"$(vault unlock)\"");
    }
    Ok(())
}

/// Ends every session: format 2 gets a new epoch, which every session is
/// bound to wherever it was made; the session files found here are removed too.
pub fn lock(ctx: &Context) -> Result<()> {
    let store = ctx.store();
    store.check_exists()?;
    let mut vault = Vault::new(store, KeySource::Passphrase(SecretString::from("")));
    let vault_id = vault.vault_id()?;
    let everywhere = vault.new_epoch()?;
    let ended = session::end_all(&vault_id)?;
    if everywhere {
        eprintln!("Vault locked: {ended} session(s) ended here, and every session made elsewhere.");
    } else {
        eprintln!(
            "Vault locked: {ended} session(s) ended here. This vault is in format 1, whose sessions elsewhere \
             only end when they expire; `vault upgrade` makes `lock` end them everywhere."
        );
    }
    Ok(())
}

pub fn passwd(ctx: &Context, args: PasswdArgs) -> Result<()> {
    let mut vault = ctx.vault_with_passphrase()?;
    vault.open()?;
    let vault_id = vault.vault_id()?;
    let current = vault.kdf()?.unwrap_or(KdfParams::DEFAULT);
    let kdf = KdfParams {
        memory_kib: args
            .kdf_memory_mib
            .map_or(current.memory_kib, |mib| mib.saturating_mul(1024)),
        iterations: args.kdf_iterations.unwrap_or(current.iterations),
        parallelism: current.parallelism,
    };
    kdf.check_bounds().map_err(Error::usage)?;
    let new = ctx.new_passphrase(Some("VAULT_NEW_PASSPHRASE"))?;
    // One atomic replace of the vault file: the data key, rewrapped under the
    // new passphrase. Sessions hold the data key, so every one of them ends.
    vault.change_passphrase(&new, kdf)?;
    session::end_all(&vault_id)?;
    vault.open()?;
    super::record(&vault, &[Entry::new("passwd", None)]);
    output::println_stdout("Passphrase changed; every session has ended.");
    Ok(())
}
