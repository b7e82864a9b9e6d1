//! The customer's returns, complaints and warranty claims, each with its status history.

use crate::api;
use crate::components::code_label::{code, CodeLabel};
use crate::components::loaded::Loaded;
use crate::components::unread_notice::UnreadNotice;
use crate::format::use_formats;
use crate::i18n::use_i18n;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use rapport_api::ServiceRequest;
use rapport_connect::mapping::RecordKind;

#[component]
pub fn RequestsPage() -> impl IntoView {
    let i18n = use_i18n();
    let client = api::client();
    let query = use_query_map();
    let just_sent = move || query.read().get("sent").is_some();
    let data = LocalResource::new(move || {
        let client = client.clone();
        async move { client.requests().await }
    });
    Effect::new(move |_| crate::pages::set_title(i18n.t().requests.requests_title));
    let render = move |requests: Vec<ServiceRequest>| {
        if requests.is_empty() {
            Either::Left(view! { <p class="empty">{i18n.text(|t| t.requests.no_requests)}</p> })
        } else {
            Either::Right(view! {
                <ul class="plain request-list">
                    {requests.into_iter().map(|request| view! { <RequestCard request /> }).collect_view()}
                </ul>
            })
        }
    };
    view! {
        <h1>{i18n.text(|t| t.requests.requests_title)}</h1>
        <UnreadNotice kinds=&[RecordKind::Request] />
        <Show when=just_sent>
            <p class="notice" role="status">{i18n.text(|t| t.requests.request_sent)}</p>
        </Show>
        <Loaded data render />
    }
}

#[component]
fn RequestCard(request: ServiceRequest) -> impl IntoView {
    let i18n = use_i18n();
    let fmt = use_formats();
    let status = request.status.clone();
    let created = request.created_at.clone();
    let heading_id = format!("request-{}", request.id);
    let labelled_by = heading_id.clone();
    view! {
        <li class="card" aria-labelledby=labelled_by>
            <h2 id=heading_id>
                {move || (i18n.t().requests.request_kind)(request.kind)}
                {request.order_number.clone().map(|n| format!(" · {n}"))}
            </h2>
            <p>
                <span class=format!("status request-{status}")>
                    <CodeLabel label=code(|t| t.labels.request_status, status.clone()) />
                </span>
                " · " {move || (i18n.t().requests.submitted_on)(&fmt.date(&created))}
            </p>
            <p><strong>{request.reason.clone()}</strong></p>
            <p class="pre-wrap">{request.description.clone()}</p>
            {request.order_id.map(|id| view! {
                <p><A href=format!("/orders/{id}")>{i18n.text(|t| t.overview.view_order)}</A></p>
            })}
            <h3>{i18n.text(|t| t.requests.status_history)}</h3>
            <ol class="events">
                {request
                    .events
                    .iter()
                    .map(|event| {
                        let status = event.status.clone();
                        let at = event.at.clone();
                        view! {
                            <li>
                                <time datetime=event.at.clone()>{move || fmt.date(&at)}</time>
                                " · " <CodeLabel label=code(|t| t.labels.request_status, status) />
                                " · " <CodeLabel label=code(|t| t.labels.request_note, event.note.clone()) />
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </li>
    }
}
