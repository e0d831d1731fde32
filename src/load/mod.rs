//! Reads every input file of a site root; collects every problem instead of stopping at one.

mod toml_file;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::SiteConfig;
use crate::diagnostics::{Problem, Problems, SourceFile, display_path, normalize_text};
use crate::model::Record;
use crate::model::case::Case;
use crate::model::committee::Committee;
use crate::model::focal_point::FocalPoint;
use crate::model::referral::ReferralList;
use crate::model::session::Session;
use crate::model::vocab::{CountryList, TermList, Vocab, VocabKind};

pub(crate) use toml_file::parse;

/// Everything read from `site.toml`, `public-data/` and `content/`, before cross-record checks.
#[derive(Debug)]
pub struct Inputs {
    pub root: PathBuf,
    pub config: Record<SiteConfig>,
    pub committees: Vec<Record<Committee>>,
    pub focal_points: Vec<Record<FocalPoint>>,
    pub cases: Vec<Record<Case>>,
    /// `public-data/referrals.toml`, when there is one.
    pub referrals: Option<Record<ReferralList>>,
    pub sessions: Vec<Record<Session>>,
    pub vocab: Vocab,
    /// The vocabulary files, kept so references to a missing term can point at them.
    pub vocab_files: Vec<Arc<SourceFile>>,
    pub content: Vec<Arc<SourceFile>>,
    /// Paths (relative to `public-data/`, `/`-separated) of documents records may link to.
    pub files: Vec<String>,
}

/// Reads a source file; its name in messages is relative to `root`.
pub(crate) fn read_source(root: &Path, path: &Path) -> Result<Arc<SourceFile>, Problem> {
    let name = display_path(root, path);
    let bytes =
        fs::read(path).map_err(|err| Problem::error(format!("cannot read {name}: {err}")))?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile::new(name, normalize_text(text))),
        Err(err) => Err(Problem::error(not_utf8_message(
            &name,
            err.as_bytes(),
            err.utf8_error().valid_up_to(),
        ))),
    }
}

/// Where the first byte that is not UTF-8 sits, and what to do about it (editors on Windows
/// often save as Windows-1252).
pub(crate) fn not_utf8_message(name: &str, bytes: &[u8], valid_up_to: usize) -> String {
    let line = bytes[..valid_up_to].iter().filter(|&&b| b == b'\n').count() + 1;
    format!("{name}:{line}: this line is not valid UTF-8 text; save the file as UTF-8")
}

/// The TOML files below `dir`, sorted, so every run sees them in the same order.
fn toml_files(dir: &Path) -> Vec<PathBuf> {
    files_with_extension(dir, "toml")
}

fn files_with_extension(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|x| x == ext) && !is_hidden_or_temp(p))
        .collect();
    files.sort();
    files
}

/// Editors' swap and backup files are not records.
pub(crate) fn is_hidden_or_temp(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    name.starts_with('.') || name.starts_with('#') || name.ends_with('~')
}

/// Whether a record keeps its file's text once parsed.
#[derive(Clone, Copy)]
pub(crate) enum Texts {
    /// Kept: `serve`, `check` and the other commands that may run again or quote freely.
    Keep,
    /// Released as soon as the file is parsed (`SourceFile::release`): a build that runs once
    /// reads a case file again only to show a problem's line.
    Release,
}

fn parse_all<T: serde::de::DeserializeOwned + Send>(
    root: &Path,
    paths: &[PathBuf],
    texts: Texts,
    problems: &mut Problems,
) -> Vec<Record<T>> {
    let (records, failed): (Vec<Option<Record<T>>>, Vec<Option<Problem>>) = paths
        .par_iter()
        .map(|path| {
            let read = read_source(root, path).and_then(|file| {
                let value = parse::<T>(&file)?;
                let file = match texts {
                    Texts::Keep => file,
                    Texts::Release => file.release(root),
                };
                Ok(Record { file, value })
            });
            match read {
                Ok(record) => (Some(record), None),
                Err(problem) => (None, Some(problem)),
            }
        })
        .unzip();
    problems.extend(failed.into_iter().flatten());
    // `filter_map` (unlike `flatten`) keeps the vector's allocation, as an `Option<Record>`
    // takes no more room than a `Record`: a second vector of 100,000 cases took 89 MB more
    // at the build's peak.
    #[allow(clippy::filter_map_identity)]
    records.into_iter().filter_map(|record| record).collect()
}

/// Parses one case file: what `serve` calls when a single case changes.
pub(crate) fn load_case(root: &Path, path: &Path) -> Result<Record<Case>, Problem> {
    let file = read_source(root, path)?;
    let value = parse::<Case>(&file)?;
    Ok(Record { file, value })
}

/// Reads and checks `site.toml` in `root`.
pub fn load_config(root: &Path) -> Result<Record<SiteConfig>, Problem> {
    let path = root.join("site.toml");
    if !path.is_file() {
        return Err(
            Problem::error(format!("no site.toml in {}", root.display()))
                .help("run the command from the site's folder, or pass --root DIR"),
        );
    }
    let file = read_source(root, &path)?;
    let value = parse::<SiteConfig>(&file)?;
    Ok(Record { file, value })
}

/// Reads the whole site root. Returns `None` only when `site.toml` itself is unusable.
pub(crate) fn load(root: &Path) -> (Option<Inputs>, Problems) {
    load_with(root, Texts::Keep)
}

/// `load`, keeping or releasing the case files' texts (`texts`).
pub(crate) fn load_with(root: &Path, texts: Texts) -> (Option<Inputs>, Problems) {
    let mut problems = Problems::default();
    let config = match load_config(root) {
        Ok(config) => config,
        Err(problem) => {
            problems.push(problem);
            return (None, problems);
        }
    };
    let cases = parse_all(root, &case_files(root), texts, &mut problems);
    let inputs = load_around(root, config, cases, &mut problems);
    (Some(inputs), problems)
}

/// Every case file, sorted: `serve` parses them one by one and keeps each result.
pub(crate) fn case_files(root: &Path) -> Vec<PathBuf> {
    toml_files(&root.join("public-data").join("cases"))
}

/// Reads everything but the cases, around cases already parsed (`serve` keeps those between
/// edits, since they are most of the work).
pub(crate) fn load_around(
    root: &Path,
    config: Record<SiteConfig>,
    cases: Vec<Record<Case>>,
    problems: &mut Problems,
) -> Inputs {
    let data = root.join("public-data");
    if !data.is_dir() {
        problems.push(
            Problem::error(format!("no public-data/ folder in {}", root.display()))
                .help("records live in public-data/committees, focal-points, cases and vocab"),
        );
    }
    let committees = parse_all(
        root,
        &toml_files(&data.join("committees")),
        Texts::Keep,
        problems,
    );
    let focal_points = parse_all(
        root,
        &toml_files(&data.join("focal-points")),
        Texts::Keep,
        problems,
    );
    let (vocab, vocab_files) = load_vocab(root, &data.join("vocab"), problems);
    let referrals_path = data.join("referrals.toml");
    let referrals = if referrals_path.is_file() {
        parse_all(root, &[referrals_path], Texts::Keep, problems).pop()
    } else {
        None
    };
    let sessions = parse_all(
        root,
        &toml_files(&data.join("sessions")),
        Texts::Keep,
        problems,
    );
    let content = files_with_extension(&root.join("content"), "md")
        .iter()
        .filter_map(|p| read_source(root, p).map_err(|e| problems.push(e)).ok())
        .collect();
    let files_dir = data.join("files");
    let files = WalkDir::new(&files_dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && !is_hidden_or_temp(e.path()))
        .map(|e| display_path(&data, e.path()))
        .collect();
    Inputs {
        root: root.to_path_buf(),
        config,
        committees,
        focal_points,
        cases,
        referrals,
        sessions,
        vocab,
        vocab_files,
        content,
        files,
    }
}

fn load_vocab(root: &Path, dir: &Path, problems: &mut Problems) -> (Vocab, Vec<Arc<SourceFile>>) {
    let mut vocab = Vocab::default();
    let mut files = Vec::new();
    for kind in VocabKind::ALL {
        let path = dir.join(format!("{}.toml", kind.file_stem()));
        if !path.is_file() {
            problems.push(Problem::error(format!(
                "missing vocabulary public-data/vocab/{}.toml",
                kind.file_stem()
            )));
            continue;
        }
        match read_source(root, &path).and_then(|f| parse::<TermList>(&f).map(|v| (f, v))) {
            Ok((file, list)) => {
                report_duplicate_ids(&file, list.term.iter().map(|t| &t.id), problems);
                vocab.lists.insert(kind, list.term);
                files.push(file);
            }
            Err(problem) => problems.push(problem),
        }
    }
    let path = dir.join("countries.toml");
    match read_source(root, &path).and_then(|f| parse::<CountryList>(&f).map(|v| (f, v))) {
        Ok((file, list)) => {
            report_duplicate_ids(&file, list.country.iter().map(|c| &c.code), problems);
            vocab.countries = list.country;
            files.push(file);
        }
        Err(problem) => problems.push(problem),
    }
    (vocab, files)
}

fn report_duplicate_ids<'a, T: std::fmt::Display + 'a>(
    file: &Arc<SourceFile>,
    ids: impl Iterator<Item = &'a toml::Spanned<T>>,
    problems: &mut Problems,
) {
    let mut seen = std::collections::HashSet::new();
    for id in ids {
        let text = id.get_ref().to_string();
        if !seen.insert(text.clone()) {
            problems.push(
                Problem::error(format!("`{text}` is defined twice"))
                    .at(file, id.span())
                    .label("second definition")
                    .help("ids in a vocabulary must be unique"),
            );
        }
    }
}
