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

    /// The size cap for one file, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = evalgate::yaml::DEFAULT_MAX_BYTES)]
    pub max_file_size: usize,
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
