//! Server and repository configuration: a TOML file, read with positions.
//!
//! Where it is found, in this order: `--config FILE`, `$EVALGATE_CONFIG`,
//! then the server-wide `/etc/evalgate/config.toml` with the repository's own
//! `<repo>.git/evalgate.toml` over it, key by key (see [`Config::discover`]).
//! `$EVALGATE_SYSTEM_CONFIG` moves the server-wide file elsewhere.
//!
//! Every file is read whole before anything is used: an unknown key, a wrong
//! type or a bad value is a [`Finding`] at its line and column, and every one
//! of them is reported, as the checks report a pushed file.
//!
//! # Notes
//! - Tables merge key by key across files (the `severity` table code by code);
//!   a list, such as `hook.include`, replaces the one below it whole.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Duration;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::finding::{Code, Finding, Severity, Span};
use crate::rules::Settings;
use crate::yaml::{DEFAULT_MAX_BYTES, Limits};

/// The server-wide configuration file.
pub const SERVER_CONFIG: &str = "/etc/evalgate/config.toml";
/// The repository's own configuration file, inside its git directory.
pub const REPO_CONFIG: &str = "evalgate.toml";

/// What a finding's severity is set to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Error,
    Warning,
    Off,
}

/// What the hook does when it cannot check a push.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum OnError {
    /// Reject the push: nothing unchecked gets in (the default).
    #[default]
    Reject,
    /// Accept the push and say that it was not checked.
    Allow,
}

/// How the hook marks its lines for the server to show them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Prefix {
    /// `GL-HOOK-ERR: ` under GitLab (`GL_ID` or `GL_PROTOCOL` set), else nothing.
    #[default]
    Auto,
    Gitlab,
    None,
}

/// How `verifyToken` is checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum TokenMode {
    /// Not at all: it is a string like any other (the default).
    #[default]
    Off,
    /// A compact JWS whose header says `EdDSA`; the signature is not checked.
    Shape,
    /// The signature is checked against the configured keys, and the claims
    /// against the entry. No key, no pass.
    Verify,
}

/// A benchmark named in the configuration, for benchmarks kept elsewhere.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaticBenchmark {
    pub id: String,
    pub tasks: Vec<String>,
}

/// Where the server's benchmark repositories are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RepoTemplate {
    /// A path with `{owner}` and `{name}`, e.g. `/srv/git/{owner}/{name}.git`.
    pub path: String,
    /// Lowercase the id before it goes into the path, as Gitea stores names.
    pub lowercase: bool,
}

/// An Ed25519 public key that may sign `verifyToken`s.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenKey {
    pub id: String,
    pub public_key: [u8; 32],
}

/// A benchmark whose tasks rank lower values first, such as error rates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LowerIsBetter {
    pub benchmark: String,
    /// The tasks; empty for every task of the benchmark.
    pub tasks: Vec<String>,
}

/// Where leaderboards are built from and written to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LeaderboardConfig {
    /// The folder the site is written to, for `post-receive`.
    pub out: Option<PathBuf>,
    /// Folders whose bare repositories are read; none means the registry
    /// templates' roots.
    pub roots: Vec<PathBuf>,
    pub lower_is_better: Vec<LowerIsBetter>,
}

impl LeaderboardConfig {
    /// Whether lower values rank first for `task` of `benchmark`.
    pub fn lower_is_better(&self, benchmark: &str, task: &str) -> bool {
        self.lower_is_better.iter().any(|rule| {
            rule.benchmark == benchmark
                && (rule.tasks.is_empty() || rule.tasks.iter().any(|t| t == task))
        })
    }
}

/// The configuration in force.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    pub severity: BTreeMap<Code, Level>,
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    pub max_file_size: usize,
    pub max_findings: usize,
    pub on_error: OnError,
    /// How long the hook may take before it stops and applies `on_error`.
    pub deadline: Option<Duration>,
    pub prefix: Prefix,
    pub frameworks: Vec<String>,
    pub repositories: Vec<RepoTemplate>,
    pub benchmarks: Vec<StaticBenchmark>,
    pub token_mode: TokenMode,
    pub token_keys: Vec<TokenKey>,
    pub leaderboard: LeaderboardConfig,
    /// The files it was read from, in the order they were applied.
    pub sources: Vec<PathBuf>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            severity: BTreeMap::new(),
            include: ["refs/heads/*", "refs/tags/*", "refs/for/*", "refs/pr/*"]
                .map(String::from)
                .to_vec(),
            exclude: Vec::new(),
            max_file_size: DEFAULT_MAX_BYTES,
            max_findings: 50,
            on_error: OnError::Reject,
            deadline: None,
            prefix: Prefix::Auto,
            frameworks: crate::rules::eval_yaml::shipped_frameworks(),
            repositories: Vec::new(),
            benchmarks: Vec::new(),
            token_mode: TokenMode::Off,
            token_keys: Vec::new(),
            leaderboard: LeaderboardConfig::default(),
            sources: Vec::new(),
        }
    }
}

/// A configuration file that could not be used: the findings say why.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read the configuration `{}`", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the configuration `{}` has {} problem(s)", path.display(), findings.len())]
    Invalid { path: PathBuf, text: String, findings: Vec<Finding> },
}

impl Config {
    /// The configuration for a repository, or for local checks when `git_dir`
    /// is `None`.
    ///
    /// `explicit` is `--config`; then `$EVALGATE_CONFIG`; then the
    /// server-wide file with the repository's file over it. Files that do not
    /// exist are skipped, except an explicit one.
    pub fn discover(explicit: Option<&Path>, git_dir: Option<&Path>) -> Result<Config, Error> {
        if let Some(path) = explicit {
            return Config::from_files(&[path.to_owned()], true);
        }
        if let Some(path) = std::env::var_os("EVALGATE_CONFIG").filter(|p| !p.is_empty()) {
            return Config::from_files(&[PathBuf::from(path)], true);
        }
        // EVALGATE_SYSTEM_CONFIG moves the server-wide file, as
        // GIT_CONFIG_SYSTEM does git's: for packaging and tests.
        let system = std::env::var_os("EVALGATE_SYSTEM_CONFIG").filter(|p| !p.is_empty());
        let mut files = vec![system.map_or_else(|| PathBuf::from(SERVER_CONFIG), PathBuf::from)];
        files.extend(git_dir.map(|dir| dir.join(REPO_CONFIG)));
        Config::from_files(&files, false)
    }

    /// Reads `files` in order, each over the ones before it.
    pub fn from_files(files: &[PathBuf], must_exist: bool) -> Result<Config, Error> {
        let mut config = Config::default();
        for path in files {
            let text = match std::fs::read_to_string(path) {
                Ok(text) => text,
                Err(e) if !must_exist && e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(source) => return Err(Error::Read { path: path.clone(), source }),
            };
            let findings = config.apply(&text);
            if !findings.is_empty() {
                return Err(Error::Invalid { path: path.clone(), text, findings });
            }
            config.sources.push(path.clone());
        }
        Ok(config)
    }

    /// Reads one file's text over this configuration; returns its problems.
    ///
    /// On problems the configuration may be partly changed; callers drop it.
    pub fn apply(&mut self, text: &str) -> Vec<Finding> {
        let mut reader = Reader { text, findings: Vec::new(), key: String::new() };
        let (table, errors) = DeTable::parse_recoverable(text);
        for error in errors {
            let span = error.span().map(|r| reader.span(r));
            let message = format!("invalid TOML: {}", error.message().trim_end());
            let mut finding = Finding::new(Code::ConfigSyntax, message);
            finding.span = span;
            reader.findings.push(finding);
        }
        if reader.findings.is_empty() {
            self.read_root(&mut reader, table.get_ref());
        }
        reader.findings.sort_by_key(|f| f.span.map(|s| (s.line, s.column)));
        reader.findings
    }

    /// The settings the checks run with.
    pub fn settings(&self) -> Settings {
        Settings {
            limits: Limits::from_cap(self.max_file_size),
            frameworks: self.frameworks.clone(),
            severity: self.severity.clone(),
            tokens: crate::rules::tokens::TokenSettings {
                mode: self.token_mode,
                keys: self.token_keys.clone(),
                model: None,
                now: crate::rules::tokens::unix_now(),
            },
            registry: crate::registry::Registry::from_config(self).map(std::sync::Arc::new),
        }
    }

    fn read_root(&mut self, r: &mut Reader<'_>, root: &DeTable<'_>) {
        for (key, value) in root {
            let name: &str = key.get_ref();
            match name {
                "severity" => self.read_severity(r, value),
                "checks" => {
                    r.table(value, "checks", &["max_file_size", "frameworks"], |r, k, v| match k {
                        "max_file_size" => self.max_file_size = r.size(v, 64, usize::MAX),
                        _ => self.read_frameworks(r, v),
                    })
                }
                "hook" => r.table(
                    value,
                    "hook",
                    &["include", "exclude", "max_findings", "on_error", "deadline", "prefix"],
                    |r, k, v| match k {
                        "include" => self.include = r.ref_globs(v),
                        "exclude" => self.exclude = r.ref_globs(v),
                        "max_findings" => self.max_findings = r.size(v, 1, 10_000),
                        "on_error" => {
                            self.on_error = r
                                .choice(
                                    v,
                                    &[("reject", OnError::Reject), ("allow", OnError::Allow)],
                                )
                                .unwrap_or(self.on_error)
                        }
                        "deadline" => self.deadline = r.duration(v).or(self.deadline),
                        _ => {
                            let choices = [
                                ("auto", Prefix::Auto),
                                ("gitlab", Prefix::Gitlab),
                                ("none", Prefix::None),
                            ];
                            self.prefix = r.choice(v, &choices).unwrap_or(self.prefix);
                        }
                    },
                ),
                "registry" => {
                    r.table(value, "registry", &["repositories", "benchmark"], |r, k, v| match k {
                        "repositories" => {
                            self.repositories = r.list(v, "registry.repositories", Reader::template)
                        }
                        _ => self.benchmarks = r.list(v, "registry.benchmark", Reader::benchmark),
                    })
                }
                "tokens" => r.table(value, "tokens", &["mode", "key"], |r, k, v| match k {
                    "mode" => {
                        let choices = [
                            ("off", TokenMode::Off),
                            ("shape", TokenMode::Shape),
                            ("verify", TokenMode::Verify),
                        ];
                        self.token_mode = r.choice(v, &choices).unwrap_or(self.token_mode);
                    }
                    _ => self.token_keys = r.list(v, "tokens.key", Reader::token_key),
                }),
                "leaderboard" => r.table(
                    value,
                    "leaderboard",
                    &["out", "roots", "lower_is_better"],
                    |r, k, v| match k {
                        "out" => self.leaderboard.out = r.absolute_path(v),
                        "roots" => {
                            let roots = r.strings(v).into_iter().map(PathBuf::from).collect();
                            self.leaderboard.roots = roots;
                        }
                        _ => {
                            self.leaderboard.lower_is_better =
                                r.list(v, "leaderboard.lower_is_better", Reader::lower_is_better)
                        }
                    },
                ),
                other => r.unknown(
                    key,
                    other,
                    "",
                    &["severity", "checks", "hook", "registry", "tokens", "leaderboard"],
                ),
            }
        }
    }

    fn read_severity(&mut self, r: &mut Reader<'_>, value: &Spanned<DeValue<'_>>) {
        let Some(table) = r.as_table(value, "severity") else { return };
        for (key, level) in table {
            let name = key.get_ref();
            // A configuration problem cannot be turned off by the configuration.
            let settable = |c: &Code| !c.as_str().starts_with("config-");
            let Some(code) = Code::from_name(name).filter(settable) else {
                let names: Vec<&str> =
                    Code::ALL.iter().filter(|c| settable(c)).map(|c| c.as_str()).collect();
                r.unknown(key, name, "severity", &names);
                continue;
            };
            r.key = format!("severity.{name}");
            let choices =
                [("error", Level::Error), ("warning", Level::Warning), ("off", Level::Off)];
            if let Some(level) = r.choice(level, &choices) {
                self.severity.insert(code, level);
            }
        }
    }

    fn read_frameworks(&mut self, r: &mut Reader<'_>, value: &Spanned<DeValue<'_>>) {
        r.table(value, "checks.frameworks", &["add", "replace"], |r, k, v| {
            let names = r.strings(v);
            if k == "replace" {
                self.frameworks = names;
            } else {
                for name in names {
                    if !self.frameworks.contains(&name) {
                        self.frameworks.push(name);
                    }
                }
            }
        });
    }
}

/// One file being read: its text, for positions, and its problems so far.
struct Reader<'t> {
    text: &'t str,
    findings: Vec<Finding>,
    /// The key being read, as `hook.on_error`, for messages.
    key: String,
}

impl Reader<'_> {
    /// Line and column of a byte range in the file.
    fn span(&self, range: Range<usize>) -> Span {
        let place = |at: usize| {
            let before = &self.text[..at.min(self.text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().unwrap_or_default().chars().count() + 1;
            (line, column)
        };
        let (line, column) = place(range.start);
        let (end_line, end_column) = place(range.end.max(range.start + 1));
        Span { line, column, end_line, end_column }
    }

    fn invalid(&mut self, range: Range<usize>, message: String, hint: Option<String>) {
        let mut finding = Finding::new(Code::ConfigInvalidValue, message).at(self.span(range));
        finding.hint = hint;
        self.findings.push(finding);
    }

    fn unknown(
        &mut self,
        key: &Spanned<std::borrow::Cow<'_, str>>,
        name: &str,
        table: &str,
        known: &[&str],
    ) {
        let place = if table.is_empty() {
            "at the top level".to_owned()
        } else {
            format!("in `[{table}]`")
        };
        let hint = match crate::rules::suggest(name, known) {
            Some(hit) => format!("did you mean `{hit}`?"),
            None => format!(
                "known keys: {}",
                known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
            ),
        };
        let finding = Finding::new(Code::ConfigUnknownKey, format!("unknown key `{name}` {place}"))
            .hint(hint)
            .at(self.span(key.span()));
        self.findings.push(finding);
    }

    fn wrong_type(&mut self, value: &Spanned<DeValue<'_>>, what: &str, expected: &str) {
        let found = match value.get_ref() {
            DeValue::String(_) => "a string",
            DeValue::Integer(_) => "an integer",
            DeValue::Float(_) => "a float",
            DeValue::Boolean(_) => "a boolean",
            DeValue::Datetime(_) => "a date-time",
            DeValue::Array(_) => "an array",
            DeValue::Table(_) => "a table",
        };
        let message = if what == "this value" && !self.key.is_empty() {
            format!("`{}` must be {expected}, found {found}", self.key)
        } else if what == "this value" {
            format!("expected {expected}, found {found}")
        } else {
            format!("`{what}` must be {expected}, found {found}")
        };
        self.invalid(value.span(), message, None);
    }

    fn as_table<'v, 'i>(
        &mut self,
        value: &'v Spanned<DeValue<'i>>,
        what: &str,
    ) -> Option<&'v DeTable<'i>> {
        let table = value.get_ref().as_table();
        if table.is_none() {
            self.wrong_type(value, what, "a table");
        }
        table
    }

    /// Reads a table whose keys are `known`, calling `each` for every key.
    fn table(
        &mut self,
        value: &Spanned<DeValue<'_>>,
        what: &str,
        known: &[&str],
        mut each: impl FnMut(&mut Self, &str, &Spanned<DeValue<'_>>),
    ) {
        let Some(table) = self.as_table(value, what) else { return };
        for (key, value) in table {
            let name: &str = key.get_ref();
            if known.contains(&name) {
                self.key = format!("{what}.{name}");
                each(self, name, value);
            } else {
                self.unknown(key, name, what, known);
            }
        }
    }

    fn string(&mut self, value: &Spanned<DeValue<'_>>) -> Option<String> {
        let text = value.get_ref().as_str().map(str::to_owned);
        if text.is_none() {
            self.wrong_type(value, "this value", "a string");
        }
        text
    }

    fn duration(&mut self, value: &Spanned<DeValue<'_>>) -> Option<Duration> {
        let text = self.string(value)?;
        match parse_duration(&text) {
            Ok(duration) => Some(duration),
            Err(problem) => {
                let hint = Some("write it as `4s` or `500ms`".to_owned());
                self.invalid(value.span(), problem, hint);
                None
            }
        }
    }

    fn strings(&mut self, value: &Spanned<DeValue<'_>>) -> Vec<String> {
        let Some(items) = value.get_ref().as_array() else {
            self.wrong_type(value, "this value", "an array of strings");
            return Vec::new();
        };
        items.iter().filter_map(|item| self.string(item)).collect()
    }

    fn size(&mut self, value: &Spanned<DeValue<'_>>, min: usize, max: usize) -> usize {
        let parsed = value
            .get_ref()
            .as_integer()
            .and_then(|i| i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()).ok());
        match parsed.and_then(|n| usize::try_from(n).ok()) {
            Some(n) if (min..=max).contains(&n) => n,
            Some(n) => {
                self.invalid(
                    value.span(),
                    format!("{n} is out of range"),
                    Some(format!("use a number from {min} to {max}")),
                );
                min
            }
            None => {
                self.wrong_type(value, "this value", "an integer");
                min
            }
        }
    }

    fn choice<T: Copy>(
        &mut self,
        value: &Spanned<DeValue<'_>>,
        choices: &[(&str, T)],
    ) -> Option<T> {
        let text = self.string(value)?;
        let found = choices.iter().find(|(name, _)| *name == text).map(|(_, v)| *v);
        if found.is_none() {
            let names: Vec<String> = choices.iter().map(|(n, _)| format!("\"{n}\"")).collect();
            self.invalid(
                value.span(),
                format!("\"{text}\" is not a choice here"),
                Some(format!("use one of {}", names.join(", "))),
            );
        }
        found
    }

    /// Ref globs, see [`glob_matches`].
    fn ref_globs(&mut self, value: &Spanned<DeValue<'_>>) -> Vec<String> {
        let globs = self.strings(value);
        for glob in &globs {
            if !glob.starts_with("refs/") {
                self.invalid(
                    value.span(),
                    format!("`{glob}` does not start with `refs/`"),
                    Some("write full ref names, e.g. `refs/heads/*`".into()),
                );
            }
        }
        globs
    }

    /// Reads an array of tables, each with `read`.
    fn list<T>(
        &mut self,
        value: &Spanned<DeValue<'_>>,
        what: &str,
        read: fn(&mut Self, &DeTable<'_>, Range<usize>, &str) -> Option<T>,
    ) -> Vec<T> {
        let Some(items) = value.get_ref().as_array() else {
            self.wrong_type(value, what, "an array of tables");
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items {
            if let Some(table) = self.as_table(item, what) {
                out.extend(read(self, table, item.span(), what));
            }
        }
        out
    }

    /// Looks up required and known keys of a table; reports the rest.
    fn fields<'v, 'i>(
        &mut self,
        table: &'v DeTable<'i>,
        span: Range<usize>,
        what: &str,
        required: &[&str],
        optional: &[&str],
    ) -> BTreeMap<String, &'v Spanned<DeValue<'i>>> {
        let mut found = BTreeMap::new();
        let known: Vec<&str> = required.iter().chain(optional).copied().collect();
        for (key, value) in table {
            let name: &str = key.get_ref();
            if known.contains(&name) {
                found.insert(name.to_owned(), value);
            } else {
                self.unknown(key, name, what, &known);
            }
        }
        for key in required {
            if !found.contains_key(*key) {
                self.invalid(span.clone(), format!("`{key}` is missing in `[{what}]`"), None);
            }
        }
        found
    }

    fn template(
        &mut self,
        table: &DeTable<'_>,
        span: Range<usize>,
        what: &str,
    ) -> Option<RepoTemplate> {
        let fields = self.fields(table, span, what, &["path"], &["lowercase"]);
        let value = *fields.get("path")?;
        let path = self.string(value)?;
        if !path.contains("{owner}") || !path.contains("{name}") || !path.starts_with('/') {
            self.invalid(
                value.span(),
                format!("`{path}` is not an absolute path with `{{owner}}` and `{{name}}`"),
                Some("e.g. `/srv/git/{owner}/{name}.git`".into()),
            );
            return None;
        }
        let lowercase = match fields.get("lowercase") {
            Some(v) => v.get_ref().as_bool().unwrap_or_else(|| {
                self.wrong_type(v, "lowercase", "a boolean");
                false
            }),
            None => false,
        };
        Some(RepoTemplate { path, lowercase })
    }

    fn benchmark(
        &mut self,
        table: &DeTable<'_>,
        span: Range<usize>,
        what: &str,
    ) -> Option<StaticBenchmark> {
        let fields = self.fields(table, span, what, &["id", "tasks"], &[]);
        let value = *fields.get("id")?;
        let id = self.string(value)?;
        if let Some(problem) = crate::rules::eval_results::repo_id_problem(&id) {
            self.invalid(
                value.span(),
                format!("`{id}` is not a Hub repository id: {problem}"),
                None,
            );
        }
        let tasks = self.strings(fields.get("tasks")?);
        Some(StaticBenchmark { id, tasks })
    }

    fn absolute_path(&mut self, value: &Spanned<DeValue<'_>>) -> Option<PathBuf> {
        let text = self.string(value)?;
        if !text.starts_with('/') {
            self.invalid(value.span(), format!("`{text}` is not an absolute path"), None);
            return None;
        }
        Some(PathBuf::from(text))
    }

    fn lower_is_better(
        &mut self,
        table: &DeTable<'_>,
        span: Range<usize>,
        what: &str,
    ) -> Option<LowerIsBetter> {
        let fields = self.fields(table, span, what, &["benchmark"], &["tasks"]);
        let value = *fields.get("benchmark")?;
        let benchmark = self.string(value)?;
        if let Some(problem) = crate::rules::eval_results::repo_id_problem(&benchmark) {
            let message = format!("`{benchmark}` is not a Hub repository id: {problem}");
            self.invalid(value.span(), message, None);
        }
        let tasks = fields.get("tasks").map(|v| self.strings(v)).unwrap_or_default();
        Some(LowerIsBetter { benchmark, tasks })
    }

    fn token_key(
        &mut self,
        table: &DeTable<'_>,
        span: Range<usize>,
        what: &str,
    ) -> Option<TokenKey> {
        let fields = self.fields(table, span, what, &["id", "ed25519"], &[]);
        let id = self.string(fields.get("id")?)?;
        let value = *fields.get("ed25519")?;
        let text = self.string(value)?;
        match crate::token::decode_public_key(&text) {
            Ok(public_key) => Some(TokenKey { id, public_key }),
            Err(problem) => {
                self.invalid(
                    value.span(),
                    format!("not an Ed25519 public key: {problem}"),
                    Some(
                        "use the line `evalgate token keygen` prints: 32 bytes in base64url".into(),
                    ),
                );
                None
            }
        }
    }
}

/// Reads a time budget: a whole number of milliseconds (`500ms`), seconds
/// (`4s`) or minutes (`2m`), more than zero and at most an hour.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let millis_per = match unit {
        "ms" => 1,
        "s" => 1_000,
        "m" => 60_000,
        _ => return Err(format!("`{text}` is not a duration: it needs a unit, `ms`, `s` or `m`")),
    };
    let millis = number
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(millis_per))
        .ok_or_else(|| format!("`{text}` is not a duration: it needs a whole number first"))?;
    if millis == 0 || millis > 3_600_000 {
        return Err(format!("`{text}` is out of range: a deadline is from 1ms to 60m"));
    }
    Ok(Duration::from_millis(millis))
}

/// A time budget as [`parse_duration`] reads it: `4s`, `1500ms`.
pub fn format_duration(duration: Duration) -> String {
    let millis = duration.as_millis();
    if millis.is_multiple_of(1000) { format!("{}s", millis / 1000) } else { format!("{millis}ms") }
}

/// Whether a ref name matches a glob: `*` matches any run of characters,
/// `/` included, as in git's refspecs (`refs/heads/*` is every branch).
pub fn glob_matches(glob: &str, name: &str) -> bool {
    fn go(g: &[u8], n: &[u8]) -> bool {
        match g {
            [] => n.is_empty(),
            [b'*', rest @ ..] => (0..=n.len()).any(|i| go(rest, &n[i..])),
            [c, rest @ ..] => n.first() == Some(c) && go(rest, &n[1..]),
        }
    }
    go(glob.as_bytes(), name.as_bytes())
}

/// Applies configured severities: changes them, or drops findings set `off`.
pub fn apply_severity(severity: &BTreeMap<Code, Level>, findings: &mut Vec<Finding>) {
    if severity.is_empty() {
        return;
    }
    findings.retain_mut(|finding| match severity.get(&finding.code) {
        Some(Level::Off) => false,
        Some(Level::Error) => {
            finding.severity = Severity::Error;
            true
        }
        Some(Level::Warning) => {
            finding.severity = Severity::Warning;
            true
        }
        None => true,
    });
}

/// A commented example that `evalgate config check` accepts.
pub const EXAMPLE: &str = include_str!("../docs/config.example.toml");

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<(String, usize, usize)> {
        let mut config = Config::default();
        config
            .apply(text)
            .into_iter()
            .map(|f| (f.code.as_str().to_owned(), f.span.unwrap().line, f.span.unwrap().column))
            .collect()
    }

    #[test]
    fn the_example_is_valid() {
        assert_eq!(problems(EXAMPLE), vec![]);
    }

    #[test]
    fn reports_every_problem_at_its_place() {
        let text = "[hook]\nmax_findings = \"ten\"\nprefx = \"none\"\n[severity]\nunknown-field = \"loud\"\nno-such-code = \"off\"\n";
        assert_eq!(
            problems(text),
            vec![
                ("config-invalid-value".into(), 2, 16),
                ("config-unknown-key".into(), 3, 1),
                ("config-invalid-value".into(), 5, 17),
                ("config-unknown-key".into(), 6, 1),
            ]
        );
        assert_eq!(problems("[hook\n"), vec![("config-syntax".into(), 1, 6)]);
        assert_eq!(
            problems("[hook]\ndeadline = \"4\"\n"),
            vec![("config-invalid-value".into(), 2, 12)]
        );
    }

    #[test]
    fn deadlines_read_with_their_unit() {
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("4s"), Ok(Duration::from_secs(4)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        for text in ["1ms", "1500ms", "4s", "3600s"] {
            assert_eq!(format_duration(parse_duration(text).unwrap()), text);
        }
        for bad in ["", "4", "s", "4 s", "1.5s", "0s", "61m", "-1s", "99999999999999999999ms"] {
            assert!(parse_duration(bad).is_err(), "{bad:?} was read");
        }
        let mut config = Config::default();
        assert!(config.apply("[hook]\ndeadline = \"3s\"\n").is_empty());
        assert_eq!(config.deadline, Some(Duration::from_secs(3)));
    }

    #[test]
    fn later_files_override_key_by_key() {
        let mut config = Config::default();
        assert!(
            config
                .apply("[severity]\nunknown-field = \"error\"\n[hook]\nmax_findings = 5\n")
                .is_empty()
        );
        assert!(config.apply("[severity]\nyaml11-ambiguous = \"off\"\n").is_empty());
        assert_eq!(config.severity.get(&Code::UnknownField), Some(&Level::Error));
        assert_eq!(config.severity.get(&Code::Yaml11Ambiguous), Some(&Level::Off));
        assert_eq!(config.max_findings, 5);
    }

    #[test]
    fn leaderboard_keys_are_read_with_positions() {
        let mut config = Config::default();
        let text = "[leaderboard]\nout = \"/srv/www\"\n\
                    [[leaderboard.lower_is_better]]\nbenchmark = \"lab/errors\"\ntasks = [\"wer\"]\n\
                    [[leaderboard.lower_is_better]]\nbenchmark = \"lab/latency\"\n";
        assert!(config.apply(text).is_empty());
        assert_eq!(config.leaderboard.out, Some(PathBuf::from("/srv/www")));
        assert!(config.leaderboard.lower_is_better("lab/errors", "wer"));
        assert!(!config.leaderboard.lower_is_better("lab/errors", "cer"));
        assert!(config.leaderboard.lower_is_better("lab/latency", "any"));
        let bad = "[leaderboard]\nout = \"www\"\n[[leaderboard.lower_is_better]]\ntask = []\n";
        assert_eq!(
            problems(bad),
            vec![
                ("config-invalid-value".into(), 2, 7),
                ("config-invalid-value".into(), 3, 1),
                ("config-unknown-key".into(), 4, 1),
            ]
        );
    }

    #[test]
    fn ref_globs_match_parts() {
        assert!(glob_matches("refs/heads/*", "refs/heads/main"));
        assert!(glob_matches("refs/heads/*", "refs/heads/feature/x"));
        assert!(glob_matches("refs/for/*", "refs/for/main/topic"));
        assert!(glob_matches("refs/heads/*/x", "refs/heads/a/b/x"));
        assert!(!glob_matches("refs/tags/*", "refs/heads/main"));
        assert!(!glob_matches("refs/heads/main", "refs/heads/main2"));
        let config = Config { exclude: vec!["refs/heads/wip/*".into()], ..Config::default() };
        let options = crate::gate::Options {
            include: config.include,
            exclude: config.exclude,
            ..crate::gate::Options::default()
        };
        assert!(options.checks_ref("refs/heads/main"));
        assert!(!options.checks_ref("refs/heads/wip/x"));
        assert!(!options.checks_ref("refs/pull/1/head"));
    }
}
