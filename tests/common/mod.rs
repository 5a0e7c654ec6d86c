//! What the integration tests share.

pub mod hostile;
pub mod shown;

pub use shown::unsafe_to_show;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The project root, where `fixtures/` is.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A command that runs the `evalgate` binary built for these tests.
pub fn evalgate() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_evalgate"));
    command.current_dir(root());
    command
}

/// Runs `evalgate` with `args` and returns what it did.
pub fn run(args: &[&str]) -> Output {
    evalgate().args(args).output().expect("evalgate runs")
}

/// Whether expected outputs should be rewritten instead of compared.
pub fn blessing() -> bool {
    std::env::var_os("EVALGATE_BLESS").is_some()
}

/// The files in `dir` ending in `ext`, sorted.
pub fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == ext))
        .collect();
    found.sort();
    found
}
