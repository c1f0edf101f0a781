//! The `tournee` command line: parses the arguments and dispatches to one
//! file per command under `cli/`; the work is done by the library.

#![forbid(unsafe_code)]

mod cli;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match cli.run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            let prefix = cli::lang().pick("error", "erreur ");
            eprintln!("{prefix}: {err}");
            ExitCode::from(err.kind.exit_code() as u8)
        }
    }
}
