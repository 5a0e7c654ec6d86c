//! Command-line arguments. The doc comments here are the `--help` text.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};

/// Check Hugging Face eval.yaml and .eval_results files, locally or as a git
/// server's pre-receive hook.
#[derive(Debug, Parser)]
#[command(name = "evalgate", version, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Check(CheckArgs),
    Schema(SchemaArgs),
    PreReceive(PreReceiveArgs),
    PostReceive(PostReceiveArgs),
    Leaderboard(LeaderboardArgs),
    Install(InstallArgs),
    Uninstall(UninstallArgs),
    Demo(DemoArgs),
    #[command(subcommand)]
    Config(ConfigCommand),
    #[command(subcommand)]
    Token(TokenCommand),
    #[command(subcommand)]
    Registry(RegistryCommand),
}

/// The benchmarks the server knows.
#[derive(Debug, Subcommand)]
pub enum RegistryCommand {
    /// Print every benchmark the configuration's registry can see: its id,
    /// its task ids, and where it was found.
    List {
        /// The configuration file (default: as the hook finds it).
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// The repository whose `evalgate.toml` is read over the server's.
        #[arg(long, value_name = "DIR")]
        git_dir: Option<PathBuf>,
    },
}

/// Check or print the configuration file.
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Report every problem in a configuration file, at its line and column.
    ///
    /// Without FILE, checks what a hook would read: `$EVALGATE_CONFIG`, or
    /// `/etc/evalgate/config.toml` and, with `--git-dir`, the repository's
    /// `evalgate.toml`. Exit status: 0 valid, 1 problems found, 2 unreadable.
    Check {
        file: Option<PathBuf>,
        /// The repository whose `evalgate.toml` is read over the server's.
        #[arg(long, value_name = "DIR")]
        git_dir: Option<PathBuf>,
    },
    /// Print a commented example configuration.
    Example,
}

/// Sign results and check signed results (`verifyToken`).
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Make an Ed25519 key pair: the private key goes to FILE, the public key
    /// is printed as the line the server's configuration takes.
    Keygen {
        /// Where to write the private key (created with mode 0600).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// The key's id, written into the tokens it signs.
        #[arg(long, default_value = "evalgate")]
        id: String,
    },
    /// Add a signed `verifyToken` to every entry of results files, in place.
    ///
    /// Each token binds the entry's benchmark, task, value and revision (and
    /// the model repository, with `--model`). An existing token is replaced.
    Sign {
        /// The private key file that `keygen` wrote.
        #[arg(long, value_name = "FILE")]
        key: PathBuf,
        /// The key's id, as the server's configuration names it.
        #[arg(long, default_value = "evalgate")]
        id: String,
        /// The model repository, `owner/name`, to bind the tokens to.
        #[arg(long, value_name = "OWNER/NAME")]
        model: Option<String>,
        /// Make the tokens expire at the start of this day (UTC).
        #[arg(long, value_name = "YYYY-MM-DD")]
        expires: Option<String>,
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Check the signed results in results files against the configured keys.
    ///
    /// Reports like `check`, with tokens verified whatever the configuration's
    /// mode. Exit status: 0 all good, 1 problems found, 2 could not check.
    Verify {
        /// The configuration with the keys (default: as `check` finds it).
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// The model repository the files belong to, `owner/name`.
        #[arg(long, value_name = "OWNER/NAME")]
        model: Option<String>,
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

/// Check files or repository folders and report every problem found.
///
/// A folder is checked as a repository: its root `eval.yaml` and the files in
/// its `.eval_results/`. Exit status: 0 no errors, 1 errors found (or
/// warnings, with `--deny warnings`), 2 could not check.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Files or folders to check; `-` reads standard input (needs `--as`).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,

    /// Check every file as this format, whatever its name.
    #[arg(long = "as", value_name = "FORMAT")]
    pub kind: Option<KindArg>,

    /// How to write findings.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// When to colour human output.
    #[arg(long, value_enum, default_value_t = Color::Never)]
    pub color: Color,

    /// Also fail (exit 1) on warnings.
    #[arg(long, value_name = "LEVEL", value_parser = ["warnings"])]
    pub deny: Option<String>,

    /// The size cap for one file, in bytes (default: the configuration's, 1 MiB).
    #[arg(long, value_name = "BYTES")]
    pub max_file_size: Option<usize>,

    /// The configuration file (default: `$EVALGATE_CONFIG`, if set).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// Print the JSON Schema (draft-07) of a format, for editors.
#[derive(Debug, clap::Args)]
pub struct SchemaArgs {
    #[arg(value_enum)]
    pub kind: KindArg,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    /// `.eval_results/*.yaml` (model repositories)
    EvalResults,
    /// `eval.yaml` (benchmark repositories)
    EvalYaml,
}

impl From<KindArg> for evalgate::rules::Kind {
    fn from(kind: KindArg) -> Self {
        match kind {
            KindArg::EvalResults => evalgate::rules::Kind::EvalResults,
            KindArg::EvalYaml => evalgate::rules::Kind::EvalYaml,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Text for people, in the layout of rustc's diagnostics.
    Human,
    /// JSON Lines: one object per finding.
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Never,
    Always,
}

/// Run as a git server's pre-receive hook: check a push, reject it if bad.
///
/// Reads git's `<old> <new> <ref>` lines on standard input and the pushed
/// objects from git's quarantine (`GIT_OBJECT_DIRECTORY`), checks every
/// `eval.yaml` and `.eval_results/*` file the push adds or changes in
/// branches, tags, `refs/for/*` and `refs/pr/*`, and prints what it found
/// for the pusher. Files the push does not change are never blamed. Under
/// GitLab (`GL_ID` or `GL_PROTOCOL` set) every line starts with
/// `GL-HOOK-ERR: `. `git push -o evalgate.quiet` silences the line on a
/// clean push; `-o evalgate.verbose` lists every checked ref and file.
/// Gitea's own copies of pull request branches (`GITEA_INTERNAL_PUSH=true`
/// to `refs/pull/*`) pass unchecked; its merges into branches are checked.
///
/// Exit status: 0 accepts the push, 1 rejects it (errors found), 2 rejects
/// it because it could not be checked (0 with `--on-error allow`).
#[derive(Debug, clap::Args)]
pub struct PreReceiveArgs {
    #[command(flatten)]
    pub hook: HookOptions,
}

/// How the hook checks; `install` writes these into the hook script.
#[derive(Clone, Debug, clap::Args)]
pub struct HookOptions {
    /// Check every commit new to the repository, not only each ref's final
    /// state.
    ///
    /// By default a push is judged by the files its refs end up with, so a
    /// bad file fixed by a later commit of the same push is accepted. With
    /// this flag each commit reachable from a pushed ref and from no
    /// existing ref is also compared with its first parent, and a bad file
    /// in any of them rejects the push. Cost: a walk over the new commits,
    /// bounded by every existing ref (like `git rev-list <new> --not
    /// --all`), so it grows with the number of refs and of pushed commits.
    #[arg(long)]
    pub every_commit: bool,

    /// What to do when the push cannot be checked (unreadable object, bad
    /// hook input): `reject` it, or `allow` it through unchecked. Default:
    /// the configuration's `hook.on_error`, else `reject`.
    #[arg(long, value_enum, value_name = "WHAT")]
    pub on_error: Option<OnError>,

    /// How long the check may take, from the hook's start: `500ms`, `4s`,
    /// `2m`. Past it the hook stops and treats the push as one it could not
    /// check (see `--on-error`), with a message saying so. Default: the
    /// configuration's `hook.deadline`, else none.
    #[arg(long, value_name = "DURATION", value_parser = evalgate::config::parse_duration)]
    pub deadline: Option<Duration>,

    /// The size cap for one file, in bytes; larger blobs are rejected
    /// unread. Default: the configuration's `checks.max_file_size`, else 1 MiB.
    #[arg(long, value_name = "BYTES")]
    pub max_file_size: Option<usize>,

    /// Show at most this many findings, then how many more there are.
    /// Default: the configuration's `hook.max_findings`, else 50.
    #[arg(long, value_name = "N")]
    pub max_findings: Option<usize>,

    /// Read this configuration file instead of looking for one (see
    /// `evalgate config check --help` for where the hook looks).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

impl HookOptions {
    /// The options as arguments for `evalgate pre-receive`, unset ones left out.
    pub fn to_args(&self) -> Vec<String> {
        let mut args = Vec::new();
        if self.every_commit {
            args.push("--every-commit".to_owned());
        }
        if let Some(on_error) = self.on_error {
            let value = if on_error == OnError::Allow { "allow" } else { "reject" };
            args.extend(["--on-error".to_owned(), value.to_owned()]);
        }
        if let Some(deadline) = self.deadline {
            args.extend(["--deadline".to_owned(), evalgate::config::format_duration(deadline)]);
        }
        if let Some(bytes) = self.max_file_size {
            args.extend(["--max-file-size".to_owned(), bytes.to_string()]);
        }
        if let Some(n) = self.max_findings {
            args.extend(["--max-findings".to_owned(), n.to_string()]);
        }
        if let Some(path) = &self.config {
            args.extend(["--config".to_owned(), path.display().to_string()]);
        }
        args
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OnError {
    /// Reject the push (exit 2): nothing unchecked gets in.
    Reject,
    /// Print the problem and accept the push (exit 0): availability first.
    Allow,
}

/// Install the pre-receive hook into server repositories.
///
/// Writes a small script that runs this program, by its absolute path, as
/// `evalgate pre-receive` with the options given here. If the program is
/// later moved or deleted, the script rejects every push with a message
/// rather than let files through unchecked. Installing again is a no-op; a
/// hook evalgate did not write is left alone unless `--chain` or `--force`.
///
/// Where it goes, by `--layout`:
///   git       REPO/hooks/pre-receive
///   gitea     REPO/hooks/pre-receive.d/evalgate (Gitea, Forgejo)
///   gitlab    REPO/custom_hooks/pre-receive.d/evalgate, or with
///             `--server-wide DIR`: DIR/pre-receive.d/evalgate
///   gitolite  `--server-wide LOCAL_CODE`: LOCAL_CODE/hooks/common/pre-receive;
///             then run `gitolite setup --hooks-only` as gitolite's user
///
/// Exit status: 0 when every repository has the hook, 1 otherwise.
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct InstallArgs {
    #[command(flatten)]
    pub targets: Targets,

    /// Replace a hook that evalgate did not write.
    #[arg(long, conflicts_with = "chain")]
    pub force: bool,

    /// Keep a hook that evalgate did not write, as `<hook>.before-evalgate`,
    /// and run it first on the same input (git and gitolite layouts).
    /// `uninstall` puts it back.
    #[arg(long)]
    pub chain: bool,

    /// Install the post-receive hook that updates the leaderboard instead
    /// (only `--config` is passed on to it).
    #[arg(long)]
    pub post_receive: bool,

    #[command(flatten)]
    pub hook: HookOptions,
}

/// Remove evalgate's pre-receive hook, and only evalgate's, from repositories.
///
/// A hook that `install --chain` kept goes back in its place.
///
/// Exit status: 0 when no repository has evalgate's hook any more, 1 otherwise.
#[derive(Debug, clap::Args)]
pub struct UninstallArgs {
    #[command(flatten)]
    pub targets: Targets,

    /// Remove the post-receive hook (leaderboard updates) instead.
    #[arg(long)]
    pub post_receive: bool,
}

/// Which repositories, or which server-wide folder.
#[derive(Debug, clap::Args)]
pub struct Targets {
    /// Bare repositories (or work trees with a `.git` folder).
    #[arg(
        value_name = "REPO",
        required_unless_present_any = ["all", "server_wide"],
        conflicts_with_all = ["all", "server_wide"]
    )]
    pub repos: Vec<PathBuf>,

    /// Every repository under ROOT, such as Gitea's repository root, which
    /// has no server-wide hook folder. Run it again for new repositories.
    #[arg(long, value_name = "ROOT", conflicts_with = "server_wide")]
    pub all: Option<PathBuf>,

    /// The server's own hook folder, for all its repositories: GitLab's
    /// `custom_hooks_dir`, or gitolite's `LOCAL_CODE`.
    #[arg(long, value_name = "DIR")]
    pub server_wide: Option<PathBuf>,

    /// Where the server looks for hooks.
    #[arg(long, value_enum, default_value_t = LayoutArg::Git)]
    pub layout: LayoutArg,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LayoutArg {
    /// Plain git: `hooks/pre-receive`.
    Git,
    /// Gitea and Forgejo: `hooks/pre-receive.d/evalgate`.
    Gitea,
    /// GitLab: `custom_hooks/pre-receive.d/evalgate`.
    Gitlab,
    /// gitolite: `<LOCAL_CODE>/hooks/common/pre-receive`.
    Gitolite,
}

impl From<LayoutArg> for evalgate::install::Layout {
    fn from(layout: LayoutArg) -> Self {
        match layout {
            LayoutArg::Git => evalgate::install::Layout::Git,
            LayoutArg::Gitea => evalgate::install::Layout::Gitea,
            LayoutArg::Gitlab => evalgate::install::Layout::Gitlab,
            LayoutArg::Gitolite => evalgate::install::Layout::Gitolite,
        }
    }
}

/// Show the hook at work: push a good and a bad results file to a throwaway
/// server.
///
/// Makes a bare repository in a temporary folder, installs the hook, clones
/// it, and pushes a valid `.eval_results/hle.yaml` (accepted) and then an
/// invalid one (rejected), printing each git command and what git printed.
/// Everything it made is removed afterwards. Needs `git` on `PATH`.
///
/// Exit status: 0 when both pushes behaved as expected, 1 otherwise.
#[derive(Debug, clap::Args)]
pub struct DemoArgs {}

/// Build leaderboards from the server's repositories: JSON, Markdown and a
/// static HTML site.
///
/// Reads every bare repository under `--root` (or the configuration's
/// `leaderboard.roots`, else the roots of `registry.repositories`):
/// benchmarks are those with an `eval.yaml` on their default branch;
/// results are the `.eval_results/*.yaml` of every repository on its
/// default branch and on review refs (`refs/pr/*`, `refs/for/*`,
/// `refs/pull/*/head`, `refs/merge-requests/*/head`). Results the rules
/// reject are listed apart, with the findings. Pages no longer backed by a
/// repository are removed.
///
/// Exit status: 0 built, 2 could not build.
#[derive(Debug, clap::Args)]
pub struct LeaderboardArgs {
    /// The folder to write the site to (created if needed).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,

    /// A folder of bare repositories as `<owner>/<name>.git`; repeatable.
    #[arg(long, value_name = "DIR")]
    pub root: Vec<PathBuf>,

    /// The configuration file (default: `$EVALGATE_CONFIG`, else the
    /// server-wide file).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// Run as a git server's post-receive hook: update the leaderboard pages a
/// push touched.
///
/// Reads git's `<old> <new> <ref>` lines on standard input, then rewrites
/// the pushed repository's model page, the pages of the benchmarks its old
/// and new results name, the rejected list and the index, from the
/// repository as it is now. A push that changes a benchmark's tasks
/// rebuilds the whole site. Problems are reported as a message; the exit
/// status is always 0, as the push has already happened.
#[derive(Debug, clap::Args)]
pub struct PostReceiveArgs {
    /// The site folder (default: the configuration's `leaderboard.out`).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// A folder of bare repositories; repeatable (default: as
    /// `evalgate leaderboard` finds them).
    #[arg(long, value_name = "DIR")]
    pub root: Vec<PathBuf>,

    /// The configuration file (default: `$EVALGATE_CONFIG`, else the
    /// server-wide file; a repository's own `evalgate.toml` is not read).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}
