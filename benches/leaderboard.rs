//! How long leaderboards take on a server of 10,000 repositories: a full
//! build, and the post-receive update after a push to one repository.
//!
//! `cargo bench --bench leaderboard` generates the server once under
//! `target/leaderboard-bench/` (one `git fast-import` into a shared object
//! store, then 10,000 small bare repositories that borrow its objects
//! through `objects/info/alternates`), and prints the times. Two of the
//! repositories are benchmarks; every other one holds a results file with
//! two results.

use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use evalgate::config::Config;
use evalgate::leaderboard::site;
use evalgate::push::{ObjectFormat, ObjectId, RefUpdate};

const REPOS: usize = 10_000;

fn main() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/leaderboard-bench");
    let root = dir.join("srv");
    if !dir.join("ready").exists() {
        let started = Instant::now();
        generate(&dir, &root);
        fs::write(dir.join("ready"), "").unwrap();
        report(&format!("generated {REPOS} repositories in {:.1?}", started.elapsed()));
    }
    let config = Config::default();
    let out = dir.join("site");
    let _ = fs::remove_dir_all(&out);

    let started = Instant::now();
    let built = site::build(&config, std::slice::from_ref(&root), &out).unwrap();
    let full = started.elapsed();
    report(&format!(
        "full build: {full:.2?} ({} repositories, {} models, {} results, {} files)",
        built.repositories, built.models, built.results, built.files
    ));

    let repo = root.join("owner7/model7.git");
    let tip = fs::read_to_string(repo.join("refs/heads/main")).unwrap();
    let tip = ObjectId::from_hex(tip.trim(), ObjectFormat::Sha1).unwrap();
    let updates =
        [RefUpdate { old: Some(tip.clone()), new: Some(tip), name: "refs/heads/main".into() }];
    let mut times = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        let updated = site::update(&config, std::slice::from_ref(&root), &out, &repo, &updates);
        times.push(started.elapsed());
        assert!(matches!(updated, Ok(site::Updated::Pages(_))), "{updated:?}");
    }
    times.sort();
    report(&format!(
        "post-receive update of one repository: median {:.1?} (min {:.1?}, max {:.1?}, 5 runs)",
        times[2], times[0], times[4]
    ));
}

fn report(line: &str) {
    let _ = writeln!(std::io::stdout(), "{line}");
}

/// A results file for model `i`: one result on each benchmark.
fn results(i: usize) -> String {
    format!(
        "- dataset:\n    id: bench/alpha\n    task_id: t{}\n  value: {}.{}\n  date: \"2026-01-15\"\n\
         - dataset:\n    id: bench/beta\n    task_id: t{}\n  value: {}\n  source:\n    url: https://example.org/{i}\n",
        i % 5,
        i % 97,
        i % 10,
        i % 3,
        i % 89
    )
}

fn eval_yaml(name: &str, tasks: usize) -> String {
    let mut text =
        format!("name: {name}\ndescription: generated\nevaluation_framework: inspect-ai\ntasks:\n");
    for t in 0..tasks {
        let _ = writeln!(text, "  - id: t{t}");
    }
    text
}

fn generate(dir: &Path, root: &Path) {
    let _ = fs::remove_dir_all(dir);
    fs::create_dir_all(root).unwrap();
    let shared = dir.join("objects.git");
    let status =
        Command::new("git").args(["init", "--bare", "--quiet"]).arg(&shared).status().unwrap();
    assert!(status.success());

    // Every repository's one commit, in one fast-import stream.
    let mut stream = String::new();
    let mut add = |mark: usize, path: &str, content: &str| {
        let _ = write!(
            stream,
            "commit refs/heads/r{mark}\nmark :{}\ncommitter Bench <bench@example.invalid> 1769947200 +0000\n\
             data 7\nresults\nM 100644 inline {path}\ndata {}\n{content}\n",
            mark + 1,
            content.len()
        );
    };
    add(0, "eval.yaml", &eval_yaml("Alpha", 5));
    add(1, "eval.yaml", &eval_yaml("Beta", 3));
    for i in 2..REPOS {
        add(i, ".eval_results/results.yaml", &results(i));
    }
    let marks = dir.join("marks");
    let mut child = Command::new("git")
        .arg("--git-dir")
        .arg(&shared)
        .args(["fast-import", "--quiet"])
        .arg(format!("--export-marks={}", marks.display()))
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stream.as_bytes()).unwrap();
    assert!(child.wait().unwrap().success());

    let marks = fs::read_to_string(&marks).unwrap();
    let objects = shared.join("objects").canonicalize().unwrap();
    for line in marks.lines() {
        let (mark, id) = line.split_once(' ').unwrap();
        let i: usize = mark.trim_start_matches(':').parse::<usize>().unwrap() - 1;
        let path = match i {
            0 => root.join("bench/alpha.git"),
            1 => root.join("bench/beta.git"),
            i => root.join(format!("owner{}/model{i}.git", i % 100)),
        };
        fs::create_dir_all(path.join("refs/heads")).unwrap();
        fs::create_dir_all(path.join("objects/info")).unwrap();
        fs::write(path.join("HEAD"), "ref: refs/heads/main\n").unwrap();
        fs::write(path.join("config"), "[core]\n\trepositoryformatversion = 0\n\tbare = true\n")
            .unwrap();
        fs::write(path.join("refs/heads/main"), format!("{id}\n")).unwrap();
        fs::write(path.join("objects/info/alternates"), format!("{}\n", objects.display()))
            .unwrap();
    }
}
