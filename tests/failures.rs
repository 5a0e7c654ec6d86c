//! The gate when something goes wrong around it: a broken or unreadable
//! repository, a hook killed mid-check, a check past its time budget, a bug
//! that panics. Each ends in a message and a verdict, and a rejected push
//! leaves the server exactly as it was.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use crate::e2e::write_script;
use crate::gitworld::{VALID, World, flat, install, state, text, tree};

/// `n` valid result files, for a push that takes a while to check.
fn many_files(n: usize) -> Vec<(String, &'static str)> {
    (0..n).map(|i| (format!(".eval_results/r{i:04}.yaml"), VALID)).collect()
}

fn commit_many(client: &crate::gitworld::Client<'_>, n: usize) {
    let files = many_files(n);
    let files: Vec<(&str, &str)> = files.iter().map(|(p, c)| (p.as_str(), *c)).collect();
    client.commit(&files, "many results");
}

#[test]
fn a_check_past_its_deadline_is_rejected_or_allowed_as_configured() {
    let world = World::new();
    let strict = world.server("strict.git", &["--deadline", "1ms"]);
    let lenient = world.server("lenient.git", &["--deadline", "1ms", "--on-error", "allow"]);
    let roomy = world.server("roomy.git", &["--deadline", "60s"]);
    let client = world.clone(&strict, "client");
    commit_many(&client, 300);
    let before = state(&world, &strict);

    let push = client.push(&["origin", "main"]);

    push.assert_rejected();
    let said = flat(&push.stderr);
    assert!(
        said.contains("could not check this push: it took longer than its time budget of 1ms"),
        "{said}"
    );
    assert!(said.contains("the push was rejected because it could not be checked"), "{said}");
    assert_eq!(state(&world, &strict), before, "the server changed");

    let push = client.push(&[lenient.to_str().unwrap(), "main"]);
    push.assert_accepted();
    assert!(flat(&push.stderr).contains("the push goes through unchecked"), "{}", push.stderr);

    let push = client.push(&[roomy.to_str().unwrap(), "main"]);
    push.assert_accepted().shows("300 files checked in 1 ref, no problems");
}

#[test]
fn a_panic_in_the_checks_is_reported_as_could_not_check() {
    let world = World::new();
    let server = world.server("server.git", &[]);
    let client = world.clone(&server, "client");
    client.commit(&[(".eval_results/a.yaml", VALID)], "good");
    let before = state(&world, &server);

    // Debug builds panic inside the check when this is set; git passes the
    // pusher's environment to a local push's hook.
    let push = client.push_with_env(&["origin", "main"], &[("EVALGATE_DEBUG_PANIC", "1")]);

    push.assert_rejected().hides("panicked at").hides("RUST_BACKTRACE");
    let said = flat(&push.stderr);
    assert!(
        said.contains(
            "could not check this push: evalgate failed inside: EVALGATE_DEBUG_PANIC is set \
             (at src/cmd/pre_receive.rs:"
        ),
        "{said}"
    );
    assert!(said.contains("This is a bug in evalgate"), "{said}");
    assert_eq!(state(&world, &server), before, "the server changed");
}

#[test]
fn a_hook_killed_mid_check_rejects_the_push_and_writes_nothing() {
    let world = World::new();
    let server = world.bare("server.git", &[]);
    // As a server's timeout would: kill the hook while it runs. Its input
    // is held open, so that it is surely still running when it is killed.
    let hook = format!(
        "#!/bin/sh\nexec 3<&0\n(cat <&3; sleep 1) 2>/dev/null | '{}' pre-receive &\n\
         pid=$!\nsleep 0.2\nkill -9 $pid && echo 'killed the hook' >&2\nwait $pid\n",
        env!("CARGO_BIN_EXE_evalgate")
    );
    write_script(&server.join("hooks/pre-receive"), &hook);
    let client = world.clone(&server, "client");
    commit_many(&client, 30);
    let before = state(&world, &server);

    let push = client.push(&["origin", "main"]);

    push.assert_rejected().shows("killed the hook");
    assert_eq!(state(&world, &server), before, "the server changed");
    let left = Command::new("find").arg(&server).args(["-name", "incoming-*"]).output().unwrap();
    assert_eq!(text(&left.stdout), "", "a quarantine was left behind");
}

#[test]
fn a_missing_object_in_a_broken_repository_is_named() {
    let world = World::new();
    let server = world.server("server.git", &[]);
    let client = world.clone(&server, "client");
    client.commit(&[(".eval_results/a.yaml", VALID)], "first");
    client.push(&["origin", "main"]).assert_accepted();
    // Break the server: lose the tree of `.eval_results` that main holds.
    let tree = world.git(&server, &["rev-parse", "main:.eval_results"]);
    let loose = server.join("objects").join(&tree[..2]).join(&tree[2..]);
    std::fs::remove_file(&loose).expect("a small push leaves loose objects");
    client.commit(&[(".eval_results/b.yaml", VALID)], "second");
    let before = state_without_fsck(&world, &server);

    let push = client.push(&["origin", "main"]);

    push.assert_rejected();
    let said = flat(&push.stderr);
    assert!(said.contains(&format!("object `{tree}`")), "{said}");
    assert!(said.contains("the push was rejected because it could not be checked"), "{said}");
    assert_eq!(state_without_fsck(&world, &server), before, "the server changed");
}

#[test]
fn an_unreadable_repository_is_said_to_be_one() {
    let world = World::new();
    let not_a_repo = world.path("plain-folder");
    std::fs::create_dir(&not_a_repo).unwrap();
    let broken = world.bare("broken.git", &[]);
    std::fs::write(broken.join("config"), "[core\n\tbare = ???\n").unwrap();

    for (dir, expected) in [(&not_a_repo, "plain-folder"), (&broken, "broken.git")] {
        let output = Command::new(env!("CARGO_BIN_EXE_evalgate"))
            .arg("pre-receive")
            .env("GIT_DIR", dir)
            .env_remove("GIT_OBJECT_DIRECTORY")
            .env("EVALGATE_SYSTEM_CONFIG", world.path("none.toml"))
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        let said = flat(&text(&output.stderr));
        assert_eq!(output.status.code(), Some(2), "{said}");
        assert!(
            said.contains("could not check this push: could not open the repository at"),
            "{said}"
        );
        assert!(said.contains(expected), "{said}");
    }
}

/// Refs and every file under `objects/`: `state` asks git for every object,
/// which a repository with a missing object cannot answer.
fn state_without_fsck(world: &World, repo: &Path) -> (String, BTreeMap<String, String>) {
    let refs = world.git(repo, &["for-each-ref", "--format=%(objectname) %(refname)"]);
    (refs, tree(&repo.join("objects")))
}

#[test]
fn install_is_kept_in_step_with_the_deadline_option() {
    let world = World::new();
    let server = world.bare("server.git", &[]);
    install(&server, &["--deadline", "4s"]);
    let hook = std::fs::read_to_string(server.join("hooks/pre-receive")).unwrap();
    assert!(hook.contains("pre-receive '--deadline' '4s'"), "{hook}");
}

#[test]
fn a_shallow_server_repository_still_checks_new_and_orphan_branches() {
    // The merge-base walk for a new branch stops at the shallow boundary,
    // where the parents are missing, instead of failing.
    let world = World::new();
    let origin = world.bare("origin.git", &[]);
    let client = world.clone(&origin, "client");
    for i in 0..4 {
        client.commit(&[(&format!("f{i}"), "x\n")], &format!("c{i}"));
    }
    client.push(&["origin", "main"]).assert_accepted();
    let url = format!("file://{}", origin.display());
    world
        .git(&world.path(""), &["clone", "--quiet", "--bare", "--depth", "1", &url, "shallow.git"]);
    let server = world.path("shallow.git");
    assert!(server.join("shallow").exists(), "the server is not shallow");
    install(&server, &[]);
    let target = server.to_str().unwrap();

    client.git(&["checkout", "--quiet", "-b", "topic"]);
    client.commit(&[(".eval_results/a.yaml", VALID)], "result");
    client.push(&[target, "topic"]).assert_accepted().shows("1 file checked in 1 ref");

    client.git(&["checkout", "--quiet", "--orphan", "orphan"]);
    client.git(&["rm", "-r", "--quiet", "-f", "."]);
    client.commit(&[(".eval_results/b.yaml", "- value: \"x\"\n")], "orphan");
    let before = state(&world, &server);
    client.push(&[target, "orphan"]).assert_rejected().shows("error[value-not-number]");
    assert_eq!(state(&world, &server), before, "the server changed");
}
