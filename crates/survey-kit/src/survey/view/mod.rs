//! The survey's DOM. The frame (title, progress, status line) is built once; the step's body is
//! built anew only when the step changes; everything else (checked radios, invalid rows, progress,
//! navigation, status) is updated in place by [`View::update`], so the focused control keeps the
//! focus while the respondent answers. The view reads the state; it never changes it.

pub(crate) mod more;
pub(crate) mod objections;
pub(crate) mod questions;
mod review;
mod step;

use super::app::App;
use super::dom::{add, button, el, flag, set_text, txt};
use super::on_demand::{self, Part};
use super::state::Form;
use crate::draft::Delivery;
use crate::i18n::int;
use crate::outbox::Status;
use crate::steps::{self, Step};
use questions::text;
use std::rc::Rc;
use step::{StepParts, Waiting};
use web_sys::Element;

pub(crate) use step::load_failed;

pub(crate) struct View {
    section: Element,
    title: Element,
    progress: Element,
    step_of: Element,
    bar: Element,
    count: Element,
    problems: Option<Element>,
    /// The step's elements (or the thank-you block), between the objections and the status line.
    body: Vec<Element>,
    step: Option<StepParts>,
    status: Element,
    status_button: Element,
    /// The sending code did not download: the message with "Try again".
    send_failed: Option<Element>,
    /// What the body shows: (done, step); `None` builds it anew.
    shown: Option<(bool, usize)>,
    shown_status: Option<Status>,
    waiting: Option<Waiting>,
}

impl View {
    pub fn new(app: &App, form: &Form) -> View {
        let title = text(app, &form.inst.def().title);
        let section = el("section", "rs-form", &[("aria-label", &title)]);
        let title = txt("h2", "rs-title", &[("tabindex", "-1")], &title);
        add(&section, &title);
        let progress = el("div", "rs-progress", &[]);
        let step_of = el("span", "", &[]);
        let bar = el("progress", "", &[]);
        let count = el("span", "rs-count", &[("aria-hidden", "true")]);
        for e in [&step_of, &bar, &count] {
            add(&progress, e);
        }
        let status = el("p", "rs-status", &[("role", "status")]);
        add(&section, &status);
        add(&app.root, &section);
        View {
            section,
            title,
            progress,
            step_of,
            bar,
            count,
            problems: None,
            body: Vec::new(),
            step: None,
            status,
            status_button: button("rs-button rs-secondary", "retry", ""),
            send_failed: None,
            shown: None,
            shown_status: None,
            waiting: None,
        }
    }

    /// Records how a part's download went; whether the body waited for it (and is to be rebuilt).
    pub fn part_loaded(&mut self, part: Part, ok: bool) -> bool {
        if self.waiting != Some(Waiting::Loading(part)) {
            return false;
        }
        self.waiting = (!ok).then_some(Waiting::Failed(part));
        self.shown = None;
        true
    }

    /// "Try again" on a part: the body is built anew, which downloads it again.
    pub fn retry_part(&mut self) {
        self.waiting = None;
        self.shown = None;
    }

    pub fn update(&mut self, app: &Rc<App>, form: &Form) {
        let (done, here) = (form.done(), form.current());
        // Checked, queued or sending: the answers stay as they are.
        let queued = form.queued() || form.queueing;
        if self.shown != Some((done, here)) {
            self.build_body(app, form, done);
            self.shown = Some((done, here));
        }
        self.update_progress(app, form, done);
        self.update_problems(app, form);
        if let Some(parts) = &self.step {
            update_step(app, form, parts, queued);
        }
        self.update_status(app, form);
        self.update_send_failed(app);
    }

    /// The sending code's failed download, which a send waits for: said where the status is, with
    /// "Try again" (as a step whose code did not download).
    fn update_send_failed(&mut self, app: &App) {
        match (app.send_failed.get(), &self.send_failed) {
            (true, None) => {
                let block = step::load_failed(app.t.part_failed, app.t, "part");
                let _ = self.section.insert_before(&block, Some(&self.status));
                self.send_failed = Some(block);
            }
            (false, Some(block)) => {
                block.remove();
                self.send_failed = None;
            }
            _ => {}
        }
    }

    fn build_body(&mut self, app: &Rc<App>, form: &Form, done: bool) {
        for e in self.body.drain(..) {
            e.remove();
        }
        // A failed download is shown until "try again", or until the respondent moves elsewhere.
        let failed = matches!(self.waiting, Some(Waiting::Failed(_))) && self.shown.is_none();
        self.step = None;
        self.waiting = if done {
            let (block, waiting) = step::done(app, form, failed);
            self.body = vec![block];
            waiting
        } else {
            let (parts, waiting) = step::step(app, form, failed);
            self.body = parts.nodes();
            self.step = Some(parts);
            waiting
        };
        for e in &self.body {
            let _ = self.section.insert_before(e, Some(&self.status));
        }
    }

    /// "Step 2 of 4" and how many questions are answered; gone once the survey is done.
    fn update_progress(&self, app: &App, form: &Form, done: bool) {
        if done {
            self.progress.remove();
            return;
        }
        if self.progress.parent_node().is_none() {
            let _ = self.title.after_with_node_1(&self.progress);
        }
        let t = app.t;
        let (answered, total) = steps::progress(&form.inst, &form.draft.answers);
        let answered_text = (t.answered_of)(answered, total);
        set_text(
            &self.step_of,
            &(t.step_of)(form.current() + 1, form.last + 1),
        );
        let _ = self.bar.set_attribute("max", &int(total as i64));
        let _ = self.bar.set_attribute("value", &int(answered as i64));
        let _ = self.bar.set_attribute("aria-label", &answered_text);
        set_text(&self.count, &answered_text);
    }

    /// The answers the server (or the core's own check) refused, rebuilt only when they change.
    fn update_problems(&mut self, app: &App, form: &Form) {
        if self.shown_status.as_ref() == Some(&form.status) {
            return;
        }
        if let Some(p) = self.problems.take() {
            p.remove();
        }
        // Objections come from the check before sending or from the server, so the sending code
        // (which lists them) is here.
        let code = on_demand::send_code();
        if let (Status::Invalid(problems), Some(code)) = (&form.status, code) {
            let block = (code.problems)(app, form, problems);
            let before = self.body.first().unwrap_or(&self.status);
            let _ = self.section.insert_before(&block, Some(before));
            self.problems = Some(block);
        }
        self.shown_status = Some(form.status.clone());
    }

    /// Where the answers are (saved here, sending, offline, retrying, refused) and a way to try now.
    fn update_status(&self, app: &App, form: &Form) {
        let t = app.t;
        let line = match (&form.status, &form.draft.delivery) {
            (_, Delivery::Sent { .. } | Delivery::AnsweredElsewhere) => None,
            (Status::Sending, _) => Some(t.sending.to_owned()),
            // Sending waits for its code (the check before it, or a queued response).
            _ if app.send_waits() && !app.send_failed.get() => Some(t.sending.to_owned()),
            (Status::Offline, _) => Some(t.offline.to_owned()),
            (Status::Retrying(s), _) => Some((t.retrying)(*s)),
            (Status::Refused(code), _) => Some((t.refused)(*code)),
            _ if !form.store.is_persistent() => Some(t.not_saved_here.to_owned()),
            _ if form.saved_once || !form.draft.answers.is_empty() => Some(t.saved_here.to_owned()),
            _ => None,
        };
        set_text(&self.status, line.as_deref().unwrap_or_default());
        let refused = matches!(form.status, Status::Refused(_));
        if refused || matches!(form.status, Status::Retrying(_)) {
            set_text(
                &self.status_button,
                if refused { t.try_again } else { t.send_now },
            );
            if self.status_button.parent_node().is_none() {
                let _ = self.status.after_with_node_1(&self.status_button);
            }
        } else {
            self.status_button.remove();
        }
    }
}

/// The step's controls, in place: answers, invalid rows, what is missing, back / next.
fn update_step(app: &App, form: &Form, parts: &StepParts, queued: bool) {
    let t = app.t;
    let here = form.current();
    for row in &parts.body.rows {
        row.update(&form.draft.answers, &form.missing);
    }
    if let Some(a) = &parts.body.alloc {
        a.update(app, form);
    }
    flag(&parts.fieldset, "disabled", queued);
    let n = form.missing.len();
    let missing = if n > 0 {
        (t.still_missing)(n)
    } else {
        String::new()
    };
    set_text(&parts.missing, &missing);
    flag(&parts.back, "disabled", here == 0 || queued);
    // The allocation lets the respondent on only when its points add up.
    let blocked =
        form.step() == Step::Allocation && !steps::allocation_ok(&form.inst, &form.draft.answers);
    flag(&parts.next, "disabled", blocked || queued);
    let label = if here == form.last {
        t.send
    } else if form.steps.get(here + 1) == Some(&Step::Review) {
        t.to_review
    } else {
        t.next
    };
    set_text(&parts.next, label);
}
