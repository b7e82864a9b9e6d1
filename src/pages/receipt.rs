//! A printable consent receipt: one recorded change, the exact text that was hashed, and its fingerprint.

use crate::api;
use crate::components::code_label::{code, CodeLabel};
use crate::components::consent_changes::{ConsentChanges, RecordedChanges};
use crate::components::loaded::ById;
use crate::format::use_formats;
use crate::i18n::use_i18n;
use leptos::prelude::*;
use rapport_api::{ConsentReceipt, CHAIN_GENESIS};

#[component]
pub fn ReceiptPage() -> impl IntoView {
    let fetch = |client: api::Api, id: i64| async move { client.receipt(id).await };
    let render = |receipt: ConsentReceipt| view! { <ReceiptBody receipt /> };
    view! { <ById fetch render /> }
}

#[component]
fn ReceiptBody(receipt: ConsentReceipt) -> impl IntoView {
    let i18n = use_i18n();
    let fmt = use_formats();
    let record = receipt.record;
    let id = record.id;
    Effect::new(move |_| crate::pages::set_title(&(i18n.t().preferences.receipt_title)(id)));
    let at = record.at.clone();
    let control = record.control.clone();
    let print = move |_| {
        if let Some(window) = web_sys::window() {
            let _ = window.print();
        }
    };
    let gpc = record.gpc;
    let source = record.source.clone();
    let issued_by = receipt.issued_by.clone();
    let issued_at = receipt.issued_at.clone();
    view! {
        <article class="card receipt">
            <h1>{move || (i18n.t().preferences.receipt_title)(id)}</h1>
            <p>{i18n.text(|t| t.preferences.receipt_intro)}</p>
            <dl class="facts">
                <dt>{i18n.text(|t| t.preferences.changed_field)}</dt>
                <dd>{move || (i18n.t().preferences.control_label)(&control)} " · " <time datetime=record.at.clone()>{move || fmt.date_time(&at)}</time></dd>
                <dt>{i18n.text(|t| t.labels.gpc)}</dt>
                <dd>
                    {move || if gpc { i18n.t().labels.on } else { i18n.t().labels.off }} " · "
                    <CodeLabel label=code(|t| t.labels.source, source) />
                </dd>
            </dl>
            <h2>{i18n.text(|t| t.labels.changes_heading)}</h2>
            <ConsentChanges changes=record.changes.clone() />
            <details class="recorded">
                <summary>{i18n.text(|t| t.labels.show_recorded)}</summary>
                <RecordedChanges changes=record.changes.clone() />
                <dl class="facts">
                    <dt>{i18n.text(|t| t.labels.notice)}</dt>
                    <dd><code>{record.notice_version.clone()}</code> " · " <code class="hash">{record.notice_sha256.clone()}</code></dd>
                    <dt>{i18n.text(|t| t.labels.gpc)}</dt>
                    <dd><code>{record.gpc.to_string()}</code> " · " <code>{record.source.clone()}</code> " · " <code>{record.page.clone()}</code></dd>
                    <dt>{i18n.text(|t| t.preferences.fingerprint)}</dt>
                    <dd><code class="hash" data-testid="receipt-hash">{receipt.sha256.clone()}</code></dd>
                    <dt>{i18n.text(|t| t.account.chain_link)}</dt>
                    <dd data-testid="receipt-prev">{chain_link(record.prev_sha256.clone())}</dd>
                </dl>
                <p class="muted">{i18n.text(|t| t.account.chain_hint)}</p>
                <h3>{i18n.text(|t| t.preferences.recorded_text)}</h3>
                <pre class="canonical" data-testid="receipt-canonical">{receipt.canonical.clone()}</pre>
            </details>
            <p class="muted">{move || (i18n.t().labels.issued)(&issued_by, &fmt.date_time(&issued_at))}</p>
            <p class="no-print">
                <button type="button" class="primary" on:click=print>{i18n.text(|t| t.orders.print)}</button>
            </p>
        </article>
    }
}

/// The link to the previous record: its hash, or a word when there is none to show.
fn chain_link(prev: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    match prev {
        Some(hash) if hash != CHAIN_GENESIS => {
            view! { <code class="hash">{hash}</code> }.into_any()
        }
        Some(_) => i18n.text(|t| t.account.chain_first).into_any(),
        None => i18n.text(|t| t.account.chain_before).into_any(),
    }
}
