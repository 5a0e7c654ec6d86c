//! `evalgate config`: check the configuration, or print an example.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use evalgate::config::{self, Config};
use evalgate::report::{self, FileReport, Style, Totals};

use crate::cli::ConfigCommand;
use crate::cmd::{EXIT_FOUND, EXIT_OK};

pub fn run(command: ConfigCommand) -> anyhow::Result<ExitCode> {
    let mut out = io::stdout().lock();
    match command {
        ConfigCommand::Example => {
            out.write_all(config::EXAMPLE.as_bytes())?;
            Ok(ExitCode::from(EXIT_OK))
        }
        ConfigCommand::Check { file, git_dir } => {
            let result = match &file {
                Some(path) => Config::from_files(std::slice::from_ref(path), true),
                None => Config::discover(None, git_dir.as_deref()),
            };
            match result {
                Ok(config) => {
                    let sources: Vec<String> =
                        config.sources.iter().map(|p| format!("`{}`", p.display())).collect();
                    let line = if sources.is_empty() {
                        "no configuration file found; the defaults apply".to_owned()
                    } else {
                        format!("{} valid", sources.join(" and "))
                    };
                    writeln!(out, "evalgate: {}", report::clean(&line))?;
                    Ok(ExitCode::from(EXIT_OK))
                }
                Err(config::Error::Invalid { path, text, findings }) => {
                    let file = FileReport {
                        path: path.display().to_string(),
                        refs: Vec::new(),
                        source: Some(text),
                        findings,
                    };
                    report::human(&mut out, &file, Style::default())?;
                    let totals = Totals::of(std::slice::from_ref(&file));
                    writeln!(out, "evalgate: {}", totals.describe())?;
                    Ok(ExitCode::from(EXIT_FOUND))
                }
                Err(error) => Err(error.into()),
            }
        }
    }
}

/// Reads one configuration file for a command; problems make it fail.
pub fn load(path: &Path) -> anyhow::Result<Config> {
    Config::from_files(&[PathBuf::from(path)], true).map_err(|error| match error {
        config::Error::Invalid { path, findings, .. } => anyhow::anyhow!(
            "the configuration `{}` has {}; `evalgate config check {}` shows them",
            path.display(),
            report::count(findings.len(), "problem"),
            path.display()
        ),
        other => other.into(),
    })
}
