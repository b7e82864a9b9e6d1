//! The preference centre: what the firm may send, how often and when; proof of every change; data rights.
//! The parts live in `components/preferences/`. The cards below the form (the consent history, data
//! rights, the access log) are a pack of their own, `consent`, downloaded as they come near the screen:
//! a direct load of the page brings only the form.

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
    Effect::new(move |_| crate::pages::set_title(i18n.t().preferences.prefs_title));
    let gpc = gpc_enabled();
    let render = move |(prefs, etag): (Preferences, Option<String>)| {
        view! { <PreferencesForm prefs etag notice saves gpc /> }
    };
    view! {
        <h1>{i18n.text(|t| t.preferences.prefs_title)}</h1>
        <p class="lead">{i18n.text(|t| t.preferences.prefs_intro)}</p>
        <Loaded data render />
        // Laid out only once the form is there (or its error): shown earlier, these cards would be
        // pushed down by the form arriving above them (a layout shift of 0.7). They load meanwhile.
        <div class="after-form" hidden=move || data.get().is_none()>
            <LazyPart load=records::ROUTE.load />
        </div>
    }
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
