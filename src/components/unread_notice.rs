//! The notice that some records of a mapped backend could not be read: how many of each kind, and in a
//! disclosure which ones, where, what they held and what was expected. The rest of the page shows as
//! usual; the same details are in the browser console (see `Backend::report`).

use crate::backend::use_backend;
use crate::i18n::use_i18n;
use leptos::prelude::*;
use rapport_connect::mapping::RecordKind;

#[component]
pub fn UnreadNotice(kinds: &'static [RecordKind]) -> impl IntoView {
    let i18n = use_i18n();
    let backend = use_backend();
    let unread = Memo::new(move |_| backend.unread(kinds));
    move || {
        let unread = unread.get();
        (!unread.is_empty()).then(|| {
            let counts: Vec<(RecordKind, usize)> = kinds
                .iter()
                .map(|k| (*k, unread.iter().filter(|u| u.kind == *k).count()))
                .filter(|(_, n)| *n > 0)
                .collect();
            view! {
                <section class="unread-notice" role="status" data-testid="unread-notice">
                    {counts
                        .into_iter()
                        .map(|(kind, n)| view! { <p>{move || (i18n.t().config.unread_notice)(kind, n)}</p> })
                        .collect_view()}
                    <details>
                        <summary>{i18n.text(|t| t.config.unread_details)}</summary>
                        <ul>
                            {unread
                                .into_iter()
                                .map(|u| view! { <li>{move || (i18n.t().config.unread_record)(&u)}</li> })
                                .collect_view()}
                        </ul>
                    </details>
                </section>
            }
        })
    }
}
