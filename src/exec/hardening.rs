//! Process hardening: keeps decrypted secrets in `vault`'s memory out of core dumps and
//! away from same-user debuggers, and gives the command run by `vault exec` back the
//! core-dump limit the user had.

use std::sync::OnceLock;

use nix::sys::resource::{Resource, getrlimit, rlim_t, setrlimit};

use crate::error::{Error, Result};

/// The `RLIMIT_CORE` soft limit `vault` was started with, restored in the child.
static ORIGINAL_CORE_LIMIT: OnceLock<rlim_t> = OnceLock::new();

/// Disables core dumps of this process and makes it non-dumpable (no ptrace attach, no
/// readable /proc/<pid>/mem). Call once, first thing in `main`.
///
/// Only the soft `RLIMIT_CORE` is lowered: the hard limit stays, so the child can be given
/// its original limit back (see [`restore_core_limit`]). `PR_SET_DUMPABLE` needs no undoing:
/// the kernel resets it when the child calls execve.
pub fn harden_process() -> Result<()> {
    let (soft, hard) = getrlimit(Resource::RLIMIT_CORE)
        .map_err(|e| Error::failure(format!("cannot read the core dump limit: {}", e.desc())))?;
    let _ = ORIGINAL_CORE_LIMIT.set(soft);
    setrlimit(Resource::RLIMIT_CORE, 0, hard)
        .map_err(|e| Error::failure(format!("cannot disable core dumps: {}", e.desc())))?;
    #[cfg(target_os = "linux")]
    nix::sys::prctl::set_dumpable(false)
        .map_err(|e| Error::failure(format!("cannot make vault non-dumpable: {}", e.desc())))?;
    Ok(())
}

/// Puts back the soft `RLIMIT_CORE` recorded by [`harden_process`], if it ran.
///
/// Async-signal-safe (an atomic load and one syscall), so it may run between fork and exec.
pub(crate) fn restore_core_limit() -> nix::Result<()> {
    let Some(&soft) = ORIGINAL_CORE_LIMIT.get() else {
        return Ok(());
    };
    let (_, hard) = getrlimit(Resource::RLIMIT_CORE)?;
    setrlimit(Resource::RLIMIT_CORE, soft.min(hard), hard)
}

#[cfg(test)]
mod tests {
    use std::process::Command;

    /// Hardening is process-wide, so it is checked in a child: a re-run of this very test
    /// binary, which hardens itself and reports what `sh` (its child) and it see.
    #[test]
    fn hardening_disables_core_dumps_and_restores_the_childs_limit() {
        if std::env::var_os("VAULT_HARDENING_PROBE").is_some() {
            return probe();
        }
        let exe = std::env::current_exe().unwrap();
        let out = Command::new(exe)
            .args([
                "hardening_disables_core_dumps_and_restores_the_childs_limit",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("VAULT_HARDENING_PROBE", "1")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{stdout}");
        assert!(stdout.contains("probe: soft=0 dumpable=false"), "{stdout}");
        assert!(stdout.contains("probe: restored=true"), "{stdout}");
    }

    fn probe() {
        use nix::sys::resource::{Resource, getrlimit};
        let (before, _) = getrlimit(Resource::RLIMIT_CORE).unwrap();
        super::harden_process().unwrap();
        let (soft, _) = getrlimit(Resource::RLIMIT_CORE).unwrap();
        let dumpable = nix::sys::prctl::get_dumpable().unwrap();
        println!("probe: soft={soft} dumpable={dumpable}");
        super::restore_core_limit().unwrap();
        let (after, _) = getrlimit(Resource::RLIMIT_CORE).unwrap();
        println!("probe: restored={}", after == before);
    }
}
