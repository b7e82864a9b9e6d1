//! Portal components in headless Chromium (wasm-bindgen-test).
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use leptos::task::tick;
use leptos_router::components::Router;
use rapport_api::ApiError;
use rapport_portal::components::error_panel::ErrorPanel;
use rapport_portal::i18n::{I18n, Lang};
use rapport_portal::pages::not_found::NotFound;
use rapport_portal::session::{Session, SessionState};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn container() -> web_sys::HtmlElement {
    let document = document();
    let element = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&element).unwrap();
    element.unchecked_into()
}

#[wasm_bindgen_test]
async fn not_found_page_follows_the_language_and_links_home() {
    let root = container();
    let lang = RwSignal::new(Lang::En);
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        provide_context(I18n(lang));
        view! { <Router><NotFound /></Router> }
    });
    tick().await;
    let heading = root.query_selector("h1").unwrap().unwrap();
    assert_eq!(heading.text_content().unwrap(), "Page not found");
    let link = root.query_selector("a").unwrap().unwrap();
    assert_eq!(link.get_attribute("href").as_deref(), Some("/"));

    lang.set(Lang::De);
    tick().await;
    assert_eq!(heading.text_content().unwrap(), "Seite nicht gefunden");
    assert_eq!(link.text_content().unwrap(), "Zu Ihrem Konto");
}

#[wasm_bindgen_test]
async fn error_panel_offers_retry_only_when_it_can_help() {
    let root = container();
    let retries = RwSignal::new(0);
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        provide_context(I18n(RwSignal::new(Lang::Nl)));
        view! {
            <div id="server"><ErrorPanel error=ApiError::Server { status: 503 } on_retry=move |_| retries.update(|n| *n += 1) /></div>
            <div id="missing"><ErrorPanel error=ApiError::NotFound on_retry=|_| () /></div>
        }
    });
    tick().await;
    let server = root
        .query_selector("#server [role=alert]")
        .unwrap()
        .unwrap();
    assert!(server
        .text_content()
        .unwrap()
        .contains("De server had een probleem"));
    let button: web_sys::HtmlElement = root
        .query_selector("#server button")
        .unwrap()
        .unwrap()
        .unchecked_into();
    button.click();
    button.click();
    tick().await;
    assert_eq!(retries.get_untracked(), 2);
    assert!(root.query_selector("#missing button").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn an_unauthorized_error_ends_the_session() {
    let root = container();
    let session = Session(RwSignal::new(SessionState::Checking));
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        provide_context(I18n(RwSignal::new(Lang::En)));
        provide_context(session);
        view! { <ErrorPanel error=ApiError::Unauthorized on_retry=|_| () /> }
    });
    tick().await;
    assert_eq!(session.0.get_untracked(), SessionState::SignedOut);
    assert!(root
        .text_content()
        .unwrap()
        .contains("Your session has ended"));
}
