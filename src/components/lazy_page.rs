//! Pages whose code downloads when they are first shown (route-level code splitting, issue 16).
//!
//! With the `split` feature each loader declared by [`lazy_page!`] is a split point: the release build
//! (scripts/split.sh) moves the page's code into its own Wasm chunk. Without the feature (component
//! tests, native builds) the loader calls the page directly, so every build that skips the split step
//! still links. A chunk that fails to download is not cached as failed: the page says so in the
//! customer's language and the retry downloads it again.

use crate::i18n::use_i18n;
use futures::future::LocalBoxFuture;
use leptos::prelude::*;
use send_wrapper::SendWrapper;

/// A chunk of the portal's code could not be downloaded (offline, or a deployment replaced it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChunkUnavailable;

impl From<leptos::wasm_split::SplitLoaderError> for ChunkUnavailable {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        ChunkUnavailable
    }
}

/// What a page loader gives: the page, once its chunk is there.
pub type PageLoad = LocalBoxFuture<'static, Result<AnyView, ChunkUnavailable>>;

/// A page loaded on demand: `load` renders it once its chunk is there; `preload` starts the download
/// early (a route that waits for the session check first), leaving a failure to `load`, which tries
/// again and explains.
#[derive(Clone, Copy)]
pub struct LazyRoute {
    pub load: fn() -> PageLoad,
    pub preload: fn(),
}

/// Declares `pub mod $name` with `ROUTE: LazyRoute`, rendering `$view` from the chunk `$chunk`. Pages
/// that name the same chunk share one download, so related pages arrive together, and the stylesheet
/// `index.html` marks with that group's name (`data-page-group`, see [`crate::stylesheet`]).
#[macro_export]
macro_rules! lazy_page {
    ($(#[$doc:meta])* $name:ident in $chunk:ident => $view:expr) => {
        $(#[$doc])*
        pub mod $name {
            use super::*;
            use $crate::components::lazy_page::{ChunkUnavailable, LazyRoute};
            use ::leptos::prelude::{AnyView, IntoAny};

            // The group's own stylesheet, if it has one, downloads beside its chunk, and the page
            // renders once both are there (never unstyled).
            pub const ROUTE: LazyRoute = LazyRoute {
                load: || {
                    $crate::components::lazy_page::with_stylesheet(
                        stringify!($chunk),
                        ::std::boxed::Box::pin($name()),
                    )
                },
                // Not Leptos' spawner: `main.rs` preloads the page before the portal (and with it
                // Leptos' executor) is set up.
                preload: || {
                    $crate::stylesheet::preload(stringify!($chunk));
                    ::wasm_bindgen_futures::spawn_local(async {
                        let _ = preload_chunk().await;
                    })
                },
            };

            // The split point's symbols are derived from the function's name: one per page.
            #[cfg(feature = "split")]
            #[::leptos::wasm_split::wasm_split(
                $chunk,
                wasm_split_path = ::leptos::wasm_split,
                fallible,
                preload(preload_chunk)
            )]
            fn $name() -> Result<AnyView, ChunkUnavailable> {
                Ok($view.into_any())
            }

            #[cfg(not(feature = "split"))]
            async fn $name() -> Result<AnyView, ChunkUnavailable> {
                Ok($view.into_any())
            }

            #[cfg(not(feature = "split"))]
            async fn preload_chunk() {}
        }
    };
}

/// The page `page` once the stylesheet of its group (if any) has arrived too; both download at once.
/// One function for every page, not code per page in the first download.
pub fn with_stylesheet(group: &'static str, page: PageLoad) -> PageLoad {
    let sheet = crate::stylesheet::for_group(group);
    Box::pin(async move { futures::future::join(page, sheet).await.0 })
}

/// Shows the page `load` gives, "Loading…" while its chunk downloads, and a retryable message when
/// the download fails.
#[component]
pub fn LazyPage(load: fn() -> PageLoad) -> impl IntoView {
    lazy_view(load, false)
}

/// A part of a page whose code downloads only once the part comes near the screen (within
/// `NEAR` of the viewport), so that a direct load of the page does not bring what is below the fold.
/// A failed download shows the same retryable message as a page, under a second-level heading.
#[component]
pub fn LazyPart(load: fn() -> PageLoad) -> impl IntoView {
    let near = RwSignal::new(false);
    let spot = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if let Some(element) = spot.get() {
            // Once near, it stays loaded: setting the signal again would start a new download.
            let watch = when_near(&element, move || {
                if !near.get_untracked() {
                    near.set(true);
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

/// The download, its "Loading…" and its failure; `part`: a part of a page (the message's heading is
/// then second-level).
fn lazy_view(load: fn() -> PageLoad, part: bool) -> impl IntoView {
    let attempt = RwSignal::new(0_u32);
    let i18n = use_i18n();
    view! {
        <Suspense fallback=move || {
            view! { <p role="status" class="loading">{i18n.text(|t| t.loading)}</p> }
        }>
            {move || {
                attempt.track();
                Suspend::new(SendWrapper::new(async move {
                    match load().await {
                        Ok(page) => page,
                        Err(ChunkUnavailable) => {
                            view! { <ChunkFailed part on_retry=move || retry(attempt) /> }.into_any()
                        }
                    }
                }))
            }}
        </Suspense>
    }
}

/// Tries the download again; if a retry already failed while the browser is online, most likely a
/// deployment replaced the files this page names, and only a reload (a new index.html naming the new
/// chunks) can help.
fn retry(attempt: RwSignal<u32>) {
    let window = web_sys::window();
    let online = window.as_ref().is_none_or(|w| w.navigator().on_line());
    match window {
        Some(window) if attempt.get_untracked() > 0 && online => {
            let _ = window.location().reload();
        }
        _ => attempt.update(|n| *n += 1),
    }
}

/// The message for a chunk that did not arrive, with a retry; `part`: for a part of a page, under a
/// second-level heading.
#[component]
pub fn ChunkFailed(
    #[prop(optional)] part: bool,
    #[prop(into)] on_retry: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let title = i18n.text(|t| t.chunk_failed_title);
    let heading = if part {
        view! { <h2>{title}</h2> }.into_any()
    } else {
        view! { <h1>{title}</h1> }.into_any()
    };
    view! {
        <div class="error-panel chunk-failed" role="alert">
            {heading}
            <p>{i18n.text(|t| t.chunk_failed)}</p>
            <button type="button" on:click=move |_| on_retry.run(())>
                {i18n.text(|t| t.retry)}
            </button>
        </div>
    }
}
