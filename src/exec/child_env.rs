//! The command's environment, built once in the form execve takes: every
//! `KEY=VALUE` string with its NUL, back to back in one buffer. With 5,000
//! injected variables, a map per variable and a copy per step (plan, pairs,
//! std's `Command`, its `CString`s) cost more than everything else `vault exec`
//! does but decrypting; here each value is copied once, into a buffer sized
//! first (a growing buffer would leave unwiped copies behind) and wiped when
//! dropped.

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::key_vars;

/// `KEY=VALUE\0` strings in the order the command gets them.
#[derive(Default)]
pub struct ChildEnv {
    /// Holds secret values: wiped on drop.
    block: Zeroizing<Vec<u8>>,
    /// Where each string starts in `block`.
    starts: Vec<usize>,
}

impl ChildEnv {
    /// `vault`'s own environment without the key variables and without the
    /// keys `is_injected` names ([`inherited`]), then the `injected` variables
    /// in order (each key once).
    pub fn inheriting(
        injected: &[(&str, &[u8])],
        is_injected: impl Fn(&str) -> bool,
    ) -> Result<ChildEnv> {
        let inherited = inherited(is_injected);
        let inherited = inherited.iter().map(|(k, v)| (k.as_bytes(), v.as_bytes()));
        let injected = injected.iter().map(|&(k, v)| (k.as_bytes(), v));
        ChildEnv::exactly(inherited.chain(injected))
    }

    /// These variables and no others, in this order. A NUL in a key or value,
    /// or a key that is empty or holds `=`, is refused: execve would cut the
    /// string there and the command would see another variable.
    pub fn exactly<'v>(
        vars: impl Iterator<Item = (&'v [u8], &'v [u8])> + Clone,
    ) -> Result<ChildEnv> {
        let mut size = 0;
        let mut count = 0;
        for (key, value) in vars.clone() {
            if key.is_empty() || key.contains(&b'=') {
                return Err(bad_name(key));
            }
            size += key.len() + value.len() + 2;
            count += 1;
        }
        let mut block = Zeroizing::new(Vec::with_capacity(size));
        let mut starts = Vec::with_capacity(count);
        for (key, value) in vars.clone() {
            starts.push(block.len());
            block.extend_from_slice(key);
            block.push(b'=');
            block.extend_from_slice(value);
            block.push(0);
        }
        debug_assert_eq!(block.capacity(), size, "sized first: never regrown");
        // One NUL per string, its last byte: one pass over the block, rather
        // than one search per key and value. Else find the culprit.
        if count_nuls(&block) != count {
            let (key, _) = vars
                .into_iter()
                .find(|(key, value)| key.contains(&0) || value.contains(&0))
                .expect("a NUL came from a key or a value");
            return Err(match key.contains(&0) {
                true => bad_name(key),
                false => Error::usage(format!(
                    "cannot pass {} to the command: its value contains a NUL byte",
                    key_of(key)
                )),
            });
        }
        Ok(ChildEnv { block, starts })
    }

    /// How many variables.
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// The bytes execve copies for the strings, NULs included.
    pub fn size(&self) -> usize {
        self.block.len()
    }

    /// Each `KEY=VALUE` string, without its NUL.
    pub fn strings(&self) -> impl Iterator<Item = &[u8]> {
        let ends = self
            .starts
            .iter()
            .skip(1)
            .copied()
            .chain([self.block.len()]);
        self.starts
            .iter()
            .zip(ends)
            .map(|(&start, end)| &self.block[start..end - 1])
    }

    /// Each string's key and length (`KEY=VALUE`, without its NUL), for
    /// [`env_limit::check`](crate::exec::env_limit::check).
    pub fn sizes(&self) -> impl Iterator<Item = (&[u8], usize)> {
        self.strings().map(|s| (key_bytes(s), s.len()))
    }

    /// The value of `key`, if the command gets it.
    pub fn get(&self, key: &str) -> Option<&[u8]> {
        self.strings().find_map(|s| {
            s.strip_prefix(key.as_bytes())
                .and_then(|rest| rest.strip_prefix(b"="))
        })
    }

    /// A NUL-terminated array of pointers to the strings, valid while `self`
    /// lives (the buffer never moves: it is not grown after `exactly`).
    pub(crate) fn pointers(&self) -> Vec<*const nix::libc::c_char> {
        let base = self.block.as_ptr();
        let pointers = self.starts.iter().map(|&start| {
            // SAFETY: every start is an offset into the block.
            unsafe { base.add(start) }.cast::<nix::libc::c_char>()
        });
        pointers.chain([std::ptr::null()]).collect()
    }
}

/// What the command inherits of `vault`'s own environment: all of it but the
/// key variables and the keys `is_injected` names.
pub fn inherited(is_injected: impl Fn(&str) -> bool) -> Vec<(OsString, OsString)> {
    std::env::vars_os()
        .filter(|(key, _)| !key_vars::is_key_variable(key))
        .filter(|(key, _)| !key.to_str().is_some_and(&is_injected))
        .collect()
}

/// The name of a variable for a message, from its `KEY=VALUE` string (or its key).
pub fn key_of(string: &[u8]) -> String {
    String::from_utf8_lossy(key_bytes(string))
        .escape_debug()
        .to_string()
}

fn key_bytes(string: &[u8]) -> &[u8] {
    string.split(|&b| b == b'=').next().unwrap_or_default()
}

/// The NUL bytes in `bytes`, counted in runs of 255 into a byte each, which the
/// compiler turns into wide vector adds.
fn count_nuls(bytes: &[u8]) -> usize {
    bytes
        .chunks(255)
        .map(|run| run.iter().fold(0u8, |n, &b| n + u8::from(b == 0)) as usize)
        .sum()
}

fn bad_name(key: &[u8]) -> Error {
    Error::usage(format!(
        "cannot pass the variable {} to the command: a name must be non-empty, \
         without `=` or NUL",
        String::from_utf8_lossy(key).escape_debug()
    ))
}

impl std::fmt::Debug for ChildEnv {
    /// Names only: the values are secrets.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let keys: Vec<String> = self.strings().map(key_of).collect();
        f.debug_struct("ChildEnv").field("keys", &keys).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> ChildEnv {
        ChildEnv::exactly(pairs.iter().map(|(k, v)| (k.as_bytes(), v.as_bytes()))).unwrap()
    }

    #[test]
    fn strings_are_key_equals_value_in_order_in_one_exact_buffer() {
        let env = env(&[("A", "1"), ("PATH", "/bin"), ("EMPTY", "")]);
        let strings: Vec<&[u8]> = env.strings().collect();
        assert_eq!(strings, [&b"A=1"[..], b"PATH=/bin", b"EMPTY="]);
        assert_eq!(env.size(), "A=1\0PATH=/bin\0EMPTY=\0".len());
        assert_eq!(env.block.capacity(), env.size());
        assert_eq!(env.get("PATH"), Some(&b"/bin"[..]));
        assert_eq!(env.get("PAT"), None);
        assert_eq!(env.pointers().len(), 4);
        assert!(env.pointers()[3].is_null());
    }

    #[test]
    fn a_nul_or_a_bad_name_is_refused_naming_the_key_never_the_value() {
        let err =
            ChildEnv::exactly([(&b"TOKEN"[..], &b"can\0ary-value"[..])].into_iter()).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(err.message.contains("TOKEN"), "{}", err.message);
        assert!(!err.message.contains("canary"), "{}", err.message);
        for key in [&b""[..], b"A=B", b"A\0"] {
            assert!(ChildEnv::exactly([(key, &b"v"[..])].into_iter()).is_err());
        }
    }

    #[test]
    fn inheriting_drops_key_variables_and_injected_keys_then_appends() {
        // The test process's own environment: HOME is set in every test run.
        let Some(home) = std::env::var_os("HOME") else {
            return;
        };
        let injected: [(&str, &[u8]); 2] = [("HOME", b"/elsewhere"), ("NEW_ONE", b"x")];
        let env = ChildEnv::inheriting(&injected, |key| key == "HOME" || key == "NEW_ONE").unwrap();
        assert_ne!(env.get("HOME"), Some(home.as_bytes()));
        assert_eq!(env.get("HOME"), Some(&b"/elsewhere"[..]));
        assert_eq!(env.strings().filter(|s| s.starts_with(b"HOME=")).count(), 1);
        assert_eq!(env.strings().last(), Some(&b"NEW_ONE=x"[..]));
    }
}
