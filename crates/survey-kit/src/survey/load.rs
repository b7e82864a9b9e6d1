//! Loading a survey: the instrument (the server's, else the copy kept with the draft) and the draft.

use super::state::Form;
use super::SurveyConfig;
use crate::draft::Draft;
use crate::store::Store;
use crate::transport::{self, Reply};
use rapport_core::Instrument;

const LOAD_TIMEOUT_MS: i32 = 15_000;

pub(crate) async fn load(c: &SurveyConfig) -> Option<Form> {
    let store = Store::open().await;
    let cache_key = ["instrument|", &c.endpoint, "|", &c.instrument].concat();
    let encoded = String::from(js_sys::encode_uri_component(&c.instrument));
    let url = [c.endpoint.trim_end_matches('/'), "/instruments/", &encoded].concat();
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
    let key = c.draft_key();
    let fresh = Draft::new(transport::new_key(), reference.clone());
    // The first tab to get here creates the draft; every other one continues it (same key).
    let saved = store.get_or_init(&key, &fresh.to_json()).await;
    let draft = match Draft::restore(&saved, &reference) {
        Some(d) => d,
        None => {
            store.put(&key, &fresh.to_json()).await;
            fresh
        }
    };
    Some(Form::new(inst, store, draft))
}

/// An instrument definition as the server sends it, read through the browser's JSON parser.
fn served(text: &str) -> Option<Instrument> {
    Instrument::check_served(crate::json::instrument(text)?)
}
