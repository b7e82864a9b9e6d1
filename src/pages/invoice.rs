//! A printable invoice.

use crate::api;
use crate::components::loaded::ById;
use crate::i18n::{format_date, format_money, use_i18n};
use leptos::prelude::*;
use leptos_router::components::A;
use rapport_api::Invoice;

#[component]
pub fn InvoicePage() -> impl IntoView {
    let fetch = |client: api::Api, id: i64| async move { client.invoice(id).await };
    let render = |invoice: Invoice| view! { <InvoiceBody invoice /> };
    view! { <ById fetch render /> }
}

#[component]
fn InvoiceBody(invoice: Invoice) -> impl IntoView {
    let i18n = use_i18n();
    let number = invoice.number.clone();
    Effect::new({
        let number = number.clone();
        move |_| crate::pages::set_title(&(i18n.t().invoice_title)(&number))
    });
    let currency = invoice.currency.clone();
    let money = move |cents: i64| {
        let currency = currency.clone();
        move || format_money(i18n.lang(), cents, &currency)
    };
    let issued = invoice.issued_at.clone();
    let due = invoice.due_at.clone();
    let order_number = invoice.order_number.clone();
    let print = move |_| {
        if let Some(window) = web_sys::window() {
            let _ = window.print();
        }
    };
    view! {
        <article class="card invoice">
            <h1>{
                let number = number.clone();
                move || (i18n.t().invoice_title)(&number)
            }</h1>
            <p>
                {move || (i18n.t().issued_on)(&format_date(i18n.lang(), &issued))} " · "
                {move || (i18n.t().due_on)(&format_date(i18n.lang(), &due))}
            </p>
            <p>
                <A href=format!("/orders/{}", invoice.order_id)>{move || (i18n.t().for_order)(&order_number)}</A>
            </p>
            <div class="two-columns">
                <div>
                    <h2>{i18n.text(|t| t.bill_to)}</h2>
                    <p class="address">{invoice.bill_to.clone()}</p>
                </div>
                <div>
                    <h2>{i18n.text(|t| t.ship_to)}</h2>
                    <p class="address">{invoice.ship_to.clone()}</p>
                </div>
            </div>
            <table class="data">
                <thead>
                    <tr>
                        <th scope="col">{i18n.text(|t| t.product)}</th>
                        <th scope="col" class="num">{i18n.text(|t| t.quantity)}</th>
                        <th scope="col" class="num">{i18n.text(|t| t.price)}</th>
                        <th scope="col" class="num">{i18n.text(|t| t.subtotal)}</th>
                    </tr>
                </thead>
                <tbody>
                    {invoice
                        .items
                        .iter()
                        .map(|item| {
                            view! {
                                <tr>
                                    <td>{item.name.clone()} <span class="muted">" (" {item.sku.clone()} ")"</span></td>
                                    <td class="num">{item.quantity}</td>
                                    <td class="num">{money(item.unit_price_cents)}</td>
                                    <td class="num">{money(item.unit_price_cents * i64::from(item.quantity))}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
                <tfoot>
                    <tr>
                        <th scope="row" colspan="3">{i18n.text(|t| t.total)}</th>
                        <td class="num"><strong>{money(invoice.amount_cents)}</strong></td>
                    </tr>
                    <tr>
                        <th scope="row" colspan="3">{i18n.text(|t| t.paid)}</th>
                        <td class="num">{money(invoice.paid_cents)}</td>
                    </tr>
                    <tr>
                        <th scope="row" colspan="3">{i18n.text(|t| t.outstanding)}</th>
                        <td class="num">{money(invoice.amount_cents - invoice.paid_cents)}</td>
                    </tr>
                </tfoot>
            </table>
            <p class="no-print">
                <button type="button" class="primary" on:click=print>{i18n.text(|t| t.print)}</button>
            </p>
        </article>
    }
}
