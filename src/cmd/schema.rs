//! `evalgate schema`: print a published JSON Schema.

use std::io::Write;
use std::process::ExitCode;

use crate::cli::{KindArg, SchemaArgs};

pub fn run(args: SchemaArgs) -> anyhow::Result<ExitCode> {
    let text = match args.kind {
        KindArg::EvalResults => include_str!("../../schemas/eval-results.schema.json"),
        KindArg::EvalYaml => include_str!("../../schemas/eval-yaml.schema.json"),
    };
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
