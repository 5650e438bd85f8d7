//! The integration tests: one binary, one module per area of the contract.

mod common;
mod exec_support;
mod security_support;
mod util;

mod audit_log;
mod concurrency;
mod crash;
mod edit_delete;
mod exec;
mod exec_conflict_audit;
mod exec_signals;
mod exit_codes;
mod generated;
mod hostile_inputs;
mod hygiene;
mod import_export;
mod leak_scan;
mod masking_forms;
mod model_props;
mod parse_errors;
mod prompts;
mod pty;
mod scopes;
mod secrets;
mod session_binding;
mod sessions;
mod storage;
mod tamper;
mod validation;
mod vectors;
