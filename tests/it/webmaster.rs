//! The webmaster's tools (issue 16): errors that lead with their cause, `init`, `status`,
//! `serve --drafts`, the deploy files and the SG-report export.

use std::path::Path;

use crate::common::{copy_site, fixture, read, run, stderr};

const DATE: &str = "2026-06-01";

fn check(root: &Path) -> (Option<i32>, String) {
    let out = run(&[
        "check",
        "--root",
        root.to_str().unwrap(),
        "--build-date",
        DATE,
    ]);
    (out.status.code(), stderr(&out))
}

fn error_lines(err: &str) -> Vec<&str> {
    err.lines()
        .filter(|l| l.trim_start().starts_with('×'))
        .collect()
}

#[test]
fn a_missing_interface_string_is_one_line_naming_file_key_and_language() {
    let site = copy_site(&fixture("minimal"));
    let en = crate::common::repo_root().join("themes/default/i18n/en.toml");
    let text: String = read(&en)
        .lines()
        .filter(|l| !l.starts_with("home_all_cases ="))
        .map(|l| format!("{l}\n"))
        .collect();
    let dir = site.path().join("themes/default/i18n");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("en.toml"), text).unwrap();
    let (code, err) = check(site.path());
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(
        error_lines(&err),
        [
            "  × themes/default/i18n/en.toml: missing interface string `home_all_cases` (language en), used by templates/index.html; add `home_all_cases = \"...\"` under [strings]"
        ],
        "{err}"
    );
    assert!(!err.contains("Available fields"), "{err}");
    assert!(err.lines().count() <= 3, "{err}");
}

#[test]
fn invalid_utf8_names_the_file_and_line_and_says_save_as_utf8() {
    let site = copy_site(&fixture("minimal"));
    let path = site.path().join("public-data/cases/2024/2024-002.toml");
    let mut bytes = std::fs::read(&path).unwrap();
    let third_line = bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .nth(1)
        .unwrap()
        .0;
    bytes.splice(third_line..third_line, b" # caf\xe9".iter().copied());
    std::fs::write(&path, bytes).unwrap();
    let (code, err) = check(site.path());
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("× public-data/cases/2024/2024-002.toml:2: this line is not valid UTF-8 text; save the file as UTF-8"),
        "{err}"
    );
}

#[test]
fn a_duplicate_id_points_to_the_next_free_id() {
    let site = copy_site(&fixture("minimal"));
    let cases = site.path().join("public-data/cases/2024");
    std::fs::copy(cases.join("2024-002.toml"), cases.join("2024-007.toml")).unwrap();
    let (code, err) = check(site.path());
    // Both files with the id are withheld and the rest is checked: exit code 5.
    assert_eq!(code, Some(5), "{err}");
    assert!(err.contains("case id `2024-002` is used twice"), "{err}");
    assert!(
        err.contains(
            "help: public-data/cases/2024/2024-002.toml already uses it; the next free id is 2024-008"
        ),
        "{err}"
    );
}

#[test]
fn a_misspelt_front_matter_key_gets_a_suggestion_and_every_key() {
    let site = copy_site(&fixture("minimal"));
    let page = site.path().join("content/safety.md");
    std::fs::write(&page, read(&page).replace("weight = 20", "wieght = 20")).unwrap();
    let (code, err) = check(site.path());
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains(
            "help: did you mean `weight`? front matter takes: title, nav_title, description, weight, hidden"
        ),
        "{err}"
    );
}

#[test]
fn a_file_that_does_not_parse_is_the_only_error_not_the_twentieth() {
    let site = copy_site(&fixture("minimal"));
    std::fs::write(site.path().join("public-data/committees/cat.toml"), "").unwrap();
    let (code, err) = check(site.path());
    assert_eq!(code, Some(1), "{err}");
    let errors = error_lines(&err);
    assert_eq!(errors.len(), 1, "{err}");
    assert!(errors[0].contains("missing field `code`"), "{err}");
    assert!(err.contains("public-data/committees/cat.toml"), "{err}");
    assert!(
        err.contains("reference(s) to committees or vocabulary terms were not checked because public-data/committees/cat.toml could not be read; fix that first"),
        "{err}"
    );
    assert!(!err.contains("unknown committee"), "{err}");
}

#[test]
fn a_leak_is_told_once_per_value_and_names_the_case_that_publishes_it() {
    let site = copy_site(&fixture("minimal"));
    let path = site.path().join("public-data/cases/2024/2024-003.toml");
    // A private note that repeats another case's published title: the value is withheld, and
    // the published copy of it is on the site. (A hidden case's own title that equals a
    // published one is not searched for at all: hiding must never wait on a house phrase.)
    std::fs::write(
        &path,
        read(&path) + "\n[private]\nnote = \"Journalist banned from travelling\"\n",
    )
    .unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let out = crate::common::build(site.path(), &out_dir.path().join("public"), DATE);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(3), "{err}");
    let leak_lines: Vec<&str> = err.lines().filter(|l| l.starts_with("LEAK:")).collect();
    assert_eq!(leak_lines.len(), 1, "{err}");
    assert!(
        leak_lines[0].starts_with(
            "LEAK: withheld text from public-data/cases/2024/2024-003.toml: private.note (the same text is the published title of case 2024-002) found in "
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "the leak scan found 1 withheld value(s) in the output; nothing was published"
        ),
        "{err}"
    );
}

#[test]
fn init_writes_a_site_that_builds_at_once_with_ten_vacant_committees() {
    let parent = tempfile::tempdir().unwrap();
    let site = parent.path().join("new-site");
    let out = run(&["init", site.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("10 committees, 10 vocabularies"),
        "{}",
        stderr(&out)
    );
    assert!(
        !site
            .join("public-data/focal-points")
            .read_dir()
            .unwrap()
            .any(|_| true)
    );
    let public = parent.path().join("public");
    let out = crate::common::build(&site, &public, DATE);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains(" for 0 cases in 6 languages"), "{err}");
    assert!(err.contains("no warnings"), "{err}");
    let committees: Vec<_> = std::fs::read_dir(public.join("committees"))
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .collect();
    assert_eq!(committees.len(), 10);
    for committee in committees {
        let html = read(&committee.path().join("index.html"));
        assert!(html.contains("class=\"vacant\""), "{:?}", committee.path());
        assert!(
            html.contains("mailto:"),
            "no secretariat on {:?}",
            committee.path()
        );
    }
    let about = read(&site.join("content/about.md"));
    assert!(!about.to_lowercase().contains("fictional"), "{about}");
    // A second init into the same folder is refused and changes nothing.
    let before = read(&site.join("site.toml"));
    let again = run(&["init", site.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        stderr(&again).contains("is not empty"),
        "{}",
        stderr(&again)
    );
    assert_eq!(read(&site.join("site.toml")), before);
}

/// A copy of the minimal fixture with a known agenda on 2025-11-15.
fn agenda_site() -> tempfile::TempDir {
    let site = copy_site(&fixture("minimal"));
    let root = site.path();
    let statuses = root.join("public-data/vocab/statuses.toml");
    std::fs::write(
        &statuses,
        read(&statuses)
            + "\n[[term]]\nid = \"awaiting_state_response\"\nlabel = \"Awaiting the State's response\"\n",
    )
    .unwrap();
    std::fs::write(
        root.join("public-data/cases/2024/2024-004.toml"),
        r#"id = "2024-004"
publish = true
title = "Defender awaiting the State's reply"
summary = "A defender was threatened after a review."
committees = ["CAT"]
country = "KEN"
date_reported = 2024-06-01
reprisal_types = ["travel_ban"]
status = "awaiting_state_response"

[review]
assessed = 2024-06-02
approved = 2024-06-02

[consent]
given = true
date = 2024-06-01

[victim]
kind = "individual"

[[correspondence]]
kind = "letter_to_state"
date = 2025-09-01
deadline = 2025-10-01

[[correspondence]]
kind = "reminder"
date = 2025-11-01
deadline = 2025-12-01
publish_after = 2026-01-10

[private]
note = "STATUS-PRIVATE-VALUE"
"#,
    )
    .unwrap();
    std::fs::write(
        root.join("public-data/cases/2024/2024-005.toml"),
        read(&root.join("public-data/cases/2024/2024-002.toml"))
            .replace("\"2024-002\"", "\"2024-005\"")
            .replace("country = \"KEN\"", "country = \"KEN\"\ncolour = \"red\""),
    )
    .unwrap();
    // A French safety page older than its source.
    let fr = root.join("content/safety.fr.md");
    std::fs::write(&fr, "+++\ntitle = \"Sécurité\"\n+++\nTexte.\n").unwrap();
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(86_400);
    std::fs::File::options()
        .write(true)
        .open(&fr)
        .unwrap()
        .set_modified(old)
        .unwrap();
    site
}

#[test]
fn status_json_lists_the_agenda_of_a_known_site() {
    let site = agenda_site();
    let out = run(&[
        "status",
        "--root",
        site.path().to_str().unwrap(),
        "--build-date",
        "2025-11-15",
        "--format",
        "json",
    ]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        !text.contains("STATUS-PRIVATE-VALUE"),
        "a value in the report"
    );
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["build_date"], "2025-11-15");
    let quarantined = &json["quarantined"];
    assert_eq!(quarantined.as_array().unwrap().len(), 1, "{quarantined}");
    assert_eq!(
        quarantined[0]["file"],
        "public-data/cases/2024/2024-005.toml"
    );
    assert!(
        quarantined[0]["why"][0]
            .as_str()
            .unwrap()
            .starts_with("line 7: unknown field `colour`"),
        "{quarantined}"
    );
    assert_eq!(
        json["drafts"],
        serde_json::json!([{"id": "2024-003", "file": "public-data/cases/2024/2024-003.toml", "why": "publish = false; no consent recorded"}])
    );
    assert_eq!(
        json["embargoed_letters"],
        serde_json::json!([{"case": "2024-004", "letter": "correspondence[1]", "date": "2025-11-01", "public_from": "2026-01-10"}])
    );
    assert_eq!(
        json["overdue"],
        serde_json::json!([{"case": "2024-004", "letter": "correspondence[0]", "deadline": "2025-10-01", "days_overdue": 45}])
    );
    assert_eq!(
        json["terms_ending"],
        serde_json::json!([{"committee": "CAT", "file": "public-data/focal-points/cat-new.toml", "role": "rapporteur", "ends": "2025-12-31", "days_left": 46}])
    );
    assert_eq!(json["vacancies"], serde_json::json!(["CMW"]));
    let translations = &json["translations"];
    assert_eq!(translations["compared_by"], "file modification time");
    assert_eq!(
        translations["missing"],
        serde_json::json!({"fr": ["content/how-to-submit.fr.md"]})
    );
    assert_eq!(
        translations["outdated"],
        serde_json::json!({"fr": ["content/safety.fr.md"]})
    );
    let case_4 = json["withheld"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "2024-004")
        .unwrap();
    assert_eq!(
        case_4["fields"],
        serde_json::json!([
            {"field": "private.note", "rule": "private: never published"},
            {"field": "correspondence[1]", "rule": "embargoed until 2026-01-10"}
        ])
    );
    assert!(
        err.contains("✓ status on 2025-11-15: 1 quarantined, 1 drafts, 0 waiting, 1 embargoed letters, 1 overdue, 1 terms ending, 1 vacancies, 1 missing translations, 1 outdated translations"),
        "{err}"
    );
}

/// `Name: value` pairs of the `/*` block of a `_headers` file.
fn parse_headers_file(text: &str) -> Vec<(String, String)> {
    let mut in_block = false;
    let mut out = Vec::new();
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if !line.starts_with(' ') {
            in_block = line == "/*";
            continue;
        }
        assert!(in_block, "header outside a path block: {line}");
        let (name, value) = line.trim().split_once(": ").expect("Name: value");
        out.push((name.to_owned(), value.to_owned()));
    }
    out
}

#[test]
fn the_headers_file_parses_and_matches_site_toml() {
    let site = copy_site(&fixture("minimal"));
    let config = site.path().join("site.toml");
    std::fs::write(
        &config,
        read(&config)
            + "\n[safety]\nonion_location = \"http://abcdefghijklmnop.onion/\"\n\n[deploy]\nhsts_max_age = 600\n",
    )
    .unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let public = out_dir.path().join("public");
    let out = crate::common::build(site.path(), &public, DATE);
    assert!(out.status.success(), "{}", stderr(&out));
    let headers = parse_headers_file(&read(&public.join("_headers")));
    let get = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or_else(|| panic!("no {name} in {headers:?}"))
    };
    // The header says what the pages' own <meta> policy says, and what only a header can.
    let page = read(&public.join("index.html"));
    let meta = page
        .split("<meta http-equiv=\"Content-Security-Policy\" content=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a CSP meta tag");
    assert_eq!(
        get("Content-Security-Policy"),
        format!("{meta}; frame-ancestors 'none'")
    );
    assert_eq!(get("Onion-Location"), "http://abcdefghijklmnop.onion/");
    assert_eq!(
        get("Strict-Transport-Security"),
        "max-age=600; includeSubDomains"
    );
    assert_eq!(get("Referrer-Policy"), "no-referrer");
    assert_eq!(get("X-Content-Type-Options"), "nosniff");
    assert!(get("Permissions-Policy").contains("geolocation=()"));
    assert_eq!(headers.len(), 6, "{headers:?}");

    // deploy-config says the same to nginx, Apache and Caddy.
    let deploy = out_dir.path().join("deploy");
    let out = run(&[
        "deploy-config",
        "--root",
        site.path().to_str().unwrap(),
        "--output",
        deploy.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let nginx = read(&deploy.join("nginx-headers.conf"));
    let apache = read(&deploy.join("apache-headers.conf"));
    let caddy = read(&deploy.join("Caddyfile"));
    for (name, value) in headers.iter().filter(|(n, _)| n != "Onion-Location") {
        assert!(
            nginx.contains(&format!("add_header {name} \"{value}\" always;")),
            "{nginx}"
        );
        assert!(
            apache.contains(&format!("Header always set {name} \"{value}\"")),
            "{apache}"
        );
        assert!(caddy.contains(&format!("{name} \"{value}\"")), "{caddy}");
    }
    assert!(nginx.contains(
        "add_header Onion-Location \"http://abcdefghijklmnop.onion$request_uri\" always;"
    ));
    assert!(
        caddy.starts_with("# Caddy") && caddy.contains("\ntest.example.org {\n"),
        "{caddy}"
    );
    for file in [
        "rebuild.sh",
        "reprisals-site-rebuild.service",
        "reprisals-site-rebuild.timer",
        "github-daily-rebuild.yml",
    ] {
        assert!(deploy.join(file).is_file(), "{file}");
    }
    let script = read(&deploy.join("rebuild.sh"));
    assert!(script.contains("  0|5)"), "deploys on 0 and 5");
}

#[test]
fn plain_http_gets_no_hsts_and_base_url_can_be_overridden() {
    let site = copy_site(&fixture("minimal"));
    let out_dir = tempfile::tempdir().unwrap();
    let public = out_dir.path().join("public");
    let out = run(&[
        "build",
        "--root",
        site.path().to_str().unwrap(),
        "--output",
        public.to_str().unwrap(),
        "--build-date",
        DATE,
        "--base-url",
        "http://staging.example.net/",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let headers = parse_headers_file(&read(&public.join("_headers")));
    assert!(
        headers
            .iter()
            .all(|(n, _)| n != "Strict-Transport-Security"),
        "{headers:?}"
    );
    let sitemap = read(&public.join("sitemap.xml"));
    assert!(
        sitemap.contains("<loc>http://staging.example.net/"),
        "{sitemap}"
    );
    assert!(!sitemap.contains("test.example.org"), "{sitemap}");
}

#[test]
fn serve_drafts_shows_a_draft_with_its_banner_and_build_leaves_it_out() {
    let site = copy_site(&fixture("minimal"));
    // 2024-003 is unpublished; a withdrawn case must stay hidden even in the preview.
    let cases = site.path().join("public-data/cases/2024");
    std::fs::write(
        cases.join("2024-004.toml"),
        read(&cases.join("2024-003.toml"))
            .replace("2024-003", "2024-004")
            .replace(
                "Unpublished case title sentinel",
                "Withdrawn case title sentinel",
            )
            .replace("Unpublished summary sentinel", "Withdrawn summary sentinel")
            + "\n[consent]\ngiven = true\nwithdrawn = 2024-05-01\n",
    )
    .unwrap();
    let server = crate::common::http::Server::start_with(site.path(), DATE, &["--drafts"]);
    let page = server.get("/cases/2024-003/");
    assert_eq!(page.status, 200, "{}", server.stderr_so_far());
    let html = page.text();
    assert!(html.contains("Unpublished case title sentinel"), "{html}");
    assert!(
        html.contains("<strong>Draft: not public</strong>"),
        "{html}"
    );
    let french = server.get("/fr/cases/2024-003/").text();
    assert!(french.contains("Brouillon : non public"), "{french}");
    let home = server.get("/").text();
    assert!(
        home.contains("Draft preview: this copy of the site also shows cases that are not public."),
        "{home}"
    );
    assert_eq!(server.get("/cases/2024-004/").status, 404);
    let published = server.get("/cases/2024-001/").text();
    assert!(!published.contains("draft-banner"), "{published}");
    drop(server);

    // The same tree, built: no draft, no banner, anywhere.
    let out_dir = tempfile::tempdir().unwrap();
    let public = out_dir.path().join("public");
    let out = crate::common::build(site.path(), &public, DATE);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!public.join("cases/2024-003").exists());
    for (path, bytes) in crate::common::snapshot(&public) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("Unpublished case title sentinel"), "{path}");
        assert!(!text.contains("Withdrawn case title sentinel"), "{path}");
        assert!(!text.contains("Draft: not public"), "{path}");
        if path.ends_with(".html") {
            assert!(!text.contains("draft-notice"), "{path}");
        }
    }
}

#[test]
fn the_sg_report_export_lists_each_event_once_inside_the_period_and_opens_in_word() {
    let out_dir = tempfile::tempdir().unwrap();
    let out = run(&[
        "export",
        "--root",
        crate::common::repo_root().to_str().unwrap(),
        "--build-date",
        DATE,
        "--for",
        "sg-report",
        "--period",
        "2024",
        "--output",
        out_dir.path().to_str().unwrap(),
    ]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains(" for 2024-05-01 to 2025-04-30 into "), "{err}");
    let stem = out_dir.path().join("sg-report-2024-05-01--2025-04-30");
    let md = read(&stem.with_extension("md"));

    let months = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let mut events = 0;
    for block in md.split("\n- **").skip(1) {
        let lines: Vec<&str> = block.lines().filter(|l| l.starts_with("  - ")).collect();
        let mut seen = std::collections::BTreeSet::new();
        for line in &lines {
            events += 1;
            assert!(seen.insert(*line), "listed twice: {line}");
            // "  - 15 July 2024: ..." must be inside 1 May 2024 – 30 April 2025.
            let date = line[4..].split(':').next().unwrap();
            let parts: Vec<&str> = date.split(' ').collect();
            let month = months.iter().position(|m| *m == parts[1]).unwrap() + 1;
            let key = (parts[2].parse::<u32>().unwrap(), month as u32);
            assert!(
                ((2024, 5)..=(2025, 4)).contains(&key),
                "outside the period: {line}"
            );
            assert!(
                !line.contains(" (CAT)") && !line.contains(" (CCPR)"),
                "a code: {line}"
            );
            assert!(!line.contains(".."), "double full stop: {line}");
        }
        // A letter and the action that sent it are one event: no symbol twice.
        let symbols: Vec<&str> = lines
            .iter()
            .flat_map(|l| l.split([' ', '(', ')', ',']))
            .filter(|w| w.matches('/').count() >= 2)
            .map(|w| w.trim_end_matches('.'))
            .collect();
        let unique: std::collections::BTreeSet<&&str> = symbols.iter().collect();
        assert_eq!(
            unique.len(),
            symbols.len(),
            "a letter listed twice: {lines:?}"
        );
        let letter_days: Vec<&str> = lines
            .iter()
            .filter(|l| l.contains(": Letter to the State"))
            .map(|l| l.split(':').next().unwrap())
            .collect();
        let unique_days: std::collections::BTreeSet<&&str> = letter_days.iter().collect();
        assert_eq!(
            unique_days.len(),
            letter_days.len(),
            "a letter listed twice: {lines:?}"
        );
    }
    assert!(events > 0, "{md}");
    assert!(md.contains("Committee against Torture"), "{md}");

    // The Word file: a zip whose parts are well-formed XML, with the same cases.
    let bytes = std::fs::read(stem.with_extension("docx")).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut part = |name: &str| {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut archive.by_name(name).unwrap(), &mut text).unwrap();
        text
    };
    let types = part("[Content_Types].xml");
    roxmltree::Document::parse(&types).unwrap();
    assert!(types.contains("/word/document.xml"));
    roxmltree::Document::parse(&part("_rels/.rels")).unwrap();
    roxmltree::Document::parse(&part("word/styles.xml")).unwrap();
    let document = part("word/document.xml");
    let xml = roxmltree::Document::parse(&document).unwrap();
    let text: String = xml
        .descendants()
        .filter(|n| n.has_tag_name("t"))
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join("");
    assert!(text.contains("Annex I. Information on cases received in the period"));
    assert!(text.contains("Annex II. Follow-up information on cases from earlier periods"));
    for id in md.split("(case ").skip(1).map(|s| &s[..8]) {
        assert!(
            text.contains(&format!("(case {id};")),
            "{id} not in the Word file"
        );
    }
}

#[test]
fn help_lists_every_command() {
    let out = run(&["--help"]);
    let help = String::from_utf8(out.stdout).unwrap();
    for command in [
        "init",
        "build",
        "check",
        "status",
        "serve",
        "new",
        "export",
        "deploy-config",
    ] {
        assert!(
            help.lines()
                .any(|l| l.trim_start().starts_with(&format!("{command} "))),
            "{command} missing from:\n{help}"
        );
    }
}
