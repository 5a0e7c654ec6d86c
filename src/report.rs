//! The one room that writes what users see.
//!
//! Two renderers of the same findings: human text in the layout of rustc's
//! diagnostics (plain ASCII decoration, no colour unless asked for), and JSON
//! Lines, one object per finding. The hook's rejection block is human text
//! with a head and a summary line around it.
//!
//! Text from a checked file is never echoed raw: control characters become
//! `\u{..}` escapes, so a pushed file cannot drive the pusher's terminal.
//! Every line is kept under [`WIDTH`] columns: long messages wrap and long
//! source lines are cut around the place they point at.

use std::borrow::Cow;
use std::io::{self, Write};

use serde::Serialize;

use crate::finding::{Finding, Severity};

/// The widest line the renderers write. Git adds `remote: ` before hook
/// output, so hook lines stay under 100 columns with that prefix too.
pub const WIDTH: usize = 92;

/// The version of the JSON Lines format; bumped on incompatible changes.
pub const JSON_SCHEMA_VERSION: u32 = 1;

/// The findings of one file, with what is needed to show them.
#[derive(Clone, Debug, Default)]
pub struct FileReport {
    /// The path as the user knows it: as given to `check`, or in the repository.
    pub path: String,
    /// The refs of a push that carry this file; empty outside the hook.
    pub refs: Vec<String>,
    /// The file's text, for source lines; `None` when it could not be read.
    pub source: Option<String>,
    pub findings: Vec<Finding>,
}

/// How the human renderer decorates its text.
#[derive(Clone, Copy, Debug, Default)]
pub struct Style {
    pub color: bool,
}

/// Counts over a set of reports, for summary lines.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
}

impl Totals {
    pub fn of(reports: &[FileReport]) -> Totals {
        let mut totals = Totals::default();
        for report in reports {
            totals.files += 1;
            for finding in &report.findings {
                match finding.severity {
                    Severity::Error => totals.errors += 1,
                    Severity::Warning => totals.warnings += 1,
                }
            }
        }
        totals
    }

    /// "2 errors and 1 warning in 3 files", "no problems in 1 file".
    pub fn describe(&self) -> String {
        format!("{} in {}", self.problems(), count(self.files, "file"))
    }

    /// "2 errors and 1 warning", "no problems".
    pub fn problems(&self) -> String {
        match (self.errors, self.warnings) {
            (0, 0) => "no problems".to_owned(),
            (e, 0) => count(e, "error"),
            (0, w) => count(w, "warning"),
            (e, w) => format!("{} and {}", count(e, "error"), count(w, "warning")),
        }
    }
}

/// "1 file", "2 files".
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 { format!("1 {noun}") } else { format!("{n} {noun}s") }
}

/// Writes every finding of `report` as human text.
pub fn human(out: &mut dyn Write, report: &FileReport, style: Style) -> io::Result<()> {
    let lines = SourceLines::new(report.source.as_deref());
    for finding in &report.findings {
        finding_text(out, report, &lines, finding, style)?;
    }
    Ok(())
}

/// Where each line of a file starts, so that showing any number of findings
/// costs one pass over the file, not one per finding.
struct SourceLines<'s> {
    text: &'s str,
    starts: Vec<usize>,
}

impl<'s> SourceLines<'s> {
    fn new(text: Option<&'s str>) -> SourceLines<'s> {
        let text = text.unwrap_or_default();
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(at, _)| at + 1))
            .filter(|&at| at < text.len())
            .collect();
        SourceLines { text, starts }
    }

    /// Line `number` (1-based) without its line ending, as `str::lines` gives it.
    fn get(&self, number: usize) -> Option<&'s str> {
        let start = *self.starts.get(number.checked_sub(1)?)?;
        let rest = &self.text[start..];
        Some(match rest.split_once('\n') {
            Some((line, _)) => line.strip_suffix('\r').unwrap_or(line),
            None => rest,
        })
    }
}

/// Writes one finding as human text, followed by a blank line.
fn finding_text(
    out: &mut dyn Write,
    report: &FileReport,
    lines: &SourceLines<'_>,
    finding: &Finding,
    style: Style,
) -> io::Result<()> {
    let severity = paint(finding.severity.as_str(), severity_color(finding.severity), style);
    let head = format!("{severity}[{}]: ", finding.code);
    write_wrapped(out, &head, finding.severity.as_str().len() + 3, &finding.message)?;

    let mut place = clean(&report.path).into_owned();
    if let Some(span) = finding.span {
        place += &format!(":{}:{}", span.line, span.column);
    }
    if !report.refs.is_empty() {
        place += &format!(" ({})", clean(&report.refs.join(", ")));
    }
    let gutter = finding.span.map_or(1, |s| s.line.to_string().len());
    let pad = " ".repeat(gutter);
    writeln!(out, "{pad}--> {place}")?;

    if let Some(span) = finding.span
        && let Some(line) = lines.get(span.line)
    {
        let (text, caret_at, caret_len) = window(line, span, WIDTH - gutter - 3);
        let carets = "^".repeat(caret_len);
        let carets = paint(&carets, severity_color(finding.severity), style);
        writeln!(out, "{pad} |")?;
        writeln!(out, "{} | {text}", span.line)?;
        writeln!(out, "{pad} | {}{carets}", " ".repeat(caret_at))?;
    }
    if let Some(hint) = &finding.hint {
        if finding.span.is_some() && report.source.is_some() {
            writeln!(out, "{pad} |")?;
        }
        write_wrapped(out, &format!("{pad} = help: "), gutter + 10, hint)?;
    }
    writeln!(out)
}

/// One finding as a JSON object: the contract of `--format json`.
#[derive(Serialize)]
struct JsonFinding<'a> {
    schema: u32,
    path: &'a str,
    #[serde(rename = "ref", skip_serializing_if = "Option::is_none")]
    git_ref: Option<&'a str>,
    #[serde(flatten)]
    finding: &'a Finding,
}

/// Writes every finding of `report` as JSON Lines, one object per line.
pub fn json_lines(out: &mut dyn Write, report: &FileReport) -> io::Result<()> {
    for finding in &report.findings {
        let record = JsonFinding {
            schema: JSON_SCHEMA_VERSION,
            path: &report.path,
            git_ref: report.refs.first().map(String::as_str),
            finding,
        };
        serde_json::to_writer(&mut *out, &record)?;
        writeln!(out)?;
    }
    Ok(())
}

/// Writes the benchmarks a registry sees, one per line, and a count.
pub fn registry_list(out: &mut dyn Write, found: &[crate::registry::Lookup]) -> io::Result<()> {
    use crate::registry::Lookup;
    let mut count = 0;
    for lookup in found {
        match lookup {
            Lookup::Found(benchmark) => {
                count += 1;
                let tasks = if benchmark.tasks.is_empty() {
                    "(no task ids)".to_owned()
                } else {
                    benchmark.tasks.join(", ")
                };
                writeln!(out, "{}", clean(&benchmark.id))?;
                writeln!(out, "    tasks: {}", clean(&tasks))?;
                writeln!(out, "    from:  {}", clean(&benchmark.source))?;
            }
            Lookup::Unreadable { path, reason } => {
                let line = format!("{}: could not be read: {reason}", path.display());
                write_wrapped(out, "warning: ", 4, &line)?;
            }
            Lookup::Unknown | Lookup::Invalid => {}
        }
    }
    writeln!(out, "evalgate: {}", count_benchmarks(count))
}

fn count_benchmarks(n: usize) -> String {
    if n == 0 { "no benchmarks found".to_owned() } else { count(n, "benchmark") }
}

/// Writes "evalgate: error: " and a chain of causes, on one line.
///
/// Nothing is left to report when this fails, so a write error is ignored.
pub fn error_line(out: &mut dyn Write, causes: &[String]) {
    let _ = writeln!(out, "evalgate: error: {}", clean(&causes.join(": ")));
}

/// Text safe to show: control characters and bidirectional formatting
/// characters become `\u{..}` escapes, tabs become spaces.
pub fn clean(text: &str) -> Cow<'_, str> {
    if !text.chars().any(unsafe_to_show) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\t' => out.push(' '),
            c if unsafe_to_show(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Whether a character must not reach a terminal as it is: controls (escape
/// sequences start with one), and the bidirectional overrides and isolates
/// that make a line show in another order than it reads ("Trojan Source").
pub fn unsafe_to_show(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Writes `first` then `text`, wrapped at [`WIDTH`], continuation lines indented.
///
/// A line break in `text` starts a new line, indented like a continuation,
/// with the spaces it begins with kept (hints show YAML that way).
fn write_wrapped(out: &mut dyn Write, first: &str, indent: usize, text: &str) -> io::Result<()> {
    let mut line = String::from(first);
    let mut width = visible_len(first);
    for (i, paragraph) in text.split('\n').enumerate() {
        let paragraph = clean(paragraph);
        let body = paragraph.trim_start_matches(' ');
        let lead = paragraph.len() - body.len();
        if i > 0 {
            writeln!(out, "{}", line.trim_end())?;
            line = " ".repeat(indent + lead);
            width = indent + lead;
        }
        let mut empty = true;
        for word in body.split(' ') {
            let mut rest: Vec<char> = word.chars().collect();
            if !empty && width + 1 + rest.len() > WIDTH {
                writeln!(out, "{}", line.trim_end())?;
                line = " ".repeat(indent);
                width = indent;
                empty = true;
            }
            if !empty {
                line.push(' ');
                width += 1;
            }
            // A word longer than a whole line is cut into pieces.
            while width + rest.len() > WIDTH {
                let take = WIDTH.saturating_sub(width).max(1);
                line.extend(&rest[..take.min(rest.len())]);
                writeln!(out, "{line}")?;
                rest.drain(..take.min(rest.len()));
                line = " ".repeat(indent);
                width = indent;
            }
            line.extend(&rest);
            width += rest.len();
            empty = false;
        }
    }
    writeln!(out, "{}", line.trim_end())
}

/// The part of a source line to show, where the carets start, and how many.
fn window(line: &str, span: crate::finding::Span, room: usize) -> (String, usize, usize) {
    let chars: Vec<char> = clean(line).chars().collect();
    let start = span.column.saturating_sub(1).min(chars.len());
    let len = if span.end_line == span.line {
        span.end_column.saturating_sub(span.column).max(1)
    } else {
        chars.len().saturating_sub(start).max(1)
    };
    // A place just past the end of a line that fills the room gets the
    // cut layout too, so its caret stays inside the room.
    if chars.len() <= room && start < room {
        return (chars.iter().collect(), start, len.min(room - start).max(1));
    }
    // Keep some context before the place, and cut the rest with dots.
    let from = start.saturating_sub(20);
    let to = (from + room - 6).min(chars.len());
    let mut text = String::new();
    if from > 0 {
        text.push_str("...");
    }
    text.extend(&chars[from..to]);
    if to < chars.len() {
        text.push_str("...");
    }
    let caret_at = start - from + if from > 0 { 3 } else { 0 };
    let len = len.min(to.saturating_sub(start)).max(1);
    (text, caret_at, len)
}

fn visible_len(text: &str) -> usize {
    let mut len = 0;
    let mut in_escape = false;
    for c in text.chars() {
        match (in_escape, c) {
            (false, '\x1b') => in_escape = true,
            (true, 'm') => in_escape = false,
            (true, _) => {}
            (false, _) => len += 1,
        }
    }
    len
}

fn severity_color(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "\x1b[1;31m",
        Severity::Warning => "\x1b[1;33m",
    }
}

fn paint<'a>(text: &'a str, color: &str, style: Style) -> Cow<'a, str> {
    if style.color { Cow::Owned(format!("{color}{text}\x1b[0m")) } else { Cow::Borrowed(text) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Code, Span};

    #[test]
    fn source_lines_are_the_lines_str_lines_gives() {
        for text in ["", "a", "a\n", "a\nb", "a\r\nb\r\n", "\n\n", "a\r", "a\rb\n", "x\n\ny\r"] {
            let lines = SourceLines::new(Some(text));
            let expected: Vec<&str> = text.lines().collect();
            let found: Vec<&str> = (1..=expected.len() + 1).map_while(|n| lines.get(n)).collect();
            assert_eq!(found, expected, "{text:?}");
            assert_eq!(lines.get(0), None);
        }
    }

    fn render(source: &str, finding: Finding) -> String {
        let report = FileReport {
            path: "f.yaml".into(),
            refs: vec![],
            source: Some(source.into()),
            findings: vec![finding],
        };
        let mut out = Vec::new();
        human(&mut out, &report, Style::default()).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn shows_the_line_and_marks_the_span() {
        let finding = Finding::new(Code::ValueNotNumber, "`value` must be a number")
            .hint("remove the quotes")
            .at(Span { line: 2, column: 8, end_line: 2, end_column: 14 });
        let text = render("- a: 1\n  value: \"20.9\"\n", finding);
        assert_eq!(
            text,
            "error[value-not-number]: `value` must be a number\n --> f.yaml:2:8\n  |\n\
             2 |   value: \"20.9\"\n  |        ^^^^^^\n  |\n  = help: remove the quotes\n\n"
        );
    }

    #[test]
    fn never_echoes_control_characters_and_keeps_lines_short() {
        let line = format!("key: \x1b[31m{}\x07", "x".repeat(300));
        let finding = Finding::new(Code::UnknownField, format!("bad {}", "y ".repeat(100)))
            .at(Span { line: 1, column: 6, end_line: 1, end_column: 300 });
        let text = render(&line, finding);
        assert!(!text.chars().any(|c| c.is_control() && c != '\n'), "{text}");
        assert!(text.lines().all(|l| l.chars().count() <= WIDTH), "{text}");
        assert!(text.contains("\\u{1b}"));
    }

    /// Found by fuzzing: an error just past the end of a line as long as
    /// the room put the caret one column past the width.
    #[test]
    fn a_caret_past_the_end_of_a_full_line_stays_within_the_width() {
        let room = WIDTH - 1 - 3;
        let line = "x".repeat(room);
        let finding = Finding::new(Code::YamlSyntax, "invalid YAML").at(Span::point(1, room + 1));
        let text = render(&line, finding);
        assert!(text.lines().all(|l| l.chars().count() <= WIDTH), "{text}");
        assert!(text.lines().any(|l| l.trim_end().ends_with('^')), "{text}");
    }
}

/// How the hook lays out what the pusher sees.
#[derive(Clone, Copy, Debug)]
pub struct HookStyle {
    /// Prefix every line with `GL-HOOK-ERR: `, which GitLab shows to users.
    pub gitlab: bool,
    /// Show at most this many findings, then say how many more there are.
    pub max_findings: usize,
    /// Say nothing about a push without findings.
    pub quiet: bool,
    /// Also list every checked ref and file, problems or not.
    pub verbose: bool,
}

/// The prefix GitLab looks for before it shows a hook's line to the pusher.
pub const GITLAB_PREFIX: &str = "GL-HOOK-ERR: ";

/// Writes the hook's verdict on a push, as git relays it (`remote:` lines).
///
/// A rejection is one block: a head line naming the refs with errors, each
/// finding (errors first), and a summary line. Warnings alone do not reject;
/// they are shown with a summary line. A clean push gets one short line, or
/// nothing when no eval file changed or `quiet` is set. `verbose` first
/// lists each checked ref and file, and wins over `quiet`.
pub fn hook_verdict(
    out: &mut dyn Write,
    verdict: &crate::gate::Verdict,
    style: HookStyle,
) -> io::Result<()> {
    let mut text = Vec::new();
    for skipped in &verdict.skipped {
        let crate::gate::Skipped::NotACommit { ref_name, kind } = skipped;
        let line =
            format!("note: `{}` points at a {kind}, not a commit; not checked", clean(ref_name));
        write_wrapped(&mut text, "evalgate: ", 10, &line)?;
    }

    if style.verbose {
        hook_listing(&mut text, verdict)?;
    }

    // A path checked in several versions (several commits) is one file.
    let mut paths: Vec<&str> = verdict.reports.iter().map(|r| r.path.as_str()).collect();
    paths.sort_unstable();
    paths.dedup();
    let totals = Totals { files: paths.len(), ..Totals::of(&verdict.reports) };
    let refs = count(verdict.checked_refs.len(), "ref");
    if verdict.rejects() {
        let names = verdict.rejected_refs().iter().map(|n| format!("`{n}`")).collect::<Vec<_>>();
        let head = format!("rejected: problems in {}", list_fitting(&names, WIDTH - 32));
        write_wrapped(&mut text, "evalgate: ", 10, &head)?;
        writeln!(text)?;
        hook_findings(&mut text, &verdict.reports, style.max_findings)?;
        let summary = format!(
            "{}, {refs} checked; the push was rejected, nothing changed",
            totals.describe()
        );
        write_wrapped(&mut text, "evalgate: ", 10, &summary)?;
    } else if totals.warnings > 0 {
        hook_findings(&mut text, &verdict.reports, style.max_findings)?;
        let summary = format!(
            "accepted with {} in {}, {refs} checked",
            count(totals.warnings, "warning"),
            count(totals.files, "file")
        );
        write_wrapped(&mut text, "evalgate: ", 10, &summary)?;
    } else if totals.files > 0 && (style.verbose || !style.quiet) {
        let summary = format!("{} checked in {refs}, no problems", count(totals.files, "file"));
        write_wrapped(&mut text, "evalgate: ", 10, &summary)?;
    }
    write_for_hook(out, &text, style.gitlab)
}

/// Writes one line per checked ref and per checked file, with its outcome.
fn hook_listing(out: &mut dyn Write, verdict: &crate::gate::Verdict) -> io::Result<()> {
    for name in &verdict.checked_refs {
        write_wrapped(out, "evalgate: ", 10, &format!("checked ref `{name}`"))?;
    }
    for report in &verdict.reports {
        let outcome = Totals::of(std::slice::from_ref(report)).problems();
        let refs: Vec<String> = report.refs.iter().map(|label| format!("`{label}`")).collect();
        let line = format!(
            "checked file `{}` ({outcome}) in {}",
            report.path,
            list_fitting(&refs, WIDTH / 2)
        );
        write_wrapped(out, "evalgate: ", 10, &line)?;
    }
    if verdict.reports.is_empty() {
        let line = format!(
            "no eval.yaml or .eval_results/ file changed in {}",
            count(verdict.checked_refs.len(), "checked ref")
        );
        write_wrapped(out, "evalgate: ", 10, &line)?;
    }
    Ok(())
}

/// Writes why the hook could not check a push, and what it does about it.
///
/// `cause` is the error's chain of causes on one line; `allowed` says the
/// operator chose `--on-error allow`, so the push goes through unchecked.
pub fn hook_error(out: &mut dyn Write, cause: &str, allowed: bool, gitlab: bool) -> io::Result<()> {
    let mut text = Vec::new();
    write_wrapped(
        &mut text,
        "evalgate: error: ",
        17,
        &format!("could not check this push: {cause}"),
    )?;
    let then = if allowed {
        "the push goes through unchecked, as the server is set up to allow (`--on-error allow`)"
    } else {
        "the push was rejected because it could not be checked; nothing changed"
    };
    write_wrapped(&mut text, "evalgate: ", 10, then)?;
    write_for_hook(out, &text, gitlab)
}

/// Writes findings, errors before warnings, at most `max` of them.
fn hook_findings(out: &mut dyn Write, reports: &[FileReport], max: usize) -> io::Result<()> {
    let mut shown = 0;
    let mut hidden = 0;
    for severity in [Severity::Error, Severity::Warning] {
        for report in reports {
            let report = short_refs(report);
            let lines = SourceLines::new(report.source.as_deref());
            for finding in report.findings.iter().filter(|f| f.severity == severity) {
                if shown < max {
                    finding_text(out, &report, &lines, finding, Style::default())?;
                    shown += 1;
                } else {
                    hidden += 1;
                }
            }
        }
    }
    if hidden > 0 {
        let noun = if hidden == 1 { "finding" } else { "findings" };
        writeln!(out, "... and {hidden} more {noun} not shown")?;
        writeln!(out)?;
    }
    Ok(())
}

/// A report whose ref list fits on its `-->` line.
fn short_refs(report: &FileReport) -> FileReport {
    let mut report = report.clone();
    if report.refs.len() > 1 && report.refs.join(", ").chars().count() > WIDTH / 2 {
        let more = report.refs.len() - 1;
        report.refs.truncate(1);
        report.refs.push(format!("{} more", count(more, "ref")).replacen(" ref", " other ref", 1));
    }
    report
}

/// "`a`, `b` and 3 more", kept within `room` characters.
fn list_fitting(names: &[String], room: usize) -> String {
    let mut out = String::new();
    for (i, name) in names.iter().enumerate() {
        let rest = names.len() - i;
        let piece = if i == 0 { clean(name).into_owned() } else { format!(", {}", clean(name)) };
        if i > 0 && out.chars().count() + piece.chars().count() > room {
            return format!("{out} and {rest} more");
        }
        out += &piece;
    }
    out
}

/// Writes hook text line by line, with GitLab's prefix when asked for.
// TODO: the text is laid out for WIDTH before GitLab's 13-column prefix is
// added; under GitLab the longest lines reach 105 columns.
fn write_for_hook(out: &mut dyn Write, text: &[u8], gitlab: bool) -> io::Result<()> {
    let text = String::from_utf8_lossy(text);
    for line in text.lines() {
        if gitlab {
            writeln!(out, "{}", format!("{GITLAB_PREFIX}{line}").trim_end())?;
        } else {
            writeln!(out, "{line}")?;
        }
    }
    out.flush()
}

/// Writes what `evalgate leaderboard` built: a warning per repository it
/// could not read, then one summary line.
pub fn leaderboard_built(
    out: &mut dyn Write,
    built: &crate::leaderboard::site::Built,
    dir: &std::path::Path,
) -> io::Result<()> {
    for problem in &built.unreadable {
        write_wrapped(out, "warning: ", 4, &format!("left out: {problem}"))?;
    }
    writeln!(
        out,
        "evalgate: leaderboard in {}: {}, {} with {}, {} rejected, {} written",
        clean(&dir.display().to_string()),
        count(built.benchmarks, "benchmark"),
        count(built.models, "model"),
        count(built.results, "result"),
        built.rejected,
        count(built.files, "file"),
    )
}

/// Writes what the post-receive hook did, for the pusher's `remote:` lines.
pub fn post_receive_done(
    out: &mut dyn Write,
    updated: &crate::leaderboard::site::Updated,
) -> io::Result<()> {
    use crate::leaderboard::site::Updated;
    match updated {
        Updated::Nothing => Ok(()),
        Updated::Pages(paths) => {
            let pages: std::collections::BTreeSet<&str> = paths
                .iter()
                .map(|p| p.rsplit_once('.').map_or(p.as_str(), |(stem, _)| stem))
                .collect();
            writeln!(out, "evalgate: leaderboard updated: {}", count(pages.len(), "page"))
        }
        Updated::Full(built, why) => writeln!(
            out,
            "evalgate: leaderboard rebuilt ({why}): {}, {}",
            count(built.benchmarks, "benchmark"),
            count(built.models, "model")
        ),
    }
}

/// Writes why the post-receive hook could not update the leaderboard; the
/// push stands.
pub fn post_receive_error(out: &mut dyn Write, cause: &str) -> io::Result<()> {
    write_wrapped(
        out,
        "evalgate: ",
        4,
        &format!("the leaderboard was not updated (the push stands): {cause}"),
    )
}
