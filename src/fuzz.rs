//! Records mangled on purpose, checked the way `check` checks them: what the fuzz target in
//! `fuzz/` and the seeded mutation test (`tests/mutations.rs`) call. Every input must come back
//! as an orderly answer (accepted, or rejected with problems), never a panic.
//!
//! The site is read from disk once; each mutated text then replaces one file in memory, so
//! thousands of inputs take seconds.

use std::io;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::build::{self as pipeline, NoProgress, ScanningSink};
use crate::diagnostics::{Problems, SourceFile, display_path};
use crate::load;
use crate::model::Record;
use crate::output::Discard;
use crate::site::jobs::{Job, PageKind};
use crate::theme::Theme;

/// A site's `site.toml` and case files, kept as text.
pub struct Corpus {
    root: PathBuf,
    /// `site.toml` first, then every case file.
    files: Vec<Arc<SourceFile>>,
    /// The theme for the unchanged `site.toml` (loading it is most of a small check).
    theme: Theme,
}

/// How far an input that passes the checks is taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Depth {
    /// Load, validate, project and lint.
    Check,
    /// Also render the replaced case's pages, the home, trends and reports pages and every
    /// generated file, through the leak scan.
    Render,
}

/// How one input ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// No error: the mutated case's pages were rendered and leak-scanned.
    Accepted,
    /// Errors were reported (this many), nothing would be written.
    Rejected(usize),
    /// The check panicked: the message, with the input that caused it kept by the caller.
    Panicked(String),
}

impl Corpus {
    pub fn load(root: &Path) -> io::Result<Corpus> {
        let mut paths = vec![root.join("site.toml")];
        paths.extend(load::case_files(root));
        let files = paths
            .iter()
            .map(|p| {
                std::fs::read_to_string(p).map(|text| SourceFile::new(display_path(root, p), text))
            })
            .collect::<io::Result<Vec<_>>>()?;
        let config = load::load_config(root).map_err(|p| io::Error::other(p.message))?;
        let mut problems = Problems::default();
        let inputs = load::load_around(root, config, Vec::new(), &mut problems);
        let theme = pipeline::load_theme(&inputs, &mut problems);
        Ok(Corpus {
            root: root.to_path_buf(),
            files,
            theme,
        })
    }

    /// `site.toml` is file 0, the cases follow.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn text(&self, index: usize) -> &str {
        &self.files[index].text
    }

    /// Checks the site with file `index` replaced by `text`, catching any panic.
    pub fn check_with(&self, index: usize, text: &str, depth: Depth) -> Outcome {
        match catch_unwind(AssertUnwindSafe(|| {
            self.check_unguarded(index, text, depth)
        })) {
            Ok(Ok(())) => Outcome::Accepted,
            Ok(Err(problems)) => Outcome::Rejected(problems.error_count().max(1)),
            Err(payload) => Outcome::Panicked(
                payload
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                    .unwrap_or_else(|| "a panic without a message".to_owned()),
            ),
        }
    }

    /// Load, validate, project and lint as `check` does; at `Depth::Render`, if that passes,
    /// render what the replaced file touches most. (Rendering every page for every input would
    /// make a run of thousands take hours.)
    fn check_unguarded(&self, index: usize, text: &str, depth: Depth) -> Result<(), Problems> {
        let mut problems = Problems::default();
        let replaced = SourceFile::new(self.files[index].name.clone(), text);
        let file = |i: usize| {
            if i == index {
                replaced.clone()
            } else {
                self.files[i].clone()
            }
        };
        let config = match load::parse(&file(0)) {
            Ok(value) => Record {
                file: file(0),
                value,
            },
            Err(problem) => {
                problems.push(problem);
                return Err(problems);
            }
        };
        let mut cases = Vec::new();
        for i in 1..self.files.len() {
            let source = file(i);
            match load::parse(&source) {
                Ok(value) => cases.push(Record {
                    file: source,
                    value,
                }),
                Err(problem) => problems.push(problem),
            }
        }
        let inputs = load::load_around(&self.root, config, cases, &mut problems);
        let theme = if index == 0 {
            pipeline::load_theme(&inputs, &mut problems)
        } else {
            self.theme.clone()
        };
        let prepared = pipeline::prepare_loaded(inputs, theme, None, problems)
            .map_err(|rejected| rejected.problems)?;
        // A record withheld because of its errors is an orderly rejection of that input.
        if !prepared.quarantine.is_empty() {
            return Err(prepared.quarantine.problems.clone());
        }
        if depth == Depth::Check {
            return Ok(());
        }
        let to_err = |e: pipeline::BuildError| match e {
            pipeline::BuildError::Input(p) => p,
            other => {
                let mut p = Problems::default();
                p.push(crate::diagnostics::Problem::error(other.render(false)));
                p
            }
        };
        let site = pipeline::render_site(&prepared);
        let renderer = pipeline::renderer(&prepared, &site)?;
        let planned = pipeline::checked_jobs(&prepared, &site)?;
        let case_id = (index > 0)
            .then(|| {
                prepared
                    .inputs
                    .cases
                    .iter()
                    .find(|c| Arc::ptr_eq(&c.file, &replaced))
                    .map(|c| c.value.id.get_ref().to_string())
            })
            .flatten();
        let chosen: Vec<&Job> = planned
            .iter()
            .filter(|job| match &job.kind {
                PageKind::Case(i) => case_id
                    .as_deref()
                    .is_some_and(|id| site.public.cases[*i].id.to_string() == id),
                PageKind::Trends | PageKind::Reports | PageKind::Home => true,
                _ => false,
            })
            .collect();
        let scanner = crate::leak_scan::LeakScanner::new(
            &prepared.projection.withheld,
            &prepared.projection.site.published_texts(),
        );
        let sink = ScanningSink::new(&scanner, &Discard);
        pipeline::render_jobs(&site, &renderer, &chosen, &sink, &NoProgress).map_err(to_err)?;
        pipeline::emit_generated(&prepared, &site, &sink).map_err(to_err)?;
        sink.finish().map_err(to_err)?;
        Ok(())
    }
}

/// A small deterministic generator (xorshift64*), so runs repeat exactly from their seed.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
}

/// Values that have broken parsers and validators before, or are likely to: wrong types,
/// extreme dates and numbers, deep nesting, odd Unicode.
const INTERESTING: &[&str] = &[
    "{}",
    "[]",
    "[{}]",
    "{ a = 1 }",
    "9999-12-31",
    "0000-01-01",
    "1979-05-27T07:32:00Z",
    "2024-02-30",
    "\"9999-12-31\"",
    "\"\"",
    "-1",
    "0",
    "4294967296",
    "-9223372036854775808",
    "1e400",
    "nan",
    "inf",
    "true",
    "\"\\u202e\"",
    "\"\u{0301}\u{0301}\"",
    "\"İı\"",
    "\"\\u0000\"",
    "[private]",
    "[review]",
    "[[actions]]",
    "[[correspondence]]",
    "[consent]",
    "\n[victim]\n",
    "publish = true",
    "languages = []",
    "\"\"\"\n\"\"\"",
];

/// Returns `text` changed in one to three random ways: bytes or lines deleted, repeated,
/// swapped or replaced, or an interesting value put where a value was.
pub fn mutate(text: &str, rng: &mut Rng) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for _ in 0..1 + rng.below(3) {
        mutate_once(&mut bytes, rng);
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

fn mutate_once(bytes: &mut Vec<u8>, rng: &mut Rng) {
    let len = bytes.len();
    let at = rng.below(len + 1);
    match rng.below(10) {
        // Delete a short run.
        0 => {
            let end = (at + 1 + rng.below(16)).min(len);
            bytes.drain(at.min(end)..end);
        }
        // Repeat a short run.
        1 => {
            let end = (at + 1 + rng.below(32)).min(len);
            let run = bytes[at.min(end)..end].to_vec();
            splice(bytes, at, &run);
        }
        // Flip one byte to a random ASCII or structural character.
        2 if len > 0 => {
            const SET: &[u8] = b"=[]{}\"'#,.-0123456789\n\\ >*";
            bytes[at.min(len - 1)] = SET[rng.below(SET.len())];
        }
        // Replace a value (after `= `) with an interesting one.
        3..=5 => {
            let starts: Vec<usize> = bytes
                .windows(3)
                .enumerate()
                .filter(|(_, w)| w == b" = ")
                .map(|(i, _)| i + 3)
                .collect();
            if starts.is_empty() {
                return;
            }
            let start = starts[rng.below(starts.len())];
            let end = bytes[start..]
                .iter()
                .position(|b| *b == b'\n')
                .map_or(len, |i| start + i);
            let value = INTERESTING[rng.below(INTERESTING.len())];
            bytes.splice(start..end, value.bytes());
        }
        // Put an interesting value or deep nesting anywhere.
        6 => {
            let value = INTERESTING[rng.below(INTERESTING.len())];
            splice(bytes, at, value.as_bytes());
        }
        7 => {
            let marker: &[u8] = [b">".as_slice(), b"- ", b"1. ", b"*", b"[", b"  "][rng.below(6)];
            let run = marker.repeat(1 + rng.below(3000));
            splice(bytes, at, &run);
        }
        // Delete, repeat or move a whole line.
        _ => {
            let lines: Vec<usize> = std::iter::once(0)
                .chain(
                    bytes
                        .iter()
                        .enumerate()
                        .filter(|(_, b)| **b == b'\n')
                        .map(|(i, _)| i + 1),
                )
                .filter(|i| *i < len)
                .collect();
            if lines.is_empty() {
                return;
            }
            let start = lines[rng.below(lines.len())];
            let end = bytes[start..]
                .iter()
                .position(|b| *b == b'\n')
                .map_or(len, |i| start + i + 1);
            let line = bytes[start..end].to_vec();
            match rng.below(3) {
                0 => {
                    bytes.drain(start..end);
                }
                1 => splice(bytes, start, &line),
                _ => {
                    bytes.drain(start..end);
                    let to = rng.below(bytes.len() + 1);
                    splice(bytes, to, &line);
                }
            }
        }
    }
}

fn splice(bytes: &mut Vec<u8>, at: usize, insert: &[u8]) {
    let at = at.min(bytes.len());
    bytes.splice(at..at, insert.iter().copied());
}
