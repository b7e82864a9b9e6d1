//! Sign-in page.

use crate::api::{self, ApiError};
use crate::components::error_panel::message;
use crate::components::require_session::safe_next;
use crate::components::save::Save;
use crate::i18n::use_i18n;
use crate::session::{use_session, wrong_credentials, SessionState};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

/// Why the last attempt did not sign in; rendered in the current language.
#[derive(Clone, Debug, PartialEq)]
enum Problem {
    Missing,
    Invalid,
    Other(ApiError),
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let query = use_query_map();
    let next = Memo::new(move |_| safe_next(query.read().get("next").as_deref()));

    Effect::new(move |_| crate::pages::set_title(i18n.t().sign_in_title));

    // Already signed in (or just signed in): go where the customer wanted to be.
    Effect::new({
        let navigate = navigate.clone();
        move |_| {
            if matches!(session.0.get(), SessionState::SignedIn(_)) {
                navigate(
                    &next.get_untracked(),
                    NavigateOptions {
                        replace: true,
                        ..Default::default()
                    },
                );
            }
        }
    });

    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let client = api::client();
    let sign_in = Save::new();
    let pending = sign_in.pending();
    let missing = RwSignal::new(false);
    Effect::new(move |_| {
        if matches!(sign_in.value().get(), Some(Ok(()))) {
            password.set(String::new());
        }
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let (e, p) = (email.get_untracked(), password.get_untracked());
        missing.set(e.trim().is_empty() || p.is_empty());
        if missing.get_untracked() {
            sign_in.clear();
        } else {
            sign_in.run(crate::session::sign_in(session, client.clone(), e, p));
        }
    };
    let problem = move || {
        if missing.get() {
            return Some(Problem::Missing);
        }
        match sign_in.value().get()? {
            _ if pending.get() => None,
            Ok(()) => None,
            Err(error) if wrong_credentials(&error) => Some(Problem::Invalid),
            Err(error) => Some(Problem::Other(error)),
        }
    };

    let problem_text = move || {
        problem().map(|p| {
            let t = i18n.t();
            match p {
                Problem::Missing => t.sign_in_missing.to_owned(),
                Problem::Invalid => t.sign_in_invalid.to_owned(),
                Problem::Other(error) => message(t, &error),
            }
        })
    };
    let invalid = move || problem().is_some().then_some("true");

    view! {
        <section class="card narrow" aria-labelledby="sign-in-title">
            <h1 id="sign-in-title">{i18n.text(|t| t.sign_in_title)}</h1>
            <p>{i18n.text(|t| t.sign_in_intro)}</p>
            <form on:submit=submit novalidate>
                <div class="field">
                    <label for="email">{i18n.text(|t| t.email)}</label>
                    <input
                        id="email"
                        name="email"
                        type="email"
                        autocomplete="username"
                        inputmode="email"
                        aria-invalid=invalid
                        aria-describedby="sign-in-problem"
                        prop:value=move || email.get()
                        on:input:target=move |ev| email.set(ev.target().value())
                    />
                </div>
                <div class="field">
                    <label for="password">{i18n.text(|t| t.password)}</label>
                    <input
                        id="password"
                        name="password"
                        type="password"
                        autocomplete="current-password"
                        aria-invalid=invalid
                        aria-describedby="sign-in-problem"
                        prop:value=move || password.get()
                        on:input:target=move |ev| password.set(ev.target().value())
                    />
                </div>
                <p id="sign-in-problem" class="form-problem" role="alert">
                    {problem_text}
                </p>
                <button type="submit" class="primary" aria-disabled=move || pending.get().then_some("true")>
                    {move || if pending.get() { i18n.t().signing_in } else { i18n.t().sign_in_button }}
                </button>
            </form>
            <p class="actions">
                <A href="/forgot-password">{i18n.text(|t| t.account.forgot_link)}</A>
                <A href="/get-access">{i18n.text(|t| t.account.get_access_link)}</A>
            </p>
        </section>
    }
}
