//! Account overview: who the customer is, where their relationship stands, what is open.

use crate::api;
use crate::backend::use_features;
use crate::components::code_label::{code, CodeLabel};
use crate::components::invitations::Invitations;
use crate::components::loaded::Loaded;
use crate::components::unread_notice::UnreadNotice;
use crate::format::{self, use_formats};
use crate::i18n::use_i18n;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::components::A;
use rapport_api::{Overview, Relationship};
use rapport_connect::mapping::RecordKind;

#[component]
pub fn OverviewPage() -> impl IntoView {
    let i18n = use_i18n();
    let client = api::client();
    // One resource for both, fetched in parallel, so the page appears at once instead of shifting as
    // each part arrives. The relationship is optional: without it the overview still shows.
    let data = LocalResource::new(move || {
        let client = client.clone();
        async move {
            let (overview, relationship) =
                futures::future::join(client.overview(), client.relationship()).await;
            Ok::<_, api::ApiError>((overview?, relationship.ok()))
        }
    });
    Effect::new(move |_| crate::pages::set_title(i18n.t().overview.overview_title));

    let render = |(overview, relationship): (Overview, Option<Relationship>)| {
        view! { <OverviewBody overview relationship /> }
    };
    view! {
        <h1>{i18n.text(|t| t.overview.overview_title)}</h1>
        <UnreadNotice kinds=&[RecordKind::Order, RecordKind::Request] />
        <Loaded data render />
    }
}

#[component]
fn OverviewBody(overview: Overview, relationship: Option<Relationship>) -> impl IntoView {
    let i18n = use_i18n();
    let fmt = use_formats();
    // Surveys and invitations exist only on the reference backend.
    let features = use_features();
    let phase = relationship.map(|r| r.phase);
    let Overview {
        customer,
        order_count,
        latest_order,
        open_requests,
        relationship,
        open_request_list,
    } = overview;
    let name = customer.name.clone();
    let since = customer.customer_since.clone();
    let spent = relationship.spent_last_12_months_cents;
    let currency = relationship.currency.clone();
    view! {
        <div class="grid">
            <section class="card" aria-labelledby="welcome">
                <h2 id="welcome" data-testid="customer-name">{move || (i18n.t().overview.welcome)(&name)}</h2>
                <p>{move || (i18n.t().overview.customer_since)(&fmt.date(&since))}</p>
                <p data-testid="order-count">{move || (i18n.t().overview.order_count)(order_count)}</p>
                <p>{move || (i18n.t().overview.orders_last_year)(relationship.orders_last_12_months)}</p>
                <p>
                    {i18n.text(|t| t.overview.spent_last_year)} ": "
                    <strong>{move || format::money(i18n.lang(), spent, &currency)}</strong>
                </p>
            </section>
            <section class="card" aria-labelledby="latest-order">
                <h2 id="latest-order">{i18n.text(|t| t.overview.latest_order)}</h2>
                {match latest_order {
                    Some(order) => {
                        let placed = order.placed_at.clone();
                        let currency = order.currency.clone();
                        Either::Left(view! {
                            <p class="order-line">
                                <span class="order-number">{order.number.clone()}</span>
                                <span>{move || fmt.date(&placed)}</span>
                                <span class=format!("status status-{}", order.status.as_str())>
                                    {move || (i18n.t().order_status)(order.status)}
                                </span>
                                <span>{move || format::money(i18n.lang(), order.total_cents, &currency)}</span>
                            </p>
                            <p>
                                <A href=format!("/orders/{}", order.id)>{i18n.text(|t| t.overview.view_order)}</A>
                            </p>
                        })
                    }
                    None => Either::Right(view! { <p>{i18n.text(|t| t.overview.no_orders)}</p> }),
                }}
            </section>
            {features.requests.then(|| view! {
            <section class="card" aria-labelledby="open-requests">
                <h2 id="open-requests">{i18n.text(|t| t.overview.open_requests_title)}</h2>
                <p>{move || (i18n.t().overview.open_requests)(open_requests)}</p>
                <ul class="plain">
                    {open_request_list
                        .into_iter()
                        .map(|request| {
                            let status = request.status.clone();
                            view! {
                                <li>
                                    <A href="/requests">
                                        {move || (i18n.t().requests.request_kind)(request.kind)} " · "
                                        {request.order_number.clone().unwrap_or_default()}
                                    </A>
                                    " — "
                                    <CodeLabel label=code(|t| t.labels.request_status, status) />
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </section>
            })}
            {phase.map(|phase| view! {
                <section class="card" aria-labelledby="relationship" data-phase=format!("{phase:?}").to_lowercase()>
                    <h2 id="relationship">{i18n.text(|t| t.overview.relationship_title)}</h2>
                    <p>{move || (i18n.t().overview.phase_summary)(phase)}</p>
                </section>
            })}
            {features.reference_only.then(|| view! {
            <section class="card" aria-labelledby="surveys">
                <h2 id="surveys">{i18n.text(|t| t.surveys.pending_surveys)}</h2>
                <Invitations empty=|t| t.surveys.no_pending_surveys />
                <h3>{i18n.text(|t| t.surveys.other_surveys)}</h3>
                <p>{i18n.text(|t| t.surveys.open_surveys_intro)}</p>
                <ul>
                    <li><A href="/surveys/nps">{i18n.text(|t| t.surveys.survey_nps_link)}</A></li>
                    <li><A href="/surveys/servqual">{i18n.text(|t| t.surveys.survey_servqual_link)}</A></li>
                </ul>
            </section>
            })}
        </div>
    }
}
