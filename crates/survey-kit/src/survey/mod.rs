//! The survey: loads an instrument, shows it step by step, saves every answer on the device, and
//! delivers the finished response through a persistent outbox. One component for the portal and the
//! widget.

mod chrome;
mod delivery;
mod done;
mod form;
mod on_demand;
mod review;
mod step;

use crate::draft::Draft;
use crate::i18n::{texts, Lang};
use crate::store::Store;
use crate::transport::{self, Reply};
use form::SurveyForm;
use leptos::either::EitherOf3;
use leptos::prelude::*;
use rapport_core::Instrument;

/// How long one submission may take before it counts as "no answer" (and is retried, same key).
pub(crate) const SEND_TIMEOUT_MS: i32 = 15_000;
const LOAD_TIMEOUT_MS: i32 = 15_000;

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
    format!("draft|{endpoint}|{instrument}|{context}")
}

/// What the survey reports to its host.
#[derive(Clone, Debug, PartialEq)]
pub enum SurveyEvent {
    Started { instrument: String },
    Answered { item: String, value: Option<i64> },
    Submitted { id: String },
    Error { code: String, message: String },
}

#[derive(Clone)]
pub(crate) struct Loaded {
    inst: Instrument,
    store: Store,
    draft: Draft,
}

async fn load(c: SurveyConfig) -> Option<Loaded> {
    let store = Store::open().await;
    let cache_key = format!("instrument|{}|{}", c.endpoint, c.instrument);
    let url = format!(
        "{}/instruments/{}",
        c.endpoint.trim_end_matches('/'),
        js_sys::encode_uri_component(&c.instrument)
    );
    let fetched = match transport::request("GET", &url, None, None, LOAD_TIMEOUT_MS).await {
        Reply::Answer {
            status: 200, body, ..
        } => served(&body).map(|i| (i, body)),
        _ => None,
    };
    // Offline or a broken reply: the copy saved with the draft lets the respondent go on.
    let inst = match fetched {
        Some((inst, body)) => {
            store.put(&cache_key, &body).await;
            inst
        }
        None => served(&store.get(&cache_key).await?)?,
    };
    let reference = inst.reference();
    let fresh = Draft::new(transport::new_key(), reference.clone());
    let saved = store.get_or_init(&c.draft_key(), &fresh.to_json()).await;
    let draft = match Draft::restore(&saved, &reference) {
        Some(d) => d,
        None => {
            store.put(&c.draft_key(), &fresh.to_json()).await;
            fresh
        }
    };
    Some(Loaded { inst, store, draft })
}

/// An instrument definition as the server sends it, read through the browser's JSON parser.
fn served(text: &str) -> Option<Instrument> {
    Instrument::from_served(crate::json::instrument(text)?).ok()
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

/// A survey, from loading to the receipt.
#[component]
pub fn Survey(
    config: SurveyConfig,
    #[prop(optional, into)] on_event: Option<Callback<SurveyEvent>>,
) -> impl IntoView {
    let t = texts(config.lang);
    let emit = move |e: SurveyEvent| {
        if let Some(cb) = on_event {
            cb.run(e);
        }
    };
    let lang_tag = config.lang.tag();
    let config = StoredValue::new(config);
    // Loading (`None`), then the loaded survey or `Some(None)` when it could not be loaded. A signal
    // and a task rather than a resource under `<Suspense>`: one load on one screen does not need the
    // async machinery those link into the widget (about 14 KB of its code).
    let state = RwSignal::new_local(None::<Option<Loaded>>);
    let fetch = move || {
        let c = config.get_value();
        leptos::task::spawn_local(async move {
            let instrument = c.instrument.clone();
            let loaded = load(c).await;
            // Unmounted meanwhile: nothing to show or report.
            if state.is_disposed() {
                return;
            }
            emit(match loaded {
                Some(_) => SurveyEvent::Started { instrument },
                None => SurveyEvent::Error {
                    code: "load_failed".into(),
                    message: t.load_failed.into(),
                },
            });
            state.set(Some(loaded));
        })
    };
    fetch();
    view! {
        <div class="rs-survey" lang=lang_tag>
            {move || match state.get() {
                None => EitherOf3::A(view! { <p class="rs-note" role="status">{t.loading}</p> }),
                Some(Some(loaded)) => {
                    let config = config.get_value();
                    EitherOf3::B(view! { <SurveyForm loaded config emit=Callback::new(emit) /> })
                }
                Some(None) => EitherOf3::C(chrome::load_failed(t.load_failed, t.try_again, move || {
                    state.set(None);
                    fetch();
                })),
            }}
        </div>
    }
}
