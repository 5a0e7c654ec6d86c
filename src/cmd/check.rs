//! `evalgate check`: the same checks as the hook, on files and folders.

use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use evalgate::config::Config;
use evalgate::finding::Finding;
use evalgate::report::{self, FileReport, Style, Totals};
use evalgate::rules::{self, Kind, Settings};

use crate::cli::{CheckArgs, Color, Format};
use crate::cmd::{EXIT_COULD_NOT_CHECK, EXIT_FOUND, EXIT_OK};

pub fn run(args: CheckArgs) -> anyhow::Result<ExitCode> {
    let config = local_config(args.config.as_deref())?;
    let mut settings = config.settings();
    if let Some(cap) = args.max_file_size {
        settings.limits = evalgate::yaml::Limits::from_cap(cap);
    }
    check_paths(&args, &settings)
}

/// The configuration for local checks: `--config`, else `$EVALGATE_CONFIG`.
///
/// The server's own files are not read: a local check should not depend on
/// the machine it runs on.
pub fn local_config(explicit: Option<&Path>) -> anyhow::Result<Config> {
    let env = std::env::var_os("EVALGATE_CONFIG").filter(|p| !p.is_empty()).map(PathBuf::from);
    match explicit.map(Path::to_owned).or(env) {
        Some(path) => crate::cmd::config::load(&path),
        None => Ok(Config::default()),
    }
}

/// Checks the paths `args` names with `settings`, and reports.
pub fn check_paths(args: &CheckArgs, settings: &Settings) -> anyhow::Result<ExitCode> {
    let forced = args.kind.map(Kind::from);

    let mut reports = Vec::new();
    let mut failed = false;
    for path in &args.paths {
        for target in targets(path, forced) {
            match target.and_then(|t| check_target(&t, settings)) {
                Ok(report) => reports.push(report),
                Err(error) => {
                    crate::cmd::print_error(&error);
                    failed = true;
                }
            }
        }
    }

    write_reports(&reports, args)?;
    let totals = Totals::of(&reports);
    let denied = args.deny.is_some() && totals.warnings > 0;
    Ok(ExitCode::from(if failed {
        EXIT_COULD_NOT_CHECK
    } else if totals.errors > 0 || denied {
        EXIT_FOUND
    } else {
        EXIT_OK
    }))
}

/// One file to check: where to read it, how to name it, and its format.
struct Target {
    read_from: Option<PathBuf>,
    shown: String,
    kind: Kind,
    /// Set for a path the Hub would not read: the finding that says so.
    ignored: Option<Finding>,
}

/// The files that `path` stands for.
///
/// # Notes
/// - `-` is standard input and needs `--as`.
/// - A folder is a repository: its `eval.yaml` and its `.eval_results/`.
///   Links inside it are reported, not followed, as git stores them.
fn targets(path: &Path, forced: Option<Kind>) -> Vec<anyhow::Result<Target>> {
    if path == Path::new("-") {
        let Some(kind) = forced else {
            return vec![Err(anyhow::anyhow!("reading standard input needs `--as FORMAT`"))];
        };
        return vec![Ok(Target { read_from: None, shown: "<stdin>".into(), kind, ignored: None })];
    }
    let shown = path.display().to_string();
    match fs::metadata(path) {
        Err(error) => {
            return vec![Err(anyhow::Error::new(error).context(format!("cannot read `{shown}`")))];
        }
        Ok(meta) if meta.is_dir() => return repo_targets(path, forced),
        Ok(_) => {}
    }
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let in_results = results_path(path);
    let kind = forced.or(if name == "eval.yaml" {
        Some(Kind::EvalYaml)
    } else if in_results.is_some() {
        Some(Kind::EvalResults)
    } else {
        None
    });
    let Some(kind) = kind else {
        return vec![Err(anyhow::anyhow!(
            "cannot tell the format of `{shown}`: name it `eval.yaml`, put it in \
             `.eval_results/`, or pass `--as eval-results|eval-yaml`"
        ))];
    };
    let ignored = in_results.as_deref().and_then(rules::hub_ignores);
    vec![Ok(Target { read_from: Some(path.to_owned()), shown, kind, ignored })]
}

/// The path from the nearest `.eval_results` folder above `path`, as
/// `.eval_results/sub/x.yaml`, if there is one.
fn results_path(path: &Path) -> Option<String> {
    let parts: Vec<&str> = path.iter().filter_map(|p| p.to_str()).collect();
    let at = parts.iter().rposition(|part| *part == ".eval_results")?;
    (at + 1 < parts.len()).then(|| parts[at..].join("/"))
}

fn repo_targets(root: &Path, forced: Option<Kind>) -> Vec<anyhow::Result<Target>> {
    let mut found = Vec::new();
    let eval_yaml = root.join("eval.yaml");
    if fs::symlink_metadata(&eval_yaml).is_ok() {
        found.push(file_target(root, "eval.yaml", forced.unwrap_or(Kind::EvalYaml)));
    }
    let results = root.join(".eval_results");
    if let Ok(meta) = fs::symlink_metadata(&results)
        && !meta.is_dir()
    {
        let what = if meta.file_type().is_symlink() { "symbolic link" } else { "file" };
        let shown = results.display().to_string();
        let finding = Some(rules::not_a_folder(what));
        found.push(Ok(Target {
            read_from: None,
            shown,
            kind: Kind::EvalResults,
            ignored: finding,
        }));
        return found;
    }
    let mut stack = vec![String::from(".eval_results")];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs::read_dir(root.join(&dir)) else { continue };
        let mut names: Vec<(String, bool)> = entries
            .filter_map(Result::ok)
            .map(|e| {
                let is_dir = e.file_type().is_ok_and(|t| t.is_dir());
                (e.file_name().to_string_lossy().into_owned(), is_dir)
            })
            .collect();
        names.sort();
        for (name, is_dir) in names {
            let rel = format!("{dir}/{name}");
            if is_dir {
                stack.push(rel);
            } else {
                found.push(file_target(root, &rel, forced.unwrap_or(Kind::EvalResults)));
            }
        }
    }
    found
}

fn file_target(root: &Path, rel: &str, kind: Kind) -> anyhow::Result<Target> {
    let path = root.join(rel);
    // `evalgate check .` names files as the repository does.
    let shown = if root == Path::new(".") { rel.to_owned() } else { path.display().to_string() };
    let meta = fs::symlink_metadata(&path).with_context(|| format!("cannot read `{shown}`"))?;
    let ignored = rules::hub_ignores(rel);
    if !meta.file_type().is_file() {
        let what = if meta.file_type().is_symlink() {
            "symbolic link"
        } else if meta.is_dir() {
            "folder"
        } else {
            "special file"
        };
        let finding = rules::not_a_file(what);
        return Ok(Target { read_from: None, shown, kind, ignored: Some(finding) });
    }
    Ok(Target { read_from: Some(path), shown, kind, ignored })
}

fn check_target(target: &Target, settings: &Settings) -> anyhow::Result<FileReport> {
    let mut report = FileReport { path: target.shown.clone(), ..FileReport::default() };
    if let Some(ignored) = &target.ignored {
        report.findings.push(ignored.clone());
        settings.adjust(&mut report.findings);
        return Ok(report);
    }
    let cap = settings.limits.max_bytes;
    let bytes = match &target.read_from {
        None => read_capped(io::stdin().lock(), cap),
        Some(path) => fs::File::open(path).and_then(|file| read_capped(file, cap)),
    }
    .with_context(|| format!("cannot read `{}`", target.shown))?;
    let checked = match bytes {
        Blob::Whole(bytes) => rules::check(target.kind, &bytes, settings),
        Blob::TooLarge(read) => {
            let size = target.read_from.as_ref().and_then(|p| fs::metadata(p).ok());
            let size = size.map_or(read, |meta| meta.len());
            let mut findings = vec![rules::too_large(size, cap)];
            settings.adjust(&mut findings);
            rules::Checked { source: None, findings }
        }
    };
    report.source = checked.source;
    report.findings = checked.findings;
    Ok(report)
}

enum Blob {
    Whole(Vec<u8>),
    TooLarge(u64),
}

/// Reads at most `cap + 1` bytes, so a huge file is never read whole.
fn read_capped(reader: impl io::Read, cap: usize) -> io::Result<Blob> {
    let mut bytes = Vec::new();
    let read = reader.take(cap as u64 + 1).read_to_end(&mut bytes)?;
    Ok(if read > cap { Blob::TooLarge(read as u64) } else { Blob::Whole(bytes) })
}

fn write_reports(reports: &[FileReport], args: &CheckArgs) -> io::Result<()> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let result = (|| {
        match args.format {
            Format::Json => {
                for report in reports {
                    report::json_lines(&mut out, report)?;
                }
            }
            Format::Human => {
                let style = Style { color: args.color == Color::Always };
                for report in reports {
                    report::human(&mut out, report, style)?;
                }
                writeln!(out, "evalgate: {}", Totals::of(reports).describe())?;
            }
        }
        out.flush()
    })();
    // A closed pipe (`evalgate check | head`) is not a failure worth a message.
    match result {
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}
