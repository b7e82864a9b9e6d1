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

/// Resolves once the browser has drawn what was just rendered (the frame after the next animation
/// frame), or after 100 ms where frames are not drawn (a tab in the background). Work started after
/// it then cannot hold that paint back.
pub async fn next_paint() {
    // The promises' own `resolve` is the callback: no Rust closure (and its glue) in the first download.
    let Some(window) = web_sys::window() else {
        return;
    };
    let frame = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window.request_animation_frame(&resolve);
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 100);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(frame).await;
    // Animation frame callbacks run before that frame is drawn; a task queued now runs after it.
    let drawn = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(drawn).await;
}

/// Shows the page `load` gives, "Loading…" while its chunk downloads, and a retryable message when
/// the download fails.
/// `below_heading`: the page's heading is already shown above it (from the first download), so the
/// message's heading is second-level.
#[component]
pub fn LazyPage(load: fn() -> PageLoad, #[prop(optional)] below_heading: bool) -> impl IntoView {
    lazy_view(load, below_heading)
}

/// The download, its "Loading…" and its failure; `part`: a part of a page (the message's heading is
/// then second-level).
pub(crate) fn lazy_view(load: fn() -> PageLoad, part: bool) -> impl IntoView {
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
