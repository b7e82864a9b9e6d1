//! How often each kind of message may come: one `<select>` per topic.

use crate::i18n::use_i18n;
use leptos::prelude::*;
use rapport_api::{CapPeriod, FrequencyCap, Preferences, Topic};

/// The choices offered: (how many, per week?).
pub const CAP_CHOICES: [(u32, bool); 6] = [
    (1, true),
    (2, true),
    (3, true),
    (1, false),
    (2, false),
    (4, false),
];

/// A cap as the value of its `<select>`: `""`, `2w`, `1m`.
pub fn cap_value(cap: Option<&FrequencyCap>) -> String {
    match cap {
        Some(c) => format!(
            "{}{}",
            c.max,
            if c.per == CapPeriod::Week { "w" } else { "m" }
        ),
        None => String::new(),
    }
}

/// The cap a `<select>` value stands for; `None` for "no limit" and for anything not offered.
pub fn parse_cap(topic: Topic, value: &str) -> Option<FrequencyCap> {
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

#[component]
pub fn FrequencyCaps(draft: RwSignal<Preferences>) -> impl IntoView {
    let i18n = use_i18n();
    let caps = [Topic::Newsletter, Topic::Offers, Topic::PartnerOffers, Topic::Surveys]
        .into_iter()
        .map(|topic| {
            let id = format!("cap-{}", topic.as_str());
            let choices = CAP_CHOICES
                .into_iter()
                .map(|(n, weekly)| {
                    let value = format!("{n}{}", if weekly { "w" } else { "m" });
                    let selected = {
                        let value = value.clone();
                        move || cap_value(draft.read().caps.iter().find(|c| c.topic == topic)) == value
                    };
                    view! { <option value=value selected=selected>{move || (i18n.t().preferences.cap_option)(n, weekly)}</option> }
                })
                .collect_view();
            view! {
                <div class="field">
                    <label for=id.clone()>{move || (i18n.t().preferences.topic_label)(topic)}</label>
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
                            {i18n.text(|t| t.preferences.cap_none)}
                        </option>
                        {choices}
                    </select>
                </div>
            }
        })
        .collect_view();
    view! {
        <fieldset>
            <legend>{i18n.text(|t| t.preferences.caps_title)}</legend>
            <div class="filter-row">{caps}</div>
        </fieldset>
    }
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
