//! The password change: the current password and a new one. Other sessions end when it succeeds.

use crate::api;
use crate::components::error_panel::{clear_on_reauth, field_problems, message, save_failure};
use crate::components::save::Save;
use crate::i18n::use_i18n;
use leptos::prelude::*;
use rapport_api::PasswordChange;

#[component]
pub fn PasswordForm() -> impl IntoView {
    let i18n = use_i18n();
    let client = api::client();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let change = Save::new();
    // Like every form: a "session ended" line goes once the customer has signed in again.
    clear_on_reauth(change.value());
    let pending = change.pending();
    let problems = Memo::new(move |_| field_problems(change.value().read().as_ref()));
    let failure = move || save_failure(change.value().read().as_ref(), pending.get());
    let changed = move || !pending.get() && matches!(change.value().read().as_ref(), Some(Ok(())));

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let client = client.clone();
        let body = PasswordChange {
            current_password: current.get_untracked(),
            new_password: new.get_untracked(),
        };
        change.run(async move {
            client.change_password(&body).await?;
            current.set(String::new());
            new.set(String::new());
            Ok(())
        });
    };
    let problem = move |name: &'static str| {
        move || {
            problems.read().iter().find(|p| p.field == name).map(|p| {
                (i18n.t().account.password_problem)(&p.problem)
                    .unwrap_or_else(|| (i18n.t().field_problem)(&p.problem))
            })
        }
    };
    let invalid = move |name: &'static str| {
        move || {
            problems
                .read()
                .iter()
                .any(|p| p.field == name)
                .then_some("true")
        }
    };
    view! {
        <form class="card" on:submit=submit novalidate aria-labelledby="password-title" data-testid="password-form">
            <h2 id="password-title">{i18n.text(|t| t.account.password_title)}</h2>
            <p>{i18n.text(|t| t.account.password_intro)}</p>
            <div class="field">
                <label for="current-password">{i18n.text(|t| t.account.current_password)}</label>
                <input id="current-password" type="password" autocomplete="current-password"
                    aria-invalid=invalid("current_password") aria-describedby="current-password-problem"
                    prop:value=move || current.get() on:input:target=move |ev| current.set(ev.target().value()) />
                <p id="current-password-problem" class="field-problem">{problem("current_password")}</p>
            </div>
            <div class="field">
                <label for="new-password">{i18n.text(|t| t.account.new_password)}</label>
                <input id="new-password" type="password" autocomplete="new-password"
                    aria-invalid=invalid("new_password") aria-describedby="new-password-hint new-password-problem"
                    prop:value=move || new.get() on:input:target=move |ev| new.set(ev.target().value()) />
                <p id="new-password-hint" class="hint">{i18n.text(|t| t.account.new_password_hint)}</p>
                <p id="new-password-problem" class="field-problem">{problem("new_password")}</p>
            </div>
            <div role="status" class="notice-area">
                <Show when=changed>
                    <p class="notice">{i18n.text(|t| t.account.password_changed)}</p>
                </Show>
            </div>
            <div role="alert" class="form-problem">{move || failure().map(|e| message(i18n.t(), &e))}</div>
            <button type="submit" class="primary" aria-disabled=move || pending.get().then_some("true")>
                {i18n.text(|t| t.account.change_password)}
            </button>
        </form>
    }
}
