//! `vault`: a command-line secrets manager. The library owns the model, the
//! file format, storage, sessions, the audit trail and `exec`; the `vault`
//! binary only parses arguments and calls `commands::run`.

pub mod atomic_write;
pub mod audit;
pub mod branch;
pub mod cli;
pub mod commands;
pub mod context;
pub mod edit_buffer;
pub mod edit_doc;
pub mod error;
pub mod exec;
pub mod formats;
pub mod generate;
pub mod git;
pub mod key_vars;
pub mod output;
pub mod precedence;
pub mod random_value;
pub mod secret;
pub mod session;
pub mod template;
pub mod vault;
