//! Page frame: skip link, brand, navigation, language switcher, sign-out.

use crate::api;
use crate::backend::use_features;
use crate::i18n::{use_i18n, Lang};
use crate::session::{use_session, SessionState};
use leptos::html;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_navigate};

#[component]
pub fn Header() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let signed_in = Memo::new(move |_| {
        matches!(
            session.0.get(),
            SessionState::SignedIn(_) | SessionState::Expired(_)
        )
    });
    let is_staff = Memo::new(move |_| {
        matches!(
            session.0.get(),
            SessionState::SignedIn(ref p) | SessionState::Expired(ref p) if p.staff
        )
    });
    let online = RwSignal::new(
        web_sys::window()
            .map(|w| w.navigator().on_line())
            .unwrap_or(true),
    );
    let _online = window_event_listener(leptos::ev::online, move |_| online.set(true));
    let _offline = window_event_listener(leptos::ev::offline, move |_| online.set(false));
    let client = api::client();
    let features = use_features();
    let navigate = use_navigate();
    let sign_out = move |_| {
        session.sign_out(client.clone());
        navigate("/sign-in", Default::default());
    };

    // On narrow screens the navigation and tools fold behind a menu button (disclosure pattern). The
    // sign-in page has no navigation, so its tools are always shown.
    let menu_open = RwSignal::new(false);
    let menu_button = NodeRef::<html::Button>::new();
    let close_menu = move |refocus: bool| {
        if menu_open.get_untracked() {
            menu_open.set(false);
            if refocus {
                if let Some(button) = menu_button.get_untracked() {
                    let _ = button.focus();
                }
            }
        }
    };
    let location = use_location();
    Effect::new(move |_| {
        location.pathname.track();
        close_menu(false);
    });
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" && menu_open.get_untracked() {
            ev.prevent_default();
            close_menu(true);
        }
    };

    view! {
        <a class="skip-link" href="#main">{i18n.text(|t| t.skip_to_content)}</a>
        <header class="site-header" class:signed-in=move || signed_in.get() on:keydown=on_keydown>
            <A href="/" attr:class="brand">{i18n.text(|t| t.app_name)}</A>
            <Show when=move || signed_in.get()>
                <button
                    type="button"
                    class="menu-button"
                    node_ref=menu_button
                    aria-expanded=move || if menu_open.get() { "true" } else { "false" }
                    aria-controls="site-menu"
                    on:click=move |_| menu_open.update(|open| *open = !*open)
                >
                    <span class="menu-icon" aria-hidden="true"></span>
                    {i18n.text(|t| t.menu)}
                </button>
            </Show>
            <div
                id="site-menu"
                class="site-menu"
                class:open=move || menu_open.get() || !signed_in.get()
            >
                <Show when=move || signed_in.get()>
                    <nav aria-label=i18n.text(|t| t.main_navigation)>
                        <A href="/" exact=true>{i18n.text(|t| t.nav_overview)}</A>
                        <A href="/history">{i18n.text(|t| t.nav_history)}</A>
                        // A configured backend may not have these; they are hidden rather than failing.
                        {features.requests.then(|| view! {
                            <A href="/requests">{i18n.text(|t| t.nav_requests)}</A>
                        })}
                        {features.reference_only.then(|| view! {
                            <A href="/preferences">{i18n.text(|t| t.nav_preferences)}</A>
                            <A href="/profile">{i18n.text(|t| t.nav_profile)}</A>
                        })}
                        <Show when=move || is_staff.get() && features.reference_only>
                            <A href="/staff">{i18n.text(|t| t.staff.staff_nav)}</A>
                            <A href="/analyst">{i18n.text(|t| t.analyst.nav)}</A>
                        </Show>
                    </nav>
                </Show>
                <div class="header-tools">
                    <LanguageSwitcher />
                    <Show when=move || signed_in.get() && features.sign_out>
                        <button type="button" class="link-button" on:click=sign_out.clone()>
                            {i18n.text(|t| t.sign_out)}
                        </button>
                    </Show>
                </div>
            </div>
        </header>
        <Show when=move || !online.get()>
            <p class="offline-banner" role="status">{i18n.text(|t| t.offline_banner)}</p>
        </Show>
    }
}

#[component]
fn LanguageSwitcher() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label class="lang-switch">
            <span>{i18n.text(|t| t.language)}</span>
            <select on:change:target=move |ev| {
                let select = ev.target();
                if let Some(lang) = Lang::parse(&select.value()) {
                    // The choice is kept at once (a page loaded next speaks it); the page switches
                    // once the language's texts are there. If they cannot be downloaded, the page,
                    // the switcher and the kept choice stay in the language shown.
                    remember_lang(lang);
                    leptos::task::spawn_local(async move {
                        if crate::i18n::load(lang).await.is_ok() {
                            i18n.0.set(lang);
                        } else {
                            let shown = i18n.0.get_untracked();
                            select.set_value(shown.tag());
                            remember_lang(shown);
                        }
                    });
                }
            }>
                {Lang::ALL
                    .into_iter()
                    .map(|lang| {
                        view! {
                            <option value=lang.tag() lang=lang.tag() selected=move || i18n.lang() == lang>
                                {lang.native_name()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}

/// Keeps the customer's language choice for the next page load.
fn remember_lang(lang: Lang) {
    let storage = web_sys::window().and_then(|w| w.local_storage().ok().flatten());
    if let Some(storage) = storage {
        let _ = storage.set_item(crate::LANG_KEY, lang.tag());
    }
}
