//! The current branch, for branch rules and `.vault.toml` `[branches]`
//! (SPEC.md, "Where things come from"): `VAULT_BRANCH`, then the first CI
//! variable that is set and not empty, then the branch checked out in the git
//! work tree around the working directory; otherwise unknown.
//!
//! The work tree's `HEAD` is read directly: `vault exec` must not start `git`
//! on every run, and a detached `HEAD` (a commit, a tag) is no branch at all.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The variables read before the work tree, in order. `GITHUB_HEAD_REF` (set
/// on pull requests only) comes before `GITHUB_REF_NAME`, which is then
/// `123/merge`; the same holds for Semaphore's PR branch.
pub const VARIABLES: [&str; 8] = [
    "VAULT_BRANCH",
    "GITHUB_HEAD_REF",
    "GITHUB_REF_NAME",
    "SEMAPHORE_GIT_PR_BRANCH",
    "SEMAPHORE_GIT_BRANCH",
    "BUILDKITE_BRANCH",
    "CIRCLE_BRANCH",
    "CI_COMMIT_REF_NAME",
];

/// The current branch and where it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Branch {
    pub name: Option<String>,
    pub source: Source,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Variable(&'static str),
    /// The `.git` directory or file whose `HEAD` was read.
    WorkTree(PathBuf),
    /// The work tree's `HEAD` is a commit, not a branch.
    Detached(PathBuf),
    Nowhere,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Variable(name) => write!(f, "from {name}"),
            Source::WorkTree(git) => write!(f, "checked out at {}", work_tree(git).display()),
            Source::Detached(git) => write!(
                f,
                "HEAD is detached in {}; set VAULT_BRANCH",
                work_tree(git).display()
            ),
            Source::Nowhere => {
                write!(f, "no VAULT_BRANCH, CI branch variable or git work tree")
            }
        }
    }
}

fn work_tree(git: &Path) -> &Path {
    git.parent().unwrap_or(git)
}

impl Branch {
    /// "branch 'main' (from VAULT_BRANCH)" or "an unknown branch (HEAD is detached …)".
    pub fn describe(&self) -> String {
        match &self.name {
            Some(name) => format!("branch '{name}' ({})", self.source),
            None => format!("an unknown branch ({})", self.source),
        }
    }
}

/// The current branch of this process, looked up once.
pub fn current() -> &'static Branch {
    static CURRENT: OnceLock<Branch> = OnceLock::new();
    CURRENT.get_or_init(|| {
        let cwd = std::env::current_dir().ok();
        look_up(|name| std::env::var(name).ok(), cwd.as_deref())
    })
}

/// The first source that names a branch: `var` reads a variable, `cwd` is
/// where the search for a git work tree starts.
pub fn look_up(var: impl Fn(&str) -> Option<String>, cwd: Option<&Path>) -> Branch {
    for name in VARIABLES {
        if let Some(value) = var(name).filter(|v| !v.is_empty()) {
            return Branch {
                name: Some(value),
                source: Source::Variable(name),
            };
        }
    }
    cwd.and_then(from_work_tree).unwrap_or(Branch {
        name: None,
        source: Source::Nowhere,
    })
}

/// The branch checked out in the work tree around `dir`, if there is one.
pub fn from_work_tree(dir: &Path) -> Option<Branch> {
    let dot_git = dir
        .ancestors()
        .map(|d| d.join(".git"))
        .find(|p| p.exists())?;
    let head = read_small(&git_dir(&dot_git)?.join("HEAD"))?;
    let name = head
        .trim_end()
        .strip_prefix("ref: refs/heads/")
        .filter(|name| !name.is_empty())
        .map(str::to_owned);
    let source = match name {
        Some(_) => Source::WorkTree(dot_git),
        None => Source::Detached(dot_git),
    };
    Some(Branch { name, source })
}

/// The repository directory: `.git` itself, or where a `.git` file points
/// (`gitdir: PATH`, written by `git worktree add` and for submodules).
fn git_dir(dot_git: &Path) -> Option<PathBuf> {
    if dot_git.is_dir() {
        return Some(dot_git.to_owned());
    }
    let text = read_small(dot_git)?;
    let target = text.lines().next()?.strip_prefix("gitdir:")?.trim();
    let target = Path::new(target);
    match target.is_absolute() {
        true => Some(target.to_owned()),
        false => Some(dot_git.parent()?.join(target)),
    }
}

/// A small text file, or `None`: HEAD and `.git` files are a line long, and
/// nothing found here is worth failing a command for.
fn read_small(path: &Path) -> Option<String> {
    let mut text = String::new();
    std::fs::File::open(path)
        .ok()?
        .take(4096)
        .read_to_string(&mut text)
        .ok()?;
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn vars(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn each_variable_wins_over_every_later_one() {
        for (i, winner) in VARIABLES.iter().enumerate() {
            let pairs: Vec<(&str, String)> = VARIABLES[i..]
                .iter()
                .map(|name| (*name, format!("from-{name}")))
                .collect();
            let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let branch = look_up(vars(&pairs), None);
            assert_eq!(branch.name, Some(format!("from-{winner}")));
            assert_eq!(branch.source, Source::Variable(winner));
        }
    }

    #[test]
    fn an_empty_variable_does_not_count() {
        let branch = look_up(vars(&[("VAULT_BRANCH", ""), ("CIRCLE_BRANCH", "c")]), None);
        assert_eq!(branch.name.as_deref(), Some("c"));
        let branch = look_up(vars(&[("GITHUB_HEAD_REF", "")]), None);
        assert_eq!(branch.name, None);
        assert_eq!(branch.source, Source::Nowhere);
    }

    #[test]
    fn heads_are_read_from_directories_and_gitdir_files() {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("repo");
        std::fs::create_dir_all(repo.join(".git/worktrees/wt")).unwrap();
        std::fs::create_dir_all(repo.join("src/deep")).unwrap();
        std::fs::write(repo.join(".git/HEAD"), "ref: refs/heads/feature/x\n").unwrap();
        let found = from_work_tree(&repo.join("src/deep")).unwrap();
        assert_eq!(found.name.as_deref(), Some("feature/x"));

        // A linked work tree: `.git` is a file, relative or absolute.
        let linked = dir.path().join("linked");
        std::fs::create_dir_all(&linked).unwrap();
        std::fs::write(
            repo.join(".git/worktrees/wt/HEAD"),
            "ref: refs/heads/release/1.0\n",
        )
        .unwrap();
        std::fs::write(linked.join(".git"), "gitdir: ../repo/.git/worktrees/wt\n").unwrap();
        assert_eq!(
            from_work_tree(&linked).unwrap().name.as_deref(),
            Some("release/1.0")
        );
        let absolute = format!("gitdir: {}\n", repo.join(".git/worktrees/wt").display());
        std::fs::write(linked.join(".git"), absolute).unwrap();
        assert_eq!(
            from_work_tree(&linked).unwrap().name.as_deref(),
            Some("release/1.0")
        );
    }

    #[test]
    fn a_detached_head_is_an_unknown_branch() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(".git")).unwrap();
        std::fs::write(
            dir.path().join(".git/HEAD"),
            "3f786850e387550fdab836ed7e6dc881de23001b\n",
        )
        .unwrap();
        let found = from_work_tree(dir.path()).unwrap();
        assert_eq!(found.name, None);
        assert!(matches!(found.source, Source::Detached(_)));
        assert!(
            found.describe().contains("detached"),
            "{}",
            found.describe()
        );
    }

    #[test]
    fn variables_win_over_the_work_tree() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(".git")).unwrap();
        std::fs::write(dir.path().join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
        let branch = look_up(vars(&[("CI_COMMIT_REF_NAME", "ci")]), Some(dir.path()));
        assert_eq!(branch.name.as_deref(), Some("ci"));
        let branch = look_up(vars(&[]), Some(dir.path()));
        assert_eq!(branch.name.as_deref(), Some("main"));
    }
}
