//! The analyst view's report: numbers, reliability and charts for one [`AnalystReport`].
//!
//! Every number on screen is an element with `data-stat` (its path in the report's `aggregate`
//! JSON, the same document the CLI writes) and `data-value` (full precision), so that tests can hold
//! the screen to the CLI. Texts come from the page's language; dimension and segment names from the
//! instrument definition.

mod cells;
mod sections;

use std::sync::Arc;

use cells::*;
use sections::*;

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
                        text=chart_text(&i18n.t().analyst, |t| t.servperf, "servperf", |t| vec![t.dimension, t.perception, t.ci])
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
                        text=chart_text(&i18n.t().analyst, |t| t.segment_share, "commitment-segments", |t| vec![t.segment, t.share])
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
