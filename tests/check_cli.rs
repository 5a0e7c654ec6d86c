//! `evalgate check` as a user runs it: exit status, standard input, JSON.

use std::io::Write;
use std::process::Stdio;

use crate::common::{evalgate, run};

const VALID: &str = "fixtures/eval-results/valid-hub-docs-required.yaml";
const INVALID: &str = "fixtures/eval-results/value-not-number.yaml";
const WARNS: &str = "fixtures/eval-results/revision-not-commit.yaml";

fn stdin_check(args: &[&str], input: &[u8]) -> std::process::Output {
    let mut child = evalgate()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // evalgate may refuse before it reads anything; a closed pipe is fine then.
    let _ = child.stdin.take().unwrap().write_all(input);
    child.wait_with_output().unwrap()
}

#[test]
fn exit_status_says_clean_found_or_could_not_check() {
    assert_eq!(run(&["check", VALID]).status.code(), Some(2), "no format without --as");
    assert_eq!(run(&["check", "--as", "eval-results", VALID]).status.code(), Some(0));
    assert_eq!(run(&["check", "--as", "eval-results", INVALID]).status.code(), Some(1));
    assert_eq!(run(&["check", "--as", "eval-results", WARNS]).status.code(), Some(0));
    let denied = run(&["check", "--as", "eval-results", "--deny", "warnings", WARNS]);
    assert_eq!(denied.status.code(), Some(1));
}

#[test]
fn a_missing_file_is_could_not_check_and_the_rest_is_still_checked() {
    let output = run(&["check", "--as", "eval-results", "no/such/file.yaml", INVALID]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.starts_with("evalgate: error: cannot read `no/such/file.yaml`: "), "{stderr}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("error[value-not-number]"), "{stdout}");
    assert!(stdout.ends_with("evalgate: 4 errors in 1 file\n"), "{stdout}");
}

#[test]
fn standard_input_needs_a_format() {
    let input = b"- dataset: {id: cais/hle, task_id: hle}\n  value: yes\n";
    let output = stdin_check(&["check", "-"], input);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("needs `--as FORMAT`"));

    let output = stdin_check(&["check", "--as", "eval-results", "-"], input);
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains(" --> <stdin>:2:10\n"), "{stdout}");
}

#[test]
fn json_lines_are_json_objects_with_the_documented_fields() {
    let output = run(&["check", "--format", "json", "fixtures/repos/not-a-file", INVALID]);
    let stdout = String::from_utf8(output.stdout).unwrap();
    let mut codes = Vec::new();
    for line in stdout.lines() {
        let record: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(record["schema"], 1);
        for field in ["path", "code", "severity", "message"] {
            assert!(record[field].is_string(), "{field} in {line}");
        }
        // What was read back writes out the same.
        assert_eq!(serde_json::to_string(&record).unwrap().len(), line.len());
        codes.push(record["code"].as_str().unwrap().to_owned());
    }
    assert_eq!(codes[0], "not-a-file");
    assert!(codes[1..].iter().all(|c| c == "value-not-number"), "{codes:?}");
}

#[test]
fn colour_only_when_asked() {
    let plain = run(&["check", "--as", "eval-results", INVALID]);
    assert!(!plain.stdout.contains(&0x1b));
    let coloured = run(&["check", "--as", "eval-results", "--color", "always", INVALID]);
    assert!(
        String::from_utf8_lossy(&coloured.stdout)
            .contains("\x1b[1;31merror\x1b[0m[value-not-number]")
    );
}

#[test]
fn paths_are_named_as_the_repository_names_them() {
    let repo = crate::common::root().join("fixtures/repos/ignored-path");
    let output = evalgate().current_dir(&repo).args(["check", "."]).output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains(" --> .eval_results/gpqa.yml\n"), "{stdout}");
    assert!(!stdout.contains("./"), "{stdout}");

    // A file named on its own in a sub-folder is still known as a results file.
    let output =
        evalgate().current_dir(&repo).args(["check", ".eval_results/old/hle.yaml"]).output();
    let stdout = String::from_utf8(output.unwrap().stdout).unwrap();
    assert!(stdout.starts_with("warning[ignored-path]: files in sub-folders"), "{stdout}");
}
