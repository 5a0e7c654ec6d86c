//! Putting the hook in place: a small shell script that runs this program by
//! absolute path, written where each kind of server looks for it.
//!
//! The script (`hooks/pre-receive.sh`) carries a marker line, so evalgate
//! recognises its own hook: installing again is a no-op, a hook someone else
//! wrote is never replaced without `force`, and uninstalling removes only
//! evalgate's. It leaves out `core.hooksPath` (a repository that sets it
//! runs hooks from elsewhere) and global hook folders of GitLab.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The line that marks a hook as written by evalgate.
pub const MARKER: &str = "# evalgate-hook: written by `evalgate install`";

const TEMPLATE: &str = include_str!("../hooks/pre-receive.sh");

/// Why the hook could not be installed or removed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("`{path}` is not a git repository")]
    NotARepository { path: PathBuf },
    #[error("`{path}` exists and was not written by evalgate; pass `--force` to replace it")]
    Foreign { path: PathBuf },
    #[error("`{path}` was not written by evalgate; not removing it")]
    ForeignRemove { path: PathBuf },
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
    /// GitLab (Gitaly): `custom_hooks/pre-receive.d/evalgate`.
    Gitlab,
}

impl Layout {
    /// The hook file for a repository whose git directory is `git_dir`.
    pub fn hook_path(self, git_dir: &Path) -> PathBuf {
        match self {
            Layout::Git => git_dir.join("hooks").join("pre-receive"),
            Layout::Gitea => git_dir.join("hooks").join("pre-receive.d").join("evalgate"),
            Layout::Gitlab => git_dir.join("custom_hooks").join("pre-receive.d").join("evalgate"),
        }
    }
}

/// What [`install`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Installed {
    Written,
    /// An older evalgate hook (other program path or options) was replaced.
    Updated,
    /// The same hook was already there; nothing was written.
    Unchanged,
}

/// What [`uninstall`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Removed {
    Removed,
    NotInstalled,
}

/// The hook script that runs `program pre-receive <args>`.
pub fn shim(program: &Path, args: &[String]) -> Result<String, Error> {
    let path = program.to_str().ok_or_else(|| Error::NotUtf8 { path: program.to_owned() })?;
    let args: String = args.iter().map(|arg| format!(" {}", shell_quote(arg))).collect();
    Ok(TEMPLATE.replace("@EVALGATE@", &shell_quote(path)).replace("@ARGS@", &args))
}

/// Writes `shim` as the hook of the repository at `repo`, mode 0755.
///
/// # Notes
/// - `repo` is a bare repository or a work tree with a `.git` folder.
/// - A hook without [`MARKER`] is replaced only with `force`.
pub fn install(
    repo: &Path,
    layout: Layout,
    shim: &str,
    force: bool,
) -> Result<(PathBuf, Installed), Error> {
    let path = layout.hook_path(&git_dir(repo)?);
    let outcome = match read_existing(&path)? {
        None => Installed::Written,
        Some(text) if text == shim => return Ok((path, Installed::Unchanged)),
        Some(text) if is_ours(&text) || force => Installed::Updated,
        Some(_) => return Err(Error::Foreign { path }),
    };
    write_executable(&path, shim)?;
    Ok((path, outcome))
}

/// Removes evalgate's hook from the repository at `repo`, and nothing else.
pub fn uninstall(repo: &Path, layout: Layout) -> Result<(PathBuf, Removed), Error> {
    let path = layout.hook_path(&git_dir(repo)?);
    match read_existing(&path)? {
        None => Ok((path, Removed::NotInstalled)),
        Some(text) if is_ours(&text) => {
            fs::remove_file(&path).map_err(|source| Error::Write { path: path.clone(), source })?;
            Ok((path, Removed::Removed))
        }
        Some(_) => Err(Error::ForeignRemove { path }),
    }
}

fn is_ours(text: &str) -> bool {
    text.lines().any(|line| line.starts_with(MARKER))
}

fn git_dir(repo: &Path) -> Result<PathBuf, Error> {
    let looks_like_git_dir =
        |dir: &Path| dir.join("HEAD").is_file() && dir.join("objects").is_dir();
    if looks_like_git_dir(repo) {
        Ok(repo.to_owned())
    } else if looks_like_git_dir(&repo.join(".git")) {
        Ok(repo.join(".git"))
    } else {
        Err(Error::NotARepository { path: repo.to_owned() })
    }
}

/// The text of an existing hook, `None` if there is none.
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
    /// run.
    pub fn post_receive_path(self, git_dir: &Path) -> PathBuf {
        match self {
            Layout::Git => git_dir.join("hooks").join("post-receive"),
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
        let text = shim(Path::new("/opt/it's here/evalgate"), &["--every-commit".into()]).unwrap();
        assert!(text.starts_with("#!/bin/sh\n"));
        assert!(text.contains(MARKER));
        assert!(text.contains(r"evalgate='/opt/it'\''s here/evalgate'"), "{text}");
        assert!(text.contains(r#"exec "$evalgate" pre-receive '--every-commit'"#), "{text}");
        assert!(!text.contains('@'), "{text}");
    }

    #[test]
    fn layouts_put_the_hook_where_each_server_looks() {
        let dir = Path::new("/srv/r.git");
        assert_eq!(Layout::Git.hook_path(dir), dir.join("hooks/pre-receive"));
        assert_eq!(Layout::Gitea.hook_path(dir), dir.join("hooks/pre-receive.d/evalgate"));
        assert_eq!(Layout::Gitlab.hook_path(dir), dir.join("custom_hooks/pre-receive.d/evalgate"));
    }
}
