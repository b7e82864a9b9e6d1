//! The survey form's state and what the respondent's actions do to it. One `Copy` handle of signals
//! and stored values, passed whole to the parts of the view, whose event handlers are one-line calls
//! of the plain methods here.
//!
//! Saving, sending and the outbox are Leptos actions (in `delivery.rs`); the outbox's rules are in
//! [`crate::outbox`].

use super::chrome::{Nav, Problems, Progress, StatusLine};
use super::done::Done;
use super::step::StepView;
use super::{Loaded, SurveyConfig, SurveyEvent};
use crate::draft::{Delivery, Draft};
use crate::i18n::Lang;
use crate::outbox::Status;
use crate::retry::Problem;
use crate::steps::{self, Step};
use crate::store::Store;
use crate::transport::Alarm;
use leptos::either::Either;
use leptos::html::Section;
use leptos::prelude::*;
use rapport_core::{Instrument, InstrumentRef};
use wasm_bindgen::JsCast;

/// The form's state. Every field is a handle, so the whole is `Copy`.
#[derive(Clone, Copy)]
pub(super) struct Form {
    pub inst: StoredValue<Instrument>,
    pub steps: StoredValue<Vec<Step>>,
    pub config: StoredValue<SurveyConfig>,
    pub reference: StoredValue<InstrumentRef>,
    pub store: StoredValue<Store, LocalStorage>,
    pub alarm: StoredValue<Alarm, LocalStorage>,
    pub draft: RwSignal<Draft>,
    pub status: RwSignal<Status>,
    pub saved_once: RwSignal<bool>,
    /// Required items left unanswered on the current step, after "next".
    pub missing: RwSignal<Vec<String>>,
    pub root: NodeRef<Section>,
    pub emit: Callback<SurveyEvent>,
    pub outbox: Action<Form, ()>,
    pub sending: Memo<bool>,
    pub save_action: Action<Form, ()>,
    pub submit_action: Action<Form, ()>,
    pub lang: Lang,
    pub last: usize,
    pub persistent: bool,
    /// Memos, so that answering a question (a draft change) does not rebuild the step and its inputs,
    /// which would take the keyboard focus away.
    pub current: Memo<usize>,
    pub done: Memo<bool>,
    pub queued: Memo<bool>,
}

impl Form {
    fn new(loaded: Loaded, config: SurveyConfig, emit: Callback<SurveyEvent>) -> Form {
        let Loaded { inst, store, draft } = loaded;
        let step_list = steps::steps(&inst);
        let last = step_list.len().saturating_sub(1);
        let draft = RwSignal::new(draft);
        let outbox = Action::new_local(|f: &Form| f.run_outbox());
        Form {
            reference: StoredValue::new(inst.reference()),
            inst: StoredValue::new(inst),
            steps: StoredValue::new(step_list),
            lang: config.lang,
            config: StoredValue::new(config),
            persistent: store.is_persistent(),
            store: StoredValue::new_local(store),
            alarm: StoredValue::new_local(Alarm::default()),
            draft,
            status: RwSignal::new(Status::Idle),
            saved_once: RwSignal::new(false),
            missing: RwSignal::new(Vec::new()),
            root: NodeRef::new(),
            emit,
            outbox,
            sending: outbox.pending(),
            save_action: Action::new_local(|f: &Form| f.save_now()),
            submit_action: Action::new_local(|f: &Form| f.send_now()),
            last,
            current: Memo::new(move |_| draft.with(|d| d.step.min(last))),
            done: Memo::new(move |_| {
                draft.with(|d| {
                    matches!(
                        d.delivery,
                        Delivery::Sent { .. } | Delivery::AnsweredElsewhere
                    )
                })
            }),
            queued: Memo::new(move |_| {
                draft.with(|d| matches!(d.delivery, Delivery::Queued { .. }))
            }),
        }
    }

    pub fn key(self) -> String {
        self.config.with_value(SurveyConfig::draft_key)
    }

    /// A text of the instrument in the respondent's language, with the firm's name.
    pub fn text(self, t: &rapport_core::instrument::Texts) -> String {
        let firm = self.config.with_value(|c| c.firm.clone());
        steps::text(t, self.lang, &firm)
    }

    pub fn firm(self) -> String {
        self.config.with_value(|c| c.firm.clone())
    }

    pub fn name(self) -> String {
        self.config.with_value(|c| c.name.clone())
    }

    pub fn step(self) -> Step {
        self.steps.with_value(|s| s[self.current.get()])
    }

    /// Moves focus to the new step's heading once it has rendered, so that screen readers announce it.
    /// A step whose heading would repeat the survey's title has none: the title stands for it.
    pub fn focus_heading(self) {
        let root = self.root;
        leptos::task::spawn_local(async move {
            let find = |selector: &str| {
                root.get_untracked()
                    .and_then(|r| r.query_selector(selector).ok().flatten())
            };
            if let Some(el) = find(".rs-step-heading")
                .or_else(|| find(".rs-title"))
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = el.focus();
            }
        });
    }

    fn save(self) {
        self.save_action.dispatch_local(self);
    }

    /// Records (or clears) an answer.
    pub fn pick(self, item: String, value: Option<i64>) {
        self.draft.update(|d| d.answer(&item, value));
        self.missing.update(|m| m.retain(|i| *i != item));
        self.save();
        self.emit.run(SurveyEvent::Answered { item, value });
    }

    /// Shows step `to`.
    pub fn go(self, to: usize) {
        self.draft.update(|d| d.step = to.min(self.last));
        self.missing.set(Vec::new());
        self.save();
        self.focus_heading();
    }

    /// "Next" (or "Send" on the last step): only with every required item of the step answered.
    pub fn next(self) {
        let here = self.current.get_untracked();
        let step = self.steps.with_value(|s| s[here]);
        let gaps = self.draft.with_untracked(|d| {
            self.inst
                .with_value(|i| steps::missing_required(i, step, &d.answers))
        });
        if !gaps.is_empty() {
            self.missing.set(gaps);
        } else if here == self.last {
            self.submit();
        } else {
            self.go(here + 1);
        }
    }

    /// Checks the response as the server will (the core's own validation), then queues it.
    pub fn submit(self) {
        if self.sending.get_untracked() || !self.draft.with_untracked(Draft::is_editable) {
            return;
        }
        let segment = self.config.with_value(|c| c.segment.clone());
        let response = self.draft.with_untracked(|d| d.to_response(segment));
        if let Err(errors) = self.inst.with_value(|i| i.validate(&response)) {
            let problems = errors
                .iter()
                .map(|e| Problem {
                    field: e.field().to_owned(),
                    problem: e.code().to_owned(),
                })
                .collect();
            self.status.set(Status::Invalid(problems));
            return;
        }
        self.submit_action.dispatch_local(self);
    }

    /// "Try again" after a refusal edits nothing and sends anew; during a wait it sends at once.
    pub fn retry_now(self) {
        match self.status.get_untracked() {
            Status::Refused(_) => {
                self.draft.update(|d| d.delivery = Delivery::Editing);
                self.status.set(Status::Idle);
                self.submit();
            }
            _ => self.alarm.with_value(Alarm::ring),
        }
    }
}

#[component]
pub(super) fn SurveyForm(
    loaded: Loaded,
    config: SurveyConfig,
    emit: Callback<SurveyEvent>,
) -> impl IntoView {
    let form = Form::new(loaded, config, emit);
    // Coming back online, or the page reopened with a response still in the outbox.
    let alarm = form.alarm;
    let online = window_event_listener(leptos::ev::online, move |_| alarm.with_value(Alarm::ring));
    on_cleanup(move || {
        online.remove();
        alarm.try_with_value(Alarm::ring);
    });
    if form.queued.get_untracked() {
        form.deliver();
    }
    // The code of the steps only some kinds of survey have, and of the scores, while still online.
    let more_steps = form
        .steps
        .with_value(|s| s.iter().any(|s| !matches!(s, Step::Section(_))));
    super::on_demand::preload(more_steps, form.config.with_value(|c| c.show_scores));
    let title = form.inst.with_value(|i| form.text(&i.def().title));
    let done = form.done;
    view! {
        <section class="rs-form" node_ref=form.root aria-label=title.clone()>
            <h2 class="rs-title" tabindex="-1">{title.clone()}</h2>
            {move || (!done.get()).then(|| view! { <Progress form /> })}
            <Problems form />
            {move || if done.get() {
                Either::Left(view! { <Done form /> })
            } else {
                Either::Right(view! {
                    <fieldset class="rs-step" disabled=move || form.queued.get()>
                        <StepView form />
                    </fieldset>
                    <Nav form />
                })
            }}
            <StatusLine form />
        </section>
    }
}
