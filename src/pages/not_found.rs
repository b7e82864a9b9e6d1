//! Shown for any address the portal does not know.

use crate::i18n::use_i18n;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    Effect::new(move |_| crate::pages::set_title(i18n.t().not_found_title));
    view! {
        <section class="card narrow" aria-labelledby="not-found-title">
            <h1 id="not-found-title">{move || i18n.t().not_found_title}</h1>
            <p>{move || i18n.t().not_found_body}</p>
            <A href="/">{move || i18n.t().back_home}</A>
        </section>
    }
}
