//! Account history: one timeline of orders, invoices, payments, shipments, contacts and requests.
//!
//! Filters live in the URL (deep links and the back button work); pages come from the server by cursor
//! as the customer scrolls; only the rows in view are in the DOM, so 10,000 entries stay smooth.

use crate::api::{self, ApiError};
use crate::backend::use_features;
use crate::components::code_label::CodeLabel;
use crate::components::error_panel::ErrorPanel;
use crate::components::save::Save;
use crate::components::unread_notice::UnreadNotice;
use crate::download::download;
use crate::format::{self, use_formats};
use crate::i18n::{use_i18n, Texts};
use crate::media::{use_media_query, PHONE};
use crate::model::csv::history_csv;
use crate::model::history_filter::HistoryFilter;
use crate::model::labels::{self, Label};
use crate::model::virtual_window::window;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use rapport_api::{HistoryEntry, HistoryKind, OrderStatus};
use rapport_connect::mapping::RecordKind;

/// Fixed row height (px): the virtual window needs it, and the CSS uses the same number.
pub const ROW_PX: u32 = 64;
/// On phones each entry is a card of four lines (`.history-row` under `max-width: 40rem`).
pub const CARD_PX: u32 = 112;
const PAGE: u32 = 100;
const EXPORT_MAX: usize = 100_000;

/// The page's heading, in the first download: it paints as soon as the session is known, while the
/// list's pack downloads (see `routes.rs`).
#[component]
pub fn HistoryHeading() -> impl IntoView {
    let i18n = use_i18n();
    Effect::new(move |_| crate::pages::set_title(i18n.t().history.history_title));
    view! { <h1>{i18n.text(|t| t.history.history_title)}</h1> }
}

/// What follows the heading: filters, the count and the list.
#[component]
pub fn HistoryPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        let q = query.read();
        HistoryFilter::from_query(|k| q.get_str(k))
    });

    let entries = RwSignal::new(Vec::<HistoryEntry>::new());
    let next_cursor = RwSignal::new(None::<String>);
    let total = RwSignal::new(None::<u32>);
    let loading = RwSignal::new(false);
    let failure = RwSignal::new(None::<ApiError>);
    // Answers to an older filter are dropped when they arrive after a newer one was asked for.
    let generation = StoredValue::new(0u64);
    let client = api::client();

    let load = {
        let client = client.clone();
        move |reset: bool| {
            if loading.get_untracked() && !reset {
                return;
            }
            if reset {
                generation.update_value(|g| *g += 1);
                entries.set(Vec::new());
                next_cursor.set(None);
                total.set(None);
            }
            let this = generation.get_value();
            let cursor = next_cursor.get_untracked();
            let filter = filter.get_untracked();
            let client = client.clone();
            loading.set(true);
            failure.set(None);
            spawn_local(async move {
                let result = client.history_page(&filter, cursor.as_deref(), PAGE).await;
                if generation.get_value() != this {
                    return;
                }
                loading.set(false);
                match result {
                    Ok(page) => {
                        entries.update(|list| list.extend(page.entries));
                        next_cursor.set(page.next_cursor);
                        total.set(Some(page.total));
                    }
                    Err(error) => failure.set(Some(error)),
                }
            });
        }
    };
    Effect::new({
        let load = load.clone();
        move |_| {
            filter.track();
            load(true);
        }
    });

    // The virtual window.
    let scroller = NodeRef::<html::Div>::new();
    let scroll_top = RwSignal::new(0.0f64);
    let viewport = RwSignal::new(640.0f64);
    let phone = use_media_query(PHONE);
    let row_px = Memo::new(move |_| if phone.get() { CARD_PX } else { ROW_PX });
    let visible = Memo::new(move |_| {
        window(
            entries.read().len(),
            row_px.get(),
            scroll_top.get(),
            viewport.get(),
            8,
            100,
        )
    });
    Effect::new({
        let load = load.clone();
        move |_| {
            let w = visible.get();
            let near_end = w.end + 30 >= entries.read().len();
            if near_end
                && next_cursor.read().is_some()
                && !loading.get()
                && failure.read().is_none()
            {
                load(false);
            }
        }
    });
    let on_scroll = move |_| {
        if let Some(el) = scroller.get() {
            scroll_top.set(f64::from(el.scroll_top()));
            viewport.set(f64::from(el.client_height()));
        }
    };

    // A failed export shows in the list's error panel, whose retry reloads the list.
    let export_all = Save::new();
    let exporting = export_all.pending();
    let export = {
        let client = client.clone();
        move |_| {
            let (client, filter) = (client.clone(), filter.get_untracked());
            export_all.run(async move {
                match client.history_all(&filter, EXPORT_MAX).await {
                    Ok(all) => download(
                        "rapport-history.csv",
                        "text/csv;charset=utf-8",
                        &history_csv(&all),
                    ),
                    Err(error) => failure.set(Some(error)),
                }
                Ok(())
            });
        }
    };

    view! {
        <UnreadNotice kinds=&[RecordKind::Order] />
        <FilterForm filter />
        <div class="history-bar">
            <p role="status" data-testid="history-total">
                {move || total.get().map(|n| (i18n.t().history.entries_found)(n))}
            </p>
            <button type="button" on:click=export aria-disabled=move || exporting.get().then_some("true")>
                {move || if exporting.get() { i18n.t().history.exporting } else { i18n.t().history.export_csv }}
            </button>
        </div>
        {move || failure.get().map(|error| {
            let load = load.clone();
            view! { <ErrorPanel error on_retry=move |_| load(entries.read_untracked().is_empty()) /> }
        })}
        <Show when=move || total.get() == Some(0)>
            <p class="empty">{i18n.text(|t| t.history.no_entries)}</p>
        </Show>
        <div
            class="history-scroller"
            node_ref=scroller
            on:scroll=on_scroll
            tabindex="0"
            role="region"
            aria-label=i18n.text(|t| t.history.history_list_label)
        >
            <div class="history-spacer" style:height=move || format!("{}px", entries.read().len() as u32 * row_px.get())>
                <ol
                    class="history-list"
                    style:transform=move || format!("translateY({}px)", visible.get().offset_px)
                >
                    <For
                        each=move || {
                            let w = visible.get();
                            let list = entries.read();
                            let size = total.get().unwrap_or(list.len() as u32);
                            list[w.start..w.end]
                                .iter()
                                .enumerate()
                                .map(|(i, e)| (w.start + i + 1, size, e.clone()))
                                .collect::<Vec<_>>()
                        }
                        key=|(_, _, entry)| entry.id.clone()
                        children=move |(position, size, entry)| view! { <HistoryRow entry position size /> }
                    />
                </ol>
            </div>
        </div>
        <Show when=move || loading.get()>
            <p role="status" class="loading">{i18n.text(|t| t.history.loading_more)}</p>
        </Show>
    }
}

/// Where an entry leads: a survey answer to its page, an invoice to the invoice, anything else that
/// belongs to an order to the order. `invoice_pages`: whether the backend serves single invoices.
pub fn entry_link(entry: &HistoryEntry, invoice_pages: bool) -> Option<String> {
    match entry.kind {
        HistoryKind::SurveyAnswer => entry
            .id
            .strip_prefix("survey_answer:")
            .map(|id| format!("/survey-answers/{id}")),
        HistoryKind::Invoice => match entry.id.strip_prefix("invoice:") {
            Some(id)
                if invoice_pages && !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) =>
            {
                Some(format!("/invoices/{id}"))
            }
            _ => entry.order_id.map(|id| format!("/orders/{id}")),
        },
        _ => entry.order_id.map(|id| format!("/orders/{id}")),
    }
}

#[component]
fn HistoryRow(entry: HistoryEntry, position: usize, size: u32) -> impl IntoView {
    let i18n = use_i18n();
    let fmt = use_formats();
    let at = entry.at.clone();
    let kind = entry.kind;
    // Status, reference and detail in words: codes the portal knows are translated.
    let words = |pick: fn(&Texts, &HistoryEntry) -> Label| {
        let entry = entry.clone();
        Signal::derive(move || pick(i18n.t(), &entry))
    };
    let status = words(labels::history_status);
    let reference = words(labels::history_reference);
    let detail = words(labels::history_detail);
    let amount = entry.amount_cents.map(|cents| {
        let currency = entry.currency.clone().unwrap_or_default();
        move || format::money(i18n.lang(), cents, &currency)
    });
    view! {
        <li class=format!("history-row kind-{}", kind.as_str()) aria-posinset=position aria-setsize=size>
            <span class="h-date"><time datetime=entry.at.clone()>{move || fmt.date(&at)}</time></span>
            <span class="h-kind">{move || (i18n.t().history.kind_label)(kind)}</span>
            <span class="h-ref">
                {match entry_link(&entry, use_features().reference_only) {
                    Some(href) => leptos::either::Either::Left(view! { <A href=href><CodeLabel label=reference /></A> }),
                    None => leptos::either::Either::Right(view! { <CodeLabel label=reference /> }),
                }}
                <span class="h-detail"><CodeLabel label=detail /></span>
            </span>
            <span class="h-status"><CodeLabel label=status /></span>
            <span class="h-amount">{amount}</span>
        </li>
    }
}

#[component]
fn FilterForm(filter: Memo<HistoryFilter>) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let draft = RwSignal::new(filter.get_untracked());
    // Back/forward or a link changes the URL: show those filters in the form.
    Effect::new(move |_| draft.set(filter.get()));
    let apply = {
        let navigate = navigate.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            navigate(
                &format!("/history{}", draft.get_untracked().to_query_string()),
                Default::default(),
            );
        }
    };
    let clear = move |_| navigate("/history", Default::default());
    let kinds = [
        HistoryKind::Order,
        HistoryKind::Invoice,
        HistoryKind::Payment,
        HistoryKind::Shipment,
        HistoryKind::Contact,
        HistoryKind::Request,
        HistoryKind::SurveyAnswer,
    ];
    view! {
        <form class="card filters" on:submit=apply role="search" aria-label=i18n.text(|t| t.history.filters)>
            <fieldset class="kinds">
                <legend>{i18n.text(|t| t.history.filter_kinds)}</legend>
                {kinds
                    .into_iter()
                    .map(|kind| {
                        let id = format!("kind-{}", kind.as_str());
                        view! {
                            <span class="choice">
                                <input
                                    type="checkbox"
                                    id=id.clone()
                                    prop:checked=move || draft.read().kinds.contains(&kind)
                                    on:change:target=move |ev| {
                                        let on = ev.target().checked();
                                        draft.update(|f| {
                                            f.kinds.retain(|k| *k != kind);
                                            if on {
                                                f.kinds.push(kind);
                                            }
                                        });
                                    }
                                />
                                <label for=id>{move || (i18n.t().history.kind_label)(kind)}</label>
                            </span>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <div class="filter-row">
                <div class="field">
                    <label for="from">{i18n.text(|t| t.history.filter_from)}</label>
                    <input
                        id="from"
                        type="date"
                        prop:value=move || draft.read().from.clone().unwrap_or_default()
                        on:change:target=move |ev| draft.update(|f| f.from = Some(ev.target().value()).filter(|v| !v.is_empty()))
                    />
                </div>
                <div class="field">
                    <label for="to">{i18n.text(|t| t.history.filter_to)}</label>
                    <input
                        id="to"
                        type="date"
                        prop:value=move || draft.read().to.clone().unwrap_or_default()
                        on:change:target=move |ev| draft.update(|f| f.to = Some(ev.target().value()).filter(|v| !v.is_empty()))
                    />
                </div>
                <div class="field">
                    <label for="status">{i18n.text(|t| t.history.filter_status)}</label>
                    <select
                        id="status"
                        on:change:target=move |ev| draft.update(|f| f.status = Some(ev.target().value()).filter(|v| !v.is_empty()))
                    >
                        <option value="" selected=move || draft.read().status.is_none()>{i18n.text(|t| t.history.filter_any_status)}</option>
                        {OrderStatus::ALL
                            .into_iter()
                            .map(|status| view! {
                                <option
                                    value=status.as_str()
                                    selected=move || draft.read().status.as_deref() == Some(status.as_str())
                                >
                                    {move || (i18n.t().order_status)(status)}
                                </option>
                            })
                            .collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="q">{i18n.text(|t| t.history.filter_search)}</label>
                    <input
                        id="q"
                        type="search"
                        prop:value=move || draft.read().text.clone()
                        on:input:target=move |ev| draft.update(|f| f.text = ev.target().value())
                    />
                </div>
                <div class="field">
                    <label for="sort">{i18n.text(|t| t.history.filter_sort)}</label>
                    <select id="sort" on:change:target=move |ev| draft.update(|f| f.oldest_first = ev.target().value() == "asc")>
                        <option value="desc" selected=move || !draft.read().oldest_first>{i18n.text(|t| t.history.sort_newest)}</option>
                        <option value="asc" selected=move || draft.read().oldest_first>{i18n.text(|t| t.history.sort_oldest)}</option>
                    </select>
                </div>
            </div>
            <div class="actions">
                <button type="submit" class="primary">{i18n.text(|t| t.history.apply_filters)}</button>
                <button type="button" on:click=clear>{i18n.text(|t| t.history.clear_filters)}</button>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, kind: HistoryKind, order_id: Option<i64>) -> HistoryEntry {
        HistoryEntry {
            id: id.into(),
            kind,
            at: "2026-12-06T10:00:00Z".into(),
            reference: "R".into(),
            status: None,
            amount_cents: None,
            currency: None,
            order_id,
            detail: None,
        }
    }

    #[test]
    fn entries_lead_to_their_own_page() {
        let invoice = entry("invoice:7", HistoryKind::Invoice, Some(3));
        assert_eq!(entry_link(&invoice, true).as_deref(), Some("/invoices/7"));
        // A backend without single invoices: the order still shows it.
        assert_eq!(entry_link(&invoice, false).as_deref(), Some("/orders/3"));
        let odd = entry("invoice:7/../x", HistoryKind::Invoice, None);
        assert_eq!(entry_link(&odd, true), None);
        let answer = entry("survey_answer:12", HistoryKind::SurveyAnswer, None);
        assert_eq!(
            entry_link(&answer, true).as_deref(),
            Some("/survey-answers/12")
        );
        let payment = entry("payment:1", HistoryKind::Payment, Some(9));
        assert_eq!(entry_link(&payment, true).as_deref(), Some("/orders/9"));
        assert_eq!(
            entry_link(&entry("contact:1", HistoryKind::Contact, None), true),
            None
        );
    }
}
