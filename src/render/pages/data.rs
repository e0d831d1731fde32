//! The "Data" page: every open data file, feed and sitemap, and what each field means.

use serde::Serialize;
use tera::Context;

use super::PageContent;
use crate::site::views::View;

/// The fields of `cases.json` (and the same-named CSV columns), in the order documented; each
/// is also the end of its string key (`data_field_<name>`).
pub(super) const CASE_FIELDS: [&str; 23] = [
    "id",
    "url",
    "title",
    "summary",
    "committees",
    "country",
    "region",
    "date_reported",
    "updated",
    "incident",
    "context",
    "reprisal_types",
    "status",
    "victim",
    "victim_name",
    "victim_gender",
    "perpetrators",
    "actions",
    "undisclosed_actions",
    "correspondence",
    "sources",
    "related",
    "mechanism_refs",
];

/// The fields of `focal-points.json` and its CSV.
pub(super) const FOCAL_POINT_FIELDS: [&str; 8] = [
    "committee",
    "name",
    "role",
    "scope",
    "term",
    "current",
    "languages",
    "contact",
];

#[derive(Serialize)]
struct DataFile {
    href: String,
    name: String,
    description: String,
}

#[derive(Serialize)]
struct Field {
    name: String,
    description: String,
}

#[derive(Serialize)]
struct DataPage {
    intro: String,
    licence: String,
    licence_url: String,
    generated: String,
    /// The condition of reuse: delete withdrawn cases.
    withdrawal_terms: String,
    files: Vec<DataFile>,
    case_fields: Vec<Field>,
    focal_point_fields: Vec<Field>,
    privacy: String,
}

pub(super) fn page(view: &View) -> PageContent {
    let public = view.site.public;
    let lang = &view.lang.code;
    let localised_csv = |stem: &str| {
        if view.lang.prefix.is_empty() {
            format!("{stem}.csv")
        } else {
            format!("{stem}.{lang}.csv")
        }
    };
    let at_root = |name: &str| format!("{}data/{name}", view.site_root);
    let file = |href: String, name: String, key: &str| DataFile {
        href,
        name,
        description: view.t(key),
    };
    let cases_csv = localised_csv("cases");
    let fp_csv = localised_csv("focal-points");
    let feed = format!("{}feed.xml", view.root);
    let files = vec![
        file(
            at_root("cases.json"),
            "data/cases.json".into(),
            "data_file_cases_json",
        ),
        file(
            at_root("cases.schema.json"),
            "data/cases.schema.json".into(),
            "data_file_cases_schema",
        ),
        file(
            at_root(&cases_csv),
            format!("data/{cases_csv}"),
            "data_file_cases_csv",
        ),
        file(
            at_root("focal-points.json"),
            "data/focal-points.json".into(),
            "data_file_focal_points_json",
        ),
        file(
            at_root(&fp_csv),
            format!("data/{fp_csv}"),
            "data_file_focal_points_csv",
        ),
        file(
            at_root("withdrawn.json"),
            "data/withdrawn.json".into(),
            "data_file_withdrawn",
        ),
        file(
            feed,
            format!("{}feed.xml", view.lang.prefix),
            "data_file_feed",
        ),
        file(
            view.href("reports/"),
            format!("{}reports/…/report.md", view.lang.prefix),
            "data_file_reports",
        ),
        file(
            format!("{}sitemap.xml", view.site_root),
            "sitemap.xml".into(),
            "data_file_sitemap",
        ),
    ];
    let fields = |names: &[&str], prefix: &str| -> Vec<Field> {
        names
            .iter()
            .map(|n| Field {
                name: match *n {
                    "victim_name" => "victim.name".to_owned(),
                    "victim_gender" => "victim.gender, victim.age_group".to_owned(),
                    other => other.to_owned(),
                },
                description: view.t(&format!("{prefix}{n}")),
            })
            .collect()
    };
    let data = DataPage {
        intro: view.t("data_intro"),
        licence: public.licence.name.clone(),
        licence_url: public.licence.url.clone(),
        generated: view.date(public.build_date),
        withdrawal_terms: view.t("data_withdrawal_terms"),
        files,
        case_fields: fields(&CASE_FIELDS, "data_field_"),
        focal_point_fields: fields(&FOCAL_POINT_FIELDS, "data_fp_field_"),
        privacy: view.t("data_privacy"),
    };
    PageContent {
        template: "data.html",
        title: view.t("data_title"),
        section: "data".into(),
        fallback: false,
        data: Context::from_serialize(&data).expect("serialisable"),
    }
}
