//! The steps only some kinds of survey have (zone of tolerance, allocation, review) and the
//! respondent's own scores. Reached only through `on_demand.rs`, so that in the widget this code is
//! the separate download that a one-question survey never fetches.

use super::questions::{scale_row, text, StepBody};
use crate::i18n::int;
use crate::steps::{self, Step};
use crate::survey::app::App;
use crate::survey::dom::{add, el, heading, txt};
use crate::survey::state::Form;
use rapport_core::instrument::Shape;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement};

/// Builds `step` into `parent` (the step's fieldset).
pub(crate) fn step(app: &App, form: &Form, step: Step, parent: &Element) -> StepBody {
    match step {
        Step::Zone(d) => StepBody {
            rows: zone_step(app, form, d, parent),
            alloc: None,
        },
        Step::Allocation => StepBody {
            rows: Vec::new(),
            alloc: allocation_step(app, form, parent),
        },
        Step::Review => {
            super::review::review_step(app, form, parent);
            StepBody::default()
        }
        Step::Section(_) => StepBody::default(),
    }
}

/// The statements of one dimension, each with its three levels side by side, so that the respondent
/// sees the zone they are drawing.
fn zone_step(
    app: &App,
    form: &Form,
    dimension: usize,
    parent: &Element,
) -> Vec<super::questions::Row> {
    let i = &form.inst;
    let dim = match i.shape() {
        Shape::Dimensional(dims) => dims.get(dimension).map(|d| d.id.as_str()),
        _ => None,
    };
    let sections = &i.def().sections;
    let columns: Vec<String> = sections.iter().map(|s| text(app, &s.title)).collect();
    let intro: Vec<String> = sections.iter().map(|s| text(app, &s.intro)).collect();
    let name = steps::dimension_name(
        i,
        dim.unwrap_or_default(),
        app.config.lang,
        &app.config.firm,
    );
    add(parent, &heading("h3", &name, None));
    add(parent, &txt("p", "rs-intro", &[], &intro.join(" ")));
    let matrix = el("div", "rs-matrix", &[]);
    let mut rows = Vec::new();
    for row in steps::zone_items(i, dimension) {
        let statement_id = [&app.config.name, "-", &row[2].id, "-s"].concat();
        let zone = el(
            "div",
            "rs-zone",
            &[("role", "group"), ("aria-labelledby", &statement_id)],
        );
        let statement = text(app, &row[2].text);
        add(
            &zone,
            &txt("p", "rs-statement", &[("id", &statement_id)], &statement),
        );
        let cells = el("div", "rs-zone-columns", &[]);
        for (k, item) in row.into_iter().enumerate() {
            let legend = columns.get(k).map(String::as_str).unwrap_or_default();
            rows.push(scale_row(
                app,
                item,
                &cells,
                Some(legend),
                Some(&statement_id),
            ));
        }
        add(&zone, &cells);
        add(&matrix, &zone);
    }
    add(parent, &matrix);
    rows
}

/// The constant-sum question's inputs and its "points left" line, kept up to date by `update`.
pub(crate) struct Alloc {
    total: i64,
    inputs: Vec<(String, HtmlInputElement)>,
    remaining: Element,
}

impl Alloc {
    pub fn update(&self, app: &App, form: &Form) {
        let t = app.t;
        for (id, input) in &self.inputs {
            let shown = input.value().trim().parse::<i64>().ok();
            let value = form.draft.answers.get(id).copied();
            // Only when it differs, so that what is being typed (and the caret) stays.
            if shown != value {
                input.set_value(&value.map(int).unwrap_or_default());
            }
        }
        let total = self.total;
        let (line, over) = match steps::allocation_sum(&form.inst, &form.draft.answers) {
            None => ((t.points_left)(total), false),
            Some(s) if s < total => ((t.points_left)(total - s), false),
            Some(s) if s > total => ((t.points_over)(s - total), true),
            Some(_) => (t.points_done.to_owned(), false),
        };
        crate::survey::dom::set_text(&self.remaining, &line);
        self.remaining.set_class_name(if over {
            "rs-remaining rs-over"
        } else {
            "rs-remaining"
        });
    }
}

/// Points over the dimensions; the survey goes on only when they add up to the total.
fn allocation_step(app: &App, form: &Form, parent: &Element) -> Option<Alloc> {
    let a = form.inst.def().allocation.as_ref()?;
    let total = int(a.total.into());
    let heading_id = [&app.config.name, "-", &a.id, "-h"].concat();
    add(
        parent,
        &heading("h3", &text(app, &a.text), Some(&heading_id)),
    );
    // No separate rule line: the question states the total, and the live count says what is left.
    let group = el(
        "div",
        "rs-alloc",
        &[("role", "group"), ("aria-labelledby", &heading_id)],
    );
    let mut inputs = Vec::new();
    for c in &a.columns {
        let id = [&app.config.name, "-", &c.id].concat();
        let row = el("div", "rs-alloc-row", &[]);
        add(
            &row,
            &txt("label", "", &[("for", &id)], &text(app, &c.text)),
        );
        let wrap = el("span", "rs-alloc-input", &[]);
        let input = el(
            "input",
            "",
            &[
                ("type", "number"),
                ("id", &id),
                ("min", "0"),
                ("max", &total),
                ("step", "1"),
                ("inputmode", "numeric"),
                ("data-alloc", &c.id),
            ],
        );
        add(&wrap, &input);
        add(
            &wrap,
            &txt("span", "", &[("aria-hidden", "true")], app.t.points),
        );
        add(&row, &wrap);
        add(&group, &row);
        inputs.push((c.id.clone(), input.unchecked_into()));
    }
    add(parent, &group);
    let remaining = el("p", "rs-remaining", &[("aria-live", "polite")]);
    add(parent, &remaining);
    Some(Alloc {
        total: i64::from(a.total),
        inputs,
        remaining,
    })
}

/// The respondent's own scores, as the core computes them from the answers just sent.
pub(crate) fn score_table(app: &App, form: &Form, parent: &Element) {
    let i = &form.inst;
    let Ok(response) = i.validate(&form.draft.to_response(None)) else {
        return;
    };
    let scored = i.score(&response);
    let (lang, firm) = (app.config.lang, &app.config.firm);
    let table = el("table", "rs-scores", &[]);
    let note = steps::score_note(&scored.scores, lang);
    add(&table, &txt("caption", "", &[], note));
    let body = el("tbody", "", &[]);
    for (k, v) in steps::score_lines(i, &scored.scores, lang, firm) {
        let tr = el("tr", "", &[]);
        add(&tr, &txt("th", "", &[("scope", "row")], &k));
        add(&tr, &txt("td", "", &[], &v));
        add(&body, &tr);
    }
    add(&table, &body);
    add(parent, &table);
}
