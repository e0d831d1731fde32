//! Trends, annual report sections, open data, feeds, sitemap and the SG-report export, checked
//! against figures worked out here from the sample TOML files, without the code under test.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::common::*;

const BUILD_DATE: &str = "2026-11-29";
const LANGS: [&str; 6] = ["", "fr/", "es/", "ar/", "zh/", "ru/"];
const MIN_CELL: u64 = 3;

/// The sample site, built once for all tests of this file.
fn sample() -> &'static Path {
    static SITE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, site) = SITE.get_or_init(|| {
        let out = tempfile::tempdir().unwrap();
        let site = out.path().join("site");
        let result = build(&repo_root(), &site, BUILD_DATE);
        assert!(result.status.success(), "{}", stderr(&result));
        (out, site)
    });
    site
}

/// A published case as read straight from its TOML file.
struct Case {
    id: String,
    toml: toml::Table,
}

impl Case {
    fn strs(&self, key: &str) -> Vec<String> {
        self.toml
            .get(key)
            .and_then(|v| v.as_array())
            .map(|a| {
                let mut v: Vec<String> = a.iter().map(|x| x.as_str().unwrap().to_owned()).collect();
                v.sort();
                v.dedup();
                v
            })
            .unwrap_or_default()
    }
    fn str(&self, key: &str) -> String {
        self.toml[key].as_str().unwrap().to_owned()
    }
    fn date(&self) -> String {
        self.toml["date_reported"].to_string()
    }
    fn victim(&self, key: &str) -> Option<String> {
        self.toml["victim"]
            .get(key)
            .and_then(|v| v.as_str())
            .map(str::to_owned)
    }
    fn scopes(&self) -> Vec<String> {
        self.toml["consent"]
            .get("scopes")
            .and_then(|s| s.as_array())
            .map(|a| a.iter().map(|x| x.as_str().unwrap().to_owned()).collect())
            .unwrap_or_default()
    }
    /// Dates of public actions and released letters (by the embargo rules of the data model).
    fn public_events(&self) -> Vec<String> {
        let mut days = Vec::new();
        for a in self
            .toml
            .get("actions")
            .and_then(|a| a.as_array())
            .into_iter()
            .flatten()
        {
            if a.get("public").and_then(|p| p.as_bool()) == Some(true) {
                days.push(a["date"].to_string());
            }
        }
        for l in self
            .toml
            .get("correspondence")
            .and_then(|a| a.as_array())
            .into_iter()
            .flatten()
        {
            if l.get("mode").and_then(|m| m.as_str()) == Some("withheld") {
                continue;
            }
            let release = l.get("publish_after").or_else(|| l.get("deadline"));
            if release.is_some_and(|d| d.to_string().as_str() <= BUILD_DATE) {
                days.push(l["date"].to_string());
            }
        }
        days
    }
}

fn published_cases() -> Vec<Case> {
    published_case_records(&repo_root())
        .into_iter()
        .map(|(id, toml)| Case { id, toml })
        .collect()
}

fn tally(keys: impl Iterator<Item = String>) -> BTreeMap<String, u64> {
    let mut map = BTreeMap::new();
    for k in keys {
        *map.entry(k).or_insert(0) += 1;
    }
    map
}

/// The rows of the figure table `id` on a trends page: key to shown number (None: suppressed).
fn figure(html: &str, id: &str) -> BTreeMap<String, Option<u64>> {
    let start = html
        .find(&format!("id={id}-table"))
        .or_else(|| html.find(&format!("id=\"{id}-table\"")))
        .unwrap_or_else(|| panic!("no table {id}"));
    let table = &html[start..start + html[start..].find("</table>").unwrap()];
    let row = regex::Regex::new(
        r#"data-key="?([a-z0-9_]+)"?>.*?<td[^>]*?(?:data-value="?([0-9]+)"?|data-suppressed)"#,
    )
    .unwrap();
    row.captures_iter(table)
        .map(|c| {
            (
                c[1].to_owned(),
                c.get(2).map(|v| v.as_str().parse().unwrap()),
            )
        })
        .collect()
}

fn nonzero(map: BTreeMap<String, Option<u64>>) -> BTreeMap<String, u64> {
    map.into_iter()
        .map(|(k, v)| (k, v.expect("public fields are never suppressed")))
        .filter(|(_, v)| *v > 0)
        .collect()
}

#[test]
fn trend_counts_equal_counts_worked_out_from_the_toml_files() {
    let cases = published_cases();
    let regions: BTreeMap<String, String> = {
        let vocab: toml::Table =
            toml::from_str(&read(&repo_root().join("public-data/vocab/countries.toml"))).unwrap();
        vocab["country"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["code"].as_str().unwrap().to_owned(),
                    c["region"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    for lang in LANGS {
        let html = read(&sample().join(format!("{lang}trends/index.html")));
        let years = tally(cases.iter().map(|c| c.date()[..4].to_owned()));
        assert_eq!(nonzero(figure(&html, "year")), years, "{lang}");
        let committees = tally(
            cases
                .iter()
                .flat_map(|c| c.strs("committees"))
                .map(|c| c.to_lowercase()),
        );
        assert_eq!(nonzero(figure(&html, "committee")), committees);
        let countries = tally(cases.iter().map(|c| c.str("country").to_lowercase()));
        assert_eq!(nonzero(figure(&html, "country")), countries);
        let by_region = tally(cases.iter().map(|c| regions[&c.str("country")].clone()));
        assert_eq!(nonzero(figure(&html, "region")), by_region);
        let types = tally(cases.iter().flat_map(|c| c.strs("reprisal_types")));
        assert_eq!(nonzero(figure(&html, "type")), types);
        let contexts = tally(cases.iter().flat_map(|c| c.strs("context")));
        assert_eq!(nonzero(figure(&html, "context")), contexts);
        let statuses = tally(cases.iter().map(|c| c.str("status")));
        assert_eq!(nonzero(figure(&html, "status")), statuses);
        let profiles = tally(cases.iter().flat_map(|c| {
            let mut p: Vec<String> = c.toml["victim"]
                .get("profile")
                .and_then(|p| p.as_array())
                .into_iter()
                .flatten()
                .map(|x| x.as_str().unwrap().to_owned())
                .collect();
            p.sort();
            p.dedup();
            p
        }));
        assert_eq!(nonzero(figure(&html, "profile")), profiles);
        assert!(html.contains("<svg"), "charts are inline SVG");
        assert!(!html.contains("style="), "CSP forbids style attributes");
    }
    let en = read(&sample().join("trends/index.html"));
    assert!(en.contains(&format!("{} public cases", cases.len())));
}

#[test]
fn aggregate_only_fields_show_no_small_cell_and_no_recoverable_one() {
    // Counted per reporting period (1 May to 30 April) in which publication was approved, and
    // only for periods over by the build date (2026-11-29): 2025 (May 2025 – April 2026) is
    // the last one shown, 2026 is open.
    let mut by_period: BTreeMap<i64, Vec<Case>> = BTreeMap::new();
    for case in published_cases() {
        let approved = case.toml["review"]["approved"].to_string();
        let year: i64 = approved[..4].parse().unwrap();
        let period = if &approved[5..] >= "05-01" {
            year
        } else {
            year - 1
        };
        by_period.entry(period).or_default().push(case);
    }
    let open = by_period.remove(&2026).unwrap_or_default();
    for lang in LANGS {
        let html = read(&sample().join(format!("{lang}trends/index.html")));
        assert!(!html.contains("id=\"gender-2026"), "{lang}");
        for year in by_period.keys() {
            assert!(
                html.contains(&format!("gender-{year}-table")),
                "{lang}{year}"
            );
        }
    }
    assert!(
        !open.is_empty(),
        "the sample has cases approved in the open period"
    );
    let en = read(&sample().join("trends/index.html"));
    assert!(
        en.contains("is not over: no breakdown by gender"),
        "no word on the open period"
    );
    for (year, cases) in &by_period {
        check_aggregates(cases, *year);
    }
}

fn check_aggregates(cases: &[Case], year: i64) {
    let truth = |field: &str| -> (BTreeMap<String, u64>, BTreeMap<String, u64>) {
        let all = tally(cases.iter().flat_map(|c| match field {
            "perpetrator" => c.strs("perpetrators"),
            "gender" => vec![c.victim("gender").unwrap_or("not_recorded".into())],
            _ => vec![c.victim("age_group").unwrap_or("not_recorded".into())],
        }));
        let scope = match field {
            "perpetrator" => "perpetrators",
            "gender" => "gender",
            _ => "age_group",
        };
        let consented = tally(
            cases
                .iter()
                .filter(|c| c.scopes().iter().any(|s| s == scope))
                .flat_map(|c| match field {
                    "perpetrator" => c.strs("perpetrators"),
                    "gender" => c.victim("gender").into_iter().collect(),
                    _ => c.victim("age_group").into_iter().collect(),
                }),
        );
        (all, consented)
    };
    for lang in LANGS {
        let html = read(&sample().join(format!("{lang}trends/index.html")));
        for field in ["gender", "age-group", "perpetrator"] {
            let shown = figure(&html, &format!("{field}-{year}"));
            assert!(shown.len() >= 4, "{lang}{field}: {shown:?}");
            let (all, consented) = truth(field);
            let mut hidden_total = 0;
            let mut suppressed = 0;
            for (key, value) in &shown {
                let real = all.get(key).copied().unwrap_or(0);
                let seen_on_pages = consented.get(key).copied().unwrap_or(0);
                match value {
                    Some(n) => {
                        assert_eq!(*n, real, "{lang}{field} {key}");
                        assert!(*n == 0 || *n >= MIN_CELL, "{lang}{field} {key} = {n}");
                        let unconsented = n - seen_on_pages;
                        assert!(
                            unconsented == 0 || unconsented >= MIN_CELL,
                            "{field} {key}: {unconsented} case(s) without consent exposed"
                        );
                    }
                    None => {
                        assert!(
                            real > 0 || shown.values().all(Option::is_none),
                            "{field} {key}: a zero is suppressed only with the whole table"
                        );
                        hidden_total += real;
                        suppressed += 1;
                    }
                }
            }
            if field != "perpetrator" {
                // These tables add up to the published cases, a number everyone can see: what
                // the shown cells leave over must be spread over at least two hidden cells.
                let shown_total: u64 = shown.values().flatten().sum();
                assert_eq!(shown_total + hidden_total, cases.len() as u64, "{field}");
                assert!(
                    suppressed != 1,
                    "{field}: a lone hidden cell equals the remainder"
                );
            }
        }
    }
}

#[test]
fn cases_json_follows_its_schema_and_holds_exactly_the_published_cases() {
    let json: serde_json::Value =
        serde_json::from_str(&read(&sample().join("data/cases.json"))).unwrap();
    let schema: serde_json::Value =
        serde_json::from_str(&read(&sample().join("data/cases.schema.json"))).unwrap();
    let validator = jsonschema::draft202012::new(&schema).expect("the schema is valid");
    let errors: Vec<String> = validator
        .iter_errors(&json)
        .take(5)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The schema rejects what it should: a case with an unknown field.
    let mut broken = json.clone();
    broken["cases"][0]["private"] = serde_json::json!({ "note": "x" });
    assert!(!validator.is_valid(&broken));

    let ids: BTreeSet<String> = json["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect();
    let expected: BTreeSet<String> = published_cases().into_iter().map(|c| c.id).collect();
    assert_eq!(ids, expected);
    assert_eq!(json["generated"], BUILD_DATE);
    assert_eq!(json["licence"]["name"], "CC BY 4.0");
    let fp: serde_json::Value =
        serde_json::from_str(&read(&sample().join("data/focal-points.json"))).unwrap();
    assert_eq!(fp["generated"], BUILD_DATE);
    assert!(fp["focal_points"].as_array().unwrap().len() >= 10);
}

/// CSV text without its byte-order mark.
fn csv_text(path: &Path) -> String {
    let text = read(path);
    text.strip_prefix('\u{feff}').unwrap_or(&text).to_owned()
}

#[test]
fn the_csv_files_round_trip_use_crlf_and_are_formula_safe() {
    let expected: BTreeSet<String> = published_cases().into_iter().map(|c| c.id).collect();
    for name in [
        "cases.csv",
        "cases.fr.csv",
        "cases.ar.csv",
        "cases.zh.csv",
        "cases.ru.csv",
        "cases.es.csv",
        "focal-points.csv",
        "focal-points.ar.csv",
    ] {
        let text = csv_text(&sample().join("data").join(name));
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let header = reader.headers().unwrap().clone();
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert!(rows.iter().all(|r| r.len() == header.len()), "{name}");
        assert_eq!(
            text.matches("\r\n").count(),
            rows.len() + 1,
            "{name}: every record ends with CRLF"
        );
        for cell in rows.iter().flat_map(|r| r.iter()) {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{name}: formula-like cell {cell:?}"
            );
        }
        // Writing the records back gives the same file: nothing is lost in quoting.
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        writer.write_record(&header).unwrap();
        for r in &rows {
            writer.write_record(r).unwrap();
        }
        assert_eq!(
            String::from_utf8(writer.into_inner().unwrap()).unwrap(),
            text
        );
        if name.starts_with("cases") {
            let ids: BTreeSet<String> = rows.iter().map(|r| r[0].to_owned()).collect();
            assert_eq!(ids, expected, "{name}");
        }
    }
}

#[test]
fn a_title_written_as_a_formula_reaches_the_csv_as_text() {
    let root = copy_site(&fixture("minimal"));
    let file = root.path().join("public-data/cases/2024/2024-001.toml");
    let text = read(&file).replace(
        "title = { en = \"Lawyer threatened after briefing the Committee\"",
        "title = { en = \"=HYPERLINK(\\\"http://evil.example/\\\",\\\"x\\\")\"",
    );
    std::fs::write(&file, text).unwrap();
    let out = tempfile::tempdir().unwrap();
    let result = build(root.path(), &out.path().join("site"), "2024-06-15");
    assert!(result.status.success(), "{}", stderr(&result));
    let csv = csv_text(&out.path().join("site/data/cases.csv"));
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let titles: Vec<String> = reader.records().map(|r| r.unwrap()[2].to_owned()).collect();
    assert!(
        titles.contains(&"'=HYPERLINK(\"http://evil.example/\",\"x\")".to_owned()),
        "{titles:?}"
    );
}

#[test]
fn feeds_and_sitemap_are_well_formed_with_the_right_namespaces() {
    const ATOM: &str = "http://www.w3.org/2005/Atom";
    let cases = published_cases();
    for lang in LANGS {
        let text = read(&sample().join(format!("{lang}feed.xml")));
        let doc = roxmltree::Document::parse(&text).expect("feed.xml is XML");
        let feed = doc.root_element();
        assert_eq!(feed.tag_name().namespace(), Some(ATOM));
        assert_eq!(feed.tag_name().name(), "feed");
        for required in ["id", "title", "updated", "author"] {
            assert!(
                feed.children().any(|n| n.has_tag_name((ATOM, required))),
                "feed lacks {required}"
            );
        }
        let entries: Vec<_> = feed
            .children()
            .filter(|n| n.has_tag_name((ATOM, "entry")))
            .collect();
        assert_eq!(entries.len(), cases.len().min(50));
        let ids: BTreeSet<&str> = entries
            .iter()
            .map(|e| {
                e.children()
                    .find(|n| n.has_tag_name((ATOM, "id")))
                    .and_then(|n| n.text())
                    .unwrap()
            })
            .collect();
        assert_eq!(ids.len(), entries.len(), "entry ids are unique");
        let updated: Vec<&str> = entries
            .iter()
            .map(|e| {
                e.children()
                    .find(|n| n.has_tag_name((ATOM, "updated")))
                    .and_then(|n| n.text())
                    .unwrap()
            })
            .collect();
        assert!(
            updated
                .iter()
                .all(|u| u.len() == 20 && u.ends_with("T00:00:00Z"))
        );
        assert!(
            updated.iter().all(|u| *u <= "2026-11-29T00:00:00Z"),
            "no clock time"
        );
    }
    let cat = read(&sample().join("committees/cat/feed.xml"));
    let doc = roxmltree::Document::parse(&cat).unwrap();
    let n = doc
        .root_element()
        .children()
        .filter(|n| n.has_tag_name((ATOM, "entry")))
        .count();
    let expected = cases
        .iter()
        .filter(|c| c.strs("committees").contains(&"CAT".to_owned()))
        .count();
    assert_eq!(n, expected.min(50));

    let text = read(&sample().join("sitemap.xml"));
    let doc = roxmltree::Document::parse(&text).expect("sitemap.xml is XML");
    const SITEMAP: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
    const XHTML: &str = "http://www.w3.org/1999/xhtml";
    assert!(doc.root_element().has_tag_name((SITEMAP, "urlset")));
    let urls: Vec<_> = doc
        .root_element()
        .children()
        .filter(|n| n.has_tag_name((SITEMAP, "url")))
        .collect();
    let pages = walkdir::WalkDir::new(sample())
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "index.html")
        // The old country browse addresses show the country page under rel=canonical: only
        // the canonical address is listed.
        .filter(|e| !e.path().to_string_lossy().contains("/cases/country/"))
        .count();
    assert_eq!(urls.len(), pages, "every page is listed once");
    for url in &urls {
        let loc = url
            .children()
            .find(|n| n.has_tag_name((SITEMAP, "loc")))
            .and_then(|n| n.text())
            .unwrap();
        assert!(loc.starts_with("https://reprisals.example.org/"), "{loc}");
        let langs: BTreeSet<&str> = url
            .children()
            .filter(|n| n.has_tag_name((XHTML, "link")))
            .map(|n| n.attribute("hreflang").unwrap())
            .collect();
        assert_eq!(langs.len(), 7, "six languages and x-default: {loc}");
    }
    let robots = read(&sample().join("robots.txt"));
    assert!(robots.contains("Sitemap: https://reprisals.example.org/sitemap.xml"));
}

#[test]
fn nothing_withheld_reaches_data_feeds_sitemap_reports_or_exports() {
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(sample())
        .into_iter()
        .filter_map(Result::ok)
    {
        let name = entry.file_name().to_string_lossy();
        let relevant = entry.path().starts_with(sample().join("data"))
            || name.ends_with(".xml")
            || name.ends_with(".md")
            || name.ends_with(".txt") && !entry.path().starts_with(sample().join("files"))
            || entry.path().to_string_lossy().contains("trends");
        if entry.file_type().is_file() && relevant {
            let text = read(entry.path()).to_lowercase();
            assert!(!text.contains("sentinel"), "{}", entry.path().display());
            checked += 1;
        }
    }
    assert!(checked > 100, "{checked}");
}

#[test]
fn report_sections_count_what_the_committee_received_in_the_period() {
    let cases = published_cases();
    // Period 2024 runs from 1 May 2024 to 30 April 2025 (the default start, 05-01).
    let received: Vec<&Case> = cases
        .iter()
        .filter(|c| {
            c.strs("committees").contains(&"CAT".to_owned())
                && c.date().as_str() >= "2024-05-01"
                && c.date().as_str() <= "2025-04-30"
        })
        .collect();
    assert!(!received.is_empty());
    let md = read(&sample().join("reports/cat/2024/report.md"));
    let section = md
        .split("## Allegations received")
        .nth(1)
        .unwrap()
        .split("\n## ")
        .next()
        .unwrap();
    let listed: BTreeSet<&str> = received
        .iter()
        .map(|c| c.id.as_str())
        .filter(|id| section.contains(id))
        .collect();
    assert_eq!(listed.len(), received.len(), "{section}");
    // The public cases, and the allegations received: CAT has no statistics-only case in
    // the sample, so they are the same number unless withheld to protect another committee's.
    let summary = format!("{} public case", received.len());
    assert!(md.contains(&summary), "{md}");
    let allegations = format!("statistics only: {}\n", received.len());
    assert!(
        md.contains(&allegations) || md.contains("statistics only: withheld\n"),
        "{md}"
    );
    for lang in LANGS {
        assert!(
            sample()
                .join(format!("{lang}reports/cat/2024/index.html"))
                .is_file()
        );
        assert!(
            sample()
                .join(format!("{lang}reports/cat/2024/report.md"))
                .is_file()
        );
        let committee = read(&sample().join(format!("{lang}committees/cat/index.html")));
        assert!(
            committee.contains("reports/cat/2024/"),
            "{lang}: no link to the report"
        );
        let page = read(&sample().join(format!("{lang}data/index.html")));
        assert!(page.contains("cases.schema.json"));
        assert!(
            page.contains("application/atom+xml"),
            "feed link in the head"
        );
    }
}

#[test]
fn the_sg_report_export_lists_new_cases_and_follow_up_by_country() {
    let out = tempfile::tempdir().unwrap();
    let result = run(&[
        "export",
        "--root",
        repo_root().to_str().unwrap(),
        "--build-date",
        BUILD_DATE,
        "--for",
        "sg-report",
        "--period",
        "2024-05-01..2025-04-30",
        "--output",
        out.path().to_str().unwrap(),
    ]);
    assert!(result.status.success(), "{}", stderr(&result));
    let csv = csv_text(&out.path().join("sg-report-2024-05-01--2025-04-30.csv"));
    let md = read(&out.path().join("sg-report-2024-05-01--2025-04-30.md"));
    assert!(!csv.to_lowercase().contains("sentinel") && !md.to_lowercase().contains("sentinel"));
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let mut new = BTreeSet::new();
    let mut follow_up = BTreeSet::new();
    for row in reader.records() {
        let row = row.unwrap();
        match &row[0] {
            "new" => new.insert(row[3].to_owned()),
            "follow_up" => follow_up.insert(row[3].to_owned()),
            other => panic!("unknown annex {other}"),
        };
    }
    let cases = published_cases();
    let in_period = |d: &str| ("2024-05-01"..="2025-04-30").contains(&d);
    let expected_new: BTreeSet<String> = cases
        .iter()
        .filter(|c| in_period(&c.date()))
        .map(|c| c.id.clone())
        .collect();
    let expected_follow_up: BTreeSet<String> = cases
        .iter()
        .filter(|c| c.date().as_str() < "2024-05-01")
        .filter(|c| c.public_events().iter().any(|d| in_period(d)))
        .map(|c| c.id.clone())
        .collect();
    assert_eq!(new, expected_new);
    assert_eq!(follow_up, expected_follow_up);
    assert!(!follow_up.is_empty());
    let annex_two = md.find("## Annex II").unwrap();
    for id in &new {
        assert!(md[..annex_two].contains(&format!("case {id};")), "{id}");
    }

    let bad = run(&[
        "export",
        "--for",
        "sg-report",
        "--period",
        "2025-01-01..2024-01-01",
    ]);
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
}

/// Cases that would be published but for a withdrawn consent, from the TOML files: id and date.
fn withdrawn_cases() -> Vec<(String, String, toml::Table)> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(repo_root().join("public-data/cases")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let toml: toml::Table = toml::from_str(&read(entry.path())).unwrap();
        let withdrawn = toml
            .get("consent")
            .and_then(|c| c.get("withdrawn"))
            .map(|d| d.to_string());
        if let (Some(date), Some(true)) = (withdrawn, toml.get("publish").and_then(|p| p.as_bool()))
        {
            out.push((toml["id"].as_str().unwrap().to_owned(), date, toml));
        }
    }
    out.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
    out
}

#[test]
fn withdrawn_json_lists_withdrawn_cases_by_id_and_date_and_nothing_else() {
    let expected = withdrawn_cases();
    assert!(!expected.is_empty(), "the sample has withdrawn cases");
    let json: serde_json::Value =
        serde_json::from_str(&read(&sample().join("data/withdrawn.json"))).unwrap();
    let list = json["withdrawn"].as_array().expect("a list");
    let mut seen = Vec::new();
    for entry in list {
        let object = entry.as_object().unwrap();
        let keys: Vec<&str> = object.keys().map(String::as_str).collect();
        assert_eq!(keys, ["id", "withdrawn"], "ids and dates only: {entry}");
        seen.push((
            object["id"].as_str().unwrap().to_owned(),
            object["withdrawn"].as_str().unwrap().to_owned(),
        ));
    }
    let want: Vec<(String, String)> = expected
        .iter()
        .map(|(i, d, _)| (i.clone(), d.clone()))
        .collect();
    assert_eq!(seen, want);
    assert!(
        json["licence"]["terms"]
            .as_str()
            .unwrap()
            .contains("withdrawn.json")
    );
    // The rest of a withdrawn case is nowhere: no page, no title in the list or the feeds.
    for (id, _, toml) in &expected {
        assert!(
            !sample().join(format!("cases/{id}")).exists(),
            "{id} has a page"
        );
        let title = match &toml["title"] {
            toml::Value::String(t) => t.as_str(),
            other => other["en"].as_str().unwrap(),
        };
        for file in ["data/withdrawn.json", "feed.xml", "data/cases.json"] {
            assert!(
                !read(&sample().join(file)).contains(title),
                "{id} title in {file}"
            );
        }
    }
}

#[test]
fn every_feed_carries_an_rfc_6721_tombstone_per_withdrawn_case_with_ref_and_when_only() {
    const ATOM: &str = "http://www.w3.org/2005/Atom";
    const AT: &str = "http://purl.org/atompub/tombstones/1.0";
    let expected = withdrawn_cases();
    for lang in LANGS {
        for feed in [
            "feed.xml",
            "committees/cat/feed.xml",
            "committees/cmw/feed.xml",
        ] {
            let text = read(&sample().join(format!("{lang}{feed}")));
            let doc = roxmltree::Document::parse(&text).expect("the feed is XML");
            let root = doc.root_element();
            let tombstones: Vec<_> = root
                .children()
                .filter(|n| n.has_tag_name((AT, "deleted-entry")))
                .collect();
            let got: Vec<(String, String)> = tombstones
                .iter()
                .map(|t| {
                    let names: Vec<&str> = t.attributes().map(|a| a.name()).collect();
                    assert_eq!(names, ["ref", "when"], "ref and when only");
                    assert_eq!(t.children().count(), 0, "nothing else of the case");
                    (
                        t.attribute("ref").unwrap().to_owned(),
                        t.attribute("when").unwrap().to_owned(),
                    )
                })
                .collect();
            let want: Vec<(String, String)> = expected
                .iter()
                .map(|(id, date, _)| {
                    (
                        format!("https://reprisals.example.org/{lang}cases/{id}/"),
                        format!("{date}T00:00:00Z"),
                    )
                })
                .collect();
            assert_eq!(got, want, "{lang}{feed}");
            // A tombstone's ref is the id its entry had; no live entry has it.
            let ids: BTreeSet<&str> = root
                .children()
                .filter(|n| n.has_tag_name((ATOM, "entry")))
                .filter_map(|e| e.children().find(|n| n.has_tag_name((ATOM, "id"))))
                .filter_map(|n| n.text())
                .collect();
            assert!(want.iter().all(|(r, _)| !ids.contains(r.as_str())));
        }
    }
}

#[test]
fn sample_cases_cite_only_sample_symbols_and_sample_addresses() {
    let json: serde_json::Value =
        serde_json::from_str(&read(&sample().join("data/cases.json"))).unwrap();
    assert_eq!(json["sample"], true);
    for case in json["cases"].as_array().unwrap() {
        for source in case["sources"].as_array().unwrap() {
            let symbol = source["symbol"].as_str().unwrap();
            assert!(symbol.starts_with("SAMPLE/"), "{symbol}");
            assert!(source.get("url").is_none_or(|u| u.is_null()), "{source}");
        }
        for action in case["actions"].as_array().unwrap() {
            if let Some(r) = action["reference"].as_str() {
                assert!(r.starts_with("SAMPLE/"), "{r}");
            }
        }
    }
    let fps = read(&sample().join("data/focal-points.json"));
    for committee in walkdir::WalkDir::new(repo_root().join("public-data"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "toml"))
    {
        for line in read(committee.path()).lines() {
            if let Some(value) = line.strip_prefix("value = \"").filter(|v| v.contains('@')) {
                assert!(value.ends_with("@example.org\""), "{value}");
            }
        }
    }
    assert!(!fps.contains("@un.org"));
}
