//! `vault exec`: selecting secrets (`plan`), checking the environment fits
//! execve (`env_limit`), writing their files (`files`,
//! with a `journal` for crash cleanup), running the child with signals
//! forwarded (`run`, `signals`), masking its output (`mask`, on a pseudo-terminal with `pty`), and keeping
//! secrets out of core dumps (`hardening`).

pub mod env_limit;
pub mod files;
pub mod hardening;
pub mod journal;
pub mod mask;
pub mod plan;
pub mod pty;
pub mod run;
pub mod signals;
pub mod templates;
