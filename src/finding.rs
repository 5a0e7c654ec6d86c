//! Findings: what the checks say about a file, as values.
//!
//! A finding is data, not an error: a stable kebab-case [`Code`], a
//! [`Severity`], a message, an optional hint, and where it is. Every renderer
//! (human text, JSON Lines, the hook's block) reads the same [`Finding`].
//! What a code means, with a bad and a good example, is in `docs/codes.md`.

use std::fmt;

use serde::Serialize;

/// How much a finding matters: errors reject a push, warnings do not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

macro_rules! codes {
    ($($variant:ident $name:literal $severity:ident $summary:literal,)*) => {
        /// The stable identity of a kind of finding.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $($variant,)*
        }

        impl Code {
            /// Every code, in the order of `docs/codes.md`.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The kebab-case name that users see and configure.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)*
                }
            }

            /// The severity a finding has unless configuration says otherwise.
            pub fn default_severity(self) -> Severity {
                match self {
                    $(Code::$variant => Severity::$severity,)*
                }
            }

            /// One line saying what the code is about.
            pub fn summary(self) -> &'static str {
                match self {
                    $(Code::$variant => $summary,)*
                }
            }

            /// Looks a code up by its kebab-case name.
            pub fn from_name(name: &str) -> Option<Code> {
                Code::ALL.iter().copied().find(|code| code.as_str() == name)
            }
        }
    };
}

codes! {
    // Reading the blob.
    FileTooLarge "file-too-large" Error "the file is larger than the size cap",
    NotUtf8 "not-utf8" Error "the file is not valid UTF-8",
    Utf8Bom "utf8-bom" Warning "the file starts with a UTF-8 byte-order mark",
    LfsPointer "lfs-pointer" Error "a Git LFS pointer stands where YAML is expected",
    NotAFile "not-a-file" Error "a symlink, submodule or folder stands where a YAML file is expected",
    NotAFolder "not-a-folder" Error "`.eval_results` is a file, symlink or submodule, not a folder",
    // YAML itself.
    YamlSyntax "yaml-syntax" Error "the file is not valid YAML",
    YamlTabIndent "yaml-tab-indent" Error "a tab is used for indentation",
    YamlMultipleDocuments "yaml-multiple-documents" Error "the file holds more than one YAML document",
    YamlTag "yaml-tag" Error "a node carries a YAML tag",
    YamlDuplicateKey "yaml-duplicate-key" Error "a mapping has the same key twice",
    YamlMergeKey "yaml-merge-key" Error "a mapping uses the YAML 1.1 merge key `<<`",
    YamlTooComplex "yaml-too-complex" Error "the document is nested too deeply or expands to too many nodes",
    YamlEmpty "yaml-empty" Error "the file holds no YAML document",
    Yaml11Ambiguous "yaml11-ambiguous" Warning "an unquoted value means something else to YAML 1.1 readers",
    // Shapes and fields shared by both formats.
    MissingField "missing-field" Error "a required key is missing",
    NullValue "null-value" Error "a required key is null",
    NullOptional "null-optional" Warning "an optional key is null",
    WrongType "wrong-type" Error "a value has the wrong type",
    EmptyValue "empty-value" Error "a string or list that must not be empty is empty",
    UnknownField "unknown-field" Warning "a key that the format does not define",
    // .eval_results/*.yaml
    ResultsNotAList "results-not-a-list" Error "a results file is not a list of entries",
    ResultsModelIndex "results-model-index" Error "a results file holds README `model-index` metadata",
    InvalidDatasetId "invalid-dataset-id" Error "`dataset.id` is not a valid Hub repository id",
    ValueNotNumber "value-not-number" Error "`value` is not a number",
    ValueNotFinite "value-not-finite" Error "`value` is NaN or infinite",
    RevisionNotCommit "revision-not-commit" Warning "`dataset.revision` is not a full commit id",
    InvalidDate "invalid-date" Error "`date` is not an ISO-8601 date or date-time",
    InvalidUrl "invalid-url" Error "`source.url` is not an absolute http(s) URL",
    DuplicateEntry "duplicate-entry" Warning "two entries report the same benchmark, task and notes",
    IgnoredPath "ignored-path" Warning "a file in `.eval_results/` that the Hub does not read",
    // eval.yaml
    MissingDescription "missing-description" Warning "`eval.yaml` has no `description`",
    UnknownFramework "unknown-framework" Error "`evaluation_framework` is not a known framework",
    MissingTaskId "missing-task-id" Error "a task has no `id` although there are several tasks",
    TaskIdRecommended "task-id-recommended" Warning "the only task has no `id`",
    DuplicateTaskId "duplicate-task-id" Error "two tasks have the same `id`",
    InspectUnknownField "inspect-unknown-field" Error "a key that Inspect AI forbids",
    InspectLegacyField "inspect-legacy-field" Error "a task key from Inspect AI's older format",
    UnknownSolver "unknown-solver" Error "a solver that Inspect AI does not know",
    UnknownScorer "unknown-scorer" Error "a scorer that Inspect AI does not know",
    InvalidEpochs "invalid-epochs" Error "`epochs` is not an integer of at least 1",
    InvalidEpochReducer "invalid-epoch-reducer" Error "`epoch_reducer` is not one Inspect AI accepts",
    // The server's benchmark registry.
    UnknownBenchmark "unknown-benchmark" Error "`dataset.id` is not a benchmark the server knows",
    UnknownTask "unknown-task" Error "`task_id` is not a task of the benchmark",
    // Signed results (`verifyToken`), when the server checks them.
    TokenMalformed "token-malformed" Error "`verifyToken` is not a compact JWS with evalgate's claims",
    TokenAlgorithm "token-algorithm" Error "`verifyToken` is not signed with EdDSA",
    TokenSignature "token-signature" Error "`verifyToken`'s signature does not verify with a configured key",
    TokenClaims "token-claims" Error "`verifyToken` was signed for another result",
    TokenExpired "token-expired" Error "`verifyToken` has expired",
    // The server's configuration file.
    ConfigSyntax "config-syntax" Error "the configuration is not valid TOML",
    ConfigUnknownKey "config-unknown-key" Error "a configuration key that evalgate does not know",
    ConfigInvalidValue "config-invalid-value" Error "a configuration value has the wrong type or is out of range",
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// A place in a file: 1-based line and column (in characters), start and end.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Span {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

impl Span {
    /// A span of one character.
    pub fn point(line: usize, column: usize) -> Span {
        Span { line, column, end_line: line, end_column: column + 1 }
    }
}

/// One problem found in one file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// Where in the document, as `[0].dataset.id`; empty for the whole file.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub yaml_path: String,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
}

impl Finding {
    /// A finding with the code's default severity and no place yet.
    pub fn new(code: Code, message: impl Into<String>) -> Finding {
        Finding {
            code,
            severity: code.default_severity(),
            message: message.into(),
            hint: None,
            yaml_path: String::new(),
            span: None,
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Finding {
        self.hint = Some(hint.into());
        self
    }

    pub fn at(mut self, span: Span) -> Finding {
        self.span = Some(span);
        self
    }

    pub fn path(mut self, yaml_path: impl Into<String>) -> Finding {
        self.yaml_path = yaml_path.into();
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_names_are_unique_kebab_case() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            let name = code.as_str();
            assert!(seen.insert(name), "{name} twice");
            assert!(name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'));
            assert_eq!(Code::from_name(name), Some(*code));
        }
    }
}
