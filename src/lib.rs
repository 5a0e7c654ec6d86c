//! evalgate: checks Hugging Face `eval.yaml` and `.eval_results/*.yaml` files,
//! locally and as a git server's `pre-receive` hook.
//!
//! The library is what the `evalgate` binary is made of: [`rules::check`]
//! turns a file's bytes into [`finding::Finding`]s, [`report`] shows them.
//! For the hook, [`push`] reads what git hands it, [`git`] sees the pushed
//! objects, [`gate`] decides, and [`install`] puts the hook in place.

pub mod bounded;
pub mod config;
pub mod finding;
pub mod gate;
pub mod git;
pub mod install;
pub mod leaderboard;
pub mod push;
pub mod registry;
pub mod report;
pub mod rules;
pub mod token;
pub mod yaml;
