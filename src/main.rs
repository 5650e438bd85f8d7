//! The `vault` binary: harden the process, parse the command line, run it.

use clap::Parser;

fn main() {
    // HARDEN
    let cli = vault::cli::Cli::parse();
    std::process::exit(vault::commands::run(cli));
}
