//! Stylesheets that only some page groups need (issue 16): the analyst view's and the survey kit's.
//!
//! `index.html` lists them like every other stylesheet, so Trunk hashes them and the build
//! precompresses them, but with `disabled` and `data-page-group="<group>"`: a disabled stylesheet link
//! is neither downloaded nor render-blocking, so a customer page never waits for them. When a page of
//! that group is first shown, [`for_group`] enables the link once (the browser then downloads it under
//! the same `style-src 'self'`) and the page renders after it has arrived, so it never shows unstyled.
//! Kept small on purpose: it is part of the first download.

use js_sys::Promise;
use std::cell::RefCell;
use std::future::Future;
use wasm_bindgen_futures::JsFuture;

thread_local! {
    /// The stylesheets enabled so far: page group and the promise of its `load` (rejected on `error`).
    static ENABLED: RefCell<Vec<(&'static str, Promise)>> = const { RefCell::new(Vec::new()) };
}

/// Starts loading the stylesheet of page group `group`, if `index.html` has one, and resolves once it
/// applies (the download starts when this is called, not when the future is first polled). A
/// stylesheet that fails to load does not hold the page back (it shows, less styled, rather than not
/// at all); it is disabled again, so that the next page of the group asks for it anew.
pub fn for_group(group: &'static str) -> impl Future<Output = ()> {
    let enabled = enable(group);
    async move {
        let Some((link, promise)) = enabled else {
            return;
        };
        if JsFuture::from(promise).await.is_err() {
            ENABLED.with_borrow_mut(|all| all.retain(|(g, _)| *g != group));
            let _ = link.set_attribute("disabled", "");
        }
    }
}

/// Starts loading the stylesheet of page group `group`, if it has one, without waiting for it.
pub fn preload(group: &'static str) {
    let _ = enable(group);
}

/// The group's stylesheet link and the promise of its loading, enabling it on the first call; `None`
/// when the group has none (or the page is not the portal's `index.html`, as in the component tests).
fn enable(group: &'static str) -> Option<(web_sys::Element, Promise)> {
    let link = web_sys::window()?
        .document()?
        .query_selector(&format!("link[data-page-group=\"{group}\"]"))
        .ok()??;
    let known = ENABLED.with_borrow(|all| {
        all.iter()
            .find(|(g, _)| *g == group)
            .map(|(_, p)| p.clone())
    });
    if let Some(promise) = known {
        return Some((link, promise));
    }
    // Listen before enabling, so that no `load` or `error` is missed.
    let promise = Promise::new(&mut |resolve, reject| {
        let _ = link.add_event_listener_with_callback("load", &resolve);
        let _ = link.add_event_listener_with_callback("error", &reject);
    });
    let _ = link.remove_attribute("disabled");
    ENABLED.with_borrow_mut(|all| all.push((group, promise.clone())));
    Some((link, promise))
}
