//! Asking for a link to set a password: "forgot password" and first access share the form. The answer
//! never says whether the address has an account, and neither does this page.

use crate::api;
use crate::components::error_panel::{message, save_failure};
use crate::components::save::Save;
use crate::i18n::use_i18n;
use leptos::prelude::*;

/// `first_access`: the page for a customer who never had a password.
#[component]
pub fn PasswordLinkPage(first_access: bool) -> impl IntoView {
    let i18n = use_i18n();
    let client = api::client();
    let title = move || {
        let t = i18n.t();
        if first_access {
            t.account.access_title
        } else {
            t.account.forgot_title
        }
    };
    Effect::new(move |_| crate::pages::set_title(title()));
    let email = RwSignal::new(String::new());
    let send = Save::new();
    let pending = send.pending();
    let sent = move || !pending.get() && matches!(send.value().read().as_ref(), Some(Ok(())));
    let error = move || save_failure(send.value().read().as_ref(), pending.get());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let address = email.get_untracked();
        if address.trim().is_empty() {
            return;
        }
        let client = client.clone();
        send.run(async move { client.request_password_link(address, first_access).await });
    };
    view! {
        <section class="card narrow" aria-labelledby="link-title">
            <h1 id="link-title">{title}</h1>
            <p>
                {move || {
                    let t = i18n.t();
                    if first_access { t.account.access_intro } else { t.account.forgot_intro }
                }}
            </p>
            <form on:submit=submit>
                <div class="field">
                    <label for="link-email">{i18n.text(|t| t.email)}</label>
                    <input
                        id="link-email"
                        type="email"
                        autocomplete="username"
                        inputmode="email"
                        required
                        prop:value=move || email.get()
                        on:input:target=move |ev| {
                            send.clear();
                            email.set(ev.target().value());
                        }
                    />
                </div>
                <p role="status">{move || sent().then(|| i18n.t().account.link_sent)}</p>
                <p role="alert" class="form-problem">{move || error().map(|e| message(i18n.t(), &e))}</p>
                <button type="submit" class="primary" aria-disabled=move || pending.get().then_some("true")>
                    {i18n.text(|t| t.account.send_link)}
                </button>
            </form>
        </section>
    }
}
