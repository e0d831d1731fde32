//! Facts worked out straight from a site's TOML files, without the code under test, for tests
//! to compare the build's output against.

use std::path::Path;

use super::read;

/// The oracle for "which cases does this site publish": the cases under `root`, read straight
/// from their TOML files without the code under test, that say `publish = true` and have
/// consent given and not withdrawn (the data model's rule). Sorted by id.
pub(crate) fn published_case_records(root: &Path) -> Vec<(String, toml::Table)> {
    let mut cases = Vec::new();
    for entry in walkdir::WalkDir::new(root.join("public-data/cases")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let toml: toml::Table = toml::from_str(&read(entry.path())).unwrap();
        let consent = toml.get("consent").and_then(|c| c.as_table());
        let given = consent
            .and_then(|c| c.get("given"))
            .and_then(|g| g.as_bool())
            == Some(true);
        let withdrawn = consent.is_some_and(|c| c.contains_key("withdrawn"));
        if toml.get("publish").and_then(|p| p.as_bool()) == Some(true) && given && !withdrawn {
            let id = toml["id"].as_str().unwrap().to_owned();
            cases.push((id, toml));
        }
    }
    cases.sort_by(|a, b| a.0.cmp(&b.0));
    cases
}
