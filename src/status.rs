//! `status`: today's agenda for the webmaster, from the same inputs and build date as `build`.
//!
//! It reads records that do not pass the checks too (they are what most needs attention), so
//! it works from what was loaded and the problems found, never from a finished projection. It
//! names fields, never their values: the report may be pasted into an e-mail or a ticket.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::diagnostics::Problems;
use crate::load::{self, Inputs};
use crate::model::case::{Case, ConsentScope, LetterKind, LetterMode};
use crate::model::date::Date;
use crate::model::focal_point::TermStatus;
use crate::project::gates;

/// A status that means the committee is waiting for the State to answer.
const AWAITING_STATE: &str = "awaiting_state_response";

/// Everything `status` reports, in the order it prints it.
#[derive(Debug, Serialize)]
pub struct Status {
    /// The day treated as today.
    pub build_date: Date,
    /// Records withheld because they have errors, with each error.
    pub quarantined: Vec<Quarantined>,
    /// Cases with `publish = false`.
    pub drafts: Vec<CaseNote>,
    /// Cases marked for publication that something still holds back (consent, review).
    pub waiting: Vec<CaseNote>,
    /// Letters on published cases that become public after the build date.
    pub embargoed_letters: Vec<Embargoed>,
    /// Deadlines for the State that passed while the case still waits for its reply.
    pub overdue: Vec<Overdue>,
    /// Focal-point terms ending within `term_warning_days` of the build date.
    pub terms_ending: Vec<TermEnding>,
    /// How many days ahead a term's end is reported.
    pub term_warning_days: i64,
    /// Committees with no focal point in office on the build date.
    pub vacancies: Vec<String>,
    /// Guidance translations that are missing or older than their source.
    pub translations: Translations,
    /// Per case, the fields kept off the site and the rule that keeps them off.
    pub withheld: Vec<CaseWithheld>,
}

/// A record withheld because of its errors.
#[derive(Debug, Serialize)]
pub struct Quarantined {
    /// Its file.
    pub file: String,
    /// Its errors, one line each.
    pub why: Vec<String>,
}

/// A case that is not published yet.
#[derive(Debug, Serialize)]
pub struct CaseNote {
    /// Its id.
    pub id: String,
    /// Its file.
    pub file: String,
    /// Why it is not public.
    pub why: String,
}

/// A letter that is not public yet.
#[derive(Debug, Serialize)]
pub struct Embargoed {
    /// The case it belongs to.
    pub case: String,
    /// `correspondence[2]`.
    pub letter: String,
    /// The letter's date.
    pub date: Date,
    /// When it becomes public.
    pub public_from: Date,
}

/// A letter whose reply deadline has passed with no reply.
#[derive(Debug, Serialize)]
pub struct Overdue {
    /// The case.
    pub case: String,
    /// The letter.
    pub letter: String,
    /// The reply deadline.
    pub deadline: Date,
    /// Days since the deadline.
    pub days_overdue: i64,
}

/// A focal point or rapporteur whose term ends soon.
#[derive(Debug, Serialize)]
pub struct TermEnding {
    /// The committee.
    pub committee: String,
    /// Its roster file.
    pub file: String,
    /// The role.
    pub role: String,
    /// Last day of the term.
    pub ends: Date,
    /// Days until then.
    pub days_left: i64,
}

/// Guidance translations to write or update.
#[derive(Debug, Serialize)]
pub struct Translations {
    /// How "older than its source" was decided: `git commit date` or `file modification time`.
    pub compared_by: &'static str,
    /// Language -> guidance pages with no translation.
    pub missing: BTreeMap<String, Vec<String>>,
    /// Language -> translations older than their source file.
    pub outdated: BTreeMap<String, Vec<String>>,
}

/// A published case with fields kept back.
#[derive(Debug, Serialize)]
pub struct CaseWithheld {
    /// The case id.
    pub id: String,
    /// The fields kept back.
    pub fields: Vec<WithheldField>,
}

/// One field kept back from a published case.
#[derive(Debug, Serialize)]
pub struct WithheldField {
    /// The field's name.
    pub field: String,
    /// The rule that keeps it back.
    pub rule: String,
}

/// Builds the agenda for the site in `root` on `build_date` (default: as `build` decides it).
/// `None` only when `site.toml` cannot be read.
pub fn status(
    root: &Path,
    build_date: Option<Date>,
    term_warning_days: i64,
) -> Result<Status, Problems> {
    let (inputs, mut problems) = load::load(root);
    let Some(inputs) = inputs else {
        return Err(problems);
    };
    problems.extend(crate::validate::validate(&inputs, None));
    let build_date = crate::build::resolve_build_date(build_date, &inputs);
    let quarantined = quarantined(&problems);
    let broken: Vec<&str> = quarantined.iter().map(|q| q.file.as_str()).collect();
    let cases: Vec<&Case> = inputs
        .cases
        .iter()
        .filter(|c| !broken.contains(&c.file.name.as_str()))
        .map(|c| &c.value)
        .collect();
    let file_of = |case: &Case| {
        inputs
            .cases
            .iter()
            .find(|c| std::ptr::eq(&c.value, case))
            .map(|c| c.file.name.clone())
            .unwrap_or_default()
    };
    let mut drafts = Vec::new();
    let mut waiting = Vec::new();
    for case in &cases {
        let note = |why: String| CaseNote {
            id: case.id.get_ref().as_str().to_owned(),
            file: file_of(case),
            why,
        };
        match gates::not_published_because(case, build_date) {
            Some((false, consent)) => drafts.push(note(format!("publish = false; {consent}"))),
            Some((true, consent)) => waiting.push(note(consent)),
            None => {}
        }
    }
    Ok(Status {
        build_date,
        quarantined,
        drafts,
        waiting,
        embargoed_letters: embargoed(&cases, build_date),
        overdue: overdue(&cases, build_date),
        terms_ending: terms_ending(&inputs, build_date, term_warning_days),
        term_warning_days,
        vacancies: vacancies(&inputs, build_date),
        translations: translations(&inputs),
        withheld: cases
            .iter()
            .map(|case| CaseWithheld {
                id: case.id.get_ref().as_str().to_owned(),
                fields: withheld_fields(case, build_date),
            })
            .filter(|c| !c.fields.is_empty())
            .collect(),
    })
}

/// Case and focal-point files with errors: the build withholds them (or stops on them).
fn quarantined(problems: &Problems) -> Vec<Quarantined> {
    let mut by_file: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for problem in problems.iter().filter(|p| p.is_error()) {
        let Some(file) = &problem.file else { continue };
        if !(file.name.starts_with("public-data/cases/")
            || file.name.starts_with("public-data/focal-points/"))
        {
            continue;
        }
        let message = problem.message.lines().next().unwrap_or("");
        let why = match &problem.span {
            Some(span) => format!("line {}: {message}", file.line_col(span.start).0),
            None => message.to_owned(),
        };
        by_file.entry(file.name.clone()).or_default().push(why);
    }
    by_file
        .into_iter()
        .map(|(file, why)| Quarantined { file, why })
        .collect()
}

fn embargoed(cases: &[&Case], build_date: Date) -> Vec<Embargoed> {
    let mut out = Vec::new();
    for case in cases
        .iter()
        .filter(|c| gates::case_published(c, build_date))
    {
        // A letter dated after the build date has not been sent yet, as far as this build knows.
        for (i, letter) in case.correspondence.iter().enumerate() {
            if letter.date > build_date {
                continue;
            }
            if let Some(day) = gates::letter_embargo_ends(letter).filter(|day| *day > build_date) {
                out.push(Embargoed {
                    case: case.id.get_ref().as_str().to_owned(),
                    letter: format!("correspondence[{i}]"),
                    date: letter.date,
                    public_from: day,
                });
            }
        }
    }
    out.sort_by_key(|e| e.public_from);
    out
}

fn overdue(cases: &[&Case], build_date: Date) -> Vec<Overdue> {
    let mut out = Vec::new();
    for case in cases
        .iter()
        .filter(|c| c.status.get_ref().as_str() == AWAITING_STATE)
    {
        for (i, letter) in case.correspondence.iter().enumerate() {
            if letter.kind == LetterKind::StateReply {
                continue;
            }
            let Some(deadline) = letter.deadline.as_ref().map(|d| *d.get_ref()) else {
                continue;
            };
            let answered = case
                .correspondence
                .iter()
                .any(|l| l.kind == LetterKind::StateReply && l.date >= letter.date);
            if deadline < build_date && !answered {
                out.push(Overdue {
                    case: case.id.get_ref().as_str().to_owned(),
                    letter: format!("correspondence[{i}]"),
                    deadline,
                    days_overdue: days_between(deadline, build_date),
                });
            }
        }
    }
    out.sort_by_key(|o| std::cmp::Reverse(o.days_overdue));
    out
}

fn terms_ending(inputs: &Inputs, build_date: Date, within: i64) -> Vec<TermEnding> {
    let mut out: Vec<TermEnding> = inputs
        .focal_points
        .iter()
        .filter_map(|record| {
            let fp = &record.value;
            let term = fp.term.get_ref();
            let ends = term.end?;
            let days_left = days_between(build_date, ends);
            (term.status_on(build_date) == TermStatus::Current && days_left <= within).then(|| {
                TermEnding {
                    committee: fp.committee.get_ref().as_str().to_owned(),
                    file: record.file.name.clone(),
                    role: serde_json::to_value(fp.role)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default(),
                    ends,
                    days_left,
                }
            })
        })
        .collect();
    out.sort_by_key(|t| t.ends);
    out
}

fn vacancies(inputs: &Inputs, build_date: Date) -> Vec<String> {
    inputs
        .committees
        .iter()
        .map(|c| c.value.code.get_ref().as_str())
        .filter(|code| {
            !inputs.focal_points.iter().any(|fp| {
                fp.value.committee.get_ref().as_str() == *code
                    && fp.value.term.get_ref().status_on(build_date) == TermStatus::Current
            })
        })
        .map(str::to_owned)
        .collect()
}

/// `a` to `b` in days (negative when `b` is earlier).
fn days_between(a: Date, b: Date) -> i64 {
    a.0.until(b.0)
        .map(|span| i64::from(span.get_days()))
        .unwrap_or(0)
}

/// Guidance pages: `content/<slug>.md` is the source, `content/<slug>.<lang>.md` a translation.
fn translations(inputs: &Inputs) -> Translations {
    let config = &inputs.config.value;
    let default = config.default_language();
    let mut by_slug: BTreeMap<&str, BTreeMap<&str, &str>> = BTreeMap::new();
    for file in &inputs.content {
        let Some(stem) = file
            .name
            .strip_prefix("content/")
            .and_then(|n| n.strip_suffix(".md"))
        else {
            continue;
        };
        let (slug, lang) = match stem.rsplit_once('.') {
            Some((slug, lang)) => (slug, lang),
            None => (stem, default.as_str()),
        };
        by_slug
            .entry(slug)
            .or_default()
            .insert(lang, file.name.as_str());
    }
    let dates = FileDates::new(&inputs.root);
    let mut missing: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut outdated: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for lang in config.languages().iter().filter(|l| **l != default) {
        for (slug, versions) in &by_slug {
            let Some(source) = versions.get(default.as_str()) else {
                continue;
            };
            match versions.get(lang.as_str()) {
                None => missing
                    .entry(lang.to_string())
                    .or_default()
                    .push(format!("content/{slug}.{lang}.md")),
                Some(translation) => {
                    if let (Some(t), Some(s)) = (dates.of(translation), dates.of(source)) {
                        if t < s {
                            outdated
                                .entry(lang.to_string())
                                .or_default()
                                .push(translation.to_string());
                        }
                    }
                }
            }
        }
    }
    Translations {
        compared_by: dates.method(),
        missing,
        outdated,
    }
}

/// When a file last changed: its last commit in a git repository, else its modification time
/// (seconds since 1970 either way).
struct FileDates<'a> {
    root: &'a Path,
    git: bool,
}

impl<'a> FileDates<'a> {
    fn new(root: &'a Path) -> Self {
        let git = std::process::Command::new("git")
            .arg("-C")
            .arg(root)
            .args(["rev-parse", "--is-inside-work-tree"])
            .output()
            .is_ok_and(|o| o.status.success() && o.stdout.starts_with(b"true"));
        FileDates { root, git }
    }

    fn method(&self) -> &'static str {
        if self.git {
            "git commit date"
        } else {
            "file modification time"
        }
    }

    fn of(&self, rel: &str) -> Option<i64> {
        if self.git {
            let out = std::process::Command::new("git")
                .arg("-C")
                .arg(self.root)
                .args(["log", "-1", "--format=%ct", "--"])
                .arg(rel)
                .output()
                .ok()?;
            // A file git does not know yet: its modification time is all there is.
            if let Ok(seconds) = String::from_utf8_lossy(&out.stdout).trim().parse() {
                return Some(seconds);
            }
        }
        let modified = std::fs::metadata(self.root.join(rel))
            .ok()?
            .modified()
            .ok()?;
        modified
            .duration_since(std::time::UNIX_EPOCH)
            .ok()
            .map(|d| d.as_secs() as i64)
    }
}

/// The fields of one case the site does not show, and why. Names only, never values.
pub fn withheld_fields(case: &Case, build_date: Date) -> Vec<WithheldField> {
    let mut out = Vec::new();
    let mut add = |field: String, rule: &str| {
        out.push(WithheldField {
            field,
            rule: rule.to_owned(),
        })
    };
    if let Some(private) = &case.private {
        for key in private.keys() {
            add(format!("private.{key}"), "private: never published");
        }
    }
    if !gates::case_published(case, build_date) {
        add(
            "the whole case".to_owned(),
            "not published (publish = false or no consent)",
        );
        return out;
    }
    let granted = |scope| gates::scope_granted(case, scope);
    let victim = &case.victim;
    if victim.name.is_some() && !granted(ConsentScope::Name) {
        add(
            "victim.name".to_owned(),
            "no consent scope \"name\": never published",
        );
    }
    if victim.gender.is_some() && !granted(ConsentScope::Gender) {
        add(
            "victim.gender".to_owned(),
            "no consent scope \"gender\": counted in totals only",
        );
    }
    if victim.age_group.is_some() && !granted(ConsentScope::AgeGroup) {
        add(
            "victim.age_group".to_owned(),
            "no consent scope \"age_group\": counted in totals only",
        );
    }
    if !case.perpetrators.is_empty() && !granted(ConsentScope::Perpetrators) {
        add(
            "perpetrators".to_owned(),
            "no consent scope \"perpetrators\": counted in totals only",
        );
    }
    for (i, action) in case.actions.iter().enumerate() {
        if !gates::action_public(action, build_date) {
            add(
                format!("actions[{i}]"),
                "public = false: counted, never described",
            );
        }
    }
    for (i, letter) in case.correspondence.iter().enumerate() {
        let field = format!("correspondence[{i}]");
        if letter.mode == LetterMode::Withheld {
            add(field, "mode = \"withheld\": never published");
            continue;
        }
        match gates::letter_embargo_ends(letter) {
            Some(day) if day > build_date => add(field, &format!("embargoed until {day}")),
            Some(_) => {}
            None => add(field, "no deadline or publish_after: not published"),
        }
    }
    out
}

impl Status {
    /// Counts for the summary line: (what, how many).
    pub fn counts(&self) -> Vec<(&'static str, usize)> {
        let translations = |m: &BTreeMap<String, Vec<String>>| m.values().map(Vec::len).sum();
        vec![
            ("quarantined", self.quarantined.len()),
            ("drafts", self.drafts.len()),
            ("waiting", self.waiting.len()),
            ("embargoed letters", self.embargoed_letters.len()),
            ("overdue", self.overdue.len()),
            ("terms ending", self.terms_ending.len()),
            ("vacancies", self.vacancies.len()),
            (
                "missing translations",
                translations(&self.translations.missing),
            ),
            (
                "outdated translations",
                translations(&self.translations.outdated),
            ),
        ]
    }

    /// The report as people read it on a terminal: one heading per section, one line per item.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let mut section = |title: String, lines: Vec<String>| {
            out.push_str(&title);
            out.push('\n');
            if lines.is_empty() {
                out.push_str("  none\n");
            }
            for line in lines {
                out.push_str(&format!("  {line}\n"));
            }
            out.push('\n');
        };
        section(
            format!(
                "Quarantined records (withheld because of errors): {}",
                self.quarantined.len()
            ),
            self.quarantined
                .iter()
                .flat_map(|q| {
                    std::iter::once(q.file.clone()).chain(q.why.iter().map(|w| format!("  {w}")))
                })
                .collect(),
        );
        let notes = |list: &[CaseNote]| -> Vec<String> {
            list.iter()
                .map(|n| format!("{} ({}): {}", n.id, n.file, n.why))
                .collect()
        };
        section(
            format!("Drafts (publish = false): {}", self.drafts.len()),
            notes(&self.drafts),
        );
        section(
            format!(
                "Marked for publication, held back for consent: {}",
                self.waiting.len()
            ),
            notes(&self.waiting),
        );
        section(
            format!("Letters under embargo: {}", self.embargoed_letters.len()),
            self.embargoed_letters
                .iter()
                .map(|e| {
                    format!(
                        "{} {} of {}: public from {}",
                        e.case, e.letter, e.date, e.public_from
                    )
                })
                .collect(),
        );
        section(
            format!(
                "Deadlines passed, still awaiting the State's response: {}",
                self.overdue.len()
            ),
            self.overdue
                .iter()
                .map(|o| {
                    format!(
                        "{} {}: deadline {} ({} days ago)",
                        o.case, o.letter, o.deadline, o.days_overdue
                    )
                })
                .collect(),
        );
        section(
            format!(
                "Focal-point terms ending within {} days: {}",
                self.term_warning_days,
                self.terms_ending.len()
            ),
            self.terms_ending
                .iter()
                .map(|t| {
                    format!(
                        "{} {} ends {} (in {} days): {}",
                        t.committee, t.role, t.ends, t.days_left, t.file
                    )
                })
                .collect(),
        );
        section(
            format!(
                "Committees with no focal point in office: {}",
                self.vacancies.len()
            ),
            if self.vacancies.is_empty() {
                Vec::new()
            } else {
                vec![self.vacancies.join(", ")]
            },
        );
        let mut lines = Vec::new();
        for (lang, files) in &self.translations.missing {
            lines.push(format!("{lang}: missing {}", files.join(", ")));
        }
        for (lang, files) in &self.translations.outdated {
            lines.push(format!(
                "{lang}: older than the source {}",
                files.join(", ")
            ));
        }
        section(
            format!(
                "Guidance translations (compared by {}):",
                self.translations.compared_by
            ),
            lines,
        );
        section(
            "Withheld fields per case (names only, never values):".to_owned(),
            self.withheld
                .iter()
                .flat_map(|c| {
                    std::iter::once(c.id.clone()).chain(
                        c.fields
                            .iter()
                            .map(|f| format!("  {}: {}", f.field, f.rule)),
                    )
                })
                .collect(),
        );
        out
    }
}
