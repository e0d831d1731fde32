//! The leak proof: every output file is searched for every value the projection kept back.
//!
//! Text is compared after undoing what outputs do to it: JSON escapes, HTML and XML entities,
//! markup between words, case, spacing and punctuation. A hit names the file and the field.

mod windows;

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use rayon::prelude::*;

use crate::attachments;
use crate::fold::{fold_into, min_len};
use crate::project::Withheld;

use windows::Windows;

/// A long value is searched as overlapping windows of this many characters' worth of folded
/// text (bytes of a one-byte script; twice as many bytes for Arabic or Russian, three times
/// for Chinese, so a window spans as many letters in every script), one starting every
/// `STRIDE` characters: any copy of `WINDOW + STRIDE - 1` folded characters or more contains
/// a whole window and is found, wherever in the value it starts.
pub(crate) const WINDOW: usize = 48;
pub(crate) const STRIDE: usize = 8;

/// How many published texts are searched in parallel, for what they share with withheld
/// narratives, before what they share is set aside (see `LeakScanner::new`).
const FORGET_BATCH: usize = 2048;

/// Up to this many bytes of whole-value patterns, they are searched with a DFA.
const DFA_PATTERN_BYTES: usize = 256 << 10;

/// An output file the scan kept from being published, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Leak {
    /// The output path (`cases/2024-007/index.html`).
    pub file: String,
    /// The withheld field found in it (`file: field`), or why it cannot be read.
    pub field: String,
    /// Which of the two it is.
    pub cause: Cause,
    /// How many more files hold the same finding, not named: a report names a few files per
    /// value, and a value in every page would otherwise hold a finding per page in memory.
    pub unnamed_files: usize,
}

/// Why a file was not published.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cause {
    /// It holds text withheld from `field`.
    Withheld,
    /// It cannot be read, so it cannot be proven free of withheld text (`field` says why).
    Unreadable,
}

impl Leak {
    pub(crate) fn unreadable(file: &str, why: String) -> Leak {
        Leak {
            file: file.to_owned(),
            field: why,
            cause: Cause::Unreadable,
            unnamed_files: 0,
        }
    }

    /// One line for the terminal.
    pub fn describe(&self) -> String {
        match self.cause {
            Cause::Withheld => format!(
                "LEAK: {} contains withheld text from {}",
                self.file, self.field
            ),
            Cause::Unreadable => format!(
                "UNREADABLE: {} cannot be checked for withheld text: {}",
                self.file, self.field
            ),
        }
    }
}

/// Searches output files for every withheld value (see the module comment for how).
pub struct LeakScanner {
    automaton: Option<AhoCorasick>,
    /// For each pattern, the field it came from (an index into `fields`).
    pattern_fields: Vec<usize>,
    /// For each pattern, whether another case publishes it (see `Withheld::narrative_of`).
    pattern_shown: Vec<bool>,
    /// For each pattern, the case whose narrative it is (numbered as in `cases`).
    pattern_owners: Vec<Option<u32>>,
    /// The number given to each case id that owns a narrative or publishes a text.
    cases: HashMap<String, u32>,
    /// Windows for one-, two- and three-byte scripts.
    windows: [Windows; 3],
    fields: Vec<String>,
    /// Bytes in the shortest pattern or window: a run of output between boundaries that is
    /// shorter cannot hold any (see `without_short_runs`).
    shortest: usize,
    /// How many values are checked (for the build summary).
    pub checked: usize,
}

impl LeakScanner {
    /// A scanner for `withheld`. `published` holds every text the site publishes, with the
    /// case that publishes it (`None`: the site itself): a withheld narrative is searched for
    /// by its windows that no other case and no site text publishes, and never by its short
    /// sentences (an unpublished case written in the same house style as published ones
    /// shares whole sentences with them and with the vocabulary; finding those would stop
    /// every build, and hiding must never wait).
    pub fn new(withheld: &[Withheld], published: &[(Option<&str>, &str)]) -> Self {
        let mut cases: HashMap<String, u32> = HashMap::new();
        let mut case_number = |id: &str| match cases.get(id) {
            Some(&n) => n,
            None => {
                let n = cases.len() as u32;
                cases.insert(id.to_owned(), n);
                n
            }
        };
        let mut patterns: Vec<String> = Vec::new();
        let mut pattern_fields = Vec::new();
        let mut pattern_owners = Vec::new();
        let mut windows = [1, 2, 3].map(Windows::for_script_width);
        let mut fields = Vec::new();
        let mut checked = 0;
        // Folding is the costly part and each value's is its own: done in parallel, then the
        // tables are filled in the values' order.
        let searched: Vec<Searched> = withheld.par_iter().map(Searched::new).collect();
        for (w, searched) in withheld.iter().zip(searched) {
            if searched.forms.is_empty() {
                continue;
            }
            let field = fields.len();
            fields.push(w.field.clone());
            checked += 1;
            let owner = w.narrative_of.as_deref().map(&mut case_number);
            for form in searched.forms {
                let width = form.len().div_ceil(form.chars().count().max(1)).clamp(1, 3);
                let windows = &mut windows[width - 1];
                if form.len() < windows.min_value_len() {
                    patterns.push(form);
                    pattern_fields.push(field);
                    pattern_owners.push(owner);
                    continue;
                }
                windows.add(form.as_bytes(), field, owner);
                if owner.is_some() {
                    continue;
                }
                // A copied sentence shorter than a window is found whole.
                for sentence in &searched.sentences {
                    if sentence.len() < windows.min_value_len() {
                        patterns.push(sentence.clone());
                        pattern_fields.push(field);
                        pattern_owners.push(owner);
                    }
                }
            }
        }
        debug_assert!(patterns.iter().all(|p| !p.is_empty()));
        let shortest = patterns
            .iter()
            .map(String::len)
            .chain(windows.iter().map(Windows::window_len))
            .min()
            .expect("three widths of windows");
        let automaton = (!patterns.is_empty()).then(|| {
            // A DFA searches faster than the default NFA and costs up to a few hundred bytes
            // per pattern byte: worth it for the few thousand short values of even a large site
            // (159 KB of patterns at 100,000 cases), not beyond.
            let pattern_bytes: usize = patterns.iter().map(String::len).sum();
            let kind = (pattern_bytes <= DFA_PATTERN_BYTES).then_some(AhoCorasickKind::DFA);
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::Standard)
                .kind(kind)
                .build(&patterns)
                .expect("patterns are plain strings")
        });
        for w in &mut windows {
            w.finish();
        }
        let mut pattern_shown = vec![false; patterns.len()];
        if withheld.iter().any(|w| w.narrative_of.is_some()) {
            // The site's own texts are published by no case: never the owner of a value.
            let publishers: Vec<u32> = published
                .iter()
                .map(|(case, _)| case.map_or(u32::MAX, &mut case_number))
                .collect();
            // Texts are searched in parallel, a batch at a time; what a batch shares with other
            // cases' narratives is set aside before the next batch is searched, so that a house
            // phrase that every text repeats is found once or twice, not once per text.
            for (number, batch) in published
                .chunks(FORGET_BATCH)
                .zip(publishers.chunks(FORGET_BATCH))
                .enumerate()
            {
                let shared = batch
                    .0
                    .par_iter()
                    .zip(batch.1)
                    .fold(Shared::default, |mut shared, ((_, text), &publisher)| {
                        for form in value_forms(text) {
                            if let Some(automaton) = &automaton {
                                shared.patterns.extend(
                                    narrative_patterns_of_others(
                                        automaton,
                                        &pattern_owners,
                                        &form,
                                        publisher,
                                    )
                                    .filter(|&p| !pattern_shown[p]),
                                );
                            }
                            for (w, out) in windows.iter().zip(&mut shared.windows) {
                                w.shared_with_others(form.as_bytes(), publisher, out);
                            }
                        }
                        shared
                    })
                    .reduce(Shared::default, Shared::join);
                for p in shared.patterns {
                    pattern_shown[p] = true;
                }
                for (w, entries) in windows.iter_mut().zip(shared.windows) {
                    w.forget(entries);
                }
                // House phrases are found in the first batches and recur in every later one,
                // where each window of them went on past the filter to the table, to find it
                // forgotten. The filter is filled again without them now and then: after
                // batches 1, 2, 4, 8..., so a few times in all.
                if (number + 1).is_power_of_two() {
                    for w in &mut windows {
                        w.fill_filter();
                    }
                }
            }
            for w in &mut windows {
                w.done_forgetting();
            }
        }
        LeakScanner {
            automaton,
            pattern_fields,
            pattern_shown,
            pattern_owners,
            cases,
            windows,
            fields,
            shortest,
            checked,
        }
    }

    /// Whether `text`, published by `case` (`None`: the site), holds part of another case's
    /// withheld narrative. When no text that started or stopped being published does, a
    /// scanner built with the new published texts would search exactly what this one does.
    pub fn shares_a_narrative(&self, case: Option<&str>, text: &str) -> bool {
        // A case this scanner does not know owns no narrative here.
        let publisher = case.map_or(u32::MAX, |id| {
            self.cases.get(id).copied().unwrap_or(u32::MAX - 1)
        });
        value_forms(text).iter().any(|form| {
            let in_pattern = self.automaton.as_ref().is_some_and(|automaton| {
                narrative_patterns_of_others(automaton, &self.pattern_owners, form, publisher)
                    .next()
                    .is_some()
            });
            in_pattern
                || self
                    .windows
                    .iter()
                    .any(|w| w.in_narrative_of_another(form.as_bytes(), publisher))
        })
    }

    /// Every withheld field found in one output file; a file that cannot be read is reported
    /// as unreadable (fail closed), never scanned as raw bytes.
    pub fn scan(&self, path: &str, bytes: &[u8]) -> Vec<Leak> {
        self.scan_remembering(path, bytes, None)
    }

    /// `scan`, for `serve`: a piece of text whose digest is in `memory.clean` was found clean
    /// by this same scanner before and is not searched again; the digest of every piece found
    /// clean now goes to `memory.now_clean`. Pieces are cut by content (see `pieces`), so an
    /// edit of one case in `cases.json` leaves every piece but one or two as they were.
    pub(crate) fn scan_remembering(
        &self,
        path: &str,
        bytes: &[u8],
        memory: Option<&CleanPieces>,
    ) -> Vec<Leak> {
        let texts = match readable_texts(bytes) {
            Ok(texts) => texts,
            Err(why) => return vec![Leak::unreadable(path, why)],
        };
        let texts: Vec<&str> = texts.iter().map(|t| t.as_ref()).collect();
        self.scan_texts(path, &texts, memory)
    }

    /// `scan_remembering` of `new`, a file that this same scanner found clean as `old`: only
    /// the bytes between their common start and common end are searched, with `OVERLAP` bytes
    /// either side. A value lying wholly in the common parts was in `old` too, at the same
    /// place, and would have been found there; one that touches the bytes between is no longer
    /// than `OVERLAP` and so lies wholly in what is searched. A file with a binary format's
    /// magic number (gzip, a document) is searched whole.
    ///
    /// Nor are the common parts read again: `old` passed, and without a magic number it was
    /// read as text, so it is UTF-8 without NUL bytes, and so are the same bytes in `new`, as
    /// the searched part starts and ends between characters. The searched part itself is
    /// read as any file is, and is unreadable if it is not text.
    pub(crate) fn scan_edited(
        &self,
        path: &str,
        old: &[u8],
        new: &[u8],
        memory: Option<&CleanPieces>,
    ) -> Vec<Leak> {
        if has_magic(old) || has_magic(new) {
            return self.scan_remembering(path, new, memory);
        }
        self.scan_remembering(path, &new[edited_span(old, new, OVERLAP)], memory)
    }

    /// `scan` for one part of a text file written as it is produced (see
    /// `build::ScanningSink::write_streamed`): parts must overlap by `STREAM_OVERLAP` bytes so
    /// that every value in the file lies whole in one of them.
    pub(crate) fn scan_part(&self, path: &str, text: &str) -> Vec<Leak> {
        self.scan_texts(path, &[text], None)
    }

    fn scan_texts(&self, path: &str, texts: &[&str], memory: Option<&CleanPieces>) -> Vec<Leak> {
        if self.automaton.is_none() && self.windows.iter().all(Windows::is_empty) {
            return Vec::new();
        }
        let pieces: Vec<&str> = texts.iter().flat_map(|t| pieces(t)).collect();
        let search = |piece: &str| -> Vec<usize> {
            let Some(memory) = memory else {
                return self.search(piece);
            };
            let digest = xxhash_rust::xxh3::xxh3_128(piece.as_bytes());
            if memory.clean.contains(&digest) {
                memory.note(digest);
                return Vec::new();
            }
            let found = self.search(piece);
            if found.is_empty() {
                memory.note(digest);
            }
            found
        };
        let mut found: Vec<usize> = if pieces.len() == 1 {
            search(pieces[0])
        } else {
            pieces.par_iter().flat_map_iter(|p| search(p)).collect()
        };
        found.sort_unstable();
        found.dedup();
        let mut leaks: Vec<Leak> = found
            .into_iter()
            .map(|field| Leak {
                file: path.to_owned(),
                field: self.fields[field].clone(),
                cause: Cause::Withheld,
                unnamed_files: 0,
            })
            .collect();
        leaks.sort_by(|a, b| a.field.cmp(&b.field));
        leaks
    }
}

/// Digests of pieces of text one scanner found clean (see `LeakScanner::scan_remembering`):
/// valid only with that scanner, which `serve` keeps while the withheld values stay the same.
#[derive(Default)]
pub(crate) struct CleanPieces {
    clean: HashSet<u128>,
    now_clean: std::sync::Mutex<Vec<u128>>,
}

impl CleanPieces {
    /// The memory for the next scan with the same scanner: what it knew, and what this scan
    /// found clean. It only grows while the withheld values stay the same (16 bytes for each
    /// piece an edit changed); `serve` starts it afresh with each new scanner.
    pub(crate) fn next(self) -> CleanPieces {
        let mut clean = self.clean;
        clean.extend(self.now_clean.into_inner().expect("no panic while locked"));
        CleanPieces {
            clean,
            now_clean: Default::default(),
        }
    }

    fn note(&self, digest: u128) {
        self.now_clean
            .lock()
            .expect("no panic while locked")
            .push(digest);
    }
}

/// The whole-value patterns found in `text`, published by `publisher`, that are narratives of
/// another case (`owners`: each pattern's case, as in `LeakScanner::pattern_owners`).
fn narrative_patterns_of_others<'a>(
    automaton: &'a AhoCorasick,
    owners: &'a [Option<u32>],
    text: &'a str,
    publisher: u32,
) -> impl Iterator<Item = usize> + 'a {
    automaton
        .find_overlapping_iter(text)
        .map(|m| m.pattern().as_usize())
        .filter(move |&p| owners[p].is_some_and(|owner| owner != publisher))
}

/// The forms one withheld value is searched in, and its long sentences folded (searched whole
/// when a form is searched by windows and the value is no case's narrative).
struct Searched {
    forms: Vec<String>,
    sentences: Vec<String>,
}

impl Searched {
    fn new(w: &Withheld) -> Self {
        let min = min_len(&w.text).max(2);
        let forms: Vec<String> = value_forms(&w.text)
            .into_iter()
            .filter(|f| f.chars().count() >= min)
            .collect();
        let sentences = if forms.is_empty() || w.narrative_of.is_some() {
            Vec::new()
        } else {
            sentences(&w.text)
                .filter(|s| is_long_sentence(s))
                .map(fold_value)
                .filter(|folded| folded.chars().count() >= min)
                .collect()
        };
        Searched { forms, sentences }
    }
}

/// What a batch of published texts shares with other cases' narratives: whole patterns, and
/// window entries per script width (sets: many texts of a batch share the same house phrase).
#[derive(Default)]
struct Shared {
    patterns: HashSet<usize>,
    windows: [HashSet<windows::Entry>; 3],
}

impl Shared {
    fn join(mut self, other: Shared) -> Shared {
        self.patterns.extend(other.patterns);
        for (mine, theirs) in self.windows.iter_mut().zip(other.windows) {
            mine.extend(theirs);
        }
        self
    }
}

impl LeakScanner {
    /// The field of every value found in one piece of an output's text.
    fn search(&self, text: &str) -> Vec<usize> {
        let mut found: Vec<usize> = Vec::new();
        let mut narrative_hits: [Vec<(u32, u32)>; 3] = Default::default();
        let mut haystacks = normalize_output(text);
        if text.contains('%') {
            haystacks.extend(normalize_output(&percent_decode(text)));
        }
        for h in &haystacks {
            let h = without_short_runs(h, self.shortest);
            if let Some(automaton) = &self.automaton {
                found.extend(
                    automaton
                        .find_overlapping_iter(h.as_ref())
                        .map(|m| m.pattern().as_usize())
                        .filter(|&p| !self.pattern_shown[p])
                        .map(|p| self.pattern_fields[p]),
                );
            }
            for (windows, hits) in self.windows.iter().zip(&mut narrative_hits) {
                windows.find(h.as_bytes(), &mut found, hits);
            }
        }
        for (windows, hits) in self.windows.iter().zip(&mut narrative_hits) {
            windows.confirm(hits, &mut found);
        }
        found
    }
}

/// A text longer than `MIN_PIECE + OVERLAP` is searched in pieces, in parallel: normalising a
/// whole `cases.json` of 100,000 cases made four copies of its 270 MB at once. A piece ends
/// where the content says (see `next_cut`), between `MIN_PIECE` and `MAX_PIECE` bytes after
/// it starts, about `MIN_PIECE + CUT_EVERY` on average. Small pieces keep what `serve`
/// searches again after an edit small (the pieces around it); the overlap costs a full scan
/// about 6 % more bytes.
const MIN_PIECE: usize = 128 << 10;
const MAX_PIECE: usize = 1 << 20;
/// One byte in `CUT_EVERY` (a power of two) ends a piece, past `MIN_PIECE`.
const CUT_EVERY: u64 = 128 << 10;
/// Consecutive pieces share this many bytes, so a copy whose bytes span no more than this is
/// wholly inside one piece wherever it lies: a withheld value's longest window is 144 bytes of
/// folded text, and between its letters a data file has a few escapes at most (a hundredfold
/// margin).
const OVERLAP: usize = 16 << 10;

/// How much of a streamed file's last part is searched again with the next (see `scan_part`).
pub(crate) const STREAM_OVERLAP: usize = OVERLAP;

/// `text` as overlapping pieces. Where one piece ends depends only on the bytes just before
/// the cut, not on where the piece began: an edit moves the cuts near it and no others, so the
/// pieces before and after it come out byte for byte as they were (what `serve` remembers).
fn pieces(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    loop {
        if bytes.len() - start <= MIN_PIECE + OVERLAP {
            out.push(&text[start..]);
            return out;
        }
        let cut = floor_char_boundary(text, next_cut(bytes, start));
        if cut >= bytes.len() {
            out.push(&text[start..]);
            return out;
        }
        let end = floor_char_boundary(text, (cut + OVERLAP).min(bytes.len()));
        out.push(&text[start..end]);
        start = cut;
    }
}

/// The end of the piece that starts at `start`: the first byte past `MIN_PIECE` where a
/// rolling hash of the 64 bytes before it has its top bits clear (content-defined chunking
/// with a "gear" hash), or `MAX_PIECE` when none has.
fn next_cut(bytes: &[u8], start: usize) -> usize {
    let first = start + MIN_PIECE;
    let last = (start + MAX_PIECE).min(bytes.len());
    let threshold = u64::MAX / CUT_EVERY;
    let mut h: u64 = 0;
    for (i, &b) in bytes.iter().enumerate().take(last).skip(first - 64) {
        h = (h << 1).wrapping_add(GEAR[usize::from(b)]);
        if i >= first && h <= threshold {
            return i + 1;
        }
    }
    last
}

/// A random number per byte value (SplitMix64 from a fixed seed): each byte's share of the
/// rolling hash, shifted out after 64 bytes.
const GEAR: [u64; 256] = {
    let mut table = [0u64; 256];
    let mut state: u64 = 0x5eed;
    let mut i = 0;
    while i < 256 {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        table[i] = z ^ (z >> 31);
        i += 1;
    }
    table
};

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The texts of one output: itself if it is UTF-8 text, the content of a gzip file (a
/// compressed index shard is published as much as a page is), the text of a published
/// document. Anything else cannot be read, and so cannot be published.
fn readable_texts(bytes: &[u8]) -> Result<Vec<Cow<'_, str>>, String> {
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let inflated = gunzip(bytes)?;
        if inflated.starts_with(&[0x1f, 0x8b]) {
            return Err("gzip inside gzip".to_owned());
        }
        let texts = text_of(&inflated)?;
        return Ok(texts
            .into_iter()
            .map(|t| Cow::Owned(t.into_owned()))
            .collect());
    }
    text_of(bytes)
}

fn text_of(bytes: &[u8]) -> Result<Vec<Cow<'_, str>>, String> {
    if !DOCUMENT_MAGIC.iter().any(|magic| bytes.starts_with(magic)) && is_text(bytes) {
        return Ok(vec![Cow::Borrowed(
            std::str::from_utf8(bytes).expect("checked"),
        )]);
    }
    let texts = attachments::texts(attachments::sniff(bytes)?, bytes)?;
    Ok(texts.into_iter().map(Cow::Owned).collect())
}

/// How a PDF, an office document (a zip) and the images start: such a file is read as a
/// document, not as text, even when its bytes happen to be UTF-8.
const DOCUMENT_MAGIC: [&[u8]; 4] = [b"%PDF-", b"PK\x03\x04", b"\x89PNG", &[0xff, 0xd8, 0xff]];

/// Whether `bytes` start as a format the scan reads as more than text does: gzip, a PDF, an
/// office document or an image.
fn has_magic(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0x1f, 0x8b]) || DOCUMENT_MAGIC.iter().any(|m| bytes.starts_with(m))
}

/// The part of `new` that differs from `old`, widened by `margin` bytes on each side and on
/// to the nearest starts of UTF-8 characters, clipped to `new`.
fn edited_span(old: &[u8], new: &[u8], margin: usize) -> std::ops::Range<usize> {
    let (a, b) = (old, new);
    let same_start = common_prefix(a, b, a.len().min(b.len()));
    if same_start == a.len() && same_start == b.len() {
        return same_start..same_start;
    }
    let rest = a.len().min(b.len()) - same_start;
    let same_end = common_suffix(a, b, rest);
    let continues = |i: usize| b.get(i).is_some_and(|&byte| byte & 0xc0 == 0x80);
    let mut start = same_start.saturating_sub(margin);
    while start > 0 && continues(start) {
        start -= 1;
    }
    let mut end = (b.len() - same_end + margin).min(b.len());
    while continues(end) {
        end += 1;
    }
    start..end.max(start)
}

/// Slices compared a block at a time (`memcmp`), then byte by byte in the first block that
/// differs: a 27 MB `cases.json` is compared in a few milliseconds.
const BLOCK: usize = 4096;

/// How many bytes `a` and `b` share at their start, up to `limit`.
fn common_prefix(a: &[u8], b: &[u8], limit: usize) -> usize {
    let mut i = 0;
    while i + BLOCK <= limit && a[i..i + BLOCK] == b[i..i + BLOCK] {
        i += BLOCK;
    }
    i + a[i..limit]
        .iter()
        .zip(&b[i..limit])
        .take_while(|(x, y)| x == y)
        .count()
}

/// How many bytes `a` and `b` share at their end, up to `limit`.
fn common_suffix(a: &[u8], b: &[u8], limit: usize) -> usize {
    let (a_end, b_end) = (a.len(), b.len());
    let mut i = 0;
    while i + BLOCK <= limit && a[a_end - i - BLOCK..a_end - i] == b[b_end - i - BLOCK..b_end - i] {
        i += BLOCK;
    }
    i + a[a_end - limit..a_end - i]
        .iter()
        .rev()
        .zip(b[b_end - limit..b_end - i].iter().rev())
        .take_while(|(x, y)| x == y)
        .count()
}

/// UTF-8 without NUL bytes (UTF-16 text is valid UTF-8 when it is mostly ASCII, but full of NULs).
fn is_text(bytes: &[u8]) -> bool {
    // `memchr` looks 32 bytes at a time where `<[u8]>::contains` looks at 8.
    memchr::memchr(0, bytes).is_none() && std::str::from_utf8(bytes).is_ok()
}

/// The content of a gzip file, every member of it; an error if it is truncated or corrupt.
fn gunzip(bytes: &[u8]) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let mut inflated = Vec::new();
    flate2::read::MultiGzDecoder::new(bytes)
        .read_to_end(&mut inflated)
        .map_err(|e| format!("a gzip file that cannot be decompressed ({e})"))?;
    Ok(inflated)
}

/// The forms a withheld value may take in an output, folded: as written (a value inside
/// `<...>` stays a value), and as Markdown renders it (markup removed).
fn value_forms(text: &str) -> Vec<String> {
    // Most values and published texts are plain prose: Markdown renders such a text as its
    // words with single spaces between them, it holds no `<` or `&` to strip or decode, and
    // folding drops spaces, so its other forms are its folded self. Deciding that is far
    // cheaper than making them: they were a third of the leak scanner's setup.
    if crate::markdown::has_no_markup(text) {
        return vec![fold_value(text)];
    }
    every_value_form(text)
}

/// `value_forms`, each form made.
fn every_value_form(text: &str) -> Vec<String> {
    let mut forms = vec![fold_value(text)];
    let rendered = fold_value(&strip_markup(
        &decode_entities(&crate::markdown::plain_text(text)),
        false,
    ));
    if !forms.contains(&rendered) {
        forms.push(rendered);
    }
    let decoded = fold_value(&decode_entities(text));
    if !forms.contains(&decoded) {
        forms.push(decoded);
    }
    forms
}

/// Folded, without boundaries (a withheld value is one run of text).
fn fold_value(text: &str) -> String {
    let mut out = String::new();
    fold_into(text, &mut out);
    out.retain(|c| c != crate::fold::BOUNDARY);
    out
}

/// The sentences of a value: split after `.`, `!`, `?`, `;`, their Arabic and Chinese forms,
/// and line breaks.
fn sentences(text: &str) -> impl Iterator<Item = &str> {
    text.split_inclusive([
        '.', '!', '?', ';', '\n', '。', '！', '？', '；', '؟', '؛', '\u{6d4}',
    ])
}

/// Six words or more (ten characters in a script written without spaces): shorter sentences
/// ("Fictional sample case.", "No reply has been received.") are stock phrases that public
/// text repeats.
fn is_long_sentence(sentence: &str) -> bool {
    if min_len(sentence) == 2 {
        return fold_value(sentence).chars().count() >= 10;
    }
    sentence.split_whitespace().count() >= 6
}

/// `haystack` without its runs between boundaries that are shorter than `shortest` bytes,
/// the runs kept fenced as they were. No pattern or window holds a boundary (values are folded
/// without them), so each match lies inside one run, and a shorter run holds none: the
/// automaton and the windows find in what is left exactly what they would find in all of it.
/// A page's tag names, attribute names and short attribute values are about a third of its
/// folded bytes, and the automaton no longer reads them.
fn without_short_runs(haystack: &str, shortest: usize) -> Cow<'_, str> {
    let mut kept: Option<String> = None;
    let mut start = 0;
    let ends = memchr::memchr_iter(0, haystack.as_bytes()).chain(std::iter::once(haystack.len()));
    for end in ends {
        // A boundary is a one-byte character: runs are whole UTF-8.
        let run = &haystack[start..end];
        if run.len() >= shortest {
            if let Some(kept) = &mut kept {
                kept.push_str(run);
                kept.push(crate::fold::BOUNDARY);
            }
        } else if !run.is_empty() && kept.is_none() {
            // Every run before this one is kept, each with the boundary after it.
            let mut copy = String::with_capacity(haystack.len());
            copy.push_str(&haystack[..start]);
            kept = Some(copy);
        }
        start = end + 1;
    }
    kept.map_or(Cow::Borrowed(haystack), Cow::Owned)
}

/// An output's text folded, as each haystack to search: escapes decoded and markup removed
/// once, and, when escaped markup remains (HTML inside Atom or JSON), once more.
fn normalize_output(text: &str) -> Vec<String> {
    let stripped = strip_markup(&json_unescape(text), true);
    let once = decode_entities(&stripped);
    let mut first = String::with_capacity(once.len());
    fold_into(&once, &mut first);
    // Bytes, not characters: this looks through every page's whole text.
    if memchr::memchr2(b'<', b'&', once.as_bytes()).is_none() {
        return vec![first];
    }
    let mut second = String::new();
    fold_into(&decode_entities(&strip_markup(&once, true)), &mut second);
    vec![first, second]
}

/// Text between tags is kept as is (tags inside a sentence do not break it), and so is the
/// text of CDATA sections. Tag names, attribute names and values and comments are kept too,
/// each fenced by `\0` boundaries, after the text: a value printed there is still published.
fn strip_markup(text: &str, keep_aside: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut aside = String::new();
    let mut rest = text;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let next = rest[1..].chars().next();
        if !next.is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!' || c == '?') {
            out.push('<');
            rest = &rest[1..];
            continue;
        }
        if let Some(body) = rest.strip_prefix("<![CDATA[") {
            let end = body.find("]]>").unwrap_or(body.len());
            out.push_str(&body[..end]);
            rest = body.get(end + 3..).unwrap_or("");
        } else if let Some(body) = rest.strip_prefix("<!--") {
            let end = body.find("-->").unwrap_or(body.len());
            aside.push('\0');
            aside.push_str(&body[..end]);
            aside.push('\0');
            rest = body.get(end + 3..).unwrap_or("");
        } else {
            rest = strip_tag(&rest[1..], &mut aside);
        }
    }
    out.push_str(rest);
    if keep_aside {
        out.push('\0');
        out.push_str(&aside);
    }
    out
}

/// Copies the names and values of one tag into `out`, fenced; returns the text after the tag.
fn strip_tag<'a>(tag: &'a str, out: &mut String) -> &'a str {
    let mut chars = tag.char_indices().peekable();
    // A quote opens a value only right after `=`: `title=O'Brien` is unquoted.
    let mut after_equals = false;
    out.push('\0');
    while let Some((_, c)) = chars.next() {
        match c {
            '>' => {
                out.push('\0');
                let end = chars.peek().map_or(tag.len(), |(i, _)| *i);
                return &tag[end..];
            }
            '"' | '\'' if after_equals => {
                for (_, v) in chars.by_ref() {
                    if v == c {
                        break;
                    }
                    out.push(v);
                }
                out.push('\0');
            }
            '=' => out.push('\0'),
            c if c.is_whitespace() => {
                out.push('\0');
                continue;
            }
            '/' => out.push('\0'),
            c => out.push(c),
        }
        after_equals = c == '=';
    }
    out.push('\0');
    ""
}

fn decode_entities(text: &str) -> Cow<'_, str> {
    if !text.contains('&') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        match decode_entity(&rest[1..]) {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[1 + len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// One character reference after its `&`: the character and how many bytes it took. As in
/// browsers (and as minifiers write them), the `;` may be missing: `&LT`, `&#60`.
fn decode_entity(after_amp: &str) -> Option<(char, usize)> {
    let semicolon = |len: usize| len + usize::from(after_amp[len..].starts_with(';'));
    if let Some(number) = after_amp.strip_prefix('#') {
        let (digits, radix, skip) = match number.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16, 2),
            None => (number, 10, 1),
        };
        let len = digits
            .find(|c: char| !c.is_digit(radix))
            .unwrap_or(digits.len());
        let ch = u32::from_str_radix(&digits[..len.min(8)], radix)
            .ok()
            .and_then(char::from_u32)?;
        return Some((ch, semicolon(skip + len)));
    }
    const NAMED: [(&str, char); 11] = [
        ("amp", '&'),
        ("AMP", '&'),
        ("lt", '<'),
        ("LT", '<'),
        ("gt", '>'),
        ("GT", '>'),
        ("quot", '"'),
        ("QUOT", '"'),
        ("apos", '\''),
        ("nbsp", ' '),
        ("shy", '\u{ad}'),
    ];
    NAMED
        .iter()
        .find(|(name, _)| after_amp.starts_with(name))
        .map(|(name, ch)| (*ch, semicolon(name.len())))
}

/// `%41` -> `A`: a value may reach an output inside a URL.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn json_unescape(text: &str) -> Cow<'_, str> {
    if !text.contains('\\') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(ch) = chars.next() {
        if ch != '\\' {
            out.push(ch);
            continue;
        }
        match chars.next() {
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(c) => out.push(c),
                    None => out.push(' '),
                }
            }
            Some('n' | 't' | 'r') => out.push(' '),
            Some(other) => out.push(other),
            None => {}
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scanner(values: &[&str]) -> LeakScanner {
        let withheld: Vec<Withheld> = values
            .iter()
            .enumerate()
            .map(|(i, v)| Withheld {
                field: format!("f{i}"),
                text: v.to_string(),
                narrative_of: None,
            })
            .collect();
        LeakScanner::new(&withheld, &[])
    }

    #[test]
    fn plain_prose_has_the_forms_it_would_have_if_each_were_made() {
        let plain = [
            "A journalist was detained after the session.",
            "  Spaces,   new lines\n\nand\u{a0}no-break spaces: (all) folded away!  ",
            "تعرض المدافع للتهديد بعد الدورة. 100%",
            "记者在会议后被拘留。'quoted' \"twice\"",
            "Москва; Genève / São Paulo ?",
            "",
        ];
        for text in plain {
            assert!(crate::markdown::has_no_markup(text), "{text:?}");
            assert_eq!(value_forms(text), every_value_form(text), "{text:?}");
        }
        // Text with markup or an escape is not plain: its other forms are made, and differ.
        for text in [
            "A &amp; B",
            "<b>Bold</b> <!-- note --> text",
            "[link](https://a.example/)",
        ] {
            assert!(!crate::markdown::has_no_markup(text), "{text:?}");
            assert!(value_forms(text).len() > 1, "{text:?}");
        }
    }

    #[test]
    fn runs_shorter_than_any_pattern_are_dropped_and_the_rest_stay_fenced() {
        let h = "abcdefgh\0ab\0abcdef\0x\0\0klmnop";
        assert_eq!(without_short_runs(h, 6), "abcdefgh\0abcdef\0klmnop\0");
        // Nothing to drop (an empty run holds nothing either way): the haystack as it is.
        let whole = "abcdefgh\0\0klmnop";
        assert!(matches!(without_short_runs(whole, 6), Cow::Borrowed(_)));
        assert_eq!(without_short_runs("", 6), "");
    }

    #[test]
    fn a_value_as_short_as_any_is_found_alone_in_an_attribute_among_short_ones() {
        // Six letters: the shortest Latin value searched, in a run of exactly its length.
        let s = scanner(&["Zarqos"]);
        let page = r#"<p class="a" id="b"><a href="x" title="Zarqos" lang="en">y</a></p>"#;
        assert_eq!(s.scan("p.html", page.as_bytes()).len(), 1);
        // Split over two attributes it is not one run, as before.
        let split = r#"<p class="Zar" id="qos">y</p>"#;
        assert!(s.scan("p.html", split.as_bytes()).is_empty());
    }

    #[test]
    fn an_edited_span_covers_the_change_and_a_margin_in_whole_characters() {
        let old = format!("{}é-old-{}", "a".repeat(100), "b".repeat(100));
        let new = format!("{}é-new value-{}", "a".repeat(100), "b".repeat(100));
        let span = edited_span(old.as_bytes(), new.as_bytes(), 2);
        // The change starts after "é-" (103 bytes) and a margin of two bytes would split the
        // "é": the span starts before it.
        assert_eq!(span.start, 100);
        assert_eq!(&new[span.clone()], "é-new value-b");
        // A new text that starts mid-character (not UTF-8) is taken from its start.
        assert_eq!(edited_span(b"abc", &[0x80, b'x'], 4), 0..2);
        // Nothing changed: an empty span; all new: all of it.
        assert!(edited_span(old.as_bytes(), old.as_bytes(), 16).is_empty());
        assert_eq!(edited_span(b"", new.as_bytes(), 16), 0..new.len());
        // One grew at its end.
        let longer = format!("{old}tail");
        assert_eq!(
            &longer[edited_span(old.as_bytes(), longer.as_bytes(), 2)],
            "bbtail"
        );
    }

    #[test]
    fn an_edit_that_completes_a_withheld_value_is_found_where_it_meets_old_bytes() {
        let s = scanner(&["Sentinel private address 12 Rue Cachée"]);
        let filler = "{\"id\": \"2024-001\", \"title\": \"A case\"},\n".repeat(2000);
        let old = format!("{filler}{{\"summary\": \"Sentinel private\"}}\n{filler}");
        let new = format!(
            "{filler}{{\"summary\": \"Sentinel private address 12 Rue Cachée\"}}\n{filler}"
        );
        assert!(s.scan("data/cases.json", old.as_bytes()).is_empty());
        let memory = CleanPieces::default();
        let leaks = s.scan_edited(
            "data/cases.json",
            old.as_bytes(),
            new.as_bytes(),
            Some(&memory),
        );
        assert_eq!(leaks.len(), 1, "{leaks:?}");
        // Bytes that are not text, where the file changed, make it unreadable.
        let broken = format!("{filler}{{\"summary\": \"Sentinel\0\"}}\n{filler}");
        let leaks = s.scan_edited("data/cases.json", old.as_bytes(), broken.as_bytes(), None);
        assert_eq!(leaks.len(), 1, "{leaks:?}");
        assert_eq!(leaks[0].cause, Cause::Unreadable);
        // A file in a binary format is searched whole.
        let gz = [0x1f, 0x8b, 0, 0];
        assert_eq!(
            s.scan_edited("x.gz", &gz, new.as_bytes(), None).len(),
            1,
            "the new text is searched whole when the old bytes were not text"
        );
    }

    #[test]
    fn finds_values_through_escaping_and_markup() {
        let s = scanner(&["Sentinel Name O'Brien", "The *State* was asked & warned"]);
        assert_eq!(
            s.scan("a.html", b"<p>sentinel name O&#39;brien</p>").len(),
            1
        );
        assert_eq!(
            s.scan("a.html", b"<td title=\"SENTINEL NAME O'BRIEN\">x</td>")
                .len(),
            1
        );
        assert_eq!(s.scan("a.html", b"<a title=Sentinel-Name-OBrien>").len(), 1);
        assert_eq!(
            s.scan("a.json", br#"{"t":"Sentinel Name O\u0027Brien"}"#)
                .len(),
            1
        );
        assert_eq!(
            s.scan(
                "a.html",
                b"<p>The <em>State</em> was asked &amp; warned</p>"
            )
            .len(),
            1
        );
        assert_eq!(
            s.scan(
                "feed.xml",
                b"<content type=\"html\">&lt;p&gt;The &lt;em&gt;State&lt;/em&gt; was asked"
            )
            .len(),
            0
        );
        assert_eq!(s.scan("feed.xml", b"<content type=\"html\">&lt;p&gt;The &lt;em&gt;State&lt;/em&gt; was asked &amp;amp; warned").len(), 1);
    }

    #[test]
    fn does_not_match_across_attributes_or_on_short_values() {
        let s = scanner(&["Secret Value", "Li"]);
        assert!(
            s.scan("a.html", b"<a title=\"secret\" lang=\"value\">")
                .is_empty()
        );
        assert!(s.scan("a.html", b"<p>Li</p>").is_empty());
        assert_eq!(s.checked, 1);
    }

    #[test]
    fn finds_values_in_comments_cdata_attribute_names_and_urls() {
        let s = scanner(&["Hidden Person Name"]);
        for (file, bytes) in [
            ("a.html", &b"<p>x</p><!-- hidden person name -->"[..]),
            (
                "feed.xml",
                b"<summary><![CDATA[Hidden <b>Person</b> Name]]></summary>",
            ),
            ("a.html", b"<div hidden-person-name>x</div>"),
            (
                "a.html",
                b"<a href=\"../search/?q=Hidden%20Person%20Name\">x</a>",
            ),
            ("a.html", b"<a href=?q=hidden+person+name>x</a>"),
            ("a.html", b"<p>Hidden&shy;Person&nbsp;Name</p>"),
        ] {
            assert_eq!(
                s.scan(file, bytes).len(),
                1,
                "{}",
                String::from_utf8_lossy(bytes)
            );
        }
        let cyrillic = scanner(&["Скрытое имя человека"]);
        let encoded = b"<a href=\"?q=%D0%A1%D0%BA%D1%80%D1%8B%D1%82%D0%BE%D0%B5%20%D0%B8%D0%BC%D1%8F%20%D1%87%D0%B5%D0%BB%D0%BE%D0%B2%D0%B5%D0%BA%D0%B0\">";
        assert_eq!(cyrillic.scan("a.html", encoded).len(), 1);
    }

    #[test]
    fn decodes_references_without_semicolons_as_minifiers_write_them() {
        let s = scanner(&["alpha <beta> & gamma"]);
        assert_eq!(
            s.scan("a.html", b"<p>alpha &LTbeta> &AMP gamma</p>").len(),
            1
        );
        assert_eq!(
            s.scan("a.html", b"<p>alpha &#60beta&#62 &#x26 gamma</p>")
                .len(),
            1
        );
        let t = scanner(&["Smith & Wesson v. State"]);
        assert_eq!(t.scan("a.html", b"Smith &amp Wesson v. State").len(), 1);
    }

    #[test]
    fn scans_gzip_files_decompressed() {
        use std::io::Write;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(br#"{"docs":[{"t":"Hidden Person Name"}]}"#)
            .unwrap();
        let bytes = gz.finish().unwrap();
        let s = scanner(&["Hidden Person Name"]);
        assert_eq!(s.scan("search/shard-0.json.gz", &bytes).len(), 1);
        // Fail closed: a file that cannot be decompressed is never scanned as raw bytes.
        let broken = s.scan("search/other.json.gz", b"\x1f\x8bnot gzip");
        assert_eq!(broken.len(), 1);
        assert_eq!(broken[0].cause, Cause::Unreadable);
    }

    #[test]
    fn a_hit_names_the_file_and_the_field() {
        let withheld = [Withheld {
            field: "public-data/cases/2024/2024-001.toml: private.note".into(),
            text: "Private note sentinel value".into(),
            narrative_of: None,
        }];
        let s = LeakScanner::new(&withheld, &[]);
        assert_eq!(
            s.scan(
                "cases/2024-001/index.html",
                b"<p>private NOTE sentinel-value</p>"
            ),
            vec![Leak {
                file: "cases/2024-001/index.html".into(),
                field: "public-data/cases/2024/2024-001.toml: private.note".into(),
                cause: Cause::Withheld,
                unnamed_files: 0,
            }]
        );
    }

    #[test]
    fn a_narrative_is_not_searched_by_what_another_case_or_the_site_publishes() {
        let stock =
            "Regarding the case, the Committee asked the State to provide access to a lawyer";
        let hidden =
            format!("{stock} for Ms Secretname Unknownplace at the airport of Hiddenville.");
        let narrative = |case: &str| Withheld {
            field: format!("{case}: correspondence[0].summary (embargoed or withheld)"),
            text: hidden.clone(),
            narrative_of: Some(case.to_owned()),
        };
        let published_elsewhere = format!("{stock} without delay.");
        let page = format!("<p>{published_elsewhere}</p>");
        // Another case publishes the stock wording: its page proves nothing.
        let s = LeakScanner::new(&[narrative("A")], &[(Some("B"), &published_elsewhere)]);
        assert!(s.scan("cases/b.html", page.as_bytes()).is_empty());
        // Where the published sentence ends and the page goes on, the join may look like one
        // window of the narrative: one window alone proves no copy.
        let joined = format!("<p>{stock}</p><h2>For more</h2>");
        assert!(s.scan("cases/b.html", joined.as_bytes()).is_empty());
        // The part no one publishes is still searched, wherever it is copied.
        let copy = "<p>lawyer for Ms Secretname Unknownplace at the airport of Hiddenville</p>";
        assert_eq!(s.scan("cases/b.html", copy.as_bytes()).len(), 1);
        // Text the site itself prints (a vocabulary definition) is not the case's either.
        let s = LeakScanner::new(&[narrative("A")], &[(None, &published_elsewhere)]);
        assert!(s.scan("cases/b.html", page.as_bytes()).is_empty());
        // When the same case publishes it, its own withheld letter was copied: a leak.
        let s = LeakScanner::new(&[narrative("A")], &[(Some("A"), &published_elsewhere)]);
        assert_eq!(s.scan("cases/a.html", page.as_bytes()).len(), 1);
        // A private note is searched whole, whoever publishes the same words.
        let private = Withheld {
            field: "A: private.note".into(),
            text: hidden.clone(),
            narrative_of: None,
        };
        let s = LeakScanner::new(&[private], &[(Some("B"), &published_elsewhere)]);
        assert_eq!(s.scan("cases/b.html", page.as_bytes()).len(), 1);
    }

    #[test]
    fn finds_a_truncated_excerpt_of_a_long_value() {
        let long = "This is a long embargoed letter summary that goes on and on about protection measures requested by the Committee";
        let s = scanner(&[long]);
        let excerpt = &long[..95];
        assert_eq!(s.scan("i.json", excerpt.as_bytes()).len(), 1);
    }

    #[test]
    fn tells_whether_a_published_text_holds_part_of_another_cases_narrative() {
        let stock =
            "Regarding the case, the Committee asked the State to provide access to a lawyer";
        let narrative = Withheld {
            field: "A: summary (case not published)".into(),
            text: format!("{stock} for Ms Secretname Unknownplace at the airport of Hiddenville."),
            narrative_of: Some("A".into()),
        };
        let s = LeakScanner::new(&[narrative], &[(Some("B"), stock)]);
        // Forgotten because B publishes it: B's text, or C's with the same words, matters.
        assert!(s.shares_a_narrative(Some("B"), stock));
        assert!(s.shares_a_narrative(Some("C"), &format!("{stock} at once.")));
        assert!(s.shares_a_narrative(None, stock));
        // A's own text does not excuse A's narrative; other words share nothing.
        assert!(!s.shares_a_narrative(Some("A"), stock));
        let other = "The State replied that the measures were ordered by an independent court.";
        assert!(!s.shares_a_narrative(Some("B"), other));
    }

    /// Lines of a data file, each different, like the cases of `cases.json`.
    fn data_lines(count: usize, from: usize) -> String {
        (from..from + count)
            .map(|i| {
                format!("{{\"id\":\"{i:06}\",\"t\":\"Une personne défendue n° {i}, 人权\"}},\n")
            })
            .collect()
    }

    #[test]
    fn a_large_file_is_searched_in_overlapping_pieces_that_miss_nothing() {
        let text = data_lines(6 * MIN_PIECE / 60, 0);
        let parts = pieces(&text);
        assert!(parts.len() >= 3);
        let mut covered = 0;
        for part in &parts {
            let offset = part.as_ptr() as usize - text.as_ptr() as usize;
            assert!(offset <= covered, "a gap before byte {offset}");
            assert!(
                offset == 0 || covered - offset >= OVERLAP - 3,
                "overlap too short"
            );
            covered = offset + part.len();
        }
        assert_eq!(covered, text.len());
        // A value cut where a piece ends is found whole in the piece before.
        let secret = "Private sentinel straddling the cut";
        let first = parts[0].len() - OVERLAP;
        let mut leaky = text.clone();
        leaky.insert_str(first - secret.len() / 2, secret);
        let s = scanner(&[secret]);
        assert_eq!(s.scan("data/cases.json", leaky.as_bytes()).len(), 1);
        assert!(s.scan("data/cases.json", text.as_bytes()).is_empty());
        // Text without a single line break is cut too.
        let minified = text.replace('\n', " ");
        assert!(pieces(&minified).len() >= 3);
    }

    #[test]
    fn an_edit_changes_only_the_pieces_around_it() {
        let text = data_lines(8 * MIN_PIECE / 60, 0);
        let before = pieces(&text);
        // An edit in the middle, which also shifts every byte after it.
        let middle = text.len() / 2;
        let at = middle + text[middle..].find('\n').expect("a line break");
        let edited = format!("{}{}{}", &text[..at], data_lines(3, 999_000), &text[at..]);
        let after = pieces(&edited);
        let unchanged = after.iter().filter(|p| before.contains(p)).count();
        assert!(
            unchanged + 2 >= after.len(),
            "{unchanged} of {} pieces unchanged",
            after.len()
        );
    }

    #[test]
    fn remembered_pieces_are_not_searched_again_but_an_edit_is() {
        let secret = "Private sentinel of another case";
        let s = scanner(&[secret]);
        let text = data_lines(6 * MIN_PIECE / 60, 0);
        let memory = CleanPieces::default();
        assert!(
            s.scan_remembering("data/cases.json", text.as_bytes(), Some(&memory))
                .is_empty()
        );
        let memory = memory.next();
        assert_eq!(memory.clean.len(), pieces(&text).len());
        // The same file again: every piece is known clean.
        let again = CleanPieces {
            clean: memory.clean.clone(),
            now_clean: Default::default(),
        };
        assert!(
            s.scan_remembering("data/cases.json", text.as_bytes(), Some(&again))
                .is_empty()
        );
        // An edit that publishes the secret is searched, and found, whatever the memory holds.
        let at = text.len() / 2;
        let at = at + text[at..].find('\n').expect("a line break") + 1;
        let leaky = format!("{}{{\"t\":\"{secret}\"}},\n{}", &text[..at], &text[at..]);
        let leaks = s.scan_remembering("data/cases.json", leaky.as_bytes(), Some(&memory));
        assert_eq!(leaks.len(), 1);
        assert_eq!(leaks[0].field, "f0");
        // The piece that held the leak is not remembered as clean.
        let memory = memory.next();
        let leaky_pieces = pieces(&leaky);
        let with_secret = leaky_pieces.iter().filter(|p| p.contains(secret));
        for piece in with_secret {
            let digest = xxhash_rust::xxh3::xxh3_128(piece.as_bytes());
            assert!(!memory.clean.contains(&digest));
        }
    }
}
