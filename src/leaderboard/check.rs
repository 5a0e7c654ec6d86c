//! From the results files a repository holds to leaderboard rows and
//! rejected items, with the rules the hook applies.
//!
//! A file is checked with [`crate::rules::check`] against a registry made
//! of the benchmarks found, so an unknown benchmark or task is the same
//! `unknown-benchmark` / `unknown-task` finding a push would get. Errors are
//! tied to the entry they are about; an entry with errors is rejected, the
//! others stand. An error about the whole file (broken YAML, not a list)
//! rejects the file.
//!
//! # Notes
//! - Warnings never keep a result off a board.
//! - With `tokens.mode = "verify"` a token that does not verify is an
//!   error, so the result is rejected; in the other modes it only gets no
//!   `verified` badge.

use std::collections::HashSet;
use std::sync::Arc;

use crate::config::{Config, StaticBenchmark, TokenKey};
use crate::finding::Finding;
use crate::leaderboard::scan::{ResultsFile, Scanned};
use crate::leaderboard::{
    Badges, BenchmarkInfo, Checked, DateSource, Origin, Problem, Rejected, Row, Source,
    benchmark_page,
};
use crate::registry::Registry;
use crate::rules::{self, Kind, Settings};
use crate::token;
use crate::yaml::{self, Document, NodeId, Scalar};

/// What checking needs: the rules' settings and the keys for badges.
#[derive(Clone, Debug)]
pub struct Checker {
    pub settings: Settings,
    pub keys: Vec<TokenKey>,
    /// Now, Unix seconds, for token expiry.
    pub now: i64,
}

impl Checker {
    /// The checker for a configuration and the benchmarks the site knows.
    pub fn new(config: &Config, benchmarks: &[BenchmarkInfo]) -> Checker {
        let mut settings = config.settings();
        let statics = benchmarks
            .iter()
            .map(|b| StaticBenchmark { id: b.id.clone(), tasks: b.tasks.clone() })
            .collect();
        settings.registry = Some(Arc::new(Registry::of_benchmarks(statics)));
        let now = settings.tokens.now;
        Checker { settings, keys: config.token_keys.clone(), now }
    }

    /// Checks every file a repository holds.
    pub fn check(&self, scanned: &Scanned) -> Checked {
        let mut settings = self.settings.clone();
        settings.tokens.model = Some(scanned.id.clone());
        let mut checked = Checked { model: scanned.id.clone(), ..Checked::default() };
        let mut on_default = HashSet::new();
        for file in scanned.files.iter().filter(|f| !f.community) {
            self.check_file(file, &settings, &mut on_default, &mut checked);
        }
        for file in scanned.files.iter().filter(|f| f.community) {
            self.check_file(file, &settings, &mut on_default, &mut checked);
        }
        checked
    }

    fn check_file(
        &self,
        file: &ResultsFile,
        settings: &Settings,
        on_default: &mut HashSet<String>,
        out: &mut Checked,
    ) {
        let model = &out.model;
        let errors: Vec<Finding> = rules::check(Kind::EvalResults, &file.bytes, settings)
            .findings
            .into_iter()
            .filter(Finding::is_error)
            .collect();
        let community = file.community.then(|| file.reference.clone());
        let origin = |entry| Origin {
            file: file.path.clone(),
            reference: file.reference.clone(),
            commit: file.commit.clone(),
            entry,
        };
        let text = String::from_utf8_lossy(&file.bytes);
        let doc = yaml::parse(&text, &settings.limits).0;
        let items = doc.as_ref().and_then(|d| d.root().and_then(|r| d.as_seq(r)));
        let (Some(doc), Some(items)) = (doc.as_ref(), items) else {
            if !errors.is_empty() {
                let findings = errors.iter().map(problem).collect();
                out.rejected.push(whole_file(model, community, origin(None), findings));
            }
            return;
        };

        let mut per_entry = vec![Vec::new(); items.len()];
        let mut file_level = Vec::new();
        for error in &errors {
            match entry_of(doc, items, error) {
                Some(index) => per_entry[index].push(problem(error)),
                None => file_level.push(problem(error)),
            }
        }
        if !file_level.is_empty() {
            out.rejected.push(whole_file(model, community, origin(None), file_level));
            return;
        }

        for (index, (&item, problems)) in items.iter().zip(per_entry).enumerate() {
            // A review ref repeats what the default branch has; only what
            // differs is a community result.
            let key = doc.to_json(item).to_string();
            if community.is_none() {
                on_default.insert(key);
            } else if on_default.contains(&key) {
                continue;
            }
            let fields = Fields::read(doc, item);
            if problems.is_empty()
                && let Some(row) = self.row(model, &fields, file, origin(Some(index)), doc, item)
            {
                out.rows.push(row);
                continue;
            }
            out.rejected.push(Rejected {
                model: model.clone(),
                benchmark: fields.dataset.map(str::to_owned),
                task: fields.task.map(str::to_owned),
                value: fields.value,
                community: community.clone(),
                origin: origin(Some(index)),
                findings: problems,
            });
        }
    }

    fn row(
        &self,
        model: &str,
        fields: &Fields<'_>,
        file: &ResultsFile,
        origin: Origin,
        doc: &Document,
        item: NodeId,
    ) -> Option<Row> {
        let benchmark = fields.dataset?.to_owned();
        let (date, date_source) = match fields.date {
            Some(date) => (date.to_owned(), DateSource::Entry),
            None => (token::date_of(file.time), DateSource::Commit),
        };
        let verified = match (fields.token, crate::rules::tokens::entry(doc, item)) {
            (Some(token), Some(entry)) if !self.keys.is_empty() => {
                token::verify(token, &entry, &self.keys, Some(model), self.now).is_ok()
            }
            _ => false,
        };
        Some(Row {
            rank: None,
            model: model.to_owned(),
            task: fields.task?.to_owned(),
            value: fields.value?,
            date,
            date_source,
            notes: fields.notes.map(str::to_owned),
            badges: Badges {
                verified,
                community: file.community.then(|| file.reference.clone()),
                source: fields.source.is_some(),
            },
            source: fields.source.clone(),
            leaderboard: format!("{}.html", benchmark_page(&benchmark)),
            benchmark,
            origin,
        })
    }
}

fn whole_file(
    model: &str,
    community: Option<String>,
    origin: Origin,
    findings: Vec<Problem>,
) -> Rejected {
    Rejected {
        model: model.to_owned(),
        benchmark: None,
        task: None,
        value: None,
        community,
        origin,
        findings,
    }
}

fn problem(finding: &Finding) -> Problem {
    Problem {
        code: finding.code.as_str().to_owned(),
        message: finding.message.clone(),
        line: finding.span.map(|s| s.line),
    }
}

/// The entry a finding is about: by its YAML path (`[2].value`), else by
/// the line it is on; `None` for the whole file.
fn entry_of(doc: &Document, items: &[NodeId], finding: &Finding) -> Option<usize> {
    let by_path = finding
        .yaml_path
        .strip_prefix('[')
        .and_then(|rest| rest.split(']').next())
        .and_then(|n| n.parse::<usize>().ok())
        .filter(|&n| n < items.len());
    by_path.or_else(|| {
        let line = finding.span?.line;
        items.iter().position(|&item| {
            let span = doc.span(item);
            (span.line..=span.end_line).contains(&line)
        })
    })
}

/// The fields of an entry a board shows, where they have the right type.
struct Fields<'d> {
    dataset: Option<&'d str>,
    task: Option<&'d str>,
    value: Option<f64>,
    date: Option<&'d str>,
    notes: Option<&'d str>,
    token: Option<&'d str>,
    source: Option<Source>,
}

impl<'d> Fields<'d> {
    fn read(doc: &'d Document, item: NodeId) -> Fields<'d> {
        let text = |map: NodeId, key: &str| match doc.scalar(doc.get(map, key)?.1) {
            Some(Scalar::Str(s)) => Some(s),
            _ => None,
        };
        let dataset = doc.get(item, "dataset").map(|(_, d)| d);
        let value = doc.get(item, "value").and_then(|(_, v)| match doc.scalar(v) {
            Some(Scalar::Int(i)) => Some(i as f64),
            Some(Scalar::Float(f)) if f.is_finite() => Some(f),
            _ => None,
        });
        let source = doc.get(item, "source").and_then(|(_, s)| {
            Some(Source {
                url: text(s, "url")?.to_owned(),
                name: text(s, "name").map(str::to_owned),
                user: text(s, "user").map(str::to_owned),
                org: text(s, "org").map(str::to_owned),
            })
        });
        Fields {
            dataset: dataset.and_then(|d| text(d, "id")),
            task: dataset.and_then(|d| text(d, "task_id")),
            value,
            date: text(item, "date"),
            notes: text(item, "notes"),
            token: text(item, "verifyToken"),
            source,
        }
    }
}
