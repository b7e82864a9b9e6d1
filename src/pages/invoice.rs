//! A printable invoice.

use crate::api;
use crate::components::items_table::ItemsTable;
use crate::components::loaded::ById;
use crate::format::{self, use_formats};
use crate::i18n::use_i18n;
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
    let fmt = use_formats();
    let number = invoice.number.clone();
    Effect::new({
        let number = number.clone();
        move |_| crate::pages::set_title(&(i18n.t().orders.invoice_title)(&number))
    });
    let currency = invoice.currency.clone();
    let money = move |cents: i64| {
        let currency = currency.clone();
        move || format::money(i18n.lang(), cents, &currency)
    };
    let (total, paid) = (money(invoice.amount_cents), money(invoice.paid_cents));
    let outstanding = money(invoice.amount_cents - invoice.paid_cents);
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
                move || (i18n.t().orders.invoice_title)(&number)
            }</h1>
            <p>
                {move || (i18n.t().orders.issued_on)(&fmt.date(&issued))} " · "
                {move || (i18n.t().orders.due_on)(&fmt.date(&due))}
            </p>
            <p>
                <A href=format!("/orders/{}", invoice.order_id)>{move || (i18n.t().orders.for_order)(&order_number)}</A>
            </p>
            <div class="two-columns">
                {invoice.seller.clone().map(|seller| {
                    let vat = seller.vat_number;
                    view! {
                        <div data-testid="seller">
                            <h2>{i18n.text(|t| t.orders.seller)}</h2>
                            <p class="address"><strong>{seller.name}</strong> "\n" {seller.address}</p>
                            <p>{move || (i18n.t().orders.vat_number)(&vat)}</p>
                        </div>
                    }
                })}
                <div>
                    <h2>{i18n.text(|t| t.orders.bill_to)}</h2>
                    <p class="address">{invoice.bill_to.clone()}</p>
                </div>
                <div>
                    <h2>{i18n.text(|t| t.orders.ship_to)}</h2>
                    <p class="address">{invoice.ship_to.clone()}</p>
                </div>
            </div>
            <ItemsTable items=invoice.items.clone() currency=invoice.currency.clone() with_sku=true>
                    <tr>
                        <th scope="row" colspan="3">{i18n.text(|t| t.orders.total)}</th>
                        <td class="num"><strong>{total}</strong></td>
                    </tr>
                    <tr>
                        <th scope="row" colspan="3">{i18n.text(|t| t.orders.paid)}</th>
                        <td class="num">{paid}</td>
                    </tr>
                    <tr>
                        <th scope="row" colspan="3">{i18n.text(|t| t.orders.outstanding)}</th>
                        <td class="num">{outstanding}</td>
                    </tr>
            </ItemsTable>
            <p class="no-print">
                <button type="button" class="primary" on:click=print>{i18n.text(|t| t.orders.print)}</button>
            </p>
        </article>
    }
}
