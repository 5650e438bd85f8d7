//! `vault init`: create the vault file.

use crate::cli::InitArgs;
use crate::context::Context;
use crate::error::Result;
use crate::output;
use crate::vault::Vault;
use crate::vault::crypto::KdfParams;

pub fn run(ctx: &Context, args: InitArgs) -> Result<()> {
    let store = ctx.store();
    if store.exists() {
        return Err(store.already_exists());
    }
    if let Some(recipient) = &args.recipient {
        return super::members::init_with_recipient(ctx, recipient, args.member);
    }
    let kdf = KdfParams {
        memory_kib: args
            .kdf_memory_mib
            .map_or(KdfParams::DEFAULT.memory_kib, |mib| {
                mib.saturating_mul(1024)
            }),
        iterations: args.kdf_iterations.unwrap_or(KdfParams::DEFAULT.iterations),
        parallelism: KdfParams::DEFAULT.parallelism,
    };
    kdf.check_bounds().map_err(crate::error::Error::usage)?;
    if kdf.memory_kib < 64 * 1024 || kdf.iterations < 3 {
        output::warn("these KDF parameters are below the recommended 64 MiB and 3 iterations");
    }
    let passphrase = ctx.new_passphrase(None)?;
    Vault::init(&store, &passphrase, kdf)?;
    output::println_stdout(&format!("Vault created at {}.", store.path().display()));
    Ok(())
}
