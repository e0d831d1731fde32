//! The leak proof end to end: a withheld value that reaches a page stops the build (exit 3),
//! names the file and field, and publishes nothing.

use std::path::Path;

use crate::common::{build, copy_site, fixture, stderr};

const CASE: &str = "public-data/cases/2024/2024-001.toml";

fn edit(site: &Path, from: &str, to: &str) {
    let path = site.join(CASE);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "fixture changed: no {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

fn assert_leak_stops_the_build(site: &Path, date: &str, field: &str) {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("public");
    let result = build(site, &target, date);
    let message = stderr(&result);
    assert_eq!(result.status.code(), Some(3), "{message}");
    assert!(message.contains(&format!("{CASE}: {field}")), "{message}");
    assert!(!target.exists(), "a leaking build published its output");
}

#[test]
fn a_private_note_copied_into_a_public_summary_stops_the_build() {
    let site = copy_site(&fixture("minimal"));
    edit(
        site.path(),
        "A lawyer was threatened after briefing the Committee.",
        "A lawyer was threatened after briefing the Committee. Private note, sentinel VALUE.",
    );
    assert_leak_stops_the_build(site.path(), "2024-06-15", "private.note");
}

#[test]
fn the_beginning_of_a_long_embargoed_letter_in_a_public_summary_stops_the_build() {
    let site = copy_site(&fixture("minimal"));
    let letter = "The Committee asked the State to protect the lawyer, to investigate the threats \
                  received after the briefing, and to report on the measures taken within sixty days.";
    edit(
        site.path(),
        "summary = \"The Committee asked the State to protect the lawyer.\"",
        &format!("summary = \"{letter}\""),
    );
    // Only the first 100 characters are quoted: a truncated excerpt is still a leak.
    edit(
        site.path(),
        "A lawyer was threatened after briefing the Committee.",
        &format!("A lawyer was threatened. {}", &letter[..100]),
    );
    // Before the letter's deadline (2024-05-20) it is under embargo.
    assert_leak_stops_the_build(site.path(), "2024-04-01", "correspondence[0].summary");
}
