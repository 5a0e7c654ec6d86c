//! One file per subcommand; each has one entry function.

mod check;
mod config;
mod demo;
mod install;
mod leaderboard;
mod post_receive;
mod pre_receive;
mod registry;
mod schema;
mod token;

use std::process::ExitCode;

use crate::cli::Command;

/// Exit status: no errors found.
pub const EXIT_OK: u8 = 0;
/// Exit status: errors found (or warnings, when they are denied).
pub const EXIT_FOUND: u8 = 1;
/// Exit status: the check could not run.
pub const EXIT_COULD_NOT_CHECK: u8 = 2;

pub fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Check(args) => check::run(args),
        Command::Schema(args) => schema::run(args),
        Command::Config(command) => config::run(command),
        Command::Token(command) => token::run(command),
        Command::Registry(command) => registry::run(command),
        Command::PreReceive(args) => Ok(pre_receive::run(args)),
        Command::PostReceive(args) => Ok(post_receive::run(args)),
        Command::Leaderboard(args) => leaderboard::run(args),
        Command::Install(args) => install::install(args),
        Command::Uninstall(args) => install::uninstall(args),
        Command::Demo(args) => demo::run(args),
    }
}

/// Prints an error once on stderr, as a one-line chain of causes.
pub fn print_error(error: &anyhow::Error) {
    let chain: Vec<String> = error.chain().map(ToString::to_string).collect();
    evalgate::report::error_line(&mut std::io::stderr().lock(), &chain);
}
