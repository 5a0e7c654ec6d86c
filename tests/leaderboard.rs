//! Leaderboards built from a server of real bare repositories: two
//! benchmarks, model repositories with results on their default branch, a
//! community result on a review ref, signed and tampered results, a result
//! for an unknown task, and a lower-is-better task.
//!
//! The JSON and Markdown are compared as whole text with the files in
//! `tests/leaderboard/` (commit ids replaced by names); `EVALGATE_BLESS=1`
//! rewrites them. The HTML is opened in a real browser by
//! [`browser::the_site_sorts_filters_and_shows_badges_in_a_browser`].

mod browser;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::common::{blessing, root};
use crate::gitworld::{Client, World, evalgate, text};

const GPQA: &str = "\
name: GPQA
description: Graduate-level questions.
evaluation_framework: inspect-ai
tasks:
  - id: diamond
    field_spec: {input: Question, target: \"literal:D\"}
    solvers: [{name: multiple_choice}]
    scorers: [{name: choice}]
  - id: main
    field_spec: {input: Question, target: \"literal:D\"}
    solvers: [{name: multiple_choice}]
    scorers: [{name: choice}]
";

const SPEECH: &str = "\
name: Speech <errors> & more
description: Word and character error rates.
evaluation_framework: lm-evaluation-harness
tasks:
  - id: wer
  - id: cer
";

const ALPHA_GPQA: &str = "\
- dataset:
    id: Idavidrein/gpqa
    task_id: diamond
  value: 0.61
  date: \"2026-01-10\"
  source:
    url: https://example.org/alpha-logs
    name: Alpha logs
- dataset:
    id: Idavidrein/gpqa
    task_id: main
  value: 0.55
";

const ALPHA_SPEECH: &str = "\
- dataset:
    id: lab/speech
    task_id: wer
  value: 12.5
  notes: \"greedy <decoding> | beam=1\"
";

/// The community's addition on `refs/pr/1`: the same two entries and one more.
const ALPHA_PR: &str = "
- dataset:
    id: Idavidrein/gpqa
    task_id: main
  value: 0.58
  notes: re-run by a community member
";

const BETA: &str = "\
- dataset:
    id: Idavidrein/gpqa
    task_id: diamond
  value: 0.72
  date: \"2026-01-12\"
";

const GAMMA_SIGNED: &str = "\
- dataset:
    id: Idavidrein/gpqa
    task_id: diamond
  value: 0.40
  date: \"2026-01-14\"
";

const GAMMA_MORE: &str = "\
- dataset:
    id: Idavidrein/gpqa
    task_id: extended
  value: 0.3
- dataset:
    id: lab/speech
    task_id: wer
  value: 9.1
  date: \"2026-01-20\"
- dataset:
    id: nobody/bench
    task_id: x
  value: 1
";

/// The fixed time of every commit, so that commit ids and dates repeat.
const WHEN: &str = "2026-02-01T12:00:00Z";

/// A server under `srv/`, its configuration, and the key that signs results.
pub struct Lab {
    pub world: World,
    pub root: PathBuf,
    pub config: PathBuf,
    pub site: PathBuf,
    key: PathBuf,
    /// Commit ids and their names, for comparing output.
    names: BTreeMap<String, String>,
}

impl Lab {
    /// The server, with `tokens.mode` set to `mode`.
    pub fn new(mode: &str) -> Lab {
        let world = World::new();
        let root = world.path("srv");
        let key = world.path("ci.key");
        let keygen = evalgate(&["token", "keygen", "--out", key.to_str().unwrap(), "--id", "ci"]);
        assert!(keygen.status.success(), "{}", text(&keygen.stderr));
        let site = world.path("site");
        let config = world.path("server.toml");
        let toml = format!(
            "[leaderboard]\nroots = [\"{}\"]\nout = \"{}\"\n\n\
             [[leaderboard.lower_is_better]]\nbenchmark = \"lab/speech\"\ntasks = [\"wer\"]\n\n\
             [tokens]\nmode = \"{mode}\"\n\n{}",
            root.display(),
            site.display(),
            text(&keygen.stdout)
        );
        fs::write(&config, toml).unwrap();
        let mut lab = Lab { world, root, config, site, key, names: BTreeMap::new() };
        lab.populate();
        lab
    }

    fn populate(&mut self) {
        self.repo("Idavidrein/gpqa", &[("eval.yaml", GPQA)]);
        self.repo("lab/speech", &[("eval.yaml", SPEECH)]);
        let alpha = self.repo(
            "lab/alpha",
            &[(".eval_results/gpqa.yaml", ALPHA_GPQA), (".eval_results/speech.yaml", ALPHA_SPEECH)],
        );
        let alpha = Client { world: &self.world, dir: alpha };
        alpha.git(&["checkout", "--quiet", "-b", "community"]);
        let pr = format!("{ALPHA_GPQA}{ALPHA_PR}");
        commit_at(&alpha, &[(".eval_results/gpqa.yaml", &pr)]);
        alpha.git(&["push", "--quiet", "origin", "HEAD:refs/pr/1"]);
        let commit = alpha.git(&["rev-parse", "HEAD"]);
        self.names.insert(commit, "lab/alpha refs/pr/1".to_owned());

        let beta = self.signed("lab/beta", BETA);
        self.repo("lab/beta", &[(".eval_results/gpqa.yaml", &beta)]);
        // Signed for 0.40, then changed to 0.45: the signature no longer holds.
        let gamma = self.signed("org/gamma", GAMMA_SIGNED).replace("value: 0.40", "value: 0.45");
        assert!(gamma.contains("value: 0.45"), "{gamma}");
        self.repo(
            "org/gamma",
            &[
                (".eval_results/results.yaml", &format!("{gamma}{GAMMA_MORE}")),
                (".eval_results/broken.yaml", "- dataset: [\n"),
                (".eval_results/ignored.yml", "not read: not a .yaml file\n"),
            ],
        );
        // A repository without results has no page.
        self.repo("lab/empty", &[("README.md", "nothing here\n")]);
    }

    /// A bare repository `srv/<id>.git` whose main branch holds `files`.
    fn repo(&mut self, id: &str, files: &[(&str, &str)]) -> PathBuf {
        let (owner, _) = id.split_once('/').unwrap();
        fs::create_dir_all(self.root.join(owner)).unwrap();
        let bare = self.world.bare(&format!("srv/{id}.git"), &[]);
        let client = self.world.clone(&bare, &format!("work-{}", id.replace('/', "-")));
        commit_at(&client, files);
        client.git(&["push", "--quiet", "origin", "main"]);
        let commit = client.git(&["rev-parse", "HEAD"]);
        let dir = client.dir.clone();
        self.names.insert(commit, format!("{id} main"));
        dir
    }

    /// `content` with every entry signed for `model`.
    fn signed(&self, model: &str, content: &str) -> String {
        let file = self.world.path(&format!("{}.yaml", model.replace('/', "-")));
        fs::write(&file, content).unwrap();
        let key = self.key.to_str().unwrap();
        let file_arg = file.to_str().unwrap();
        let args = ["token", "sign", "--key", key, "--id", "ci", "--model", model, file_arg];
        let output = evalgate(&args);
        assert!(output.status.success(), "{}", text(&output.stderr));
        fs::read_to_string(&file).unwrap()
    }

    /// Runs `evalgate leaderboard` into `out`; its standard output.
    pub fn build(&self, out: &Path) -> String {
        let config = self.config.to_str().unwrap();
        let output = evalgate(&["leaderboard", "--config", config, "--out", out.to_str().unwrap()]);
        assert!(output.status.success(), "{}", text(&output.stderr));
        text(&output.stdout)
    }

    /// A site file with commit ids replaced by their names.
    pub fn read(&self, out: &Path, path: &str) -> String {
        let mut content = fs::read_to_string(out.join(path))
            .unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
        for (id, name) in &self.names {
            content = content.replace(id, &format!("<{name}>"));
        }
        content
    }
}

/// Commits `files` with fixed dates.
fn commit_at(client: &Client<'_>, files: &[(&str, &str)]) {
    for (path, content) in files {
        client.write(path, content);
    }
    client.git(&["add", "-A"]);
    let output = client
        .world
        .git_command(&client.dir, &["commit", "--quiet", "-m", "results"])
        .env("GIT_AUTHOR_DATE", WHEN)
        .env("GIT_COMMITTER_DATE", WHEN)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
}

/// Compares `actual` with `tests/leaderboard/<name>`, or writes it there.
#[track_caller]
fn expect(name: &str, actual: &str) {
    let path = root().join("tests/leaderboard").join(name);
    if blessing() {
        fs::write(&path, actual).unwrap();
        return;
    }
    let expected = fs::read_to_string(&path).unwrap_or_default();
    assert!(
        expected == actual,
        "{name} differs from {}; EVALGATE_BLESS=1 rewrites it\n--- actual ---\n{actual}",
        path.display()
    );
}

/// Every file of a site, by path, the lock file left out.
pub fn files(out: &Path) -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    let mut stack = vec![out.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if !path.ends_with(".evalgate.lock") {
                let relative = path.strip_prefix(out).unwrap().to_string_lossy().into_owned();
                found.insert(relative, fs::read_to_string(&path).unwrap());
            }
        }
    }
    found
}

#[test]
fn the_json_and_markdown_show_ranks_badges_and_rejections() {
    let lab = Lab::new("off");
    let summary = lab.build(&lab.site);
    assert_eq!(
        summary,
        format!(
            "evalgate: leaderboard in {}: 2 benchmarks, 3 models with 7 results, 3 rejected, \
             21 files written\n",
            lab.site.display()
        )
    );
    for path in [
        "index.json",
        "rejected.json",
        "benchmarks/Idavidrein/gpqa.json",
        "benchmarks/lab/speech.json",
        "models/lab/alpha.json",
        "models/org/gamma.json",
        "index.md",
        "benchmarks/Idavidrein/gpqa.md",
        "models/org/gamma.md",
    ] {
        expect(&path.replace('/', "-"), &lab.read(&lab.site, path));
    }
    let html = lab.read(&lab.site, "benchmarks/lab/speech.html");
    assert!(html.contains("<h1>Speech &lt;errors&gt; &amp; more <small>lab/speech</small></h1>"));
    assert!(html.contains("greedy &lt;decoding&gt; | beam=1"), "{html}");
    assert!(!html.contains("<decoding>"));
    assert!(!html.contains("src=\"http") && !html.contains("href=\"//"), "no external assets");
    assert!(!lab.site.join("models/lab/empty.html").exists());
}

#[test]
fn with_tokens_verified_a_tampered_result_is_rejected() {
    let lab = Lab::new("verify");
    lab.build(&lab.site);
    let gamma = lab.read(&lab.site, "models/org/gamma.json");
    let rejected: serde_json::Value = serde_json::from_str(&gamma).unwrap();
    let codes: Vec<String> = rejected["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["findings"].as_array().unwrap().iter())
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        codes,
        ["yaml-syntax", "token-claims", "unknown-task", "unknown-benchmark"],
        "{gamma}"
    );
    // The signed result still stands, with its badge.
    let gpqa = lab.read(&lab.site, "benchmarks/Idavidrein/gpqa.json");
    assert!(gpqa.contains("\"model\": \"lab/beta\""), "{gpqa}");
    assert!(gpqa.contains("\"verified\": true"), "{gpqa}");
    assert!(!gpqa.contains("\"value\": 0.45,\n      \"date\""), "{gpqa}");
}

#[test]
fn post_receive_updates_the_touched_pages_to_what_a_full_build_writes() {
    let lab = Lab::new("off");
    lab.build(&lab.site);
    let before = files(&lab.site);
    let config = lab.config.to_str().unwrap();
    for id in ["lab/alpha", "lab/beta", "org/gamma", "lab/speech"] {
        let repo = lab.root.join(format!("{id}.git"));
        let output =
            evalgate(&["install", "--post-receive", "--config", config, repo.to_str().unwrap()]);
        assert!(output.status.success(), "{}", text(&output.stderr));
        assert!(repo.join("hooks/post-receive").exists());
    }

    // beta moves to another task: the gpqa page and beta's page change (the
    // index and the rejected list are written again, the same).
    let beta = lab.world.clone(&lab.root.join("lab/beta.git"), "beta-again");
    let moved = "- dataset:\n    id: Idavidrein/gpqa\n    task_id: main\n  value: 0.9\n";
    commit_at(&beta, &[(".eval_results/gpqa.yaml", moved)]);
    let push = beta.push(&["origin", "main"]);
    push.assert_accepted().shows("evalgate: leaderboard updated: 4 pages");

    let after = files(&lab.site);
    let changed: Vec<&String> =
        after.keys().filter(|path| before.get(*path) != after.get(*path)).collect();
    assert_eq!(
        changed,
        [
            "benchmarks/Idavidrein/gpqa.html",
            "benchmarks/Idavidrein/gpqa.json",
            "benchmarks/Idavidrein/gpqa.md",
            "models/lab/beta.html",
            "models/lab/beta.json",
            "models/lab/beta.md",
        ]
    );
    let fresh = lab.world.path("fresh");
    lab.build(&fresh);
    assert_eq!(after, files(&fresh), "the update differs from a full build");

    // A benchmark that gains a task: the whole site, as results may move.
    let speech = lab.world.clone(&lab.root.join("lab/speech.git"), "speech-again");
    commit_at(&speech, &[("eval.yaml", &format!("{SPEECH}  - id: extended\n"))]);
    speech.push(&["origin", "main"]).assert_accepted().shows("leaderboard rebuilt");
    let fresh = lab.world.path("fresh-2");
    lab.build(&fresh);
    assert_eq!(files(&lab.site), files(&fresh));
}

#[test]
fn concurrent_pushes_converge() {
    let lab = Lab::new("off");
    lab.build(&lab.site);
    let config = lab.config.to_str().unwrap();
    let ids = ["lab/alpha", "lab/beta", "org/gamma"];
    let mut clients = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        let repo = lab.root.join(format!("{id}.git"));
        let output =
            evalgate(&["install", "--post-receive", "--config", config, repo.to_str().unwrap()]);
        assert!(output.status.success(), "{}", text(&output.stderr));
        let client = lab.world.clone(&repo, &format!("racer-{i}"));
        let result = format!(
            "- dataset:\n    id: Idavidrein/gpqa\n    task_id: main\n  value: 0.{}\n",
            70 + i
        );
        commit_at(&client, &[(&format!(".eval_results/race-{i}.yaml"), &result)]);
        clients.push(client);
    }
    std::thread::scope(|scope| {
        for client in &clients {
            scope.spawn(move || client.push(&["origin", "main"]).assert_accepted().stderr.clone());
        }
    });
    let fresh = lab.world.path("fresh");
    lab.build(&fresh);
    assert_eq!(files(&lab.site), files(&fresh));
}

#[test]
fn post_receive_never_fails_a_push() {
    let lab = Lab::new("off");
    let repo = lab.root.join("lab/beta.git");
    // No `leaderboard.out`, and a site folder that cannot be made.
    let config = lab.world.path("bad.toml");
    fs::write(&config, "[leaderboard]\nout = \"/proc/no-such-place\"\n").unwrap();
    let output = evalgate(&[
        "install",
        "--post-receive",
        "--config",
        config.to_str().unwrap(),
        repo.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let client = lab.world.clone(&repo, "beta-again");
    commit_at(&client, &[(".eval_results/more.yaml", BETA)]);
    client
        .push(&["origin", "main"])
        .assert_accepted()
        .shows("evalgate: the leaderboard was not updated (the push stands):");
}
