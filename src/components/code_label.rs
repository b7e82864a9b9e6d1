//! A code from the backend in the customer's words; a code without a translation is shown as it came,
//! marked so that nobody mistakes it for a word of the page's language.

use crate::i18n::{use_i18n, Texts};
use crate::model::labels::{self, Label};
use leptos::either::Either;
use leptos::prelude::*;

/// Renders `label`: its text, or for an untranslated code the code with a tooltip and a screen-reader
/// note saying so.
#[component]
pub fn CodeLabel(label: Signal<Label>) -> impl IntoView {
    let i18n = use_i18n();
    move || match label.get() {
        Label::Untranslated(code) if !code.is_empty() => Either::Right(view! {
            <span class="untranslated" data-untranslated="" title=move || i18n.t().labels.untranslated_title>
                {code}
                <span class="visually-hidden">" " {move || i18n.t().labels.untranslated}</span>
            </span>
        }),
        other => Either::Left(other.text().to_owned()),
    }
}

/// One of the [`crate::i18n::labels::LabelTexts`] lookups.
pub type Lookup = fn(&str) -> Option<&'static str>;

/// The label of `code` in the current language, through the lookup `pick` chooses.
pub fn code(pick: fn(&Texts) -> Lookup, code: String) -> Signal<Label> {
    let i18n = use_i18n();
    Signal::derive(move || labels::label(pick(i18n.t()), &code))
}

/// A place in a carrier update: generic places translated, names as they are.
pub fn place(text: String) -> Signal<Label> {
    let i18n = use_i18n();
    Signal::derive(move || labels::place(i18n.t().labels.carrier_place, &text))
}
