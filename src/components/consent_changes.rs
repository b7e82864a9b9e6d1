//! What one consent record changed, in the customer's words ("E-mail · Newsletter: on → off"), with the
//! recorded fields and values kept below for anyone who wants to check them.

use crate::format::use_formats;
use crate::i18n::use_i18n;
use crate::model::consent_wording::describe;
use leptos::prelude::*;
use rapport_api::Change;

/// One line per change; a change this portal has no words for is shown raw and marked.
#[component]
pub fn ConsentChanges(changes: Vec<Change>) -> impl IntoView {
    let i18n = use_i18n();
    let fmt = use_formats();
    (!changes.is_empty()).then(|| {
        view! {
            <ul class="plain consent-changes" data-testid="consent-changes">
                {changes
                    .into_iter()
                    .map(|change| {
                        let words = Memo::new(move |_| describe(i18n.t(), &change, &|day| fmt.date(day)));
                        view! {
                            <li data-untranslated=move || (!words.read().known).then_some("")>
                                {move || words.read().sentence()}
                                <Show when=move || !words.read().known>
                                    <span class="visually-hidden">" " {move || i18n.t().labels.untranslated}</span>
                                </Show>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
    })
}

/// The changes exactly as recorded: field names and JSON values.
#[component]
pub fn RecordedChanges(changes: Vec<Change>) -> impl IntoView {
    let i18n = use_i18n();
    (!changes.is_empty()).then(|| {
        view! {
            <table class="data changes">
                <thead>
                    <tr>
                        <th scope="col">{i18n.text(|t| t.preferences.changed_field)}</th>
                        <th scope="col">{i18n.text(|t| t.preferences.before)}</th>
                        <th scope="col">{i18n.text(|t| t.preferences.after)}</th>
                    </tr>
                </thead>
                <tbody>
                    {changes
                        .into_iter()
                        .map(|c| view! {
                            <tr>
                                <td><code>{c.field}</code></td>
                                <td><code>{c.old.to_string()}</code></td>
                                <td><code>{c.new.to_string()}</code></td>
                            </tr>
                        })
                        .collect_view()}
                </tbody>
            </table>
        }
    })
}
