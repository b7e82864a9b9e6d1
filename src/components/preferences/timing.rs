//! When messages may come: quiet hours, preferred days, the customer's time zone and a pause.

use super::problem_for;
use crate::i18n::use_i18n;
use leptos::prelude::*;
use rapport_api::{FieldError, Preferences, QuietHours, Weekday};

#[component]
pub fn Timing(draft: RwSignal<Preferences>, problems: RwSignal<Vec<FieldError>>) -> impl IntoView {
    let i18n = use_i18n();
    let quiet_on = move || draft.read().quiet_hours.is_some();
    view! {
        <fieldset>
            <legend>{i18n.text(|t| t.preferences.timing_title)}</legend>
            <div class="choice">
                <input
                    type="checkbox"
                    id="quiet"
                    prop:checked=quiet_on
                    on:change:target=move |ev| {
                        let on = ev.target().checked();
                        draft.update(|d| {
                            d.quiet_hours = on.then(|| QuietHours { start: "21:00".into(), end: "08:00".into() });
                        });
                    }
                />
                <label for="quiet">{i18n.text(|t| t.preferences.quiet_hours_enable)}</label>
            </div>
            <Show when=quiet_on>
                <div class="filter-row">
                    <QuietTime draft problems end=false />
                    <QuietTime draft problems end=true />
                </div>
            </Show>
            <PreferredDays draft />
            <div class="filter-row">
                <div class="field">
                    <label for="tz">{i18n.text(|t| t.preferences.time_zone)}</label>
                    <input
                        id="tz"
                        prop:value=move || draft.read().time_zone.clone()
                        on:change:target=move |ev| draft.update(|d| d.time_zone = ev.target().value())
                    />
                </div>
                <div class="field">
                    <label for="pause">{i18n.text(|t| t.preferences.pause_until)}</label>
                    <input
                        id="pause"
                        type="date"
                        aria-describedby="pause-hint pause-problem"
                        prop:value=move || draft.read().paused_until.clone().unwrap_or_default()
                        on:change:target=move |ev| draft.update(|d| {
                            d.paused_until = Some(ev.target().value()).filter(|v| !v.is_empty());
                        })
                    />
                    <p id="pause-hint" class="hint">{i18n.text(|t| t.preferences.pause_hint)}</p>
                    <p id="pause-problem" class="field-problem">{problem_for(problems, "preferences.paused_until")}</p>
                </div>
            </div>
        </fieldset>
    }
}

/// The start (`end == false`) or the end of the quiet hours.
#[component]
fn QuietTime(
    draft: RwSignal<Preferences>,
    problems: RwSignal<Vec<FieldError>>,
    end: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let (id, field, label): (_, _, fn(&crate::i18n::Texts) -> &'static str) = if end {
        ("quiet-end", "preferences.quiet_hours.end", |t| {
            t.preferences.quiet_until
        })
    } else {
        ("quiet-start", "preferences.quiet_hours.start", |t| {
            t.preferences.quiet_from
        })
    };
    let value = move || {
        draft
            .read()
            .quiet_hours
            .as_ref()
            .map(|q| if end { q.end.clone() } else { q.start.clone() })
            .unwrap_or_default()
    };
    let problem_id = format!("{id}-problem");
    view! {
        <div class="field">
            <label for=id>{i18n.text(label)}</label>
            <input
                id=id
                type="time"
                aria-describedby=problem_id.clone()
                prop:value=value
                on:change:target=move |ev| draft.update(|d| {
                    if let Some(q) = d.quiet_hours.as_mut() {
                        let time = ev.target().value();
                        if end { q.end = time } else { q.start = time }
                    }
                })
            />
            <p id=problem_id class="field-problem">{problem_for(problems, field)}</p>
        </div>
    }
}

#[component]
fn PreferredDays(draft: RwSignal<Preferences>) -> impl IntoView {
    let i18n = use_i18n();
    let days = Weekday::ALL
        .into_iter()
        .map(|day| {
            let id = format!("day-{day:?}").to_lowercase();
            view! {
                <span class="choice">
                    <input
                        type="checkbox"
                        id=id.clone()
                        prop:checked=move || draft.read().preferred_days.contains(&day)
                        on:change:target=move |ev| {
                            let on = ev.target().checked();
                            draft.update(|d| {
                                d.preferred_days.retain(|x| *x != day);
                                if on {
                                    d.preferred_days.push(day);
                                    d.preferred_days.sort();
                                }
                            });
                        }
                    />
                    <label for=id>{move || (i18n.t().preferences.weekday)(day)}</label>
                </span>
            }
        })
        .collect_view();
    view! {
        <fieldset class="kinds">
            <legend>{i18n.text(|t| t.preferences.preferred_days)}</legend>
            {days}
        </fieldset>
    }
}
