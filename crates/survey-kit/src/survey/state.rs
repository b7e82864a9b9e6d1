//! The survey's state and the one function that changes it.
//!
//! Every change (a respondent's answer, a step, the outbox's progress, another tab's state) is a
//! [`Msg`] applied by [`update`], which returns what has to happen next as [`Effect`]s (save, send,
//! report to the host, move the focus). This is the plain-DOM counterpart of Leptos actions: one place
//! where state changes, and the view only reads the state (`view::View::update`).

use super::{SurveyConfig, SurveyEvent};
use crate::draft::{Delivery, Draft};
use crate::outbox::{self, Status};
use crate::retry::Problem;
use crate::steps::{self, Step};
use crate::store::Store;
use rapport_core::{Instrument, InstrumentRef};

/// A loaded survey.
pub(crate) struct Form {
    pub inst: Instrument,
    pub reference: InstrumentRef,
    pub steps: Vec<Step>,
    pub last: usize,
    pub store: Store,
    pub draft: Draft,
    pub status: Status,
    /// The device has kept the draft at least once (the status line says so).
    pub saved_once: bool,
    /// Required items left unanswered on the current step, after "next".
    pub missing: Vec<String>,
    /// "Send" was accepted and the response is being checked and queued: a second click must not
    /// queue it again, and the answers stay as they are meanwhile.
    pub queueing: bool,
}

impl Form {
    pub fn new(inst: Instrument, store: Store, draft: Draft) -> Form {
        let steps = steps::steps(&inst);
        Form {
            last: steps.len().saturating_sub(1),
            steps,
            reference: inst.reference(),
            inst,
            store,
            draft,
            status: Status::Idle,
            saved_once: false,
            missing: Vec::new(),
            queueing: false,
        }
    }

    pub fn current(&self) -> usize {
        self.draft.step.min(self.last)
    }

    pub fn step(&self) -> Step {
        self.steps[self.current()]
    }

    pub fn done(&self) -> bool {
        matches!(
            self.draft.delivery,
            Delivery::Sent { .. } | Delivery::AnsweredElsewhere
        )
    }

    pub fn queued(&self) -> bool {
        matches!(self.draft.delivery, Delivery::Queued { .. })
    }
}

/// What happened.
#[derive(Debug)]
pub(crate) enum Msg {
    /// An answer given (or cleared).
    Pick {
        item: String,
        value: Option<i64>,
    },
    /// Step `n` (the review's "change").
    Go(usize),
    /// "Change" beside an objection: its step, with the objections put away.
    Fix(usize),
    Back,
    /// "Next", or "Send" on the last step.
    Next,
    /// "Try again" after a refusal, "Send now" during a wait.
    Retry,
    /// The check before sending: the response is valid, or what the core refuses in it.
    Checked(Result<(), Vec<Problem>>),
    /// Nobody else finished the survey meanwhile: queue the response (finished at this time).
    Queue {
        now: String,
    },
    /// Another tab finished the survey; this one takes over its state.
    Adopt(Draft),
    /// The outbox's new delivery state.
    Delivered(Delivery),
    Status(Status),
    /// A save ended; whether the device keeps the draft.
    Saved(bool),
}

/// What the state change asks for.
#[derive(Debug, PartialEq)]
pub(crate) enum Effect {
    /// Save the draft on the device (unless another tab finished the survey).
    Save,
    /// Carried out by the sending code (`sending.rs`), which may have to be downloaded first.
    Sending(Sending),
    /// End the outbox's current wait.
    Ring,
    Emit(SurveyEvent),
    /// The step's heading takes the focus, so that screen readers announce the new step.
    Focus,
}

/// What the sending code does.
#[derive(Debug, PartialEq)]
pub(crate) enum Sending {
    /// Check the response as the server will, and report the verdict ([`Msg::Checked`]).
    Check,
    /// Check that no other tab sent it, then queue the response.
    Send,
    /// Save the queued response, then start the outbox.
    StoreAndDeliver,
    /// Start the outbox if it is not running.
    Deliver,
}

pub(crate) fn update(form: &mut Form, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Pick { item, value } => {
            form.draft.answer(&item, value);
            form.missing.retain(|i| *i != item);
            vec![
                Effect::Save,
                Effect::Emit(SurveyEvent::Answered { item, value }),
            ]
        }
        Msg::Go(to) => go(form, to),
        Msg::Fix(to) => {
            form.status = Status::Idle;
            go(form, to)
        }
        Msg::Back => go(form, form.current().saturating_sub(1)),
        Msg::Next => {
            let here = form.current();
            let gaps = steps::missing_required(&form.inst, form.step(), &form.draft.answers);
            if !gaps.is_empty() {
                form.missing = gaps;
                Vec::new()
            } else if here == form.last {
                submit(form)
            } else {
                go(form, here + 1)
            }
        }
        Msg::Retry => {
            if matches!(form.status, Status::Refused(_)) {
                // Nothing was edited: the same answers go again.
                form.draft.delivery = Delivery::Editing;
                form.status = Status::Idle;
                submit(form)
            } else {
                vec![Effect::Ring]
            }
        }
        Msg::Checked(verdict) => {
            // Another tab may have finished the survey while the check waited for its code.
            if !form.queueing || !form.draft.is_editable() {
                form.queueing = false;
                return Vec::new();
            }
            match verdict {
                Ok(()) => vec![Effect::Sending(Sending::Send)],
                Err(problems) => {
                    form.queueing = false;
                    form.status = Status::Invalid(problems);
                    Vec::new()
                }
            }
        }
        Msg::Queue { now } => {
            form.queueing = false;
            outbox::finish(&mut form.draft, now);
            vec![Effect::Sending(Sending::StoreAndDeliver)]
        }
        Msg::Adopt(stored) => {
            form.queueing = false;
            let (stored, queued) = outbox::adopt(stored);
            form.draft = stored;
            let mut effects = vec![Effect::Focus];
            if queued {
                effects.push(Effect::Sending(Sending::Deliver));
            }
            effects
        }
        Msg::Delivered(delivery) => {
            form.draft.delivery = delivery;
            Vec::new()
        }
        Msg::Status(status) => {
            form.status = status;
            Vec::new()
        }
        Msg::Saved(kept) => {
            form.saved_once = kept;
            Vec::new()
        }
    }
}

fn go(form: &mut Form, to: usize) -> Vec<Effect> {
    form.draft.step = to.min(form.last);
    form.missing.clear();
    vec![Effect::Save, Effect::Focus]
}

/// "Send": the response is checked before it is queued (once, however often it is pressed).
fn submit(form: &mut Form) -> Vec<Effect> {
    if form.queueing || !form.draft.is_editable() {
        return Vec::new();
    }
    form.queueing = true;
    vec![Effect::Sending(Sending::Check)]
}

/// Checks the response as the server will (the core's own validation). Only the sending code calls
/// it, so the validation travels in that download.
pub(crate) fn check(form: &Form, config: &SurveyConfig) -> Result<(), Vec<Problem>> {
    let response = form.draft.to_response(config.segment.clone());
    form.inst.validate(&response).map(|_| ()).map_err(|errors| {
        errors
            .iter()
            .map(|e| Problem {
                field: e.field().to_owned(),
                problem: e.code().to_owned(),
            })
            .collect()
    })
}

#[cfg(test)]
#[path = "state_tests.rs"]
mod tests;
