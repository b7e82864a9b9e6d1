//! Marketing addresses and their double opt-in state.

use crate::api::{self, ApiError};
use crate::components::error_panel::{clear_on_reauth, message};
use crate::components::save::Save;
use crate::i18n::use_i18n;
use leptos::prelude::*;
use rapport_api::{Channel, NewContactPoint, Preferences};

#[component]
pub fn ContactPoints(draft: RwSignal<Preferences>, base: RwSignal<Preferences>) -> impl IntoView {
    let i18n = use_i18n();
    let client = api::client();
    let address = RwSignal::new(String::new());
    let channel = RwSignal::new(Channel::Email);
    let add = Save::new();
    clear_on_reauth(add.value());
    let pending = add.pending();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let client = client.clone();
        let new = NewContactPoint {
            channel: channel.get_untracked(),
            address: address.get_untracked().trim().to_owned(),
        };
        add.run(async move {
            let point = client.add_contact_point(&new).await?;
            // Contact points are not part of a preferences save; keep both copies in step.
            draft.update(|d| d.contact_points.push(point.clone()));
            base.update(|d| d.contact_points.push(point));
            address.set(String::new());
            Ok(())
        });
    };
    let problem = move || match add.value().read().as_ref() {
        Some(Err(ApiError::Rejected { fields, .. })) if !fields.is_empty() => fields
            .first()
            .map(|f| (i18n.t().field_problem)(&f.problem).to_owned()),
        Some(Err(error)) => Some(message(i18n.t(), error)),
        _ => None,
    };
    let added = move || matches!(add.value().read().as_ref(), Some(Ok(_)));
    let kind = move || {
        if channel.get() == Channel::Sms {
            "tel"
        } else {
            "email"
        }
    };
    view! {
        <section class="card" aria-labelledby="contact-points">
            <h2 id="contact-points">{i18n.text(|t| t.preferences.contact_points_title)}</h2>
            <ul class="plain">
                <For
                    each=move || draft.get().contact_points
                    key=|point| point.id
                    children=move |point| {
                        let status = point.status.clone();
                        view! {
                            <li>
                                {point.address.clone()} " — "
                                <span class=format!("status contact-{status}")>{
                                    let status = status.clone();
                                    move || (i18n.t().preferences.contact_status)(&status)
                                }</span>
                            </li>
                        }
                    }
                />
            </ul>
            <form on:submit=submit class="inline-form" novalidate>
                <div class="field narrow-field">
                    <label for="new-channel">{i18n.text(|t| t.preferences.address_kind)}</label>
                    <select
                        id="new-channel"
                        on:change:target=move |ev| {
                            channel.set(if ev.target().value() == "sms" { Channel::Sms } else { Channel::Email })
                        }
                    >
                        <option value="email" selected=move || channel.get() == Channel::Email>
                            {move || (i18n.t().preferences.channel_label)(Channel::Email)}
                        </option>
                        <option value="sms" selected=move || channel.get() == Channel::Sms>
                            {move || (i18n.t().preferences.channel_label)(Channel::Sms)}
                        </option>
                    </select>
                </div>
                <div class="field">
                    <label for="new-address">{i18n.text(|t| t.preferences.new_email)}</label>
                    <input
                        id="new-address"
                        type=kind
                        autocomplete=kind
                        aria-describedby="new-address-problem"
                        aria-invalid=move || problem().is_some().then_some("true")
                        prop:value=move || address.get()
                        on:input:target=move |ev| address.set(ev.target().value())
                    />
                    <p id="new-address-problem" class="field-problem" role="alert">{problem}</p>
                </div>
                <button type="submit" aria-disabled=move || pending.get().then_some("true")>
                    {i18n.text(|t| t.preferences.add_address)}
                </button>
            </form>
            <Show when=added>
                <p class="notice" role="status">{i18n.text(|t| t.preferences.added_pending)}</p>
            </Show>
        </section>
    }
}
