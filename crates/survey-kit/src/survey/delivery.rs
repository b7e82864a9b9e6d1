//! The form's delivery: saving the draft on the device, queueing the finished response, and the
//! outbox that sends it, carrying out the decisions of [`crate::outbox`]. Methods of [`Form`], run as
//! its Leptos actions.

use super::form::Form;
use super::{SurveyEvent, SEND_TIMEOUT_MS};
use crate::draft::Draft;
use crate::i18n::texts;
use crate::outbox::{self, Before, Report, Status, Then};
use crate::retry::{classify, Outcome};
use crate::transport::{self, Reply};
use leptos::prelude::*;

impl Form {
    /// Starts the outbox unless it is already running: one loop per form.
    pub fn deliver(self) {
        if self.draft.try_get_untracked().is_some() && !self.sending.get_untracked() {
            self.outbox.dispatch_local(self);
        }
    }

    /// Sends the queued response until the server has stored or refused it. The same key on every
    /// attempt (and in every tab) makes a repeat harmless.
    pub(super) async fn run_outbox(self) {
        let (url, segment) = self.config.with_value(|c| {
            let base = format!("{}/survey-responses", c.endpoint.trim_end_matches('/'));
            let url = match &c.invitation {
                Some(id) => format!("{base}?invitation={}", js_sys::encode_uri_component(id)),
                None => base,
            };
            (url, c.segment.clone())
        });
        let key = self.key();
        loop {
            let Some(d) = self.draft.try_get_untracked() else {
                return; // unmounted
            };
            let attempts = match outbox::before(&d.delivery, transport::online()) {
                Before::Stop => return,
                Before::WaitOnline => {
                    self.status.set(Status::Offline);
                    self.alarm.get_value().wait(None).await;
                    continue;
                }
                Before::Send { attempts } => attempts,
            };
            self.status.set(Status::Sending);
            let body = crate::json::response_text(&d.to_response(segment.clone()));
            let outcome =
                match transport::request("POST", &url, Some(&d.key), Some(&body), SEND_TIMEOUT_MS)
                    .await
                {
                    Reply::Answer {
                        status,
                        body,
                        retry_after_ms,
                    } => classify(status, &body, retry_after_ms),
                    Reply::Nothing => Outcome::Retry { after_ms: None },
                };
            if self.draft.try_get_untracked().is_none() {
                return;
            }
            let next = outbox::after(
                attempts,
                outcome,
                transport::online(),
                js_sys::Math::random(),
            );
            if let Some(delivery) = next.delivery {
                self.draft.update(|d| d.delivery = delivery);
                let text = self.draft.with_untracked(Draft::to_json);
                self.store.get_value().put(&key, &text).await;
            }
            match next.report {
                Some(Report::Submitted { id }) => self.emit.run(SurveyEvent::Submitted { id }),
                Some(Report::Invalid) => self.emit.run(SurveyEvent::Error {
                    code: "invalid_response".into(),
                    message: texts(self.lang).fix_heading.into(),
                }),
                Some(Report::Refused { status, message }) => self.emit.run(SurveyEvent::Error {
                    code: format!("http_{status}"),
                    message,
                }),
                None => {}
            }
            self.status.set(next.status);
            match next.then {
                Then::Finished => return self.focus_heading(),
                Then::Stop => return,
                Then::Wait(ms) => self.alarm.get_value().wait(Some(ms)).await,
            }
        }
    }

    /// Takes over the state another tab left on the device for this survey.
    pub(super) fn adopt(self, stored: Draft) {
        let (stored, queued) = outbox::adopt(stored);
        self.draft.set(stored);
        self.focus_heading();
        if queued {
            self.deliver();
        }
    }

    /// The draft another tab has finished meanwhile, if any.
    pub(super) async fn finished_elsewhere(self) -> Option<Draft> {
        let stored = self.store.get_value().get(&self.key()).await?;
        let stored = self.reference.with_value(|r| Draft::restore(&stored, r))?;
        (!stored.is_editable()).then_some(stored)
    }

    /// Saves the draft after each change, unless another tab has meanwhile finished the same survey:
    /// then this tab takes over that state (and its outbox) instead of overwriting it.
    pub(super) async fn save_now(self) {
        if let Some(stored) = self.finished_elsewhere().await {
            if self.draft.with_untracked(Draft::is_editable) {
                return self.adopt(stored);
            }
        }
        let Some(text) = self.draft.try_with_untracked(Draft::to_json) else {
            return;
        };
        let store = self.store.get_value();
        let ok = store.put(&self.key(), &text).await;
        let _ = self.saved_once.try_set(ok && store.is_persistent());
    }

    pub(super) async fn send_now(self) {
        // Another tab may have sent this survey meanwhile: then show that, and send nothing.
        if let Some(stored) = self.finished_elsewhere().await {
            return self.adopt(stored);
        }
        let now = String::from(js_sys::Date::new_0().to_iso_string());
        self.draft.update(|d| outbox::finish(d, now));
        let text = self.draft.with_untracked(Draft::to_json);
        self.store.get_value().put(&self.key(), &text).await;
        self.deliver();
    }
}
