//! Where keyboard focus goes when the route changes, as a full page load would put it.
//!
//! Inside the app, focus moves to the new page's main heading, so a screen reader announces the page
//! and Tab continues in its content (not on the nav link that was just used). Leaving the sign-in page is
//! an exception: like a fresh page, focus starts at the top, so the first Tab reaches "Skip to content".

use leptos::prelude::*;
use leptos_router::hooks::use_location;
use wasm_bindgen::JsCast;

/// How many animation frames to wait for a page to render its heading before focusing `<main>`: long
/// enough for a page whose code downloads on demand (about 3 s).
const FRAMES: u32 = 180;

#[component]
pub fn RouteFocus() -> impl IntoView {
    let location = use_location();
    let previous = StoredValue::new(None::<String>);
    Effect::new(move |_| {
        let path = location.pathname.get();
        let before = previous.get_value();
        previous.set_value(Some(path.clone()));
        match before {
            // The first render is a page load: the browser's own focus handling applies.
            None => {}
            Some(before) if before == path => {}
            Some(before) if before == "/sign-in" => focus_by_id("page-top"),
            Some(_) => focus_heading(FRAMES),
        }
    });
    // Not in the tab order; only a starting point for the next Tab.
    view! { <div id="page-top" tabindex="-1"></div> }
}

fn document() -> Option<web_sys::Document> {
    web_sys::window().and_then(|w| w.document())
}

fn focus_by_id(id: &str) {
    if let Some(el) = document()
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

/// Focuses `main h1` once the page has drawn it (pages draw their heading in the first frames, data
/// may come later); falls back to `<main>` itself.
fn focus_heading(frames_left: u32) {
    request_animation_frame(move || {
        let heading = document()
            .and_then(|d| d.query_selector("main h1").ok().flatten())
            .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
        match heading {
            Some(h1) => {
                if !h1.has_attribute("tabindex") {
                    let _ = h1.set_attribute("tabindex", "-1");
                }
                let _ = h1.focus();
            }
            None if frames_left > 0 => focus_heading(frames_left - 1),
            None => focus_by_id("main"),
        }
    });
}
