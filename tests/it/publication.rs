//! Publication you can trust: the review gate, hiding that never waits (links to hidden cases
//! become text, broken records are withheld with exit code 5), nothing half-written, Markdown
//! that does not surprise, the build date, and an output folder that is the tool's own.

use std::path::Path;

use crate::common::*;

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).expect("write fixture file");
}

fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let text = read(&root.join(rel));
    assert!(text.contains(from), "{rel} has no `{from}`");
    write(root, rel, &text.replacen(from, to, 1));
}

fn check(root: &Path, date: &str) -> std::process::Output {
    run(&[
        "check",
        "--root",
        root.to_str().unwrap(),
        "--build-date",
        date,
    ])
}

/// Every output file that mentions `needle`.
/// Output files that mention `needle`, leaving out the notices that name a withdrawn case by
/// its address and date only, on purpose (feed tombstones and `data/withdrawn.json`, so that
/// re-users delete their copies).
fn files_containing(dir: &Path, needle: &str) -> Vec<String> {
    let tombstone =
        regex::Regex::new(r#"<at:deleted-entry ref="[^"<>]*" when="[^"<>]*"/>"#).expect("regex");
    snapshot(dir)
        .into_iter()
        .filter(|(path, _)| path != "data/withdrawn.json")
        .filter(|(path, bytes)| {
            let text = String::from_utf8_lossy(bytes);
            path.contains(needle) || tombstone.replace_all(&text, "").contains(needle)
        })
        .map(|(path, _)| path)
        .collect()
}

/// The ids of the cases the sample publishes, from the open data file of a build.
fn published_ids(site: &Path) -> Vec<String> {
    let json: serde_json::Value =
        serde_json::from_str(&read(&site.join("data/cases.json"))).expect("cases.json");
    json["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect()
}

fn case_file(id: &str) -> String {
    format!("public-data/cases/{}/{id}.toml", &id[..4])
}

/// The three ways to hide a case, each one edit of its file.
fn hide(root: &Path, id: &str, how: usize) {
    let rel = case_file(id);
    match how {
        0 => edit(
            root,
            &rel,
            "[consent]\n",
            "[consent]\nwithdrawn = 2026-11-01\n",
        ),
        1 => edit(root, &rel, "publish = true", "publish = false"),
        _ => edit(root, &rel, "given = true", "given = false"),
    }
}

#[test]
fn every_published_sample_case_can_be_hidden_in_every_way_while_guidance_links_to_it() {
    let site = copy_site(&repo_root());
    let root = site.path();
    let out = tempfile::tempdir().unwrap();
    let first = out.path().join("first");
    let result = build(root, &first, "2026-11-30");
    assert!(result.status.success(), "{}", stderr(&result));
    let ids = published_ids(&first);
    assert_eq!(ids.len(), 49, "the sample publishes 49 cases");
    // Guidance written earlier links to every case.
    let links: String = ids
        .iter()
        .map(|id| format!("- [a case we reported](/cases/{id}/)\n"))
        .collect();
    let guidance = read(&root.join("content/safety.md"));
    write(root, "content/safety.md", &format!("{guidance}\n\n{links}"));
    // Half the cases are hidden at a time, so the others stay published around them; each
    // case is hidden in each of the three ways in one of six builds.
    let halves: [Vec<&String>; 2] = [
        ids.iter().step_by(2).collect(),
        ids.iter().skip(1).step_by(2).collect(),
    ];
    for (h, half) in halves.iter().enumerate() {
        for way in 0..3 {
            let work = copy_site(root);
            for (i, id) in half.iter().enumerate() {
                hide(work.path(), id, (i + way) % 3);
            }
            let target = out.path().join(format!("hidden-{h}-{way}"));
            let result = build(work.path(), &target, "2026-11-30");
            let err = stderr(&result);
            assert_eq!(result.status.code(), Some(0), "{err}");
            assert!(
                err.contains("which is not published: shown as plain text"),
                "{err}"
            );
            // Its address and its id as a data value are nowhere (the bare id also appears
            // as an example in the interface strings).
            for id in half {
                for needle in [format!("{id}/"), format!("\"{id}\"")] {
                    let found = files_containing(&target, &needle);
                    assert!(found.is_empty(), "{needle} is still in {found:?}");
                }
            }
            let shown = published_ids(&target);
            assert_eq!(shown.len(), ids.len() - half.len());
            assert!(target.join("safety/index.html").is_file());
        }
    }
}

#[test]
fn a_broken_unrelated_case_does_not_stop_a_withdrawal() {
    let site = copy_site(&fixture("minimal"));
    let root = site.path();
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("public");
    assert!(build(root, &target, "2024-06-15").status.success());
    assert!(target.join("cases/2024-001/index.html").is_file());
    hide(root, "2024-001", 0);
    edit(
        root,
        "public-data/cases/2024/2024-002.toml",
        "country = \"KEN\"",
        "country = \"KENX\"",
    );
    let result = build(root, &target, "2024-06-15");
    let err = stderr(&result);
    assert_eq!(result.status.code(), Some(5), "{err}");
    assert!(err.contains("`KENX`"), "{err}");
    assert!(
        err.contains(
            "withheld: public-data/cases/2024/2024-002.toml (fix its errors to publish it)"
        ),
        "{err}"
    );
    assert!(
        err.contains("built; 1 record(s) withheld because of errors"),
        "{err}"
    );
    for id in ["2024-001", "2024-002"] {
        let found = files_containing(&target, &format!("cases/{id}"));
        assert!(found.is_empty(), "{id} is still in {found:?}");
    }
    assert!(files_containing(&target, "Lawyer threatened").is_empty());
    assert!(target.join("index.html").is_file());
}

#[test]
fn a_broken_focal_point_is_withheld_and_the_committee_shows_vacant() {
    let site = copy_site(&fixture("minimal"));
    let root = site.path();
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("public");
    let fp = std::fs::read_dir(root.join("public-data/focal-points"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| read(p).contains("Current Rapporteur"))
        .unwrap();
    let text = read(&fp).replace("role = \"rapporteur\"", "role = \"rapporteur\"\nfoo = 1");
    std::fs::write(&fp, text).unwrap();
    let result = build(root, &target, "2024-06-15");
    let err = stderr(&result);
    assert_eq!(result.status.code(), Some(5), "{err}");
    assert!(err.contains("unknown field `foo`"), "{err}");
    let page = read(&target.join("committees/cat/index.html"));
    assert!(
        !page.contains("Current Rapporteur"),
        "withheld person shown"
    );
}

#[test]
fn a_stopped_build_lists_the_hidden_cases_still_online() {
    let site = copy_site(&fixture("minimal"));
    let root = site.path();
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("public");
    assert!(build(root, &target, "2024-06-15").status.success());
    hide(root, "2024-001", 0);
    hide(root, "2024-002", 1);
    edit(
        root,
        "public-data/committees/cat.toml",
        "code = \"CAT\"",
        "code = \"CATX\"",
    );
    let result = build(root, &target, "2024-06-15");
    let err = stderr(&result);
    assert_eq!(result.status.code(), Some(1), "{err}");
    let place = target.display().to_string();
    for line in [
        format!("warning: 2024-001 is withdrawn but still online in {place}"),
        format!("warning: 2024-002 has publish = false but still online in {place}"),
    ] {
        assert!(err.contains(&line), "missing `{line}` in:\n{err}");
    }
}

#[test]
fn the_review_gate_and_the_vocabulary_policy_decide_publication() {
    let site = copy_site(&fixture("minimal"));
    let root = site.path();
    let case = "public-data/cases/2024/2024-001.toml";
    edit(root, case, "approved = 2024-03-15\n", "");
    let err = stderr(&check(root, "2024-06-15"));
    assert!(
        err.contains("× `publish = true` needs `review.approved`"),
        "{err}"
    );
    edit(
        root,
        case,
        "assessed = 2024-03-15\n",
        "approved = 2024-03-10\n",
    );
    let err = stderr(&check(root, "2024-06-15"));
    assert!(
        err.contains("× review.approved 2024-03-10 is before consent.date 2024-03-15"),
        "{err}"
    );
    edit(root, case, "approved = 2024-03-10", "approved = 2024-03-16");
    edit(
        root,
        "public-data/vocab/statuses.toml",
        "id = \"action_taken\"",
        "id = \"action_taken\"\npublishable = false",
    );
    edit(
        root,
        "public-data/vocab/victim_profiles.toml",
        "id = \"lawyer\"",
        "id = \"lawyer\"\nspecial_category = true",
    );
    let out = check(root, "2024-06-15");
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(5), "{err}");
    assert!(
        err.contains("× a case in status `action_taken` cannot be published"),
        "{err}"
    );
    assert!(
        err.contains("× `lawyer` is a special category: publishing needs `review.safeguarding`"),
        "{err}"
    );
    // Approved after the build date: not yet public, and no error.
    let site = copy_site(&fixture("minimal"));
    let root = site.path();
    edit(root, case, "approved = 2024-03-15", "approved = 2024-07-01");
    let out = tempfile::tempdir().unwrap();
    let result = build(root, &out.path().join("p"), "2024-06-15");
    assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
    assert!(!out.path().join("p/cases/2024-001").exists());
}

#[test]
fn nothing_half_written_is_published() {
    let site = copy_site(&fixture("minimal"));
    let root = site.path();
    // A focal point from the template with only its date filled in.
    let made = run(&[
        "new",
        "focal-point",
        "--committee",
        "CMW",
        "--root",
        root.to_str().unwrap(),
    ]);
    assert!(made.status.success(), "{}", stderr(&made));
    let path = String::from_utf8_lossy(&made.stdout).trim().to_owned();
    let text = read(Path::new(&path)).replace("\"YYYY-MM-DD\"", "2024-01-01");
    std::fs::write(&path, text).unwrap();
    let case = "public-data/cases/2024/2024-001.toml";
    edit(
        root,
        case,
        "summary = \"The Committee asked",
        "mode = \"full\"\nsummary = \"The Committee asked",
    );
    edit(root, case, "committee = \"CAT\"", "committee = \"CMW\"");
    std::fs::rename(
        root.join("public-data/cases/2024/2024-002.toml"),
        root.join("public-data/cases/2023-2024-002.toml"),
    )
    .unwrap();
    std::fs::create_dir_all(root.join("public-data/cases/2023")).unwrap();
    std::fs::rename(
        root.join("public-data/cases/2023-2024-002.toml"),
        root.join("public-data/cases/2023/2024-002.toml"),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("p");
    let result = build(root, &target, "2024-06-15");
    let err = stderr(&result);
    assert_eq!(result.status.code(), Some(5), "{err}");
    for message in [
        "× `name` still holds the placeholder TODO",
        "× `contact.value` still holds the placeholder TODO",
        "× mode = \"full\" needs the letter's `file`",
        "× action by `CMW`, which is not among the case's committees",
        "× case `2024-002` is in the folder cases/2023/",
        "help: move the file to public-data/cases/2024/2024-002.toml",
    ] {
        assert!(err.contains(message), "missing `{message}` in:\n{err}");
    }
    assert!(files_containing(&target, "TODO").is_empty());
}

#[test]
fn contacts_must_fit_their_kind_and_overlapping_terms_are_warned() {
    let site = copy_site(&fixture("minimal"));
    let root = site.path();
    let fp = std::fs::read_dir(root.join("public-data/focal-points"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| read(p).contains("Past Rapporteur"))
        .unwrap();
    let text = read(&fp).replace("end = 2023-12-31", "end = 2024-12-31");
    let text =
        format!("{text}\n[[contact]]\nkind = \"email\"\nvalue = \"rapporteur.example.org\"\n");
    std::fs::write(&fp, text).unwrap();
    let err = stderr(&check(root, "2024-06-15"));
    assert!(
        err.contains("× contact `rapporteur.example.org` is not an e-mail address"),
        "{err}"
    );
    assert!(
        err.contains("hold the same role for CAT over the same procedures at"),
        "{err}"
    );
}

#[test]
fn markdown_comments_are_removed_and_surprises_are_warned_with_their_line() {
    let site = copy_site(&fixture("minimal"));
    let root = site.path();
    // Saved on Windows: byte-order mark and CRLF, in Markdown and in TOML.
    let page = "\u{feff}+++\r\ntitle = \"Safety\"\r\nweight = 20\r\n+++\r\nThe exit control leaves the site.\r\n\r\n<!-- internal: do not publish -->\r\n\r\nSee <b>this</b> and [submit](how-to-submit/) and [part](#nowhere).\r\n\r\n## Plan\r\n\r\n[plan](#plan) [other](/how-to-submit/#nowhere)\r\n";
    write(root, "content/safety.md", page);
    let case = "public-data/cases/2024/2024-001.toml";
    let text = read(&root.join(case)).replace('\n', "\r\n");
    write(root, case, &format!("\u{feff}{text}"));
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("p");
    let result = build(root, &target, "2024-06-15");
    let err = stderr(&result);
    assert_eq!(result.status.code(), Some(0), "{err}");
    for message in [
        "⚠ HTML comment removed from the page",
        "[content/safety.md:7:1]",
        "⚠ raw HTML `<b>` is shown as text",
        "⚠ relative link `how-to-submit/`: internal links start with /",
        "⚠ no section `#nowhere` on this page",
        "⚠ `/how-to-submit/` has no section `#nowhere`",
    ] {
        assert!(err.contains(message), "missing `{message}` in:\n{err}");
    }
    assert!(!err.contains("no section `#plan`"), "{err}");
    assert!(files_containing(&target, "internal: do not publish").is_empty());
    assert!(target.join("cases/2024-001/index.html").is_file());
}

#[test]
fn the_build_date_decides_what_has_happened() {
    let site = copy_site(&fixture("minimal"));
    let root = site.path();
    let out = tempfile::tempdir().unwrap();
    // 2024-002 is reported on 2024-06-01: not yet public the day before.
    let before = out.path().join("before");
    assert!(build(root, &before, "2024-05-31").status.success());
    assert!(!before.join("cases/2024-002").exists());
    let after = out.path().join("after");
    assert!(build(root, &after, "2024-06-01").status.success());
    assert!(after.join("cases/2024-002/index.html").is_file());
    // More than a year ahead is a typo.
    edit(
        root,
        "public-data/cases/2024/2024-001.toml",
        "date = 2024-03-20\nkind",
        "date = 2034-03-20\nkind",
    );
    let err = stderr(&check(root, "2024-06-15"));
    assert!(
        err.contains(
            "× actions.date 2034-03-20 is more than a year after the build date 2024-06-15"
        ),
        "{err}"
    );
}

#[test]
fn the_output_folder_is_the_tools_own() {
    let site = copy_site(&fixture("minimal"));
    let root = site.path();
    let before = snapshot(&root.join("public-data"));
    let out = run(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        root.join("public-data").to_str().unwrap(),
        "--force",
    ]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("is inside public-data/, which holds the site's sources"),
        "{err}"
    );
    assert_eq!(
        snapshot(&root.join("public-data")),
        before,
        "sources changed"
    );

    let foreign = tempfile::tempdir().unwrap();
    std::fs::write(foreign.path().join("notes.txt"), "mine").unwrap();
    let args = |force: bool| {
        let mut a = vec![
            "build".to_owned(),
            "--root".into(),
            root.display().to_string(),
            "--output".into(),
            foreign.path().display().to_string(),
            "--build-date".into(),
            "2024-06-15".into(),
        ];
        if force {
            a.push("--force".into());
        }
        a
    };
    let refused = run(&args(false).iter().map(String::as_str).collect::<Vec<_>>());
    let err = stderr(&refused);
    assert_eq!(refused.status.code(), Some(2), "{err}");
    assert!(err.contains("did not write"), "{err}");
    assert!(foreign.path().join("notes.txt").is_file());
    let forced = run(&args(true).iter().map(String::as_str).collect::<Vec<_>>());
    assert!(forced.status.success(), "{}", stderr(&forced));
    assert!(foreign.path().join(".reprisals-site-output").is_file());
    // Now it is the tool's own: no --force needed.
    let again = run(&args(false).iter().map(String::as_str).collect::<Vec<_>>());
    assert!(again.status.success(), "{}", stderr(&again));
}
