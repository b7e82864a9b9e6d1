//! Staff: one customer's relationship phase (and why), open invitations, and survey answers, with a way
//! to record what the firm did about an answer, which the customer then sees beside it.

use crate::api;
use crate::components::code_label::CodeLabel;
use crate::components::error_panel::{clear_on_reauth, message, save_failure};
use crate::components::invite_button::InviteButton;
use crate::components::loaded::id_param;
use crate::components::save::Save;
use crate::format::use_formats;
use crate::i18n::use_i18n;
use crate::model::labels::Label;
use crate::model::phase_reason;
use crate::pages::staff::StaffOnly;
use leptos::prelude::*;
use rapport_api::{ApiError, StaffCustomerDetail, StaffResponse, SurveyAction};

#[component]
pub fn StaffCustomerPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = id_param("id");
    let client = api::client();
    Effect::new(move |_| crate::pages::set_title(i18n.t().staff.staff_title));
    let data = LocalResource::new(move || {
        let client = client.clone();
        let id = id.get();
        async move {
            match id {
                Some(id) => client.staff_customer(id).await,
                None => Err(ApiError::NotFound),
            }
        }
    });
    let render = |detail: StaffCustomerDetail| view! { <CustomerBody detail /> };
    view! { <StaffOnly data render /> }
}

/// A phase reason in the reader's language; a reason this portal cannot read is shown as sent, marked.
fn reason_label(code: String, detail: String) -> Signal<Label> {
    let i18n = use_i18n();
    let facts = phase_reason::parse(&code, &detail);
    Signal::derive(move || match &facts {
        Some(facts) => Label::Plain((i18n.t().staff.phase_reason)(facts)),
        None => Label::Untranslated(detail.clone()),
    })
}

#[component]
fn CustomerBody(detail: StaffCustomerDetail) -> impl IntoView {
    let i18n = use_i18n();
    let phase = detail.relationship.phase;
    let reasons = detail
        .relationship
        .reasons
        .iter()
        .map(|r| {
            let label = reason_label(r.code.clone(), r.detail.clone());
            view! { <li data-code=r.code.clone()><CodeLabel label /></li> }
        })
        .collect_view();
    let invitations = detail
        .invitations
        .iter()
        .map(|inv| {
            let instrument = inv.instrument.clone();
            let trigger = inv.trigger;
            let number = inv.order_number.clone();
            view! {
                <li>
                    {move || (i18n.t().surveys.invitation_label)(&instrument)} " · "
                    {move || (i18n.t().surveys.invitation_reason)(trigger, number.as_deref())}
                </li>
            }
        })
        .collect_view();
    let no_responses = detail.responses.is_empty();
    let responses = detail
        .responses
        .into_iter()
        .map(|response| view! { <ResponseCard response /> })
        .collect_view();
    view! {
        <h1>{detail.name.clone()}</h1>
        <p class="muted">{detail.email.clone()}</p>
        <InviteButton customer=detail.id />
        <section class="card" aria-labelledby="phase">
            <h2 id="phase">{i18n.text(|t| t.staff.staff_phase)} ": " {move || (i18n.t().overview.phase_name)(phase)}</h2>
            <h3>{i18n.text(|t| t.staff.staff_reasons)}</h3>
            <ul>{reasons}</ul>
        </section>
        <section class="card" aria-labelledby="open-invitations">
            <h2 id="open-invitations">{i18n.text(|t| t.staff.staff_open_invitations)}</h2>
            <ul>{invitations}</ul>
        </section>
        <section class="card" aria-labelledby="responses">
            <h2 id="responses">{i18n.text(|t| t.staff.staff_responses)}</h2>
            {no_responses.then(|| view! { <p>{i18n.text(|t| t.staff.staff_no_responses)}</p> })}
            {responses}
        </section>
    }
}

#[component]
fn ResponseCard(response: StaffResponse) -> impl IntoView {
    let i18n = use_i18n();
    let fmt = use_formats();
    let client = api::client();
    let actions = RwSignal::new(response.actions.clone());
    let text = RwSignal::new(String::new());
    let field_id = format!("action-{}", response.id);
    let heading_id = format!("response-{}", response.id);
    let labelled_by = heading_id.clone();
    let response_id = response.id.clone();
    let received = response.received_at.clone();
    let add = Save::new();
    clear_on_reauth(add.value());
    let pending = add.pending();
    // The confirmation goes as soon as the next note is being typed.
    let saved = move || !pending.get() && matches!(add.value().read().as_ref(), Some(Ok(())));
    let error = move || save_failure(add.value().read().as_ref(), pending.get());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (client, id, value) = (client.clone(), response_id.clone(), text.get_untracked());
        add.run(async move {
            let action = client.add_survey_action(&id, value).await?;
            actions.update(|a: &mut Vec<SurveyAction>| a.push(action));
            text.set(String::new());
            Ok(())
        });
    };
    view! {
        <article class="staff-response" aria-labelledby=labelled_by>
            <h3 id=heading_id>
                {response.title.clone()}
                {response.headline.clone().map(|h| view! { " · " <span>{h}</span> })}
            </h3>
            <p class="muted">{move || fmt.date(&received)}</p>
            <ul class="plain actions-done">
                {move || actions.get().into_iter().map(|a| view! { <li>{a.text}</li> }).collect_view()}
            </ul>
            <form on:submit=submit>
                <label for=field_id.clone()>{i18n.text(|t| t.staff.staff_action_label)}</label>
                <textarea
                    id=field_id
                    rows="3"
                    maxlength="2000"
                    required
                    prop:value=move || text.get()
                    on:input=move |ev| {
                        add.clear();
                        text.set(event_target_value(&ev));
                    }
                ></textarea>
                <div class="actions">
                    <button type="submit" aria-disabled=move || pending.get().then_some("true")>{i18n.text(|t| t.staff.staff_action_save)}</button>
                </div>
                <p role="status">{move || saved().then(|| i18n.t().staff.staff_action_saved)}</p>
                <p role="alert">{move || error().map(|e| message(i18n.t(), &e))}</p>
            </form>
        </article>
    }
}
