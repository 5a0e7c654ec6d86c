//! The benchmarks a server knows, so that results can be checked against them.
//!
//! On the Hub a result counts only when `dataset.id` is a registered
//! benchmark and `task_id` is one of its tasks. A server's registry is its
//! configuration (see [`crate::config`]): repository path templates, whose
//! repositories' `eval.yaml` on the default branch lists the tasks, and a
//! static list for benchmarks that live elsewhere. Nothing is fetched from a
//! network.
//!
//! # Notes
//! - A `dataset.id` goes into a path only when it is a valid Hub id (no
//!   `..`, one `/`, safe characters), and the path found must stay under the
//!   template's root after symbolic links are resolved.
//! - Look-ups are cached for the life of the registry: one push.
//! - A benchmark whose only task has no `id` lists no task ids; its results
//!   are not checked for `task_id`.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::config::{Config, RepoTemplate, StaticBenchmark};
use crate::git::Repo;
use crate::push::Environment;
use crate::rules::eval_results::repo_id_problem;
use crate::yaml::{self, Limits, Scalar};

/// A benchmark and its tasks, with where they were found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Benchmark {
    pub id: String,
    pub tasks: Vec<String>,
    /// "configuration", or the repository path and branch.
    pub source: String,
}

/// What a look-up found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lookup {
    Found(Benchmark),
    /// No benchmark with that id.
    Unknown,
    /// The id cannot be a benchmark: it is not a valid Hub id. The rules
    /// already report it.
    Invalid,
    /// A repository that should hold it could not be read.
    Unreadable {
        path: PathBuf,
        reason: String,
    },
}

/// The server's benchmarks.
pub struct Registry {
    templates: Vec<RepoTemplate>,
    statics: Vec<StaticBenchmark>,
    cache: Mutex<HashMap<String, Lookup>>,
}

impl fmt::Debug for Registry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Registry")
            .field("templates", &self.templates)
            .field("statics", &self.statics)
            .finish_non_exhaustive()
    }
}

impl Registry {
    /// The registry a configuration describes; `None` when it describes none.
    pub fn from_config(config: &Config) -> Option<Registry> {
        if config.repositories.is_empty() && config.benchmarks.is_empty() {
            return None;
        }
        Some(Registry {
            templates: config.repositories.clone(),
            statics: config.benchmarks.clone(),
            cache: Mutex::new(HashMap::new()),
        })
    }

    /// A registry of exactly `benchmarks`, with no repositories to read.
    pub fn of_benchmarks(benchmarks: Vec<StaticBenchmark>) -> Registry {
        Registry { templates: Vec::new(), statics: benchmarks, cache: Mutex::new(HashMap::new()) }
    }

    /// Finds a benchmark by its Hub id.
    pub fn lookup(&self, id: &str) -> Lookup {
        if let Some(hit) = self.cache.lock().ok().and_then(|cache| cache.get(id).cloned()) {
            return hit;
        }
        let found = self.find(id);
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert(id.to_owned(), found.clone());
        }
        found
    }

    fn find(&self, id: &str) -> Lookup {
        if let Some(known) = self.statics.iter().find(|b| b.id == id) {
            return Lookup::Found(Benchmark {
                id: known.id.clone(),
                tasks: known.tasks.clone(),
                source: "configuration".into(),
            });
        }
        if repo_id_problem(id).is_some() {
            return Lookup::Invalid;
        }
        for template in &self.templates {
            let Some(path) = repo_path(template, id) else { continue };
            match read_benchmark(&path, id) {
                Ok(Some(benchmark)) => return Lookup::Found(benchmark),
                Ok(None) => {}
                Err(reason) => return Lookup::Unreadable { path, reason },
            }
        }
        Lookup::Unknown
    }

    /// Every benchmark the registry can see, for `evalgate registry list`:
    /// the static ones and every repository under each template's root.
    pub fn list(&self) -> Vec<Lookup> {
        let mut all: Vec<Lookup> = self
            .statics
            .iter()
            .map(|b| {
                Lookup::Found(Benchmark {
                    id: b.id.clone(),
                    tasks: b.tasks.clone(),
                    source: "configuration".into(),
                })
            })
            .collect();
        for template in &self.templates {
            for id in ids_under(template) {
                if let Some(path) = repo_path(template, &id) {
                    match read_benchmark(&path, &id) {
                        Ok(Some(benchmark)) => all.push(Lookup::Found(benchmark)),
                        Ok(None) => {}
                        Err(reason) => all.push(Lookup::Unreadable { path, reason }),
                    }
                }
            }
        }
        all
    }

    /// Benchmark ids near `id`, for suggestions: static ones and those
    /// already looked up.
    pub fn known_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self.statics.iter().map(|b| b.id.clone()).collect();
        if let Ok(cache) = self.cache.lock() {
            ids.extend(cache.values().filter_map(|hit| match hit {
                Lookup::Found(b) => Some(b.id.clone()),
                _ => None,
            }));
        }
        ids.sort();
        ids.dedup();
        ids
    }
}

/// The repository path for `id` under a template, if it stays in its root.
fn repo_path(template: &RepoTemplate, id: &str) -> Option<PathBuf> {
    let id = if template.lowercase { id.to_lowercase() } else { id.to_owned() };
    let (owner, name) = id.split_once('/')?;
    let path = PathBuf::from(template.path.replace("{owner}", owner).replace("{name}", name));
    let root = template_root(template);
    // Symbolic links must not lead out of the root either.
    let real = path.canonicalize().ok()?;
    let real_root = root.canonicalize().ok()?;
    real.starts_with(&real_root).then_some(real)
}

/// The fixed directory a template starts with: everything before `{`.
pub fn template_root(template: &RepoTemplate) -> PathBuf {
    let fixed = template.path.split('{').next().unwrap_or_default();
    let fixed = Path::new(fixed);
    if template.path[fixed.as_os_str().len()..].starts_with('{')
        && !fixed.as_os_str().to_string_lossy().ends_with('/')
    {
        fixed.parent().unwrap_or(fixed).to_owned()
    } else {
        fixed.to_owned()
    }
}

/// The ids of the repositories under a template's root, by listing it.
///
/// Only the common shape `<root>/{owner}/{name}<suffix>` is listed.
fn ids_under(template: &RepoTemplate) -> Vec<String> {
    let root = template_root(template);
    let rest = template.path[root.as_os_str().len()..].trim_start_matches('/');
    let Some(suffix) = rest.strip_prefix("{owner}/{name}") else { return Vec::new() };
    let mut ids = Vec::new();
    let Ok(owners) = std::fs::read_dir(&root) else { return ids };
    for owner in owners.flatten() {
        let Ok(repos) = std::fs::read_dir(owner.path()) else { continue };
        for repo in repos.flatten() {
            let file = repo.file_name().to_string_lossy().into_owned();
            if let Some(name) = file.strip_suffix(suffix).filter(|n| !n.is_empty()) {
                ids.push(format!("{}/{name}", owner.file_name().to_string_lossy()));
            }
        }
    }
    ids.sort();
    ids
}

/// Reads a benchmark repository's `eval.yaml`; `None` when it has none.
fn read_benchmark(path: &Path, id: &str) -> Result<Option<Benchmark>, String> {
    let env = Environment { git_dir: path.to_owned(), ..Environment::default() };
    let repo = Repo::open(&env).map_err(|e| chain(&e))?;
    let Some((branch, blob)) = repo.default_branch_eval_yaml().map_err(|e| chain(&e))? else {
        return Ok(None);
    };
    let bytes = repo.read_blob(&blob).map_err(|e| chain(&e))?;
    let text = String::from_utf8_lossy(&bytes);
    let (doc, _) = yaml::parse(&text, &Limits::default());
    let tasks = doc.map(|doc| task_ids(&doc)).unwrap_or_default();
    let branch = branch.strip_prefix("refs/heads/").unwrap_or(&branch).to_owned();
    Ok(Some(Benchmark {
        id: id.to_owned(),
        tasks,
        source: format!("{} ({branch})", path.display()),
    }))
}

/// The `id`s of the tasks in an `eval.yaml`.
pub fn task_ids(doc: &yaml::Document) -> Vec<String> {
    let Some(root) = doc.root() else { return Vec::new() };
    let Some((_, tasks)) = doc.get(root, "tasks") else { return Vec::new() };
    doc.as_seq(tasks)
        .unwrap_or_default()
        .iter()
        .filter_map(|&task| match doc.scalar(doc.get(task, "id")?.1)? {
            Scalar::Str(id) => Some(id.to_owned()),
            _ => None,
        })
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_roots_stop_before_the_first_placeholder() {
        let template = |path: &str| RepoTemplate { path: path.into(), lowercase: false };
        assert_eq!(
            template_root(&template("/srv/git/{owner}/{name}.git")),
            PathBuf::from("/srv/git/")
        );
        assert_eq!(template_root(&template("/srv/repo-{owner}/{name}")), PathBuf::from("/srv"));
    }
}
