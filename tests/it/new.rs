//! `new case` and `new focal-point`: a template with the next free id, in the right folder,
//! that `check` accepts once it is filled in (a case is valid and unpublished at once).

use std::path::PathBuf;

use crate::common::*;

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
    let today = reprisals_site::model::date::Date::today_utc().to_string();
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
    let year = reprisals_site::model::date::Date::today_utc().year();
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
