//! The site kept in memory between edits, for `serve`: an edit re-reads only the files that
//! changed and re-renders only the pages whose fingerprint changed, and the result equals a
//! full build byte for byte. A failed rebuild changes nothing: the last good site stays.

mod changes;
pub mod fingerprint;
mod sources;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use rayon::prelude::*;
use xxhash_rust::xxh3::{xxh3_64, xxh3_64_with_seed};

use crate::build::{self, BuildError, Prepared, Progress, ScanningSink, Summary};
use crate::diagnostics::Problems;
use crate::leak_scan::{CleanPieces, LeakScanner};
use crate::memo::CaseMemo;
use crate::model::date::Date;
use crate::output::Memory;
use crate::prehashed::HashKeyed;
use crate::project::Withheld;
use crate::render::Renderer;
use crate::site::jobs::{Job, PageKind};
use fingerprint::Fingerprints;

pub use changes::{Change, classify};
use sources::Sources;

/// One rendered page and the fingerprint of what it was rendered from.
#[derive(Clone)]
struct Page {
    fingerprint: u64,
    bytes: Bytes,
}

/// Every file of one good build, by output path (`fr/cases/2024-007/index.html`).
#[derive(Default)]
pub struct Snapshot {
    pages: HashMap<String, Page>,
    generated: HashMap<String, Bytes>,
}

impl Snapshot {
    /// The bytes served at `path`, if the site has such a file.
    pub fn get(&self, path: &str) -> Option<&Bytes> {
        self.pages
            .get(path)
            .map(|p| &p.bytes)
            .or_else(|| self.generated.get(path))
    }

    /// Every path, in no particular order.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.pages
            .keys()
            .chain(self.generated.keys())
            .map(String::as_str)
    }

    /// How many files the site has.
    pub fn len(&self) -> usize {
        self.pages.len() + self.generated.len()
    }

    /// Whether the site has no files.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// What one successful rebuild produced.
pub struct Rebuilt {
    /// The whole site after this rebuild.
    pub snapshot: Arc<Snapshot>,
    /// What the rebuild did.
    pub summary: Summary,
    /// Pages rendered this time (the others were kept).
    pub rendered: usize,
    /// Where the time went, stage by stage, for `--verbose`.
    pub stages: Vec<(&'static str, Duration)>,
}

/// The leak scanner of the last build and the values it searches for.
struct ScannerCache {
    withheld_key: u64,
    scanner: Arc<LeakScanner>,
    withheld: Vec<Withheld>,
    /// The published texts the scanner was built with (by `published_hash`), with the case
    /// that publishes each.
    published: HashKeyed<u64, (Option<String>, String)>,
}

/// What a successful build does to the scanner cache.
enum CacheUpdate {
    /// Nothing changed.
    Keep,
    /// A new scanner.
    Replace(ScannerCache),
    /// The same scanner; these published texts are gone and these are new.
    Published {
        lost: Vec<u64>,
        added: Vec<(u64, (Option<String>, String))>,
    },
}

/// The last good build, kept in memory by `serve` so that an edit rebuilds only what it touches.
pub struct Incremental {
    root: PathBuf,
    build_date: Option<Date>,
    audience: crate::project::gates::Audience,
    sources: Sources,
    last: Arc<Snapshot>,
    /// The streamed files (`cases.json`, the CSV files of cases) of the last build.
    streamed: Vec<String>,
    /// The streamed files of the build before the last: once nothing else holds them (the
    /// server has let go of that build), the next rebuild writes the same files into their
    /// memory. Fresh memory that large comes from the kernel page by page, each page zeroed
    /// on first touch: at 10,000 cases, `cases.json` and `cases.csv` (44 MB) made each of the
    /// first edits after `serve` started about twice as slow as later ones, whose allocations
    /// had found freed memory again.
    spare: HashMap<String, Bytes>,
    renderer: Option<(u64, Renderer)>,
    scanner: Option<ScannerCache>,
    /// Pieces of generated files the cached scanner found clean (see `CleanPieces`).
    clean_pieces: CleanPieces,
    /// What the generators worked out from each case at the last rebuild.
    memo: CaseMemo,
    /// What the checks found in each record at the last rebuild.
    kept_checks: build::KeptChecks,
    /// What the fingerprints read of each case at the last rebuild.
    case_hashes: fingerprint::KeptCaseHashes,
}

impl Incremental {
    /// Nothing is read until the first `rebuild`.
    pub fn new(root: &Path, build_date: Option<Date>) -> Self {
        Incremental {
            root: root.to_path_buf(),
            build_date,
            audience: crate::project::gates::Audience::Public,
            sources: Sources::default(),
            last: Arc::new(Snapshot::default()),
            streamed: Vec::new(),
            spare: HashMap::new(),
            renderer: None,
            scanner: None,
            clean_pieces: CleanPieces::default(),
            memo: CaseMemo::default(),
            kept_checks: build::KeptChecks::default(),
            case_hashes: fingerprint::KeptCaseHashes::default(),
        }
    }

    /// Shows drafts, marked "Draft: not public" (`serve --drafts`; in memory only).
    pub fn with_drafts(mut self) -> Self {
        self.audience = crate::project::gates::Audience::DraftPreview;
        self
    }

    /// The site folder being watched.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The last good site (empty before the first good build).
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.last.clone()
    }

    /// Re-reads the `changed` files (everything on the first call) and rebuilds what they affect.
    pub fn rebuild(
        &mut self,
        changed: &[PathBuf],
        progress: &dyn Progress,
    ) -> Result<Rebuilt, BuildError> {
        let started = Instant::now();
        let mut stages = Vec::new();
        let changes: Vec<Change> = changed
            .iter()
            .filter_map(|p| classify(&self.root, p))
            .collect();
        self.sources.apply(&self.root, &changes);
        stages.push(("read", started.elapsed()));
        let Some((inputs, theme, problems)) = self.sources.take() else {
            return Err(BuildError::Input(self.sources.problems()));
        };
        let mark = Instant::now();
        let prepared = match build::prepare_loaded_for(
            inputs,
            theme,
            self.build_date,
            problems,
            self.audience,
            build::Keep::ForNextRun(&mut self.kept_checks),
        ) {
            Ok(prepared) => prepared,
            Err(rejected) => {
                self.sources.put_back(rejected.inputs, rejected.theme);
                return Err(BuildError::Input(rejected.problems));
            }
        };
        stages.push(("check and project", mark.elapsed()));
        let result = self.render(&prepared, progress, &mut stages);
        let warnings = prepared.warnings.clone();
        let quarantine = prepared.quarantine.clone();
        let (cases, build_date) = (prepared.projection.site.cases.len(), prepared.build_date);
        let languages = prepared.projection.site.languages.len();
        let (inputs, theme) = prepared.into_sources();
        self.sources.put_back(inputs, theme);
        let (snapshot, rendered, withheld_checked) = result?;
        let (pages, bytes) = snapshot
            .pages
            .values()
            .fold((0, 0), |(n, b), p| (n + 1, b + p.bytes.len() as u64));
        let generated_bytes: u64 = snapshot.generated.values().map(|b| b.len() as u64).sum();
        let before = std::mem::replace(&mut self.last, snapshot.clone());
        self.spare = self
            .streamed
            .iter()
            .filter_map(|path| Some((path.clone(), before.generated.get(path)?.clone())))
            .collect();
        Ok(Rebuilt {
            summary: Summary {
                build_date: Some(build_date),
                pages,
                files: snapshot.len(),
                bytes: bytes + generated_bytes,
                cases,
                languages,
                warnings,
                quarantine,
                withheld_checked,
                elapsed: started.elapsed(),
                unchanged: false,
            },
            snapshot,
            rendered,
            stages,
        })
    }

    /// Renders the pages whose fingerprint changed, re-runs the generators, and scans.
    fn render(
        &mut self,
        prepared: &Prepared,
        progress: &dyn Progress,
        stages: &mut Vec<(&'static str, Duration)>,
    ) -> Result<(Arc<Snapshot>, usize, usize), BuildError> {
        let mut memo = std::mem::take(&mut self.memo);
        let result = self.render_with(prepared, &mut memo, progress, stages);
        memo.settle(result.is_ok());
        self.memo = memo;
        result
    }

    /// `render`, with the generators taking what they can from `memo`.
    fn render_with(
        &mut self,
        prepared: &Prepared,
        memo: &mut CaseMemo,
        progress: &dyn Progress,
        stages: &mut Vec<(&'static str, Duration)>,
    ) -> Result<(Arc<Snapshot>, usize, usize), BuildError> {
        let mark = Instant::now();
        let site = build::render_site(prepared);
        let global = fingerprint::global_hash(prepared);
        if self.renderer.as_ref().is_none_or(|(key, _)| *key != global) {
            let renderer = build::renderer(prepared, &site).map_err(BuildError::Input)?;
            self.renderer = Some((global, renderer));
        }
        let renderer = &self.renderer.as_ref().expect("just set").1;
        stages.push(("plan: site", mark.elapsed()));
        let mark = Instant::now();
        let job_list = build::checked_jobs(prepared, &site).map_err(BuildError::Input)?;
        stages.push(("plan: jobs", mark.elapsed()));
        let mark = Instant::now();
        let prints = Fingerprints::new(global, &site, Some(&mut self.case_hashes));
        let keyed: Vec<(String, u64)> = job_list
            .par_iter()
            .map(|job| (job.output_path(&site), prints.of(job, &site)))
            .collect();
        let stale: Vec<&Job> = job_list
            .iter()
            .zip(&keyed)
            .filter(|(_, (path, print))| {
                self.last.pages.get(path).map(|p| p.fingerprint) != Some(*print)
            })
            .map(|(job, _)| job)
            .collect();
        // Report sections' `report.md` files say what their pages do.
        let report_pages = job_list
            .iter()
            .zip(&keyed)
            .filter(|(job, _)| matches!(job.kind, PageKind::Report { .. }))
            .map(|(_, (path, print))| (path.clone(), *print))
            .collect();
        memo.begin(global, prints.case_hashes().to_vec(), report_pages);
        let site = site.with_memo(memo);
        stages.push(("plan: fingerprints", mark.elapsed()));

        let mark = Instant::now();
        let (scanner, added, scanner_cache) = self.scanner_for(
            &prepared.projection.withheld,
            &prepared.projection.site.published_texts(),
        );
        stages.push(("leak scanner", mark.elapsed()));

        let mark = Instant::now();
        let pages = Memory::default();
        let scanning = ScanningSink::new(&scanner, &pages);
        progress.start(stale.len());
        let rendered = build::render_jobs(&site, renderer, &stale, &scanning, progress);
        progress.finish();
        rendered?;
        scanning.finish()?;
        stages.push(("render", mark.elapsed()));

        let mark = Instant::now();
        let sizes = self
            .last
            .generated
            .iter()
            .map(|(path, bytes)| (path.clone(), bytes.len()))
            .collect();
        // Buffers another thread still reads (a request being answered) stay as they are.
        let spare = std::mem::take(&mut self.spare)
            .into_iter()
            .filter_map(|(path, bytes)| Some((path, Vec::from(bytes.try_into_mut().ok()?))))
            .collect();
        let generated = Memory::expecting(sizes, spare);
        build::emit_generated(prepared, &site, &generated)?;
        let streamed =
            std::mem::take(&mut *generated.streamed.lock().expect("no panic while locked"));
        let generated: HashMap<String, Bytes> = generated
            .files
            .into_inner()
            .expect("no panic while locked")
            .into_iter()
            .collect();
        stages.push(("generate", mark.elapsed()));
        // A generated file with the bytes it had at the last good build was searched then for
        // every value withheld then: only the values added since need searching in it. In the
        // others (cases.json after any case edit, say), this same scanner searches only the
        // bytes that changed (see `LeakScanner::scan_edited`), and of those, not the pieces it
        // found clean before.
        let mark = Instant::now();
        let same_scanner = self
            .scanner
            .as_ref()
            .is_some_and(|cache| Arc::ptr_eq(&cache.scanner, &scanner));
        let memory = match same_scanner {
            true => std::mem::take(&mut self.clean_pieces),
            false => CleanPieces::default(),
        };
        let mut leaks: Vec<_> = generated
            .par_iter()
            .flat_map_iter(|(path, bytes)| {
                let before = self.last.generated.get(path);
                match (before, &added) {
                    (Some(before), Some(added)) if before == bytes => added.scan(path, bytes),
                    (Some(before), None) if before == bytes => Vec::new(),
                    // Values are added only with a new scanner, which searches files whole.
                    (Some(before), None) if same_scanner => {
                        scanner.scan_edited(path, before, bytes, Some(&memory))
                    }
                    _ => scanner.scan_remembering(path, bytes, Some(&memory)),
                }
            })
            .collect();
        stages.push(("scan generated files", mark.elapsed()));

        let mut fresh = pages.files.into_inner().expect("no panic while locked");
        // Kept pages were scanned for the values withheld then; search them for the new ones.
        let mark = Instant::now();
        if let Some(added) = &added {
            leaks.par_extend(
                keyed
                    .par_iter()
                    .filter(|(path, _)| !fresh.contains_key(path))
                    .flat_map_iter(|(path, _)| {
                        let bytes = &self.last.pages[path].bytes;
                        added.scan(path, bytes)
                    }),
            );
            stages.push(("rescan kept pages", mark.elapsed()));
        }
        // Every leak at once, so one round of fixes can clear them all.
        if !leaks.is_empty() {
            return Err(BuildError::Leak(leaks));
        }
        let rendered_count = fresh.len();
        let pages: HashMap<String, Page> = keyed
            .into_iter()
            .map(|(path, fingerprint)| {
                let bytes = match fresh.remove(&path) {
                    Some(bytes) => bytes,
                    None => self.last.pages[&path].bytes.clone(),
                };
                (path, Page { fingerprint, bytes })
            })
            .collect();
        let snapshot = Arc::new(Snapshot { pages, generated });
        // Only a good build moves the scanner on: after a failure the kept pages still need
        // searching for the values added since the last good one.
        match scanner_cache {
            CacheUpdate::Keep => {}
            CacheUpdate::Replace(cache) => self.scanner = Some(cache),
            CacheUpdate::Published { lost, added } => {
                let cache = self.scanner.as_mut().expect("a patch is made for a cache");
                for hash in lost {
                    cache.published.remove(&hash);
                }
                cache.published.extend(added);
            }
        }
        self.clean_pieces = memory.next();
        self.streamed = streamed;
        Ok((snapshot, rendered_count, scanner.checked))
    }

    /// The scanner for `withheld`, built only when the values changed or a text that started
    /// or stopped being published holds part of a withheld narrative (see
    /// `LeakScanner::new`); with it, a scanner for what must now be searched in files already
    /// scanned (the values that were not withheld at the last good build, or every value when
    /// such a text stopped being published, as parts of narratives that repeated it are
    /// searched again), and how to update the cache if this build succeeds.
    fn scanner_for(
        &self,
        withheld: &[Withheld],
        published: &[(Option<&str>, &str)],
    ) -> (Arc<LeakScanner>, Option<Arc<LeakScanner>>, CacheUpdate) {
        // Each value hashed on its own, side by side, then the hashes in order.
        let withheld_hashes: Vec<u8> = withheld
            .par_iter()
            .flat_map_iter(|w| {
                let narrative = w.narrative_of.as_deref().unwrap_or("");
                let parts = [&w.field, &w.text, narrative].map(|part| xxh3_64(part.as_bytes()));
                parts.into_iter().flat_map(u64::to_le_bytes)
            })
            .collect();
        let withheld_key = xxh3_64(&withheld_hashes);
        // Every title and summary of the site, on each edit: hashed side by side, then put in
        // the map on one thread. Filled in parallel, the map took from 5 to 80 ms at 10,000
        // cases (57,000 texts), most of the spread of an edit's time in this stage.
        let hashed: Vec<(u64, (Option<&str>, &str))> = published
            .par_iter()
            .map(|&(case, text)| (published_hash(case, text), (case, text)))
            .collect();
        let now: HashKeyed<u64, (Option<&str>, &str)> = hashed.into_iter().collect();
        let owned = |(case, text): (Option<&str>, &str)| (case.map(str::to_owned), text.to_owned());
        if let Some(cache) = self
            .scanner
            .as_ref()
            .filter(|c| c.withheld_key == withheld_key)
        {
            let lost: Vec<u64> = cache
                .published
                .keys()
                .filter(|h| !now.contains_key(h))
                .copied()
                .collect();
            let added: Vec<(u64, (Option<&str>, &str))> = now
                .iter()
                .filter(|(h, _)| !cache.published.contains_key(h))
                .map(|(&h, &pair)| (h, pair))
                .collect();
            if lost.is_empty() && added.is_empty() {
                return (cache.scanner.clone(), None, CacheUpdate::Keep);
            }
            let mut changed = lost
                .iter()
                .map(|h| {
                    let (case, text) = &cache.published[h];
                    (case.as_deref(), text.as_str())
                })
                .chain(added.iter().map(|(_, pair)| *pair));
            if changed.all(|(case, text)| !cache.scanner.shares_a_narrative(case, text)) {
                // Only the changed texts are copied: the cache keeps the others as they are.
                let added = added
                    .into_iter()
                    .map(|(h, pair)| (h, owned(pair)))
                    .collect();
                let update = CacheUpdate::Published { lost, added };
                return (cache.scanner.clone(), None, update);
            }
        }
        let scanner = Arc::new(LeakScanner::new(withheld, published));
        let added = self.scanner.as_ref().and_then(|cache| {
            if cache.published.keys().any(|h| !now.contains_key(h)) {
                return Some(scanner.clone());
            }
            let before: HashSet<&str> = cache.withheld.iter().map(|w| w.text.as_str()).collect();
            let new: Vec<Withheld> = withheld
                .iter()
                .filter(|w| !before.contains(w.text.as_str()))
                .cloned()
                .collect();
            (!new.is_empty()).then(|| Arc::new(LeakScanner::new(&new, published)))
        });
        let cache = ScannerCache {
            withheld_key,
            scanner: scanner.clone(),
            withheld: withheld.to_vec(),
            published: now.into_iter().map(|(h, pair)| (h, owned(pair))).collect(),
        };
        (scanner, added, CacheUpdate::Replace(cache))
    }

    /// Problems that stop a build before anything is checked (for a site that never loaded).
    pub fn load_problems(&self) -> Problems {
        self.sources.problems()
    }
}

fn published_hash(case: Option<&str>, text: &str) -> u64 {
    let seed = match case {
        Some(case) => xxh3_64(case.as_bytes()),
        None => 0,
    };
    xxh3_64_with_seed(text.as_bytes(), seed)
}
