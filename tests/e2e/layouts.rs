//! Gitea's and GitLab's layouts, run by a real `git push` through a small
//! script standing in for each server's hook runner, with the environment
//! each server sets; plain git's `--chain` and push options the same way.

use std::fs;
use std::path::Path;

use super::{INVALID, INVALID_SEEN, VALID, write_script};
use crate::gitworld::{World, evalgate, text};

/// Stands in for the `hooks/pre-receive` Gitea writes into each repository:
/// every executable file in `pre-receive.d` runs on the same input, all of
/// them run, and the first failure is the hook's exit status.
const GITEA_RUNNER: &str = r#"#!/bin/sh
export GITEA_REPO_USER_NAME=alice GITEA_REPO_NAME=model GITEA_PUSHER_NAME=alice
updates=$(cat)
status=0
for hook in hooks/pre-receive.d/*; do
    if [ -f "$hook" ] && [ -x "$hook" ]; then
        printf '%s\n' "$updates" | "$hook"
        code=$?
        if [ $status -eq 0 ]; then status=$code; fi
    fi
done
exit $status
"#;

/// Stands in for Gitea's own check in `pre-receive.d`.
const GITEA_OWN_CHECK: &str = "#!/bin/sh\ncat >/dev/null\n";

/// Stands in for Gitaly running custom hooks: the repository's
/// `custom_hooks/pre-receive.d`, then the server-wide one, in name order,
/// skipping names ending in `~` and files that are not executable, stopping
/// at the first failure. Gitaly sets the `GL_*` variables; the protocol is
/// taken from `TEST_GL_PROTOCOL` so a test can play the web editor.
const GITLAB_RUNNER: &str = r#"#!/bin/sh
export GL_ID=user-1 GL_USERNAME=alice GL_REPOSITORY=project-1 GL_PROJECT_PATH=alice/model
export GL_PROTOCOL="${TEST_GL_PROTOCOL:-ssh}"
updates=$(cat)
for hook in custom_hooks/pre-receive.d/* @SERVER_WIDE@/pre-receive.d/*; do
    case "$hook" in *~) continue ;; esac
    if [ -f "$hook" ] && [ -x "$hook" ]; then
        printf '%s\n' "$updates" | "$hook" || exit $?
    fi
done
"#;

/// A bare repository run the Gitea way, with Gitea's own check in place.
fn gitea_repo(world: &World, name: &str) -> std::path::PathBuf {
    let repo = world.bare(name, &[]);
    write_script(&repo.join("hooks/pre-receive"), GITEA_RUNNER);
    write_script(&repo.join("hooks/pre-receive.d/gitea"), GITEA_OWN_CHECK);
    repo
}

/// A bare repository run the GitLab way, with `server_wide` as Gitaly's
/// `custom_hooks_dir`.
fn gitlab_repo(world: &World, name: &str, server_wide: &Path) -> std::path::PathBuf {
    let repo = world.bare(name, &[]);
    let runner = GITLAB_RUNNER.replace("@SERVER_WIDE@", server_wide.to_str().expect("UTF-8"));
    write_script(&repo.join("hooks/pre-receive"), &runner);
    repo
}

#[track_caller]
fn ok(args: &[&str]) -> String {
    let output = evalgate(args);
    assert!(output.status.success(), "{args:?}: {}", text(&output.stderr));
    text(&output.stdout)
}

#[test]
fn gitea_runs_evalgate_from_pre_receive_d_in_every_repository() {
    let world = World::new();
    let model = gitea_repo(&world, "repos/alice/model.git");
    let bench = gitea_repo(&world, "repos/bob/bench.git");
    ok(&["install", "--layout", "gitea", "--all", world.path("repos").to_str().unwrap()]);

    for repo in [&model, &bench] {
        let client = world.clone(repo, "client");
        client.commit(&[(".eval_results/hle.yaml", VALID)], "good");
        let push = client.push(&["origin", "main"]);
        push.assert_accepted();
        assert_eq!(push.remote(), "evalgate: 1 file checked in 1 ref, no problems\n");

        client.commit(&[(".eval_results/hle.yaml", INVALID)], "bad");
        let push = client.push(&["origin", "main"]);
        push.assert_rejected().shows(INVALID_SEEN).hides("GL-HOOK-ERR");
        fs::remove_dir_all(&client.dir).unwrap();
    }
}

#[test]
fn gitea_internal_pushes_to_pull_refs_pass_and_its_merges_are_checked() {
    // The operator checks pull refs too, so the internal push is what
    // lets Gitea's copy through, not the default scope.
    let world = World::new();
    let repo = gitea_repo(&world, "model.git");
    let config = world.path("evalgate.toml");
    fs::write(&config, "[hook]\ninclude = [\"refs/heads/*\", \"refs/pull/*\"]\n").unwrap();
    let r = repo.to_str().unwrap();
    ok(&["install", "--layout", "gitea", "--config", config.to_str().unwrap(), r]);
    let client = world.clone(&repo, "client");
    client.commit(&[("README.md", "model\n")], "start");
    client.push(&["origin", "main"]).assert_accepted();
    client.commit(&[(".eval_results/hle.yaml", INVALID)], "bad");

    // Someone pushing to a pull ref by hand is checked.
    client.push(&["origin", "HEAD:refs/pull/1/head"]).assert_rejected().shows("value-not-number");

    // Gitea copying a pull request's head branch is not.
    let internal = [("GITEA_INTERNAL_PUSH", "true"), ("SSH_ORIGINAL_COMMAND", "gitea-internal")];
    let push = client.push_with_env(&["origin", "HEAD:refs/pull/1/head"], &internal);
    push.assert_accepted();
    assert_eq!(push.remote(), "\n", "{}", push.stderr);

    // Gitea merging into a branch is checked like any push.
    let merge = [("GITEA_INTERNAL_PUSH", "true"), ("GITEA_PUSH_TRIGGER", "pr-merge-to-base")];
    client
        .push_with_env(&["origin", "HEAD:refs/heads/main"], &merge)
        .assert_rejected()
        .shows("value-not-number");
}

#[test]
fn gitlab_custom_hooks_prefix_every_line_for_the_pusher() {
    let world = World::new();
    let server_wide = world.path("custom_hooks");
    fs::create_dir(&server_wide).unwrap();
    let repo = gitlab_repo(&world, "model.git", &server_wide);
    ok(&["install", "--layout", "gitlab", repo.to_str().unwrap()]);
    let client = world.clone(&repo, "client");
    client.commit(&[(".eval_results/hle.yaml", INVALID)], "bad");

    let push = client.push(&["origin", "main"]);

    push.assert_rejected();
    let expected: String = format!(
        "evalgate: rejected: problems in `refs/heads/main`\n\n{INVALID_SEEN}\n\
         evalgate: 1 error in 1 file, 1 ref checked; the push was rejected, nothing changed\n"
    )
    .lines()
    .map(|line| format!("{}\n", format!("GL-HOOK-ERR: {line}").trim_end()))
    .collect();
    assert_eq!(push.remote(), expected);
}

#[test]
fn gitlab_web_pushes_are_gated_like_any_other() {
    let world = World::new();
    let server_wide = world.path("custom_hooks");
    fs::create_dir(&server_wide).unwrap();
    let repo = gitlab_repo(&world, "model.git", &server_wide);
    ok(&["install", "--layout", "gitlab", repo.to_str().unwrap()]);
    let client = world.clone(&repo, "client");
    client.commit(&[(".eval_results/hle.yaml", VALID)], "good");
    let web = [("TEST_GL_PROTOCOL", "web")];
    client
        .push_with_env(&["origin", "main"], &web)
        .assert_accepted()
        .shows("GL-HOOK-ERR: evalgate: 1 file checked in 1 ref, no problems");

    client.commit(&[(".eval_results/hle.yaml", INVALID)], "bad");
    client
        .push_with_env(&["origin", "main"], &web)
        .assert_rejected()
        .shows("GL-HOOK-ERR: error[value-not-number]");
}

#[test]
fn gitlab_server_wide_hook_gates_every_repository() {
    let world = World::new();
    let server_wide = world.path("custom_hooks");
    fs::create_dir(&server_wide).unwrap();
    let d = server_wide.to_str().unwrap();
    ok(&["install", "--layout", "gitlab", "--server-wide", d]);

    for name in ["one.git", "two.git"] {
        let repo = gitlab_repo(&world, name, &server_wide);
        let client = world.clone(&repo, &format!("{name}-client"));
        client.commit(&[(".eval_results/hle.yaml", INVALID)], "bad");
        client.push(&["origin", "main"]).assert_rejected().shows("GL-HOOK-ERR: error[value");
    }

    // Uninstalled, the same push goes through.
    ok(&["uninstall", "--layout", "gitlab", "--server-wide", d]);
    let repo = gitlab_repo(&world, "three.git", &server_wide);
    let client = world.clone(&repo, "three-client");
    client.commit(&[(".eval_results/hle.yaml", INVALID)], "bad");
    client.push(&["origin", "main"]).assert_accepted().hides("evalgate");
}

/// A hook that was there before evalgate: says it ran, and refuses pushes
/// to `refs/heads/frozen`.
const OLD_HOOK: &str = r#"#!/bin/sh
while read old new ref; do
    echo "old hook: saw $ref"
    if [ "$ref" = refs/heads/frozen ]; then echo "old hook: frozen is frozen"; exit 1; fi
done
"#;

#[test]
fn a_chained_hook_runs_first_and_comes_back_on_uninstall() {
    let world = World::new();
    let repo = world.bare("server.git", &[]);
    write_script(&repo.join("hooks/pre-receive"), OLD_HOOK);
    let r = repo.to_str().unwrap();
    ok(&["install", "--chain", r]);
    let client = world.clone(&repo, "client");

    client.commit(&[(".eval_results/hle.yaml", VALID)], "good");
    let push = client.push(&["origin", "main"]);
    push.assert_accepted();
    assert_eq!(
        push.remote(),
        "old hook: saw refs/heads/main\nevalgate: 1 file checked in 1 ref, no problems\n"
    );

    // The old hook's refusal stands; evalgate does not run after it.
    let push = client.push(&["origin", "main:frozen"]);
    push.assert_rejected();
    assert_eq!(push.remote(), "old hook: saw refs/heads/frozen\nold hook: frozen is frozen\n");

    client.commit(&[(".eval_results/hle.yaml", INVALID)], "bad");
    client.push(&["origin", "main"]).assert_rejected().shows("old hook: saw").shows(INVALID_SEEN);

    ok(&["uninstall", r]);
    assert_eq!(fs::read_to_string(repo.join("hooks/pre-receive")).unwrap(), OLD_HOOK);
    let push = client.push(&["origin", "main"]);
    push.assert_accepted();
    assert_eq!(push.remote(), "old hook: saw refs/heads/main\n");
}

#[test]
fn a_chained_hook_that_went_missing_fails_closed() {
    let world = World::new();
    let repo = world.bare("server.git", &[]);
    write_script(&repo.join("hooks/pre-receive"), OLD_HOOK);
    ok(&["install", "--chain", repo.to_str().unwrap()]);
    fs::remove_file(repo.join("hooks/pre-receive.before-evalgate")).unwrap();
    let client = world.clone(&repo, "client");
    client.commit(&[(".eval_results/hle.yaml", VALID)], "good");

    client
        .push(&["origin", "main"])
        .assert_rejected()
        .shows("pre-receive.before-evalgate is missing, so this push cannot be checked.");
}

#[test]
fn the_verbose_push_option_lists_what_was_checked() {
    let world = World::new();
    let repo = world.server("server.git", &[]);
    world.git(&repo, &["config", "receive.advertisePushOptions", "true"]);
    let client = world.clone(&repo, "client");
    client.commit(&[(".eval_results/hle.yaml", VALID), ("eval.yaml", "x: [\n")], "files");
    client.git(&["branch", "other"]);
    client.git(&["tag", "v1"]);

    let push = client.push(&["-o", "evalgate.verbose", "origin", "main", "other", "v1"]);

    push.assert_rejected();
    let listing = "\
evalgate: checked ref `refs/heads/main`
evalgate: checked ref `refs/heads/other`
evalgate: checked ref `refs/tags/v1`
evalgate: checked file `eval.yaml` (1 error) in `refs/heads/main`, `refs/heads/other` and 1
          more
evalgate: checked file `.eval_results/hle.yaml` (no problems) in `refs/heads/main`,
          `refs/heads/other` and 1 more
evalgate: rejected: problems in `refs/heads/main`, `refs/heads/other`, `refs/tags/v1`
";
    assert!(push.remote().starts_with(listing), "{}", push.remote());

    client.git(&["rm", "--quiet", "eval.yaml"]);
    client.commit(&[], "drop eval.yaml");
    let push = client.push(&["-o", "evalgate.verbose", "origin", "main"]);
    push.assert_accepted();
    assert_eq!(
        push.remote(),
        "evalgate: checked ref `refs/heads/main`\n\
         evalgate: checked file `.eval_results/hle.yaml` (no problems) in `refs/heads/main`\n\
         evalgate: 1 file checked in 1 ref, no problems\n"
    );

    let push = client.push(&["-o", "evalgate.verbose", "origin", "main:side"]);
    push.assert_accepted();
    assert_eq!(
        push.remote(),
        "evalgate: checked ref `refs/heads/side`\n\
         evalgate: no eval.yaml or .eval_results/ file changed in 1 checked ref\n"
    );
}
