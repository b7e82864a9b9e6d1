//! The form for a return, complaint or warranty claim about one order.

use crate::api::{self, ApiError};
use crate::components::error_panel::{clear_on_reauth, message, save_failure};
use crate::components::loaded::Loaded;
use crate::components::save::Save;
use crate::i18n::use_i18n;
use crate::model::attempt::Attempt;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use rapport_api::{FieldError, NewServiceRequest, OrderDetail, RequestKind};
use rapport_survey_kit::transport;

pub const REASON_MAX: usize = 200;
pub const DESCRIPTION_MAX: usize = 4000;

/// Checks the form before sending, with the same rules as the server, so most mistakes are shown at once.
pub fn validate(reason: &str, description: &str) -> Vec<FieldError> {
    let mut problems = Vec::new();
    let mut problem = |field: &str, problem: &str| {
        problems.push(FieldError {
            field: field.into(),
            problem: problem.into(),
        })
    };
    if reason.trim().is_empty() {
        problem("reason", "required");
    } else if reason.chars().count() > REASON_MAX {
        problem("reason", "too_long");
    }
    if description.chars().count() > DESCRIPTION_MAX {
        problem("description", "too_long");
    }
    problems
}

#[component]
pub fn NewRequestPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let order_id = Memo::new(move |_| {
        query
            .read()
            .get("order")
            .and_then(|v| v.parse::<i64>().ok())
    });
    let kind = RwSignal::new(
        query
            .read_untracked()
            .get("kind")
            .and_then(|k| RequestKind::parse(&k))
            .unwrap_or(RequestKind::Return),
    );
    let client = api::client();
    let data = LocalResource::new(move || {
        let client = client.clone();
        let id = order_id.get();
        async move {
            match id {
                Some(id) => client.order(id).await,
                None => Err(ApiError::NotFound),
            }
        }
    });
    Effect::new(move |_| crate::pages::set_title(i18n.t().requests.new_request_title));
    let render = move |order: OrderDetail| view! { <RequestForm order kind /> };
    view! {
        <h1>{i18n.text(|t| t.requests.new_request_title)}</h1>
        {move || match order_id.get() {
            Some(_) => Either::Left(view! { <Loaded data render /> }),
            None => Either::Right(view! {
                <p>{i18n.text(|t| t.requests.choose_order_first)}</p>
                <p><A href="/history?kind=order">{i18n.text(|t| t.requests.go_to_orders)}</A></p>
            }),
        }}
    }
}

#[component]
fn RequestForm(order: OrderDetail, kind: RwSignal<RequestKind>) -> impl IntoView {
    let i18n = use_i18n();
    let client = api::client();
    let navigate = use_navigate();
    let items = RwSignal::new(Vec::<i64>::new());
    let reason = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    // Problems found here before sending, then the server's.
    let problems = RwSignal::new(Vec::<FieldError>::new());
    let order_id = order.order.id;
    let send = Save::new();
    let attempt = StoredValue::new(Attempt::default());
    clear_on_reauth(send.value());
    let pending = send.pending();
    let failure = move || save_failure(send.value().read().as_ref(), pending.get());

    let problem_for = move |field: &'static str| {
        move || {
            problems
                .read()
                .iter()
                .find(|p| p.field == field)
                .map(|p| (i18n.t().field_problem)(&p.problem))
        }
    };
    let invalid = move |field: &'static str| {
        move || {
            problems
                .read()
                .iter()
                .any(|p| p.field == field)
                .then_some("true")
        }
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let local = validate(&reason.get_untracked(), &description.get_untracked());
        problems.set(local.clone());
        send.clear();
        if !local.is_empty() {
            focus_first_invalid();
            return;
        }
        let request = NewServiceRequest {
            kind: kind.get_untracked(),
            order_id,
            item_ids: items.get_untracked(),
            reason: reason.get_untracked().trim().to_owned(),
            description: description.get_untracked(),
        };
        let key = attempt
            .try_update_value(|a| a.key_for(&request, transport::new_key))
            .unwrap_or_else(transport::new_key);
        let (client, navigate) = (client.clone(), navigate.clone());
        send.run(async move {
            match client.create_request(&request, &key).await {
                Ok(_) => {
                    navigate("/requests?sent=1", Default::default());
                    Ok(())
                }
                Err(error) => {
                    if let ApiError::Rejected { fields, .. } = &error {
                        problems.set(fields.clone());
                        focus_first_invalid();
                    }
                    // A 401 opens the sign-in dialog over this form; everything typed stays.
                    Err(error)
                }
            }
        });
    };

    view! {
        <form class="card" on:submit=submit novalidate>
            <p class="lead">{
                let number = order.order.number.clone();
                move || (i18n.t().orders.order_title)(&number)
            }</p>
            <fieldset>
                <legend>{i18n.text(|t| t.requests.request_type)}</legend>
                {RequestKind::ALL
                    .into_iter()
                    .map(|k| {
                        let id = format!("kind-{}", k.as_str());
                        view! {
                            <div class="choice">
                                <input
                                    type="radio"
                                    name="kind"
                                    id=id.clone()
                                    prop:checked=move || kind.get() == k
                                    on:change=move |_| kind.set(k)
                                />
                                <label for=id>{move || (i18n.t().requests.request_kind)(k)}</label>
                            </div>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <fieldset aria-describedby="items-hint">
                <legend>{i18n.text(|t| t.requests.which_items)}</legend>
                <p id="items-hint" class="hint">{i18n.text(|t| t.requests.which_items_hint)}</p>
                {order
                    .items
                    .iter()
                    .map(|item| {
                        let id = format!("item-{}", item.id);
                        let item_id = item.id;
                        view! {
                            <div class="choice">
                                <input
                                    type="checkbox"
                                    id=id.clone()
                                    prop:checked=move || items.read().contains(&item_id)
                                    on:change:target=move |ev| {
                                        let on = ev.target().checked();
                                        items.update(|list| {
                                            list.retain(|i| *i != item_id);
                                            if on {
                                                list.push(item_id);
                                            }
                                        });
                                    }
                                />
                                <label for=id>{item.name.clone()} " × " {item.quantity}</label>
                            </div>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <div class="field">
                <label for="reason">{i18n.text(|t| t.requests.reason)}</label>
                <input
                    id="reason"
                    name="reason"
                    maxlength=REASON_MAX
                    aria-invalid=invalid("reason")
                    aria-describedby="reason-problem"
                    prop:value=move || reason.get()
                    on:input:target=move |ev| reason.set(ev.target().value())
                />
                <p id="reason-problem" class="field-problem">{problem_for("reason")}</p>
            </div>
            <div class="field">
                <label for="description">{i18n.text(|t| t.requests.description)}</label>
                <textarea
                    id="description"
                    name="description"
                    rows="6"
                    aria-invalid=invalid("description")
                    aria-describedby="description-count description-problem"
                    prop:value=move || description.get()
                    on:input:target=move |ev| description.set(ev.target().value())
                ></textarea>
                <p id="description-count" class="hint">{move || {
                    let left = DESCRIPTION_MAX.saturating_sub(description.read().chars().count());
                    (i18n.t().requests.characters_left)(left)
                }}</p>
                <p id="description-problem" class="field-problem">{problem_for("description")}</p>
            </div>
            <p class="form-problem" role="alert">
                {move || (!problems.read().is_empty()).then(|| i18n.t().form_has_problems)}
                {move || failure().map(|e| message(i18n.t(), &e))}
            </p>
            <button type="submit" class="primary" aria-disabled=move || pending.get().then_some("true")>
                {move || if pending.get() { i18n.t().requests.sending } else { i18n.t().requests.send_request }}
            </button>
        </form>
    }
}

/// Moves focus to the first field marked invalid, so keyboard and screen-reader users land on it.
fn focus_first_invalid() {
    leptos::prelude::request_animation_frame(|| {
        let field = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector("[aria-invalid='true']").ok().flatten());
        if let Some(field) =
            field.and_then(|f| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(f).ok())
        {
            let _ = field.focus();
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reason_is_required_and_lengths_are_capped() {
        let fields = |v: Vec<FieldError>| {
            v.into_iter()
                .map(|f| (f.field, f.problem))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            fields(validate("  ", "")),
            vec![("reason".into(), "required".into())]
        );
        assert_eq!(
            fields(validate(&"é".repeat(201), "")),
            vec![("reason".into(), "too_long".into())]
        );
        assert!(validate(&"é".repeat(200), &"x".repeat(4000)).is_empty());
        assert_eq!(
            fields(validate("ok", &"x".repeat(4001))),
            vec![("description".into(), "too_long".into())]
        );
    }
}
