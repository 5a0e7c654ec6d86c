//! End to end: the hook installed the way each server expects and run by a
//! real push.
//!
//! `layouts` stands in for Gitea's and GitLab's hook runners with small
//! scripts and needs only git, so it runs with every `cargo test`. `http`
//! (nginx, fcgiwrap, `git http-backend`) and `ssh` (sshd, gitolite) start
//! real servers on 127.0.0.1 and are `#[ignore]`d; the e2e command runs
//! everything here:
//!
//! ```sh
//! cargo test --test main e2e:: -- --include-ignored
//! ```
//!
//! A server test whose program is missing fails, naming the Debian package
//! to install; it never passes silently. `.ci/run` installs them.

mod http;
mod layouts;
mod ssh;

use std::fs;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A valid results file, as the issue gives it.
pub const VALID: &str = "- dataset:\n    id: cais/hle\n    task_id: hle\n  value: 20.90\n";

/// An invalid one: `value` is a string (`value-not-number`, line 4).
pub const INVALID: &str = "- dataset:\n    id: cais/hle\n    task_id: hle\n  value: \"twenty\"\n";

/// What the pusher sees for `INVALID`, without a line prefix.
pub const INVALID_SEEN: &str = "\
error[value-not-number]: `value` must be a number, found the string \"twenty\"
 --> .eval_results/hle.yaml:4:10 (refs/heads/main)
  |
4 |   value: \"twenty\"
  |          ^^^^^^^^
";

/// The path of `program`, found in `PATH` or the sbin folders (sshd lives
/// in `/usr/sbin`, which a normal user's `PATH` lacks); panics naming the
/// Debian package that brings it.
#[track_caller]
pub fn require(program: &str, package: &str) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let dirs = std::env::split_paths(&path).chain(["/usr/sbin", "/sbin"].map(PathBuf::from));
    for dir in dirs {
        let candidate = dir.join(program);
        if candidate.is_file() {
            return candidate;
        }
    }
    panic!(
        "`{program}` is not installed; this end-to-end test needs the Debian package \
         `{package}`: apt-get install -y {package} (.ci/run installs it)"
    );
}

/// Whether this process runs as root.
pub fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|out| out.stdout.trim_ascii() == b"0")
}

/// A free TCP port on 127.0.0.1, for a server started right after.
pub fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener.local_addr().expect("local address").port()
}

/// A server process, stopped (SIGTERM, then SIGKILL) when dropped.
pub struct Daemon {
    name: &'static str,
    child: Child,
    log: PathBuf,
}

impl Daemon {
    /// Starts `command` with its output going to `log`.
    pub fn start(name: &'static str, mut command: Command, log: &Path) -> Daemon {
        let file = fs::File::create(log).expect("log file");
        // A group of its own, so stopping it also stops the workers it forked.
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let child = command
            .stdin(Stdio::null())
            .stdout(file.try_clone().expect("log file"))
            .stderr(file)
            .spawn()
            .unwrap_or_else(|error| panic!("could not start {name}: {error}"));
        Daemon { name, child, log: log.to_owned() }
    }

    /// Waits until something listens at `address`; panics with the log if
    /// the server died or took longer than ten seconds.
    pub fn wait_for(&mut self, address: &str) {
        let address: SocketAddr = address.parse().expect("socket address");
        self.wait_until(|| {
            TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_ok()
        });
    }

    /// Waits until `path` exists (a unix socket), as [`Daemon::wait_for`].
    pub fn wait_for_file(&mut self, path: &Path) {
        self.wait_until(|| path.exists());
    }

    fn wait_until(&mut self, ready: impl Fn() -> bool) {
        let start = Instant::now();
        while !ready() {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("{} exited ({status}) before it was ready:\n{}", self.name, self.log());
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "{} was not ready after 10 s:\n{}",
                self.name,
                self.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// What the server wrote so far.
    pub fn log(&self) -> String {
        fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(3) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.child.wait();
    }
}

/// Writes an executable script.
pub fn write_script(path: &Path, text: &str) {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).expect("mkdir");
    }
    fs::write(path, text).expect("write script");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(0o755)).expect("chmod");
    }
}

#[test]
fn a_missing_server_program_fails_naming_its_package() {
    let failed = std::panic::catch_unwind(|| require("evalgate-no-such-server", "no-such-package"));
    let message = failed.expect_err("found a program that does not exist");
    let message = message.downcast_ref::<String>().expect("a formatted message");
    assert!(
        message.contains("needs the Debian package `no-such-package`: apt-get install -y no-such"),
        "{message}"
    );
}
