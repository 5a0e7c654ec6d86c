//! Hostile input: the cases of `fixtures/hostile.toml` through `evalgate
//! check` and through real pushes, and hostile pushes themselves (10,000
//! refs, malformed hook input).
//!
//! Each case must get its finding; what the user sees must stay within the
//! width and carry no control or bidirectional formatting character; a
//! rejected push must leave the server exactly as it was. How long each
//! case takes is measured by `cargo bench --bench check`, not here.

use std::io::Write;
use std::process::Stdio;

use evalgate::report::WIDTH;

use crate::common::hostile::{Case, cases};
use crate::common::{root, unsafe_to_show};
use crate::gitworld::{INVALID, VALID, World, flat, pre_receive, state, text};

/// Runs `evalgate check` on the case's bytes through standard input.
fn check(case: &Case, format: &str) -> (i32, String) {
    let mut args = vec!["check", "--as", &case.kind, "--format", format];
    let cap = case.cap.map(|cap| cap.to_string());
    if let Some(cap) = &cap {
        args.extend(["--max-file-size", cap]);
    }
    args.push("-");
    let mut child = crate::common::evalgate()
        .args(&args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("evalgate runs");
    let mut stdin = child.stdin.take().expect("stdin");
    let bytes = case.bytes.clone();
    // Written from a thread: the output may fill its pipe before the input ends.
    // evalgate may stop reading at the size cap: a broken pipe is no error.
    let writer = std::thread::spawn(move || {
        let written = stdin.write_all(&bytes);
        assert!(written.is_ok() || bytes.len() > 1 << 20, "write stdin: {written:?}");
    });
    let output = child.wait_with_output().expect("evalgate runs");
    writer.join().expect("write stdin");
    (output.status.code().unwrap_or(-1), text(&output.stdout))
}

#[track_caller]
fn assert_safe_to_show(name: &str, shown: &str) {
    for line in shown.lines() {
        assert!(line.chars().count() <= WIDTH, "{name}: a line over {WIDTH} columns: {line:?}");
        assert!(!line.chars().any(unsafe_to_show), "{name}: shown raw: {line:?}");
    }
}

#[test]
fn every_hostile_case_gets_its_finding_and_is_shown_safely() {
    let cases = cases(root());
    assert!(cases.len() >= 20, "fixtures/hostile.toml lost cases");
    for case in &cases {
        let (code, human) = check(case, "human");
        let name = &case.name;
        assert!(
            human.contains(&format!("[{}]: ", case.expect)),
            "{name}: no {}:\n{human}",
            case.expect
        );
        assert_safe_to_show(name, &human);

        let (json_code, json) = check(case, "json");
        assert_eq!(json_code, code, "{name}: the formats disagree on the exit status");
        let findings: Vec<serde_json::Value> = json
            .lines()
            .map(|line| {
                serde_json::from_str(line).unwrap_or_else(|e| panic!("{name}: {e}: {line}"))
            })
            .collect();
        let expected = findings.iter().any(|f| f["code"] == case.expect.as_str());
        assert!(expected, "{name}: no {} in JSON", case.expect);
        let error = findings.iter().any(|f| f["severity"] == "error");
        assert_eq!(code, if error { 1 } else { 0 }, "{name}: exit status");
    }
}

#[test]
fn every_hostile_case_pushed_is_turned_away_and_the_server_keeps_what_it_had() {
    let world = World::new();
    let server = world.server("server.git", &[]);
    let client = world.clone(&server, "client");
    client.commit(&[(".eval_results/good.yaml", VALID)], "good");
    client.push(&["origin", "main"]).assert_accepted();

    for case in cases(root()).iter().filter(|case| case.cap.is_none()) {
        let path = match case.kind.as_str() {
            "eval-yaml" => "eval.yaml".to_owned(),
            _ => format!(".eval_results/{}.yaml", case.name),
        };
        client.write(&path, &case.bytes);
        client.git(&["add", "-A"]);
        client.git(&["commit", "--quiet", "-m", &case.name]);
        let before = state(&world, &server);

        let push = client.push(&["origin", "main"]);

        let remote = push.remote();
        assert_safe_to_show(&case.name, &remote);
        assert!(remote.contains(&format!("[{}]: ", case.expect)), "{}:\n{remote}", case.name);
        if remote.contains("error[") {
            push.assert_rejected().shows(&format!("--> {path}"));
            assert_eq!(state(&world, &server), before, "{}: the server changed", case.name);
            client.git(&["reset", "--quiet", "--hard", "HEAD~1"]);
        } else {
            push.assert_accepted();
        }
    }
}

#[test]
fn a_push_of_10000_refs_is_checked_once_per_file_and_told_briefly() {
    let world = World::new();
    let server = world.server("server.git", &[]);
    let client = world.clone(&server, "client");
    client.commit(&[("README.md", "base\n")], "base");
    client.push(&["origin", "main"]).assert_accepted();
    let good = client.commit(&[(".eval_results/good.yaml", VALID)], "good");
    let bad = client.commit(&[(".eval_results/bad.yaml", INVALID)], "bad");
    let refs = |tip: &str, prefix: &str| -> String {
        (0..10_000).map(|i| format!("create refs/heads/{prefix}{i:05} {tip}\n")).collect()
    };
    let mut update = world.git_command(&client.dir, &["update-ref", "--stdin"]);
    let mut child = update.stdin(Stdio::piped()).spawn().expect("git runs");
    let input = refs(&good, "good/") + &refs(&bad, "bad/");
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    assert!(child.wait().unwrap().success());
    let before = state(&world, &server);

    let push = client.push(&["origin", "refs/heads/bad/*"]);

    push.assert_rejected()
        .shows("error[yaml-duplicate-key]")
        .shows("--> .eval_results/bad.yaml:5:3");
    assert_eq!(
        push.remote().matches("error[").count(),
        1,
        "one file, one finding: {}",
        push.stderr
    );
    assert!(
        push.remote().lines().count() < 30,
        "the output grew with the refs:\n{}",
        push.remote()
    );
    assert_eq!(state(&world, &server), before, "the server changed");

    client.push(&["origin", "refs/heads/good/*"]).assert_accepted();
    let refs = world.git(&server, &["for-each-ref", "--count=20000", "refs/heads/good/"]);
    assert_eq!(refs.lines().count(), 10_000);
}

#[test]
fn hook_input_with_ids_of_the_wrong_length_is_refused_with_the_line() {
    let world = World::new();
    let server = world.bare("server.git", &[]);
    let long = "a".repeat(64);
    let short = "b".repeat(39);
    let zero = "0".repeat(40);
    for (input, what) in [
        (format!("{zero} {long} refs/heads/main\n"), "line 1"),
        (
            format!("{zero} {} refs/heads/main\n{short} {zero} refs/heads/x\n", "c".repeat(40)),
            "line 2",
        ),
    ] {
        let (code, stderr) = pre_receive(&world, &server, &[], &input);
        assert_eq!(code, 2, "{stderr}");
        let said = flat(&stderr);
        assert!(
            said.contains(&format!("could not check this push: hook input {what}")),
            "{stderr}"
        );
        assert!(said.contains("the push was rejected because it could not be checked"), "{stderr}");
    }
}
