//! The few DOM operations the survey's view needs: elements with a class and attributes, texts, flags.
//! Plain functions over `web_sys::Element`, so that no code is generated per call site.

use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement};

fn document() -> Option<Document> {
    web_sys::window()?.document()
}

/// `<tag class=…>` with attributes. Without a document (never in a page) a detached plain object
/// stands in, so that a caller needs no error path for a case that cannot happen in a browser.
pub(crate) fn el(tag: &str, class: &str, attrs: &[(&str, &str)]) -> Element {
    let e = document()
        .and_then(|d| d.create_element(tag).ok())
        .unwrap_or_else(|| js_sys::Object::new().unchecked_into());
    if !class.is_empty() {
        e.set_class_name(class);
    }
    for (k, v) in attrs {
        let _ = e.set_attribute(k, v);
    }
    e
}

/// An element holding a text.
pub(crate) fn txt(tag: &str, class: &str, attrs: &[(&str, &str)], text: &str) -> Element {
    let e = el(tag, class, attrs);
    e.set_text_content(Some(text));
    e
}

pub(crate) fn add(parent: &Element, child: &Element) {
    let _ = parent.append_child(child);
}

/// A heading that takes the focus when its step opens (`tabindex=-1`: focusable by script only).
pub(crate) fn heading(tag: &str, text: &str, id: Option<&str>) -> Element {
    let h = txt(tag, "rs-step-heading", &[("tabindex", "-1")], text);
    if let Some(id) = id {
        let _ = h.set_attribute("id", id);
    }
    h
}

/// A button whose `data-act` names what the survey's one click listener does with it.
pub(crate) fn button(class: &str, act: &str, label: &str) -> Element {
    txt(
        "button",
        class,
        &[("type", "button"), ("data-act", act)],
        label,
    )
}

/// Sets or removes a boolean attribute (`disabled`).
pub(crate) fn flag(e: &Element, name: &str, on: bool) {
    let _ = e.toggle_attribute_with_force(name, on);
}

/// Sets or removes an attribute with a value.
pub(crate) fn opt_attr(e: &Element, name: &str, value: Option<&str>) {
    let _ = match value {
        Some(v) => e.set_attribute(name, v),
        None => e.remove_attribute(name),
    };
}

/// Sets a text only when it differs, so that live regions do not announce an unchanged line again.
pub(crate) fn set_text(e: &Element, text: &str) {
    if e.text_content().as_deref() != Some(text) {
        e.set_text_content(Some(text));
    }
}

/// Focuses the first element matching one of `selectors`, in that order.
pub(crate) fn focus_first(root: &Element, selectors: &[&str]) {
    for s in selectors {
        if let Some(e) = root.query_selector(s).ok().flatten() {
            if let Some(e) = e.dyn_ref::<HtmlElement>() {
                let _ = e.focus();
            }
            return;
        }
    }
}

/// Resolves once the browser has painted what is on the screen now (its next frame, then a task
/// after it), so that what starts then does not hold up that paint. A page in the background paints
/// no frames: a second later it resolves anyway. (Only the split build downloads after the paint.)
#[cfg_attr(not(feature = "split"), allow(dead_code))]
pub(crate) async fn after_paint() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 1000);
        let w = window.clone();
        let after_frame = wasm_bindgen::closure::Closure::once_into_js(move || {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
        });
        let _ = window.request_animation_frame(after_frame.unchecked_ref());
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
