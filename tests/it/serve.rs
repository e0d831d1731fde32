//! `serve` as a webmaster meets it: pages over HTTP with the right types, an edit on disk that
//! reaches the page and tells open tabs to reload, and a broken edit that keeps the last good
//! site online while the error endpoint explains what is wrong.

use std::path::Path;
use std::time::Duration;

use crate::common::http::{Server, wait_for};
use crate::common::*;

const LIMIT: Duration = Duration::from_secs(60);
const CASE: &str = "public-data/cases/2024/2024-001.toml";

fn edit(root: &Path, file: &str, from: &str, to: &str) {
    let path = root.join(file);
    let text = read(&path);
    assert!(text.contains(from), "{file} does not contain {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
}

/// The next event whose `build` and `error` match.
fn next_event(events: &std::sync::mpsc::Receiver<String>, build: u64, error: bool) -> String {
    let wanted = format!("{{\"build\":{build},\"error\":{error}}}");
    wait_for(&format!("event {wanted}"), LIMIT, || {
        events
            .recv_timeout(Duration::from_millis(200))
            .ok()
            .filter(|e| *e == wanted)
    })
}

#[test]
fn serves_pages_with_their_types_and_the_404_page() {
    let site = copy_site(&fixture("minimal"));
    let server = Server::start(site.path(), "2024-06-15");

    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(
        home.text().contains(
            "<script src=\"/__reprisals/live.js\" data-build=\"1\" defer></script></head>"
        )
    );

    let case = server.get("/fr/cases/2024-001/");
    assert_eq!(case.status, 200);
    assert!(case.text().contains("Avocate menacée"), "{}", case.text());

    let folder = server.get("/cases/2024-001");
    assert_eq!(folder.status, 301);
    assert_eq!(folder.header("location"), Some("/cases/2024-001/"));

    let css_path = regex_like_asset(&home.text(), ".css");
    let css = server.get(&css_path);
    assert_eq!(css.status, 200);
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert!(!css.text().contains("__reprisals"));

    let missing = server.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    let body = missing.text();
    assert!(body.contains("<h1"), "the site's own 404 page: {body}");
    assert!(body.contains("/__reprisals/live.js"));
    assert_eq!(server.get("/fr/nothing-here/").status, 404);
    assert_eq!(server.get("/%2e%2e/site.toml").status, 404);

    let script = server.get("/__reprisals/live.js");
    assert_eq!(
        script.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    assert!(script.text().contains("EventSource"));
    assert_eq!(server.get("/__reprisals/error").status, 204);
}

/// The first `assets/...<ext>` path a page links to, as an absolute path.
fn regex_like_asset(html: &str, ext: &str) -> String {
    let start = html.find("assets/").expect("an asset link");
    let rest = &html[start..];
    let end = rest.find(ext).expect("extension") + ext.len();
    format!("/{}", &rest[..end])
}

#[test]
fn an_edit_reaches_the_page_and_reloads_open_tabs() {
    let site = copy_site(&fixture("minimal"));
    let root = site.path();
    let server = Server::start(root, "2024-06-15");
    let events = crate::common::http::events(&server.address, "/__reprisals/events");
    next_event(&events, 1, false);

    edit(root, CASE, "Lawyer threatened", "Lawyer warned");
    next_event(&events, 2, false);
    let page = server.get("/cases/2024-001/");
    assert!(page.text().contains("Lawyer warned"), "{}", page.text());
    assert!(page.text().contains("data-build=\"2\""));
    let list = server.get("/cases/");
    assert!(list.text().contains("Lawyer warned"));

    // A new case appears in the lists; an editor's swap file does nothing.
    std::fs::write(
        root.join("public-data/cases/2024/.2024-001.toml.swp"),
        "junk",
    )
    .unwrap();
    let new_case = read(&root.join(CASE))
        .replace("id = \"2024-001\"", "id = \"2024-009\"")
        .replace("Lawyer warned", "Journalist followed");
    std::fs::write(root.join("public-data/cases/2024/2024-009.toml"), new_case).unwrap();
    next_event(&events, 3, false);
    assert_eq!(server.get("/cases/2024-009/").status, 200);
    assert!(server.get("/cases/").text().contains("Journalist followed"));
}

const COMMITTEE: &str = "public-data/committees/cat.toml";

#[test]
fn a_broken_edit_keeps_the_last_good_site_and_explains_itself() {
    let site = copy_site(&fixture("minimal"));
    let root = site.path();
    let server = Server::start(root, "2024-06-15");
    let events = crate::common::http::events(&server.address, "/__reprisals/events");
    next_event(&events, 1, false);

    // A committee is on every page: an error there stops the rebuild (a broken case would only
    // be withheld).
    edit(root, COMMITTEE, "treaty = ", "treatyy = ");
    next_event(&events, 1, true);
    let error = server.get("/__reprisals/error");
    assert_eq!(error.status, 200);
    let text = error.text();
    assert!(
        text.contains("public-data/committees/cat.toml:3:1"),
        "{text}"
    );
    assert!(text.contains("did you mean `treaty`?"), "{text}");
    let page = server.get("/cases/2024-001/");
    assert_eq!(page.status, 200, "the last good page is still served");
    assert!(page.text().contains("Lawyer threatened"));
    let printed = wait_for("the diagnostic in the terminal", LIMIT, || {
        let so_far = server.stderr_so_far();
        so_far.contains("build failed").then_some(so_far)
    });
    assert!(printed.contains("did you mean `treaty`?"), "{printed}");

    edit(root, COMMITTEE, "treatyy = ", "treaty = ");
    next_event(&events, 2, false);
    assert_eq!(server.get("/__reprisals/error").status, 204);
}

#[test]
fn built_files_never_carry_the_reload_script() {
    let site = copy_site(&fixture("minimal"));
    let out = tempfile::tempdir().unwrap();
    let result = build(site.path(), &out.path().join("site"), "2024-06-15");
    assert!(result.status.success(), "{}", stderr(&result));
    for (path, bytes) in snapshot(&out.path().join("site")) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("__reprisals"),
            "{path} carries serve's script"
        );
    }
}
