//! Command-line arguments. The doc comments here are the `--help` text.

use std::path::PathBuf;

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
    #[command(subcommand)]
    Config(ConfigCommand),
    #[command(subcommand)]
    Token(TokenCommand),
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
