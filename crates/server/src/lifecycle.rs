//! Relationship lifecycle rules: which phase a customer's relationship is in, and which survey
//! invitations are due. Pure functions over [`Facts`]: no database, no clock (the caller passes `now`),
//! so every rule can be tested on generated histories. `relationship.rs` loads the facts and stores the
//! decisions.
//!
//! # Phase (Dwyer's model), with the default [`LifecycleRules`]
//!
//! Signs of dissolution override everything else; every sign found is a reason:
//! - `falling_order_frequency`: at most half as many orders in the last 180 days as in the 180 days
//!   before, when there were at least 2 orders before;
//! - `recent_complaint`: a complaint in the last 90 days;
//! - `low_commitment`: the latest commitment index (survey `commitment-customer`) is below 40.
//!
//! Otherwise, the first rule that matches decides:
//! 1. no orders → awareness (`no_orders`);
//! 2. a customer for at least 2 years whose latest commitment index is at least 70 → commitment
//!    (`long_tenure`, `high_commitment`);
//! 3. at least 3 orders across at least 2 item categories → expansion
//!    (`repeat_orders_across_categories`);
//! 4. anything else (fewer than 3 orders, or one category only) → exploration (`first_orders`).
//!
//! Cancelled orders are not orders here: nothing changed hands.
//!
//! # Survey invitations
//!
//! - `order_delivered`: an order delivered at least 2 days ago (`delivered_delay_days`, overridable by
//!   `RAPPORT_SURVEY_DELAY_DAYS`) and at most 30 days ago gets `ces-effort` about that order, once per
//!   order (`order_delivered:<order>`).
//! - `periodic`: every 90 days since `customer_since` (period 1 starts on day 90), `nps` and, as a second
//!   invitation, `commitment-customer`; once per period (`periodic:<customer>:<period>` for the first
//!   instrument, `periodic:<customer>:<period>:<instrument>` for the others).
//! - `win_back`: in the dissolution phase, `commitment-customer`, at most once per 180 days
//!   (`win_back:<customer>:<half-year since customer_since>`, and no other win-back in the 180 days
//!   before). Not while that survey is already pending, nor when the customer answered it in the last
//!   180 days: the firm already has those answers.
//!
//! An invitation is e-mailed only when the customer allows e-mail for the `surveys` topic, has not
//! paused marketing (`paused_until`, compared in UTC), and the `surveys` frequency cap (rolling 7 days
//! for `week`, 30 days for `month`, counting e-mailed invitations) leaves room. Otherwise it is stored
//! with `emailed = false` and only shown in the portal. An e-mailed invitation is queued in the outbox,
//! whose sender applies the preferences again when it is due: quiet hours and preferred days delay it,
//! and a permission withdrawn, a pause or a used cap by then drops it (see `send_rules`).

use rapport_api::{CapPeriod, Channel, Phase, PhaseReason, Preferences, Topic, Trigger};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use time::macros::format_description;
use time::{Date, Duration, OffsetDateTime};

/// The configurable thresholds and instruments of the lifecycle. Every field has a default, so a JSON
/// file (`RAPPORT_LIFECYCLE`) needs to name only what it changes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LifecycleRules {
    /// Expansion needs at least this many orders…
    pub expansion_min_orders: u32,
    /// …across at least this many item categories.
    pub expansion_min_categories: u32,
    /// Commitment needs at least this tenure…
    pub commitment_min_tenure_days: i64,
    /// …and a latest commitment index of at least this.
    pub commitment_min_index: f64,
    /// Length of the two windows whose order counts are compared.
    pub frequency_window_days: i64,
    /// The comparison only counts with at least this many orders in the earlier window.
    pub frequency_min_orders_before: u32,
    /// Falling: recent orders ≤ this share of the earlier window's orders.
    pub frequency_drop_ratio: f64,
    /// A complaint this recent is a sign of dissolution.
    pub complaint_window_days: i64,
    /// A latest commitment index below this is a sign of dissolution.
    pub low_commitment_index: f64,
    /// Days after delivery before the order survey is due.
    pub delivered_delay_days: i64,
    /// Deliveries older than this get no order survey any more.
    pub delivered_window_days: i64,
    pub delivered_instrument: String,
    /// Length of a periodic check-in period; 0 switches periodic invitations off.
    pub periodic_days: i64,
    pub periodic_instruments: Vec<String>,
    pub win_back_instrument: String,
    /// At most one win-back invitation in this many days.
    pub win_back_days: i64,
}

impl Default for LifecycleRules {
    fn default() -> Self {
        Self {
            expansion_min_orders: 3,
            expansion_min_categories: 2,
            commitment_min_tenure_days: 2 * 365,
            commitment_min_index: 70.0,
            frequency_window_days: 180,
            frequency_min_orders_before: 2,
            frequency_drop_ratio: 0.5,
            complaint_window_days: 90,
            low_commitment_index: 40.0,
            delivered_delay_days: 2,
            delivered_window_days: 30,
            delivered_instrument: "ces-effort".to_owned(),
            periodic_days: 90,
            periodic_instruments: vec!["nps".to_owned(), "commitment-customer".to_owned()],
            win_back_instrument: "commitment-customer".to_owned(),
            win_back_days: 180,
        }
    }
}

/// Longest accepted period, in days: keeps date arithmetic far from overflow.
const MAX_DAYS: i64 = 100 * 366;

impl LifecycleRules {
    /// Whether the rules make sense; the message names the first field that does not.
    pub fn validate(&self) -> Result<(), String> {
        let days = [
            (
                "commitment_min_tenure_days",
                self.commitment_min_tenure_days,
            ),
            ("frequency_window_days", self.frequency_window_days),
            ("complaint_window_days", self.complaint_window_days),
            ("delivered_delay_days", self.delivered_delay_days),
            ("delivered_window_days", self.delivered_window_days),
            ("periodic_days", self.periodic_days),
            ("win_back_days", self.win_back_days),
        ];
        for (name, value) in days {
            if !(0..=MAX_DAYS).contains(&value) {
                return Err(format!(
                    "{name} must be from 0 to {MAX_DAYS} days, not {value}"
                ));
            }
        }
        if self.frequency_window_days == 0 {
            return Err("frequency_window_days must be at least 1".into());
        }
        if !(0.0..=1.0).contains(&self.frequency_drop_ratio) {
            return Err("frequency_drop_ratio must be from 0 to 1".into());
        }
        for (name, value) in [
            ("commitment_min_index", self.commitment_min_index),
            ("low_commitment_index", self.low_commitment_index),
        ] {
            if !(0.0..=100.0).contains(&value) {
                return Err(format!("{name} must be from 0 to 100"));
            }
        }
        let instruments = std::iter::once(&self.delivered_instrument)
            .chain(&self.periodic_instruments)
            .chain(std::iter::once(&self.win_back_instrument));
        for id in instruments {
            if !rapport_core::BUILTIN_NAMES.contains(&id.as_str()) {
                return Err(format!("there is no built-in survey {id:?}"));
            }
        }
        Ok(())
    }
}

/// One order as the rules see it.
#[derive(Clone, Debug, PartialEq)]
pub struct OrderFact {
    pub id: i64,
    pub placed_at: OffsetDateTime,
    /// Categories of its items.
    pub categories: Vec<String>,
    /// When it was delivered, for an order that is delivered now (not returned).
    pub delivered_at: Option<OffsetDateTime>,
}

/// Everything the rules look at for one customer. Cancelled orders are left out by the loader.
#[derive(Clone, Debug, PartialEq)]
pub struct Facts {
    pub customer_id: i64,
    pub customer_since: OffsetDateTime,
    pub orders: Vec<OrderFact>,
    /// When each complaint was filed.
    pub complaints: Vec<OffsetDateTime>,
    /// Index of the latest `commitment-customer` answer.
    pub commitment_index: Option<f64>,
    /// Instrument id → when the customer last answered it.
    pub latest_answers: BTreeMap<String, OffsetDateTime>,
}

/// The phase and the facts that led to it.
#[derive(Clone, Debug, PartialEq)]
pub struct Assessment {
    pub phase: Phase,
    pub reasons: Vec<PhaseReason>,
}

fn reason(code: &str, detail: String) -> PhaseReason {
    PhaseReason {
        code: code.to_owned(),
        detail,
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn days(n: i64) -> Duration {
    Duration::days(n.clamp(0, MAX_DAYS))
}

/// The relationship phase at `now`.
pub fn assess(facts: &Facts, rules: &LifecycleRules, now: OffsetDateTime) -> Assessment {
    let orders: Vec<&OrderFact> = facts.orders.iter().filter(|o| o.placed_at <= now).collect();
    let mut signs = Vec::new();

    let window = days(rules.frequency_window_days);
    let recent = orders.iter().filter(|o| o.placed_at > now - window).count();
    let before = orders
        .iter()
        .filter(|o| o.placed_at <= now - window && o.placed_at > now - window - window)
        .count();
    if before >= rules.frequency_min_orders_before as usize
        && before > 0
        && recent as f64 <= before as f64 * rules.frequency_drop_ratio
    {
        signs.push(reason(
            "falling_order_frequency",
            format!(
                "{} in the last {} days, against {} in the {} days before.",
                plural(recent, "order", "orders"),
                rules.frequency_window_days,
                before,
                rules.frequency_window_days
            ),
        ));
    }
    let complaint = facts
        .complaints
        .iter()
        .filter(|at| **at <= now && **at > now - days(rules.complaint_window_days))
        .max();
    if let Some(at) = complaint {
        signs.push(reason(
            "recent_complaint",
            format!(
                "A complaint on {}, within the last {} days.",
                at.date(),
                rules.complaint_window_days
            ),
        ));
    }
    if let Some(index) = facts
        .commitment_index
        .filter(|i| *i < rules.low_commitment_index)
    {
        signs.push(reason(
            "low_commitment",
            format!(
                "The latest commitment index is {index:.0}, below {:.0}.",
                rules.low_commitment_index
            ),
        ));
    }
    if !signs.is_empty() {
        return Assessment {
            phase: Phase::Dissolution,
            reasons: signs,
        };
    }

    if orders.is_empty() {
        return Assessment {
            phase: Phase::Awareness,
            reasons: vec![reason("no_orders", "No orders yet.".to_owned())],
        };
    }
    let tenure = (now - facts.customer_since).whole_days();
    if let Some(index) = facts.commitment_index {
        if tenure >= rules.commitment_min_tenure_days && index >= rules.commitment_min_index {
            return Assessment {
                phase: Phase::Commitment,
                reasons: vec![
                    reason(
                        "long_tenure",
                        format!(
                            "A customer for {} (since {}).",
                            plural(tenure as usize, "day", "days"),
                            facts.customer_since.date()
                        ),
                    ),
                    reason(
                        "high_commitment",
                        format!("The latest commitment index is {index:.0}."),
                    ),
                ],
            };
        }
    }
    let categories: BTreeSet<&str> = orders
        .iter()
        .flat_map(|o| o.categories.iter().map(String::as_str))
        .collect();
    let counts = format!(
        "{} in {}.",
        plural(orders.len(), "order", "orders"),
        plural(categories.len(), "category", "categories")
    );
    if orders.len() >= rules.expansion_min_orders as usize
        && categories.len() >= rules.expansion_min_categories as usize
    {
        Assessment {
            phase: Phase::Expansion,
            reasons: vec![reason("repeat_orders_across_categories", counts)],
        }
    } else {
        Assessment {
            phase: Phase::Exploration,
            reasons: vec![reason("first_orders", counts)],
        }
    }
}

/// An invitation already stored for the customer (any status).
#[derive(Clone, Debug, PartialEq)]
pub struct ExistingInvitation {
    pub dedupe_key: String,
    pub trigger: Trigger,
    pub instrument: String,
    pub created_at: OffsetDateTime,
    pub emailed: bool,
    pub pending: bool,
}

/// An invitation that is due now and not stored yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DueInvitation {
    pub instrument: String,
    pub trigger: Trigger,
    pub order_id: Option<i64>,
    pub dedupe_key: String,
    /// Whether to send it by e-mail (permission, pause and cap allow it).
    pub email: bool,
}

/// How many more survey e-mails the customer's preferences allow now: `None` = none at all.
pub fn email_allowance(
    prefs: &Preferences,
    existing: &[ExistingInvitation],
    now: OffsetDateTime,
) -> Option<usize> {
    let allowed = prefs
        .permissions
        .iter()
        .any(|p| p.channel == Channel::Email && p.topic == Topic::Surveys && p.allowed);
    let paused = prefs
        .paused_until
        .as_deref()
        .and_then(|d| Date::parse(d, format_description!("[year]-[month]-[day]")).ok())
        .is_some_and(|until| now.date() <= until);
    if !allowed || paused {
        return None;
    }
    match prefs.caps.iter().find(|cap| cap.topic == Topic::Surveys) {
        None => Some(usize::MAX),
        Some(cap) => {
            let window = match cap.per {
                CapPeriod::Week => Duration::days(7),
                CapPeriod::Month => Duration::days(30),
            };
            let sent = existing
                .iter()
                .filter(|i| i.emailed && i.created_at > now - window)
                .count();
            Some((cap.max as usize).saturating_sub(sent))
        }
    }
}

/// The invitations due at `now` that are not stored yet, in the order they should be created (and get
/// the e-mail allowance): deliveries oldest first, then periodic, then win-back.
pub fn due_invitations(
    facts: &Facts,
    phase: Phase,
    existing: &[ExistingInvitation],
    prefs: &Preferences,
    rules: &LifecycleRules,
    now: OffsetDateTime,
) -> Vec<DueInvitation> {
    let taken: BTreeSet<&str> = existing.iter().map(|i| i.dedupe_key.as_str()).collect();
    let mut due: Vec<(String, Trigger, Option<i64>, String)> = Vec::new();

    let mut delivered: Vec<(OffsetDateTime, i64)> = facts
        .orders
        .iter()
        .filter_map(|o| o.delivered_at.map(|at| (at, o.id)))
        .filter(|(at, _)| {
            *at <= now - days(rules.delivered_delay_days)
                && *at >= now - days(rules.delivered_window_days)
        })
        .collect();
    delivered.sort();
    for (_, order_id) in delivered {
        due.push((
            rules.delivered_instrument.clone(),
            Trigger::OrderDelivered,
            Some(order_id),
            format!("order_delivered:{order_id}"),
        ));
    }

    let tenure = (now - facts.customer_since).whole_days();
    if rules.periodic_days > 0 && tenure >= rules.periodic_days {
        let period = tenure / rules.periodic_days;
        for (n, instrument) in rules.periodic_instruments.iter().enumerate() {
            let base = format!("periodic:{}:{period}", facts.customer_id);
            let key = if n == 0 {
                base
            } else {
                format!("{base}:{instrument}")
            };
            due.push((instrument.clone(), Trigger::Periodic, None, key));
        }
    }

    if phase == Phase::Dissolution {
        let window = days(rules.win_back_days);
        let half = tenure.max(0) / rules.win_back_days.max(1);
        let key = format!("win_back:{}:{half}", facts.customer_id);
        let instrument = &rules.win_back_instrument;
        let recent_win_back = existing
            .iter()
            .any(|i| i.trigger == Trigger::WinBack && i.created_at > now - window);
        let pending = existing
            .iter()
            .any(|i| i.pending && &i.instrument == instrument)
            || due.iter().any(|(id, _, order, key)| {
                id == instrument && order.is_none() && !taken.contains(key.as_str())
            });
        let answered = facts
            .latest_answers
            .get(instrument)
            .is_some_and(|at| *at > now - window);
        if !recent_win_back && !pending && !answered {
            due.push((instrument.clone(), Trigger::WinBack, None, key));
        }
    }

    let mut allowance = email_allowance(prefs, existing, now);
    due.into_iter()
        .filter(|(_, _, _, key)| !taken.contains(key.as_str()))
        .map(|(instrument, trigger, order_id, dedupe_key)| {
            let email = match allowance.as_mut() {
                Some(left) if *left > 0 => {
                    *left -= 1;
                    true
                }
                _ => false,
            };
            DueInvitation {
                instrument,
                trigger,
                order_id,
                dedupe_key,
                email,
            }
        })
        .collect()
}

/// The wire name of a trigger, also its database value.
pub fn trigger_name(trigger: Trigger) -> &'static str {
    match trigger {
        Trigger::OrderDelivered => "order_delivered",
        Trigger::Periodic => "periodic",
        Trigger::WinBack => "win_back",
    }
}

pub fn parse_trigger(text: &str) -> Option<Trigger> {
    [Trigger::OrderDelivered, Trigger::Periodic, Trigger::WinBack]
        .into_iter()
        .find(|t| trigger_name(*t) == text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rapport_api::FrequencyCap;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-06-01 12:00 UTC);

    fn order(id: i64, age_days: i64, category: &str) -> OrderFact {
        OrderFact {
            id,
            placed_at: NOW - Duration::days(age_days),
            categories: vec![category.to_owned()],
            delivered_at: None,
        }
    }

    fn facts(since_days: i64, orders: Vec<OrderFact>) -> Facts {
        Facts {
            customer_id: 7,
            customer_since: NOW - Duration::days(since_days),
            orders,
            complaints: Vec::new(),
            commitment_index: None,
            latest_answers: BTreeMap::new(),
        }
    }

    fn phase(f: &Facts) -> Phase {
        assess(f, &LifecycleRules::default(), NOW).phase
    }

    fn codes(a: &Assessment) -> Vec<&str> {
        a.reasons.iter().map(|r| r.code.as_str()).collect()
    }

    /// Preferences with surveys by e-mail switched on or off.
    fn prefs(surveys_by_email: bool) -> Preferences {
        let mut p = crate::preferences::defaults();
        for cell in &mut p.permissions {
            if cell.channel == Channel::Email && cell.topic == Topic::Surveys {
                cell.allowed = surveys_by_email;
            }
        }
        p
    }

    /// Existing invitations as stored after creating `due` at `at`.
    fn stored(due: &[DueInvitation], at: OffsetDateTime) -> Vec<ExistingInvitation> {
        due.iter()
            .map(|d| ExistingInvitation {
                dedupe_key: d.dedupe_key.clone(),
                trigger: d.trigger,
                instrument: d.instrument.clone(),
                created_at: at,
                emailed: d.email,
                pending: true,
            })
            .collect()
    }

    #[test]
    fn defaults_are_valid_and_a_partial_file_keeps_the_rest() {
        LifecycleRules::default().validate().unwrap();
        let rules: LifecycleRules =
            serde_json::from_str(r#"{"delivered_delay_days": 0, "periodic_instruments": ["nps"]}"#)
                .unwrap();
        assert_eq!(rules.delivered_delay_days, 0);
        assert_eq!(rules.win_back_days, 180);
        rules.validate().unwrap();
        assert!(serde_json::from_str::<LifecycleRules>(r#"{"typo": 1}"#).is_err());
        for bad in [
            LifecycleRules {
                delivered_delay_days: -1,
                ..LifecycleRules::default()
            },
            LifecycleRules {
                frequency_drop_ratio: 2.0,
                ..LifecycleRules::default()
            },
            LifecycleRules {
                win_back_instrument: "nope".into(),
                ..LifecycleRules::default()
            },
        ] {
            assert!(bad.validate().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_documented_phases() {
        let a = assess(&facts(10, vec![]), &LifecycleRules::default(), NOW);
        assert_eq!((a.phase, codes(&a)), (Phase::Awareness, vec!["no_orders"]));

        let one = facts(100, vec![order(1, 20, "audio")]);
        assert_eq!(phase(&one), Phase::Exploration);
        let same_category = facts(100, (1..=5).map(|i| order(i, i * 10, "audio")).collect());
        assert_eq!(phase(&same_category), Phase::Exploration);
        let mixed = facts(
            100,
            vec![
                order(1, 10, "audio"),
                order(2, 20, "audio"),
                order(3, 30, "home"),
            ],
        );
        let a = assess(&mixed, &LifecycleRules::default(), NOW);
        assert_eq!(a.phase, Phase::Expansion);
        assert_eq!(a.reasons[0].code, "repeat_orders_across_categories");
        assert_eq!(a.reasons[0].detail, "3 orders in 2 categories.");

        let mut loyal = facts(800, mixed.orders.clone());
        loyal.commitment_index = Some(72.0);
        let a = assess(&loyal, &LifecycleRules::default(), NOW);
        assert_eq!(
            (a.phase, codes(&a)),
            (Phase::Commitment, vec!["long_tenure", "high_commitment"])
        );
        // Too short a tenure: high commitment alone is not enough.
        loyal.customer_since = NOW - Duration::days(700);
        assert_eq!(phase(&loyal), Phase::Expansion);
    }

    #[test]
    fn every_sign_of_dissolution_is_a_reason() {
        // 4 orders in the earlier window, 1 in the last 180 days.
        let mut f = facts(
            800,
            vec![
                order(1, 10, "audio"),
                order(2, 200, "home"),
                order(3, 250, "home"),
                order(4, 300, "audio"),
                order(5, 350, "audio"),
            ],
        );
        f.complaints = vec![NOW - Duration::days(30)];
        f.commitment_index = Some(35.0);
        let a = assess(&f, &LifecycleRules::default(), NOW);
        assert_eq!(a.phase, Phase::Dissolution);
        assert_eq!(
            codes(&a),
            [
                "falling_order_frequency",
                "recent_complaint",
                "low_commitment"
            ]
        );
        assert_eq!(
            a.reasons[0].detail,
            "1 order in the last 180 days, against 4 in the 180 days before."
        );
        // Exactly half is still falling; more than half is not.
        f.complaints.clear();
        f.commitment_index = None;
        f.orders.push(order(6, 20, "audio"));
        assert_eq!(phase(&f), Phase::Dissolution);
        f.orders.push(order(7, 30, "audio"));
        assert_eq!(phase(&f), Phase::Expansion);
        // One order before is too few to speak of a trend.
        let f = facts(800, vec![order(1, 200, "audio")]);
        assert_eq!(phase(&f), Phase::Exploration);
        // A complaint 91 days ago no longer counts.
        let mut f = facts(800, vec![order(1, 100, "audio")]);
        f.complaints = vec![NOW - Duration::days(91)];
        assert_eq!(phase(&f), Phase::Exploration);
    }

    /// Generated histories: up to 12 orders within two years, categories from a small set, optional
    /// complaints and commitment index.
    fn history() -> impl Strategy<Value = Facts> {
        (
            0i64..1500,
            prop::collection::vec((0i64..730, 0usize..3), 0..12),
            prop::collection::vec(0i64..400, 0..3),
            prop::option::of(0.0f64..=100.0),
        )
            .prop_map(|(since, orders, complaints, index)| {
                let categories = ["audio", "home", "computing"];
                let mut f = facts(
                    since,
                    orders
                        .into_iter()
                        .enumerate()
                        .map(|(i, (age, c))| order(i as i64 + 1, age, categories[c]))
                        .collect(),
                );
                f.complaints = complaints
                    .into_iter()
                    .map(|age| NOW - Duration::days(age))
                    .collect();
                f.commitment_index = index;
                f
            })
    }

    fn rank(phase: Phase) -> u8 {
        match phase {
            Phase::Awareness => 0,
            Phase::Exploration => 1,
            Phase::Expansion => 2,
            Phase::Commitment => 3,
            Phase::Dissolution => 4,
        }
    }

    proptest! {
        #[test]
        fn a_complaint_in_the_last_90_days_always_gives_dissolution(
            mut f in history(), age in 0i64..90,
        ) {
            f.complaints.push(NOW - Duration::days(age));
            let a = assess(&f, &LifecycleRules::default(), NOW);
            prop_assert_eq!(a.phase, Phase::Dissolution);
            prop_assert!(codes(&a).contains(&"recent_complaint"));
        }

        #[test]
        fn without_orders_or_signs_it_is_awareness(mut f in history()) {
            f.orders.clear();
            f.complaints.clear();
            f.commitment_index = None;
            prop_assert_eq!(phase(&f), Phase::Awareness);
        }

        #[test]
        fn low_commitment_always_gives_dissolution(mut f in history(), index in 0.0f64..40.0) {
            f.commitment_index = Some(index);
            prop_assert_eq!(phase(&f), Phase::Dissolution);
        }

        #[test]
        fn there_is_always_a_reason_and_dissolution_only_with_signs(f in history()) {
            let a = assess(&f, &LifecycleRules::default(), NOW);
            prop_assert!(!a.reasons.is_empty());
            let signs = ["falling_order_frequency", "recent_complaint", "low_commitment"];
            let has_sign = a.reasons.iter().any(|r| signs.contains(&r.code.as_str()));
            prop_assert_eq!(a.phase == Phase::Dissolution, has_sign);
        }

        /// Without signs of dissolution, one more recent order in a new category never moves a customer
        /// back (awareness < exploration < expansion < commitment).
        #[test]
        fn a_new_order_never_moves_back(mut f in history()) {
            f.complaints.clear();
            f.commitment_index = f.commitment_index.map(|i| i.max(40.0));
            let before = phase(&f);
            if before != Phase::Dissolution {
                f.orders.push(order(99, 0, "new category"));
                let after = phase(&f);
                prop_assert!(after == Phase::Dissolution || rank(after) >= rank(before),
                    "{:?} -> {:?}", before, after);
                // A recent order cannot cause falling frequency.
                prop_assert_ne!(after, Phase::Dissolution);
            }
        }

        /// A higher commitment index never lowers the phase (outside dissolution).
        #[test]
        fn more_commitment_never_lowers_the_phase(mut f in history(), extra in 0.0f64..30.0) {
            f.complaints.clear();
            let Some(index) = f.commitment_index.filter(|i| *i >= 40.0) else { return Ok(()) };
            let before = phase(&f);
            f.commitment_index = Some((index + extra).min(100.0));
            let after = phase(&f);
            if before != Phase::Dissolution {
                prop_assert!(rank(after) >= rank(before));
            }
        }
    }

    #[test]
    fn a_delivered_order_is_invited_once_after_the_delay_and_within_the_window() {
        let rules = LifecycleRules::default();
        let mut f = facts(30, vec![order(5, 10, "audio")]);
        let none = Vec::new();
        for (delivered_days_ago, expected) in [(0, 0), (1, 0), (2, 1), (30, 1), (31, 0)] {
            f.orders[0].delivered_at = Some(NOW - Duration::days(delivered_days_ago));
            let due = due_invitations(&f, Phase::Exploration, &none, &prefs(true), &rules, NOW);
            assert_eq!(due.len(), expected, "{delivered_days_ago} days");
        }
        f.orders[0].delivered_at = Some(NOW - Duration::days(3));
        let due = due_invitations(&f, Phase::Exploration, &none, &prefs(true), &rules, NOW);
        assert_eq!(
            due,
            [DueInvitation {
                instrument: "ces-effort".into(),
                trigger: Trigger::OrderDelivered,
                order_id: Some(5),
                dedupe_key: "order_delivered:5".into(),
                email: true,
            }]
        );
        // Evaluated again (even days later): nothing new for the same order.
        let existing = stored(&due, NOW);
        for later in [0, 1, 20] {
            let at = NOW + Duration::days(later);
            assert!(
                due_invitations(&f, Phase::Exploration, &existing, &prefs(true), &rules, at)
                    .is_empty()
            );
        }
        // With no delay, due at once.
        let now_rules = LifecycleRules {
            delivered_delay_days: 0,
            ..rules
        };
        f.orders[0].delivered_at = Some(NOW);
        assert_eq!(
            due_invitations(&f, Phase::Exploration, &none, &prefs(true), &now_rules, NOW).len(),
            1
        );
    }

    #[test]
    fn periodic_invitations_come_once_per_period() {
        let rules = LifecycleRules::default();
        let f = facts(0, vec![]);
        let mut existing: Vec<ExistingInvitation> = Vec::new();
        let mut keys = Vec::new();
        // Evaluate daily for a year: exactly two invitations per completed 90-day period.
        for day in 0..=365 {
            let at = NOW + Duration::days(day);
            let due = due_invitations(&f, Phase::Awareness, &existing, &prefs(false), &rules, at);
            keys.extend(
                due.iter()
                    .map(|d| (day, d.dedupe_key.clone(), d.instrument.clone())),
            );
            existing.extend(stored(&due, at));
        }
        let expected: Vec<(i64, String, String)> = (1..=4)
            .flat_map(|p| {
                [
                    (p * 90, format!("periodic:7:{p}"), "nps".to_owned()),
                    (
                        p * 90,
                        format!("periodic:7:{p}:commitment-customer"),
                        "commitment-customer".to_owned(),
                    ),
                ]
            })
            .collect();
        assert_eq!(keys, expected);
    }

    #[test]
    fn win_back_comes_at_most_once_per_180_days() {
        let rules = LifecycleRules {
            periodic_days: 0,
            ..LifecycleRules::default()
        };
        let f = facts(1000, vec![order(1, 400, "audio")]);
        let mut existing: Vec<ExistingInvitation> = Vec::new();
        let mut days_with_win_back = Vec::new();
        for day in 0..=400 {
            let at = NOW + Duration::days(day);
            let due = due_invitations(&f, Phase::Dissolution, &existing, &prefs(true), &rules, at);
            for d in &due {
                assert_eq!(
                    (d.trigger, d.instrument.as_str()),
                    (Trigger::WinBack, "commitment-customer")
                );
                days_with_win_back.push(day);
            }
            // The customer dismisses each one at once, so "pending" never holds it back.
            existing.extend(stored(&due, at).into_iter().map(|mut e| {
                e.pending = false;
                e
            }));
        }
        assert!(days_with_win_back.windows(2).all(|w| w[1] - w[0] >= 180));
        assert_eq!(days_with_win_back.first(), Some(&0));
        assert!(days_with_win_back.len() >= 2, "{days_with_win_back:?}");
        // Not outside dissolution, not while pending, not after a recent answer.
        let none = Vec::new();
        assert!(due_invitations(&f, Phase::Expansion, &none, &prefs(true), &rules, NOW).is_empty());
        let pending = vec![ExistingInvitation {
            dedupe_key: "periodic:7:1:commitment-customer".into(),
            trigger: Trigger::Periodic,
            instrument: "commitment-customer".into(),
            created_at: NOW - Duration::days(400),
            emailed: false,
            pending: true,
        }];
        assert!(
            due_invitations(&f, Phase::Dissolution, &pending, &prefs(true), &rules, NOW).is_empty()
        );
        let mut answered = f.clone();
        answered
            .latest_answers
            .insert("commitment-customer".into(), NOW - Duration::days(10));
        assert!(due_invitations(
            &answered,
            Phase::Dissolution,
            &none,
            &prefs(true),
            &rules,
            NOW
        )
        .is_empty());
    }

    #[test]
    fn e_mail_needs_permission_no_pause_and_room_under_the_cap() {
        let rules = LifecycleRules::default();
        let delivered = |id: i64| OrderFact {
            delivered_at: Some(NOW - Duration::days(3)),
            ..order(id, 5, "audio")
        };
        let f = facts(10, (1..=4).map(delivered).collect());
        let emails = |p: &Preferences, existing: &[ExistingInvitation]| {
            due_invitations(&f, Phase::Exploration, existing, p, &rules, NOW)
                .iter()
                .map(|d| d.email)
                .collect::<Vec<bool>>()
        };
        assert_eq!(emails(&prefs(true), &[]), [true; 4]);
        assert_eq!(emails(&prefs(false), &[]), [false; 4], "no permission");

        let mut paused = prefs(true);
        paused.paused_until = Some(NOW.date().to_string());
        assert_eq!(emails(&paused, &[]), [false; 4], "paused through today");
        paused.paused_until = Some((NOW.date() - Duration::days(1)).to_string());
        assert_eq!(emails(&paused, &[]), [true; 4], "the pause is over");

        let mut capped = prefs(true);
        capped.caps = vec![FrequencyCap {
            topic: Topic::Surveys,
            max: 3,
            per: CapPeriod::Week,
        }];
        assert_eq!(emails(&capped, &[]), [true, true, true, false]);
        let sent = |days_ago: i64| ExistingInvitation {
            dedupe_key: format!("periodic:7:{days_ago}"),
            trigger: Trigger::Periodic,
            instrument: "nps".into(),
            created_at: NOW - Duration::days(days_ago),
            emailed: true,
            pending: false,
        };
        assert_eq!(
            emails(&capped, &[sent(1), sent(6)]),
            [true, false, false, false]
        );
        assert_eq!(
            emails(&capped, &[sent(1), sent(8)]),
            [true, true, false, false],
            "a week is 7 days"
        );
        capped.caps[0].per = CapPeriod::Month;
        assert_eq!(emails(&capped, &[sent(1), sent(8), sent(29)]), [false; 4]);
        // A cap of another topic does not count.
        capped.caps[0].topic = Topic::Offers;
        assert_eq!(emails(&capped, &[sent(1), sent(8), sent(29)]), [true; 4]);
    }

    #[test]
    fn trigger_names_round_trip() {
        for t in [Trigger::OrderDelivered, Trigger::Periodic, Trigger::WinBack] {
            assert_eq!(parse_trigger(trigger_name(t)), Some(t));
            assert_eq!(
                serde_json::to_value(t).unwrap(),
                serde_json::json!(trigger_name(t))
            );
        }
        assert_eq!(parse_trigger("birthday"), None);
    }
}
