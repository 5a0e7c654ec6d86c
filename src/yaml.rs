//! Reading YAML into a tree that remembers where every node is.
//!
//! The rules need more than a typed deserializer gives: the line and column
//! of every node (also of a key that is wrong, and of a mapping that lacks a
//! key), how a scalar was written (quoted or plain, for the YAML 1.1 lint),
//! its tag, and every problem of a file rather than the first. So this module
//! drives the event parser of serde-saphyr (`granit-parser`, which
//! serde-saphyr re-exports and runs underneath its deserializer) and builds a
//! small arena of nodes, applying the same kind of budgets serde-saphyr does.
//!
//! Aliases are never expanded: an alias node points at the anchored node, so
//! a "billion laughs" document costs what its text costs. Its expanded size is
//! still computed, and a document that would expand past the node budget in
//! a reader that does expand aliases gets a finding.
//!
//! # Notes
//! - Scalars resolve by the YAML 1.2 core schema, as serde-saphyr does; what
//!   YAML 1.1 readers would make of them is the job of `rules::portability`.
//! - Core-schema tags (`!!str`, `!!int`, ...) are accepted; `!!str` keeps the
//!   text a string. Any other tag is a finding.

use std::collections::{HashMap, HashSet};

use serde_saphyr::granit_parser::{
    ErrorKind, Event, Marker, Parser, ScalarStyle, ScanError, Span as RawSpan,
};

use crate::finding::{Code, Finding, Span};

/// Index of a node in a [`Document`].
pub type NodeId = usize;

/// How much a document may hold, derived from the size cap.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub max_bytes: usize,
    pub max_depth: usize,
    pub max_nodes: usize,
    pub max_aliases: usize,
}

impl Limits {
    /// Budgets for a file of at most `max_bytes`.
    ///
    /// Every real node takes at least two bytes of text, so `max_bytes / 2`
    /// nodes admits any honest document under the cap; the same bound holds
    /// for what aliases expand to. Real files nest six levels at most.
    pub fn from_cap(max_bytes: usize) -> Limits {
        Limits {
            max_bytes,
            max_depth: 64,
            max_nodes: (max_bytes / 2).max(1024),
            max_aliases: (max_bytes / 64).max(64),
        }
    }
}

impl Default for Limits {
    fn default() -> Limits {
        Limits::from_cap(DEFAULT_MAX_BYTES)
    }
}

/// The default size cap for one file: 1 MiB.
pub const DEFAULT_MAX_BYTES: usize = 1 << 20;

/// How a scalar was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Plain,
    Quoted,
    Block,
}

/// A node's content.
#[derive(Clone, Debug, PartialEq)]
pub enum Content {
    Scalar { text: String, style: Style },
    Seq(Vec<NodeId>),
    Map(Vec<(NodeId, NodeId)>),
    Alias(NodeId),
}

/// One node with its place and tag.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub content: Content,
    pub span: Span,
    /// The core-schema type a tag gave the node (`str`, `int`, ...), if any.
    pub core_tag: Option<String>,
    /// Whether the node carries any tag, core-schema or not.
    pub tagged: bool,
}

/// What a scalar means under the YAML 1.2 core schema.
#[derive(Clone, Debug, PartialEq)]
pub enum Scalar<'a> {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(&'a str),
}

/// A parsed document: an arena of nodes and its root.
#[derive(Debug, Default)]
pub struct Document {
    nodes: Vec<Node>,
    root: Option<NodeId>,
}

impl Document {
    pub fn root(&self) -> Option<NodeId> {
        self.root
    }

    /// The node, with aliases followed to the node they name.
    pub fn node(&self, id: NodeId) -> &Node {
        let node = &self.nodes[id];
        match node.content {
            Content::Alias(target) => &self.nodes[target],
            _ => node,
        }
    }

    /// The node as written, aliases not followed (for spans of aliases).
    pub fn raw(&self, id: NodeId) -> &Node {
        &self.nodes[id]
    }

    /// Every node as written, in document order of their ends.
    pub fn all(&self) -> impl Iterator<Item = &Node> {
        self.nodes.iter()
    }

    pub fn span(&self, id: NodeId) -> Span {
        self.nodes[id].span
    }

    pub fn as_map(&self, id: NodeId) -> Option<&[(NodeId, NodeId)]> {
        match &self.node(id).content {
            Content::Map(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn as_seq(&self, id: NodeId) -> Option<&[NodeId]> {
        match &self.node(id).content {
            Content::Seq(items) => Some(items),
            _ => None,
        }
    }

    /// The scalar's text, if the node is a scalar.
    pub fn text(&self, id: NodeId) -> Option<&str> {
        match &self.node(id).content {
            Content::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    /// The scalar's meaning under the YAML 1.2 core schema.
    pub fn scalar(&self, id: NodeId) -> Option<Scalar<'_>> {
        let node = self.node(id);
        let Content::Scalar { text, style } = &node.content else {
            return None;
        };
        if *style != Style::Plain || node.core_tag.as_deref() == Some("str") {
            return Some(Scalar::Str(text));
        }
        Some(resolve_plain(text))
    }

    /// The value under `key` in a mapping, and the key node itself.
    pub fn get(&self, map: NodeId, key: &str) -> Option<(NodeId, NodeId)> {
        self.as_map(map)?.iter().find(|(k, _)| self.text(*k) == Some(key)).map(|(k, v)| (*k, *v))
    }

    /// The node as JSON: what a JSON Schema validator sees of the file.
    ///
    /// Scalars resolve by the core schema; NaN and infinities, which JSON
    /// cannot hold, become `null`; non-string keys become their text.
    pub fn to_json(&self, id: NodeId) -> serde_json::Value {
        use serde_json::Value;
        match &self.node(id).content {
            Content::Seq(items) => Value::Array(items.iter().map(|&i| self.to_json(i)).collect()),
            Content::Map(entries) => Value::Object(
                entries
                    .iter()
                    .map(|&(k, v)| (self.text(k).unwrap_or_default().to_owned(), self.to_json(v)))
                    .collect(),
            ),
            _ => match self.scalar(id) {
                Some(Scalar::Bool(b)) => Value::Bool(b),
                Some(Scalar::Int(i)) => i64::try_from(i).map_or(Value::Null, Value::from),
                Some(Scalar::Float(f)) => {
                    serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
                }
                Some(Scalar::Str(s)) => Value::String(s.to_owned()),
                _ => Value::Null,
            },
        }
    }

    /// A short name for what a node is, for messages: "a string", "a list".
    pub fn describe(&self, id: NodeId) -> String {
        match &self.node(id).content {
            Content::Seq(_) => "a list".into(),
            Content::Map(_) => "a mapping".into(),
            Content::Alias(_) => "an alias".into(),
            Content::Scalar { text, .. } => match self.scalar(id) {
                Some(Scalar::Null) => "null".into(),
                Some(Scalar::Bool(b)) => format!("the boolean `{b}`"),
                Some(Scalar::Int(_) | Scalar::Float(_)) => format!("the number `{text}`"),
                _ => format!("the string {}", quote(text)),
            },
        }
    }
}

/// A string in double quotes, shortened, for messages.
pub fn quote(text: &str) -> String {
    const MAX: usize = 40;
    let mut out = String::from("\"");
    for (i, c) in text.chars().enumerate() {
        if i == MAX {
            out.push_str("...");
            break;
        }
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Resolves a plain scalar by the YAML 1.2 core schema.
pub fn resolve_plain(text: &str) -> Scalar<'_> {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Scalar::Null,
        "true" | "True" | "TRUE" => return Scalar::Bool(true),
        "false" | "False" | "FALSE" => return Scalar::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Scalar::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return Scalar::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Scalar::Float(f64::NAN),
        _ => {}
    }
    if let Some(int) = parse_core_int(text) {
        return Scalar::Int(int);
    }
    if is_core_float(text)
        && let Ok(float) = text.parse::<f64>()
    {
        return Scalar::Float(float);
    }
    Scalar::Str(text)
}

fn parse_core_int(text: &str) -> Option<i128> {
    if let Some(octal) = text.strip_prefix("0o") {
        return i128::from_str_radix(octal, 8).ok().filter(|_| !octal.starts_with(['+', '-']));
    }
    if let Some(hex) = text.strip_prefix("0x") {
        return i128::from_str_radix(hex, 16).ok().filter(|_| !hex.starts_with(['+', '-']));
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // A decimal too long for i128 is still a number: read it as a float.
    text.parse::<i128>().ok()
}

/// `[-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?`
fn is_core_float(text: &str) -> bool {
    let s = text.strip_prefix(['-', '+']).unwrap_or(text).as_bytes();
    let digits = |s: &[u8], i: &mut usize| {
        let start = *i;
        while *i < s.len() && s[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    let mut i = 0;
    let int_digits = digits(s, &mut i);
    let mut frac_digits = 0;
    if i < s.len() && s[i] == b'.' {
        i += 1;
        frac_digits = digits(s, &mut i);
    } else if int_digits == 0 {
        return false;
    }
    if int_digits == 0 && frac_digits == 0 {
        return false;
    }
    if i < s.len() && (s[i] == b'e' || s[i] == b'E') {
        i += 1;
        if i < s.len() && (s[i] == b'+' || s[i] == b'-') {
            i += 1;
        }
        if digits(s, &mut i) == 0 {
            return false;
        }
    }
    i == s.len()
}

/// Parses `text` into a document, with the findings of the YAML layer.
///
/// The document is `None` when the text is not valid YAML, is empty, or
/// breaks a budget; the findings then say why.
pub fn parse(text: &str, limits: &Limits) -> (Option<Document>, Vec<Finding>) {
    let mut builder = Builder::new(text, limits);
    let outcome = builder.run();
    let Builder { doc, mut findings, .. } = builder;
    match outcome {
        Ok(()) if doc.root.is_some() => (Some(doc), findings),
        Ok(()) => {
            findings.push(
                Finding::new(Code::YamlEmpty, "the file holds no YAML document")
                    .hint("an empty file is not a valid results or benchmark file")
                    .at(Span::point(1, 1)),
            );
            (None, findings)
        }
        Err(stop) => {
            findings.push(stop);
            (None, findings)
        }
    }
}

/// An open collection while the tree is being built.
struct Frame {
    id: NodeId,
    items: Vec<NodeId>,
    is_map: bool,
    /// Scalar keys seen so far: text, first place, how many times.
    keys: HashMap<String, (Span, usize)>,
}

struct Builder<'a> {
    text: &'a str,
    limits: &'a Limits,
    doc: Document,
    findings: Vec<Finding>,
    stack: Vec<Frame>,
    anchors: HashMap<usize, NodeId>,
    /// What each node expands to, aliases followed; `None` while still open.
    expanded: Vec<Option<usize>>,
    aliases: usize,
    documents: usize,
}

impl<'a> Builder<'a> {
    fn new(text: &'a str, limits: &'a Limits) -> Builder<'a> {
        Builder {
            text,
            limits,
            doc: Document::default(),
            findings: Vec::new(),
            stack: Vec::new(),
            anchors: HashMap::new(),
            expanded: Vec::new(),
            aliases: 0,
            documents: 0,
        }
    }

    /// Feeds every event to the tree; `Err` is the finding that stopped it.
    fn run(&mut self) -> Result<(), Finding> {
        let depth = self.limits.max_depth + 1;
        let options = serde_saphyr::granit_parser::options! {
            emit_comments: false,
            flow_nesting_limit: depth,
            block_nesting_limit: depth,
        };
        let parser = Parser::new_from_str_with_options(self.text, options);
        for event in parser {
            let (event, span) = event.map_err(|error| scan_error(&error))?;
            self.event(event, span)?;
        }
        Ok(())
    }

    fn event(&mut self, event: Event<'_>, raw: RawSpan) -> Result<(), Finding> {
        let span = span_of(&raw);
        // A tag is reported where it is written, which may be a line above.
        let tag_at = raw.tag_start.map_or(span, |mark| point(&mark));
        match event {
            Event::DocumentStart(..) => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(multiple_documents(span));
                }
            }
            Event::Scalar(text, style, anchor, tag) => {
                let tag = self.tag(tag.as_deref(), tag_at);
                let style = match style {
                    ScalarStyle::Plain => Style::Plain,
                    ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => Style::Quoted,
                    _ => Style::Block,
                };
                let content = Content::Scalar { text: text.into_owned(), style };
                let id = self.push(content, span, tag, Some(1))?;
                self.anchor(anchor, id);
                self.attach(id)?;
            }
            Event::SequenceStart(_, anchor, tag) => {
                self.open(false, anchor, tag, (span, tag_at))?
            }
            Event::MappingStart(_, anchor, tag) => self.open(true, anchor, tag, (span, tag_at))?,
            Event::SequenceEnd | Event::MappingEnd => self.close(span)?,
            Event::Alias(anchor) => self.alias(anchor, span)?,
            _ => {}
        }
        Ok(())
    }

    fn open(
        &mut self,
        is_map: bool,
        anchor: usize,
        tag: Option<std::borrow::Cow<'_, serde_saphyr::granit_parser::Tag>>,
        (span, tag_at): (Span, Span),
    ) -> Result<(), Finding> {
        let tag = self.tag(tag.as_deref(), tag_at);
        let content = if is_map { Content::Map(Vec::new()) } else { Content::Seq(Vec::new()) };
        let id = self.push(content, span, tag, None)?;
        self.anchor(anchor, id);
        if self.stack.len() >= self.limits.max_depth {
            return Err(too_deep(span, self.limits.max_depth));
        }
        self.stack.push(Frame { id, items: Vec::new(), is_map, keys: HashMap::new() });
        Ok(())
    }

    fn alias(&mut self, anchor: usize, span: Span) -> Result<(), Finding> {
        self.aliases += 1;
        if self.aliases > self.limits.max_aliases {
            return Err(too_many_aliases(span, self.limits.max_aliases));
        }
        let target = *self.anchors.get(&anchor).ok_or_else(|| {
            Finding::new(Code::YamlSyntax, "an alias names an anchor that is not defined").at(span)
        })?;
        let Some(size) = self.expanded[target] else {
            return Err(Finding::new(
                Code::YamlTooComplex,
                "an alias refers to the node that contains it (a recursive document)",
            )
            .hint("write the value out instead of using an alias")
            .at(span));
        };
        let id = self.push(Content::Alias(target), span, (None, false), Some(size))?;
        self.attach(id)
    }

    /// Adds a node to the arena, counting it against the node budget.
    fn push(
        &mut self,
        content: Content,
        span: Span,
        (core_tag, tagged): (Option<String>, bool),
        expanded: Option<usize>,
    ) -> Result<NodeId, Finding> {
        if self.doc.nodes.len() >= self.limits.max_nodes {
            return Err(Finding::new(
                Code::YamlTooComplex,
                format!("the document has more than {} nodes", self.limits.max_nodes),
            )
            .hint("split the results over several files")
            .at(span));
        }
        self.doc.nodes.push(Node { content, span, core_tag, tagged });
        self.expanded.push(expanded);
        Ok(self.doc.nodes.len() - 1)
    }

    fn anchor(&mut self, anchor: usize, id: NodeId) {
        if anchor != 0 {
            self.anchors.insert(anchor, id);
        }
    }

    /// Checks a tag; returns the core-schema type it names, if any, and
    /// whether there is a tag at all.
    fn tag(
        &mut self,
        tag: Option<&serde_saphyr::granit_parser::Tag>,
        span: Span,
    ) -> (Option<String>, bool) {
        let Some(tag) = tag else { return (None, false) };
        if let Some(suffix) = tag.core_suffix() {
            return (Some(suffix.to_owned()), true);
        }
        let shown = tag.original();
        self.findings.push(
            Finding::new(Code::YamlTag, format!("the tag `{shown}` is not allowed here"))
                .hint("remove the tag; these files hold plain strings, numbers, lists and mappings")
                .at(span),
        );
        (None, true)
    }

    /// Puts a finished node into the collection that is open, or makes it the root.
    fn attach(&mut self, id: NodeId) -> Result<(), Finding> {
        let Some(frame) = self.stack.last_mut() else {
            self.doc.root = Some(id);
            return Ok(());
        };
        let is_key = frame.is_map && frame.items.len() % 2 == 0;
        frame.items.push(id);
        if !is_key {
            return Ok(());
        }
        let node = &self.doc.nodes[id];
        let Content::Scalar { text, style } = &node.content else {
            return Ok(());
        };
        if text == "<<" && *style == Style::Plain {
            self.findings.push(
                Finding::new(Code::YamlMergeKey, "the merge key `<<` is not part of YAML 1.2")
                    .hint("write the keys out; readers disagree on what `<<` means")
                    .at(node.span),
            );
        }
        let span = node.span;
        let seen = frame.keys.entry(text.clone()).or_insert((span, 0));
        seen.1 += 1;
        if seen.1 == 2 {
            let first = seen.0;
            self.findings.push(
                Finding::new(
                    Code::YamlDuplicateKey,
                    format!("the key {} appears twice in this mapping", quote(text)),
                )
                .hint(format!(
                    "the first is at line {}; keep one of them (readers disagree on which wins)",
                    first.line
                ))
                .at(span),
            );
        }
        Ok(())
    }

    /// Closes the open collection: fills in its children and its span.
    fn close(&mut self, end: Span) -> Result<(), Finding> {
        let Some(frame) = self.stack.pop() else {
            return Ok(());
        };
        let size = frame
            .items
            .iter()
            .try_fold(1usize, |sum, &child| sum.checked_add(self.expanded[child]?));
        let content = if frame.is_map {
            let mut entries: Vec<(NodeId, NodeId)> =
                frame.items.chunks(2).map(|kv| (kv[0], kv[kv.len() - 1])).collect();
            // A repeated key is an error already (`attach`); the checks see
            // its first value only, so that 100,000 copies of one key make
            // one finding, not one per copy.
            if frame.keys.values().any(|&(_, times)| times > 1) {
                let mut seen = HashSet::new();
                let nodes = &self.doc.nodes;
                entries.retain(|&(key, _)| match &nodes[key].content {
                    Content::Scalar { text, .. } => seen.insert(text.as_str()),
                    _ => true,
                });
            }
            Content::Map(entries)
        } else {
            Content::Seq(frame.items)
        };
        let node = &mut self.doc.nodes[frame.id];
        node.span.end_line = end.end_line;
        node.span.end_column = end.end_column;
        node.content = content;
        let size = size.unwrap_or(usize::MAX);
        if size > self.limits.max_nodes {
            return Err(Finding::new(
                Code::YamlTooComplex,
                format!(
                    "aliases make this node expand to more than {} nodes",
                    self.limits.max_nodes
                ),
            )
            .hint("a reader that expands aliases would run out of memory; write the values out")
            .at(node.span));
        }
        self.expanded[frame.id] = Some(size);
        self.attach(frame.id)
    }
}

fn span_of(raw: &RawSpan) -> Span {
    let (start, end) = (raw.start, raw.end);
    let mut span = Span {
        line: start.line(),
        column: start.col() + 1,
        end_line: end.line(),
        end_column: end.col() + 1,
    };
    if (span.end_line, span.end_column) <= (span.line, span.column) {
        span.end_line = span.line;
        span.end_column = span.column + 1;
    }
    span
}

fn point(mark: &Marker) -> Span {
    Span::point(mark.line().max(1), mark.col() + 1)
}

fn scan_error(error: &ScanError) -> Finding {
    let at = point(error.marker());
    let info = error.info();
    match error.kind() {
        ErrorKind::TabNotAllowed
        | ErrorKind::TabInBlockIndentation
        | ErrorKind::TabInIndentation
        | ErrorKind::TabAtBlockScalarStart => {
            Finding::new(Code::YamlTabIndent, "a tab is used for indentation")
                .hint("indent with spaces; YAML does not allow tabs there")
                .at(at)
        }
        ErrorKind::RecursionLimitExceeded => too_deep(at, 64),
        ErrorKind::MultipleDocumentsUnsupported => multiple_documents(at),
        _ => Finding::new(Code::YamlSyntax, format!("invalid YAML: {info}"))
            .hint("check the indentation and the quoting at this place and the line before")
            .at(at),
    }
}

fn multiple_documents(at: Span) -> Finding {
    Finding::new(Code::YamlMultipleDocuments, "a second YAML document starts here")
        .hint("keep one document per file: remove this `---` or move what follows to a new file")
        .at(at)
}

fn too_deep(at: Span, depth: usize) -> Finding {
    Finding::new(Code::YamlTooComplex, format!("the document nests deeper than {depth} levels"))
        .hint("results and benchmark files need only a few levels")
        .at(at)
}

fn too_many_aliases(at: Span, max: usize) -> Finding {
    Finding::new(Code::YamlTooComplex, format!("the document uses more than {max} aliases"))
        .hint("write the values out instead of using anchors and aliases")
        .at(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str) -> Document {
        let (doc, findings) = parse(text, &Limits::default());
        assert!(findings.is_empty(), "{findings:?}");
        doc.expect("a document")
    }

    fn codes(text: &str) -> Vec<&'static str> {
        parse(text, &Limits::default()).1.iter().map(|f| f.code.as_str()).collect()
    }

    #[test]
    fn a_repeated_key_is_one_finding_and_its_first_value_stands() {
        let text = "a: 1\nb: 2\n".to_owned() + &"a: x\n".repeat(1000);
        let (doc, findings) = parse(&text, &Limits::default());
        let codes: Vec<_> = findings.iter().map(|f| f.code.as_str()).collect();
        assert_eq!(codes, ["yaml-duplicate-key"]);
        assert_eq!(findings[0].span.map(|s| s.line), Some(3));
        let doc = doc.expect("a document");
        let root = doc.root().unwrap();
        let keys: Vec<_> =
            doc.as_map(root).unwrap().iter().map(|&(k, v)| (doc.text(k), doc.text(v))).collect();
        assert_eq!(keys, [(Some("a"), Some("1")), (Some("b"), Some("2"))]);
    }

    #[test]
    fn resolves_scalars_by_the_core_schema() {
        assert_eq!(resolve_plain("~"), Scalar::Null);
        assert_eq!(resolve_plain("True"), Scalar::Bool(true));
        assert_eq!(resolve_plain("yes"), Scalar::Str("yes"));
        assert_eq!(resolve_plain("0o17"), Scalar::Int(15));
        assert_eq!(resolve_plain("0x1F"), Scalar::Int(31));
        assert_eq!(resolve_plain("017"), Scalar::Int(17));
        assert_eq!(resolve_plain("1_000"), Scalar::Str("1_000"));
        assert_eq!(resolve_plain("20.90"), Scalar::Float(20.9));
        assert_eq!(resolve_plain(".5"), Scalar::Float(0.5));
        assert_eq!(resolve_plain("1e3"), Scalar::Float(1000.0));
        assert_eq!(resolve_plain("1."), Scalar::Float(1.0));
        assert_eq!(resolve_plain("."), Scalar::Str("."));
        assert_eq!(resolve_plain("1e"), Scalar::Str("1e"));
        assert_eq!(resolve_plain("2025-01-15"), Scalar::Str("2025-01-15"));
        assert!(matches!(resolve_plain(".nan"), Scalar::Float(f) if f.is_nan()));
    }

    #[test]
    fn keeps_spans_and_styles() {
        let doc = parse_ok("- dataset:\n    id: a/b\n  value: \"1\"\n");
        let root = doc.root().unwrap();
        let entry = doc.as_seq(root).unwrap()[0];
        let (key, value) = doc.get(entry, "value").unwrap();
        assert_eq!(doc.span(key).line, 3);
        assert_eq!(doc.span(value).column, 10);
        assert_eq!(doc.scalar(value), Some(Scalar::Str("1")));
    }

    #[test]
    fn reports_yaml_layer_problems() {
        assert_eq!(codes("a: 1\na: 2\n"), ["yaml-duplicate-key"]);
        assert_eq!(codes("a: 1\n---\nb: 2\n"), ["yaml-multiple-documents"]);
        assert_eq!(codes("a: !!python/object x\n"), ["yaml-tag"]);
        assert_eq!(codes("a: !!str 1\n"), Vec::<&str>::new());
        assert_eq!(codes("b: &x {c: 1}\na:\n  <<: *x\n"), ["yaml-merge-key"]);
        assert_eq!(codes("a:\n\t- 1\n"), ["yaml-tab-indent"]);
        assert_eq!(codes("# nothing\n"), ["yaml-empty"]);
        assert_eq!(codes("a: [1, 2\n"), ["yaml-syntax"]);
    }

    #[test]
    fn stops_hostile_documents_quickly() {
        let deep = "[".repeat(100_000) + &"]".repeat(100_000);
        assert_eq!(codes(&deep), ["yaml-too-complex"]);
        let deep_map = "{a: ".repeat(100_000) + &"}".repeat(100_000);
        assert_eq!(codes(&deep_map), ["yaml-too-complex"]);
        let mut bomb = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for level in 1..10 {
            let prev = format!("*a{}", level - 1);
            let items = vec![prev; 9].join(", ");
            bomb.push_str(&format!("a{level}: &a{level} [{items}]\n"));
        }
        assert_eq!(codes(&bomb), ["yaml-too-complex"]);
        assert_eq!(codes("a: &a [*a]\n"), ["yaml-too-complex"]);
    }
}
