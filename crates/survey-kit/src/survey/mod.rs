//! The survey: loads an instrument, shows it step by step, saves every answer on the device, and
//! delivers the finished response through a persistent outbox. One survey UI for the portal (which
//! wraps it in a Leptos component) and the widget (`embed.rs`).
//!
//! Plain DOM, no UI framework: a one-screen survey embedded in a firm's page pays for every byte, and
//! the reactive runtime and view generics of Leptos were about half of the widget's code (NPS host
//! page 140 KB as served with Leptos, about 70 KB without; see the README). How it is built:
//! - [`state`]: the state and its one `update` function: every change is a [`state::Msg`], and what it
//!   asks for (save, send, report, focus) comes back as effects (the counterpart of Leptos actions);
//! - [`app`]: one mounted survey: its root, its listeners, the message loop; [`events`]: the three
//!   delegated listeners, which turn DOM events into messages;
//! - [`view`]: builds the DOM and brings it up to date after each message, in place, so the focus stays;
//! - [`delivery`]: saving the draft as the respondent answers;
//! - [`sending`]: the check before sending, queueing, and the outbox, carrying out
//!   [`crate::outbox`]'s decisions (a download of its own in the widget, after the first question);
//! - [`on_demand`]: the code only some kinds of survey need, or only after the first answer,
//!   downloaded when needed (widget).

mod app;
mod delivery;
pub(crate) mod dom;
mod events;
mod load;
mod on_demand;
mod sending;
mod state;
mod view;

use crate::i18n::Lang;
use crate::store::Store;
use std::rc::Rc;

/// What the host (portal page or custom element) tells the survey.
#[derive(Clone, Debug, PartialEq)]
pub struct SurveyConfig {
    /// API base URL, e.g. `/api/v1`.
    pub endpoint: String,
    /// Instrument id, e.g. `servqual`.
    pub instrument: String,
    pub lang: Lang,
    /// Prefix for element ids and radio names, unique on the page.
    pub name: String,
    /// Scope of the draft: the same survey in the same context continues the same draft.
    pub context: String,
    /// The firm's name, for `{firm}` in the instrument's texts.
    pub firm: String,
    /// Show the respondent their own scores after sending.
    pub show_scores: bool,
    /// Segment label sent with the response.
    pub segment: Option<String>,
    /// The invitation the survey answers (portal): the server links the answer to its order.
    pub invitation: Option<String>,
}

impl SurveyConfig {
    pub(crate) fn draft_key(&self) -> String {
        draft_key(&self.endpoint, &self.instrument, &self.context)
    }
}

/// Storage key of a draft.
pub fn draft_key(endpoint: &str, instrument: &str, context: &str) -> String {
    ["draft|", endpoint, "|", instrument, "|", context].concat()
}

/// What the survey reports to its host.
#[derive(Clone, Debug, PartialEq)]
pub enum SurveyEvent {
    Started { instrument: String },
    Answered { item: String, value: Option<i64> },
    Submitted { id: String },
    Error { code: String, message: String },
}

/// A survey on the page. Dropping it unmounts the survey: its DOM, its listeners and its waits go;
/// a response still queued stays on the device and is sent by the next mount.
pub struct SurveyHandle {
    app: Rc<app::App>,
}

impl Drop for SurveyHandle {
    fn drop(&mut self) {
        self.app.dispose();
    }
}

/// Renders a survey, from loading to the receipt, at the end of `container`; `on_event` hears what
/// happens (started, answered, submitted, errors).
pub fn mount(
    container: &web_sys::Element,
    config: SurveyConfig,
    on_event: impl Fn(SurveyEvent) + 'static,
) -> SurveyHandle {
    SurveyHandle {
        app: app::App::mount(container, config, Box::new(on_event)),
    }
}

/// Removes the saved draft, so that the next mount starts afresh with a new idempotency key.
pub async fn clear_draft(endpoint: &str, instrument: &str, context: &str) {
    Store::open()
        .await
        .delete(&draft_key(endpoint, instrument, context))
        .await;
}

/// On sign-out: removes the respondent's delivered drafts (context `context` and its sub-contexts) from
/// the device; unsent ones stay queued for them. Returns how many went.
pub async fn forget_delivered(endpoint: &str, context: &str) -> usize {
    let store = Store::open().await;
    let mut forgotten = 0;
    for key in store.keys().await {
        let Some(text) = store.get(&key).await else {
            continue;
        };
        if crate::draft::forget_on_sign_out(&key, &text, endpoint, context) {
            store.delete(&key).await;
            forgotten += 1;
        }
    }
    forgotten
}
