//! The leaderboard's files: each page as JSON, Markdown and HTML.
//!
//! This module writes the text of site files, not terminal output. Every
//! string that comes from a repository is escaped for where it goes:
//! HTML-escaped in pages, backslash-escaped in Markdown, and, everywhere,
//! control characters shown as `\u{..}` (as [`crate::report::clean`] does).

mod html;
mod markdown;

use serde::Serialize;

use crate::leaderboard::{BenchmarkPage, Index, ModelPage, RejectedPage, Row};

/// A file of the site: its path relative to the site's root, and its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct File {
    pub path: String,
    pub text: String,
}

/// The three files of a benchmark's page.
pub fn benchmark(page: &BenchmarkPage) -> Vec<File> {
    three(&page.page, page, markdown::benchmark(page), html::benchmark(page))
}

/// The three files of a model's page.
pub fn model(page: &ModelPage) -> Vec<File> {
    three(&page.page, page, markdown::model(page), html::model(page))
}

/// The three files of the index.
pub fn index(index: &Index) -> Vec<File> {
    three("index", index, markdown::index(index), html::index(index))
}

/// The three files of the rejected list.
pub fn rejected(page: &RejectedPage) -> Vec<File> {
    three("rejected", page, markdown::rejected(page), html::rejected(page))
}

fn three(stem: &str, data: &impl Serialize, md: String, html: String) -> Vec<File> {
    let json = match serde_json::to_string_pretty(data) {
        Ok(text) => text + "\n",
        Err(error) => unreachable!("BUG: leaderboard data does not serialise: {error}"),
    };
    vec![
        File { path: format!("{stem}.json"), text: json },
        File { path: format!("{stem}.md"), text: md },
        File { path: format!("{stem}.html"), text: html },
    ]
}

/// How deep a page is, as the `../` that leads back to the site's root.
fn root_of(page: &str) -> String {
    "../".repeat(page.matches('/').count())
}

/// A value as a board shows it: the shortest text that reads back the same.
fn value(value: f64) -> String {
    value.to_string()
}

/// The badges of a row, as words.
fn badge_words(row: &Row) -> Vec<String> {
    let mut words = Vec::new();
    if row.badges.verified {
        words.push("verified".to_owned());
    }
    if let Some(review) = &row.badges.community {
        words.push(format!("community ({})", crate::leaderboard::review_label(review)));
    }
    if row.badges.source {
        words.push("source".to_owned());
    }
    words
}

/// Whether a URL may be a link: absolute http(s) only.
fn linkable(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_find_the_root() {
        assert_eq!(root_of("benchmarks/lab/bench"), "../../");
        assert_eq!(root_of("index"), "");
    }
}
