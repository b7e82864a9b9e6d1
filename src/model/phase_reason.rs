//! The reasons behind a customer's relationship phase, in the reader's language.
//!
//! The reference backend sends each reason as a code with an English sentence for staff
//! ("238 orders in 4 categories."). The sentence's numbers and dates are the facts; with the code they
//! are read back here, so that the portal can say the same in Dutch or German. A code this portal does
//! not know, or a sentence that does not carry the facts its code needs, is shown as it came.

/// The facts of one reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReasonFacts {
    NoOrders,
    /// Orders so far and the categories they span; `spread` when that made it the expansion phase.
    Orders {
        orders: u64,
        categories: u64,
        spread: bool,
    },
    /// A customer for `days` days, since `since` (`YYYY-MM-DD`).
    LongTenure {
        days: u64,
        since: String,
    },
    HighCommitment {
        index: u64,
    },
    /// `recent` orders in the last `window` days against `before` in the `window` days before.
    FallingFrequency {
        recent: u64,
        before: u64,
        window: u64,
    },
    /// A complaint on `on` (`YYYY-MM-DD`), within the last `window` days.
    RecentComplaint {
        on: String,
        window: u64,
    },
    LowCommitment {
        index: u64,
        threshold: u64,
    },
}

/// The facts of a reason with the code `code` and the sentence `detail`; `None` when either is not
/// what the reference backend sends.
pub fn parse(code: &str, detail: &str) -> Option<ReasonFacts> {
    let (numbers, dates) = tokens(detail);
    let facts = match (code, numbers.as_slice(), dates.as_slice()) {
        ("no_orders", [], []) => ReasonFacts::NoOrders,
        ("first_orders", &[orders, categories], []) => ReasonFacts::Orders {
            orders,
            categories,
            spread: false,
        },
        ("repeat_orders_across_categories", &[orders, categories], []) => ReasonFacts::Orders {
            orders,
            categories,
            spread: true,
        },
        ("long_tenure", &[days], [since]) => ReasonFacts::LongTenure {
            days,
            since: since.clone(),
        },
        ("high_commitment", &[index], []) => ReasonFacts::HighCommitment { index },
        ("falling_order_frequency", &[recent, window, before, again], []) if window == again => {
            ReasonFacts::FallingFrequency {
                recent,
                before,
                window,
            }
        }
        ("recent_complaint", &[window], [on]) => ReasonFacts::RecentComplaint {
            on: on.clone(),
            window,
        },
        ("low_commitment", &[index, threshold], []) => {
            ReasonFacts::LowCommitment { index, threshold }
        }
        _ => return None,
    };
    Some(facts)
}

/// The whole numbers and the `YYYY-MM-DD` dates of a sentence, in order.
fn tokens(text: &str) -> (Vec<u64>, Vec<String>) {
    let mut numbers = Vec::new();
    let mut dates = Vec::new();
    for word in text.split(|c: char| !(c.is_ascii_digit() || c == '-')) {
        let word = word.trim_matches('-');
        if word.is_empty() {
            continue;
        }
        let parts: Vec<&str> = word.split('-').collect();
        match parts.as_slice() {
            [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2 => {
                dates.push(word.to_owned())
            }
            [n] => numbers.extend(n.parse::<u64>().ok()),
            _ => {}
        }
    }
    (numbers, dates)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{texts, Lang};

    // The sentences exactly as the reference backend (crates/server/src/lifecycle.rs) writes them.
    const SENT: [(&str, &str); 9] = [
        ("no_orders", "No orders yet."),
        ("first_orders", "1 order in 1 category."),
        (
            "repeat_orders_across_categories",
            "238 orders in 4 categories.",
        ),
        ("long_tenure", "A customer for 800 days (since 2024-01-05)."),
        ("high_commitment", "The latest commitment index is 82."),
        (
            "falling_order_frequency",
            "1 order in the last 180 days, against 4 in the 180 days before.",
        ),
        (
            "recent_complaint",
            "A complaint on 2026-11-02, within the last 90 days.",
        ),
        (
            "low_commitment",
            "The latest commitment index is 31, below 40.",
        ),
        (
            "low_commitment",
            "The latest commitment index is 0, below 40.",
        ),
    ];

    #[test]
    fn every_reason_of_the_reference_backend_is_read() {
        for (code, detail) in SENT {
            assert!(parse(code, detail).is_some(), "{code}: {detail}");
        }
        assert_eq!(
            parse(
                "repeat_orders_across_categories",
                "238 orders in 4 categories."
            ),
            Some(ReasonFacts::Orders {
                orders: 238,
                categories: 4,
                spread: true
            })
        );
        assert_eq!(
            parse("falling_order_frequency", SENT[5].1),
            Some(ReasonFacts::FallingFrequency {
                recent: 1,
                before: 4,
                window: 180
            })
        );
        assert_eq!(
            parse("recent_complaint", SENT[6].1),
            Some(ReasonFacts::RecentComplaint {
                on: "2026-11-02".into(),
                window: 90
            })
        );
    }

    #[test]
    fn unknown_codes_and_other_sentences_are_not_guessed() {
        assert_eq!(parse("vip", "A very important customer."), None);
        assert_eq!(parse("first_orders", "Some orders."), None);
        assert_eq!(parse("no_orders", "3 orders."), None);
        assert_eq!(parse("long_tenure", "A customer for 800 days."), None);
        assert_eq!(
            parse(
                "falling_order_frequency",
                "1 order in the last 180 days, against 4 in the 90 days before."
            ),
            None
        );
    }

    #[test]
    fn reasons_read_in_every_language() {
        let facts = parse(
            "repeat_orders_across_categories",
            "238 orders in 4 categories.",
        )
        .unwrap();
        assert_eq!(
            (texts(Lang::En).staff.phase_reason)(&facts),
            "238 orders in 4 categories."
        );
        assert_eq!(
            (texts(Lang::Nl).staff.phase_reason)(&facts),
            "238 bestellingen in 4 categorieën."
        );
        assert_eq!(
            (texts(Lang::De).staff.phase_reason)(&facts),
            "238 Bestellungen in 4 Kategorien."
        );
        let one = parse("first_orders", "1 order in 1 category.").unwrap();
        assert_eq!(
            (texts(Lang::Nl).staff.phase_reason)(&one),
            "1 bestelling in 1 categorie."
        );
        for lang in Lang::ALL {
            for (code, detail) in SENT {
                let text = (texts(lang).staff.phase_reason)(&parse(code, detail).unwrap());
                assert!(!text.is_empty());
                // Every number of the fact is in the sentence.
                for n in tokens(detail).0 {
                    assert!(text.contains(&n.to_string()), "{lang:?} {code}: {text}");
                }
            }
        }
    }
}
