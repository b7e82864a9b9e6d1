//! A survey inside the portal: the survey kit's own survey (the one the widget embeds), talking to
//! the same API with the customer's session, so the answers are linked to the customer.

use crate::components::survey_mount::SurveyMount;
use crate::i18n::use_i18n;
use crate::session::{survey_context, use_session, SessionState, SURVEY_ENDPOINT};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};
use rapport_survey_kit::{SurveyConfig, SurveyEvent};

#[component]
pub fn SurveyPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let session = use_session();
    let query = use_query_map();
    Effect::new(move |_| crate::pages::set_title(i18n.t().surveys.survey_page_title));
    let config = Memo::new(move |_| {
        let t = i18n.t();
        SurveyConfig {
            endpoint: SURVEY_ENDPOINT.into(),
            instrument: params.read().get("instrument").unwrap_or_default(),
            lang: i18n.0.get(),
            name: "portal-survey".into(),
            // Per customer: on a shared device one customer's draft is never shown to another.
            context: match (session.0.get(), query.read().get("invitation")) {
                (SessionState::SignedIn(p) | SessionState::Expired(p), Some(inv)) => {
                    format!("{}:{inv}", survey_context(p.id))
                }
                (SessionState::SignedIn(p) | SessionState::Expired(p), None) => {
                    survey_context(p.id)
                }
                _ => "portal".into(),
            },
            invitation: query.read().get("invitation"),
            firm: t.firm_name.into(),
            show_scores: true,
            segment: None,
        }
    });
    // The server refuses (401) an answer sent with a session that has ended, rather than storing it as
    // anonymous: the portal then asks for the password over the page. Once signed in again, the survey
    // is mounted afresh; its outbox still holds the refused answer and sends it under the same key.
    let refused_for_session = StoredValue::new(false);
    let remount = RwSignal::new(0_u32);
    let on_event = Callback::new(move |event: SurveyEvent| {
        if matches!(&event, SurveyEvent::Error { code, .. } if code == "http_401") {
            refused_for_session.set_value(true);
            session.expired();
        }
    });
    Effect::new(move |_| {
        if matches!(session.0.get(), SessionState::SignedIn(_)) && refused_for_session.get_value() {
            refused_for_session.set_value(false);
            remount.update(|n| *n += 1);
        }
    });
    view! {
        <section class="card" aria-labelledby="survey-page-title">
            <h1 id="survey-page-title">{i18n.text(|t| t.surveys.survey_page_title)}</h1>
            // A new language or instrument mounts a new survey; the saved draft carries the answers over.
            <SurveyMount config remount on_event />
            <p><A href="/">{i18n.text(|t| t.surveys.back_to_overview)}</A></p>
        </section>
    }
}
