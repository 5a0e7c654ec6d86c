//! Results checked against the server's benchmarks: `unknown-benchmark` and
//! `unknown-task`.
//!
//! Runs only when the configuration names a registry (see
//! [`crate::registry`]). Entries whose `dataset.id` or `task_id` are not
//! strings are left to the other rules, as are invalid ids.

use crate::finding::{Code, Finding};
use crate::registry::{Lookup, Registry};
use crate::rules::util::suggest;
use crate::yaml::{Document, Scalar, quote};

/// Adds a finding for each entry naming a benchmark or task the server lacks.
pub fn check(doc: &Document, registry: &Registry, findings: &mut Vec<Finding>) {
    let Some(items) = doc.root().and_then(|root| doc.as_seq(root)) else { return };
    for (index, &item) in items.iter().enumerate() {
        let Some((_, dataset)) = doc.get(item, "dataset") else { continue };
        let Some((_, id_node)) = doc.get(dataset, "id") else { continue };
        let Some(Scalar::Str(id)) = doc.scalar(id_node) else { continue };
        let path = format!("[{index}].dataset");
        match registry.lookup(id) {
            Lookup::Found(benchmark) => {
                let Some((_, task_node)) = doc.get(dataset, "task_id") else { continue };
                let Some(Scalar::Str(task)) = doc.scalar(task_node) else { continue };
                if benchmark.tasks.is_empty() || benchmark.tasks.iter().any(|t| t == task) {
                    continue;
                }
                let message = format!("`{id}` has no task {}", quote(task));
                let known: Vec<&str> = benchmark.tasks.iter().map(String::as_str).collect();
                let list = known.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(", ");
                let hint = match suggest(task, &known) {
                    Some(hit) => format!("did you mean `{hit}`? its tasks are {list}"),
                    None => format!("its tasks are {list}"),
                };
                let finding = Finding::new(Code::UnknownTask, message).hint(hint);
                findings.push(finding.at(doc.span(task_node)).path(format!("{path}.task_id")));
            }
            Lookup::Unknown => {
                let message = format!("`{id}` is not a benchmark this server knows");
                let known = registry.known_ids();
                let known: Vec<&str> = known.iter().map(String::as_str).collect();
                let hint = match suggest(id, &known) {
                    Some(hit) => format!("did you mean `{hit}`?"),
                    None => "use the id of a benchmark repository on this server, or ask its \
                             operator to register the benchmark"
                        .to_owned(),
                };
                let finding = Finding::new(Code::UnknownBenchmark, message).hint(hint);
                findings.push(finding.at(doc.span(id_node)).path(format!("{path}.id")));
            }
            Lookup::Unreadable { path: repo, reason } => {
                let message = format!(
                    "the benchmark repository `{}` could not be read: {reason}",
                    repo.display()
                );
                let hint = "the server's operator can see why with `evalgate registry list`";
                let finding = Finding::new(Code::UnknownBenchmark, message).hint(hint);
                findings.push(finding.at(doc.span(id_node)).path(format!("{path}.id")));
            }
            Lookup::Invalid => {}
        }
    }
}
