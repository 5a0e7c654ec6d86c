//! Reading the server's repositories for leaderboards: which are
//! benchmarks, and which results files each holds on its default branch
//! and on its review refs.
//!
//! Nothing is checked here; [`super::check`] does that once every
//! benchmark is known.

use std::path::{Path, PathBuf};

use crate::git::{self, EntryKind, Repo};
use crate::leaderboard::{BenchmarkInfo, review_ref};
use crate::rules::eval_results::repo_id_problem;
use crate::yaml::{self, Limits, Scalar};

/// How far back a file's last change is looked for, in first parents.
pub const MAX_HISTORY: usize = 200;

/// Why a repository could not be read.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("could not read the repository `{}`", path.display())]
    Repo {
        path: PathBuf,
        #[source]
        source: git::Error,
    },
}

/// A repository on the server and its id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// `owner/name`, from its path under the root, `.git` taken off.
    pub id: String,
    pub path: PathBuf,
}

/// A results file as read from one ref.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResultsFile {
    /// The path in the repository, as `.eval_results/gpqa.yaml`.
    pub path: String,
    /// The ref it was read on.
    pub reference: String,
    /// Whether the ref is a review ref.
    pub community: bool,
    pub blob: String,
    /// The commit that last changed the file on that ref.
    pub commit: String,
    /// That commit's committer time, Unix seconds.
    pub time: i64,
    pub bytes: Vec<u8>,
}

/// What one repository holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scanned {
    pub id: String,
    pub benchmark: Option<BenchmarkInfo>,
    /// The default branch's files first, then each review ref's files that
    /// differ from the default branch's file of the same name.
    pub files: Vec<ResultsFile>,
}

/// The bare repositories below `root` whose path gives a Hub id.
///
/// # Notes
/// - A folder with `HEAD`, `objects/` and `refs/` is a repository; its
///   inside is not searched further.
/// - Only `<owner>/<name>[.git]` two levels down gives an id; repositories
///   deeper (GitLab subgroups, hashed storage) or with ids the Hub would not
///   take are skipped.
pub fn find_repositories(root: &Path) -> Vec<Found> {
    let mut found = Vec::new();
    let Ok(owners) = std::fs::read_dir(root) else { return found };
    for owner in owners.flatten() {
        let Ok(repos) = std::fs::read_dir(owner.path()) else { continue };
        for repo in repos.flatten() {
            let path = repo.path();
            if !is_repository(&path) {
                continue;
            }
            let owner = owner.file_name().to_string_lossy().into_owned();
            let name = repo.file_name().to_string_lossy().into_owned();
            let name = name.strip_suffix(".git").unwrap_or(&name).to_owned();
            let id = format!("{owner}/{name}");
            if repo_id_problem(&id).is_none() && !name.ends_with(".wiki") {
                found.push(Found { id, path });
            }
        }
    }
    found.sort_by(|a, b| a.id.cmp(&b.id));
    found
}

fn is_repository(path: &Path) -> bool {
    path.join("HEAD").is_file() && path.join("objects").is_dir() && path.join("refs").is_dir()
}

/// The id of the repository at `git_dir` under one of `roots`, if any.
pub fn id_under(roots: &[PathBuf], git_dir: &Path) -> Option<String> {
    let real = git_dir.canonicalize().ok()?;
    for root in roots {
        let Ok(root) = root.canonicalize() else { continue };
        let Ok(rest) = real.strip_prefix(&root) else { continue };
        let parts: Vec<String> =
            rest.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
        if let [owner, name] = &parts[..] {
            let name = name.strip_suffix(".git").unwrap_or(name);
            let id = format!("{owner}/{name}");
            if repo_id_problem(&id).is_none() {
                return Some(id);
            }
        }
    }
    None
}

/// Reads what one repository holds.
pub fn scan(found: &Found) -> Result<Scanned, Error> {
    let error = |source| Error::Repo { path: found.path.clone(), source };
    let repo = Repo::open_at(&found.path).map_err(error)?;
    read(&repo, &found.id).map_err(error)
}

fn read(repo: &Repo, id: &str) -> Result<Scanned, git::Error> {
    let benchmark = benchmark(repo, id)?;
    let mut files = Vec::new();
    let mut default_files = Vec::new();
    if let Some(branch) = repo.default_branch()?
        && let Some(tip) = repo.ref_commit(&branch)?
    {
        default_files = read_files(repo, &branch, &tip, false, &[], &mut files)?;
    }
    for review in repo.refs_matching(review_ref)? {
        read_files(repo, &review.name, &review.commit, true, &default_files, &mut files)?;
    }
    Ok(Scanned { id: id.to_owned(), benchmark, files })
}

/// Reads the results files of `tip` into `out`, skipping those whose
/// `(name, blob)` is in `skip`; returns every `(name, blob)` it saw.
fn read_files(
    repo: &Repo,
    reference: &str,
    tip: &crate::push::ObjectId,
    community: bool,
    skip: &[(String, String)],
    out: &mut Vec<ResultsFile>,
) -> Result<Vec<(String, String)>, git::Error> {
    let mut seen = Vec::new();
    for entry in repo.results_entries(tip)? {
        let path = format!(".eval_results/{}", entry.name);
        // The Hub reads only `.yaml` files directly in the folder.
        if entry.kind != EntryKind::File || crate::rules::hub_ignores(&path).is_some() {
            continue;
        }
        let key = (entry.name.clone(), entry.id.to_string());
        seen.push(key.clone());
        if skip.contains(&key) {
            continue;
        }
        let commit = repo.last_change(tip, &entry.name, &entry.id, MAX_HISTORY)?;
        out.push(ResultsFile {
            path,
            reference: reference.to_owned(),
            community,
            blob: entry.id.to_string(),
            time: repo.commit_time(&commit)?,
            commit: commit.to_string(),
            bytes: repo.read_blob(&entry.id)?,
        });
    }
    Ok(seen)
}

/// The benchmark a repository is, when its default branch has an `eval.yaml`.
fn benchmark(repo: &Repo, id: &str) -> Result<Option<BenchmarkInfo>, git::Error> {
    let Some((_, blob)) = repo.default_branch_eval_yaml()? else { return Ok(None) };
    let bytes = repo.read_blob(&blob)?;
    let text = String::from_utf8_lossy(&bytes);
    let (doc, _) = yaml::parse(&text, &Limits::default());
    let text_of = |doc: &yaml::Document, node| match doc.scalar(node) {
        Some(Scalar::Str(s)) => Some(s.to_owned()),
        _ => None,
    };
    let (name, tasks) = match &doc {
        Some(doc) => {
            let root = doc.root();
            let name = root.and_then(|r| doc.get(r, "name")).and_then(|(_, v)| text_of(doc, v));
            (name, crate::registry::task_ids(doc))
        }
        None => (None, Vec::new()),
    };
    Ok(Some(BenchmarkInfo {
        id: id.to_owned(),
        name: name.unwrap_or_else(|| id.to_owned()),
        tasks,
        source: "repository".into(),
    }))
}
