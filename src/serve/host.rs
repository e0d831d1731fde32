//! `serve` answers only requests addressed to this machine by name: `Host: 127.0.0.1:PORT`,
//! `localhost:PORT` or `[::1]:PORT`. Binding to 127.0.0.1 keeps other machines out, but not
//! other websites open in the same browser: with DNS rebinding, `evil.example` can resolve to
//! 127.0.0.1 and read the preview (and its error endpoint, which quotes the site's sources).
//! Such requests carry their own host name, so they are refused with 421 before any route runs.

use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// True when `host` (a `Host` header or an absolute URI's authority) names this machine on
/// `port`. Names are compared without regard to case; the port must be written and match.
pub(super) fn allowed(host: &str, port: u16) -> bool {
    let Some((name, given_port)) = host.rsplit_once(':') else {
        return false;
    };
    if given_port != port.to_string() {
        return false;
    }
    name.eq_ignore_ascii_case("localhost") || name == "127.0.0.1" || name == "[::1]"
}

/// Refuses every request whose `Host` (or absolute-form URI) names another host, or has none.
pub(super) async fn only_this_machine(port: u16, request: Request, next: Next) -> Response {
    let header_host = request
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok());
    let uri_host = request.uri().authority().map(|a| a.as_str());
    let ok = match (header_host, uri_host) {
        (Some(h), Some(u)) => allowed(h, port) && allowed(u, port),
        (Some(h), None) => allowed(h, port),
        (None, Some(u)) => allowed(u, port),
        (None, None) => false,
    };
    if ok {
        next.run(request).await
    } else {
        let mut response = (
            StatusCode::MISDIRECTED_REQUEST,
            format!(
                "This preview answers only http://127.0.0.1:{port}/ and http://localhost:{port}/.\n"
            ),
        )
            .into_response();
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static("no-store"),
        );
        response
    }
}

#[cfg(test)]
mod tests {
    use super::allowed;

    #[test]
    fn only_local_names_with_the_right_port() {
        for host in [
            "127.0.0.1:4000",
            "localhost:4000",
            "LocalHost:4000",
            "[::1]:4000",
        ] {
            assert!(allowed(host, 4000), "{host}");
        }
        for host in [
            "127.0.0.1",
            "localhost",
            "127.0.0.1:4001",
            "evil.example:4000",
            "localhost.evil.example:4000",
            "127.0.0.1.nip.io:4000",
            "0.0.0.0:4000",
            "[::1]",
            "",
            ":4000",
        ] {
            assert!(!allowed(host, 4000), "{host}");
        }
    }
}
