//! Static files: the build's precompressed copies are sent with the right encoding, content-hashed
//! files are cached for a year, everything else is revalidated.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use rapport_server::{app, AppState, Config};
use tower::ServiceExt;

const WASM: &str = "rapport-portal-0123456789abcdef_bg.wasm";

async fn get(
    router: &axum::Router,
    uri: &str,
    encoding: &str,
) -> (StatusCode, header::HeaderMap, Vec<u8>) {
    let request = Request::get(uri)
        .header(header::ACCEPT_ENCODING, encoding)
        .body(Body::empty())
        .unwrap();
    let response = router.clone().oneshot(request).await.unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    let body = response
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    (status, headers, body)
}

fn header(headers: &header::HeaderMap, name: header::HeaderName) -> &str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

#[tokio::test]
async fn precompressed_files_are_sent_with_their_encoding_and_cache_policy() {
    let dir = common::temp_dir("assets");
    let portal = dir.0.join("portal");
    std::fs::write(portal.join(WASM), b"plain wasm bytes").unwrap();
    std::fs::write(portal.join(format!("{WASM}.br")), b"brotli bytes").unwrap();
    std::fs::write(portal.join(format!("{WASM}.gz")), b"gzip bytes").unwrap();
    std::fs::write(portal.join("rapport.config.json"), b"{}").unwrap();
    let config = Config {
        portal_dir: portal,
        widget_dir: dir.0.join("widget"),
        ..Config::default()
    };
    let router = app(AppState::new(common::fresh_db().await, config));

    let (status, headers, body) = get(&router, &format!("/{WASM}"), "gzip, deflate, br").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(header(&headers, header::CONTENT_ENCODING), "br");
    assert_eq!(
        body, b"brotli bytes",
        "the build's brotli file, not one compressed now"
    );
    assert_eq!(
        header(&headers, header::CACHE_CONTROL),
        "public, max-age=31536000, immutable"
    );
    assert!(header(&headers, header::VARY).contains("accept-encoding"));

    let (_, headers, body) = get(&router, &format!("/{WASM}"), "gzip").await;
    assert_eq!(header(&headers, header::CONTENT_ENCODING), "gzip");
    assert_eq!(body, b"gzip bytes");

    let (_, headers, body) = get(&router, &format!("/{WASM}"), "identity").await;
    assert_eq!(header(&headers, header::CONTENT_ENCODING), "");
    assert_eq!(body, b"plain wasm bytes");

    // The page itself, its client-side routes and the deployment's configuration are revalidated.
    for uri in ["/", "/orders/240", "/rapport.config.json"] {
        let (status, headers, _) = get(&router, uri, "br").await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        assert_eq!(header(&headers, header::CACHE_CONTROL), "no-cache", "{uri}");
        assert!(
            headers.contains_key(header::LAST_MODIFIED),
            "{uri}: a validator"
        );
    }
    // The API keeps its own policy.
    let (_, headers, _) = get(&router, "/api/v1/health", "br").await;
    assert_ne!(header(&headers, header::CACHE_CONTROL), "no-cache");
}

/// The widget's files pass through a CORS layer that sets `Vary` for the origin headers first; the
/// encoding must still be named, or a shared cache could hand brotli to a client that cannot read it.
#[tokio::test]
async fn widget_files_vary_on_the_encoding_as_well_as_the_origin() {
    let dir = common::temp_dir("assets-widget");
    let widget = dir.0.join("widget");
    std::fs::create_dir_all(&widget).unwrap();
    let wasm = "rapport_survey_kit-0123456789abcdef0123_bg.wasm";
    std::fs::write(widget.join(wasm), b"plain").unwrap();
    std::fs::write(widget.join(format!("{wasm}.br")), b"brotli").unwrap();
    let config = Config {
        portal_dir: dir.0.join("portal"),
        widget_dir: widget,
        ..Config::default()
    };
    let router = app(AppState::new(common::fresh_db().await, config));
    let request = Request::get(format!("/widget/{wasm}"))
        .header(header::ACCEPT_ENCODING, "br")
        .header(header::ORIGIN, "https://shop.example")
        .body(Body::empty())
        .unwrap();
    let response = router.oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(response.headers(), header::CONTENT_ENCODING), "br");
    let vary: Vec<String> = response
        .headers()
        .get_all(header::VARY)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|list| list.split(',').map(|name| name.trim().to_ascii_lowercase()))
        .collect();
    assert!(
        vary.iter().any(|name| name == "accept-encoding"),
        "{vary:?}"
    );
    assert!(vary.iter().any(|name| name == "origin"), "{vary:?}");
}
