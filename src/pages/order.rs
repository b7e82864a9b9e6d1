//! One order: items and totals, where it is (status timeline and carrier updates), invoices and payments,
//! the perfect-order panel, and the way to a return, complaint or warranty claim.

use crate::api;
use crate::backend::use_features;
use crate::components::code_label::{code, place, CodeLabel};
use crate::components::invitations::Invitations;
use crate::components::items_table::ItemsTable;
use crate::components::loaded::ById;
use crate::components::unread_notice::UnreadNotice;
use crate::format::{self, use_formats};
use crate::i18n::use_i18n;
use crate::model::perfect_order::{assess, Verdict};
use crate::model::timeline::{timeline, StepState};
use leptos::prelude::*;
use leptos_router::components::A;
use rapport_api::{OrderDetail, RequestKind};
use rapport_connect::mapping::RecordKind;

#[component]
pub fn OrderPage() -> impl IntoView {
    let fetch = |client: api::Api, id: i64| async move { client.order(id).await };
    let render = |detail: OrderDetail| view! { <OrderBody detail /> };
    view! { <ById fetch render /> }
}

#[component]
fn OrderBody(detail: OrderDetail) -> impl IntoView {
    let i18n = use_i18n();
    let fmt = use_formats();
    let features = use_features();
    let number = detail.order.number.clone();
    Effect::new({
        let number = number.clone();
        move |_| crate::pages::set_title(&(i18n.t().orders.order_title)(&number))
    });
    let (steps, exceptions) = timeline(&detail);
    let criteria = assess(&detail);
    let order = detail.order.clone();
    let currency = order.currency.clone();
    let money = move |cents: i64| {
        let currency = currency.clone();
        move || format::money(i18n.lang(), cents, &currency)
    };
    let order_total = money(order.total_cents);
    let placed = order.placed_at.clone();
    let order_id = order.id;

    view! {
        <h1>{
            let number = number.clone();
            move || (i18n.t().orders.order_title)(&number)
        }</h1>
        <UnreadNotice kinds=&[RecordKind::Line, RecordKind::Shipment] />
        <p class="lead">
            {move || (i18n.t().orders.placed_on)(&fmt.date(&placed))} " · "
            <span class=format!("status status-{}", order.status.as_str())>
                {move || (i18n.t().order_status)(order.status)}
            </span>
        </p>

        <Invitations order=order_id />

        <section class="card" aria-labelledby="where">
            <h2 id="where">{i18n.text(|t| t.orders.where_is_order)}</h2>
            <ol class="timeline">
                {steps
                    .into_iter()
                    .map(|step| {
                        let class = match step.state {
                            StepState::Done => "step done",
                            StepState::Current => "step current",
                            StepState::Upcoming => "step upcoming",
                        };
                        let at = step.at.clone();
                        view! {
                            <li class=class aria-current=(step.state == StepState::Current).then_some("step")>
                                <span class="step-label">{move || (i18n.t().order_status)(step.stage.status())}</span>
                                {at.map(|at| view! { <span class="step-time">{move || fmt.date(&at)}</span> })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
            <ul class="exceptions plain">
                {exceptions
                    .into_iter()
                    .map(|e| {
                        let at = e.at.clone();
                        view! {
                            <li class=format!("status status-{}", e.status.as_str())>
                                {move || (i18n.t().order_status)(e.status)}
                                {at.clone().map(|at| view! { " · " {move || fmt.date(&at)} })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            {detail
                .shipments
                .iter()
                .map(|shipment| {
                    let carrier = shipment.carrier.clone();
                    let tracking = shipment.tracking_number.clone();
                    let expected = shipment.expected_at.clone().filter(|_| shipment.delivered_at.is_none());
                    let events = shipment.events.clone();
                    view! {
                        <div class="shipment">
                            {expected.map(|at| view! { <p><strong>{move || (i18n.t().orders.expected_delivery)(&fmt.date(&at))}</strong></p> })}
                            <h3>{move || (i18n.t().orders.carrier_updates)(&carrier, &tracking)}</h3>
                            <ol class="events plain">
                                {events
                                    .into_iter()
                                    .rev()
                                    .map(|event| {
                                        let status = event.status.clone();
                                        let at = event.at.clone();
                                        view! {
                                            <li>
                                                <time datetime=event.at.clone()>{move || fmt.date_time(&at)}</time>
                                                " · " <CodeLabel label=code(|t| t.labels.carrier_event, status) />
                                                " · " <CodeLabel label=place(event.location.clone()) />
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ol>
                        </div>
                    }
                })
                .collect_view()}
        </section>

        <section class="card" aria-labelledby="items">
            <h2 id="items">{i18n.text(|t| t.orders.items)}</h2>
            <ItemsTable items=detail.items.clone() currency=order.currency.clone()>
                    <tr>
                        <th scope="row" colspan="3">{i18n.text(|t| t.orders.total)}</th>
                        <td class="num"><strong>{order_total}</strong></td>
                    </tr>
            </ItemsTable>
            <h3>{i18n.text(|t| t.orders.delivery_address)}</h3>
            <p>{detail.ship_to.clone()}</p>
        </section>

        // A configured backend maps orders and their lines only: no invoices, payments or shipments to
        // show or to judge the perfect order by, so those panels are left out rather than shown empty.
        {features.reference_only.then(|| view! {
        <section class="card" aria-labelledby="documents">
            <h2 id="documents">{i18n.text(|t| t.orders.invoices)}</h2>
            <ul class="plain">
                {detail
                    .invoices
                    .iter()
                    .map(|invoice| {
                        let number = invoice.number.clone();
                        view! {
                            <li>
                                <A href=format!("/invoices/{}", invoice.id)>{move || (i18n.t().orders.view_invoice)(&number)}</A>
                                " · " {money(invoice.amount_cents)}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <h3>{i18n.text(|t| t.orders.payments)}</h3>
            <ul class="plain">
                {detail
                    .payments
                    .iter()
                    .map(|payment| {
                        let at = payment.paid_at.clone();
                        view! {
                            <li>
                                {move || fmt.date(&at)} " · " <CodeLabel label=code(|t| t.labels.payment_method, payment.method.clone()) /> " · "
                                {money(payment.amount_cents)}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>

        <section class="card" aria-labelledby="perfect-order">
            <h2 id="perfect-order">{i18n.text(|t| t.orders.perfect_order_title)}</h2>
            <p>{i18n.text(|t| t.orders.perfect_order_intro)}</p>
            <dl class="criteria" data-testid="perfect-order">
                {criteria
                    .into_iter()
                    .map(|(criterion, verdict)| {
                        let class = match verdict {
                            Verdict::Held => "verdict held",
                            Verdict::Missed => "verdict missed",
                            Verdict::Pending => "verdict pending",
                        };
                        view! {
                            <div>
                                <dt>{move || (i18n.t().orders.criterion)(criterion)}</dt>
                                <dd class=class>{move || (i18n.t().orders.verdict)(verdict)}</dd>
                            </div>
                        }
                    })
                    .collect_view()}
            </dl>
        </section>
        })}

        {features.requests.then(|| view! {
        <section class="card" aria-labelledby="order-requests">
            <h2 id="order-requests">{i18n.text(|t| t.orders.requests_for_order)}</h2>
            <ul class="plain">
                {detail
                    .requests
                    .iter()
                    .map(|request| {
                        let status = request.status.clone();
                        let kind = request.kind;
                        view! {
                            <li>
                                <A href="/requests">{move || (i18n.t().requests.request_kind)(kind)}</A>
                                " — " <CodeLabel label=code(|t| t.labels.request_status, status) />
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            {features.create_requests.then(|| view! {
            <p class="actions">
                {RequestKind::ALL
                    .into_iter()
                    .map(|kind| {
                        let label = move || match kind {
                            RequestKind::Return => i18n.t().orders.request_return,
                            RequestKind::Complaint => i18n.t().orders.request_complaint,
                            RequestKind::Warranty => i18n.t().orders.request_warranty,
                        };
                        view! {
                            <A href=format!("/requests/new?order={order_id}&kind={}", kind.as_str()) attr:class="button">
                                {label}
                            </A>
                        }
                    })
                    .collect_view()}
            </p>
            })}
        </section>
        })}
    }
}
