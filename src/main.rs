//! The `evalgate` binary: parse arguments, dispatch, turn the outcome into
//! an exit status.

mod cli;
mod cmd;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match cmd::run(cli.command) {
        Ok(code) => code,
        Err(error) => {
            cmd::print_error(&error);
            ExitCode::from(cmd::EXIT_COULD_NOT_CHECK)
        }
    }
}
