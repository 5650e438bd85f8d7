//! How much argument and environment text Linux's execve accepts, checked
//! before the child is started: at 10,000 secrets the injected environment is
//! about 2.5 MB, and the kernel's answer (E2BIG, "Argument list too long") would
//! come only after the files were written and the run recorded.
//!
//! The limits are the kernel's own (fs/exec.c): every string (`KEY=VALUE` and
//! each argument, with its NUL) at most MAX_ARG_STRLEN, and all of them, with
//! a pointer each, within a quarter of the stack limit, capped at three
//! quarters of the default 8 MiB stack and never below ARG_MAX (128 KiB). This
//! is what glibc's `sysconf(_SC_ARG_MAX)` reports, bar the cap.

use std::ffi::OsString;

use nix::sys::resource::{Resource, getrlimit};

use crate::error::{Error, Result};
use crate::exec::child_env;

/// The longest single argument or `KEY=VALUE` string, NUL included (32 pages).
pub const MAX_ARG_STRLEN: usize = 32 * 4096;
/// The floor of the total (the historical ARG_MAX, 32 pages).
const ARG_MAX: usize = 32 * 4096;
/// The kernel's _STK_LIM (8 MiB): the total never exceeds three quarters of it.
const STACK_CAP: usize = 8 << 20;
/// The path the kernel copies besides argv (the program found on PATH): at most PATH_MAX.
const FILENAME_ROOM: usize = 4096;

/// The total the kernel accepts for this process's stack limit.
pub fn total_limit() -> usize {
    let stack = getrlimit(Resource::RLIMIT_STACK).map_or(STACK_CAP as u64, |(soft, _)| soft);
    let quarter = usize::try_from(stack / 4).unwrap_or(usize::MAX);
    quarter.clamp(ARG_MAX, STACK_CAP / 4 * 3)
}

/// Refuses (exit 2) a command line and environment that execve would reject.
/// `env` gives each variable's key and length (`KEY=VALUE` without its NUL):
/// a dry run measures the plan without building the environment.
pub fn check<'k>(command: &[OsString], env: impl Iterator<Item = (&'k [u8], usize)>) -> Result<()> {
    check_against(command, env, total_limit())
}

fn check_against<'k>(
    command: &[OsString],
    env: impl Iterator<Item = (&'k [u8], usize)>,
    limit: usize,
) -> Result<()> {
    for arg in command {
        let len = arg.len() + 1;
        if len > MAX_ARG_STRLEN {
            return Err(Error::usage(format!(
                "an argument of the command is {len} bytes; Linux accepts at most \
                 {MAX_ARG_STRLEN} bytes per argument: nothing was started"
            )));
        }
    }
    let (mut env_bytes, mut count) = (0, 0);
    for (key, len) in env {
        // "KEY=VALUE" and its NUL.
        let len = len + 1;
        if len > MAX_ARG_STRLEN {
            return Err(Error::usage(format!(
                "variable {} would be {len} bytes; Linux accepts at most {MAX_ARG_STRLEN} \
                 bytes per variable (MAX_ARG_STRLEN): nothing was started",
                child_env::key_of(key)
            )));
        }
        env_bytes += len;
        count += 1;
    }
    let strings = command.iter().map(|a| a.len() + 1).sum::<usize>() + env_bytes;
    let pointers = (command.len().max(1) + count + 2) * size_of::<usize>();
    let total = strings + pointers + FILENAME_ROOM;
    if total > limit {
        return Err(Error::usage(format!(
            "the command's arguments and environment would be {total} bytes ({} variables); \
             Linux accepts at most {limit} bytes (a quarter of the stack limit, at most 6 MiB): \
             nothing was started",
            count
        ))
        .with_hint(
            "inject fewer secrets (-s NAME, or `secrets = [...]` in .vault.toml), \
             or raise the stack limit (ulimit -s)",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exec::child_env::ChildEnv;

    fn env(n: usize, value_len: usize) -> ChildEnv {
        let keys: Vec<String> = (0..n).map(|i| format!("K{i}")).collect();
        let value = "v".repeat(value_len);
        ChildEnv::exactly(keys.iter().map(|k| (k.as_bytes(), value.as_bytes()))).unwrap()
    }

    #[test]
    fn the_limit_follows_the_kernel() {
        let limit = total_limit();
        assert!((ARG_MAX..=STACK_CAP / 4 * 3).contains(&limit), "{limit}");
    }

    #[test]
    fn a_large_environment_is_refused_naming_its_size() {
        let cmd = vec![OsString::from("true")];
        assert!(check_against(&cmd, env(100, 100).sizes(), 1 << 20).is_ok());
        let err = check_against(&cmd, env(10_000, 200).sizes(), 1 << 20).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(err.message.contains("10000 variables"), "{}", err.message);
        assert!(err.message.contains("1048576 bytes"), "{}", err.message);
    }

    #[test]
    fn one_string_over_max_arg_strlen_is_refused() {
        let cmd = vec![OsString::from("true")];
        let err = check_against(&cmd, env(1, MAX_ARG_STRLEN).sizes(), usize::MAX).unwrap_err();
        assert!(err.message.contains("variable K0"), "{}", err.message);
        let long = vec![OsString::from("x".repeat(MAX_ARG_STRLEN))];
        assert!(check_against(&long, std::iter::empty(), usize::MAX).is_err());
        let fits = env(1, MAX_ARG_STRLEN - 4);
        assert!(check_against(&cmd, fits.sizes(), usize::MAX).is_ok());
    }
}
