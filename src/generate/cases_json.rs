//! The shape of `/data/cases.json`, written straight from the public projection: the cases are
//! serialised one by one as borrowed views, never built up as a JSON tree in memory, so the
//! file costs little more than its own bytes at 100,000 cases.

use crate::site::routes::Route;
use std::collections::BTreeMap;

use std::io::Write;

use serde::ser::{Serialize, Serializer};

use crate::model::case::{LetterKind, LetterMode, VictimKind};
use crate::model::date::{Date, Month};
use crate::model::ids::{CaseId, CommitteeCode, CountryCode, LangCode, TermId};
use crate::model::localized::Localized;
use crate::model::vocab::VocabKind;
use crate::public::{DataLicence, PublicCase, PublicSite};
use crate::site::RenderSite;

/// Text per language: `{ "en": "...", "fr": "..." }`; plain text counts as the default language.
struct Texts<'a>(BTreeMap<&'a str, &'a str>);

impl<'a> Texts<'a> {
    fn new(value: &'a Localized, default: &'a LangCode) -> Self {
        Texts(
            value
                .entries(default)
                .into_iter()
                .map(|(l, t)| (l.as_str(), t))
                .collect(),
        )
    }
}

impl Serialize for Texts<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

#[derive(serde::Serialize)]
pub(super) struct CasesFile<'a> {
    generated: Date,
    sample: bool,
    licence: &'a DataLicence,
    source: &'a str,
    languages: &'a [LangCode],
    cases: Cases<'a>,
    vocabularies: BTreeMap<&'static str, Vec<Term<'a>>>,
}

/// All cases, serialised as they are visited.
struct Cases<'a>(&'a RenderSite<'a>);

impl Serialize for Cases<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let site = self.0;
        let public = site.public;
        match site.memo {
            None => s.collect_seq(public.cases.iter().map(|c| CaseView::new(public, c))),
            // `serve` keeps each case's entry as JSON text; the compact text of a view is what
            // serialising the view here writes, so the file is the same either way.
            Some(_) => s.collect_seq(public.cases.iter().enumerate().map(|(i, case)| {
                KeptEntry(site.case_piece("cases.json entry", 0, i, || {
                    serde_json::value::to_raw_value(&CaseView::new(public, case))
                        .expect("plain data serialises")
                }))
            })),
        }
    }
}

/// A case's entry as JSON text, written as it is.
struct KeptEntry(std::sync::Arc<Box<serde_json::value::RawValue>>);

impl Serialize for KeptEntry {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

#[derive(serde::Serialize)]
#[serde(untagged)]
enum Term<'a> {
    Term {
        id: &'a TermId,
        label: Texts<'a>,
    },
    Country {
        code: &'a CountryCode,
        name: Texts<'a>,
        region: &'a TermId,
    },
}

#[derive(serde::Serialize)]
struct CaseView<'a> {
    id: &'a CaseId,
    url: String,
    title: Texts<'a>,
    summary: Texts<'a>,
    committees: &'a [CommitteeCode],
    country: &'a CountryCode,
    region: &'a TermId,
    date_reported: Date,
    updated: Date,
    incident: Option<Incident>,
    context: &'a [TermId],
    reprisal_types: &'a [TermId],
    status: &'a TermId,
    victim: Victim<'a>,
    perpetrators: &'a [TermId],
    actions: Vec<Action<'a>>,
    undisclosed_actions: usize,
    correspondence: Vec<Letter<'a>>,
    sources: Vec<Source<'a>>,
    related: &'a [CaseId],
    mechanism_refs: &'a [crate::public::PublicMechanismRef],
}

#[derive(serde::Serialize)]
struct Incident {
    from: Month,
    to: Option<Month>,
}

#[derive(serde::Serialize)]
struct Victim<'a> {
    kind: VictimKind,
    count: u32,
    profile: &'a [TermId],
    name: Option<&'a str>,
    gender: Option<&'a TermId>,
    age_group: Option<&'a TermId>,
}

#[derive(serde::Serialize)]
struct Action<'a> {
    date: Date,
    kind: &'a TermId,
    committee: &'a CommitteeCode,
    reference: Option<&'a str>,
    note: Option<Texts<'a>>,
}

#[derive(serde::Serialize)]
struct Letter<'a> {
    kind: LetterKind,
    date: Date,
    symbol: Option<&'a str>,
    deadline: Option<Date>,
    mode: LetterMode,
    summary: Option<Texts<'a>>,
    file: Option<String>,
    no_reply_by: Option<Date>,
}

#[derive(serde::Serialize)]
struct Source<'a> {
    symbol: &'a str,
    title: Option<Texts<'a>>,
    url: Option<&'a str>,
}

impl<'a> CaseView<'a> {
    fn new(site: &'a PublicSite, case: &'a PublicCase) -> Self {
        let d = &site.default_lang;
        CaseView {
            id: &case.id,
            url: format!("{}{}", site.base_url, Route::case(&case.id).path()),
            title: Texts::new(&case.title, d),
            summary: Texts::new(&case.summary, d),
            committees: &case.committees,
            country: &case.country,
            region: &case.region,
            date_reported: case.date_reported,
            updated: case.updated,
            incident: case.incident_from.map(|from| Incident {
                from,
                to: case.incident_to,
            }),
            context: &case.context,
            reprisal_types: &case.reprisal_types,
            status: &case.status,
            victim: Victim {
                kind: case.victim.kind,
                count: case.victim.count,
                profile: &case.victim.profile,
                name: case.victim.name.as_deref(),
                gender: case.victim.gender.as_ref(),
                age_group: case.victim.age_group.as_ref(),
            },
            perpetrators: &case.perpetrators,
            actions: case
                .actions
                .iter()
                .map(|a| Action {
                    date: a.date,
                    kind: &a.kind,
                    committee: &a.committee,
                    reference: a.reference.as_deref(),
                    note: a.note.as_ref().map(|n| Texts::new(n, d)),
                })
                .collect(),
            undisclosed_actions: case.undisclosed_actions,
            correspondence: case
                .correspondence
                .iter()
                .map(|l| Letter {
                    kind: l.kind,
                    date: l.date,
                    symbol: l.symbol.as_deref(),
                    deadline: l.deadline,
                    mode: l.mode,
                    summary: l.summary.as_ref().map(|s| Texts::new(s, d)),
                    file: l.file.as_ref().map(|f| format!("{}{f}", site.base_url)),
                    no_reply_by: l.no_reply_by,
                })
                .collect(),
            sources: case
                .sources
                .iter()
                .map(|s| Source {
                    symbol: &s.symbol,
                    title: s.title.as_ref().map(|t| Texts::new(t, d)),
                    url: s.url.as_deref(),
                })
                .collect(),
            related: &case.related,
            mechanism_refs: &case.mechanism_refs,
        }
    }
}

pub(super) fn cases_file<'a>(render: &'a RenderSite<'a>) -> CasesFile<'a> {
    let site = render.public;
    let d = &site.default_lang;
    let mut vocabularies: BTreeMap<&'static str, Vec<Term>> = VocabKind::ALL
        .iter()
        .map(|kind| {
            let terms = site
                .vocab
                .terms(*kind)
                .iter()
                .map(|t| Term::Term {
                    id: &t.id,
                    label: Texts::new(&t.label, d),
                })
                .collect();
            (kind.file_stem(), terms)
        })
        .collect();
    let used: std::collections::HashSet<&CountryCode> =
        site.cases.iter().map(|c| &c.country).collect();
    let countries = site
        .vocab
        .countries
        .iter()
        .filter(|c| used.contains(&c.code))
        .map(|c| Term::Country {
            code: &c.code,
            name: Texts::new(&c.name, d),
            region: &c.region,
        })
        .collect();
    vocabularies.insert("countries", countries);
    CasesFile {
        generated: site.build_date,
        sample: site.sample,
        licence: &site.licence,
        source: &site.base_url,
        languages: &site.languages,
        cases: Cases(render),
        vocabularies,
    }
}

/// The bytes of `cases.json`: compact, one trailing newline.
/// Writes `cases.json` to `out` as it is serialised.
pub(super) fn write_to(site: &RenderSite, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::with_capacity(64 << 10, out);
    serde_json::to_writer(&mut out, &cases_file(site)).map_err(std::io::Error::other)?;
    out.write_all(b"\n")?;
    out.flush()
}
