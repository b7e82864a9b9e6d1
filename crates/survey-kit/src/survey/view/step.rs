//! What is built anew when the step changes: the step's fieldset with its questions, the "still
//! missing" line and the navigation, or the thank-you block; and the blocks that replace a part whose
//! code is still loading or could not be loaded.

use super::questions::{scale_row, text, StepBody};
use crate::draft::Delivery;
use crate::i18n::Texts;
use crate::steps::Step;
use crate::survey::app::App;
use crate::survey::dom::{add, button, el, heading, txt};
use crate::survey::on_demand::{self, Part};
use crate::survey::state::Form;
use std::rc::Rc;
use web_sys::Element;

/// A step on screen: its elements, and the controls `View::update` keeps up to date.
pub(crate) struct StepParts {
    pub fieldset: Element,
    pub missing: Element,
    pub back: Element,
    pub next: Element,
    pub body: StepBody,
}

impl StepParts {
    /// The elements in page order.
    pub fn nodes(&self) -> Vec<Element> {
        let nav = el("div", "rs-nav", &[]);
        add(&nav, &self.back);
        add(&nav, &self.next);
        vec![self.fieldset.clone(), self.missing.clone(), nav]
    }
}

/// How a part's code stands for the step on screen.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Waiting {
    Loading(Part),
    Failed(Part),
}

/// Builds step `here`. A step whose code is not here yet shows "loading" (and asks for the code), or
/// the failure with "try again" when `failed` says the last download failed.
pub(crate) fn step(app: &Rc<App>, form: &Form, failed: bool) -> (StepParts, Option<Waiting>) {
    let fieldset = el("fieldset", "rs-step", &[]);
    let mut waiting = None;
    let body = match form.step() {
        Step::Section(s) => section(app, form, s, &fieldset),
        other => match on_demand::steps() {
            Some(render) => render(app, form, other, &fieldset),
            None => {
                waiting = Some(placeholder(app, Part::Steps, failed, &fieldset));
                StepBody::default()
            }
        },
    };
    let parts = StepParts {
        fieldset,
        missing: el("p", "rs-missing", &[("role", "alert")]),
        back: button("rs-button rs-secondary", "back", app.t.back),
        next: button("rs-button", "next", app.t.next),
        body,
    };
    (parts, waiting)
}

/// One rating per item; a section titled like the survey has no heading of its own.
fn section(app: &App, form: &Form, s: usize, parent: &Element) -> StepBody {
    let def = form.inst.def();
    let section = &def.sections[s];
    let title = text(app, &section.title);
    if title != text(app, &def.title) {
        add(parent, &heading("h3", &title, None));
    }
    add(
        parent,
        &txt("p", "rs-intro", &[], &text(app, &section.intro)),
    );
    let matrix = el("div", "rs-matrix", &[]);
    let rows = section
        .items
        .iter()
        .map(|item| scale_row(app, item, &matrix, None, None))
        .collect();
    add(parent, &matrix);
    StepBody { rows, alloc: None }
}

/// The thank-you block, with the respondent's own scores when the host asked for them.
pub(crate) fn done(app: &Rc<App>, form: &Form, failed: bool) -> (Element, Option<Waiting>) {
    let t = app.t;
    let elsewhere = form.draft.delivery == Delivery::AnsweredElsewhere;
    let block = el("div", "rs-done", &[]);
    add(&block, &heading("h3", t.thanks_heading, None));
    let body = if elsewhere {
        t.elsewhere
    } else {
        t.thanks_body
    };
    add(&block, &txt("p", "", &[], body));
    let mut waiting = None;
    if app.config.show_scores && !elsewhere {
        match on_demand::scores() {
            Some(render) => render(app, form, &block),
            None => waiting = Some(placeholder(app, Part::Scores, failed, &block)),
        }
    }
    (block, waiting)
}

fn placeholder(app: &Rc<App>, part: Part, failed: bool, parent: &Element) -> Waiting {
    if failed {
        add(parent, &load_failed(app.t.part_failed, app.t, "part"));
        Waiting::Failed(part)
    } else {
        add(parent, &loading(app.t));
        on_demand::need(app, part);
        Waiting::Loading(part)
    }
}

pub(crate) fn loading(t: &Texts) -> Element {
    txt("p", "rs-note", &[("role", "status")], t.loading)
}

/// What could not be loaded (the survey, or a step's code), with a button that tries again.
pub(crate) fn load_failed(message: &str, t: &Texts, act: &str) -> Element {
    let block = el("div", "rs-error", &[("role", "alert")]);
    add(&block, &txt("p", "", &[], message));
    add(&block, &button("rs-button", act, t.try_again));
    block
}
