//! Long withheld values as overlapping windows of folded text, found by a rolling hash: one
//! multiply-add and one word of a filter read per byte of output, whatever the number of
//! values (an Aho-Corasick automaton of every window of every value would take hundreds of MB).

use std::collections::HashSet;

use super::{STRIDE, WINDOW};

/// Polynomial rolling hash base (odd, so multiplication is invertible modulo 2^64).
const BASE: u64 = 0x100_0000_01b3;

#[derive(Default)]
pub(super) struct Windows {
    /// Bytes per window and between window starts: `WINDOW` and `STRIDE` times the bytes a
    /// character takes in the values' script, so a window always spans about as many letters.
    window: usize,
    stride: usize,
    /// The folded values, the field each came from and the case whose narrative it is.
    values: Vec<Value>,
    /// Every window's hash and (value, offset), gathered by `add` until `finish` files them.
    added: Vec<Entry>,
    /// Hash of a window -> (value, offset) of each window with that hash.
    table: WindowTable,
    /// The windows no longer searched because another case or the site publishes them, kept
    /// to tell whether a changed published text matters (`in_narrative_of_another`); sorted.
    forgotten: Vec<Entry>,
    /// Two bits of one word per window searched, tested before the table: most bytes of
    /// output stop here. Two bits in the same word cost one memory read, as one bit did, and
    /// let far fewer bytes through to the table, each a read or two more from memory (the
    /// table's lookups were ~40 % of the scan's time at 10,000 cases with one bit).
    filter: Vec<u64>,
    /// How far to shift a mixed hash to get its word in `filter`.
    filter_shift: u32,
    /// BASE^WINDOW, to remove the byte leaving the window.
    out_factor: u64,
}

/// A window in a table: its hash, and its value and offset.
pub(super) type Entry = (u64, (u32, u32));

/// Windows by hash, filed once: sorted by their mixed hash and found through an index of
/// buckets (the top bits of that hash). 16 bytes a window and 4 a bucket: a hash map of
/// vectors took about 90 bytes a window, a quarter of a 100,000-case build's memory.
#[derive(Default)]
struct WindowTable {
    /// Hash and (value, offset) of each window side by side (one cache line read per lookup);
    /// the (value, offset) is `REMOVED` once forgotten.
    windows: Vec<Entry>,
    /// Bucket `b` holds the windows `starts[b]..starts[b + 1]`.
    starts: Vec<u32>,
    shift: u32,
}

const REMOVED: (u32, u32) = (u32::MAX, u32::MAX);

/// Rolling hashes are weak in their low bits: mixed once more (the finaliser of MurmurHash3).
fn mix(h: u64) -> u64 {
    let mut h = h;
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h
}

impl WindowTable {
    fn new(mut windows: Vec<Entry>) -> Self {
        windows.sort_unstable_by_key(|&(h, entry)| (mix(h), entry));
        let buckets = windows.len().next_power_of_two().max(2);
        let shift = 64 - buckets.trailing_zeros();
        let mut starts = vec![0u32; buckets + 1];
        for &(h, _) in &windows {
            starts[(mix(h) >> shift) as usize + 1] += 1;
        }
        for b in 1..starts.len() {
            starts[b] += starts[b - 1];
        }
        WindowTable {
            windows,
            starts,
            shift,
        }
    }

    /// Indexes of the windows with hash `h`.
    fn positions(&self, h: u64) -> impl Iterator<Item = usize> + '_ {
        let bucket = if self.starts.is_empty() {
            0..0
        } else {
            let b = (mix(h) >> self.shift) as usize;
            self.starts[b] as usize..self.starts[b + 1] as usize
        };
        bucket.filter(move |&i| self.windows[i].0 == h)
    }

    /// (value, offset) of each window with hash `h`.
    fn get(&self, h: u64) -> impl Iterator<Item = (u32, u32)> + '_ {
        self.positions(h)
            .map(|i| self.windows[i].1)
            .filter(|&e| e != REMOVED)
    }

    fn remove(&mut self, h: u64, entry: (u32, u32)) {
        let found = self.positions(h).find(|&i| self.windows[i].1 == entry);
        if let Some(i) = found {
            self.windows[i].1 = REMOVED;
        }
    }
}

struct Value {
    folded: Box<[u8]>,
    field: usize,
    narrative_of: Option<u32>,
}

impl Windows {
    /// Windows for values whose characters take `bytes_per_char` bytes of UTF-8 (1 for Latin,
    /// 2 for Arabic, Cyrillic or Greek, 3 for Chinese).
    pub(super) fn for_script_width(bytes_per_char: usize) -> Self {
        Windows {
            window: WINDOW * bytes_per_char,
            stride: STRIDE * bytes_per_char,
            ..Windows::default()
        }
    }

    /// Bytes in each window.
    pub(super) fn window_len(&self) -> usize {
        self.window
    }

    /// Values of fewer bytes than this are searched whole rather than by windows.
    pub(super) fn min_value_len(&self) -> usize {
        self.window + self.stride
    }

    pub(super) fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// A value of at least one window: a window at every stride, and one ending at the last
    /// byte.
    pub(super) fn add(&mut self, folded: &[u8], field: usize, narrative_of: Option<u32>) {
        let (window, stride) = (self.window, self.stride);
        debug_assert!(folded.len() >= window);
        let id = self.values.len() as u32;
        let last = folded.len() - window;
        let mut starts: Vec<usize> = (0..=last).step_by(stride).collect();
        if starts.last() != Some(&last) {
            starts.push(last);
        }
        for start in starts {
            let h = hash(&folded[start..start + window]);
            self.added.push((h, (id, start as u32)));
        }
        self.values.push(Value {
            folded: folded.into(),
            field,
            narrative_of,
        });
    }

    pub(super) fn finish(&mut self) {
        self.table = WindowTable::new(std::mem::take(&mut self.added));
        self.fill_filter();
        self.out_factor = (0..self.window).fold(1u64, |f, _| f.wrapping_mul(BASE));
    }

    /// Fills the filter with the windows still searched; called again between batches of
    /// `forget`, it takes the windows forgotten so far out of it (see `LeakScanner::new`).
    pub(super) fn fill_filter(&mut self) {
        // About 16 bits per window, two set per window in one word: one byte of output in 70
        // or so goes on to the table. (With 32 bits and one set, one in 30 did, from a filter
        // twice the size: at 100,000 cases 16 MB, read at random, which no cache holds.)
        let words = (self.table.windows.len() / 4).next_power_of_two().max(1);
        self.filter = vec![0; words];
        self.filter_shift = 64 - words.trailing_zeros();
        for &(h, entry) in &self.table.windows {
            if entry != REMOVED {
                let (word, mask) = self.bits(h);
                self.filter[word] |= mask;
            }
        }
    }

    /// The word of `filter` for hash `h`, and the two bits of it that `h` sets.
    fn bits(&self, h: u64) -> (usize, u64) {
        // The high bits of a multiplicative hash are the well-mixed ones: the top ones choose
        // the word, the twelve below them the bits (a filter has far fewer than 2^52 words).
        let m = h.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        let word = m.checked_shr(self.filter_shift).unwrap_or(0) as usize;
        let below = self.filter_shift - 12;
        (
            word,
            (1 << ((m >> below) & 63)) | (1 << ((m >> (below + 6)) & 63)),
        )
    }

    /// Adds to `found` the field of every value one of whose windows occurs in `haystack`;
    /// for a case's narrative, adds the window to `narrative_hits` instead (see `confirm`).
    ///
    /// Only the runs between boundaries (`\0`) are searched, and only those of a window or
    /// more: a value is folded without boundaries, so no window of it holds a `\0`, and a
    /// window of output that holds one matches nothing. Attribute values and tag names, each
    /// fenced by boundaries and most far shorter than a window, are close to half of a page's
    /// folded bytes: none of them costs a read of the filter any more.
    pub(super) fn find(
        &self,
        haystack: &[u8],
        found: &mut Vec<usize>,
        narrative_hits: &mut Vec<(u32, u32)>,
    ) {
        if self.values.is_empty() {
            return;
        }
        let mut start = 0;
        let ends = memchr::memchr_iter(0, haystack).chain(std::iter::once(haystack.len()));
        for end in ends {
            let run = &haystack[start..end];
            start = end + 1;
            if run.len() >= self.window {
                self.find_in_run(run, found, narrative_hits);
            }
        }
    }

    /// `find` in a run of output without boundaries.
    fn find_in_run(
        &self,
        run: &[u8],
        found: &mut Vec<usize>,
        narrative_hits: &mut Vec<(u32, u32)>,
    ) {
        roll(run, self.window, self.out_factor, |h, start| {
            if self.maybe(h) {
                let window = &run[start..start + self.window];
                for (id, offset) in self.table.get(h) {
                    let value = &self.values[id as usize];
                    if self.window_of(value, offset) == window {
                        match value.narrative_of {
                            Some(_) => narrative_hits.push((id, offset)),
                            None => found.push(value.field),
                        }
                    }
                }
            }
        });
    }

    /// Adds to `found` each narrative two overlapping windows of which were found in one file:
    /// a run of `WINDOW + STRIDE` characters. One window alone is no proof of a copy when a
    /// case's narrative shares a sentence with published text: it may be where the published
    /// sentence ends and the next element of the page begins ("...asking questions." then a
    /// heading "Follow-up"), a join the scan makes, not the author.
    pub(super) fn confirm(&self, narrative_hits: &mut Vec<(u32, u32)>, found: &mut Vec<usize>) {
        narrative_hits.sort_unstable();
        narrative_hits.dedup();
        for pair in narrative_hits.windows(2) {
            let ((id, a), (next_id, b)) = (pair[0], pair[1]);
            if id == next_id && (b - a) as usize <= self.stride {
                found.push(self.values[id as usize].field);
            }
        }
        narrative_hits.clear();
    }

    /// Adds to `out` every window of another case's narrative that occurs in `published`, a
    /// text case `publisher` publishes. Called after `finish`.
    pub(super) fn shared_with_others(
        &self,
        published: &[u8],
        publisher: u32,
        out: &mut HashSet<Entry>,
    ) {
        if self.values.is_empty() {
            return;
        }
        self.narratives_of_others(
            |h| self.maybe(h),
            |h| self.table.get(h),
            published,
            publisher,
            |h, entry| {
                out.insert((h, entry));
            },
        );
    }

    /// Stops searching for `entries` (found by `shared_with_others`). Call `done_forgetting`
    /// after the last batch, before `find` and `in_narrative_of_another`.
    pub(super) fn forget(&mut self, entries: HashSet<Entry>) {
        for (h, entry) in entries {
            self.table.remove(h, entry);
            self.forgotten.push((h, entry));
        }
    }

    /// After the last `forget`: sorts the forgotten windows once, so `in_narrative_of_another`
    /// can find them, and takes them out of what `find` looks up.
    pub(super) fn done_forgetting(&mut self) {
        self.forgotten.sort_unstable();
        // The forgotten windows leave the table and the filter: the house phrases they hold
        // recur on most case pages, and each occurrence went on past the filter to the table.
        let kept: Vec<Entry> = std::mem::take(&mut self.table.windows)
            .into_iter()
            .filter(|&(_, entry)| entry != REMOVED)
            .collect();
        self.table = WindowTable::new(kept);
        self.fill_filter();
    }

    /// Whether `published`, a text case `publisher` publishes, holds a window of another
    /// case's narrative, searched or forgotten: if not, publishing or unpublishing it changes
    /// nothing this scanner searches.
    pub(super) fn in_narrative_of_another(&self, published: &[u8], publisher: u32) -> bool {
        let mut shared = false;
        self.narratives_of_others(
            |h| self.maybe(h),
            |h| self.table.get(h),
            published,
            publisher,
            |_, _| shared = true,
        );
        let forgotten = |h: u64| {
            let from = self.forgotten.partition_point(|&(x, _)| x < h);
            self.forgotten[from..]
                .iter()
                .take_while(move |&&(x, _)| x == h)
                .map(|&(_, entry)| entry)
        };
        // The filter holds only the windows still searched.
        self.narratives_of_others(
            |_| true,
            forgotten,
            published,
            publisher,
            |_, _| shared = true,
        );
        shared
    }

    /// Calls `each` with the hash and entry of every window in `table` of a narrative of a
    /// case other than `publisher` that occurs in `published`.
    /// `might_hold` tells, quickly, whether `windows_with_hash` can hold any window of a hash.
    fn narratives_of_others<I: Iterator<Item = (u32, u32)>>(
        &self,
        might_hold: impl Fn(u64) -> bool,
        windows_with_hash: impl Fn(u64) -> I,
        published: &[u8],
        publisher: u32,
        mut each: impl FnMut(u64, (u32, u32)),
    ) {
        roll(published, self.window, self.out_factor, |h, start| {
            if !might_hold(h) {
                return;
            }
            let window = &published[start..start + self.window];
            for (id, offset) in windows_with_hash(h) {
                let value = &self.values[id as usize];
                let other_case = value.narrative_of.is_some_and(|case| case != publisher);
                if other_case && self.window_of(value, offset) == window {
                    each(h, (id, offset));
                }
            }
        });
    }

    fn maybe(&self, h: u64) -> bool {
        let (word, mask) = self.bits(h);
        self.filter[word] & mask == mask
    }

    fn window_of<'v>(&self, value: &'v Value, offset: u32) -> &'v [u8] {
        &value.folded[offset as usize..offset as usize + self.window]
    }
}

/// Calls `each` with the hash and start of every `window`-byte slice of `haystack`.
fn roll(haystack: &[u8], window: usize, out_factor: u64, mut each: impl FnMut(u64, usize)) {
    if haystack.len() < window {
        return;
    }
    let mut h = hash(&haystack[..window]);
    let mut start = 0;
    loop {
        each(h, start);
        let Some(&next) = haystack.get(start + window) else {
            break;
        };
        h = h
            .wrapping_mul(BASE)
            .wrapping_add(u64::from(next))
            .wrapping_sub(u64::from(haystack[start]).wrapping_mul(out_factor));
        start += 1;
    }
}

fn hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0u64, |h, &b| {
        h.wrapping_mul(BASE).wrapping_add(u64::from(b))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Folded-looking text: lower-case letters from a fixed pseudo-random sequence.
    fn letters(seed: u64, len: usize) -> Vec<u8> {
        let mut x = seed;
        (0..len)
            .map(|_| {
                x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                b'a' + ((x >> 33) % 26) as u8
            })
            .collect()
    }

    /// What `find` (and `confirm`) report for `copy` set between other letters.
    fn found_in(windows: &Windows, copy: &[u8], seed: u64) -> Vec<usize> {
        let mut page = letters(seed, 70);
        page.extend_from_slice(copy);
        page.extend(letters(seed + 1, 70));
        found_on(windows, &page)
    }

    /// What `find` (and `confirm`) report for `page`.
    fn found_on(windows: &Windows, page: &[u8]) -> Vec<usize> {
        let (mut found, mut hits) = (Vec::new(), Vec::new());
        windows.find(page, &mut found, &mut hits);
        windows.confirm(&mut hits, &mut found);
        found.dedup();
        found
    }

    #[test]
    fn every_copy_of_a_window_and_a_stride_is_found_in_every_script_width() {
        for width in 1..=3 {
            let mut windows = Windows::for_script_width(width);
            let value = letters(width as u64, 300 * width);
            windows.add(&value, 7, None);
            windows.finish();
            let shortest = windows.window + windows.stride - 1;
            for start in 0..=value.len() - shortest {
                let copy = &value[start..start + shortest];
                assert_eq!(
                    found_in(&windows, copy, start as u64),
                    [7],
                    "width {width}, at {start}"
                );
            }
            // Text the value does not hold is not found.
            assert!(found_in(&windows, &letters(99, shortest * 3), 5).is_empty());
        }
    }

    #[test]
    fn a_copy_is_found_between_boundaries_and_short_fenced_runs_are_passed_over() {
        let mut windows = Windows::for_script_width(1);
        let value = letters(11, 200);
        windows.add(&value, 4, None);
        windows.finish();
        let search = |page: &[u8]| found_on(&windows, page);
        // Every copy of the shortest length that must be found, from every start, with a
        // boundary right before and right after it, or none, or after many short fenced runs.
        let shortest = windows.window + windows.stride - 1;
        for start in 0..=value.len() - shortest {
            let copy = &value[start..start + shortest];
            for page in [
                [b"ab\0cd\0\0".as_slice(), copy, b"\0ef\0"].concat(),
                [copy, b"\0x".as_slice()].concat(),
                [b"x\0".as_slice(), copy].concat(),
                copy.to_vec(),
                ["a\0".repeat(100).as_bytes(), copy].concat(),
            ] {
                assert_eq!(search(&page), [4], "at {start}");
            }
        }
        let copy = &value[20..20 + shortest];
        // A boundary inside the copy leaves two runs, each shorter than a window and a
        // stride: neither is a copy that must be found, and no window spans the boundary.
        let cut = windows.window / 2;
        let split = [&copy[..cut], b"\0".as_slice(), &copy[cut..]].concat();
        assert!(search(&split).is_empty());
        assert!(search(b"").is_empty() && search(b"\0\0").is_empty());
    }

    #[test]
    fn a_filter_filled_again_passes_over_forgotten_windows_and_keeps_the_rest() {
        let mut windows = Windows::for_script_width(1);
        let narrative = letters(21, 400);
        windows.add(&narrative, 6, Some(0));
        windows.finish();
        // Another case publishes the narrative's first 150 letters: those windows are
        // forgotten, between batches, before the filter is filled again.
        let mut shared = HashSet::new();
        windows.shared_with_others(&narrative[..150], 1, &mut shared);
        assert!(!shared.is_empty());
        windows.forget(shared);
        windows.fill_filter();
        assert!(found_on(&windows, &narrative[..150]).is_empty());
        assert_eq!(found_on(&windows, &narrative[200..]), [6]);
        // And after the last batch, the same.
        windows.done_forgetting();
        assert!(found_on(&windows, &narrative[..150]).is_empty());
        assert_eq!(found_on(&windows, &narrative[200..]), [6]);
    }

    #[test]
    fn every_copy_of_a_window_and_two_strides_of_a_narrative_is_confirmed() {
        let mut windows = Windows::for_script_width(1);
        let narrative = letters(3, 400);
        windows.add(&narrative, 2, Some(0));
        windows.finish();
        let shortest = windows.window + 2 * windows.stride - 1;
        for start in 0..=narrative.len() - shortest {
            let copy = &narrative[start..start + shortest];
            assert_eq!(found_in(&windows, copy, start as u64), [2], "at {start}");
        }
        // One window alone is not enough.
        assert!(found_in(&windows, &narrative[100..100 + windows.window], 1).is_empty());
    }
}
