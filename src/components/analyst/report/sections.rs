//! The report's sections per kind of instrument (SERVQUAL gaps, zones of tolerance, segment
//! distribution), with their charts.

use super::*;

pub(super) fn servqual(
    i18n: I18n,
    names: &Names,
    s: &ServqualAggregate,
    report: &AnalystReport,
) -> impl IntoView {
    let dims: Vec<_> = s
        .dimensions
        .iter()
        .enumerate()
        .map(|(d, dim)| (d, names.dimension(&dim.dimension), dim))
        .collect();
    let rows = dims
        .iter()
        .map(|(d, name, dim)| {
            let p = format!("results.dimensions.{d}");
            view! {
                <tr>
                    <th scope="row">{*name}</th>
                    <td>{mean_ci(&format!("{p}.gap"), &dim.gap)}</td>
                    <td>{num(format!("{p}.expectation.mean"), dim.expectation.mean)}</td>
                    <td>{num(format!("{p}.perception.mean"), dim.perception.mean)}</td>
                    <td>{num(format!("{p}.weight.mean"), dim.weight.mean)}</td>
                    <td>{count(format!("{p}.gap.n"), dim.gap.n)}</td>
                </tr>
            }
        })
        .collect_view();
    let gaps: Vec<Bar> = dims
        .iter()
        .map(|(_, name, dim)| Bar {
            label: name.get_untracked(),
            value: dim.gap.mean.value().unwrap_or(f64::NAN),
            low: dim.gap.ci_low.value(),
            high: dim.gap.ci_high.value(),
        })
        .collect();
    let lo = gaps
        .iter()
        .filter_map(|b| b.low.or(Some(b.value)))
        .filter(|x| x.is_finite())
        .fold(0.0_f64, f64::min);
    let hi = gaps
        .iter()
        .filter_map(|b| b.high.or(Some(b.value)))
        .filter(|x| x.is_finite())
        .fold(0.0_f64, f64::max);
    let domain = (
        lo.floor().max(-6.0),
        hi.ceil().min(6.0).max(lo.floor() + 1.0),
    );
    let pairs: Vec<Pair> = report
        .items
        .iter()
        .map(|it| Pair {
            label: format!("{} ({})", it.statement, it.dimension),
            a: it.expectation.as_ref().and_then(|m| m.mean.value()),
            b: it.perception.mean.value(),
        })
        .collect();
    let reliability_gap: Vec<_> = dims
        .iter()
        .map(|(d, name, dim)| {
            (
                *name,
                format!("results.dimensions.{d}.reliability_gap"),
                dim.reliability_gap.clone(),
            )
        })
        .collect();
    let reliability_p: Vec<_> = dims
        .iter()
        .map(|(d, name, dim)| {
            (
                *name,
                format!("results.dimensions.{d}.reliability_perception"),
                dim.reliability_perception.clone(),
            )
        })
        .collect();
    let t: &'static AnalystTexts = &i18n.t().analyst;
    view! {
        <dl class="headline">
            <div><dt>{i18n.text(|t| t.analyst.sq)}</dt><dd class="big">{mean_ci("results.sq", &s.sq)}</dd></div>
            <div><dt>{i18n.text(|t| t.analyst.wsq)}</dt><dd>{mean_ci("results.wsq", &s.wsq)}</dd></div>
            <div><dt>{i18n.text(|t| t.analyst.servperf)}</dt><dd>{mean_ci("results.servperf", &s.servperf)}</dd></div>
        </dl>
        <table class="data">
            <caption>{i18n.text(|t| t.analyst.gap_chart)}</caption>
            <thead><tr>
                <th scope="col">{i18n.text(|t| t.analyst.dimension)}</th>
                <th scope="col">{i18n.text(|t| t.analyst.gap)} " (" {i18n.text(|t| t.analyst.ci)} ")"</th>
                <th scope="col">{i18n.text(|t| t.analyst.expectation)}</th>
                <th scope="col">{i18n.text(|t| t.analyst.perception)}</th>
                <th scope="col">{i18n.text(|t| t.analyst.weight)}</th>
                <th scope="col">{i18n.text(|t| t.analyst.n)}</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
        <Later at=1><BarChart text=chart_text(t, |t| t.gap_chart, "servqual-gaps", |t| vec![t.dimension, t.gap, t.ci]) bars=gaps.clone() domain zero_line=true /></Later>
        <Later at=1><PairChart
            text=chart_text(t, |t| t.items_chart, "servqual-items", |t| vec![t.statement, t.expectation, t.perception, t.gap])
            rows=pairs.clone()
            a_label=t.expectation.to_owned()
            b_label=t.perception.to_owned()
            domain=(1.0, 7.0)
        /></Later>
        <h3>{i18n.text(|t| t.analyst.reliability)}</h3>
        <Later at=2><ReliabilityTable caption=Signal::derive(move || (i18n.t().analyst.reliability_of)(i18n.t().analyst.gap)) rows=reliability_gap.clone() /></Later>
        <Later at=2><ReliabilityTable caption=Signal::derive(move || (i18n.t().analyst.reliability_of)(i18n.t().analyst.perception)) rows=reliability_p.clone() /></Later>
    }
}

pub(super) fn zone(i18n: I18n, names: &Names, z: &ZoneAggregate) -> impl IntoView {
    let rows = z
        .dimensions
        .iter()
        .enumerate()
        .map(|(d, dim)| {
            let p = format!("results.dimensions.{d}");
            let name = names.dimension(&dim.dimension);
            let position = dim.position;
            view! {
                <tr>
                    <th scope="row">{name}</th>
                    <td>{num(format!("{p}.adequate.mean"), dim.adequate.mean)}</td>
                    <td>{num(format!("{p}.desired.mean"), dim.desired.mean)}</td>
                    <td>{num(format!("{p}.perception.mean"), dim.perception.mean)}</td>
                    <td>{mean_ci(&format!("{p}.msa"), &dim.msa)}</td>
                    <td>{mean_ci(&format!("{p}.mss"), &dim.mss)}</td>
                    <td>{move || position_name(&i18n.t().analyst, position)}</td>
                </tr>
            }
        })
        .collect_view();
    let bands: Vec<Band> = z
        .dimensions
        .iter()
        .filter_map(|dim| {
            Some(Band {
                label: names.dimension(&dim.dimension).get_untracked(),
                low: dim.adequate.mean.value()?,
                high: dim.desired.mean.value()?,
                point: dim.perception.mean.value(),
            })
        })
        .collect();
    let reliability: Vec<_> = z
        .dimensions
        .iter()
        .enumerate()
        .map(|(d, dim)| {
            (
                names.dimension(&dim.dimension),
                format!("results.dimensions.{d}.reliability_perception"),
                dim.reliability_perception.clone(),
            )
        })
        .collect();
    let inconsistent = z.inconsistent_responses;
    let t: &'static AnalystTexts = &i18n.t().analyst;
    view! {
        <dl class="headline">
            <div><dt>{i18n.text(|t| t.analyst.msa)}</dt><dd class="big">{mean_ci("results.msa", &z.msa)}</dd></div>
            <div><dt>{i18n.text(|t| t.analyst.mss)}</dt><dd>{mean_ci("results.mss", &z.mss)}</dd></div>
        </dl>
        <table class="data">
            <caption>{i18n.text(|t| t.analyst.zone_chart)}</caption>
            <thead><tr>
                <th scope="col">{i18n.text(|t| t.analyst.dimension)}</th>
                <th scope="col">{i18n.text(|t| t.analyst.adequate)}</th>
                <th scope="col">{i18n.text(|t| t.analyst.desired)}</th>
                <th scope="col">{i18n.text(|t| t.analyst.perception)}</th>
                <th scope="col">{i18n.text(|t| t.analyst.msa)}</th>
                <th scope="col">{i18n.text(|t| t.analyst.mss)}</th>
                <th scope="col">{i18n.text(|t| t.analyst.position)}</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
        {(inconsistent > 0).then(|| view! {
            <p class="hint">{move || (i18n.t().analyst.inconsistent)(&format::count(i18n.lang(), inconsistent))}</p>
        })}
        <Later at=1><BandChart text=chart_text(t, |t| t.zone_chart, "zone-of-tolerance", |t| vec![t.dimension, t.adequate, t.desired, t.perception]) rows=bands.clone() domain=(1.0, 9.0) /></Later>
        <Later at=2><ReliabilityTable caption=Signal::derive(move || (i18n.t().analyst.reliability_of)(i18n.t().analyst.perception)) rows=reliability.clone() /></Later>
    }
}

pub(super) fn position_name(t: &AnalystTexts, p: Option<Position>) -> &'static str {
    match p {
        Some(Position::Below) => t.below,
        Some(Position::Inside) => t.inside,
        Some(Position::Above) => t.above,
        None => t.undefined,
    }
}

/// How many respondents gave each answer (single-question instruments).
#[component]
pub(super) fn Distribution(report: Arc<AnalystReport>) -> impl IntoView {
    let i18n = use_i18n();
    let counts: Vec<Count> = report
        .distribution
        .iter()
        .map(|(value, n)| Count {
            label: value.to_string(),
            count: *n,
        })
        .collect();
    view! {
        <Later at=1><Histogram text=chart_text(&i18n.t().analyst, |t| t.distribution, "answers", |t| vec![t.answer, t.count]) counts=counts.clone() /></Later>
    }
}

pub(super) fn bars_of(rows: &[(Signal<String>, String, MeanCi)]) -> Vec<Bar> {
    rows.iter()
        .map(|(name, _, m)| Bar {
            label: name.get_untracked(),
            value: m.mean.value().unwrap_or(f64::NAN),
            low: m.ci_low.value(),
            high: m.ci_high.value(),
        })
        .collect()
}

/// A chart's texts in the current language, with its data table's column headers.
pub(super) fn chart_text(
    t: &'static AnalystTexts,
    title: fn(&AnalystTexts) -> &'static str,
    file: &str,
    columns: fn(&AnalystTexts) -> Vec<&'static str>,
) -> ChartText {
    let description = match file {
        "servqual-gaps" => t.gap_chart_desc,
        "servqual-items" => t.items_chart_desc,
        "zone-of-tolerance" => t.zone_chart_desc,
        "commitment-segments" => t.commitment_chart_desc,
        _ => t.distribution_desc,
    };
    ChartText {
        title: title(t).to_owned(),
        description: description.to_owned(),
        table_summary: t.data_table.to_owned(),
        download: t.download_svg.to_owned(),
        columns: columns(t).into_iter().map(str::to_owned).collect(),
        file_name: format!("{file}.svg"),
    }
}
