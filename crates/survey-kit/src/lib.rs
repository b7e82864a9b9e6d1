//! Rapport survey kit: the survey used by both the portal and the embeddable `<rapport-survey>`
//! widget (one UI, no copies), framework-free.
//!
//! - [`survey::mount`] loads an instrument, shows it step by step and delivers the response, in plain
//!   DOM (the portal wraps it in a small Leptos component);
//! - [`draft`], [`outbox`], [`retry`] and [`steps`] are the pure parts (tested natively);
//! - [`store`] and [`transport`] are the browser parts: device storage and fetch.
//!
//! The widget build enables the `embed` feature, which adds [`embed::mount_survey`], called by the
//! custom element defined in `embed/rapport-survey.js`.

pub mod draft;
pub mod i18n;
pub mod json;
pub mod outbox;
pub mod retry;
pub mod steps;
pub mod store;
pub mod survey;
pub mod transport;

#[cfg(feature = "embed")]
pub mod embed;

pub use survey::{mount, SurveyConfig, SurveyEvent, SurveyHandle};

/// The widget's allocator: lol_alloc's free list instead of Rust's default dlmalloc, 7 KB less code
/// (2.4 KB as served) for a survey that allocates little and lives as long as its page. Only in the
/// widget's own Wasm (`embed`); the portal keeps the default.
#[cfg(all(feature = "embed", target_arch = "wasm32"))]
#[global_allocator]
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    // SAFETY: wasm32-unknown-unknown without the atomics feature runs one thread.
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };
