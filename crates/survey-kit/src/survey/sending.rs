//! The code that sends, in a download of its own (`on_demand.rs`): a survey's first question does
//! not wait for it. The check before sending (the core's own validation, as the server will check),
//! queueing the finished response, and the outbox that sends it until the server has stored or
//! refused it. The decisions are [`crate::outbox`]'s and [`crate::retry`]'s; every state change they
//! make goes through [`Msg`]s like the respondent's own.

use super::app::App;
use super::state::{check, Msg, Sending};
use super::SurveyEvent;
use crate::outbox::{self, Before, Report, Status, Then};
use crate::retry::{classify, Outcome};
use crate::transport::{self, Reply};
use std::rc::Rc;
use wasm_bindgen_futures::spawn_local;

/// How long one submission may take before it counts as "no answer" (and is retried, same key).
const SEND_TIMEOUT_MS: i32 = 15_000;

/// Carries out a sending effect (what the split point hands out).
pub(crate) fn run(app: &Rc<App>, effect: Sending) {
    match effect {
        Sending::Check => {
            let verdict = app.form.borrow().as_ref().map(|f| check(f, &app.config));
            if let Some(verdict) = verdict {
                app.dispatch(Msg::Checked(verdict));
            }
        }
        Sending::Send => spawn_local(app.clone().send_now()),
        Sending::StoreAndDeliver => spawn_local(app.clone().store_and_deliver()),
        Sending::Deliver => app.deliver(),
    }
}

impl App {
    /// Starts the outbox unless it is already running: one loop per survey.
    fn deliver(self: &Rc<Self>) {
        if self.sending.replace(true) {
            return;
        }
        let app = self.clone();
        spawn_local(async move {
            app.run_outbox().await;
            app.sending.set(false);
        });
    }

    /// Sends the queued response until the server has stored or refused it. The same key on every
    /// attempt (and in every tab) makes a repeat harmless.
    async fn run_outbox(self: &Rc<Self>) {
        let base = format!(
            "{}/survey-responses",
            self.config.endpoint.trim_end_matches('/')
        );
        let url = match &self.config.invitation {
            Some(id) => format!("{base}?invitation={}", js_sys::encode_uri_component(id)),
            None => base,
        };
        let key = self.key();
        let Some(store) = self.store() else { return };
        loop {
            let Some(d) = self.draft().filter(|_| !self.disposed.get()) else {
                return;
            };
            let attempts = match outbox::before(&d.delivery, transport::online()) {
                Before::Stop => return,
                Before::WaitOnline => {
                    self.dispatch(Msg::Status(Status::Offline));
                    self.alarm.wait(None).await;
                    continue;
                }
                Before::Send { attempts } => attempts,
            };
            self.dispatch(Msg::Status(Status::Sending));
            let body = crate::json::response_text(&d.to_response(self.config.segment.clone()));
            let reply =
                transport::request("POST", &url, Some(&d.key), Some(&body), SEND_TIMEOUT_MS).await;
            let outcome = match reply {
                Reply::Answer {
                    status,
                    body,
                    retry_after_ms,
                } => classify(status, &body, retry_after_ms),
                Reply::Nothing => Outcome::Retry { after_ms: None },
            };
            if self.disposed.get() {
                return;
            }
            let next = outbox::after(
                attempts,
                outcome,
                transport::online(),
                js_sys::Math::random(),
            );
            // The new state is on the device before anything else happens.
            if let Some(delivery) = next.delivery {
                self.dispatch(Msg::Delivered(delivery));
                if let Some(d) = self.draft() {
                    store.put(&key, &d.to_json()).await;
                }
            }
            match next.report {
                Some(Report::Submitted { id }) => self.emit(SurveyEvent::Submitted { id }),
                Some(Report::Invalid) => self.emit(SurveyEvent::Error {
                    code: "invalid_response".into(),
                    message: self.t.fix_heading.into(),
                }),
                Some(Report::Refused { status, message }) => self.emit(SurveyEvent::Error {
                    code: format!("http_{status}"),
                    message,
                }),
                None => {}
            }
            self.dispatch(Msg::Status(next.status));
            match next.then {
                Then::Finished => return self.focus_heading(),
                Then::Stop => return,
                Then::Wait(ms) => self.alarm.wait(Some(ms)).await,
            }
        }
    }

    /// Queues the checked response, unless another tab has sent this survey meanwhile (then shows
    /// that and sends nothing).
    async fn send_now(self: Rc<Self>) {
        if let Some(stored) = self.finished_elsewhere().await {
            return self.dispatch(Msg::Adopt(stored));
        }
        let now = String::from(js_sys::Date::new_0().to_iso_string());
        self.dispatch(Msg::Queue { now });
    }

    async fn store_and_deliver(self: Rc<Self>) {
        if let (Some(store), Some(draft)) = (self.store(), self.draft()) {
            store.put(&self.key(), &draft.to_json()).await;
        }
        if !self.disposed.get() {
            self.deliver();
        }
    }
}
