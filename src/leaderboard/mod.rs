//! Leaderboards: the results the server's repositories hold, ranked per
//! benchmark and task, with badges, as JSON, Markdown and a static site.
//!
//! [`scan`] reads repositories (with [`crate::git`]); [`check`] turns the
//! results files it found into [`Row`]s and [`Rejected`] items with the
//! same rules the hook applies; [`assemble`] ranks them into pages;
//! [`render`] writes each page in three forms; [`site`] puts the files in a
//! folder, whole or one push at a time. What the JSON holds is documented
//! in `docs/leaderboard.md` (schema [`SCHEMA`]).
//!
//! # Notes
//! - Results are read on the default branch (the author's) and on review
//!   refs (community results, see [`review_ref`]), never on other branches
//!   or tags.
//! - Whether a review is still open is not known from git alone: every
//!   review ref present counts. Entries that the default branch also holds
//!   (a merged review) are not shown twice.

pub mod check;
pub mod render;
pub mod scan;
pub mod site;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::config::LeaderboardConfig;

/// The version of the JSON files' shape; see `docs/leaderboard.md`.
pub const SCHEMA: u32 = 1;

/// A benchmark the server knows: a repository with an `eval.yaml` on its
/// default branch, or one named in the configuration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BenchmarkInfo {
    pub id: String,
    /// The `name` of its `eval.yaml`; the id when it has none.
    pub name: String,
    /// The task ids it declares; empty when it declares none (then every
    /// task a result names gets a table).
    pub tasks: Vec<String>,
    /// `"repository"` or `"configuration"`.
    pub source: String,
}

/// Where a value came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    /// The path in the repository, as `.eval_results/gpqa.yaml`.
    pub file: String,
    /// The ref it was read on, as `refs/heads/main` or `refs/pr/1`.
    #[serde(rename = "ref")]
    pub reference: String,
    /// The commit that last changed the file on that ref.
    pub commit: String,
    /// The entry's position in the file, from 0; none for the whole file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry: Option<usize>,
}

/// The `source` block of an entry.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org: Option<String>,
}

/// What a result's badges say.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Badges {
    /// Its `verifyToken` verifies against the configured keys.
    pub verified: bool,
    /// The review ref it comes from, when it is a community result.
    pub community: Option<String>,
    /// It has a `source.url`.
    pub source: bool,
}

/// Where a date came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DateSource {
    /// The entry's own `date`.
    Entry,
    /// The committer date of the commit that last changed the file.
    Commit,
}

/// One accepted result.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// Its place on the task's board (ties share a rank); none on model pages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rank: Option<usize>,
    pub model: String,
    pub benchmark: String,
    pub task: String,
    pub value: f64,
    pub date: String,
    pub date_source: DateSource,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    pub badges: Badges,
    /// The benchmark's page, relative to the site's root.
    pub leaderboard: String,
    pub origin: Origin,
}

/// A finding that kept a result off the boards.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
}

/// A result (or a whole file) left out, with why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rejected {
    pub model: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub benchmark: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// The review ref, for a community result.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub community: Option<String>,
    pub origin: Origin,
    pub findings: Vec<Problem>,
}

/// Which way a task ranks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Order {
    HigherIsBetter,
    LowerIsBetter,
}

/// One task's board.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TaskBoard {
    pub id: String,
    pub order: Order,
    pub results: Vec<Row>,
}

/// A benchmark's page: a board per task, and what was left out.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BenchmarkPage {
    pub schema: u32,
    pub kind: String,
    /// The benchmark; its `tasks` are the ids it declares.
    #[serde(rename = "benchmark")]
    pub info: BenchmarkInfo,
    pub page: String,
    /// A board per task: declared tasks in their order, then any other
    /// task a result names (when the benchmark declares none).
    pub tasks: Vec<TaskBoard>,
    pub rejected: Vec<Rejected>,
}

/// A model repository's page: its results across benchmarks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelPage {
    pub schema: u32,
    pub kind: String,
    pub id: String,
    pub page: String,
    pub results: Vec<Row>,
    pub rejected: Vec<Rejected>,
}

/// A benchmark as the index lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexBenchmark {
    #[serde(flatten)]
    pub info: BenchmarkInfo,
    pub page: String,
    pub results: usize,
}

/// A model as the index lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexModel {
    pub id: String,
    pub page: String,
    pub results: usize,
    pub rejected: usize,
}

/// The site's index: every benchmark and model, and how many were left out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Index {
    pub schema: u32,
    pub kind: String,
    pub benchmarks: Vec<IndexBenchmark>,
    pub models: Vec<IndexModel>,
    pub rejected: usize,
}

/// Everything left out, across the server.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RejectedPage {
    pub schema: u32,
    pub kind: String,
    pub rejected: Vec<Rejected>,
}

/// The whole site's data.
#[derive(Clone, Debug, PartialEq)]
pub struct Site {
    pub index: Index,
    pub benchmarks: Vec<BenchmarkPage>,
    pub models: Vec<ModelPage>,
    pub rejected: RejectedPage,
}

/// A page's path without extension, relative to the site's root.
pub fn benchmark_page(id: &str) -> String {
    format!("benchmarks/{id}")
}

/// A model page's path without extension, relative to the site's root.
pub fn model_page(id: &str) -> String {
    format!("models/{id}")
}

/// Whether a ref is a review ref, whose results are community results:
/// `refs/pr/*` (the Hub), `refs/for/*` (Gerrit-style reviews),
/// `refs/pull/*/head` (Gitea, Forgejo, GitHub), `refs/merge-requests/*/head`
/// (GitLab).
pub fn review_ref(name: &str) -> bool {
    let numbered = |prefix: &str| {
        name.strip_prefix(prefix)
            .and_then(|rest| rest.strip_suffix("/head"))
            .is_some_and(|n| !n.is_empty() && !n.contains('/'))
    };
    name.strip_prefix("refs/pr/").is_some_and(|n| !n.is_empty())
        || name.strip_prefix("refs/for/").is_some_and(|n| !n.is_empty())
        || numbered("refs/pull/")
        || numbered("refs/merge-requests/")
}

/// A short name for a review ref: `PR #1`, `MR !1`, `review main/topic`.
pub fn review_label(name: &str) -> String {
    if let Some(n) = name.strip_prefix("refs/pr/") {
        return format!("PR #{n}");
    }
    if let Some(n) = name.strip_prefix("refs/pull/").and_then(|r| r.strip_suffix("/head")) {
        return format!("PR #{n}");
    }
    if let Some(n) = name.strip_prefix("refs/merge-requests/").and_then(|r| r.strip_suffix("/head"))
    {
        return format!("MR !{n}");
    }
    format!("review {}", name.strip_prefix("refs/for/").unwrap_or(name))
}

/// Builds one benchmark's page from its results and what was left out.
///
/// Rows may come in any order and with stale ranks; the page is the same
/// for the same set of rows.
pub fn assemble_benchmark(
    info: &BenchmarkInfo,
    rows: Vec<Row>,
    mut rejected: Vec<Rejected>,
    config: &LeaderboardConfig,
) -> BenchmarkPage {
    let mut by_task: BTreeMap<String, Vec<Row>> =
        info.tasks.iter().map(|t| (t.clone(), Vec::new())).collect();
    for mut row in rows {
        row.rank = None;
        by_task.entry(row.task.clone()).or_default().push(row);
    }
    // Declared tasks keep the order of `eval.yaml`; others follow by name.
    let mut order: Vec<String> = info.tasks.clone();
    order.extend(by_task.keys().filter(|t| !info.tasks.contains(t)).cloned());
    let tasks = order
        .into_iter()
        .filter_map(|task| {
            let results = by_task.remove(&task)?;
            let order = if config.lower_is_better(&info.id, &task) {
                Order::LowerIsBetter
            } else {
                Order::HigherIsBetter
            };
            Some(TaskBoard { results: rank(results, order), id: task, order })
        })
        .collect();
    sort_rejected(&mut rejected);
    BenchmarkPage {
        schema: SCHEMA,
        kind: "benchmark".into(),
        info: info.clone(),
        page: benchmark_page(&info.id),
        tasks,
        rejected,
    }
}

/// Sorts a task's rows best first and numbers them; ties share a rank.
///
/// Ties are listed by date (earlier first), then model, ref and file, so
/// the order never depends on the order the rows were read in.
pub fn rank(mut rows: Vec<Row>, order: Order) -> Vec<Row> {
    rows.sort_by(|a, b| {
        let by_value = match order {
            Order::HigherIsBetter => b.value.total_cmp(&a.value),
            Order::LowerIsBetter => a.value.total_cmp(&b.value),
        };
        by_value.then_with(|| a.date.cmp(&b.date)).then_with(|| row_key(a).cmp(&row_key(b)))
    });
    let mut previous: Option<f64> = None;
    let mut current = 0;
    for (i, row) in rows.iter_mut().enumerate() {
        if previous != Some(row.value) {
            current = i + 1;
            previous = Some(row.value);
        }
        row.rank = Some(current);
    }
    rows
}

fn row_key(row: &Row) -> (&str, &str, &str, Option<usize>) {
    let origin = &row.origin;
    (&row.model, &origin.reference, &origin.file, origin.entry)
}

/// Builds a model's page from its rows and rejected items.
pub fn assemble_model(id: &str, mut rows: Vec<Row>, mut rejected: Vec<Rejected>) -> ModelPage {
    for row in &mut rows {
        row.rank = None;
    }
    rows.sort_by(|a, b| {
        (&a.benchmark, &a.task)
            .cmp(&(&b.benchmark, &b.task))
            .then_with(|| row_key(a).cmp(&row_key(b)))
    });
    sort_rejected(&mut rejected);
    ModelPage {
        schema: SCHEMA,
        kind: "model".into(),
        id: id.to_owned(),
        page: model_page(id),
        results: rows,
        rejected,
    }
}

/// Orders rejected items by model, ref, file and entry.
pub fn sort_rejected(rejected: &mut [Rejected]) {
    rejected.sort_by(|a, b| {
        let key = |r: &Rejected| {
            (r.model.clone(), r.origin.reference.clone(), r.origin.file.clone(), r.origin.entry)
        };
        key(a).cmp(&key(b))
    });
}

/// What [`check`] made of one repository's files.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Checked {
    pub model: String,
    pub rows: Vec<Row>,
    pub rejected: Vec<Rejected>,
}

/// Builds the whole site from the benchmarks and every repository's results.
pub fn assemble(
    mut benchmarks: Vec<BenchmarkInfo>,
    repos: Vec<Checked>,
    config: &LeaderboardConfig,
) -> Site {
    benchmarks.sort_by(|a, b| a.id.cmp(&b.id));
    let mut rows_of: BTreeMap<String, Vec<Row>> = BTreeMap::new();
    let mut rejected_of: BTreeMap<String, Vec<Rejected>> = BTreeMap::new();
    let mut models = Vec::new();
    let mut all_rejected = Vec::new();
    for repo in repos {
        if repo.rows.is_empty() && repo.rejected.is_empty() {
            continue;
        }
        for row in &repo.rows {
            rows_of.entry(row.benchmark.clone()).or_default().push(row.clone());
        }
        for item in &repo.rejected {
            if let Some(benchmark) = &item.benchmark {
                rejected_of.entry(benchmark.clone()).or_default().push(item.clone());
            }
        }
        all_rejected.extend(repo.rejected.iter().cloned());
        models.push(assemble_model(&repo.model, repo.rows, repo.rejected));
    }
    models.sort_by(|a, b| a.id.cmp(&b.id));
    let pages: Vec<BenchmarkPage> = benchmarks
        .iter()
        .map(|info| {
            let rows = rows_of.remove(&info.id).unwrap_or_default();
            let rejected = rejected_of.remove(&info.id).unwrap_or_default();
            assemble_benchmark(info, rows, rejected, config)
        })
        .collect();
    sort_rejected(&mut all_rejected);
    let rejected = RejectedPage { schema: SCHEMA, kind: "rejected".into(), rejected: all_rejected };
    let index = index_of(&pages, &models, rejected.rejected.len());
    Site { index, benchmarks: pages, models, rejected }
}

/// The index of a set of pages.
pub fn index_of(benchmarks: &[BenchmarkPage], models: &[ModelPage], rejected: usize) -> Index {
    Index {
        schema: SCHEMA,
        kind: "index".into(),
        benchmarks: benchmarks.iter().map(index_benchmark).collect(),
        models: models.iter().map(index_model).collect(),
        rejected,
    }
}

pub fn index_benchmark(page: &BenchmarkPage) -> IndexBenchmark {
    IndexBenchmark {
        info: page.info.clone(),
        page: page.page.clone(),
        results: page.tasks.iter().map(|t| t.results.len()).sum(),
    }
}

pub fn index_model(page: &ModelPage) -> IndexModel {
    IndexModel {
        id: page.id.clone(),
        page: page.page.clone(),
        results: page.results.len(),
        rejected: page.rejected.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(model: &str, value: f64, date: &str) -> Row {
        Row {
            rank: None,
            model: model.into(),
            benchmark: "lab/bench".into(),
            task: "t".into(),
            value,
            date: date.into(),
            date_source: DateSource::Entry,
            notes: None,
            source: None,
            badges: Badges::default(),
            leaderboard: "benchmarks/lab/bench.html".into(),
            origin: Origin {
                file: ".eval_results/r.yaml".into(),
                reference: "refs/heads/main".into(),
                commit: "c".into(),
                entry: Some(0),
            },
        }
    }

    fn ranked(rows: Vec<Row>, order: Order) -> Vec<(String, usize)> {
        rank(rows, order).into_iter().map(|r| (r.model, r.rank.unwrap())).collect()
    }

    #[test]
    fn ranks_best_first_with_shared_ranks_for_ties() {
        let rows = vec![
            row("a/x", 0.5, "2026-01-02"),
            row("b/x", 0.9, "2026-01-01"),
            row("c/x", 0.5, "2026-01-01"),
            row("d/x", 0.1, "2026-01-01"),
        ];
        let expected = [("b/x", 1), ("c/x", 2), ("a/x", 2), ("d/x", 4)];
        let expected: Vec<(String, usize)> =
            expected.iter().map(|(m, r)| ((*m).to_owned(), *r)).collect();
        assert_eq!(ranked(rows.clone(), Order::HigherIsBetter), expected);
        let lower = ranked(rows, Order::LowerIsBetter);
        assert_eq!(lower[0], ("d/x".to_owned(), 1));
        assert_eq!(lower[3], ("b/x".to_owned(), 4));
    }

    #[test]
    fn review_refs_are_the_four_kinds_of_server() {
        for name in
            ["refs/pr/1", "refs/for/main", "refs/pull/12/head", "refs/merge-requests/3/head"]
        {
            assert!(review_ref(name), "{name}");
        }
        for name in ["refs/heads/main", "refs/pull/12/merge", "refs/pr/", "refs/tags/v1"] {
            assert!(!review_ref(name), "{name}");
        }
        assert_eq!(review_label("refs/pull/12/head"), "PR #12");
        assert_eq!(review_label("refs/merge-requests/3/head"), "MR !3");
        assert_eq!(review_label("refs/for/main/topic"), "review main/topic");
    }
}
