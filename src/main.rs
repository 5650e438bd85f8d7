//! The `vault` binary: harden the process, parse the command line, run it.

use clap::Parser;

fn main() {
    if let Err(err) = vault::exec::hardening::harden_process() {
        vault::output::warn(&format!(
            "{}: secrets could end up in a core dump",
            err.message
        ));
    }
    let cli = vault::cli::Cli::parse();
    std::process::exit(vault::commands::run(cli));
}
