//! The review step: every answer by page, each page with a way back to change it. Loaded on demand
//! with the other steps only some kinds of survey have (see `more.rs`).

use super::questions::text;
use crate::i18n::int;
use crate::steps::{self, Step};
use crate::survey::app::App;
use crate::survey::dom::{add, button, el, heading, txt};
use crate::survey::state::Form;
use web_sys::Element;

/// The heading and the answer ids of one step, for the review.
fn group(app: &App, form: &Form, step: Step) -> (String, Vec<String>) {
    let i = &form.inst;
    match step {
        Step::Section(k) => {
            let sec = &i.def().sections[k];
            let ids = sec.items.iter().map(|it| it.id.clone()).collect();
            (text(app, &sec.title), ids)
        }
        Step::Zone(d) => {
            let rows = steps::zone_items(i, d);
            let dim = rows.first().and_then(|r| r[0].dimension.as_deref());
            let ids = rows
                .iter()
                .flat_map(|r| r.iter().map(|it| it.id.clone()))
                .collect();
            let name = steps::dimension_name(
                i,
                dim.unwrap_or_default(),
                app.config.lang,
                &app.config.firm,
            );
            (name, ids)
        }
        Step::Allocation | Step::Review => match &i.def().allocation {
            Some(a) => (
                text(app, &a.text),
                a.columns.iter().map(|c| c.id.clone()).collect(),
            ),
            None => Default::default(),
        },
    }
}

/// Every answer by page, each page with a way back to it. Built anew each time the step opens.
pub(super) fn review_step(app: &App, form: &Form, parent: &Element) {
    let t = app.t;
    add(parent, &heading("h3", t.review_heading, None));
    add(parent, &txt("p", "rs-intro", &[], t.review_intro));
    let pages = form.steps.iter().enumerate();
    for (n, step) in pages.filter(|(_, s)| **s != Step::Review) {
        let (title, ids) = group(app, form, *step);
        let block = el("div", "rs-review", &[]);
        add(&block, &txt("h4", "", &[], &title));
        let list = el("dl", "", &[]);
        for id in ids {
            let line = el("div", "rs-review-line", &[]);
            let label = steps::label_of(&form.inst, &id, app.config.lang, &app.config.firm);
            add(&line, &txt("dt", "", &[], &label));
            let answer = form.draft.answers.get(&id).copied().map(int);
            let shown = answer.as_deref().unwrap_or(t.not_answered);
            add(&line, &txt("dd", "", &[], shown));
            add(&list, &line);
        }
        add(&block, &list);
        let change = button("rs-link", &["go:", &int(n as i64)].concat(), t.change);
        let _ = change.set_attribute("aria-label", &[t.change, ": ", &title].concat());
        add(&block, &change);
        add(parent, &block);
    }
}
