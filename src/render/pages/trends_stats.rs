//! The parts of the trends page that count more than the public cases: "allegations received"
//! beside the public cases, the aggregate-only fields per closed reporting period, and the
//! time series of public cases per reprisal type and victim profile.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::ids::TermId;
use crate::model::vocab::VocabKind;
use crate::public::{Count, PublicCase, PublicSite};
use crate::site::reports::period_span;
use crate::site::views::{Text, View};
use crate::stats;

use super::trends::{Figure, FigureSpec, aggregate_rows, figure};
use crate::site::views::display_count;

/// Every year from the first to the last in which a case was reported, public or counted for
/// statistics only, with its public cases.
pub(crate) fn years(site: &PublicSite) -> Vec<(i16, usize)> {
    let public: BTreeMap<i16, usize> = stats::by_year(site).into_iter().collect();
    let first = public.keys().chain(site.allegations.by_year.keys()).min();
    let last = public.keys().chain(site.allegations.by_year.keys()).max();
    match (first, last) {
        (Some(&a), Some(&b)) => (a..=b)
            .map(|y| (y, public.get(&y).copied().unwrap_or(0)))
            .collect(),
        _ => Vec::new(),
    }
}

/// Adds the "allegations received" column to a figure whose row keys `key` reads back.
pub(crate) fn add_received<K: Ord>(
    view: &View,
    fig: &mut Figure,
    counts: &BTreeMap<K, Count>,
    key: impl Fn(&str) -> Option<K>,
) {
    let min_cell = view.site.public.min_cell;
    for row in &mut fig.rows {
        let count = key(&row.key)
            .and_then(|k| counts.get(&k).copied())
            .unwrap_or(Count::Shown(0));
        let (value, number) = display_count(view, count, min_cell);
        row.received = Some(value);
        row.received_number = number;
    }
    fig.col_received = Some(view.t("col_received"));
    let received = view
        .t("trends_note_received")
        .replace("{min}", &view.number(min_cell as usize));
    fig.note = Some(match fig.note.take() {
        Some(note) => format!("{note} {received}"),
        None => received,
    });
}

/// Gender, age group and perpetrators per closed reporting period, and what is said of the
/// period still open.
#[derive(Serialize)]
pub(crate) struct AggregatesSection {
    pub(crate) heading: String,
    pub(crate) intro: String,
    /// Why the current period shows nothing.
    pub(crate) open: String,
    pub(crate) none: Option<String>,
    pub(crate) figures: Vec<Figure>,
}

pub(crate) fn aggregates(view: &View) -> AggregatesSection {
    let public = view.site.public;
    let aggregates = &public.aggregates;
    let mut figures = Vec::new();
    for period in &aggregates.periods {
        let label = period_span(view, period.period);
        for (id, heading, col, kind, cells, note_key) in [
            (
                "gender",
                "trends_by_gender",
                "col_gender",
                VocabKind::Genders,
                &period.gender,
                "trends_note_suppressed",
            ),
            (
                "age-group",
                "trends_by_age_group",
                "col_age_group",
                VocabKind::AgeGroups,
                &period.age_group,
                "trends_note_suppressed",
            ),
            (
                "perpetrator",
                "trends_by_perpetrator",
                "col_perpetrator",
                VocabKind::Perpetrators,
                &period.perpetrators,
                "trends_note_suppressed_several",
            ),
        ] {
            let rows = aggregate_rows(view, kind, cells);
            let heading = view
                .t("trends_in_period")
                .replace("{heading}", &view.t(heading))
                .replace("{period}", &label);
            let spec = FigureSpec {
                id: &format!("{id}-{}", period.period.year),
                heading,
                col_label: view.t(col),
                note: Some(
                    view.t(note_key)
                        .replace("{min}", &view.number(public.min_cell as usize)),
                ),
            };
            figures.push(figure(view, spec, rows));
        }
    }
    AggregatesSection {
        heading: view.t("trends_aggregates_heading"),
        intro: view.t("trends_aggregates_intro"),
        open: view
            .t("trends_aggregates_open")
            .replace("{period}", &period_span(view, aggregates.open)),
        none: figures.is_empty().then(|| view.t("trends_aggregates_none")),
        figures,
    }
}

/// One row of a time series: a term and its public cases per year.
#[derive(Serialize)]
pub(crate) struct SeriesRow {
    pub(crate) key: String,
    pub(crate) label: Text,
    pub(crate) cells: Vec<SeriesCell>,
}

#[derive(Serialize)]
pub(crate) struct SeriesCell {
    pub(crate) value: String,
    pub(crate) number: usize,
}

/// Public cases per term and year reported, for every year with public cases.
#[derive(Serialize)]
pub(crate) struct Series {
    pub(crate) id: String,
    pub(crate) heading: String,
    pub(crate) col_label: String,
    pub(crate) years: Vec<String>,
    pub(crate) rows: Vec<SeriesRow>,
}

pub(crate) fn series(view: &View) -> Vec<Series> {
    let types = |c: &PublicCase| c.reprisal_types.clone();
    let profiles = |c: &PublicCase| c.victim.profile.clone();
    vec![
        one_series(
            view,
            "series-type",
            "trends_series_type",
            "facet_type",
            VocabKind::ReprisalTypes,
            &types,
        ),
        one_series(
            view,
            "series-profile",
            "trends_series_profile",
            "col_profile",
            VocabKind::VictimProfiles,
            &profiles,
        ),
    ]
}

fn one_series(
    view: &View,
    id: &str,
    heading: &str,
    col: &str,
    kind: VocabKind,
    values: &dyn Fn(&PublicCase) -> Vec<TermId>,
) -> Series {
    let public = view.site.public;
    let years: Vec<i16> = stats::by_year(public).into_iter().map(|(y, _)| y).collect();
    let mut counts: BTreeMap<(&TermId, i16), usize> = BTreeMap::new();
    let per_case: Vec<(i16, Vec<TermId>)> = public
        .cases
        .iter()
        .map(|c| {
            let mut v = values(c);
            v.sort();
            v.dedup();
            (c.year, v)
        })
        .collect();
    for (year, terms) in &per_case {
        for t in terms {
            *counts.entry((t, *year)).or_default() += 1;
        }
    }
    let rows = public
        .vocab
        .terms(kind)
        .iter()
        .map(|t| {
            let numbers: Vec<usize> = years
                .iter()
                .map(|y| counts.get(&(&t.id, *y)).copied().unwrap_or(0))
                .collect();
            SeriesRow {
                key: t.id.to_string(),
                label: view.term(kind, &t.id),
                cells: numbers
                    .iter()
                    .map(|n| SeriesCell {
                        value: view.number(*n),
                        number: *n,
                    })
                    .collect(),
            }
        })
        .filter(|r| r.cells.iter().any(|c| c.number > 0))
        .collect();
    Series {
        id: id.to_owned(),
        heading: view.t(heading),
        col_label: view.t(col),
        years: years.iter().map(|y| y.to_string()).collect(),
        rows,
    }
}
