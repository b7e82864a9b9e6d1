//! The thank-you step, with the respondent's own scores when the host asked for them (their code is
//! loaded on demand: see `on_demand.rs`).

use super::form::Form;
use super::on_demand::{OnDemand, Part};
use crate::draft::Delivery;
use crate::i18n::texts;
use crate::steps;
use leptos::prelude::*;

#[component]
pub(super) fn Done(form: Form) -> impl IntoView {
    let t = texts(form.lang);
    let elsewhere = form
        .draft
        .with_untracked(|d| d.delivery == Delivery::AnsweredElsewhere);
    let show_scores = form.config.with_value(|c| c.show_scores);
    let scores = (show_scores && !elsewhere).then(|| view! { <OnDemand form part=Part::Scores /> });
    view! {
        <div class="rs-done">
            <h3 class="rs-step-heading" tabindex="-1">{t.thanks_heading}</h3>
            <p>{if elsewhere { t.elsewhere } else { t.thanks_body }}</p>
            {scores}
        </div>
    }
}

/// The respondent's own scores, as the core computes them from the answers just sent.
#[component]
pub(super) fn ScoreTable(form: Form) -> impl IntoView {
    let lang = form.lang;
    let d = form.draft.get_untracked();
    let firm = form.firm();
    let scores = form.inst.with_value(|i| {
        let r = i.validate(&d.to_response(None)).ok()?;
        let s = i.score(&r);
        Some((
            steps::score_note(&s.scores, lang),
            steps::score_lines(i, &s.scores, lang, &firm),
        ))
    });
    scores.map(|(note, lines)| {
        let rows = lines
            .into_iter()
            .map(|(k, v)| view! { <tr><th scope="row">{k}</th><td>{v}</td></tr> })
            .collect_view();
        view! {
            <table class="rs-scores">
                <caption>{note}</caption>
                <tbody>{rows}</tbody>
            </table>
        }
    })
}
