//! `evalgate demo`: a good push and a bad push into a throwaway server.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::Context;
use evalgate::install::{self, Layout};

use crate::cli::DemoArgs;
use crate::cmd::{EXIT_FOUND, EXIT_OK};

const VALID: &str = "\
- dataset:
    id: cais/hle
    task_id: hle
  value: 20.90
  date: \"2026-01-15\"
  source:
    url: https://huggingface.co/spaces/cais/hle
    name: Eval Logs
";

const INVALID: &str = "\
- dataset:
    id: cais/hle
  value: \"20.9\"
  date: \"2026-01-15\"
";

pub fn run(_args: DemoArgs) -> anyhow::Result<ExitCode> {
    let temp = tempfile::Builder::new().prefix("evalgate-demo-").tempdir()?;
    let out = &mut io::stdout().lock();
    let demo = Demo::new(temp.path())?;
    writeln!(out, "evalgate demo: a throwaway server in {}\n", temp.path().display())?;

    demo.git(out, temp.path(), &["init", "--bare", "--quiet", "server.git"])?;
    writeln!(out, "$ evalgate install server.git")?;
    let shim = install::shim(&crate::cmd::install::this_program()?, &[])?;
    let (path, _) = install::install(&demo.server, Layout::Git, &shim, false)?;
    writeln!(out, "installed {}\n", path.display())?;
    demo.git(out, temp.path(), &["clone", "--quiet", "server.git", "work"])?;
    writeln!(out, "$ cd work\n")?;

    writeln!(out, "# A valid results file is accepted.")?;
    let accepted = demo.push_file(out, "hle.yaml", VALID, "Add HLE results")?;
    writeln!(
        out,
        "# An invalid one (no task, a quoted value) is rejected; the server keeps what it had."
    )?;
    let rejected = !demo.push_file(out, "broken.yaml", INVALID, "Add broken results")?;

    // The temporary folder goes when `temp` drops; say so before it does.
    let (verdict, text) = if accepted && rejected {
        (EXIT_OK, format!("both pushes behaved as expected; removed {}", temp.path().display()))
    } else {
        (EXIT_FOUND, "the pushes did not behave as expected (see above)".to_owned())
    };
    writeln!(out, "evalgate demo: {text}")?;
    Ok(ExitCode::from(verdict))
}

/// The throwaway world: a home folder, a server and a clone.
struct Demo {
    home: PathBuf,
    server: PathBuf,
    work: PathBuf,
}

impl Demo {
    fn new(root: &Path) -> anyhow::Result<Demo> {
        let home = root.join("home");
        fs::create_dir(&home)?;
        Ok(Demo { home, server: root.join("server.git"), work: root.join("work") })
    }

    /// Commits `text` as `.eval_results/<name>` and pushes; whether git accepted.
    fn push_file(
        &self,
        out: &mut dyn Write,
        name: &str,
        text: &str,
        message: &str,
    ) -> anyhow::Result<bool> {
        let rel = format!(".eval_results/{name}");
        fs::create_dir_all(self.work.join(".eval_results"))?;
        fs::write(self.work.join(&rel), text)?;
        writeln!(out, "$ cat {rel}")?;
        write!(out, "{text}")?;
        self.git(out, &self.work, &["add", &rel])?;
        self.git(out, &self.work, &["commit", "--quiet", "-m", message])?;
        let pushed = self.shown(out, &self.work, &["push", "origin", "main"])?;
        writeln!(out)?;
        Ok(pushed)
    }

    /// Runs git, showing the command; an error if it fails.
    fn git(&self, out: &mut dyn Write, dir: &Path, args: &[&str]) -> anyhow::Result<()> {
        writeln!(out, "$ git {}", shell_words(args))?;
        let output = self.command(dir, args).output().context("could not run `git`")?;
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            anyhow::bail!("`git {}` failed: {}", args.join(" "), stderr.trim());
        }
        Ok(())
    }

    /// Runs git, showing the command and what it printed; whether it succeeded.
    fn shown(&self, out: &mut dyn Write, dir: &Path, args: &[&str]) -> anyhow::Result<bool> {
        writeln!(out, "$ git {}", shell_words(args))?;
        let output = self.command(dir, args).output().context("could not run `git`")?;
        let text = String::from_utf8_lossy(&output.stderr);
        for line in text.lines() {
            // git pads `remote:` lines with spaces when not on a terminal.
            writeln!(out, "{}", evalgate::report::clean(line.trim_end()))?;
        }
        Ok(output.status.success())
    }

    /// git with a fixed identity and no system or user configuration.
    fn command(&self, dir: &Path, args: &[&str]) -> Command {
        let mut command = Command::new("git");
        command
            .current_dir(dir)
            .env("HOME", &self.home)
            .env("XDG_CONFIG_HOME", self.home.join(".config"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", self.home.join(".gitconfig"))
            .env("LC_ALL", "C")
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .env_remove("GIT_INDEX_FILE")
            .env_remove("GIT_OBJECT_DIRECTORY")
            .env_remove("GIT_ALTERNATE_OBJECT_DIRECTORIES")
            .args(["-c", "user.name=evalgate demo", "-c", "user.email=demo@example.invalid"])
            .args(["-c", "init.defaultBranch=main", "-c", "color.ui=never"])
            .args(args);
        command
    }
}

/// Arguments as a reader would type them: `--quiet` left out, spaces quoted.
fn shell_words(args: &[&str]) -> String {
    let words: Vec<String> = args
        .iter()
        .filter(|arg| **arg != "--quiet")
        .map(|arg| if arg.contains(' ') { format!("'{arg}'") } else { (*arg).to_owned() })
        .collect();
    words.join(" ")
}
