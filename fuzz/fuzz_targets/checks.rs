//! The checks of both file kinds, and both renderers, on any bytes.
//!
//! The first byte picks the kind (and whether tokens are checked for
//! shape); the rest is the file. Besides "never panics", it holds what a
//! pusher's terminal relies on: every human line fits the width and carries
//! no control character (nor a bidirectional override), and every JSON
//! line is valid JSON. The properties are `tests/common/shown.rs`, the same
//! file `cargo test` holds them with.

#![no_main]

use evalgate::config::TokenMode;
use evalgate::rules::{Kind, Settings};
use libfuzzer_sys::fuzz_target;

#[path = "../../tests/common/shown.rs"]
mod shown;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else { return };
    let kind = if selector & 1 == 0 { Kind::EvalResults } else { Kind::EvalYaml };
    let mut settings = Settings::default();
    if selector & 2 != 0 {
        settings.tokens.mode = TokenMode::Shape;
    }
    shown::check_and_render(kind, bytes, &settings);
});
