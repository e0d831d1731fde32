//! Snapshots (insta) of what users see: the diagnostics a webmaster reads for typical mistakes,
//! and two golden pages of the minimal fixture. A change to any of them shows up as a readable
//! diff in review; accept an intended one with `cargo insta review` (or `INSTA_UPDATE=always
//! cargo test --test it golden::` and read the diff of `tests/it/snapshots/`).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::common::*;

const BUILD_DATE: &str = "2024-06-15";
const CASE: &str = "public-data/cases/2024/2024-002.toml";

/// What `check` prints for the minimal fixture after `edit`, which must make it fail.
fn check_after(rel: &str, edit: impl FnOnce(String) -> String) -> String {
    let site = copy_site(&fixture("minimal"));
    let path = site.path().join(rel);
    let text = edit(std::fs::read_to_string(&path).unwrap_or_default());
    std::fs::write(&path, text).expect("write fixture file");
    let out = run(&[
        "check",
        "--root",
        site.path().to_str().unwrap(),
        "--build-date",
        BUILD_DATE,
    ]);
    // A broken case record is withheld and the rest still builds: exit code 5.
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    stderr(&out)
}

#[test]
fn diagnostic_unknown_field_suggests_the_known_one() {
    let err = check_after(CASE, |t| t.replace("reprisal_types =", "reprisal_type ="));
    insta::assert_snapshot!(err);
}

#[test]
fn diagnostic_reference_to_an_unknown_committee() {
    let err = check_after(CASE, |t| {
        t.replace(
            "committees = [\"CAT\", \"CMW\"]",
            "committees = [\"CATT\", \"CMW\"]",
        )
    });
    insta::assert_snapshot!(err);
}

#[test]
fn diagnostic_toml_syntax_error() {
    let err = check_after(CASE, |t| {
        t.replace(
            "status = \"allegation_received\"",
            "status = \"allegation_received",
        )
    });
    insta::assert_snapshot!(err);
}

/// The minimal fixture built once on a fixed date; tests only read it.
fn minimal_site() -> &'static Path {
    static SITE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, site) = SITE.get_or_init(|| {
        let out = tempfile::tempdir().unwrap();
        let site = out.path().join("site");
        let result = build(&fixture("minimal"), &site, BUILD_DATE);
        assert!(result.status.success(), "{}", stderr(&result));
        (out, site)
    });
    site
}

/// A page as a snapshot: one tag per line (tags the templates put side by side are split), and the
/// fingerprints of the stylesheet and script replaced, so a CSS or JS change elsewhere does
/// not touch these snapshots while any change to the page's markup or text does.
fn golden_page(rel: &str) -> String {
    read(&minimal_site().join(rel)).replace("><", ">\n<")
}

fn assert_page_snapshot(name: &str, rel: &str) {
    insta::with_settings!({
        filters => vec![(r"assets/([a-z]+)\.[0-9a-f]+\.(css|js|svg)", "assets/$1.[hash].$2")],
        description => rel,
        omit_expression => true,
    }, {
        insta::assert_snapshot!(name, golden_page(rel));
    });
}

#[test]
fn golden_case_page() {
    assert_page_snapshot("case_page_2024_001", "cases/2024-001/index.html");
}

#[test]
fn golden_committee_page() {
    assert_page_snapshot("committee_page_cat", "committees/cat/index.html");
}
