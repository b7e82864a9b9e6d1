//! A failed call, explained in the customer's language, with a retry where retrying can help.

use crate::api::ApiError;
use crate::backend::use_backend;
use crate::i18n::{use_i18n, Texts};
use crate::session::{use_session, SessionState};
use leptos::prelude::*;

/// The translated explanation of an error.
pub fn message(t: &Texts, error: &ApiError) -> String {
    match error {
        ApiError::Network => t.error_network.into(),
        ApiError::Timeout => t.error_timeout.into(),
        ApiError::Server { .. } => t.error_server.into(),
        ApiError::Decode(_) => t.error_unexpected.into(),
        ApiError::NotFound => t.error_not_found.into(),
        ApiError::Conflict => t.error_conflict.into(),
        ApiError::Unauthorized => t.error_session_expired.into(),
        ApiError::RateLimited { retry_after_s } => (t.sign_in_throttled)(*retry_after_s),
        ApiError::Rejected { .. } => t.error_rejected.into(),
    }
}

#[component]
pub fn ErrorPanel(error: ApiError, #[prop(into)] on_retry: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    if error == ApiError::Unauthorized {
        // The session ended while the customer was here: the guard asks them to sign in again, and once
        // they have, the failed call is made again so that the stale message goes away by itself.
        let session = use_session();
        session.expired();
        Effect::new(move |was_expired: Option<bool>| {
            let signed_in = matches!(session.0.get(), SessionState::SignedIn(_));
            if signed_in && was_expired == Some(true) {
                on_retry.run(());
            }
            !signed_in
        });
    }
    // After signing in again in the dialog, the same call works: offer the retry for a 401 too.
    let retryable = error.is_retryable() || error == ApiError::Unauthorized;
    let backend = use_backend();
    let text = {
        let error = error.clone();
        // No answer at all: say whether the browser blocked the call, and which address was tried.
        move || match (&error, backend.blocked()) {
            (ApiError::Network, Some(uri)) => (i18n.t().error_blocked)(&uri),
            (ApiError::Network, None) if !backend.config.base_url.is_empty() => {
                (i18n.t().error_network_at)(&backend.config.base_url)
            }
            _ => message(i18n.t(), &error),
        }
    };
    view! {
        <div class="error-panel" role="alert">
            <h2>{i18n.text(|t| t.error_title)}</h2>
            <p>{text}</p>
            <Show when=move || retryable>
                <button type="button" on:click=move |_| on_retry.run(())>
                    {i18n.text(|t| t.retry)}
                </button>
            </Show>
        </div>
    }
}

/// A failed call's record that says whether the session had ended: the error itself, or a save
/// [`Action`]'s outcome.
pub trait Failure {
    fn is_unauthorized(&self) -> bool;
}

impl Failure for ApiError {
    fn is_unauthorized(&self) -> bool {
        *self == ApiError::Unauthorized
    }
}

impl<T> Failure for Result<T, ApiError> {
    fn is_unauthorized(&self) -> bool {
        matches!(self, Err(ApiError::Unauthorized))
    }
}

/// Clears a form's failed-save error (a signal, or an [`Action`]'s `value()`) once the customer has
/// signed in again in the dialog, so that a red "your session has ended" line does not stay under a
/// form that now works.
pub fn clear_on_reauth<V, S>(failure: S)
where
    V: Failure + 'static,
    S: WithUntracked<Value = Option<V>> + Set<Value = Option<V>> + Copy + 'static,
{
    let session = use_session();
    Effect::new(move |_| {
        if matches!(session.0.get(), SessionState::SignedIn(_))
            && failure.with_untracked(|f| f.as_ref().is_some_and(Failure::is_unauthorized))
        {
            failure.set(None);
        }
    });
}

/// The error to show under a form after a save: none while the next attempt runs, and none for field
/// problems, which are shown at their fields.
pub fn save_failure<T>(outcome: Option<&Result<T, ApiError>>, pending: bool) -> Option<ApiError> {
    match outcome? {
        _ if pending => None,
        Err(ApiError::Rejected { fields, .. }) if !fields.is_empty() => None,
        Err(error) => Some(error.clone()),
        Ok(_) => None,
    }
}

/// The field problems of a save the server rejected.
pub fn field_problems<T>(outcome: Option<&Result<T, ApiError>>) -> Vec<rapport_api::FieldError> {
    match outcome {
        Some(Err(ApiError::Rejected { fields, .. })) => fields.clone(),
        _ => Vec::new(),
    }
}
