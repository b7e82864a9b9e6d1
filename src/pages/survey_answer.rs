//! One of the customer's survey answers, beside what the firm did about it ("you said / we did").

use crate::api;
use crate::components::loaded::Loaded;
use crate::format::use_formats;
use crate::i18n::use_i18n;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use rapport_api::SurveyAnswerDetail;
use rapport_core::Instrument;
use rapport_survey_kit::steps;

/// The answer and, when it can be loaded, its instrument (for the questions' texts). Without the
/// instrument the answers are still shown, by item id.
#[derive(Clone)]
struct AnswerView {
    detail: SurveyAnswerDetail,
    instrument: Option<Instrument>,
}

#[component]
pub fn SurveyAnswerPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let client = api::client();
    Effect::new(move |_| crate::pages::set_title(i18n.t().surveys.survey_answer_title));
    let data = LocalResource::new(move || {
        let client = client.clone();
        let id = params.read().get("id").unwrap_or_default();
        async move {
            let detail = client.survey_answer(&id).await?;
            let instrument = client
                .instrument_json(&detail.instrument.id)
                .await
                .ok()
                .and_then(|text| Instrument::from_served_json(&text).ok())
                .filter(|i| i.def().version == detail.instrument.version);
            Ok(AnswerView { detail, instrument })
        }
    });
    let render = |answer: AnswerView| view! { <AnswerBody answer /> };
    view! {
        <h1>{i18n.text(|t| t.surveys.survey_answer_title)}</h1>
        <Loaded data render />
    }
}

#[component]
fn AnswerBody(answer: AnswerView) -> impl IntoView {
    let i18n = use_i18n();
    let fmt = use_formats();
    let AnswerView { detail, instrument } = answer;
    let lang = move || i18n.lang();
    let firm = move || i18n.t().firm_name;
    let title = {
        let instrument = instrument.clone();
        let fallback = detail.title.clone();
        move || match &instrument {
            Some(i) => steps::text(&i.def().title, lang(), firm()),
            None => fallback.clone(),
        }
    };
    let received = detail.received_at.clone();
    let lines = detail
        .answers
        .iter()
        .map(|(id, value)| {
            let instrument = instrument.clone();
            let id = id.clone();
            let label = move || match &instrument {
                Some(i) => steps::label_of(i, &id, lang(), firm()),
                None => id.clone(),
            };
            view! {
                <div class="answer-line">
                    <dt>{label}</dt>
                    <dd>{*value}</dd>
                </div>
            }
        })
        .collect_view();
    let actions = detail.actions.clone();
    let no_actions = actions.is_empty();
    view! {
        <section class="card" aria-labelledby="answer-title">
            <h2 id="answer-title">{title}</h2>
            <p class="muted">{move || fmt.date(&received)}</p>
            <div class="you-said-we-did">
                <section aria-labelledby="you-said">
                    <h3 id="you-said">{i18n.text(|t| t.surveys.you_said)}</h3>
                    <dl class="answers">{lines}</dl>
                </section>
                <section aria-labelledby="we-did">
                    <h3 id="we-did">{i18n.text(|t| t.surveys.we_did)}</h3>
                    {no_actions.then(|| view! { <p>{i18n.text(|t| t.surveys.no_actions_yet)}</p> })}
                    <ul class="plain actions-done">
                        {actions
                            .into_iter()
                            .map(|a| {
                                let at = a.created_at.clone();
                                view! {
                                    <li>
                                        <p class="muted">{move || fmt.date(&at)}</p>
                                        <p>{a.text}</p>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </section>
            </div>
        </section>
    }
}
