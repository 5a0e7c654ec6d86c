//! The examples in `docs/codes.md` say what evalgate really says.
//!
//! Each section's **Bad** YAML example is checked where its output block
//! says it lives (`.eval_results/x.yaml` or `eval.yaml`), and the output must
//! be the block, word for word; each **Good** example must not give the
//! section's code. `EVALGATE_BLESS=1` rewrites the output blocks.
//!
//! Examples that need more than a file (a configuration, a registry, a
//! signed token shown cut short, bytes YAML cannot show) are left to the
//! fixtures, which cover every code.

use std::fs;

use crate::common::{blessing, root};

/// One fenced block: its language, its lines, and where it starts.
struct Block {
    lang: String,
    start: usize,
    end: usize,
    text: String,
}

struct Section {
    code: String,
    bad: Option<Block>,
    output: Option<Block>,
    good: Option<Block>,
}

fn sections(lines: &[&str]) -> Vec<Section> {
    let mut sections: Vec<Section> = Vec::new();
    let mut marker = "";
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if let Some(code) = line.strip_prefix("## ") {
            sections.push(Section { code: code.to_owned(), bad: None, output: None, good: None });
            marker = "";
        } else if line.starts_with("**Bad**") {
            marker = "bad";
        } else if line.starts_with("**Good**") {
            marker = "good";
        } else if let Some(lang) = line.strip_prefix("```").filter(|l| !l.is_empty()) {
            let start = i + 1;
            let mut end = start;
            while end < lines.len() && lines[end] != "```" {
                end += 1;
            }
            let text = lines[start..end].join("\n") + "\n";
            let block = Block { lang: lang.to_owned(), start, end, text };
            if let Some(section) = sections.last_mut() {
                match (marker, block.lang.as_str()) {
                    ("bad", "yaml") if section.bad.is_none() => section.bad = Some(block),
                    ("bad", "text") if section.output.is_none() => section.output = Some(block),
                    ("good", "yaml") if section.good.is_none() => section.good = Some(block),
                    _ => {}
                }
            }
            i = end;
        }
        i += 1;
    }
    sections
}

/// Where an output block says its file is, when it is one evalgate checks
/// on its own.
fn checked_path(output: &str) -> Option<&'static str> {
    let first_place = output.lines().find_map(|l| l.trim_start().strip_prefix("--> "))?;
    if first_place.starts_with(".eval_results/x.yaml") {
        Some(".eval_results/x.yaml")
    } else if first_place.starts_with("eval.yaml") {
        Some("eval.yaml")
    } else {
        None
    }
}

/// `evalgate check` on `yaml` at `path`, without its summary line.
fn check(yaml: &str, path: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(path);
    fs::create_dir_all(file.parent().unwrap()).unwrap();
    fs::write(&file, yaml).unwrap();
    let output = crate::common::evalgate()
        .current_dir(dir.path())
        .env_remove("EVALGATE_CONFIG")
        .args(["check", path])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let mut lines: Vec<&str> = stdout.lines().collect();
    assert!(lines.pop().is_some_and(|l| l.starts_with("evalgate: ")), "{stdout}");
    while lines.last() == Some(&"") {
        lines.pop();
    }
    lines.join("\n") + "\n"
}

fn needs_more_than_a_file(section: &Section, bad: &Block) -> bool {
    bad.text.contains("...")
        || section.code.starts_with("token-")
        || section.code.starts_with("unknown-benchmark")
        || section.code.starts_with("unknown-task")
}

#[test]
fn the_examples_in_codes_md_give_what_the_page_shows() {
    let path = root().join("docs/codes.md");
    let doc = fs::read_to_string(&path).unwrap();
    let mut lines: Vec<String> = doc.lines().map(str::to_owned).collect();
    let borrowed: Vec<&str> = doc.lines().collect();
    let mut compared = 0;
    let mut mismatches = Vec::new();
    let mut rewrites = Vec::new();
    for section in sections(&borrowed) {
        let (Some(bad), Some(output)) = (&section.bad, &section.output) else { continue };
        if needs_more_than_a_file(&section, bad) {
            continue;
        }
        let Some(file) = checked_path(&output.text) else { continue };
        let actual = check(&bad.text, file);
        compared += 1;
        if actual != output.text {
            mismatches.push(format!(
                "## {}\n--- page\n{}+++ actual\n{actual}",
                section.code, output.text
            ));
            rewrites.push((output.start, output.end, actual.clone()));
        }
        assert!(
            actual.contains(&format!("[{}]", section.code)),
            "## {}: the bad example does not give its code:\n{actual}",
            section.code
        );
        if let Some(good) = &section.good {
            let fixed = check(&good.text, file);
            assert!(
                !fixed.contains(&format!("[{}]", section.code)),
                "## {}: the good example still gives it:\n{fixed}",
                section.code
            );
        }
    }
    assert!(compared >= 30, "only {compared} examples were compared");
    if blessing() {
        for (start, end, actual) in rewrites.into_iter().rev() {
            let new: Vec<String> = actual.lines().map(str::to_owned).collect();
            lines.splice(start..end, new);
        }
        fs::write(&path, lines.join("\n") + "\n").unwrap();
        return;
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
