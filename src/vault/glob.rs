//! Branch globs (SPEC.md, "Validation"): `*` matches any run of characters,
//! slashes included, and `?` any one character; everything else matches
//! itself. Git refuses `*`, `?` and `[` in branch names, so nothing else needs
//! a meaning; a glob crate would add classes and alternation the contract does
//! not define, and it is a dozen lines.

use crate::error::{Error, Result};

/// Checks a glob: not empty, no whitespace or control characters.
pub fn validate(glob: &str) -> Result<()> {
    if glob.is_empty() {
        return Err(Error::usage("a branch glob is empty")
            .with_hint("write e.g. --allow-branch main or --allow-branch 'release/*'"));
    }
    if let Some(bad) = glob.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Err(Error::usage(format!(
            "invalid branch glob '{}': it contains {}",
            glob.escape_debug(),
            match bad {
                c if c.is_control() => "a control character",
                _ => "whitespace",
            }
        )));
    }
    Ok(())
}

/// Whether `text` matches `glob` as a whole.
pub fn matches(glob: &str, text: &str) -> bool {
    let glob: Vec<char> = glob.chars().collect();
    let text: Vec<char> = text.chars().collect();
    // The classic linear wildcard match: on a mismatch, let the last `*` eat
    // one more character and try again from there.
    let (mut g, mut t) = (0, 0);
    let mut last_star: Option<(usize, usize)> = None;
    while t < text.len() {
        match glob.get(g) {
            Some('*') => {
                last_star = Some((g, t));
                g += 1;
            }
            Some(&c) if c == '?' || c == text[t] => {
                g += 1;
                t += 1;
            }
            _ => match last_star {
                Some((star, eaten)) => {
                    g = star + 1;
                    t = eaten + 1;
                    last_star = Some((star, eaten + 1));
                }
                None => return false,
            },
        }
    }
    glob[g..].iter().all(|&c| c == '*')
}

/// Whether any of `globs` matches `branch`.
pub fn any_matches(globs: &[String], branch: &str) -> bool {
    globs.iter().any(|glob| matches(glob, branch))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn star_matches_any_run_including_slashes() {
        assert!(matches("main", "main"));
        assert!(!matches("main", "main2"));
        assert!(!matches("main", "mai"));
        assert!(matches("release/*", "release/1.0"));
        assert!(matches("release/*", "release/"));
        assert!(matches("release/*", "release/2026/q4"));
        assert!(!matches("release/*", "release"));
        assert!(!matches("release/*", "hotfix/release/1"));
        assert!(matches("*", ""));
        assert!(matches("*", "feature/a/b"));
        assert!(matches("*/fix-*", "team/a/fix-12"));
        assert!(matches("a*b*c", "aXbYbZc"));
        assert!(!matches("a*b*c", "aXbYbZ"));
        assert!(matches("**", "x/y"));
    }

    #[test]
    fn question_mark_matches_exactly_one_character() {
        assert!(matches("v?", "v1"));
        assert!(!matches("v?", "v"));
        assert!(!matches("v?", "v12"));
        assert!(matches("v?.?", "v1.2"));
        assert!(matches("a?c", "a/c"));
        assert!(matches("é?", "éü"), "characters, not bytes");
    }

    #[test]
    fn other_characters_are_literal() {
        assert!(matches("fix[1]", "fix[1]"));
        assert!(!matches("fix[1]", "fix1"));
        assert!(matches("a.b", "a.b"));
        assert!(!matches("a.b", "axb"));
    }

    #[test]
    fn empty_whitespace_and_control_characters_are_refused() {
        for bad in [
            "",
            " ",
            "main branch",
            "a\tb",
            "a\nb",
            "a\u{1b}b",
            "x\u{7f}",
        ] {
            assert_eq!(validate(bad).unwrap_err().exit_code(), 2, "{bad:?}");
        }
        for good in ["main", "release/*", "v?.*", "*"] {
            validate(good).unwrap();
        }
    }
}
