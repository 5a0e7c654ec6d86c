//! SSH: gitolite behind an sshd of the test's own, as Debian's gitolite3
//! package sets it up: a hosting user whose `authorized_keys` sends every
//! key to `gitolite-shell`, and evalgate installed as a common hook in
//! gitolite's `LOCAL_CODE`, which `gitolite setup --hooks-only` links into
//! every repository.
//!
//! sshd must run as root to log in as another user, and gitolite needs a
//! user of its own; the test makes a throwaway one (`useradd`) and removes
//! it afterwards, so it must run as root (as CI does).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use super::{Daemon, INVALID, INVALID_SEEN, VALID, free_port, is_root, require};
use crate::gitworld::{Client, World, text};

/// A system user that exists while this lives, with its home in a test
/// folder; removed (with its group) when dropped.
struct User {
    name: String,
    home: PathBuf,
    uid: u32,
    gid: u32,
}

impl User {
    fn create(home: &Path) -> User {
        let name = format!("evalgate-e2e-{}", std::process::id());
        fs::create_dir_all(home).expect("home");
        let home_arg = home.to_str().expect("UTF-8");
        run(Command::new(require("useradd", "passwd")).args([
            "--system",
            "--user-group",
            "--no-create-home",
            "--home-dir",
            home_arg,
            "--shell",
            "/bin/sh",
            // Not `!` (locked), which sshd refuses without PAM; `*` matches
            // no password, so the key is the only way in.
            "--password",
            "*",
            &name,
        ]));
        let id = |flag: &str| -> u32 {
            let out = run(Command::new("id").args([flag, &name]));
            text(&out.stdout).trim().parse().expect("numeric id")
        };
        let user = User { uid: id("-u"), gid: id("-g"), name, home: home.to_owned() };
        user.chown(home);
        user
    }

    fn chown(&self, path: &Path) {
        std::os::unix::fs::chown(path, Some(self.uid), Some(self.gid)).expect("chown");
    }

    /// `program` run as this user, in its home, with a clean environment.
    fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut command = Command::new(program);
        std::os::unix::process::CommandExt::uid(&mut command, self.uid);
        std::os::unix::process::CommandExt::gid(&mut command, self.gid);
        command
            .current_dir(&self.home)
            .env_clear()
            .env("HOME", &self.home)
            .env("USER", &self.name)
            .env("LOGNAME", &self.name)
            .env("PATH", "/usr/local/bin:/usr/bin:/bin")
            .env("LC_ALL", "C");
        command
    }
}

impl Drop for User {
    fn drop(&mut self) {
        let removed = Command::new("userdel").arg(&self.name).status();
        if !removed.is_ok_and(|status| status.success()) {
            let _ = Command::new("userdel").args(["--force", &self.name]).status();
        }
    }
}

/// Runs `command`; panics with its output if it fails.
#[track_caller]
fn run(command: &mut Command) -> Output {
    let output = command.output().unwrap_or_else(|e| panic!("{command:?} did not run: {e}"));
    assert!(
        output.status.success(),
        "{command:?} failed:\n{}{}",
        text(&output.stdout),
        text(&output.stderr)
    );
    output
}

/// An sshd on 127.0.0.1 with its own host key and configuration, letting
/// only `user` in, by key; stopped when dropped.
fn start_sshd(dir: &Path, user: &User) -> (Daemon, u16) {
    let sshd = require("sshd", "openssh-server");
    fs::create_dir_all(dir).expect("mkdir");
    let host_key = dir.join("host_key");
    run(Command::new(require("ssh-keygen", "openssh-client"))
        .args(["-q", "-t", "ed25519", "-N", "", "-f"])
        .arg(&host_key));
    // sshd's privilege separation needs this folder; the package's service
    // would make it, and no service runs here.
    fs::create_dir_all("/run/sshd").expect("/run/sshd");

    let port = free_port();
    let config = format!(
        "Port {port}\nListenAddress 127.0.0.1\nHostKey {key}\nPidFile {dir}/sshd.pid\n\
         AuthorizedKeysFile .ssh/authorized_keys\nAllowUsers {user}\nPubkeyAuthentication yes\n\
         PasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\n\
         StrictModes no\nPermitRootLogin no\nLogLevel VERBOSE\n",
        key = host_key.display(),
        dir = dir.display(),
        user = user.name,
    );
    fs::write(dir.join("sshd_config"), config).expect("sshd_config");
    let mut command = Command::new(sshd);
    command.args(["-D", "-e", "-f"]).arg(dir.join("sshd_config"));
    let mut daemon = Daemon::start("sshd", command, &dir.join("sshd.log"));
    daemon.wait_for(&format!("127.0.0.1:{port}"));
    (daemon, port)
}

#[test]
#[ignore = "starts sshd and gitolite as root; run with `cargo test --test main e2e:: -- --include-ignored`"]
fn ssh_pushes_to_gitolite_are_gated_by_a_common_hook() {
    let gitolite = require("gitolite", "gitolite3");
    require("ssh", "openssh-client");
    assert!(is_root(), "this test makes a user for gitolite and runs sshd: run it as root");
    let world = World::new();
    // The gitolite user must reach its home inside the test folder.
    let top = world.path("");
    fs::set_permissions(&top, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();

    // The admin's key, and gitolite set up with it, as the package does.
    let key = world.path("admin");
    run(Command::new("ssh-keygen").args(["-q", "-t", "ed25519", "-N", "", "-f"]).arg(&key));
    let user = User::create(&world.path("gitolite"));
    let public = user.home.join("admin.pub");
    fs::copy(world.path("admin.pub"), &public).unwrap();
    user.chown(&public);
    run(user.command(&gitolite).args(["setup", "-pk", "admin.pub"]));

    // LOCAL_CODE, as gitolite.rc suggests it, and evalgate's common hook.
    let rc = user.home.join(".gitolite.rc");
    let text_rc = fs::read_to_string(&rc).unwrap();
    let line = "# LOCAL_CODE                =>  \"$ENV{HOME}/local\",";
    assert!(text_rc.contains(line), "gitolite.rc has no LOCAL_CODE line to enable");
    fs::write(&rc, text_rc.replacen(line, &line[2..], 1)).unwrap();
    let local = user.home.join("local");
    run(user.command("mkdir").arg(&local));
    // Installed where the gitolite user can run it, as an operator would
    // (the build folder may be closed to other users).
    let evalgate = world.path("bin/evalgate");
    fs::create_dir(world.path("bin")).unwrap();
    fs::copy(env!("CARGO_BIN_EXE_evalgate"), &evalgate).unwrap();
    let args = ["--layout", "gitolite", "--server-wide", local.to_str().unwrap()];
    run(user.command(&evalgate).arg("install").args(args));
    run(user.command(&gitolite).args(["setup", "--hooks-only"]));
    let linked = user.home.join("repositories/testing.git/hooks/pre-receive");
    assert_eq!(fs::read_link(&linked).unwrap(), local.join("hooks/common/pre-receive"));

    let (sshd, port) = start_sshd(&world.path("sshd"), &user);
    let ssh = format!(
        "ssh -F /dev/null -i {} -o IdentitiesOnly=yes -o BatchMode=yes \
         -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR",
        key.display()
    );
    let url = format!("ssh://{}@127.0.0.1:{port}/testing", user.name);
    let home = world.path("home");
    let clone = ["-c", &format!("core.sshCommand={ssh}"), "clone", "--quiet", &url, "../client"];
    let cloned = world.git_command(&home, &clone).output().unwrap();
    assert!(cloned.status.success(), "{}\n{}", text(&cloned.stderr), sshd.log());
    let client = Client { world: &world, dir: world.path("client") };
    client.git(&["config", "core.sshCommand", &ssh]);

    client.commit(&[(".eval_results/hle.yaml", VALID)], "good");
    let push = client.push(&["origin", "HEAD:main"]);
    push.assert_accepted();
    assert_eq!(push.remote(), "evalgate: 1 file checked in 1 ref, no problems\n", "{}", sshd.log());

    client.commit(&[(".eval_results/hle.yaml", INVALID)], "bad");
    let push = client.push(&["origin", "HEAD:main"]);
    push.assert_rejected();
    assert_eq!(
        push.remote(),
        format!(
            "evalgate: rejected: problems in `refs/heads/main`\n\n{INVALID_SEEN}\n\
             evalgate: 1 error in 1 file, 1 ref checked; the push was rejected, nothing changed\n"
        )
    );
    assert!(push.stderr.contains("! [remote rejected] HEAD -> main (pre-receive hook declined)"));

    // Uninstalled, the links gitolite made point nowhere, which git takes
    // as no hook: the same push goes through.
    run(user.command(&evalgate).arg("uninstall").args(args));
    assert!(!linked.exists() && fs::symlink_metadata(&linked).is_ok());
    client.push(&["origin", "HEAD:main"]).assert_accepted().hides("evalgate");
}
