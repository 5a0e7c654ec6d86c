//! `evalgate registry`: what the server knows about its benchmarks.

use std::io;
use std::process::ExitCode;

use evalgate::config::Config;
use evalgate::registry::Registry;
use evalgate::report;

use crate::cli::RegistryCommand;
use crate::cmd::EXIT_OK;

pub fn run(command: RegistryCommand) -> anyhow::Result<ExitCode> {
    let RegistryCommand::List { config, git_dir } = command;
    let config = Config::discover(config.as_deref(), git_dir.as_deref())?;
    let found = Registry::from_config(&config).map(|registry| registry.list()).unwrap_or_default();
    report::registry_list(&mut io::stdout().lock(), &found)?;
    Ok(ExitCode::from(EXIT_OK))
}
