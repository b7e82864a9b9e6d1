//! The portal's and the widget's static files: precompressed where the build made a `.br` or `.gz`
//! beside a file, with a cache policy that lets a repeat visit download nothing that has not changed.

use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;
use tower::Layer;
use tower_http::cors::{Any, CorsLayer};
use tower_http::services::{ServeDir, ServeFile};

use crate::Config;

/// Content-hashed files never change under their name: a year, and no revalidation.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Everything else (index.html, rapport.config.json, the boot script, the widget's one stable name
/// `rapport-survey.js`, which names the hashed files of its release) is revalidated on every use against
/// its `Last-Modified`.
const REVALIDATE: &str = "no-cache";

/// Serves the portal (with `index.html` for every client-side route) and the widget next to the API.
/// The widget's files are public and loaded as module scripts and `fetch`ed Wasm from other origins,
/// which needs CORS.
pub fn with_static(router: Router, config: &Config) -> Router {
    let index = ServeFile::new(config.portal_dir.join("index.html"))
        .precompressed_br()
        .precompressed_gzip();
    let portal = ServeDir::new(&config.portal_dir)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(index);
    let widget = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([axum::http::Method::GET])
        .layer(
            ServeDir::new(&config.widget_dir)
                .precompressed_br()
                .precompressed_gzip(),
        );
    router
        .nest_service("/widget", widget)
        .fallback_service(portal)
        .layer(axum::middleware::from_fn(cache_policy))
}

/// Adds the cache policy to static answers (the API's answers set their own, or none).
async fn cache_policy(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if path.starts_with("/api/") {
        return next.run(request).await;
    }
    let policy = if is_content_hashed(path) {
        IMMUTABLE
    } else {
        REVALIDATE
    };
    let mut response = next.run(request).await;
    let status = response.status();
    if status.is_success() || status == axum::http::StatusCode::NOT_MODIFIED {
        let headers = response.headers_mut();
        headers
            .entry(header::CACHE_CONTROL)
            .or_insert(HeaderValue::from_static(policy));
        // The same URL is sent brotli, gzip or plain by the client's Accept-Encoding. Added to what
        // is there: the widget's CORS layer has already listed the origin headers it varies on.
        vary_on_encoding(headers);
    }
    response
}

/// Makes `Vary` name `accept-encoding`, keeping the names it already has.
fn vary_on_encoding(headers: &mut axum::http::HeaderMap) {
    let named = headers.get_all(header::VARY).iter().any(|value| {
        value.to_str().is_ok_and(|list| {
            list.split(',').any(|name| {
                matches!(name.trim(), "*") || name.trim().eq_ignore_ascii_case("accept-encoding")
            })
        })
    });
    if !named {
        headers.append(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
}

/// Whether the file name carries the build's content hash, as Trunk, scripts/split.sh and the widget's
/// build write it: `name-<16+ hex>.ext` or `name-<hex>_bg.wasm` (the portal's chunks and their loader too).
pub fn is_content_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let Some((stem, _ext)) = name.rsplit_once('.') else {
        return false;
    };
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    match stem.rsplit_once('-') {
        Some((base, hash)) => {
            !base.is_empty() && hash.len() >= 16 && hash.bytes().all(|b| b.is_ascii_hexdigit())
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::is_content_hashed;

    #[test]
    fn only_trunks_hashed_names_are_immutable() {
        for hashed in [
            "/rapport-portal-4f1c2d3e4b5a6978.js",
            "/rapport-portal-4f1c2d3e4b5a6978_bg.wasm",
            "/main-0123456789abcdef0123.css",
            // The widget's files as scripts/version-widget.mjs names them.
            "/widget/rapport_survey_kit-0123456789abcdef0123.js",
            "/widget/rapport_survey_kit-0123456789abcdef0123_bg.wasm",
            "/widget/rapport-survey-0123456789abcdef0123.css",
            // Route-level code splitting: the chunks and the loader that fetches them.
            "/split_orders-0123456789abcdef.wasm",
            "/chunk_12-0123456789abcdef.wasm",
            "/__wasm_split-0123456789abcdef.js",
        ] {
            assert!(is_content_hashed(hashed), "{hashed}");
        }
        for plain in [
            "/",
            "/index.html",
            "/rapport.config.json",
            "/boot.js",
            "/orders/240",
            "/widget/rapport-survey.js",
            "/workers/analyst/rapport_analyst_worker_bg.wasm",
            "/split_orders.wasm",
            "/__wasm_split.js",
            "/-0123456789abcdef.js",
            "/name-0123456789abcdeg.js",
            "/name-0123456789.js",
        ] {
            assert!(!is_content_hashed(plain), "{plain}");
        }
    }
}
