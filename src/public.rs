//! The public projection: the only types templates, the search index, exports and feeds receive.
//!
//! None of these types has a field for private notes, unconsented names, embargoed letters,
//! non-public actions or aggregate-only values. What a type cannot hold, no output can print.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde::Serialize;

use crate::model::case::MechanismKind;
use crate::model::case::{LetterKind, LetterMode, VictimKind};
use crate::model::committee::{ContactKind, Endorsement, IntakeChannel, LetterPractice};
use crate::model::date::{Date, Month};
use crate::model::focal_point::Role;
use crate::model::ids::{CaseId, CommitteeCode, CountryCode, LangCode, TermId};
use crate::model::localized::Localized;
use crate::model::vocab::VocabKind;
use crate::period::PeriodStart;

#[derive(Debug, Serialize)]
pub struct PublicSite {
    pub build_date: Date,
    pub languages: Vec<LangCode>,
    pub default_lang: LangCode,
    pub title: Localized,
    pub description: Option<Localized>,
    /// In the order the committees are listed (alphabetical by code).
    pub committees: Vec<PublicCommittee>,
    pub focal_points: Vec<PublicFocalPoint>,
    /// Newest first (date reported, then id). Shared, so that `serve` can keep the projection
    /// of each case an edit did not touch (see `project::KeptProjection`).
    pub cases: Vec<Arc<PublicCase>>,
    pub vocab: PublicVocab,
    pub aggregates: Aggregates,
    /// Public cases and statistics-only cases together, suppressed.
    pub allegations: Allegations,
    /// Documents under `public-data/` that published records link to; nothing else is copied.
    pub files: Vec<String>,
    pub min_cell: u32,
    /// Where else to turn: urgent entries first.
    pub referrals: Vec<PublicReferral>,
    /// Sessions not yet over on the build date, soonest first; visits only when made public.
    pub sessions: Vec<PublicSession>,
    /// Where the site is published, with one trailing slash: feeds and the sitemap need
    /// absolute addresses.
    pub base_url: String,
    pub licence: DataLicence,
    /// Cases taken down because consent was withdrawn: id and date only (`data/withdrawn.json`,
    /// feed tombstones), so that re-users know what to delete.
    pub withdrawn: Vec<WithdrawnCase>,
    /// `sample = true` in `site.toml`: the data are invented and every output says so.
    pub sample: bool,
}

/// A case withdrawn from publication. Nothing else of it may appear anywhere.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WithdrawnCase {
    pub id: CaseId,
    pub withdrawn: Date,
}

#[derive(Debug, Serialize)]
pub struct PublicCommittee {
    pub code: CommitteeCode,
    pub name: Localized,
    pub treaty: Localized,
    pub reprisal_provisions: Vec<PublicProvision>,
    pub policy_documents: Vec<PublicDocument>,
    pub sjg_endorsed: Endorsement,
    pub web_page: Option<String>,
    pub reprisals_page: Option<String>,
    pub contact: Vec<PublicContact>,
    pub letters: Option<LetterPractice>,
    pub intake: Vec<IntakeChannel>,
    /// First day of this committee's reporting year (`reports` in `site.toml`).
    pub period_start: PeriodStart,
    /// Indexes into `PublicSite::focal_points`, by term status on the build date.
    pub current: Vec<usize>,
    pub past: Vec<usize>,
    pub upcoming: Vec<usize>,
}

#[derive(Debug, Serialize)]
pub struct PublicProvision {
    pub instrument: String,
    pub article: String,
    pub text: Localized,
}

#[derive(Debug, Serialize)]
pub struct PublicDocument {
    pub symbol: String,
    pub title: Localized,
    pub year: Option<u16>,
    pub url: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct PublicContact {
    pub kind: ContactKind,
    pub value: String,
    pub label: Option<Localized>,
    pub fingerprint: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct PublicFocalPoint {
    pub committee: CommitteeCode,
    pub name: String,
    pub role: Role,
    pub scope: Vec<TermId>,
    pub start: Date,
    pub end: Option<Date>,
    pub languages: Vec<LangCode>,
    pub contact: Vec<PublicContact>,
}

#[derive(Debug, Hash, Serialize)]
pub struct PublicCase {
    /// Shown only in a draft preview (`serve --drafts`), with a "Draft: not public" banner.
    pub draft: bool,
    pub id: CaseId,
    pub title: Localized,
    pub summary: Localized,
    pub committees: Vec<CommitteeCode>,
    pub country: CountryCode,
    pub region: TermId,
    pub date_reported: Date,
    pub year: i16,
    pub incident_from: Option<Month>,
    pub incident_to: Option<Month>,
    pub context: Vec<TermId>,
    pub reprisal_types: Vec<TermId>,
    pub status: TermId,
    pub victim: PublicVictim,
    /// Only when the person consented to scope `perpetrators`.
    pub perpetrators: Vec<TermId>,
    pub actions: Vec<PublicAction>,
    /// Actions taken but not described (`public = false`): only their number is public.
    pub undisclosed_actions: usize,
    /// The same actions, by committee and reporting period, for annual reports.
    pub undisclosed: Vec<UndisclosedAction>,
    pub correspondence: Vec<PublicLetter>,
    pub sources: Vec<PublicSource>,
    /// Related cases that are themselves published.
    pub related: Vec<CaseId>,
    pub mechanism_refs: Vec<PublicMechanismRef>,
    /// The latest public event of the case: what feeds call "updated".
    pub updated: Date,
}

#[derive(Debug, Hash, Serialize)]
pub struct PublicVictim {
    pub kind: VictimKind,
    pub count: u32,
    pub profile: Vec<TermId>,
    /// Only with consent scope `name`.
    pub name: Option<String>,
    /// Only with consent scope `gender`.
    pub gender: Option<TermId>,
    /// Only with consent scope `age_group`.
    pub age_group: Option<TermId>,
}

#[derive(Debug, Hash, Serialize)]
pub struct PublicAction {
    pub date: Date,
    pub kind: TermId,
    pub committee: CommitteeCode,
    pub reference: Option<String>,
    pub note: Option<Localized>,
}

#[derive(Debug, Hash, Serialize)]
pub struct PublicLetter {
    pub kind: LetterKind,
    pub date: Date,
    pub symbol: Option<String>,
    pub deadline: Option<Date>,
    pub mode: LetterMode,
    pub summary: Option<Localized>,
    /// Path under `public-data/` of the published letter (mode = "full" only).
    pub file: Option<String>,
    /// Set when this letter's deadline passed with no reply from the State after the letter.
    pub no_reply_by: Option<Date>,
}

#[derive(Debug, Hash, Serialize)]
pub struct PublicSource {
    pub symbol: String,
    pub title: Option<Localized>,
    pub url: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct PublicTerm {
    pub id: TermId,
    pub label: Localized,
    pub definition: Option<Localized>,
}

#[derive(Clone, Debug, Serialize)]
pub struct PublicCountry {
    pub code: CountryCode,
    pub name: Localized,
    pub region: TermId,
}

/// Every vocabulary, with lookups by id.
#[derive(Debug, Default, Serialize)]
pub struct PublicVocab {
    pub lists: BTreeMap<VocabKind, Vec<PublicTerm>>,
    pub countries: Vec<PublicCountry>,
    #[serde(skip)]
    /// By kind, then id: looked up without building a `(kind, id)` key, a copy of the id.
    term_index: HashMap<VocabKind, HashMap<TermId, usize>>,
    #[serde(skip)]
    country_index: HashMap<CountryCode, usize>,
}

impl PublicSite {
    /// Every free text the site publishes, in every language, with the id of the case that
    /// publishes it (`None` for the site's own texts: vocabulary, committees, referrals):
    /// what the leak scan need not look for in the withheld narrative of another case (see
    /// `Withheld::narrative_of`).
    pub fn published_texts(&self) -> Vec<(Option<&str>, &str)> {
        let mut out = Vec::new();
        for case in &self.cases {
            let mut texts: Vec<&str> = Vec::new();
            texts.extend(case.title.texts());
            texts.extend(case.summary.texts());
            texts.extend(case.victim.name.as_deref());
            for action in &case.actions {
                texts.extend(action.reference.as_deref());
                texts.extend(action.note.iter().flat_map(Localized::texts));
            }
            for letter in &case.correspondence {
                texts.extend(letter.symbol.as_deref());
                texts.extend(letter.summary.iter().flat_map(Localized::texts));
            }
            for source in &case.sources {
                texts.push(source.symbol.as_str());
                texts.extend(source.title.iter().flat_map(Localized::texts));
            }
            texts.extend(case.mechanism_refs.iter().map(|r| r.reference.as_str()));
            out.extend(texts.into_iter().map(|t| (Some(case.id.as_str()), t)));
        }
        let mut site: Vec<&str> = Vec::new();
        for term in self.vocab.lists.values().flatten() {
            site.extend(term.label.texts());
            site.extend(term.definition.iter().flat_map(Localized::texts));
        }
        for committee in &self.committees {
            site.extend(committee.name.texts());
            site.extend(committee.treaty.texts());
            for provision in &committee.reprisal_provisions {
                site.extend(provision.text.texts());
            }
            for document in &committee.policy_documents {
                site.extend(document.title.texts());
            }
        }
        for referral in &self.referrals {
            site.extend(referral.name.texts());
            site.extend(referral.handles.texts());
            site.extend(referral.when.texts());
        }
        out.extend(site.into_iter().map(|t| (None, t)));
        out
    }
}

impl serde::Serialize for VocabKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.file_stem())
    }
}

impl PublicVocab {
    pub fn new(lists: BTreeMap<VocabKind, Vec<PublicTerm>>, countries: Vec<PublicCountry>) -> Self {
        let term_index = lists
            .iter()
            .map(|(kind, terms)| {
                let ids = terms.iter().enumerate().map(|(i, t)| (t.id.clone(), i));
                (*kind, ids.collect())
            })
            .collect();
        let country_index = countries
            .iter()
            .enumerate()
            .map(|(i, c)| (c.code.clone(), i))
            .collect();
        PublicVocab {
            lists,
            countries,
            term_index,
            country_index,
        }
    }

    pub fn terms(&self, kind: VocabKind) -> &[PublicTerm] {
        self.lists.get(&kind).map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn term(&self, kind: VocabKind, id: &TermId) -> Option<&PublicTerm> {
        let i = *self.term_index.get(&kind)?.get(id)?;
        self.lists.get(&kind)?.get(i)
    }

    /// Position of a term in its vocabulary: the order lists and charts follow.
    pub fn position(&self, kind: VocabKind, id: &TermId) -> usize {
        self.term_index
            .get(&kind)
            .and_then(|ids| ids.get(id))
            .copied()
            .unwrap_or(usize::MAX)
    }

    pub fn country(&self, code: &CountryCode) -> Option<&PublicCountry> {
        self.countries.get(*self.country_index.get(code)?)
    }
}

/// A count of an aggregate-only field, after small-cell suppression.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Count {
    Shown(u32),
    /// Fewer than `min_cell` (but more than zero): shown as "<3".
    Small,
    /// Not shown, so that a small cell cannot be worked out by subtraction (usually a cell of
    /// at least `min_cell`; every cell, when the table is too small to show anything).
    Withheld,
}

#[derive(Clone, Debug, Serialize)]
pub struct AggregateCell {
    /// `None`: the cases for which no value is recorded.
    pub term: Option<TermId>,
    pub count: Count,
}

/// The licence the open data is published under (`[data]` in `site.toml`).
#[derive(Clone, Debug, Serialize)]
pub struct DataLicence {
    pub name: String,
    pub url: String,
    /// The condition of reuse: delete withdrawn cases.
    pub terms: String,
}

/// An action taken but not described: only its committee and reporting period are public,
/// so that annual reports can count it.
#[derive(Clone, Debug, Hash, Serialize)]
pub struct UndisclosedAction {
    pub committee: CommitteeCode,
    /// The reporting period (named by its first year) of that committee it was taken in.
    pub period: i16,
}

/// The case before another UN mechanism: a reference anyone can look up.
#[derive(Clone, Debug, Hash, Serialize)]
pub struct PublicMechanismRef {
    pub kind: MechanismKind,
    pub reference: String,
    pub paragraph: Option<String>,
    pub date: Option<Date>,
    pub url: Option<String>,
}

/// Another place to turn to (`referrals.toml`).
#[derive(Clone, Debug, Serialize)]
pub struct PublicReferral {
    pub id: TermId,
    pub name: Localized,
    pub handles: Localized,
    pub when: Localized,
    pub urgent: bool,
    pub needs_consent: bool,
    /// Empty = everywhere.
    pub regions: Vec<TermId>,
    /// Secure channels first.
    pub contact: Vec<PublicContact>,
}

/// A session ahead or under way on the build date.
#[derive(Clone, Debug, Serialize)]
pub struct PublicSession {
    pub committee: CommitteeCode,
    pub session: String,
    pub start: Date,
    pub end: Date,
    pub place: Option<Localized>,
    pub reviews: Vec<CountryCode>,
    /// Only the visits the committee has made public.
    pub visits: Vec<PublicVisit>,
}

#[derive(Clone, Debug, Serialize)]
pub struct PublicVisit {
    pub country: CountryCode,
    pub start: Option<Date>,
    pub end: Option<Date>,
}

/// The aggregate-only fields (gender, age group, perpetrators), counted per closed reporting
/// period: a case counts in the period in which its publication was approved, and only once
/// that period is over, so that comparing two builds never isolates one new case.
#[derive(Clone, Debug, Serialize)]
pub struct Aggregates {
    /// Closed periods in which publication of at least one case was approved, newest first.
    pub periods: Vec<PeriodAggregates>,
    /// The period the build date falls in: nothing of it is counted yet.
    #[serde(skip)]
    pub open: crate::period::Period,
}

/// The aggregate-only counts of the cases whose publication was approved in one closed period.
#[derive(Clone, Debug, Serialize)]
pub struct PeriodAggregates {
    #[serde(skip)]
    pub period: crate::period::Period,
    /// One cell per term, then "not recorded": the cells add up to the period's cases.
    pub gender: Vec<AggregateCell>,
    /// As `gender`.
    pub age_group: Vec<AggregateCell>,
    /// Cases naming each category (a case may name several; no "not recorded" cell).
    pub perpetrators: Vec<AggregateCell>,
}

/// "Allegations received": the public cases and the cases counted for statistics only
/// (`publish = false`, `statistics = true`), suppressed so that the number of statistics-only
/// cases in a cell can never be worked out, not even by subtracting the public cases.
/// A key that is missing counts zero.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Allegations {
    pub by_committee: BTreeMap<CommitteeCode, Count>,
    pub by_year: BTreeMap<i16, Count>,
    pub by_region: BTreeMap<TermId, Count>,
    pub by_type: BTreeMap<TermId, Count>,
    /// Per committee and reporting period (named by its first year): the report sections.
    #[serde(skip)]
    pub by_report: BTreeMap<(CommitteeCode, i16), Count>,
}
