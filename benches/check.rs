//! How long the checks take: a typical results file, a large one, and the
//! hostile documents a pusher could send.
//!
//! `cargo bench --bench check` prints a table (divan): fastest, slowest,
//! median and mean per case.

use evalgate::rules::{self, Kind, Settings};
use evalgate::yaml::Limits;

#[path = "../tests/common/hostile.rs"]
mod hostile;

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

/// Every case of `fixtures/hostile.toml`, as the tests run them: each must
/// end in its finding, fast (the aim is well under 100 ms each).
#[divan::bench(args = hostile_names())]
fn hostile(bencher: divan::Bencher, name: &str) {
    let cases = hostile::cases(std::path::Path::new(env!("CARGO_MANIFEST_DIR")));
    let case = cases.into_iter().find(|case| case.name == name).expect("a case");
    let kind = if case.kind == "eval-yaml" { Kind::EvalYaml } else { Kind::EvalResults };
    let mut settings = Settings::default();
    if let Some(cap) = case.cap {
        settings.limits = Limits::from_cap(cap);
    }
    let findings = rules::check(kind, &case.bytes, &settings).findings;
    assert!(findings.iter().any(|f| f.code.as_str() == case.expect), "{name}: no {}", case.expect);
    bencher
        .counter(divan::counter::BytesCount::new(case.bytes.len()))
        .bench(|| rules::check(kind, divan::black_box(&case.bytes), &settings));
}

fn hostile_names() -> Vec<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    hostile::cases(root).into_iter().map(|case| case.name).collect()
}
