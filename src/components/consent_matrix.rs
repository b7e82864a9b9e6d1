//! The preference centre's channel × topic permissions. A table on wider screens; on a phone, where
//! five channel columns cannot fit, one group per topic with a labelled checkbox per channel.

use crate::i18n::use_i18n;
use crate::media::{use_media_query, PHONE};
use leptos::either::Either;
use leptos::prelude::*;
use rapport_api::{Channel, Preferences, Topic};

/// Service messages are always on; partner offers are locked off while Global Privacy Control is on.
fn locked(topic: Topic, gpc: bool) -> bool {
    topic == Topic::Service || (gpc && topic == Topic::PartnerOffers)
}

/// One permission's checkbox, bound to the draft.
#[component]
fn Permission(
    draft: RwSignal<Preferences>,
    topic: Topic,
    channel: Channel,
    gpc: bool,
    /// On phones the channel's name is the visible label; in the table the column header is.
    #[prop(optional)]
    id: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let checked = move || {
        draft
            .read()
            .permissions
            .iter()
            .any(|p| p.channel == channel && p.topic == topic && p.allowed)
    };
    let label = move || {
        format!(
            "{} – {}",
            (i18n.t().preferences.topic_label)(topic),
            (i18n.t().preferences.channel_label)(channel)
        )
    };
    view! {
        <input
            type="checkbox"
            id=id
            aria-label=label
            prop:checked=checked
            disabled=locked(topic, gpc)
            aria-describedby=(topic == Topic::Service).then_some("service-note")
            on:change:target=move |ev| {
                let on = ev.target().checked();
                draft.update(|d| {
                    for p in &mut d.permissions {
                        if p.channel == channel && p.topic == topic {
                            p.allowed = on;
                        }
                    }
                });
            }
        />
    }
}

#[component]
pub fn ConsentMatrix(draft: RwSignal<Preferences>, gpc: bool) -> impl IntoView {
    let i18n = use_i18n();
    let phone = use_media_query(PHONE);
    move || {
        if phone.get() {
            Either::Left(view! { <Stacked draft gpc /> })
        } else {
            Either::Right(view! {
                <table class="matrix">
                    <caption>{i18n.text(|t| t.preferences.matrix_caption)}</caption>
                    <thead>
                        <tr>
                            <td></td>
                            {Channel::ALL
                                .into_iter()
                                .map(|c| view! { <th scope="col">{move || (i18n.t().preferences.channel_label)(c)}</th> })
                                .collect_view()}
                        </tr>
                    </thead>
                    <tbody>
                        {Topic::ALL
                            .into_iter()
                            .map(|topic| view! {
                                <tr>
                                    <th scope="row">{move || (i18n.t().preferences.topic_label)(topic)}</th>
                                    {Channel::ALL
                                        .into_iter()
                                        .map(|channel| view! { <td><Permission draft topic channel gpc /></td> })
                                        .collect_view()}
                                </tr>
                            })
                            .collect_view()}
                    </tbody>
                </table>
            })
        }
    }
}

/// Phones: a group per topic, its channels as labelled checkboxes that wrap.
#[component]
fn Stacked(draft: RwSignal<Preferences>, gpc: bool) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="matrix-stacked" role="group" aria-labelledby="matrix-title">
            <p id="matrix-title" class="matrix-title">{i18n.text(|t| t.preferences.matrix_caption)}</p>
            {Topic::ALL
                .into_iter()
                .map(|topic| view! {
                    <fieldset class="matrix-topic">
                        <legend>{move || (i18n.t().preferences.topic_label)(topic)}</legend>
                        {Channel::ALL
                            .into_iter()
                            .map(|channel| {
                                let id = format!("perm-{}-{}", topic.as_str(), channel.as_str());
                                view! {
                                    <span class="choice">
                                        <Permission draft topic channel gpc id=id.clone() />
                                        <label for=id>{move || (i18n.t().preferences.channel_label)(channel)}</label>
                                    </span>
                                }
                            })
                            .collect_view()}
                    </fieldset>
                })
                .collect_view()}
        </div>
    }
}
