//! Reading typed fields out of the YAML tree, reporting as it goes.
//!
//! Both formats are mappings of known keys. [`Fields`] holds the document and
//! the findings so far; its methods return the value when it has the right
//! shape and record a finding when it does not, so a rule reads as a list of
//! the keys it expects and never stops at the first problem.

use crate::finding::{Code, Finding, Span};
use crate::rules::util::suggest;
use crate::yaml::{Content, Document, NodeId, Scalar};

pub struct Fields<'d> {
    pub doc: &'d Document,
    pub findings: Vec<Finding>,
}

/// `[0].dataset` + `id` → `[0].dataset.id`.
pub fn join(path: &str, key: &str) -> String {
    if path.is_empty() { key.to_owned() } else { format!("{path}.{key}") }
}

/// The last part of a YAML path, as people name it: `dataset.task_id`.
pub fn shown(path: &str) -> &str {
    match path.find("].") {
        Some(i) => &path[i + 2..],
        None => path,
    }
}

impl<'d> Fields<'d> {
    pub fn new(doc: &'d Document) -> Fields<'d> {
        Fields { doc, findings: Vec::new() }
    }

    /// A finding about node `id` at YAML path `path`.
    pub fn at(&mut self, id: NodeId, path: &str, finding: Finding) {
        let span = self.doc.span(id);
        self.findings.push(finding.at(span).path(path));
    }

    /// The entries of a mapping, or a `wrong-type` finding.
    pub fn mapping(&mut self, id: NodeId, path: &str) -> Option<&'d [(NodeId, NodeId)]> {
        self.mapping_or(id, path, None)
    }

    /// The entries of a mapping, or a `wrong-type` finding with `hint`.
    pub fn mapping_or(
        &mut self,
        id: NodeId,
        path: &str,
        hint: Option<&str>,
    ) -> Option<&'d [(NodeId, NodeId)]> {
        let doc = self.doc;
        let entries = doc.as_map(id);
        if entries.is_none() {
            let found = doc.describe(id);
            let message = format!("`{}` must be a mapping, found {found}", shown(path));
            let mut finding = Finding::new(Code::WrongType, message);
            finding.hint = hint.map(str::to_owned);
            self.at(id, path, finding);
        }
        entries
    }

    /// The value of a key that must be there and not be null.
    pub fn required(&mut self, map: NodeId, key: &str, path: &str, hint: &str) -> Option<NodeId> {
        let full = join(path, key);
        let Some((_, value)) = self.doc.get(map, key) else {
            let message = format!("`{}` is missing", shown(&full));
            let finding = Finding::new(Code::MissingField, message).hint(hint);
            self.findings.push(finding.at(first_line(self.doc, map)).path(full));
            return None;
        };
        if self.doc.scalar(value) == Some(Scalar::Null) {
            let message = format!("`{}` is null, but it is required", shown(&full));
            self.at(value, &full, Finding::new(Code::NullValue, message).hint(hint));
            return None;
        }
        Some(value)
    }

    /// The value of a key that may be absent; an explicit null is a warning.
    pub fn optional(&mut self, map: NodeId, key: &str, path: &str) -> Option<NodeId> {
        let (_, value) = self.doc.get(map, key)?;
        if self.doc.scalar(value) == Some(Scalar::Null) {
            let full = join(path, key);
            let message = format!("`{}` is null", shown(&full));
            let hint = format!("remove `{key}` or give it a value");
            self.at(value, &full, Finding::new(Code::NullOptional, message).hint(hint));
            return None;
        }
        Some(value)
    }

    /// A string value; with `non_empty`, an empty one is a finding too.
    ///
    /// Any scalar the core schema reads as something else (a number, a
    /// boolean) is a `wrong-type`, with the quoted form as the hint.
    pub fn string(&mut self, id: NodeId, path: &str, non_empty: bool) -> Option<&'d str> {
        let doc = self.doc;
        match doc.scalar(id) {
            Some(Scalar::Str(text)) => {
                if non_empty && text.trim().is_empty() {
                    let message = format!("`{}` is empty", shown(path));
                    self.at(id, path, Finding::new(Code::EmptyValue, message));
                    return None;
                }
                Some(text)
            }
            _ => {
                let message =
                    format!("`{}` must be a string, found {}", shown(path), doc.describe(id));
                let mut finding = Finding::new(Code::WrongType, message);
                let is_value = matches!(
                    doc.scalar(id),
                    Some(Scalar::Bool(_) | Scalar::Int(_) | Scalar::Float(_))
                );
                if let Some(text) = doc.text(id).filter(|_| is_value) {
                    finding = finding.hint(format!("quote it: `\"{text}\"`"));
                }
                self.at(id, path, finding);
                None
            }
        }
    }

    /// Reports every key of `map` that is not in `known`.
    ///
    /// `explain` may give a hint of its own for a key; otherwise the closest
    /// known key is suggested when there is one.
    pub fn unknown_keys(
        &mut self,
        map: NodeId,
        path: &str,
        known: &[&str],
        code: Code,
        explain: impl Fn(&str) -> Option<String>,
    ) {
        let doc = self.doc;
        let Some(entries) = doc.as_map(map) else { return };
        for &(key, _) in entries {
            let Some(name) = doc.text(key) else { continue };
            if known.contains(&name) || name == "<<" {
                continue;
            }
            let full = join(path, name);
            let place = place(path);
            let message = format!("unknown key `{name}` {place}");
            let hint = explain(name)
                .or_else(|| suggest(name, known).map(|hit| format!("did you mean `{hit}`?")));
            let mut finding = Finding::new(code, message);
            if let Some(hint) = hint {
                finding = finding.hint(hint);
            }
            self.at(key, &full, finding);
        }
    }

    /// A node's scalar meaning, if it is a scalar.
    pub fn scalar(&self, id: NodeId) -> Option<Scalar<'d>> {
        self.doc.scalar(id)
    }

    /// Whether a node is a mapping (aliases followed).
    pub fn is_map(&self, id: NodeId) -> bool {
        matches!(self.doc.node(id).content, Content::Map(_))
    }
}

/// Where a key is, for messages: "at the top level", "in entry 2", "in `source`".
fn place(path: &str) -> String {
    if path.is_empty() {
        return "at the top level".to_owned();
    }
    let index = |text: &str| text.strip_suffix(']').and_then(|n| n.parse::<usize>().ok());
    if let Some(entry) = path.strip_prefix('[').and_then(index) {
        return format!("in entry {}", entry + 1);
    }
    if let Some(task) = path.strip_prefix("tasks[").and_then(index) {
        return format!("in task {}", task + 1);
    }
    format!("in `{}`", shown(path))
}

/// Where a missing key is reported: the mapping's first key, or the mapping.
pub fn first_line(doc: &Document, id: NodeId) -> Span {
    match doc.as_map(id) {
        Some([(key, _), ..]) => doc.span(*key),
        _ => {
            let span = doc.span(id);
            Span::point(span.line, span.column)
        }
    }
}
