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

/// DNS rebinding: another website, opened in the same browser, makes its own name resolve to
/// 127.0.0.1 and reads the preview. Its requests carry its own name in `Host`; they are refused.
#[test]
fn answers_only_requests_addressed_to_this_machine() {
    use crate::common::http::get_with_host;
    let site = copy_site(&fixture("minimal"));
    let server = Server::start(site.path(), "2024-06-15");
    let port = server.address.rsplit_once(':').expect("port").1;
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("LOCALHOST:{port}"),
        format!("[::1]:{port}"),
    ] {
        let ok = get_with_host(&server.address, "/", Some(&host));
        assert_eq!(ok.status, 200, "{host}");
    }
    for host in [
        Some(format!("evil.example:{port}")),
        Some("evil.example".to_owned()),
        Some(format!("localhost.evil.example:{port}")),
        Some("127.0.0.1".to_owned()),
        Some("127.0.0.1:1".to_owned()),
        None,
    ] {
        for path in [
            "/",
            "/__reprisals/error",
            "/__reprisals/events",
            "/cases/2024-001/",
        ] {
            let refused = get_with_host(&server.address, path, host.as_deref());
            assert!(
                matches!(refused.status, 403 | 421),
                "{host:?} {path}: {}",
                refused.status
            );
            assert!(!refused.text().contains("<html"), "{host:?} {path}");
        }
    }
    // An absolute-form request naming another host is refused too, whatever Host says.
    let mut stream = std::net::TcpStream::connect(&server.address).expect("connect");
    use std::io::{Read, Write};
    write!(
        stream,
        "GET http://evil.example:{port}/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut raw = String::new();
    stream.read_to_string(&mut raw).expect("read");
    assert!(
        raw.starts_with("HTTP/1.1 421")
            || raw.starts_with("HTTP/1.1 403")
            || raw.starts_with("HTTP/1.1 400"),
        "{raw}"
    );
}

/// `GET //evil.example/x` names a folder `x` on another host when its slash is added: the
/// redirect must stay on this site.
#[test]
fn a_folder_redirect_never_leaves_the_site() {
    let site = copy_site(&fixture("minimal"));
    let server = Server::start(site.path(), "2024-06-15");
    for path in [
        "//cases/2024-001",
        "///cases/2024-001",
        "//cases/2024-001?x=1",
    ] {
        let response = server.get(path);
        if response.status == 301 {
            let location = response.header("location").expect("location");
            assert!(
                location.starts_with('/') && !location.starts_with("//"),
                "{path} -> {location}"
            );
        }
    }
    let response = server.get("//cases/2024-001");
    assert_eq!(response.status, 301);
    assert_eq!(response.header("location"), Some("/cases/2024-001/"));
}
