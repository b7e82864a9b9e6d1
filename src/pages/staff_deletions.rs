//! Staff: the erasure requests, with their legal deadline, and the decisions on them (review, carry
//! out, refuse with a reason the customer reads).

use crate::api;
use crate::components::error_panel::{clear_on_reauth, message, save_failure};
use crate::components::save::Save;
use crate::format::use_formats;
use crate::i18n::use_i18n;
use crate::pages::staff::StaffOnly;
use leptos::prelude::*;
use rapport_api::{DeletionDecision, DeletionQueue, QueuedDeletion};

#[component]
pub fn StaffDeletionsPage() -> impl IntoView {
    let i18n = use_i18n();
    let client = api::client();
    Effect::new(move |_| crate::pages::set_title(i18n.t().staff.deletions_title));
    let data = LocalResource::new(move || {
        let client = client.clone();
        async move { client.deletion_queue().await }
    });
    let render = move |queue: DeletionQueue| {
        if queue.requests.is_empty() {
            return view! { <p>{i18n.text(|t| t.staff.deletions_none)}</p> }.into_any();
        }
        let now = js_sys::Date::new_0()
            .to_iso_string()
            .as_string()
            .unwrap_or_default();
        view! {
            <ul class="plain deletion-queue" data-testid="deletion-queue">
                {queue
                    .requests
                    .into_iter()
                    .map(|request| view! { <Request request now=now.clone() /> })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <h1>{i18n.text(|t| t.staff.deletions_title)}</h1>
        <p class="lead">{i18n.text(|t| t.staff.deletions_intro)}</p>
        <StaffOnly data render />
    }
}

/// One request with its facts and, while it is open, the decisions.
#[component]
fn Request(request: QueuedDeletion, now: String) -> impl IntoView {
    let i18n = use_i18n();
    let fmt = use_formats();
    // Stored, so that the decision closure below is `Copy` and each button can own it.
    let client = StoredValue::new_local(api::client());
    let current = RwSignal::new(request.clone());
    let reason = RwSignal::new(String::new());
    let decide = Save::new();
    clear_on_reauth(decide.value());
    let pending = decide.pending();
    let error = move || save_failure(decide.value().read().as_ref(), pending.get());
    let id = request.id;
    let send = move |decision: &'static str| {
        let client = client.get_value();
        let reason = (decision == "refuse").then(|| reason.get_untracked());
        decide.run(async move {
            let decision = DeletionDecision {
                decision: decision.to_owned(),
                reason,
            };
            current.set(client.decide_deletion(id, &decision).await?);
            Ok(())
        });
    };
    let open = move || matches!(current.read().status.as_str(), "received" | "confirmed");
    let name = move || {
        let name = current.read().customer_name.clone();
        if name.is_empty() {
            i18n.t().staff.erased_customer.to_owned()
        } else {
            name
        }
    };
    let (created, due) = (request.created_at.clone(), request.due_at.clone());
    let overdue = move || open() && current.read().due_at < now;
    let refuse = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        send("refuse");
    };
    view! {
        <li class="card" aria-labelledby=format!("deletion-{id}") data-testid="deletion-request">
            <h2 id=format!("deletion-{id}")>{name}</h2>
            <dl class="facts">
                <dt>{i18n.text(|t| t.staff.col_status)}</dt>
                <dd data-testid="deletion-state">{move || (i18n.t().staff.deletion_state)(&current.read().status)}</dd>
                <dt>{i18n.text(|t| t.staff.col_received)}</dt>
                <dd>{move || fmt.date(&created)}</dd>
                <dt>{i18n.text(|t| t.staff.col_due)}</dt>
                <dd>
                    {move || fmt.date(&due)}
                    {move || overdue().then(|| view! { " · " <strong>{i18n.t().staff.overdue}</strong> })}
                </dd>
            </dl>
            {move || current.read().reason.clone().map(|reason| view! { <p>{reason}</p> })}
            <Show when=open>
                <div class="actions">
                    <Show when=move || current.read().status == "received">
                        <button type="button" on:click=move |_| send("review")>{i18n.text(|t| t.staff.start_review)}</button>
                    </Show>
                    <button type="button" class="danger" on:click=move |_| send("carry_out")>{i18n.text(|t| t.staff.carry_out)}</button>
                </div>
                <form on:submit=refuse>
                    <label for=format!("refuse-{id}")>{i18n.text(|t| t.staff.refuse_reason)}</label>
                    <textarea
                        id=format!("refuse-{id}")
                        rows="2"
                        maxlength="1000"
                        required
                        prop:value=move || reason.get()
                        on:input=move |ev| reason.set(event_target_value(&ev))
                    ></textarea>
                    <div class="actions">
                        <button type="submit">{i18n.text(|t| t.staff.refuse)}</button>
                    </div>
                </form>
            </Show>
            <p role="alert">{move || error().map(|e| message(i18n.t(), &e))}</p>
        </li>
    }
}
