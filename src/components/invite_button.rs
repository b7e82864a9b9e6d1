//! Staff send a customer the link to set a password (first access), from the customer's page.

use crate::api;
use crate::components::error_panel::{clear_on_reauth, message, save_failure};
use crate::components::save::Save;
use crate::i18n::use_i18n;
use leptos::prelude::*;

#[component]
pub fn InviteButton(customer: i64) -> impl IntoView {
    let i18n = use_i18n();
    let client = api::client();
    let send = Save::new();
    clear_on_reauth(send.value());
    let pending = send.pending();
    let sent = move || !pending.get() && matches!(send.value().read().as_ref(), Some(Ok(())));
    let error = move || save_failure(send.value().read().as_ref(), pending.get());
    let click = move |_| {
        let client = client.clone();
        send.run(async move { client.invite_customer(customer).await });
    };
    view! {
        <p class="actions">
            <button type="button" on:click=click aria-disabled=move || pending.get().then_some("true")>
                {i18n.text(|t| t.staff.invite)}
            </button>
        </p>
        <p role="status">{move || sent().then(|| i18n.t().staff.invite_sent)}</p>
        <p role="alert">{move || error().map(|e| message(i18n.t(), &e))}</p>
    }
}
