"""Fixture repositories and pushes for the evalgate benchmark.

Everything is written with `git fast-import` and is deterministic (a seeded
random generator), so commit ids are the same on every machine and run.

Repositories (bare, under target/bench-fixtures/):
  large        100,000 files in 1,000 folders (p00..p09/m000..m099/f00..f99.txt),
               10,000 commits of 3 changed files each, an eval.yaml and 250
               .eval_results/*.yaml (one added every 40 commits)
  small        1,000 files in 10 folders, 100 commits, 25 results files
  large-graph  large plus a commit-graph file (`git commit-graph write --reachable`)
  large-refs   large plus 20,000 extra refs (18,000 refs/pull/N/head, 2,000 tags)
  large-pool   GitLab's pool layout: pool.git holds the objects, member.git has
               the refs and a relative objects/info/alternates to the pool

Pushes are commits made in a client repository (which borrows the fixture's
objects through an absolute alternates file) under refs/bench/<scenario>/*.
"""

import os
import random
import shutil
import subprocess

ZERO = "0" * 40
FILE_RE_VALUE = 7  # the results file the N-commit pushes keep rewriting


class Shape:
    """How a fixture repository is laid out."""

    def __init__(self, name, pkgs, mods, files, commits, results):
        self.name, self.pkgs, self.mods, self.files = name, pkgs, mods, files
        self.commits, self.results = commits, results

    def file_path(self, n):
        """The n-th regular file, n < pkgs*mods*files."""
        f = n % self.files
        m = (n // self.files) % self.mods
        p = n // (self.files * self.mods)
        return f"p{p:02d}/m{m:03d}/f{f:02d}.txt"

    @property
    def nfiles(self):
        return self.pkgs * self.mods * self.files


LARGE = Shape("large", pkgs=10, mods=100, files=100, commits=10_000, results=250)
SMALL = Shape("small", pkgs=1, mods=10, files=100, commits=100, results=25)


def git(*args, cwd=None, stdin=None, check=True):
    """Runs git, returns stdout as text."""
    done = subprocess.run(
        ["git", *args], cwd=cwd, input=stdin, capture_output=True, check=False
    )
    if check and done.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)}: {done.stderr.decode(errors='replace')}")
    return done.stdout.decode()


def results_yaml(i, version, bad=False):
    """A valid results file (or one with a quoted value when `bad`)."""
    value = f'"{20 + i % 50}.{version % 10}"' if bad else f"{20 + i % 50}.{version}"
    return (
        f"- dataset:\n"
        f"    id: bench-org/suite-{i % 7}\n"
        f"    task_id: task_{i % 13}\n"
        f"  value: {value}\n"
        f'  date: "2025-01-15"\n'
        f"  source:\n"
        f"    url: https://example.com/runs/{i}/{version}\n"
        f"    name: Run {i}\n"
        f"  notes: bench run {version}\n"
    )


EVAL_YAML = """name: Bench suite
description: A benchmark used by evalgate's performance fixtures.
evaluation_framework: inspect-ai
tasks:
  - id: main
    config: default
    split: test
    field_spec:
      input: question
      target: answer
    solvers:
      - name: generate
    scorers:
      - name: match
"""


class Stream:
    """Writes a fast-import stream to a running `git fast-import`."""

    def __init__(self, git_dir, marks=None):
        args = ["git", "--git-dir", git_dir, "fast-import", "--quiet", "--done"]
        if marks:
            args.append(f"--export-marks={marks}")
        self.proc = subprocess.Popen(args, stdin=subprocess.PIPE)
        self.out = self.proc.stdin
        self.time = 1_700_000_000

    def data(self, text):
        raw = text.encode()
        self.out.write(b"data %d\n" % len(raw) + raw + b"\n")

    def commit(self, ref, mark, parent, changes, message):
        """`changes`: list of (path, text) to write, or (path, None) to delete."""
        self.time += 60
        self.out.write(f"commit {ref}\nmark :{mark}\n".encode())
        self.out.write(f"committer Bench <bench@example.com> {self.time} +0000\n".encode())
        self.data(message)
        if parent:
            self.out.write(f"from {parent}\n".encode())
        for path, text in changes:
            if text is None:
                self.out.write(f"D {path}\n".encode())
            else:
                self.out.write(f"M 100644 inline {path}\n".encode())
                self.data(text)
        self.out.write(b"\n")

    def tag(self, name, target, message):
        self.out.write(f"tag {name}\nfrom {target}\n".encode())
        self.out.write(f"tagger Bench <bench@example.com> {self.time} +0000\n".encode())
        self.data(message)

    def close(self):
        self.out.write(b"done\n")
        self.out.close()
        if self.proc.wait() != 0:
            raise RuntimeError("git fast-import failed")


def generate(shape, path):
    """Writes the bare repository `path` for `shape` (history on main)."""
    tmp = path + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    git("init", "--quiet", "--bare", "--initial-branch=main", tmp)
    shutil.rmtree(os.path.join(tmp, "hooks"), ignore_errors=True)
    for key, value in [("receive.autogc", "false"), ("gc.auto", "0")]:
        git("--git-dir", tmp, "config", key, value)
    rng = random.Random(shape.name)
    stream = Stream(tmp)
    every = shape.commits // shape.results
    versions = [0] * shape.nfiles
    root = [(shape.file_path(n), f"{shape.file_path(n)} v0\n") for n in range(shape.nfiles)]
    root.append(("eval.yaml", EVAL_YAML))
    root.append((f".eval_results/r{0:04d}.yaml", results_yaml(0, 0)))
    stream.commit("refs/heads/main", 1, None, root, "root\n")
    for c in range(1, shape.commits):
        changes = []
        for n in rng.sample(range(shape.nfiles), 3):
            versions[n] += 1
            changes.append((shape.file_path(n), f"{shape.file_path(n)} v{versions[n]}\n"))
        if c % every == 0:
            i = c // every
            changes.append((f".eval_results/r{i:04d}.yaml", results_yaml(i, 0)))
        stream.commit("refs/heads/main", c + 1, f":{c}", changes, f"commit {c}\n")
    stream.close()
    git("--git-dir", tmp, "repack", "-adq")
    git("--git-dir", tmp, "pack-refs", "--all")
    os.rename(tmp, path)


def hardlink_copy(src, dst):
    """Copies a repository folder, hard-linking files (git never writes in place)."""
    for root, dirs, files in os.walk(src):
        rel = os.path.relpath(root, src)
        os.makedirs(os.path.join(dst, rel), exist_ok=True)
        for name in files:
            os.link(os.path.join(root, name), os.path.join(dst, rel, name))


def make_graph_variant(base, path):
    tmp = path + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    hardlink_copy(base, tmp)
    git("--git-dir", tmp, "commit-graph", "write", "--reachable")
    os.rename(tmp, path)


def make_refs_variant(base, path, pulls=18_000, tags=2_000):
    tmp = path + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    hardlink_copy(base, tmp)
    # Every commit of main, newest first, to point the extra refs at.
    commits = git("--git-dir", tmp, "rev-list", "main").split()
    lines = [f"create refs/pull/{n}/head {commits[n % len(commits)]}" for n in range(pulls)]
    lines += [f"create refs/tags/v{n}.0 {commits[(n * 5) % len(commits)]}" for n in range(tags)]
    git("--git-dir", tmp, "update-ref", "--stdin", stdin="\n".join(lines).encode() + b"\n")
    git("--git-dir", tmp, "pack-refs", "--all")
    os.rename(tmp, path)


def make_pool_variant(base, path):
    """path/pool.git has the objects; path/member.git the refs and a relative alternates."""
    tmp = path + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    pool, member = os.path.join(tmp, "pool.git"), os.path.join(tmp, "member.git")
    hardlink_copy(base, pool)
    git("init", "--quiet", "--bare", "--initial-branch=main", member)
    shutil.rmtree(os.path.join(member, "hooks"), ignore_errors=True)
    for key, value in [("receive.autogc", "false"), ("gc.auto", "0")]:
        git("--git-dir", member, "config", key, value)
    with open(os.path.join(member, "objects", "info", "alternates"), "w") as f:
        f.write("../../pool.git/objects\n")
    shutil.copy(os.path.join(base, "packed-refs"), os.path.join(member, "packed-refs"))
    os.rename(tmp, path)


def make_client(fixture_git_dir, path):
    """A bare repository that borrows the fixture's objects and has its main."""
    tmp = path + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    git("init", "--quiet", "--bare", "--initial-branch=main", tmp)
    objects = os.path.abspath(os.path.join(fixture_git_dir, "objects"))
    with open(os.path.join(tmp, "objects", "info", "alternates"), "w") as f:
        f.write(objects + "\n")
    main = git("--git-dir", fixture_git_dir, "rev-parse", "main").strip()
    git("--git-dir", tmp, "update-ref", "refs/heads/main", main)
    os.rename(tmp, path)


# ---- pushes -----------------------------------------------------------------

def _ref(client, name):
    out = git("--git-dir", client, "rev-parse", "--verify", "--quiet", name, check=False)
    return out.strip() or None


def _line_commits(stream, rng, shape, ref, parent, n, mark, tag):
    """n commits on `ref` from `parent`: 3 random files each; every 10th and the
    last also rewrite .eval_results/r0007.yaml. Returns the next free mark."""
    for c in range(n):
        changes = []
        for f in rng.sample(range(shape.nfiles), 3):
            changes.append((shape.file_path(f), f"{shape.file_path(f)} {tag} {c}\n"))
        if c % 10 == 9 or c == n - 1:
            path = f".eval_results/r{FILE_RE_VALUE:04d}.yaml"
            changes.append((path, results_yaml(FILE_RE_VALUE, c + 1)))
        stream.commit(ref, mark, parent, changes, f"{tag} {c}\n")
        parent, mark = f":{mark}", mark + 1
    return mark


def push_refspecs(client, shape, scenario):
    """Makes (once) the commits of `scenario` in `client` and returns
    (refspecs, expected exit status, result files the push changes)."""
    ns = f"refs/bench/{scenario}"
    main = _ref(client, "refs/heads/main")
    fork = _ref(client, "refs/heads/main~50")
    done = _ref(client, f"{ns}/done") is not None
    rng = random.Random(f"{shape.name}/{scenario}")
    stream = None if done else Stream(client)
    if stream:
        # Dated after the fixture's history, as real new commits are: a walk
        # by date (merge bases) would otherwise go through all of history.
        stream.time = 1_800_000_000
    expect, results = 0, 1
    if scenario.startswith("main-"):
        n = int(scenario.split("-")[1])
        if stream:
            _line_commits(stream, rng, shape, f"{ns}/main", main, n, 1, scenario)
        specs = [f"{ns}/main:refs/heads/main"]
    elif scenario == "new-branch":
        if stream:
            _line_commits(stream, rng, shape, f"{ns}/topic", fork, 10, 1, scenario)
        specs = [f"{ns}/topic:refs/heads/topic"]
    elif scenario == "three-refs":
        if stream:
            mark = _line_commits(stream, rng, shape, f"{ns}/main", main, 10, 1, scenario)
            _line_commits(stream, rng, shape, f"{ns}/topic", fork, 5, mark, scenario + "t")
            stream.tag(f"bench-{scenario}", f":{mark - 1}", "release\n")
        specs = [f"{ns}/main:refs/heads/main", f"{ns}/topic:refs/heads/topic",
                 f"refs/tags/bench-{scenario}:refs/tags/bench-v1"]
        # The tag points at main's new tip: no file of its own to check.
    elif scenario == "results-1000":
        if stream:
            changes = [(f".eval_results/r{i:04d}.yaml", results_yaml(i, 1)) for i in range(1000)]
            stream.commit(f"{ns}/main", 1, main, changes, "1,000 results\n")
        specs = [f"{ns}/main:refs/heads/main"]
        results = 1000
    elif scenario == "invalid":
        if stream:
            changes = [(".eval_results/bad.yaml", results_yaml(3, 1, bad=True))]
            stream.commit(f"{ns}/main", 1, main, changes, "a quoted value\n")
        specs = [f"{ns}/main:refs/heads/main"]
        expect = 1
    else:
        raise ValueError(f"unknown scenario {scenario}")
    if stream:
        stream.close()
        git("--git-dir", client, "update-ref", f"{ns}/done", main)
    return specs, expect, results


def make_check_folder(path, n=10_000):
    """A repository folder with n results files, for `evalgate check`."""
    if os.path.isdir(path):
        return
    tmp = path + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(os.path.join(tmp, ".eval_results"))
    with open(os.path.join(tmp, "eval.yaml"), "w") as f:
        f.write(EVAL_YAML)
    for i in range(n):
        with open(os.path.join(tmp, ".eval_results", f"r{i:05d}.yaml"), "w") as f:
            f.write(results_yaml(i, 1))
    os.rename(tmp, path)


def ensure(root, names, log=print):
    """Makes every fixture in `names` (and what it needs) under `root`."""
    os.makedirs(root, exist_ok=True)
    p = lambda name: os.path.join(root, name)
    need = set(names)
    if need & {"large-graph", "large-refs", "large-pool"}:
        need.add("large")
    steps = [
        ("large.git", "large", lambda: generate(LARGE, p("large.git"))),
        ("small.git", "small", lambda: generate(SMALL, p("small.git"))),
        ("large-graph.git", "large-graph", lambda: make_graph_variant(p("large.git"), p("large-graph.git"))),
        ("large-refs.git", "large-refs", lambda: make_refs_variant(p("large.git"), p("large-refs.git"))),
        ("large-pool", "large-pool", lambda: make_pool_variant(p("large.git"), p("large-pool"))),
    ]
    for folder, name, make in steps:
        if name in need and not os.path.exists(p(folder)):
            log(f"bench: generating fixture {name} ...")
            make()
    for shape in (LARGE, SMALL):
        if shape.name in need and not os.path.exists(p(f"client-{shape.name}.git")):
            make_client(p(f"{shape.name}.git"), p(f"client-{shape.name}.git"))
