//! What any checked file must look like to a user, whatever its bytes: the
//! properties that `tests/properties.rs` and the fuzz targets (`fuzz/`,
//! which include this file by path) both hold.

use evalgate::report::{self, FileReport, Style, WIDTH};
use evalgate::rules::{self, Kind, Settings};

/// Whether a character must never reach a terminal raw: a control character
/// (escape sequences start with one) or a bidirectional override or isolate.
/// Written here, not taken from `evalgate::report`, so that a test does not
/// judge the code by the code's own rule.
pub fn unsafe_to_show(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Checks `bytes` as `kind` and renders the findings both ways; panics when
/// the checks do, or when a property fails: every human line fits [`WIDTH`]
/// and shows nothing unsafe, every JSON line is valid JSON and round-trips.
/// Returns the codes found.
pub fn check_and_render(kind: Kind, bytes: &[u8], settings: &Settings) -> Vec<&'static str> {
    let checked = rules::check(kind, bytes, settings);
    let codes: Vec<&'static str> = checked.findings.iter().map(|f| f.code.as_str()).collect();
    let report = FileReport {
        path: ".eval_results/generated.yaml".to_owned(),
        refs: vec!["refs/heads/main".to_owned()],
        source: checked.source,
        findings: checked.findings,
    };
    let mut human = Vec::new();
    report::human(&mut human, &report, Style::default()).expect("write to a Vec");
    let human = String::from_utf8(human).expect("human output is UTF-8");
    for line in human.lines() {
        assert!(line.chars().count() <= WIDTH, "a line over {WIDTH} columns: {line:?}");
        assert!(!line.chars().any(unsafe_to_show), "shown raw: {line:?}");
    }
    let mut json = Vec::new();
    report::json_lines(&mut json, &report).expect("write to a Vec");
    let json = String::from_utf8(json).expect("JSON output is UTF-8");
    assert_eq!(json.lines().count(), report.findings.len(), "one line per finding");
    for line in json.lines() {
        let value: serde_json::Value = serde_json::from_str(line).expect("valid JSON");
        let again = serde_json::to_string(&value).expect("serialise");
        assert_eq!(serde_json::from_str::<serde_json::Value>(&again).expect("JSON"), value);
    }
    codes
}
