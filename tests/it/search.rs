//! The search index of a real build holds published text only.

use crate::common::*;

#[test]
fn an_unpublished_or_private_word_is_in_no_search_file() {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let result = build(&fixture("minimal"), &site, "2024-06-15");
    assert!(result.status.success(), "{}", stderr(&result));
    let files: Vec<(String, String)> = snapshot(&site.join("search"))
        .into_iter()
        .map(|(path, bytes)| (path, String::from_utf8(bytes).unwrap().to_lowercase()))
        .collect();
    assert!(
        files.len() > 5,
        "manifests, shards, chunks and facet columns"
    );
    // Published words are there, so the check below looks at real index files.
    assert!(
        files
            .iter()
            .any(|(_, text)| text.contains("\"journalist\""))
    );
    // "Unpublished case title sentinel" (publish = false), its summary, a private note, a
    // non-public action note and a name without consent.
    for word in [
        "unpublished",
        "sentinel",
        "confidential",
        "private",
        "hidden",
    ] {
        for (path, text) in &files {
            assert!(!text.contains(word), "`{word}` found in search/{path}");
        }
    }
}
