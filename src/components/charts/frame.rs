//! What every chart shares: the figure with its title, description, data table and download, axis
//! grid, labels and markers.

use super::*;

/// The figure around every chart: caption, SVG with title and description, data table, download.
pub(super) fn frame(
    text: ChartText,
    height: f64,
    body: impl IntoView,
    table: impl IntoView,
) -> impl IntoView {
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

pub(super) fn table(head: impl IntoView, rows: impl IntoView) -> impl IntoView {
    view! {
        <table class="data chart-table">
            <thead><tr>{head}</tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// A row's label, right-aligned in the label column; cut short with the full text as its tooltip.
pub(super) fn row_label(mid: f64, label: &str) -> impl IntoView {
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

pub(super) fn value_label(mid: f64, value: String) -> impl IntoView {
    view! {
        <text class="value" x=n(PLOT.1 + 8.0) y=n(mid) dy="0.35em" font-size="12" fill=INK>{value}</text>
    }
}

/// Vertical grid lines with their tick labels below the rows, and the axis line.
pub(super) fn grid(
    lang: Lang,
    ticks: &Ticks,
    scale: &Scale,
    top: f64,
    bottom: f64,
) -> impl IntoView {
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

pub(super) fn zero_rule(scale: &Scale, top: f64, bottom: f64) -> impl IntoView {
    let (lo, hi) = (scale.d0.min(scale.d1), scale.d0.max(scale.d1));
    (lo <= 0.0 && 0.0 <= hi).then(|| {
        let x = scale.at(0.0);
        view! { <line class="zero" x1=n(x) x2=n(x) y1=n(top - 4.0) y2=n(bottom) stroke=INK stroke-width="2" /> }
    })
}

pub(super) fn circle_marker(x: f64, y: f64) -> impl IntoView {
    view! { <circle class="marker-a" cx=n(x) cy=n(y) r="5" fill="#ffffff" stroke=BRAND stroke-width="2" /> }
}

pub(super) fn square_marker(x: f64, y: f64) -> impl IntoView {
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
pub(super) fn point_path(x: f64, y: f64, place: Place) -> String {
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
