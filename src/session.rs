//! Who is signed in, as the portal knows it.
//!
//! The session itself is the backend's HttpOnly cookie, which scripts cannot read; the portal only keeps
//! the profile that `/session` returned, in memory. Nothing about the session is ever written to storage.

use crate::api::{self, ApiError};
use crate::components::save::Outcome;
use leptos::prelude::*;
use leptos::task::spawn_local;
use rapport_api::Profile;

/// What the portal knows about the session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SessionState {
    /// Asking the backend (`GET /session`) at start-up.
    Checking,
    SignedIn(Profile),
    /// Was signed in, and the backend answered 401 mid-visit: the page stays, a sign-in dialog opens.
    Expired(Profile),
    SignedOut,
    /// The check itself failed (offline, server error): we do not know yet.
    Unknown(ApiError),
}

/// The session context; provided by the app root.
#[derive(Clone, Copy)]
pub struct Session(pub RwSignal<SessionState>);

impl Session {
    pub fn new() -> Self {
        Session(RwSignal::new(SessionState::Checking))
    }

    /// Asks the backend who is signed in.
    pub fn check(self, client: api::Api) {
        self.0.set(SessionState::Checking);
        spawn_local(async move {
            let state = match client.current_customer().await {
                Ok(Some(profile)) => SessionState::SignedIn(profile),
                Ok(None) | Err(ApiError::Unauthorized) => SessionState::SignedOut,
                Err(error) => SessionState::Unknown(error),
            };
            self.0.set(state);
        });
    }

    pub fn signed_in(self, profile: Profile) {
        self.0.set(SessionState::SignedIn(profile));
    }

    /// The backend said 401 in the middle of something: the session expired. Someone who was signed in
    /// gets the re-authentication dialog over the page they were on; anyone else goes to sign in.
    pub fn expired(self) {
        let next = match self.0.get_untracked() {
            SessionState::SignedIn(profile) | SessionState::Expired(profile) => {
                SessionState::Expired(profile)
            }
            _ => SessionState::SignedOut,
        };
        self.0.set(next);
    }

    /// Signs out: tells the backend, and forgets everything client-side whatever the backend says, so that
    /// signing out works offline too.
    pub fn sign_out(self, client: api::Api) {
        clear_client_data();
        let customer = match self.0.get_untracked() {
            SessionState::SignedIn(profile) | SessionState::Expired(profile) => Some(profile.id),
            _ => None,
        };
        self.0.set(SessionState::SignedOut);
        if let Some(id) = customer {
            // Delivered answers leave the device; unsent ones stay queued for this customer alone.
            spawn_local(async move {
                rapport_survey_kit::survey::forget_delivered(SURVEY_ENDPOINT, &survey_context(id))
                    .await;
            });
        }
        spawn_local(async move {
            // Offline or server error: the cookie expires on its own; the UI is already signed out.
            let _ = client.sign_out().await;
        });
    }
}

/// Signing in with an e-mail address and a password, to run as a form's [`Save`]: the sign-in page and
/// the re-authentication dialog both use it. On success the session holds the new profile.
pub async fn sign_in(
    session: Session,
    client: api::Api,
    email: String,
    password: String,
) -> Outcome {
    let profile = client.sign_in(email, password).await?;
    session.signed_in(profile);
    Ok(())
}

/// Whether a failed sign-in means wrong credentials (rather than a network or server problem).
pub fn wrong_credentials(error: &ApiError) -> bool {
    matches!(error, ApiError::Unauthorized | ApiError::Rejected { .. })
}

impl Default for Session {
    fn default() -> Self {
        Self::new()
    }
}

/// Removes the portal's own client-side data (never the language choice, which is not personal data).
pub fn clear_client_data() {
    let Some(window) = web_sys::window() else {
        return;
    };
    if let Ok(Some(storage)) = window.session_storage() {
        let _ = storage.clear();
    }
    if let Ok(Some(storage)) = window.local_storage() {
        let keys: Vec<String> = (0..storage.length().unwrap_or(0))
            .filter_map(|i| storage.key(i).ok().flatten())
            .filter(|key| key.starts_with(crate::STORAGE_PREFIX) && key != crate::LANG_KEY)
            .collect();
        for key in keys {
            let _ = storage.remove_item(&key);
        }
    }
}

/// The API base the portal's surveys talk to.
pub const SURVEY_ENDPOINT: &str = "/api/v1";

/// The scope of a customer's survey drafts: per customer, so that on a shared device one customer's
/// draft is never shown to (or sent for) another. An invitation adds `:{id}`.
pub fn survey_context(customer_id: i64) -> String {
    format!("portal:{customer_id}")
}

pub fn use_session() -> Session {
    use_context::<Session>().unwrap_or_default()
}
