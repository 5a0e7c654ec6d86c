//! What git hands a `pre-receive` hook: the ref updates on standard input and
//! the environment that says where the pushed objects wait.
//!
//! This module only reads and checks that input; it opens nothing. Object ids
//! stay hex text here, checked against the repository's object format, so
//! the rest of the program never sees a git library's types. Push
//! certificates (`GIT_PUSH_CERT*`) and server-specific variables other than
//! GitLab's `GL_ID`/`GL_PROTOCOL` and Gitea's `GITEA_INTERNAL_PUSH` are not
//! read.

use std::ffi::OsString;
use std::fmt;
use std::io::Read;
use std::path::PathBuf;

/// Why the hook input or environment could not be read.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("could not read the hook input")]
    Read(#[source] std::io::Error),
    #[error("hook input line {line} is not `<old> <new> <ref>`: `{text}`")]
    Malformed { line: usize, text: String },
    #[error("hook input line {line}: `{id}` is not a {format} object id")]
    BadId { line: usize, id: String, format: ObjectFormat },
}

/// The hash function of a repository, which fixes the length of its ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ObjectFormat {
    Sha1,
    Sha256,
}

impl ObjectFormat {
    /// How many hex digits an id has.
    pub fn hex_len(self) -> usize {
        match self {
            ObjectFormat::Sha1 => 40,
            ObjectFormat::Sha256 => 64,
        }
    }
}

impl fmt::Display for ObjectFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ObjectFormat::Sha1 => "SHA-1",
            ObjectFormat::Sha256 => "SHA-256",
        })
    }
}

/// An object id as lowercase hex, of the length its repository uses.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectId(String);

impl ObjectId {
    /// Reads `hex` as an id of `format`; `None` if it is not one.
    pub fn from_hex(hex: &str, format: ObjectFormat) -> Option<ObjectId> {
        let ok = hex.len() == format.hex_len() && hex.bytes().all(|b| b.is_ascii_hexdigit());
        ok.then(|| ObjectId(hex.to_ascii_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The first ten digits, for messages.
    pub fn short(&self) -> &str {
        &self.0[..10]
    }

    /// Whether this is the all-zero id git uses for "no object".
    pub fn is_null(&self) -> bool {
        self.0.bytes().all(|b| b == b'0')
    }
}

impl fmt::Display for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One line of hook input: a ref moving from `old` to `new`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefUpdate {
    /// `None` when the push creates the ref.
    pub old: Option<ObjectId>,
    /// `None` when the push deletes the ref.
    pub new: Option<ObjectId>,
    /// The full name, as `refs/heads/main`.
    pub name: String,
}

impl RefUpdate {
    /// The update as git writes it for a hook, `<old> <new> <name>`, with
    /// zeros for a missing id: what [`parse_updates`] reads back.
    pub fn to_line(&self, format: ObjectFormat) -> String {
        let zero = "0".repeat(format.hex_len());
        let old = self.old.as_ref().map_or(zero.as_str(), ObjectId::as_str);
        let new = self.new.as_ref().map_or(zero.as_str(), ObjectId::as_str);
        format!("{old} {new} {}", self.name)
    }
}

/// Reads all of standard input, as git writes it to `pre-receive`.
pub fn read_stdin() -> Result<Vec<u8>, Error> {
    let mut input = Vec::new();
    std::io::stdin().lock().read_to_end(&mut input).map_err(Error::Read)?;
    Ok(input)
}

/// Parses hook input: one `<old> SP <new> SP <ref>` line per ref.
///
/// # Notes
/// - Blank lines are skipped (Gitea's delegating hook adds one at the end).
/// - A ref name that is not UTF-8 is kept with replacement characters; it is
///   only shown and matched against prefixes.
/// - A ref name with a space or a control character is malformed: git's
///   ref-name rules forbid both, so such a line did not come from git.
pub fn parse_updates(input: &[u8], format: ObjectFormat) -> Result<Vec<RefUpdate>, Error> {
    let mut updates = Vec::new();
    for (index, raw) in input.split(|&b| b == b'\n').enumerate() {
        let line = String::from_utf8_lossy(raw.strip_suffix(b"\r").unwrap_or(raw));
        if line.trim().is_empty() {
            continue;
        }
        updates.push(parse_line(&line, index + 1, format)?);
    }
    Ok(updates)
}

fn parse_line(line: &str, number: usize, format: ObjectFormat) -> Result<RefUpdate, Error> {
    let mut fields = line.splitn(3, ' ');
    let (Some(old), Some(new), Some(name)) = (fields.next(), fields.next(), fields.next()) else {
        return Err(Error::Malformed { line: number, text: shorten(line) });
    };
    if name.is_empty() || name.chars().any(|c| c == ' ' || c.is_control()) {
        return Err(Error::Malformed { line: number, text: shorten(line) });
    }
    let id = |hex: &str| match ObjectId::from_hex(hex, format) {
        Some(id) => Ok((!id.is_null()).then_some(id)),
        None => Err(Error::BadId { line: number, id: shorten(hex), format }),
    };
    Ok(RefUpdate { old: id(old)?, new: id(new)?, name: name.to_owned() })
}

/// Input text cut to a length fit for an error message.
fn shorten(text: &str) -> String {
    const MAX: usize = 60;
    if text.chars().count() <= MAX {
        return text.to_owned();
    }
    let cut: String = text.chars().take(MAX).collect();
    cut + "..."
}

/// What the environment says about the repository and the push.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Environment {
    /// `GIT_DIR`, or the current directory.
    pub git_dir: PathBuf,
    /// `GIT_OBJECT_DIRECTORY`: where a push's new objects wait (quarantine).
    pub object_directory: Option<PathBuf>,
    /// `GIT_ALTERNATE_OBJECT_DIRECTORIES`, in order.
    pub alternate_object_directories: Vec<PathBuf>,
    /// Whether GitLab runs the hook (`GL_ID` or `GL_PROTOCOL` set).
    pub gitlab: bool,
    /// `GIT_PUSH_OPTION_0..N`, when the server advertises push options.
    pub push_options: Vec<String>,
    /// Whether Gitea or Forgejo pushes for itself (`GITEA_INTERNAL_PUSH=true`).
    pub gitea_internal: bool,
}

impl Environment {
    /// Reads the process environment.
    pub fn from_process() -> Environment {
        Environment::from_vars(|name| std::env::var_os(name))
    }

    /// Reads the environment through `var`, so tests need not set real variables.
    ///
    /// # Notes
    /// - `GIT_QUARANTINE_PATH` is not read: GitLab does not pass it, and
    ///   `GIT_OBJECT_DIRECTORY` names the same directory where it is set.
    /// - Empty variables count as unset.
    pub fn from_vars(var: impl Fn(&str) -> Option<OsString>) -> Environment {
        let set = |name: &str| var(name).filter(|value| !value.is_empty());
        let count = set("GIT_PUSH_OPTION_COUNT")
            .and_then(|n| n.to_str().and_then(|n| n.parse::<usize>().ok()))
            .unwrap_or(0);
        let push_options = (0..count)
            .filter_map(|i| set(&format!("GIT_PUSH_OPTION_{i}")))
            .map(|value| value.to_string_lossy().into_owned())
            .collect();
        Environment {
            git_dir: set("GIT_DIR").map_or_else(|| PathBuf::from("."), PathBuf::from),
            object_directory: set("GIT_OBJECT_DIRECTORY").map(PathBuf::from),
            alternate_object_directories: set("GIT_ALTERNATE_OBJECT_DIRECTORIES")
                .map(|list| split_alternates(&os_bytes(list)))
                .unwrap_or_default(),
            gitlab: set("GL_ID").is_some() || set("GL_PROTOCOL").is_some(),
            push_options,
            gitea_internal: set("GITEA_INTERNAL_PUSH").is_some_and(|value| value == "true"),
        }
    }

    /// Whether the server itself writes this ref, copying commits that were
    /// checked when they were pushed, so the hook lets it through.
    ///
    /// # Notes
    /// - Gitea and Forgejo copy a pull request's head branch to
    ///   `refs/pull/<n>/head` with `GITEA_INTERNAL_PUSH=true`; the branch
    ///   was checked when it was pushed (or lives in a fork of this server,
    ///   where the fork's own hook checked it). Rejecting the copy would only
    ///   break the pull request page.
    /// - Any push into a branch or tag is checked, internal or not: a merge
    ///   done by the server changes what the branch holds.
    pub fn server_writes(&self, update: &RefUpdate) -> bool {
        self.gitea_internal && update.name.starts_with("refs/pull/")
    }

    /// Whether the pusher passed `git push -o <name>`.
    pub fn has_push_option(&self, name: &str) -> bool {
        self.push_options.iter().any(|option| option == name)
    }
}

/// The repository being pushed to, `owner/name`, as the server names it.
///
/// Gitea and Forgejo set `GITEA_REPO_USER_NAME` and `GITEA_REPO_NAME`,
/// GitLab `GL_PROJECT_PATH`, GitHub Enterprise `GITHUB_REPO_NAME`. Plain git
/// and gitolite say nothing; then signed results are not bound to a model.
pub fn model_repository(var: impl Fn(&str) -> Option<String>) -> Option<String> {
    let set = |name: &str| var(name).filter(|value| !value.is_empty());
    if let (Some(owner), Some(name)) = (set("GITEA_REPO_USER_NAME"), set("GITEA_REPO_NAME")) {
        return Some(format!("{owner}/{name}"));
    }
    set("GL_PROJECT_PATH").or_else(|| set("GITHUB_REPO_NAME"))
}

#[cfg(unix)]
fn os_bytes(value: OsString) -> Vec<u8> {
    std::os::unix::ffi::OsStringExt::into_vec(value)
}

#[cfg(not(unix))]
fn os_bytes(value: OsString) -> Vec<u8> {
    value.to_string_lossy().into_owned().into_bytes()
}

#[cfg(unix)]
fn bytes_path(bytes: Vec<u8>) -> PathBuf {
    PathBuf::from(<OsString as std::os::unix::ffi::OsStringExt>::from_vec(bytes))
}

#[cfg(not(unix))]
fn bytes_path(bytes: Vec<u8>) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(&bytes).into_owned())
}

/// Splits a `:`-separated list of object directories the way git does.
///
/// An entry that starts with `"` is C-quoted (git quotes paths that hold a
/// `:` or start with a quote); one that starts with `#` is a comment; empty
/// entries are skipped. A quote that does not parse is taken literally.
fn split_alternates(list: &[u8]) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    let mut rest = list;
    while !rest.is_empty() {
        let (entry, after) = match rest.first() {
            Some(b'"') => match unquote_c(rest) {
                Some((entry, used)) => (Some(entry), &rest[used..]),
                None => split_at_colon(rest),
            },
            Some(b'#') => (None, split_at_colon(rest).1),
            _ => split_at_colon(rest),
        };
        if let Some(entry) = entry.filter(|e| !e.is_empty()) {
            dirs.push(bytes_path(entry));
        }
        // What follows a quoted entry is its separator.
        rest = after.strip_prefix(b":").unwrap_or(after);
    }
    dirs
}

fn split_at_colon(text: &[u8]) -> (Option<Vec<u8>>, &[u8]) {
    match text.iter().position(|&b| b == b':') {
        Some(at) => (Some(text[..at].to_vec()), &text[at..]),
        None => (Some(text.to_vec()), &[]),
    }
}

/// Reads a C-quoted string at the start of `text`: the bytes and how many
/// input bytes it took, closing quote included.
fn unquote_c(text: &[u8]) -> Option<(Vec<u8>, usize)> {
    let mut out = Vec::new();
    let mut i = 1;
    loop {
        match *text.get(i)? {
            b'"' => return Some((out, i + 1)),
            b'\\' => {
                let escaped = *text.get(i + 1)?;
                i += 2;
                let byte = match escaped {
                    b'a' => 0x07,
                    b'b' => 0x08,
                    b'f' => 0x0c,
                    b'n' => b'\n',
                    b'r' => b'\r',
                    b't' => b'\t',
                    b'v' => 0x0b,
                    b'"' | b'\\' => escaped,
                    b'0'..=b'3' => {
                        let digits = text.get(i..i + 2)?;
                        if !digits.iter().all(|d| (b'0'..=b'7').contains(d)) {
                            return None;
                        }
                        i += 2;
                        ((escaped - b'0') << 6) | ((digits[0] - b'0') << 3) | (digits[1] - b'0')
                    }
                    _ => return None,
                };
                out.push(byte);
            }
            byte => {
                out.push(byte);
                i += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "1111111111111111111111111111111111111111";
    const B: &str = "2222222222222222222222222222222222222222";
    const Z: &str = "0000000000000000000000000000000000000000";

    fn parse(text: &str) -> Result<Vec<RefUpdate>, Error> {
        parse_updates(text.as_bytes(), ObjectFormat::Sha1)
    }

    #[test]
    fn reads_updates_creations_and_deletions() {
        let text =
            format!("{A} {B} refs/heads/main\n{Z} {B} refs/tags/v1\n{A} {Z} refs/heads/old\n");
        let updates = parse(&text).unwrap();
        assert_eq!(updates.len(), 3);
        assert_eq!(updates[0].old.as_ref().map(ObjectId::as_str), Some(A));
        assert_eq!(updates[0].new.as_ref().map(ObjectId::as_str), Some(B));
        assert_eq!(updates[0].name, "refs/heads/main");
        assert_eq!(updates[1].old, None);
        assert_eq!(updates[2].new, None);
    }

    /// Found by fuzzing: `name\r\r\n` lost one `\r` to the CRLF rule and
    /// kept the other inside the ref name.
    #[test]
    fn a_control_character_in_a_ref_name_is_malformed() {
        for name in
            ["refs/heads/a\r\r", "refs/heads/a\rb", "refs/heads/\x1b[31mred", "refs/heads/a\tb"]
        {
            let line = format!("{A} {B} {name}\n");
            assert!(matches!(parse(&line), Err(Error::Malformed { line: 1, .. })), "{name:?}");
        }
        assert_eq!(
            parse(&format!("{A} {B} refs/heads/main\r\n")).unwrap()[0].name,
            "refs/heads/main"
        );
    }

    #[test]
    fn tolerates_a_trailing_blank_line_and_no_final_newline() {
        let with_blank = format!("{A} {B} refs/heads/main\n\n");
        assert_eq!(parse(&with_blank).unwrap().len(), 1);
        assert_eq!(parse(&format!("{A} {B} refs/heads/main")).unwrap().len(), 1);
        assert_eq!(parse("").unwrap(), vec![]);
    }

    #[test]
    fn rejects_ids_of_the_wrong_length_naming_the_line() {
        let text = format!("{A} {B} refs/heads/main\n{A} 1234 refs/heads/x\n");
        let error = parse(&text).unwrap_err();
        assert!(matches!(error, Error::BadId { line: 2, .. }), "{error:?}");
        assert_eq!(error.to_string(), "hook input line 2: `1234` is not a SHA-1 object id");
    }

    #[test]
    fn rejects_garbage_and_non_hex() {
        assert!(matches!(parse("hello world"), Err(Error::Malformed { line: 1, .. })));
        assert!(matches!(parse(&format!("{A} {B}")), Err(Error::Malformed { .. })));
        let not_hex = format!("{} {B} refs/heads/x", "g".repeat(40));
        assert!(matches!(parse(&not_hex), Err(Error::BadId { .. })));
        let two_spaces = format!("{A}  {B} refs/heads/x");
        assert!(parse(&two_spaces).is_err());
    }

    #[test]
    fn sha256_ids_need_64_digits() {
        let old = "a".repeat(64);
        let zero = "0".repeat(64);
        let text = format!("{old} {zero} refs/heads/main\n");
        let updates = parse_updates(text.as_bytes(), ObjectFormat::Sha256).unwrap();
        assert_eq!(updates[0].old.as_ref().map(ObjectId::as_str), Some(old.as_str()));
        assert_eq!(updates[0].new, None);
        assert!(parse_updates(text.as_bytes(), ObjectFormat::Sha1).is_err());
        let sha1_line = format!("{A} {B} refs/heads/main");
        assert!(parse_updates(sha1_line.as_bytes(), ObjectFormat::Sha256).is_err());
    }

    #[test]
    fn long_garbage_is_shortened_in_the_message() {
        let error = parse(&"x".repeat(500)).unwrap_err().to_string();
        assert!(error.len() < 150, "{error}");
    }

    #[test]
    fn splits_alternates_with_quotes_and_comments() {
        let list = br#"/srv/a:"/srv/with:colon\"q\101":#comment::/srv/b"#;
        let dirs = split_alternates(list);
        let dirs: Vec<_> = dirs.iter().map(|d| d.to_string_lossy().into_owned()).collect();
        assert_eq!(dirs, ["/srv/a", "/srv/with:colon\"qA", "/srv/b"]);
        assert_eq!(split_alternates(br#""unterminated:/x"#).len(), 2);
    }

    #[test]
    fn reads_the_environment() {
        let env = Environment::from_vars(|name| {
            let value = match name {
                "GIT_DIR" => "/srv/r.git",
                "GIT_OBJECT_DIRECTORY" => "/srv/r.git/objects/incoming",
                "GIT_ALTERNATE_OBJECT_DIRECTORIES" => "/srv/r.git/objects",
                "GL_PROTOCOL" => "ssh",
                "GIT_PUSH_OPTION_COUNT" => "1",
                "GIT_PUSH_OPTION_0" => "evalgate.quiet",
                _ => return None,
            };
            Some(value.into())
        });
        assert_eq!(env.git_dir, PathBuf::from("/srv/r.git"));
        assert_eq!(env.alternate_object_directories, [PathBuf::from("/srv/r.git/objects")]);
        assert!(env.gitlab && env.has_push_option("evalgate.quiet"));
        assert!(!env.gitea_internal);
        let bare = Environment::from_vars(|_| None);
        assert_eq!(bare.git_dir, PathBuf::from("."));
        assert!(!bare.gitlab && bare.object_directory.is_none());
    }

    #[test]
    fn gitea_internal_pushes_pass_only_for_pull_request_refs() {
        let internal = |value: &'static str| {
            Environment::from_vars(move |name| {
                (name == "GITEA_INTERNAL_PUSH").then(|| value.into())
            })
        };
        let update = |name: &str| RefUpdate { old: None, new: None, name: name.to_owned() };
        let gitea = internal("true");
        assert!(gitea.server_writes(&update("refs/pull/7/head")));
        assert!(!gitea.server_writes(&update("refs/heads/main")));
        assert!(!gitea.server_writes(&update("refs/tags/v1")));
        assert!(!internal("false").server_writes(&update("refs/pull/7/head")));
        assert!(!internal("").server_writes(&update("refs/pull/7/head")));
    }
}
