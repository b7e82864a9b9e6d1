//! Horizontal bars (with intervals) and pairs of values per row.

use super::*;

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
