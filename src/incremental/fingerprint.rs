//! A cheap stand-in for everything a page job reads, so `serve` re-renders only the pages whose
//! inputs changed and keeps the bytes of the others.
//!
//! The rule for a new page kind: hash what its context reads. When in doubt, use
//! `all_cases` (every published case) or leave the page to the global hash alone if it reads no
//! case at all. A fingerprint that misses an input makes `serve` show a stale page; the test
//! `incremental_equals_full_build` compares serve's pages with a fresh build after many kinds of
//! edits to catch that.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::io::{self, Write};
use std::sync::Arc;

use rayon::prelude::*;
use xxhash_rust::xxh3::Xxh3;

use crate::build::Prepared;
use crate::public::PublicCase;
use crate::render::pages::LATEST_ON_HOME;
use crate::site::RenderSite;
use crate::site::jobs::{Job, PageKind};
use crate::site::listing::{Facet, paginate};

/// Hashes computed once per build, from which each job's fingerprint is assembled.
pub struct Fingerprints {
    /// Everything every page may read: templates, strings, settings, vocabularies, committees,
    /// focal points, guidance navigation, the build date (computed by the caller).
    global: u64,
    /// One per published case, in `PublicSite::cases` order: its whole public projection.
    cases: Vec<u64>,
    /// Keys and sizes of every facet value: the index pages' navigation.
    facets: u64,
    /// How many cases each committee has: committee summaries show it.
    committee_counts: u64,
    /// Every published case in order: pages that show aggregates.
    all_cases: u64,
    /// The same without titles and summaries: what the figures of the trends page read.
    figures: u64,
    /// Per committee and reporting period, the cases with an event in it: what a report
    /// section reads.
    report_cases: HashMap<(String, i16), u64>,
}

/// What `Fingerprints::new` works out from one case alone.
#[derive(Clone)]
struct CaseHashes {
    /// `figures_hash`.
    figures: u64,
    /// `case_hash`.
    whole: u64,
    /// `report_periods`.
    periods: Vec<(String, i16)>,
}

impl CaseHashes {
    fn of(site: &RenderSite, case: &PublicCase) -> Self {
        let figures = figures_hash(case);
        CaseHashes {
            figures,
            whole: case_hash(case, figures),
            periods: report_periods(site, case),
        }
    }
}

/// What `Fingerprints::new` worked out from each case at the last rebuild, by the case's
/// projection. `serve` keeps a case's projection, the same `Arc`, while its file is unchanged
/// (see `project::KeptProjection`): the same allocation holds the same case, and holding it
/// here keeps its address from being given to another. Report periods read the committees,
/// so everything is dropped when the global hash changes.
#[derive(Default)]
pub struct KeptCaseHashes {
    global: u64,
    by_case: HashMap<usize, (Arc<PublicCase>, CaseHashes)>,
}

impl Fingerprints {
    /// Fingerprints of every page of `site`; `global` covers what every page depends on.
    /// With `kept` (`serve`), a case whose projection is the one hashed at the last rebuild
    /// is not hashed again.
    pub fn new(global: u64, site: &RenderSite, kept: Option<&mut KeptCaseHashes>) -> Self {
        let empty = HashMap::new();
        let before = match &kept {
            Some(kept) if kept.global == global => &kept.by_case,
            _ => &empty,
        };
        let per_case: Vec<CaseHashes> = site
            .public
            .cases
            .par_iter()
            .map(|case| match before.get(&(Arc::as_ptr(case) as usize)) {
                Some((_, hashes)) => hashes.clone(),
                None => CaseHashes::of(site, case),
            })
            .collect();
        if let Some(kept) = kept {
            kept.global = global;
            kept.by_case = site
                .public
                .cases
                .iter()
                .zip(&per_case)
                .map(|(case, hashes)| {
                    let key = Arc::as_ptr(case) as usize;
                    (key, (case.clone(), hashes.clone()))
                })
                .collect();
        }
        let cases: Vec<u64> = per_case.iter().map(|h| h.whole).collect();
        let figures: Vec<u64> = per_case.iter().map(|h| h.figures).collect();
        let mut facets = Xxh3::new();
        let mut committee_counts = Xxh3::new();
        for group in &site.listings.facets {
            facets.write_u8(group.facet as u8);
            for value in &group.values {
                facets.write(value.key.as_bytes());
                facets.write_usize(value.cases.len());
                if group.facet == Facet::Committee {
                    committee_counts.write(value.key.as_bytes());
                    committee_counts.write_usize(value.cases.len());
                }
            }
        }
        let mut all_cases = Xxh3::new();
        for hash in &cases {
            all_cases.write_u64(*hash);
        }
        // Counts of what no public case shows (aggregate-only fields, statistics-only cases).
        let counts = format!("{:?}{:?}", site.public.aggregates, site.public.allegations);
        all_cases.write(counts.as_bytes());
        let mut all_figures = Xxh3::new();
        for hash in &figures {
            all_figures.write_u64(*hash);
        }
        all_figures.write(counts.as_bytes());
        let mut touch: HashMap<&(String, i16), Xxh3> = HashMap::new();
        for hashes in &per_case {
            for key in &hashes.periods {
                touch.entry(key).or_default().write_u64(hashes.whole);
            }
        }
        Fingerprints {
            global,
            cases,
            facets: facets.finish(),
            committee_counts: committee_counts.finish(),
            all_cases: all_cases.finish(),
            figures: all_figures.finish(),
            report_cases: touch
                .into_iter()
                .map(|(k, h)| (k.clone(), h.finish()))
                .collect(),
        }
    }

    /// Each published case's hash, in `PublicSite::cases` order.
    pub(crate) fn case_hashes(&self) -> &[u64] {
        &self.cases
    }

    /// The fingerprint of one job: equal fingerprints mean equal pages.
    pub fn of(&self, job: &Job, site: &RenderSite) -> u64 {
        let mut h = Xxh3::new();
        h.write_u64(self.global);
        h.write_usize(job.lang);
        let cases = site.public.cases.len();
        match &job.kind {
            PageKind::Home => {
                h.write_u8(1);
                h.write_usize(cases);
                self.listed(
                    &mut h,
                    site,
                    (0..cases.min(LATEST_ON_HOME)).map(|i| i as u32),
                );
            }
            PageKind::NotFound => h.write_u8(2),
            PageKind::Committees => {
                h.write_u8(3);
                h.write_u64(self.committee_counts);
            }
            PageKind::Committee(i) => {
                h.write_u8(4);
                let code = site.public.committees[*i].code.slug();
                h.write(code.as_bytes());
                let group = site.listings.group(Facet::Committee);
                if let Some(value) = group.values.iter().find(|v| v.key == code) {
                    // Its latest cases and its counts by year: every one of its cases counts.
                    self.listed(&mut h, site, value.cases.iter().copied());
                }
            }
            // The factsheet reads the roster and the strings (both in `global`) and whether
            // the how-to-submit page exists.
            PageKind::Factsheet(i) => {
                h.write_u8(11);
                h.write(site.public.committees[*i].code.slug().as_bytes());
                h.write_usize(site.guidance.len());
            }
            PageKind::Guidance(i) => {
                h.write_u8(5);
                // The how-to-submit roster shows each committee's case count.
                h.write_u64(self.committee_counts);
                for version in site.guidance[*i].versions.values() {
                    h.write(version.file.text.as_bytes());
                    linked_cases(&mut h, site, &version.file.text);
                }
            }
            PageKind::Index { sort, page } => {
                h.write_u8(6);
                h.write_u8(*sort as u8);
                h.write_usize(*page);
                h.write_usize(cases);
                h.write_u64(self.facets);
                let order = site.listings.sorted(job.lang, *sort);
                let (slice, _) = paginate(order, site.per_page, *page);
                self.listed(&mut h, site, slice.iter().copied());
            }
            PageKind::Browse { facet, value, page } => {
                h.write_u8(7);
                let v = &site.listings.group(*facet).values[*value];
                h.write_u8(*facet as u8);
                h.write(v.key.as_bytes());
                h.write_usize(*page);
                h.write_usize(v.cases.len());
                if *facet == Facet::Country {
                    // The old address shows the whole country page: its figures read every
                    // case of the State.
                    self.listed(&mut h, site, v.cases.iter().copied());
                } else {
                    let (slice, _) = paginate(&v.cases, site.per_page, *page);
                    self.listed(&mut h, site, slice.iter().copied());
                }
            }
            // A country page reads its State's cases (figures, letters, references, the list).
            PageKind::Country { country, page } => {
                h.write_u8(11);
                h.write_usize(*country);
                h.write_usize(*page);
                let code = &site.public.vocab.countries[*country].code;
                let cases = crate::site::countries::cases_of(site, code);
                h.write_usize(cases.len());
                self.listed(&mut h, site, cases.iter().copied());
            }
            // A report section reads its committee's cases (new ones and follow-up).
            PageKind::Report { committee, year } => {
                h.write_u8(10);
                let code = site.public.committees[*committee].code.slug();
                h.write(code.as_bytes());
                h.write_i32(i32::from(*year));
                h.write_u64(self.report_cases.get(&(code, *year)).copied().unwrap_or(0));
                let key = (site.public.committees[*committee].code.clone(), *year);
                h.write(format!("{:?}", site.public.allegations.by_report.get(&key)).as_bytes());
            }
            // Counts only: a new title or summary leaves the figures as they were.
            PageKind::Trends => {
                h.write_u8(12);
                h.write_u64(self.figures);
            }
            // The list of report sections and the data page summarise every case.
            PageKind::Reports | PageKind::Data | PageKind::WhereElse => {
                h.write_u8(9);
                h.write(format!("{:?}", job.kind).as_bytes());
                h.write_u64(self.all_cases);
            }
            // Only global inputs: the committees' contacts, vocabularies, strings.
            PageKind::SubmissionForm => h.write_u8(11),
            PageKind::Case(i) => {
                h.write_u8(8);
                h.write_u64(self.cases[*i]);
                for text in site.public.cases[*i].summary.texts() {
                    linked_cases(&mut h, site, text);
                }
                // Related cases show their titles.
                for id in &site.public.cases[*i].related {
                    match site.case_index.get(id) {
                        Some(&j) => h.write_u64(self.cases[j]),
                        None => h.write_u8(0),
                    }
                }
            }
        }
        h.finish()
    }

    /// The cases a list shows, in its order.
    fn listed(&self, h: &mut Xxh3, site: &RenderSite, indexes: impl Iterator<Item = u32>) {
        for i in indexes {
            let i = i as usize;
            h.write(site.public.cases[i].id.as_str().as_bytes());
            h.write_u64(self.cases[i]);
        }
    }
}

/// Everything that is the same input to every page: settings, committees, focal points,
/// vocabularies, documents, theme (templates, asset names, strings), the guidance pages'
/// navigation entries and the build date. A change here re-renders the whole site.
pub fn global_hash(prepared: &Prepared) -> u64 {
    let inputs = &prepared.inputs;
    let mut h = HashWriter(Xxh3::new());
    let mut text = |t: &str| {
        h.0.write(t.as_bytes());
        h.0.write_u8(0);
    };
    text(&inputs.config.file.text);
    for record in &inputs.committees {
        text(&record.file.text);
    }
    for record in &inputs.focal_points {
        text(&record.file.text);
    }
    // Referrals and sessions appear on guidance, home, committee and country pages.
    for record in inputs.referrals.iter() {
        text(&record.file.text);
    }
    for record in &inputs.sessions {
        text(&record.file.text);
    }
    for file in &inputs.vocab_files {
        text(&file.text);
    }
    for file in &inputs.files {
        text(file);
    }
    let theme = &prepared.theme;
    for (name, (_, template)) in &theme.templates {
        text(name);
        text(template);
    }
    for asset in &theme.assets {
        text(&asset.path);
    }
    text(&prepared.build_date.to_string());
    for page in &prepared.guidance {
        text(&page.slug);
    }
    for (lang, strings) in &theme.strings {
        write!(h, "{lang}{:?}{:?}", strings.info, strings.entries).expect("hashing");
    }
    for page in &prepared.guidance {
        for (lang, version) in &page.versions {
            write!(h, "{lang}{:?}", version.front).expect("hashing");
        }
    }
    h.0.finish()
}

/// Everything public about a case: the hash of its `figures` (every field but two) with its
/// title and summary.
fn case_hash(case: &PublicCase, figures: u64) -> u64 {
    let mut h = GatheredHasher::default();
    (figures, &case.title, &case.summary).hash(&mut h);
    h.finish()
}

/// Everything public about a case but its title and summary, which no figure reads. Every
/// field is named, so that a field added to `PublicCase` must be placed here or there.
fn figures_hash(case: &PublicCase) -> u64 {
    let PublicCase {
        draft,
        id,
        title: _,
        summary: _,
        committees,
        country,
        region,
        date_reported,
        year,
        incident_from,
        incident_to,
        context,
        reprisal_types,
        status,
        victim,
        perpetrators,
        actions,
        undisclosed_actions,
        undisclosed,
        correspondence,
        sources,
        related,
        mechanism_refs,
        updated,
    } = case;
    let mut h = GatheredHasher::default();
    (draft, id, committees, country, region, date_reported, year).hash(&mut h);
    (
        incident_from,
        incident_to,
        context,
        reprisal_types,
        status,
        victim,
    )
        .hash(&mut h);
    (perpetrators, actions, undisclosed_actions, undisclosed).hash(&mut h);
    (correspondence, sources, related, mechanism_refs, updated).hash(&mut h);
    h.finish()
}

/// Gathers what it is fed and hashes it in one go at the end. A case's derived `Hash` makes
/// hundreds of small writes, and each costs a streaming XXH3 far more than copying its bytes:
/// `serve` hashes every case on each edit.
#[derive(Default)]
struct GatheredHasher(Vec<u8>);

impl Hasher for GatheredHasher {
    fn write(&mut self, bytes: &[u8]) {
        self.0.extend_from_slice(bytes);
    }

    fn finish(&self) -> u64 {
        xxhash_rust::xxh3::xxh3_64(&self.0)
    }
}

/// Feeds serialised bytes into a hasher without building the string.
struct HashWriter(Xxh3);

impl io::Write for HashWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Every (committee, reporting period) in which a case has an event a report section shows:
/// received, an action, a non-public action, or a letter (letters count for the lead).
fn report_periods(site: &RenderSite, case: &PublicCase) -> Vec<(String, i16)> {
    let start_of = |code: &crate::model::ids::CommitteeCode| {
        site.public
            .committees
            .iter()
            .find(|c| &c.code == code)
            .map(|c| c.period_start)
    };
    let mut out = Vec::new();
    let mut add = |code: &crate::model::ids::CommitteeCode, date: crate::model::date::Date| {
        if let Some(start) = start_of(code) {
            out.push((
                code.slug(),
                crate::stats::period_report::year_of(start, date),
            ));
        }
    };
    for code in &case.committees {
        add(code, case.date_reported);
    }
    for action in &case.actions {
        add(&action.committee, action.date);
    }
    if let Some(lead) = case.committees.first() {
        for letter in &case.correspondence {
            add(lead, letter.date);
        }
    }
    out.extend(
        case.undisclosed
            .iter()
            .map(|u| (u.committee.slug(), u.period)),
    );
    out.sort();
    out.dedup();
    out
}

/// A link to a case is shown as text once the case is hidden: a page that links to cases
/// changes when any of them is published or hidden.
fn linked_cases(h: &mut Xxh3, site: &RenderSite, text: &str) {
    // Most texts link nowhere: `contains` tells so with SIMD, `match_indices` byte by byte.
    if !text.contains("/cases/") {
        return;
    }
    for (at, _) in text.match_indices("/cases/") {
        let id: String = text[at + 7..]
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '-')
            .collect();
        if id.is_empty() {
            continue;
        }
        h.write(id.as_bytes());
        h.write_u8(u8::from(site.case_index.contains_key(id.as_str())));
    }
}
