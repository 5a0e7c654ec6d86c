//! `evalgate leaderboard`: build the whole site from the server's repositories.

use std::io;
use std::process::ExitCode;

use evalgate::config::Config;
use evalgate::leaderboard::site;
use evalgate::report;

use crate::cli::LeaderboardArgs;
use crate::cmd::EXIT_OK;

pub fn run(args: LeaderboardArgs) -> anyhow::Result<ExitCode> {
    let config = Config::discover(args.config.as_deref(), None)?;
    let roots = if args.root.is_empty() { site::roots(&config) } else { args.root };
    let built = site::build(&config, &roots, &args.out)?;
    report::leaderboard_built(&mut io::stdout().lock(), &built, &args.out)?;
    Ok(ExitCode::from(EXIT_OK))
}
