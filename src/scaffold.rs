//! `new case` and `new focal-point`: a commented record with the next free id in the right
//! folder, so a webmaster starts from a file that already has every field in its place.
//!
//! A new case is valid as written and unpublished (`publish = false`), so `serve` keeps building
//! while it is filled in. A focal point has no publication gate, so its template is left
//! invalid (the term's start date is a placeholder) until someone fills it in: a placeholder
//! name can never appear on the site.

use std::path::{Path, PathBuf};

use crate::diagnostics::{Problem, did_you_mean};
use crate::load::{self, Inputs};
use crate::model::date::Date;
use crate::model::ids::{CaseId, CommitteeCode, CountryCode};
use crate::model::vocab::VocabKind;

/// Writes `public-data/cases/<year>/<year>-NNN.toml`; returns its path.
pub fn new_case(
    root: &Path,
    committee: Option<&str>,
    country: Option<&str>,
    today: Date,
) -> Result<PathBuf, Problem> {
    let inputs = read(root)?;
    let committee = match committee {
        Some(code) => known_committee(&inputs, code)?,
        None => first_committee(&inputs)?,
    };
    let (country, country_given) = match country {
        Some(code) => (known_country(&inputs, code)?, true),
        None => (
            inputs
                .vocab
                .countries
                .first()
                .map(|c| c.code.get_ref().clone())
                .ok_or_else(|| {
                    Problem::error("public-data/vocab/countries.toml lists no country")
                })?,
            false,
        ),
    };
    let first_term = |kind: VocabKind| {
        inputs
            .vocab
            .terms(kind)
            .first()
            .map(|t| t.id.get_ref().to_string())
            .ok_or_else(|| {
                Problem::error(format!(
                    "public-data/vocab/{}.toml has no term",
                    kind.file_stem()
                ))
            })
    };
    let year = today.year();
    let id = next_case_id(root, year);
    let dir = root.join("public-data/cases").join(year.to_string());
    let path = dir.join(format!("{id}.toml"));
    let country_note = if country_given {
        "the State concerned"
    } else {
        "TODO: the State concerned (a code from public-data/vocab/countries.toml)"
    };
    let text = CASE_TEMPLATE
        .replace("{id}", &id)
        .replace("{committee}", committee.as_str())
        .replace("{country}", country.as_str())
        .replace("{country_note}", country_note)
        .replace("{today}", &today.to_string())
        .replace("{status}", &first_term(VocabKind::Statuses)?)
        .replace("{reprisal_type}", &first_term(VocabKind::ReprisalTypes)?)
        .replace("{reprisal_types}", &list(&inputs, VocabKind::ReprisalTypes))
        .replace("{statuses}", &list(&inputs, VocabKind::Statuses))
        .replace("{contexts}", &list(&inputs, VocabKind::Contexts))
        .replace("{profiles}", &list(&inputs, VocabKind::VictimProfiles));
    write_new(&dir, &path, &text)?;
    Ok(path)
}

/// Writes `public-data/focal-points/<committee>-<year>-<role>.toml`; returns its path.
pub fn new_focal_point(root: &Path, committee: &str, today: Date) -> Result<PathBuf, Problem> {
    let inputs = read(root)?;
    let committee = known_committee(&inputs, committee)?;
    let dir = root.join("public-data/focal-points");
    let stem = format!("{}-{}-rapporteur", committee.slug(), today.year());
    let path = (1..)
        .map(|n| match n {
            1 => dir.join(format!("{stem}.toml")),
            n => dir.join(format!("{stem}-{n}.toml")),
        })
        .find(|p| !p.exists())
        .expect("some name is free");
    let default_lang = inputs.config.value.default_language();
    let text = FOCAL_POINT_TEMPLATE
        .replace("{committee}", committee.as_str())
        .replace("{lang}", default_lang.as_str())
        .replace("{contexts}", &list(&inputs, VocabKind::Contexts));
    write_new(&dir, &path, &text)?;
    Ok(path)
}

/// The id after the highest one of `year` among all case files: `2026-010` after `2026-009`.
pub fn next_case_id(root: &Path, year: i16) -> String {
    let highest = load::case_files(root)
        .iter()
        .filter_map(|p| {
            p.file_stem()
                .and_then(|s| CaseId::parse(&s.to_string_lossy()).ok())
        })
        .filter(|id| id.year() == year)
        .filter_map(|id| id.as_str()[5..].parse::<u32>().ok())
        .max()
        .unwrap_or(0);
    format!("{year}-{:03}", highest + 1)
}

pub(crate) fn read(root: &Path) -> Result<Inputs, Problem> {
    let (inputs, problems) = load::load(root);
    inputs.ok_or_else(|| {
        problems.into_iter().next().unwrap_or_else(|| {
            Problem::error(format!("cannot read the site in {}", root.display()))
        })
    })
}

fn known_committee(inputs: &Inputs, code: &str) -> Result<CommitteeCode, Problem> {
    let codes: Vec<&str> = inputs
        .committees
        .iter()
        .map(|c| c.value.code.get_ref().as_str())
        .collect();
    let upper = code.to_ascii_uppercase();
    match codes.iter().find(|c| **c == upper) {
        Some(found) => CommitteeCode::parse(found).map_err(Problem::error),
        None => {
            let mut problem = Problem::error(format!("no committee `{code}`"));
            problem = match did_you_mean(code, codes.iter().copied()) {
                Some(best) => problem.help(format!("did you mean `{best}`?")),
                None => problem.help(format!("committees: {}", codes.join(", "))),
            };
            Err(problem)
        }
    }
}

fn first_committee(inputs: &Inputs) -> Result<CommitteeCode, Problem> {
    let mut codes: Vec<&CommitteeCode> = inputs
        .committees
        .iter()
        .map(|c| c.value.code.get_ref())
        .collect();
    codes.sort();
    codes
        .first()
        .map(|c| (*c).clone())
        .ok_or_else(|| Problem::error("public-data/committees/ has no committee"))
}

fn known_country(inputs: &Inputs, code: &str) -> Result<CountryCode, Problem> {
    let codes: Vec<&str> = inputs
        .vocab
        .countries
        .iter()
        .map(|c| c.code.get_ref().as_str())
        .collect();
    let upper = code.to_ascii_uppercase();
    if codes.contains(&upper.as_str()) {
        return CountryCode::parse(&upper).map_err(Problem::error);
    }
    let problem = Problem::error(format!(
        "no country `{code}` in public-data/vocab/countries.toml"
    ));
    Err(match did_you_mean(code, codes.iter().copied()) {
        Some(best) => problem.help(format!("did you mean `{best}`?")),
        None => problem.help("use an ISO 3166-1 alpha-3 code, for example MEX"),
    })
}

/// The ids of a vocabulary, for a comment: `"a", "b", "c"`.
fn list(inputs: &Inputs, kind: VocabKind) -> String {
    inputs
        .vocab
        .terms(kind)
        .iter()
        .map(|t| format!("\"{}\"", t.id.get_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Creates the file, never overwriting one that exists.
pub(crate) fn write_new(dir: &Path, path: &Path, text: &str) -> Result<(), Problem> {
    let fail = |e: std::io::Error| Problem::error(format!("cannot write {}: {e}", path.display()));
    std::fs::create_dir_all(dir).map_err(fail)?;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(fail)?;
    std::io::Write::write_all(&mut file, text.as_bytes()).map_err(fail)
}

const CASE_TEMPLATE: &str = r#"# Case {id}. Fill in the fields marked TODO; the data model is described in the README.
# Nothing of this case appears anywhere (not even in counts) until `publish = true`, which also
# needs the consent of the person concerned ([consent] given = true) and the secretariat's
# approval ([review] approved = ...).

id = "{id}"
publish = false
# statistics = true   # counts the case among the allegations received while it stays
#                     # unpublished (needs consent given; never its texts, id or details)
title = "TODO: a short, identifier-free title"
# Committees concerned, lead first.
committees = ["{committee}"]
country = "{country}"  # {country_note}
date_reported = {today}
# When it happened, to the month: incident = { from = "2026-01", to = "2026-02" }
# Where it happened: {contexts}
context = []
# TODO: what was done to the person: {reprisal_types}
reprisal_types = ["{reprisal_type}"]
# TODO: where the case stands: {statuses}
status = "{status}"
# Related cases by id: related = ["2024-007"]

# The public account: human-written, without names or other identifiers. Markdown. Add
# translations as more keys (fr = """...""").
[summary]
en = """
TODO: what happened, what the committee did, and where things stand.
"""

# Before publish = true: the secretariat assesses the allegation and approves publication, on
# or after the consent date. Never published. A child, a detainee or another special category
# also needs `safeguarding`: why publicity is safe for this person.
# [review]
# assessed = {today}
# approved = {today}
# safeguarding = "..."

[consent]
given = false
# date = {today}
# What the person agreed may be shown: "name", "gender", "age_group", "perpetrators".
scopes = []

[victim]
# "individual", "group", "organization" or "relatives"
kind = "individual"
count = 1
# {profiles}
profile = []
# name, gender and age_group are published only with the matching consent scope.

# One block per step taken; `public = false` steps are only counted.
# [[actions]]
# date = {today}
# kind = "allegation_registered"
# committee = "{committee}"
# public = true

# Letters, shown only once their embargo ends (publish_after, else the deadline).
# [[correspondence]]
# kind = "letter_to_state"
# date = {today}
# deadline = {today}
# mode = "summary"
# summary = "..."

# UN documents that mention the case.
# [[sources]]
# symbol = "A/HRC/57/30"

# Never published, whatever it holds.
[private]
note = ""
"#;

const FOCAL_POINT_TEMPLATE: &str = r#"# A rapporteur or focal point on reprisals: one person, one term. Everything here except
# [private] is published, so the build withholds this file until the TODOs are filled in.

committee = "{committee}"
name = "TODO: full name as published"
# "rapporteur", "alternate", "focal_point" or "working_group_member"
role = "rapporteur"
# Procedures covered (empty = all): {contexts}
scope = []
# TODO: the first day of the term (and `end = ...` when it is known), as YYYY-MM-DD.
term = { start = "YYYY-MM-DD" }
# Languages the person works in.
languages = ["{lang}"]

# How to reach the person; secure channels first. Kinds: "secure", "email", "pgp", "web", "phone".
[[contact]]
kind = "email"
value = "TODO@example.org"
# label = { en = "..." }

# Never published, whatever it holds.
[private]
note = ""
"#;
