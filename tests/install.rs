//! `evalgate install` and `uninstall`: where the hook goes, and that only
//! evalgate's own hook is ever replaced or removed.

use std::fs;

use std::path::Path;

use crate::gitworld::{World, evalgate, text, tree, tree_diff};

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
    assert!(text(&refused.stderr).contains("was not written by evalgate; pass `--chain`"));
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

/// Runs `evalgate` and returns its standard output; panics if it fails.
fn ok(args: &[&str]) -> String {
    let output = evalgate(args);
    assert!(output.status.success(), "{args:?}: {}", text(&output.stderr));
    text(&output.stdout)
}

/// Runs `evalgate`, expects exit status 1 or 2, returns standard error.
fn fails(args: &[&str]) -> String {
    let output = evalgate(args);
    assert!(!output.status.success(), "{args:?} succeeded: {}", text(&output.stdout));
    text(&output.stderr)
}

/// Installs, installs again and uninstalls with `args`, holding that the
/// first adds or changes exactly `expected`, the second changes nothing and
/// the uninstall brings back the tree under `root` exactly as it was.
fn round_trip(root: &Path, install_args: &[&str], uninstall_args: &[&str], expected: &[&str]) {
    let before = tree(root);
    ok(&[&["install"], install_args].concat());
    let installed = tree(root);
    assert_eq!(tree_diff(&before, &installed), expected);
    let again = ok(&[&["install"], install_args].concat());
    assert!(again.contains("already installed, nothing to do"), "{again}");
    assert_eq!(tree(root), installed, "installing again changed files");
    ok(&[&["uninstall"], uninstall_args].concat());
    assert_eq!(tree_diff(&before, &tree(root)), Vec::<String>::new(), "uninstall left changes");
}

#[test]
fn each_layout_installs_and_uninstalls_exactly_its_files() {
    let world = World::new();
    let git = world.bare("git.git", &[]);
    let g = git.to_str().unwrap();
    round_trip(&git, &[g], &[g], &["+ hooks/pre-receive"]);

    let gitea = world.bare("gitea.git", &[]);
    let g = gitea.to_str().unwrap();
    let args = ["--layout", "gitea", g];
    round_trip(&gitea, &args, &args, &["+ hooks/pre-receive.d", "+ hooks/pre-receive.d/evalgate"]);

    let gitlab = world.bare("gitlab.git", &[]);
    let g = gitlab.to_str().unwrap();
    let args = ["--layout", "gitlab", g];
    let expected =
        ["+ custom_hooks", "+ custom_hooks/pre-receive.d", "+ custom_hooks/pre-receive.d/evalgate"];
    round_trip(&gitlab, &args, &args, &expected);
}

#[test]
fn uninstall_keeps_folders_the_server_made() {
    // Gitea's own hook lives beside evalgate's in `pre-receive.d`.
    let world = World::new();
    let gitea = world.bare("gitea.git", &[]);
    fs::create_dir_all(gitea.join("hooks/pre-receive.d")).unwrap();
    fs::write(gitea.join("hooks/pre-receive.d/gitea"), "#!/bin/sh\n").unwrap();
    let g = gitea.to_str().unwrap();
    let args = ["--layout", "gitea", g];
    round_trip(&gitea, &args, &args, &["+ hooks/pre-receive.d/evalgate"]);
}

#[test]
fn gitlab_server_wide_goes_into_custom_hooks_dir() {
    let world = World::new();
    let dir = world.path("custom_hooks");
    fs::create_dir(&dir).unwrap();
    let d = dir.to_str().unwrap();
    let args = ["--layout", "gitlab", "--server-wide", d];
    round_trip(&dir, &args, &args, &["+ pre-receive.d", "+ pre-receive.d/evalgate"]);

    let missing = world.path("nowhere");
    let error =
        fails(&["install", "--layout", "gitlab", "--server-wide", missing.to_str().unwrap()]);
    assert!(error.contains("is not a folder"), "{error}");
}

#[test]
fn gitolite_installs_a_common_hook_in_local_code() {
    let world = World::new();
    let local = world.path("local");
    fs::create_dir(&local).unwrap();
    let l = local.to_str().unwrap();
    let args = ["--layout", "gitolite", "--server-wide", l];
    let out = ok(&["install", "--layout", "gitolite", "--server-wide", l]);
    assert_eq!(
        out,
        format!(
            "installed {}\nnext: run `gitolite setup --hooks-only` as gitolite's user\n",
            local.join("hooks/common/pre-receive").display()
        )
    );
    ok(&["uninstall", "--layout", "gitolite", "--server-wide", l]);
    round_trip(&local, &args, &args, &["+ hooks", "+ hooks/common", "+ hooks/common/pre-receive"]);

    let repo = world.bare("r.git", &[]);
    let error = fails(&["install", "--layout", "gitolite", repo.to_str().unwrap()]);
    assert!(error.contains("gitolite runs hooks from its own folder; pass it with `--server-wide"));
}

#[test]
fn layouts_without_a_server_wide_folder_say_so() {
    let world = World::new();
    let d = world.path("home");
    for layout in ["git", "gitea"] {
        let error = fails(&["install", "--layout", layout, "--server-wide", d.to_str().unwrap()]);
        assert!(error.contains("has no server-wide hook folder; install into each repository"));
    }
    let repo = world.bare("r.git", &[]);
    let error = fails(&["install", "--layout", "gitea", "--chain", repo.to_str().unwrap()]);
    assert!(error.contains("Gitea runs every hook in its `pre-receive.d` folder"), "{error}");
}

#[test]
fn all_installs_into_every_repository_under_a_root() {
    // Gitea's layout: <root>/<owner>/<name>.git, wikis beside them.
    let world = World::new();
    let root = world.path("gitea-repositories");
    for name in ["alice/model.git", "alice/model.wiki.git", "bob/bench.git"] {
        world.bare(&format!("gitea-repositories/{name}"), &[]);
    }
    fs::create_dir_all(root.join("carol/empty")).unwrap();
    let r = root.to_str().unwrap();
    let args = ["--layout", "gitea", "--all", r];
    let hooks = ["alice/model.git", "alice/model.wiki.git", "bob/bench.git"]
        .map(|repo| format!("+ {repo}/hooks/pre-receive.d/evalgate"));
    let folders = ["alice/model.git", "alice/model.wiki.git", "bob/bench.git"]
        .map(|repo| format!("+ {repo}/hooks/pre-receive.d"));
    let mut expected: Vec<&str> = hooks.iter().chain(&folders).map(String::as_str).collect();
    expected.sort();
    round_trip(&root, &args, &args, &expected);

    let out = ok(&["install", "--layout", "gitea", "--all", r]);
    assert_eq!(out.lines().count(), 3, "{out}");
    assert!(out.lines().all(|line| line.starts_with("installed ")), "{out}");

    let empty = world.path("home");
    let error = fails(&["install", "--all", empty.to_str().unwrap()]);
    assert!(error.contains("no git repositories under"), "{error}");
}

#[test]
fn chain_keeps_the_existing_hook_and_uninstall_brings_it_back() {
    let world = World::new();
    let server = world.bare("server.git", &[]);
    let hook = server.join("hooks/pre-receive");
    fs::write(&hook, "#!/bin/sh\nexec /opt/other-check\n").unwrap();
    #[cfg(unix)]
    fs::set_permissions(&hook, std::os::unix::fs::PermissionsExt::from_mode(0o750)).unwrap();
    let s = server.to_str().unwrap();

    let before = tree(&server);
    let out = ok(&["install", "--chain", s]);
    assert_eq!(
        out,
        format!(
            "installed {}; the hook that was there runs first, kept as {}.before-evalgate\n",
            hook.display(),
            hook.display()
        )
    );
    let installed = tree(&server);
    assert_eq!(
        tree_diff(&before, &installed),
        ["+ hooks/pre-receive.before-evalgate", "~ hooks/pre-receive"]
    );
    assert_eq!(installed["hooks/pre-receive.before-evalgate"], before["hooks/pre-receive"]);
    let written = fs::read_to_string(&hook).unwrap();
    assert!(written.contains(&format!("chained='{}.before-evalgate'", hook.display())));

    // Installing again, with or without `--chain`, keeps chaining.
    ok(&["install", "--chain", s]);
    ok(&["install", s]);
    assert_eq!(tree(&server), installed);

    let out = ok(&["uninstall", s]);
    assert!(
        out.starts_with(&format!("removed {}; the hook that was there before", hook.display()))
    );
    assert_eq!(tree(&server), before);
}
