use leptos::prelude::*;
use rapport_portal::backend::{self, Backend};

/// Removes `index.html`'s static app shell just before the portal mounts in its place.
fn remove_shell() {
    if let Some(shell) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app-shell"))
    {
        shell.remove();
    }
}

fn main() {
    console_error_panic_hook::set_once();
    // The page's chunk downloads beside the configuration rather than after it (the router would
    // start it once mounted).
    if let Some(path) = web_sys::window().and_then(|w| w.location().pathname().ok()) {
        rapport_portal::routes::preload_for(&path);
    }
    // The configuration decides which backend every call goes to, so it is read before anything mounts;
    // a broken one gets a page that lists its problems instead of a portal that fails call by call.
    wasm_bindgen_futures::spawn_local(async {
        // The customer's language downloads alongside the configuration; without it, English.
        let (config, _) = futures::future::join(
            backend::load(),
            rapport_portal::i18n::load(rapport_portal::app::wanted_lang()),
        )
        .await;
        match config {
            Ok(config) => {
                let backend = Backend::new(config);
                // Asked before mounting, and given a turn to leave (the read starts when its task
                // first runs), so that the request travels while the portal renders.
                rapport_portal::api::Api::read_session_ahead(&backend);
                let _ = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(
                    &wasm_bindgen::JsValue::UNDEFINED,
                ))
                .await;
                remove_shell();
                leptos::mount::mount_to_body(move || {
                    view! { <rapport_portal::App backend=backend.clone() /> }
                });
                rapport_portal::format::warm_up_after_paint().await;
            }
            Err(problems) => {
                remove_shell();
                leptos::mount::mount_to_body(move || {
                    view! { <rapport_portal::ConfigError problems=problems.clone() /> }
                })
            }
        }
    });
}
