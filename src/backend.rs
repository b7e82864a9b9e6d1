//! Which backend the portal talks to: the runtime configuration, loaded before the app mounts, and
//! what it means for the client and for the features the portal offers.

use leptos::prelude::*;
use rapport_api::client::Client;
use rapport_api::config::{self, Auth, PortalConfig, Problem, ProblemKind, CONFIG_FILE};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The configuration and what the portal learned about the backend's ids, shared by the whole app.
#[derive(Clone, Debug, Default)]
pub struct Backend {
    pub config: Arc<PortalConfig>,
    /// The portal's number for an order → the backend's own id for it (`order_01H…`), filled as lists
    /// and requests arrive, so that an order page can ask for the right URL.
    keys: Arc<Mutex<HashMap<i64, String>>>,
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
            keys: Arc::default(),
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
    config::parse(&text)
}
