//! Annual report sections: what a committee did in a reporting period, in a form a secretariat
//! can paste into its report. The report page (`render::pages::reports`) and `report.md`
//! (`generate::reports_md`) both draw this data.

use serde::Serialize;

use crate::model::case::LetterKind;
use crate::model::vocab::VocabKind;
use crate::period::Period;
use crate::public::PublicCase;
use crate::stats::letters;
use crate::stats::period_report::PeriodReport;

use super::routes::Route;
use super::views::{Text, View};

#[derive(Serialize)]
pub(crate) struct ReportCase {
    pub id: String,
    pub href: String,
    pub title: Text,
    pub country: Text,
    pub date: String,
    pub date_iso: String,
    pub types: Vec<Text>,
    pub status: Text,
}

#[derive(Serialize)]
pub(crate) struct ReportAction {
    pub date: String,
    pub date_iso: String,
    pub case_id: String,
    pub case_href: String,
    pub kind: Text,
    pub reference: Option<String>,
    pub note: Option<Text>,
}

#[derive(Serialize)]
pub(crate) struct ReportLetter {
    pub date: String,
    pub date_iso: String,
    pub case_id: String,
    pub case_href: String,
    pub kind: String,
    pub symbol: Option<String>,
    pub deadline: Option<String>,
    pub outcome: Option<String>,
    pub summary: Option<Text>,
}

/// Everything one report section says, display-ready, for the page and for `report.md`.
#[derive(Serialize)]
pub(crate) struct ReportData {
    pub code: String,
    pub committee: Text,
    pub heading: String,
    pub period: String,
    pub convention: String,
    pub summary: Vec<String>,
    pub received: Vec<ReportCase>,
    pub actions: Vec<ReportAction>,
    pub undisclosed: Option<String>,
    pub letters: Vec<ReportLetter>,
    pub follow_up: Vec<ReportCase>,
    pub other_periods: Vec<PeriodLink>,
    pub committee_href: String,
    pub markdown_href: String,
}

fn report_case(view: &View, case: &PublicCase) -> ReportCase {
    ReportCase {
        id: case.id.to_string(),
        href: view.case_href(case.id.as_str()),
        title: view.text(&case.title),
        country: view.country(&case.country),
        date: view.date(case.date_reported),
        date_iso: case.date_reported.to_string(),
        types: case
            .reprisal_types
            .iter()
            .map(|t| view.term(VocabKind::ReprisalTypes, t))
            .collect(),
        status: view.term(VocabKind::Statuses, &case.status),
    }
}

pub(crate) fn letter_kind(view: &View, kind: LetterKind) -> String {
    view.t(match kind {
        LetterKind::LetterToState => "letter_to_state",
        LetterKind::StateReply => "state_reply",
        LetterKind::Reminder => "reminder",
        LetterKind::FollowUp => "follow_up_letter",
    })
}

/// "1 May 2024 – 30 April 2025".
pub(crate) fn period_span(view: &View, period: Period) -> String {
    format!(
        "{} – {}",
        view.date(period.first_day()),
        view.date(period.last_day())
    )
}

#[derive(Serialize)]
pub(crate) struct PeriodLink {
    pub href: String,
    pub label: String,
    pub current: bool,
}

/// Links to a committee's report sections, newest first; `current` marks period `year`.
pub(crate) fn period_links(view: &View, committee: usize, year: Option<i16>) -> Vec<PeriodLink> {
    let code = &view.site.public.committees[committee].code;
    view.site
        .reports
        .periods(view.site.public, committee)
        .into_iter()
        .map(|p| PeriodLink {
            href: view.href(
                &Route::Report {
                    slug: code.slug(),
                    year: p.year,
                }
                .path(),
            ),
            label: p.label(),
            current: Some(p.year) == year,
        })
        .collect()
}

pub(crate) fn data(view: &View, committee: usize, year: i16) -> ReportData {
    let public = view.site.public;
    let c = &public.committees[committee];
    let period = c.period_start.period(year);
    let report: &PeriodReport = view.site.reports.get(committee, year);
    let count = |key: &str, n: usize| view.plural(key, n);
    let replies = report
        .letters
        .iter()
        .filter(|&&(i, j)| public.cases[i].correspondence[j].kind == LetterKind::StateReply)
        .count();
    let summary = vec![
        allegations_line(view, committee, period),
        count("report_received", report.received.len()),
        count("report_actions", report.actions.len() + report.undisclosed),
        count("report_letters", report.letters.len() - replies),
        count("report_replies", replies),
        count("report_follow_up", report.follow_up.len()),
    ];
    let name = view.text(&c.name);
    ReportData {
        code: c.code.to_string(),
        heading: view
            .t("report_heading")
            .replace("{committee}", c.code.as_str())
            // Isolated, so that "2024–2025" is not read backwards in right-to-left text.
            .replace("{period}", &format!("\u{2066}{}\u{2069}", period.label())),
        committee: name,
        period: period_span(view, period),
        convention: view
            .t("report_convention")
            .replace("{start}", &view.date(period.first_day())),
        summary,
        received: report
            .received
            .iter()
            .map(|&i| report_case(view, &public.cases[i]))
            .collect(),
        actions: report
            .actions
            .iter()
            .map(|&(i, j)| {
                let case = &public.cases[i];
                let a = &case.actions[j];
                ReportAction {
                    date: view.date(a.date),
                    date_iso: a.date.to_string(),
                    case_id: case.id.to_string(),
                    case_href: view.case_href(case.id.as_str()),
                    kind: view.term(VocabKind::ActionKinds, &a.kind),
                    reference: a.reference.clone(),
                    note: a.note.as_ref().map(|n| view.text(n)),
                }
            })
            .collect(),
        undisclosed: (report.undisclosed > 0)
            .then(|| view.plural("report_undisclosed", report.undisclosed)),
        letters: report
            .letters
            .iter()
            .map(|&(i, j)| {
                let case = &public.cases[i];
                let l = &case.correspondence[j];
                ReportLetter {
                    date: view.date(l.date),
                    date_iso: l.date.to_string(),
                    case_id: case.id.to_string(),
                    case_href: view.case_href(case.id.as_str()),
                    kind: letter_kind(view, l.kind),
                    symbol: l.symbol.clone(),
                    deadline: l.deadline.map(|d| view.date(d)),
                    outcome: letters::outcome(case, l, public.build_date)
                        .map(|o| view.t(&format!("letter_outcome_{}", o.id()))),
                    summary: l.summary.as_ref().map(|s| view.text(s)),
                }
            })
            .collect(),
        follow_up: report
            .follow_up
            .iter()
            .map(|&i| report_case(view, &public.cases[i]))
            .collect(),
        other_periods: period_links(view, committee, Some(year)),
        committee_href: view.href(&Route::committee(&c.code).path()),
        markdown_href: "report.md".to_owned(),
    }
}

/// "Allegations received: 7" (public cases and cases counted for statistics only, suppressed
/// like the trends page), and, while the period is open, that the latter are not counted yet.
fn allegations_line(view: &View, committee: usize, period: Period) -> String {
    let public = view.site.public;
    let key = (public.committees[committee].code.clone(), period.year);
    let count = public
        .allegations
        .by_report
        .get(&key)
        .copied()
        .unwrap_or(crate::public::Count::Shown(0));
    let (value, _) = super::views::display_count(view, count, public.min_cell);
    let line = view.t("report_allegations").replace("{value}", &value);
    if crate::project::gates::period_closed(period, public.build_date) {
        line
    } else {
        format!("{line} {}", view.t("report_allegations_open"))
    }
}
