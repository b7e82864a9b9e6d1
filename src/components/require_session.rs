//! Guards pages that need a signed-in customer.

use crate::api;
use crate::components::error_panel::ErrorPanel;
use crate::i18n::use_i18n;
use crate::session::{use_session, SessionState};
use leptos::either::EitherOf4;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;

/// Where to come back to after signing in: only paths on this site (no `//evil.example`).
pub fn safe_next(next: Option<&str>) -> &str {
    match next {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') => {
            path
        }
        _ => "/",
    }
}

/// Percent-encodes a path for use as a query value.
pub fn encode_query_value(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[component]
pub fn RequireSession(children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    let i18n = use_i18n();
    let location = use_location();
    let client = api::client();
    // Re-render only when the kind of state changes, not on every profile update.
    let phase = Memo::new(move |_| match session.0.get() {
        SessionState::Checking => 0,
        SessionState::SignedIn(_) => 1,
        SessionState::SignedOut => 2,
        SessionState::Unknown(_) => 3,
    });
    move || match phase.get() {
        0 => {
            EitherOf4::A(view! { <p role="status" class="loading">{move || i18n.t().loading}</p> })
        }
        1 => EitherOf4::B(children()),
        2 => {
            let here = location.pathname.get_untracked();
            let next = if here == "/" {
                "/sign-in".to_owned()
            } else {
                format!("/sign-in?next={}", encode_query_value(&here))
            };
            EitherOf4::C(view! { <Redirect path=next /> })
        }
        _ => {
            let error = match session.0.get_untracked() {
                SessionState::Unknown(error) => error,
                _ => api::ApiError::Network,
            };
            let client = client.clone();
            EitherOf4::D(
                view! { <ErrorPanel error on_retry=move |_| session.check(client.clone()) /> },
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_only_allows_local_paths() {
        assert_eq!(safe_next(Some("/orders/5")), "/orders/5");
        assert_eq!(safe_next(Some("//evil.example/")), "/");
        assert_eq!(safe_next(Some("https://evil.example/")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn query_values_are_encoded() {
        assert_eq!(
            encode_query_value("/orders/5?x=1&y"),
            "/orders/5%3Fx%3D1%26y"
        );
        assert_eq!(encode_query_value("/é"), "/%C3%A9");
    }
}
