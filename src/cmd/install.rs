//! `evalgate install` and `evalgate uninstall`: put the hook in place, or
//! take evalgate's away.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use evalgate::install::{self, Existing, Installed, Layout, Removed, Targets};

use crate::cli::{self, InstallArgs, UninstallArgs};
use crate::cmd::{EXIT_FOUND, EXIT_OK, print_error};

pub fn install(args: InstallArgs) -> anyhow::Result<ExitCode> {
    if args.post_receive {
        return crate::cmd::post_receive::install(args);
    }
    let program = this_program()?;
    let layout = Layout::from(args.targets.layout);
    let existing = match (args.chain, args.force) {
        (true, _) if !layout.single_hook() => Err(install::Error::ChainNotNeeded { layout })?,
        (true, _) => Existing::Chain,
        (false, true) => Existing::Replace,
        (false, false) => Existing::Refuse,
    };
    let hook_args = args.hook.to_args();

    let mut out = std::io::stdout().lock();
    let mut failed = false;
    for hook in install::hook_files(layout, targets(&args.targets))? {
        let done = hook.and_then(|hook| {
            let outcome = install::install(&hook.path, &program, &hook_args, existing)?;
            Ok((hook.path, outcome))
        });
        match done {
            Ok((path, Installed::Written)) => writeln!(out, "installed {}", path.display())?,
            Ok((path, Installed::Chained { saved })) => writeln!(
                out,
                "installed {}; the hook that was there runs first, kept as {}",
                path.display(),
                saved.display()
            )?,
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
    gitolite_next_step(&mut out, layout)?;
    Ok(ExitCode::from(if failed { EXIT_FOUND } else { EXIT_OK }))
}

pub fn uninstall(args: UninstallArgs) -> anyhow::Result<ExitCode> {
    if args.post_receive {
        return crate::cmd::post_receive::uninstall(args);
    }
    let layout = Layout::from(args.targets.layout);
    let mut out = std::io::stdout().lock();
    let mut failed = false;
    for hook in install::hook_files(layout, targets(&args.targets))? {
        match hook.and_then(|hook| Ok((install::uninstall(&hook)?, hook.path))) {
            Ok((Removed::Removed, path)) => writeln!(out, "removed {}", path.display())?,
            Ok((Removed::Restored { from }, path)) => writeln!(
                out,
                "removed {}; the hook that was there before is back (from {})",
                path.display(),
                from.display()
            )?,
            Ok((Removed::NotInstalled, path)) => {
                writeln!(out, "not installed, nothing to do: {}", path.display())?;
            }
            Err(error) => {
                print_error(&error.into());
                failed = true;
            }
        }
    }
    gitolite_next_step(&mut out, layout)?;
    Ok(ExitCode::from(if failed { EXIT_FOUND } else { EXIT_OK }))
}

fn targets(args: &cli::Targets) -> Targets<'_> {
    match (&args.all, &args.server_wide) {
        (Some(root), _) => Targets::All(root),
        (None, Some(dir)) => Targets::ServerWide(dir),
        (None, None) => Targets::Repositories(&args.repos),
    }
}

/// gitolite links common hooks into its repositories when told to.
fn gitolite_next_step(out: &mut dyn Write, layout: Layout) -> std::io::Result<()> {
    if layout == Layout::Gitolite {
        writeln!(out, "next: run `gitolite setup --hooks-only` as gitolite's user")?;
    }
    Ok(())
}

/// The absolute, resolved path of the running program, for the hook to run.
pub fn this_program() -> anyhow::Result<PathBuf> {
    let path = std::env::current_exe().context("could not find the path of this program")?;
    std::fs::canonicalize(&path).with_context(|| format!("could not resolve `{}`", path.display()))
}
