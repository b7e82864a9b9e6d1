//! Structured logs (`tracing`) and request ids.
//!
//! Every request runs in a span named `request` with its id, method and path (never the query string: a
//! confirmation link carries its token there). The id is the client's `X-Request-Id` when it is a short
//! plain token (from a proxy or the portal); anything else, too long or with other characters, is
//! replaced by a new random id, so a hostile header cannot forge or garble log lines. The id goes back in
//! the `X-Request-Id` header and in JSON error bodies, so a customer's report can be matched with the log.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;
use std::sync::atomic::{AtomicU64, Ordering};
use tower_http::classify::ServerErrorsFailureClass;
use tower_http::trace::TraceLayer;
use tracing::Span;

/// The request id header, read and written.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
/// Longest request id taken from a client (a UUID is 36 characters).
pub const MAX_REQUEST_ID: usize = 64;
/// Longest path written to the log (the rest is cut).
const MAX_LOGGED_PATH: usize = 200;

tokio::task_local! {
    static CURRENT: String;
}

/// The request's id, for handlers and the trace layer (a request extension).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestId(pub String);

/// The client's request id if it is 1 to [`MAX_REQUEST_ID`] characters of letters, digits, `-`, `_`,
/// `.` and `:`.
pub fn accept(value: Option<&HeaderValue>) -> Option<String> {
    let text = value?.to_str().ok()?;
    let plain = text
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'));
    (plain && !text.is_empty() && text.len() <= MAX_REQUEST_ID).then(|| text.to_owned())
}

/// A new request id: 16 random bytes as hex (a counter if the system has no randomness to give).
pub fn generate() -> String {
    static FALLBACK: AtomicU64 = AtomicU64::new(0);
    match crate::ids::random_bytes::<16>() {
        Ok(bytes) => crate::ids::hex(&bytes),
        Err(_) => format!("local-{}", FALLBACK.fetch_add(1, Ordering::Relaxed)),
    }
}

/// The id of the request being answered, when called inside one (error bodies use it).
pub fn current() -> Option<String> {
    CURRENT.try_with(Clone::clone).ok()
}

/// Gives the request its id (taken or made), runs it with that id, and echoes the id in the answer.
async fn request_id(mut request: Request, next: Next) -> Response {
    let id = accept(request.headers().get(&REQUEST_ID)).unwrap_or_else(generate);
    let value = HeaderValue::from_str(&id).ok();
    match &value {
        // Whoever reads the header further in sees the id that is logged, not a replaced one.
        Some(value) => request.headers_mut().insert(REQUEST_ID, value.clone()),
        None => request.headers_mut().remove(REQUEST_ID),
    };
    request.extensions_mut().insert(RequestId(id.clone()));
    let mut response = CURRENT.scope(id, next.run(request)).await;
    if let Some(value) = value {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    response
}

/// The path as logged: at most [`MAX_LOGGED_PATH`] bytes (a path is ASCII on the wire).
fn logged_path(path: &str) -> &str {
    let mut end = path.len().min(MAX_LOGGED_PATH);
    while !path.is_char_boundary(end) {
        end -= 1;
    }
    &path[..end]
}

/// Wraps the whole app: the request id outside, then a span per request. Answers are logged at debug
/// level, server errors (5xx) at error level with their status and time; the cause is logged where it
/// happens, inside the same span.
pub fn with_tracing(router: Router) -> Router {
    let trace = TraceLayer::new_for_http()
        .make_span_with(|request: &axum::http::Request<Body>| {
            let id = request
                .extensions()
                .get::<RequestId>()
                .map_or("-", |id| id.0.as_str());
            tracing::info_span!(
                "request",
                id = %id,
                method = %request.method(),
                path = %logged_path(request.uri().path()),
            )
        })
        .on_request(())
        .on_response(
            |response: &Response, latency: std::time::Duration, _span: &Span| {
                tracing::debug!(
                    status = response.status().as_u16(),
                    ms = latency.as_millis(),
                    "answered"
                );
            },
        )
        .on_failure(
            |failure: ServerErrorsFailureClass, latency: std::time::Duration, _span: &Span| {
                tracing::error!(%failure, ms = latency.as_millis(), "request failed");
            },
        );
    router
        .layer(trace)
        .layer(axum::middleware::from_fn(request_id))
}

/// Starts logging to standard output: `RAPPORT_LOG` filters (`tracing` directives, default `info`),
/// `RAPPORT_LOG_FORMAT=json` writes one JSON object a line (for log collectors), otherwise plain text.
pub fn init(filter: Option<&str>, json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_new(filter.unwrap_or(DEFAULT_FILTER))
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(DEFAULT_FILTER));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stdout);
    // `try_init`: a second call (tests) keeps the first subscriber.
    let _ = if json {
        builder.json().with_current_span(true).try_init()
    } else {
        builder.try_init()
    };
}

/// What is logged when `RAPPORT_LOG` says nothing: the server's own lines, and only warnings of sqlx.
pub const DEFAULT_FILTER: &str = "info,sqlx=warn";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_short_ids_are_taken_and_anything_else_is_not() {
        let take = |text: &str| accept(HeaderValue::from_str(text).ok().as_ref());
        assert_eq!(take("abc-123").as_deref(), Some("abc-123"));
        let uuid = "0b6b3c4e-8f0a-4c1e-9a53-1f2d3c4b5a69";
        assert_eq!(take(uuid).as_deref(), Some(uuid));
        assert_eq!(take(&"a".repeat(MAX_REQUEST_ID)).map(|s| s.len()), Some(64));
        for hostile in [
            "",
            &"a".repeat(MAX_REQUEST_ID + 1),
            "a b",
            "a\tb",
            "id\" injected=\"1",
            "x;y",
            "../etc",
            "ÿ",
        ] {
            assert_eq!(take(hostile), None, "{hostile:?}");
        }
        assert_eq!(accept(None), None);
        let bytes = HeaderValue::from_bytes(b"\xff\xfe").unwrap();
        assert_eq!(accept(Some(&bytes)), None);
    }

    #[test]
    fn made_ids_are_new_each_time_and_acceptable_themselves() {
        let (a, b) = (generate(), generate());
        assert_ne!(a, b);
        assert_eq!(a.len(), 32);
        assert_eq!(accept(HeaderValue::from_str(&a).ok().as_ref()), Some(a));
    }

    #[test]
    fn long_paths_are_cut_for_the_log() {
        assert_eq!(logged_path("/api/v1/me"), "/api/v1/me");
        assert_eq!(logged_path(&"/x".repeat(300)).len(), MAX_LOGGED_PATH);
        assert_eq!(logged_path(&"é".repeat(150)).len(), MAX_LOGGED_PATH);
    }
}
