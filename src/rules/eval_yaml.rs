//! Rules for `eval.yaml`: a benchmark and its tasks.
//!
//! The Hub's schema (`shared/docs/formats.md` §2.2) for every framework, and
//! for `inspect-ai` every rule Inspect AI itself applies when it loads the
//! file (§2.4): unknown keys forbidden in a task and in `field_spec`, known
//! solver and scorer names, `epochs` and `epoch_reducer` checked.
//!
//! # Notes
//! - Inspect AI's loader coerces `epochs: "3"`, `3.0` and `true`; evalgate
//!   asks for a plain integer, which every reader agrees on.
//! - Task keys of frameworks other than `inspect-ai` are not defined
//!   anywhere, so they are accepted as they are.

use std::collections::HashMap;

use crate::finding::{Code, Finding};
use crate::rules::Settings;
use crate::rules::fields::{Fields, join};
use crate::rules::util::{one_of, suggest};
use crate::yaml::{Document, NodeId, Scalar, quote};

const TOP_KEYS: &[&str] = &["name", "description", "evaluation_framework", "tasks"];
const INSPECT_TASK_KEYS: &[&str] = &[
    "id",
    "config",
    "split",
    "field_spec",
    "shuffle_choices",
    "epochs",
    "epoch_reducer",
    "solvers",
    "scorers",
];
const FIELD_SPEC_KEYS: &[&str] =
    &["input", "target", "choices", "input_image", "id", "metadata", "sandbox", "files", "setup"];
pub const SOLVERS: &[&str] = &[
    "prompt_template",
    "system_message",
    "user_message",
    "chain_of_thought",
    "use_tools",
    "generate",
    "self_critique",
    "multiple_choice",
];
pub const SCORERS: &[&str] = &[
    "includes",
    "match",
    "pattern",
    "answer",
    "exact",
    "f1",
    "model_graded_qa",
    "model_graded_fact",
    "choice",
    "math",
];

/// The frameworks in `data/frameworks.txt`, shipped inside the binary.
pub fn shipped_frameworks() -> Vec<String> {
    include_str!("../../data/frameworks.txt")
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

/// Checks a benchmark's `eval.yaml`.
pub fn check(doc: &Document, settings: &Settings) -> Vec<Finding> {
    let mut fields = Fields::new(doc);
    let Some(root) = doc.root() else { return fields.findings };
    if !fields.is_map(root) {
        let message = format!("`eval.yaml` must be a mapping, found {}", doc.describe(root));
        let hint = "start with `name:`, `evaluation_framework:` and `tasks:`";
        fields.at(root, "", Finding::new(Code::WrongType, message).hint(hint));
        return fields.findings;
    }

    if let Some(name) =
        fields.required(root, "name", "", "add the benchmark's display name: `name: ...`")
    {
        fields.string(name, "name", true);
    }
    description(&mut fields, root);
    let framework = framework(&mut fields, root, settings);
    let hint = "add the tasks, each a leaderboard:\ntasks:\n  - id: <task id>";
    if let Some(tasks) = fields.required(root, "tasks", "", hint) {
        self::tasks(&mut fields, tasks, framework == Some("inspect-ai"));
    }
    fields.unknown_keys(root, "", TOP_KEYS, Code::UnknownField, explain_top_key);
    fields.findings
}

fn description(fields: &mut Fields<'_>, root: NodeId) {
    match fields.doc.get(root, "description") {
        None => {
            let message = "`eval.yaml` has no `description`";
            let hint = "add one: `description: what the benchmark measures`";
            let span = crate::rules::fields::first_line(fields.doc, root);
            fields
                .findings
                .push(Finding::new(Code::MissingDescription, message).hint(hint).at(span));
        }
        Some(_) => {
            if let Some(value) = fields.optional(root, "description", "") {
                fields.string(value, "description", true);
            }
        }
    }
}

fn framework<'d>(fields: &mut Fields<'d>, root: NodeId, settings: &Settings) -> Option<&'d str> {
    let hint = "add the framework that runs it, e.g. `evaluation_framework: inspect-ai`";
    let node = fields.required(root, "evaluation_framework", "", hint)?;
    let name = fields.string(node, "evaluation_framework", true)?;
    if settings.frameworks.iter().any(|known| known == name) {
        return Some(name);
    }
    let known: Vec<&str> = settings.frameworks.iter().map(String::as_str).collect();
    let message = format!("`evaluation_framework` {} is not a known framework", quote(name));
    let hint = match (name, suggest(name, &known)) {
        ("olmo-bench", _) => "it was renamed: `evaluation_framework: olmocr-bench`".to_owned(),
        (_, Some(hit)) => format!("did you mean `{hit}`?"),
        (_, None) => format!("use one of {}", one_of(&known)),
    };
    fields.at(
        node,
        "evaluation_framework",
        Finding::new(Code::UnknownFramework, message).hint(hint),
    );
    None
}

fn tasks(fields: &mut Fields<'_>, tasks: NodeId, inspect: bool) {
    let doc = fields.doc;
    let Some(items) = doc.as_seq(tasks) else {
        let message = format!("`tasks` must be a list, found {}", doc.describe(tasks));
        let hint = "write each task as a list item:\ntasks:\n  - id: <task id>";
        fields.at(tasks, "tasks", Finding::new(Code::WrongType, message).hint(hint));
        return;
    };
    if items.is_empty() {
        let finding = Finding::new(Code::EmptyValue, "`tasks` is an empty list")
            .hint("a benchmark needs at least one task: `- id: <task id>`");
        fields.at(tasks, "tasks", finding);
        return;
    }
    let mut ids: HashMap<&str, usize> = HashMap::new();
    for (index, &task) in items.iter().enumerate() {
        let path = format!("tasks[{index}]");
        if fields.mapping(task, &path).is_none() {
            continue;
        }
        if let Some(id) = task_id(fields, task, &path, items.len()) {
            let line = doc.span(task).line;
            if let Some(first) = ids.insert(id, line) {
                let message = format!("the task id {} is used twice", quote(id));
                let hint = format!("the first is at line {first}; task ids must be unique");
                let (key, _) = doc.get(task, "id").unwrap_or((task, task));
                fields.at(
                    key,
                    &join(&path, "id"),
                    Finding::new(Code::DuplicateTaskId, message).hint(hint),
                );
            }
        }
        for key in ["config", "split"] {
            if let Some(value) = fields.optional(task, key, &path) {
                fields.string(value, &join(&path, key), true);
            }
        }
        if inspect {
            inspect_task(fields, task, &path);
        }
    }
}

fn task_id<'d>(fields: &mut Fields<'d>, task: NodeId, path: &str, count: usize) -> Option<&'d str> {
    match fields.doc.get(task, "id") {
        Some((_, id)) => fields.string(id, &join(path, "id"), true),
        None => {
            let (code, message) = if count > 1 {
                (Code::MissingTaskId, "this task has no `id`, and there are several tasks")
            } else {
                (Code::TaskIdRecommended, "the task has no `id`")
            };
            let hint = "add `id: <task id>`: results name their task with `dataset.task_id`";
            let span = crate::rules::fields::first_line(fields.doc, task);
            fields
                .findings
                .push(Finding::new(code, message).hint(hint).at(span).path(join(path, "id")));
            None
        }
    }
}

/// The rules Inspect AI applies to a task.
fn inspect_task(fields: &mut Fields<'_>, task: NodeId, path: &str) {
    let hint = "add how records map to samples: `field_spec: {input: question, target: answer}`";
    if let Some(spec) = fields.required(task, "field_spec", path, hint) {
        field_spec(fields, spec, &join(path, "field_spec"));
    }
    let hint = "add at least one solver: `solvers: [{name: generate}]`";
    if let Some(solvers) = fields.required(task, "solvers", path, hint) {
        components(fields, solvers, &join(path, "solvers"), SOLVERS, Code::UnknownSolver);
    }
    let hint = "add at least one scorer: `scorers: [{name: match}]`";
    if let Some(scorers) = fields.required(task, "scorers", path, hint) {
        components(fields, scorers, &join(path, "scorers"), SCORERS, Code::UnknownScorer);
    }
    if let Some(epochs) = fields.optional(task, "epochs", path) {
        self::epochs(fields, epochs, &join(path, "epochs"));
    }
    if let Some(reducer) = fields.optional(task, "epoch_reducer", path) {
        epoch_reducer(fields, reducer, &join(path, "epoch_reducer"));
    }
    if let Some(shuffle) = fields.optional(task, "shuffle_choices", path)
        && !matches!(fields.scalar(shuffle), Some(Scalar::Bool(_)))
    {
        let found = fields.doc.describe(shuffle);
        let message = format!("`shuffle_choices` must be `true` or `false`, found {found}");
        fields.at(shuffle, &join(path, "shuffle_choices"), Finding::new(Code::WrongType, message));
    }
    legacy_and_unknown_keys(fields, task, path);
}

fn legacy_and_unknown_keys(fields: &mut Fields<'_>, task: NodeId, path: &str) {
    let doc = fields.doc;
    let Some(entries) = doc.as_map(task) else { return };
    for &(key, _) in entries {
        let replacement = match doc.text(key) {
            Some("name") => "id",
            Some("subset") => "config",
            Some("splits") => "split",
            _ => continue,
        };
        let name = doc.text(key).unwrap_or_default();
        let message = format!("`{name}` is a task key of Inspect AI's older format");
        let hint = format!("rename it to `{replacement}`; Inspect AI now rejects `{name}`");
        fields.at(
            key,
            &join(path, name),
            Finding::new(Code::InspectLegacyField, message).hint(hint),
        );
    }
    let known: Vec<&str> =
        INSPECT_TASK_KEYS.iter().copied().chain(["name", "subset", "splits"]).collect();
    fields.unknown_keys(task, path, &known, Code::InspectUnknownField, |_| {
        Some(format!("Inspect AI allows only {}", one_of(INSPECT_TASK_KEYS)))
    });
}

fn field_spec(fields: &mut Fields<'_>, spec: NodeId, path: &str) {
    if fields.mapping(spec, path).is_none() {
        return;
    }
    for key in ["input", "target", "id", "sandbox", "files", "setup", "input_image"] {
        if let Some(value) = fields.doc.get(spec, key).map(|(_, v)| v) {
            let nullable = key == "input_image";
            if nullable && fields.scalar(value) == Some(Scalar::Null) {
                continue;
            }
            fields.string(value, &join(path, key), true);
        }
    }
    if let Some(choices) = fields.optional_silent(spec, "choices") {
        string_or_list(fields, choices, &join(path, "choices"));
    }
    if let Some(metadata) = fields.optional_silent(spec, "metadata") {
        string_list(fields, metadata, &join(path, "metadata"));
    }
    fields.unknown_keys(spec, path, FIELD_SPEC_KEYS, Code::InspectUnknownField, |_| {
        Some(format!("`field_spec` allows only {}", one_of(FIELD_SPEC_KEYS)))
    });
}

fn string_or_list(fields: &mut Fields<'_>, id: NodeId, path: &str) {
    if fields.doc.as_seq(id).is_some() {
        string_list(fields, id, path);
    } else {
        fields.string(id, path, true);
    }
}

fn string_list(fields: &mut Fields<'_>, id: NodeId, path: &str) {
    let doc = fields.doc;
    let Some(items) = doc.as_seq(id) else {
        let message =
            format!("`{}` must be a list of strings, found {}", path_tail(path), doc.describe(id));
        fields.at(id, path, Finding::new(Code::WrongType, message));
        return;
    };
    for (index, &item) in items.iter().enumerate() {
        fields.string(item, &format!("{path}[{index}]"), true);
    }
}

/// Checks `solvers` or `scorers`: a non-empty list of `{name, args}`.
fn components(fields: &mut Fields<'_>, list: NodeId, path: &str, known: &[&str], code: Code) {
    let doc = fields.doc;
    let what = path_tail(path);
    let Some(items) = doc.as_seq(list) else {
        let message = format!("`{what}` must be a list, found {}", doc.describe(list));
        let hint = format!("write each as a list item: `{what}: [{{name: {}}}]`", known[0]);
        fields.at(list, path, Finding::new(Code::WrongType, message).hint(hint));
        return;
    };
    if items.is_empty() {
        let message = format!("`{what}` is an empty list");
        let hint =
            format!("Inspect AI needs at least one, e.g. `{what}: [{{name: {}}}]`", known[0]);
        fields.at(list, path, Finding::new(Code::EmptyValue, message).hint(hint));
        return;
    }
    for (index, &item) in items.iter().enumerate() {
        let item_path = format!("{path}[{index}]");
        if fields.mapping(item, &item_path).is_none() {
            continue;
        }
        let hint = format!("add `name:`, one of {}", one_of(known));
        if let Some(name) = fields.required(item, "name", &item_path, &hint) {
            let name_path = join(&item_path, "name");
            if let Some(text) = fields.string(name, &name_path, true)
                && !known.contains(&text)
            {
                let kind = if code == Code::UnknownSolver { "solver" } else { "scorer" };
                let message = format!("Inspect AI has no {kind} named {}", quote(text));
                let hint = match suggest(text, known) {
                    Some(hit) => format!("did you mean `{hit}`?"),
                    None => format!("use one of {}", one_of(known)),
                };
                fields.at(name, &name_path, Finding::new(code, message).hint(hint));
            }
        }
        if let Some((_, args)) = doc.get(item, "args") {
            fields.mapping(args, &join(&item_path, "args"));
        }
        fields.unknown_keys(item, &item_path, &["name", "args"], Code::UnknownField, |_| {
            Some("Inspect AI reads only `name` and `args`; put options under `args`".into())
        });
    }
}

fn epochs(fields: &mut Fields<'_>, epochs: NodeId, path: &str) {
    let ok = matches!(fields.scalar(epochs), Some(Scalar::Int(n)) if n >= 1);
    if !ok {
        let found = fields.doc.describe(epochs);
        let message = format!("`epochs` must be a whole number of at least 1, found {found}");
        let hint = "write how many times each sample runs, e.g. `epochs: 4`";
        fields.at(epochs, path, Finding::new(Code::InvalidEpochs, message).hint(hint));
    }
}

fn epoch_reducer(fields: &mut Fields<'_>, reducer: NodeId, path: &str) {
    let Some(text) = fields.string(reducer, path, true) else { return };
    if !is_epoch_reducer(text) {
        let message = format!("`epoch_reducer` {} is not one Inspect AI accepts", quote(text));
        let hint = "use `mean`, `median`, `mode`, `max`, `pass_at_<k>` or `at_least_<k>`";
        fields.at(reducer, path, Finding::new(Code::InvalidEpochReducer, message).hint(hint));
    }
}

/// `^(pass_at_\d+|at_least_\d+|max|mode|median|mean)$`, as Inspect AI checks it.
fn is_epoch_reducer(text: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    matches!(text, "max" | "mode" | "median" | "mean")
        || text.strip_prefix("pass_at_").is_some_and(digits)
        || text.strip_prefix("at_least_").is_some_and(digits)
}

fn path_tail(path: &str) -> &str {
    path.rsplit('.').next().unwrap_or(path)
}

fn explain_top_key(key: &str) -> Option<String> {
    Some(match key {
        "field_spec" | "solvers" | "scorers" | "epochs" | "epoch_reducer" | "config" | "split"
        | "shuffle_choices" => format!("`{key}` belongs inside a task, under `tasks`"),
        "framework" | "evaluation-framework" => "the key is spelled `evaluation_framework`".into(),
        "task" => "the key is `tasks`, a list".into(),
        _ => return None,
    })
}

impl<'d> Fields<'d> {
    /// An optional key's value; null is left to the caller's type check.
    fn optional_silent(&self, map: NodeId, key: &str) -> Option<NodeId> {
        let (_, value) = self.doc.get(map, key)?;
        (self.doc.scalar(value) != Some(Scalar::Null)).then_some(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ships_the_hubs_thirty_frameworks() {
        let frameworks = shipped_frameworks();
        assert_eq!(frameworks.len(), 30);
        assert!(frameworks.iter().any(|f| f == "inspect-ai"));
        assert!(!frameworks.iter().any(|f| f == "olmo-bench"));
    }

    #[test]
    fn epoch_reducers_match_inspects_pattern() {
        for ok in ["mean", "pass_at_1", "pass_at_0", "at_least_3", "max"] {
            assert!(is_epoch_reducer(ok), "{ok}");
        }
        for bad in ["majority", "mean\n", "pass_at_", "pass_at_x", "Mean"] {
            assert!(!is_epoch_reducer(bad), "{bad}");
        }
    }
}
