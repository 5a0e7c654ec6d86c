//! The YAML 1.1 lint: plain values that YAML 1.1 readers read differently.
//!
//! evalgate reads YAML 1.2, as serde-saphyr does. The Hub's own Python tools
//! read YAML 1.1 (PyYAML), where unquoted `yes`, `2026-01-15`, `1_000`,
//! `0755`, `1:20` and `1e3` mean something else. A warning shows the quoted
//! form, which means the same to both.
//!
//! # Notes
//! - Mapping keys are not linted: the formats' keys are fixed words, and an
//!   unknown key has its own finding.
//! - A value that already has a finding of its own is not linted again.

use crate::finding::{Code, Finding};
use crate::yaml::{Content, Document, NodeId, Style};

/// Adds a warning for each plain value that YAML 1.1 reads differently.
pub fn check(doc: &Document, findings: &mut Vec<Finding>) {
    let Some(root) = doc.root() else { return };
    let mut lints = Vec::new();
    let mut stack = vec![root];
    while let Some(id) = stack.pop() {
        match &doc.raw(id).content {
            Content::Seq(items) => stack.extend(items.iter().rev()),
            Content::Map(entries) => stack.extend(entries.iter().rev().map(|(_, v)| *v)),
            Content::Scalar { text, style: Style::Plain } => {
                if !doc.raw(id).tagged
                    && let Some(reading) = yaml11_reading(text)
                {
                    lints.push(lint(doc, id, text, reading));
                }
            }
            _ => {}
        }
    }
    lints.retain(|lint| !findings.iter().any(|f| f.span == lint.span));
    findings.extend(lints);
}

fn lint(doc: &Document, id: NodeId, text: &str, reading: Reading) -> Finding {
    let message = format!(
        "unquoted `{text}` is {} to evalgate and other YAML 1.2 readers, but {} to YAML 1.1 \
         readers such as the Hub's Python tools",
        reading.yaml12, reading.yaml11
    );
    let quoted = if text.contains('"') { format!("'{text}'") } else { format!("\"{text}\"") };
    let hint = match reading.fix {
        Some(fix) => fix,
        None => format!("quote it so every reader sees the same: `{quoted}`"),
    };
    Finding::new(Code::Yaml11Ambiguous, message).hint(hint).at(doc.span(id))
}

/// What YAML 1.2 and YAML 1.1 make of a plain scalar, and how to say it once.
#[derive(Debug, PartialEq)]
struct Reading {
    yaml12: &'static str,
    yaml11: &'static str,
    /// A fix other than quoting, for values meant as numbers.
    fix: Option<String>,
}

fn text_to_12(yaml11: &'static str) -> Option<Reading> {
    Some(Reading { yaml12: "text", yaml11, fix: None })
}

/// How YAML 1.1 reads a plain scalar, when that differs from YAML 1.2.
fn yaml11_reading(text: &str) -> Option<Reading> {
    match text {
        // PyYAML leaves out the YAML 1.1 spec's `y` and `n`; so does this lint.
        "yes" | "Yes" | "YES" | "on" | "On" | "ON" => {
            return text_to_12("the boolean true");
        }
        "no" | "No" | "NO" | "off" | "Off" | "OFF" => {
            return text_to_12("the boolean false");
        }
        _ => {}
    }
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    let digits_ = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit() || b == b'_');
    if is_timestamp(text) {
        return text_to_12("a date");
    }
    if unsigned.starts_with(|c: char| c.is_ascii_digit()) && unsigned.contains(':') {
        let head = unsigned.split(':').next().unwrap_or_default();
        let last = unsigned.rsplit(':').next().unwrap_or_default();
        let last_int = last.split('.').next().unwrap_or_default();
        if digits_(head) && last_int.len() <= 2 && digits_(last_int) {
            return text_to_12("a base-60 number");
        }
    }
    if digits_(unsigned) && unsigned.contains('_') {
        return text_to_12("a number");
    }
    if unsigned.len() > 1
        && unsigned.starts_with('0')
        && unsigned.bytes().all(|b| b.is_ascii_digit())
    {
        let decimal = unsigned.trim_start_matches('0');
        let decimal = if decimal.is_empty() { "0" } else { decimal };
        return Some(Reading {
            yaml12: "a decimal number",
            yaml11: "an octal number (or text, with an 8 or 9)",
            fix: Some(format!(
                "write it without leading zeros, `{decimal}`, or quote it if it is text"
            )),
        });
    }
    if let Some(octal) = unsigned.strip_prefix("0o") {
        let value = i128::from_str_radix(octal, 8).map_or(String::new(), |v| v.to_string());
        return Some(Reading {
            yaml12: "a number",
            yaml11: "text",
            fix: Some(format!("write the number in decimal: `{value}`")),
        });
    }
    if let Some((mantissa, exponent)) = unsigned.split_once(['e', 'E']) {
        let number = !mantissa.is_empty()
            && mantissa.bytes().all(|b| b.is_ascii_digit() || b == b'.')
            && digits_(exponent.strip_prefix(['-', '+']).unwrap_or(exponent));
        if number && (!mantissa.contains('.') || !exponent.starts_with(['-', '+'])) {
            let mantissa =
                if mantissa.contains('.') { mantissa.to_owned() } else { format!("{mantissa}.0") };
            let exponent = if exponent.starts_with(['-', '+']) {
                exponent.to_owned()
            } else {
                format!("+{exponent}")
            };
            return Some(Reading {
                yaml12: "a number",
                yaml11: "text",
                fix: Some(format!(
                    "write it with a dot and a signed exponent: `{mantissa}e{exponent}`"
                )),
            });
        }
    }
    None
}

/// YAML 1.1's timestamp: `YYYY-M-D`, optionally followed by a time.
fn is_timestamp(text: &str) -> bool {
    let mut parts = text.splitn(3, '-');
    let (Some(year), Some(month), Some(rest)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    let day: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let numeric = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    let after = &rest[day.len()..];
    numeric(year, 4..=4)
        && numeric(month, 1..=2)
        && numeric(&day, 1..=2)
        && (after.is_empty() || after.starts_with(['T', 't', ' ', '\t']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_what_yaml_1_1_reads_differently() {
        for (text, yaml11) in [
            ("yes", "the boolean true"),
            ("Off", "the boolean false"),
            ("2026-01-15", "a date"),
            ("2026-01-15T10:00:00Z", "a date"),
            ("1_000", "a number"),
            ("0755", "an octal number (or text, with an 8 or 9)"),
            ("1:20", "a base-60 number"),
            ("1e3", "text"),
            ("1.5e3", "text"),
            ("0o17", "text"),
        ] {
            assert_eq!(yaml11_reading(text).map(|r| r.yaml11), Some(yaml11), "{text}");
        }
        assert_eq!(
            yaml11_reading("1e3").unwrap().fix.unwrap(),
            "write it with a dot and a signed exponent: `1.0e+3`"
        );
        assert_eq!(
            yaml11_reading("0o17").unwrap().fix.unwrap(),
            "write the number in decimal: `15`"
        );
        for same in
            ["true", "null", "~", "20.9", "0", "-3", "1.5e+3", "hle", "12:30 pm", "0x1F", "y", "N"]
        {
            assert_eq!(yaml11_reading(same), None, "{same}");
        }
    }
}
