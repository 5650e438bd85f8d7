//! `vault exec`: selecting secrets (`plan`), building the child's environment
//! once (`child_env`) and checking it fits execve (`env_limit`), starting the
//! child with it (`launch`), writing their files (`files`,
//! with a `journal` for crash cleanup), running the child with signals
//! forwarded (`run`, `signals`), masking its output (`mask`, on a pseudo-terminal with `pty`), and keeping
//! secrets out of core dumps (`hardening`) and wiping them before exit (`wipe`).

pub mod child_env;
pub mod env_limit;
pub mod files;
pub mod hardening;
pub mod journal;
pub mod launch;
pub mod mask;
pub mod plan;
pub mod pty;
pub mod run;
pub mod signals;
pub mod templates;
pub mod wipe;
