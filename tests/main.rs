//! The integration tests: one binary, running the real `evalgate` (and, for
//! the hook, the real `git`).

mod check_cli;
mod common;
mod docs;
mod e2e;
mod failures;
mod fixtures;
mod gitworld;
mod hook;
mod hostile;
mod install;
mod leaderboard;
mod properties;
mod schema;
mod server_view;
