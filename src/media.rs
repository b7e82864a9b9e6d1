//! Media queries as signals, for the few layouts whose geometry lives in Rust (the virtual history
//! list needs its row height in pixels).

use leptos::prelude::*;

/// Phones: the same breakpoint as the `max-width: 40rem` rules in `style/main.css`.
pub const PHONE: &str = "(max-width: 40rem)";

fn matches(query: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.match_media(query).ok().flatten())
        .is_some_and(|list| list.matches())
}

/// Whether `query` matches now, updated on resizing and rotation. (A width query can only change
/// with the viewport, so the window's `resize` event is enough and cleans itself up with the owner.)
pub fn use_media_query(query: &'static str) -> Signal<bool> {
    let now = RwSignal::new(matches(query));
    let handle = window_event_listener(leptos::ev::resize, move |_| {
        let m = matches(query);
        if m != now.get_untracked() {
            now.set(m);
        }
    });
    on_cleanup(move || handle.remove());
    now.into()
}
