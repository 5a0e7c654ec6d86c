//! The published JSON Schemas agree with the checks.
//!
//! Every valid fixture passes its schema; every fixture with an error the
//! schema can express fails it; the schema's lists are the checks' lists; and
//! `evalgate schema` prints exactly the files in `schemas/`.

use std::fs;
use std::path::Path;

use evalgate::rules::eval_yaml::{SCORERS, SOLVERS, shipped_frameworks};
use evalgate::yaml::{self, Limits};
use serde_json::Value;

use crate::common::{files, root, run};

/// Codes whose errors the schemas can express (the rest need more than
/// JSON Schema: YAML syntax, calendars, uniqueness across items).
const EXPRESSIBLE: &[&str] = &[
    "missing-field",
    "null-value",
    "wrong-type",
    "empty-value",
    "invalid-dataset-id",
    "value-not-number",
    "value-not-finite",
    "invalid-url",
    "results-not-a-list",
    "results-model-index",
    "unknown-framework",
    "inspect-unknown-field",
    "inspect-legacy-field",
    "unknown-solver",
    "unknown-scorer",
    "invalid-epochs",
    "invalid-epoch-reducer",
    "missing-task-id",
];

fn schema(kind: &str) -> Value {
    let path = root().join(format!("schemas/{kind}.schema.json"));
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

fn validator(kind: &str) -> jsonschema::Validator {
    jsonschema::draft7::new(&schema(kind)).expect("a valid draft-07 schema")
}

/// The fixture as JSON, or `None` when it is not YAML at all.
fn as_json(path: &Path) -> Option<Value> {
    let text = String::from_utf8(fs::read(path).ok()?).ok()?;
    let (doc, _) = yaml::parse(text.trim_start_matches('\u{feff}'), &Limits::default());
    let doc = doc?;
    Some(doc.to_json(doc.root()?))
}

/// The error codes the fixture's expected JSON output lists.
fn expected_errors(path: &Path) -> Vec<String> {
    let text = fs::read_to_string(path.with_extension("jsonl")).unwrap();
    text.lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap())
        .filter(|record| record["severity"] == "error")
        .map(|record| record["code"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn fixtures_agree_with_the_schemas() {
    for kind in ["eval-results", "eval-yaml"] {
        let validator = validator(kind);
        let mut expressed = 0;
        for path in files(&root().join("fixtures").join(kind), "yaml") {
            let name = path.file_name().unwrap().to_string_lossy();
            let Some(instance) = as_json(&path) else { continue };
            let errors = expected_errors(&path);
            if name.starts_with("valid-") {
                let problems: Vec<String> =
                    validator.iter_errors(&instance).map(|e| e.to_string()).collect();
                assert!(problems.is_empty(), "{name} should pass the schema: {problems:?}");
            } else if errors.iter().any(|code| EXPRESSIBLE.contains(&code.as_str())) {
                assert!(!validator.is_valid(&instance), "{name} ({errors:?}) passed the schema");
                expressed += 1;
            }
        }
        assert!(expressed >= 8, "{kind}: only {expressed} invalid fixtures were compared");
    }
}

#[test]
fn schema_lists_are_the_checks_lists() {
    let schema = schema("eval-yaml");
    let strings = |v: &Value| -> Vec<String> {
        v.as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_owned()).collect()
    };
    let frameworks = strings(&schema["properties"]["evaluation_framework"]["enum"]);
    assert_eq!(frameworks, shipped_frameworks());
    let task = &schema["definitions"]["inspectTask"]["properties"];
    assert_eq!(strings(&task["solvers"]["items"]["properties"]["name"]["enum"]), SOLVERS);
    assert_eq!(strings(&task["scorers"]["items"]["properties"]["name"]["enum"]), SCORERS);
}

#[test]
fn schema_command_prints_the_published_files() {
    for kind in ["eval-results", "eval-yaml"] {
        let output = run(&["schema", kind]);
        assert!(output.status.success());
        let published = fs::read(root().join(format!("schemas/{kind}.schema.json"))).unwrap();
        assert_eq!(output.stdout, published, "{kind}");
    }
}
