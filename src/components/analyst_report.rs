//! The analyst view's report: numbers, reliability and charts for one [`AnalystReport`].
//!
//! Every number on screen is an element with `data-stat` (its path in the report's `aggregate`
//! JSON, the same document the CLI writes) and `data-value` (full precision), so that tests can hold
//! the screen to the CLI. Texts come from the page's language; dimension and segment names from the
//! instrument definition.

use std::sync::Arc;

use crate::components::charts::{
    Band, BandChart, Bar, BarChart, ChartText, Count, Histogram, Pair, PairChart,
};
use crate::format;
use crate::i18n::{use_i18n, AnalystTexts, I18n};
use leptos::prelude::*;
use rapport_analyst::AnalystReport;
use rapport_core::aggregate::{AggregateResults, ServqualAggregate, ZoneAggregate};
use rapport_core::score::Position;
use rapport_core::stats::{MeanCi, Reliability, Stat};
use rapport_core::{builtin_def, InstrumentDef};

/// Alpha below this gets a plain-language warning (the usual rule of thumb for group comparisons).
const LOW_ALPHA: f64 = 0.7;

#[component]
pub fn ReportView(report: Arc<AnalystReport>) -> impl IntoView {
    let i18n = use_i18n();
    let stage = RwSignal::new(0u8);
    provide_context(Stage(stage));
    advance(stage);
    let def = builtin_def(&report.aggregate.instrument.id);
    let names = Names { def };
    let n = report.aggregate.n_responses;
    let body = if n == 0 {
        view! { <p>{i18n.text(|t| t.analyst.no_rows)}</p> }.into_any()
    } else {
        match &report.aggregate.results {
            AggregateResults::Servqual(s) => servqual(i18n, &names, s, &report).into_any(),
            AggregateResults::ZoneOfTolerance(z) => zone(i18n, &names, z).into_any(),
            AggregateResults::Servperf(s) => {
                let rows: Vec<_> = s
                    .dimensions
                    .iter()
                    .enumerate()
                    .map(|(d, dim)| {
                        (names.dimension(&dim.dimension), format!("results.dimensions.{d}.perception"), dim.perception)
                    })
                    .collect();
                let bars = bars_of(&rows);
                let reliability: Vec<_> = s
                    .dimensions
                    .iter()
                    .enumerate()
                    .map(|(d, dim)| (names.dimension(&dim.dimension), format!("results.dimensions.{d}.reliability"), dim.reliability.clone()))
                    .collect();
                view! {
                    <Headline label=i18n.text(|t| t.analyst.servperf) path="results.servperf".into() m=s.servperf />
                    <MeanTable caption=i18n.text(|t| t.analyst.perception) rows />
                    <Later at=1><BarChart
                        text=chart_text(i18n.t().analyst, |t| t.servperf, "servperf", |t| vec![t.dimension, t.perception, t.ci])
                        bars=bars.clone()
                        domain=(1.0, 7.0)
                    /></Later>
                    <Later at=2><ReliabilityTable caption=Signal::derive(move || i18n.t().analyst.reliability.to_owned()) rows=reliability.clone() /></Later>
                }
                .into_any()
            }
            AggregateResults::Commitment(c) => {
                let lang = i18n.lang().tag();
                let shares: Vec<Bar> = c
                    .segments
                    .iter()
                    .map(|s| Bar {
                        label: names.segment(&s.segment, lang),
                        value: s.percent.value().unwrap_or(f64::NAN),
                        low: None,
                        high: None,
                    })
                    .collect();
                let rows = c
                    .segments
                    .iter()
                    .enumerate()
                    .map(|(i, s)| {
                        let name = names.segment(&s.segment, lang);
                        view! {
                            <tr>
                                <th scope="row">{name}</th>
                                <td>{count(format!("results.segments.{i}.count"), s.count)}</td>
                                <td>{num(format!("results.segments.{i}.percent"), s.percent)} " %"</td>
                            </tr>
                        }
                    })
                    .collect_view();
                let undefined = c.undefined;
                view! {
                    <Headline label=i18n.text(|t| t.analyst.commitment_index) path="results.index".into() m=c.index />
                    <table class="data">
                        <caption>{i18n.text(|t| t.analyst.segment_share)}</caption>
                        <thead><tr>
                            <th scope="col">{i18n.text(|t| t.analyst.segment)}</th>
                            <th scope="col">{i18n.text(|t| t.analyst.count)}</th>
                            <th scope="col">{i18n.text(|t| t.analyst.share)}</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                    {(undefined > 0).then(|| view! {
                        <p class="hint">{move || (i18n.t().analyst.undefined_index)(&format::count(i18n.lang(), undefined))}</p>
                    })}
                    <Later at=1><BarChart
                        text=chart_text(i18n.t().analyst, |t| t.segment_share, "commitment-segments", |t| vec![t.segment, t.share])
                        bars=shares.clone()
                        domain=(0.0, 100.0)
                    /></Later>
                }
                .into_any()
            }
            AggregateResults::Nps(a) => view! {
                <dl class="headline">
                    <div><dt>{i18n.text(|t| t.analyst.nps)}</dt><dd class="big">{num("results.nps".into(), a.nps)}</dd></div>
                    <div><dt>{i18n.text(|t| t.analyst.ci_wald)}</dt><dd>{num("results.ci_low".into(), a.ci_low)} " – " {num("results.ci_high".into(), a.ci_high)}</dd></div>
                    <div><dt>{i18n.text(|t| t.analyst.ci_adjusted_wald)}</dt><dd>{num("results.adjusted_wald_low".into(), a.adjusted_wald_low)} " – " {num("results.adjusted_wald_high".into(), a.adjusted_wald_high)}</dd></div>
                    <div><dt>{i18n.text(|t| t.analyst.promoters)}</dt><dd>{count("results.promoters".into(), a.promoters)}</dd></div>
                    <div><dt>{i18n.text(|t| t.analyst.passives)}</dt><dd>{count("results.passives".into(), a.passives)}</dd></div>
                    <div><dt>{i18n.text(|t| t.analyst.detractors)}</dt><dd>{count("results.detractors".into(), a.detractors)}</dd></div>
                </dl>
                <Distribution report=report.clone() />
            }
            .into_any(),
            AggregateResults::Csat(a) => view! {
                <dl class="headline">
                    <div><dt>{i18n.text(|t| t.analyst.csat)}</dt><dd class="big">{num("results.csat_percent".into(), a.csat_percent)} " %"</dd></div>
                    <div><dt>{i18n.text(|t| t.analyst.mean)}</dt><dd>{mean_ci("results.mean", &a.mean)}</dd></div>
                </dl>
                <Distribution report=report.clone() />
            }
            .into_any(),
            AggregateResults::Ces(a) => {
                let lower = matches!(a.direction, rapport_core::instrument::CesDirection::LowerIsBetter);
                view! {
                    <dl class="headline">
                        <div><dt>{i18n.text(|t| t.analyst.mean)}</dt><dd class="big">{mean_ci("results.mean", &a.mean)}</dd></div>
                        {a.agree_percent.map(|p| view! {
                            <div><dt>{i18n.text(|t| t.analyst.ces_agree)}</dt><dd>{num("results.agree_percent".into(), p)} " %"</dd></div>
                        })}
                    </dl>
                    {lower.then(|| view! { <p class="hint">{i18n.text(|t| t.analyst.lower_better)}</p> })}
                    <Distribution report=report.clone() />
                }
                .into_any()
            }
        }
    };
    view! {
        <section
            class="card analyst-report"
            data-testid="report"
            data-ready=move || (stage.get() >= LAST_STAGE).then_some("")
            aria-labelledby="analyst-report-heading"
        >
            <h2 id="analyst-report-heading">{i18n.text(|t| t.analyst.report)}</h2>
            <p>{count("n_responses".into(), n)} " " {i18n.text(|t| t.analyst.responses)}</p>
            {body}
        </section>
    }
}

/// How far the report has been drawn. Its sections appear over a few tasks (numbers, then charts,
/// then reliability), so that drawing a large report never blocks the page for long at a time.
#[derive(Clone, Copy)]
struct Stage(RwSignal<u8>);

const LAST_STAGE: u8 = 2;

fn advance(stage: RwSignal<u8>) {
    set_timeout(
        move || {
            // The report may have been replaced meanwhile; its signal is then gone.
            if let Some(now) = stage.try_update(|s| {
                *s += 1;
                *s
            }) {
                if now < LAST_STAGE {
                    advance(stage);
                }
            }
        },
        std::time::Duration::ZERO,
    );
}

/// Shows its children once the report has reached stage `at`.
#[component]
fn Later(at: u8, children: ChildrenFn) -> impl IntoView {
    let stage = use_context::<Stage>().map(|s| s.0);
    view! { <Show when=move || stage.is_none_or(|s| s.get() >= at)>{children()}</Show> }
}

/// Names from the instrument definition, in the page's language.
struct Names {
    def: Option<InstrumentDef>,
}

impl Names {
    fn dimension(&self, id: &str) -> Signal<String> {
        let name = self
            .def
            .as_ref()
            .and_then(|d| d.dimensions.iter().find(|x| x.id == id))
            .map(|d| d.name.clone());
        let id = id.to_owned();
        let i18n = use_i18n();
        Signal::derive(move || {
            name.as_ref()
                .and_then(|n| n.get(i18n.lang().tag()).or_else(|| n.get("en")))
                .cloned()
                .unwrap_or_else(|| id.clone())
        })
    }

    fn segment(&self, id: &str, lang: &str) -> String {
        let model = match self.def.as_ref().map(|d| &d.scoring) {
            Some(rapport_core::instrument::Scoring::Commitment(m)) => Some(m),
            _ => None,
        };
        model
            .and_then(|m| m.segments.iter().find(|s| s.id == id))
            .and_then(|s| s.name.get(lang).or_else(|| s.name.get("en")).cloned())
            .unwrap_or_else(|| id.to_owned())
    }
}

/// One statistic: `data-stat` points at the number in the report JSON (`….value`).
fn num(path: String, s: Stat) -> AnyView {
    let i18n = use_i18n();
    match s.value() {
        Some(x) => view! {
            <span class="num" data-stat=format!("{path}.value") data-value=x.to_string()>
                {move || format::decimal(i18n.lang(), x, 2)}
            </span>
        }
        .into_any(),
        None => view! { <span class="num undefined">{i18n.text(|t| t.analyst.undefined)}</span> }
            .into_any(),
    }
}

fn count(path: String, n: u64) -> AnyView {
    let i18n = use_i18n();
    view! {
        <span class="num" data-stat=path data-value=n.to_string()>{move || format::count(i18n.lang(), n)}</span>
    }
    .into_any()
}

/// "mean (low – high)".
fn mean_ci(path: &str, m: &MeanCi) -> impl IntoView {
    view! {
        {num(format!("{path}.mean"), m.mean)}
        <span class="ci">" (" {num(format!("{path}.ci_low"), m.ci_low)} " – " {num(format!("{path}.ci_high"), m.ci_high)} ")"</span>
    }
}

#[component]
fn Headline(label: Signal<&'static str>, path: String, m: MeanCi) -> impl IntoView {
    view! {
        <dl class="headline">
            <div>
                <dt>{label}</dt>
                <dd class="big">{mean_ci(&path, &m)}</dd>
                <dd class="hint">"n = " {count(format!("{path}.n"), m.n)}</dd>
            </div>
        </dl>
    }
}

/// A table of means with intervals, one row per dimension.
#[component]
fn MeanTable(
    caption: Signal<&'static str>,
    rows: Vec<(Signal<String>, String, MeanCi)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let body = rows
        .into_iter()
        .map(|(name, path, m)| {
            view! {
                <tr>
                    <th scope="row">{name}</th>
                    <td>{num(format!("{path}.mean"), m.mean)}</td>
                    <td>{num(format!("{path}.ci_low"), m.ci_low)} " – " {num(format!("{path}.ci_high"), m.ci_high)}</td>
                    <td>{count(format!("{path}.n"), m.n)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="data">
            <caption>{caption}</caption>
            <thead><tr>
                <th scope="col">{i18n.text(|t| t.analyst.dimension)}</th>
                <th scope="col">{i18n.text(|t| t.analyst.mean)}</th>
                <th scope="col">{i18n.text(|t| t.analyst.ci)}</th>
                <th scope="col">{i18n.text(|t| t.analyst.n)}</th>
            </tr></thead>
            <tbody>{body}</tbody>
        </table>
    }
}

/// Alpha with its interval per dimension, the item statistics under each, and a plain note where
/// alpha is low.
#[component]
fn ReliabilityTable(
    caption: Signal<String>,
    rows: Vec<(Signal<String>, String, Reliability)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let notes: Vec<_> = rows
        .iter()
        .filter_map(|(name, _, r)| {
            let alpha = r.alpha.value()?;
            (alpha < LOW_ALPHA).then(|| {
                let name = *name;
                view! {
                    <li>{move || (i18n.t().analyst.low_alpha)(&name.get(), &format::decimal(i18n.lang(), alpha, 2))}</li>
                }
            })
        })
        .collect();
    let body = rows
        .into_iter()
        .map(|(name, path, r)| {
            let items = r
                .items
                .iter()
                .enumerate()
                .map(|(j, it)| {
                    let p = format!("{path}.items.{j}");
                    view! {
                        <tr class="item-row">
                            <th scope="row">{it.item.clone()}</th>
                            <td></td>
                            <td></td>
                            <td>{num(format!("{p}.corrected_item_total_r"), it.corrected_item_total_r)}</td>
                            <td>{num(format!("{p}.alpha_if_deleted"), it.alpha_if_deleted)}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <tbody>
                    <tr>
                        <th scope="row">{name}</th>
                        <td>{num(format!("{path}.alpha"), r.alpha)} " (" {num(format!("{path}.ci_low"), r.ci_low)} " – " {num(format!("{path}.ci_high"), r.ci_high)} ")"</td>
                        <td>{count(format!("{path}.n"), r.n)} " / " {r.k}</td>
                        <td></td>
                        <td></td>
                    </tr>
                    {items}
                </tbody>
            }
        })
        .collect_view();
    view! {
        <table class="data reliability">
            <caption>{caption}</caption>
            <thead><tr>
                <th scope="col">{i18n.text(|t| t.analyst.dimension)}</th>
                <th scope="col">{i18n.text(|t| t.analyst.alpha)} " (" {i18n.text(|t| t.analyst.ci)} ")"</th>
                <th scope="col">{i18n.text(|t| t.analyst.n)} " / " {i18n.text(|t| t.analyst.items_k)}</th>
                <th scope="col">{i18n.text(|t| t.analyst.item_total)}</th>
                <th scope="col">{i18n.text(|t| t.analyst.alpha_if_deleted)}</th>
            </tr></thead>
            {body}
        </table>
        {(!notes.is_empty()).then(|| view! { <ul class="notes">{notes}</ul> })}
    }
}

fn servqual(
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
    let t = i18n.t().analyst;
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

fn zone(i18n: I18n, names: &Names, z: &ZoneAggregate) -> impl IntoView {
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
                    <td>{move || position_name(i18n.t().analyst, position)}</td>
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
    let t = i18n.t().analyst;
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

fn position_name(t: &AnalystTexts, p: Option<Position>) -> &'static str {
    match p {
        Some(Position::Below) => t.below,
        Some(Position::Inside) => t.inside,
        Some(Position::Above) => t.above,
        None => t.undefined,
    }
}

/// How many respondents gave each answer (single-question instruments).
#[component]
fn Distribution(report: Arc<AnalystReport>) -> impl IntoView {
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
        <Later at=1><Histogram text=chart_text(i18n.t().analyst, |t| t.distribution, "answers", |t| vec![t.answer, t.count]) counts=counts.clone() /></Later>
    }
}

fn bars_of(rows: &[(Signal<String>, String, MeanCi)]) -> Vec<Bar> {
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
fn chart_text(
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
