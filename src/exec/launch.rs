//! Starting the command: one execve with the environment built once
//! ([`ChildEnv`]), the program looked up on the command's own PATH exactly as
//! execvp does. std's `Command` would copy the environment into maps and then
//! into `CString`s once more; here it only forks (or, in place, does nothing)
//! and the last step between fork and exec is [`Launch::exec`].

use std::ffi::CString;
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::process::CommandExt;
use std::process::Command;

use nix::errno::Errno;
use nix::libc::{self, c_char};

use crate::error::{Error, Result};
use crate::exec::child_env::ChildEnv;
use crate::exec::hardening;

/// glibc's search path when PATH is unset (`confstr(_CS_PATH)`), as execvp uses it.
const DEFAULT_PATH: &[u8] = b"/bin:/usr/bin";
/// What a file that is not an executable format is run with (execvp does the same).
const SHELL: &std::ffi::CStr = c"/bin/sh";

/// Everything execve needs, prepared before the fork: the child may not allocate.
pub(crate) struct Launch {
    /// The paths to try in order: the program itself if it names a path, else
    /// each PATH entry joined with it.
    candidates: Vec<CString>,
    /// Keeps the strings `argv` points into.
    _args: Vec<CString>,
    argv: Vec<*const c_char>,
    /// `/bin/sh CANDIDATE ARGS…`, slot 1 filled in when a candidate is no
    /// executable format (ENOEXEC): a script without `#!`.
    sh_argv: Vec<*const c_char>,
    /// Keeps the strings `envp` points into; wiped when the launch is dropped.
    _env: ChildEnv,
    envp: Vec<*const c_char>,
}

// SAFETY: the pointers point into `args` and `env`, which `Launch` owns and never
// changes; they are only read, by execve.
unsafe impl Send for Launch {}
unsafe impl Sync for Launch {}

impl Launch {
    /// `command` must not be empty. A NUL in an argument is refused (exit 2);
    /// arguments from the command line cannot hold one.
    pub(crate) fn new(command: &[std::ffi::OsString], env: ChildEnv) -> Result<Launch> {
        let nul = |_| Error::usage("an argument of the command contains a NUL byte");
        let args = command
            .iter()
            .map(|a| CString::new(a.as_bytes()).map_err(nul))
            .collect::<Result<Vec<_>>>()?;
        let program = args
            .first()
            .ok_or_else(|| Error::usage("no command to run"))?;
        let candidates = candidates(program.as_bytes(), env.get("PATH"));
        let argv: Vec<*const c_char> = args
            .iter()
            .map(|a| a.as_ptr())
            .chain([std::ptr::null()])
            .collect();
        let sh_argv = [SHELL.as_ptr(), std::ptr::null()]
            .into_iter()
            .chain(argv[1..].iter().copied())
            .collect();
        let envp = env.pointers();
        Ok(Launch {
            candidates,
            _args: args,
            argv,
            sh_argv,
            _env: env,
            envp,
        })
    }

    /// Makes `command` (its stdio and earlier `pre_exec` steps set up already)
    /// start this launch rather than its own program: std runs the closures
    /// last before its own execvp, after setting up the descriptors and
    /// resetting the signal mask and SIGPIPE, so ours replaces the process and
    /// std's execvp is never reached. An error returned here reaches the
    /// parent as the spawn's error, as std's own would.
    pub(crate) fn attach(self, command: &mut Command) {
        let mut launch = self;
        // SAFETY: the closure runs between fork and exec, where only
        // async-signal-safe calls are allowed: restore_core_limit is two system
        // calls and an atomic load, and exec only reads prepared memory and calls
        // execve. Nothing allocates.
        unsafe {
            command.pre_exec(move || {
                let _ = hardening::restore_core_limit();
                Err(launch.exec())
            });
        }
    }

    /// Replaces this process with the command, trying each candidate as execvp
    /// does: a missing one (ENOENT, ENOTDIR, ESTALE, ENODEV, ETIMEDOUT) or one
    /// not permitted (EACCES) moves on to the next, any other error stops; a
    /// file of no executable format is run by `/bin/sh`. Returns only if every
    /// candidate failed: EACCES if one was not permitted, else the last error.
    fn exec(&mut self) -> io::Error {
        let mut denied = false;
        let mut last = Errno::ENOENT;
        for candidate in &self.candidates {
            // SAFETY: every array is NUL-terminated and points at live C strings.
            unsafe { libc::execve(candidate.as_ptr(), self.argv.as_ptr(), self.envp.as_ptr()) };
            last = Errno::last();
            if last == Errno::ENOEXEC {
                self.sh_argv[1] = candidate.as_ptr();
                // SAFETY: as above.
                unsafe { libc::execve(SHELL.as_ptr(), self.sh_argv.as_ptr(), self.envp.as_ptr()) };
                last = Errno::last();
            }
            match last {
                Errno::EACCES => denied = true,
                Errno::ENOENT
                | Errno::ENOTDIR
                | Errno::ESTALE
                | Errno::ENODEV
                | Errno::ETIMEDOUT => {}
                _ => return last.into(),
            }
        }
        match denied {
            true => Errno::EACCES.into(),
            false => last.into(),
        }
    }
}

/// Where execvp would look for `program`: itself if it holds a `/`, else in each
/// entry of `path` (an empty entry is the working directory); none for an empty name.
fn candidates(program: &[u8], path: Option<&[u8]>) -> Vec<CString> {
    if program.is_empty() {
        return Vec::new();
    }
    let as_c = |bytes: Vec<u8>| CString::new(bytes).expect("no NUL: checked or split on");
    if program.contains(&b'/') {
        return vec![as_c(program.to_vec())];
    }
    let path = path.unwrap_or(DEFAULT_PATH);
    path.split(|&b| b == b':')
        // A PATH entry holding a NUL cannot be one: the environment checked it.
        .map(|dir| match dir.is_empty() {
            true => program.to_vec(),
            false => [dir, b"/", program].concat(),
        })
        .map(as_c)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsString;
    use std::os::unix::ffi::OsStringExt;

    fn c(s: &str) -> CString {
        CString::new(s).unwrap()
    }

    #[test]
    fn candidates_follow_execvp() {
        assert_eq!(
            candidates(b"make", Some(b"/usr/local/bin::/usr/bin")),
            [c("/usr/local/bin/make"), c("make"), c("/usr/bin/make")]
        );
        assert_eq!(candidates(b"./x", Some(b"/bin")), [c("./x")]);
        assert_eq!(candidates(b"a/b", None), [c("a/b")]);
        assert_eq!(candidates(b"ls", None), [c("/bin/ls"), c("/usr/bin/ls")]);
        assert!(candidates(b"", Some(b"/bin")).is_empty());
    }

    #[test]
    fn the_path_searched_is_the_commands_own() {
        let env = ChildEnv::exactly([(&b"PATH"[..], &b"/opt/tools"[..])].into_iter()).unwrap();
        let launch = Launch::new(&["tool".into()], env).unwrap();
        assert_eq!(launch.candidates, [c("/opt/tools/tool")]);
        assert_eq!(launch.argv.len(), 2);
        assert!(launch.envp.last().unwrap().is_null());
    }

    #[test]
    fn a_nul_in_an_argument_is_refused() {
        let env = ChildEnv::exactly(std::iter::empty()).unwrap();
        let command = [OsString::from("echo"), OsString::from_vec(b"a\0b".to_vec())];
        assert_eq!(Launch::new(&command, env).err().unwrap().exit_code(), 2);
    }
}
