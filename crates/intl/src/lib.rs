//! Numbers, amounts, dates and times for readers, formatted by the browser's `Intl` in the reader's
//! language: the portal and the survey kit both format through here, so a score or an amount reads
//! the same in either, and no calendar or digit grouping is written by hand.
//!
//! Every function takes a BCP 47 language tag (`en`, `nl`, `de`). Intl refuses some input (an unknown
//! currency code, a time zone name a foreign backend made up): the functions then fall back to a plain
//! form rather than failing. Built natively (tests, tools) they return plain machine-readable text.

pub mod lang;
pub mod time;

pub use lang::Lang;
pub use time::{parse, Moment};

/// Whether a number shows its sign when positive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sign {
    /// Only negative numbers carry a sign.
    Negative,
    /// `+0.52`, `-0.52` and `0.00`: the direction of a gap readable without colour.
    Always,
}

/// `x` with exactly `digits` decimals and the language's separators ("-1,75" in Dutch). Values that
/// round to zero lose their sign, since "-0.00" reads as a sign without a value.
pub fn decimal(lang: &str, x: f64, digits: u8, sign: Sign) -> String {
    let x = round_to(x, digits);
    imp::decimal(lang, x, digits, sign)
}

/// A whole count with the language's grouping ("1,000,000", "1.000.000").
pub fn count(lang: &str, n: u64) -> String {
    imp::count(lang, n)
}

/// An amount in minor units (cents) of an ISO 4217 currency: "€38,681.60", "€ 38.681,60",
/// "38.681,60 €", "$0.99" or "US$ 0,99". An empty or unknown code gives the number with its code.
pub fn money(lang: &str, cents: i64, currency: &str) -> String {
    imp::money(lang, cents, currency.trim())
}

/// The date of a backend timestamp in the reader's time zone (`zone`, an IANA name, else the
/// browser's): "Mar 5, 2024", "5 mrt 2024", "05.03.2024". Text that is not a timestamp is shown as is.
pub fn date(lang: &str, text: &str, zone: Option<&str>) -> String {
    match time::parse(text) {
        Some(moment) => imp::date(lang, moment, zone),
        None => text.to_owned(),
    }
}

/// Date, time and the zone's name: "Mar 5, 2024, 11:00 AM GMT+1", for times that are read against a
/// clock (carrier events, consent records). A date without a time is shown as a date.
pub fn date_time(lang: &str, text: &str, zone: Option<&str>) -> String {
    match time::parse(text) {
        Some(moment @ Moment::Instant(_)) => imp::date_time(lang, moment, zone),
        Some(moment @ Moment::Day(_)) => imp::date(lang, moment, zone),
        None => text.to_owned(),
    }
}

/// Builds the language's date and number formatters before any page needs them. The browser's first
/// `Intl` formatter of a page loads the locale's data (about 13 ms on a desktop CPU, several times
/// that on a phone); called in a task of its own while the page waits for the network, that work is
/// no longer part of the task that renders the page's first dates and amounts. The formatters built
/// are the ones [`date`] (without a zone) and [`count`] use, kept for them.
pub fn warm_up(lang: &str) {
    imp::warm_up(lang);
}

/// How many formatters are built and kept (for tests: [`warm_up`] builds what [`date`] reuses).
#[doc(hidden)]
pub fn formatters_kept() -> usize {
    imp::formatters_kept()
}

fn round_to(x: f64, digits: u8) -> f64 {
    if !x.is_finite() {
        return x;
    }
    let scale = 10f64.powi(i32::from(digits));
    let rounded = (x * scale).round() / scale;
    // Adding zero turns -0.0 into 0.0.
    if rounded == 0.0 {
        0.0
    } else {
        rounded
    }
}

#[cfg(target_arch = "wasm32")]
mod imp {
    use super::{Moment, Sign};
    use js_sys::{Array, Function, Object, Reflect};
    use rapport_core::VecMap;
    use std::cell::RefCell;
    use wasm_bindgen::{JsCast, JsValue};

    /// One option of an Intl constructor.
    enum Opt<'a> {
        S(&'a str),
        N(u8),
    }

    thread_local! {
        // Building a formatter costs far more than using one; lists format hundreds of values. A
        // sorted vector: a page uses a handful of formats, and a hash map's code (table, hasher) would
        // be the only one in the widget.
        static CACHE: RefCell<VecMap<String, Option<Function>>> = const { RefCell::new(VecMap::new()) };
    }

    /// The `format` function of `new Intl[kind](lang, options)`, or `None` when the browser refuses the
    /// options (a `RangeError` caught here, never a crash).
    fn formatter(kind: &str, lang: &str, options: &[(&str, Opt)]) -> Option<Function> {
        // Built by hand: `Debug` formatting of the options would bring string escaping into every
        // bundle, and `format!` the formatter's machinery into the widget.
        let mut key = [kind, "|", lang].concat();
        for (name, value) in options {
            key.push('|');
            key.push_str(name);
            key.push('=');
            match value {
                Opt::S(s) => key.push_str(s),
                // One character per value (a bijection of u8), without integer formatting.
                Opt::N(n) => key.push(char::from(b'0'.wrapping_add(*n))),
            }
        }
        if let Some(known) = CACHE.with(|c| c.borrow().get(&key).cloned()) {
            return known;
        }
        let built = build(kind, lang, options);
        CACHE.with(|c| c.borrow_mut().insert(key, built.clone()));
        built
    }

    fn build(kind: &str, lang: &str, options: &[(&str, Opt)]) -> Option<Function> {
        let intl = Reflect::get(&js_sys::global(), &"Intl".into()).ok()?;
        let constructor: Function = Reflect::get(&intl, &kind.into()).ok()?.dyn_into().ok()?;
        let opts = Object::new();
        for (name, value) in options {
            let value = match value {
                Opt::S(s) => JsValue::from_str(s),
                Opt::N(n) => JsValue::from(*n),
            };
            Reflect::set(&opts, &(*name).into(), &value).ok()?;
        }
        let args = Array::of2(&lang.into(), &opts);
        let made = Reflect::construct(&constructor, &args).ok()?;
        // `format` is a getter returning a function bound to its formatter.
        let format = match kind {
            "NumberFormat" => made.unchecked_into::<js_sys::Intl::NumberFormat>().format(),
            _ => made
                .unchecked_into::<js_sys::Intl::DateTimeFormat>()
                .format(),
        };
        Some(format)
    }

    fn run(format: Option<Function>, value: JsValue) -> Option<String> {
        format?.call1(&JsValue::UNDEFINED, &value).ok()?.as_string()
    }

    const DATE: &[(&str, Opt)] = &[("dateStyle", Opt::S("medium"))];
    const COUNT: &[(&str, Opt)] = &[("maximumFractionDigits", Opt::N(0))];

    pub fn warm_up(lang: &str) {
        let _ = formatter("DateTimeFormat", lang, DATE);
        let _ = formatter("NumberFormat", lang, COUNT);
    }

    pub fn formatters_kept() -> usize {
        CACHE.with(|c| c.borrow().len())
    }

    fn number(lang: &str, x: f64, options: &[(&str, Opt)]) -> Option<String> {
        run(
            formatter("NumberFormat", lang, options),
            JsValue::from_f64(x),
        )
    }

    pub fn decimal(lang: &str, x: f64, digits: u8, sign: Sign) -> String {
        let sign = match sign {
            Sign::Negative => "auto",
            Sign::Always => "exceptZero",
        };
        number(
            lang,
            x,
            &[
                ("minimumFractionDigits", Opt::N(digits)),
                ("maximumFractionDigits", Opt::N(digits)),
                ("signDisplay", Opt::S(sign)),
            ],
        )
        .unwrap_or_else(|| fixed(x, digits))
    }

    /// The browser's own plain form ("-1.75") when Intl refused the options: Rust's float printing
    /// would add several kilobytes to every Wasm bundle for a fallback that is almost never taken.
    fn fixed(x: f64, digits: u8) -> String {
        js_sys::Number::from(x)
            .to_fixed(digits)
            .map(String::from)
            .unwrap_or_default()
    }

    pub fn count(lang: &str, n: u64) -> String {
        number(lang, n as f64, COUNT).unwrap_or_else(|| n.to_string())
    }

    pub fn money(lang: &str, cents: i64, currency: &str) -> String {
        let value = cents as f64 / 100.0;
        let styled = (!currency.is_empty())
            .then(|| {
                number(
                    lang,
                    value,
                    &[
                        ("style", Opt::S("currency")),
                        ("currency", Opt::S(currency)),
                    ],
                )
            })
            .flatten();
        styled.unwrap_or_else(|| {
            let plain = decimal(lang, value, 2, Sign::Negative);
            if currency.is_empty() {
                plain
            } else {
                format!("{plain} {currency}")
            }
        })
    }

    /// Formats in `zone`; a zone the browser does not know falls back to the browser's own.
    fn in_zone(lang: &str, moment: Moment, zone: Option<&str>, fields: &[(&str, Opt)]) -> String {
        let zone = match moment {
            Moment::Day(_) => Some("UTC"),
            Moment::Instant(_) => zone.filter(|z| !z.is_empty()),
        };
        let ms = JsValue::from(js_sys::Date::new(&JsValue::from_f64(moment.epoch_ms())));
        let with_zone = zone.and_then(|zone| {
            let mut options: Vec<(&str, Opt)> = vec![("timeZone", Opt::S(zone))];
            options.extend(fields.iter().map(|(k, v)| (*k, clone(v))));
            run(formatter("DateTimeFormat", lang, &options), ms.clone())
        });
        with_zone
            .or_else(|| run(formatter("DateTimeFormat", lang, fields), ms))
            .unwrap_or_else(|| super::native::date_time(moment))
    }

    fn clone<'a>(opt: &Opt<'a>) -> Opt<'a> {
        match opt {
            Opt::S(s) => Opt::S(s),
            Opt::N(n) => Opt::N(*n),
        }
    }

    pub fn date(lang: &str, moment: Moment, zone: Option<&str>) -> String {
        in_zone(lang, moment, zone, DATE)
    }

    pub fn date_time(lang: &str, moment: Moment, zone: Option<&str>) -> String {
        in_zone(
            lang,
            moment,
            zone,
            &[
                ("year", Opt::S("numeric")),
                ("month", Opt::S("short")),
                ("day", Opt::S("numeric")),
                ("hour", Opt::S("2-digit")),
                ("minute", Opt::S("2-digit")),
                ("timeZoneName", Opt::S("short")),
            ],
        )
    }
}

/// Plain machine-readable text, for native builds and as the browser build's last resort.
mod native {
    use super::{Moment, Sign};

    #[cfg_attr(target_arch = "wasm32", allow(dead_code))]
    pub fn decimal(x: f64, digits: u8, sign: Sign) -> String {
        let digits = usize::from(digits);
        match sign {
            Sign::Always if x != 0.0 => format!("{x:+.digits$}"),
            _ => format!("{x:.digits$}"),
        }
    }

    #[cfg_attr(target_arch = "wasm32", allow(dead_code))]
    pub fn money(cents: i64, currency: &str) -> String {
        let sign = if cents < 0 { "-" } else { "" };
        let abs = cents.unsigned_abs();
        let plain = format!("{sign}{}.{:02}", abs / 100, abs % 100);
        if currency.is_empty() {
            plain
        } else {
            format!("{plain} {currency}")
        }
    }

    pub fn date(moment: Moment) -> String {
        let (y, m, d, _, _) = super::time::utc_parts(moment.epoch_ms());
        format!("{y:04}-{m:02}-{d:02}")
    }

    pub fn date_time(moment: Moment) -> String {
        match moment {
            Moment::Day(_) => date(moment),
            Moment::Instant(ms) => {
                let (_, _, _, h, mi) = super::time::utc_parts(ms);
                format!("{} {h:02}:{mi:02} UTC", date(moment))
            }
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    use super::{native, Moment, Sign};

    pub fn decimal(_lang: &str, x: f64, digits: u8, sign: Sign) -> String {
        native::decimal(x, digits, sign)
    }

    pub fn count(_lang: &str, n: u64) -> String {
        n.to_string()
    }

    /// Native builds have no formatters to build.
    pub fn warm_up(_lang: &str) {}

    pub fn formatters_kept() -> usize {
        0
    }

    pub fn money(_lang: &str, cents: i64, currency: &str) -> String {
        native::money(cents, currency)
    }

    pub fn date(_lang: &str, moment: Moment, _zone: Option<&str>) -> String {
        native::date(moment)
    }

    pub fn date_time(_lang: &str, moment: Moment, _zone: Option<&str>) -> String {
        native::date_time(moment)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn native_builds_print_plain_machine_text() {
        assert_eq!(decimal("nl", -1.754, 2, Sign::Negative), "-1.75");
        assert_eq!(decimal("en", 0.524, 2, Sign::Always), "+0.52");
        assert_eq!(decimal("en", -0.001, 2, Sign::Always), "0.00");
        assert_eq!(decimal("en", -0.001, 2, Sign::Negative), "0.00");
        assert_eq!(count("de", 1_000_000), "1000000");
        assert_eq!(money("en", -250, "USD"), "-2.50 USD");
        assert_eq!(money("en", 5, ""), "0.05");
        assert_eq!(date("nl", "2024-03-05T23:30:00-02:00", None), "2024-03-06");
        assert_eq!(date("nl", "garbage", None), "garbage");
        assert_eq!(
            date_time("de", "2024-03-05T10:07:00Z", Some("Europe/Berlin")),
            "2024-03-05 10:07 UTC"
        );
        assert_eq!(date_time("de", "2024-03-05", None), "2024-03-05");
    }

    #[test]
    fn rounding_drops_the_sign_of_zero() {
        assert_eq!(round_to(-0.004, 2).to_bits(), 0f64.to_bits());
        assert_eq!(round_to(1.005_1, 2), 1.01);
        assert!(round_to(f64::NAN, 2).is_nan());
    }
}
