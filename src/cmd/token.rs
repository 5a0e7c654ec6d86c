//! `evalgate token`: make keys, sign results, verify signed results.

use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use evalgate::config::TokenMode;
use evalgate::report;
use evalgate::rules::{self, Kind};
use evalgate::token::{self, Claims};
use evalgate::yaml::{self, Document, NodeId};

use crate::cli::{CheckArgs, Color, Format, KindArg, TokenCommand};
use crate::cmd::EXIT_OK;

pub fn run(command: TokenCommand) -> anyhow::Result<ExitCode> {
    match command {
        TokenCommand::Keygen { out, id } => keygen(&out, &id),
        TokenCommand::Sign { key, id, model, expires, files } => {
            let text = fs::read_to_string(&key)
                .with_context(|| format!("cannot read the key `{}`", key.display()))?;
            let signing = token::decode_signing_key(&text)
                .map_err(|e| anyhow::anyhow!("`{}` is not a private key: {e}", key.display()))?;
            let expiry =
                match expires {
                    Some(date) => Some(token::unix_of(&date).with_context(|| {
                        format!("`{date}` is not a date of the form YYYY-MM-DD")
                    })?),
                    None => None,
                };
            for file in &files {
                sign_file(file, &signing, &id, model.as_deref(), expiry)?;
            }
            Ok(ExitCode::from(EXIT_OK))
        }
        TokenCommand::Verify { config, model, files } => {
            let config = crate::cmd::check::local_config(config.as_deref())?;
            let mut settings = config.settings();
            settings.tokens.mode = TokenMode::Verify;
            settings.tokens.model = model;
            let args = CheckArgs {
                paths: files,
                kind: Some(KindArg::EvalResults),
                format: Format::Human,
                color: Color::Never,
                deny: None,
                max_file_size: None,
                config: None,
            };
            crate::cmd::check::check_paths(&args, &settings)
        }
    }
}

fn keygen(out: &Path, id: &str) -> anyhow::Result<ExitCode> {
    let mut seed = [0u8; 32];
    fs::File::open("/dev/urandom")
        .and_then(|mut random| random.read_exact(&mut seed))
        .context("cannot read random bytes from `/dev/urandom`")?;
    let signing = ed25519_dalek::SigningKey::from_bytes(&seed);
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(out)
        .with_context(|| format!("cannot create `{}` (it must not exist yet)", out.display()))?;
    writeln!(file, "{}", token::encode_key(&signing.to_bytes()))?;

    let public = token::encode_key(&signing.verifying_key().to_bytes());
    let mut stdout = io::stdout().lock();
    writeln!(
        stdout,
        "# wrote the private key to `{}`: keep it secret",
        report::clean(&out.display().to_string())
    )?;
    writeln!(stdout, "# add the public key to the server's configuration:")?;
    writeln!(stdout, "[[tokens.key]]\nid = \"{}\"\ned25519 = \"{public}\"", report::clean(id))?;
    Ok(ExitCode::from(EXIT_OK))
}

/// Adds or replaces a token in every entry of one results file.
fn sign_file(
    path: &Path,
    key: &ed25519_dalek::SigningKey,
    kid: &str,
    model: Option<&str>,
    expires: Option<i64>,
) -> anyhow::Result<()> {
    let shown = path.display().to_string();
    let text = fs::read_to_string(path).with_context(|| format!("cannot read `{shown}`"))?;
    let checked = rules::check(Kind::EvalResults, text.as_bytes(), &rules::Settings::default());
    if checked.findings.iter().any(|f| f.is_error()) {
        bail!("`{shown}` has errors; fix what `evalgate check` reports before signing");
    }
    let (Some(doc), _) = yaml::parse(&text, &Default::default()) else {
        bail!("`{shown}` is not YAML");
    };
    let items = doc.root().and_then(|root| doc.as_seq(root)).unwrap_or_default();
    let now = rules::tokens::unix_now();

    let mut edits = Vec::new();
    for (index, &item) in items.iter().enumerate() {
        let entry = rules::tokens::entry(&doc, item)
            .with_context(|| format!("entry {} of `{shown}` cannot be signed", index + 1))?;
        let claims = Claims {
            evalgate: token::CLAIMS_VERSION,
            dataset: entry.dataset.to_owned(),
            task: entry.task.to_owned(),
            value: entry.value,
            revision: entry.revision.map(str::to_owned),
            model: model.map(str::to_owned),
            iat: now,
            exp: expires,
        };
        let token = token::sign(&claims, key, kid);
        edits.push(token_edit(&text, &doc, item, &token).with_context(|| {
            format!(
                "entry {} of `{shown}` is written in flow style; write it as a block to sign it",
                index + 1
            )
        })?);
    }

    let mut signed = text.clone();
    for (range, replacement) in edits.into_iter().rev() {
        signed.replace_range(range, &replacement);
    }
    write_atomically(path, &signed).with_context(|| format!("cannot write `{shown}`"))
}

/// The text change that puts `token` into an entry: a replaced value, or a
/// new line after the entry's `value`.
fn token_edit(
    text: &str,
    doc: &Document,
    item: NodeId,
    token: &str,
) -> Option<(std::ops::Range<usize>, String)> {
    let start = offset(text, doc.span(item).line, doc.span(item).column)?;
    if text[start..].starts_with('{') {
        return None;
    }
    if let Some((_, existing)) = doc.get(item, "verifyToken") {
        let span = doc.span(existing);
        let from = offset(text, span.line, span.column)?;
        let to = offset(text, span.end_line, span.end_column)?;
        return Some((from..to, token.to_owned()));
    }
    let (key, value) = doc.get(item, "value")?;
    let indent = " ".repeat(doc.span(key).column - 1);
    let end = offset(text, doc.span(value).end_line, doc.span(value).end_column)?;
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i + 1);
    let newline = if line_end == text.len() && !text.ends_with('\n') { "\n" } else { "" };
    Some((line_end..line_end, format!("{newline}{indent}verifyToken: {token}\n")))
}

/// The byte offset of a 1-based line and character column.
fn offset(text: &str, line: usize, column: usize) -> Option<usize> {
    let line_start =
        if line == 1 { 0 } else { text.match_indices('\n').nth(line - 2).map(|(i, _)| i + 1)? };
    let rest = &text[line_start..];
    let within = rest.char_indices().nth(column - 1).map_or(rest.len(), |(i, _)| i);
    Some(line_start + within)
}

fn write_atomically(path: &Path, text: &str) -> io::Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut temp = tempfile::NamedTempFile::new_in(dir)?;
    temp.write_all(text.as_bytes())?;
    let permissions = fs::metadata(path)?.permissions();
    temp.as_file().set_permissions(permissions)?;
    temp.persist(PathBuf::from(path)).map_err(|e| e.error)?;
    Ok(())
}
