//! The current step's questions: a section's ratings, a zone-of-tolerance dimension, the allocation,
//! or the review, each its own component. A section is what every survey has; the other steps only
//! some kinds have, so they come from the code loaded on demand (`on_demand.rs`).

use super::form::Form;
use super::on_demand::OnDemand;
use crate::questions::{AllocationQuestion, Pick, ScaleRow, ZoneStatement};
use crate::steps::{self, Step};
use leptos::either::Either;
use leptos::prelude::*;
use rapport_core::instrument::{Item, Shape};

/// Rebuilt only when the step changes (not on every answer), which keeps the keyboard focus.
#[component]
pub(super) fn StepView(form: Form) -> impl IntoView {
    move || match form.step() {
        Step::Section(s) => Either::Left(view! { <SectionStep form section=s /> }),
        step => Either::Right(view! { <OnDemand form part=step /> }),
    }
}

fn pick(form: Form) -> Pick {
    Callback::new(move |(item, value)| form.pick(item, value))
}

fn value_of(form: Form, id: String) -> Signal<Option<i64>> {
    Signal::derive(move || form.draft.with(|d| d.answers.get(&id).copied()))
}

/// One rating per item; a section titled like the survey has no heading of its own.
#[component]
fn SectionStep(form: Form, section: usize) -> impl IntoView {
    let section = form.inst.with_value(|i| i.def().sections[section].clone());
    let (firm, name, on_pick) = (form.firm(), form.name(), pick(form));
    let rows = section
        .items
        .into_iter()
        .map(|item| {
            let id = item.id.clone();
            let value = value_of(form, id.clone());
            let invalid = Signal::derive(move || form.missing.with(|m| m.contains(&id)));
            view! {
                <ScaleRow
                    item
                    value
                    lang=form.lang
                    firm=firm.clone()
                    prefix=name.clone()
                    invalid
                    on_pick
                />
            }
        })
        .collect_view();
    let heading = form.text(&section.title);
    let title = form.inst.with_value(|i| form.text(&i.def().title));
    let heading = (heading != title)
        .then(|| view! { <h3 class="rs-step-heading" tabindex="-1">{heading}</h3> });
    view! {
        {heading}
        <p class="rs-intro">{form.text(&section.intro)}</p>
        <div class="rs-matrix">{rows}</div>
    }
}

/// The statements of one dimension, each with its three levels side by side.
#[component]
pub(super) fn ZoneStep(form: Form, dimension: usize) -> impl IntoView {
    let lang = form.lang;
    let firm = form.firm();
    let (heading, columns, intro, rows) = form.inst.with_value(|i| {
        let dim = match i.shape() {
            Shape::Dimensional(dims) => dims[dimension].id.clone(),
            _ => String::new(),
        };
        let sections = &i.def().sections;
        let columns: Vec<String> = sections.iter().map(|s| form.text(&s.title)).collect();
        let intro: Vec<String> = sections.iter().map(|s| form.text(&s.intro)).collect();
        let rows: Vec<[Item; 3]> = steps::zone_items(i, dimension)
            .into_iter()
            .map(|r| r.map(Clone::clone))
            .collect();
        (
            steps::dimension_name(i, &dim, lang, &firm),
            columns,
            intro.join(" "),
            rows,
        )
    });
    let (name, on_pick) = (form.name(), pick(form));
    let rows = rows
        .into_iter()
        .map(|row| {
            let values = row.clone().map(|i| value_of(form, i.id));
            view! {
                <ZoneStatement
                    items=row
                    columns=columns.clone()
                    lang
                    firm=firm.clone()
                    prefix=name.clone()
                    values
                    on_pick
                />
            }
        })
        .collect_view();
    view! {
        <h3 class="rs-step-heading" tabindex="-1">{heading}</h3>
        <p class="rs-intro">{intro}</p>
        <div class="rs-matrix">{rows}</div>
    }
}

#[component]
pub(super) fn AllocationStep(form: Form) -> impl IntoView {
    let allocation = form.inst.with_value(|i| i.def().allocation.clone());
    let answers = Signal::derive(move || form.draft.with(|d| d.answers.clone()));
    allocation.map(|a| {
        view! {
            <AllocationQuestion
                allocation=a
                lang=form.lang
                firm=form.firm()
                prefix=form.name()
                answers
                on_pick=pick(form)
            />
        }
    })
}
