//! `evalgate demo`: a good push and a bad push into a throwaway server.

use std::fs;
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
    task_id: hle
  value: 20.90
  value: \"twenty\"
  date: \"2026-01-15\"
";

pub fn run(_args: DemoArgs) -> anyhow::Result<ExitCode> {
    let temp = tempfile::Builder::new().prefix("evalgate-demo-").tempdir()?;
    let demo = Demo::new(temp.path())?;
    println!("evalgate demo: a throwaway server in {}\n", temp.path().display());

    demo.git(temp.path(), &["init", "--bare", "--quiet", "server.git"])?;
    println!("$ evalgate install server.git");
    let shim = install::shim(&crate::cmd::install::this_program()?, &[])?;
    let (path, _) = install::install(&demo.server, Layout::Git, &shim, false)?;
    println!("installed {}\n", path.display());
    demo.git(temp.path(), &["clone", "--quiet", "server.git", "work"])?;
    println!("$ cd work\n");

    println!("# A valid results file is accepted.");
    let accepted = demo.push_file("hle.yaml", VALID, "Add HLE results")?;
    println!("# An invalid one (`value` twice) is rejected, and the server keeps what it had.");
    let rejected = !demo.push_file("broken.yaml", INVALID, "Add broken results")?;

    // The temporary folder goes when `temp` drops; say so before it does.
    let verdict = if accepted && rejected {
        println!(
            "evalgate demo: both pushes behaved as expected; removed {}",
            temp.path().display()
        );
        EXIT_OK
    } else {
        println!("evalgate demo: the pushes did not behave as expected (see above)");
        EXIT_FOUND
    };
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
    fn push_file(&self, name: &str, text: &str, message: &str) -> anyhow::Result<bool> {
        let path = self.work.join(".eval_results").join(name);
        fs::create_dir_all(self.work.join(".eval_results"))?;
        fs::write(&path, text)?;
        println!("$ cat .eval_results/{name}");
        print!("{text}");
        let rel = format!(".eval_results/{name}");
        self.git(&self.work, &["add", &rel])?;
        self.git(&self.work, &["commit", "--quiet", "-m", message])?;
        let pushed = self.shown(&self.work, &["push", "origin", "main"])?;
        println!();
        Ok(pushed)
    }

    /// Runs git, showing the command; an error if it fails.
    fn git(&self, dir: &Path, args: &[&str]) -> anyhow::Result<()> {
        println!("$ git {}", shell_words(args));
        let output = self.command(dir, args).output().context("could not run `git`")?;
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            anyhow::bail!("`git {}` failed: {}", args.join(" "), stderr.trim());
        }
        Ok(())
    }

    /// Runs git, showing the command and what it printed; whether it succeeded.
    fn shown(&self, dir: &Path, args: &[&str]) -> anyhow::Result<bool> {
        println!("$ git {}", shell_words(args));
        let output = self.command(dir, args).output().context("could not run `git`")?;
        let text = String::from_utf8_lossy(&output.stderr);
        for line in text.lines() {
            println!("{}", evalgate::report::clean(line.trim_end()));
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
