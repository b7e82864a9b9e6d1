//! The browser's real Intl output in headless Chromium, for each language the portal speaks.
#![cfg(target_arch = "wasm32")]

use rapport_intl::{count, date, date_time, decimal, money, Sign};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Intl separates some parts with no-break spaces; compare with plain spaces.
fn plain(text: String) -> String {
    text.replace(['\u{a0}', '\u{202f}'], " ")
}

#[wasm_bindgen_test]
fn amounts_group_thousands_and_place_the_symbol_per_language() {
    assert_eq!(plain(money("en", 3_868_160, "EUR")), "€38,681.60");
    assert_eq!(plain(money("nl", 3_868_160, "EUR")), "€ 38.681,60");
    assert_eq!(plain(money("de", 3_868_160, "EUR")), "38.681,60 €");
    assert_eq!(plain(money("en", 99, "USD")), "$0.99");
    assert_eq!(plain(money("nl", 99, "USD")), "US$ 0,99");
    assert_eq!(plain(money("de", -250, "USD")), "-2,50 $");
    // Codes Intl refuses fall back to the number and the code, never a crash.
    assert_eq!(plain(money("nl", 123_456, "EURO")), "1.234,56 EURO");
    assert_eq!(plain(money("de", 5, "")), "0,05");
}

#[wasm_bindgen_test]
fn scores_and_counts_use_the_language_separators() {
    assert_eq!(decimal("nl", -1.754, 2, Sign::Negative), "-1,75");
    assert_eq!(decimal("en", -1.754, 2, Sign::Negative), "-1.75");
    assert_eq!(decimal("de", 78.891, 2, Sign::Negative), "78,89");
    assert_eq!(decimal("en", 0.524, 2, Sign::Always), "+0.52");
    assert_eq!(decimal("nl", -0.001, 2, Sign::Always), "0,00");
    assert_eq!(decimal("de", -0.001, 2, Sign::Negative), "0,00");
    assert_eq!(count("en", 1_000_000), "1,000,000");
    assert_eq!(count("nl", 1_000_000), "1.000.000");
    assert_eq!(count("de", 1234), "1.234");
    assert_eq!(count("de", 999), "999");
}

#[wasm_bindgen_test]
fn dates_follow_the_language_and_the_zone() {
    // 23:30 UTC is already the next day in Amsterdam.
    let late = "2024-03-05T23:30:00Z";
    assert_eq!(
        plain(date("en", late, Some("Europe/Amsterdam"))),
        "Mar 6, 2024"
    );
    assert_eq!(
        plain(date("nl", late, Some("Europe/Amsterdam"))),
        "6 mrt 2024"
    );
    assert_eq!(
        plain(date("de", late, Some("Europe/Amsterdam"))),
        "06.03.2024"
    );
    assert_eq!(
        plain(date("en", late, Some("America/New_York"))),
        "Mar 5, 2024"
    );
    // A date without a time never moves to another day.
    assert_eq!(
        plain(date("en", "2024-03-05", Some("Pacific/Kiritimati"))),
        "Mar 5, 2024"
    );
    assert_eq!(date("nl", "not a date", None), "not a date");
}

#[wasm_bindgen_test]
fn times_say_their_zone() {
    let at = "2024-03-05T10:07:00Z";
    assert_eq!(
        plain(date_time("en", at, Some("Europe/Amsterdam"))),
        "Mar 5, 2024, 11:07 AM GMT+1"
    );
    assert_eq!(
        plain(date_time("nl", at, Some("Europe/Amsterdam"))),
        "5 mrt 2024, 11:07 CET"
    );
    assert_eq!(
        plain(date_time("de", at, Some("Europe/Berlin"))),
        "5. März 2024, 11:07 MEZ"
    );
    assert_eq!(
        plain(date_time("de", at, Some("UTC"))),
        "5. März 2024, 10:07 UTC"
    );
    // A zone the browser does not know: the browser's own zone, still named.
    let fallback = plain(date_time("en", at, Some("Mars/Olympus_Mons")));
    assert!(fallback.starts_with("Mar 5, 2024, "), "{fallback}");
    assert_eq!(fallback, plain(date_time("en", at, None)));
}

#[wasm_bindgen_test]
fn warming_up_builds_the_formatters_that_dates_and_counts_then_reuse() {
    // Swedish: no other test here builds its formatters, so the count starts from this test's own.
    let before = rapport_intl::formatters_kept();
    rapport_intl::warm_up("sv");
    let warmed = rapport_intl::formatters_kept();
    assert_eq!(warmed, before + 2, "one date and one number formatter");
    rapport_intl::warm_up("sv");
    assert_eq!(
        rapport_intl::formatters_kept(),
        warmed,
        "a second warm-up builds nothing"
    );
    // A page's date in the browser's zone and its counts use what the warm-up built. (Dates with a
    // zone get formatters of their own, which are cheap once the locale's data is loaded.)
    assert_eq!(
        plain(date("sv", "2024-03-05T10:00:00Z", None)),
        "5 mars 2024"
    );
    assert_eq!(plain(count("sv", 1234)), "1 234");
    assert_eq!(rapport_intl::formatters_kept(), warmed);
}
