//! Cases in a period in the shape of the annexes to the Secretary-General's annual report on
//! cooperation with the United Nations (A/HRC/..): grouped by country, new cases first, then
//! follow-up on cases from earlier periods that had public events in this one.
//!
//! Headings are in English, the language the report is drafted in; case text is in English
//! where the site has it, else in the site's default language.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::generate::CsvFile;
use crate::markdown::plain_text;
use crate::model::vocab::VocabKind;
use crate::output::Output;
use crate::period::DateRange;
use crate::public::PublicCase;
use crate::site::RenderSite;
use crate::site::routes::Route;
use crate::site::views::View;
use crate::stats::period_report::events_between;

/// Which annex a case belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Annex {
    /// Reported in the period.
    New,
    /// Reported earlier, with a public action or published letter in the period.
    FollowUp,
}

impl Annex {
    fn id(self) -> &'static str {
        match self {
            Annex::New => "new",
            Annex::FollowUp => "follow_up",
        }
    }
}

/// The annex of a case for `range`, if it belongs in the export at all.
pub fn annex(case: &PublicCase, range: DateRange) -> Option<Annex> {
    if range.contains(case.date_reported) {
        Some(Annex::New)
    } else if case.date_reported < range.first
        && !events_between(case, range.first, range.last).is_empty()
    {
        Some(Annex::FollowUp)
    } else {
        None
    }
}

pub fn files(site: &RenderSite, range: DateRange) -> Vec<Output> {
    let lang = site
        .langs
        .iter()
        .position(|l| l.code.as_str() == "en")
        .unwrap_or(0);
    let view = View::new(site, lang, "");
    // Annex, then country name, then date reported and id.
    let mut groups: BTreeMap<(Annex, String), Vec<&PublicCase>> = BTreeMap::new();
    for case in &site.public.cases {
        if let Some(annex) = annex(case, range) {
            let country = view.country(&case.country).text;
            groups.entry((annex, country)).or_default().push(case);
        }
    }
    for cases in groups.values_mut() {
        cases.sort_by(|a, b| {
            a.date_reported
                .cmp(&b.date_reported)
                .then_with(|| a.id.cmp(&b.id))
        });
    }
    let stem = format!("sg-report-{}--{}", range.first, range.last);
    vec![
        Output {
            path: format!("{stem}.md"),
            bytes: markdown(&view, range, &groups).into_bytes(),
        },
        Output {
            path: format!("{stem}.csv"),
            bytes: csv(&view, range, &groups),
        },
    ]
}

/// What happened in the period: "12 March 2025: meeting with the State (CAT)".
fn events(view: &View, case: &PublicCase, range: DateRange) -> Vec<String> {
    let mut out: Vec<(crate::model::date::Date, String)> = Vec::new();
    for a in case.actions.iter().filter(|a| range.contains(a.date)) {
        let mut text = format!(
            "{}: {} ({})",
            view.date(a.date),
            view.term(VocabKind::ActionKinds, &a.kind).text,
            a.committee
        );
        if let Some(note) = &a.note {
            let _ = write!(text, ". {}", view.text(note).text);
        }
        out.push((a.date, text));
    }
    for l in case
        .correspondence
        .iter()
        .filter(|l| range.contains(l.date))
    {
        let mut text = format!(
            "{}: {}",
            view.date(l.date),
            crate::site::reports::letter_kind(view, l.kind)
        );
        if let Some(symbol) = &l.symbol {
            let _ = write!(text, " {symbol}");
        }
        if let Some(summary) = &l.summary {
            let _ = write!(text, ". {}", view.text(summary).text);
        }
        if let Some(day) = l.no_reply_by {
            let _ = write!(text, ". No reply received by {}", view.date(day));
        }
        out.push((l.date, text));
    }
    out.sort_by_key(|a| a.0);
    out.into_iter().map(|(_, t)| t).collect()
}

fn markdown(
    view: &View,
    range: DateRange,
    groups: &BTreeMap<(Annex, String), Vec<&PublicCase>>,
) -> String {
    use crate::generate::escape_markdown as esc;
    let public = view.site.public;
    let mut md = String::new();
    let _ = writeln!(
        md,
        "# Cases for the report of the Secretary-General on cooperation with the United Nations\n"
    );
    let _ = writeln!(
        md,
        "Period: {} to {}. Source: {} ({}), information as of {}. Public information only: \
         cases published with the consent of the people concerned; names, gender, age group and \
         alleged perpetrators only where they consented; letters only once their embargo ended.\n",
        view.date(range.first),
        view.date(range.last),
        esc(&view.text(&public.title).text),
        public.base_url,
        view.date(public.build_date),
    );
    for (annex, title) in [
        (
            Annex::New,
            "Annex I. Information on cases received in the period",
        ),
        (
            Annex::FollowUp,
            "Annex II. Follow-up information on cases from earlier periods",
        ),
    ] {
        let _ = writeln!(md, "## {title}\n");
        let mut any = false;
        for ((a, country), cases) in groups {
            if *a != annex {
                continue;
            }
            any = true;
            let _ = writeln!(md, "### {}\n", esc(country));
            for case in cases {
                write_case(&mut md, view, case, range);
            }
        }
        if !any {
            let _ = writeln!(md, "No cases.\n");
        }
    }
    md
}

fn write_case(md: &mut String, view: &View, case: &PublicCase, range: DateRange) {
    use crate::generate::escape_markdown as esc;
    let public = view.site.public;
    let types: Vec<String> = case
        .reprisal_types
        .iter()
        .map(|t| view.term(VocabKind::ReprisalTypes, t).text)
        .collect();
    let committees: Vec<String> = case.committees.iter().map(|c| c.to_string()).collect();
    let _ = writeln!(
        md,
        "- **{}** (case {}; {}). Reported on {}. {}. Status: {}. <{}{}>\n",
        esc(&view.text(&case.title).text),
        case.id,
        committees.join(", "),
        view.date(case.date_reported),
        esc(&types.join("; ")),
        esc(&view.term(VocabKind::Statuses, &case.status).text),
        public.base_url,
        Route::case(&case.id).path(),
    );
    let summary = case.summary.pick(&view.lang.code, &public.default_lang);
    let _ = writeln!(md, "  {}\n", esc(&plain_text(summary.text)));
    let events = events(view, case, range);
    if !events.is_empty() {
        let _ = writeln!(md, "  In the period:\n");
        for e in events {
            let _ = writeln!(md, "  - {}", esc(&e));
        }
        md.push('\n');
    }
    if case.undisclosed_actions > 0 {
        let _ = writeln!(
            md,
            "  Further actions in this case, all periods, not described to protect the people concerned: {}.\n",
            case.undisclosed_actions
        );
    }
}

fn csv(
    view: &View,
    range: DateRange,
    groups: &BTreeMap<(Annex, String), Vec<&PublicCase>>,
) -> Vec<u8> {
    let public = view.site.public;
    let mut file = CsvFile::new(&[
        "annex",
        "country",
        "country_name",
        "case_id",
        "url",
        "title",
        "committees",
        "date_reported",
        "reprisal_types",
        "status",
        "events_in_period",
        "undisclosed_actions",
        "summary",
    ]);
    for ((annex, country), cases) in groups {
        for case in cases {
            let summary = case.summary.pick(&view.lang.code, &public.default_lang);
            file.row(&[
                annex.id().to_owned(),
                case.country.to_string(),
                country.clone(),
                case.id.to_string(),
                format!("{}{}", public.base_url, Route::case(&case.id).path()),
                view.text(&case.title).text,
                case.committees
                    .iter()
                    .map(|c| c.to_string())
                    .collect::<Vec<_>>()
                    .join(";"),
                case.date_reported.to_string(),
                case.reprisal_types
                    .iter()
                    .map(|t| t.to_string())
                    .collect::<Vec<_>>()
                    .join(";"),
                case.status.to_string(),
                events(view, case, range).join(" | "),
                case.undisclosed_actions.to_string(),
                plain_text(summary.text),
            ]);
        }
    }
    file.finish()
}
