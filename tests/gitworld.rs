//! A throwaway git world for hook tests: a home folder with a fixed git
//! identity, bare server repositories with evalgate installed, and clones
//! that commit and push with the real `git`.

use std::collections::BTreeMap;
use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use tempfile::TempDir;

/// A valid `.eval_results` file.
pub const VALID: &str = "\
- dataset:
    id: cais/hle
    task_id: hle
  value: 20.90
  date: \"2026-01-15\"
  source:
    url: https://huggingface.co/spaces/cais/hle
    name: Eval Logs
";

/// An invalid one: `value` twice (line 5, column 3), each value fine by itself.
pub const INVALID: &str = "\
- dataset:
    id: cais/hle
    task_id: hle
  value: 20.90
  value: 21.0
  date: \"2026-01-15\"
  source:
    url: https://huggingface.co/spaces/cais/hle
    name: Eval Logs
";

/// Another invalid one: broken YAML on line 4.
pub const BROKEN: &str = "- dataset:\n    id: cais/hle\n    task_id: hle\n  value: [1, 2\n";

/// A folder with a home of its own; removed when dropped.
pub struct World {
    dir: TempDir,
}

impl World {
    pub fn new() -> World {
        let dir = tempfile::Builder::new().prefix("evalgate-test-").tempdir().expect("tempdir");
        let home = dir.path().join("home");
        fs::create_dir(&home).expect("home");
        let config = "[user]\n\tname = Test\n\temail = test@example.invalid\n\
                      [init]\n\tdefaultBranch = main\n[advice]\n\tdetachedHead = false\n\
                      [color]\n\tui = never\n[protocol \"file\"]\n\tallow = always\n";
        fs::write(home.join(".gitconfig"), config).expect("gitconfig");
        World { dir }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `git` run in `dir`, isolated from the machine's configuration.
    pub fn git_command(&self, dir: &Path, args: &[&str]) -> Command {
        let home = self.path("home");
        let mut command = Command::new("git");
        command
            .current_dir(dir)
            .args(args)
            .env("HOME", &home)
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("GIT_CONFIG_GLOBAL", home.join(".gitconfig"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("LC_ALL", "C")
            .env("GIT_TERMINAL_PROMPT", "0")
            // The machine's own evalgate configuration must not leak in.
            .env("EVALGATE_SYSTEM_CONFIG", home.join("no-system-config.toml"));
        for name in [
            "GIT_DIR",
            "GIT_WORK_TREE",
            "GIT_INDEX_FILE",
            "GL_ID",
            "GL_PROTOCOL",
            "EVALGATE_CONFIG",
        ] {
            command.env_remove(name);
        }
        command
    }

    /// Runs git and returns its trimmed standard output; panics if it fails.
    pub fn git(&self, dir: &Path, args: &[&str]) -> String {
        let output = self.git_command(dir, args).output().expect("git runs");
        assert!(
            output.status.success(),
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).trim().to_owned()
    }

    /// A new bare repository `name`, without a hook.
    pub fn bare(&self, name: &str, init_args: &[&str]) -> PathBuf {
        let mut args = vec!["init", "--bare", "--quiet"];
        args.extend(init_args);
        args.push(name);
        self.git(self.dir.path(), &args);
        self.path(name)
    }

    /// A new bare repository with evalgate installed (plain git layout).
    pub fn server(&self, name: &str, install_args: &[&str]) -> PathBuf {
        let server = self.bare(name, &[]);
        install(&server, install_args);
        server
    }

    /// A clone of `server` called `name`.
    pub fn clone(&self, server: &Path, name: &str) -> Client<'_> {
        let server = server.to_str().expect("UTF-8 path");
        self.git(self.dir.path(), &["clone", "--quiet", server, name]);
        Client { world: self, dir: self.path(name) }
    }
}

/// Runs `evalgate pre-receive` by hand in `repo`, as a server would but
/// without a quarantine: its exit status and what it printed.
pub fn pre_receive(world: &World, repo: &Path, args: &[&str], stdin: &str) -> (i32, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_evalgate"))
        .arg("pre-receive")
        .args(args)
        .current_dir(repo)
        .env("HOME", world.path("home"))
        .env_remove("GIT_DIR")
        .env_remove("GIT_OBJECT_DIRECTORY")
        .env_remove("GIT_ALTERNATE_OBJECT_DIRECTORIES")
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("evalgate runs");
    child.stdin.take().expect("stdin").write_all(stdin.as_bytes()).expect("write stdin");
    let output = child.wait_with_output().expect("evalgate runs");
    (output.status.code().unwrap_or(-1), text(&output.stderr))
}

/// What a hook printed, folded to one line: `remote: ` prefixes and line
/// breaks gone, runs of spaces made one, for phrases that wrap.
pub fn flat(text: &str) -> String {
    text.lines()
        .map(|line| line.strip_prefix("remote:").unwrap_or(line))
        .flat_map(str::split_whitespace)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Runs `evalgate install` for `repo` and panics if it fails.
pub fn install(repo: &Path, args: &[&str]) {
    let output = evalgate(&[&["install"], args, &[repo.to_str().expect("UTF-8")]].concat());
    assert!(output.status.success(), "install failed: {}", text(&output.stderr));
}

/// Runs the `evalgate` binary built for these tests.
pub fn evalgate(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_evalgate")).args(args).output().expect("evalgate runs")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A work tree that commits and pushes.
pub struct Client<'w> {
    pub world: &'w World,
    pub dir: PathBuf,
}

impl Client<'_> {
    pub fn git(&self, args: &[&str]) -> String {
        self.world.git(&self.dir, args)
    }

    pub fn write(&self, path: &str, bytes: impl AsRef<[u8]>) {
        let path = self.dir.join(path);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, bytes).expect("write");
    }

    /// Writes every `(path, content)` and commits all changes; the new commit id.
    pub fn commit(&self, files: &[(&str, &str)], message: &str) -> String {
        for (path, content) in files {
            self.write(path, content);
        }
        self.git(&["add", "-A"]);
        self.git(&["commit", "--quiet", "--allow-empty", "-m", message]);
        self.git(&["rev-parse", "HEAD"])
    }

    /// Adds an index entry of any mode (symlink, gitlink) pointing at `id`.
    pub fn add_entry(&self, mode: &str, id: &str, path: &str) {
        self.git(&["update-index", "--add", "--cacheinfo", &format!("{mode},{id},{path}")]);
    }

    /// Stores `content` as a blob and returns its id.
    pub fn blob(&self, content: &str) -> String {
        let mut child = self
            .world
            .git_command(&self.dir, &["hash-object", "-w", "--stdin"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("git runs");
        std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), content.as_bytes())
            .expect("write");
        let output = child.wait_with_output().expect("git runs");
        text(&output.stdout).trim().to_owned()
    }

    pub fn push(&self, args: &[&str]) -> Push {
        self.push_with_env(args, &[])
    }

    pub fn push_with_env(&self, args: &[&str], env: &[(&str, &str)]) -> Push {
        let mut command = self.world.git_command(&self.dir, &[&["push"], args].concat());
        command.envs(env.iter().copied());
        let output = command.output().expect("git push runs");
        Push { accepted: output.status.success(), stderr: text(&output.stderr) }
    }
}

/// What `git push` said.
#[derive(Debug)]
pub struct Push {
    pub accepted: bool,
    pub stderr: String,
}

impl Push {
    /// The hook's lines as the pusher sees them, `remote: ` and git's
    /// padding taken off.
    pub fn remote(&self) -> String {
        let lines: Vec<&str> = self
            .stderr
            .lines()
            .filter_map(|line| line.strip_prefix("remote:"))
            .map(|line| line.strip_prefix(' ').unwrap_or(line).trim_end())
            .collect();
        lines.join("\n") + "\n"
    }

    #[track_caller]
    pub fn assert_accepted(&self) -> &Push {
        assert!(self.accepted, "push was rejected:\n{}", self.stderr);
        self
    }

    #[track_caller]
    pub fn assert_rejected(&self) -> &Push {
        assert!(!self.accepted, "push was accepted:\n{}", self.stderr);
        assert!(self.stderr.contains("pre-receive hook declined"), "{}", self.stderr);
        self
    }

    /// Asserts that the hook's output holds `needle`.
    #[track_caller]
    pub fn shows(&self, needle: &str) -> &Push {
        assert!(self.remote().contains(needle), "`{needle}` not in:\n{}", self.stderr);
        self
    }

    #[track_caller]
    pub fn hides(&self, needle: &str) -> &Push {
        assert!(!self.remote().contains(needle), "`{needle}` in:\n{}", self.stderr);
        self
    }
}

/// The refs and objects of a repository, to compare before and after a push.
pub fn state(world: &World, repo: &Path) -> (String, String) {
    let refs = world.git(repo, &["for-each-ref", "--format=%(objectname) %(refname)"]);
    let objects = world.git(repo, &["cat-file", "--batch-all-objects", "--batch-check"]);
    (refs, objects)
}

/// The commit a ref of `repo` points at, `None` if it does not exist.
pub fn ref_of(world: &World, repo: &Path, name: &str) -> Option<String> {
    let output = world.git_command(repo, &["rev-parse", "--verify", "--quiet", name]).output();
    let output = output.expect("git runs");
    output.status.success().then(|| text(&output.stdout).trim().to_owned())
}

/// Every file, folder and link under `root`: relative path to what it is
/// (`dir`, `file 755 <hash of the content>`, `link -> <target>`), so two
/// trees compare equal only with the same names, modes and contents.
pub fn tree(root: &Path) -> BTreeMap<String, String> {
    let mut entries = BTreeMap::new();
    let mut pending = vec![root.to_owned()];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir).expect("read_dir") {
            let path = entry.expect("entry").path();
            let name = path.strip_prefix(root).expect("under root").display().to_string();
            let meta = fs::symlink_metadata(&path).expect("metadata");
            let what = if meta.is_symlink() {
                format!("link -> {}", fs::read_link(&path).expect("link").display())
            } else if meta.is_dir() {
                pending.push(path);
                "dir".to_owned()
            } else {
                let mut hasher = DefaultHasher::new();
                fs::read(&path).expect("read").hash(&mut hasher);
                format!("file {:o} {:016x}", mode(&meta), hasher.finish())
            };
            entries.insert(name, what);
        }
    }
    entries
}

#[cfg(unix)]
fn mode(meta: &fs::Metadata) -> u32 {
    std::os::unix::fs::PermissionsExt::mode(&meta.permissions()) & 0o777
}

#[cfg(not(unix))]
fn mode(_meta: &fs::Metadata) -> u32 {
    0
}

/// What changed from `before` to `after`: `+ path`, `- path`, `~ path`, sorted.
pub fn tree_diff(
    before: &BTreeMap<String, String>,
    after: &BTreeMap<String, String>,
) -> Vec<String> {
    let mut changes = Vec::new();
    for (path, what) in after {
        match before.get(path) {
            None => changes.push(format!("+ {path}")),
            Some(old) if old != what => changes.push(format!("~ {path}")),
            Some(_) => {}
        }
    }
    changes.extend(before.keys().filter(|p| !after.contains_key(*p)).map(|p| format!("- {p}")));
    changes.sort();
    changes
}
