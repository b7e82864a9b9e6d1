//! The application root: contexts, layout and routes.

use crate::backend::Backend;
use crate::components::layout::Header;
use crate::components::route_focus::RouteFocus;
use crate::i18n::{I18n, Lang};
use crate::pages::{not_found::NotFound, sign_in::SignInPage};
use crate::routes::{self, public, signed_in};
use crate::session::Session;
use crate::LANG_KEY;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

/// The portal. `backend` is the checked runtime configuration (`main.rs` loads it before mounting);
/// without one, the reference backend on the same origin.
#[component]
pub fn App(#[prop(optional)] backend: Option<Backend>) -> impl IntoView {
    let lang = RwSignal::new(initial_lang());
    provide_context(I18n(lang));
    let backend = backend.unwrap_or_default();
    provide_context(backend.clone());
    backend.watch_blocked_calls();
    let client = backend.client();
    provide_context(client.clone());
    let session = Session::new();
    provide_context(session);
    let api = crate::api::Api::with_backend(backend, client, Some(session));
    session.check(api.clone());
    // Every page shows times in the customer's zone from the first one on.
    let zone = crate::format::CustomerZone::new();
    provide_context(zone);
    zone.follow_session(session, api);

    // Keep <html lang> and the stored choice in step with the switcher. English standing in for a
    // language whose texts did not download is not stored as a choice.
    Effect::new(move |previous: Option<()>| {
        let current = lang.get();
        let tag = current.tag();
        if let Some(window) = web_sys::window() {
            if let Some(root) = window.document().and_then(|d| d.document_element()) {
                let _ = root.set_attribute("lang", tag);
            }
            let chosen = previous.is_some() || current == wanted_lang();
            if let (true, Ok(Some(storage))) = (chosen, window.local_storage()) {
                let _ = storage.set_item(LANG_KEY, tag);
            }
        }
    });

    view! {
        <Router>
            <RouteFocus />
            <Header />
            <main id="main" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=page(routes::overview_page) />
                    <Route path=path!("/sign-in") view=page(|| view! { <SignInPage /> }.into_any()) />
                    <Route path=path!("/forgot-password") view=page(|| public(routes::forgot_password::ROUTE)) />
                    <Route path=path!("/get-access") view=page(|| public(routes::get_access::ROUTE)) />
                    <Route path=path!("/set-password") view=page(|| public(routes::set_password::ROUTE)) />
                    // Open without signing in: a local file needs no server (loading from the server
                    // asks for a staff session on the page).
                    <Route path=path!("/analyst") view=page(|| public(routes::analyst::ROUTE)) />
                    <Route path=path!("/history") view=page(routes::history_page) />
                    <Route path=path!("/orders/:id") view=page(routes::order_page) />
                    <Route path=path!("/invoices/:id") view=page(|| signed_in(routes::invoice::ROUTE)) />
                    <Route path=path!("/requests") view=page(|| signed_in(routes::requests::ROUTE)) />
                    <Route path=path!("/requests/new") view=page(|| signed_in(routes::new_request::ROUTE)) />
                    <Route path=path!("/preferences") view=page(routes::preferences_page) />
                    <Route
                        path=path!("/preferences/receipts/:id")
                        view=page(|| signed_in(routes::receipt::ROUTE))
                    />
                    <Route path=path!("/surveys/:instrument") view=page(|| signed_in(routes::survey::ROUTE)) />
                    <Route path=path!("/survey-answers/:id") view=page(|| signed_in(routes::survey_answer::ROUTE)) />
                    <Route path=path!("/staff") view=page(|| signed_in(routes::staff::ROUTE)) />
                    <Route path=path!("/staff/customers/:id") view=page(|| signed_in(routes::staff_customer::ROUTE)) />
                    <Route
                        path=path!("/staff/deletion-requests")
                        view=page(|| signed_in(routes::staff_deletions::ROUTE))
                    />
                    <Route path=path!("/profile") view=page(|| signed_in(routes::profile::ROUTE)) />
                </Routes>
            </main>
        </Router>
    }
}

/// Every route's view as one type: the router's code for a route is generated per route type, so
/// routes with the same shape of path then share it instead of each bringing its own (~2 KB each).
fn page(view: fn() -> AnyView) -> fn() -> AnyView {
    view
}

/// The language to start in: the wanted one once its texts are there (`main.rs` loads them before
/// mounting), else English.
pub(crate) fn initial_lang() -> Lang {
    Some(wanted_lang())
        .filter(|&lang| crate::i18n::available(lang))
        .unwrap_or(Lang::En)
}

/// The stored choice, else the browser's preferred languages, else English.
pub fn wanted_lang() -> Lang {
    let Some(window) = web_sys::window() else {
        return Lang::En;
    };
    let stored = window
        .local_storage()
        .ok()
        .flatten()
        .and_then(|s| s.get_item(LANG_KEY).ok().flatten())
        .and_then(|tag| Lang::parse(&tag));
    stored.unwrap_or_else(|| {
        let preferred: Vec<String> = window
            .navigator()
            .languages()
            .iter()
            .filter_map(|v| v.as_string())
            .collect();
        Lang::negotiate(preferred.iter().map(String::as_str))
    })
}
