//! What a webmaster sees when the data is wrong: exact text, every problem at once, exit codes.

use crate::common::*;

fn write(root: &std::path::Path, rel: &str, text: &str) {
    std::fs::write(root.join(rel), text).expect("write fixture file");
}

#[test]
fn unknown_committee_shows_file_line_caret_and_suggestion() {
    let site = copy_site(&fixture("minimal"));
    let case = "public-data/cases/2024/2024-002.toml";
    let text = read(&site.path().join(case)).replace(
        "committees = [\"CAT\", \"CMW\"]",
        "committees = [\"CATT\", \"CMW\"]",
    );
    write(site.path(), case, &text);
    let out = run(&[
        "check",
        "--root",
        site.path().to_str().unwrap(),
        "--build-date",
        "2024-06-15",
    ]);
    // The case is withheld (quarantined) and the rest of the site would be built.
    assert_eq!(out.status.code(), Some(5));
    let expected = "  × unknown committee `CATT`
   ╭─[public-data/cases/2024/2024-002.toml:5:15]
 4 │ summary = \"A journalist was prevented from travelling to Geneva.\"
 5 │ committees = [\"CATT\", \"CMW\"]
   ·               ───┬──
   ·                  ╰── not defined in public-data/committees/
 6 │ country = \"KEN\"
   ╰────
  help: did you mean `CAT`?
";
    assert!(stderr(&out).contains(expected), "got:\n{}", stderr(&out));
}

#[test]
fn misspelt_field_names_the_expected_one() {
    let site = copy_site(&fixture("minimal"));
    let case = "public-data/cases/2024/2024-002.toml";
    let text = read(&site.path().join(case)).replace("reprisal_types =", "reprisal_type =");
    write(site.path(), case, &text);
    let out = run(&["check", "--root", site.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(5));
    let err = stderr(&out);
    assert!(err.contains("× unknown field `reprisal_type`"), "{err}");
    assert!(
        err.contains("[public-data/cases/2024/2024-002.toml:8:1]"),
        "{err}"
    );
    assert!(
        err.contains("help: did you mean `reprisal_types`?"),
        "{err}"
    );
}

#[test]
fn check_lists_every_problem_sorted_by_file_and_writes_nothing() {
    let site = copy_site(&fixture("minimal"));
    let root = site.path();
    let one = read(&root.join("public-data/cases/2024/2024-001.toml"))
        .replace("country = \"MEX\"", "country = \"MXX\"")
        .replace("deadline = 2024-05-20", "deadline = 2024-01-20");
    write(root, "public-data/cases/2024/2024-001.toml", &one);
    let two = read(&root.join("public-data/cases/2024/2024-002.toml"))
        .replace(
            "status = \"allegation_received\"",
            "status = \"alegation_received\"",
        )
        .replace("given = true", "given = false");
    write(root, "public-data/cases/2024/2024-002.toml", &two);
    let fp = read(&root.join("public-data/focal-points/cat-old.toml"))
        .replace("end = 2023-12-31", "end = 2019-12-31");
    write(root, "public-data/focal-points/cat-old.toml", &fp);
    // An error in what every page needs stops the build; the records' errors are listed too.
    let committee = read(&root.join("public-data/committees/cmw.toml"))
        .replace("cmw-secretariat@example.org", "cmw-secretariat.example.org");
    write(root, "public-data/committees/cmw.toml", &committee);

    let out = run(&["check", "--root", root.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let expected_in_order = [
        "unknown country `MXX`",
        "deadline 2024-01-20 is before the letter's date 2024-03-20",
        "`publish = true` but consent is not given: the case is not published",
        "unknown status `alegation_received`",
        "contact `cmw-secretariat.example.org` is not an e-mail address",
        "term ends (2019-12-31) before it starts (2020-01-01)",
    ];
    let mut last = 0;
    for message in expected_in_order {
        let at = err[last..]
            .find(message)
            .unwrap_or_else(|| panic!("missing or out of order: {message}\n{err}"));
        last += at;
    }
    assert!(
        err.contains("help: did you mean `allegation_received`?"),
        "{err}"
    );
    assert!(
        err.contains("5 error(s), 1 warning(s); nothing was written"),
        "{err}"
    );
    assert!(!root.join("public").exists());
}

#[test]
fn toml_syntax_errors_point_at_the_spot() {
    let site = copy_site(&fixture("minimal"));
    write(
        site.path(),
        "public-data/committees/cmw.toml",
        "code = \"CMW\"\nname = \"Committee\ntreaty = \"x\"\n",
    );
    let out = run(&["check", "--root", site.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("public-data/committees/cmw.toml:2:"), "{err}");
}

#[test]
fn duplicate_ids_and_broken_related_links_are_reported() {
    let site = copy_site(&fixture("minimal"));
    let root = site.path();
    std::fs::create_dir_all(root.join("public-data/cases/2025")).unwrap();
    let copy = read(&root.join("public-data/cases/2024/2024-002.toml"))
        .replace("\"2024-003\"]", "\"2024-099\"]");
    write(root, "public-data/cases/2025/2024-002.toml", &copy);
    let out = run(&["check", "--root", root.to_str().unwrap()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(5), "{err}");
    assert!(err.contains("case id `2024-002` is used twice"), "{err}");
    assert!(
        err.contains("case id `2024-002` is also used by public-data/cases/2025/2024-002.toml"),
        "{err}"
    );
    assert!(err.contains("unknown case `2024-099`"), "{err}");
    // Both files are withheld: which one is right cannot be known.
    assert!(
        err.contains("withheld: public-data/cases/2024/2024-002.toml"),
        "{err}"
    );
    assert!(
        err.contains("withheld: public-data/cases/2025/2024-002.toml"),
        "{err}"
    );
}

#[test]
fn usage_errors_exit_with_two() {
    let out = run(&["build", "--build-date", "yesterday"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("not a date of the form YYYY-MM-DD"),
        "{}",
        stderr(&out)
    );
}
