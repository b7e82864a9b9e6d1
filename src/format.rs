//! Amounts, numbers, dates and times for the reader: the portal's language and the customer's time
//! zone handed to the browser's `Intl` (through `rapport-intl`, which the survey kit uses too).
//! Machine-readable output (CSV exports, `datetime` attributes) does not come from here.

use crate::api::Api;
use crate::i18n::{use_i18n, Lang};
use crate::session::{Session, SessionState};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Builds the reader's date and number formatters in a task of their own once the mounted portal has
/// painted, while the session and the page's data are still on their way: the browser's first `Intl`
/// formatter loads its locale data, which would otherwise lengthen the task that renders the page's
/// first dates and amounts (issue 16: total blocking time). `main.rs` calls it after mounting.
pub async fn warm_up_after_paint() {
    crate::components::lazy_page::next_paint().await;
    rapport_intl::warm_up(crate::app::initial_lang().tag());
}

/// The customer's time zone from the preference centre, loaded as soon as someone is signed in (see
/// [`CustomerZone::follow_session`]), so every page shows times in it; until then, for a backend
/// without a preference centre and for a zone the browser does not know, the browser's own.
#[derive(Clone, Copy)]
pub struct CustomerZone(pub RwSignal<Option<String>>);

impl CustomerZone {
    pub fn new() -> Self {
        CustomerZone(RwSignal::new(None))
    }

    /// Loads the zone whenever a customer signs in (again after an expired session only if it is
    /// someone else), and forgets it on sign-out.
    pub fn follow_session(self, session: Session, api: Api) {
        Effect::new(move |loaded_for: Option<Option<i64>>| {
            let customer = match session.0.get() {
                SessionState::SignedIn(p) | SessionState::Expired(p) => Some(p.id),
                _ => None,
            };
            // Reads kept for someone else are forgotten; not at start-up (nobody known yet), when
            // the page's own reads are already under way.
            if loaded_for.flatten().is_some() && customer != loaded_for.flatten() {
                crate::recent_read::forget_all();
            }
            if customer.is_none() {
                self.0.set(None);
            } else if customer != loaded_for.flatten() {
                let api = api.clone();
                spawn_local(async move {
                    // No preference centre (a mapped backend) or no answer: the browser's zone stays.
                    if let Ok(zone) = api.time_zone().await {
                        self.0.set(Some(zone).filter(|z| !z.is_empty()));
                    }
                });
            }
            customer
        });
    }
}

impl Default for CustomerZone {
    fn default() -> Self {
        Self::new()
    }
}

/// Formats that follow the language switcher and the customer's zone; read inside a reactive closure.
#[derive(Clone, Copy)]
pub struct Formats {
    lang: RwSignal<Lang>,
    zone: RwSignal<Option<String>>,
}

/// The formats of the current page (contexts provided by the app root).
pub fn use_formats() -> Formats {
    let zone = use_context::<CustomerZone>().unwrap_or_default();
    Formats {
        lang: use_i18n().0,
        zone: zone.0,
    }
}

impl Formats {
    pub fn money(self, cents: i64, currency: &str) -> String {
        money(self.lang.get(), cents, currency)
    }

    /// The date in the customer's zone ("Mar 5, 2024", "5 mrt 2024", "05.03.2024").
    pub fn date(self, at: &str) -> String {
        let zone = self.zone.read();
        rapport_intl::date(self.lang.get().tag(), at, zone.as_deref())
    }

    /// Date and time with the zone's name, for times read against a clock.
    pub fn date_time(self, at: &str) -> String {
        let zone = self.zone.read();
        rapport_intl::date_time(self.lang.get().tag(), at, zone.as_deref())
    }
}

/// An amount in cents of `currency`, e.g. "€38,681.60" / "€ 38.681,60" / "38.681,60 €".
pub fn money(lang: Lang, cents: i64, currency: &str) -> String {
    rapport_intl::money(lang.tag(), cents, currency)
}

/// `x` with `digits` decimals in the language's form; never "-0.00".
pub fn decimal(lang: Lang, x: f64, digits: u8) -> String {
    rapport_intl::decimal(lang.tag(), x, digits, rapport_intl::Sign::Negative)
}

/// `x` with `digits` decimals and a sign unless zero ("+0.52", "-0,52", "0.00").
pub fn signed(lang: Lang, x: f64, digits: u8) -> String {
    rapport_intl::decimal(lang.tag(), x, digits, rapport_intl::Sign::Always)
}

/// A count with the language's grouping ("1,000,000", "1.000.000").
pub fn count(lang: Lang, n: u64) -> String {
    rapport_intl::count(lang.tag(), n)
}
