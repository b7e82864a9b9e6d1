//! A part of a page whose code loads on demand once it comes near the screen, e.g. the cards below
//! the preference form, so that a direct load of the page does not download what is below the fold.

use crate::components::lazy_page::{lazy_view, PageLoad};
use leptos::prelude::*;
use send_wrapper::SendWrapper;

/// A part of a page whose code downloads only once the part comes near the screen (within
/// `NEAR` of the viewport), so that a direct load of the page does not bring what is below the fold.
/// A failed download shows the same retryable message as a page, under a second-level heading.
#[component]
pub fn LazyPart(load: fn() -> PageLoad) -> impl IntoView {
    let near = RwSignal::new(false);
    let spot = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if let Some(element) = spot.get() {
            // Once near, it stays loaded: setting the signal again would start a new download. The
            // settle timer may fire after the page was left (the part disposed): then nothing.
            let watch = when_near(&element, move || {
                if near.try_get_untracked() == Some(false) {
                    near.try_set(true);
                }
            });
            // Without an observer (very old browsers) the part loads at once.
            match watch {
                Some(watch) => on_cleanup(move || drop(watch)),
                None => near.set(true),
            }
        }
    });
    view! {
        <div node_ref=spot class="lazy-part">
            {move || near.get().then(|| lazy_view(load, true))}
        </div>
    }
}

/// How far outside the viewport a part starts to download.
const NEAR: &str = "400px 0px";
/// How long a part must stay near before it downloads.
const SETTLE: std::time::Duration = std::time::Duration::from_millis(250);

/// Calls `seen` once when `element` comes within [`NEAR`] of the viewport. The observer stops when the
/// returned value is dropped. Through `Reflect`, not web-sys types, as it is the portal's only observer.
fn when_near(
    element: &web_sys::Element,
    seen: impl Fn() + 'static,
) -> Option<SendWrapper<NearWatch>> {
    use wasm_bindgen::{closure::Closure, JsCast};
    let constructor: js_sys::Function =
        js_sys::Reflect::get(&js_sys::global(), &"IntersectionObserver".into())
            .ok()?
            .dyn_into()
            .ok()?;
    // Only a part that stays near counts: content arriving above it (the form, once its data is
    // there) may push it far down a moment after it was laid out near the top.
    let near_now = std::rc::Rc::new(std::cell::Cell::new(false));
    let seen = std::rc::Rc::new(seen);
    let callback = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
        let near = entries.iter().last().is_some_and(|entry| {
            js_sys::Reflect::get(&entry, &"isIntersecting".into())
                .ok()
                .and_then(|v| v.as_bool())
                .unwrap_or(false)
        });
        near_now.set(near);
        if near {
            let near_now = near_now.clone();
            let seen = seen.clone();
            set_timeout(
                move || {
                    if near_now.get() {
                        seen();
                    }
                },
                SETTLE,
            );
        }
    });
    let options = js_sys::Object::new();
    js_sys::Reflect::set(&options, &"rootMargin".into(), &NEAR.into()).ok()?;
    let observer = js_sys::Reflect::construct(
        &constructor,
        &js_sys::Array::of2(callback.as_ref(), &options),
    )
    .ok()?;
    let observe: js_sys::Function = js_sys::Reflect::get(&observer, &"observe".into())
        .ok()?
        .dyn_into()
        .ok()?;
    observe.call1(&observer, element.as_ref()).ok()?;
    Some(SendWrapper::new(NearWatch {
        observer,
        _callback: callback,
    }))
}

/// An observer and its callback, kept alive together; dropping it disconnects the observer.
struct NearWatch {
    observer: wasm_bindgen::JsValue,
    _callback: wasm_bindgen::closure::Closure<dyn FnMut(js_sys::Array)>,
}

impl Drop for NearWatch {
    fn drop(&mut self) {
        use wasm_bindgen::JsCast;
        if let Some(disconnect) = js_sys::Reflect::get(&self.observer, &"disconnect".into())
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        {
            let _ = disconnect.call0(&self.observer);
        }
    }
}
