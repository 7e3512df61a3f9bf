//! `pqshift`: the command-line face of the pqshift facade.
//!
//! Every command that generates, signs, verifies, encapsulates or
//! decapsulates loads the configuration
//! (`--config`, then `PQSHIFT_CONFIG`, then the built-in default) and goes
//! through its [`pqshift::Policy`], so the configuration decides and a bad
//! one fails closed. Exit codes: 0 ok, 1 invalid signature (`verify`), 2 any
//! error — printed as `error: ...` on stderr, never as a panic.
#![forbid(unsafe_code)]

mod args;
mod audit;
mod commands;
mod corpus;
mod golden;
mod io;
mod migrate;

use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command};
use crate::commands::Outcome;

fn run(cli: &Cli) -> io::CliResult<Outcome> {
    let config = cli.config.as_deref();
    match &cli.command {
        Command::Providers(a) => commands::providers(a),
        Command::Doctor(a) => commands::doctor(config, a),
        Command::Keygen(a) => commands::keygen(config, a),
        Command::Sign(a) => commands::sign(config, a),
        Command::Verify(a) => commands::verify(config, a),
        Command::Pubkey(a) => commands::pubkey(a),
        Command::Encaps(a) => commands::encaps(config, a),
        Command::Decaps(a) => commands::decaps(config, a),
        Command::Corpus(a) => corpus::run(a),
        Command::Golden(a) => golden::run(a),
        Command::Migrate(a) => migrate::run(a),
        Command::Audit(a) => audit::run(config, a),
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to stdout with 0; usage errors to stderr with 2.
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    match run(&cli) {
        Ok(Outcome::Ok) => ExitCode::SUCCESS,
        Ok(Outcome::InvalidSignature) => {
            io::note("invalid signature");
            ExitCode::from(1)
        }
        Ok(Outcome::Incomplete) => ExitCode::from(1),
        Ok(Outcome::HighFindings) => ExitCode::from(1),
        Err(e) => {
            io::note(&e.to_string());
            ExitCode::from(2)
        }
    }
}
