//! A single rating question on a numeric scale (NPS 0–10, CSAT 1–5, CES 1–7, …).
//!
//! Rendered as a native radio group inside a `fieldset`, so keyboard (arrow keys) and screen readers work
//! without any ARIA re-implementation; the end labels are tied to the group with `aria-describedby`.

use leptos::prelude::*;

/// Props: the question, the inclusive scale, the end labels, the answer signal and a name that is unique
/// on the page (several widgets may share one host page).
#[component]
pub fn ScaleQuestion(
    #[prop(into)] question: Signal<String>,
    min: u8,
    max: u8,
    #[prop(into)] low_label: Signal<String>,
    #[prop(into)] high_label: Signal<String>,
    value: RwSignal<Option<u8>>,
    #[prop(into)] name: String,
    #[prop(optional, into)] on_answer: Option<Callback<u8>>,
) -> impl IntoView {
    let hint_id = format!("{name}-hint");
    let described_by = hint_id.clone();
    let options = (min..=max.max(min))
        .map(|n| {
            let id = format!("{name}-{n}");
            let name = name.clone();
            view! {
                <span class="rs-option">
                    <input
                        type="radio"
                        id=id.clone()
                        name=name
                        value=n.to_string()
                        prop:checked=move || value.get() == Some(n)
                        on:change=move |_| {
                            value.set(Some(n));
                            if let Some(callback) = on_answer {
                                callback.run(n);
                            }
                        }
                    />
                    <label for=id>{n}</label>
                </span>
            }
        })
        .collect_view();
    view! {
        <fieldset class="rs-scale" aria-describedby=described_by>
            <legend>{move || question.get()}</legend>
            <div class="rs-options">{options}</div>
            <p class="rs-ends" id=hint_id>
                <span>{min} " = " {move || low_label.get()}</span>
                <span>{max} " = " {move || high_label.get()}</span>
            </p>
        </fieldset>
    }
}
