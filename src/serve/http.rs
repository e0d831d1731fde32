//! The HTTP side of `serve`: the last good site from memory, with the live-reload script added
//! to every HTML page, an event stream that tells open tabs to reload, and the current error.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::Stream;
use tokio::sync::watch;

use crate::incremental::Snapshot;

/// Where serve's own files live: a prefix no page of the site can have.
pub(super) const PREFIX: &str = "/__reprisals/";

const LIVE_JS: &str = include_str!("live.js");
const LIVE_CSS: &str = include_str!("live.css");

/// What the server shows now: the last good site, and the error of the latest build if it failed.
pub struct Published {
    /// Counts good builds; a tab whose page came from an older one reloads.
    pub build: u64,
    /// The site being served.
    pub site: Arc<Snapshot>,
    /// The diagnostics of the latest build, when it failed (the site is then the last good one).
    pub error: Option<String>,
}

pub(super) type Shared = watch::Receiver<Arc<Published>>;

/// The routes, behind the guard that refuses requests addressed to another host than this
/// machine on `port` (see `host`).
pub(super) fn router(state: Shared, port: u16) -> Router {
    Router::new()
        .route("/__reprisals/live.js", get(live_js))
        .route("/__reprisals/live.css", get(live_css))
        .route("/__reprisals/events", get(events))
        .route("/__reprisals/error", get(error))
        .fallback(get(site_file))
        .with_state(state)
        .layer(axum::middleware::from_fn(move |request, next| {
            super::host::only_this_machine(port, request, next)
        }))
}

async fn live_js() -> Response {
    with_type(LIVE_JS.into(), "text/javascript; charset=utf-8")
}

async fn live_css() -> Response {
    with_type(LIVE_CSS.into(), "text/css; charset=utf-8")
}

/// The diagnostics of the latest build as plain text, or 204 when it succeeded.
async fn error(State(state): State<Shared>) -> Response {
    let published = state.borrow().clone();
    match &published.error {
        Some(text) => with_type(text.clone().into_bytes(), "text/plain; charset=utf-8"),
        None => no_store(StatusCode::NO_CONTENT.into_response()),
    }
}

/// One event now and one after every build: `{"build":N,"error":false}`.
async fn events(
    State(mut state): State<Shared>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    state.mark_changed();
    let stream = futures_util::stream::unfold(state, |mut state| async move {
        state.changed().await.ok()?;
        let published = state.borrow_and_update().clone();
        let data = format!(
            "{{\"build\":{},\"error\":{}}}",
            published.build,
            published.error.is_some()
        );
        Some((Ok(Event::default().data(data)), state))
    });
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

async fn site_file(State(state): State<Shared>, uri: Uri) -> Response {
    let published = state.borrow().clone();
    let site = &published.site;
    let Some(path) = decode(uri.path()) else {
        return not_found(&published, "");
    };
    let wanted = path.trim_start_matches('/');
    let file = if wanted.is_empty() || wanted.ends_with('/') {
        format!("{wanted}index.html")
    } else {
        wanted.to_owned()
    };
    if let Some(bytes) = site.get(&file) {
        return page(&published, &file, bytes, StatusCode::OK);
    }
    // A folder asked for without its slash: relative links need the slash, as on a real host.
    if site.get(&format!("{wanted}/index.html")).is_some() {
        // One leading slash only: `//evil.example/` would send the browser to another host.
        let mut location = format!("/{}/", uri.path().trim_start_matches('/'));
        if let Some(query) = uri.query() {
            location = format!("{location}?{query}");
        }
        let mut response = StatusCode::MOVED_PERMANENTLY.into_response();
        if let Ok(value) = HeaderValue::from_str(&location) {
            response.headers_mut().insert(header::LOCATION, value);
        }
        return no_store(response);
    }
    not_found(&published, wanted)
}

/// The site's own 404 page, in the language of the address when the site has one for it.
fn not_found(published: &Published, wanted: &str) -> Response {
    let lang_page = wanted
        .split_once('/')
        .map(|(first, _)| format!("{first}/404.html"));
    let candidates = lang_page.into_iter().chain(["404.html".to_owned()]);
    for candidate in candidates {
        if let Some(bytes) = published.site.get(&candidate) {
            return page(published, &candidate, bytes, StatusCode::NOT_FOUND);
        }
    }
    if published.site.is_empty() {
        // No good build yet: a page that carries the reload script and so the error overlay.
        let html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>No site yet</title></head><body><main><h1>The site has not been built yet</h1><p>Fix the problems shown in the terminal; this page reloads when the site builds.</p></main></body></html>";
        return page(
            published,
            "index.html",
            html.as_bytes(),
            StatusCode::SERVICE_UNAVAILABLE,
        );
    }
    no_store((StatusCode::NOT_FOUND, "not found").into_response())
}

fn page(published: &Published, file: &str, bytes: &[u8], status: StatusCode) -> Response {
    let content_type = content_type(file);
    let body = if content_type.starts_with("text/html") {
        inject(bytes, published.build)
    } else {
        bytes.to_vec()
    };
    let mut response = with_type(body, content_type);
    *response.status_mut() = status;
    response
}

/// Adds the reload script before `</head>`. Only `serve` does this: built files never have it.
pub fn inject(html: &[u8], build: u64) -> Vec<u8> {
    let tag = format!("<script src=\"{PREFIX}live.js\" data-build=\"{build}\" defer></script>");
    let at = find(html, b"</head>")
        .or_else(|| find(html, b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn with_type(body: Vec<u8>, content_type: &'static str) -> Response {
    let mut response = body.into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    no_store(response)
}

/// Every answer is fresh: a reload must show the new build, never a cached file.
fn no_store(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The path with `%XX` escapes decoded; `None` for paths that try to leave the site.
fn decode(path: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?
        .into_owned();
    let leaves = decoded.split('/').any(|part| part == ".." || part == ".");
    (!leaves && !decoded.contains('\\')).then_some(decoded)
}

/// The `Content-Type` for `file`, by its extension.
pub fn content_type(file: &str) -> &'static str {
    let ext = file.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    match ext.as_deref() {
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("xml") => "application/xml",
        Some("atom") => "application/atom+xml",
        Some("rss") => "application/rss+xml",
        Some("csv") => "text/csv; charset=utf-8",
        Some("txt") => "text/plain; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("ico") => "image/x-icon",
        Some("pdf") => "application/pdf",
        Some("woff2") => "font/woff2",
        Some("woff") => "font/woff",
        Some("webmanifest") => "application/manifest+json",
        Some("zip") => "application/zip",
        Some("gz") => "application/gzip",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_before_the_end_of_head() {
        let html = b"<html><head><title>x</title></head><body></body></html>";
        let out = String::from_utf8(inject(html, 7)).unwrap();
        assert_eq!(
            out,
            "<html><head><title>x</title><script src=\"/__reprisals/live.js\" data-build=\"7\" defer></script></head><body></body></html>"
        );
    }

    #[test]
    fn paths_that_leave_the_site_are_refused() {
        assert_eq!(
            decode("/cases/%32024-001/").as_deref(),
            Some("/cases/2024-001/")
        );
        assert_eq!(decode("/../etc/passwd"), None);
        assert_eq!(decode("/%2e%2e/etc/passwd"), None);
        assert_eq!(
            content_type("assets/site.1234.css"),
            "text/css; charset=utf-8"
        );
        assert_eq!(content_type("data/cases.json"), "application/json");
    }
}
