//! Do no harm, proven on a site built to be attacked (`tests/fixtures/adversarial/`): nothing
//! that must stay private reaches any output byte, every payload renders inert, embargoes end
//! exactly on their day, a withdrawn case vanishes, and the leak scan stops a build that leaks.

mod inspect;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::common::*;
use inspect::{StartTag, decoded_forms, letters, start_tags, text_of};

const BUILD_DATE: &str = "2025-06-15";
const CSP: &str = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'";

fn adversarial() -> PathBuf {
    fixture("adversarial")
}

/// The adversarial site built once on its build date; tests only read it.
fn built() -> &'static Path {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    SITE.get_or_init(|| {
        let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("adversarial-site");
        let result = build(&adversarial(), &out, BUILD_DATE);
        assert!(
            result.status.success(),
            "build failed:\n{}",
            stderr(&result)
        );
        out
    })
}

fn files() -> &'static [(String, Vec<u8>)] {
    static FILES: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    FILES.get_or_init(|| snapshot(built()))
}

fn html_pages() -> impl Iterator<Item = (&'static str, String)> {
    files()
        .iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .map(|(path, bytes)| (path.as_str(), text_of(bytes)))
}

fn page(path: &str) -> String {
    read(&built().join(path))
}

/// Every `SENTINEL-...` value written anywhere in the fixture's input.
fn sentinels() -> BTreeSet<String> {
    let token = regex::Regex::new(r"SENTINEL-[A-Z0-9-]+").unwrap();
    let mut found = BTreeSet::new();
    for (_, bytes) in snapshot(&adversarial()) {
        for m in token.find_iter(&String::from_utf8_lossy(&bytes)) {
            found.insert(m.as_str().to_owned());
        }
    }
    found
}

#[test]
fn no_sentinel_reaches_any_output_byte_in_any_form() {
    let sentinels = sentinels();
    assert!(sentinels.len() >= 40, "the fixture lost its sentinels");
    let mut leaks = Vec::new();
    for (path, bytes) in files() {
        let raw = String::from_utf8_lossy(bytes).to_lowercase();
        let forms = decoded_forms(&text_of(bytes));
        let flat: Vec<String> = forms.iter().map(|f| letters(f)).collect();
        if raw.contains("sentinel") || flat.iter().any(|f| f.contains("sentinel")) {
            let which: Vec<&String> = sentinels
                .iter()
                .filter(|s| flat.iter().any(|f| f.contains(&letters(s))))
                .collect();
            leaks.push(format!("{path}: {which:?}"));
        }
    }
    assert!(
        leaks.is_empty(),
        "private values in the output:\n{leaks:#?}"
    );
}

#[test]
fn only_the_files_of_released_full_letters_are_copied() {
    let copied: Vec<&str> = files()
        .iter()
        .map(|(p, _)| p.as_str())
        .filter(|p| p.starts_with("files/"))
        .collect();
    assert_eq!(copied, ["files/released-full.txt"]);
}

/// Why one start tag could run code or load something from elsewhere, if it could.
fn active(tag: &StartTag) -> Option<String> {
    let name = tag.name.as_str();
    if matches!(
        name,
        "iframe" | "frame" | "object" | "embed" | "base" | "style" | "math" | "applet"
    ) {
        return Some(format!("<{name}>"));
    }
    if name == "script" {
        let src = tag.attr("src").unwrap_or("");
        if src.is_empty() || !tag.raw_text.trim().is_empty() {
            return Some("an inline <script>".into());
        }
    }
    if name == "meta"
        && tag
            .attr("http-equiv")
            .is_some_and(|h| h.eq_ignore_ascii_case("refresh"))
    {
        return Some("<meta http-equiv=refresh>".into());
    }
    for (attr, value) in &tag.attrs {
        let value = value.trim().to_ascii_lowercase();
        if attr.starts_with("on") || attr == "style" || attr == "srcdoc" {
            return Some(format!("<{name} {attr}=...>"));
        }
        let is_url = matches!(
            attr.as_str(),
            "href" | "src" | "action" | "formaction" | "poster" | "data" | "xlink:href" | "ping"
        );
        if is_url
            && ["javascript:", "vbscript:", "data:"]
                .iter()
                .any(|s| value.replace(['\t', '\n', '\r'], "").starts_with(s))
        {
            return Some(format!("<{name} {attr}={value}>"));
        }
        // Anything loaded (not followed) must come from this site.
        // `rel=canonical` and `rel=alternate` name this site's own absolute addresses (from
        // base_url) for search engines: a browser loads nothing from them.
        let names_only = name == "link"
            && tag
                .attr("rel")
                .is_some_and(|r| matches!(r.trim(), "canonical" | "alternate"));
        let loads =
            attr == "src" || (name == "link" && attr == "href" && !names_only) || attr == "poster";
        if loads && (value.contains("://") || value.starts_with("//")) {
            return Some(format!("<{name} {attr}={value}> loads from another host"));
        }
    }
    None
}

#[test]
fn payloads_in_every_public_field_render_inert() {
    let mut problems = Vec::new();
    let mut pages = 0;
    for (path, html) in html_pages() {
        pages += 1;
        for tag in start_tags(&html) {
            if let Some(why) = active(&tag) {
                problems.push(format!("{path}: {why}"));
            }
        }
        // A payload's `<` left unescaped where it starts a tag becomes an element: the data
        // of this site brings no images, frames or SVG, so any such element came from a payload.
        // (`<` inside a <title> or an attribute value is text.)
        for tag in start_tags(&html) {
            // Charts are the site's own SVG: an image role, a label and a class; nothing else.
            let chart = tag.name == "svg"
                && tag.attr("role") == Some("img")
                && tag.attr("class") == Some("chart")
                && tag.attr("aria-labelledby").is_some();
            if matches!(tag.name.as_str(), "img" | "svg" | "iframe" | "b") && !chart {
                problems.push(format!("{path}: a payload became <{}>", tag.name));
            }
        }
    }
    assert!(pages > 40, "only {pages} pages");
    // The payloads are there, as text: proof that the fields were rendered at all.
    // Tera writes `'` as `&#39;`, Markdown as it is.
    let case = page("cases/2025-001/index.html").replace("&#39;", "'");
    assert!(case.contains("alert('title')"), "title payload missing");
    assert!(case.contains("alert('summary')"), "summary payload missing");
    assert!(
        case.contains("{{ site_title }}"),
        "template syntax was interpreted"
    );
    let committee = page("committees/cat/index.html");
    let committee_text = committee.replace("&#39;", "'");
    for field in [
        "committee-name",
        "fingerprint",
        "contact-label",
        "phone-label",
        "doc-title",
    ] {
        assert!(
            committee_text.contains(&format!("alert('{field}')")),
            "{field} missing"
        );
    }
    // A contact value with quotes and ampersands stays one attribute value.
    assert!(committee.contains("mailto:secretariat+o&#39;brien&amp;co@example.org\""));
    assert!(
        page("how-to-submit/index.html")
            .replace("&#39;", "'")
            .contains("alert('front-title')")
    );
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn data_files_stay_well_formed_and_inert() {
    let formula = regex::Regex::new(r"^[=+\-@\t\r]").unwrap();
    let mut problems = Vec::new();
    for (path, bytes) in files() {
        let text = text_of(bytes);
        let lower = text.to_ascii_lowercase();
        let ext = path
            .trim_end_matches(".gz")
            .rsplit('.')
            .next()
            .unwrap_or("");
        match ext {
            "json" => {
                if let Err(e) = serde_json::from_str::<serde_json::Value>(&text) {
                    problems.push(format!("{path}: not JSON: {e}"));
                }
            }
            "xml" | "atom" | "rss" | "svg" => {
                // Markup from data must stay text: no element or attribute of its own. (A
                // payload in an attribute value, escaped, is text and harmless.)
                match roxmltree::Document::parse(&text) {
                    Err(e) => problems.push(format!("{path}: not XML: {e}")),
                    Ok(doc) => {
                        // Escaped HTML inside feed entries, once unescaped, must be inert too.
                        for node in doc
                            .descendants()
                            .filter(|n| n.attribute("type") == Some("html"))
                        {
                            for tag in start_tags(node.text().unwrap_or("")) {
                                if let Some(why) = active(&tag) {
                                    problems.push(format!("{path}: html content {why}"));
                                }
                            }
                        }
                        // The root of an SVG file (the theme's favicon) is its own `<svg>`;
                        // an `<svg>` anywhere below a root came from data.
                        let root = doc.root_element().id();
                        for node in doc.descendants().filter(|n| n.is_element()) {
                            let name = node.tag_name().name().to_ascii_lowercase();
                            let own_root = ext == "svg" && node.id() == root;
                            if matches!(name.as_str(), "script" | "img" | "iframe" | "svg")
                                && !own_root
                            {
                                problems.push(format!("{path}: element <{name}>"));
                            }
                            for attr in node.attributes() {
                                if attr.name().to_ascii_lowercase().starts_with("on") {
                                    problems.push(format!("{path}: attribute {}", attr.name()));
                                }
                            }
                        }
                    }
                }
            }
            "csv" => {
                let mut reader = csv::ReaderBuilder::new()
                    .has_headers(false)
                    .from_reader(text.as_bytes());
                for record in reader.records() {
                    let Ok(record) = record else {
                        problems.push(format!("{path}: not CSV"));
                        break;
                    };
                    for cell in record.iter() {
                        if formula.is_match(cell) && cell.parse::<f64>().is_err() {
                            problems.push(format!("{path}: formula injection `{cell}`"));
                        }
                    }
                }
            }
            "js" => {
                for api in [
                    "localstorage",
                    "sessionstorage",
                    "indexeddb",
                    "document.cookie",
                    "eval(",
                    "new function",
                    "document.write",
                ] {
                    if lower.contains(api) {
                        problems.push(format!("{path}: uses {api}"));
                    }
                }
            }
            _ => {}
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn every_page_has_the_same_csp_referrer_policy_and_exit_control() {
    let mut policies = BTreeSet::new();
    for (path, html) in html_pages() {
        let tags = start_tags(&html);
        let metas = |attr: &str, value: &str| -> Vec<&StartTag> {
            tags.iter()
                .filter(|t| t.name == "meta")
                .filter(|t| t.attr(attr).is_some_and(|v| v.eq_ignore_ascii_case(value)))
                .collect()
        };
        let csp = metas("http-equiv", "Content-Security-Policy");
        assert_eq!(csp.len(), 1, "{path}: CSP meta");
        policies.insert(csp[0].attr("content").unwrap_or("").to_owned());
        let referrer = metas("name", "referrer");
        assert_eq!(referrer.len(), 1, "{path}: referrer meta");
        assert_eq!(referrer[0].attr("content"), Some("no-referrer"), "{path}");
        let onion = metas("http-equiv", "onion-location");
        assert_eq!(onion.len(), 1, "{path}: Onion-Location meta");
        assert_eq!(
            onion[0].attr("content"),
            Some("http://adversarialxyz.onion/")
        );

        // The exit control comes right after the skip link, as a plain working link.
        let links: Vec<&StartTag> = tags.iter().filter(|t| t.name == "a").collect();
        assert_eq!(links[0].attr("class"), Some("skip-link"), "{path}");
        assert_eq!(links[1].attr("id"), Some("exit-this-page"), "{path}");
        assert_eq!(
            links[1].attr("href"),
            Some("https://weather.example.org/?a=1&b=2"),
            "{path}: the exit link goes where safety.exit_url says"
        );

        for tag in &tags {
            assert!(
                tag.attr("style").is_none(),
                "{path}: style attribute on <{}>",
                tag.name
            );
            if tag.name == "script" {
                assert!(
                    tag.attr("src").is_some() && tag.raw_text.trim().is_empty(),
                    "{path}: inline script"
                );
            }
            let outbound = tag.name == "a"
                && tag.attr("href").is_some_and(|h| {
                    let h = h.to_ascii_lowercase();
                    h.starts_with("http:") || h.starts_with("https:") || h.starts_with("//")
                });
            if outbound {
                let rel = tag.attr("rel").unwrap_or("");
                assert!(
                    rel.split_whitespace().any(|r| r == "noreferrer"),
                    "{path}: {:?} without rel=noreferrer",
                    tag.attr("href")
                );
            }
        }
    }
    assert_eq!(policies.into_iter().collect::<Vec<_>>(), [CSP]);
}

#[test]
fn outbound_links_of_every_kind_are_there_and_carry_noreferrer() {
    // The test above checks every outbound link; this one makes sure each kind exists.
    let hrefs = |path: &str| -> Vec<String> {
        start_tags(&page(path))
            .into_iter()
            .filter(|t| t.name == "a" && t.attr("rel") == Some("noreferrer"))
            .filter_map(|t| t.attr("href").map(str::to_owned))
            .collect()
    };
    let case = hrefs("cases/2025-001/index.html");
    assert!(
        case.contains(&"https://undocs.org/A/HRC/57/30?a=1&b=2".to_owned()),
        "source url: {case:?}"
    );
    assert!(
        case.contains(&"https://undocs.org/A/HRC/57/30".to_owned()),
        "summary link: {case:?}"
    );
    let committee = hrefs("committees/cat/index.html");
    for href in [
        "https://undocs.org/CAT/C/55/2?x=1&y=2",
        "https://www.ohchr.org/en/treaty-bodies/cat?a=1&b=2",
        "https://www.ohchr.org/contact?a=1&b=2",
        "https://keys.example.org/cat.asc",
        "https://rapporteur.example.org/?q=1&r=2",
    ] {
        assert!(
            committee.contains(&href.to_owned()),
            "{href} not in {committee:?}"
        );
    }
    assert!(hrefs("how-to-submit/index.html").contains(&"https://www.ohchr.org/".to_owned()));
}

#[test]
fn the_exit_script_keeps_no_state_and_replaces_the_history_entry() {
    let js = files()
        .iter()
        .find(|(p, _)| p.starts_with("assets/site.") && p.ends_with(".js"))
        .map(|(_, b)| text_of(b))
        .expect("site.js");
    assert!(
        js.contains("location.replace"),
        "Back would return to the site"
    );
    assert!(js.contains("\"Shift\""), "no triple-Shift shortcut");
}

/// The "Correspondence" section of one case page.
fn letters_section(html: &str) -> &str {
    let start = html.find("id=\"letters-heading\"").unwrap_or(html.len());
    let end = html[start..]
        .find("</section>")
        .map_or(html.len(), |e| start + e);
    &html[start..end]
}

#[test]
fn embargoes_end_exactly_on_their_day_and_no_reply_is_said_only_after_the_deadline() {
    let en = page("cases/2025-001/index.html");
    let letters = letters_section(&en);
    for shown in [
        "RELEASED-DAY-BEFORE",
        "RELEASED-ON-DAY",
        "RELEASED-PUBLISH-AFTER",
        "RELEASED-SUMMARY-MODE",
    ] {
        assert!(letters.contains(shown), "{shown} missing:\n{letters}");
    }
    assert!(page("fr/cases/2025-001/index.html").contains("RELEASED-DAY-BEFORE-FR"));
    assert!(letters.contains("No reply received by 14 June 2025."));
    assert!(letters.contains("No reply received by 1 February 2025."));
    assert!(
        !letters.contains("No reply received by 15 June 2025"),
        "deadline is today"
    );
    assert!(!letters.contains("No reply received by 1 September 2025"));
    assert_eq!(letters.matches("No reply received by").count(), 2);
    let answered = page("cases/2025-002/index.html");
    assert!(answered.contains("RELEASED-STATE-REPLY"));
    assert!(
        !answered.contains("No reply received by"),
        "the State replied"
    );

    // The same letter (deadline 15 June) on three build dates.
    let on = |date: &str| {
        let out = tempfile::tempdir().unwrap();
        let result = build(&adversarial(), &out.path().join("s"), date);
        assert!(result.status.success(), "{}", stderr(&result));
        letters_section(&read(&out.path().join("s/cases/2025-001/index.html"))).to_owned()
    };
    let before = on("2025-06-14");
    assert!(!before.contains("RELEASED-ON-DAY"), "shown a day early");
    assert!(before.contains("RELEASED-DAY-BEFORE"));
    assert!(
        !before.contains("No reply received by 14 June 2025"),
        "deadline is today"
    );
    let after = on("2025-06-16");
    assert!(after.contains("RELEASED-ON-DAY"));
    assert!(after.contains("No reply received by 15 June 2025."));
}

#[test]
fn without_consent_a_case_page_shows_no_name_gender_age_group_or_perpetrators() {
    let strings = |lang: &str| -> Vec<String> {
        let file = repo_root().join(format!("themes/default/i18n/{lang}.toml"));
        let table: toml::Table = toml::from_str(&read(&file)).unwrap();
        let strings = table["strings"].as_table().unwrap();
        ["victim_name", "gender", "age_group", "perpetrators"]
            .iter()
            .map(|k| strings[*k].as_str().unwrap().to_owned())
            .collect()
    };
    for lang in ["en", "fr"] {
        let prefix = if lang == "en" {
            String::new()
        } else {
            format!("{lang}/")
        };
        // Tera writes `'` as `&#39;`.
        let closed = page(&format!("{prefix}cases/2025-001/index.html")).replace("&#39;", "'");
        for marker in ["GENDERLABEL", "AGELABEL", "PERPLABEL"] {
            assert!(
                !closed.contains(marker),
                "{lang}: {marker} on a case without consent"
            );
        }
        for row in strings(lang) {
            assert!(
                !closed.contains(&row),
                "{lang}: row `{row}` without consent"
            );
        }
        // The same fields with every scope granted: shown, so the check above can fail.
        let open = page(&format!("{prefix}cases/2025-002/index.html")).replace("&#39;", "'");
        for marker in [
            "GENDERLABEL-WOMAN",
            "AGELABEL-ADULT",
            "PERPLABEL-POLICE",
            "alert('victim-name')",
        ] {
            assert!(
                open.contains(marker),
                "{lang}: {marker} missing with consent"
            );
        }
        for row in strings(lang) {
            assert!(
                open.contains(&row),
                "{lang}: row `{row}` missing with consent"
            );
        }
    }
}

#[test]
fn unpublished_and_withdrawn_cases_leave_no_trace_not_even_in_counts() {
    // A case that fails its gates must change nothing: the site is byte for byte the one
    // built without it.
    let without = copy_site(&adversarial());
    for id in ["2025-003", "2025-004", "2025-005"] {
        std::fs::remove_file(
            without
                .path()
                .join(format!("public-data/cases/2025/{id}.toml")),
        )
        .unwrap();
    }
    let case = without.path().join("public-data/cases/2025/2025-001.toml");
    let text = read(&case).replace(
        "related = [\"2025-003\", \"2025-004\", \"2025-005\", \"2025-002\"]",
        "related = [\"2025-002\"]",
    );
    std::fs::write(&case, text).unwrap();
    let out = tempfile::tempdir().unwrap();
    let result = build(without.path(), &out.path().join("s"), BUILD_DATE);
    assert!(result.status.success(), "{}", stderr(&result));
    let expected = snapshot(&out.path().join("s"));
    let actual = files();
    let paths = |f: &[(String, Vec<u8>)]| f.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(paths(actual), paths(&expected));
    for ((path, a), (_, b)) in actual.iter().zip(&expected) {
        // The one trace a withdrawal leaves on purpose: its id and date, in withdrawn.json and
        // as an RFC 6721 tombstone in the feeds, so that re-users delete their copies.
        let (a, b) = (
            without_withdrawal_notices(path, a),
            without_withdrawal_notices(path, b),
        );
        assert!(a == b, "{path} differs when the closed cases are deleted");
    }
    for gone in [
        "cases/2025-003",
        "cases/2025-004",
        "cases/2025-005",
        "cases/country/nor",
        "cases/country/swe",
        "cases/region/western_european_other_states",
        "cases/type/surveillance",
        "cases/type/smear_campaign",
    ] {
        assert!(!built().join(gone).exists(), "{gone} exists");
    }
    assert!(page("cases/index.html").contains("4 public cases"));
}

/// `bytes` without the notices that name withdrawn cases by id and date only (tombstones in
/// feeds, the list in `withdrawn.json`), after checking that they hold nothing else.
fn without_withdrawal_notices(path: &str, bytes: &[u8]) -> Vec<u8> {
    let text = text_of(bytes);
    if path.ends_with("withdrawn.json") {
        let mut value: serde_json::Value = serde_json::from_str(&text).unwrap();
        for entry in value["withdrawn"].as_array().unwrap() {
            let keys: Vec<&String> = entry.as_object().unwrap().keys().collect();
            assert_eq!(keys, ["id", "withdrawn"], "{path}: {entry}");
        }
        value["withdrawn"] = serde_json::json!([]);
        return value.to_string().into_bytes();
    }
    let tombstone =
        regex::Regex::new(r#"<at:deleted-entry ref="[^"<>]*" when="[0-9-]+(T[0-9:]+Z)?"/>\n?"#)
            .unwrap();
    tombstone.replace_all(&text, "").into_owned().into_bytes()
}

/// Builds `site` into `target`, which holds a good build; expects the leak scan to stop it.
fn expect_leak(site: &Path, target: &Path, expected: &[&str]) {
    let before = snapshot(target);
    assert!(!before.is_empty());
    let result = build(site, target, BUILD_DATE);
    let err = stderr(&result);
    assert_eq!(result.status.code(), Some(3), "expected a leak:\n{err}");
    for line in expected {
        assert!(err.contains(line), "`{line}` not in:\n{err}");
    }
    assert!(err.contains("nothing was published"), "{err}");
    assert_eq!(
        snapshot(target),
        before,
        "a leaking build changed the output"
    );
    // The build lock (an empty `.NAME.lock`) stays beside the output; nothing else may.
    let siblings = std::fs::read_dir(target.parent().unwrap())
        .unwrap()
        .filter(|e| {
            !e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".lock")
        })
        .count();
    assert_eq!(siblings, 1, "staging folders left behind");
}

fn good_build() -> (tempfile::TempDir, tempfile::TempDir, PathBuf) {
    let site = copy_site(&adversarial());
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("public");
    let result = build(site.path(), &target, BUILD_DATE);
    assert!(result.status.success(), "{}", stderr(&result));
    (site, out, target)
}

/// Templates receive only public types, so no template *can* print a private field. To prove
/// the scan works anyway, a theme override in a copy of the fixture hard-codes a withheld
/// value, in the forms a careless template or generator could print it: as text, with
/// character references, upper-cased, in an attribute, JSON-escaped, percent-encoded in a URL,
/// in an HTML comment (pages are not minified: a comment is published). Each build must stop
/// with exit code 3, name the page and the field, and leave the previous output as it was.
#[test]
fn the_leak_scan_stops_a_template_that_prints_a_withheld_value() {
    let (site, _out, target) = good_build();
    let case_template = read(&repo_root().join("themes/default/templates/case.html"));
    let private_note = "SENTINEL-CASE-PRIVATE-NOTE: she lives with her mother.";
    for printed in [
        format!("<p>{private_note}</p>"),
        "<p>&#83;ENTINEL&#x2d;CASE-PRIVATE-NOTE: SHE LIVES WITH HER MOTHER</p>".to_owned(),
        format!("<p title=\"{private_note}\">x</p>"),
        r#"<p data-x="{&quot;n&quot;:&quot;SENTINEL\u002dCASE-PRIVATE-NOTE: she lives with her mother&quot;}">x</p>"#.to_owned(),
        "<a href=\"./?q=SENTINEL-CASE-PRIVATE-NOTE%3A%20she%20lives%20with%20her%20mother\">x</a>".to_owned(),
        format!("<!-- {private_note} -->"),
    ] {
        let template = case_template.replace(
            "<article class=\"case\">",
            &format!("<article class=\"case\">{printed}"),
        );
        let dir = site.path().join("themes/default/templates");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("case.html"), template).unwrap();
        expect_leak(
            site.path(),
            &target,
            &[
                "LEAK: withheld text from public-data/cases/2025/2025-001.toml: private.note found in ",
                "cases/2025-001/index.html",
            ],
        );
    }
}

#[test]
fn the_leak_scan_stops_a_public_field_that_repeats_a_private_one() {
    let (site, _out, target) = good_build();
    let case = site.path().join("public-data/cases/2024/2024-001.toml");
    let text = read(&case).replace(
        "summary = \"Fictional case 1.\"",
        "summary = \"Fictional case 1. SENTINEL-FP-PAST-PRIVATE-NOTE\"",
    );
    std::fs::write(&case, text).unwrap();
    expect_leak(
        site.path(),
        &target,
        &[
            "LEAK: withheld text from public-data/focal-points/ccpr-past.toml: private.note found in ",
            " files: cases/2024-001/index.html, ",
        ],
    );
}

#[test]
fn the_leak_scan_reads_every_file_type_gzip_included() {
    use std::io::Write;
    let (site, _out, target) = good_build();
    let dir = site.path().join("themes/default/static");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("leak.json"),
        r#"{"summary":"SENTINEL-EMBARGO-DAY-AFTER-EN"}"#,
    )
    .unwrap();
    expect_leak(
        site.path(),
        &target,
        &[
            "LEAK: withheld text from public-data/cases/2025/2025-001.toml: correspondence[2].summary (embargoed or withheld) found in 1 file: assets/leak.",
        ],
    );
    std::fs::remove_file(dir.join("leak.json")).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(b"{\"t\":\"SENTINEL-VICTIM-NAME-UNCONSENTED Maria\"}")
        .unwrap();
    std::fs::write(dir.join("shard.json.gz"), gz.finish().unwrap()).unwrap();
    expect_leak(
        site.path(),
        &target,
        &["2025-001.toml: victim.name (no consent)"],
    );
}

#[test]
fn the_same_inputs_and_date_give_byte_identical_output() {
    let again = tempfile::tempdir().unwrap();
    let result = build(&adversarial(), &again.path().join("s"), BUILD_DATE);
    assert!(result.status.success());
    assert!(
        snapshot(&again.path().join("s")) == files(),
        "two builds differ"
    );
}

#[test]
fn the_build_date_comes_from_the_flag_then_site_toml_then_today_and_is_printed() {
    let site = copy_site(&adversarial());
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("s");
    let flag = build(site.path(), &target, "2025-06-16");
    assert!(
        stderr(&flag).contains("build date 2025-06-16"),
        "{}",
        stderr(&flag)
    );

    let root = site.path().to_str().unwrap();
    let output = target.to_str().unwrap();
    let from_file = run(&["build", "--root", root, "--output", output]);
    assert!(
        stderr(&from_file).contains("build date 2025-06-15"),
        "{}",
        stderr(&from_file)
    );
    assert!(read(&target.join("index.html")).contains("datetime=\"2025-06-15\""));

    let config = site.path().join("site.toml");
    std::fs::write(
        &config,
        read(&config).replace("build_date = 2025-06-15\n", ""),
    )
    .unwrap();
    let today = || {
        jiff::Timestamp::now()
            .to_zoned(jiff::tz::TimeZone::UTC)
            .date()
            .to_string()
    };
    let (first, result, last) = (
        today(),
        run(&["build", "--root", root, "--output", output]),
        today(),
    );
    let err = stderr(&result);
    assert!(
        err.contains(&format!("build date {first}")) || err.contains(&format!("build date {last}")),
        "{err}"
    );
}

#[test]
fn links_that_could_run_code_are_refused_when_the_data_is_read() {
    let cases = [
        (
            "public-data/cases/2025/2025-002.toml",
            "[[correspondence]]",
            "[[sources]]\nsymbol = \"A/1\"\nurl = \"javascript:alert(1)\"\n\n[[correspondence]]",
        ),
        (
            "public-data/committees/ccpr.toml",
            "[[contact]]\nkind = \"email\"",
            "web_page = \"data:text/html,<script>alert(1)</script>\"\n[[contact]]\nkind = \"email\"",
        ),
        (
            "public-data/committees/ccpr.toml",
            "kind = \"email\"\nvalue = \"ccpr@example.org\"",
            "kind = \"web\"\nvalue = \"javascript:alert(1)\"",
        ),
        (
            "site.toml",
            "https://weather.example.org/?a=1&b=2",
            "javascript:alert(1)",
        ),
    ];
    for (file, from, to) in cases {
        let site = copy_site(&adversarial());
        let path = site.path().join(file);
        let text = read(&path);
        assert!(text.contains(from), "{file}: {from}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
        let out = tempfile::tempdir().unwrap();
        let result = build(site.path(), &out.path().join("s"), BUILD_DATE);
        let err = stderr(&result);
        // A case or focal point with errors is withheld (exit code 5); an error in what every
        // page needs stops the build (exit code 1).
        let record =
            file.starts_with("public-data/cases/") || file.starts_with("public-data/focal-points/");
        let expected = if record { 5 } else { 1 };
        assert_eq!(result.status.code(), Some(expected), "{file}:\n{err}");
        assert!(err.contains("web address"), "{file}:\n{err}");
        assert!(err.contains(file), "{file}:\n{err}");
    }
}

#[test]
fn contact_values_that_do_not_fit_their_kind_stop_the_build() {
    let site = copy_site(&adversarial());
    let file = site.path().join("public-data/committees/cat.toml");
    let text = read(&file)
        .replace(
            "secretariat+o'brien&co@example.org",
            "secretariat\\\"onmouseover=\\\"alert('contact-email')@example.org",
        )
        .replace(
            "+41 22 917 9000",
            "+41 22 917 <img src=x onerror=alert('phone')>",
        )
        .replace(
            "https://secure.example.org/cat?a=1&b=2",
            "javascript:alert('secure-not-https')",
        );
    std::fs::write(&file, text).unwrap();
    let out = tempfile::tempdir().unwrap();
    let result = build(site.path(), &out.path().join("site"), BUILD_DATE);
    let err = stderr(&result);
    // A committee is on every page: its errors stop the build, nothing is written.
    assert_eq!(result.status.code(), Some(1), "{err}");
    for message in [
        "is not an e-mail address",
        "contact `+41 22 917 <img src=x onerror=alert('phone')>` is not a telephone number",
        "contact `javascript:alert('secure-not-https')` is not an https:// address",
    ] {
        assert!(err.contains(message), "missing `{message}` in:\n{err}");
    }
    assert!(!out.path().join("site").exists());
}
