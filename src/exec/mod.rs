//! `vault exec`: selecting secrets, injecting them as variables and files,
//! running the child with signals forwarded, and masking its output.

pub mod plan;
