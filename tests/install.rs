//! `evalgate install` and `uninstall`: where the hook goes, and that only
//! evalgate's own hook is ever replaced or removed.

use std::fs;

use crate::gitworld::{World, evalgate, text};

#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn installing_twice_is_a_no_op() {
    let world = World::new();
    let server = world.bare("server.git", &[]);
    let repo = server.to_str().unwrap();
    let hook = server.join("hooks/pre-receive");

    let first = evalgate(&["install", repo]);
    assert!(first.status.success(), "{}", text(&first.stderr));
    assert_eq!(text(&first.stdout), format!("installed {}\n", hook.display()));
    let written = fs::read_to_string(&hook).unwrap();
    let program = fs::canonicalize(env!("CARGO_BIN_EXE_evalgate")).unwrap();
    assert!(written.contains(&format!("evalgate='{}'", program.display())), "{written}");
    #[cfg(unix)]
    assert_eq!(mode(&hook), 0o755);

    let second = evalgate(&["install", repo]);
    assert!(second.status.success());
    assert_eq!(
        text(&second.stdout),
        format!("already installed, nothing to do: {}\n", hook.display())
    );
    assert_eq!(fs::read_to_string(&hook).unwrap(), written);
}

#[test]
fn new_options_update_our_own_hook() {
    let world = World::new();
    let server = world.bare("server.git", &[]);
    let repo = server.to_str().unwrap();
    assert!(evalgate(&["install", repo]).status.success());

    let again = evalgate(&["install", "--every-commit", repo]);

    assert!(again.status.success());
    assert!(text(&again.stdout).starts_with("updated "));
    let written = fs::read_to_string(server.join("hooks/pre-receive")).unwrap();
    assert!(written.contains("pre-receive '--every-commit'"), "{written}");
}

#[test]
fn a_foreign_hook_is_kept_unless_forced() {
    let world = World::new();
    let server = world.bare("server.git", &[]);
    let repo = server.to_str().unwrap();
    let hook = server.join("hooks/pre-receive");
    fs::write(&hook, "#!/bin/sh\nexec /opt/other-check\n").unwrap();

    let refused = evalgate(&["install", repo]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(text(&refused.stderr).contains("was not written by evalgate; pass `--force`"));
    assert_eq!(fs::read_to_string(&hook).unwrap(), "#!/bin/sh\nexec /opt/other-check\n");

    let not_removed = evalgate(&["uninstall", repo]);
    assert_eq!(not_removed.status.code(), Some(1));
    assert!(text(&not_removed.stderr).contains("not removing it"));
    assert!(hook.exists());

    let forced = evalgate(&["install", "--force", repo]);
    assert!(forced.status.success(), "{}", text(&forced.stderr));
    assert!(fs::read_to_string(&hook).unwrap().contains("evalgate-hook"));
}

#[test]
fn uninstall_removes_only_our_hook() {
    let world = World::new();
    let server = world.bare("server.git", &[]);
    let repo = server.to_str().unwrap();
    let ours = server.join("hooks/pre-receive.d/evalgate");
    let theirs = server.join("hooks/pre-receive.d/gitea");
    fs::create_dir_all(ours.parent().unwrap()).unwrap();
    fs::write(&theirs, "#!/bin/sh\nexit 0\n").unwrap();
    assert!(evalgate(&["install", "--layout", "gitea", repo]).status.success());

    let removed = evalgate(&["uninstall", "--layout", "gitea", repo]);

    assert!(removed.status.success());
    assert_eq!(text(&removed.stdout), format!("removed {}\n", ours.display()));
    assert!(!ours.exists() && theirs.exists());
    let again = evalgate(&["uninstall", "--layout", "gitea", repo]);
    assert!(again.status.success());
    assert!(text(&again.stdout).starts_with("not installed, nothing to do"));
}

#[test]
fn layouts_write_where_each_server_looks() {
    let world = World::new();
    let gitea = world.bare("gitea.git", &[]);
    let gitlab = world.bare("gitlab.git", &[]);

    for (layout, repo, path) in [
        ("gitea", &gitea, "hooks/pre-receive.d/evalgate"),
        ("gitlab", &gitlab, "custom_hooks/pre-receive.d/evalgate"),
    ] {
        let output = evalgate(&["install", "--layout", layout, repo.to_str().unwrap()]);
        assert!(output.status.success(), "{}", text(&output.stderr));
        let hook = repo.join(path);
        assert!(fs::read_to_string(&hook).unwrap().contains("pre-receive"));
        #[cfg(unix)]
        assert_eq!(mode(&hook), 0o755);
        assert!(!repo.join("hooks/pre-receive").exists(), "{layout} wrote hooks/pre-receive");
    }
}

#[test]
fn install_refuses_what_is_not_a_repository() {
    let world = World::new();
    let output = evalgate(&["install", world.path("home").to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stderr).contains("is not a git repository"));
}
