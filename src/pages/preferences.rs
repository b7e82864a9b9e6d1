//! The preference centre: what the firm may send, how often and when; proof of every change; data rights.

use crate::api::{self, ApiError};
use crate::components::consent_changes::{ConsentChanges, RecordedChanges};
use crate::components::consent_matrix::ConsentMatrix;
use crate::components::error_panel::{clear_on_reauth, message};
use crate::components::loaded::Loaded;
use crate::download::download;
use crate::format::{use_formats, CustomerZone};
use crate::i18n::use_i18n;
use crate::model::preferences::{any_marketing, is_time, reapply, unsubscribe_all};
use leptos::either::Either;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use rapport_api::{
    CapPeriod, Channel, ConsentContext, ConsentRecord, FieldError, FrequencyCap, NewContactPoint,
    Notice, Preferences, PreferencesUpdate, QuietHours, Topic, Weekday,
};

const PAGE: &str = "/preferences";

/// `navigator.globalPrivacyControl`, read without assuming the browser has it.
pub fn gpc_enabled() -> bool {
    web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w.navigator(), &"globalPrivacyControl".into()).ok())
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

/// A cap as the value of its `<select>`: `""`, `2w`, `1m`.
fn cap_value(cap: Option<&FrequencyCap>) -> String {
    match cap {
        Some(c) => format!(
            "{}{}",
            c.max,
            if c.per == CapPeriod::Week { "w" } else { "m" }
        ),
        None => String::new(),
    }
}

fn parse_cap(topic: Topic, value: &str) -> Option<FrequencyCap> {
    let (n, per) = value.split_at(value.len().checked_sub(1)?);
    let per = match per {
        "w" => CapPeriod::Week,
        "m" => CapPeriod::Month,
        _ => return None,
    };
    Some(FrequencyCap {
        topic,
        max: n.parse().ok().filter(|n| (1..=50).contains(n))?,
        per,
    })
}

const CAP_CHOICES: [(u32, bool); 6] = [
    (1, true),
    (2, true),
    (3, true),
    (1, false),
    (2, false),
    (4, false),
];

#[component]
pub fn PreferencesPage() -> impl IntoView {
    let i18n = use_i18n();
    let client = api::client();
    // Bumped after every save so that the consent history reloads.
    let saves = RwSignal::new(0u32);
    let data = LocalResource::new({
        let client = client.clone();
        move || {
            let client = client.clone();
            async move { client.preferences().await }
        }
    });
    let notice = LocalResource::new({
        let client = client.clone();
        move || {
            let client = client.clone();
            let lang = i18n.lang().tag();
            async move { client.notice(lang).await }
        }
    });
    Effect::new(move |_| crate::pages::set_title(i18n.t().prefs_title));
    // From now on every date and time in the portal is shown in the customer's own zone.
    let zone = use_context::<CustomerZone>().unwrap_or_default();
    Effect::new(move |_| {
        if let Some(Ok((prefs, _))) = data.get() {
            zone.0.set(Some(prefs.time_zone.clone()));
        }
    });
    let render = move |(prefs, etag): (Preferences, Option<String>)| {
        view! { <PreferencesForm prefs etag notice saves /> }
    };
    view! {
        <h1>{i18n.text(|t| t.prefs_title)}</h1>
        <p class="lead">{i18n.text(|t| t.prefs_intro)}</p>
        <Loaded data render />
        <ConsentHistory saves />
        <DataRights />
    }
}

#[component]
fn PreferencesForm(
    prefs: Preferences,
    etag: Option<String>,
    notice: LocalResource<Result<Notice, ApiError>>,
    saves: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let client = api::client();
    let gpc = gpc_enabled();
    let base = RwSignal::new(prefs.clone());
    let draft = RwSignal::new(prefs);
    let etag = RwSignal::new(etag.unwrap_or_default());
    let problems = RwSignal::new(Vec::<FieldError>::new());
    let failure = RwSignal::new(None::<ApiError>);
    clear_on_reauth(failure);
    let status = RwSignal::new(None::<&'static str>);
    let pending = RwSignal::new(false);
    // What the matrix looked like before "unsubscribe all", for the undo.
    let before_unsubscribe = RwSignal::new(None::<Preferences>);

    let save = {
        let client = client.clone();
        move |control: &'static str, next: Preferences| {
            if pending.get_untracked() {
                return;
            }
            let Some(Ok(shown)) = notice.get_untracked() else {
                failure.set(Some(ApiError::Network));
                return;
            };
            let update = PreferencesUpdate {
                preferences: next.clone(),
                context: ConsentContext {
                    notice_version: shown.version,
                    notice_sha256: shown.sha256,
                    control: control.into(),
                    page: PAGE.into(),
                    gpc,
                },
            };
            pending.set(true);
            failure.set(None);
            status.set(None);
            let client = client.clone();
            spawn_local(async move {
                let result = client
                    .save_preferences(&update, &etag.get_untracked())
                    .await;
                match result {
                    Ok((stored, tag)) => {
                        problems.set(Vec::new());
                        base.set(stored.clone());
                        draft.set(stored);
                        etag.set(tag.unwrap_or_default());
                        saves.update(|n| *n += 1);
                        status.set(Some(match control {
                            "unsubscribe_all" => i18n.t().unsubscribed,
                            _ => i18n.t().prefs_saved,
                        }));
                    }
                    Err(ApiError::Conflict) => {
                        // Someone saved meanwhile: load their version and put the customer's edits on top.
                        match client.preferences().await {
                            Ok((latest, tag)) => {
                                draft.set(reapply(&base.get_untracked(), &next, &latest));
                                base.set(latest);
                                etag.set(tag.unwrap_or_default());
                                status.set(Some(i18n.t().conflict_reapplied));
                            }
                            Err(error) => failure.set(Some(error)),
                        }
                    }
                    Err(ApiError::Rejected { fields, .. }) if !fields.is_empty() => {
                        problems.set(fields)
                    }
                    Err(error) => failure.set(Some(error)),
                }
                pending.set(false);
            });
        }
    };

    // Global Privacy Control: apply the signal once, as its own recorded change, if it changes anything.
    Effect::new({
        let save = save.clone();
        move |done: Option<bool>| {
            if done == Some(true) || !gpc {
                return true;
            }
            if !matches!(notice.get(), Some(Ok(_))) {
                return false;
            }
            let current = draft.get_untracked();
            let needs = !current.no_sale_or_sharing
                || current
                    .permissions
                    .iter()
                    .any(|p| p.topic == Topic::PartnerOffers && p.allowed);
            if needs {
                let mut next = current;
                next.no_sale_or_sharing = true;
                for cell in &mut next.permissions {
                    if cell.topic == Topic::PartnerOffers {
                        cell.allowed = false;
                    }
                }
                save("gpc_signal", next);
            }
            true
        }
    });

    let submit = {
        let save = save.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let next = draft.get_untracked();
            let mut local = Vec::new();
            if let Some(q) = &next.quiet_hours {
                for (field, value) in [("start", &q.start), ("end", &q.end)] {
                    if !is_time(value) {
                        local.push(FieldError {
                            field: format!("preferences.quiet_hours.{field}"),
                            problem: "invalid_format".into(),
                        });
                    }
                }
            }
            problems.set(local.clone());
            if local.is_empty() {
                save("preferences", next);
            }
        }
    };
    let unsubscribe = {
        let save = save.clone();
        move |_| {
            let current = draft.get_untracked();
            before_unsubscribe.set(Some(current.clone()));
            save("unsubscribe_all", unsubscribe_all(&current));
        }
    };
    let undo = {
        let save = save.clone();
        move |_| {
            if let Some(previous) = before_unsubscribe.get_untracked() {
                let mut next = draft.get_untracked();
                next.permissions = previous.permissions;
                before_unsubscribe.set(None);
                save("undo", next);
            }
        }
    };

    let problem_for = move |field: &'static str| {
        move || {
            problems
                .read()
                .iter()
                .find(|p| p.field == field)
                .map(|p| (i18n.t().field_problem)(&p.problem))
        }
    };

    let caps = [Topic::Newsletter, Topic::Offers, Topic::PartnerOffers, Topic::Surveys]
        .into_iter()
        .map(|topic| {
            let id = format!("cap-{}", topic.as_str());
            view! {
                <div class="field">
                    <label for=id.clone()>{move || (i18n.t().topic_label)(topic)}</label>
                    <select
                        id=id
                        on:change:target=move |ev| {
                            let cap = parse_cap(topic, &ev.target().value());
                            draft.update(|d| {
                                d.caps.retain(|c| c.topic != topic);
                                d.caps.extend(cap);
                            });
                        }
                    >
                        <option value="" selected=move || draft.read().caps.iter().all(|c| c.topic != topic)>
                            {i18n.text(|t| t.cap_none)}
                        </option>
                        {CAP_CHOICES
                            .into_iter()
                            .map(|(n, weekly)| {
                                let value = format!("{n}{}", if weekly { "w" } else { "m" });
                                let selected = {
                                    let value = value.clone();
                                    move || cap_value(draft.read().caps.iter().find(|c| c.topic == topic)) == value
                                };
                                view! { <option value=value selected=selected>{move || (i18n.t().cap_option)(n, weekly)}</option> }
                            })
                            .collect_view()}
                    </select>
                </div>
            }
        })
        .collect_view();

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
                    <label for=id>{move || (i18n.t().weekday)(day)}</label>
                </span>
            }
        })
        .collect_view();

    let quiet_on = move || draft.read().quiet_hours.is_some();
    let quiet = move |pick: fn(&QuietHours) -> &String| {
        move || {
            draft
                .read()
                .quiet_hours
                .as_ref()
                .map(|q| pick(q).clone())
                .unwrap_or_default()
        }
    };

    view! {
        <Show when=move || gpc>
            <p class="notice gpc" role="note">{i18n.text(|t| t.gpc_active)}</p>
        </Show>
        <form class="card preferences" on:submit=submit novalidate>
            <ConsentMatrix draft gpc />
            <p id="service-note" class="hint">{i18n.text(|t| t.service_always_on)}</p>

            <fieldset>
                <legend>{i18n.text(|t| t.caps_title)}</legend>
                <div class="filter-row">{caps}</div>
            </fieldset>

            <fieldset>
                <legend>{i18n.text(|t| t.timing_title)}</legend>
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
                    <label for="quiet">{i18n.text(|t| t.quiet_hours_enable)}</label>
                </div>
                <Show when=quiet_on>
                    <div class="filter-row">
                        <div class="field">
                            <label for="quiet-start">{i18n.text(|t| t.quiet_from)}</label>
                            <input
                                id="quiet-start"
                                type="time"
                                aria-describedby="quiet-start-problem"
                                prop:value=quiet(|q| &q.start)
                                on:change:target=move |ev| draft.update(|d| {
                                    if let Some(q) = d.quiet_hours.as_mut() {
                                        q.start = ev.target().value();
                                    }
                                })
                            />
                            <p id="quiet-start-problem" class="field-problem">{problem_for("preferences.quiet_hours.start")}</p>
                        </div>
                        <div class="field">
                            <label for="quiet-end">{i18n.text(|t| t.quiet_until)}</label>
                            <input
                                id="quiet-end"
                                type="time"
                                aria-describedby="quiet-end-problem"
                                prop:value=quiet(|q| &q.end)
                                on:change:target=move |ev| draft.update(|d| {
                                    if let Some(q) = d.quiet_hours.as_mut() {
                                        q.end = ev.target().value();
                                    }
                                })
                            />
                            <p id="quiet-end-problem" class="field-problem">{problem_for("preferences.quiet_hours.end")}</p>
                        </div>
                    </div>
                </Show>
                <fieldset class="kinds">
                    <legend>{i18n.text(|t| t.preferred_days)}</legend>
                    {days}
                </fieldset>
                <div class="filter-row">
                    <div class="field">
                        <label for="tz">{i18n.text(|t| t.time_zone)}</label>
                        <input
                            id="tz"
                            prop:value=move || draft.read().time_zone.clone()
                            on:change:target=move |ev| draft.update(|d| d.time_zone = ev.target().value())
                        />
                    </div>
                    <div class="field">
                        <label for="pause">{i18n.text(|t| t.pause_until)}</label>
                        <input
                            id="pause"
                            type="date"
                            aria-describedby="pause-hint pause-problem"
                            prop:value=move || draft.read().paused_until.clone().unwrap_or_default()
                            on:change:target=move |ev| draft.update(|d| {
                                d.paused_until = Some(ev.target().value()).filter(|v| !v.is_empty());
                            })
                        />
                        <p id="pause-hint" class="hint">{i18n.text(|t| t.pause_hint)}</p>
                        <p id="pause-problem" class="field-problem">{problem_for("preferences.paused_until")}</p>
                    </div>
                </div>
            </fieldset>

            <div class="choice">
                <input
                    type="checkbox"
                    id="no-sale"
                    prop:checked=move || draft.read().no_sale_or_sharing
                    disabled=gpc
                    on:change:target=move |ev| draft.update(|d| d.no_sale_or_sharing = ev.target().checked())
                />
                <label for="no-sale">{i18n.text(|t| t.sale_sharing)}</label>
            </div>

            <div role="status" class="notice-area">
                {move || status.get().map(|text| view! { <p class="notice">{text}</p> })}
                <Show when=move || before_unsubscribe.get().is_some() && !pending.get()>
                    <button type="button" on:click=undo.clone()>{i18n.text(|t| t.undo)}</button>
                </Show>
            </div>
            <div role="alert" class="form-problem">
                {move || (!problems.read().is_empty()).then(|| i18n.t().form_has_problems)}
                {move || failure.get().map(|e| message(i18n.t(), &e))}
            </div>
            <div class="actions">
                <button type="submit" class="primary" aria-disabled=move || pending.get().then_some("true")>
                    {move || if pending.get() { i18n.t().saving } else { i18n.t().save_prefs }}
                </button>
                <Show when=move || any_marketing(&draft.read())>
                    <button type="button" on:click=unsubscribe.clone()>{i18n.text(|t| t.unsubscribe_all)}</button>
                </Show>
            </div>
        </form>
        <ContactPoints draft base />
        <section class="card notice-text" aria-labelledby="notice-title">
            {move || notice.get().and_then(Result::ok).map(|n| {
                let version = n.version.clone();
                view! {
                    <h2 id="notice-title">{move || (i18n.t().notice_title)(&version)}</h2>
                    <p class="pre-wrap">{n.text}</p>
                }
            })}
        </section>
    }
}

/// Marketing addresses and their double opt-in state.
#[component]
fn ContactPoints(draft: RwSignal<Preferences>, base: RwSignal<Preferences>) -> impl IntoView {
    let i18n = use_i18n();
    let client = api::client();
    let address = RwSignal::new(String::new());
    let channel = RwSignal::new(Channel::Email);
    let problem = RwSignal::new(None::<String>);
    let added = RwSignal::new(false);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let new = NewContactPoint {
            channel: channel.get_untracked(),
            address: address.get_untracked().trim().to_owned(),
        };
        let client = client.clone();
        spawn_local(async move {
            match client.add_contact_point(&new).await {
                Ok(point) => {
                    // Contact points are not part of a preferences save; keep both copies in step.
                    draft.update(|d| d.contact_points.push(point.clone()));
                    base.update(|d| d.contact_points.push(point));
                    address.set(String::new());
                    problem.set(None);
                    added.set(true);
                }
                Err(ApiError::Rejected { fields, .. }) if !fields.is_empty() => problem.set(
                    fields
                        .first()
                        .map(|f| (i18n.t().field_problem)(&f.problem).to_owned()),
                ),
                Err(error) => problem.set(Some(message(i18n.t(), &error))),
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="contact-points">
            <h2 id="contact-points">{i18n.text(|t| t.contact_points_title)}</h2>
            <ul class="plain">
                <For
                    each=move || draft.get().contact_points
                    key=|point| point.id
                    children=move |point| {
                        let status = point.status.clone();
                        view! {
                            <li>
                                {point.address.clone()} " — "
                                <span class=format!("status contact-{status}")>{
                                    let status = status.clone();
                                    move || (i18n.t().contact_status)(&status)
                                }</span>
                            </li>
                        }
                    }
                />
            </ul>
            <form on:submit=add class="inline-form" novalidate>
                <div class="field narrow-field">
                    <label for="new-channel">{i18n.text(|t| t.address_kind)}</label>
                    <select
                        id="new-channel"
                        on:change:target=move |ev| {
                            channel.set(if ev.target().value() == "sms" { Channel::Sms } else { Channel::Email })
                        }
                    >
                        <option value="email" selected=move || channel.get() == Channel::Email>
                            {move || (i18n.t().channel_label)(Channel::Email)}
                        </option>
                        <option value="sms" selected=move || channel.get() == Channel::Sms>
                            {move || (i18n.t().channel_label)(Channel::Sms)}
                        </option>
                    </select>
                </div>
                <div class="field">
                    <label for="new-address">{i18n.text(|t| t.new_email)}</label>
                    <input
                        id="new-address"
                        type=move || if channel.get() == Channel::Sms { "tel" } else { "email" }
                        autocomplete=move || if channel.get() == Channel::Sms { "tel" } else { "email" }
                        aria-describedby="new-address-problem"
                        aria-invalid=move || problem.get().is_some().then_some("true")
                        prop:value=move || address.get()
                        on:input:target=move |ev| address.set(ev.target().value())
                    />
                    <p id="new-address-problem" class="field-problem" role="alert">{move || problem.get()}</p>
                </div>
                <button type="submit">{i18n.text(|t| t.add_address)}</button>
            </form>
            <Show when=move || added.get()>
                <p class="notice" role="status">{i18n.text(|t| t.added_pending)}</p>
            </Show>
        </section>
    }
}

#[component]
fn ConsentHistory(saves: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let fmt = use_formats();
    let client = api::client();
    let records = LocalResource::new({
        let client = client.clone();
        move || {
            saves.track();
            let client = client.clone();
            async move { client.consent_records().await }
        }
    });
    let render = move |records: Vec<ConsentRecord>| {
        let client = client.clone();
        view! {
            <ol class="plain consent-records" data-testid="consent-records">
                {records
                    .into_iter()
                    .map(|record| {
                        let client = client.clone();
                        let at = record.at.clone();
                        let control = record.control.clone();
                        let id = record.id;
                        let changed = record.changes.len();
                        let json = move |_| {
                            let client = client.clone();
                            spawn_local(async move {
                                // The receipt exactly as the server issued it.
                                if let Ok(text) = client.raw(&format!("/consent-records/{id}/receipt")).await {
                                    download(&format!("consent-receipt-{id}.json"), "application/json", &text);
                                }
                            });
                        };
                        view! {
                            <li class="consent-record">
                                <p>
                                    <strong>{move || (i18n.t().control_label)(&control)}</strong>
                                    " · " <time datetime=record.at.clone()>{move || fmt.date_time(&at)}</time>
                                    " · " {move || (i18n.t().changes_count)(changed)}
                                    {(record.source == "gpc").then(|| view! { " · " {i18n.text(|t| t.source_gpc)} })}
                                </p>
                                <ConsentChanges changes=record.changes.clone() />
                                <details class="recorded">
                                    <summary>{i18n.text(|t| t.labels.show_recorded)}</summary>
                                    <RecordedChanges changes=record.changes.clone() />
                                </details>
                                <p class="actions">
                                    <button type="button" on:click=json>{i18n.text(|t| t.receipt_json)}</button>
                                    <A href=format!("/preferences/receipts/{id}") attr:class="button">{i18n.text(|t| t.receipt_print)}</A>
                                </p>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        }
    };
    view! {
        <section class="card" aria-labelledby="consent-history">
            <h2 id="consent-history">{i18n.text(|t| t.consent_history)}</h2>
            <Loaded data=records render />
        </section>
    }
}

/// Download everything, and ask for deletion.
#[component]
fn DataRights() -> impl IntoView {
    let i18n = use_i18n();
    let fmt = use_formats();
    let client = api::client();
    let exporting = RwSignal::new(false);
    let failure = RwSignal::new(None::<ApiError>);
    clear_on_reauth(failure);
    let deletion = LocalResource::new({
        let client = client.clone();
        move || {
            let client = client.clone();
            async move { client.deletion_request().await }
        }
    });
    let confirm = RwSignal::new(String::new());
    let export = {
        let client = client.clone();
        move |_| {
            if exporting.get_untracked() {
                return;
            }
            exporting.set(true);
            failure.set(None);
            let client = client.clone();
            spawn_local(async move {
                match export_everything(&client).await {
                    Ok(text) => download("rapport-my-data.json", "application/json", &text),
                    Err(error) => failure.set(Some(error)),
                }
                exporting.set(false);
            });
        }
    };
    let request = {
        let client = client.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if confirm.get_untracked().trim() != "DELETE" {
                return;
            }
            let client = client.clone();
            spawn_local(async move {
                match client.request_deletion().await {
                    Ok(_) => deletion.refetch(),
                    Err(error) => failure.set(Some(error)),
                }
            });
        }
    };
    let render = move |existing: Option<rapport_api::DeletionRequest>| match existing {
        Some(request) => Either::Left(view! {
            <p class="notice" role="status" data-testid="deletion-status">
                {
                    let status = request.status.clone();
                    move || (i18n.t().deletion_status)(&status)
                }
                " (" {
                    let at = request.created_at.clone();
                    move || fmt.date(&at)
                } ")"
            </p>
        }),
        None => Either::Right(view! {
            <form on:submit=request.clone() novalidate>
                <p>{i18n.text(|t| t.delete_intro)}</p>
                <div class="field">
                    <label for="delete-confirm">{i18n.text(|t| t.delete_confirm_label)}</label>
                    <input
                        id="delete-confirm"
                        autocomplete="off"
                        prop:value=move || confirm.get()
                        on:input:target=move |ev| confirm.set(ev.target().value())
                    />
                </div>
                <button
                    type="submit"
                    class="danger"
                    aria-disabled=move || (confirm.get().trim() != "DELETE").then_some("true")
                >
                    {i18n.text(|t| t.delete_button)}
                </button>
            </form>
        }),
    };
    view! {
        <section class="card" aria-labelledby="data-rights">
            <h2 id="data-rights">{i18n.text(|t| t.data_title)}</h2>
            <p>{i18n.text(|t| t.download_hint)}</p>
            <button type="button" on:click=export aria-disabled=move || exporting.get().then_some("true")>
                {move || if exporting.get() { i18n.t().downloading } else { i18n.t().download_data }}
            </button>
            <p role="alert" class="form-problem">{move || failure.get().map(|e| message(i18n.t(), &e))}</p>
            <h3>{i18n.text(|t| t.delete_title)}</h3>
            <Loaded data=deletion render />
        </section>
    }
}

/// Everything the firm holds on the customer, gathered from the REST API into one JSON document. The
/// parts are the server's own JSON, embedded as received: nothing is re-encoded or lost in translation.
async fn export_everything(client: &api::Api) -> Result<String, ApiError> {
    let mut parts: Vec<(&str, String)> = vec![("profile", client.raw("/profile").await?)];
    let mut pages = Vec::new();
    let mut orders = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let resource =
            crate::model::history_filter::HistoryFilter::default().api_path(cursor.as_deref(), 500);
        let text = client.raw(&resource).await?;
        let page: rapport_api::HistoryPage = ApiError::decode(&text)?;
        for entry in page
            .entries
            .iter()
            .filter(|e| e.kind == rapport_api::HistoryKind::Order)
        {
            if let Some(id) = entry.order_id {
                orders.push(client.raw(&format!("/orders/{id}")).await?);
            }
        }
        pages.push(text);
        match page.next_cursor {
            Some(next) if Some(&next) != cursor.as_ref() => cursor = Some(next),
            _ => break,
        }
    }
    parts.push(("history_pages", format!("[{}]", pages.join(","))));
    parts.push(("orders", format!("[{}]", orders.join(","))));
    parts.push(("requests", client.raw("/requests").await?));
    parts.push(("preferences", client.raw("/preferences").await?));
    parts.push(("consent_records", client.raw("/consent-records").await?));
    let exported_at = js_sys::Date::new_0()
        .to_iso_string()
        .as_string()
        .unwrap_or_default();
    let mut out = format!("{{\n\"exported_at\": \"{exported_at}\"");
    for (key, json) in parts {
        out.push_str(&format!(",\n\"{key}\": {json}"));
    }
    out.push_str("\n}\n");
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cap_choices_round_trip_through_the_select() {
        for (n, weekly) in CAP_CHOICES {
            let value = format!("{n}{}", if weekly { "w" } else { "m" });
            let cap = parse_cap(Topic::Offers, &value).unwrap();
            assert_eq!(cap_value(Some(&cap)), value);
        }
        assert_eq!(parse_cap(Topic::Offers, ""), None);
        assert_eq!(parse_cap(Topic::Offers, "99w"), None);
        assert_eq!(parse_cap(Topic::Offers, "xw"), None);
        assert_eq!(parse_cap(Topic::Offers, "3d"), None);
    }
}
