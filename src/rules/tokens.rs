//! `verifyToken` checks, as the server's configuration asks for them.
//!
//! Off by default. `shape` checks that each token is an EdDSA compact JWS;
//! `verify` also checks its signature against the configured keys and its
//! claims against the entry it sits on (see [`crate::token`]). Entries whose
//! own fields are wrong are left to the other rules.

use crate::config::{TokenKey, TokenMode};
use crate::finding::{Finding, Span};
use crate::token::{self, Entry};
use crate::yaml::{Document, NodeId, Scalar};

/// What token checks need to know.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TokenSettings {
    pub mode: TokenMode,
    pub keys: Vec<TokenKey>,
    /// The model repository being pushed to, `owner/name`, when known.
    pub model: Option<String>,
    /// Now, in Unix seconds, for expiry.
    pub now: i64,
}

/// The current time in Unix seconds (0 if the clock is before 1970).
pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// Adds a finding for each token that does not pass.
pub fn check(doc: &Document, settings: &TokenSettings, findings: &mut Vec<Finding>) {
    if settings.mode == TokenMode::Off {
        return;
    }
    let Some(items) = doc.root().and_then(|root| doc.as_seq(root)) else { return };
    for (index, &item) in items.iter().enumerate() {
        let Some((_, token_node)) = doc.get(item, "verifyToken") else { continue };
        let Some(Scalar::Str(token)) = doc.scalar(token_node) else { continue };
        let outcome = match settings.mode {
            TokenMode::Shape => token::check_shape(token),
            _ => match entry(doc, item) {
                Some(entry) => {
                    let model = settings.model.as_deref();
                    token::verify(token, &entry, &settings.keys, model, settings.now).map(|_| ())
                }
                None => continue,
            },
        };
        if let Err(problem) = outcome {
            let mut finding = Finding::new(problem.code, problem.message)
                .at(first_line(doc.span(token_node)))
                .path(format!("[{index}].verifyToken"));
            if !problem.hint.is_empty() {
                finding = finding.hint(problem.hint);
            }
            findings.push(finding);
        }
    }
}

/// The result an entry states, when its fields have the right types.
pub fn entry(doc: &Document, item: NodeId) -> Option<Entry<'_>> {
    let (_, dataset) = doc.get(item, "dataset")?;
    let text = |map: NodeId, key: &str| match doc.scalar(doc.get(map, key)?.1) {
        Some(Scalar::Str(s)) => Some(s),
        _ => None,
    };
    let value = match doc.scalar(doc.get(item, "value")?.1)? {
        Scalar::Int(i) => i as f64,
        Scalar::Float(f) => f,
        _ => return None,
    };
    Some(Entry {
        dataset: text(dataset, "id")?,
        task: text(dataset, "task_id")?,
        value,
        revision: text(dataset, "revision"),
    })
}

/// Tokens are long: point at where one starts.
fn first_line(span: Span) -> Span {
    Span { end_line: span.line, end_column: span.column + 1, ..span }
}
