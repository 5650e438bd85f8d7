//! `vault exec`: selecting secrets (`plan`), writing their files (`files`,
//! with a `journal` for crash cleanup), running the child with signals
//! forwarded (`run`, `signals`), masking its output (`mask`), and keeping
//! secrets out of core dumps (`hardening`).

pub mod files;
pub mod hardening;
pub mod journal;
pub mod mask;
pub mod plan;
pub mod run;
pub mod signals;
pub mod templates;
