//! `vault` and git: the setup that routes the vault file to `vault` for merges
//! and diffs (`setup`), the three-way merge of two versions of a vault
//! (`merge`) and its driver that reads and writes the files (`driver`), and the
//! text view without values that `git diff` shows (`show`).

pub mod driver;
pub mod merge;
pub mod setup;
pub mod show;
