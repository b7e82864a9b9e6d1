//! Which backend the portal talks to: the runtime configuration, loaded before the app mounts, and
//! what it means for the client and for the features the portal offers.

use leptos::prelude::*;
use rapport_api::client::Client;
use rapport_connect::config::{self, Auth, PortalConfig, Problem, ProblemKind, CONFIG_FILE};
use rapport_connect::mapping::{MappedOrder, RecordKind, Unread};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

/// How long a read list of orders is reused before the backend is asked again.
const ORDERS_FRESH_MS: f64 = 30_000.0;

/// A read list of orders and when it was read.
type KeptOrders = (f64, Arc<OrderList>);

/// Every order of the customer as read from a mapped backend, sorted by date (newest first).
#[derive(Debug)]
pub struct OrderList {
    pub orders: Vec<MappedOrder>,
    /// The backend's count, when the list was too long to read whole.
    pub total: Option<u32>,
}

/// The configuration and what the portal learned about the backend's ids, shared by the whole app.
#[derive(Clone, Debug, Default)]
pub struct Backend {
    pub config: Arc<PortalConfig>,
    /// The portal's number for an order → the backend's own id for it (`order_01H…`), filled as lists
    /// and requests arrive, so that an order page can ask for the right URL.
    keys: Arc<Mutex<HashMap<i64, String>>>,
    /// The records of the latest reads that could not be mapped, by list.
    unread: ArcRwSignal<BTreeMap<RecordKind, Vec<Unread>>>,
    /// The last address the browser refused to call for the Content Security Policy (`connect-src`).
    blocked: ArcRwSignal<Option<String>>,
    /// The customer's orders, and when they were read (`js_sys::Date::now`).
    orders: Arc<Mutex<Option<KeptOrders>>>,
}

/// What the configured backend offers; the navigation and pages hide the rest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Features {
    /// Profile editing, preferences, consent, surveys, invitations, relationship, staff pages.
    pub reference_only: bool,
    pub requests: bool,
    pub create_requests: bool,
    pub sign_out: bool,
}

impl Backend {
    pub fn new(config: PortalConfig) -> Self {
        Self {
            config: Arc::new(config),
            ..Self::default()
        }
    }

    /// The HTTP client for this backend.
    pub fn client(&self) -> Client {
        if self.config.is_reference() && self.config.base_url.is_empty() {
            // Exactly the client the portal always had.
            return Client::default();
        }
        let cookies = matches!(self.config.auth, Auth::Cookie { .. });
        Client::configured(
            self.config.base_url.clone(),
            cookies,
            self.config.headers.clone(),
        )
    }

    pub fn features(&self) -> Features {
        match self.config.mapping() {
            None => Features {
                reference_only: true,
                requests: true,
                create_requests: true,
                sign_out: true,
            },
            Some(mapping) => Features {
                reference_only: false,
                requests: mapping.requests.is_some(),
                create_requests: false,
                sign_out: !matches!(self.config.auth, Auth::None { .. }),
            },
        }
    }

    pub fn remember(&self, number: i64, key: &str) {
        if let Ok(mut keys) = self.keys.lock() {
            keys.insert(number, key.to_owned());
        }
    }

    pub fn key(&self, number: i64) -> Option<String> {
        self.keys
            .lock()
            .ok()
            .and_then(|keys| keys.get(&number).cloned())
    }

    /// Replaces what the latest read of one list left out, and logs each newly left-out record to the
    /// browser console (with the same details the notice shows).
    pub fn report(&self, kind: RecordKind, unread: Vec<Unread>) {
        let known = self
            .unread
            .with_untracked(|all| all.get(&kind).cloned().unwrap_or_default());
        if known == unread {
            return;
        }
        for record in unread.iter().filter(|u| !known.contains(u)) {
            leptos::logging::warn!("rapport: {record}");
        }
        self.unread.update(|all| {
            all.insert(kind, unread);
        });
    }

    /// The records left out of the given lists (tracked: a view showing it follows new reads).
    pub fn unread(&self, kinds: &[RecordKind]) -> Vec<Unread> {
        self.unread.with(|all| {
            kinds
                .iter()
                .flat_map(|kind| all.get(kind).into_iter().flatten().cloned())
                .collect()
        })
    }

    /// The orders read less than a little while ago, if any.
    pub fn fresh_orders(&self, now_ms: f64) -> Option<Arc<OrderList>> {
        let slot = self.orders.lock().ok()?;
        let (at, list) = slot.as_ref()?;
        (now_ms - at < ORDERS_FRESH_MS && now_ms >= *at).then(|| Arc::clone(list))
    }

    pub fn keep_orders(&self, now_ms: f64, list: Arc<OrderList>) {
        if let Ok(mut slot) = self.orders.lock() {
            *slot = Some((now_ms, list));
        }
    }

    /// Notes the addresses the browser blocks for the page's Content Security Policy, so that an error
    /// panel can say so instead of "offline" (CORS and mixed content give a page no such event).
    pub fn watch_blocked_calls(&self) {
        let blocked = self.blocked.clone();
        let handle = window_event_listener_untyped("securitypolicyviolation", move |event| {
            let get = |key: &str| {
                js_sys::Reflect::get(&event, &key.into())
                    .ok()
                    .and_then(|v| v.as_string())
            };
            if get("effectiveDirective").as_deref() == Some("connect-src") {
                let uri = get("blockedURI").unwrap_or_default();
                leptos::logging::warn!("rapport: the browser blocked a call to {uri} (Content Security Policy, connect-src)");
                blocked.set(Some(uri));
            }
        });
        // For the whole life of the page.
        std::mem::forget(handle);
    }

    /// The last address blocked by the Content Security Policy (tracked).
    pub fn blocked(&self) -> Option<String> {
        self.blocked.get()
    }

    /// Forgets everything read for the customer (on signing in or out: it may be someone else next).
    pub fn forget(&self) {
        if let Ok(mut slot) = self.orders.lock() {
            *slot = None;
        }
        self.unread.update(BTreeMap::clear);
    }
}

/// The backend of the current component tree (the reference backend when none was provided).
pub fn use_backend() -> Backend {
    use_context::<Backend>().unwrap_or_default()
}

pub fn use_features() -> Features {
    use_backend().features()
}

/// Fetches and checks `rapport.config.json`. No file means the reference backend; so does the HTML a
/// single-page-app fallback serves for a missing file.
pub async fn load() -> Result<PortalConfig, Vec<Problem>> {
    let unavailable = |status| {
        vec![Problem {
            path: String::new(),
            kind: ProblemKind::Unavailable(status),
        }]
    };
    // index.html preloads this file; the browser hands that response over only while this request
    // keeps the fetch defaults (mode `cors`, credentials `same-origin`), like its `crossorigin`.
    let response = gloo_net::http::Request::get(CONFIG_FILE)
        .header("Accept", "application/json")
        .send()
        .await
        .map_err(|_| unavailable(0))?;
    match response.status() {
        404 => return Ok(PortalConfig::default()),
        200..=299 => {}
        status => return Err(unavailable(status)),
    }
    let html = response
        .headers()
        .get("content-type")
        .is_some_and(|t| t.starts_with("text/html"));
    if html {
        return Ok(PortalConfig::default());
    }
    let text = response.text().await.map_err(|_| unavailable(0))?;
    // The shipped file only names the reference backend: read by the browser's JSON parser, so the
    // configuration checker (and its presets) need not be in the first download.
    if members(&text).is_some_and(|m| plain_reference(&m)) {
        return Ok(PortalConfig::default());
    }
    check_config(text)
        .await
        .unwrap_or_else(|_| Err(unavailable(0)))
}

/// The top-level members of a JSON object: name, and the value if it is a string.
type Members = Vec<(String, Option<String>)>;

fn members(text: &str) -> Option<Members> {
    use wasm_bindgen::JsCast;
    let value = js_sys::JSON::parse(text).ok()?;
    if !value.is_object() || js_sys::Array::is_array(&value) {
        return None;
    }
    let entries = js_sys::Object::entries(value.unchecked_ref());
    Some(
        entries
            .iter()
            .map(|entry| {
                let pair: js_sys::Array = entry.unchecked_into();
                (
                    pair.get(0).as_string().unwrap_or_default(),
                    pair.get(1).as_string(),
                )
            })
            .collect(),
    )
}

/// Whether a configuration says nothing but "the reference backend" (a `$comment` aside), which is
/// what [`config::parse`] reads as the default configuration.
fn plain_reference(members: &[(String, Option<String>)]) -> bool {
    members.iter().all(|(name, value)| match name.as_str() {
        "$comment" => value.is_some(),
        "preset" => value.as_deref() == Some("reference"),
        _ => false,
    })
}

/// The configuration checker, in a chunk of its own: only a deployment with its own configuration
/// needs it.
#[cfg(feature = "split")]
#[leptos::wasm_split::wasm_split(config, wasm_split_path = ::leptos::wasm_split, fallible)]
fn check_config(
    text: String,
) -> Result<Result<PortalConfig, Vec<Problem>>, crate::components::lazy_page::ChunkUnavailable> {
    Ok(config::parse(&text))
}

#[cfg(not(feature = "split"))]
async fn check_config(
    text: String,
) -> Result<Result<PortalConfig, Vec<Problem>>, crate::components::lazy_page::ChunkUnavailable> {
    Ok(config::parse(&text))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn members_of(json: &str) -> Members {
        let value: serde_json::Value = serde_json::from_str(json).unwrap();
        value
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().map(str::to_owned)))
            .collect()
    }

    /// The short cut agrees with the checker: what it takes for the default is the default there.
    #[test]
    fn plain_reference_is_what_the_checker_reads_as_the_default() {
        let plain = [
            r#"{}"#,
            r#"{"preset": "reference"}"#,
            r#"{"$comment": "the shipped file", "preset": "reference"}"#,
        ];
        for json in plain {
            assert!(plain_reference(&members_of(json)), "{json}");
            assert_eq!(config::parse(json), Ok(PortalConfig::default()), "{json}");
        }
        let other = [
            r#"{"preset": "medusa", "base_url": "https://shop.example"}"#,
            r#"{"preset": "reference", "resources": {}}"#,
            r#"{"preset": "Reference"}"#,
            r#"{"preset": null}"#,
            r#"{"$comment": 3, "preset": "reference"}"#,
            r#"{"preset": "reference", "base_url": "https://api.example"}"#,
        ];
        for json in other {
            assert!(!plain_reference(&members_of(json)), "{json}");
        }
    }
}
