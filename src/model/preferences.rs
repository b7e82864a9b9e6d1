//! Preference edits: what the customer changed, and re-applying it onto a newer version after a 412.

use rapport_api::{Preferences, Topic};

/// A three-way merge: the customer's edits (`draft` compared with `base`, the version they loaded) applied
/// onto `latest` (the version someone else saved meanwhile). Fields the customer did not touch take the
/// latest value; fields they changed keep their value. Nothing the customer did is lost.
pub fn reapply(base: &Preferences, draft: &Preferences, latest: &Preferences) -> Preferences {
    let mut merged = latest.clone();
    for cell in &draft.permissions {
        let before = base
            .permissions
            .iter()
            .find(|p| p.channel == cell.channel && p.topic == cell.topic)
            .map(|p| p.allowed);
        if before != Some(cell.allowed) {
            match merged
                .permissions
                .iter_mut()
                .find(|p| p.channel == cell.channel && p.topic == cell.topic)
            {
                Some(target) => target.allowed = cell.allowed,
                None => merged.permissions.push(*cell),
            }
        }
    }
    for topic in Topic::ALL {
        let find = |p: &Preferences| p.caps.iter().find(|c| c.topic == topic).copied();
        if find(draft) != find(base) {
            merged.caps.retain(|c| c.topic != topic);
            merged.caps.extend(find(draft));
        }
    }
    macro_rules! field {
        ($name:ident) => {
            if draft.$name != base.$name {
                merged.$name = draft.$name.clone();
            }
        };
    }
    field!(quiet_hours);
    field!(preferred_days);
    field!(time_zone);
    field!(paused_until);
    field!(no_sale_or_sharing);
    merged
}

/// Every marketing cell off (service messages stay on): the one-step unsubscribe.
pub fn unsubscribe_all(prefs: &Preferences) -> Preferences {
    let mut next = prefs.clone();
    for cell in &mut next.permissions {
        if cell.topic.is_marketing() {
            cell.allowed = false;
        }
    }
    next
}

/// Whether any marketing cell is on.
pub fn any_marketing(prefs: &Preferences) -> bool {
    prefs
        .permissions
        .iter()
        .any(|p| p.topic.is_marketing() && p.allowed)
}

/// `HH:MM`, 00:00–23:59.
pub fn is_time(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 5
        && b[2] == b':'
        && matches!(s[..2].parse::<u8>(), Ok(0..=23))
        && matches!(s[3..].parse::<u8>(), Ok(0..=59))
        && b[..2].iter().chain(&b[3..]).all(u8::is_ascii_digit)
}

// Native only, like the other model tests.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use rapport_api::{CapPeriod, Channel, FrequencyCap, Permission, QuietHours};

    fn prefs() -> Preferences {
        Preferences {
            permissions: Channel::ALL
                .into_iter()
                .flat_map(|channel| {
                    Topic::ALL.into_iter().map(move |topic| Permission {
                        channel,
                        topic,
                        allowed: topic == Topic::Service,
                    })
                })
                .collect(),
            caps: vec![],
            quiet_hours: None,
            preferred_days: vec![],
            time_zone: "Europe/Amsterdam".into(),
            paused_until: None,
            no_sale_or_sharing: false,
            contact_points: vec![],
        }
    }

    fn set(p: &mut Preferences, channel: Channel, topic: Topic, allowed: bool) {
        for cell in &mut p.permissions {
            if cell.channel == channel && cell.topic == topic {
                cell.allowed = allowed;
            }
        }
    }

    fn get(p: &Preferences, channel: Channel, topic: Topic) -> bool {
        p.permissions
            .iter()
            .any(|c| c.channel == channel && c.topic == topic && c.allowed)
    }

    #[test]
    fn my_edits_win_where_i_made_them_and_theirs_elsewhere() {
        let base = prefs();
        let mut draft = base.clone();
        set(&mut draft, Channel::Email, Topic::Newsletter, true);
        draft.quiet_hours = Some(QuietHours {
            start: "21:00".into(),
            end: "08:00".into(),
        });
        let mut latest = base.clone();
        set(&mut latest, Channel::Sms, Topic::Offers, true);
        latest.caps.push(FrequencyCap {
            topic: Topic::Offers,
            max: 2,
            per: CapPeriod::Week,
        });

        let merged = reapply(&base, &draft, &latest);
        assert!(get(&merged, Channel::Email, Topic::Newsletter), "mine");
        assert!(get(&merged, Channel::Sms, Topic::Offers), "theirs");
        assert_eq!(merged.caps.len(), 1, "theirs");
        assert_eq!(merged.quiet_hours, draft.quiet_hours, "mine");
        assert_eq!(
            reapply(&base, &base, &latest),
            latest,
            "no edits: the latest as is"
        );
    }

    #[test]
    fn unsubscribe_all_keeps_service_messages() {
        let mut p = prefs();
        set(&mut p, Channel::Email, Topic::Newsletter, true);
        assert!(any_marketing(&p));
        let off = unsubscribe_all(&p);
        assert!(!any_marketing(&off));
        assert!(get(&off, Channel::Email, Topic::Service));
    }

    #[test]
    fn times() {
        assert!(is_time("00:00") && is_time("23:59") && is_time("08:30"));
        assert!(!is_time("24:00") && !is_time("8:30") && !is_time("08:60") && !is_time("0a:00"));
    }
}
