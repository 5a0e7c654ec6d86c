//! Every case in `fixtures/`: the exact output of `evalgate check`, human and
//! JSON, compared as whole text with the files kept beside the case.
//!
//! Run with `EVALGATE_BLESS=1` to rewrite the expected files after a
//! deliberate change of wording; the diff then shows what users will see.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use evalgate::finding::Code;

use crate::common::{blessing, files, root, run};

struct Case {
    /// The file or folder to check, relative to the project root.
    input: String,
    /// `--as` for single files; folders are checked as repositories.
    kind: Option<&'static str>,
    /// Where the expected outputs live, without extension.
    expected: PathBuf,
    extra_args: Vec<String>,
}

fn cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for kind in ["eval-results", "eval-yaml"] {
        for path in files(&root().join("fixtures").join(kind), "yaml") {
            let args = path.with_extension("args");
            let extra_args = fs::read_to_string(&args)
                .map(|text| text.split_whitespace().map(str::to_owned).collect())
                .unwrap_or_default();
            cases.push(Case {
                input: relative(&path),
                kind: Some(kind),
                expected: path.with_extension(""),
                extra_args,
            });
        }
    }
    let repos = root().join("fixtures/repos");
    let mut dirs: Vec<PathBuf> =
        fs::read_dir(&repos).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect();
    dirs.sort();
    for dir in dirs {
        cases.push(Case { input: relative(&dir), kind: None, expected: dir, extra_args: vec![] });
    }
    cases
}

fn relative(path: &Path) -> String {
    path.strip_prefix(root()).unwrap().to_string_lossy().into_owned()
}

/// Runs a case; returns its stdout and exit code.
fn check(case: &Case, format: &str) -> (String, i32) {
    let mut args: Vec<&str> = vec!["check", "--format", format];
    if let Some(kind) = case.kind {
        args.extend(["--as", kind]);
    }
    args.extend(case.extra_args.iter().map(String::as_str));
    args.push(&case.input);
    let output = run(&args);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.is_empty(), "{}: evalgate wrote to stderr: {stderr}", case.input);
    (String::from_utf8(output.stdout).unwrap(), output.status.code().unwrap())
}

#[test]
fn every_fixture_gives_exactly_its_expected_output() {
    let mut mismatches = Vec::new();
    for case in cases() {
        let (human, human_code) = check(&case, "human");
        let (json, json_code) = check(&case, "json");
        assert_eq!(human_code, json_code, "{}: exit status differs by format", case.input);
        let has_errors = json.lines().any(|l| l.contains(r#""severity":"error""#));
        assert_eq!(human_code, i32::from(has_errors), "{}: exit status", case.input);

        for (ext, actual) in [("out", &human), ("jsonl", &json)] {
            let path = case.expected.with_extension(ext);
            if blessing() {
                fs::write(&path, actual).unwrap();
                continue;
            }
            let expected = fs::read_to_string(&path).unwrap_or_default();
            if &expected != actual {
                mismatches.push(format!(
                    "--- {}\n+++ actual\n{}",
                    path.display(),
                    line_diff(&expected, actual)
                ));
            }
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

/// `evalgate config check` on every file in `fixtures/config/`; returns the
/// codes the outputs name.
fn config_cases() -> BTreeSet<String> {
    let mut codes = BTreeSet::new();
    let mut mismatches = Vec::new();
    for path in files(&root().join("fixtures/config"), "toml") {
        let output = run(&["config", "check", &relative(&path)]);
        let stdout = String::from_utf8(output.stdout).unwrap();
        assert_eq!(output.status.code(), Some(1), "{}: {stdout}", path.display());
        let expected_path = path.with_extension("out");
        if blessing() {
            fs::write(&expected_path, &stdout).unwrap();
        } else if fs::read_to_string(&expected_path).unwrap_or_default() != stdout {
            let expected = fs::read_to_string(&expected_path).unwrap_or_default();
            mismatches.push(format!(
                "--- {}\n{}",
                expected_path.display(),
                line_diff(&expected, &stdout)
            ));
        }
        for line in stdout.lines() {
            if let Some(code) = line.strip_prefix("error[").and_then(|l| l.split_once(']')) {
                codes.insert(code.0.to_owned());
            }
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
    codes
}

#[test]
fn every_config_fixture_gives_exactly_its_expected_output() {
    assert!(!config_cases().is_empty());
}

#[test]
fn the_example_configuration_is_valid() {
    let output = run(&["config", "check", "docs/config.example.toml"]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stdout));
    let printed = run(&["config", "example"]);
    assert_eq!(printed.stdout, fs::read(root().join("docs/config.example.toml")).unwrap());
}

#[test]
fn valid_cases_pass_and_every_code_has_a_case() {
    let mut seen = config_cases();
    for case in cases() {
        let (json, code) = check(&case, "json");
        let name = Path::new(&case.input).file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with("valid-") {
            assert_eq!(code, 0, "{} should pass:\n{json}", case.input);
        }
        for line in json.lines() {
            let record: serde_json::Value = serde_json::from_str(line).unwrap();
            seen.insert(record["code"].as_str().unwrap().to_owned());
        }
    }
    let missing: Vec<&str> =
        Code::ALL.iter().map(|c| c.as_str()).filter(|c| !seen.contains(*c)).collect();
    assert!(missing.is_empty(), "codes without a fixture: {missing:?}");
}

#[test]
fn every_code_is_documented_in_order() {
    let docs = fs::read_to_string(root().join("docs/codes.md")).unwrap();
    let sections: Vec<&str> = docs.lines().filter_map(|l| l.strip_prefix("## ")).collect();
    let codes: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(sections, codes, "docs/codes.md has a `## <code>` section per code, in order");
}

/// The lines that differ, marked `-` (expected) and `+` (actual).
fn line_diff(expected: &str, actual: &str) -> String {
    let (old, new): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    let mut out = String::new();
    for i in 0..old.len().max(new.len()) {
        match (old.get(i), new.get(i)) {
            (Some(a), Some(b)) if a == b => {}
            (a, b) => {
                if let Some(a) = a {
                    out += &format!("-{a}\n");
                }
                if let Some(b) = b {
                    out += &format!("+{b}\n");
                }
            }
        }
    }
    out
}
