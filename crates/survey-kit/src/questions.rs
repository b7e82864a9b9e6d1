//! The question types: a rating row (one radio group per item, also the single 0–10 / 1–5 / 1–7
//! question), the zone-of-tolerance statement with its three ratings, and the 100-point allocation.
//!
//! Native radio groups inside fieldsets give keyboard use (Tab between rows, arrow keys within one)
//! and screen-reader support without re-implementing ARIA widgets. Each radio is named by its row and
//! its column (`aria-labelledby`), so "3" is never read without the statement it belongs to.

use crate::i18n::{texts, Lang};
use crate::steps::text;
use leptos::prelude::*;
use rapport_core::instrument::{Allocation, Item};
use std::collections::BTreeMap;

/// Picks (or clears) the answer of an item.
pub type Pick = Callback<(String, Option<i64>)>;

/// One rated item. `legend` replaces the item's text (zone columns); `context_id` names an element
/// whose text is read before it (the zone statement).
#[component]
pub fn ScaleRow(
    item: Item,
    lang: Lang,
    firm: String,
    prefix: String,
    value: Signal<Option<i64>>,
    #[prop(optional, into)] invalid: Signal<bool>,
    on_pick: Pick,
    #[prop(optional)] legend: Option<String>,
    #[prop(optional)] context_id: Option<String>,
) -> impl IntoView {
    let base = format!("{prefix}-{}", item.id);
    let legend_id = format!("{base}-q");
    let ends = item
        .scale
        .labels
        .get(lang.tag())
        .or_else(|| item.scale.labels.get("en"))
        .cloned();
    let (low, high) = ends.map(|e| (e.min, e.max)).unwrap_or_default();
    let options = (item.scale.min..=item.scale.max)
        .map(|n| {
            let id = format!("{base}-{n}");
            let label_id = format!("{id}-l");
            let labelled_by = [
                context_id.clone(),
                Some(legend_id.clone()),
                Some(label_id.clone()),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
            let end = if n == item.scale.min {
                Some(low.clone())
            } else if n == item.scale.max {
                Some(high.clone())
            } else {
                None
            };
            let item_id = item.id.clone();
            let value_n = i64::from(n);
            view! {
                <span class="rs-option">
                    <input
                        type="radio"
                        id=id.clone()
                        name=base.clone()
                        value=n.to_string()
                        aria-labelledby=labelled_by
                        prop:checked=move || value.get() == Some(value_n)
                        on:change=move |_| on_pick.run((item_id.clone(), Some(value_n)))
                    />
                    <label for=id id=label_id>
                        {n}
                        {end.map(|e| view! { <span class="rs-sr">{format!(" {e}")}</span> })}
                    </label>
                </span>
            }
        })
        .collect_view();
    let shown = legend.unwrap_or_else(|| text(&item.text, lang, &firm));
    let group_label = legend_id.clone();
    view! {
        <fieldset
            class="rs-row"
            class:rs-invalid=move || invalid.get()
            role="radiogroup"
            aria-labelledby=group_label
            aria-invalid=move || invalid.get().then_some("true")
        >
            <legend id=legend_id>{shown}</legend>
            <div class="rs-options">{options}</div>
            <p class="rs-ends" aria-hidden="true">
                <span>{low}</span>
                <span>{high}</span>
            </p>
        </fieldset>
    }
}

/// A zone-of-tolerance statement: the least acceptable, the desired and the perceived level side by
/// side, so the respondent sees the zone they are drawing.
#[component]
pub fn ZoneStatement(
    items: [Item; 3],
    columns: Vec<String>,
    lang: Lang,
    firm: String,
    prefix: String,
    values: [Signal<Option<i64>>; 3],
    on_pick: Pick,
) -> impl IntoView {
    let statement_id = format!("{prefix}-{}-s", items[2].id);
    let statement = text(&items[2].text, lang, &firm);
    let group_label = statement_id.clone();
    let cells = items
        .into_iter()
        .zip(values)
        .enumerate()
        .map(|(k, (item, value))| {
            view! {
                <ScaleRow
                    item
                    lang
                    firm=firm.clone()
                    prefix=prefix.clone()
                    value
                    on_pick
                    legend=columns.get(k).cloned().unwrap_or_default()
                    context_id=statement_id.clone()
                />
            }
        })
        .collect_view();
    view! {
        <div class="rs-zone" role="group" aria-labelledby=group_label>
            <p class="rs-statement" id=statement_id>{statement}</p>
            <div class="rs-zone-columns">{cells}</div>
        </div>
    }
}

/// The constant-sum question: points over the dimensions, with the points left shown as they change.
/// The survey cannot go on while the sum differs from the total.
#[component]
pub fn AllocationQuestion(
    allocation: Allocation,
    lang: Lang,
    firm: String,
    prefix: String,
    answers: Signal<BTreeMap<String, i64>>,
    on_pick: Pick,
) -> impl IntoView {
    let t = texts(lang);
    let total = allocation.total;
    let heading_id = format!("{prefix}-{}-h", allocation.id);
    let column_ids: Vec<String> = allocation.columns.iter().map(|c| c.id.clone()).collect();
    let sum = {
        let ids = column_ids.clone();
        move || {
            answers.with(|a| {
                let given: Vec<i64> = ids.iter().filter_map(|id| a.get(id).copied()).collect();
                (!given.is_empty()).then(|| given.iter().sum::<i64>())
            })
        }
    };
    let over = {
        let sum = sum.clone();
        move || sum().is_some_and(|s| s > i64::from(total))
    };
    let remaining = move || match sum() {
        None => (t.points_left)(i64::from(total)),
        Some(s) if s < i64::from(total) => (t.points_left)(i64::from(total) - s),
        Some(s) if s > i64::from(total) => (t.points_over)(s - i64::from(total)),
        Some(_) => t.points_done.to_owned(),
    };
    let rows = allocation
        .columns
        .iter()
        .map(|c| {
            let id = format!("{prefix}-{}", c.id);
            let col = c.id.clone();
            let shown = col.clone();
            view! {
                <div class="rs-alloc-row">
                    <label for=id.clone()>{text(&c.text, lang, &firm)}</label>
                    <span class="rs-alloc-input">
                        <input
                            type="number"
                            id=id
                            min="0"
                            max=total.to_string()
                            step="1"
                            inputmode="numeric"
                            prop:value=move || answers.with(|a| a.get(&shown).map(|v| v.to_string()).unwrap_or_default())
                            on:input=move |ev| {
                                let raw = event_target_value(&ev);
                                let v = raw.trim().parse::<i64>().ok().map(|v| v.clamp(0, i64::from(total)));
                                on_pick.run((col.clone(), v));
                            }
                        />
                        <span aria-hidden="true">{t.points}</span>
                    </span>
                </div>
            }
        })
        .collect_view();
    view! {
        <h3 class="rs-step-heading" tabindex="-1" id=heading_id.clone()>{text(&allocation.text, lang, &firm)}</h3>
        // No separate rule line: the question states the total, and the live count below says what is
        // left to give.
        <div class="rs-alloc" role="group" aria-labelledby=heading_id>
            {rows}
        </div>
        <p class="rs-remaining" class:rs-over=over aria-live="polite">
            {remaining}
        </p>
    }
}
