//! Setting a password through a link. The token is in the address's fragment (`#token=…`), which the
//! browser never sends to a server; it is read here once, posted, and removed from the address bar.

use crate::api::{self, ApiError};
use crate::components::error_panel::{field_problems, message, save_failure};
use crate::components::save::Save;
use crate::i18n::use_i18n;
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

/// The token in the page's fragment, if any.
fn token_from_fragment() -> Option<String> {
    let hash = web_sys::window()?.location().hash().ok()?;
    let token = hash.strip_prefix("#token=")?;
    (!token.is_empty()).then(|| token.to_owned())
}

#[component]
pub fn SetPasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let client = api::client();
    let session = use_session();
    let navigate = use_navigate();
    Effect::new(move |_| crate::pages::set_title(i18n.t().account.set_title));
    let token = StoredValue::new(token_from_fragment());
    // Out of the address bar (and the history) at once.
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ =
            history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/set-password"));
    }
    let password = RwSignal::new(String::new());
    let save = Save::new();
    let pending = save.pending();
    let gone = move || {
        token.with_value(Option::is_none)
            || matches!(
                save.value().read().as_ref(),
                Some(Err(ApiError::Rejected { status: 410, .. }))
            )
    };
    let problem = move || {
        let t = i18n.t();
        // The server's verdict on the password itself (`save_failure` leaves field problems to the
        // form, and this form has one field).
        let outcome = save.value();
        let outcome = outcome.read();
        if let Some(field) = field_problems(outcome.as_ref())
            .first()
            .filter(|_| !pending.get())
        {
            let text = (t.account.password_problem)(&field.problem)
                .unwrap_or_else(|| (t.field_problem)(&field.problem));
            return Some(text.to_owned());
        }
        match save_failure(outcome.as_ref(), pending.get())? {
            ApiError::Rejected { status: 410, .. } => None,
            error => Some(message(t, &error)),
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(token), new) = (token.get_value(), password.get_untracked()) else {
            return;
        };
        let (client, navigate) = (client.clone(), navigate.clone());
        save.run(async move {
            let profile = client.set_password(token, new).await?;
            session.signed_in(profile);
            navigate(
                "/",
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
            Ok(())
        });
    };
    view! {
        <section class="card narrow" aria-labelledby="set-title">
            <h1 id="set-title">{i18n.text(|t| t.account.set_title)}</h1>
            <Show
                when=move || !gone()
                fallback=move || view! {
                    <p role="alert">{i18n.text(|t| t.account.link_expired)}</p>
                    <p><A href="/forgot-password">{i18n.text(|t| t.account.ask_again)}</A></p>
                }
            >
                <p>{i18n.text(|t| t.account.set_intro)}</p>
                <form on:submit=submit.clone()>
                    <div class="field">
                        <label for="set-password">{i18n.text(|t| t.account.new_password)}</label>
                        <input
                            id="set-password"
                            type="password"
                            autocomplete="new-password"
                            minlength="10"
                            required
                            aria-describedby="set-password-hint"
                            prop:value=move || password.get()
                            on:input:target=move |ev| password.set(ev.target().value())
                        />
                        <p id="set-password-hint" class="hint">{i18n.text(|t| t.account.new_password_hint)}</p>
                    </div>
                    <p role="alert" class="form-problem">{problem}</p>
                    <button type="submit" class="primary" aria-disabled=move || pending.get().then_some("true")>
                        {i18n.text(|t| t.account.set_button)}
                    </button>
                </form>
            </Show>
        </section>
    }
}
