//! The checks: from a blob's bytes to findings.
//!
//! [`check`] is the one entry point. It reads the bytes (size cap, UTF-8,
//! byte-order mark, LFS pointer), parses the YAML ([`crate::yaml`]), then
//! runs the rules of the file's [`Kind`] and the YAML 1.1 portability lint.
//! Rules never stop early: every problem of a file is reported.

pub mod eval_results;
pub mod eval_yaml;
mod fields;
pub mod portability;
pub mod registry;
pub mod tokens;
mod util;

use std::collections::BTreeMap;

use crate::config::Level;
use crate::finding::{Code, Finding, Span};
use crate::yaml::{self, Limits};

pub use util::suggest;

/// Which format a file is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// `.eval_results/*.yaml` in a model repository.
    EvalResults,
    /// `eval.yaml` at the root of a benchmark repository.
    EvalYaml,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::EvalResults => "eval-results",
            Kind::EvalYaml => "eval-yaml",
        }
    }

    /// The kind of a path inside a repository, `/`-separated from its root.
    ///
    /// Only the root `eval.yaml` and files directly in the root
    /// `.eval_results/` folder count; whether the Hub reads such a file is
    /// [`hub_ignores`]'s question.
    pub fn of_repo_path(path: &str) -> Option<Kind> {
        if path == "eval.yaml" {
            Some(Kind::EvalYaml)
        } else if path.starts_with(".eval_results/") {
            Some(Kind::EvalResults)
        } else {
            None
        }
    }
}

/// Why the Hub would not read a file under `.eval_results/`, if it would not.
///
/// The Hub reads `.eval_results/*.yaml`: files directly in the folder whose
/// names end in `.yaml`. `path` is relative to the repository root.
pub fn hub_ignores(path: &str) -> Option<Finding> {
    let rest = path.strip_prefix(".eval_results/")?;
    let why = if rest.contains('/') {
        "files in sub-folders of `.eval_results/` are not read by the Hub"
    } else if rest.ends_with(".yml") {
        "the Hub reads `.eval_results/*.yaml`; a `.yml` file is not read"
    } else if !rest.ends_with(".yaml") {
        "the Hub reads only `.yaml` files in `.eval_results/`"
    } else {
        return None;
    };
    let hint = match rest.rsplit_once('.') {
        Some((stem, "yml")) if !stem.contains('/') => format!("rename it to `{stem}.yaml`"),
        _ if rest.ends_with(".yaml") || rest.ends_with(".yml") => {
            "move it directly into `.eval_results/`".to_owned()
        }
        _ => "if it holds results, give it a name ending in `.yaml`; otherwise it is not read"
            .to_owned(),
    };
    Some(Finding::new(Code::IgnoredPath, why).hint(hint))
}

/// What the checks may assume about the server and the file.
#[derive(Clone, Debug)]
pub struct Settings {
    pub limits: Limits,
    /// Known `evaluation_framework` values.
    pub frameworks: Vec<String>,
    /// Severities the configuration changes; `off` drops a finding.
    pub severity: BTreeMap<Code, Level>,
    /// How `verifyToken`s are checked.
    pub tokens: tokens::TokenSettings,
    /// The server's benchmarks, when it has a registry.
    pub registry: Option<std::sync::Arc<crate::registry::Registry>>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            limits: Limits::default(),
            frameworks: eval_yaml::shipped_frameworks(),
            severity: BTreeMap::new(),
            tokens: tokens::TokenSettings::default(),
            registry: None,
        }
    }
}

impl Settings {
    /// Gives findings the severity the configuration sets for their code.
    ///
    /// [`check`] does this itself; findings made elsewhere (a path the Hub
    /// ignores, a symlink, a blob over the cap) go through here too.
    pub fn adjust(&self, findings: &mut Vec<Finding>) {
        crate::config::apply_severity(&self.severity, findings);
    }
}

/// A checked file: its findings, and its text when it could be read.
#[derive(Clone, Debug, Default)]
pub struct Checked {
    /// The text, for showing source lines next to findings.
    pub source: Option<String>,
    pub findings: Vec<Finding>,
}

/// Checks one file's bytes as `kind`.
pub fn check(kind: Kind, bytes: &[u8], settings: &Settings) -> Checked {
    let mut checked = check_unadjusted(kind, bytes, settings);
    settings.adjust(&mut checked.findings);
    checked
}

fn check_unadjusted(kind: Kind, bytes: &[u8], settings: &Settings) -> Checked {
    if bytes.len() > settings.limits.max_bytes {
        let finding = too_large(bytes.len() as u64, settings.limits.max_bytes);
        return Checked { source: None, findings: vec![finding] };
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            return Checked { source: None, findings: vec![not_utf8(bytes, &error)] };
        }
    };
    let mut findings = Vec::new();
    let body = match text.strip_prefix('\u{feff}') {
        Some(rest) => {
            findings.push(
                Finding::new(Code::Utf8Bom, "the file starts with a UTF-8 byte-order mark")
                    .hint("save the file as UTF-8 without a BOM")
                    .at(Span::point(1, 1)),
            );
            rest
        }
        None => text,
    };
    if is_lfs_pointer(body) {
        findings.push(lfs_pointer());
        return Checked { source: Some(text.to_owned()), findings };
    }

    let (doc, yaml_findings) = yaml::parse(body, &settings.limits);
    findings.extend(yaml_findings);
    if let Some(doc) = doc {
        let mut rule_findings = match kind {
            Kind::EvalResults => {
                let mut findings = eval_results::check(&doc);
                tokens::check(&doc, &settings.tokens, &mut findings);
                if let Some(known) = &settings.registry {
                    registry::check(&doc, known, &mut findings);
                }
                findings
            }
            Kind::EvalYaml => eval_yaml::check(&doc, settings),
        };
        portability::check(&doc, &mut rule_findings);
        findings.extend(rule_findings);
    }
    findings.sort_by_key(|f| f.span.map(|s| (s.line, s.column)));
    Checked { source: Some(body.to_owned()), findings }
}

/// The finding for a blob over the cap, known from its size alone.
pub fn too_large(size: u64, max_bytes: usize) -> Finding {
    Finding::new(
        Code::FileTooLarge,
        format!("the file is {size} bytes, more than the cap of {max_bytes} bytes"),
    )
    .hint("make the file smaller (results can be split over several files), or ask the server's operator to raise the cap")
}

/// The finding for a symlink, submodule or folder where a file should be.
pub fn not_a_file(what: &str) -> Finding {
    Finding::new(Code::NotAFile, format!("this path is a {what}, not a regular file"))
        .hint("commit the YAML file itself; the Hub does not follow links or submodules")
}

/// The finding for `.eval_results` that is not a folder.
pub fn not_a_folder(what: &str) -> Finding {
    Finding::new(Code::NotAFolder, format!("`.eval_results` is a {what}, not a folder"))
        .hint("make `.eval_results` a folder and put each results file in it as `<name>.yaml`")
}

fn not_utf8(bytes: &[u8], error: &std::str::Utf8Error) -> Finding {
    let at = error.valid_up_to();
    let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = bytes[..at].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&bytes[line_start..at]).chars().count() + 1;
    let what = if bytes.contains(&0) { "binary data" } else { "text in another encoding" };
    Finding::new(Code::NotUtf8, format!("the file is not valid UTF-8 (it looks like {what})"))
        .hint("save the file as UTF-8 text")
        .at(Span::point(line, column))
}

fn is_lfs_pointer(text: &str) -> bool {
    text.starts_with("version https://git-lfs.github.com/spec/")
}

fn lfs_pointer() -> Finding {
    Finding::new(Code::LfsPointer, "this is a Git LFS pointer, not the YAML file")
        .hint(
            "commit the file to git itself: `git lfs untrack <path>`, then \
             `git add --renormalize <path>` and commit",
        )
        .at(Span::point(1, 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(kind: Kind, bytes: &[u8]) -> Vec<&'static str> {
        check(kind, bytes, &Settings::default()).findings.iter().map(|f| f.code.as_str()).collect()
    }

    #[test]
    fn a_five_mib_file_is_refused_unparsed() {
        let big = "- dataset: {id: cais/hle, task_id: hle}\n  value: 1\n".repeat(110_000);
        assert!(big.len() > 5 << 20);
        assert_eq!(codes(Kind::EvalResults, big.as_bytes()), ["file-too-large"]);
    }

    #[test]
    fn binary_data_is_reported_not_parsed() {
        // NUL bytes are valid UTF-8 but no YAML: the parser stops at the first.
        let checked = check(Kind::EvalResults, &[0; 64], &Settings::default());
        assert_eq!(checked.findings.len(), 1);
        assert_eq!(checked.findings[0].code, Code::YamlSyntax);
        assert_eq!(checked.findings[0].span, Some(Span::point(1, 1)));
        let latin1 = b"- dataset: {id: a/b, task_id: t}\n  notes: caf\xe9\n";
        assert_eq!(codes(Kind::EvalResults, latin1), ["not-utf8"]);
    }
}
