//! The trends page: figures over all published cases, each as an SVG chart and a table.

use serde::Serialize;
use tera::Context;

use crate::charts::{self, Bar, BarChart};
use crate::model::ids::TermId;
use crate::model::vocab::VocabKind;
use crate::public::AggregateCell;
use crate::stats::{self, letters};

use super::PageContent;
use crate::site::listing::Facet;
use crate::site::routes::Route;
use crate::site::views::{Text, View, display_count};

/// One line of a figure: a table row and a bar.
#[derive(Serialize)]
pub(super) struct FigureRow {
    /// A stable key (year, code, vocabulary id) for tests and styling.
    pub key: String,
    pub label: Text,
    /// Shorter label for the chart, where the table says more.
    #[serde(skip)]
    pub chart_label: String,
    pub href: Option<String>,
    /// As displayed: a localised number, "<3" or "withheld".
    pub value: String,
    /// The number, when it is shown.
    pub number: Option<u64>,
    /// "Allegations received" beside the public cases, as displayed, and its number when shown.
    pub received: Option<String>,
    pub received_number: Option<u64>,
}

#[derive(Serialize)]
pub(super) struct Figure {
    pub id: String,
    pub heading: String,
    pub lead: Option<String>,
    pub svg: String,
    pub caption: String,
    pub col_label: String,
    pub col_value: String,
    pub rows: Vec<FigureRow>,
    pub note: Option<String>,
    /// The heading of the "allegations received" column, when the figure has one.
    pub col_received: Option<String>,
}

#[derive(Serialize)]
struct Trends {
    intro: String,
    total: String,
    figures: Vec<Figure>,
    aggregates: super::trends_stats::AggregatesSection,
    series: Vec<super::trends_stats::Series>,
    reports_href: String,
    data_href: String,
}

pub(super) struct FigureSpec<'a> {
    pub id: &'a str,
    pub heading: String,
    pub col_label: String,
    pub note: Option<String>,
}

/// Builds a figure: the chart from the rows, then the rows again as the table.
pub(super) fn figure(view: &View, spec: FigureSpec, rows: Vec<FigureRow>) -> Figure {
    let bars: Vec<Bar> = rows
        .iter()
        .map(|r| Bar {
            label: r.chart_label.clone(),
            value: r.number,
            display: r.value.clone(),
        })
        .collect();
    let description = match rows
        .iter()
        .filter(|r| r.number.is_some_and(|n| n > 0))
        .max_by_key(|r| r.number)
    {
        Some(top) => view
            .t("chart_description")
            .replace("{label}", &top.chart_label)
            .replace("{value}", &top.value),
        None => view.t("chart_description_empty"),
    };
    let svg = charts::horizontal(&BarChart {
        id: &format!("chart-{}", spec.id),
        title: &spec.heading,
        description: &description,
        bars: &bars,
        rtl: view.lang.dir == "rtl",
    });
    Figure {
        id: spec.id.to_owned(),
        caption: spec.heading.clone(),
        heading: spec.heading,
        lead: None,
        svg,
        col_label: spec.col_label,
        col_value: view.t("col_cases"),
        rows,
        note: spec.note,
        col_received: None,
    }
}

fn count_row(view: &View, key: String, label: Text, href: Option<String>, n: usize) -> FigureRow {
    FigureRow {
        key,
        chart_label: label.text.clone(),
        label,
        href: href.filter(|_| n > 0),
        value: view.number(n),
        number: Some(n as u64),
        received: None,
        received_number: None,
    }
}

/// Rows for a vocabulary count, linked to the browse pages of `facet` where there is one.
fn term_rows(
    view: &View,
    kind: VocabKind,
    facet: Option<Facet>,
    counts: Vec<(TermId, usize)>,
) -> Vec<FigureRow> {
    counts
        .into_iter()
        .map(|(id, n)| {
            let label = view.term(kind, &id);
            let href = facet.map(|f| view.facet_link(f, id.as_str(), label.clone()).href);
            count_row(view, id.to_string(), label, href, n)
        })
        .collect()
}

/// Rows for an aggregate-only field, suppressed cells shown as "<3" or "withheld".
pub(super) fn aggregate_rows(
    view: &View,
    kind: VocabKind,
    cells: &[AggregateCell],
) -> Vec<FigureRow> {
    let min_cell = view.site.public.min_cell;
    cells
        .iter()
        .map(|cell| {
            let (key, label) = match &cell.term {
                Some(id) => (id.to_string(), view.term(kind, id)),
                None => ("not_recorded".to_owned(), view.raw(&view.t("not_recorded"))),
            };
            let (value, number) = display_count(view, cell.count, min_cell);
            FigureRow {
                key,
                chart_label: label.text.clone(),
                label,
                href: None,
                value,
                number,
                received: None,
                received_number: None,
            }
        })
        .collect()
}

pub(super) fn page(view: &View) -> PageContent {
    let public = view.site.public;
    let spec = |id: &'static str, heading: &str, col: &str, note: Option<&str>| FigureSpec {
        id,
        heading: view.t(heading),
        col_label: view.t(col),
        note: note.map(|n| {
            view.t(n)
                .replace("{min}", &view.number(public.min_cell as usize))
        }),
    };
    let several = Some("trends_note_several");
    let mut figures = Vec::new();

    let years = super::trends_stats::years(public)
        .into_iter()
        .map(|(y, n)| {
            let key = y.to_string();
            let href = view.href(&Route::browse(Facet::Year, y).path());
            count_row(view, key.clone(), view.raw(&key), Some(href), n)
        })
        .collect();
    let mut fig = figure(
        view,
        spec("year", "trends_by_year", "col_year", None),
        years,
    );
    super::trends_stats::add_received(view, &mut fig, &public.allegations.by_year, |k| {
        k.parse().ok()
    });
    figures.push(fig);

    let committees = stats::by_committee(public)
        .into_iter()
        .map(|(code, n)| {
            let name = view.committee_name(&code);
            let label = Text {
                text: format!("{code} – {}", name.text),
                ..name
            };
            let href = view.href(&Route::browse(Facet::Committee, code.slug()).path());
            let mut row = count_row(view, code.slug(), label, Some(href), n);
            row.chart_label = code.to_string();
            row
        })
        .collect();
    let mut fig = figure(
        view,
        spec("committee", "trends_by_committee", "col_committee", several),
        committees,
    );
    super::trends_stats::add_received(view, &mut fig, &public.allegations.by_committee, |k| {
        crate::model::ids::CommitteeCode::parse(&k.to_uppercase()).ok()
    });
    figures.push(fig);

    let regions = term_rows(
        view,
        VocabKind::Regions,
        Some(Facet::Region),
        stats::by_region(public),
    );
    let mut fig = figure(
        view,
        spec("region", "trends_by_region", "facet_region", None),
        regions,
    );
    super::trends_stats::add_received(view, &mut fig, &public.allegations.by_region, |k| {
        TermId::parse(k).ok()
    });
    figures.push(fig);

    let countries = stats::by_country(public)
        .into_iter()
        .map(|(code, n)| {
            let href = view.facet_href(Facet::Country, &code.slug());
            count_row(view, code.slug(), view.country(&code), Some(href), n)
        })
        .collect();
    figures.push(figure(
        view,
        spec("country", "trends_by_country", "col_country", None),
        countries,
    ));

    let types = term_rows(
        view,
        VocabKind::ReprisalTypes,
        Some(Facet::Type),
        stats::by_reprisal_type(public),
    );
    let mut fig = figure(
        view,
        spec("type", "trends_by_type", "facet_type", several),
        types,
    );
    super::trends_stats::add_received(view, &mut fig, &public.allegations.by_type, |k| {
        TermId::parse(k).ok()
    });
    figures.push(fig);

    let contexts = term_rows(view, VocabKind::Contexts, None, stats::by_context(public));
    figures.push(figure(
        view,
        spec("context", "trends_by_context", "context", several),
        contexts,
    ));

    let profiles = term_rows(
        view,
        VocabKind::VictimProfiles,
        None,
        stats::by_victim_profile(public),
    );
    figures.push(figure(
        view,
        spec("profile", "trends_by_profile", "col_profile", several),
        profiles,
    ));

    let statuses = term_rows(
        view,
        VocabKind::Statuses,
        Some(Facet::Status),
        stats::by_status(public),
    );
    figures.push(figure(
        view,
        spec("status", "trends_by_status", "facet_status", None),
        statuses,
    ));

    figures.push(letters_figure(view));

    let aggregates = super::trends_stats::aggregates(view);
    let data = Trends {
        intro: view.t("trends_intro"),
        total: view.plural("cases_count", public.cases.len()),
        figures,
        aggregates,
        series: super::trends_stats::series(view),
        reports_href: view.href("reports/"),
        data_href: view.href(&Route::Data.path()),
    };
    PageContent {
        template: "trends.html",
        title: view.t("trends_title"),
        section: "trends".into(),
        fallback: false,
        data: Context::from_serialize(&data).expect("serialisable"),
    }
}

/// Letters to the State by what became of them, with the share answered by the deadline.
fn letters_figure(view: &View) -> Figure {
    let public = view.site.public;
    let outcomes = letters::outcomes(public.cases.iter().map(|c| &**c), public.build_date);
    let (in_time, decided) = letters::answered_in_time(&outcomes);
    let rows = outcomes
        .iter()
        .map(|(o, n)| {
            let label = view.raw(&view.t(&format!("letter_outcome_{}", o.id())));
            count_row(view, o.id().to_owned(), label, None, *n)
        })
        .collect();
    let mut fig = figure(
        view,
        FigureSpec {
            id: "letters",
            heading: view.t("trends_letters"),
            col_label: view.t("col_outcome"),
            note: Some(view.t("trends_note_letters")),
        },
        rows,
    );
    fig.col_value = view.t("col_letters");
    fig.lead = Some(if decided == 0 {
        view.t("trends_letters_none")
    } else {
        view.plural("trends_letters_share", decided)
            .replace("{answered}", &view.number(in_time))
            .replace(
                "{percent}",
                &view.number(((in_time * 100) as f64 / decided as f64).round() as usize),
            )
    });
    fig
}
