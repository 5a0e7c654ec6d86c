//! `evalgate install` and `evalgate uninstall`: put the hook in place, or
//! take evalgate's away.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use evalgate::install::{self, Installed, Layout, Removed};

use crate::cli::{InstallArgs, UninstallArgs};
use crate::cmd::{EXIT_FOUND, EXIT_OK, print_error};

pub fn install(args: InstallArgs) -> anyhow::Result<ExitCode> {
    if args.post_receive {
        return crate::cmd::post_receive::install(args);
    }
    let program = this_program()?;
    let shim = install::shim(&program, &args.hook.to_args())?;
    let layout = Layout::from(args.layout);

    let mut out = std::io::stdout().lock();
    let mut failed = false;
    for repo in &args.repos {
        match install::install(repo, layout, &shim, args.force) {
            Ok((path, Installed::Written)) => writeln!(out, "installed {}", path.display())?,
            Ok((path, Installed::Updated)) => writeln!(out, "updated {}", path.display())?,
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

pub fn uninstall(args: UninstallArgs) -> anyhow::Result<ExitCode> {
    if args.post_receive {
        return crate::cmd::post_receive::uninstall(args);
    }
    let layout = Layout::from(args.layout);
    let mut out = std::io::stdout().lock();
    let mut failed = false;
    for repo in &args.repos {
        match install::uninstall(repo, layout) {
            Ok((path, Removed::Removed)) => writeln!(out, "removed {}", path.display())?,
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

/// The absolute, resolved path of the running program, for the hook to run.
pub fn this_program() -> anyhow::Result<PathBuf> {
    let path = std::env::current_exe().context("could not find the path of this program")?;
    std::fs::canonicalize(&path).with_context(|| format!("could not resolve `{}`", path.display()))
}
