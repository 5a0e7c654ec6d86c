//! `evalgate post-receive`: the hook that updates the leaderboard after a
//! push, and its installation (`install --post-receive`).

use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::Context;
use evalgate::config::Config;
use evalgate::git::Repo;
use evalgate::install::{self, Installed, Layout, Removed};
use evalgate::leaderboard::site::{self, Updated};
use evalgate::push::{self, Environment};
use evalgate::report;

use crate::cli::{InstallArgs, PostReceiveArgs, UninstallArgs};
use crate::cmd::{EXIT_FOUND, EXIT_OK, print_error};

/// Runs the hook. Always exits 0: the push has happened, a hook cannot
/// undo it, and git would only print a warning.
pub fn run(args: PostReceiveArgs) -> ExitCode {
    let mut stderr = io::stderr().lock();
    match update(&args) {
        Ok(updated) => {
            let _ = report::post_receive_done(&mut stderr, &updated);
        }
        Err(error) => {
            let causes: Vec<String> = error.chain().map(ToString::to_string).collect();
            let _ = report::post_receive_error(&mut stderr, &causes.join(": "));
        }
    }
    ExitCode::from(EXIT_OK)
}

fn update(args: &PostReceiveArgs) -> anyhow::Result<Updated> {
    let env = Environment::from_process();
    let input = push::read_stdin()?;
    // The site is the server's: a repository's own configuration is not read.
    let config = Config::discover(args.config.as_deref(), None)?;
    let out =
        args.out.clone().or_else(|| config.leaderboard.out.clone()).context(
            "no site folder: give `--out` or set `leaderboard.out` in the configuration",
        )?;
    let roots = if args.root.is_empty() { site::roots(&config) } else { args.root.clone() };
    let format = Repo::open(&env)?.object_format();
    let updates = push::parse_updates(&input, format)?;
    Ok(site::update(&config, &roots, &out, &env.git_dir, &updates)?)
}

/// `evalgate install --post-receive`: writes the post-receive hook.
pub fn install(args: InstallArgs) -> anyhow::Result<ExitCode> {
    let program = crate::cmd::install::this_program()?;
    let mut hook_args = Vec::new();
    if let Some(path) = &args.hook.config {
        hook_args.extend(["--config".to_owned(), path.display().to_string()]);
    }
    let shim = install::post_receive_shim(&program, &hook_args)?;
    let layout = Layout::from(args.targets.layout);
    let repos = repositories(&args.targets)?;
    let mut out = io::stdout().lock();
    let mut failed = false;
    for repo in repos {
        match install::install_post_receive(repo, layout, &shim, args.force) {
            Ok((path, Installed::Written)) => writeln!(out, "installed {}", path.display())?,
            Ok((path, Installed::Updated)) => writeln!(out, "updated {}", path.display())?,
            // The post-receive hook is never chained; say what happened if it were.
            Ok((path, Installed::Chained { saved })) => {
                writeln!(out, "installed {}, after {}", path.display(), saved.display())?;
            }
            Ok((path, Installed::Unchanged)) => {
                writeln!(out, "already installed, nothing to do: {}", path.display())?;
            }
            Err(error) => {
                print_error(&error.into());
                failed = true;
            }
        }
    }
    Ok(ExitCode::from(if failed { EXIT_FOUND } else { EXIT_OK }))
}

/// `evalgate uninstall --post-receive`: removes evalgate's post-receive hook.
pub fn uninstall(args: UninstallArgs) -> anyhow::Result<ExitCode> {
    let layout = Layout::from(args.targets.layout);
    let repos = repositories(&args.targets)?;
    let mut out = io::stdout().lock();
    let mut failed = false;
    for repo in repos {
        match install::uninstall_post_receive(repo, layout) {
            Ok((path, Removed::Removed)) => writeln!(out, "removed {}", path.display())?,
            Ok((path, Removed::Restored { from })) => {
                writeln!(out, "removed {}; restored {}", path.display(), from.display())?;
            }
            Ok((path, Removed::NotInstalled)) => {
                writeln!(out, "not installed, nothing to do: {}", path.display())?;
            }
            Err(error) => {
                print_error(&error.into());
                failed = true;
            }
        }
    }
    Ok(ExitCode::from(if failed { EXIT_FOUND } else { EXIT_OK }))
}

/// The repositories a post-receive (un)install names.
///
/// # Notes
/// - `--all` and `--server-wide` are for the pre-receive hook only: the
///   leaderboard needs one post-receive hook per repository it shows.
fn repositories(targets: &crate::cli::Targets) -> anyhow::Result<&[std::path::PathBuf]> {
    // TODO: `--all ROOT` for the post-receive hook; meanwhile name each repository.
    if targets.all.is_some() || targets.server_wide.is_some() {
        anyhow::bail!(
            "`--post-receive` takes repositories by name, not `--all` or `--server-wide`"
        );
    }
    Ok(&targets.repos)
}
