//! Cross-record checks: every reference resolves, every id is unique, every date makes sense.
//!
//! Runs after loading and before projection; reports everything it finds, never just the first.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::ops::Range;
use std::sync::Arc;

use toml::Spanned;

use crate::diagnostics::{Problem, Problems, SourceFile, did_you_mean};
use crate::load::Inputs;
use crate::memo::FileMemo;
use crate::model::Record;
use crate::model::case::{Case, ConsentScope, LetterMode};
use crate::model::committee::{Contact, ContactKind};
use crate::model::ids::{LangCode, TermId, WebUrl};
use crate::model::localized::Localized;
use crate::model::vocab::VocabKind;

mod practice;
mod referrals;
mod sessions;

/// Everything a reference may point at, gathered once.
struct Known<'a> {
    committees: BTreeSet<&'a str>,
    countries: HashSet<&'a str>,
    cases: HashSet<&'a str>,
    terms: HashMap<VocabKind, Vec<&'a str>>,
    languages: Vec<LangCode>,
    default_lang: LangCode,
    files: HashSet<&'a str>,
}

impl Known<'_> {
    /// A hash of everything here, which is all a case's checks read besides the case itself.
    /// Every field is named, so that a field added must be hashed too.
    fn hash(&self) -> u64 {
        let Known {
            committees,
            countries,
            cases,
            terms,
            languages,
            default_lang,
            files,
        } = self;
        // A set's members come in no set order, so each is hashed alone and the hashes added:
        // the same set gives the same sum in any order, with no sort of 100,000 case ids.
        let unordered = |set: &HashSet<&str>| {
            let sum = set.iter().fold(0_u128, |sum, member| {
                sum.wrapping_add(xxhash_rust::xxh3::xxh3_128(member.as_bytes()))
            });
            format!("{}:{sum:x}", set.len())
        };
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        let mut part = |text: &str| {
            h.update(text.as_bytes());
            h.update(b"\0");
        };
        part(&committees.iter().copied().collect::<Vec<_>>().join("\n"));
        part(&unordered(countries));
        part(&unordered(cases));
        for kind in VocabKind::ALL {
            part(&terms.get(&kind).map(|t| t.join("\n")).unwrap_or_default());
        }
        for lang in languages {
            part(lang.as_str());
        }
        part(default_lang.as_str());
        part(&unordered(files));
        h.digest()
    }
}

/// Every check of this module. With `kept` (`serve`), a case file whose text and whose
/// known references are what they were at the last run gets the problems found then.
pub(crate) fn validate(inputs: &Inputs, kept: Option<&mut FileMemo<Problems>>) -> Problems {
    let mut problems = Problems::default();
    let known = Known {
        committees: inputs
            .committees
            .iter()
            .map(|c| c.value.code.get_ref().as_str())
            .collect(),
        countries: inputs
            .vocab
            .countries
            .iter()
            .map(|c| c.code.get_ref().as_str())
            .collect(),
        cases: inputs
            .cases
            .iter()
            .map(|c| c.value.id.get_ref().as_str())
            .collect(),
        terms: VocabKind::ALL
            .iter()
            .map(|k| {
                (
                    *k,
                    inputs
                        .vocab
                        .terms(*k)
                        .iter()
                        .map(|t| t.id.get_ref().as_str())
                        .collect(),
                )
            })
            .collect(),
        languages: inputs.config.value.languages(),
        default_lang: inputs.config.value.default_language(),
        files: inputs.files.iter().map(String::as_str).collect(),
    };
    check_config(inputs, &known, &mut problems);
    check_committees(inputs, &known, &mut problems);
    check_focal_points(inputs, &known, &mut problems);
    check_countries(inputs, &known, &mut problems);
    referrals::check(inputs, &known, &mut problems);
    sessions::check(inputs, &known, &mut problems);
    // Each case on its own in parallel (`serve` checks every record on each edit); the
    // problems come out in file order all the same.
    let per_case = FileMemo::check_each(kept, known.hash(), &inputs.cases, |case| {
        let mut problems = Problems::default();
        check_case(case, &known, &mut problems);
        problems
    });
    let mut seen_ids: HashMap<&str, &Arc<SourceFile>> = HashMap::new();
    for (case, case_problems) in inputs.cases.iter().zip(per_case) {
        let id = case.value.id.get_ref().as_str();
        if let Some(first) = seen_ids.insert(id, &case.file) {
            problems.push(
                Problem::error(format!("case id `{id}` is used twice"))
                    .at(&case.file, case.value.id.span())
                    .label("duplicate id")
                    .help(format!(
                        "{} already uses it; the next free id is {}",
                        first.name,
                        next_free_id(inputs, case.value.id.get_ref().year())
                    )),
            );
        }
        problems.extend(case_problems);
    }
    problems
}

/// The id after the highest one of `year` among the case ids and case file names, the same
/// one `new case` would take: `2024-013` when `2024-012` is the highest.
fn next_free_id(inputs: &Inputs, year: i16) -> String {
    let stems = inputs.cases.iter().filter_map(|c| {
        std::path::Path::new(&c.file.name)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
    });
    let ids = inputs
        .cases
        .iter()
        .map(|c| c.value.id.get_ref().as_str().to_owned());
    let highest = ids
        .chain(stems)
        .filter(|id| id.starts_with(&format!("{year}-")))
        .filter_map(|id| id.get(5..).and_then(|n| n.parse::<u32>().ok()))
        .max()
        .unwrap_or(0);
    format!("{year}-{:03}", highest + 1)
}

fn check_config(inputs: &Inputs, known: &Known, problems: &mut Problems) {
    let config = &inputs.config.value;
    let file = &inputs.config.file;
    let langs = config.languages.get_ref();
    if langs.is_empty() {
        problems.push(
            Problem::error("`languages` is empty")
                .at(file, config.languages.span())
                .help("list at least one language, the default first: languages = [\"en\"]"),
        );
    }
    let mut seen = HashSet::new();
    for lang in langs {
        if !seen.insert(lang.get_ref()) {
            problems.push(
                Problem::error(format!("language `{}` is listed twice", lang.get_ref()))
                    .at(file, lang.span()),
            );
        }
    }
    let base = config.base_url.get_ref();
    if !(base.starts_with("https://") || base.starts_with("http://")) {
        problems.push(
            Problem::error(format!("base_url `{base}` is not an http(s) address"))
                .at(file, config.base_url.span())
                .help("for example base_url = \"https://reprisals.example.org/\""),
        );
    }
    if config.stats.min_cell == 0 {
        problems.push(Problem::error("stats.min_cell must be at least 1").in_file(file));
    }
    if config.cases.per_page == 0 {
        problems.push(Problem::error("cases.per_page must be at least 1").in_file(file));
    }
    let starts = std::iter::once(&config.reports.period_start)
        .chain(config.reports.committee_period_start.values());
    for start in starts {
        if crate::model::date::Date::parse(&format!("2000-{start}")).is_err() {
            problems.push(
                Problem::error(format!(
                    "reporting period start `{start}` is not a month and day"
                ))
                .in_file(file)
                .help("write it as MM-DD, for example \"05-01\" for 1 May"),
            );
        }
    }
    for code in config.reports.committee_period_start.keys() {
        if !known.committees.contains(code.as_str()) {
            problems
                .push(Problem::error(format!("reports: unknown committee `{code}`")).in_file(file));
        }
    }
    check_localized_plain(&config.title, "title", file, known, problems);
}

fn check_committees(inputs: &Inputs, known: &Known, problems: &mut Problems) {
    let mut seen = HashSet::new();
    for Record {
        file,
        value: committee,
    } in &inputs.committees
    {
        let code = committee.code.get_ref();
        if !seen.insert(code.as_str()) {
            problems.push(
                Problem::error(format!("committee `{code}` is defined twice"))
                    .at(file, committee.code.span()),
            );
        }
        let expected = format!("{}.toml", code.slug());
        if !file.name.ends_with(&format!("/{expected}")) {
            problems.push(
                Problem::error(format!(
                    "committee `{code}` must live in committees/{expected}"
                ))
                .at(file, committee.code.span())
                .help("the file name is the lowercase code"),
            );
        }
        check_localized_plain(&committee.name, "name", file, known, problems);
        check_localized_plain(&committee.treaty, "treaty", file, known, problems);
        check_contacts(&committee.contact, file, problems);
        practice::check_committee(committee, file, problems);
    }
}

/// A `web` contact becomes a link, so it must be a web address and nothing a browser could run.
fn check_contacts(contacts: &[Contact], file: &Arc<SourceFile>, problems: &mut Problems) {
    for contact in contacts {
        if contact.kind == ContactKind::Web {
            if let Err(message) = WebUrl::parse(&contact.value) {
                problems.push(
                    Problem::error(format!("contact of kind \"web\": {message}"))
                        .in_file(file)
                        .help("give the full address, for example https://www.ohchr.org/"),
                );
            }
        }
    }
}

fn check_focal_points(inputs: &Inputs, known: &Known, problems: &mut Problems) {
    for Record { file, value: fp } in &inputs.focal_points {
        check_committee_ref(&fp.committee, file, known, problems);
        check_contacts(&fp.contact, file, problems);
        for scope in &fp.scope {
            check_term(VocabKind::Contexts, scope, file, known, problems);
        }
        let term = fp.term.get_ref();
        if let Some(end) = term.end {
            if end < term.start {
                problems.push(
                    Problem::error(format!(
                        "term ends ({end}) before it starts ({})",
                        term.start
                    ))
                    .at(file, fp.term.span())
                    .label("end is earlier than start")
                    .help("check the dates: a term runs from `start` to `end`, both included"),
                );
            }
        }
    }
}

fn check_countries(inputs: &Inputs, known: &Known, problems: &mut Problems) {
    let Some(file) = inputs
        .vocab_files
        .iter()
        .find(|f| f.name.ends_with("countries.toml"))
    else {
        return;
    };
    for country in &inputs.vocab.countries {
        check_term(VocabKind::Regions, &country.region, file, known, problems);
    }
}

fn check_case(case: &Record<Case>, known: &Known, problems: &mut Problems) {
    let Record { file, value: c } = case;
    let id = c.id.get_ref();
    let stem = file
        .name
        .rsplit('/')
        .next()
        .unwrap_or("")
        .trim_end_matches(".toml");
    if stem != id.as_str() {
        problems.push(
            Problem::error(format!("case `{id}` is in a file named {stem}.toml"))
                .at(file, c.id.span())
                .help(format!(
                    "name the file {id}.toml so its id and its address agree"
                )),
        );
    }
    if *c.publish.get_ref() {
        let consented = c.consent.as_ref().is_some_and(|k| k.get_ref().given);
        if !consented {
            problems.push(
                // Hiding never waits: a case without consent is simply not published, and
                // saying so must not make the build report an error.
                Problem::warning(
                    "`publish = true` but consent is not given: the case is not published",
                )
                .at(file, c.publish.span())
                .label("no consent.given = true")
                .help("add [consent] with given = true and its date, or set publish = false"),
            );
        }
    }
    if *c.publish.get_ref() && *c.statistics.get_ref() {
        problems.push(
            Problem::warning("`statistics = true` has no effect on a case with `publish = true`")
                .at(file, c.statistics.span())
                .label("a published case is counted anyway")
                .help("statistics = true counts a case that stays unpublished (publish = false); remove it here"),
        );
    }
    if c.committees.get_ref().is_empty() {
        problems.push(
            Problem::error("a case needs at least one committee")
                .at(file, c.committees.span())
                .help("list the lead committee first, for example committees = [\"CAT\"]"),
        );
    }
    for code in c.committees.get_ref() {
        check_committee_ref(code, file, known, problems);
    }
    if !known.countries.contains(c.country.get_ref().as_str()) {
        let given = c.country.get_ref().as_str();
        problems.push(unknown(
            "country",
            given,
            known.countries.iter().copied(),
            file,
            c.country.span(),
            "public-data/vocab/countries.toml",
        ));
    }
    if c.reprisal_types.get_ref().is_empty() {
        problems.push(
            Problem::error("a case needs at least one reprisal type")
                .at(file, c.reprisal_types.span()),
        );
    }
    let term_refs = [
        (VocabKind::Contexts, c.context.iter().collect::<Vec<_>>()),
        (
            VocabKind::ReprisalTypes,
            c.reprisal_types.get_ref().iter().collect(),
        ),
        (VocabKind::Statuses, vec![&c.status]),
        (VocabKind::Perpetrators, c.perpetrators.iter().collect()),
        (VocabKind::VictimProfiles, c.victim.profile.iter().collect()),
        (VocabKind::Genders, c.victim.gender.iter().collect()),
        (VocabKind::AgeGroups, c.victim.age_group.iter().collect()),
        (
            VocabKind::ActionKinds,
            c.actions.iter().map(|a| &a.kind).collect(),
        ),
    ];
    for (kind, ids) in term_refs {
        for term in ids {
            check_term(kind, term, file, known, problems);
        }
    }
    for action in &c.actions {
        check_committee_ref(&action.committee, file, known, problems);
        if let Some(note) = &action.note {
            check_localized(note, file, known, problems);
        }
    }
    for related in &c.related {
        let rid = related.get_ref().as_str();
        if rid == id.as_str() {
            problems.push(
                Problem::error("a case cannot be related to itself").at(file, related.span()),
            );
        } else if !known.cases.contains(rid) {
            problems.push(unknown(
                "case",
                rid,
                known.cases.iter().copied(),
                file,
                related.span(),
                "public-data/cases/",
            ));
        }
    }
    if let Some(incident) = &c.incident {
        let i = incident.get_ref();
        if i.to.is_some_and(|to| to < i.from) {
            problems
                .push(Problem::error("incident ends before it starts").at(file, incident.span()));
        }
    }
    if let Some(consent) = &c.consent {
        let k = consent.get_ref();
        if k.scopes.iter().any(|s| *s.get_ref() == ConsentScope::Name) && c.victim.name.is_none() {
            problems.push(
                Problem::warning("consent covers the name but `victim.name` is empty")
                    .at(file, consent.span()),
            );
        }
    }
    for letter in &c.correspondence {
        if let Some(deadline) = &letter.deadline {
            if *deadline.get_ref() < letter.date {
                problems.push(
                    Problem::error(format!(
                        "deadline {} is before the letter's date {}",
                        deadline.get_ref(),
                        letter.date
                    ))
                    .at(file, deadline.span())
                    .label("deadline earlier than date")
                    .help("a State cannot be asked to answer before the letter is sent"),
                );
            }
        }
        if let Some(path) = &letter.file {
            if !known.files.contains(path.get_ref().as_str()) {
                problems.push(
                    Problem::error(format!("file `{}` does not exist", path.get_ref()))
                        .at(file, path.span())
                        .help(
                            "paths are relative to public-data/, for example files/cat-letter.txt",
                        ),
                );
            }
            if letter.mode != LetterMode::Full {
                problems.push(
                    Problem::warning(
                        "a file is attached but mode is not \"full\": it will not be published",
                    )
                    .at(file, path.span()),
                );
            }
        }
        if let Some(summary) = &letter.summary {
            check_localized(summary, file, known, problems);
        }
    }
    check_localized(&c.title, file, known, problems);
    check_localized(&c.summary, file, known, problems);
    practice::check_mechanism_refs(c, file, problems);
}

fn check_committee_ref(
    code: &Spanned<crate::model::ids::CommitteeCode>,
    file: &Arc<SourceFile>,
    known: &Known,
    problems: &mut Problems,
) {
    let given = code.get_ref().as_str();
    if !known.committees.contains(given) {
        problems.push(unknown(
            "committee",
            given,
            known.committees.iter().copied(),
            file,
            code.span(),
            "public-data/committees/",
        ));
    }
}

fn check_term(
    kind: VocabKind,
    term: &Spanned<TermId>,
    file: &Arc<SourceFile>,
    known: &Known,
    problems: &mut Problems,
) {
    let ids = known.terms.get(&kind).map(Vec::as_slice).unwrap_or(&[]);
    let given = term.get_ref().as_str();
    if !ids.contains(&given) {
        let place = format!("public-data/vocab/{}.toml", kind.file_stem());
        problems.push(unknown(
            kind.noun(),
            given,
            ids.iter().copied(),
            file,
            term.span(),
            &place,
        ));
    }
}

/// "unknown committee `CATT`", with the closest known value or the list of known ones.
fn unknown<'a>(
    noun: &str,
    given: &str,
    candidates: impl Iterator<Item = &'a str> + Clone,
    file: &Arc<SourceFile>,
    span: Range<usize>,
    defined_in: &str,
) -> Problem {
    let problem = Problem::error(format!("unknown {noun} `{given}`"))
        .at(file, span)
        .label(format!("not defined in {defined_in}"));
    match did_you_mean(given, candidates.clone()) {
        Some(best) => problem.help(format!("did you mean `{best}`?")),
        None => {
            let mut all: Vec<&str> = candidates.collect();
            all.sort_unstable();
            let shown = all.iter().take(12).copied().collect::<Vec<_>>().join(", ");
            let more = if all.len() > 12 {
                format!(" and {} more", all.len() - 12)
            } else {
                String::new()
            };
            problem.help(format!("expected one of: {shown}{more}"))
        }
    }
}

fn check_localized(
    text: &Spanned<Localized>,
    file: &Arc<SourceFile>,
    known: &Known,
    problems: &mut Problems,
) {
    for problem in localized_problems(text.get_ref(), known) {
        problems.push(problem.at(file, text.span()));
    }
}

fn check_localized_plain(
    text: &Localized,
    field: &str,
    file: &Arc<SourceFile>,
    known: &Known,
    problems: &mut Problems,
) {
    for problem in localized_problems(text, known) {
        problems.push(
            Problem {
                message: format!("{field}: {}", problem.message),
                ..problem
            }
            .in_file(file),
        );
    }
}

fn localized_problems(text: &Localized, known: &Known) -> Vec<Problem> {
    let mut out = Vec::new();
    if let Some(depth) = text.texts().into_iter().find_map(crate::markdown::too_deep) {
        out.push(crate::markdown::nesting_problem(depth));
    }
    for lang in text.languages() {
        // Texts in another UN language are kept for when that language is switched on.
        if !known.languages.contains(lang)
            && !crate::model::ids::UN_LANGUAGES.contains(&lang.as_str())
        {
            let codes: Vec<&str> = known.languages.iter().map(LangCode::as_str).collect();
            out.push(
                Problem::warning(format!(
                    "`{lang}` is not one of the site's languages: this text is not shown"
                ))
                .label("unknown language")
                .help(format!("site.toml lists: {}", codes.join(", "))),
            );
        }
    }
    if text.table_lacks(&known.default_lang) {
        out.push(
            Problem::error(format!(
                "no `{}` text: the default language is required",
                known.default_lang
            ))
            .label("default language missing")
            .help("every page falls back to the default language, so it must always be given"),
        );
    }
    out
}
