//! Guards pages that need a signed-in customer, and re-authenticates in place when a session expires.

use crate::api;
use crate::components::error_panel::{message, ErrorPanel};
use crate::components::save::Save;
use crate::i18n::use_i18n;
use crate::session::{use_session, wrong_credentials, SessionState};
use leptos::either::EitherOf4;
use leptos::html;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_location, use_navigate};

/// Where to come back to after signing in: only a path on this site, else `/`. An allow-list rather
/// than a URL parser in the bundle (the parser's Unicode tables cost ~90 KB of Wasm): a path-absolute
/// reference (`/` then anything but `/` or `\\`) always resolves on the same origin, and refusing every
/// control character, space and backslash removes the characters that browsers strip or turn into
/// slashes (`/\t/host` would become `//host`). The native tests hold it to a real URL parser.
pub fn safe_next(next: Option<&str>) -> String {
    const HOME: &str = "/";
    let Some(raw) = next else {
        return HOME.to_owned();
    };
    let mut chars = raw.chars();
    let path_absolute = chars.next() == Some('/') && !matches!(chars.next(), Some('/' | '\\'));
    let clean = !raw
        .chars()
        .any(|c| c.is_control() || c.is_whitespace() || c == '\\');
    if path_absolute && clean {
        raw.to_owned()
    } else {
        HOME.to_owned()
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

#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    Checking,
    /// Signed in, or expired with the dialog open: either way the page stays mounted.
    Page,
    SignedOut,
    Unknown,
}

#[component]
pub fn RequireSession(children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    let i18n = use_i18n();
    let location = use_location();
    let client = api::client();
    // Re-render only when the kind of state changes, so that the page (and whatever the customer typed
    // into it) survives a session expiry and re-authentication.
    let phase = Memo::new(move |_| match session.0.get() {
        SessionState::Checking => Phase::Checking,
        SessionState::SignedIn(_) | SessionState::Expired(_) => Phase::Page,
        SessionState::SignedOut => Phase::SignedOut,
        SessionState::Unknown(_) => Phase::Unknown,
    });
    let expired = Memo::new(move |_| matches!(session.0.get(), SessionState::Expired(_)));
    move || match phase.get() {
        Phase::Checking => {
            EitherOf4::A(view! { <p role="status" class="loading">{i18n.text(|t| t.loading)}</p> })
        }
        Phase::Page => {
            let children = children.clone();
            EitherOf4::B(view! {
                {children()}
                <Show when=move || expired.get()>
                    <ReauthDialog />
                </Show>
            })
        }
        Phase::SignedOut => {
            let here = location.pathname.get_untracked() + &location.search.get_untracked();
            let next = if here == "/" {
                "/sign-in".to_owned()
            } else {
                format!("/sign-in?next={}", encode_query_value(&here))
            };
            EitherOf4::C(view! { <Redirect path=next /> })
        }
        Phase::Unknown => {
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

/// A modal sign-in over the current page. The native `<dialog>` keeps focus inside and Escape does not
/// discard anything: the page underneath is untouched.
#[component]
fn ReauthDialog() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let client = api::client();
    let navigate = use_navigate();
    let dialog = NodeRef::<html::Dialog>::new();
    let email = match session.0.get_untracked() {
        SessionState::Expired(profile) => profile.email,
        _ => String::new(),
    };
    let password = RwSignal::new(String::new());
    let sign_in = Save::new();
    let pending = sign_in.pending();
    let problem = move || match sign_in.value().get()? {
        _ if pending.get() => None,
        Ok(()) => None,
        Err(error) if wrong_credentials(&error) => Some(i18n.t().sign_in_invalid.to_owned()),
        Err(error) => Some(message(i18n.t(), &error)),
    };
    Effect::new(move |_| {
        if let Some(dialog) = dialog.get() {
            if !dialog.open() {
                let _ = dialog.show_modal();
            }
        }
    });
    let submit = {
        let email = email.clone();
        let client = client.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if !pending.get_untracked() {
                let attempt = crate::session::sign_in(
                    session,
                    client.clone(),
                    email.clone(),
                    password.get_untracked(),
                );
                sign_in.run(attempt);
            }
        }
    };
    let sign_out = move |_| {
        session.sign_out(client.clone());
        navigate("/sign-in", Default::default());
    };
    // Escape would close the dialog and leave the page unusable behind a dead session: keep it open.
    let on_cancel = move |ev: leptos::ev::Event| ev.prevent_default();
    view! {
        <dialog node_ref=dialog class="reauth" aria-labelledby="reauth-title" on:cancel=on_cancel>
            <form on:submit=submit>
                <h2 id="reauth-title">{i18n.text(|t| t.reauth_title)}</h2>
                <p>{i18n.text(|t| t.reauth_body)}</p>
                <p><strong>{email}</strong></p>
                <div class="field">
                    <label for="reauth-password">{i18n.text(|t| t.password)}</label>
                    <input
                        id="reauth-password"
                        type="password"
                        autocomplete="current-password"
                        prop:value=move || password.get()
                        on:input:target=move |ev| password.set(ev.target().value())
                    />
                </div>
                <p class="form-problem" role="alert">{problem}</p>
                <div class="actions">
                    <button type="submit" class="primary">{i18n.text(|t| t.sign_in_button)}</button>
                    <button type="button" on:click=sign_out>{i18n.text(|t| t.reauth_sign_out)}</button>
                </div>
            </form>
        </dialog>
    }
}

// Native only: the corpus is checked against the url crate, a native dev-dependency.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn next_only_allows_local_paths() {
        assert_eq!(safe_next(Some("/orders/5")), "/orders/5");
        assert_eq!(
            safe_next(Some("/orders/5?tab=2#notes")),
            "/orders/5?tab=2#notes"
        );
        assert_eq!(
            safe_next(Some("/%2F%2Fevil.example")),
            "/%2F%2Fevil.example"
        );
        assert_eq!(safe_next(None), "/");
    }

    /// Each of these must land on the home page (issue 18: `/%09/evil.example` left the site). The
    /// query value arrives decoded, so the tab, CR and LF are real characters here.
    #[test]
    fn redirect_tricks_never_leave_the_site() {
        for trick in [
            "//evil.example/",
            "///evil.example/",
            "https://evil.example/",
            "http:evil.example",
            "/\\evil.example",
            "\\/evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r/evil.example",
            "/\r\n/evil.example",
            "\t//evil.example",
            " //evil.example",
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "/%09/evil.example",
            "data:text/html,x",
            "evil.example",
            "",
            "/\u{0}/evil.example",
        ] {
            let target = safe_next(Some(trick));
            let resolved = url::Url::parse("https://portal.invalid/")
                .unwrap()
                .join(&target)
                .unwrap();
            assert_eq!(resolved.host_str(), Some("portal.invalid"), "{trick:?}");
            assert!(!target.starts_with("//"), "{trick:?} -> {target:?}");
        }
        // Encoded slashes stay encoded: a path on this site, not a host.
        assert!(safe_next(Some("/%2F/evil.example")).starts_with("/%2F"));
        assert_eq!(
            safe_next(Some("/%5C%5Cevil.example")),
            "/%5C%5Cevil.example"
        );
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
