//! One recorded consent change in plain words ("E-mail · Newsletter: on → off"), for the consent history
//! and the receipt. The recorded JSON stays the proof; this is what a customer reads.

use crate::i18n::Texts;
use rapport_api::{Change, Channel, Topic, Weekday};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// A change as subject, value before and value after.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChangeWords {
    pub subject: String,
    pub before: String,
    pub after: String,
    /// False for a field or value this portal does not know: then the words are the raw field and
    /// JSON, and the page marks them.
    pub known: bool,
}

impl ChangeWords {
    /// "E-mail · Newsletter: on → off".
    pub fn sentence(&self) -> String {
        format!("{}: {} → {}", self.subject, self.before, self.after)
    }
}

/// Words for `change` in the language of `t`; `date` formats a calendar date for the reader.
pub fn describe(t: &Texts, change: &Change, date: &dyn Fn(&str) -> String) -> ChangeWords {
    known(t, change, date).unwrap_or_else(|| ChangeWords {
        subject: change.field.clone(),
        before: change.old.to_string(),
        after: change.new.to_string(),
        known: false,
    })
}

fn known(t: &Texts, change: &Change, date: &dyn Fn(&str) -> String) -> Option<ChangeWords> {
    let l = &*t.labels;
    let field = change.field.as_str();
    let words = |subject: String, value: &dyn Fn(&Value) -> Option<String>| {
        Some(ChangeWords {
            subject,
            before: value(&change.old)?,
            after: value(&change.new)?,
            known: true,
        })
    };
    let switch = |v: &Value| {
        v.as_bool()
            .map(|on| if on { l.on } else { l.off }.to_owned())
    };
    if let Some(cell) = field.strip_prefix("permissions.") {
        let (channel, topic) = cell.split_once('.')?;
        let channel: Channel = wire(channel)?;
        let topic: Topic = wire(topic)?;
        let subject = format!(
            "{} · {}",
            (t.preferences.channel_label)(channel),
            (t.preferences.topic_label)(topic)
        );
        return words(subject, &switch);
    }
    if let Some(topic) = field.strip_prefix("caps.") {
        let topic: Topic = wire(topic)?;
        return words((t.preferences.topic_label)(topic).to_owned(), &|v| {
            cap(t, v)
        });
    }
    match field {
        "quiet_hours" => words(l.quiet_hours.to_owned(), &|v| match v {
            Value::Null => Some(l.nothing.to_owned()),
            v => Some(format!(
                "{}–{}",
                v.get("start")?.as_str()?,
                v.get("end")?.as_str()?
            )),
        }),
        "preferred_days" => words(l.days.to_owned(), &|v| {
            let days = v
                .as_array()?
                .iter()
                .map(|d| wire::<Weekday>(d.as_str()?).map(t.preferences.weekday))
                .collect::<Option<Vec<_>>>()?;
            Some(if days.is_empty() {
                l.any_day.to_owned()
            } else {
                days.join(", ")
            })
        }),
        "time_zone" => words(t.preferences.time_zone.to_owned(), &|v| match v {
            Value::String(zone) => Some(zone.clone()),
            _ => None,
        }),
        "paused_until" => words(l.paused_until.to_owned(), &|v| match v {
            Value::Null => Some(l.not_paused.to_owned()),
            Value::String(day) => Some(date(day)),
            _ => None,
        }),
        "no_sale_or_sharing" => words(t.preferences.sale_sharing.to_owned(), &switch),
        _ => None,
    }
}

/// A frequency cap: `null` is no limit, `{"max": 2, "per": "month"}` is "at most 2 a month".
fn cap(t: &Texts, v: &Value) -> Option<String> {
    if v.is_null() {
        return Some(t.preferences.cap_none.to_owned());
    }
    let max = u32::try_from(v.get("max")?.as_u64()?).ok()?;
    let weekly = match v.get("per")?.as_str()? {
        "week" => true,
        "month" => false,
        _ => return None,
    };
    Some((t.preferences.cap_option)(max, weekly))
}

/// An enum from its wire name.
fn wire<T: DeserializeOwned>(name: &str) -> Option<T> {
    serde_json::from_value(Value::String(name.to_owned())).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{texts, Lang};
    use serde_json::json;

    fn change(field: &str, old: Value, new: Value) -> Change {
        Change {
            field: field.into(),
            old,
            new,
        }
    }

    fn say(lang: Lang, c: &Change) -> String {
        describe(texts(lang), c, &|d| format!("<{d}>")).sentence()
    }

    #[test]
    fn matrix_cells_read_as_channel_topic_and_switch() {
        let c = change("permissions.email.newsletter", json!(true), json!(false));
        assert_eq!(say(Lang::En, &c), "E-mail · Newsletter: on → off");
        assert_eq!(say(Lang::Nl, &c), "E-mail · Nieuwsbrief: aan → uit");
        assert_eq!(say(Lang::De, &c), "E-Mail · Newsletter: an → aus");
    }

    #[test]
    fn caps_quiet_hours_days_and_pause_read_as_words() {
        let cap = change(
            "caps.offers",
            Value::Null,
            json!({"max": 2, "per": "month"}),
        );
        assert_eq!(say(Lang::En, &cap), "Offers: No limit → At most 2 a month");
        let quiet = change(
            "quiet_hours",
            Value::Null,
            json!({"start": "22:00", "end": "07:30"}),
        );
        assert_eq!(say(Lang::En, &quiet), "Quiet hours: none → 22:00–07:30");
        assert_eq!(say(Lang::De, &quiet), "Ruhezeiten: keine → 22:00–07:30");
        let days = change("preferred_days", json!([]), json!(["mon", "sat"]));
        assert_eq!(say(Lang::Nl, &days), "Dagen: elke dag → maandag, zaterdag");
        let pause = change("paused_until", Value::Null, json!("2030-01-31"));
        assert_eq!(
            say(Lang::En, &pause),
            "Marketing paused until: not paused → <2030-01-31>"
        );
        let zone = change("time_zone", json!("UTC"), json!("Europe/Amsterdam"));
        assert_eq!(say(Lang::En, &zone), "Time zone: UTC → Europe/Amsterdam");
        let sale = change("no_sale_or_sharing", json!(false), json!(true));
        assert!(say(Lang::De, &sale).ends_with(": aus → an"));
    }

    #[test]
    fn what_is_not_understood_stays_raw_and_marked() {
        for c in [
            change("permissions.pigeon.newsletter", json!(true), json!(false)),
            change(
                "caps.offers",
                Value::Null,
                json!({"max": 2, "per": "fortnight"}),
            ),
            change("quiet_hours", Value::Null, json!("all day")),
            change("loyalty_tier", json!("gold"), json!("silver")),
            change("permissions.email", json!(true), json!(false)),
        ] {
            let words = describe(texts(Lang::Nl), &c, &|d| d.to_owned());
            assert!(!words.known, "{c:?}");
            assert_eq!(words.subject, c.field);
            assert_eq!(words.after, c.new.to_string());
        }
    }

    #[test]
    fn every_field_the_reference_server_records_has_words() {
        // The fields crates/server/src/preferences.rs `changes` writes, with values of their shapes.
        let mut fields = vec![];
        for channel in Channel::ALL {
            for topic in Topic::ALL {
                fields.push(change(
                    &format!("permissions.{}.{}", channel.as_str(), topic.as_str()),
                    json!(false),
                    json!(true),
                ));
            }
        }
        for topic in Topic::ALL {
            fields.push(change(
                &format!("caps.{}", topic.as_str()),
                json!({"max": 1, "per": "week"}),
                Value::Null,
            ));
        }
        fields.push(change("preferred_days", json!(["sun"]), json!([])));
        for lang in Lang::ALL {
            for c in &fields {
                assert!(
                    describe(texts(lang), c, &|d| d.to_owned()).known,
                    "{lang:?} {}",
                    c.field
                );
            }
        }
    }
}
