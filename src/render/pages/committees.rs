//! The committees list and one page per committee: who to contact, the rules, its cases.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;
use tera::Context;

use crate::diagnostics::Problem;
use crate::model::committee::Endorsement;
use crate::public::PublicCommittee;
use crate::render::CaseRows;

use super::PageContent;
use crate::site::listing::Facet;
use crate::site::routes::Route;
use crate::site::views::{ContactView, FocalPointView, Text, View};

#[derive(Serialize)]
pub(super) struct CommitteeSummary {
    pub code: String,
    pub name: Text,
    pub treaty: Text,
    pub href: String,
    pub current: Vec<FocalPointView>,
    pub vacant: bool,
    pub secretariat: Vec<ContactView>,
    pub case_count: String,
}

pub(super) fn summary(view: &View, committee: &PublicCommittee) -> CommitteeSummary {
    let public = view.site.public;
    let cases = view
        .site
        .listings
        .group(Facet::Committee)
        .values
        .iter()
        .find(|v| v.key == committee.code.slug())
        .map_or(0, |v| v.cases.len());
    CommitteeSummary {
        code: committee.code.to_string(),
        name: view.text(&committee.name),
        treaty: view.text(&committee.treaty),
        href: view.href(&Route::committee(&committee.code).path()),
        current: committee
            .current
            .iter()
            .map(|&i| view.focal_point(&public.focal_points[i]))
            .collect(),
        vacant: committee.current.is_empty(),
        secretariat: committee.contact.iter().map(|c| view.contact(c)).collect(),
        case_count: view.plural("cases_count", cases),
    }
}

#[derive(Serialize)]
struct List {
    committees: Vec<CommitteeSummary>,
    practice: Vec<super::practice::PracticeRow>,
}

pub(super) fn list(view: &View) -> PageContent {
    let committees = view
        .site
        .public
        .committees
        .iter()
        .map(|c| summary(view, c))
        .collect();
    let practice = view
        .site
        .public
        .committees
        .iter()
        .map(|c| super::practice::row(view, c))
        .collect();
    PageContent {
        template: "committees.html",
        title: view.t("committees_title"),
        section: "committees".into(),
        fallback: false,
        data: Context::from_serialize(&List {
            committees,
            practice,
        })
        .expect("serialisable"),
    }
}

#[derive(Serialize)]
struct Provision {
    instrument: String,
    article: String,
    text: Text,
}

#[derive(Serialize)]
struct Document {
    symbol: String,
    title: Text,
    year: Option<u16>,
    url: Option<String>,
}

#[derive(Serialize)]
struct YearCount {
    year: String,
    count: usize,
    href: String,
}

#[derive(Serialize)]
struct One {
    committee: CommitteeSummary,
    web_page: Option<String>,
    factsheet_href: String,
    reprisals_page: Option<String>,
    sjg: Option<SymbolSentence>,
    past: Vec<FocalPointView>,
    upcoming: Vec<FocalPointView>,
    provisions: Vec<Provision>,
    documents: Vec<Document>,
    latest: Vec<Arc<str>>,
    all_cases_href: String,
    yearly: Vec<YearCount>,
    /// The latest annual report sections, and where the others are listed.
    reports: Vec<crate::site::reports::PeriodLink>,
    reports_href: String,
    sessions: Vec<super::sessions::SessionView>,
}

/// How many report periods a committee page lists before pointing to the full list.
const REPORT_PERIODS: usize = 5;

const LATEST: usize = 10;

/// The San José Guidelines' document symbol, which the endorsement sentences quote.
const SJG_SYMBOL: &str = "HRI/MC/2015/6";

/// A translated sentence split around a document symbol, so the template can keep the symbol
/// left to right inside right-to-left text.
#[derive(Serialize, Debug, PartialEq)]
struct SymbolSentence {
    before: String,
    symbol: String,
    after: String,
}

impl SymbolSentence {
    fn split(sentence: String, symbol: &str) -> SymbolSentence {
        match sentence.split_once(symbol) {
            Some((before, after)) => SymbolSentence {
                before: before.to_owned(),
                symbol: symbol.to_owned(),
                after: after.to_owned(),
            },
            None => SymbolSentence {
                before: sentence,
                symbol: String::new(),
                after: String::new(),
            },
        }
    }
}

pub(super) fn one(view: &View, rows: &CaseRows, index: usize) -> Result<PageContent, Problem> {
    let public = view.site.public;
    let c = &public.committees[index];
    let value = view
        .site
        .listings
        .group(Facet::Committee)
        .values
        .iter()
        .find(|v| v.key == c.code.slug());
    let case_indexes: &[u32] = value.map(|v| v.cases.as_slice()).unwrap_or(&[]);
    let mut by_year: BTreeMap<i16, usize> = BTreeMap::new();
    for &i in case_indexes {
        *by_year.entry(public.cases[i as usize].year).or_default() += 1;
    }
    let sjg = match c.sjg_endorsed {
        Endorsement::On(date) => Some(
            view.t("sjg_endorsed_on")
                .replace("{date}", &view.date(date)),
        ),
        Endorsement::Flag(true) => Some(view.t("sjg_endorsed")),
        Endorsement::Flag(false) => Some(view.t("sjg_not_endorsed")),
        Endorsement::Unknown => None,
    }
    .map(|sentence| SymbolSentence::split(sentence, SJG_SYMBOL));
    let data = One {
        committee: summary(view, c),
        web_page: c.web_page.clone(),
        factsheet_href: view.href(&Route::factsheet(&c.code).path()),
        reprisals_page: c.reprisals_page.clone(),
        sjg,
        past: c
            .past
            .iter()
            .map(|&i| view.focal_point(&public.focal_points[i]))
            .collect(),
        upcoming: c
            .upcoming
            .iter()
            .map(|&i| view.focal_point(&public.focal_points[i]))
            .collect(),
        provisions: c
            .reprisal_provisions
            .iter()
            .map(|p| Provision {
                instrument: p.instrument.clone(),
                article: p.article.clone(),
                text: view.text(&p.text),
            })
            .collect(),
        documents: c
            .policy_documents
            .iter()
            .map(|d| Document {
                symbol: d.symbol.clone(),
                title: view.text(&d.title),
                year: d.year,
                url: d.url.clone(),
            })
            .collect(),
        latest: rows.html(view, &case_indexes[..case_indexes.len().min(LATEST)])?,
        all_cases_href: view.href(&Route::browse(Facet::Committee, c.code.slug()).path()),
        yearly: by_year
            .into_iter()
            .rev()
            .map(|(year, count)| YearCount {
                year: year.to_string(),
                count,
                href: view.href(&Route::browse(Facet::Year, year).path()),
            })
            .collect(),
        reports: crate::site::reports::period_links(view, index, None)
            .into_iter()
            .take(REPORT_PERIODS)
            .collect(),
        reports_href: view.href(&format!("{}#reports-{}", Route::Reports.path(), c.code)),
        sessions: super::sessions::of_committee(view, &c.code)
            .into_iter()
            .map(|s| super::sessions::session_view(view, s, false))
            .collect(),
    };
    let name = view.text(&c.name);
    Ok(PageContent {
        template: "committee.html",
        title: format!("{} ({})", name.text, c.code),
        section: "committees".into(),
        fallback: name.fallback,
        data: Context::from_serialize(&data).expect("serialisable"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sentence_is_split_around_the_symbol() {
        let s = SymbolSentence::split("أقرّت اللجنة (HRI/MC/2015/6).".into(), SJG_SYMBOL);
        assert_eq!(s.before, "أقرّت اللجنة (");
        assert_eq!(s.symbol, "HRI/MC/2015/6");
        assert_eq!(s.after, ").");
    }

    #[test]
    fn a_sentence_without_the_symbol_stays_whole() {
        let s = SymbolSentence::split("No symbol here.".into(), SJG_SYMBOL);
        assert_eq!(s.before, "No symbol here.");
        assert!(s.symbol.is_empty() && s.after.is_empty());
    }
}
