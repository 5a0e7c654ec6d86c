//! How long the checks take: a typical results file, a large one, and the
//! hostile documents a pusher could send.
//!
//! `cargo bench --bench check` prints a table (divan): fastest, slowest,
//! median and mean per case.

use evalgate::rules::{self, Kind, Settings};
use evalgate::yaml::Limits;

fn main() {
    divan::main();
}

/// One result entry, about 250 bytes, in the shape real files have.
fn entry(i: usize) -> String {
    format!(
        "- dataset:\n    id: example-org/benchmark-{i}\n    task_id: task_{i}\n    \
         revision: 5503434ddd753f426f4b38109466949a1217c2bb\n  value: {}.5\n  \
         date: \"2026-01-15\"\n  source:\n    url: https://huggingface.co/datasets/example-org/logs\n    \
         name: Eval Logs\n  notes: \"no-tools\"\n",
        i % 100
    )
}

/// Entries up to `bytes` long.
fn results_file(bytes: usize) -> String {
    let mut text = String::new();
    let mut i = 0;
    while text.len() + entry(i).len() <= bytes {
        text += &entry(i);
        i += 1;
    }
    text
}

#[divan::bench]
fn typical_1kib_results(bencher: divan::Bencher) {
    let text = results_file(1024);
    let settings = Settings::default();
    bencher
        .counter(divan::counter::BytesCount::new(text.len()))
        .bench(|| rules::check(Kind::EvalResults, divan::black_box(text.as_bytes()), &settings));
}

#[divan::bench]
fn large_1mib_results(bencher: divan::Bencher) {
    let text = results_file(1 << 20);
    let settings = Settings::default();
    bencher
        .counter(divan::counter::BytesCount::new(text.len()))
        .bench(|| rules::check(Kind::EvalResults, divan::black_box(text.as_bytes()), &settings));
}

#[divan::bench]
fn typical_eval_yaml(bencher: divan::Bencher) {
    let text = include_str!("../fixtures/eval-yaml/valid-gpqa.yaml");
    let settings = Settings::default();
    bencher.bench(|| rules::check(Kind::EvalYaml, divan::black_box(text.as_bytes()), &settings));
}

/// The hostile inputs of the rules issue; each must end in a finding, fast.
#[divan::bench(args = ["billion-laughs", "100k-brackets", "100k-flow-maps", "5mib-over-cap", "5mib-under-raised-cap"])]
fn hostile(bencher: divan::Bencher, case: &str) {
    let (text, settings) = hostile_case(case);
    let findings = rules::check(Kind::EvalResults, text.as_bytes(), &settings).findings;
    assert!(!findings.is_empty(), "{case} gave no finding");
    bencher.bench(|| rules::check(Kind::EvalResults, divan::black_box(text.as_bytes()), &settings));
}

fn hostile_case(case: &str) -> (String, Settings) {
    let settings = Settings::default();
    let text = match case {
        "billion-laughs" => {
            let mut text = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
            for level in 1..10 {
                let items = vec![format!("*a{}", level - 1); 9].join(", ");
                text += &format!("a{level}: &a{level} [{items}]\n");
            }
            text
        }
        "100k-brackets" => "[".repeat(100_000) + &"]".repeat(100_000),
        "100k-flow-maps" => "{a: ".repeat(100_000) + &"}".repeat(100_000),
        "5mib-over-cap" => results_file(5 << 20),
        "5mib-under-raised-cap" => {
            let settings = Settings { limits: Limits::from_cap(6 << 20), ..settings };
            // Valid entries with one bad value at the end, so it has a finding.
            return (results_file(5 << 20) + "- value: \"oops\"\n", settings);
        }
        other => unreachable!("BUG: unknown case {other}"),
    };
    (text, settings)
}
