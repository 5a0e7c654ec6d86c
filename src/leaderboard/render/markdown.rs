//! Markdown pages, for a README or a wiki: the same tables as the site.

use std::fmt::Write as _;

use super::{badge_words, linkable, root_of, value};
use crate::leaderboard::{
    BenchmarkPage, Index, ModelPage, Order, Rejected, RejectedPage, Row, review_label,
};
use crate::report::clean;

pub fn benchmark(page: &BenchmarkPage) -> String {
    let root = root_of(&page.page);
    let mut out = format!("# {} (`{}`)\n\n", text(&page.info.name), code(&page.info.id));
    let _ = writeln!(out, "[All leaderboards]({root}index.md)\n");
    if page.tasks.is_empty() {
        out += "No results yet.\n\n";
    }
    for task in &page.tasks {
        let order = match task.order {
            Order::HigherIsBetter => "higher is better",
            Order::LowerIsBetter => "lower is better",
        };
        let _ = writeln!(out, "## Task `{}` ({order})\n", code(&task.id));
        if task.results.is_empty() {
            out += "No results yet.\n\n";
            continue;
        }
        out += "| Rank | Model | Value | Date | Badges | Notes | Source |\n";
        out += "|---:|---|---:|---|---|---|---|\n";
        for row in &task.results {
            let rank = row.rank.map_or(String::new(), |r| r.to_string());
            let model = format!("[{}]({root}models/{}.md)", text(&row.model), url(&row.model));
            let _ = writeln!(
                out,
                "| {rank} | {model} | {} | {} | {} | {} | {} |",
                value(row.value),
                text(&row.date),
                badge_words(row).join(", "),
                row.notes.as_deref().map(text).unwrap_or_default(),
                source(row),
            );
        }
        out += "\n";
    }
    rejected_table(&mut out, &page.rejected, &root);
    out
}

pub fn model(page: &ModelPage) -> String {
    let root = root_of(&page.page);
    let mut out = format!("# `{}`\n\n[All leaderboards]({root}index.md)\n\n", code(&page.id));
    if !page.results.is_empty() {
        out += "| Benchmark | Task | Value | Date | Badges | Notes | Source |\n";
        out += "|---|---|---:|---|---|---|---|\n";
        for row in &page.results {
            let board = row.leaderboard.strip_suffix(".html").unwrap_or(&row.leaderboard);
            let _ = writeln!(
                out,
                "| [{}]({root}{}.md) | {} | {} | {} | {} | {} | {} |",
                text(&row.benchmark),
                url(board),
                text(&row.task),
                value(row.value),
                text(&row.date),
                badge_words(row).join(", "),
                row.notes.as_deref().map(text).unwrap_or_default(),
                source(row),
            );
        }
        out += "\n";
    }
    rejected_table(&mut out, &page.rejected, &root);
    out
}

pub fn index(index: &Index) -> String {
    let mut out = String::from("# Leaderboards\n\n## Benchmarks\n\n");
    if index.benchmarks.is_empty() {
        out += "No benchmarks yet.\n\n";
    } else {
        out += "| Benchmark | Name | Tasks | Results |\n|---|---|---|---:|\n";
        for b in &index.benchmarks {
            let tasks: Vec<String> = b.info.tasks.iter().map(|t| text(t)).collect();
            let _ = writeln!(
                out,
                "| [{}]({}.md) | {} | {} | {} |",
                text(&b.info.id),
                url(&b.page),
                text(&b.info.name),
                tasks.join(", "),
                b.results
            );
        }
        out += "\n";
    }
    out += "## Models\n\n";
    if index.models.is_empty() {
        out += "No results yet.\n\n";
    } else {
        out += "| Model | Results | Rejected |\n|---|---:|---:|\n";
        for m in &index.models {
            let _ = writeln!(
                out,
                "| [{}]({}.md) | {} | {} |",
                text(&m.id),
                url(&m.page),
                m.results,
                m.rejected
            );
        }
        out += "\n";
    }
    let _ = writeln!(out, "[Rejected results](rejected.md): {}", index.rejected);
    out
}

pub fn rejected(page: &RejectedPage) -> String {
    let mut out = String::from("# Rejected results\n\n[All leaderboards](index.md)\n\n");
    if page.rejected.is_empty() {
        out += "None.\n";
    }
    rejected_table(&mut out, &page.rejected, "");
    out
}

fn rejected_table(out: &mut String, rejected: &[Rejected], root: &str) {
    if rejected.is_empty() {
        return;
    }
    *out += "## Rejected\n\n";
    *out += "| Model | Benchmark | Task | Value | Ref | File | Findings |\n";
    *out += "|---|---|---|---:|---|---|---|\n";
    for item in rejected {
        let reference = match &item.community {
            Some(review) => format!("{} ({})", text(&item.origin.reference), review_label(review)),
            None => text(&item.origin.reference),
        };
        let file = match item.origin.entry {
            Some(entry) => format!("{} (entry {})", text(&item.origin.file), entry + 1),
            None => text(&item.origin.file),
        };
        let findings: Vec<String> = item
            .findings
            .iter()
            .map(|p| match p.line {
                Some(line) => format!("`{}` line {line}: {}", code(&p.code), text(&p.message)),
                None => format!("`{}`: {}", code(&p.code), text(&p.message)),
            })
            .collect();
        let _ = writeln!(
            out,
            "| [{}]({root}models/{}.md) | {} | {} | {} | {reference} | {file} | {} |",
            text(&item.model),
            url(&item.model),
            item.benchmark.as_deref().map(text).unwrap_or_default(),
            item.task.as_deref().map(text).unwrap_or_default(),
            item.value.map(value).unwrap_or_default(),
            findings.join("<br>"),
        );
    }
    *out += "\n";
}

fn source(row: &Row) -> String {
    let Some(source) = &row.source else { return String::new() };
    let label = source.name.as_deref().unwrap_or("source");
    if linkable(&source.url) {
        format!("[{}]({})", text(label), url(&source.url))
    } else {
        text(label)
    }
}

/// Text from a repository, safe in a Markdown table cell.
fn text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in clean(raw).chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '&' | '~' | '#') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Text inside a code span: backticks and bars cannot be escaped there, so
/// they are replaced.
fn code(raw: &str) -> String {
    clean(raw).replace('`', "'").replace('|', "¦")
}

/// A link target: characters that would end it or the table cell are
/// percent-encoded.
fn url(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in clean(raw).chars() {
        match c {
            ' ' | '(' | ')' | '<' | '>' | '|' | '[' | ']' | '\\' | '`' => {
                let _ = write!(out, "%{:02X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repository_text_cannot_break_a_table_or_add_markup() {
        assert_eq!(text("a|b *c* <script>\n"), "a\\|b \\*c\\* \\<script\\>\\\\u{a}");
        assert_eq!(url("https://x.org/a (b)|c"), "https://x.org/a%20%28b%29%7Cc");
        assert_eq!(code("a`b|c"), "a'b¦c");
    }
}
