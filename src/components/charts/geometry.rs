//! Pure geometry and formatting of the charts: scales, nice ticks, bar spans, truncation, number
//! formats and the saved file's markup; tested natively.

use super::*;

pub(super) const SVG_NS: &str = "http://www.w3.org/2000/svg";
/// Beyond this the charts stop being meaningful, and spans could overflow.
pub(super) const LIMIT: f64 = 1e12;

/// A linear map from a value domain onto a coordinate range; values outside the domain are clamped,
/// so nothing is ever drawn outside the plot.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scale {
    pub d0: f64,
    pub d1: f64,
    pub r0: f64,
    pub r1: f64,
}

impl Scale {
    pub fn new(domain: (f64, f64), range: (f64, f64)) -> Self {
        let (d0, d1) = sanitize_domain(domain);
        Scale {
            d0,
            d1,
            r0: range.0,
            r1: range.1,
        }
    }

    /// The coordinate of `v`; NaN maps to the range's start.
    pub fn at(&self, v: f64) -> f64 {
        let span = self.d1 - self.d0;
        if v.is_nan() || span == 0.0 {
            return self.r0;
        }
        let t = ((v - self.d0) / span).clamp(0.0, 1.0);
        self.r0 + t * (self.r1 - self.r0)
    }
}

/// Tick values at a nice step (1, 2 or 5 times a power of ten) from at or below the domain's start to
/// at or above its end.
#[derive(Clone, Debug, PartialEq)]
pub struct Ticks {
    pub values: Vec<f64>,
    pub step: f64,
}

impl Ticks {
    /// The span the ticks cover, which the chart uses as its scale's domain.
    pub fn domain(&self) -> (f64, f64) {
        match (self.values.first(), self.values.last()) {
            (Some(a), Some(b)) => (*a, *b),
            _ => (0.0, 1.0),
        }
    }
}

/// An ordered, finite, non-empty domain: swapped if reversed, widened if empty, (0, 1) if not numbers.
pub fn sanitize_domain(domain: (f64, f64)) -> (f64, f64) {
    let (a, b) = domain;
    if !a.is_finite() || !b.is_finite() {
        return (0.0, 1.0);
    }
    let (lo, hi) = (a.min(b).max(-LIMIT), a.max(b).min(LIMIT));
    let size = lo.abs().max(hi.abs()).max(1.0);
    if hi - lo > size * 1e-9 {
        return (lo, hi);
    }
    // A single value: give it room on both sides (but keep a zero start at zero, as counts have).
    let pad = (lo.abs() * 0.1).max(1.0);
    if lo == 0.0 {
        (0.0, pad)
    } else {
        (lo - pad, hi + pad)
    }
}

/// The nice step nearest above `raw`: 1, 2 or 5 times a power of ten.
pub fn nice_step(raw: f64) -> f64 {
    if !raw.is_finite() || raw <= 0.0 {
        return 1.0;
    }
    let magnitude = 10f64.powi(raw.log10().floor() as i32);
    let norm = raw / magnitude;
    let factor = if norm <= 1.0 {
        1.0
    } else if norm <= 2.0 {
        2.0
    } else if norm <= 5.0 {
        5.0
    } else {
        10.0
    };
    factor * magnitude
}

/// About `target` ticks at a nice step covering `domain`. Of the nice step for `target` intervals and
/// the next finer one, the one that widens the domain less wins (1..7 keeps its seven whole points
/// instead of becoming 0..8); on a tie, the one nearer `target` intervals, else the coarser.
pub fn nice_ticks(domain: (f64, f64), target: usize) -> Ticks {
    ticks_with_min_step(domain, target, 0.0)
}

/// Whole-number ticks from zero to at least `max` (a histogram's counts).
pub fn count_ticks(max: u64) -> Ticks {
    ticks_with_min_step((0.0, max.max(1) as f64), 4, 1.0)
}

pub(super) fn ticks_with_min_step(domain: (f64, f64), target: usize, min_step: f64) -> Ticks {
    let (lo, hi) = sanitize_domain(domain);
    let coarse = nice_step((hi - lo) / target.max(1) as f64).max(min_step);
    let chosen = cover(lo, hi, coarse);
    let fine = finer_step(coarse);
    if fine < min_step {
        return chosen;
    }
    let finer = cover(lo, hi, fine);
    let widening = |t: &Ticks| {
        let (a, b) = t.domain();
        (lo - a) + (b - hi)
    };
    let tolerance = (hi - lo) * 1e-9;
    let off_target = |t: &Ticks| (t.values.len() - 1).abs_diff(target);
    let (w_fine, w_coarse) = (widening(&finer), widening(&chosen));
    let tie = (w_fine - w_coarse).abs() <= tolerance;
    if w_fine < w_coarse - tolerance || (tie && off_target(&finer) < off_target(&chosen)) {
        finer
    } else {
        chosen
    }
}

/// The next nice step below `step` (1 → 0.5, 2 → 1, 5 → 2).
pub(super) fn finer_step(step: f64) -> f64 {
    let magnitude = 10f64.powi(step.log10().floor() as i32);
    // A rounding slip in log10 gives factor 10, whose finer step is 5: still right.
    match (step / magnitude).round() as u32 {
        1 => magnitude / 2.0,
        2 => magnitude,
        5 => magnitude * 2.0,
        _ => magnitude * 5.0,
    }
}

/// Multiples of `step` from at or below `lo` to at or above `hi`.
pub(super) fn cover(lo: f64, hi: f64, step: f64) -> Ticks {
    let mut first = (lo / step).floor();
    let mut last = (hi / step).ceil();
    // Floating-point products can land a hair inside the domain; step outwards until they cover it.
    while first * step > lo {
        first -= 1.0;
    }
    while last * step < hi {
        last += 1.0;
    }
    let count = (last - first).round() as usize;
    let values = (0..=count).map(|i| (first + i as f64) * step).collect();
    Ticks { values, step }
}

/// Zero, or the domain's end nearest to it when zero lies outside (bars then start at the axis).
pub fn baseline(domain: (f64, f64)) -> f64 {
    let (lo, hi) = sanitize_domain(domain);
    0.0f64.clamp(lo, hi)
}

/// The horizontal extent `(x, width)` of a bar from `base` to `value`; `None` for a value that is not
/// a number.
pub fn bar_span(scale: &Scale, base: f64, value: f64) -> Option<(f64, f64)> {
    if !value.is_finite() {
        return None;
    }
    let (x0, x1) = (scale.at(base), scale.at(value));
    Some((x0.min(x1), (x1 - x0).abs()))
}

/// The coordinates of an interval's ends, left first; `None` unless both ends are numbers.
pub fn interval(scale: &Scale, low: Option<f64>, high: Option<f64>) -> Option<(f64, f64)> {
    let (x0, x1) = (scale.at(finite(low)?), scale.at(finite(high)?));
    Some((x0.min(x1), x0.max(x1)))
}

pub(super) fn finite(v: Option<f64>) -> Option<f64> {
    v.filter(|v| v.is_finite())
}

pub(super) fn difference(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    Some(finite(b)? - finite(a)?)
}

/// `Some(shortened)` with an ellipsis when `label` has more than `max` characters.
pub fn truncate(label: &str, max: usize) -> Option<String> {
    if label.chars().count() <= max {
        return None;
    }
    let kept: String = label.chars().take(max.saturating_sub(1)).collect();
    Some(format!("{}…", kept.trim_end()))
}

/// Two decimals in the language's form; "—" for a missing value or one that is not a number; never
/// "-0.00".
pub fn fixed2(lang: Lang, v: Option<f64>) -> String {
    match finite(v) {
        Some(v) => crate::format::decimal(lang, v, 2),
        None => "—".to_string(),
    }
}

/// Two decimals with an explicit sign ("+0.52", "−0.52" with a minus sign, "0.00"), so the direction
/// of a gap is readable without colour.
pub fn signed(lang: Lang, v: Option<f64>) -> String {
    match finite(v) {
        Some(v) => minus_sign(crate::format::signed(lang, v, 2)),
        None => "—".to_string(),
    }
}

/// "low – high" with two decimals each, or "—" unless both ends are numbers.
pub fn interval_text(lang: Lang, low: Option<f64>, high: Option<f64>) -> String {
    match (finite(low), finite(high)) {
        (Some(l), Some(h)) => format!("{} – {}", fixed2(lang, Some(l)), fixed2(lang, Some(h))),
        _ => "—".to_string(),
    }
}

/// A tick's label with as many decimals as its step needs (0.5 → one, 0.25 never occurs).
pub fn tick_text(lang: Lang, value: f64, step: f64) -> String {
    let decimals = if step > 0.0 && step.is_finite() {
        (-step.log10().floor()).clamp(0.0, 6.0) as u8
    } else {
        0
    };
    minus_sign(crate::format::decimal(lang, value, decimals))
}

/// The typographic minus sign, which reads better than a hyphen beside a chart.
pub(super) fn minus_sign(text: String) -> String {
    text.replacen('-', "\u{2212}", 1)
}

/// A coordinate for an attribute: one decimal is finer than any screen needs.
pub(super) fn n(v: f64) -> String {
    let text = format!("{v:.1}");
    text.strip_suffix(".0").map(str::to_string).unwrap_or(text)
}

/// Width and height from a `viewBox` value ("0 0 560 200").
pub fn view_box_size(view_box: &str) -> Option<(f64, f64)> {
    let parts: Vec<f64> = view_box
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|p| !p.is_empty())
        .map(str::parse)
        .collect::<Result<_, _>>()
        .ok()?;
    match parts[..] {
        [_, _, w, h] if w > 0.0 && h > 0.0 => Some((w, h)),
        _ => None,
    }
}

/// Adds the SVG namespace to the root element when the serialiser left it out (a file without it is
/// not shown as an image).
pub fn ensure_svg_namespace(markup: &str) -> String {
    let Some(start) = markup.find("<svg") else {
        return markup.to_string();
    };
    let end = markup[start..]
        .find('>')
        .map_or(markup.len(), |e| start + e);
    if markup[start..end].contains("xmlns=") {
        return markup.to_string();
    }
    let insert = start + "<svg".len();
    format!(
        "{} xmlns=\"{SVG_NS}\"{}",
        &markup[..insert],
        &markup[insert..]
    )
}

/// The serialised chart made fit for a file: the namespace ensured, and the framework's empty
/// placeholder comments dropped (page text cannot produce them: it arrives escaped).
pub fn tidy_markup(markup: &str) -> String {
    ensure_svg_namespace(&markup.replace("<!---->", ""))
}

/// The download's file name, ending in ".svg"; "chart.svg" when empty.
pub fn svg_file_name(name: &str) -> String {
    let name = name.trim();
    if name.is_empty() {
        "chart.svg".to_string()
    } else if name.to_ascii_lowercase().ends_with(".svg") {
        name.to_string()
    } else {
        format!("{name}.svg")
    }
}

// Native only: the property tests use proptest, which does not target wasm32.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn is_nice(step: f64) -> bool {
        let magnitude = 10f64.powi(step.log10().floor() as i32);
        let norm = step / magnitude;
        [1.0, 2.0, 5.0, 10.0]
            .iter()
            .any(|f| (norm - f).abs() < 1e-9)
    }

    #[test]
    fn nice_steps_are_one_two_or_five_times_a_power_of_ten() {
        assert_eq!(nice_step(0.7), 1.0);
        assert_eq!(nice_step(1.0), 1.0);
        assert_eq!(nice_step(1.3), 2.0);
        assert_eq!(nice_step(3.0), 5.0);
        assert_eq!(nice_step(7.0), 10.0);
        assert_eq!(nice_step(23.0), 50.0);
        assert!((nice_step(0.03) - 0.05).abs() < 1e-15);
        assert_eq!(nice_step(0.0), 1.0);
        assert_eq!(nice_step(f64::NAN), 1.0);
    }

    #[test]
    fn ticks_for_survey_scales() {
        assert_eq!(
            nice_ticks((1.0, 7.0), 5).values,
            vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]
        );
        assert_eq!(
            nice_ticks((-3.0, 3.0), 5).values,
            vec![-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0]
        );
        assert_eq!(
            nice_ticks((0.0, 100.0), 5).values,
            vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
        );
        // An awkward domain widens to the next nice ticks.
        let t = nice_ticks((-1.3, 0.45), 5);
        assert_eq!(t.step, 0.5);
        assert_eq!(t.domain(), (-1.5, 0.5));
    }

    #[test]
    fn broken_domains_still_give_ticks() {
        assert_eq!(sanitize_domain((f64::NAN, 3.0)), (0.0, 1.0));
        assert_eq!(sanitize_domain((5.0, 1.0)), (1.0, 5.0));
        assert_eq!(sanitize_domain((4.0, 4.0)), (3.0, 5.0));
        assert_eq!(sanitize_domain((0.0, 0.0)), (0.0, 1.0));
        assert!(nice_ticks((f64::INFINITY, 2.0), 5).values.len() >= 2);
    }

    #[test]
    fn count_ticks_are_whole_numbers_from_zero() {
        assert_eq!(count_ticks(0).values, vec![0.0, 1.0]);
        assert_eq!(count_ticks(2).values, vec![0.0, 1.0, 2.0]);
        assert_eq!(count_ticks(5).values, vec![0.0, 1.0, 2.0, 3.0, 4.0, 5.0]);
        assert_eq!(
            count_ticks(87).values,
            vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
        );
    }

    #[test]
    fn scale_maps_and_clamps() {
        let s = Scale::new((-2.0, 2.0), (100.0, 300.0));
        assert_eq!(s.at(0.0), 200.0);
        assert_eq!(s.at(-2.0), 100.0);
        assert_eq!(s.at(9.0), 300.0);
        assert_eq!(s.at(f64::NAN), 100.0);
        // Reversed ranges (a histogram's y axis grows upwards).
        let up = Scale::new((0.0, 10.0), (200.0, 20.0));
        assert_eq!(up.at(10.0), 20.0);
    }

    #[test]
    fn bars_grow_from_zero_in_either_direction() {
        let s = Scale::new((-3.0, 3.0), (0.0, 600.0));
        assert_eq!(bar_span(&s, 0.0, 1.5), Some((300.0, 150.0)));
        assert_eq!(bar_span(&s, 0.0, -1.0), Some((200.0, 100.0)));
        assert_eq!(bar_span(&s, 0.0, f64::NAN), None);
        assert_eq!(baseline((1.0, 7.0)), 1.0);
        assert_eq!(baseline((-7.0, -1.0)), -1.0);
        assert_eq!(baseline((-3.0, 3.0)), 0.0);
        assert_eq!(interval(&s, Some(1.0), None), None);
        assert_eq!(interval(&s, Some(1.0), Some(-1.0)), Some((200.0, 400.0)));
    }

    #[test]
    fn numbers_read_the_same_everywhere() {
        assert_eq!(fixed2(Lang::En, Some(1.005_1)), "1.01");
        assert_eq!(fixed2(Lang::En, Some(-0.001)), "0.00");
        assert_eq!(fixed2(Lang::En, None), "—");
        assert_eq!(fixed2(Lang::En, Some(f64::NAN)), "—");
        assert_eq!(signed(Lang::En, Some(0.52)), "+0.52");
        assert_eq!(signed(Lang::En, Some(-0.52)), "\u{2212}0.52");
        assert_eq!(signed(Lang::En, Some(-0.0001)), "0.00");
        assert_eq!(signed(Lang::En, None), "—");
        assert_eq!(
            interval_text(Lang::En, Some(4.0), Some(5.25)),
            "4.00 – 5.25"
        );
        assert_eq!(interval_text(Lang::En, Some(4.0), Some(f64::NAN)), "—");
        assert_eq!(tick_text(Lang::En, 0.5, 0.5), "0.5");
        assert_eq!(tick_text(Lang::En, -2.0, 1.0), "\u{2212}2");
        assert_eq!(tick_text(Lang::En, -0.0000001, 0.1), "0.0");
        assert_eq!(tick_text(Lang::En, 40.0, 20.0), "40");
        assert_eq!(n(12.0), "12");
        assert_eq!(n(12.25), "12.2");
    }

    #[test]
    fn long_labels_are_cut_with_an_ellipsis() {
        assert_eq!(truncate("Short", 22), None);
        assert_eq!(
            truncate("Employees are consistently courteous", 12).as_deref(),
            Some("Employees a…")
        );
        assert_eq!(truncate("Ääääää", 4).as_deref(), Some("Äää…"));
    }

    #[test]
    fn band_points_know_their_side() {
        assert_eq!(band_place(4.0, 6.0, 3.0), Place::Below);
        assert_eq!(band_place(4.0, 6.0, 5.0), Place::Inside);
        assert_eq!(band_place(4.0, 6.0, 6.5), Place::Above);
        assert_eq!(band_place(f64::NAN, f64::NAN, 6.5), Place::Inside);
    }

    #[test]
    fn files_are_standalone_svg() {
        assert_eq!(
            ensure_svg_namespace("<svg viewBox=\"0 0 1 1\"><g/></svg>"),
            format!("<svg xmlns=\"{SVG_NS}\" viewBox=\"0 0 1 1\"><g/></svg>")
        );
        let declared = format!("<svg xmlns=\"{SVG_NS}\"></svg>");
        assert_eq!(ensure_svg_namespace(&declared), declared);
        assert_eq!(
            tidy_markup("<svg><line x1=\"1\"><!----></line><text>a &lt;!----&gt;</text></svg>"),
            format!(
                "<svg xmlns=\"{SVG_NS}\"><line x1=\"1\"></line><text>a &lt;!----&gt;</text></svg>"
            )
        );
        assert_eq!(view_box_size("0 0 560 200"), Some((560.0, 200.0)));
        assert_eq!(view_box_size("0,0,10,5"), Some((10.0, 5.0)));
        assert_eq!(view_box_size("0 0 wide"), None);
        assert_eq!(svg_file_name("gaps"), "gaps.svg");
        assert_eq!(svg_file_name("gaps.SVG"), "gaps.SVG");
        assert_eq!(svg_file_name("  "), "chart.svg");
    }

    proptest! {
        #[test]
        fn ticks_are_nice_and_cover_the_domain(a in -1e6f64..1e6, b in -1e6f64..1e6, target in 1usize..12) {
            let (lo, hi) = sanitize_domain((a, b));
            let t = nice_ticks((a, b), target);
            prop_assert!(is_nice(t.step), "step {}", t.step);
            prop_assert!(t.values.len() >= 2 && t.values.len() <= 3 * target + 3, "{} ticks", t.values.len());
            prop_assert!(t.values[0] <= lo && *t.values.last().unwrap() >= hi);
            for w in t.values.windows(2) {
                prop_assert!((w[1] - w[0] - t.step).abs() <= t.step * 1e-6);
            }
            for v in &t.values {
                let k = v / t.step;
                prop_assert!((k - k.round()).abs() < 1e-6, "{} is not a multiple of {}", v, t.step);
            }
        }

        #[test]
        fn bars_stay_inside_the_plot(a in -1e6f64..1e6, b in -1e6f64..1e6, f in 0f64..=1.0) {
            let t = nice_ticks((a, b), 5);
            let scale = Scale::new(t.domain(), PLOT);
            let (lo, hi) = (a.min(b), a.max(b));
            let value = lo + f * (hi - lo);
            let base = baseline(t.domain());
            let (x, w) = bar_span(&scale, base, value).unwrap();
            prop_assert!(w >= 0.0);
            prop_assert!(x >= PLOT.0 - 1e-9 && x + w <= PLOT.1 + 1e-9, "{} + {}", x, w);
        }

        #[test]
        fn any_value_maps_into_the_range(v in proptest::num::f64::ANY, a in -1e3f64..1e3, b in -1e3f64..1e3) {
            let x = Scale::new((a, b), PLOT).at(v);
            prop_assert!((PLOT.0..=PLOT.1).contains(&x));
        }
    }
}
