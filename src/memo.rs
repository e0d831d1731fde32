//! What the generators work out from one published case (its search terms, its CSV row, its
//! `cases.json` entry), kept by `serve` from one rebuild to the next, so that an edit to one
//! case re-derives that case's pieces and reuses the others.
//!
//! An entry is known by the case's fingerprint (a hash of its whole public projection) and
//! the hash of everything every page reads (settings, vocabularies, strings, templates, the
//! build date): a piece is reused only when both are what they were when it was made, so it
//! is the piece a full build would make. `build` has no memo and makes every piece afresh.
//! The pieces come from the public projection only, and the files they are assembled into
//! are leak-scanned like any other.

use std::any::Any;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use crate::model::Record;
use crate::prehashed::HashKeyed;

/// One piece: any type, so that each generator keeps its own kind without this module
/// knowing it.
type Piece = Arc<dyn Any + Send + Sync>;

/// Which piece of which case (or page), in which language.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct Key {
    slot: &'static str,
    lang: usize,
    /// The case's fingerprint, or a hash of the page's fingerprint and path.
    of: u64,
}

/// Values made under one setting (`salt`): those of the last run, read-only during this one,
/// and those this run used, which are the ones kept for the next.
struct Kept<K, V> {
    salt: u64,
    kept: HashKeyed<K, V>,
    used: Mutex<HashKeyed<K, V>>,
}

impl<K, V> Default for Kept<K, V> {
    fn default() -> Self {
        Kept {
            salt: 0,
            kept: HashKeyed::default(),
            used: Mutex::default(),
        }
    }
}

impl<K: Copy + Eq + Hash, V: Clone> Kept<K, V> {
    /// Starts a run under `salt`: what was kept under another is dropped.
    fn begin(&mut self, salt: u64) {
        if self.salt != salt {
            self.kept.clear();
            self.salt = salt;
        }
        // A rebuild uses about as many as the last one kept: room for them at once spares
        // growing the map piece by piece under the lock.
        let used = self.used.get_mut().expect("no panic while locked");
        used.reserve(self.kept.len().saturating_sub(used.len()));
    }

    /// The kept value for `key`, or `make()`; either way noted as used.
    fn get_or(&self, key: K, make: impl FnOnce() -> V) -> V {
        let value = match self.kept.get(&key) {
            Some(value) => value.clone(),
            None => make(),
        };
        self.used
            .lock()
            .expect("no panic while locked")
            .insert(key, value.clone());
        value
    }

    /// Ends a run: what it used is kept for the next (and, after a run that stopped part
    /// way, what was kept before too).
    fn settle(&mut self, complete: bool) {
        let used = std::mem::take(self.used.get_mut().expect("no panic while locked"));
        if complete {
            self.kept = used;
        } else {
            self.kept.extend(used);
        }
    }
}

/// The pieces of one rebuild, with those of the last one to take from.
#[derive(Default)]
pub(crate) struct CaseMemo {
    /// Fingerprint of each published case, in `PublicSite::cases` order.
    cases: Vec<u64>,
    /// Fingerprints of the pages whose files other than HTML are kept, by output path.
    pages: HashMap<String, u64>,
    /// Pieces, made under the hash of what every page reads.
    pieces: Kept<Key, Piece>,
    /// What a generator carries from one rebuild to the next to patch rather than remake (the
    /// search index), by slot. The generator checks itself what still holds of it; all is
    /// dropped when what every page reads changes.
    carried: Mutex<HashMap<&'static str, Box<dyn Any + Send>>>,
}

impl CaseMemo {
    /// Starts a rebuild whose site-wide inputs hash to `global` and whose cases have the
    /// fingerprints `cases`: the pieces kept are dropped if `global` changed.
    /// `pages` gives the fingerprints of pages (by output path) that a generator may make a
    /// file for (a report section's `report.md`).
    pub(crate) fn begin(&mut self, global: u64, cases: Vec<u64>, pages: HashMap<String, u64>) {
        if self.pieces.salt != global {
            self.carried
                .get_mut()
                .expect("no panic while locked")
                .clear();
        }
        self.pieces.begin(global);
        self.cases = cases;
        self.pages = pages;
    }

    /// The piece `slot` of case number `case` in language `lang`: the kept one if there is
    /// one, else `make()`.
    ///
    /// # Panics
    /// If `slot` was used for another type: each generator names its own slot.
    pub(crate) fn get_or<T: Any + Send + Sync>(
        &self,
        slot: &'static str,
        lang: usize,
        case: usize,
        make: impl FnOnce() -> T,
    ) -> Arc<T> {
        let key = Key {
            slot,
            lang,
            of: self.cases[case],
        };
        self.get_or_key(key, make)
    }

    /// The piece `slot` of the page at `path` (which reads everything the piece does): kept if
    /// the page's fingerprint is unchanged, else `make()`.
    pub(crate) fn page_piece<T: Any + Send + Sync>(
        &self,
        slot: &'static str,
        path: &str,
        make: impl FnOnce() -> T,
    ) -> Arc<T> {
        match self.pages.get(path) {
            Some(&print) => {
                // The path too: two pages with one fingerprint must not share a piece.
                let mut of = xxhash_rust::xxh3::Xxh3::new();
                of.update(&print.to_le_bytes());
                of.update(path.as_bytes());
                let of = of.digest();
                self.get_or_key(Key { slot, lang: 0, of }, make)
            }
            None => Arc::new(make()),
        }
    }

    /// What the generator of `slot` carried from the last rebuild, taken out: it hands it
    /// back with `carry` once it is done, or the next rebuild starts afresh.
    pub(crate) fn take_carried<T: Any + Send>(&self, slot: &'static str) -> Option<T> {
        let mut carried = self.carried.lock().expect("no panic while locked");
        let value = carried.remove(slot)?;
        value.downcast().ok().map(|boxed| *boxed)
    }

    /// Keeps `value` for the generator of `slot` at the next rebuild.
    pub(crate) fn carry<T: Any + Send>(&self, slot: &'static str, value: T) {
        let mut carried = self.carried.lock().expect("no panic while locked");
        carried.insert(slot, Box::new(value));
    }

    fn get_or_key<T: Any + Send + Sync>(&self, key: Key, make: impl FnOnce() -> T) -> Arc<T> {
        let piece = self.pieces.get_or(key, || Arc::new(make()) as Piece);
        piece.downcast().expect("one type per slot")
    }

    /// Ends a rebuild. After generators that all ran to the end, the pieces they used are
    /// kept (every case of the site now, nothing older); after a failure, those and the ones
    /// kept before.
    pub(crate) fn settle(&mut self, generated: bool) {
        self.pieces.settle(generated);
        self.cases.clear();
        self.pages.clear();
    }

    /// How many pieces are kept for the next rebuild.
    #[cfg(test)]
    pub(crate) fn kept(&self) -> usize {
        self.pieces.kept.len()
    }
}

/// What a check found in each record's file, kept by `serve` from one rebuild to the next
/// by the file's name and text (`SourceFile::digest`), so that an edit checks again only the
/// files it changed. The check must read nothing but its record and what the `salt` of
/// `check_each` covers.
pub(crate) struct FileMemo<T> {
    found: Kept<u128, T>,
}

impl<T> Default for FileMemo<T> {
    fn default() -> Self {
        FileMemo {
            found: Kept::default(),
        }
    }
}

impl<T: Clone + Send + Sync> FileMemo<T> {
    /// `check` of every record, in parallel, in the records' order. With `memo` (`serve`), a
    /// record whose file is what it was at the last run, under the same `salt` (a hash of the
    /// settings the check reads), gets what was found then. A released file, whose text is
    /// not at hand, is always checked.
    pub(crate) fn check_each<R: Sync>(
        memo: Option<&mut Self>,
        salt: u64,
        records: &[Record<R>],
        check: impl Fn(&Record<R>) -> T + Sync,
    ) -> Vec<T> {
        let Some(memo) = memo else {
            return records.par_iter().map(&check).collect();
        };
        let records: Vec<&Record<R>> = records.iter().collect();
        Self::check_each_of(Some(memo), salt, &records, |_| 0, check)
    }

    /// `check_each` of some of the records, each known by its file and by `extra`, a hash of
    /// whatever else of the run the check reads of that record alone (which of the cases it
    /// names are published, say), so that this need not be in the salt of every record.
    pub(crate) fn check_each_of<R: Sync>(
        memo: Option<&mut Self>,
        salt: u64,
        records: &[&Record<R>],
        extra: impl Fn(&Record<R>) -> u64 + Sync,
        check: impl Fn(&Record<R>) -> T + Sync,
    ) -> Vec<T> {
        let Some(memo) = memo else {
            return records.par_iter().map(|record| check(record)).collect();
        };
        memo.found.begin(salt);
        let found = records
            .par_iter()
            .map(|record| match record.file.is_released() {
                true => check(record),
                false => {
                    let mut key = xxhash_rust::xxh3::Xxh3::new();
                    key.update(&record.file.digest().to_le_bytes());
                    key.update(&extra(record).to_le_bytes());
                    memo.found.get_or(key.digest128(), || check(record))
                }
            })
            .collect();
        memo.found.settle(true);
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::SourceFile;

    #[test]
    fn a_piece_is_reused_only_for_the_same_case_and_site() {
        let mut memo = CaseMemo::default();
        memo.begin(7, vec![10, 20], HashMap::new());
        assert_eq!(*memo.get_or("row", 0, 0, || "a".to_owned()), "a");
        assert_eq!(*memo.get_or("row", 0, 1, || "b".to_owned()), "b");
        assert_eq!(
            *memo.get_or("row", 1, 1, || "b in fr".to_owned()),
            "b in fr"
        );
        memo.settle(true);
        assert_eq!(memo.kept(), 3);

        // Case 10 now comes second and case 20 was edited (fingerprint 21).
        memo.begin(7, vec![21, 10], HashMap::new());
        let kept = |text: &str| {
            let text = text.to_owned();
            move || -> String { panic!("{text} was kept and must not be made again") }
        };
        assert_eq!(*memo.get_or("row", 0, 1, kept("a")), "a");
        assert_eq!(*memo.get_or("row", 0, 0, || "b2".to_owned()), "b2");
        // Only what this rebuild used is kept: the old pieces of case 20 are gone.
        memo.settle(true);
        assert_eq!(memo.kept(), 2);

        // A change every page reads (a vocabulary, say) makes every piece anew.
        memo.begin(8, vec![21, 10], HashMap::new());
        assert_eq!(
            *memo.get_or("row", 0, 1, || "a again".to_owned()),
            "a again"
        );
    }

    #[test]
    fn a_file_is_checked_again_only_when_it_or_the_settings_change() {
        let record = |name: &str, text: &str| Record {
            file: SourceFile::new(name, text),
            value: (),
        };
        let words = |r: &Record<()>| r.file.text.split(' ').count();
        let kept = |_: &Record<()>| -> usize { panic!("kept, not checked again") };
        let mut memo: FileMemo<usize> = FileMemo::default();
        let first = [
            record("a.toml", "two words"),
            record("b.toml", "three more words"),
        ];
        assert_eq!(
            FileMemo::check_each(Some(&mut memo), 1, &first, words),
            [2, 3]
        );
        // The same files read again, as `serve` does after an edit, are not checked again.
        let again = [
            record("a.toml", "two words"),
            record("b.toml", "three more words"),
        ];
        assert_eq!(
            FileMemo::check_each(Some(&mut memo), 1, &again, kept),
            [2, 3]
        );
        // An edited file is; so is a file of the same text under another name.
        let edited = [
            record("a.toml", "now three words"),
            record("c.toml", "two words"),
        ];
        assert_eq!(
            FileMemo::check_each(Some(&mut memo), 1, &edited, words),
            [3, 2]
        );
        // Other settings: everything is checked again.
        assert_eq!(
            FileMemo::check_each(Some(&mut memo), 2, &edited, |_| 0),
            [0, 0]
        );
        // A released file's text is gone, so it is always checked.
        let released = [Record {
            file: edited[0].file.release(std::path::Path::new("/nowhere")),
            value: (),
        }];
        assert_eq!(
            FileMemo::check_each(Some(&mut memo), 2, &released, |_| 9),
            [9]
        );
    }

    #[test]
    fn a_failed_rebuild_loses_no_piece() {
        let mut memo = CaseMemo::default();
        memo.begin(1, vec![10, 20], HashMap::new());
        memo.get_or("row", 0, 0, || 1_u32);
        memo.get_or("row", 0, 1, || 2_u32);
        memo.settle(true);
        memo.begin(1, vec![30], HashMap::new());
        memo.get_or("row", 0, 0, || 3_u32);
        memo.settle(false);
        assert_eq!(memo.kept(), 3);
    }
}
