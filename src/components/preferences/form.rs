//! The preferences form: the permission matrix, caps and timing, saved as one recorded change.

use super::caps::FrequencyCaps;
use super::contact_points::ContactPoints;
use super::timing::Timing;
use crate::api::{self, ApiError};
use crate::components::consent_matrix::ConsentMatrix;
use crate::components::error_panel::{clear_on_reauth, message, save_failure};
use crate::components::save::Save;
use crate::format::CustomerZone;
use crate::i18n::{use_i18n, Texts};
use crate::model::preferences::{any_marketing, is_time, reapply, unsubscribe_all};
use leptos::prelude::*;
use rapport_api::{ConsentContext, FieldError, Notice, Preferences, PreferencesUpdate, Topic};

/// The page every consent record names as where the change was made.
const PAGE: &str = "/preferences";

#[component]
pub fn PreferencesForm(
    prefs: Preferences,
    etag: Option<String>,
    notice: LocalResource<Result<Notice, ApiError>>,
    saves: RwSignal<u32>,
    gpc: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let client = api::client();
    let base = RwSignal::new(prefs.clone());
    let draft = RwSignal::new(prefs);
    let etag = RwSignal::new(etag.unwrap_or_default());
    let problems = RwSignal::new(Vec::<FieldError>::new());
    let zone = use_context::<CustomerZone>().unwrap_or_default();
    // What the matrix looked like before "unsubscribe all", for the undo.
    let before_unsubscribe = RwSignal::new(None::<Preferences>);

    // The confirmation of the last save that worked.
    let confirmed = RwSignal::new(None::<fn(&Texts) -> &'static str>);
    let save = Save::new();
    let pending = save.pending();
    clear_on_reauth(save.value());
    // Stored, so that `send` is `Copy` and every control can hold it.
    let client = StoredValue::new_local(client);
    let send = move |control: &'static str, next: Preferences| {
        let (client, shown, tag) = (
            client.get_value(),
            notice.get_untracked(),
            etag.get_untracked(),
        );
        save.run(async move {
            let Some(Ok(shown)) = shown else {
                return Err(ApiError::Network);
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
            match client.save_preferences(&update, &tag).await {
                Ok((stored, tag)) => {
                    problems.set(Vec::new());
                    // A new zone applies to every time the portal shows from now on.
                    zone.0
                        .set(Some(stored.time_zone.clone()).filter(|z| !z.is_empty()));
                    base.set(stored.clone());
                    draft.set(stored);
                    etag.set(tag.unwrap_or_default());
                    saves.update(|n| *n += 1);
                    confirmed.set(Some(if control == "unsubscribe_all" {
                        |t: &Texts| t.preferences.unsubscribed
                    } else {
                        |t: &Texts| t.preferences.prefs_saved
                    }));
                    Ok(())
                }
                Err(ApiError::Conflict) => {
                    // Someone saved meanwhile: load their version and put the customer's edits on top.
                    let (latest, tag) = client.preferences().await?;
                    draft.set(reapply(&base.get_untracked(), &next, &latest));
                    base.set(latest);
                    etag.set(tag.unwrap_or_default());
                    confirmed.set(Some(|t: &Texts| t.preferences.conflict_reapplied));
                    Ok(())
                }
                Err(error) => {
                    if let ApiError::Rejected { fields, .. } = &error {
                        problems.set(fields.clone());
                    }
                    Err(error)
                }
            }
        });
    };

    // Global Privacy Control: apply the signal once, as its own recorded change, if it changes anything.
    Effect::new(move |done: Option<bool>| {
        if done == Some(true) || !gpc {
            return true;
        }
        if !matches!(notice.get(), Some(Ok(_))) {
            return false;
        }
        let current = draft.get_untracked();
        let partners = |p: &rapport_api::Permission| p.topic == Topic::PartnerOffers;
        if !current.no_sale_or_sharing
            || current.permissions.iter().any(|p| partners(p) && p.allowed)
        {
            let mut next = current;
            next.no_sale_or_sharing = true;
            for cell in next.permissions.iter_mut().filter(|p| partners(p)) {
                cell.allowed = false;
            }
            send("gpc_signal", next);
        }
        true
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let next = draft.get_untracked();
        // The browser's time input is checked here too: not every browser has one.
        let local: Vec<FieldError> = next
            .quiet_hours
            .iter()
            .flat_map(|q| [("start", q.start.clone()), ("end", q.end.clone())])
            .filter(|(_, value)| !is_time(value))
            .map(|(field, _)| FieldError {
                field: format!("preferences.quiet_hours.{field}"),
                problem: "invalid_format".into(),
            })
            .collect();
        let valid = local.is_empty();
        problems.set(local);
        if valid {
            send("preferences", next);
        }
    };
    let unsubscribe = move |_| {
        let current = draft.get_untracked();
        before_unsubscribe.set(Some(current.clone()));
        send("unsubscribe_all", unsubscribe_all(&current));
    };
    let undo = move |_| {
        if let Some(previous) = before_unsubscribe.get_untracked() {
            let mut next = draft.get_untracked();
            next.permissions = previous.permissions;
            before_unsubscribe.set(None);
            send("undo", next);
        }
    };
    let status = move || match (save.value().get(), confirmed.get()) {
        (Some(Ok(())), Some(text)) if !pending.get() => {
            Some(view! { <p class="notice">{text(i18n.t())}</p> })
        }
        _ => None,
    };
    let failure = move || save_failure(save.value().read().as_ref(), pending.get());

    view! {
        <Show when=move || gpc>
            <p class="notice gpc" role="note">{i18n.text(|t| t.preferences.gpc_active)}</p>
        </Show>
        <form class="card preferences" on:submit=submit novalidate>
            <ConsentMatrix draft gpc />
            <p id="service-note" class="hint">{i18n.text(|t| t.preferences.service_always_on)}</p>
            <FrequencyCaps draft />
            <Timing draft problems />
            <div class="choice">
                <input
                    type="checkbox"
                    id="no-sale"
                    prop:checked=move || draft.read().no_sale_or_sharing
                    disabled=gpc
                    on:change:target=move |ev| draft.update(|d| d.no_sale_or_sharing = ev.target().checked())
                />
                <label for="no-sale">{i18n.text(|t| t.preferences.sale_sharing)}</label>
            </div>

            <div role="status" class="notice-area">
                {status}
                <Show when=move || before_unsubscribe.get().is_some() && !pending.get()>
                    <button type="button" on:click=undo>{i18n.text(|t| t.preferences.undo)}</button>
                </Show>
            </div>
            <div role="alert" class="form-problem">
                {move || (!problems.read().is_empty()).then(|| i18n.t().form_has_problems)}
                {move || failure().map(|e| message(i18n.t(), &e))}
            </div>
            <div class="actions">
                <button type="submit" class="primary" aria-disabled=move || pending.get().then_some("true")>
                    {move || if pending.get() { i18n.t().saving } else { i18n.t().preferences.save_prefs }}
                </button>
                <Show when=move || any_marketing(&draft.read())>
                    <button type="button" on:click=unsubscribe>{i18n.text(|t| t.preferences.unsubscribe_all)}</button>
                </Show>
            </div>
        </form>
        <ContactPoints draft base />
        <NoticeText notice />
    }
}

/// The privacy notice the customer's choices are recorded against.
#[component]
fn NoticeText(notice: LocalResource<Result<Notice, ApiError>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card notice-text" aria-labelledby="notice-title">
            {move || notice.get().and_then(Result::ok).map(|n| {
                let version = n.version.clone();
                view! {
                    <h2 id="notice-title">{move || (i18n.t().preferences.notice_title)(&version)}</h2>
                    <p class="pre-wrap">{n.text}</p>
                }
            })}
        </section>
    }
}
