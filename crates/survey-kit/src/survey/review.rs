//! The review step: every answer by page, each page with a way back to change it.

use super::form::Form;
use crate::i18n::texts;
use crate::steps::{self, Step};
use leptos::prelude::*;
use rapport_core::Instrument;

/// The heading and the answer ids of one step, for the review.
fn group(i: &Instrument, step: Step, lang: crate::i18n::Lang, firm: &str) -> (String, Vec<String>) {
    match step {
        Step::Section(k) => {
            let sec = &i.def().sections[k];
            (
                steps::text(&sec.title, lang, firm),
                sec.items.iter().map(|it| it.id.clone()).collect(),
            )
        }
        Step::Zone(d) => {
            let rows = steps::zone_items(i, d);
            let dim = rows
                .first()
                .and_then(|r| r[0].dimension.clone())
                .unwrap_or_default();
            (
                steps::dimension_name(i, &dim, lang, firm),
                rows.iter()
                    .flat_map(|r| r.iter().map(|it| it.id.clone()))
                    .collect(),
            )
        }
        Step::Allocation | Step::Review => {
            let a = i.def().allocation.as_ref();
            (
                a.map(|a| steps::text(&a.text, lang, firm))
                    .unwrap_or_default(),
                a.map(|a| a.columns.iter().map(|c| c.id.clone()).collect())
                    .unwrap_or_default(),
            )
        }
    }
}

#[component]
pub(super) fn Review(form: Form) -> impl IntoView {
    let t = texts(form.lang);
    let (lang, firm) = (form.lang, form.firm());
    let groups = form.inst.with_value(|i| {
        form.steps.with_value(|list| {
            list.iter()
                .enumerate()
                .filter(|(_, s)| **s != Step::Review)
                .map(|(n, s)| {
                    let (heading, ids) = group(i, *s, lang, &firm);
                    let lines: Vec<(String, String)> = ids
                        .into_iter()
                        .map(|id| {
                            let label = steps::label_of(i, &id, lang, &firm);
                            (id, label)
                        })
                        .collect();
                    (n, heading, lines)
                })
                .collect::<Vec<_>>()
        })
    });
    let groups = groups
        .into_iter()
        .map(|(n, heading, lines)| {
            let change_label = format!("{}: {}", t.change, heading);
            let lines = lines
                .into_iter()
                .map(|(id, label)| {
                    let answer = move || {
                        form.draft.with(|d| {
                            d.answers
                                .get(&id)
                                .map(|v| v.to_string())
                                .unwrap_or_else(|| t.not_answered.to_owned())
                        })
                    };
                    view! {
                        <div class="rs-review-line">
                            <dt>{label}</dt>
                            <dd>{answer}</dd>
                        </div>
                    }
                })
                .collect_view();
            view! {
                <div class="rs-review">
                    <h4>{heading}</h4>
                    <dl>{lines}</dl>
                    <button type="button" class="rs-link" aria-label=change_label on:click=move |_| form.go(n)>
                        {t.change}
                    </button>
                </div>
            }
        })
        .collect_view();
    view! {
        <h3 class="rs-step-heading" tabindex="-1">{t.review_heading}</h3>
        <p class="rs-intro">{t.review_intro}</p>
        {groups}
    }
}
