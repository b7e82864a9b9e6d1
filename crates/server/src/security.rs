//! Security headers on every response.

use axum::http::{header, HeaderName, HeaderValue};
use axum::response::Response;
use axum::Router;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::SystemTime;
use tower_http::set_header::SetResponseHeaderLayer;

/// Strict CSP: code only from our own origin, Wasm compilation allowed (`'wasm-unsafe-eval'`), no inline
/// script and no inline style, no framing, no plugins.
pub const CONTENT_SECURITY_POLICY: &str =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; \
base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The CSP with the portal's configured backend (if it is on another origin) allowed in `connect-src`,
/// and nothing else loosened.
pub fn content_security_policy(backend_origin: Option<&str>) -> String {
    match backend_origin {
        Some(origin) => CONTENT_SECURITY_POLICY.replace(
            "connect-src 'self';",
            &format!("connect-src 'self' {origin};"),
        ),
        None => CONTENT_SECURITY_POLICY.to_owned(),
    }
}

/// The CSP for the portal's `rapport.config.json` as it is now: the file is read again whenever its
/// modification time or size changes, so a changed backend is allowed without a restart.
pub struct LiveCsp {
    file: PathBuf,
    portal_dir: PathBuf,
    /// The file's stamp when last read (`None`: absent), and the policy it gave.
    seen: Mutex<Option<(Option<Stamp>, HeaderValue)>>,
}

/// A file's modification time and size: when either changes, it is read again.
type Stamp = (SystemTime, u64);

impl LiveCsp {
    pub fn new(portal_dir: &Path) -> Self {
        Self {
            file: portal_dir.join("rapport.config.json"),
            portal_dir: portal_dir.to_owned(),
            seen: Mutex::new(None),
        }
    }

    /// The policy for the file as it is now (one `stat` per call; a read only after a change).
    pub fn current(&self) -> HeaderValue {
        let stamp = std::fs::metadata(&self.file)
            .ok()
            .map(|m| (m.modified().unwrap_or(SystemTime::UNIX_EPOCH), m.len()));
        let mut seen = self.seen.lock().unwrap_or_else(PoisonError::into_inner);
        match &*seen {
            Some((known, csp)) if *known == stamp => csp.clone(),
            before => {
                let origin = portal_backend_origin(&self.portal_dir);
                if before.is_some() {
                    tracing::info!(
                        allows = origin.as_deref().unwrap_or("only this origin"),
                        "rapport.config.json changed: new CSP"
                    );
                }
                let csp = policy_header(origin.as_deref());
                *seen = Some((stamp, csp.clone()));
                csp
            }
        }
    }
}

/// The backend origin named by the portal's `rapport.config.json` in `portal_dir`, if any. A missing or
/// broken file adds nothing (the portal itself shows a broken file's problems).
pub fn portal_backend_origin(portal_dir: &Path) -> Option<String> {
    let text = std::fs::read_to_string(portal_dir.join("rapport.config.json")).ok()?;
    match rapport_connect::config::parse(&text) {
        Ok(config) => config.backend_origin(),
        Err(problems) => {
            for problem in &problems {
                tracing::warn!(%problem, "rapport.config.json has a problem; the portal lists it");
            }
            None
        }
    }
}

/// Adds the security headers (without overriding a handler that set its own).
pub fn with_headers(router: Router) -> Router {
    with_headers_for(router, None)
}

/// The CSP as a header value.
fn policy_header(backend_origin: Option<&str>) -> HeaderValue {
    // Origins are checked by the configuration parser to hold only URL host characters, so this cannot
    // fail; the static policy is the fallback all the same.
    HeaderValue::from_str(&content_security_policy(backend_origin))
        .unwrap_or(HeaderValue::from_static(CONTENT_SECURITY_POLICY))
}

/// [`with_headers`], allowing the portal to call its configured backend.
pub fn with_headers_for(router: Router, backend_origin: Option<&str>) -> Router {
    let router = router.layer(SetResponseHeaderLayer::if_not_present(
        header::CONTENT_SECURITY_POLICY,
        policy_header(backend_origin),
    ));
    other_headers(router)
}

/// [`with_headers`], allowing the backend that the portal's `rapport.config.json` names at the time of
/// each response (see [`LiveCsp`]).
pub fn with_live_headers(router: Router, portal_dir: &Path) -> Router {
    let live = Arc::new(LiveCsp::new(portal_dir));
    let router = router.layer(axum::middleware::map_response(
        move |mut response: Response| {
            let live = Arc::clone(&live);
            async move {
                if !response
                    .headers()
                    .contains_key(header::CONTENT_SECURITY_POLICY)
                {
                    response
                        .headers_mut()
                        .insert(header::CONTENT_SECURITY_POLICY, live.current());
                }
                response
            }
        },
    ));
    other_headers(router)
}

/// Every security header but the CSP.
fn other_headers(router: Router) -> Router {
    let headers: [(HeaderName, &'static str); 4] = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (
            HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=(), payment=()",
        ),
    ];
    headers.into_iter().fold(router, |router, (name, value)| {
        router.layer(SetResponseHeaderLayer::if_not_present(
            name,
            HeaderValue::from_static(value),
        ))
    })
}

/// `Strict-Transport-Security` for a year when the server is behind HTTPS (`RAPPORT_SECURE_COOKIE=1`):
/// browsers then never try plain HTTP for this host, where the cookie could be stripped or planted.
pub fn with_hsts(router: Router, secure: bool) -> Router {
    if !secure {
        return router;
    }
    router.layer(SetResponseHeaderLayer::overriding(
        header::STRICT_TRANSPORT_SECURITY,
        HeaderValue::from_static("max-age=31536000"),
    ))
}

/// Personal data must not stay in browser or proxy caches: every API answer that does not say otherwise
/// (public instrument definitions do) is `no-store`.
pub fn no_store_by_default<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    router.layer(SetResponseHeaderLayer::if_not_present(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-store"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_origin_is_added_to_connect_src_only() {
        assert_eq!(content_security_policy(None), CONTENT_SECURITY_POLICY);
        let csp = content_security_policy(Some("https://shop.example.com"));
        assert!(csp.contains("connect-src 'self' https://shop.example.com;"));
        assert_eq!(
            csp.replace(" https://shop.example.com", ""),
            CONTENT_SECURITY_POLICY
        );
    }

    #[test]
    fn origin_comes_from_the_served_config_file() {
        let dir = std::env::temp_dir().join(format!("rapport-csp-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        assert_eq!(portal_backend_origin(&dir), None);
        let file = dir.join("rapport.config.json");
        std::fs::write(
            &file,
            r#"{"preset": "medusa", "base_url": "http://127.0.0.1:9000/x"}"#,
        )
        .unwrap();
        assert_eq!(
            portal_backend_origin(&dir).as_deref(),
            Some("http://127.0.0.1:9000")
        );
        std::fs::write(&file, r#"{"base_url": "http://a.example; script-src *"}"#).unwrap();
        assert_eq!(portal_backend_origin(&dir), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn live_policy_follows_the_file() {
        let dir = std::env::temp_dir().join(format!("rapport-live-csp-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("rapport.config.json");
        let live = LiveCsp::new(&dir);
        assert_eq!(live.current(), CONTENT_SECURITY_POLICY);
        std::fs::write(
            &file,
            r#"{"preset": "medusa", "base_url": "http://127.0.0.1:9000"}"#,
        )
        .unwrap();
        assert!(live
            .current()
            .to_str()
            .unwrap()
            .contains("connect-src 'self' http://127.0.0.1:9000;"));
        // Another size, so that the change shows even within the file system's time resolution.
        std::fs::write(
            &file,
            r#"{"preset": "medusa", "base_url": "http://127.0.0.1:19001"}"#,
        )
        .unwrap();
        assert!(live
            .current()
            .to_str()
            .unwrap()
            .contains("connect-src 'self' http://127.0.0.1:19001;"));
        std::fs::remove_file(&file).unwrap();
        assert_eq!(live.current(), CONTENT_SECURITY_POLICY);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
