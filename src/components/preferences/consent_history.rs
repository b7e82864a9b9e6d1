//! Proof of every change: the consent records, each in words, with its receipt.

use crate::api;
use crate::components::consent_changes::{ConsentChanges, RecordedChanges};
use crate::components::loaded::Loaded;
use crate::components::save::Save;
use crate::download::download;
use crate::format::use_formats;
use crate::i18n::use_i18n;
use leptos::prelude::*;
use leptos_router::components::A;
use rapport_api::ConsentRecord;

/// `saves` is bumped after every save, so that the history reloads.
#[component]
pub fn ConsentHistory(saves: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let client = api::client();
    let records = LocalResource::new({
        let client = client.clone();
        move || {
            saves.track();
            let client = client.clone();
            async move { client.consent_records().await }
        }
    });
    // The receipt exactly as the server issued it.
    let receipt = Save::new();
    let json = move |id: i64| {
        let client = client.clone();
        receipt.run(async move {
            let text = client
                .raw(&format!("/consent-records/{id}/receipt"))
                .await?;
            download(
                &format!("consent-receipt-{id}.json"),
                "application/json",
                &text,
            );
            Ok(())
        });
    };
    let render = move |records: Vec<ConsentRecord>| {
        view! {
            <ol class="plain consent-records" data-testid="consent-records">
                {records
                    .into_iter()
                    .map(|record| view! { <Record record on_json=json.clone() /> })
                    .collect_view()}
            </ol>
        }
    };
    view! {
        <section class="card" aria-labelledby="consent-history">
            <h2 id="consent-history">{i18n.text(|t| t.preferences.consent_history)}</h2>
            <Loaded data=records render />
        </section>
    }
}

#[component]
fn Record(record: ConsentRecord, #[prop(into)] on_json: Callback<i64>) -> impl IntoView {
    let i18n = use_i18n();
    let fmt = use_formats();
    let at = record.at.clone();
    let control = record.control.clone();
    let id = record.id;
    let changed = record.changes.len();
    view! {
        <li class="consent-record">
            <p>
                <strong>{move || (i18n.t().preferences.control_label)(&control)}</strong>
                " · " <time datetime=record.at.clone()>{move || fmt.date_time(&at)}</time>
                " · " {move || (i18n.t().preferences.changes_count)(changed)}
                {(record.source == "gpc").then(|| view! { " · " {i18n.text(|t| t.preferences.source_gpc)} })}
            </p>
            <ConsentChanges changes=record.changes.clone() />
            <details class="recorded">
                <summary>{i18n.text(|t| t.labels.show_recorded)}</summary>
                <RecordedChanges changes=record.changes />
            </details>
            <p class="actions">
                <button type="button" on:click=move |_| on_json.run(id)>{i18n.text(|t| t.preferences.receipt_json)}</button>
                <A href=format!("/preferences/receipts/{id}") attr:class="button">{i18n.text(|t| t.preferences.receipt_print)}</A>
            </p>
        </li>
    }
}
