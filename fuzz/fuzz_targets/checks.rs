//! The checks of both file kinds, and both renderers, on any bytes.
//!
//! The first byte picks the kind (and whether tokens are checked for
//! shape); the rest is the file. Besides "never panics", it holds what a
//! pusher's terminal relies on: every human line fits the width and carries
//! no control character (nor a bidirectional override), and every JSON
//! line is valid JSON.

#![no_main]

use evalgate::config::TokenMode;
use evalgate::report::{self, FileReport, Style, WIDTH};
use evalgate::rules::{self, Kind, Settings};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else { return };
    let kind = if selector & 1 == 0 { Kind::EvalResults } else { Kind::EvalYaml };
    let mut settings = Settings::default();
    if selector & 2 != 0 {
        settings.tokens.mode = TokenMode::Shape;
    }

    let checked = rules::check(kind, bytes, &settings);
    let report = FileReport {
        path: ".eval_results/fuzz.yaml".to_owned(),
        refs: vec!["refs/heads/main".to_owned()],
        source: checked.source,
        findings: checked.findings,
    };

    let mut human = Vec::new();
    report::human(&mut human, &report, Style::default()).expect("writing to a Vec");
    let human = String::from_utf8(human).expect("human output is UTF-8");
    for line in human.lines() {
        assert!(line.chars().count() <= WIDTH, "line over {WIDTH} columns: {line:?}");
        assert!(!line.chars().any(report::unsafe_to_show), "control character in {line:?}");
    }

    let mut json = Vec::new();
    report::json_lines(&mut json, &report).expect("writing to a Vec");
    for line in json.split(|&b| b == b'\n').filter(|line| !line.is_empty()) {
        let value: serde_json::Value = serde_json::from_slice(line).expect("valid JSON");
        let again: serde_json::Value =
            serde_json::from_slice(&serde_json::to_vec(&value).expect("serialise")).expect("JSON");
        assert_eq!(again, value, "JSON round trip");
    }
});
