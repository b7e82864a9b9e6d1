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
//! in `geometry.rs`, tested natively.

mod bands;
mod bars;
mod frame;
mod geometry;

pub use bands::{BandChart, Histogram};
pub use bars::{BarChart, PairChart};
pub use frame::*;
pub use geometry::*;

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
