//! Problems found in the input, with the file, position and help a webmaster needs to fix them.
//!
//! Library code collects `Problem`s; only `main` (and `serve`'s overlay) turns them into text.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource};

mod never_published;

/// The text of one input file, shared by all the problems found in it.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// The path shown to the user: relative to the site root, with `/` separators.
    pub name: String,
    /// Empty once released (see `release`).
    pub text: Arc<str>,
    /// Where to read the text again, once it has been released.
    released_from: Option<PathBuf>,
    /// See `digest`: worked out on first use, so a build that never asks pays nothing.
    digest: OnceLock<u128>,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<Arc<str>>) -> Arc<Self> {
        Arc::new(SourceFile {
            name: name.into(),
            text: text.into(),
            released_from: None,
            digest: OnceLock::new(),
        })
    }

    /// The same file without its text, which is read again from `root` when a problem needs
    /// it (`reread`, which `Problem::at` calls). A build that runs once holds each case file's
    /// text only while it parses it: at 100,000 cases, 300 MB it need not hold while it checks,
    /// projects and renders.
    pub fn release(&self, root: &Path) -> Arc<Self> {
        Arc::new(SourceFile {
            name: self.name.clone(),
            text: Arc::from(""),
            released_from: Some(root.join(&self.name)),
            digest: OnceLock::new(),
        })
    }

    /// Whether the text was released (see `release`).
    pub fn is_released(&self) -> bool {
        self.released_from.is_some()
    }

    /// The file with its text: itself, or a released file read again from disk. A file that
    /// cannot be read again keeps an empty text, and its problems are told without the line.
    pub fn reread(self: &Arc<Self>) -> Arc<Self> {
        let Some(path) = &self.released_from else {
            return self.clone();
        };
        let text = std::fs::read(path)
            .ok()
            .and_then(|b| String::from_utf8(b).ok());
        match text {
            Some(text) => SourceFile::new(self.name.clone(), normalize_text(text)),
            None => self.clone(),
        }
    }

    /// A hash (XXH3-128) of the file's name and text, worked out once per file read: what
    /// `serve` knows a file by to reuse what the checks found in it (`memo::FileMemo`). A
    /// released file has no text to hash: ask `is_released` first.
    pub fn digest(&self) -> u128 {
        *self.digest.get_or_init(|| {
            let mut hash = xxhash_rust::xxh3::Xxh3::new();
            hash.update(self.name.as_bytes());
            hash.update(b"\0");
            hash.update(self.text.as_bytes());
            hash.digest128()
        })
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        (line, before[line_start..].chars().count() + 1)
    }
}

/// Files saved on Windows read like any other: a UTF-8 byte-order mark is dropped and CRLF
/// line endings become LF (positions in messages count the lines just the same).
pub(crate) fn normalize_text(text: String) -> String {
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_owned(),
        None => text,
    };
    if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One error or warning, with where it is and what would fix it.
#[derive(Clone, Debug)]
pub struct Problem {
    /// Error or warning.
    pub severity: Severity,
    /// The file it is in, if any.
    pub file: Option<Arc<SourceFile>>,
    /// Byte range in the file, if known.
    pub span: Option<Range<usize>>,
    /// What is wrong, in one sentence.
    pub message: String,
    /// Short text under the caret.
    pub label: Option<String>,
    /// What to do about it.
    pub help: Option<String>,
}

impl Problem {
    /// An error with `message`.
    pub fn error(message: impl Into<String>) -> Self {
        Problem {
            severity: Severity::Error,
            file: None,
            span: None,
            message: message.into(),
            label: None,
            help: None,
        }
    }

    /// A warning with `message`.
    pub fn warning(message: impl Into<String>) -> Self {
        Problem {
            severity: Severity::Warning,
            ..Problem::error(message)
        }
    }

    /// Points the problem at `span` of `file` (an empty span points at the file as a whole).
    /// A released file is read again, so the problem can show its line and tell whether that
    /// line is one that must never be printed.
    pub fn at(mut self, file: &Arc<SourceFile>, span: Range<usize>) -> Self {
        self.file = Some(file.reread());
        self.span = (span.end > span.start || span.start > 0).then_some(span);
        self
    }

    /// Places the problem in `file` (without a position).
    pub fn in_file(mut self, file: &Arc<SourceFile>) -> Self {
        self.file = Some(file.clone());
        self
    }

    /// Text shown under the caret.
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Adds advice on how to fix it.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Whether this stops the build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:column`, or just the file, or nothing.
    pub fn location(&self) -> Option<String> {
        let file = self.file.as_ref()?;
        Some(match &self.span {
            // Released and not read again (the file went away): a line counted in an empty
            // text would be wrong.
            Some(_) if file.is_released() => file.name.clone(),
            Some(span) => {
                let (line, col) = file.line_col(span.start);
                format!("{}:{line}:{col}", file.name)
            }
            None => file.name.clone(),
        })
    }

    /// A problem inside `[private]` or `[review]`: its source line must not be printed.
    fn in_never_published_table(&self) -> bool {
        match (&self.file, &self.span) {
            (Some(file), Some(span)) => {
                never_published::contains(&file.name, &file.text, span.start)
                    || never_published::contains(&file.name, &file.text, span.end)
            }
            _ => false,
        }
    }

    fn sort_key(&self) -> (Option<&str>, usize) {
        (
            self.file.as_ref().map(|f| f.name.as_str()),
            self.span.as_ref().map_or(0, |s| s.start),
        )
    }

    /// The text users see: message, location, the offending line with a caret, help.
    pub fn render(&self, color: bool) -> String {
        let theme = if color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        // A message without a source excerpt is read as one line: wrapping it would split the
        // file name from the key or line it names.
        let width = if self.file.is_none() { 10_000 } else { 100 };
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_width(width)
            .with_links(false);
        let mut out = String::new();
        let view = MietteView::new(self);
        if handler.render_report(&mut out, &view).is_err() {
            out = self.to_string();
        }
        if self.in_never_published_table() {
            if let Some(loc) = self.location() {
                out.push_str(&format!(
                    "  at {loc} (the line is not shown: it is never published)\n"
                ));
            }
        } else if self.span.is_none() || self.file.as_ref().is_some_and(|f| f.is_released()) {
            if let Some(loc) = self.location() {
                out.push_str(&format!("  in {loc}\n"));
            }
        }
        out
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.location() {
            Some(loc) => write!(f, "{loc}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for Problem {}

/// Adapts a `Problem` to miette's renderer.
#[derive(Debug)]
struct MietteView<'a> {
    problem: &'a Problem,
    source: Option<NamedSource<Arc<str>>>,
}

impl<'a> MietteView<'a> {
    fn new(problem: &'a Problem) -> Self {
        let source = match (&problem.file, &problem.span) {
            (Some(_), Some(_)) if problem.in_never_published_table() => None,
            (Some(file), Some(_)) if file.is_released() => None,
            (Some(file), Some(_)) => Some(NamedSource::new(&file.name, file.text.clone())),
            _ => None,
        };
        MietteView { problem, source }
    }
}

impl fmt::Display for MietteView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.problem.in_never_published_table() {
            // A parser's message may quote the value itself ("invalid type: string \"...\"").
            return f.write_str(&never_published::redact_quotes(&self.problem.message));
        }
        f.write_str(&self.problem.message)
    }
}

impl std::error::Error for MietteView<'_> {}

impl Diagnostic for MietteView<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.problem.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.problem
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.problem.span.clone()?;
        self.source.as_ref()?;
        let label = LabeledSpan::new_primary_with_span(self.problem.label.clone(), span);
        Some(Box::new(std::iter::once(label)))
    }
}

/// Every problem found in one run, so the user sees them all at once.
#[derive(Clone, Debug, Default)]
pub struct Problems {
    list: Vec<Problem>,
}

impl Problems {
    /// Adds one problem.
    pub fn push(&mut self, problem: Problem) {
        self.list.push(problem);
    }

    /// Adds several problems.
    pub fn extend(&mut self, other: impl IntoIterator<Item = Problem>) {
        self.list.extend(other);
    }

    /// Whether any problem is an error.
    pub fn has_errors(&self) -> bool {
        self.list.iter().any(Problem::is_error)
    }

    /// Whether there are no problems at all.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// How many problems.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// How many errors.
    pub fn error_count(&self) -> usize {
        self.list.iter().filter(|p| p.is_error()).count()
    }

    /// How many warnings.
    pub fn warning_count(&self) -> usize {
        self.list.len() - self.error_count()
    }

    /// Sorted by file, then position; problems without a file first.
    pub fn into_sorted(mut self) -> Vec<Problem> {
        self.list.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.list
    }

    /// Every problem, in the order found.
    pub fn iter(&self) -> impl Iterator<Item = &Problem> {
        self.list.iter()
    }
}

impl IntoIterator for Problems {
    type Item = Problem;
    type IntoIter = std::vec::IntoIter<Problem>;
    fn into_iter(self) -> Self::IntoIter {
        self.into_sorted().into_iter()
    }
}

/// The closest candidate to a misspelt word, if one is close enough to be a useful hint.
pub(crate) fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let word_lower = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&word_lower, &c.to_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// The path shown in messages: relative to the site root, with `/` separators.
pub(crate) fn display_path(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_are_close_or_absent() {
        let codes = ["CAT", "SPT", "CCPR", "CEDAW"];
        assert_eq!(did_you_mean("CATT", codes), Some("CAT"));
        assert_eq!(did_you_mean("cedaw", codes), Some("CEDAW"));
        assert_eq!(did_you_mean("XYZQW", codes), None);
    }

    #[test]
    fn line_and_column_count_characters() {
        let file = SourceFile::new("a.toml", "id = 1\ntitle = \"é x\"\n");
        assert_eq!(file.line_col(0), (1, 1));
        assert_eq!(file.line_col(7), (2, 1));
        let x = file.text.find('x').unwrap();
        assert_eq!(file.line_col(x), (2, 12));
    }
}
