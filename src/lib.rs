//! evalgate: checks Hugging Face `eval.yaml` and `.eval_results/*.yaml` files,
//! locally and as a git server's `pre-receive` hook.
//!
//! The library is what the `evalgate` binary is made of: [`rules::check`]
//! turns a file's bytes into [`finding::Finding`]s, [`report`] shows them.

pub mod config;
pub mod finding;
pub mod report;
pub mod rules;
pub mod token;
pub mod yaml;
