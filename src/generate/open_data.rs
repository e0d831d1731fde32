//! The open data files under `/data/`: cases and focal points as JSON (every language in one
//! file, with the vocabularies to read the ids) and as CSV (one file per language: labels and
//! text in that language), each stamped with the build date and the licence.

use std::io::Write;

use serde::Serialize;
use serde_json::{Value, json};

use crate::model::ids::LangCode;
use crate::model::localized::Localized;
use crate::model::vocab::VocabKind;
use crate::public::{PublicCase, PublicFocalPoint, PublicSite};
use crate::site::RenderSite;
use crate::site::routes::Route;
use crate::site::views::View;

use super::csv_safe::CsvFile;
use crate::output::Output;

/// The JSON Schema that `cases.json` follows (published beside it).
pub(crate) const CASES_SCHEMA: &str = include_str!("cases.schema.json");

/// The JSON data files but `cases.json` (see `streamed`).
pub(crate) fn files(site: &RenderSite) -> Vec<Output> {
    let public = site.public;
    vec![
        Output {
            path: "data/cases.schema.json".into(),
            bytes: CASES_SCHEMA.as_bytes().to_vec(),
        },
        Output {
            path: "data/focal-points.json".into(),
            bytes: to_json(&focal_points_json(public)),
        },
        Output {
            path: "data/withdrawn.json".into(),
            bytes: to_json(&withdrawn_json(public)),
        },
    ]
}

/// The focal points' CSV files, one per language.
pub(crate) fn csv_files(site: &RenderSite) -> Vec<Output> {
    site.langs
        .iter()
        .enumerate()
        .map(|(i, lang)| Output {
            path: format!("data/focal-points{}.csv", csv_suffix(lang)),
            bytes: focal_points_csv(&View::new(site, i, "data/")),
        })
        .collect()
}

/// `cases.json` and the CSV files of cases, too large to hold (see `super::Streamed`).
pub(crate) fn streamed<'a>(site: &'a RenderSite<'a>) -> Vec<super::Streamed<'a>> {
    let mut out = vec![super::Streamed {
        path: "data/cases.json".into(),
        write: Box::new(|w| super::cases_json::write_to(site, w)),
    }];
    for (i, lang) in site.langs.iter().enumerate() {
        out.push(super::Streamed {
            path: format!("data/cases{}.csv", csv_suffix(lang)),
            write: Box::new(move |w| cases_csv(&View::new(site, i, "data/"), i, w)),
        });
    }
    out
}

/// What a language's CSV file names carry after `cases` or `focal-points`: nothing for the
/// default language, `.fr` for French.
fn csv_suffix(lang: &crate::site::LangView) -> String {
    if lang.prefix.is_empty() {
        String::new()
    } else {
        format!(".{}", lang.code)
    }
}

fn to_json(value: &Value) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).expect("JSON values serialise");
    bytes.push(b'\n');
    bytes
}

/// `{ "en": "...", "fr": "..." }`: plain text counts as the default language.
fn texts(value: &Localized, default: &LangCode) -> Value {
    Value::Object(
        value
            .entries(default)
            .into_iter()
            .map(|(lang, text)| (lang.to_string(), Value::String(text.to_owned())))
            .collect(),
    )
}

fn header(site: &PublicSite) -> serde_json::Map<String, Value> {
    let mut map = serde_json::Map::new();
    map.insert("generated".into(), json!(site.build_date));
    map.insert("sample".into(), json!(site.sample));
    map.insert(
        "licence".into(),
        json!({ "name": site.licence.name, "url": site.licence.url, "terms": site.licence.terms }),
    );
    map.insert("source".into(), json!(site.base_url));
    map.insert("languages".into(), json!(site.languages));
    map
}

/// `withdrawn.json`: what re-users must delete. Each entry is a case id and its withdrawal
/// date, nothing more: the list must not say anything else about a withdrawn case.
pub(crate) fn withdrawn_json(site: &PublicSite) -> Value {
    let mut map = header(site);
    map.insert("withdrawn".into(), json!(site.withdrawn));
    Value::Object(map)
}

#[derive(Serialize)]
struct ContactJson<'a> {
    kind: &'a crate::model::committee::ContactKind,
    value: &'a str,
    label: Option<Value>,
    fingerprint: Option<&'a str>,
}

pub(crate) fn focal_points_json(site: &PublicSite) -> Value {
    let default = &site.default_lang;
    let people: Vec<Value> = site
        .focal_points
        .iter()
        .map(|fp| {
            json!({
                "committee": fp.committee,
                "name": fp.name,
                "role": fp.role,
                "scope": fp.scope,
                "term": { "start": fp.start, "end": fp.end },
                "current": is_current(site, fp),
                "languages": fp.languages,
                "contact": fp.contact.iter().map(|c| ContactJson {
                    kind: &c.kind,
                    value: &c.value,
                    label: c.label.as_ref().map(|l| texts(l, default)),
                    fingerprint: c.fingerprint.as_deref(),
                }).collect::<Vec<_>>(),
            })
        })
        .collect();
    let mut map = header(site);
    map.insert("focal_points".into(), Value::Array(people));
    Value::Object(map)
}

fn is_current(site: &PublicSite, fp: &PublicFocalPoint) -> bool {
    site.build_date >= fp.start && fp.end.is_none_or(|end| site.build_date <= end)
}

fn joined<T: std::fmt::Display>(items: &[T]) -> String {
    items
        .iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(";")
}

const CASE_COLUMNS: [&str; 28] = [
    "id",
    "url",
    "title",
    "title_lang",
    "committees",
    "country",
    "country_name",
    "region",
    "region_name",
    "date_reported",
    "updated",
    "incident_from",
    "incident_to",
    "context",
    "reprisal_types",
    "reprisal_type_names",
    "status",
    "status_name",
    "victim_kind",
    "victim_count",
    "victim_profile",
    "victim_name",
    "victim_gender",
    "victim_age_group",
    "perpetrators",
    "undisclosed_actions",
    "mechanism_refs",
    "summary",
];

/// Writes the CSV file of cases in language number `lang` (the language of `view`) to `out`, a
/// row at a time.
pub(crate) fn cases_csv(
    view: &View,
    lang: usize,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let site = view.site.public;
    let mut csv = CsvFile::marked(&CASE_COLUMNS, site.sample);
    out.write_all(&csv.take_bytes())?;
    let mut out = std::io::BufWriter::with_capacity(64 << 10, out);
    for (i, case) in site.cases.iter().enumerate() {
        let row = view.site.case_piece("cases.csv row", lang, i, || {
            csv.encode(&case_cells(view, case))
        });
        out.write_all(&row)?;
    }
    out.flush()
}

/// One case's cells in `cases.csv`, in the order of `CASE_COLUMNS`.
fn case_cells(view: &View, case: &PublicCase) -> Vec<String> {
    let site = view.site.public;
    let title = view.text(&case.title);
    let summary = case.summary.pick(&view.lang.code, &site.default_lang);
    let names = |kind: VocabKind, ids: &[crate::model::ids::TermId]| {
        ids.iter()
            .map(|t| view.term(kind, t).text)
            .collect::<Vec<_>>()
            .join(";")
    };
    vec![
        case.id.to_string(),
        format!(
            "{}{}{}",
            site.base_url,
            view.lang.prefix,
            Route::case(&case.id).path()
        ),
        title.text,
        title.lang,
        joined(&case.committees),
        case.country.to_string(),
        view.country(&case.country).text,
        case.region.to_string(),
        view.term(VocabKind::Regions, &case.region).text,
        case.date_reported.to_string(),
        case.updated.to_string(),
        case.incident_from
            .map(|m| m.to_string())
            .unwrap_or_default(),
        case.incident_to.map(|m| m.to_string()).unwrap_or_default(),
        joined(&case.context),
        joined(&case.reprisal_types),
        names(VocabKind::ReprisalTypes, &case.reprisal_types),
        case.status.to_string(),
        view.term(VocabKind::Statuses, &case.status).text,
        serde_plain(&case.victim.kind),
        case.victim.count.to_string(),
        joined(&case.victim.profile),
        case.victim.name.clone().unwrap_or_default(),
        case.victim
            .gender
            .as_ref()
            .map(|g| g.to_string())
            .unwrap_or_default(),
        case.victim
            .age_group
            .as_ref()
            .map(|g| g.to_string())
            .unwrap_or_default(),
        joined(&case.perpetrators),
        case.undisclosed_actions.to_string(),
        mechanism_refs_cell(&case.mechanism_refs),
        crate::markdown::plain_text(summary.text),
    ]
}

const FOCAL_POINT_COLUMNS: [&str; 10] = [
    "committee",
    "name",
    "role",
    "role_name",
    "scope",
    "term_start",
    "term_end",
    "current",
    "languages",
    "contact",
];

pub(crate) fn focal_points_csv(view: &View) -> Vec<u8> {
    let site = view.site.public;
    let mut csv = CsvFile::marked(&FOCAL_POINT_COLUMNS, site.sample);
    for fp in &site.focal_points {
        let shown = view.focal_point(fp);
        csv.row(&[
            fp.committee.to_string(),
            fp.name.clone(),
            serde_plain(&fp.role),
            shown.role,
            joined(&fp.scope),
            fp.start.to_string(),
            fp.end.map(|d| d.to_string()).unwrap_or_default(),
            is_current(site, fp).to_string(),
            joined(&fp.languages),
            fp.contact
                .iter()
                .map(|c| format!("{}:{}", serde_plain(&c.kind), c.value))
                .collect::<Vec<_>>()
                .join(";"),
        ]);
    }
    csv.finish()
}

/// A unit enum's serde name (`individual`, `rapporteur`).
fn serde_plain<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(Value::String(s)) => s,
        _ => String::new(),
    }
}

/// `kind|reference|paragraph` for each reference, `;` between them (paragraph may be empty).
fn mechanism_refs_cell(refs: &[crate::public::PublicMechanismRef]) -> String {
    refs.iter()
        .map(|r| {
            format!(
                "{}|{}|{}",
                r.kind.name(),
                r.reference,
                r.paragraph.as_deref().unwrap_or("")
            )
        })
        .collect::<Vec<_>>()
        .join(";")
}
