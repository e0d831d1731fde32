//! `new case` and `new focal-point`: a template with the next free id, in the right folder,
//! that `check` accepts once it is filled in (a case is valid and unpublished at once).

use std::path::PathBuf;

use crate::common::*;
use reprisals_site::Date;

fn new_record(args: &[&str]) -> PathBuf {
    let output = run(args);
    assert!(output.status.success(), "{}", stderr(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let path = PathBuf::from(stdout.trim());
    assert!(path.is_file(), "no file at {}", path.display());
    path
}

/// `check` on the day the records were made: a date further than a year ahead of the build
/// date is an error, and `new` dates its records today.
fn check(root: &std::path::Path) -> std::process::Output {
    let today = reprisals_site::Date::today_utc().to_string();
    run(&[
        "check",
        "--root",
        root.to_str().unwrap(),
        "--build-date",
        &today,
    ])
}

#[test]
fn a_new_case_takes_the_next_id_and_passes_check_unpublished() {
    let site = copy_site(&fixture("minimal"));
    let root = site.path();
    let year = reprisals_site::Date::today_utc().year();
    // An existing case of this year, so the new one must come after it.
    let existing = root.join(format!("public-data/cases/{year}/{year}-041.toml"));
    std::fs::create_dir_all(existing.parent().unwrap()).unwrap();
    std::fs::write(
        &existing,
        read(&root.join("public-data/cases/2024/2024-003.toml"))
            .replace("id = \"2024-003\"", &format!("id = \"{year}-041\"")),
    )
    .unwrap();

    let args = [
        "new",
        "case",
        "--committee",
        "cat",
        "--country",
        "MEX",
        "--root",
    ];
    let mut all: Vec<&str> = args.to_vec();
    all.push(root.to_str().unwrap());
    let path = new_record(&all);
    assert_eq!(
        path,
        root.join(format!("public-data/cases/{year}/{year}-042.toml"))
    );
    let text = read(&path);
    assert!(text.contains("publish = false"));
    assert!(text.contains("committees = [\"CAT\"]"));
    assert!(text.contains("country = \"MEX\""));
    let result = check(root);
    assert!(result.status.success(), "{}", stderr(&result));

    // Published with consent but without review: withheld, and the message says what to add.
    let consented = text
        .replace("publish = false", "publish = true")
        .replace("given = false", "given = true")
        .replacen("# date = ", "date = ", 1)
        .replace(
            "TODO: a short, identifier-free title",
            "Defender questioned after a session",
        )
        .replace(
            "TODO: what happened, what the committee did, and where things stand.",
            "A defender was questioned after a session of the Committee.",
        );
    std::fs::write(&path, &consented).unwrap();
    let result = check(root);
    assert_eq!(result.status.code(), Some(5), "{}", stderr(&result));
    assert!(
        stderr(&result).contains("`publish = true` needs `review.approved`"),
        "{}",
        stderr(&result)
    );
    // Reviewed and approved, it passes and gets its page.
    let reviewed = consented
        .replace("# [review]", "[review]")
        .replace("# assessed = ", "assessed = ")
        .replace("# approved = ", "approved = ");
    std::fs::write(&path, reviewed).unwrap();
    let result = check(root);
    assert!(result.status.success(), "{}", stderr(&result));

    let second = new_record(&all);
    assert!(second.ends_with(format!("{year}-043.toml")));
}

#[test]
fn a_new_case_names_an_unknown_committee() {
    let site = copy_site(&fixture("minimal"));
    let output = run(&[
        "new",
        "case",
        "--committee",
        "CATT",
        "--root",
        site.path().to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("did you mean `CAT`?"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_new_focal_point_is_refused_until_filled_in() {
    let site = copy_site(&fixture("minimal"));
    let root = site.path();
    let path = new_record(&[
        "new",
        "focal-point",
        "--committee",
        "CMW",
        "--root",
        root.to_str().unwrap(),
    ]);
    assert!(path.starts_with(root.join("public-data/focal-points")));
    assert!(
        path.file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("cmw-")
    );
    // Withheld (exit code 5) until it is filled in; the rest of the site is built.
    let result = check(root);
    assert_eq!(result.status.code(), Some(5));
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    assert!(stderr(&result).contains(&name), "{}", stderr(&result));

    let filled = read(&path)
        .replace("TODO: full name as published", "Ms. Example Person")
        .replace("\"YYYY-MM-DD\"", "2024-01-01")
        .replace("TODO@example.org", "cmw-reprisals@example.org");
    std::fs::write(&path, filled).unwrap();
    let result = check(root);
    assert!(result.status.success(), "{}", stderr(&result));
}

/// `new case --from FILE`, with the file composed by the form in a browser (the browser test
/// `form.test.mjs` writes it when SUBMISSION_OUT is set): a draft that `check` accepts, that
/// `build` does not publish, with consent as answered and the person's words in [private].
#[test]
fn a_composed_submission_becomes_an_unpublished_draft() {
    let site = copy_site(&fixture("minimal"));
    let root = site.path();
    let submission = repo_root().join("tests/fixtures/submission.txt");
    let output = run(&[
        "new",
        "case",
        "--from",
        submission.to_str().unwrap(),
        "--root",
        root.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        !stderr(&output).contains("could not read"),
        "{}",
        stderr(&output)
    );
    let path = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
    let year = reprisals_site::Date::today_utc().year();
    assert_eq!(
        path,
        root.join(format!("public-data/cases/{year}/{year}-001.toml"))
    );
    let text = read(&path);
    let record: toml::Table = text.parse().expect("the draft is TOML");
    assert_eq!(record["publish"].as_bool(), Some(false));
    assert!(
        !record.contains_key("review"),
        "no review: a person does that"
    );
    assert_eq!(
        record["committees"].as_array().unwrap()[0].as_str(),
        Some("CAT")
    );
    assert_eq!(record["country"].as_str(), Some("MEX"));
    assert_eq!(record["incident"]["from"].as_str(), Some("2026-03"));
    assert_eq!(record["incident"]["to"].as_str(), Some("2026-05"));
    assert_eq!(
        record["reprisal_types"].as_array().unwrap()[0].as_str(),
        Some("threats")
    );
    assert_eq!(record["consent"]["given"].as_bool(), Some(true));
    let scopes: Vec<&str> = record["consent"]["scopes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s.as_str())
        .collect();
    assert_eq!(scopes, vec!["gender"], "only the scope that was ticked");
    assert_eq!(record["victim"]["kind"].as_str(), Some("group"));
    assert_eq!(record["victim"]["count"].as_integer(), Some(2));
    // The name was written, but its scope was not granted: only the private text keeps it.
    assert!(record["victim"].get("name").is_none());
    let private = record["private"]["submission"].as_str().unwrap();
    for words in [
        "Sentinel Person Name",
        "Officers came to the office twice.",
        "and said: stop [talking]: or else.",
        "Shadow report for the review in February.",
        "Secure messenger only, evenings.",
        "share_asg",
    ] {
        assert!(private.contains(words), "private keeps {words:?}");
    }
    assert!(!record["summary"].to_string().contains("Officers"));

    let result = check(root);
    assert!(result.status.success(), "{}", stderr(&result));
    let out = tempfile::tempdir().unwrap();
    let built = build(
        root,
        &out.path().join("site"),
        &Date::today_utc().to_string(),
    );
    assert!(built.status.success(), "{}", stderr(&built));
    let id = format!("{year}-001");
    for (file, bytes) in snapshot(&out.path().join("site")) {
        assert!(!file.contains(&id), "the draft has no page: {file}");
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("Officers came"), "{file}");
        assert!(!text.contains("Sentinel Person Name"), "{file}");
    }
}

/// An edited file: what cannot be read is reported with its line number, kept in [private],
/// and the draft is still written and valid.
#[test]
fn an_edited_submission_reports_what_it_could_not_read_by_line() {
    let site = copy_site(&fixture("minimal"));
    let root = site.path();
    let composed = read(&repo_root().join("tests/fixtures/submission.txt"));
    let edited = composed
        .replace("[from]: 2026-03", "[from]: March 2026")
        .replace("Threats (threats)", "Threats (threats); Blackmail")
        .replace(
            "== 3. When [when] ==",
            "Added by hand [mood]: tense\n== 3. When [when] ==",
        );
    let line_of = |needle: &str| edited.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let file = site.path().join("edited.txt");
    std::fs::write(&file, &edited).unwrap();
    let output = run(&[
        "new",
        "case",
        "--from",
        file.to_str().unwrap(),
        "--root",
        root.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let err = stderr(&output);
    for (needle, what) in [
        ("[from]: March 2026", "not a month"),
        ("Blackmail", "not one of the choices"),
        ("[mood]", "unknown field"),
    ] {
        let expected = format!("edited.txt:{}: could not read: ", line_of(needle));
        assert!(
            err.lines()
                .any(|l| l.contains(&expected) && l.contains(what)),
            "{expected}{what} in:\n{err}"
        );
    }
    let path = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
    let record: toml::Table = read(&path).parse().unwrap();
    assert!(
        record.get("incident").is_none(),
        "an unreadable month is not guessed"
    );
    let private = record["private"]["submission"].as_str().unwrap();
    assert!(private.contains("March 2026") && private.contains("tense"));
    let result = check(root);
    assert!(result.status.success(), "{}", stderr(&result));
}

#[test]
fn a_file_that_is_not_a_submission_is_refused() {
    let site = copy_site(&fixture("minimal"));
    let file = site.path().join("notes.txt");
    std::fs::write(&file, "just some notes\n").unwrap();
    let output = run(&[
        "new",
        "case",
        "--from",
        file.to_str().unwrap(),
        "--root",
        site.path().to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("is not a submission"),
        "{}",
        stderr(&output)
    );
}
