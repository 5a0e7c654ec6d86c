//! The server's view through real pushes: the configuration a hook reads,
//! the benchmark registry, and signed results.

use std::fs;
use std::path::PathBuf;

use crate::gitworld::{World, evalgate, text};

const GPQA_EVAL_YAML: &str = "\
name: GPQA
description: Graduate-level questions.
evaluation_framework: inspect-ai
tasks:
  - id: diamond
    field_spec: {input: Question, target: \"literal:D\"}
    solvers: [{name: multiple_choice}]
    scorers: [{name: choice}]
  - id: main
    field_spec: {input: Question, target: \"literal:D\"}
    solvers: [{name: multiple_choice}]
    scorers: [{name: choice}]
";

fn result(id: &str, task: &str) -> String {
    format!("- dataset:\n    id: {id}\n    task_id: {task}\n  value: 0.5\n")
}

/// A server with benchmark repositories under `srv/<owner>/<name>.git` and a
/// model repository `srv/lab/model.git` with the hook and a registry.
struct Server {
    world: World,
    root: PathBuf,
    model: PathBuf,
}

impl Server {
    fn new() -> Server {
        let world = World::new();
        let root = world.path("srv");
        fs::create_dir_all(root.join("Idavidrein")).unwrap();
        let bench = world.bare("srv/Idavidrein/gpqa.git", &[]);
        let author = world.clone(&bench, "bench-author");
        author.commit(&[("eval.yaml", GPQA_EVAL_YAML)], "benchmark");
        author.push(&["origin", "main"]).assert_accepted();

        fs::create_dir_all(root.join("lab")).unwrap();
        let model = world.server("srv/lab/model.git", &[]);
        let config = format!(
            "[registry]\nrepositories = [{{ path = \"{}/{{owner}}/{{name}}.git\" }}]\n\n\
             [[registry.benchmark]]\nid = \"cais/hle\"\ntasks = [\"hle\"]\n",
            root.display()
        );
        fs::write(model.join("evalgate.toml"), config).unwrap();
        Server { world, root, model }
    }

    fn push_result(&self, clone: &str, content: &str) -> crate::gitworld::Push {
        let client = self.world.clone(&self.model, clone);
        client.commit(&[(".eval_results/results.yaml", content)], "results");
        client.push(&["origin", "main"])
    }
}

#[test]
fn a_result_for_a_registered_benchmark_and_task_is_accepted() {
    let server = Server::new();
    server.push_result("a", &result("Idavidrein/gpqa", "diamond")).assert_accepted();
    server.push_result("b", &result("cais/hle", "hle")).assert_accepted();
}

#[test]
fn an_unknown_benchmark_is_rejected() {
    let server = Server::new();
    server
        .push_result("a", &result("Idavidrein/gpqb", "diamond"))
        .assert_rejected()
        .shows("error[unknown-benchmark]: `Idavidrein/gpqb` is not a benchmark this server knows")
        .shows("--> .eval_results/results.yaml:2:9 (refs/heads/main)");
}

#[test]
fn a_task_the_benchmark_does_not_define_is_rejected_with_its_tasks() {
    let server = Server::new();
    server
        .push_result("a", &result("Idavidrein/gpqa", "diamon"))
        .assert_rejected()
        .shows("error[unknown-task]: `Idavidrein/gpqa` has no task \"diamon\"")
        .shows("= help: did you mean `diamond`? its tasks are `diamond`, `main`");
}

#[test]
fn a_path_escaping_id_is_rejected_as_invalid_and_never_opened() {
    let server = Server::new();
    // A repository that `../` would reach from the template's root.
    let outside = server.world.bare("outside.git", &[]);
    assert!(outside.exists());
    for id in ["../outside", "lab/../../outside", "/etc/passwd"] {
        let push = server.push_result(&format!("c{}", id.len()), &result(id, "x"));
        push.assert_rejected().shows("error[invalid-dataset-id]").hides("unknown-benchmark");
    }
}

#[test]
fn a_symbolic_link_out_of_the_registry_root_is_not_followed() {
    let server = Server::new();
    let elsewhere = server.world.bare("elsewhere/gpqa.git", &[]);
    let author = server.world.clone(&elsewhere, "elsewhere-author");
    author.commit(&[("eval.yaml", GPQA_EVAL_YAML)], "benchmark");
    author.push(&["origin", "main"]).assert_accepted();
    std::os::unix::fs::symlink(server.world.path("elsewhere"), server.root.join("evil")).unwrap();

    server
        .push_result("a", &result("evil/gpqa", "diamond"))
        .assert_rejected()
        .shows("error[unknown-benchmark]: `evil/gpqa` is not a benchmark this server knows");
}

#[test]
fn the_repository_configuration_overrides_the_server_wide_one_key_by_key() {
    let server = Server::new();
    let system = server.world.path("system.toml");
    fs::write(&system, "[severity]\nyaml11-ambiguous = \"error\"\nnull-optional = \"error\"\n")
        .unwrap();
    let repo_config = server.model.join("evalgate.toml");
    let mut config = fs::read_to_string(&repo_config).unwrap();
    config += "\n[severity]\nyaml11-ambiguous = \"warning\"\n";
    fs::write(&repo_config, config).unwrap();

    let client = server.world.clone(&server.model, "a");
    let env = [("EVALGATE_SYSTEM_CONFIG", system.to_str().unwrap())];
    // The repository makes this a warning again: accepted.
    client
        .commit(&[(".eval_results/r.yaml", &(result("cais/hle", "hle") + "  notes: yes\n"))], "1");
    client
        .push_with_env(&["origin", "main"], &env)
        .assert_accepted()
        .shows("warning[yaml11-ambiguous]");
    // The server-wide setting the repository does not touch still holds.
    client.commit(&[(".eval_results/r.yaml", &(result("cais/hle", "hle") + "  notes:\n"))], "2");
    client.push_with_env(&["origin", "main"], &env).assert_rejected().shows("error[null-optional]");
}

#[test]
fn a_severity_override_changes_the_verdict() {
    let server = Server::new();
    let bad = "- dataset:\n    id: cais/hle\n    task_id: hle\n  value: \"20.9\"\n";
    server.push_result("a", bad).assert_rejected().shows("error[value-not-number]");

    let repo_config = server.model.join("evalgate.toml");
    let config = fs::read_to_string(&repo_config).unwrap()
        + "\n[severity]\nvalue-not-number = \"warning\"\n";
    fs::write(&repo_config, config).unwrap();
    server.push_result("b", bad).assert_accepted().shows("warning[value-not-number]");

    fs::write(&repo_config, "[severity]\nvalue-not-number = \"off\"\n").unwrap();
    server.push_result("c", bad).assert_accepted().hides("value-not-number");
}

#[test]
fn a_broken_configuration_rejects_the_push_and_names_the_file() {
    let server = Server::new();
    fs::write(server.model.join("evalgate.toml"), "[hook]\nmax_findings = \"many\"\n").unwrap();
    let push = server.push_result("a", &result("cais/hle", "hle"));
    // The message wraps; its parts are what the pusher needs.
    push.assert_rejected()
        .shows("could not check this push: the server's configuration `./evalgate.toml` has")
        .shows("1 problem; the operator can see them with `evalgate config check");
}

#[test]
fn signed_results_pass_and_tampered_ones_are_rejected() {
    let server = Server::new();
    let key = server.world.path("signing.key");
    let keygen = evalgate(&["token", "keygen", "--out", key.to_str().unwrap(), "--id", "ci"]);
    assert!(keygen.status.success(), "{}", text(&keygen.stderr));
    let repo_config = server.model.join("evalgate.toml");
    let config = fs::read_to_string(&repo_config).unwrap()
        + "\n[tokens]\nmode = \"verify\"\n\n"
        + &text(&keygen.stdout);
    fs::write(&repo_config, config).unwrap();

    let file = server.world.path("signed.yaml");
    fs::write(&file, result("Idavidrein/gpqa", "main")).unwrap();
    let signed = evalgate(&[
        "token",
        "sign",
        "--key",
        key.to_str().unwrap(),
        "--id",
        "ci",
        "--model",
        "lab/model",
        file.to_str().unwrap(),
    ]);
    assert!(signed.status.success(), "{}", text(&signed.stderr));
    let signed = fs::read_to_string(&file).unwrap();
    assert!(signed.contains("  verifyToken: ey"), "{signed}");

    // Gitea tells the hook which repository is pushed to.
    let gitea = [("GITEA_REPO_USER_NAME", "lab"), ("GITEA_REPO_NAME", "model")];
    let client = server.world.clone(&server.model, "a");
    client.commit(&[(".eval_results/r.yaml", &signed)], "signed");
    client.push_with_env(&["origin", "main"], &gitea).assert_accepted();

    let tampered = signed.replace("value: 0.5", "value: 0.9");
    client.commit(&[(".eval_results/r.yaml", &tampered)], "tampered");
    client.push_with_env(&["origin", "main"], &gitea).assert_rejected().shows(
        "error[token-claims]: the token was signed for the value 0.5, but this entry has 0.9",
    );

    // The same token, copied into another model's repository, is not valid there.
    let other = server.world.server("srv/lab/other.git", &[]);
    fs::copy(&repo_config, other.join("evalgate.toml")).unwrap();
    let elsewhere = [("GITEA_REPO_USER_NAME", "lab"), ("GITEA_REPO_NAME", "other")];
    let client = server.world.clone(&other, "b");
    client.commit(&[(".eval_results/r.yaml", &signed)], "copied");
    client
        .push_with_env(&["origin", "main"], &elsewhere)
        .assert_rejected()
        .shows("error[token-claims]: the token was signed for the model `lab/model`");
}

#[test]
fn registry_list_shows_benchmarks_tasks_and_where_they_were_found() {
    let server = Server::new();
    let config = server.model.join("evalgate.toml");
    let output = evalgate(&["registry", "list", "--config", config.to_str().unwrap()]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let bench = server.root.join("Idavidrein/gpqa.git").canonicalize().unwrap();
    assert_eq!(
        text(&output.stdout),
        format!(
            "cais/hle\n    tasks: hle\n    from:  configuration\n\
             Idavidrein/gpqa\n    tasks: diamond, main\n    from:  {} (main)\n\
             evalgate: 2 benchmarks\n",
            bench.display()
        )
    );
}

#[test]
fn severity_overrides_reach_findings_about_paths_too() {
    let server = Server::new();
    let repo_config = server.model.join("evalgate.toml");
    let config =
        fs::read_to_string(&repo_config).unwrap() + "\n[severity]\nignored-path = \"error\"\n";
    fs::write(&repo_config, config).unwrap();
    let client = server.world.clone(&server.model, "a");
    client.commit(&[(".eval_results/hle.yml", &result("cais/hle", "hle"))], "yml");
    client.push(&["origin", "main"]).assert_rejected().shows("error[ignored-path]");
}
