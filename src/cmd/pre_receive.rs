//! `evalgate pre-receive`: the hook itself.

use std::io;
use std::process::ExitCode;
use std::time::Instant;

use evalgate::bounded::{self, Outcome};
use evalgate::config::{self, Config, Prefix};
use evalgate::gate::{self, Options, Verdict};
use evalgate::git::Repo;
use evalgate::push::{self, Environment};
use evalgate::report::{self, HookStyle};
use evalgate::yaml::Limits;

use crate::cli::{OnError, PreReceiveArgs};
use crate::cmd::{EXIT_COULD_NOT_CHECK, EXIT_FOUND, EXIT_OK};

pub fn run(args: PreReceiveArgs) -> ExitCode {
    let started = Instant::now();
    let env = Environment::from_process();
    let config = Config::discover(args.hook.config.as_deref(), Some(&env.git_dir));
    let gitlab = |config: Option<&Config>| match config.map_or(Prefix::Auto, |c| c.prefix) {
        Prefix::Auto => env.gitlab,
        Prefix::Gitlab => true,
        Prefix::None => false,
    };

    // The verdict stands even if the pusher cannot be told: a failed write
    // to stderr (the connection dropped) changes nothing.
    let mut stderr = io::stderr().lock();
    let config = match config {
        Ok(config) => config,
        Err(error) => {
            // Without a readable configuration there is no policy to apply,
            // not even `on_error`: the flag alone decides.
            let allowed = args.hook.on_error == Some(OnError::Allow);
            let cause = config_problem(&error);
            let _ = report::hook_error(&mut stderr, &cause, allowed, gitlab(None));
            return ExitCode::from(if allowed { EXIT_OK } else { EXIT_COULD_NOT_CHECK });
        }
    };
    let style = HookStyle {
        gitlab: gitlab(Some(&config)),
        max_findings: args.hook.max_findings.unwrap_or(config.max_findings),
        quiet: env.has_push_option("evalgate.quiet"),
        verbose: env.has_push_option("evalgate.verbose"),
    };
    let mut settings = config.settings();
    if let Some(bytes) = args.hook.max_file_size {
        settings.limits = Limits::from_cap(bytes);
    }
    settings.tokens.model = push::model_repository(|name| std::env::var(name).ok());
    let options = Options {
        settings,
        every_commit: args.hook.every_commit,
        include: config.include.clone(),
        exclude: config.exclude.clone(),
    };

    let on_error = match args.hook.on_error {
        Some(on_error) => on_error,
        None if config.on_error == config::OnError::Allow => OnError::Allow,
        None => OnError::Reject,
    };
    let deadline = args.hook.deadline.or(config.deadline);
    let worker_env = env.clone();
    let outcome = bounded::run(deadline.map(|d| started + d), move || check(&worker_env, &options));
    let cause = match outcome {
        Outcome::Done(Ok(verdict)) => {
            let _ = report::hook_verdict(&mut stderr, &verdict, style);
            return ExitCode::from(if verdict.rejects() { EXIT_FOUND } else { EXIT_OK });
        }
        Outcome::Done(Err(error)) => {
            let causes: Vec<String> = error.chain().map(ToString::to_string).collect();
            causes.join(": ")
        }
        Outcome::Panicked(what) => format!(
            "evalgate failed inside: {what}. This is a bug in evalgate; the server's \
             operator can report it with this message"
        ),
        Outcome::TimedOut => format!(
            "it took longer than its time budget of {} (`--deadline`, `hook.deadline`)",
            config::format_duration(deadline.unwrap_or_default())
        ),
    };
    let allowed = on_error == OnError::Allow;
    let _ = report::hook_error(&mut stderr, &cause, allowed, style.gitlab);
    ExitCode::from(if allowed { EXIT_OK } else { EXIT_COULD_NOT_CHECK })
}

/// What to tell the pusher about a configuration that cannot be used.
fn config_problem(error: &config::Error) -> String {
    match error {
        config::Error::Invalid { path, findings, .. } => format!(
            "the server's configuration `{}` has {}; the operator can see them with \
             `evalgate config check {}`",
            path.display(),
            report::count(findings.len(), "problem"),
            path.display()
        ),
        config::Error::Read { path, source } => {
            format!("cannot read the server's configuration `{}`: {source}", path.display())
        }
    }
}

/// Reads the push and checks it.
fn check(env: &Environment, options: &Options) -> anyhow::Result<Verdict> {
    // Debug builds only: lets the tests make the checks panic, to see that
    // a bug still ends in a message and a rejected push.
    #[cfg(debug_assertions)]
    if std::env::var_os("EVALGATE_DEBUG_PANIC").is_some() {
        panic!("EVALGATE_DEBUG_PANIC is set");
    }
    let input = push::read_stdin()?;
    let repo = Repo::open(env)?;
    let mut updates = push::parse_updates(&input, repo.object_format())?;
    updates.retain(|update| !env.server_writes(update));
    Ok(gate::check_push(&repo, &updates, options)?)
}
