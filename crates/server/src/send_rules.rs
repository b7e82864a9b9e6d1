//! Whether, and when, an outgoing message may go out: the customer's preferences applied at send time.
//! Pure functions (no database, no clock: the caller passes `now`), used by the outbox's sender.
//!
//! Which rules apply depends on the message's [`Kind`]:
//! - **transactional** (a confirmation link, a password-reset or first-access link): none. The
//!   customer asked for it a moment ago and its link expires; it goes out at once, whatever the
//!   marketing settings say.
//! - **service** (a notice about the customer's own account, such as a change of their consent): quiet
//!   hours only. It is always allowed (service messages cannot be switched off), not capped, and not
//!   held for a preferred day, but it does not wake anyone at night.
//! - **marketing** of a topic (a survey invitation is `marketing:surveys`): everything. Without
//!   permission for e-mail on that topic, while marketing is paused (until the end of `paused_until`
//!   in the customer's time zone), or with the topic's frequency cap used up (messages of the topic
//!   sent in the last 7 days for `week`, 30 days for `month`), it is dropped with that reason. Otherwise
//!   it waits for the next minute that is on a preferred day (when any are chosen) and outside quiet
//!   hours, both in the customer's time zone (an unknown zone counts as UTC).

use jiff::civil;
use jiff::tz::TimeZone;
use jiff::Timestamp;
use rapport_api::{CapPeriod, Channel, Preferences, Topic, Weekday};
use time::OffsetDateTime;

/// Which send-time rules a message is under (stored as its `kind` text).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Transactional,
    Service,
    Marketing(Topic),
}

impl Kind {
    /// The stored form: `transactional`, `service`, `marketing:<topic>`.
    pub fn as_text(self) -> String {
        match self {
            Kind::Transactional => "transactional".to_owned(),
            Kind::Service => "service".to_owned(),
            Kind::Marketing(topic) => format!("marketing:{}", topic.as_str()),
        }
    }

    pub fn parse(text: &str) -> Option<Kind> {
        match text {
            "transactional" => Some(Kind::Transactional),
            "service" => Some(Kind::Service),
            _ => {
                let topic = text.strip_prefix("marketing:")?;
                Topic::ALL
                    .into_iter()
                    .find(|t| t.as_str() == topic && t.is_marketing())
                    .map(Kind::Marketing)
            }
        }
    }
}

/// What the sender does with a due message now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    Send,
    /// Not yet: look again at this time (the next allowed minute).
    Wait(OffsetDateTime),
    /// Never: the reason is recorded on the row.
    Drop(&'static str),
}

/// Messages of the message's topic already sent to the customer in the last 7 and 30 days.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SentRecently {
    pub week: u32,
    pub month: u32,
}

/// The decision for a message of `kind` to a customer with these preferences at `now`.
pub fn decide(
    kind: Kind,
    prefs: &Preferences,
    sent: SentRecently,
    now: OffsetDateTime,
) -> Decision {
    let zone = zone_of(prefs);
    let quiet = quiet_window(prefs);
    let at = match kind {
        Kind::Transactional => return Decision::Send,
        Kind::Service => next_allowed(now, quiet, &[], &zone),
        Kind::Marketing(topic) => {
            let allowed = prefs
                .permissions
                .iter()
                .any(|p| p.channel == Channel::Email && p.topic == topic && p.allowed);
            if !allowed {
                return Decision::Drop("not_permitted");
            }
            if paused(prefs, now, &zone) {
                return Decision::Drop("paused");
            }
            if let Some(cap) = prefs.caps.iter().find(|cap| cap.topic == topic) {
                let used = match cap.per {
                    CapPeriod::Week => sent.week,
                    CapPeriod::Month => sent.month,
                };
                if used >= cap.max {
                    return Decision::Drop("frequency_cap");
                }
            }
            next_allowed(now, quiet, &prefs.preferred_days, &zone)
        }
    };
    if at > now {
        Decision::Wait(at)
    } else {
        Decision::Send
    }
}

/// The customer's time zone; a name the zone database does not know counts as UTC (the preference
/// centre checks only the form of the name).
pub fn zone_of(prefs: &Preferences) -> TimeZone {
    TimeZone::get(prefs.time_zone.trim()).unwrap_or(TimeZone::UTC)
}

/// Quiet hours as minutes of the day `[start, end)`, wrapping midnight when `start > end`; `None` when
/// there are none (or they are unreadable, or empty).
pub fn quiet_window(prefs: &Preferences) -> Option<(u16, u16)> {
    let quiet = prefs.quiet_hours.as_ref()?;
    let minutes = |text: &str| -> Option<u16> {
        let (h, m) = text.trim().split_once(':')?;
        let (h, m) = (h.parse::<u16>().ok()?, m.parse::<u16>().ok()?);
        (h < 24 && m < 60).then_some(h * 60 + m)
    };
    let window = (minutes(&quiet.start)?, minutes(&quiet.end)?);
    (window.0 != window.1).then_some(window)
}

/// Whether marketing is paused at `now`: `paused_until` is a date in the customer's time zone, the
/// whole day included.
fn paused(prefs: &Preferences, now: OffsetDateTime, zone: &TimeZone) -> bool {
    let Some(until) = prefs
        .paused_until
        .as_deref()
        .and_then(|d| d.trim().parse::<civil::Date>().ok())
    else {
        return false;
    };
    to_timestamp(now).to_zoned_datetime(zone.clone()).date() <= until
}

/// Whether a local minute of the day falls in quiet hours.
fn in_quiet(minute: u16, (start, end): (u16, u16)) -> bool {
    if start < end {
        (start..end).contains(&minute)
    } else {
        minute >= start || minute < end
    }
}

fn weekday(day: jiff::civil::Weekday) -> Weekday {
    use jiff::civil::Weekday as W;
    match day {
        W::Monday => Weekday::Mon,
        W::Tuesday => Weekday::Tue,
        W::Wednesday => Weekday::Wed,
        W::Thursday => Weekday::Thu,
        W::Friday => Weekday::Fri,
        W::Saturday => Weekday::Sat,
        W::Sunday => Weekday::Sun,
    }
}

/// Whether an instant is allowed: on a preferred day (any, when none are chosen) and outside quiet
/// hours, in `zone`.
pub fn allowed_at(
    at: OffsetDateTime,
    quiet: Option<(u16, u16)>,
    days: &[Weekday],
    zone: &TimeZone,
) -> bool {
    allowed(to_timestamp(at), quiet, days, zone)
}

fn allowed(at: Timestamp, quiet: Option<(u16, u16)>, days: &[Weekday], zone: &TimeZone) -> bool {
    let local = at.to_zoned_datetime(zone.clone());
    let minute =
        u16::try_from(local.hour()).unwrap_or(0) * 60 + u16::try_from(local.minute()).unwrap_or(0);
    (days.is_empty() || days.contains(&weekday(local.weekday())))
        && !quiet.is_some_and(|q| in_quiet(minute, q))
}

/// The first whole minute after `at`.
fn next_whole_minute(at: jiff::Timestamp) -> jiff::Timestamp {
    let second = at.as_second();
    jiff::Timestamp::from_second(second - second.rem_euclid(60) + 60).unwrap_or(at)
}

/// The first instant at or after `now` that is allowed (see [`allowed_at`]): `now` itself when it is,
/// else the start of a local minute (the end of quiet hours, or midnight of a preferred day).
pub fn next_allowed(
    now: OffsetDateTime,
    quiet: Option<(u16, u16)>,
    days: &[Weekday],
    zone: &TimeZone,
) -> OffsetDateTime {
    let mut at = to_timestamp(now);
    // Each step moves to the end of a quiet window or to the next midnight: a week of preferred-day
    // misses and quiet windows is far fewer steps than this.
    for _ in 0..64 {
        let local = at.to_zoned_datetime(zone.clone());
        let date = local.date();
        let minute = i32::from(local.hour()) * 60 + i32::from(local.minute());
        let candidate = if !days.is_empty() && !days.contains(&weekday(local.weekday())) {
            date.tomorrow()
                .ok()
                .and_then(|d| d.to_zoned_datetime(zone.clone()).ok())
        } else if let Some((_, end)) =
            quiet.filter(|q| in_quiet(u16::try_from(minute).unwrap_or(0), *q))
        {
            let day = if minute < i32::from(end) {
                Some(date)
            } else {
                date.tomorrow().ok()
            };
            day.and_then(|d| {
                d.at(
                    i8::try_from(end / 60).unwrap_or(0),
                    i8::try_from(end % 60).unwrap_or(0),
                    0,
                    0,
                )
                .to_zoned_datetime(zone.clone())
                .ok()
            })
        } else {
            return from_timestamp(at, now);
        };
        let minute_step = jiff::SignedDuration::from_secs(60);
        // A clock turned back can put the local end of the window before `at`: step to the next whole
        // minute instead.
        let mut next = candidate
            .map(|z| z.timestamp())
            .filter(|t| *t > at)
            .unwrap_or_else(|| next_whole_minute(at));
        // Across a clock change a jump by local time can pass allowed minutes (those after a skipped
        // hour, or a repeated hour outside the window): then look minute by minute, which is rare
        // (twice a year) and at most a day of minutes.
        if zone.to_offset(at) != zone.to_offset(next) {
            let mut minute = next_whole_minute(at);
            while minute < next {
                if allowed(minute, quiet, days, zone) {
                    next = minute;
                    break;
                }
                minute = minute.checked_add(minute_step).unwrap_or(next);
            }
        }
        at = next;
    }
    from_timestamp(at, now)
}

fn to_timestamp(at: OffsetDateTime) -> Timestamp {
    Timestamp::from_second(at.unix_timestamp()).unwrap_or(Timestamp::UNIX_EPOCH)
}

fn from_timestamp(at: Timestamp, fallback: OffsetDateTime) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(at.as_second())
        .unwrap_or(fallback)
        .max(fallback)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::preferences::defaults;
    use proptest::prelude::*;
    use rapport_api::{FrequencyCap, QuietHours};
    use time::macros::datetime;
    use time::Duration;

    fn prefs_with(quiet: Option<(&str, &str)>, days: &[Weekday], zone: &str) -> Preferences {
        let mut prefs = defaults();
        for cell in &mut prefs.permissions {
            if cell.channel == Channel::Email && cell.topic == Topic::Surveys {
                cell.allowed = true;
            }
        }
        prefs.quiet_hours = quiet.map(|(start, end)| QuietHours {
            start: start.into(),
            end: end.into(),
        });
        prefs.preferred_days = days.to_vec();
        prefs.time_zone = zone.into();
        prefs
    }

    const SURVEYS: Kind = Kind::Marketing(Topic::Surveys);

    #[test]
    fn a_survey_due_in_quiet_hours_waits_for_their_end_in_the_customers_zone() {
        // 21:30 UTC on a Monday in January is 22:30 in Amsterdam: inside 22:00–07:00.
        let prefs = prefs_with(Some(("22:00", "07:00")), &[], "Europe/Amsterdam");
        let now = datetime!(2026-01-05 21:30 UTC);
        assert_eq!(
            decide(SURVEYS, &prefs, SentRecently::default(), now),
            Decision::Wait(datetime!(2026-01-06 06:00 UTC))
        );
        // In summer Amsterdam is UTC+2.
        let summer = datetime!(2026-07-06 21:30 UTC);
        assert_eq!(
            decide(SURVEYS, &prefs, SentRecently::default(), summer),
            Decision::Wait(datetime!(2026-07-07 05:00 UTC))
        );
        // Outside the window: at once.
        let day = datetime!(2026-01-05 12:00 UTC);
        assert_eq!(
            decide(SURVEYS, &prefs, SentRecently::default(), day),
            Decision::Send
        );
    }

    #[test]
    fn preferred_days_and_quiet_hours_combine() {
        // Friday 23:00 in New York, Saturdays only, quiet 22:00–08:00: Saturday 08:00 local.
        let prefs = prefs_with(
            Some(("22:00", "08:00")),
            &[Weekday::Sat],
            "America/New_York",
        );
        let now = datetime!(2026-03-07 04:00 UTC);
        assert_eq!(
            decide(SURVEYS, &prefs, SentRecently::default(), now),
            Decision::Wait(datetime!(2026-03-07 13:00 UTC))
        );
    }

    #[test]
    fn transactional_messages_ignore_every_marketing_setting_and_service_ones_only_keep_quiet() {
        let mut prefs = prefs_with(Some(("00:00", "23:59")), &[Weekday::Sun], "UTC");
        prefs.permissions.iter_mut().for_each(|p| p.allowed = false);
        prefs.paused_until = Some("2099-01-01".into());
        let now = datetime!(2026-01-05 12:00 UTC);
        assert_eq!(
            decide(Kind::Transactional, &prefs, SentRecently::default(), now),
            Decision::Send
        );
        assert_eq!(
            decide(Kind::Service, &prefs, SentRecently::default(), now),
            Decision::Wait(datetime!(2026-01-05 23:59 UTC))
        );
        assert_eq!(
            decide(SURVEYS, &prefs, SentRecently::default(), now),
            Decision::Drop("not_permitted")
        );
    }

    #[test]
    fn a_pause_or_a_used_cap_drops_marketing() {
        let mut prefs = prefs_with(None, &[], "Pacific/Auckland");
        let now = datetime!(2026-01-05 12:00 UTC); // Already 6 January in Auckland.
        prefs.paused_until = Some("2026-01-06".into());
        assert_eq!(
            decide(SURVEYS, &prefs, SentRecently::default(), now),
            Decision::Drop("paused")
        );
        prefs.paused_until = Some("2026-01-05".into());
        assert_eq!(
            decide(SURVEYS, &prefs, SentRecently::default(), now),
            Decision::Send
        );
        prefs.caps = vec![FrequencyCap {
            topic: Topic::Surveys,
            max: 2,
            per: CapPeriod::Week,
        }];
        let sent = |week, month| SentRecently { week, month };
        assert_eq!(decide(SURVEYS, &prefs, sent(1, 5), now), Decision::Send);
        assert_eq!(
            decide(SURVEYS, &prefs, sent(2, 2), now),
            Decision::Drop("frequency_cap")
        );
    }

    #[test]
    fn an_unknown_zone_counts_as_utc_and_kinds_read_back() {
        let prefs = prefs_with(Some(("10:00", "11:00")), &[], "Mars/Olympus_Mons");
        assert_eq!(
            decide(
                SURVEYS,
                &prefs,
                SentRecently::default(),
                datetime!(2026-01-05 10:15 UTC)
            ),
            Decision::Wait(datetime!(2026-01-05 11:00 UTC))
        );
        for kind in [Kind::Transactional, Kind::Service, SURVEYS] {
            assert_eq!(Kind::parse(&kind.as_text()), Some(kind));
        }
        assert_eq!(Kind::parse("marketing:service"), None);
        assert_eq!(Kind::parse("bulk"), None);
    }

    #[test]
    fn a_window_ending_in_a_skipped_hour_ends_when_the_clock_jumps() {
        // Amsterdam skips 02:00–03:00 on 29 March 2026; quiet until 02:30 ends at 03:00 local.
        let prefs = prefs_with(Some(("01:00", "02:30")), &[], "Europe/Amsterdam");
        let now = datetime!(2026-03-29 00:15 UTC); // 01:15 local.
        let Decision::Wait(at) = decide(SURVEYS, &prefs, SentRecently::default(), now) else {
            panic!("waits");
        };
        assert_eq!(at, datetime!(2026-03-29 01:00 UTC));
    }

    #[test]
    fn a_window_ending_in_a_repeated_hour_ends_on_a_whole_minute() {
        // Amsterdam repeats 02:00–03:00 on 25 October 2026. One second into the second 02:00 (01:00:01
        // UTC), quiet until 02:01: the first 02:01 has passed, so the wait ends at the second one.
        let prefs = prefs_with(Some(("01:00", "02:01")), &[], "Europe/Amsterdam");
        let now = datetime!(2026-10-25 01:00:01 UTC);
        let Decision::Wait(at) = decide(SURVEYS, &prefs, SentRecently::default(), now) else {
            panic!("waits");
        };
        assert_eq!(at, datetime!(2026-10-25 01:01 UTC));
    }

    #[test]
    fn the_repeated_hour_outside_the_window_is_allowed() {
        // New York repeats 01:00–02:00 on 1 November 2026. At 01:59:59 EDT, quiet 01:01–02:00: the
        // repeated 01:00 (EST, 06:00 UTC) is outside the window and comes first.
        let prefs = prefs_with(Some(("01:01", "02:00")), &[], "America/New_York");
        let now = datetime!(2026-11-01 05:59:59 UTC);
        let Decision::Wait(at) = decide(SURVEYS, &prefs, SentRecently::default(), now) else {
            panic!("waits");
        };
        assert_eq!(at, datetime!(2026-11-01 06:00 UTC));
    }

    const ZONES: [&str; 6] = [
        "UTC",
        "Europe/Amsterdam",
        "America/New_York",
        "Asia/Kolkata",
        "Australia/Lord_Howe",
        "Pacific/Chatham",
    ];

    /// The property below, at any instant.
    fn check_next_allowed(
        now: OffsetDateTime,
        quiet: Option<(u16, u16)>,
        days: &[Weekday],
        zone: &TimeZone,
    ) -> Result<(), TestCaseError> {
        let at = next_allowed(now, quiet, days, zone);
        prop_assert!(at >= now);
        prop_assert!(allowed_at(at, quiet, days, zone), "{at} not allowed");
        prop_assert!(at - now <= Duration::days(8));
        if at > now {
            prop_assert_eq!(at.second(), 0, "a whole minute");
            prop_assert!(!allowed_at(now, quiet, days, zone));
            let mut minute = now.replace_second(0).unwrap() + Duration::minutes(1);
            while minute < at {
                prop_assert!(
                    !allowed_at(minute, quiet, days, zone),
                    "{minute} was allowed before {at}"
                );
                minute += Duration::minutes(1);
            }
        }
        Ok(())
    }

    fn days_of(mask: u8) -> Vec<Weekday> {
        Weekday::ALL
            .into_iter()
            .enumerate()
            .filter(|(i, _)| mask & (1 << i) != 0)
            .map(|(_, d)| d)
            .collect()
    }

    /// Clock changes of 2026 (UTC): Europe's spring and autumn, New York's spring and autumn.
    const CHANGES: [(i64, &str); 4] = [
        (1_774_746_000, "Europe/Amsterdam"),
        (1_792_890_000, "Europe/Amsterdam"),
        (1_772_953_200, "America/New_York"),
        (1_793_512_800, "America/New_York"),
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(96))]

        /// Around the hours that are skipped or repeated, too.
        #[test]
        fn next_allowed_is_the_first_allowed_minute_around_clock_changes(
            change in 0_usize..CHANGES.len(),
            offset in -7_200_i64..7_200,
            start in 0_u16..1440,
            len in 1_u16..1439,
            day_mask in 0_u8..128,
        ) {
            let (at, zone) = CHANGES[change];
            let now = OffsetDateTime::from_unix_timestamp(at + offset).unwrap();
            // Windows that begin or end near the change are the interesting ones: pull them there.
            let start = (start % 240 + 60) % 1440;
            let quiet = Some((start, (start + len % 240 + 1) % 1440)).filter(|(a, b)| a != b);
            check_next_allowed(now, quiet, &days_of(day_mask), &TimeZone::get(zone).unwrap())?;
        }

        /// The answer is allowed, not before `now`, and no minute between `now` and it is allowed:
        /// it is the next allowed minute.
        #[test]
        fn next_allowed_is_the_first_allowed_minute(
            secs in 1_577_836_800_i64..2_082_758_400,
            start in 0_u16..1440,
            len in 1_u16..1439,
            quiet_on in any::<bool>(),
            day_mask in 0_u8..128,
            zone in 0_usize..ZONES.len(),
        ) {
            let now = OffsetDateTime::from_unix_timestamp(secs).unwrap();
            let quiet = quiet_on.then_some((start, (start + len) % 1440));
            let zone = TimeZone::get(ZONES[zone]).unwrap();
            check_next_allowed(now, quiet, &days_of(day_mask), &zone)?;
        }
    }
}
