//! The `vault` binary: harden the process, parse the command line, run it.

use clap::Parser;

fn main() {
    if let Err(err) = vault::exec::hardening::harden_process() {
        vault::output::warn(&format!(
            "{}: secrets could end up in a core dump",
            err.message
        ));
    }
    let cli = match vault::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => std::process::exit(vault::output::report_parse_error(err)),
    };
    std::process::exit(vault::commands::run(cli));
}
