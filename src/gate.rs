//! The gate: which refs of a push to check, against what, and the verdict.
//!
//! For each ref a push updates, the gate finds the eval files that the push
//! makes new or different ([`git::Repo::changes`]) and checks each distinct
//! blob once with [`rules::check`]. Files the push does not change are never
//! blamed. What the pusher sees is [`crate::report`]'s job; this module only
//! returns values. It leaves out server policy beyond ref names (who may
//! push where), and it does not read push options.

use std::collections::HashMap;

use crate::bounded;
use crate::finding::Finding;
use crate::git::{self, EntryKind, Peeled, Repo};
use crate::push::{ObjectId, RefUpdate};
use crate::report::FileReport;
use crate::rules::{self, Checked, Kind, Settings};

/// Why a push could not be checked.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("could not check `{ref_name}`")]
    Ref { ref_name: String, source: git::Error },
    #[error("could not check `{path}` in `{ref_name}`")]
    File { ref_name: String, path: String, source: git::Error },
}

/// What the gate is told besides the push.
#[derive(Clone, Debug)]
pub struct Options {
    pub settings: Settings,
    /// Also check every commit new to the repository against its first parent.
    pub every_commit: bool,
    /// Ref globs to check (see [`crate::config::glob_matches`]).
    pub include: Vec<String>,
    /// Ref globs to let through even when included.
    pub exclude: Vec<String>,
}

impl Default for Options {
    fn default() -> Options {
        let config = crate::config::Config::default();
        Options {
            settings: config.settings(),
            every_commit: false,
            include: config.include,
            exclude: config.exclude,
        }
    }
}

impl Options {
    /// Whether a ref is checked: included and not excluded.
    pub fn checks_ref(&self, name: &str) -> bool {
        use crate::config::glob_matches;
        self.include.iter().any(|glob| glob_matches(glob, name))
            && !self.exclude.iter().any(|glob| glob_matches(glob, name))
    }
}

/// A ref that was in scope but could not be checked, to tell the pusher.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Skipped {
    /// A tag on a tree or blob: there is no commit with files to check.
    NotACommit { ref_name: String, kind: &'static str },
}

/// The outcome of checking a push.
#[derive(Clone, Debug, Default)]
pub struct Verdict {
    /// Every file checked, with or without findings, in push order.
    pub reports: Vec<FileReport>,
    /// The refs whose changes were checked, in push order.
    pub checked_refs: Vec<String>,
    pub skipped: Vec<Skipped>,
}

impl Verdict {
    /// Whether any finding is an error, which rejects the whole push.
    pub fn rejects(&self) -> bool {
        self.reports.iter().flat_map(|r| &r.findings).any(Finding::is_error)
    }

    /// The refs that carry an error, in push order.
    pub fn rejected_refs(&self) -> Vec<&str> {
        self.checked_refs
            .iter()
            .filter(|name| {
                self.reports.iter().any(|report| {
                    report.findings.iter().any(Finding::is_error)
                        && report.refs.iter().any(|label| ref_of(label) == name.as_str())
                })
            })
            .map(String::as_str)
            .collect()
    }
}

/// Checks every ref of a push.
///
/// # Notes
/// - Deletions are skipped; so are refs [`Options::checks_ref`] leaves out:
///   by default all but branches, tags, `refs/for/*` and `refs/pr/*`, so
///   refs a forge writes for itself (`refs/pull/*`, `refs/merge-requests/*`,
///   `refs/keep-around/*`, `refs/tmp/*`) never break its own work.
/// - Annotated tags are peeled; a tag on a tree or blob is [`Skipped`].
/// - The base of an update is the old tip, force pushes included. A new
///   ref is compared with where it forked from the default branch (`HEAD`),
///   a new `refs/for/<branch>/<topic>` with where it forked from
///   `<branch>`, and with an empty tree when there is no such fork point
///   (orphan branch, empty repository).
/// - A blob that several refs carry is checked once and reported once,
///   naming every ref.
/// - With [`Options::every_commit`], each commit reachable from a pushed tip
///   and from no existing ref is also compared with its first parent; its
///   findings name the ref and the commit.
pub fn check_push(repo: &Repo, updates: &[RefUpdate], options: &Options) -> Result<Verdict, Error> {
    let mut gate = Gate::new(repo, options);
    let mut known: Option<Vec<ObjectId>> = None;
    for update in updates {
        let Some(new) = &update.new else { continue };
        if !options.checks_ref(&update.name) {
            continue;
        }
        let ref_error = |source| Error::Ref { ref_name: update.name.clone(), source };
        let tip = match repo.peel_to_commit(new).map_err(ref_error)? {
            Peeled::Commit(tip) => tip,
            Peeled::NotACommit(kind) => {
                let ref_name = update.name.clone();
                gate.verdict.skipped.push(Skipped::NotACommit { ref_name, kind: kind.as_str() });
                continue;
            }
        };
        gate.verdict.checked_refs.push(update.name.clone());

        let base = base_of(repo, update, &tip).map_err(ref_error)?;
        gate.check_commit(base.as_ref(), &tip, &update.name)?;
        if options.every_commit {
            let known = match &mut known {
                Some(known) => known,
                None => known.insert(repo.known_commits().map_err(ref_error)?),
            };
            for commit in repo.new_commits(&tip, known).map_err(ref_error)? {
                let label = format!("{} at {}", update.name, commit.id.short());
                gate.check_commit(commit.first_parent.as_ref(), &commit.id, &label)?;
            }
        }
    }
    gate.flush();
    Ok(gate.verdict)
}

/// What to compare `tip` with, for the update of one ref.
fn base_of(
    repo: &Repo,
    update: &RefUpdate,
    tip: &ObjectId,
) -> Result<Option<ObjectId>, git::Error> {
    if let Some(old) = &update.old
        && let Peeled::Commit(old) = repo.peel_to_commit(old)?
    {
        return Ok(Some(old));
    }
    let target = match review_target(repo, &update.name)? {
        Some(branch) => Some(branch),
        None => match repo.default_branch()? {
            Some(name) => repo.ref_commit(&name)?,
            None => None,
        },
    };
    match target {
        Some(target) => repo.merge_base(tip, &target),
        None => Ok(None),
    }
}

/// For `refs/for/<branch>/<topic>`, the tip of the longest existing `<branch>`.
fn review_target(repo: &Repo, name: &str) -> Result<Option<ObjectId>, git::Error> {
    let Some(rest) = name.strip_prefix("refs/for/") else { return Ok(None) };
    let mut candidate = rest;
    loop {
        if let Some(tip) = repo.ref_commit(&format!("refs/heads/{candidate}"))? {
            return Ok(Some(tip));
        }
        match candidate.rsplit_once('/') {
            Some((shorter, _)) => candidate = shorter,
            None => return Ok(None),
        }
    }
}

/// The ref name in a report label (`refs/heads/x at 1a2b3c4d5e`).
fn ref_of(label: &str) -> &str {
    label.split_once(" at ").map_or(label, |(name, _)| name)
}

/// The state of one check: reports so far and the blobs already read.
///
/// Blobs are read one by one (gix's handles are not shared between
/// threads) and checked in batches, on every core when a batch is large:
/// a push of 1,000 result files spends most of its time in the checks.
struct Gate<'a> {
    repo: &'a Repo,
    settings: &'a Settings,
    verdict: Verdict,
    /// Index into `verdict.reports` by path and blob.
    seen: HashMap<(String, ObjectId), usize>,
    /// Checked blobs, by id and format.
    checked: HashMap<(ObjectId, Kind), Checked>,
    /// Blobs read and waiting to be checked, with the reports that wait for them.
    batch: Vec<Job>,
    /// Index into `batch` by id and format.
    queued: HashMap<(ObjectId, Kind), usize>,
    /// The bytes `batch` holds.
    batch_bytes: usize,
}

/// A blob to check, and the reports (indices into `verdict.reports`) that
/// take its findings.
struct Job {
    key: (ObjectId, Kind),
    bytes: Vec<u8>,
    reports: Vec<usize>,
}

/// What a changed path needs.
enum Examined {
    /// Its findings are known without a check of its content.
    Done(Checked),
    /// A blob to check as `Kind`; `bytes` is `None` when it was read already.
    Blob { key: (ObjectId, Kind), bytes: Option<Vec<u8>> },
}

/// A batch is checked once it holds this many blobs or bytes, so that the
/// blobs of a large push are never all in memory at once (only the text of
/// files with findings is kept, to show their lines).
const BATCH_BLOBS: usize = 1024;
const BATCH_BYTES: usize = 8 << 20;
/// Below this many blobs a batch is checked on one thread: starting
/// threads costs more than it saves.
const PARALLEL_FROM: usize = 64;

impl<'a> Gate<'a> {
    fn new(repo: &'a Repo, options: &'a Options) -> Gate<'a> {
        Gate {
            repo,
            settings: &options.settings,
            verdict: Verdict::default(),
            seen: HashMap::new(),
            checked: HashMap::new(),
            batch: Vec::new(),
            queued: HashMap::new(),
            batch_bytes: 0,
        }
    }

    fn check_commit(
        &mut self,
        base: Option<&ObjectId>,
        tip: &ObjectId,
        label: &str,
    ) -> Result<(), Error> {
        let ref_error = |source| Error::Ref { ref_name: ref_of(label).to_owned(), source };
        for changed in self.repo.changes(base, tip).map_err(ref_error)? {
            self.check_file(changed, label)?;
        }
        Ok(())
    }

    fn check_file(&mut self, changed: git::Changed, label: &str) -> Result<(), Error> {
        let key = (changed.path.clone(), changed.id.clone());
        if let Some(&index) = self.seen.get(&key) {
            // One label per ref: a later commit of the same ref adds nothing.
            let refs = &mut self.verdict.reports[index].refs;
            if !refs.iter().any(|l| ref_of(l) == ref_of(label)) {
                refs.push(label.to_owned());
            }
            return Ok(());
        }
        let examined = self.examine(&changed).map_err(|source| Error::File {
            ref_name: ref_of(label).to_owned(),
            path: changed.path.clone(),
            source,
        })?;
        let index = self.verdict.reports.len();
        self.seen.insert(key, index);
        self.verdict.reports.push(FileReport {
            path: changed.path,
            refs: vec![label.to_owned()],
            source: None,
            findings: Vec::new(),
        });
        match examined {
            Examined::Done(checked) => self.fill(index, checked),
            Examined::Blob { key, bytes: Some(bytes) } => {
                self.queued.insert(key.clone(), self.batch.len());
                self.batch_bytes += bytes.len();
                self.batch.push(Job { key, bytes, reports: vec![index] });
                if self.batch.len() >= BATCH_BLOBS || self.batch_bytes >= BATCH_BYTES {
                    self.flush();
                }
            }
            Examined::Blob { key, bytes: None } => match self.checked.get(&key) {
                Some(checked) => self.fill(index, checked.clone()),
                None => self.batch[self.queued[&key]].reports.push(index),
            },
        }
        Ok(())
    }

    fn fill(&mut self, index: usize, checked: Checked) {
        let report = &mut self.verdict.reports[index];
        report.source = checked.source;
        report.findings = checked.findings;
    }

    /// Keeps a file's text only when a finding will show a line of it, so
    /// that a large valid push does not hold every file it checked.
    fn without_unused_source(mut checked: Checked) -> Checked {
        if checked.findings.is_empty() {
            checked.source = None;
        }
        checked
    }

    /// Checks the blobs of the batch and hands their findings to their reports.
    fn flush(&mut self) {
        let batch = std::mem::take(&mut self.batch);
        self.queued.clear();
        self.batch_bytes = 0;
        let settings = self.settings;
        let check = |job: &Job| rules::check(job.key.1, &job.bytes, settings);
        // Asked only for a large batch: it reads the cgroup's CPU quota.
        let threads = match batch.len() {
            n if n < PARALLEL_FROM => 1,
            _ => std::thread::available_parallelism().map_or(1, |n| n.get().min(4)),
        };
        let results: Vec<Checked> = if threads == 1 {
            batch.iter().map(check).collect()
        } else {
            let chunk = batch.len().div_ceil(threads);
            std::thread::scope(|scope| {
                let workers: Vec<_> = batch
                    .chunks(chunk)
                    .map(|jobs| {
                        let work = move || jobs.iter().map(check).collect::<Vec<_>>();
                        // Named so that a panic is told as evalgate's (see `bounded`).
                        let thread = std::thread::Builder::new().name(bounded::WORKER.to_owned());
                        thread.spawn_scoped(scope, work).map_err(|_| jobs)
                    })
                    .collect();
                workers
                    .into_iter()
                    .flat_map(|worker| match worker {
                        Ok(worker) => match worker.join() {
                            Ok(results) => results,
                            Err(panic) => std::panic::resume_unwind(panic),
                        },
                        // No thread to be had: check here instead.
                        Err(jobs) => jobs.iter().map(check).collect(),
                    })
                    .collect()
            })
        };
        for (job, checked) in
            batch.into_iter().zip(results.into_iter().map(Self::without_unused_source))
        {
            for &index in &job.reports {
                self.fill(index, checked.clone());
            }
            self.checked.insert(job.key, checked);
        }
    }

    /// The findings for one changed path.
    ///
    /// # Notes
    /// - `.eval_results` that is not a folder, and `eval.yaml` that is not a
    ///   regular file (symlink, submodule, folder), are errors.
    /// - A path the Hub does not read gets its `ignored-path` warning only.
    /// - A blob over the size cap is judged by its header, never read.
    fn examine(&mut self, changed: &git::Changed) -> Result<Examined, git::Error> {
        // Findings made here get the configured severities too.
        let settings = self.settings;
        let only = |finding: Finding| {
            let mut findings = vec![finding];
            settings.adjust(&mut findings);
            Examined::Done(Checked { source: None, findings })
        };
        if changed.path == ".eval_results" {
            return Ok(only(rules::not_a_folder(entry_name(changed.kind))));
        }
        if let Some(ignored) = rules::hub_ignores(&changed.path) {
            return Ok(only(ignored));
        }
        match changed.kind {
            EntryKind::File => {}
            kind => return Ok(only(rules::not_a_file(entry_name(kind)))),
        }
        let Some(kind) = Kind::of_repo_path(&changed.path) else {
            return Ok(Examined::Done(Checked::default()));
        };

        let key = (changed.id.clone(), kind);
        if self.checked.contains_key(&key) || self.queued.contains_key(&key) {
            return Ok(Examined::Blob { key, bytes: None });
        }
        let cap = self.settings.limits.max_bytes;
        let size = self.repo.blob_size(&changed.id)?;
        if size > cap as u64 {
            return Ok(only(rules::too_large(size, cap)));
        }
        let bytes = self.repo.read_blob(&changed.id)?;
        Ok(Examined::Blob { key, bytes: Some(bytes) })
    }
}

/// How findings name a tree entry's kind: "file", "symbolic link", ...
fn entry_name(kind: EntryKind) -> &'static str {
    match kind {
        EntryKind::File => "file",
        EntryKind::Symlink => "symbolic link",
        EntryKind::Submodule => "submodule",
        EntryKind::Folder => "folder",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_scope_checks_branches_tags_and_review_refs_only() {
        let options = Options::default();
        for checked in [
            "refs/heads/main",
            "refs/heads/a/b",
            "refs/tags/v1",
            "refs/for/main/topic",
            "refs/pr/3",
        ] {
            assert!(options.checks_ref(checked), "{checked}");
        }
        for let_through in [
            "refs/pull/1/head",
            "refs/merge-requests/1/head",
            "refs/keep-around/abc",
            "refs/tmp/x",
            "refs/notes/commits",
            "refs/headsfoo",
        ] {
            assert!(!options.checks_ref(let_through), "{let_through}");
        }
    }

    #[test]
    fn labels_name_their_ref() {
        assert_eq!(ref_of("refs/heads/main"), "refs/heads/main");
        assert_eq!(ref_of("refs/heads/main at 0123456789"), "refs/heads/main");
    }
}
