//! Account overview: who the customer is and where their relationship stands.

use crate::api;
use crate::components::error_panel::ErrorPanel;
use crate::i18n::{format_date, format_money, use_i18n};
use leptos::either::Either;
use leptos::prelude::*;
use rapport_api::Overview;

#[component]
pub fn OverviewPage() -> impl IntoView {
    let i18n = use_i18n();
    let client = api::client();
    let data = LocalResource::new(move || {
        let client = client.clone();
        async move { api::overview(&client).await }
    });
    Effect::new(move |_| crate::pages::set_title(i18n.t().overview_title));

    view! {
        <h1>{move || i18n.t().overview_title}</h1>
        <Transition fallback=move || view! { <p role="status" class="loading">{i18n.t().loading}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(overview) => Either::Left(view! { <OverviewBody overview /> }),
                    Err(error) => Either::Right(view! { <ErrorPanel error on_retry=move |_| data.refetch() /> }),
                }
            })}
        </Transition>
    }
}

#[component]
fn OverviewBody(overview: Overview) -> impl IntoView {
    let i18n = use_i18n();
    let Overview {
        customer,
        order_count,
        latest_order,
        open_requests,
    } = overview;
    let name = customer.name.clone();
    let since = customer.customer_since.clone();
    view! {
        <section class="card" aria-labelledby="welcome">
            <h2 id="welcome" data-testid="customer-name">{move || (i18n.t().welcome)(&name)}</h2>
            <p>{move || (i18n.t().customer_since)(&format_date(i18n.lang(), &since))}</p>
            <p data-testid="order-count">{move || (i18n.t().order_count)(order_count)}</p>
            <p>{move || (i18n.t().open_requests)(open_requests)}</p>
        </section>
        <section class="card" aria-labelledby="latest-order">
            <h2 id="latest-order">{move || i18n.t().latest_order}</h2>
            {match latest_order {
                Some(order) => {
                    let placed = order.placed_at.clone();
                    let currency = order.currency.clone();
                    Either::Left(view! {
                        <p class="order-line">
                            <span class="order-number">{order.number.clone()}</span>
                            <span>{move || format_date(i18n.lang(), &placed)}</span>
                            <span class=format!("status status-{}", order.status.as_str())>
                                {move || (i18n.t().order_status)(order.status)}
                            </span>
                            <span>{move || format_money(i18n.lang(), order.total_cents, &currency)}</span>
                        </p>
                    })
                }
                None => Either::Right(view! { <p>{move || i18n.t().no_orders}</p> }),
            }}
        </section>
    }
}
