//! `evalgate pre-receive`: the hook itself.

use std::io;
use std::process::ExitCode;

use evalgate::gate::{self, Options, Verdict};
use evalgate::git::Repo;
use evalgate::push::{self, Environment};
use evalgate::report::{self, HookStyle};
use evalgate::rules::Settings;
use evalgate::yaml::Limits;

use crate::cli::{OnError, PreReceiveArgs};
use crate::cmd::{EXIT_COULD_NOT_CHECK, EXIT_FOUND, EXIT_OK};

pub fn run(args: PreReceiveArgs) -> ExitCode {
    let env = Environment::from_process();
    let style = HookStyle {
        gitlab: env.gitlab,
        max_findings: args.hook.max_findings,
        quiet: env.has_push_option("evalgate.quiet"),
    };
    let settings =
        Settings { limits: Limits::from_cap(args.hook.max_file_size), ..Settings::default() };
    let options = Options { settings, every_commit: args.hook.every_commit };

    // The verdict stands even if the pusher cannot be told: a failed write
    // to stderr (the connection dropped) changes nothing.
    let mut stderr = io::stderr().lock();
    match check(&env, &options) {
        Ok(verdict) => {
            let _ = report::hook_verdict(&mut stderr, &verdict, style);
            ExitCode::from(if verdict.rejects() { EXIT_FOUND } else { EXIT_OK })
        }
        Err(error) => {
            let allowed = args.hook.on_error == OnError::Allow;
            let causes: Vec<String> = error.chain().map(ToString::to_string).collect();
            let cause = causes.join(": ");
            let _ = report::hook_error(&mut stderr, &cause, allowed, env.gitlab);
            ExitCode::from(if allowed { EXIT_OK } else { EXIT_COULD_NOT_CHECK })
        }
    }
}

/// Reads the push and checks it.
fn check(env: &Environment, options: &Options) -> anyhow::Result<Verdict> {
    let input = push::read_stdin()?;
    let repo = Repo::open(env)?;
    let updates = push::parse_updates(&input, repo.object_format())?;
    Ok(gate::check_push(&repo, &updates, options)?)
}
