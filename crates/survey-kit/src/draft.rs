//! The respondent's draft: answers as given, where they are in the survey, and the delivery state of
//! the finished response. Plain data, saved on the device after every change, so that a reload, a closed
//! tab or a second tab continues from the same place with the same idempotency key.

use rapport_core::{InstrumentRef, Response, ResponseMeta};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where a response is on its way to the server.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Delivery {
    /// Still being answered.
    Editing,
    /// Finished and waiting in the outbox; `attempts` sends have failed so far.
    Queued { attempts: u32 },
    /// Stored by the server (its receipt id and time).
    Sent { id: String, received_at: String },
    /// The server already holds a different response under this key (sent from another tab).
    AnsweredElsewhere,
}

/// One respondent's draft of one survey.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    /// Idempotency key of the response: one per draft, kept across reloads and tabs.
    pub key: String,
    /// The exact instrument the answers are given to.
    pub instrument: InstrumentRef,
    /// Answers as given, by item id.
    #[serde(default)]
    pub answers: BTreeMap<String, i64>,
    /// Index of the step the respondent was on.
    #[serde(default)]
    pub step: usize,
    /// When the respondent finished (RFC 3339), sent as the response's timestamp.
    #[serde(default)]
    pub finished_at: Option<String>,
    /// Delivery state.
    pub delivery: Delivery,
}

impl Draft {
    /// A new, empty draft.
    pub fn new(key: String, instrument: InstrumentRef) -> Self {
        Self {
            key,
            instrument,
            answers: BTreeMap::new(),
            step: 0,
            finished_at: None,
            delivery: Delivery::Editing,
        }
    }

    /// Reads a saved draft; `None` when it is unreadable or belongs to another instrument version
    /// (then the respondent starts afresh rather than seeing answers to different questions).
    pub fn restore(text: &str, instrument: &InstrumentRef) -> Option<Self> {
        let draft: Draft = serde_json::from_str(text).ok()?;
        (draft.instrument == *instrument).then_some(draft)
    }

    /// The draft as saved on the device.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Whether answers may still change.
    pub fn is_editable(&self) -> bool {
        matches!(self.delivery, Delivery::Editing)
    }

    /// Records or clears (`None`) one answer; ignored once the response is finished.
    pub fn answer(&mut self, item: &str, value: Option<i64>) {
        if !self.is_editable() {
            return;
        }
        match value {
            Some(v) => {
                self.answers.insert(item.to_owned(), v);
            }
            None => {
                self.answers.remove(item);
            }
        }
    }

    /// The response as the server receives it.
    pub fn to_response(&self, segment: Option<String>) -> Response {
        Response {
            instrument: self.instrument.clone(),
            respondent_id: None,
            answers: self.answers.clone(),
            meta: ResponseMeta {
                timestamp: self.finished_at.clone(),
                segment,
                audience: None,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(version: &str) -> InstrumentRef {
        InstrumentRef {
            id: "nps".into(),
            version: version.into(),
            hash: "abc".into(),
        }
    }

    #[test]
    fn round_trips_and_refuses_other_versions() {
        let mut d = Draft::new("k-12345678".into(), reference("1"));
        d.answer("NPS", Some(9));
        d.step = 1;
        let text = d.to_json();
        assert_eq!(Draft::restore(&text, &reference("1")), Some(d));
        assert_eq!(Draft::restore(&text, &reference("2")), None);
        assert_eq!(Draft::restore("{not json", &reference("1")), None);
    }

    #[test]
    fn finished_drafts_do_not_change() {
        let mut d = Draft::new("k-12345678".into(), reference("1"));
        d.answer("NPS", Some(3));
        d.delivery = Delivery::Queued { attempts: 0 };
        d.answer("NPS", Some(10));
        d.answer("NPS", None);
        assert_eq!(d.answers.get("NPS"), Some(&3));
        let r = d.to_response(Some("<b>x</b>".into()));
        assert_eq!(r.answers.get("NPS"), Some(&3));
        assert_eq!(r.meta.segment.as_deref(), Some("<b>x</b>"));
    }
}
