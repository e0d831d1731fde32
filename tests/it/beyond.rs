//! Issue 17, as a webmaster and a reader meet it: referrals, sessions, committee practice and
//! mechanism references are validated strictly with positions; the sample site shows where
//! else to turn, country pages, sessions ahead and the practice comparison.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::common::*;

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).expect("write fixture file");
}

fn check(root: &Path) -> String {
    let out = run(&[
        "check",
        "--root",
        root.to_str().unwrap(),
        "--build-date",
        "2024-06-15",
    ]);
    // 1: an error in what every page needs; 5: a broken case withheld, the rest built.
    assert!(matches!(out.status.code(), Some(1 | 5)), "{}", stderr(&out));
    stderr(&out)
}

const REFERRAL: &str = r#"
[[referral]]
id = "helpline"
name = { en = "Helpline" }
handles = "Emergencies."
when = "Now."
urgent = true
needs_consent = true
[[referral.contact]]
kind = "email"
value = "help@example.org"
"#;

#[test]
fn a_misspelt_referral_field_is_named_with_its_position() {
    let site = copy_site(&fixture("minimal"));
    let text = REFERRAL.replace("needs_consent", "need_consent");
    write(site.path(), "public-data/referrals.toml", &text);
    let err = check(site.path());
    assert!(err.contains("× unknown field `need_consent`"), "{err}");
    assert!(err.contains("[public-data/referrals.toml:8:1]"), "{err}");
    assert!(err.contains("did you mean `needs_consent`?"), "{err}");
}

#[test]
fn referrals_need_unique_ids_contacts_that_fit_and_known_regions() {
    let site = copy_site(&fixture("minimal"));
    let text = format!(
        "{REFERRAL}\n{}",
        REFERRAL
            .replace(
                "value = \"help@example.org\"",
                "value = \"javascript:alert(1)\""
            )
            .replace("kind = \"email\"", "kind = \"web\"")
            .replace("urgent = true", "urgent = false\nregions = [\"africa\"]")
    );
    write(site.path(), "public-data/referrals.toml", &text);
    let err = check(site.path());
    assert!(
        err.contains("× referral `helpline` is defined twice"),
        "{err}"
    );
    assert!(err.contains("[public-data/referrals.toml:15:6]"), "{err}");
    assert!(err.contains("contact of kind \"web\""), "{err}");
    assert!(err.contains("× unknown region `africa`"), "{err}");
    assert!(err.contains("did you mean `african_states`?"), "{err}");
}

#[test]
fn a_referral_without_contact_is_an_error() {
    let site = copy_site(&fixture("minimal"));
    let text = REFERRAL
        .split("[[referral.contact]]")
        .next()
        .unwrap()
        .to_owned()
        + "contact = []\n";
    write(site.path(), "public-data/referrals.toml", &text);
    let err = check(site.path());
    assert!(
        err.contains("× referral `helpline` has no contact"),
        "{err}"
    );
    assert!(err.contains("[public-data/referrals.toml:9:11]"), "{err}");
}

#[test]
fn sessions_are_checked_for_committee_countries_dates_and_duplicates() {
    let site = copy_site(&fixture("minimal"));
    let session = "committee = \"CAT\"\nsession = \"80\"\nstart = 2024-07-01\nend = 2024-06-20\nreviews = [\"MEX\", \"MXE\"]\n\n[[visits]]\ncountry = \"KEN\"\npublic = true\n";
    write(site.path(), "public-data/sessions/cat-80.toml", session);
    write(
        site.path(),
        "public-data/sessions/cat-80-again.toml",
        session,
    );
    write(
        site.path(),
        "public-data/sessions/cmw-1.toml",
        "committee = \"CMX\"\nsession = \"1\"\nstart = 2024-07-01\nend = 2024-07-02\nvisit = []\n",
    );
    let err = check(site.path());
    assert!(
        err.contains("× the session ends (2024-06-20) before it starts (2024-07-01)"),
        "{err}"
    );
    assert!(
        err.contains("[public-data/sessions/cat-80.toml:4:7]"),
        "{err}"
    );
    assert!(err.contains("× unknown country `MXE`"), "{err}");
    assert!(
        err.contains("[public-data/sessions/cat-80.toml:5:19]"),
        "{err}"
    );
    assert!(
        err.contains("is already described in public-data/sessions/cat-80-again.toml")
            || err.contains("is already described in public-data/sessions/cat-80.toml"),
        "{err}"
    );
    assert!(err.contains("× unknown field `visit`"), "{err}");
    assert!(err.contains("did you mean `visits`?"), "{err}");
}

#[test]
fn committee_practice_fields_are_validated() {
    let site = copy_site(&fixture("minimal"));
    let path = "public-data/committees/cat.toml";
    let text = read(&site.path().join(path)).replacen(
        "sjg_endorsed = 2015-11-20\n",
        "sjg_endorsed = 2015-11-20\nintake = [\"email\", \"email\", \"fax\"]\n",
        1,
    ) + "\n[letters]\npublished = false\nafter_deadline_days = 10\n";
    write(site.path(), path, &text);
    let err = check(site.path());
    assert!(err.contains("× unknown variant `fax`"), "{err}");
    assert!(
        err.contains("expected one of: secure_form, email, post, in_session, ohchr_field"),
        "{err}"
    );
    write(site.path(), path, &text.replace(", \"fax\"", ""));
    let err = check(site.path());
    assert!(
        err.contains("× this intake channel is listed twice"),
        "{err}"
    );
    assert!(
        err.contains("× `after_deadline_days` is set but `published = false`"),
        "{err}"
    );
}

#[test]
fn mechanism_references_are_validated() {
    let site = copy_site(&fixture("minimal"));
    let case = "public-data/cases/2024/2024-002.toml";
    let text = read(&site.path().join(case))
        + "\n[[mechanism_refs]]\nkind = \"sg_reprot\"\nreference = \"A/HRC/57/60\"\n\n[[mechanism_refs]]\nkind = \"hrc_statement\"\nreference = \" \"\n";
    write(site.path(), case, &text);
    let err = check(site.path());
    assert!(err.contains("× unknown variant `sg_reprot`"), "{err}");
    assert!(err.contains("did you mean `sg_report`?"), "{err}");
    let text = text.replace("sg_reprot", "sg_report");
    write(site.path(), case, &text);
    let err = check(site.path());
    assert!(err.contains("× `reference` is empty"), "{err}");
}

/// The sample site, built once for every test below.
fn sample() -> &'static Path {
    static SITE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, out) = SITE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let result = build(&repo_root(), &out, "2026-11-29");
        assert!(result.status.success(), "{}", stderr(&result));
        (dir, out)
    });
    out
}

fn page(path: &str) -> String {
    read(&sample().join(path))
}

#[test]
fn where_else_exists_in_every_language_urgent_first() {
    for prefix in ["", "fr/", "es/", "ar/", "zh/", "ru/"] {
        let html = page(&format!("{prefix}where-else/index.html"));
        let urgent = html
            .find("id=\"ref-protection_helpline\"")
            .expect("urgent entry");
        let later = html.find("id=\"ref-asg_reprisals\"").expect("other entry");
        assert!(urgent < later, "{prefix}: urgent entries come first");
        assert!(html.contains("mailto:reprisals@example.org"), "{prefix}");
    }
}

#[test]
fn how_to_submit_opens_with_the_in_danger_block() {
    for prefix in ["", "ar/"] {
        let html = page(&format!("{prefix}how-to-submit/index.html"));
        let block = html.find("class=\"in-danger\"").expect("in danger block");
        let roster = html.find("id=\"roster-heading\"").expect("roster");
        let body = html.find("class=\"toc\"").unwrap_or(roster);
        assert!(block < body && block < roster, "{prefix}: block at the top");
        assert!(
            html.contains("href=\"../where-else/#ref-interim_measures\""),
            "{prefix}"
        );
        // Only urgent entries in the block.
        let block_html = &html[block..html[block..].find("</aside>").unwrap() + block];
        assert!(!block_html.contains("asg_reprisals"), "{prefix}");
    }
}

/// The sample's urgent referrals, in the order of `public-data/referrals.toml`.
const URGENT: [&str; 3] = [
    "protection_helpline",
    "special_procedures_urgent_appeals",
    "interim_measures",
];

/// The "In danger now" block of a page: from its opening to its `</aside>`.
fn in_danger_block(html: &str) -> Option<&str> {
    let start = html.find("<aside class=\"in-danger\"")?;
    let end = start + html[start..].find("</aside>").expect("the block ends");
    Some(&html[start..end])
}

/// Every committee factsheet of a built site, as (address, page), in every language.
fn factsheets(site: &Path, prefixes: &[&str]) -> Vec<(String, String)> {
    let mut pages = Vec::new();
    for prefix in prefixes {
        let committees = site.join(prefix).join("committees");
        let mut codes: Vec<String> = std::fs::read_dir(&committees)
            .unwrap_or_else(|e| panic!("{}: {e}", committees.display()))
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().unwrap().is_dir())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        codes.sort();
        for code in codes {
            let path = format!("{prefix}committees/{code}/factsheet/index.html");
            pages.push((path.clone(), read(&site.join(&path))));
        }
    }
    pages
}

#[test]
fn every_factsheet_opens_with_the_in_danger_block() {
    let sheets = factsheets(sample(), &["", "fr/", "es/", "ar/", "zh/", "ru/"]);
    assert_eq!(sheets.len(), 6 * 10, "ten committees in six languages");
    for (path, html) in &sheets {
        let block = in_danger_block(html).unwrap_or_else(|| panic!("{path}: no block"));
        let start = html.find("<aside class=\"in-danger\"").unwrap();
        let first_section = html
            .find("id=\"fs-what\"")
            .expect("the factsheet's first section");
        assert!(start < first_section, "{path}: the block comes first");
        assert!(
            html.find("class=\"factsheet\"").unwrap() < start,
            "{path}: the block is part of the printed sheet"
        );
        for id in URGENT {
            assert!(block.contains(&format!("#ref-{id}")), "{path}: {id}");
        }
        // Only urgent entries, with their contacts written out.
        assert!(!block.contains("asg_reprisals"), "{path}");
        assert!(block.contains("+1 555 0100"), "{path}");
        assert!(
            block.contains("/where-else/"),
            "{path}: where the others are"
        );
        assert_eq!(
            html.matches("id=\"in-danger-heading\"").count(),
            1,
            "{path}"
        );
        assert_eq!(
            html.matches("<aside class=\"in-danger\"").count(),
            1,
            "{path}"
        );
    }
}

#[test]
fn without_an_urgent_referral_there_is_no_in_danger_block() {
    let site = copy_site(&fixture("minimal"));
    let pages = |out: &Path| {
        let mut pages = factsheets(out, &["", "fr/"]);
        for prefix in ["", "fr/"] {
            let path = format!("{prefix}how-to-submit/index.html");
            pages.push((path.clone(), read(&out.join(&path))));
        }
        assert_eq!(
            pages.len(),
            2 * 2 + 2,
            "two factsheets and how-to-submit, twice"
        );
        pages
    };
    let not_urgent = REFERRAL.replace("urgent = true", "urgent = false");
    write(site.path(), "public-data/referrals.toml", &not_urgent);
    let out = site.path().join("out");
    let result = build(site.path(), &out, "2024-06-15");
    assert!(result.status.success(), "{}", stderr(&result));
    for (path, html) in pages(&out) {
        assert!(!html.contains("in-danger"), "{path}: an empty block");
    }
    // The same site with the referral urgent: the block is on all of them.
    write(site.path(), "public-data/referrals.toml", REFERRAL);
    let out = site.path().join("out-urgent");
    let result = build(site.path(), &out, "2024-06-15");
    assert!(result.status.success(), "{}", stderr(&result));
    for (path, html) in pages(&out) {
        let block = in_danger_block(&html).unwrap_or_else(|| panic!("{path}: no block"));
        assert!(block.contains("#ref-helpline"), "{path}");
        assert!(block.contains("help@example.org"), "{path}");
    }
}

#[test]
fn the_country_page_gathers_a_states_cases_letters_and_sessions() {
    let html = page("countries/mex/index.html");
    assert!(html.contains("<h1>Mexico</h1>"), "{html}");
    assert!(html.contains("3 public cases"));
    assert!(html.contains("1 letter to the State published"));
    assert!(html.contains("answered by the deadline: 1 of 1"));
    assert!(html.contains("href=\"../../committees/cat/\""));
    assert!(html.contains("id=\"session-cat-85\""));
    assert!(html.contains("UA MEX 1/2025"));
    assert!(html.contains("annex I, para. 41"));
    assert!(html.contains("href=\"../../cases/2025-001/\""));
    // Regional referrals follow the State's region; urgent ones are everywhere.
    assert!(html.contains("ref-inter_american_commission"));
    assert!(!html.contains("ref-african_commission"));
    // The case page and the index's country facet link here.
    assert!(page("cases/2025-001/index.html").contains("href=\"../../countries/mex/\""));
    assert!(page("cases/index.html").contains("href=\"../countries/mex/\""));
}

#[test]
fn the_old_browse_address_shows_the_country_page_and_names_the_new_one() {
    let html = page("cases/country/mex/index.html");
    assert!(html.contains("<h1>Mexico</h1>"), "{html}");
    assert!(
        html.contains("id=\"session-cat-85\""),
        "the whole country page"
    );
    assert!(
        html.contains(
            "<link rel=\"canonical\" href=\"https://reprisals.example.org/countries/mex/\">"
        ),
        "{html}"
    );
    assert!(
        html.contains("<a href=\"../../../countries/mex/\">"),
        "{html}"
    );
    assert!(
        html.contains("href=\"../../../committees/cat/\""),
        "links are relative to the old address"
    );
    let fr = page("fr/cases/country/mex/index.html");
    assert!(
        fr.contains(
            "<link rel=\"canonical\" href=\"https://reprisals.example.org/fr/countries/mex/\">"
        ),
        "{fr}"
    );
    assert!(page("countries/mex/index.html").contains(
        "<link rel=\"canonical\" href=\"https://reprisals.example.org/countries/mex/\">"
    ));
    assert_eq!(
        html.matches("rel=\"canonical\"").count(),
        1,
        "one canonical link"
    );
    let sitemap = page("sitemap.xml");
    assert!(sitemap.contains("https://reprisals.example.org/countries/mex/"));
    assert!(!sitemap.contains("/cases/country/"));
}

#[test]
fn a_visit_not_made_public_appears_nowhere() {
    let spt = page("committees/spt/index.html");
    assert!(
        spt.contains("href=\"../../countries/bra/\""),
        "the public visit is listed"
    );
    assert!(
        !spt.contains("countries/lka/"),
        "the unannounced visit is not"
    );
    assert!(!page("countries/lka/index.html").contains("session-spt"));
    for (path, bytes) in snapshot(sample()) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("PRIVATE-SESSION-SPT-4471"),
            "{path}"
        );
    }
}

#[test]
fn the_home_page_lists_the_next_sixty_days() {
    let html = page("index.html");
    assert!(html.contains("Sessions in the next 60 days"));
    assert!(html.contains("id=\"session-cat-85\""), "under way");
    assert!(html.contains("id=\"session-ccpr-148\""), "within 60 days");
    assert!(!html.contains("id=\"session-crc-103\""), "later");
    assert!(page("committees/crc/index.html").contains("id=\"session-crc-103\""));
}

#[test]
fn the_committees_page_compares_practice() {
    let html = page("committees/index.html");
    let table = &html[html.find("class=\"practice\"").expect("table")..];
    let row = |code: &str| {
        let start = table
            .find(&format!("<bdi dir=\"ltr\">{code}</bdi>"))
            .unwrap();
        table[start..start + table[start..].find("</tr>").unwrap()].to_owned()
    };
    assert!(row("CAT").contains("published once the reply deadline has passed"));
    assert!(row("CAT").contains("30 days"));
    assert!(row("CAT").contains("secure form, e-mail, in person at sessions"));
    assert!(row("CCPR").contains("published 30 days after the reply deadline"));
    assert!(row("SPT").contains("not published"));
    assert!(row("CESCR").contains("not recorded"));
    assert!(row("CESCR").contains("<td>no</td>"), "{}", row("CESCR"));
    assert!(row("CMW").contains("class=\"vacant\""));
}

#[test]
fn mechanism_references_reach_the_case_page_open_data_and_the_sg_export() {
    let html = page("cases/2025-001/index.html");
    assert!(html.contains("Special Procedures communication"), "{html}");
    assert!(html.contains("UA MEX 1/2025"));
    let json: serde_json::Value = serde_json::from_str(&page("data/cases.json")).unwrap();
    let case = json["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "2025-001")
        .unwrap();
    assert_eq!(case["mechanism_refs"][1]["kind"], "sg_report");
    assert_eq!(case["mechanism_refs"][1]["reference"], "A/HRC/60/99");
    assert_eq!(case["mechanism_refs"][1]["paragraph"], "annex I, para. 41");
    let csv = page("data/cases.csv");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let column = reader
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "mechanism_refs")
        .unwrap();
    let row = reader
        .records()
        .map(Result::unwrap)
        .find(|r| &r[0] == "2025-001")
        .unwrap();
    assert_eq!(
        &row[column],
        "special_procedures_communication|UA MEX 1/2025|;sg_report|A/HRC/60/99|annex I, para. 41"
    );

    let out = tempfile::tempdir().unwrap();
    let result = run(&[
        "export",
        "--root",
        repo_root().to_str().unwrap(),
        "--build-date",
        "2026-11-29",
        "--for",
        "sg-report",
        "--period",
        "2024-05-01..2025-04-30",
        "--output",
        out.path().to_str().unwrap(),
    ]);
    assert!(result.status.success(), "{}", stderr(&result));
    let md = read(&out.path().join("sg-report-2024-05-01--2025-04-30.md"));
    assert!(
        md.contains("Before other UN mechanisms: special\\_procedures\\_communication UA MEX 1/2025; sg\\_report A/HRC/60/99, annex I, para. 41.")
            || md.contains("Before other UN mechanisms: special_procedures_communication UA MEX 1/2025; sg_report A/HRC/60/99, annex I, para. 41."),
        "{md}"
    );
    let csv = read(&out.path().join("sg-report-2024-05-01--2025-04-30.csv"));
    assert!(
        csv.contains("sg_report A/HRC/60/99, annex I, para. 41"),
        "{csv}"
    );
}
