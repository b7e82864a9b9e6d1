//! The preference centre: what the firm may send, how often and when; proof of every change; data rights.
//! The parts live in `components/preferences/`. The heading is in the first download
//! ([`PreferencesHeading`], shown by `routes.rs` while the form's pack downloads); the form is in the
//! `account` pack. The cards below the form (the consent history, data rights, the access log) are a
//! pack of their own, `consent`, downloaded as they come near the screen: a direct load of the page
//! brings only the form.

use crate::api;
use crate::components::lazy_part::LazyPart;
use crate::components::loaded::Loaded;
use crate::components::preferences::access_log::AccessLogPanel;
use crate::components::preferences::consent_history::ConsentHistory;
use crate::components::preferences::data_rights::DataRights;
use crate::components::preferences::form::PreferencesForm;
use crate::components::preferences::gpc_enabled;
use crate::i18n::use_i18n;
use leptos::prelude::*;
use rapport_api::Preferences;

/// The page's heading and introduction, in the first download: they paint as soon as the session is
/// known, while the form's pack downloads (the introduction is the page's largest text, and so when
/// Lighthouse counts it as drawn).
#[component]
pub fn PreferencesHeading() -> impl IntoView {
    let i18n = use_i18n();
    Effect::new(move |_| crate::pages::set_title(i18n.t().preferences.prefs_title));
    view! {
        <h1>{i18n.text(|t| t.preferences.prefs_title)}</h1>
        <p class="lead">{i18n.text(|t| t.preferences.prefs_intro)}</p>
    }
}

/// What follows the heading: the form and, once it (or its error) is there, the cards below it.
#[component]
pub fn PreferencesPage() -> impl IntoView {
    let i18n = use_i18n();
    let client = api::client();
    // Bumped after every save so that the consent history reloads.
    let saves = RwSignal::new(0u32);
    provide_context(Saves(saves));
    let data = LocalResource::new({
        let client = client.clone();
        move || {
            let client = client.clone();
            async move { client.preferences().await }
        }
    });
    let notice = LocalResource::new({
        let client = client.clone();
        move || {
            let client = client.clone();
            let lang = i18n.lang().tag();
            async move { client.notice(lang).await }
        }
    });
    let gpc = gpc_enabled();
    let render = move |(prefs, etag): (Preferences, Option<String>)| {
        view! { <PreferencesForm prefs etag notice saves gpc /> }
    };
    // The cards come in the form's own render: laid out before it, they would be pushed down when it
    // arrives above them.
    let after = || {
        view! {
            <div class="after-form">
                <LazyPart load=records::ROUTE.load />
            </div>
        }
    };
    view! { <Loaded data render after /> }
}

/// The count of saves on the page, bumped after each, for the cards loaded on demand.
#[derive(Clone, Copy)]
struct Saves(RwSignal<u32>);

crate::lazy_page!(records in consent => view! { <Records /> });

/// The cards below the form, in the `consent` pack.
#[component]
fn Records() -> impl IntoView {
    let saves = use_context::<Saves>().map_or_else(|| RwSignal::new(0), |s| s.0);
    view! {
        <ConsentHistory saves />
        <DataRights />
        <AccessLogPanel />
    }
}
