//! The integration tests: one binary, running the real `evalgate` (and, for
//! the hook, the real `git`).

mod gitworld;
mod hook;
mod install;
