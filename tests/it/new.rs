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

fn check(root: &std::path::Path) -> std::process::Output {
    run(&[
        "check",
        "--root",
        root.to_str().unwrap(),
        "--build-date",
        "2024-06-15",
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

    // Filled in and published, it still passes and gets its page.
    let filled = text
        .replace("publish = false", "publish = true")
        .replace("given = false", "given = true")
        .replace(
            "TODO: a short, identifier-free title",
            "Defender questioned after a session",
        );
    std::fs::write(&path, filled).unwrap();
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
    let result = check(root);
    assert_eq!(result.status.code(), Some(1));
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
