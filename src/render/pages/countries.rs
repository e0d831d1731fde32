//! `/countries/<iso3>/`: one State's public cases, the letters sent to it and how many were
//! answered in time, the committees concerned, references in other mechanisms, the reviews and
//! visits ahead. The old browse address `/cases/country/<iso3>/` now sends readers here.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;
use tera::Context;

use crate::diagnostics::Problem;
use crate::model::case::{LetterKind, MechanismKind};
use crate::model::date::Date;
use crate::model::vocab::VocabKind;
use crate::public::{PublicCase, PublicCountry};
use crate::render::CaseRows;

use super::PageContent;
use super::sessions::{SessionView, session_view};
use super::where_else::{ReferralView, referral};
use crate::site::RenderSite;
use crate::site::countries::{cases_of, sessions_concerning};
use crate::site::listing::{Facet, paginate};
use crate::site::routes::Route;
use crate::site::views::{Link, Text, View};

/// Letters to a State in its published correspondence, and how many were answered in time.
#[derive(Debug, Default, PartialEq, Eq, Serialize)]
pub(crate) struct LetterFigures {
    /// Letters to the State (reminders and follow-ups not counted again).
    pub sent: usize,
    /// Of those, the ones whose deadline has passed.
    pub due: usize,
    /// Of those, the ones a published reply from the State followed by the deadline.
    pub answered_in_time: usize,
}

pub(crate) fn letter_figures<'a>(
    cases: impl Iterator<Item = &'a PublicCase>,
    today: Date,
) -> LetterFigures {
    let mut figures = LetterFigures::default();
    for case in cases {
        let replies: Vec<Date> = case
            .correspondence
            .iter()
            .filter(|l| l.kind == LetterKind::StateReply)
            .map(|l| l.date)
            .collect();
        for letter in case
            .correspondence
            .iter()
            .filter(|l| l.kind == LetterKind::LetterToState)
        {
            figures.sent += 1;
            let Some(deadline) = letter.deadline.filter(|d| *d < today) else {
                continue;
            };
            figures.due += 1;
            if replies.iter().any(|r| *r >= letter.date && *r <= deadline) {
                figures.answered_in_time += 1;
            }
        }
    }
    figures
}

#[derive(Default, Serialize)]
struct Letters {
    sent: String,
    answered: Option<String>,
}

#[derive(Serialize)]
struct CommitteeConcerned {
    code: String,
    name: Text,
    href: String,
    cases: String,
}

#[derive(Serialize)]
struct MechanismRow {
    kind: String,
    reference: String,
    paragraph: Option<String>,
    url: Option<String>,
    date: Option<String>,
    case: Link,
}

/// The first page's figures, committees concerned, sessions ahead, referrals, and every
/// mechanism reference of the State's cases; empty on later pages.
#[derive(Default, Serialize)]
struct AboutTheCountry {
    letters: Letters,
    committees: Vec<CommitteeConcerned>,
    sessions: Vec<SessionView>,
    referrals: Vec<ReferralView>,
    mechanisms: Vec<MechanismRow>,
}

#[derive(Serialize)]
struct CountryPage {
    name: Text,
    code: String,
    region: Link,
    first_page: bool,
    total: String,
    #[serde(flatten)]
    about: AboutTheCountry,
    where_else_href: String,
    rows: Vec<Arc<str>>,
    caption: String,
    prev: Option<String>,
    next: Option<String>,
    page_label: Option<String>,
}

pub(crate) fn page(
    view: &View,
    rows: &CaseRows,
    country: usize,
    page: usize,
) -> Result<PageContent, Problem> {
    let site = view.site;
    let public = site.public;
    let c = &public.vocab.countries[country];
    let indexes = cases_of(site, &c.code);
    let (slice, pages) = paginate(indexes, site.per_page, page);
    let name = view.text(&c.name);
    let href = |n: usize| view.href(&Route::country(&c.code).page(n).path());
    let first_page = page <= 1;
    let about = if first_page {
        about_the_country(view, c, indexes)
    } else {
        // The template shows these on the first page only: at 100,000 cases a State's later
        // pages each gathered every mechanism reference of its ~1,000 cases, for nothing.
        Default::default()
    };
    let data = CountryPage {
        name: name.clone(),
        code: c.code.to_string(),
        region: view.facet_link(
            Facet::Region,
            c.region.as_str(),
            view.term(VocabKind::Regions, &c.region),
        ),
        first_page,
        total: view.plural("cases_count", indexes.len()),
        about,
        where_else_href: view.href(&Route::WhereElse.path()),
        rows: rows.html(view, slice)?,
        caption: view
            .t("country_cases_caption")
            .replace("{country}", &name.text),
        prev: (page > 1).then(|| href(page - 1)),
        next: (page < pages).then(|| href(page + 1)),
        page_label: (pages > 1).then(|| {
            view.t("page_of")
                .replace("{page}", &view.number(page))
                .replace("{pages}", &view.number(pages))
        }),
    };
    let mut title = name.text.clone();
    if let Some(label) = &data.page_label {
        title = format!("{title} – {label}");
    }
    Ok(PageContent {
        template: "country.html",
        title,
        section: "cases".into(),
        fallback: name.fallback,
        data: Context::from_serialize(&data).expect("serialisable"),
    })
}

/// What the first page of a State's cases says about the State.
fn about_the_country(view: &View, c: &PublicCountry, indexes: &[u32]) -> AboutTheCountry {
    let site = view.site;
    let public = site.public;
    let cases = || indexes.iter().map(|&i| &*public.cases[i as usize]);
    let figures = letter_figures(cases(), public.build_date);
    let letters = Letters {
        sent: view.plural("letters_sent_count", figures.sent),
        answered: (figures.due > 0).then(|| {
            let percent = (figures.answered_in_time * 100 + figures.due / 2) / figures.due;
            view.t("letters_answered_share")
                .replace("{answered}", &view.number(figures.answered_in_time))
                .replace("{due}", &view.number(figures.due))
                .replace("{percent}", &view.number(percent))
        }),
    };
    let mut by_committee: BTreeMap<String, usize> = BTreeMap::new();
    for case in cases() {
        for code in &case.committees {
            *by_committee.entry(code.to_string()).or_default() += 1;
        }
    }
    let sessions = sessions_concerning(&public.sessions, &c.code);
    for s in &sessions {
        by_committee.entry(s.committee.to_string()).or_default();
    }
    let committees = public
        .committees
        .iter()
        .filter_map(|pc| {
            let n = *by_committee.get(pc.code.as_str())?;
            Some(CommitteeConcerned {
                code: pc.code.to_string(),
                name: view.text(&pc.name),
                href: view.href(&Route::committee(&pc.code).path()),
                cases: view.plural("cases_count", n),
            })
        })
        .collect();
    let mut mechanisms: Vec<MechanismRow> = cases()
        .flat_map(|case| case.mechanism_refs.iter().map(move |r| (case, r)))
        .map(|(case, r)| MechanismRow {
            kind: mechanism_label(view, r.kind),
            reference: r.reference.clone(),
            paragraph: r.paragraph.clone(),
            url: r.url.clone(),
            date: r.date.map(|d| view.date(d)),
            case: Link {
                href: view.case_href(case.id.as_str()),
                label: view.text(&case.title),
            },
        })
        .collect();
    mechanisms.sort_by(|a, b| a.reference.cmp(&b.reference));
    let referrals = public
        .referrals
        .iter()
        .filter(|r| r.urgent || r.regions.contains(&c.region))
        .map(|r| referral(view, r))
        .collect();
    let sessions = sessions
        .into_iter()
        .map(|s| session_view(view, s, true))
        .collect();
    AboutTheCountry {
        letters,
        committees,
        sessions,
        referrals,
        mechanisms,
    }
}

pub(crate) fn mechanism_label(view: &View, kind: MechanismKind) -> String {
    view.t(&format!("mechanism_{}", kind.name()))
}

/// The old browse address of a State's cases (`/cases/country/<iso3>/`) shows the country
/// page itself, pointing to its new address: no redirect to follow (a meta refresh is a
/// navigation assistive technology and the browser tests cannot wait for, and a script would
/// leave Tor Browser at "Safest" behind), old links and bookmarks keep working, and search
/// engines are told the one address to keep (`rel=canonical`; the sitemap lists only that).
pub(crate) fn alias(
    view: &View,
    rows: &CaseRows,
    value: usize,
    page_number: usize,
) -> Result<PageContent, Problem> {
    let (country, new_path) = alias_target(view.site, value, page_number);
    let mut content = page(view, rows, country, page_number)?;
    content.data.insert("moved_to", &view.href(&new_path));
    Ok(content)
}

/// The country (an index into the vocabulary) and the new address of an old browse page.
pub(crate) fn alias_target(site: &RenderSite, value: usize, page_number: usize) -> (usize, String) {
    let key = &site.listings.group(Facet::Country).values[value].key;
    let country = site
        .public
        .vocab
        .countries
        .iter()
        .position(|c| &c.code.slug() == key)
        .expect("a browse value is a known country");
    let new_path = Route::country(&site.public.vocab.countries[country].code)
        .page(page_number)
        .path();
    (country, new_path)
}
