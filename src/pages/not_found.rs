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
            <h1 id="not-found-title">{i18n.text(|t| t.not_found_title)}</h1>
            <p>{i18n.text(|t| t.not_found_body)}</p>
            <A href="/">{i18n.text(|t| t.back_home)}</A>
        </section>
    }
}
