//! The rating row: one native radio group per item (also the single 0–10 / 1–5 / 1–7 question), used
//! by sections and by the zone of tolerance.
//!
//! Native radio groups inside fieldsets give keyboard use (Tab between rows, arrow keys within one)
//! and screen-reader support without re-implementing ARIA widgets. Each radio is named by its row and
//! its column (`aria-labelledby`), so "3" is never read without the statement it belongs to.

use super::more::Alloc;
use crate::i18n::int;
use crate::steps;
use crate::survey::app::App;
use crate::survey::dom::{add, el, opt_attr, txt};
use rapport_core::instrument::Item;
use rapport_core::VecMap;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement};

/// A rendered row: what `update` changes in place (checked radio, invalid mark).
pub(crate) struct Row {
    id: String,
    fieldset: Element,
    inputs: Vec<(i64, HtmlInputElement)>,
}

impl Row {
    pub fn update(&self, answers: &VecMap<String, i64>, missing: &[String]) {
        let invalid = missing.contains(&self.id);
        self.fieldset.set_class_name(if invalid {
            "rs-row rs-invalid"
        } else {
            "rs-row"
        });
        opt_attr(&self.fieldset, "aria-invalid", invalid.then_some("true"));
        let value = answers.get(&self.id).copied();
        for (n, input) in &self.inputs {
            input.set_checked(value == Some(*n));
        }
    }
}

/// The controls of a step's body that follow the state.
#[derive(Default)]
pub(crate) struct StepBody {
    pub rows: Vec<Row>,
    pub alloc: Option<Alloc>,
}

/// An instrument text in the survey's language, with the firm's name.
pub(crate) fn text(app: &App, t: &rapport_core::instrument::Texts) -> String {
    steps::text(t, app.config.lang, &app.config.firm)
}

/// One rated item, appended to `parent`. `legend` replaces the item's text (zone columns);
/// `context_id` names an element whose text is read before it (the zone statement).
pub(crate) fn scale_row(
    app: &App,
    item: &Item,
    parent: &Element,
    legend: Option<&str>,
    context_id: Option<&str>,
) -> Row {
    let base = [&app.config.name, "-", &item.id].concat();
    let legend_id = [&base, "-q"].concat();
    let labels = &item.scale.labels;
    let ends = labels
        .get(app.config.lang.tag())
        .or_else(|| labels.get("en"));
    let (low, high) = ends
        .map(|e| (e.min.as_str(), e.max.as_str()))
        .unwrap_or_default();
    let fieldset = el(
        "fieldset",
        "rs-row",
        &[("role", "radiogroup"), ("aria-labelledby", &legend_id)],
    );
    let shown = legend.map_or_else(|| text(app, &item.text), str::to_owned);
    add(&fieldset, &txt("legend", "", &[("id", &legend_id)], &shown));
    let options = el("div", "rs-options", &[]);
    let mut inputs = Vec::new();
    for n in item.scale.min..=item.scale.max {
        let value = int(n.into());
        let id = [&base, "-", &value].concat();
        let label_id = [&id, "-l"].concat();
        let labelled_by = match context_id {
            Some(c) => [c, " ", &legend_id, " ", &label_id].concat(),
            None => [&legend_id, " ", &label_id].concat(),
        };
        let input = el(
            "input",
            "",
            &[
                ("type", "radio"),
                ("id", &id),
                ("name", &base),
                ("value", &value),
                ("data-item", &item.id),
                ("aria-labelledby", &labelled_by),
            ],
        );
        let label = txt("label", "", &[("for", &id), ("id", &label_id)], &value);
        // The ends' words are read with their number, and shown once under the row.
        let end = if n == item.scale.min {
            Some(low)
        } else if n == item.scale.max {
            Some(high)
        } else {
            None
        };
        if let Some(end) = end {
            add(&label, &txt("span", "rs-sr", &[], &[" ", end].concat()));
        }
        let option = el("span", "rs-option", &[]);
        add(&option, &input);
        add(&option, &label);
        add(&options, &option);
        inputs.push((i64::from(n), input.unchecked_into()));
    }
    add(&fieldset, &options);
    let ends = el("p", "rs-ends", &[("aria-hidden", "true")]);
    add(&ends, &txt("span", "", &[], low));
    add(&ends, &txt("span", "", &[], high));
    add(&fieldset, &ends);
    add(parent, &fieldset);
    Row {
        id: item.id.clone(),
        fieldset,
        inputs,
    }
}
