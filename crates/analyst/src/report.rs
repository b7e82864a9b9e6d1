//! The analyst report and its CSV summary.

use rapport_core::aggregate::AggregateResults;
use rapport_core::csv::{LineEnd, Row};
use rapport_core::{AggregateReport, MeanCi, Reliability, Stat};
use serde::{Deserialize, Serialize};

/// Means of one statement's items over every answer given to them (pairwise, not listwise).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ItemMeans {
    /// Statement number.
    pub statement: u32,
    /// Dimension id.
    pub dimension: String,
    /// Item ids: expectation (SERVQUAL) or adequate and desired (zone of tolerance), then perception.
    pub items: Vec<String>,
    /// Mean expectation (SERVQUAL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expectation: Option<MeanCi>,
    /// Mean adequate level (zone of tolerance).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adequate: Option<MeanCi>,
    /// Mean desired level (zone of tolerance).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desired: Option<MeanCi>,
    /// Mean perception.
    pub perception: MeanCi,
}

/// Everything the analyst view shows for one filter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AnalystReport {
    /// The core's aggregate: exactly what `rapport score` reports for the same rows.
    pub aggregate: AggregateReport,
    /// Per statement (dimensional instruments).
    pub items: Vec<ItemMeans>,
    /// Answer counts per scale value, every value of the scale (single-item methods: NPS, CSAT, CES).
    pub distribution: Vec<(i32, u64)>,
    /// Rows covered.
    pub n: u64,
}

struct Out(String);

impl Out {
    /// `key`: section, dimension, statistic.
    fn row(
        &mut self,
        (section, dimension, statistic): (&str, &str, &str),
        n: Option<u64>,
        value: Stat,
        lo: Option<Stat>,
        hi: Option<Stat>,
    ) {
        let cell = |s: Option<Stat>| s.and_then(Stat::value);
        let mut r = Row::new(&mut self.0);
        r.texts([section, dimension, statistic]);
        match n {
            Some(n) => r.count(n),
            None => r.empty(),
        };
        r.opt_number(cell(Some(value)))
            .opt_number(cell(lo))
            .opt_number(cell(hi))
            .end(LineEnd::Lf);
    }

    /// A distribution row: the scale value is a number (it may be negative), not a label.
    fn distribution(&mut self, value: i32, n: u64) {
        Row::new(&mut self.0)
            .texts(["distribution", ""])
            .integer(i64::from(value))
            .count(n)
            .number(n as f64)
            .empty()
            .empty()
            .end(LineEnd::Lf);
    }

    fn mean(&mut self, section: &str, dimension: &str, statistic: &str, m: &MeanCi) {
        self.row(
            (section, dimension, statistic),
            Some(m.n),
            m.mean,
            Some(m.ci_low),
            Some(m.ci_high),
        );
    }

    fn alpha(&mut self, section: &str, dimension: &str, statistic: &str, r: &Reliability) {
        self.row(
            (section, dimension, statistic),
            Some(r.n),
            r.alpha,
            Some(r.ci_low),
            Some(r.ci_high),
        );
    }

    fn count(&mut self, section: &str, dimension: &str, statistic: &str, n: u64) {
        self.row(
            (section, dimension, statistic),
            Some(n),
            Stat::Value(n as f64),
            None,
            None,
        );
    }
}

/// The report as CSV, one row per statistic: `section,dimension,statistic,n,value,ci_low,ci_high`.
/// Means give their 95 % t-interval, alphas Feldt's interval, NPS its Wald interval (row `nps`) and
/// its adjusted-Wald interval (Rocks 2016, row `nps_adjusted_wald`); an undefined
/// value is an empty cell. Sections: `overall`, `dimension`, `item`, `segment`, `distribution`.
pub fn summary_csv(r: &AnalystReport) -> String {
    let mut o = Out(String::from(
        "section,dimension,statistic,n,value,ci_low,ci_high\n",
    ));
    o.count("overall", "", "n_responses", r.aggregate.n_responses);
    match &r.aggregate.results {
        AggregateResults::Servqual(s) => {
            o.mean("overall", "", "sq", &s.sq);
            o.mean("overall", "", "wsq", &s.wsq);
            o.mean("overall", "", "servperf", &s.servperf);
            o.alpha("overall", "", "alpha_gap", &s.reliability_gap);
            o.alpha("overall", "", "alpha_perception", &s.reliability_perception);
            for d in &s.dimensions {
                o.mean("dimension", &d.dimension, "gap", &d.gap);
                o.mean("dimension", &d.dimension, "expectation", &d.expectation);
                o.mean("dimension", &d.dimension, "perception", &d.perception);
                o.mean("dimension", &d.dimension, "weight", &d.weight);
                o.alpha("dimension", &d.dimension, "alpha_gap", &d.reliability_gap);
                o.alpha(
                    "dimension",
                    &d.dimension,
                    "alpha_perception",
                    &d.reliability_perception,
                );
            }
        }
        AggregateResults::ZoneOfTolerance(z) => {
            o.mean("overall", "", "msa", &z.msa);
            o.mean("overall", "", "mss", &z.mss);
            o.alpha("overall", "", "alpha_perception", &z.reliability_perception);
            o.count(
                "overall",
                "",
                "inconsistent_responses",
                z.inconsistent_responses,
            );
            for d in &z.dimensions {
                o.mean("dimension", &d.dimension, "adequate", &d.adequate);
                o.mean("dimension", &d.dimension, "desired", &d.desired);
                o.mean("dimension", &d.dimension, "perception", &d.perception);
                o.mean("dimension", &d.dimension, "msa", &d.msa);
                o.mean("dimension", &d.dimension, "mss", &d.mss);
                o.mean("dimension", &d.dimension, "width", &d.width);
                o.alpha(
                    "dimension",
                    &d.dimension,
                    "alpha_perception",
                    &d.reliability_perception,
                );
            }
        }
        AggregateResults::Servperf(s) => {
            o.mean("overall", "", "servperf", &s.servperf);
            o.alpha("overall", "", "alpha", &s.reliability);
            for d in &s.dimensions {
                o.mean("dimension", &d.dimension, "perception", &d.perception);
                o.alpha("dimension", &d.dimension, "alpha", &d.reliability);
            }
        }
        AggregateResults::Commitment(c) => {
            o.mean("overall", "", "index", &c.index);
            o.count("overall", "", "undefined", c.undefined);
            for s in &c.segments {
                o.row(
                    ("segment", &s.segment, "percent"),
                    Some(s.count),
                    s.percent,
                    None,
                    None,
                );
            }
        }
        AggregateResults::Nps(n) => {
            o.row(
                ("overall", "", "nps"),
                Some(n.n),
                n.nps,
                Some(n.ci_low),
                Some(n.ci_high),
            );
            o.row(
                ("overall", "", "nps_adjusted_wald"),
                Some(n.n),
                n.nps,
                Some(n.adjusted_wald_low),
                Some(n.adjusted_wald_high),
            );
            o.row(("overall", "", "se"), Some(n.n), n.se, None, None);
            o.count("overall", "", "promoters", n.promoters);
            o.count("overall", "", "passives", n.passives);
            o.count("overall", "", "detractors", n.detractors);
        }
        AggregateResults::Csat(c) => {
            o.row(
                ("overall", "", "csat_percent"),
                Some(c.n),
                c.csat_percent,
                None,
                None,
            );
            o.count("overall", "", "top_box", c.top_box);
            o.mean("overall", "", "mean", &c.mean);
        }
        AggregateResults::Ces(c) => {
            o.mean("overall", "", "mean", &c.mean);
            if let Some(p) = c.agree_percent {
                o.row(("overall", "", "agree_percent"), Some(c.n), p, None, None);
            }
        }
    }
    for it in &r.items {
        let mut means = Vec::new();
        let ids = &it.items;
        let parts = [&it.expectation, &it.adequate, &it.desired]
            .into_iter()
            .flatten();
        for (id, m) in ids.iter().zip(parts.chain(std::iter::once(&it.perception))) {
            means.push((id, m));
        }
        for (id, m) in means {
            o.mean("item", &it.dimension, id, m);
        }
    }
    for (v, n) in &r.distribution {
        o.distribution(*v, *n);
    }
    o.0
}
