//! The site folder: a full build, and the update after one push.
//!
//! Every file is written to a temporary name in its own folder and renamed
//! over the old one, so a web server never serves half a page. A lock file
//! (`.evalgate.lock`, held with an exclusive `flock` for the whole build or
//! update) puts concurrent runs one after the other. Each update reads the
//! pushed repository as it is now, so when two pushes race, the later run
//! sees both and the site converges to what a full build would write.
//!
//! An update rewrites only what a push can change: the pushed repository's
//! model page, the pages of the benchmarks its old and new results name,
//! the rejected list and the index. The other models' rows on those
//! benchmark pages are taken from the pages' own JSON, which only a run
//! holding the lock writes.
//!
//! # Notes
//! - A push that makes a repository a benchmark, stops it being one, or
//!   changes its name or tasks can move any model's results between a
//!   board and the rejected list: it gets a full build.
//! - A changed configuration (`lower_is_better`, static benchmarks, keys)
//!   is seen by the next full build, not by updates.
//! - Without an index in the folder, an update is a full build.

use std::collections::{BTreeSet, HashSet};
use std::fs::{self, File};
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::leaderboard::check::Checker;
use crate::leaderboard::scan::{self, Found, Scanned};
use crate::leaderboard::{
    self as lb, BenchmarkInfo, BenchmarkPage, Checked, Index, ModelPage, RejectedPage, Site, render,
};
use crate::push::RefUpdate;

/// The lock file inside the site folder.
pub const LOCK: &str = ".evalgate.lock";

/// Why the site could not be built or updated.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("could not write `{}`", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("could not read `{}`", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("`{}` is not a leaderboard file of schema {}", path.display(), lb::SCHEMA)]
    Json {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    #[error("could not lock `{}`", path.display())]
    Lock {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "no repositories to read: give `--root` or configure `leaderboard.roots` or `registry.repositories`"
    )]
    NoRoots,
    #[error("the repository `{}` is not `<owner>/<name>` under a leaderboard root", path.display())]
    NotUnderRoot { path: PathBuf },
    #[error(transparent)]
    Scan(#[from] scan::Error),
}

/// What a full build did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Built {
    pub repositories: usize,
    pub benchmarks: usize,
    pub models: usize,
    pub results: usize,
    pub rejected: usize,
    pub files: usize,
    /// Repositories that could not be read, with why; they are left out.
    pub unreadable: Vec<String>,
}

/// What an update after a push did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Updated {
    /// The push changed no ref a leaderboard reads.
    Nothing,
    /// These files were rewritten or removed.
    Pages(Vec<String>),
    /// The whole site was built again, and why.
    Full(Built, &'static str),
}

/// The folders whose repositories are read: `leaderboard.roots`, else the
/// roots of the registry's templates.
pub fn roots(config: &Config) -> Vec<PathBuf> {
    if !config.leaderboard.roots.is_empty() {
        return config.leaderboard.roots.clone();
    }
    let mut roots: Vec<PathBuf> =
        config.repositories.iter().map(crate::registry::template_root).collect();
    roots.sort();
    roots.dedup();
    roots
}

/// Builds the whole site from every repository under `roots` into `out`.
pub fn build(config: &Config, roots: &[PathBuf], out: &Path) -> Result<Built, Error> {
    let _lock = lock(out)?;
    build_locked(config, roots, out)
}

fn build_locked(config: &Config, roots: &[PathBuf], out: &Path) -> Result<Built, Error> {
    if roots.is_empty() {
        return Err(Error::NoRoots);
    }
    let mut found: Vec<Found> =
        roots.iter().flat_map(|root| scan::find_repositories(root)).collect();
    found.sort_by(|a, b| a.id.cmp(&b.id));
    found.dedup_by(|a, b| a.id == b.id);

    let (scanned, unreadable) = scan_all(&found);
    let benchmarks = benchmarks_of(config, &scanned);
    let checker = Checker::new(config, &benchmarks);
    let checked: Vec<Checked> = scanned.iter().map(|s| checker.check(s)).collect();
    let site = lb::assemble(benchmarks, checked, &config.leaderboard);

    let mut written = HashSet::new();
    for file in site_files(&site) {
        write(out, &file)?;
        written.insert(file.path);
    }
    remove_stale(out, &written)?;
    Ok(Built {
        repositories: found.len(),
        benchmarks: site.benchmarks.len(),
        models: site.models.len(),
        results: site.models.iter().map(|m| m.results.len()).sum(),
        rejected: site.rejected.rejected.len(),
        files: written.len(),
        unreadable,
    })
}

/// Reads every repository, on as many threads as the machine has cores.
fn scan_all(found: &[Found]) -> (Vec<Scanned>, Vec<String>) {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
    let chunk = found.len().div_ceil(threads).max(1);
    let results: Vec<Vec<Result<Scanned, scan::Error>>> = std::thread::scope(|scope| {
        let workers: Vec<_> = found
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(scan::scan).collect::<Vec<_>>()))
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().unwrap_or_else(|_| panic!("BUG: a leaderboard scan thread panicked")))
            .collect()
    });
    let mut scanned = Vec::new();
    let mut unreadable = Vec::new();
    for result in results.into_iter().flatten() {
        match result {
            Ok(repo) => scanned.push(repo),
            Err(error) => unreadable.push(chain(&error)),
        }
    }
    (scanned, unreadable)
}

/// The benchmarks the site knows: those in the configuration, then the
/// repositories with an `eval.yaml` (the configuration wins for an id in
/// both, as in the registry).
fn benchmarks_of(config: &Config, scanned: &[Scanned]) -> Vec<BenchmarkInfo> {
    let mut benchmarks: Vec<BenchmarkInfo> = config
        .benchmarks
        .iter()
        .map(|b| BenchmarkInfo {
            id: b.id.clone(),
            name: b.id.clone(),
            tasks: b.tasks.clone(),
            source: "configuration".into(),
        })
        .collect();
    for repo in scanned {
        if let Some(info) = &repo.benchmark
            && !benchmarks.iter().any(|b| b.id == info.id)
        {
            benchmarks.push(info.clone());
        }
    }
    benchmarks.sort_by(|a, b| a.id.cmp(&b.id));
    benchmarks
}

fn site_files(site: &Site) -> Vec<render::File> {
    let mut files = render::index(&site.index);
    files.extend(render::rejected(&site.rejected));
    for page in &site.benchmarks {
        files.extend(render::benchmark(page));
    }
    for page in &site.models {
        files.extend(render::model(page));
    }
    files
}

/// Updates the site after a push to the repository at `git_dir`.
pub fn update(
    config: &Config,
    roots: &[PathBuf],
    out: &Path,
    git_dir: &Path,
    updates: &[RefUpdate],
) -> Result<Updated, Error> {
    let _lock = lock(out)?;
    let Some(index) = read_json::<Index>(&out.join("index.json"))? else {
        return Ok(Updated::Full(build_locked(config, roots, out)?, "the site had no index"));
    };
    let id = scan::id_under(roots, git_dir)
        .ok_or_else(|| Error::NotUnderRoot { path: git_dir.to_owned() })?;
    let scanned = scan::scan(&Found { id: id.clone(), path: git_dir.to_owned() })?;

    let known: Vec<BenchmarkInfo> = index.benchmarks.iter().map(|b| b.info.clone()).collect();
    let was = known.iter().find(|b| b.id == id && b.source == "repository");
    // A benchmark the configuration names is the configuration's, whatever
    // the repository holds.
    let is = scanned.benchmark.as_ref().filter(|_| !config.benchmarks.iter().any(|b| b.id == id));
    if was != is {
        let built = build_locked(config, roots, out)?;
        return Ok(Updated::Full(built, "the push changed a benchmark"));
    }
    // Only the default branch and review refs hold results a board shows.
    let default = crate::git::Repo::open_at(git_dir)
        .and_then(|repo| repo.default_branch())
        .map_err(|source| scan::Error::Repo { path: git_dir.to_owned(), source })?;
    let relevant = |u: &RefUpdate| Some(&u.name) == default.as_ref() || lb::review_ref(&u.name);
    if !updates.iter().any(relevant) && scanned.benchmark.is_none() {
        return Ok(Updated::Nothing);
    }

    let checked = Checker::new(config, &known).check(&scanned);
    let mut written = Vec::new();
    let old_model = read_json::<ModelPage>(&out.join(format!("{}.json", lb::model_page(&id))))?;
    let touched = touched(&known, &id, old_model.as_ref(), &checked);
    let mut index = index;
    for info in known.iter().filter(|b| touched.contains(&b.id)) {
        let page = update_benchmark(out, info, &id, &checked, config)?;
        if let Some(entry) = index.benchmarks.iter_mut().find(|b| b.info.id == info.id) {
            *entry = lb::index_benchmark(&page);
        }
        written.extend(write_all(out, render::benchmark(&page))?);
    }
    written.extend(update_model(out, &id, &checked, &mut index)?);
    written.extend(update_rejected(out, &id, &checked, &mut index)?);
    written.extend(write_all(out, render::index(&index))?);
    Ok(Updated::Pages(written))
}

/// The known benchmarks whose pages a push to `id` can change.
fn touched(
    known: &[BenchmarkInfo],
    id: &str,
    old: Option<&ModelPage>,
    new: &Checked,
) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    if let Some(old) = old {
        ids.extend(old.results.iter().map(|r| r.benchmark.clone()));
        ids.extend(old.rejected.iter().filter_map(|r| r.benchmark.clone()));
    }
    ids.extend(new.rows.iter().map(|r| r.benchmark.clone()));
    ids.extend(new.rejected.iter().filter_map(|r| r.benchmark.clone()));
    ids.insert(id.to_owned());
    ids.retain(|b| known.iter().any(|k| &k.id == b));
    ids
}

fn update_benchmark(
    out: &Path,
    info: &BenchmarkInfo,
    model: &str,
    checked: &Checked,
    config: &Config,
) -> Result<BenchmarkPage, Error> {
    // TODO: a compact store of other models' rows; meanwhile the page's own
    // pretty JSON is read and written whole (about 200 ms at 10,000 rows).
    let path = out.join(format!("{}.json", lb::benchmark_page(&info.id)));
    let old = read_json::<BenchmarkPage>(&path)?;
    let (mut rows, mut rejected) = match old {
        Some(page) => (
            page.tasks.into_iter().flat_map(|t| t.results).filter(|r| r.model != model).collect(),
            page.rejected.into_iter().filter(|r| r.model != model).collect::<Vec<_>>(),
        ),
        None => (Vec::new(), Vec::new()),
    };
    rows.extend(checked.rows.iter().filter(|r| r.benchmark == info.id).cloned());
    let mine = checked.rejected.iter().filter(|r| r.benchmark.as_deref() == Some(&info.id));
    rejected.extend(mine.cloned());
    Ok(lb::assemble_benchmark(info, rows, rejected, &config.leaderboard))
}

fn update_model(
    out: &Path,
    id: &str,
    checked: &Checked,
    index: &mut Index,
) -> Result<Vec<String>, Error> {
    index.models.retain(|m| m.id != id);
    let stem = lb::model_page(id);
    if checked.rows.is_empty() && checked.rejected.is_empty() {
        let mut removed = Vec::new();
        for ext in ["json", "md", "html"] {
            let path = format!("{stem}.{ext}");
            match fs::remove_file(out.join(&path)) {
                Ok(()) => removed.push(path),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(source) => return Err(Error::Write { path: out.join(path), source }),
            }
        }
        return Ok(removed);
    }
    let page = lb::assemble_model(id, checked.rows.clone(), checked.rejected.clone());
    index.models.push(lb::index_model(&page));
    index.models.sort_by(|a, b| a.id.cmp(&b.id));
    write_all(out, render::model(&page))
}

fn update_rejected(
    out: &Path,
    id: &str,
    checked: &Checked,
    index: &mut Index,
) -> Result<Vec<String>, Error> {
    let path = out.join("rejected.json");
    let mut page = read_json::<RejectedPage>(&path)?.unwrap_or(RejectedPage {
        schema: lb::SCHEMA,
        kind: "rejected".into(),
        rejected: Vec::new(),
    });
    page.rejected.retain(|r| r.model != id);
    page.rejected.extend(checked.rejected.iter().cloned());
    lb::sort_rejected(&mut page.rejected);
    index.rejected = page.rejected.len();
    write_all(out, render::rejected(&page))
}

fn write_all(out: &Path, files: Vec<render::File>) -> Result<Vec<String>, Error> {
    let mut paths = Vec::new();
    for file in files {
        write(out, &file)?;
        paths.push(file.path);
    }
    Ok(paths)
}

/// Writes a file through a temporary name in the same folder and a rename.
fn write(out: &Path, file: &render::File) -> Result<(), Error> {
    let path = out.join(&file.path);
    let error = |source| Error::Write { path: path.clone(), source };
    let dir = path.parent().unwrap_or(out);
    fs::create_dir_all(dir).map_err(error)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    fs::write(&temp, &file.text).map_err(error)?;
    fs::rename(&temp, &path).map_err(|source| {
        let _ = fs::remove_file(&temp);
        error(source)
    })
}

/// Removes page files under `benchmarks/` and `models/` that a full build
/// did not write: pages of repositories that are gone or hold no results.
fn remove_stale(out: &Path, written: &HashSet<String>) -> Result<(), Error> {
    for top in ["benchmarks", "models"] {
        let mut stack = vec![out.join(top)];
        while let Some(dir) = stack.pop() {
            let Ok(entries) = fs::read_dir(&dir) else { continue };
            for entry in entries.flatten() {
                let path = entry.path();
                if entry.file_type().is_ok_and(|t| t.is_dir()) {
                    stack.push(path);
                    continue;
                }
                let Ok(relative) = path.strip_prefix(out) else { continue };
                let relative = relative.to_string_lossy().replace('\\', "/");
                let page = [".json", ".md", ".html"].iter().any(|ext| relative.ends_with(ext));
                if page && !written.contains(&relative) {
                    fs::remove_file(&path).map_err(|source| Error::Write { path, source })?;
                }
            }
        }
    }
    Ok(())
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<Option<T>, Error> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(Error::Read { path: path.to_owned(), source }),
    };
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|source| Error::Json { path: path.to_owned(), source })
}

/// Takes the site's lock, creating the folder and the lock file if needed;
/// released when the returned file is dropped (or the process ends).
fn lock(out: &Path) -> Result<File, Error> {
    let path = out.join(LOCK);
    let error = |source| Error::Lock { path: path.clone(), source };
    fs::create_dir_all(out).map_err(error)?;
    let file =
        File::options().create(true).truncate(false).write(true).open(&path).map_err(error)?;
    file.lock().map_err(error)?;
    Ok(file)
}

fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text += &format!(": {cause}");
        source = cause.source();
    }
    text
}
