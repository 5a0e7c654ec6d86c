//! The hook through real pushes: `git push` into bare repositories that have
//! `evalgate pre-receive` installed, judged by what the pusher sees and by
//! what the server holds afterwards.

use std::process::Command;

use crate::gitworld::{
    BROKEN, INVALID, VALID, World, evalgate, flat, install, pre_receive, ref_of, state, text,
};

const ZERO: &str = "0000000000000000000000000000000000000000";

#[test]
fn a_valid_push_is_accepted() {
    let world = World::new();
    let server = world.server("server.git", &[]);
    let client = world.clone(&server, "client");
    let tip = client.commit(&[(".eval_results/hle.yaml", VALID)], "results");

    let push = client.push(&["origin", "main"]);

    push.assert_accepted();
    assert_eq!(push.remote(), "evalgate: 1 file checked in 1 ref, no problems\n");
    assert_eq!(ref_of(&world, &server, "refs/heads/main"), Some(tip));
}

#[test]
fn an_invalid_push_is_rejected_and_the_server_keeps_its_refs_and_objects() {
    let world = World::new();
    let server = world.server("server.git", &[]);
    let client = world.clone(&server, "client");
    client.commit(&[(".eval_results/hle.yaml", VALID)], "good");
    client.push(&["origin", "main"]).assert_accepted();
    let before = state(&world, &server);

    client.commit(&[(".eval_results/bad.yaml", INVALID)], "bad");
    let push = client.push(&["origin", "main"]);

    push.assert_rejected();
    assert_eq!(
        push.remote(),
        "evalgate: rejected: problems in `refs/heads/main`\n\
         \n\
         error[yaml-duplicate-key]: the key \"value\" appears twice in this mapping\n \
         --> .eval_results/bad.yaml:5:3 (refs/heads/main)\n  \
         |\n\
         5 |   value: 21.0\n  \
         |   ^^^^^\n  \
         |\n  \
         = help: the first is at line 4; keep one of them (readers disagree on which wins)\n\
         \n\
         evalgate: 1 error in 1 file, 1 ref checked; the push was rejected, nothing changed\n"
    );
    assert!(push.stderr.contains("! [remote rejected] main -> main (pre-receive hook declined)"));
    assert_eq!(state(&world, &server), before, "the server changed");
}

#[test]
fn in_a_push_of_three_refs_the_bad_third_rejects_all() {
    let world = World::new();
    let server = world.server("server.git", &[]);
    let client = world.clone(&server, "client");
    client.commit(&[(".eval_results/base.yaml", VALID)], "base");
    client.push(&["origin", "main"]).assert_accepted();
    for (branch, content) in [("one", VALID), ("two", VALID), ("three", BROKEN)] {
        client.git(&["checkout", "--quiet", "-b", branch, "main"]);
        client.commit(&[(&format!(".eval_results/{branch}.yaml"), content)], branch);
    }
    let before = state(&world, &server);

    let push = client.push(&["origin", "one", "two", "three"]);

    push.assert_rejected()
        .shows("evalgate: rejected: problems in `refs/heads/three`\n")
        .shows("error[yaml-syntax]")
        .shows("--> .eval_results/three.yaml:4:")
        .shows("(refs/heads/three)")
        .shows("3 refs checked")
        .hides("one.yaml")
        .hides("two.yaml");
    assert_eq!(state(&world, &server), before);
}

#[test]
fn a_new_branch_is_blamed_only_for_what_it_changes() {
    // `main` got a bad file before the hook was installed.
    let world = World::new();
    let server = world.bare("server.git", &[]);
    let client = world.clone(&server, "client");
    client.commit(&[(".eval_results/old.yaml", INVALID)], "grandfathered");
    client.push(&["origin", "main"]).assert_accepted();
    install(&server, &[]);

    client.git(&["checkout", "--quiet", "-b", "feature", "main"]);
    client.commit(&[(".eval_results/new.yaml", VALID)], "new file");
    client.push(&["origin", "feature"]).assert_accepted().hides("old.yaml");

    client.git(&["checkout", "--quiet", "-b", "touch-old", "main"]);
    let touched = format!("{INVALID}# still bad\n");
    client.commit(&[(".eval_results/old.yaml", &touched)], "edit old file");
    client.push(&["origin", "touch-old"]).assert_rejected().shows("--> .eval_results/old.yaml:5:3");

    // Updating `main` without touching the file is fine too.
    client.git(&["checkout", "--quiet", "main"]);
    client.commit(&[("README.md", "hello\n")], "readme");
    client.push(&["origin", "main"]).assert_accepted();
}

#[test]
fn an_orphan_branch_is_checked_whole() {
    let world = World::new();
    let server = world.server("server.git", &[]);
    let client = world.clone(&server, "client");
    client.commit(&[(".eval_results/a.yaml", VALID)], "main");
    client.push(&["origin", "main"]).assert_accepted();

    client.git(&["checkout", "--quiet", "--orphan", "orphan"]);
    client.git(&["rm", "-r", "--quiet", "--cached", "."]);
    std::fs::remove_dir_all(client.dir.join(".eval_results")).unwrap();
    client.commit(&[("eval.yaml", "name: [unclosed\n")], "orphan");
    client.push(&["origin", "orphan"]).assert_rejected().shows("--> eval.yaml:");

    std::fs::remove_file(client.dir.join("eval.yaml")).unwrap();
    client.commit(&[(".eval_results/b.yaml", VALID)], "fix");
    client.push(&["origin", "orphan"]).assert_accepted();
}

#[test]
fn the_first_push_into_an_empty_repository_is_checked() {
    let world = World::new();
    let server = world.server("server.git", &[]);
    let client = world.clone(&server, "client");
    client.commit(&[(".eval_results/a.yaml", BROKEN)], "first");

    client.push(&["origin", "main"]).assert_rejected().shows("--> .eval_results/a.yaml:4:");
    assert_eq!(ref_of(&world, &server, "refs/heads/main"), None);
}

#[test]
fn a_force_push_is_compared_with_the_old_tip() {
    let world = World::new();
    let server = world.server("server.git", &[]);
    let client = world.clone(&server, "client");
    client.commit(&[(".eval_results/a.yaml", VALID)], "good");
    client.push(&["origin", "main"]).assert_accepted();

    client.write(".eval_results/a.yaml", INVALID);
    client.git(&["commit", "--quiet", "--amend", "-a", "-m", "rewritten"]);
    client.push(&["--force", "origin", "main"]).assert_rejected().shows("a.yaml:5:3");

    client.write(".eval_results/a.yaml", format!("{VALID}# amended\n"));
    client.git(&["commit", "--quiet", "--amend", "-a", "-m", "rewritten well"]);
    let tip = client.git(&["rev-parse", "HEAD"]);
    client.push(&["--force", "origin", "main"]).assert_accepted();
    assert_eq!(ref_of(&world, &server, "refs/heads/main"), Some(tip));
}

#[test]
fn an_annotated_tag_is_peeled_to_its_commit() {
    let world = World::new();
    let server = world.server("server.git", &[]);
    let client = world.clone(&server, "client");
    client.commit(&[(".eval_results/a.yaml", VALID)], "good");
    client.push(&["origin", "main"]).assert_accepted();

    client.git(&["checkout", "--quiet", "--detach"]);
    client.commit(&[(".eval_results/tagged.yaml", BROKEN)], "only tagged");
    client.git(&["tag", "-a", "v1", "-m", "release"]);
    client
        .push(&["origin", "v1"])
        .assert_rejected()
        .shows("problems in `refs/tags/v1`")
        .shows("(refs/tags/v1)");
    assert_eq!(ref_of(&world, &server, "refs/tags/v1"), None);
}

#[test]
fn a_tag_on_a_tree_is_let_through_with_a_note() {
    let world = World::new();
    let server = world.server("server.git", &[]);
    let client = world.clone(&server, "client");
    client.commit(&[(".eval_results/a.yaml", BROKEN)], "bad, but only a tree is tagged");
    client.git(&["tag", "-a", "tree-tag", "-m", "a tree", "HEAD^{tree}"]);

    client
        .push(&["origin", "tree-tag"])
        .assert_accepted()
        .shows("note: `refs/tags/tree-tag` points at a tree, not a commit; not checked");
}

#[test]
fn deleting_a_ref_is_let_through() {
    let world = World::new();
    let server = world.bare("server.git", &[]);
    let client = world.clone(&server, "client");
    client.commit(&[(".eval_results/a.yaml", BROKEN)], "bad before the hook");
    client.push(&["origin", "main", "main:old"]).assert_accepted();
    install(&server, &[]);

    let push = client.push(&["origin", ":old"]);

    push.assert_accepted();
    assert_eq!(push.remote(), "\n", "a deletion prints nothing: {}", push.stderr);
    assert_eq!(ref_of(&world, &server, "refs/heads/old"), None);
}

#[test]
fn a_review_ref_is_compared_with_its_branch() {
    let world = World::new();
    let server = world.bare("server.git", &[]);
    let client = world.clone(&server, "client");
    client.commit(&[(".eval_results/old.yaml", BROKEN)], "grandfathered");
    client.push(&["origin", "main"]).assert_accepted();
    install(&server, &[]);

    client.commit(&[(".eval_results/new.yaml", VALID)], "good change");
    client.push(&["origin", "HEAD:refs/for/main/topic"]).assert_accepted().hides("old.yaml");

    client.commit(&[(".eval_results/new.yaml", INVALID)], "bad change");
    client
        .push(&["origin", "HEAD:refs/for/main/other-topic"])
        .assert_rejected()
        .shows("(refs/for/main/other-topic)")
        .hides("old.yaml");
}

#[test]
fn forge_internal_refs_are_let_through_unchecked() {
    let world = World::new();
    let server = world.server("server.git", &[]);
    let client = world.clone(&server, "client");
    let tip = client.commit(&[(".eval_results/a.yaml", BROKEN)], "bad");

    let push = client.push(&["origin", "HEAD:refs/pull/1/head"]);

    push.assert_accepted();
    assert_eq!(push.remote(), "\n");
    assert_eq!(ref_of(&world, &server, "refs/pull/1/head"), Some(tip));
}

#[test]
fn links_submodules_lfs_pointers_huge_and_binary_files_are_rejected() {
    let world = World::new();
    let server = world.server("server.git", &[]);
    let client = world.clone(&server, "client");
    let commit = client.commit(&[("README.md", "x\n")], "something to point at");
    let lfs = "version https://git-lfs.github.com/spec/v1\n\
               oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n\
               size 12345\n";
    client.write(".eval_results/lfs.yaml", lfs);
    client.write(".eval_results/huge.yaml", format!("# padding\n{}", "#\n".repeat(600_000)));
    client.write(".eval_results/garbage.yaml", b"\x00\x01\xff\xfe binary\n");
    client.git(&["add", "-A"]);
    let target = client.blob("../elsewhere.yaml");
    client.add_entry("120000", &target, ".eval_results/link.yaml");
    client.add_entry("160000", &commit, ".eval_results/sub.yaml");
    client.git(&["commit", "--quiet", "-m", "bad"]);

    let push = client.push(&["origin", "main"]);

    push.assert_rejected()
        .shows("error[not-a-file]: this path is a symbolic link, not a regular file\n --> .eval_results/link.yaml")
        .shows("error[not-a-file]: this path is a submodule, not a regular file\n --> .eval_results/sub.yaml")
        .shows("error[lfs-pointer]")
        .shows("--> .eval_results/lfs.yaml:1:1")
        .shows("error[file-too-large]: the file is 1200010 bytes, more than the cap of 1048576 bytes")
        .shows("error[not-utf8]")
        .shows("--> .eval_results/garbage.yaml:1:")
        .shows("5 errors in 5 files, 1 ref checked");
    assert!(push.remote().lines().all(|line| line.chars().count() <= 92), "{}", push.stderr);
}

#[test]
fn a_smaller_size_cap_is_passed_through_install() {
    let world = World::new();
    let server = world.server("server.git", &["--max-file-size", "100"]);
    let client = world.clone(&server, "client");
    client.commit(&[(".eval_results/a.yaml", VALID)], "valid but over 100 bytes");

    client.push(&["origin", "main"]).assert_rejected().shows("more than the cap of 100 bytes");
}

#[test]
fn a_results_file_instead_of_the_folder_and_a_folder_named_eval_yaml_are_rejected() {
    let world = World::new();
    let server = world.server("server.git", &[]);
    let client = world.clone(&server, "client");
    client.commit(&[(".eval_results", VALID), ("eval.yaml/inner.yaml", "a: 1\n")], "odd shapes");

    client
        .push(&["origin", "main"])
        .assert_rejected()
        .shows("error[not-a-folder]: `.eval_results` is a file, not a folder\n --> .eval_results (refs/heads/main)\n")
        .shows("error[not-a-file]: this path is a folder, not a regular file\n --> eval.yaml (refs/heads/main)\n");
}

#[test]
fn files_the_hub_ignores_get_a_warning_and_are_accepted() {
    let world = World::new();
    let server = world.server("server.git", &[]);
    let client = world.clone(&server, "client");
    client.commit(&[(".eval_results/hle.yml", BROKEN)], "a .yml file");

    client
        .push(&["origin", "main"])
        .assert_accepted()
        .shows("warning[ignored-path]")
        .shows("--> .eval_results/hle.yml")
        .shows("(refs/heads/main)")
        .shows("evalgate: accepted with 1 warning in 1 file, 1 ref checked");
}

#[test]
fn deleted_files_are_fine() {
    let world = World::new();
    let server = world.bare("server.git", &[]);
    let client = world.clone(&server, "client");
    client.commit(&[(".eval_results/old.yaml", BROKEN), (".eval_results/ok.yaml", VALID)], "x");
    client.push(&["origin", "main"]).assert_accepted();
    install(&server, &[]);

    client.git(&["rm", "--quiet", ".eval_results/old.yaml"]);
    client.git(&["commit", "--quiet", "-m", "remove the bad file"]);
    let push = client.push(&["origin", "main"]);

    push.assert_accepted();
    assert_eq!(push.remote(), "\n");
}

#[test]
fn a_sha256_repository_works() {
    let world = World::new();
    let server = world.bare("server.git", &["--object-format=sha256"]);
    install(&server, &[]);
    let client = world.clone(&server, "client");
    assert_eq!(client.git(&["rev-parse", "--show-object-format"]), "sha256");

    let tip = client.commit(&[(".eval_results/a.yaml", VALID)], "good");
    assert_eq!(tip.len(), 64);
    client.push(&["origin", "main"]).assert_accepted();

    client.commit(&[(".eval_results/b.yaml", INVALID)], "bad");
    client.push(&["origin", "main"]).assert_rejected().shows("--> .eval_results/b.yaml:5:3");
    client.git(&["checkout", "--quiet", "-b", "side", "main~1"]);
    client.push(&["origin", "side"]).assert_accepted();
    assert_eq!(ref_of(&world, &server, "refs/heads/main"), Some(tip));
}

#[test]
fn under_gitlab_every_line_carries_the_prefix() {
    let world = World::new();
    let server = world.server("server.git", &[]);
    let client = world.clone(&server, "client");
    client.commit(&[(".eval_results/bad.yaml", INVALID)], "bad");

    let push = client.push_with_env(&["origin", "main"], &[("GL_ID", "user-1")]);

    push.assert_rejected();
    let remote = push.remote();
    assert!(remote.lines().count() > 5, "{remote}");
    assert!(remote.lines().all(|line| line.starts_with("GL-HOOK-ERR:")), "{remote}");
    assert!(remote.contains("GL-HOOK-ERR:  --> .eval_results/bad.yaml:5:3"), "{remote}");
}

#[test]
fn eight_pushes_at_once_each_get_their_own_verdict() {
    let world = World::new();
    let server = world.server("server.git", &[]);
    let seed = world.clone(&server, "seed");
    seed.commit(&[(".eval_results/base.yaml", VALID)], "base");
    seed.push(&["origin", "main"]).assert_accepted();
    let clients: Vec<_> = (0..8).map(|i| world.clone(&server, &format!("c{i}"))).collect();
    for (i, client) in clients.iter().enumerate() {
        let content = if i % 2 == 0 { VALID } else { BROKEN };
        client.git(&["checkout", "--quiet", "-b", &format!("b{i}")]);
        client.commit(&[(&format!(".eval_results/f{i}.yaml"), content)], "change");
    }

    let pushes: Vec<_> = std::thread::scope(|scope| {
        let handles: Vec<_> = clients
            .iter()
            .enumerate()
            .map(|(i, client)| scope.spawn(move || client.push(&["origin", &format!("b{i}")])))
            .collect();
        handles.into_iter().map(|h| h.join().expect("push thread")).collect()
    });

    for (i, push) in pushes.iter().enumerate() {
        let name = format!("refs/heads/b{i}");
        if i % 2 == 0 {
            push.assert_accepted();
            assert!(ref_of(&world, &server, &name).is_some());
        } else {
            push.assert_rejected().shows(&format!("--> .eval_results/f{i}.yaml:4:"));
            assert_eq!(ref_of(&world, &server, &name), None);
        }
        for other in (0..8).filter(|j| *j != i) {
            push.hides(&format!("f{other}.yaml"));
        }
    }
}

#[test]
fn every_commit_mode_catches_a_bad_commit_fixed_later() {
    let world = World::new();
    let lenient = world.server("lenient.git", &[]);
    let strict = world.server("strict.git", &["--every-commit"]);
    let client = world.clone(&lenient, "client");
    client.git(&["remote", "add", "strict", strict.to_str().unwrap()]);
    client.commit(&[(".eval_results/a.yaml", VALID)], "base");
    client.push(&["origin", "main"]).assert_accepted();
    client.push(&["strict", "main"]).assert_accepted();

    let bad = client.commit(&[(".eval_results/a.yaml", INVALID)], "oops");
    client.commit(&[(".eval_results/a.yaml", VALID)], "fixed");

    client.push(&["origin", "main"]).assert_accepted();
    client
        .push(&["strict", "main"])
        .assert_rejected()
        .shows(&format!("--> .eval_results/a.yaml:5:3 (refs/heads/main at {})", &bad[..10]));
}

#[test]
fn every_commit_mode_does_not_blame_commits_the_server_has() {
    let world = World::new();
    let server = world.bare("server.git", &[]);
    let client = world.clone(&server, "client");
    client.commit(&[(".eval_results/old.yaml", BROKEN)], "grandfathered");
    client.push(&["origin", "main"]).assert_accepted();
    install(&server, &["--every-commit"]);

    client.git(&["checkout", "--quiet", "-b", "feature"]);
    client.commit(&[(".eval_results/new.yaml", VALID)], "good");
    client.push(&["origin", "feature"]).assert_accepted().hides("old.yaml");
}

/// Runs `evalgate pre-receive` by hand in `repo`, as an operator would.

#[test]
fn run_by_hand_without_a_quarantine_it_checks_objects_already_in_the_repository() {
    let world = World::new();
    let server = world.bare("server.git", &[]);
    let client = world.clone(&server, "client");
    let good = client.commit(&[(".eval_results/a.yaml", VALID)], "good");
    let bad = client.commit(&[(".eval_results/b.yaml", INVALID)], "bad");
    client.push(&["origin", "main"]).assert_accepted();

    let (code, stderr) = pre_receive(&world, &server, &[], &format!("{good} {bad} refs/heads/x\n"));
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("--> .eval_results/b.yaml:5:3 (refs/heads/x)"), "{stderr}");

    let (code, stderr) = pre_receive(&world, &server, &[], &format!("{ZERO} {bad} refs/heads/y\n"));
    assert_eq!(code, 0, "a new branch at main's tip changes nothing: {stderr}");
}

#[test]
fn when_it_cannot_check_it_rejects_unless_told_to_allow() {
    let world = World::new();
    let server = world.bare("server.git", &[]);

    let (code, stderr) = pre_receive(&world, &server, &[], "not a ref update\n");
    assert_eq!(code, 2);
    assert!(
        stderr.contains("evalgate: error: could not check this push: hook input line 1"),
        "{stderr}"
    );
    assert!(stderr.contains("the push was rejected because it could not be checked"), "{stderr}");

    let missing = format!("{ZERO} {} refs/heads/main\n", "1".repeat(40));
    let (code, stderr) = pre_receive(&world, &server, &[], &missing);
    assert_eq!(code, 2);
    let said = flat(&stderr);
    assert!(said.contains("`refs/heads/main`: object `1111"), "{stderr}");
    assert!(said.contains("is not in the repository or the push"), "{stderr}");

    let (code, stderr) = pre_receive(&world, &server, &["--on-error", "allow"], &missing);
    assert_eq!(code, 0);
    assert!(stderr.contains("the push goes through unchecked"), "{stderr}");
}

#[test]
fn control_characters_in_pushed_files_are_never_echoed() {
    let world = World::new();
    let server = world.bare("server.git", &[]);
    let client = world.clone(&server, "client");
    let base = client.commit(&[("README.md", "x\n")], "base");
    let evil = "- a: 1\n  a: \"\x1b[2J\x1b]0;owned\x07\"\n";
    let tip = client.commit(&[(".eval_results/evil.yaml", evil)], "evil");
    client.push(&["origin", "main"]).assert_accepted();

    let (code, stderr) =
        pre_receive(&world, &server, &[], &format!("{base} {tip} refs/heads/main\n"));

    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("\\u{1b}"), "{stderr}");
    assert!(!stderr.chars().any(|c| c.is_control() && c != '\n'), "{stderr:?}");
}

#[test]
fn output_is_capped() {
    let world = World::new();
    let server = world.server("server.git", &["--max-findings", "2"]);
    let client = world.clone(&server, "client");
    let files: Vec<(String, &str)> =
        (0..5).map(|i| (format!(".eval_results/f{i}.yaml"), BROKEN)).collect();
    let files: Vec<(&str, &str)> = files.iter().map(|(p, c)| (p.as_str(), *c)).collect();
    client.commit(&files, "five bad files");

    let push = client.push(&["origin", "main"]);

    push.assert_rejected().shows("... and 3 more findings not shown").shows("5 errors in 5 files");
    assert_eq!(push.remote().matches("error[yaml-syntax]").count(), 2);
}

#[test]
fn the_hook_fails_closed_when_the_program_is_gone() {
    let world = World::new();
    let copy = world.path("evalgate-copy");
    std::fs::copy(env!("CARGO_BIN_EXE_evalgate"), &copy).unwrap();
    let server = world.bare("server.git", &[]);
    let output = Command::new(&copy).args(["install", server.to_str().unwrap()]).output().unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    std::fs::remove_file(&copy).unwrap();

    let client = world.clone(&server, "client");
    client.commit(&[(".eval_results/a.yaml", VALID)], "good");
    client
        .push(&["origin", "main"])
        .assert_rejected()
        .shows("evalgate: the hook program")
        .shows("is missing, so this push cannot be checked.");
}

#[test]
fn the_demo_runs_and_succeeds() {
    let output = evalgate(&["demo"]);
    let stdout = text(&output.stdout);
    assert!(output.status.success(), "{stdout}\n{}", text(&output.stderr));
    assert!(stdout.contains("remote: evalgate: 1 file checked in 1 ref, no problems"), "{stdout}");
    assert!(stdout.contains("! [remote rejected] main -> main (pre-receive hook declined)"));
    assert!(
        stdout.contains("remote: error[value-not-number]: `value` must be a number"),
        "{stdout}"
    );
    assert!(stdout.contains("remote:  --> .eval_results/broken.yaml:3:10 (refs/heads/main)"));
    assert!(stdout.contains("both pushes behaved as expected"), "{stdout}");
}

#[test]
fn a_blob_in_several_refs_is_reported_once_naming_each_ref() {
    let world = World::new();
    let server = world.server("server.git", &[]);
    let client = world.clone(&server, "client");
    client.commit(&[(".eval_results/a.yaml", VALID)], "base");
    client.push(&["origin", "main"]).assert_accepted();
    client.git(&["checkout", "--quiet", "-b", "x"]);
    client.commit(&[(".eval_results/bad.yaml", BROKEN)], "x");
    client.git(&["checkout", "--quiet", "-b", "y", "main"]);
    client.commit(&[(".eval_results/bad.yaml", BROKEN), ("other.txt", "y\n")], "y");

    let push = client.push(&["origin", "x", "y"]);

    push.assert_rejected()
        .shows("problems in `refs/heads/x`, `refs/heads/y`")
        .shows("--> .eval_results/bad.yaml:4:10 (refs/heads/x, refs/heads/y)")
        .shows("1 error in 1 file, 2 refs checked");
    assert_eq!(push.remote().matches("error[yaml-syntax]").count(), 1);
}

#[test]
fn the_quiet_push_option_silences_a_clean_push() {
    let world = World::new();
    let server = world.server("server.git", &[]);
    world.git(&server, &["config", "receive.advertisePushOptions", "true"]);
    let client = world.clone(&server, "client");
    client.commit(&[(".eval_results/a.yaml", VALID)], "good");

    let push = client.push(&["-o", "evalgate.quiet", "origin", "main"]);

    push.assert_accepted();
    assert_eq!(push.remote(), "\n", "{}", push.stderr);
}

#[test]
fn a_push_of_many_files_is_checked_in_batches_in_push_order() {
    // Over 1,024 distinct blobs: two batches, each checked on several
    // threads; one bad blob at three paths, across both batches.
    let world = World::new();
    let server = world.server("server.git", &[]);
    let client = world.clone(&server, "client");
    let files: Vec<(String, String)> = (0..1100)
        .map(|i| {
            let path = format!(".eval_results/r{i:04}.yaml");
            let text = match i {
                3 | 500 | 1050 => INVALID.to_owned(),
                _ => VALID.replace("20.90", &format!("{i}.5")),
            };
            (path, text)
        })
        .collect();
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    client.commit(&files, "many");

    let push = client.push(&["origin", "main"]);

    push.assert_rejected().shows("3 errors in 1100 files, 1 ref checked");
    let places: Vec<&str> = push.stderr.lines().filter(|l| l.contains("--> ")).collect();
    assert_eq!(places.len(), 3, "{}", push.stderr);
    for (place, i) in places.iter().zip(["0003", "0500", "1050"]) {
        assert!(place.contains(&format!("--> .eval_results/r{i}.yaml:5:3")), "{place}");
    }

    let fixed: Vec<(String, String)> = [3, 500, 1050]
        .iter()
        .map(|i| (format!(".eval_results/r{i:04}.yaml"), VALID.to_owned()))
        .collect();
    let fixed: Vec<(&str, &str)> = fixed.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    client.commit(&fixed, "fixed");
    client.push(&["origin", "main"]).assert_accepted().shows("1100 files checked in 1 ref");
}
