//! The pages that load on demand, and which chunk each one's code is in (issue 16). Sign-in is in the
//! first download; everything else arrives when it is first shown. Pages a
//! customer tends to visit together share a chunk, so that a route needs fewer requests, and the staff
//! and analyst areas, which customers never open, have a chunk of their own.

use crate::components::lazy_page::{LazyPage, LazyRoute};
use crate::components::require_session::RequireSession;
use crate::lazy_page;
use crate::pages::history::HistoryHeading;
use crate::pages::preferences::PreferencesHeading;
use crate::pages::{
    analyst::AnalystPage, history::HistoryPage, invoice::InvoicePage, new_request::NewRequestPage,
    order::OrderPage, overview::OverviewPage, password_link::PasswordLinkPage,
    preferences::PreferencesPage, profile::ProfilePage, receipt::ReceiptPage,
    requests::RequestsPage, set_password::SetPasswordPage, staff::StaffPage,
    staff_customer::StaffCustomerPage, staff_deletions::StaffDeletionsPage, survey::SurveyPage,
    survey_answer::SurveyAnswerPage,
};
use leptos::prelude::*;

// The overview, where a signed-in customer lands: a group of its own, so that the sign-in page's
// download holds only the frame and sign-in.
lazy_page!(overview in home => view! { <OverviewPage /> });
// The history alone: its filters, list and export are the largest part of what a customer does with
// orders, and a direct load of it need not bring the order pages.
lazy_page!(history in history => view! { <HistoryPage /> });
// One order alone, so that a direct load of it brings only its page; what is reached from it (its
// invoice, the requests and the form for a new one) in a group of its own, loaded when opened.
lazy_page!(order in orders => view! { <OrderPage /> });
lazy_page!(invoice in order_more => view! { <InvoicePage /> });
lazy_page!(requests in order_more => view! { <RequestsPage /> });
lazy_page!(new_request in order_more => view! { <NewRequestPage /> });
// The customer's own settings: the preference centre's form; their details, sessions and password
// apart, so that a direct load of either brings only its own page. The receipts go with the cards
// below the form (consent history, data rights, access log: `consent`, in pages/preferences.rs),
// which load as they come near the screen.
lazy_page!(preferences in account => view! { <PreferencesPage /> });
lazy_page!(receipt in consent => view! { <ReceiptPage /> });
lazy_page!(profile in profile => view! { <ProfilePage /> });
// Getting back in (signed out): forgotten password, first access, setting the password from a link;
// a group of its own, so that a signed-out visitor does not download the account pages.
lazy_page!(forgot_password in access => view! { <PasswordLinkPage first_access=false /> });
lazy_page!(get_access in access => view! { <PasswordLinkPage first_access=true /> });
lazy_page!(set_password in access => view! { <SetPasswordPage /> });
// The survey kit, and an answer given with it (which shows the instrument's questions).
lazy_page!(survey in surveys => view! { <SurveyPage /> });
lazy_page!(survey_answer in surveys => view! { <SurveyAnswerPage /> });
// The firm's tools: staff pages and the analyst view in one chunk (apart, they would share code in
// a dozen more small chunks).
lazy_page!(staff in staff => view! { <StaffPage /> });
lazy_page!(staff_customer in staff => view! { <StaffCustomerPage /> });
lazy_page!(staff_deletions in staff => view! { <StaffDeletionsPage /> });
lazy_page!(analyst in staff => view! { <AnalystPage /> });

/// A route anyone may open, signed in or not, with its page loaded on demand.
pub fn public(route: LazyRoute) -> AnyView {
    view! { <LazyPage load=route.load /> }.into_any()
}

/// A route that needs a signed-in customer, with its page loaded on demand. The chunk downloads while
/// the session is checked, not after.
pub fn signed_in(route: LazyRoute) -> AnyView {
    (route.preload)();
    view! {
        <RequireSession>
            <LazyPage load=route.load />
        </RequireSession>
    }
    .into_any()
}

/// The overview: its two reads start with the route, so that they answer while its pack downloads.
pub fn overview_page() -> AnyView {
    crate::api::client().read_ahead(&["/overview", "/relationship"]);
    signed_in(overview::ROUTE)
}

/// One order: its read starts with the route (see [`overview_page`]).
pub fn order_page() -> AnyView {
    let id = leptos_router::hooks::use_params_map()
        .with_untracked(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()));
    if let Some(id) = id {
        crate::api::client().read_ahead(&[&format!("/orders/{id}")]);
    }
    signed_in(order::ROUTE)
}

/// The history: its heading is in the first download and paints while the list's pack downloads
/// (the page's largest text). Its first read is not started ahead: that would bring the filter's
/// code into every first download.
pub fn history_page() -> AnyView {
    signed_in_below(history::ROUTE, || view! { <HistoryHeading /> }.into_any())
}

/// The preference centre: its heading is in the first download and paints while the form's pack
/// downloads, not after (the page's largest text: Lighthouse's largest contentful paint).
pub fn preferences_page() -> AnyView {
    signed_in_below(PREFERENCES_BELOW, || {
        view! { <PreferencesHeading /> }.into_any()
    })
}

/// The preference centre's form, rendered only once the heading above it is on the screen: in the
/// same task, the form's rendering and its requests would hold the heading's first paint back.
const PREFERENCES_BELOW: LazyRoute = LazyRoute {
    load: || {
        Box::pin(async {
            crate::components::lazy_page::next_paint().await;
            (preferences::ROUTE.load)().await
        })
    },
    preload: preferences::ROUTE.preload,
};

/// [`signed_in`], with the page's heading (from the first download) shown above the page while it
/// downloads; a failed download's message is then under it.
fn signed_in_below(route: LazyRoute, heading: fn() -> AnyView) -> AnyView {
    (route.preload)();
    view! {
        <RequireSession>
            {heading()}
            <LazyPage load=route.load below_heading=true />
        </RequireSession>
    }
    .into_any()
}

/// Starts downloading the page group (and its stylesheet) that a direct load of `path` shows, as soon
/// as the portal's Wasm runs: the router would start it only after the configuration has arrived and
/// the portal has mounted. A path this does not know (or a page in the first download) starts
/// nothing; the route then loads its chunk as usual. Keep in step with the routes in `app.rs`.
pub fn preload_for(path: &str) {
    let mut segments = path.trim_start_matches('/').split('/');
    let first = segments.next().unwrap_or_default();
    let route = match (first, segments.next()) {
        ("", _) => overview::ROUTE,
        ("history", _) => history::ROUTE,
        ("orders", _) => order::ROUTE,
        ("invoices" | "requests", _) => invoice::ROUTE,
        ("preferences", Some("receipts")) => receipt::ROUTE,
        ("preferences", _) => preferences::ROUTE,
        ("profile", _) => profile::ROUTE,
        ("surveys" | "survey-answers", _) => survey::ROUTE,
        ("staff" | "analyst", _) => staff::ROUTE,
        ("forgot-password" | "get-access" | "set-password", _) => set_password::ROUTE,
        _ => return,
    };
    (route.preload)();
}
