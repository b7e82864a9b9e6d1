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

#[wasm_bindgen_test]
async fn loaded_shows_an_error_then_the_data_after_retry() {
    use rapport_portal::components::loaded::Loaded;
    let root = container();
    let attempts = std::sync::Arc::new(std::sync::atomic::AtomicU32::new(0));
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        provide_context(I18n(RwSignal::new(Lang::En)));
        let attempts = attempts.clone();
        let data = LocalResource::new(move || {
            let n = attempts.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            async move {
                if n == 0 {
                    Err(ApiError::Timeout)
                } else {
                    Ok(format!("answer {n}"))
                }
            }
        });
        let render = |text: String| view! { <p id="data">{text}</p> };
        view! { <Loaded data render /> }
    });
    for _ in 0..5 {
        tick().await;
    }
    let alert = root
        .query_selector("[role=alert]")
        .unwrap()
        .expect("an error panel");
    assert!(alert.text_content().unwrap().contains("taking too long"));
    let retry: web_sys::HtmlElement = root
        .query_selector("[role=alert] button")
        .unwrap()
        .unwrap()
        .unchecked_into();
    retry.click();
    for _ in 0..5 {
        tick().await;
    }
    let data = root
        .query_selector("#data")
        .unwrap()
        .expect("the data after retry");
    assert_eq!(data.text_content().unwrap(), "answer 1");
    assert!(root.query_selector("[role=alert]").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn an_expired_session_opens_a_dialog_over_the_page_and_keeps_its_input() {
    use rapport_api::Profile;
    use rapport_portal::components::require_session::RequireSession;
    let root = container();
    let profile = Profile {
        id: 1,
        name: "Ann".into(),
        email: "ann@example.test".into(),
        customer_since: "2024-01-01T00:00:00Z".into(),
        staff: false,
    };
    let session = Session(RwSignal::new(SessionState::SignedIn(profile)));
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        provide_context(I18n(RwSignal::new(Lang::En)));
        provide_context(session);
        view! {
            <Router>
                <RequireSession>
                    <input id="draft" />
                </RequireSession>
            </Router>
        }
    });
    tick().await;
    let input: web_sys::HtmlInputElement = root
        .query_selector("#draft")
        .unwrap()
        .unwrap()
        .unchecked_into();
    input.set_value("half-typed complaint");
    assert!(root.query_selector("dialog").unwrap().is_none());

    session.expired();
    for _ in 0..3 {
        tick().await;
    }
    let dialog: web_sys::HtmlDialogElement = root
        .query_selector("dialog")
        .unwrap()
        .expect("a re-authentication dialog")
        .unchecked_into();
    assert!(dialog.open(), "shown as a modal");
    assert!(dialog.text_content().unwrap().contains("ann@example.test"));
    let still_there: web_sys::HtmlInputElement = root
        .query_selector("#draft")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert_eq!(still_there.value(), "half-typed complaint");
    assert!(
        input.is_same_node(Some(&still_there)),
        "the page was not re-rendered"
    );
}
