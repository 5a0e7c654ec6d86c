//! Putting the hook in place: a small shell script that runs this program by
//! absolute path, written where each kind of server looks for it.
//!
//! The script (`hooks/pre-receive.sh`) carries a marker line, so evalgate
//! recognises its own hook: installing again is a no-op, a hook someone else
//! wrote is never replaced without being asked (`Existing::Replace`) and can
//! be kept and run first (`Existing::Chain`), and uninstalling removes only
//! evalgate's, bringing back a hook it had chained. It leaves out
//! `core.hooksPath` (a repository that sets it runs hooks from elsewhere) and
//! running gitolite's `setup --hooks-only`, which must run as gitolite's user.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The line that marks a hook as written by evalgate.
pub const MARKER: &str = "# evalgate-hook: written by `evalgate install`";

/// What a chained hook's file name gets, after the hook's own.
pub const CHAINED_SUFFIX: &str = ".before-evalgate";

const TEMPLATE: &str = include_str!("../hooks/pre-receive.sh");

/// Why the hook could not be installed or removed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("`{path}` is not a git repository")]
    NotARepository { path: PathBuf },
    #[error("`{path}` is not a folder")]
    NotAFolder { path: PathBuf },
    #[error("no git repositories under `{path}`")]
    NoRepositories { path: PathBuf },
    #[error(
        "`{path}` exists and was not written by evalgate; pass `--chain` to keep it and run it \
         first, or `--force` to replace it"
    )]
    Foreign { path: PathBuf },
    #[error("`{path}` was not written by evalgate; not removing it")]
    ForeignRemove { path: PathBuf },
    #[error("cannot chain `{path}`: `{saved}` is already there; move one of them away")]
    ChainTaken { path: PathBuf, saved: PathBuf },
    #[error("{layout} has no server-wide hook folder; install into each repository (`--all ROOT`)")]
    NoServerWide { layout: Layout },
    #[error("{layout} runs hooks from its own folder; pass it with `--server-wide DIR`")]
    ServerWideOnly { layout: Layout },
    #[error("{layout} runs every hook in its `pre-receive.d` folder; `--chain` is not needed")]
    ChainNotNeeded { layout: Layout },
    #[error("the program path `{path}` is not UTF-8, which the hook script cannot hold")]
    NotUtf8 { path: PathBuf },
    #[error("could not write `{path}`")]
    Write { path: PathBuf, source: io::Error },
    #[error("could not read `{path}`")]
    Read { path: PathBuf, source: io::Error },
}

/// Where a server looks for a repository's pre-receive hook.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// Plain git: `hooks/pre-receive`.
    Git,
    /// Gitea and Forgejo: `hooks/pre-receive.d/evalgate`, run by the
    /// server's own `hooks/pre-receive`.
    Gitea,
    /// GitLab (Gitaly): `custom_hooks/pre-receive.d/evalgate`, or
    /// `<custom_hooks_dir>/pre-receive.d/evalgate` for the whole server.
    Gitlab,
    /// gitolite: `<LOCAL_CODE>/hooks/common/pre-receive`, which gitolite
    /// links into every repository's `hooks/`.
    Gitolite,
}

impl std::fmt::Display for Layout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Layout::Git => "plain git",
            Layout::Gitea => "Gitea",
            Layout::Gitlab => "GitLab",
            Layout::Gitolite => "gitolite",
        })
    }
}

impl Layout {
    /// The hook file for a repository whose git directory is `git_dir`.
    ///
    /// # Notes
    /// - gitolite's per-repository hook is a link gitolite makes; the
    ///   file itself lives in `LOCAL_CODE` (see [`Layout::server_wide_path`]).
    pub fn hook_path(self, git_dir: &Path) -> Result<PathBuf, Error> {
        match self {
            Layout::Git => Ok(git_dir.join("hooks").join("pre-receive")),
            Layout::Gitea => Ok(git_dir.join("hooks").join("pre-receive.d").join("evalgate")),
            Layout::Gitlab => {
                Ok(git_dir.join("custom_hooks").join("pre-receive.d").join("evalgate"))
            }
            Layout::Gitolite => Err(Error::ServerWideOnly { layout: self }),
        }
    }

    /// The hook file for every repository of a server, under `dir`: GitLab's
    /// `custom_hooks_dir` or gitolite's `LOCAL_CODE`.
    pub fn server_wide_path(self, dir: &Path) -> Result<PathBuf, Error> {
        match self {
            Layout::Gitlab => Ok(dir.join("pre-receive.d").join("evalgate")),
            Layout::Gitolite => Ok(dir.join("hooks").join("common").join("pre-receive")),
            Layout::Git | Layout::Gitea => Err(Error::NoServerWide { layout: self }),
        }
    }

    /// Whether the layout has one `pre-receive` file, which a hook already
    /// there would have to share with evalgate's.
    pub fn single_hook(self) -> bool {
        matches!(self, Layout::Git | Layout::Gitolite)
    }
}

/// Where to install: one repository, or the server's own hook folder.
#[derive(Clone, Copy, Debug)]
pub enum Place<'a> {
    Repository(&'a Path),
    ServerWide(&'a Path),
}

/// A hook file and the folder it belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HookFile {
    pub path: PathBuf,
    /// The folder that was there before evalgate: uninstalling removes the
    /// folders between it and the hook that evalgate's removal empties.
    pub base: PathBuf,
}

/// The hook file `layout` uses at `place`.
pub fn hook_file(layout: Layout, place: Place<'_>) -> Result<HookFile, Error> {
    match place {
        Place::Repository(repo) => {
            let git_dir = git_dir(repo)?;
            let path = layout.hook_path(&git_dir)?;
            // git's own `hooks` folder stays, even when empty.
            let base = if path.starts_with(git_dir.join("hooks")) {
                git_dir.join("hooks")
            } else {
                git_dir
            };
            Ok(HookFile { path, base })
        }
        Place::ServerWide(dir) if dir.is_dir() => {
            Ok(HookFile { path: layout.server_wide_path(dir)?, base: dir.to_owned() })
        }
        Place::ServerWide(dir) => Err(Error::NotAFolder { path: dir.to_owned() }),
    }
}

/// What an install or uninstall is about.
#[derive(Clone, Copy, Debug)]
pub enum Targets<'a> {
    Repositories(&'a [PathBuf]),
    /// Every repository under a folder ([`repositories_under`]).
    All(&'a Path),
    ServerWide(&'a Path),
}

/// The hook files for `targets`, one result per repository, so one that is
/// not a repository does not stop the others.
pub fn hook_files(
    layout: Layout,
    targets: Targets<'_>,
) -> Result<Vec<Result<HookFile, Error>>, Error> {
    let each = |repos: &[PathBuf]| {
        repos.iter().map(|repo| hook_file(layout, Place::Repository(repo))).collect()
    };
    // TODO: a repository made after `--all` ran has no hook until it runs
    // again; pushes to it are not checked meanwhile.
    match targets {
        _ if layout == Layout::Gitolite && !matches!(targets, Targets::ServerWide(_)) => {
            Err(Error::ServerWideOnly { layout })
        }
        Targets::Repositories(repos) => Ok(each(repos)),
        Targets::All(root) => Ok(each(&repositories_under(root)?)),
        Targets::ServerWide(dir) => Ok(vec![hook_file(layout, Place::ServerWide(dir))]),
    }
}

/// What to do with a hook that evalgate did not write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Existing {
    /// Leave it and fail.
    Refuse,
    /// Overwrite it.
    Replace,
    /// Keep it beside evalgate's as `<hook>.before-evalgate`, and run it
    /// first on the same input.
    Chain,
}

/// What [`install`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Installed {
    Written,
    /// The hook that was there was kept as `saved` and runs before evalgate.
    Chained {
        saved: PathBuf,
    },
    /// An older evalgate hook (other program path or options) was replaced.
    Updated,
    /// The same hook was already there; nothing was written.
    Unchanged,
}

/// What [`uninstall`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Removed {
    Removed,
    /// evalgate's hook is gone and the chained one is back in its place.
    Restored {
        from: PathBuf,
    },
    NotInstalled,
}

/// The hook script that runs `program pre-receive <args>`, after the hook
/// at `chained` when there is one.
pub fn shim(program: &Path, args: &[String], chained: Option<&Path>) -> Result<String, Error> {
    let utf8 = |path: &Path| {
        path.to_str().map(shell_quote).ok_or_else(|| Error::NotUtf8 { path: path.to_owned() })
    };
    let args: String = args.iter().map(|arg| format!(" {}", shell_quote(arg))).collect();
    let chained = chained.map(utf8).transpose()?.unwrap_or_default();
    Ok(TEMPLATE
        .replace("@EVALGATE@", &utf8(program)?)
        .replace("@CHAINED@", &chained)
        .replace("@ARGS@", &args))
}

/// Where a chained hook is kept: `<hook>.before-evalgate`.
pub fn chained_path(hook: &Path) -> PathBuf {
    let mut name = hook.as_os_str().to_owned();
    name.push(CHAINED_SUFFIX);
    PathBuf::from(name)
}

/// Writes evalgate's hook, running `program pre-receive <args>`, at `hook`.
///
/// # Notes
/// - A hook without [`MARKER`] is handled as `existing` says. Chaining
///   links the old hook to its new name before evalgate's replaces it, so
///   there is no moment without a hook.
/// - Once a hook is chained, installing again keeps chaining it.
/// - The chained hook is named by absolute path, so it is found also
///   through a link (gitolite links its common hooks into repositories).
pub fn install(
    hook: &Path,
    program: &Path,
    args: &[String],
    existing: Existing,
) -> Result<Installed, Error> {
    let saved = chained_path(hook);
    let current = read_existing(hook)?;
    let foreign = current.as_deref().is_some_and(|text| !is_ours(text));
    if foreign && existing == Existing::Chain {
        if fs::symlink_metadata(&saved).is_ok() {
            return Err(Error::ChainTaken { path: hook.to_owned(), saved });
        }
        let text = shim(program, args, Some(&absolute(&saved)))?;
        fs::hard_link(hook, &saved)
            .map_err(|source| Error::Write { path: saved.clone(), source })?;
        write_executable(hook, &text)?;
        return Ok(Installed::Chained { saved });
    }

    let chained = saved.exists().then(|| absolute(&saved));
    let text = shim(program, args, chained.as_deref())?;
    let outcome = match current {
        None => Installed::Written,
        Some(current) if current == text => return Ok(Installed::Unchanged),
        Some(_) if !foreign || existing == Existing::Replace => Installed::Updated,
        Some(_) => return Err(Error::Foreign { path: hook.to_owned() }),
    };
    write_executable(hook, &text)?;
    Ok(outcome)
}

/// Removes evalgate's hook, and nothing else; a hook it chained takes its
/// place again.
///
/// # Notes
/// - Folders that evalgate's hook leaves empty (`pre-receive.d`,
///   `custom_hooks`) go too, up to [`HookFile::base`].
pub fn uninstall(hook: &HookFile) -> Result<Removed, Error> {
    // TODO: gitolite's links to a removed common hook stay in each
    // repository; git runs nothing through them, but they are clutter.
    let removed = remove(&hook.path)?;
    if removed == Removed::Removed {
        remove_empty_folders(&hook.path, &hook.base);
    }
    Ok(removed)
}

/// Removes the folders above `path` that are empty, stopping below `base`.
fn remove_empty_folders(path: &Path, base: &Path) {
    for dir in path.ancestors().skip(1) {
        if dir == base || !dir.starts_with(base) || fs::remove_dir(dir).is_err() {
            break;
        }
    }
}

fn remove(hook: &Path) -> Result<Removed, Error> {
    let saved = chained_path(hook);
    let restore = || {
        fs::rename(&saved, hook).map_err(|source| Error::Write { path: hook.to_owned(), source })
    };
    match read_existing(hook)? {
        Some(text) if !is_ours(&text) => Err(Error::ForeignRemove { path: hook.to_owned() }),
        // A rename over evalgate's hook: there is no moment without a hook.
        _ if fs::symlink_metadata(&saved).is_ok() => {
            restore()?;
            Ok(Removed::Restored { from: saved })
        }
        Some(_) => {
            fs::remove_file(hook)
                .map_err(|source| Error::Write { path: hook.to_owned(), source })?;
            Ok(Removed::Removed)
        }
        None => Ok(Removed::NotInstalled),
    }
}

/// The git directories under `root`, sorted: bare repositories such as
/// Gitea's `<owner>/<name>.git` and GitLab's `@hashed/..`, and `.git`
/// folders of work trees.
///
/// # Notes
/// - Symbolic links are not followed, so a link loop cannot trap the walk.
/// - The walk does not go into a repository it found.
/// - Folders that cannot be read are skipped.
pub fn repositories_under(root: &Path) -> Result<Vec<PathBuf>, Error> {
    if !root.is_dir() {
        return Err(Error::NotAFolder { path: root.to_owned() });
    }
    let mut found = Vec::new();
    let mut pending = vec![root.to_owned()];
    while let Some(dir) = pending.pop() {
        if is_git_dir(&dir) {
            found.push(dir);
            continue;
        }
        let Ok(entries) = fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            if entry.file_type().is_ok_and(|kind| kind.is_dir()) {
                pending.push(entry.path());
            }
        }
    }
    if found.is_empty() {
        return Err(Error::NoRepositories { path: root.to_owned() });
    }
    found.sort();
    Ok(found)
}

fn is_ours(text: &str) -> bool {
    text.lines().any(|line| line.starts_with(MARKER))
}

fn is_git_dir(dir: &Path) -> bool {
    dir.join("HEAD").is_file() && dir.join("objects").is_dir() && dir.join("refs").is_dir()
}

fn git_dir(repo: &Path) -> Result<PathBuf, Error> {
    if is_git_dir(repo) {
        Ok(repo.to_owned())
    } else if is_git_dir(&repo.join(".git")) {
        Ok(repo.join(".git"))
    } else {
        Err(Error::NotARepository { path: repo.to_owned() })
    }
}

/// `path` made absolute against the current directory, without resolving
/// links (the chained hook may itself be one).
fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_owned())
}

/// The text of an existing hook, `None` if there is none.
///
/// # Notes
/// - A link that points nowhere counts as no hook: git skips it too.
fn read_existing(path: &Path) -> Result<Option<String>, Error> {
    match fs::read(path) {
        Ok(bytes) => Ok(Some(String::from_utf8_lossy(&bytes).into_owned())),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(Error::Read { path: path.to_owned(), source }),
    }
}

/// Writes through a temporary file and a rename, so a push never runs half a hook.
fn write_executable(path: &Path, text: &str) -> Result<(), Error> {
    let error = |source| Error::Write { path: path.to_owned(), source };
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(error)?;
    }
    let mut temp = path.as_os_str().to_owned();
    temp.push(".evalgate-new");
    let temp = PathBuf::from(temp);
    fs::write(&temp, text).map_err(error)?;
    set_executable(&temp).map_err(error)?;
    fs::rename(&temp, path).map_err(error)
}

#[cfg(unix)]
fn set_executable(path: &Path) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o755))
}

#[cfg(not(unix))]
fn set_executable(_path: &Path) -> io::Result<()> {
    Ok(())
}

/// `text` in single quotes for `sh`.
fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// The post-receive hook: leaderboard updates after a push.
const POST_RECEIVE_TEMPLATE: &str = include_str!("../hooks/post-receive.sh");

impl Layout {
    /// The post-receive hook file for a repository whose git directory is
    /// `git_dir`: `hooks/post-receive`, or the `.d` folder Gitea and GitLab
    /// run. gitolite runs a repository's own `hooks/post-receive` as plain
    /// git does.
    pub fn post_receive_path(self, git_dir: &Path) -> PathBuf {
        match self {
            Layout::Git | Layout::Gitolite => git_dir.join("hooks").join("post-receive"),
            Layout::Gitea => git_dir.join("hooks").join("post-receive.d").join("evalgate"),
            Layout::Gitlab => git_dir.join("custom_hooks").join("post-receive.d").join("evalgate"),
        }
    }
}

/// The post-receive script that runs `program post-receive <args>`.
pub fn post_receive_shim(program: &Path, args: &[String]) -> Result<String, Error> {
    let path = program.to_str().ok_or_else(|| Error::NotUtf8 { path: program.to_owned() })?;
    let args: String = args.iter().map(|arg| format!(" {}", shell_quote(arg))).collect();
    Ok(POST_RECEIVE_TEMPLATE.replace("@EVALGATE@", &shell_quote(path)).replace("@ARGS@", &args))
}

/// Writes `shim` as the post-receive hook of the repository at `repo`, as
/// [`install`] does the pre-receive hook.
pub fn install_post_receive(
    repo: &Path,
    layout: Layout,
    shim: &str,
    force: bool,
) -> Result<(PathBuf, Installed), Error> {
    let path = layout.post_receive_path(&git_dir(repo)?);
    let outcome = match read_existing(&path)? {
        None => Installed::Written,
        Some(text) if text == shim => return Ok((path, Installed::Unchanged)),
        Some(text) if is_ours(&text) || force => Installed::Updated,
        Some(_) => return Err(Error::Foreign { path }),
    };
    write_executable(&path, shim)?;
    Ok((path, outcome))
}

/// Removes evalgate's post-receive hook from the repository at `repo`.
pub fn uninstall_post_receive(repo: &Path, layout: Layout) -> Result<(PathBuf, Removed), Error> {
    let path = layout.post_receive_path(&git_dir(repo)?);
    match read_existing(&path)? {
        None => Ok((path, Removed::NotInstalled)),
        Some(text) if is_ours(&text) => {
            fs::remove_file(&path).map_err(|source| Error::Write { path: path.clone(), source })?;
            Ok((path, Removed::Removed))
        }
        Some(_) => Err(Error::ForeignRemove { path }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shim_quotes_the_program_and_its_options() {
        let program = Path::new("/opt/it's here/evalgate");
        let text = shim(program, &["--every-commit".into()], None).unwrap();
        assert!(text.starts_with("#!/bin/sh\n"));
        assert!(text.contains(MARKER));
        assert!(text.contains(r"evalgate='/opt/it'\''s here/evalgate'"), "{text}");
        assert!(text.contains("chained=\n"), "{text}");
        assert!(text.contains(r#"exec "$evalgate" pre-receive '--every-commit'"#), "{text}");
        assert!(!text.contains('@'), "{text}");
    }

    #[test]
    fn a_chained_shim_names_the_old_hook() {
        let old = Path::new("/srv/r.git/hooks/pre-receive.before-evalgate");
        let text = shim(Path::new("/usr/bin/evalgate"), &[], Some(old)).unwrap();
        assert!(text.contains("chained='/srv/r.git/hooks/pre-receive.before-evalgate'\n"));
    }

    #[test]
    fn layouts_put_the_hook_where_each_server_looks() {
        let dir = Path::new("/srv/r.git");
        let path = |layout: Layout| layout.hook_path(dir).unwrap();
        assert_eq!(path(Layout::Git), dir.join("hooks/pre-receive"));
        assert_eq!(path(Layout::Gitea), dir.join("hooks/pre-receive.d/evalgate"));
        assert_eq!(path(Layout::Gitlab), dir.join("custom_hooks/pre-receive.d/evalgate"));
        assert!(Layout::Gitolite.hook_path(dir).is_err());

        let root = Path::new("/srv/hooks");
        let wide = |layout: Layout| layout.server_wide_path(root).unwrap();
        assert_eq!(wide(Layout::Gitlab), root.join("pre-receive.d/evalgate"));
        assert_eq!(wide(Layout::Gitolite), root.join("hooks/common/pre-receive"));
        assert!(Layout::Gitea.server_wide_path(root).is_err());
        assert!(Layout::Git.server_wide_path(root).is_err());
    }

    #[test]
    fn the_chained_name_follows_the_hook() {
        let hook = Path::new("/srv/r.git/hooks/pre-receive");
        assert_eq!(chained_path(hook), Path::new("/srv/r.git/hooks/pre-receive.before-evalgate"));
    }
}
