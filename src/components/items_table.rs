//! The lines of an order with prices; the order page and the invoice add their own totals below.

use crate::format;
use crate::i18n::use_i18n;
use leptos::prelude::*;
use rapport_api::OrderItem;

/// Product, quantity, price and subtotal per line; `children` are the footer rows (totals).
#[component]
pub fn ItemsTable(
    items: Vec<OrderItem>,
    currency: String,
    /// Show each product's SKU (the invoice does; the order page keeps it short).
    #[prop(optional)]
    with_sku: bool,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let money = move |cents: i64| {
        let currency = currency.clone();
        move || format::money(i18n.lang(), cents, &currency)
    };
    // On the narrowest phones the four columns can be wider than the screen: the table then scrolls
    // sideways in its own labelled region (focusable, so it scrolls by keyboard too).
    view! {
        <div class="table-scroll" role="region" tabindex="0" aria-label=i18n.text(|t| t.orders.items)>
        <table class="data">
            <thead>
                <tr>
                    <th scope="col">{i18n.text(|t| t.orders.product)}</th>
                    // On a phone the short header shows; the full one stays the column's name.
                    <th scope="col" class="num">
                        <span class="long">{i18n.text(|t| t.orders.quantity)}</span>
                        <span class="short" aria-hidden="true">{i18n.text(|t| t.orders.quantity_short)}</span>
                    </th>
                    <th scope="col" class="num">{i18n.text(|t| t.orders.price)}</th>
                    <th scope="col" class="num">
                        <span class="long">{i18n.text(|t| t.orders.subtotal)}</span>
                        <span class="short" aria-hidden="true">{i18n.text(|t| t.orders.subtotal_short)}</span>
                    </th>
                </tr>
            </thead>
            <tbody>
                {items
                    .into_iter()
                    .map(|item| {
                        let sku = with_sku.then(|| view! { " " <span class="muted">"(" {item.sku.clone()} ")"</span> });
                        view! {
                            <tr>
                                <td>{item.name.clone()} {sku}</td>
                                <td class="num">{item.quantity}</td>
                                <td class="num">{money(item.unit_price_cents)}</td>
                                <td class="num">{money(item.unit_price_cents * i64::from(item.quantity))}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
            <tfoot>{children()}</tfoot>
        </table>
        </div>
    }
}
