//! Cases in a period in the shape of the annexes to the Secretary-General's annual report on
//! cooperation with the United Nations (A/HRC/..): grouped by country, new cases first, then
//! follow-up on cases from earlier periods that had public events in this one.
//!
//! Headings are in English, the language the report is drafted in; case text is in English
//! where the site has it, else in the site's default language.

use std::fmt::Write;

use crate::generate::CsvFile;
use crate::markdown::plain_text;
use crate::model::case::LetterKind;
use crate::model::vocab::VocabKind;
use crate::output::Output;
use crate::period::DateRange;
use crate::public::{PublicAction, PublicCase, PublicLetter};
use crate::site::reports::letter_kind;

use super::docx::{Paragraph, Run};
use crate::site::RenderSite;
use crate::site::routes::Route;
use crate::site::views::View;
use crate::stats::period_report::events_between;

/// Which annex a case belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Annex {
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
pub(super) fn annex(case: &PublicCase, range: DateRange) -> Option<Annex> {
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

/// One case as the annexes show it: every text already chosen, so Markdown, CSV and Word
/// say the same thing.
pub(super) struct Entry<'a> {
    pub annex: Annex,
    pub country: String,
    pub case: &'a PublicCase,
    pub title: String,
    /// Committee names, not codes: the report is read by people outside the treaty bodies.
    pub committees: Vec<String>,
    pub reported: String,
    pub types: Vec<String>,
    pub status: String,
    pub summary: String,
    /// What happened in the period, in date order, each event once.
    pub events: Vec<String>,
    /// Actions taken in the period but not described.
    pub undisclosed: usize,
    /// References in other UN mechanisms (Special Procedures, SG reports, ...).
    pub refs: Vec<String>,
    pub url: String,
}

/// Every case in the export, by annex, then country name, then date reported and id.
pub(super) fn entries<'s>(view: &View<'s, '_>, range: DateRange) -> Vec<Entry<'s>> {
    let public = view.site.public;
    let mut out: Vec<Entry> = public
        .cases
        .iter()
        .filter_map(|case| {
            let annex = annex(case, range)?;
            let summary = case.summary.pick(&view.lang.code, &public.default_lang);
            Some(Entry {
                annex,
                country: view.country(&case.country).text,
                case,
                title: view.text(&case.title).text,
                committees: case
                    .committees
                    .iter()
                    .map(|c| view.committee_name(c).text)
                    .collect(),
                reported: view.date(case.date_reported),
                types: case
                    .reprisal_types
                    .iter()
                    .map(|t| view.term(VocabKind::ReprisalTypes, t).text)
                    .collect(),
                status: view.term(VocabKind::Statuses, &case.status).text,
                summary: plain_text(summary.text),
                events: events(view, case, range),
                undisclosed: undisclosed_in(view, case, range),
                refs: mechanism_refs(case),
                url: format!("{}{}", public.base_url, Route::case(&case.id).path()),
            })
        })
        .collect();
    out.sort_by(|a, b| {
        (a.annex, &a.country, a.case.date_reported, &a.case.id).cmp(&(
            b.annex,
            &b.country,
            b.case.date_reported,
            &b.case.id,
        ))
    });
    out
}

pub(super) fn files(site: &RenderSite, range: DateRange) -> Vec<Output> {
    let lang = site
        .langs
        .iter()
        .position(|l| l.code.as_str() == "en")
        .unwrap_or(0);
    let view = View::new(site, lang, "");
    let entries = entries(&view, range);
    let stem = format!("sg-report-{}--{}", range.first, range.last);
    vec![
        Output {
            path: format!("{stem}.md"),
            bytes: markdown(&view, range, &entries).into_bytes(),
        },
        Output {
            path: format!("{stem}.csv"),
            bytes: csv(&entries, view.site.public.sample),
        },
        Output {
            path: format!("{stem}.docx"),
            bytes: super::docx::document(&word_paragraphs(&view, range, &entries)),
        },
    ]
}

/// `text` ending in one full stop (none added after `.`, `!`, `?` or `…`).
pub(super) fn sentence(text: &str) -> String {
    let text = text.trim();
    if text.is_empty() || text.ends_with(['.', '!', '?', '…']) {
        text.to_owned()
    } else {
        format!("{text}.")
    }
}

/// An action and a letter are one event when the action's reference is the letter's symbol,
/// or, without symbols, when the action sent that kind of letter on the letter's date.
fn same_event(action: &PublicAction, letter: &PublicLetter) -> bool {
    if let (Some(reference), Some(symbol)) = (&action.reference, &letter.symbol) {
        return reference == symbol;
    }
    let kind = action.kind.as_str();
    action.date == letter.date
        && match letter.kind {
            LetterKind::LetterToState => kind == "letter_to_state",
            LetterKind::Reminder => kind == "reminder_sent",
            LetterKind::FollowUp => kind == "follow_up_request",
            LetterKind::StateReply => false,
        }
}

/// What happened in the period, each event once: "12 March 2025: Letter to the State
/// CAT/OC/2025/1 (Committee against Torture). Summary."
fn events(view: &View, case: &PublicCase, range: DateRange) -> Vec<String> {
    let letters: Vec<&PublicLetter> = case
        .correspondence
        .iter()
        .filter(|l| range.contains(l.date))
        .collect();
    let mut out: Vec<(crate::model::date::Date, String)> = Vec::new();
    for a in case.actions.iter().filter(|a| range.contains(a.date)) {
        if letters.iter().any(|l| same_event(a, l)) {
            continue;
        }
        let mut text = format!(
            "{}: {} ({})",
            view.date(a.date),
            view.term(VocabKind::ActionKinds, &a.kind).text,
            view.committee_name(&a.committee).text
        );
        text = sentence(&text);
        if let Some(note) = &a.note {
            let _ = write!(text, " {}", sentence(&view.text(note).text));
        }
        out.push((a.date, text));
    }
    for l in letters {
        let mut text = format!("{}: {}", view.date(l.date), letter_kind(view, l.kind));
        if let Some(symbol) = &l.symbol {
            let _ = write!(text, " {symbol}");
        }
        if let Some(action) = case.actions.iter().find(|a| same_event(a, l)) {
            let _ = write!(text, " ({})", view.committee_name(&action.committee).text);
        }
        text = sentence(&text);
        if let Some(summary) = &l.summary {
            let _ = write!(text, " {}", sentence(&view.text(summary).text));
        }
        // Only what was known by the end of the period.
        if let Some(day) = l.no_reply_by.filter(|d| *d <= range.last) {
            let _ = write!(text, " No reply received by {}.", view.date(day));
        }
        out.push((l.date, text));
    }
    out.sort_by_key(|a| a.0);
    out.into_iter().map(|(_, t)| t).collect()
}

/// Undescribed actions taken in a reporting period of their committee that overlaps `range`.
fn undisclosed_in(view: &View, case: &PublicCase, range: DateRange) -> usize {
    case.undisclosed
        .iter()
        .filter(|u| {
            let start = view
                .site
                .public
                .committees
                .iter()
                .find(|c| c.code == u.committee)
                .map(|c| c.period_start)
                .unwrap_or_default();
            let period = start.period(u.period);
            period.first_day() <= range.last && range.first <= period.last_day()
        })
        .count()
}

fn intro(view: &View, range: DateRange) -> String {
    let public = view.site.public;
    format!(
        "Period: {} to {}. Source: {} ({}), information as of {}. Public information only: \
         cases published with the consent of the people concerned; names, gender, age group and \
         alleged perpetrators only where they consented; letters only once their embargo ended. \
         Events are those dated in the period; summaries and statuses are as published on {}.",
        view.date(range.first),
        view.date(range.last),
        view.text(&public.title).text,
        public.base_url,
        view.date(public.build_date),
        view.date(public.build_date),
    )
}

const TITLE: &str =
    "Cases for the report of the Secretary-General on cooperation with the United Nations";
const ANNEXES: [(Annex, &str); 2] = [
    (
        Annex::New,
        "Annex I. Information on cases received in the period",
    ),
    (
        Annex::FollowUp,
        "Annex II. Follow-up information on cases from earlier periods",
    ),
];

/// "**Title** (case 2024-003; Committee against Torture). Reported on 3 May 2024. Threats;
/// travel ban. Status as published: Action taken."
fn case_line(e: &Entry) -> (String, String) {
    let rest = format!(
        " (case {}; {}). Reported on {}. {} Status as published: {}",
        e.case.id,
        e.committees.join(", "),
        e.reported,
        sentence(&e.types.join("; ")),
        sentence(&e.status),
    );
    (e.title.clone(), rest)
}

fn markdown(view: &View, range: DateRange, entries: &[Entry]) -> String {
    use crate::generate::escape_markdown as esc;
    let mut md = String::new();
    if view.site.public.sample {
        let _ = writeln!(md, "{}\n", crate::generate::SAMPLE_NOTICE_MD);
    }
    let _ = writeln!(md, "# {TITLE}\n");
    let _ = writeln!(md, "{}\n", esc(&intro(view, range)));
    for (annex, title) in ANNEXES {
        let _ = writeln!(md, "## {title}\n");
        let mut country = None;
        let mut any = false;
        for e in entries.iter().filter(|e| e.annex == annex) {
            any = true;
            if country != Some(&e.country) {
                let _ = writeln!(md, "### {}\n", esc(&e.country));
                country = Some(&e.country);
            }
            let (title, rest) = case_line(e);
            let _ = writeln!(md, "- **{}**{} <{}>\n", esc(&title), esc(&rest), e.url);
            let _ = writeln!(md, "  {}\n", esc(&sentence(&e.summary)));
            if !e.refs.is_empty() {
                let _ = writeln!(
                    md,
                    "  Before other UN mechanisms: {}.\n",
                    esc(&e.refs.join("; "))
                );
            }
            if !e.events.is_empty() {
                let _ = writeln!(md, "  In the period:\n");
                for event in &e.events {
                    let _ = writeln!(md, "  - {}", esc(event));
                }
                md.push('\n');
            }
            if e.undisclosed > 0 {
                let _ = writeln!(
                    md,
                    "  Further actions in the period, not described to protect the people concerned: {}.\n",
                    e.undisclosed
                );
            }
        }
        if !any {
            let _ = writeln!(md, "No cases.\n");
        }
    }
    md
}

/// The same content as Word paragraphs.
fn word_paragraphs(view: &View, range: DateRange, entries: &[Entry]) -> Vec<Paragraph> {
    let mut out = Vec::new();
    if view.site.public.sample {
        out.push(Paragraph::text(
            "SAMPLE DATA: FICTIONAL. Every case, person and document symbol below is invented.",
        ));
    }
    out.extend([
        Paragraph::heading(1, TITLE),
        Paragraph::text(&intro(view, range)),
    ]);
    for (annex, title) in ANNEXES {
        out.push(Paragraph::heading(2, title));
        let mut country = None;
        let mut any = false;
        for e in entries.iter().filter(|e| e.annex == annex) {
            any = true;
            if country != Some(&e.country) {
                out.push(Paragraph::heading(3, &e.country));
                country = Some(&e.country);
            }
            let (title, rest) = case_line(e);
            out.push(Paragraph {
                style: None,
                indent: false,
                runs: vec![
                    Run::bold(&title),
                    Run::plain(&rest),
                    Run::plain(" "),
                    Run::plain(&e.url),
                ],
            });
            out.push(Paragraph::text(&sentence(&e.summary)).indented());
            if !e.refs.is_empty() {
                out.push(
                    Paragraph::text(&format!(
                        "Before other UN mechanisms: {}.",
                        e.refs.join("; ")
                    ))
                    .indented(),
                );
            }
            if !e.events.is_empty() {
                out.push(Paragraph::text("In the period:").indented());
                for event in &e.events {
                    out.push(Paragraph::text(&format!("\u{2013} {event}")).indented());
                }
            }
            if e.undisclosed > 0 {
                out.push(
                    Paragraph::text(&format!(
                        "Further actions in the period, not described to protect the people concerned: {}.",
                        e.undisclosed
                    ))
                    .indented(),
                );
            }
        }
        if !any {
            out.push(Paragraph::text("No cases."));
        }
    }
    out
}

fn csv(entries: &[Entry], sample: bool) -> Vec<u8> {
    let mut file = CsvFile::marked(
        &[
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
            "undisclosed_actions_in_period",
            "mechanism_refs",
            "summary",
        ],
        sample,
    );
    for e in entries {
        let case = e.case;
        file.row(&[
            e.annex.id().to_owned(),
            case.country.to_string(),
            e.country.clone(),
            case.id.to_string(),
            e.url.clone(),
            e.title.clone(),
            e.committees.join("; "),
            case.date_reported.to_string(),
            e.types.join("; "),
            e.status.clone(),
            e.events.join(" | "),
            e.undisclosed.to_string(),
            e.refs.join("; "),
            e.summary.clone(),
        ]);
    }
    file.finish()
}

/// "sg_report A/HRC/60/99, annex I, para. 41": how the report's drafters find the earlier entry.
fn mechanism_refs(case: &PublicCase) -> Vec<String> {
    case.mechanism_refs
        .iter()
        .map(|r| {
            let mut text = format!("{} {}", r.kind.name(), r.reference);
            if let Some(paragraph) = &r.paragraph {
                text = format!("{text}, {paragraph}");
            }
            text
        })
        .collect()
}
