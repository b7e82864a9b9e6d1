//! Cross-site request forgery: a state-changing request (anything but GET, HEAD, OPTIONS) made from
//! another origin is refused with 403.
//!
//! `SameSite=Lax` alone lets a sibling subdomain or another port of the same host post forms with the
//! customer's cookie, and body-less POSTs need no JSON content type. So the browser's own word is
//! checked: `Origin` must name this server's host (the `Host` header), and when a browser sends no
//! `Origin`, `Sec-Fetch-Site` must be `same-origin` or `none` (typed by the user). Requests with neither
//! header do not come from a browser's page (the CLI, scripts) and cannot carry a victim's cookie.
//!
//! The widget's survey submission is meant to be called from other sites (CORS): a cross-origin one is
//! let through without its cookies, so it is stored as an anonymous answer and never in a customer's
//! name.

use axum::extract::Request;
use axum::http::{header, HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppError;

/// Whether the request comes from a page on this server's own origin (or not from a page at all).
pub fn same_origin(headers: &HeaderMap) -> bool {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(|h| h.trim().to_ascii_lowercase());
    if let Some(origin) = headers.get(header::ORIGIN) {
        let Ok(origin) = origin.to_str() else {
            return false;
        };
        // `null` (sandboxed frames, some redirects) and anything unreadable are other origins.
        let authority = origin
            .trim()
            .strip_prefix("http://")
            .or_else(|| origin.trim().strip_prefix("https://"));
        return match (authority, host) {
            (Some(authority), Some(host)) => authority.to_ascii_lowercase() == host,
            _ => false,
        };
    }
    match headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        Some(site) => matches!(site.trim(), "same-origin" | "none"),
        None => true,
    }
}

fn changes_state(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Paths (under `/api/v1`) that other sites may post to, anonymously.
const CROSS_ORIGIN_ANONYMOUS: &[&str] = &["/survey-responses"];

/// The middleware for the API router.
pub async fn guard(mut request: Request, next: Next) -> Response {
    if !changes_state(request.method()) || same_origin(request.headers()) {
        return next.run(request).await;
    }
    // The path as the API router sees it, whether or not the `/api/v1` prefix is still on it.
    let path = request.uri().path();
    let path = path.strip_prefix("/api/v1").unwrap_or(path);
    if CROSS_ORIGIN_ANONYMOUS.contains(&path) {
        request.headers_mut().remove(header::COOKIE);
        return next.run(request).await;
    }
    tracing::warn!(
        origin = ?request.headers().get(header::ORIGIN),
        "cross-site state change refused"
    );
    AppError::new(
        axum::http::StatusCode::FORBIDDEN,
        "cross_origin",
        "This request came from another site and was refused.",
    )
    .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, value.parse().unwrap());
        }
        map
    }

    #[test]
    fn only_the_own_origin_passes() {
        let host = ("host", "shop.example:8080");
        assert!(same_origin(&headers(&[
            host,
            ("origin", "https://shop.example:8080")
        ])));
        assert!(same_origin(&headers(&[
            host,
            ("origin", "http://SHOP.example:8080")
        ])));
        for other in [
            "https://shop.example:9090",
            "https://evil.shop.example:8080",
            "https://shop.example",
            "null",
            "file://",
        ] {
            assert!(
                !same_origin(&headers(&[host, ("origin", other)])),
                "{other}"
            );
        }
        assert!(!same_origin(&headers(&[(
            "origin",
            "https://shop.example"
        )])));
    }

    #[test]
    fn without_origin_the_fetch_metadata_decides() {
        assert!(same_origin(&headers(&[("sec-fetch-site", "same-origin")])));
        assert!(same_origin(&headers(&[("sec-fetch-site", "none")])));
        assert!(!same_origin(&headers(&[("sec-fetch-site", "same-site")])));
        assert!(!same_origin(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(same_origin(&HeaderMap::new()), "not from a browser page");
    }
}
