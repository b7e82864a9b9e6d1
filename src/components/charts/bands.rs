//! Bands (a range with a point in it) and histograms of counts.

use super::*;

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
