//! The respondent's draft: answers as given, where they are in the survey, and the delivery state of
//! the finished response. Plain data, saved on the device after every change, so that a reload, a closed
//! tab or a second tab continues from the same place with the same idempotency key.

use rapport_core::VecMap;
use rapport_core::{InstrumentRef, Response, ResponseMeta};
use serde::{Deserialize, Serialize};

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
    pub answers: VecMap<String, i64>,
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
            answers: VecMap::new(),
            step: 0,
            finished_at: None,
            delivery: Delivery::Editing,
        }
    }

    /// Reads a saved draft; `None` when it is unreadable or belongs to another instrument version
    /// (then the respondent starts afresh rather than seeing answers to different questions).
    pub fn restore(text: &str, instrument: &InstrumentRef) -> Option<Self> {
        let draft = crate::json::draft(text)?;
        (draft.instrument == *instrument).then_some(draft)
    }

    /// The draft as saved on the device.
    pub fn to_json(&self) -> String {
        crate::json::draft_text(self)
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

/// Whether a stored entry is a draft to forget when the respondent whose drafts live under `context`
/// (on this `endpoint`) signs out: their delivered responses, and anything unreadable. Answers not
/// sent yet stay (queued or still being given): they are sent for that respondent when the survey is
/// opened again under the same context, never for someone else.
pub fn forget_on_sign_out(key: &str, text: &str, endpoint: &str, context: &str) -> bool {
    let Some(rest) = key
        .strip_prefix("draft|")
        .and_then(|rest| rest.strip_prefix(endpoint))
        .and_then(|rest| rest.strip_prefix('|'))
    else {
        return false;
    };
    // `instrument|context`; instrument ids have no `|`, contexts may.
    let Some((_, scope)) = rest.split_once('|') else {
        return false;
    };
    let ours = scope == context
        || scope
            .strip_prefix(context)
            .is_some_and(|tail| tail.starts_with(':'));
    if !ours {
        return false;
    }
    match crate::json::draft(text) {
        Some(draft) => matches!(
            draft.delivery,
            Delivery::Sent { .. } | Delivery::AnsweredElsewhere
        ),
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_out_forgets_only_this_respondents_delivered_drafts() {
        let mut draft = Draft::new("k-1".into(), reference("1"));
        let editing = draft.to_json();
        draft.delivery = Delivery::Queued { attempts: 2 };
        let queued = draft.to_json();
        draft.delivery = Delivery::Sent {
            id: "r-9".into(),
            received_at: "2025-01-01T00:00:00Z".into(),
        };
        let sent = draft.to_json();
        draft.delivery = Delivery::AnsweredElsewhere;
        let elsewhere = draft.to_json();
        let forget = |key: &str, text: &str| forget_on_sign_out(key, text, "/api/v1", "portal:7");
        assert!(forget("draft|/api/v1|nps|portal:7", &sent));
        assert!(forget("draft|/api/v1|nps|portal:7:inv-3", &elsewhere));
        assert!(forget("draft|/api/v1|nps|portal:7", "{broken"));
        // Not sent yet: stays for this customer.
        assert!(!forget("draft|/api/v1|nps|portal:7", &queued));
        assert!(!forget("draft|/api/v1|nps|portal:7:inv-3", &editing));
        // Other customers, other endpoints, anonymous drafts and cached instruments are not ours.
        assert!(!forget("draft|/api/v1|nps|portal:70", &sent));
        assert!(!forget("draft|/api/v1|nps|portal", &sent));
        assert!(!forget("draft|https://x/api/v1|nps|portal:7", &sent));
        assert!(!forget("instrument|/api/v1|nps", &sent));
    }

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
