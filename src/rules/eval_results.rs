//! Rules for `.eval_results/*.yaml`: a list of results of a model.
//!
//! The format is the Hub's (`shared/docs/formats.md` §1): every entry names a
//! benchmark dataset and one of its tasks, and gives a numeric `value`.
//! Whether the benchmark and the task exist is the server registry's question,
//! not this file's.
//!
//! # Notes
//! - An explicit `null` is an error for a required key and a warning for an
//!   optional one; the Hub's client never writes either.
//! - `date` is read as text whether or not it is quoted; the portability lint
//!   warns about the unquoted form, which YAML 1.1 readers turn into a date.

use std::collections::HashMap;

use crate::finding::{Code, Finding};
use crate::rules::fields::{Fields, join};
use crate::yaml::{Document, NodeId, Scalar, quote};

const ENTRY_KEYS: &[&str] =
    &["dataset", "value", "verifyToken", "date", "source", "notes", "evaluation_framework"];
const DATASET_KEYS: &[&str] = &["id", "task_id", "revision"];
const SOURCE_KEYS: &[&str] = &["url", "name", "user", "org"];

const SHAPE: &str =
    "- dataset:\n    id: <namespace>/<benchmark>\n    task_id: <task>\n  value: <number>";

/// Checks a results file.
pub fn check(doc: &Document) -> Vec<Finding> {
    let mut fields = Fields::new(doc);
    let Some(root) = doc.root() else { return fields.findings };

    match doc.as_seq(root) {
        Some([]) => fields.at(
            root,
            "",
            Finding::new(Code::EmptyValue, "the file is an empty list")
                .hint(format!("add at least one result, or delete the file:\n{SHAPE}")),
        ),
        Some(items) => {
            let mut seen = HashMap::new();
            for (index, &item) in items.iter().enumerate() {
                if let Some(key) = entry(&mut fields, item, index) {
                    duplicate(&mut fields, &mut seen, key, item, index);
                }
            }
        }
        None => not_a_list(&mut fields, root),
    }
    fields.findings
}

/// What makes two entries the same result: benchmark, task, notes.
type EntryKey<'d> = (&'d str, &'d str, Option<&'d str>);

/// Checks one entry; returns its identity when it has one.
fn entry<'d>(fields: &mut Fields<'d>, item: NodeId, index: usize) -> Option<EntryKey<'d>> {
    let path = format!("[{index}]");
    if !fields.is_map(item) {
        let found = fields.doc.describe(item);
        let message = format!("entry {} must be a mapping, found {found}", index + 1);
        let hint = format!("an entry looks like this:\n{SHAPE}");
        fields.at(item, &path, Finding::new(Code::WrongType, message).hint(hint));
        return None;
    }

    let dataset = fields.required(item, "dataset", &path, "add the benchmark it was run on:\n  dataset:\n    id: <namespace>/<benchmark>\n    task_id: <task>");
    let ids = dataset.and_then(|d| dataset_fields(fields, d, &join(&path, "dataset")));
    if let Some(value) = fields.required(item, "value", &path, "add the score: `value: <number>`") {
        value_field(fields, value, &join(&path, "value"));
    }
    if let Some(token) = fields.optional(item, "verifyToken", &path) {
        fields.string(token, &join(&path, "verifyToken"), true);
    }
    if let Some(date) = fields.optional(item, "date", &path) {
        date_field(fields, date, &join(&path, "date"));
    }
    if let Some(source) = fields.optional(item, "source", &path) {
        source_fields(fields, source, &join(&path, "source"));
    }
    // The Hub's documentation shows this optional key in its full example.
    if let Some(framework) = fields.optional(item, "evaluation_framework", &path) {
        fields.string(framework, &join(&path, "evaluation_framework"), true);
    }
    let notes = fields.optional(item, "notes", &path);
    let notes = notes.and_then(|n| fields.string(n, &join(&path, "notes"), false));
    fields.unknown_keys(item, &path, ENTRY_KEYS, Code::UnknownField, explain_entry_key);

    ids.map(|(id, task)| (id, task, notes))
}

fn dataset_fields<'d>(
    fields: &mut Fields<'d>,
    dataset: NodeId,
    path: &str,
) -> Option<(&'d str, &'d str)> {
    fields.mapping(dataset, path)?;
    let id = fields.required(
        dataset,
        "id",
        path,
        "add the benchmark's dataset id: `id: <namespace>/<benchmark>`",
    );
    let id = id.and_then(|id| {
        let text = fields.string(id, &join(path, "id"), true)?;
        dataset_id(fields, id, &join(path, "id"), text).then_some(text)
    });
    let task = fields.required(
        dataset,
        "task_id",
        path,
        "add the task: `task_id: <id of a task in the benchmark's eval.yaml>`",
    );
    let task = task.and_then(|t| fields.string(t, &join(path, "task_id"), true));
    if let Some(revision) = fields.optional(dataset, "revision", path) {
        let full = join(path, "revision");
        if let Some(text) = fields.string(revision, &full, true)
            && !is_commit_id(text)
        {
            let message = format!("`dataset.revision` {} is not a full commit id", quote(text));
            let hint = "use the 40-character commit id of the benchmark dataset, so the result names exactly what it ran on";
            fields.at(revision, &full, Finding::new(Code::RevisionNotCommit, message).hint(hint));
        }
    }
    fields.unknown_keys(dataset, path, DATASET_KEYS, Code::UnknownField, explain_dataset_key);
    Some((id?, task?))
}

/// Checks a Hub repository id; reports and returns false when it is not one.
fn dataset_id(fields: &mut Fields<'_>, id: NodeId, path: &str, text: &str) -> bool {
    let Some(problem) = repo_id_problem(text) else { return true };
    let message =
        format!("`dataset.id` {} is not a valid Hub repository id: {problem}", quote(text));
    let hint = match text.split_once("huggingface.co/") {
        Some((_, rest)) => {
            let rest = rest.strip_prefix("datasets/").unwrap_or(rest);
            let id: Vec<&str> = rest.split('/').take(2).collect();
            format!("use the id, not the URL: `id: {}`", id.join("/"))
        }
        None => "use the benchmark's dataset id as the Hub shows it, e.g. `cais/hle`".to_owned(),
    };
    fields.at(id, path, Finding::new(Code::InvalidDatasetId, message).hint(hint));
    false
}

/// Why `id` is not a Hub repository id `namespace/name`, if it is not.
///
/// The rules are the Hub client's: at most 96 characters a part, letters,
/// digits, `-`, `_` and `.`, starting and ending with a letter, digit or `_`,
/// no `--` or `..`, and no `.git` at the end.
pub fn repo_id_problem(id: &str) -> Option<String> {
    let parts: Vec<&str> = id.split('/').collect();
    if parts.len() != 2 {
        return Some("it must have the form `namespace/name`".into());
    }
    for part in parts {
        if part.is_empty() {
            return Some("the namespace and the name must not be empty".into());
        }
        if part.chars().count() > 96 {
            return Some(format!("`{part}` is longer than 96 characters"));
        }
        if let Some(bad) = part.chars().find(|c| !(c.is_ascii_alphanumeric() || "-_.".contains(*c)))
        {
            return Some(format!(
                "{} is not allowed (use letters, digits, `-`, `_` and `.`)",
                quote(&bad.to_string())
            ));
        }
        let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        if !word(part.chars().next()) || !word(part.chars().last()) {
            return Some(format!("`{part}` must start and end with a letter, digit or `_`"));
        }
        if part.contains("--") || part.contains("..") {
            return Some("`--` and `..` are not allowed".into());
        }
    }
    if id.ends_with(".git") {
        return Some("it must not end with `.git`".into());
    }
    None
}

fn is_commit_id(text: &str) -> bool {
    matches!(text.len(), 40 | 64) && text.bytes().all(|b| b.is_ascii_hexdigit())
}

fn value_field(fields: &mut Fields<'_>, value: NodeId, path: &str) {
    let doc = fields.doc;
    match fields.scalar(value) {
        Some(Scalar::Int(_)) => {}
        Some(Scalar::Float(f)) if f.is_finite() => {}
        Some(Scalar::Float(_)) => {
            let message = format!(
                "`value` must be a finite number, found `{}`",
                doc.text(value).unwrap_or_default()
            );
            let hint = "a score cannot be NaN or infinite; leave the entry out if the evaluation did not produce one";
            fields.at(value, path, Finding::new(Code::ValueNotFinite, message).hint(hint));
        }
        _ => {
            let message = format!("`value` must be a number, found {}", doc.describe(value));
            let mut finding = Finding::new(Code::ValueNotNumber, message);
            if let Some(hint) = doc.text(value).and_then(number_hint) {
                finding = finding.hint(hint);
            }
            fields.at(value, path, finding);
        }
    }
}

/// How to turn text that was meant as a number into one.
fn number_hint(text: &str) -> Option<String> {
    let trimmed = text.trim();
    let is_number = |s: &str| s.parse::<f64>().is_ok_and(f64::is_finite);
    if is_number(trimmed) {
        return Some(format!("remove the quotes: `value: {trimmed}`"));
    }
    if let Some(number) = trimmed.strip_suffix('%').map(str::trim_end).filter(|s| is_number(s)) {
        return Some(format!("write the number without `%`: `value: {number}`"));
    }
    let plain = trimmed.replace('_', "");
    if plain != trimmed && is_number(&plain) {
        return Some(format!("write the number without `_`: `value: {plain}`"));
    }
    if let Some((number, _)) = trimmed.split_once('±').or_else(|| trimmed.split_once("+/-"))
        && is_number(number.trim())
    {
        return Some(format!(
            "write only the number, `value: {}`, and put the uncertainty in `notes`",
            number.trim()
        ));
    }
    match trimmed {
        "true" | "false" | "True" | "False" | "yes" | "no" => {
            Some("a score is a number, e.g. `value: 1.0`".into())
        }
        _ => None,
    }
}

fn date_field(fields: &mut Fields<'_>, date: NodeId, path: &str) {
    let Some(text) = fields.string(date, path, true) else { return };
    if let Err(problem) = iso_date_problem(text) {
        let message = format!("`date` {} is not {problem}", quote(text));
        let hint = "write it as `\"2026-01-15\"` or `\"2026-01-15T10:30:00Z\"` (ISO 8601, quoted)";
        fields.at(date, path, Finding::new(Code::InvalidDate, message).hint(hint));
    }
}

/// Checks an ISO-8601 date or date-time, calendar included.
///
/// Accepted: `YYYY-MM-DD`, and that followed by `T` and `HH:MM`, optional
/// `:SS` and fraction, and an optional `Z` or `+HH:MM` / `-HH:MM` offset.
pub fn iso_date_problem(text: &str) -> Result<(), String> {
    const FORM: &str = "an ISO-8601 date or date-time";
    let b = text.as_bytes();
    let num = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = text.get(range)?;
        part.bytes().all(|c| c.is_ascii_digit()).then(|| part.parse().ok())?
    };
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(FORM.into());
    }
    let (Some(year), Some(month), Some(day)) = (num(0..4), num(5..7), num(8..10)) else {
        return Err(FORM.into());
    };
    if !(1..=12).contains(&month) {
        return Err(format!("a real date: there is no month {month}"));
    }
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if day == 0 || day > days {
        return Err(format!("a real date: month {month} of {year} has {days} days"));
    }
    if b.len() == 10 {
        return Ok(());
    }
    if b[10] != b'T' || b.len() < 16 || b[13] != b':' {
        return Err(FORM.into());
    }
    let (Some(hour), Some(minute)) = (num(11..13), num(14..16)) else { return Err(FORM.into()) };
    let mut rest = &text[16..];
    let mut second = 0;
    if let Some(after) = rest.strip_prefix(':') {
        let digits = after.get(..2).filter(|d| d.bytes().all(|c| c.is_ascii_digit()));
        second = digits.and_then(|d| d.parse().ok()).ok_or(FORM)?;
        rest = &after[2..];
        if let Some(frac) = rest.strip_prefix('.') {
            let len = frac.bytes().take_while(u8::is_ascii_digit).count();
            if len == 0 {
                return Err(FORM.into());
            }
            rest = &frac[len..];
        }
    }
    if hour > 23 || minute > 59 || second > 60 {
        return Err(format!("a real time: {hour:02}:{minute:02}:{second:02}"));
    }
    match rest.as_bytes() {
        [] | [b'Z'] => Ok(()),
        [b'+' | b'-', h1, h2, b':', m1, m2]
            if [h1, h2, m1, m2].iter().all(|c| c.is_ascii_digit()) =>
        {
            let hours = (h1 - b'0') * 10 + (h2 - b'0');
            let minutes = (m1 - b'0') * 10 + (m2 - b'0');
            if hours > 23 || minutes > 59 {
                Err(format!("{FORM}: the offset is out of range"))
            } else {
                Ok(())
            }
        }
        _ => Err(FORM.into()),
    }
}

fn source_fields(fields: &mut Fields<'_>, source: NodeId, path: &str) {
    if fields.mapping(source, path).is_none() {
        return;
    }
    let hint = "add the link to the evidence: `url: https://...`";
    if let Some(url) = fields.required(source, "url", path, hint) {
        let full = join(path, "url");
        if let Some(text) = fields.string(url, &full, true)
            && let Some(problem) = url_problem(text)
        {
            let message =
                format!("`source.url` {} is not an absolute http(s) URL: {problem}", quote(text));
            let hint =
                "write the full address, e.g. `https://huggingface.co/datasets/<org>/<logs>`";
            fields.at(url, &full, Finding::new(Code::InvalidUrl, message).hint(hint));
        }
    }
    for key in ["name", "user", "org"] {
        if let Some(value) = fields.optional(source, key, path) {
            fields.string(value, &join(path, key), true);
        }
    }
    fields.unknown_keys(source, path, SOURCE_KEYS, Code::UnknownField, |_| None);
}

/// Why `url` is not an absolute http(s) URL, if it is not.
pub fn url_problem(url: &str) -> Option<&'static str> {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &url[8..]
    } else if lower.starts_with("http://") {
        &url[7..]
    } else {
        return Some("it must start with `https://` or `http://`");
    };
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Some("it contains spaces or control characters");
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit('@').next().unwrap_or_default();
    let host = host.split(':').next().unwrap_or_default();
    if host.is_empty() {
        return Some("it has no host");
    }
    None
}

fn not_a_list(fields: &mut Fields<'_>, root: NodeId) {
    let doc = fields.doc;
    if doc.get(root, "model-index").is_some() {
        let message = "this is README `model-index` metadata, not an `.eval_results` file";
        let hint = format!(
            "`.eval_results/*.yaml` holds a list of results, one per benchmark task:\n{SHAPE}"
        );
        fields.at(root, "", Finding::new(Code::ResultsModelIndex, message).hint(hint));
        return;
    }
    let message = format!("a results file must be a list of entries, found {}", doc.describe(root));
    let hint = if doc.get(root, "dataset").is_some() {
        format!("start the entry with `- ` to make it a list item:\n{SHAPE}")
    } else {
        format!("write a list of results:\n{SHAPE}")
    };
    fields.at(root, "", Finding::new(Code::ResultsNotAList, message).hint(hint));
}

fn duplicate<'d>(
    fields: &mut Fields<'d>,
    seen: &mut HashMap<EntryKey<'d>, (usize, usize)>,
    key: EntryKey<'d>,
    item: NodeId,
    index: usize,
) {
    let line = fields.doc.span(item).line;
    let Some(&(first, first_line)) = seen.get(&key) else {
        seen.insert(key, (index, line));
        return;
    };
    let message = format!(
        "entry {} repeats entry {} (line {first_line}): same `dataset.id`, `task_id` and `notes`",
        index + 1,
        first + 1
    );
    let hint = "remove one of them, or tell them apart in `notes` (e.g. `notes: with tools`)";
    fields.at(item, &format!("[{index}]"), Finding::new(Code::DuplicateEntry, message).hint(hint));
}

fn explain_entry_key(key: &str) -> Option<String> {
    Some(match key {
        "id" | "task_id" | "revision" => format!("`{key}` belongs under `dataset`"),
        "verify_token" | "verifytoken" => "the key is spelled `verifyToken`".into(),
        "metric" | "metrics" | "score" => {
            "one entry holds one score in `value`; write one entry per metric".into()
        }
        "task" | "model" | "name" => format!(
            "`{key}` is not part of the format: a result names its benchmark in `dataset.id` and the task in `dataset.task_id`"
        ),
        _ => return None,
    })
}

fn explain_dataset_key(key: &str) -> Option<String> {
    Some(match key {
        "config" | "split" | "name" | "type" => format!(
            "`{key}` is not used: the benchmark's `eval.yaml` defines each task's config and split; name the task with `task_id`"
        ),
        "taskid" | "task" | "taskId" | "task-id" => "the key is spelled `task_id`".into(),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repo_ids_follow_the_hub_rules() {
        assert_eq!(repo_id_problem("cais/hle"), None);
        assert_eq!(repo_id_problem("Idavidrein/gpqa"), None);
        assert_eq!(repo_id_problem("a_b/c.d-e"), None);
        assert!(repo_id_problem("hle").is_some());
        assert!(repo_id_problem("a/b/c").is_some());
        assert!(repo_id_problem("a/-b").is_some());
        assert!(repo_id_problem("a/b..c").is_some());
        assert!(repo_id_problem("a/b.git").is_some());
        assert!(repo_id_problem("a/b c").is_some());
        assert!(repo_id_problem(&format!("a/{}", "x".repeat(97))).is_some());
    }

    #[test]
    fn dates_are_real_calendar_dates() {
        for ok in [
            "2026-01-15",
            "2024-02-29",
            "2026-01-15T10:30",
            "2026-01-15T10:30:00Z",
            "2026-01-15T10:30:00.123+05:30",
        ] {
            assert_eq!(iso_date_problem(ok), Ok(()), "{ok}");
        }
        for bad in [
            "2025-02-29",
            "2026-13-01",
            "2026-1-5",
            "15/01/2026",
            "2026-01-15 10:30",
            "2026-01-15T25:00",
            "2026-01-15T10:30:00+5",
        ] {
            assert!(iso_date_problem(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn urls_must_be_absolute_http() {
        assert_eq!(url_problem("https://huggingface.co/x"), None);
        assert_eq!(url_problem("HTTP://example.org"), None);
        assert!(url_problem("huggingface.co/x").is_some());
        assert!(url_problem("ftp://x").is_some());
        assert!(url_problem("https://").is_some());
        assert!(url_problem("https://a b").is_some());
    }

    #[test]
    fn number_hints_say_how_to_fix() {
        assert_eq!(number_hint("20.9").unwrap(), "remove the quotes: `value: 20.9`");
        assert!(number_hint("85%").unwrap().contains("`value: 85`"));
        assert!(number_hint("20.0 ± 1.2").unwrap().contains("`value: 20.0`"));
        assert!(number_hint("1_000").unwrap().contains("`value: 1000`"));
        assert_eq!(number_hint("high"), None);
    }
}
