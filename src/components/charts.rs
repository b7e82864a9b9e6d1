//! Accessible SVG charts for the analyst view, drawn as inline SVG without a chart library.
//!
//! Every chart is a `<figure>`: an SVG image whose accessible name and description come from its own
//! `<title>` and `<desc>`, a caption, the same numbers as a table (the alternative for screen readers
//! and for anyone who wants exact values), and a button that saves the picture as a standalone SVG file.
//! All visible text arrives as props, so the charts know nothing of languages.
//!
//! Colours are SVG presentation attributes rather than CSS, for two reasons: the portal's Content
//! Security Policy forbids inline `style`, and a saved file then looks the same outside the page. The
//! stylesheet only sizes the SVG and overrides colours for print.
//!
//! The geometry (scales, nice ticks, bar spans, truncation, number formats) is in small pure functions
//! below the components, tested natively.

use crate::download::download;
use crate::i18n::{use_i18n, Lang};
use leptos::prelude::*;
use leptos::tachys::svg;
use std::sync::atomic::{AtomicUsize, Ordering};

/// One horizontal bar, with an optional confidence interval drawn as a whisker.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub low: Option<f64>,
    pub high: Option<f64>,
}

/// Two values on one row, drawn as a dumbbell (e.g. expectation and perception of one item).
#[derive(Clone, Debug, PartialEq)]
pub struct Pair {
    pub label: String,
    pub a: Option<f64>,
    pub b: Option<f64>,
}

/// A band from `low` to `high` with an optional point (zone of tolerance: adequate to desired service,
/// and the perceived level).
#[derive(Clone, Debug, PartialEq)]
pub struct Band {
    pub label: String,
    pub low: f64,
    pub high: f64,
    pub point: Option<f64>,
}

/// One column of a histogram.
#[derive(Clone, Debug, PartialEq)]
pub struct Count {
    pub label: String,
    pub count: u64,
}

/// Everything a chart shows in words, already translated by the page.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ChartText {
    /// The chart's name: caption, SVG title.
    pub title: String,
    /// What the chart shows, for screen readers (the SVG's description).
    pub description: String,
    /// The summary of the collapsible data table (e.g. "Data table").
    pub table_summary: String,
    /// The label of the download button (e.g. "Download SVG").
    pub download: String,
    /// Table headers in the order each chart documents; a missing header is left empty.
    pub columns: Vec<String>,
    /// The saved file's name; ".svg" is added when missing.
    pub file_name: String,
}

// The drawing is laid out in viewBox units; the SVG then scales to the container's width. 560 keeps
// 12-unit text readable (about 9 px) on a 360 px phone.
const WIDTH: f64 = 560.0;
const LABEL_W: f64 = 160.0;
const VALUE_W: f64 = 64.0;
const ROW: f64 = 28.0;
const BAR_H: f64 = 16.0;
const AXIS_H: f64 = 28.0;
const LABEL_CHARS: usize = 22;
const PLOT: (f64, f64) = (LABEL_W, WIDTH - VALUE_W);

const FONT: &str = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
// All meet 3:1 against white as graphics, and the text colours 4.5:1 (see style/main.css).
const INK: &str = "#1b1f24";
const MUTED: &str = "#4a5360";
const GRID: &str = "#d3d9e0";
const POSITIVE: &str = "#3d6fa3";
const NEGATIVE: &str = "#b3434a";
const BRAND: &str = "#1f4e79";
const ACCENT: &str = "#b35c00";
const BAND_FILL: &str = "#dbe5f0";

static NEXT_ID: AtomicUsize = AtomicUsize::new(0);

/// Horizontal bars from the baseline (zero, or the domain's end nearest to it), with value labels and
/// optional interval whiskers. Table columns: label, value, interval (the last only when a bar has one).
#[component]
pub fn BarChart(
    text: ChartText,
    bars: Vec<Bar>,
    domain: (f64, f64),
    /// Draw the zero line even when no value is negative.
    #[prop(optional)]
    zero_line: bool,
) -> impl IntoView {
    let lang = use_i18n().0.get_untracked();
    let mut extent = vec![domain.0, domain.1];
    extent.extend(
        bars.iter()
            .flat_map(|b| [Some(b.value), b.low, b.high])
            .flatten(),
    );
    let ticks = nice_ticks(domain, 5);
    let scale = Scale::new(ticks.domain(), PLOT);
    let negative = extent.iter().any(|v| *v < 0.0);
    let top = 8.0;
    let bottom = top + ROW * bars.len() as f64;
    let base = baseline(ticks.domain());
    let with_interval = bars.iter().any(|b| b.low.is_some() || b.high.is_some());

    let rows = bars
        .iter()
        .enumerate()
        .map(|(i, bar)| {
            let y = top + ROW * i as f64;
            let mid = y + ROW / 2.0;
            let rect = bar_span(&scale, base, bar.value).map(|(x, w)| {
                let (class, fill) = if bar.value < 0.0 {
                    ("bar negative", NEGATIVE)
                } else {
                    ("bar positive", POSITIVE)
                };
                view! { <rect class=class x=n(x) y=n(mid - BAR_H / 2.0) width=n(w) height=n(BAR_H) fill=fill /> }
            });
            let whisker = interval(&scale, bar.low, bar.high).map(|(x0, x1)| {
                view! {
                    <g class="whisker" stroke=INK stroke-width="1.5">
                        <line x1=n(x0) x2=n(x1) y1=n(mid) y2=n(mid) />
                        <line x1=n(x0) x2=n(x0) y1=n(mid - 5.0) y2=n(mid + 5.0) />
                        <line x1=n(x1) x2=n(x1) y1=n(mid - 5.0) y2=n(mid + 5.0) />
                    </g>
                }
            });
            let value = if negative { signed(lang, Some(bar.value)) } else { fixed2(lang, Some(bar.value)) };
            view! {
                <g class="row">
                    {row_label(mid, &bar.label)}
                    {rect}
                    {whisker}
                    {value_label(mid, value)}
                </g>
            }
        })
        .collect_view();
    let zero = (zero_line || negative).then(|| zero_rule(&scale, top, bottom));
    let body = view! {
        {grid(lang, &ticks, &scale, top, bottom)}
        {rows}
        {zero}
    };

    let header = |i: usize| text.columns.get(i).cloned().unwrap_or_default();
    let head = view! {
        <th scope="col">{header(0)}</th>
        <th scope="col" class="num">{header(1)}</th>
        {with_interval.then(|| view! { <th scope="col" class="num">{header(2)}</th> })}
    };
    let table_rows = bars
        .into_iter()
        .map(|bar| {
            view! {
                <tr>
                    <th scope="row">{bar.label}</th>
                    <td class="num">{fixed2(lang, Some(bar.value))}</td>
                    {with_interval.then(|| view! { <td class="num">{interval_text(lang, bar.low, bar.high)}</td> })}
                </tr>
            }
        })
        .collect_view();
    frame(text, bottom + AXIS_H, body, table(head, table_rows))
}

/// A dumbbell per row: `a` as a hollow circle, `b` as a filled square, joined by a line; the right
/// column shows `b − a` with its sign. Table columns: label, a, b, and `b − a` when a fourth header is
/// given (the first three fall back to "", `a_label`, `b_label`).
#[component]
pub fn PairChart(
    text: ChartText,
    rows: Vec<Pair>,
    a_label: String,
    b_label: String,
    domain: (f64, f64),
) -> impl IntoView {
    let lang = use_i18n().0.get_untracked();
    let ticks = nice_ticks(domain, 5);
    let scale = Scale::new(ticks.domain(), PLOT);
    // Two legend lines above the rows; shapes, not only colours, tell a from b.
    let top = 48.0;
    let bottom = top + ROW * rows.len() as f64;
    let legend = view! {
        <g class="legend" font-size="12" fill=INK>
            {circle_marker(PLOT.0 + 6.0, 14.0)}
            <text x=n(PLOT.0 + 18.0) y="14" dy="0.35em">{a_label.clone()}</text>
            {square_marker(PLOT.0 + 6.0, 34.0)}
            <text x=n(PLOT.0 + 18.0) y="34" dy="0.35em">{b_label.clone()}</text>
        </g>
    };
    let drawn = rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let mid = top + ROW * i as f64 + ROW / 2.0;
            let a = finite(row.a).map(|v| scale.at(v));
            let b = finite(row.b).map(|v| scale.at(v));
            let joint = a.zip(b).map(|(xa, xb)| {
                view! { <line class="joint" x1=n(xa) x2=n(xb) y1=n(mid) y2=n(mid) stroke=MUTED stroke-width="2" /> }
            });
            view! {
                <g class="row">
                    {row_label(mid, &row.label)}
                    {joint}
                    {a.map(|x| circle_marker(x, mid))}
                    {b.map(|x| square_marker(x, mid))}
                    {value_label(mid, signed(lang, difference(row.a, row.b)))}
                </g>
            }
        })
        .collect_view();
    let body = view! {
        {legend}
        {grid(lang, &ticks, &scale, top, bottom)}
        {drawn}
    };

    let with_difference = text.columns.len() >= 4;
    let header = |i: usize, fallback: &str| {
        text.columns
            .get(i)
            .cloned()
            .unwrap_or_else(|| fallback.to_string())
    };
    let head = view! {
        <th scope="col">{header(0, "")}</th>
        <th scope="col" class="num">{header(1, &a_label)}</th>
        <th scope="col" class="num">{header(2, &b_label)}</th>
        {with_difference.then(|| view! { <th scope="col" class="num">{header(3, "")}</th> })}
    };
    let table_rows = rows
        .into_iter()
        .map(|row| {
            let gap = difference(row.a, row.b);
            view! {
                <tr>
                    <th scope="row">{row.label}</th>
                    <td class="num">{fixed2(lang, row.a)}</td>
                    <td class="num">{fixed2(lang, row.b)}</td>
                    {with_difference.then(|| view! { <td class="num">{fixed2(lang, gap)}</td> })}
                </tr>
            }
        })
        .collect_view();
    frame(text, bottom + AXIS_H, body, table(head, table_rows))
}

/// A band per row from `low` to `high`, and the point as a diamond inside the band or a triangle
/// pointing the way it falls outside it. Table columns: label, low, high, point.
#[component]
pub fn BandChart(text: ChartText, rows: Vec<Band>, domain: (f64, f64)) -> impl IntoView {
    let lang = use_i18n().0.get_untracked();
    let ticks = nice_ticks(domain, 5);
    let scale = Scale::new(ticks.domain(), PLOT);
    let top = 8.0;
    let bottom = top + ROW * rows.len() as f64;
    let drawn = rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let mid = top + ROW * i as f64 + ROW / 2.0;
            let band = interval(&scale, Some(row.low), Some(row.high)).map(|(x0, x1)| {
                view! {
                    <rect class="band" x=n(x0) y=n(mid - BAR_H / 2.0) width=n(x1 - x0) height=n(BAR_H)
                        fill=BAND_FILL stroke=BRAND stroke-width="1" />
                }
            });
            let marker = finite(row.point).map(|p| {
                let place = band_place(row.low, row.high, p);
                view! { <path class="point" d=point_path(scale.at(p), mid, place) fill=INK /> }
            });
            view! {
                <g class="row">
                    {row_label(mid, &row.label)}
                    {band}
                    {marker}
                    {value_label(mid, fixed2(lang, row.point))}
                </g>
            }
        })
        .collect_view();
    let body = view! {
        {grid(lang, &ticks, &scale, top, bottom)}
        {drawn}
    };

    let header = |i: usize| text.columns.get(i).cloned().unwrap_or_default();
    let head = view! {
        <th scope="col">{header(0)}</th>
        <th scope="col" class="num">{header(1)}</th>
        <th scope="col" class="num">{header(2)}</th>
        <th scope="col" class="num">{header(3)}</th>
    };
    let table_rows = rows
        .into_iter()
        .map(|row| {
            view! {
                <tr>
                    <th scope="row">{row.label}</th>
                    <td class="num">{fixed2(lang, Some(row.low))}</td>
                    <td class="num">{fixed2(lang, Some(row.high))}</td>
                    <td class="num">{fixed2(lang, row.point)}</td>
                </tr>
            }
        })
        .collect_view();
    frame(text, bottom + AXIS_H, body, table(head, table_rows))
}

/// Vertical columns, one per count, with the count above each and whole-number ticks on the left.
/// Table columns: label, count.
#[component]
pub fn Histogram(text: ChartText, counts: Vec<Count>) -> impl IntoView {
    let lang = use_i18n().0.get_untracked();
    const LEFT: f64 = 48.0;
    const TOP: f64 = 20.0;
    const PLOT_H: f64 = 180.0;
    let bottom = TOP + PLOT_H;
    let most = counts.iter().map(|c| c.count).max().unwrap_or(0);
    let ticks = count_ticks(most);
    let scale = Scale::new(ticks.domain(), (bottom, TOP));
    let slot = (WIDTH - 8.0 - LEFT) / counts.len().max(1) as f64;
    // Roughly 7 units per character at 12 units; never fewer than 3 shown.
    let chars = ((slot / 7.0) as usize).max(3);
    let rules = ticks
        .values
        .iter()
        .map(|&t| {
            let y = scale.at(t);
            view! {
                <line class="grid" x1=n(LEFT) x2=n(WIDTH - 8.0) y1=n(y) y2=n(y) stroke=GRID stroke-width="1" />
                <text class="tick" x=n(LEFT - 6.0) y=n(y) dy="0.35em" text-anchor="end" font-size="11" fill=MUTED>
                    {tick_text(lang, t, ticks.step)}
                </text>
            }
        })
        .collect_view();
    let columns = counts
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let centre = LEFT + slot * (i as f64 + 0.5);
            let width = slot * 0.7;
            let y = scale.at(c.count as f64);
            let label = truncate(&c.label, chars);
            let shown = label.clone().unwrap_or_else(|| c.label.clone());
            let full = label.map(|_| svg::title().child(c.label.clone()));
            view! {
                <g class="column">
                    {(c.count > 0).then(|| view! {
                        <rect class="bar positive" x=n(centre - width / 2.0) y=n(y) width=n(width) height=n(bottom - y) fill=POSITIVE />
                    })}
                    <text class="value" x=n(centre) y=n(y - 5.0) text-anchor="middle" font-size="12" fill=INK>{c.count}</text>
                    <text class="label" x=n(centre) y=n(bottom + 16.0) text-anchor="middle" font-size="12" fill=INK>{shown}{full}</text>
                </g>
            }
        })
        .collect_view();
    let body = view! {
        {rules}
        <line class="axis-line" x1=n(LEFT) x2=n(WIDTH - 8.0) y1=n(bottom) y2=n(bottom) stroke=INK stroke-width="1" />
        {columns}
    };

    let header = |i: usize| text.columns.get(i).cloned().unwrap_or_default();
    let head = view! {
        <th scope="col">{header(0)}</th>
        <th scope="col" class="num">{header(1)}</th>
    };
    let table_rows = counts
        .into_iter()
        .map(|c| {
            view! {
                <tr>
                    <th scope="row">{c.label}</th>
                    <td class="num">{c.count}</td>
                </tr>
            }
        })
        .collect_view();
    frame(text, bottom + AXIS_H, body, table(head, table_rows))
}

/// The figure around every chart: caption, SVG with title and description, data table, download.
fn frame(text: ChartText, height: f64, body: impl IntoView, table: impl IntoView) -> impl IntoView {
    // Unique per instance, so several charts on one page each name their own SVG.
    let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
    let title_id = format!("chart-{id}-title");
    let desc_id = format!("chart-{id}-desc");
    let caption_id = format!("chart-{id}-caption");
    let labelled_by = format!("{title_id} {desc_id}");
    let svg_ref = NodeRef::<svg::Svg>::new();
    let file_name = svg_file_name(&text.file_name);
    let save = move |_| {
        if let Some(markup) = svg_ref.get_untracked().and_then(|el| svg_markup(&el)) {
            download(&file_name, "image/svg+xml", &markup);
        }
    };
    view! {
        <figure class="chart">
            <figcaption id=caption_id.clone()>{text.title.clone()}</figcaption>
            <svg
                node_ref=svg_ref
                class="chart-svg"
                role="img"
                aria-labelledby=labelled_by
                viewBox=format!("0 0 {} {}", n(WIDTH), n(height))
                font-family=FONT
            >
                // Built directly: `view!` makes `<title>` an HTML element even inside `<svg>`.
                {svg::title().id(title_id).child(text.title)}
                <desc id=desc_id>{text.description}</desc>
                {body}
            </svg>
            <details class="chart-data">
                <summary>{text.table_summary}</summary>
                {table}
            </details>
            <button type="button" class="link-button chart-download" aria-describedby=caption_id on:click=save>
                {text.download}
            </button>
        </figure>
    }
}

fn table(head: impl IntoView, rows: impl IntoView) -> impl IntoView {
    view! {
        <table class="data chart-table">
            <thead><tr>{head}</tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// A row's label, right-aligned in the label column; cut short with the full text as its tooltip.
fn row_label(mid: f64, label: &str) -> impl IntoView {
    let short = truncate(label, LABEL_CHARS);
    let shown = short.clone().unwrap_or_else(|| label.to_string());
    // Built directly as an SVG title: `view!` would make it an HTML element.
    let full = short.map(|_| svg::title().child(label.to_string()));
    view! {
        <text class="label" x=n(LABEL_W - 8.0) y=n(mid) dy="0.35em" text-anchor="end" font-size="12" fill=INK>
            {shown}{full}
        </text>
    }
}

fn value_label(mid: f64, value: String) -> impl IntoView {
    view! {
        <text class="value" x=n(PLOT.1 + 8.0) y=n(mid) dy="0.35em" font-size="12" fill=INK>{value}</text>
    }
}

/// Vertical grid lines with their tick labels below the rows, and the axis line.
fn grid(lang: Lang, ticks: &Ticks, scale: &Scale, top: f64, bottom: f64) -> impl IntoView {
    let step = ticks.step;
    let lines = ticks
        .values
        .iter()
        .map(|&t| {
            let x = scale.at(t);
            view! {
                <line class="grid" x1=n(x) x2=n(x) y1=n(top) y2=n(bottom) stroke=GRID stroke-width="1" />
                <text class="tick" x=n(x) y=n(bottom + 16.0) text-anchor="middle" font-size="11" fill=MUTED>
                    {tick_text(lang, t, step)}
                </text>
            }
        })
        .collect_view();
    view! {
        <g class="axis">
            {lines}
            <line class="axis-line" x1=n(PLOT.0) x2=n(PLOT.1) y1=n(bottom) y2=n(bottom) stroke=MUTED stroke-width="1" />
        </g>
    }
}

fn zero_rule(scale: &Scale, top: f64, bottom: f64) -> impl IntoView {
    let (lo, hi) = (scale.d0.min(scale.d1), scale.d0.max(scale.d1));
    (lo <= 0.0 && 0.0 <= hi).then(|| {
        let x = scale.at(0.0);
        view! { <line class="zero" x1=n(x) x2=n(x) y1=n(top - 4.0) y2=n(bottom) stroke=INK stroke-width="2" /> }
    })
}

fn circle_marker(x: f64, y: f64) -> impl IntoView {
    view! { <circle class="marker-a" cx=n(x) cy=n(y) r="5" fill="#ffffff" stroke=BRAND stroke-width="2" /> }
}

fn square_marker(x: f64, y: f64) -> impl IntoView {
    view! { <rect class="marker-b" x=n(x - 5.0) y=n(y - 5.0) width="10" height="10" fill=ACCENT /> }
}

/// Where a band's point lies relative to the band.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    Below,
    Inside,
    Above,
}

/// Below `low`, inside, or above `high`; inside when the band itself is not a number.
pub fn band_place(low: f64, high: f64, point: f64) -> Place {
    let (lo, hi) = (low.min(high), low.max(high));
    if lo.is_finite() && point < lo {
        Place::Below
    } else if hi.is_finite() && point > hi {
        Place::Above
    } else {
        Place::Inside
    }
}

/// The point marker: a diamond inside, a triangle pointing left below, right above.
fn point_path(x: f64, y: f64, place: Place) -> String {
    let r = 6.0;
    match place {
        Place::Inside => format!(
            "M{} {}L{} {}L{} {}L{} {}Z",
            n(x),
            n(y - r),
            n(x + r),
            n(y),
            n(x),
            n(y + r),
            n(x - r),
            n(y)
        ),
        Place::Below => format!(
            "M{} {}L{} {}L{} {}Z",
            n(x - r),
            n(y),
            n(x + r),
            n(y - r),
            n(x + r),
            n(y + r)
        ),
        Place::Above => format!(
            "M{} {}L{} {}L{} {}Z",
            n(x + r),
            n(y),
            n(x - r),
            n(y - r),
            n(x - r),
            n(y + r)
        ),
    }
}

/// The chart as a standalone SVG file: namespace declared, size and font set on the root, so it looks
/// the same outside the page. Works on a copy; the chart on the page is untouched.
pub fn svg_markup(svg: &web_sys::Element) -> Option<String> {
    use wasm_bindgen::JsCast;
    let copy: web_sys::Element = svg.clone_node_with_deep(true).ok()?.dyn_into().ok()?;
    // On the page the width comes from CSS; a file needs it on the element.
    if let Some((w, h)) = copy
        .get_attribute("viewBox")
        .and_then(|v| view_box_size(&v))
    {
        copy.set_attribute("width", &n(w)).ok()?;
        copy.set_attribute("height", &n(h)).ok()?;
    }
    if !copy.has_attribute("font-family") {
        copy.set_attribute("font-family", FONT).ok()?;
    }
    // Page-only hooks that mean nothing in a file.
    copy.remove_attribute("class").ok()?;
    let markup = web_sys::XmlSerializer::new()
        .ok()?
        .serialize_to_string(&copy)
        .ok()?;
    Some(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}\n",
        tidy_markup(&markup)
    ))
}

// ---------------------------------------------------------------------------------------------------
// Pure geometry and formatting.

const SVG_NS: &str = "http://www.w3.org/2000/svg";
/// Beyond this the charts stop being meaningful, and spans could overflow.
const LIMIT: f64 = 1e12;

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

fn ticks_with_min_step(domain: (f64, f64), target: usize, min_step: f64) -> Ticks {
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
fn finer_step(step: f64) -> f64 {
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
fn cover(lo: f64, hi: f64, step: f64) -> Ticks {
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

fn finite(v: Option<f64>) -> Option<f64> {
    v.filter(|v| v.is_finite())
}

fn difference(a: Option<f64>, b: Option<f64>) -> Option<f64> {
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
fn minus_sign(text: String) -> String {
    text.replacen('-', "\u{2212}", 1)
}

/// A coordinate for an attribute: one decimal is finer than any screen needs.
fn n(v: f64) -> String {
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
