//! Who at the firm looked at the customer's data: the access log's entries about them, newest first.

use crate::api;
use crate::components::loaded::Loaded;
use crate::format::use_formats;
use crate::i18n::use_i18n;
use leptos::either::Either;
use leptos::prelude::*;
use rapport_api::{AccessEntry, AccessLog};

#[component]
pub fn AccessLogPanel() -> impl IntoView {
    let i18n = use_i18n();
    let client = api::client();
    let log = LocalResource::new(move || {
        let client = client.clone();
        async move { client.access_log().await }
    });
    let render = move |log: AccessLog| {
        if log.entries.is_empty() {
            return Either::Left(view! { <p>{i18n.text(|t| t.preferences.access_none)}</p> });
        }
        Either::Right(view! {
            <ol class="plain access-log" data-testid="access-log">
                {log.entries.into_iter().map(|entry| view! { <Entry entry /> }).collect_view()}
            </ol>
        })
    };
    view! {
        <section class="card" aria-labelledby="access-log">
            <h2 id="access-log">{i18n.text(|t| t.preferences.access_title)}</h2>
            <p>{i18n.text(|t| t.preferences.access_intro)}</p>
            <Loaded data=log render />
        </section>
    }
}

#[component]
fn Entry(entry: AccessEntry) -> impl IntoView {
    let i18n = use_i18n();
    let fmt = use_formats();
    let at = entry.at.clone();
    let action = entry.action.clone();
    let staff = entry.staff.clone();
    view! {
        <li>
            <time datetime=entry.at.clone()>{move || fmt.date_time(&at)}</time>
            " · "
            <strong>{move || staff.clone().unwrap_or_else(|| i18n.t().preferences.access_former_staff.to_owned())}</strong>
            " · "
            {move || (i18n.t().preferences.access_action)(&action)}
        </li>
    }
}
