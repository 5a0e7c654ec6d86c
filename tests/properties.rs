//! Properties that hold for any input, on generated and mutated files and
//! hook input: what the fuzz targets (`fuzz/`) hold, on stable Rust and in
//! every `cargo test`, for fewer inputs.
//!
//! - the checks return findings, never panic;
//! - every line of the human output fits the width and carries no control
//!   or bidirectional formatting character;
//! - every line of the JSON output is valid JSON and round-trips;
//! - hook input that parses prints back to lines that parse the same.
//!
//! Inputs come from a seeded generator, so a failure repeats: the message
//! names the seed and the case, and writes the input to `target/`.

use std::collections::BTreeSet;
use std::panic::{AssertUnwindSafe, catch_unwind};

use evalgate::config::TokenMode;
use evalgate::push::{self, ObjectFormat};
use evalgate::rules::{Kind, Settings};

use crate::common::shown::check_and_render;
use crate::common::{files, root};

/// How many inputs each property sees; `EVALGATE_PROPERTY_CASES` changes it.
fn cases() -> u64 {
    std::env::var("EVALGATE_PROPERTY_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(20_000)
}

/// SplitMix64: small, fast, and the same sequence for the same seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const KEYS: &[&str] = &[
    "dataset",
    "id",
    "task_id",
    "value",
    "revision",
    "verifyToken",
    "date",
    "source",
    "url",
    "name",
    "user",
    "org",
    "notes",
    "description",
    "evaluation_framework",
    "tasks",
    "config",
    "split",
    "field_spec",
    "input",
    "target",
    "choices",
    "solvers",
    "scorers",
    "args",
    "epochs",
    "epoch_reducer",
    "shuffle_choices",
    "model-index",
    "<<",
    "verify_token",
    "taskid",
    "\"quoted key\"",
    "'single'",
    "? complex",
    "\"\\e[2J\"",
    "\"\\u202e\"",
    "é",
    "",
];

const VALUES: &[&str] = &[
    "1",
    "20.9",
    "-0.5",
    "1e400",
    ".nan",
    ".inf",
    "-.Inf",
    "0x1F",
    "0o17",
    "0755",
    "1_000",
    "1:20",
    "yes",
    "no",
    "on",
    "off",
    "true",
    "False",
    "~",
    "null",
    "2026-01-15",
    "2026-02-30",
    "\"2026-01-15T10:00:00Z\"",
    "cais/hle",
    "a/b--c",
    "../../etc/passwd",
    "https://example.org/x",
    "ftp://x",
    "\"20.9\"",
    "'x'",
    "\"\\x1b[31mred\"",
    "&a 1",
    "*a",
    "!!str 5",
    "!!python/object:os.system",
    "!local x",
    "[1, 2, [3]]",
    "{a: 1, b: [x]}",
    "[",
    "{",
    "]",
    "}",
    "|",
    ">-",
    "\"unterminated",
    "'",
    "- x",
    "inspect-ai",
    "lighteval",
    "5503434ddd753f426f4b38109466949a1217c2bb",
    "eyJhbGciOiJFZERTQSJ9.e30.c2ln",
    "\u{202e}x",
    "\u{1b}",
    "\u{0}",
    "\t",
    "\r",
    "\u{feff}",
    "😀",
];

/// A document that looks like YAML: lines of keys, values, list items and
/// flow collections at random indentation, with noise between them.
fn yaml_like(rng: &mut Rng) -> Vec<u8> {
    let mut text = String::new();
    if rng.chance(5) {
        text.push('\u{feff}');
    }
    for _ in 0..rng.below(30) {
        let indent = if rng.chance(3) { "\t".to_owned() } else { " ".repeat(rng.below(9)) };
        text += &indent;
        match rng.below(10) {
            0 => text += "---",
            1 => text += &format!("- {}", rng.pick(VALUES)),
            2..=3 => text += &format!("- {}: {}", rng.pick(KEYS), rng.pick(VALUES)),
            4 => text += &format!("{}:", rng.pick(KEYS)),
            5 => text += &format!("# {}", rng.pick(VALUES)),
            _ => text += &format!("{}: {}", rng.pick(KEYS), rng.pick(VALUES)),
        }
        text += if rng.chance(3) { "\r\n" } else { "\n" };
    }
    let mut bytes = text.into_bytes();
    if rng.chance(5) {
        let at = rng.below(bytes.len() + 1);
        bytes.insert(at, [0xff, 0xc0, 0x80, 0xed][rng.below(4)]);
    }
    bytes
}

/// A fixture with a few bytes changed, a slice repeated or the end cut off.
fn mutated(rng: &mut Rng, seeds: &[Vec<u8>]) -> Vec<u8> {
    let mut bytes = seeds[rng.below(seeds.len())].clone();
    for _ in 0..1 + rng.below(4) {
        if bytes.is_empty() {
            break;
        }
        let at = rng.below(bytes.len());
        match rng.below(6) {
            0 => bytes[at] = rng.next() as u8,
            1 => bytes[at] = b"-:[]{}&*!|>'\"#\n\t "[rng.below(17)],
            2 => bytes.truncate(at),
            3 => {
                let end = (at + rng.below(64)).min(bytes.len());
                let slice = bytes[at..end].to_vec();
                bytes.splice(at..at, slice.repeat(1 + rng.below(8)));
            }
            4 => {
                let token = rng.pick(VALUES).as_bytes().to_vec();
                bytes.splice(at..at, token);
            }
            _ => {
                bytes.remove(at);
            }
        }
    }
    bytes
}

/// Every fixture file of both kinds, as seeds for mutation.
fn seeds() -> Vec<Vec<u8>> {
    let dirs = ["fixtures/eval-results", "fixtures/eval-yaml"];
    let found: Vec<Vec<u8>> = dirs
        .iter()
        .flat_map(|dir| files(&root().join(dir), "yaml"))
        .map(|path| std::fs::read(path).expect("fixture"))
        .collect();
    assert!(found.len() > 40, "fixtures went missing");
    found
}

/// Checks and renders `bytes`; panics, naming the case, if a property fails.
/// Returns the codes it found.
fn holds(label: &str, kind: Kind, bytes: &[u8], settings: &Settings) -> Vec<&'static str> {
    let outcome = catch_unwind(AssertUnwindSafe(|| check_and_render(kind, bytes, settings)));
    let panic = match outcome {
        Ok(codes) => return codes,
        Err(panic) => panic,
    };
    let dir = root().join("target");
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join(format!("property-failure-{label}.yaml"));
    let _ = std::fs::write(&path, bytes);
    let message = panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_default();
    panic!("{label} ({kind:?}): {message}; the input is in {}", path.display());
}

fn settings(rng: &mut Rng) -> Settings {
    let mut settings = Settings::default();
    if rng.chance(30) {
        settings.tokens.mode = TokenMode::Shape;
    }
    settings
}

/// The generator reaches deep enough when its inputs draw many kinds of
/// findings, not only syntax errors.
#[track_caller]
fn assert_varied(seen: &BTreeSet<&str>) {
    assert!(seen.len() >= 20, "the inputs reach too few checks: {seen:?}");
    assert!(seen.contains("yaml-syntax") && seen.contains("value-not-number"), "{seen:?}");
}

#[test]
fn generated_files_give_findings_shown_safely() {
    let mut rng = Rng(0x5eed_0001);
    let mut seen = BTreeSet::new();
    for case in 0..cases() {
        let kind = if rng.chance(50) { Kind::EvalResults } else { Kind::EvalYaml };
        let bytes = yaml_like(&mut rng);
        let settings = settings(&mut rng);
        seen.extend(holds(&format!("generated-{case}"), kind, &bytes, &settings));
    }
    assert_varied(&seen);
}

#[test]
fn mutated_fixtures_give_findings_shown_safely() {
    let seeds = seeds();
    let mut rng = Rng(0x5eed_0002);
    let mut seen = BTreeSet::new();
    for case in 0..cases() {
        let kind = if rng.chance(50) { Kind::EvalResults } else { Kind::EvalYaml };
        let bytes = mutated(&mut rng, &seeds);
        let settings = settings(&mut rng);
        seen.extend(holds(&format!("mutated-{case}"), kind, &bytes, &settings));
    }
    assert_varied(&seen);
}

#[test]
fn hook_input_that_parses_prints_back_the_same() {
    let mut rng = Rng(0x5eed_0003);
    let ids = ["0".repeat(40), "a".repeat(40), "b".repeat(64), "0".repeat(64), "c".repeat(39)];
    let names = ["refs/heads/main", "refs/for/main/t", "refs/tags/v1", "", "a b", "x\r", "é"];
    for case in 0..cases() {
        let mut input = String::new();
        for _ in 0..rng.below(5) {
            let old = &ids[rng.below(ids.len())];
            let new = &ids[rng.below(ids.len())];
            let name = names[rng.below(names.len())];
            let sep = [" ", "  ", "\t", ""][rng.below(4)];
            input += &format!("{old}{sep}{new} {name}{}", ["\n", "\r\n", "", "\n\n"][rng.below(4)]);
        }
        let bytes = mutated(&mut rng, &[input.into_bytes()]);
        for format in [ObjectFormat::Sha1, ObjectFormat::Sha256] {
            let parsed = catch_unwind(|| push::parse_updates(&bytes, format));
            let parsed = parsed.unwrap_or_else(|_| panic!("case {case}: panic on {bytes:?}"));
            let Ok(updates) = parsed else { continue };
            let text: String = updates.iter().map(|u| u.to_line(format) + "\n").collect();
            let again = push::parse_updates(text.as_bytes(), format);
            assert_eq!(again.ok(), Some(updates), "case {case}: {bytes:?} does not round-trip");
        }
    }
}
