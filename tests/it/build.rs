//! Building a site end to end: pages exist and link to each other, the build date decides who
//! is in office, a failed build leaves the previous output alone, output is reproducible.

use std::collections::BTreeSet;
use std::path::Path;

use crate::common::*;

fn built(root: &Path, date: &str) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let result = build(root, &out.path().join("site"), date);
    assert!(
        result.status.success(),
        "build failed:\n{}",
        stderr(&result)
    );
    out
}

#[test]
fn minimal_site_has_every_page_in_every_language() {
    let out = built(&fixture("minimal"), "2024-06-15");
    let site = out.path().join("site");
    for page in [
        "index.html",
        "404.html",
        "committees/index.html",
        "committees/cat/index.html",
        "committees/cmw/index.html",
        "cases/index.html",
        "cases/2024-001/index.html",
        "cases/2024-002/index.html",
        "cases/committee/cat/index.html",
        "cases/country/mex/index.html",
        "cases/year/2024/index.html",
        "cases/type/threats/index.html",
        "cases/status/action_taken/index.html",
        "cases/region/african_states/index.html",
        "cases/sort/country/index.html",
        "how-to-submit/index.html",
        "safety/index.html",
        "fr/index.html",
        "fr/cases/2024-001/index.html",
        "fr/how-to-submit/index.html",
    ] {
        assert!(site.join(page).is_file(), "missing {page}");
    }
    assert!(
        !site.join("cases/2024-003").exists(),
        "an unpublished case has a page"
    );
}

#[test]
fn the_build_date_decides_who_is_in_office() {
    let root = fixture("minimal");
    let page = |date: &str| {
        read(
            &built(&root, date)
                .path()
                .join("site/committees/cat/index.html"),
        )
    };
    // In the past rapporteur's term, and less than a year before the fixture's latest case
    // (a date further ahead than that is taken for a typo).
    let before = page("2023-08-01");
    assert!(
        current_section(&before).contains("Past Rapporteur"),
        "{before}"
    );
    let during = page("2024-06-15");
    assert!(current_section(&during).contains("Current Rapporteur"));
    assert!(!current_section(&during).contains("Past Rapporteur"));
    assert!(during.contains("Past focal points"));
    let after = page("2026-01-01");
    assert!(current_section(&after).contains("Vacant."), "{after}");
    assert!(current_section(&after).contains("cat-secretariat@example.org"));
}

/// The "Focal points in office" section of a committee page.
fn current_section(html: &str) -> &str {
    let start = html
        .find("id=\"current-heading\"")
        .expect("current section");
    let end = html[start..]
        .find("</section>")
        .map_or(html.len(), |e| start + e);
    &html[start..end]
}

#[test]
fn a_broken_committee_leaves_the_previous_output_untouched() {
    let site = copy_site(&fixture("minimal"));
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("public");
    assert!(build(site.path(), &target, "2024-06-15").status.success());
    let before = snapshot(&target);
    // What every page needs stops the build (a broken case is only withheld: see
    // tests/publication.rs).
    std::fs::write(
        site.path().join("public-data/committees/cat.toml"),
        "code = \"CAT\"\nname = tru\n",
    )
    .unwrap();
    let result = build(site.path(), &target, "2024-06-15");
    assert_eq!(result.status.code(), Some(1), "{}", stderr(&result));
    assert_eq!(snapshot(&target), before, "the previous output changed");
    let leftovers: Vec<_> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|name| !kept_beside(&name.to_string_lossy(), "public"))
        .collect();
    assert_eq!(
        leftovers.len(),
        1,
        "staging folders left behind: {leftovers:?}"
    );
}

#[test]
fn the_same_inputs_and_date_give_byte_identical_output() {
    let root = fixture("minimal");
    let a = built(&root, "2024-06-15");
    let b = built(&root, "2024-06-15");
    assert_eq!(
        snapshot(&a.path().join("site")),
        snapshot(&b.path().join("site"))
    );
}

/// Every relative link and asset of every page leads to a file of the build.
fn check_internal_links(site: &Path) -> usize {
    let href = regex::Regex::new(r#"(?:href|src)=(?:"([^"]*)"|([^\s>]+))"#).unwrap();
    let mut checked = 0;
    for (rel, bytes) in snapshot(site) {
        if !rel.ends_with(".html") || rel.ends_with("404.html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        let dir = site.join(&rel).parent().unwrap().to_path_buf();
        for caps in href.captures_iter(&html) {
            let link = caps.get(1).or(caps.get(2)).unwrap().as_str();
            if link.contains("://")
                || link.starts_with('#')
                || link.starts_with("mailto:")
                || link.starts_with("tel:")
            {
                continue;
            }
            let path = link.split('#').next().unwrap();
            let mut target = dir.join(path);
            if path.ends_with('/') || path.is_empty() {
                target = target.join("index.html");
            }
            assert!(
                target.is_file(),
                "{rel} links to {link}, which does not exist"
            );
            checked += 1;
        }
    }
    checked
}

#[test]
fn every_internal_link_of_the_minimal_site_resolves() {
    let out = built(&fixture("minimal"), "2024-06-15");
    assert!(check_internal_links(&out.path().join("site")) > 100);
}

#[test]
fn the_sample_site_builds_links_resolve_and_counts_match_the_data() {
    let out = built(&repo_root(), "2026-11-29");
    let site = out.path().join("site");
    assert!(check_internal_links(&site) > 1000);

    // Count published cases straight from the TOML files, independently of the build.
    let published: BTreeSet<String> = published_case_records(&repo_root())
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert!(
        published.len() >= 40,
        "the sample should publish many cases"
    );
    let index = read(&site.join("cases/index.html"));
    assert!(
        index.contains(&format!("{} public cases", published.len())),
        "case count missing from the index"
    );
    let on_disk: BTreeSet<String> = std::fs::read_dir(site.join("cases"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.len() == 8 && n.as_bytes()[4] == b'-')
        .collect();
    assert_eq!(on_disk, published);

    // One committee is vacant on the build date and shows its secretariat instead.
    let cmw = read(&site.join("committees/cmw/index.html"));
    assert!(
        cmw.contains("Vacant."),
        "CMW should be vacant in the sample"
    );
}

#[test]
fn a_theme_overrides_any_template_by_name() {
    let site = copy_site(&fixture("minimal"));
    let root = site.path();
    let config = read(&root.join("site.toml")) + "theme = \"custom\"\n";
    std::fs::write(root.join("site.toml"), config).unwrap();
    let templates = root.join("themes/custom/templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(
        templates.join("404.html"),
        "{% extends \"base.html\" %}{% block main %}<h1>Custom not found</h1>{% endblock main %}",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let result = build(root, &out.path().join("site"), "2024-06-15");
    assert!(result.status.success(), "{}", stderr(&result));
    assert!(read(&out.path().join("site/404.html")).contains("<h1>Custom not found</h1>"));
    // Templates the theme does not override come from the built-in default theme.
    assert!(read(&out.path().join("site/index.html")).contains("Skip to main content"));
}

#[test]
fn a_broken_link_in_a_published_summary_stops_the_build_at_its_position() {
    // `build` lets go of the case records once they are projected; the link check still
    // needs each summary and its file to say where the broken link is.
    let site = copy_site(&fixture("minimal"));
    let case = site.path().join("public-data/cases/2024/2024-001.toml");
    std::fs::write(
        &case,
        read(&case).replace("(/cases/2024-002/)", "(/cases/2024-002/letterz/)"),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let result = build(site.path(), &out.path().join("site"), "2024-06-15");
    assert!(!result.status.success());
    let err = stderr(&result);
    assert!(
        err.contains("broken link to `/cases/2024-002/letterz/`"),
        "{err}"
    );
    assert!(err.contains("2024-001.toml:4:"), "{err}");
    assert!(
        !out.path().join("site").exists(),
        "a stopped build writes nothing"
    );
}

#[test]
fn a_warning_found_after_build_lets_go_of_the_case_texts_still_shows_its_line() {
    // `build` releases each case file's text once the records are checked; the link lint runs
    // after the projection and reads the file again to point at the link.
    let site = copy_site(&fixture("minimal"));
    let linked = site.path().join("public-data/cases/2024/2024-002.toml");
    std::fs::write(
        &linked,
        read(&linked).replace("publish = true", "publish = false"),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let result = build(site.path(), &out.path().join("site"), "2024-06-15");
    assert!(result.status.success(), "{}", stderr(&result));
    let err = stderr(&result);
    assert!(
        err.contains("link to case `2024-002`, which is not published"),
        "{err}"
    );
    assert!(
        err.contains("public-data/cases/2024/2024-001.toml:4:75"),
        "{err}"
    );
    assert!(
        err.contains("See also [the other case](/cases/2024-002/)"),
        "{err}"
    );
}

#[test]
fn a_build_shows_the_line_of_an_error_in_a_case_file_it_no_longer_holds() {
    // `build` lets go of each case file's text once parsed; the checks read it again to point
    // at the value.
    let site = copy_site(&fixture("minimal"));
    let case = site.path().join("public-data/cases/2024/2024-001.toml");
    std::fs::write(
        &case,
        read(&case).replace(
            "summary = \"A lawyer was threatened",
            "summary = \"TODO: A lawyer was threatened",
        ),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let result = build(site.path(), &out.path().join("site"), "2024-06-15");
    let err = stderr(&result);
    assert!(
        err.contains("`summary` still holds the placeholder TODO"),
        "{err}"
    );
    assert!(
        err.contains("public-data/cases/2024/2024-001.toml:4:12"),
        "{err}"
    );
    assert!(err.contains("TODO: A lawyer was threatened"), "{err}");
}

#[test]
fn a_build_still_hides_the_line_of_an_error_in_a_private_table_of_a_released_file() {
    let site = copy_site(&fixture("minimal"));
    let case = site.path().join("public-data/cases/2024/2024-001.toml");
    std::fs::write(
        &case,
        read(&case).replace("approved = 2024-03-15", "approved = 2029-03-15"),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let result = build(site.path(), &out.path().join("site"), "2024-06-15");
    let err = stderr(&result);
    assert!(
        err.contains("review.approved 2029-03-15 is more than a year"),
        "{err}"
    );
    assert!(
        err.contains("public-data/cases/2024/2024-001.toml:14:12 (the line is not shown"),
        "{err}"
    );
    assert!(!err.contains("approved = 2029"), "{err}");
}

#[test]
fn broken_internal_links_in_content_are_errors() {
    let site = copy_site(&fixture("minimal"));
    let page = site.path().join("content/safety.md");
    std::fs::write(&page, read(&page) + "\nSee [the trends](/trendz/).\n").unwrap();
    let out = run(&["check", "--root", site.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("broken link to `/trendz/`"), "{err}");
    assert!(err.contains("content/safety.md:7:18"), "{err}");
}

/// The rows of a case list page: each row's cells as text, with the date cell's ISO date.
fn case_rows(page: &Path) -> Vec<Vec<String>> {
    let html = read(page);
    let list = &html[html.find("case-list").expect("a case list")..];
    let row = regex::Regex::new(r"(?s)<tr[^>]*>(.*?)</tr>").unwrap();
    let cell = regex::Regex::new(r"(?s)<td[^>]*>(.*?)</td>").unwrap();
    let date = regex::Regex::new(r#"datetime="?([0-9-]+)"#).unwrap();
    let tag = regex::Regex::new(r"<[^>]*>").unwrap();
    row.captures_iter(list)
        .map(|r| {
            cell.captures_iter(&r[1])
                .map(|c| match date.captures(&c[1]) {
                    Some(d) => d[1].to_owned(),
                    None => tag.replace_all(&c[1], "").trim().to_owned(),
                })
                .collect::<Vec<String>>()
        })
        .filter(|cells| !cells.is_empty())
        .collect()
}

#[test]
fn case_lists_sort_by_country_name_and_committee_newest_first_within_each() {
    let out = built(&repo_root(), "2026-11-29");
    let site = out.path().join("site");
    // Columns: case, date, country, committees, status. Within equal keys, newest first.
    let check = |page: &str, column: usize| {
        let rows = case_rows(&site.join(page));
        assert!(rows.len() > 10, "{page}: {} rows", rows.len());
        let keys: Vec<String> = rows.iter().map(|r| r[column].to_lowercase()).collect();
        assert!(
            keys.iter().collect::<BTreeSet<_>>().len() > 3,
            "{page}: too few keys to tell an order: {keys:?}"
        );
        for (a, b) in rows.iter().zip(&rows[1..]) {
            let (ka, kb) = (a[column].to_lowercase(), b[column].to_lowercase());
            assert!(
                ka < kb || (ka == kb && a[1] >= b[1]),
                "{page}: {a:?} comes before {b:?}"
            );
        }
    };
    // Country names sort in each language's own words.
    check("cases/sort/country/index.html", 2);
    check("fr/cases/sort/country/index.html", 2);
    check("ar/cases/sort/country/index.html", 2);
    // By the first committee's code (the cell lists the codes in order).
    let rows = case_rows(&site.join("cases/sort/committee/index.html"));
    for (a, b) in rows.iter().zip(&rows[1..]) {
        let first = |r: &Vec<String>| r[3].split(',').next().unwrap_or("").trim().to_owned();
        assert!(
            first(a) < first(b) || (first(a) == first(b) && a[1] >= b[1]),
            "{a:?} comes before {b:?}"
        );
    }
}

#[test]
fn a_case_reads_the_same_in_every_list_that_shows_it_and_each_row_links_to_it() {
    // Rows are drawn once per case, language and folder depth, and shared between lists.
    let out = built(&repo_root(), "2026-11-29");
    let site = out.path().join("site");
    let pages: Vec<(String, String)> = snapshot(&site)
        .into_iter()
        .filter(|(rel, _)| rel.ends_with(".html"))
        .map(|(rel, bytes)| (rel, String::from_utf8(bytes).unwrap()))
        .collect();
    let row = regex::Regex::new(r#"(?s)<tr>\s*<td><a href="([^"]*)">.*?</tr>"#).unwrap();
    let h1 = regex::Regex::new(r"(?s)<h1>(.*?)</h1>").unwrap();
    let tag = regex::Regex::new(r"<[^>]*>").unwrap();
    let other_languages = ["fr/", "es/", "ar/", "zh/", "ru/"];
    for lang in ["", "fr/", "ar/"] {
        let root = site.join(lang);
        let newest = &case_rows(&root.join("cases/index.html"))[0][0];
        let id = newest.rsplit(' ').next().unwrap().to_owned();
        let case_dir = root.join(format!("cases/{id}"));
        let case_page = read(&case_dir.join("index.html"));
        let title = tag
            .replace_all(&h1.captures(&case_page).unwrap()[1], "")
            .into_owned();
        let case_dir = case_dir.canonicalize().unwrap();
        let mut rows: Vec<(&str, String)> = Vec::new();
        for (page, html) in &pages {
            let in_lang = match lang {
                "" => !other_languages.iter().any(|l| page.starts_with(l)),
                lang => page.starts_with(lang),
            };
            if !in_lang {
                continue;
            }
            let folder = site.join(page).parent().unwrap().to_path_buf();
            for found in row.captures_iter(html) {
                if folder.join(&found[1]).canonicalize().ok() != Some(case_dir.clone()) {
                    continue;
                }
                let text = tag.replace_all(&found[0], "");
                let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                rows.push((page, text));
            }
        }
        let depths: BTreeSet<usize> = rows
            .iter()
            .map(|(page, _)| page.matches('/').count())
            .collect();
        assert!(rows.len() >= 5, "{lang:?} {id}: only in {rows:?}");
        assert!(depths.len() >= 2, "{lang:?} {id}: lists at one depth only");
        let (first_page, first_row) = &rows[0];
        assert!(
            first_row.starts_with(title.trim()),
            "{first_page}: {first_row}"
        );
        for (page, text) in &rows {
            assert_eq!(text, first_row, "{lang:?}: {page} and {first_page} differ");
        }
    }
}
