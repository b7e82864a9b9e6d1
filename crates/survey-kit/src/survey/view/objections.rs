//! The answers the check before sending (or the server) objected to, each with a way to its step.
//! Reached only through `on_demand.rs`, with the sending code: a survey's first question does not
//! wait for it.

use crate::i18n::int;
use crate::retry::Problem;
use crate::steps;
use crate::survey::app::App;
use crate::survey::dom::{add, button, el, txt};
use crate::survey::state::Form;
use web_sys::Element;

/// Each refused answer, with a way to its step.
pub(crate) fn problems(app: &App, form: &Form, problems: &[Problem]) -> Element {
    let t = app.t;
    let block = el("div", "rs-error", &[("role", "alert")]);
    add(&block, &txt("p", "", &[], t.fix_heading));
    let list = el("ul", "", &[]);
    for p in problems {
        let label = steps::label_of(&form.inst, &p.field, app.config.lang, &app.config.firm);
        let line = [&label, ": ", (t.problem)(&p.problem), " "].concat();
        let li = txt("li", "", &[], &line);
        if let Some(to) = steps::step_of_item(&form.inst, &form.steps, &p.field) {
            add(
                &li,
                &button("rs-link", &["fix:", &int(to as i64)].concat(), t.change),
            );
        }
        add(&list, &li);
    }
    add(&block, &list);
    block
}
