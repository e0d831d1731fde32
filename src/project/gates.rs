//! Every publication rule of the data model, each decided here and nowhere else: whether a
//! case may appear (publish, consent, review, the build date), which consent scopes are granted,
//! whether an action or a letter is public, which records are quarantined because of their
//! errors, and what the review gate requires.
//!
//! The projection, the lint, the link check and the leak scan's withheld set all ask these
//! functions, so a rule changed here changes what every one of them sees. A new rule (anything
//! that withholds) belongs in this file.

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::diagnostics::{Problem, Problems, SourceFile};
use crate::load::Inputs;
use crate::memo::FileMemo;
use crate::model::Record;
use crate::model::case::{Action, Case, ConsentScope, Correspondence, LetterMode};
use crate::model::date::Date;
use crate::model::ids::TermId;
use crate::model::session::Visit;
use crate::model::vocab::VocabKind;
use crate::period::{Period, PeriodStart};

/// Why a case is not on the site.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Hidden {
    /// `publish = false` (or no `publish` at all).
    Unpublished,
    /// No `[consent]`, or `given = false`.
    NoConsent,
    /// `consent.withdrawn` is set.
    Withdrawn,
    /// `review.approved` is missing or after the build date.
    NotApproved,
    /// `date_reported` is after the build date.
    NotYetReported,
}

impl Hidden {
    /// How the reason reads after a case id: "2024-007 is withdrawn".
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Hidden::Unpublished => "has publish = false",
            Hidden::NoConsent => "has no consent given",
            Hidden::Withdrawn => "is withdrawn",
            Hidden::NotApproved => "is not approved for publication",
            Hidden::NotYetReported => "is reported after the build date",
        }
    }
}

/// Why `case` is not published on `build_date`, or `None` if it is (quarantine aside).
pub(crate) fn why_hidden(case: &Case, build_date: Date) -> Option<Hidden> {
    let consent = case.consent.as_ref().map(|c| c.get_ref());
    if !*case.publish.get_ref() {
        return Some(Hidden::Unpublished);
    }
    match consent {
        None => return Some(Hidden::NoConsent),
        Some(c) if c.withdrawn.is_some() => return Some(Hidden::Withdrawn),
        Some(c) if !c.given => return Some(Hidden::NoConsent),
        Some(_) => {}
    }
    if case.date_reported > build_date {
        return Some(Hidden::NotYetReported);
    }
    let approved = case
        .review
        .as_ref()
        .and_then(|r| r.get_ref().approved.as_ref())
        .map(|d| *d.get_ref());
    if approved.is_none_or(|day| day > build_date) {
        return Some(Hidden::NotApproved);
    }
    None
}

/// Whether a case may appear at all on `build_date` (quarantine aside: see `Quarantine`).
pub(crate) fn case_published(case: &Case, build_date: Date) -> bool {
    why_hidden(case, build_date).is_none()
}

/// Whether the person consented to publish this part of a published case (name, gender, age
/// group, perpetrators). Says nothing about whether the case itself is published.
pub(crate) fn scope_granted(case: &Case, scope: ConsentScope) -> bool {
    case.scopes().any(|s| s == scope)
}

/// Whether the consent gates let a case through: what the review gate and the checks for
/// half-written text are then asked about.
pub(crate) fn wants_publication(case: &Case) -> bool {
    let consent = case.consent.as_ref().map(|c| c.get_ref());
    *case.publish.get_ref() && consent.is_some_and(|c| c.given && c.withdrawn.is_none())
}

/// Whether an action may be described on the site: `public = true`, and taken by the build date.
pub(crate) fn action_public(action: &Action, build_date: Date) -> bool {
    action.public && action_happened(action, build_date)
}

/// Whether an action has been taken by the build date (and may be counted at all).
pub(crate) fn action_happened(action: &Action, build_date: Date) -> bool {
    action.date <= build_date
}

/// The day a letter's embargo ends: `publish_after`, else its deadline, and never before the
/// letter was sent; `None` when the letter is withheld or has neither date, and so is never
/// published.
pub(crate) fn letter_embargo_ends(letter: &Correspondence) -> Option<Date> {
    if letter.mode == LetterMode::Withheld {
        return None;
    }
    letter
        .publish_after
        .or(letter.deadline.as_ref().map(|d| *d.get_ref()))
        .map(|day| day.max(letter.date))
}

/// Whether a letter is released on `build_date`: its embargo has ended by that day.
pub(crate) fn letter_released(letter: &Correspondence, build_date: Date) -> bool {
    letter_embargo_ends(letter).is_some_and(|day| build_date >= day)
}

/// Case and focal-point records withheld because they have errors: the rest of the site is
/// built without them, and `build` says so with its own exit code.
#[derive(Clone, Debug, Default)]
pub struct Quarantine {
    files: BTreeSet<String>,
    /// The errors (and warnings) of the quarantined files, for the report.
    pub problems: Problems,
}

impl Quarantine {
    /// Only records may be quarantined: everything else every page needs.
    pub fn can_hold(file: &str) -> bool {
        file.starts_with("public-data/cases/") || file.starts_with("public-data/focal-points/")
    }

    /// Takes every problem of a record file that has an error out of `problems`.
    pub fn split(problems: Problems) -> (Quarantine, Problems) {
        let files: BTreeSet<String> = problems
            .iter()
            .filter(|p| p.is_error())
            .filter_map(|p| p.file.as_ref().map(|f| f.name.clone()))
            .filter(|name| Self::can_hold(name))
            .collect();
        let mut held = Problems::default();
        let mut rest = Problems::default();
        for problem in problems {
            let in_held = problem
                .file
                .as_ref()
                .is_some_and(|f| files.contains(&f.name));
            if in_held {
                held.push(problem);
            } else {
                rest.push(problem);
            }
        }
        (
            Quarantine {
                files,
                problems: held,
            },
            rest,
        )
    }

    /// Whether the record read from `file` (its name as shown to users) is withheld.
    pub fn holds(&self, file: &str) -> bool {
        self.files.contains(file)
    }

    /// The quarantined files, sorted.
    pub fn files(&self) -> impl Iterator<Item = &str> {
        self.files.iter().map(String::as_str)
    }

    /// How many records are withheld.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether no record is withheld.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// The review gate and the build-date rules, for every case.
pub(crate) fn review_problems(
    inputs: &Inputs,
    build_date: Date,
    kept: Option<&mut FileMemo<Problems>>,
) -> Problems {
    // A case's review reads its record, the build date and the vocabularies (which statuses
    // may be published, which terms are special categories), all of which a case's projection
    // reads too: an edit to the build date, settings or vocabularies checks every case again.
    let salt = super::projection_salt(inputs, build_date);
    // Case by case in parallel (`serve` checks every case on each edit), in file order.
    let per_case = FileMemo::check_each(kept, salt, &inputs.cases, |record| {
        let mut problems = Problems::default();
        check_dates(record, build_date, &mut problems);
        if wants_publication(&record.value) {
            check_review(record, inputs, &mut problems);
        }
        problems
    });
    let mut problems = Problems::default();
    for case_problems in per_case {
        problems.extend(case_problems);
    }
    problems
}

fn check_dates(record: &Record<Case>, build_date: Date, problems: &mut Problems) {
    let Record { file, value: case } = record;
    // Further ahead than a year after the build date is taken for a typo.
    let limit = build_date.add_years(1);
    let mut dates: Vec<(&str, Date)> = vec![("date_reported", case.date_reported)];
    if let Some(consent) = &case.consent {
        dates.extend(consent.get_ref().date.map(|d| ("consent.date", d)));
    }
    if let Some(review) = &case.review {
        let review = review.get_ref();
        dates.extend(review.assessed.map(|d| ("review.assessed", d)));
        dates.extend(
            review
                .approved
                .as_ref()
                .map(|d| ("review.approved", *d.get_ref())),
        );
    }
    dates.extend(case.actions.iter().map(|a| ("actions.date", a.date)));
    dates.extend(
        case.correspondence
            .iter()
            .map(|l| ("correspondence.date", l.date)),
    );
    for (field, date) in dates {
        if date > limit {
            let file = &file.reread();
            let span = find_date(file, date);
            problems.push(
                Problem::error(format!(
                    "{field} {date} is more than a year after the build date {build_date}"
                ))
                .at(file, span)
                .label("too far ahead")
                .help("check the year: a date after the build date is not yet public, and one this far ahead is almost certainly a typo"),
            );
        }
    }
}

/// Dates are not spanned in the model; the first place the text appears is close enough.
/// `file` holds its text (a released file is read again first).
fn find_date(file: &Arc<SourceFile>, date: Date) -> std::ops::Range<usize> {
    let text = date.to_string();
    file.text
        .find(&text)
        .map(|i| i..i + text.len())
        .unwrap_or(0..0)
}

fn check_review(record: &Record<Case>, inputs: &Inputs, problems: &mut Problems) {
    let Record { file, value: case } = record;
    let review = case.review.as_ref();
    let approved = review.and_then(|r| r.get_ref().approved.as_ref());
    match approved {
        None => problems.push(
            Problem::error("`publish = true` needs `review.approved`")
                .at(file, case.publish.span())
                .label("not approved for publication")
                .help(
                    "once the allegation is assessed and publication approved, add\n[review]\nassessed = YYYY-MM-DD\napproved = YYYY-MM-DD\n(or set publish = false until then)",
                ),
        ),
        Some(day) => {
            let consent_date = case.consent.as_ref().and_then(|c| c.get_ref().date);
            match consent_date {
                None => problems.push(
                    Problem::error("publication is approved but `consent.date` is missing")
                        .at(file, day.span())
                        .help("add the day the person gave consent: consent.date = YYYY-MM-DD"),
                ),
                Some(consented) if *day.get_ref() < consented => problems.push(
                    Problem::error(format!(
                        "review.approved {} is before consent.date {consented}",
                        day.get_ref()
                    ))
                    .at(file, day.span())
                    .label("approved before consent was given")
                    .help("publication can only be approved after the person consented: correct the date or review again"),
                ),
                Some(_) => {}
            }
        }
    }
    let status = case.status.get_ref();
    if inputs
        .vocab
        .term(VocabKind::Statuses, status.as_str())
        .is_some_and(|t| !t.publishable)
    {
        problems.push(
            Problem::error(format!("a case in status `{status}` cannot be published"))
                .at(file, case.status.span())
                .label("publishable = false in public-data/vocab/statuses.toml")
                .help("set publish = false until the allegation is assessed, or change the status"),
        );
    }
    let special: Vec<&TermId> = special_categories(case, inputs);
    let safeguarding = review.and_then(|r| r.get_ref().safeguarding.as_ref());
    if let (Some(first), None) = (special.first(), safeguarding) {
        let names: Vec<String> = special.iter().map(|t| format!("`{t}`")).collect();
        problems.push(
            Problem::error(format!(
                "{} is a special category: publishing needs `review.safeguarding`",
                names.join(", ")
            ))
            .at(file, span_of_term(case, first))
            .label("special_category = true in public-data/vocab/")
            .help("write in [review] why publicity is safe for this person: safeguarding = \"...\" (never published), or set publish = false"),
        );
    }
}

/// The profile, age group and context terms of a case that the vocabularies mark special.
fn special_categories<'a>(case: &'a Case, inputs: &Inputs) -> Vec<&'a TermId> {
    let special = |kind: VocabKind, id: &TermId| {
        inputs
            .vocab
            .term(kind, id.as_str())
            .is_some_and(|t| t.special_category)
    };
    let profiles = case
        .victim
        .profile
        .iter()
        .map(|t| (VocabKind::VictimProfiles, t.get_ref()));
    let age = case
        .victim
        .age_group
        .iter()
        .map(|t| (VocabKind::AgeGroups, t.get_ref()));
    let contexts = case
        .context
        .iter()
        .map(|t| (VocabKind::Contexts, t.get_ref()));
    profiles
        .chain(age)
        .chain(contexts)
        .filter(|(kind, id)| special(*kind, id))
        .map(|(_, id)| id)
        .collect()
}

fn span_of_term(case: &Case, term: &TermId) -> std::ops::Range<usize> {
    case.victim
        .profile
        .iter()
        .chain(case.victim.age_group.iter())
        .chain(case.context.iter())
        .find(|t| t.get_ref() == term)
        .map(|t| t.span())
        .unwrap_or(0..0)
}

/// A case that is not published but may be previewed by the webmaster (`serve --drafts`):
/// unpublished or waiting for consent, never one whose consent was withdrawn.
pub(crate) fn case_draft(case: &Case, build_date: Date) -> bool {
    let withdrawn = case
        .consent
        .as_ref()
        .is_some_and(|c| c.get_ref().withdrawn.is_some());
    !case_published(case, build_date) && !withdrawn
}

/// Who a projection is for, and so which cases it shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Audience {
    /// The public: what `build` writes.
    Public,
    /// The webmaster previewing drafts in memory (`serve --drafts`); never written to disk.
    DraftPreview,
}

impl Audience {
    /// Quarantined records are shown to no one, drafts only in a draft preview.
    pub(crate) fn shows(
        self,
        record: &Record<Case>,
        build_date: Date,
        quarantine: &Quarantine,
    ) -> bool {
        if quarantine.holds(&record.file.name) {
            return false;
        }
        let case = &record.value;
        case_published(case, build_date)
            || (self == Audience::DraftPreview && case_draft(case, build_date))
    }
}

/// Why a case is not published, for `status`: whether it is marked `publish = true` (so only
/// consent holds it back), and the state of its consent. `None` when it is published.
pub(crate) fn not_published_because(case: &Case, build_date: Date) -> Option<(bool, String)> {
    if case_published(case, build_date) {
        return None;
    }
    let consent = match case.consent.as_ref().map(|c| c.get_ref()) {
        None => "no consent recorded".to_owned(),
        Some(c) => match c.withdrawn {
            Some(day) => format!("consent withdrawn on {day}: hidden everywhere"),
            None if !c.given => "consent not given".to_owned(),
            None => "consent given".to_owned(),
        },
    };
    let why = match why_hidden(case, build_date) {
        Some(Hidden::NotApproved) => format!("{consent}; waiting for review (review.approved)"),
        Some(Hidden::NotYetReported) => format!("{consent}; reported after the build date"),
        _ => consent,
    };
    Some((*case.publish.get_ref(), why))
}

/// Whether a committee's country visit may be announced: only once the committee has made it
/// public (`public = true`); until then it appears nowhere.
pub(crate) fn visit_public(visit: &Visit) -> bool {
    visit.public
}

// Counting without publishing (issue 14 item 3, issue 17 item 5).

/// Whether a reporting period is over on `build_date`: only then are its counts of things
/// that are never published case by case shown, so that two builds a day apart cannot be
/// compared to learn about the one case added in between.
pub(crate) fn period_closed(period: Period, build_date: Date) -> bool {
    period.last_day() < build_date
}

/// The closed reporting period in which publication of a published case was approved: the
/// only period whose gender, age group and perpetrator counts include the case. `None` while
/// that period is still open (or without an approval date).
pub(crate) fn aggregate_period(
    case: &Case,
    start: PeriodStart,
    build_date: Date,
) -> Option<Period> {
    let approved = *case.review.as_ref()?.get_ref().approved.as_ref()?.get_ref();
    let period = start.period_of(approved);
    period_closed(period, build_date).then_some(period)
}

/// Whether an unpublished case is counted among the "allegations received" on `build_date`
/// (quarantine aside: see `record_counted_in_statistics`). The rule, conservative on purpose:
/// - `publish = false` and `statistics = true`: a published case is counted anyway;
/// - consent given and not withdrawn: being counted is a use of what the person entrusted, so
///   it needs the same consent as publication (never the scopes: gender, age group and
///   perpetrators of such a case are never counted);
/// - reported by the build date, and the reporting period it was reported in is over: counts
///   of unpublished cases never change between two builds of one open period.
pub(crate) fn counted_in_statistics(case: &Case, start: PeriodStart, build_date: Date) -> bool {
    let consent = case.consent.as_ref().map(|c| c.get_ref());
    !*case.publish.get_ref()
        && *case.statistics.get_ref()
        && consent.is_some_and(|c| c.given && c.withdrawn.is_none())
        && case.date_reported <= build_date
        && period_closed(start.period_of(case.date_reported), build_date)
}

/// `counted_in_statistics`, and the record has no error.
pub(crate) fn record_counted_in_statistics(
    record: &Record<Case>,
    start: PeriodStart,
    build_date: Date,
    quarantine: &Quarantine,
) -> bool {
    !quarantine.holds(&record.file.name) && counted_in_statistics(&record.value, start, build_date)
}
