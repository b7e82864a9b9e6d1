//! Statistics: the "defined or undefined" value type, means with t-intervals, Cronbach's alpha from
//! exact integer moments, Feldt's interval, and the distribution functions they need (log-gamma,
//! regularised incomplete beta, Student-t and F quantiles), written here to keep the Wasm small.

use serde::{Deserialize, Serialize};

/// Why a statistic does not exist for the data at hand.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Undefined {
    /// No respondent contributed (n = 0).
    NoData,
    /// The statistic needs at least two respondents (a variance with n − 1 in the denominator).
    TooFewRespondents,
    /// The statistic needs at least two items (alpha, item-total correlation).
    TooFewItems,
    /// A variance in a denominator is zero (e.g. every respondent gave the same total).
    ZeroVariance,
    /// Answers needed for the statistic are missing.
    MissingAnswers,
}

impl Undefined {
    /// A human-readable explanation in English (the code itself is stable and meant for translation).
    pub fn explain(self) -> &'static str {
        match self {
            Undefined::NoData => "no respondent contributed",
            Undefined::TooFewRespondents => "needs at least two respondents",
            Undefined::TooFewItems => "needs at least two items",
            Undefined::ZeroVariance => "a variance in the denominator is zero",
            Undefined::MissingAnswers => "answers needed for it are missing",
        }
    }
}

/// A statistic that either has a finite value or is explicitly undefined, with the reason.
///
/// Serialised as `{"value": 1.25}` or `{"value": null, "undefined": "zero_variance"}`, so a consumer
/// never sees NaN and never mistakes a missing statistic for 0.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(into = "StatRepr", try_from = "StatRepr")]
pub enum Stat {
    /// A finite value.
    Value(f64),
    /// The statistic does not exist for these data.
    Undefined(Undefined),
}

#[derive(Serialize, Deserialize)]
struct StatRepr {
    value: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    undefined: Option<Undefined>,
}

impl From<Stat> for StatRepr {
    fn from(s: Stat) -> Self {
        match s {
            Stat::Value(v) => StatRepr {
                value: Some(v),
                undefined: None,
            },
            Stat::Undefined(u) => StatRepr {
                value: None,
                undefined: Some(u),
            },
        }
    }
}

impl TryFrom<StatRepr> for Stat {
    type Error = String;
    fn try_from(r: StatRepr) -> Result<Self, Self::Error> {
        match (r.value, r.undefined) {
            (Some(v), None) if v.is_finite() => Ok(Stat::Value(v)),
            (None, Some(u)) => Ok(Stat::Undefined(u)),
            _ => Err("a statistic has either a finite value or an undefined reason".into()),
        }
    }
}

impl Stat {
    /// Wraps `v`; a non-finite result (which the formulas here never produce for valid input) is
    /// reported as `fallback` instead of leaking NaN.
    pub fn finite(v: f64, fallback: Undefined) -> Stat {
        if v.is_finite() {
            Stat::Value(v)
        } else {
            Stat::Undefined(fallback)
        }
    }

    /// The value, if defined.
    pub fn value(self) -> Option<f64> {
        match self {
            Stat::Value(v) => Some(v),
            Stat::Undefined(_) => None,
        }
    }

    /// The reason, if undefined.
    pub fn reason(self) -> Option<Undefined> {
        match self {
            Stat::Value(_) => None,
            Stat::Undefined(u) => Some(u),
        }
    }

    fn map(self, f: impl FnOnce(f64) -> f64) -> Stat {
        match self {
            Stat::Value(v) => Stat::finite(f(v), Undefined::ZeroVariance),
            u => u,
        }
    }
}

/// Mean with its sample standard deviation and 95 % confidence interval
/// `mean ± t(n−1, 0.975) · s / √n`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct MeanCi {
    /// Respondents used.
    pub n: u64,
    /// Arithmetic mean; undefined when n = 0.
    pub mean: Stat,
    /// Sample standard deviation (n − 1); undefined when n < 2.
    pub sd: Stat,
    /// Lower end of the 95 % t-interval; undefined when n < 2.
    pub ci_low: Stat,
    /// Upper end of the 95 % t-interval; undefined when n < 2.
    pub ci_high: Stat,
}

impl MeanCi {
    /// From a count, a mean and a sample variance (variance ignored when n < 2).
    pub fn from_mean_var(n: u64, mean: f64, var: f64) -> MeanCi {
        if n == 0 {
            let u = Stat::Undefined(Undefined::NoData);
            return MeanCi {
                n,
                mean: u,
                sd: u,
                ci_low: u,
                ci_high: u,
            };
        }
        let mean_s = Stat::finite(mean, Undefined::NoData);
        if n < 2 {
            let u = Stat::Undefined(Undefined::TooFewRespondents);
            return MeanCi {
                n,
                mean: mean_s,
                sd: u,
                ci_low: u,
                ci_high: u,
            };
        }
        // Rounding can make a zero variance come out as −1e−17; it is zero.
        let sd = var.max(0.0).sqrt();
        let half = t_quantile_975((n - 1) as f64) * sd / (n as f64).sqrt();
        MeanCi {
            n,
            mean: mean_s,
            sd: Stat::finite(sd, Undefined::ZeroVariance),
            ci_low: Stat::finite(mean - half, Undefined::ZeroVariance),
            ci_high: Stat::finite(mean + half, Undefined::ZeroVariance),
        }
    }
}

/// Running mean and sum of squared deviations (Welford), for real-valued scores such as SQ and WSQ.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Moments {
    n: u64,
    mean: f64,
    m2: f64,
}

impl Moments {
    /// Adds one observation.
    pub fn push(&mut self, x: f64) {
        self.n += 1;
        let d = x - self.mean;
        self.mean += d / self.n as f64;
        self.m2 += d * (x - self.mean);
    }

    /// Combines two partial results (Chan et al.), e.g. from two shards of the data.
    pub fn merge(&mut self, o: &Moments) {
        if o.n == 0 {
            return;
        }
        if self.n == 0 {
            *self = *o;
            return;
        }
        let n = self.n + o.n;
        let d = o.mean - self.mean;
        self.mean += d * o.n as f64 / n as f64;
        self.m2 += o.m2 + d * d * (self.n as f64) * (o.n as f64) / n as f64;
        self.n = n;
    }

    /// Number of observations.
    pub fn n(&self) -> u64 {
        self.n
    }

    /// Mean and 95 % t-interval.
    pub fn mean_ci(&self) -> MeanCi {
        let var = if self.n > 1 {
            self.m2 / (self.n - 1) as f64
        } else {
            0.0
        };
        MeanCi::from_mean_var(self.n, self.mean, var)
    }
}

/// Exact integer moments of one scale (k items) over the respondents complete on it: the raw material
/// for item means and variances, the scale total's variance, Cronbach's alpha, corrected item-total
/// correlations and alpha-if-item-deleted. Item values are integers (answers, or differences of
/// answers), so every sum is exact and the result does not depend on respondent order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ScaleMoments {
    /// Respondents included.
    pub n: i64,
    /// Σ x_j per item.
    pub s1: Vec<i64>,
    /// Σ x_j² per item.
    pub s2: Vec<i64>,
    /// Σ x_j · X per item, X = the scale total.
    pub sx: Vec<i64>,
    /// Σ X.
    pub tx: i64,
    /// Σ X².
    pub txx: i64,
}

impl ScaleMoments {
    /// Empty moments for a scale of `k` items.
    pub fn new(k: usize) -> Self {
        ScaleMoments {
            n: 0,
            s1: vec![0; k],
            s2: vec![0; k],
            sx: vec![0; k],
            tx: 0,
            txx: 0,
        }
    }

    /// Number of items.
    pub fn k(&self) -> usize {
        self.s1.len()
    }

    /// Adds one complete respondent's item values.
    pub fn push(&mut self, x: &[i64]) {
        let total: i64 = x.iter().sum();
        self.n += 1;
        for (j, &v) in x.iter().enumerate() {
            self.s1[j] += v;
            self.s2[j] += v * v;
            self.sx[j] += v * total;
        }
        self.tx += total;
        self.txx += total * total;
    }

    /// Adds another set of moments for the same scale.
    pub fn merge(&mut self, o: &ScaleMoments) {
        self.n += o.n;
        for j in 0..self.k().min(o.k()) {
            self.s1[j] += o.s1[j];
            self.s2[j] += o.s2[j];
            self.sx[j] += o.sx[j];
        }
        self.tx += o.tx;
        self.txx += o.txx;
    }

    // n²·(n−1)·var as exact integers: n·Σx² − (Σx)².
    fn item_var_num(&self, j: usize) -> i128 {
        self.n as i128 * self.s2[j] as i128 - (self.s1[j] as i128).pow(2)
    }
    fn total_var_num(&self) -> i128 {
        self.n as i128 * self.txx as i128 - (self.tx as i128).pow(2)
    }
    fn item_total_cov_num(&self, j: usize) -> i128 {
        self.n as i128 * self.sx[j] as i128 - self.s1[j] as i128 * self.tx as i128
    }

    /// Mean and 95 % CI of the scale total divided by `divisor` (e.g. k for a mean item score),
    /// with `shift` added to the mean (undoing the offset at which answers were stored).
    pub fn total_mean_ci(&self, divisor: f64, shift: f64) -> MeanCi {
        let n = self.n.max(0) as u64;
        if n == 0 {
            return MeanCi::from_mean_var(0, 0.0, 0.0);
        }
        let mean = self.tx as f64 / (n as f64 * divisor) + shift;
        let var = if n > 1 {
            self.total_var_num() as f64 / (n as f64 * (n - 1) as f64 * divisor * divisor)
        } else {
            0.0
        };
        MeanCi::from_mean_var(n, mean, var)
    }

    /// Mean and 95 % CI of item `j`, with `shift` added to the mean.
    pub fn item_mean_ci(&self, j: usize, shift: f64) -> MeanCi {
        let n = self.n.max(0) as u64;
        if n == 0 {
            return MeanCi::from_mean_var(0, 0.0, 0.0);
        }
        let mean = self.s1[j] as f64 / n as f64 + shift;
        let var = if n > 1 {
            self.item_var_num(j) as f64 / (n as f64 * (n - 1) as f64)
        } else {
            0.0
        };
        MeanCi::from_mean_var(n, mean, var)
    }

    /// Cronbach's alpha, α = k/(k−1) · (1 − Σ s²_j / s²_X).
    pub fn alpha(&self) -> Stat {
        let k = self.k();
        let sum_items: i128 = (0..k).map(|j| self.item_var_num(j)).sum();
        alpha_from_nums(k, self.n, sum_items, self.total_var_num())
    }

    /// Pearson r between item j and the sum of the other items of the scale.
    pub fn corrected_item_total_r(&self, j: usize) -> Stat {
        if self.k() < 2 {
            return Stat::Undefined(Undefined::TooFewItems);
        }
        if self.n < 2 {
            return Stat::Undefined(if self.n == 0 {
                Undefined::NoData
            } else {
                Undefined::TooFewRespondents
            });
        }
        let vj = self.item_var_num(j);
        let cjx = self.item_total_cov_num(j);
        // Rest R = X − x_j: Cov(x_j, R) = Cov(x_j, X) − Var(x_j); Var(R) = Var(X) − 2 Cov(x_j, X) + Var(x_j).
        let cov = cjx - vj;
        let vr = self.total_var_num() - 2 * cjx + vj;
        if vj <= 0 || vr <= 0 {
            return Stat::Undefined(Undefined::ZeroVariance);
        }
        let r = cov as f64 / ((vj as f64).sqrt() * (vr as f64).sqrt());
        // Rounding in the square roots can push |r| a hair past 1.
        Stat::finite(r.clamp(-1.0, 1.0), Undefined::ZeroVariance)
    }

    /// Cronbach's alpha of the scale without item j.
    pub fn alpha_if_deleted(&self, j: usize) -> Stat {
        let k = self.k();
        if k < 3 {
            return Stat::Undefined(Undefined::TooFewItems);
        }
        let sum_items: i128 = (0..k)
            .filter(|&l| l != j)
            .map(|l| self.item_var_num(l))
            .sum();
        let cjx = self.item_total_cov_num(j);
        let vr = self.total_var_num() - 2 * cjx + self.item_var_num(j);
        alpha_from_nums(k - 1, self.n, sum_items, vr)
    }

    /// Alpha with its Feldt interval and per-item statistics; `names` labels the items and `shifts`
    /// are added to item means.
    pub fn reliability(&self, names: &[String], shifts: &[f64]) -> Reliability {
        let alpha = self.alpha();
        let (ci_low, ci_high) = feldt_ci(alpha, self.n.max(0) as u64, self.k());
        Reliability {
            n: self.n.max(0) as u64,
            k: self.k(),
            alpha,
            ci_low,
            ci_high,
            items: (0..self.k())
                .map(|j| ItemStatistics {
                    item: names.get(j).cloned().unwrap_or_default(),
                    mean: self
                        .item_mean_ci(j, shifts.get(j).copied().unwrap_or(0.0))
                        .mean,
                    sd: self.item_mean_ci(j, 0.0).sd,
                    corrected_item_total_r: self.corrected_item_total_r(j),
                    alpha_if_deleted: self.alpha_if_deleted(j),
                })
                .collect(),
        }
    }
}

// α = k (B − A) / ((k − 1) B) with A = Σ n²(n−1)s²_j and B = n²(n−1)s²_X as exact integers, so the
// only rounding is the final division, and k(B − A) ≤ (k − 1)B (Cauchy–Schwarz) keeps α ≤ 1 exactly.
fn alpha_from_nums(k: usize, n: i64, sum_items: i128, total: i128) -> Stat {
    if k < 2 {
        return Stat::Undefined(Undefined::TooFewItems);
    }
    if n < 2 {
        return Stat::Undefined(if n <= 0 {
            Undefined::NoData
        } else {
            Undefined::TooFewRespondents
        });
    }
    if total <= 0 {
        return Stat::Undefined(Undefined::ZeroVariance);
    }
    let k = k as i128;
    let num = (k * (total - sum_items)) as f64;
    let den = ((k - 1) * total) as f64;
    Stat::finite(num / den, Undefined::ZeroVariance)
}

/// Reliability of one scale.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reliability {
    /// Respondents complete on the scale (listwise deletion).
    pub n: u64,
    /// Items in the scale.
    pub k: usize,
    /// Cronbach's alpha; undefined when k < 2, n < 2 or the total has zero variance.
    pub alpha: Stat,
    /// Feldt (1965) 95 % interval, lower end.
    pub ci_low: Stat,
    /// Feldt (1965) 95 % interval, upper end.
    pub ci_high: Stat,
    /// Per-item statistics.
    pub items: Vec<ItemStatistics>,
}

/// Statistics of one item within its scale.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ItemStatistics {
    /// Item label (for gap scales `P1-E1`).
    pub item: String,
    /// Mean over the respondents complete on the scale.
    pub mean: Stat,
    /// Sample standard deviation.
    pub sd: Stat,
    /// Pearson r between the item and the sum of the scale's other items.
    pub corrected_item_total_r: Stat,
    /// Alpha of the scale without this item (undefined when fewer than two items remain).
    pub alpha_if_deleted: Stat,
}

/// Feldt (1965) 95 % confidence interval for alpha:
/// `[1 − (1 − α)·F(0.975; n−1, (n−1)(k−1)), 1 − (1 − α)·F(0.025; n−1, (n−1)(k−1))]`.
pub fn feldt_ci(alpha: Stat, n: u64, k: usize) -> (Stat, Stat) {
    let a = match alpha {
        Stat::Value(a) => a,
        u => return (u, u),
    };
    if n < 2 || k < 2 {
        let u = Stat::Undefined(Undefined::TooFewRespondents);
        return (u, u);
    }
    let df1 = (n - 1) as f64;
    let df2 = df1 * (k - 1) as f64;
    let hi_q = f_quantile(0.975, df1, df2);
    let lo_q = f_quantile(0.025, df1, df2);
    (
        Stat::Value(a).map(|a| 1.0 - (1.0 - a) * hi_q),
        Stat::Value(a).map(|a| 1.0 - (1.0 - a) * lo_q),
    )
}

/// Natural log of the gamma function for x > 0 (Lanczos, g = 7, n = 9; relative error ≈ 1e−15).
pub fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection keeps the series in its accurate range.
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = C[0];
    let t = x + G + 0.5;
    for (i, c) in C.iter().enumerate().skip(1) {
        a += c / (x + i as f64);
    }
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

/// Regularised incomplete beta function I_x(a, b) (continued fraction, modified Lentz).
pub fn inc_beta(a: f64, b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let ln_bt = ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (-x).ln_1p();
    let bt = ln_bt.exp();
    // The fraction converges fast on this side of the mean; use the symmetry on the other.
    if x < (a + 1.0) / (a + b + 2.0) {
        bt * beta_cf(a, b, x) / a
    } else {
        1.0 - bt * beta_cf(b, a, 1.0 - x) / b
    }
}

fn beta_cf(a: f64, b: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    // Iterations needed grow like √max(a, b); large n gives large a, b.
    let max_iter = 200 + (20.0 * (a + b).sqrt()) as usize;
    let qab = a + b;
    let qap = a + 1.0;
    let qam = a - 1.0;
    let mut c = 1.0;
    let mut d = 1.0 - qab * x / qap;
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..=max_iter {
        let m = m as f64;
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + aa / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        h *= d * c;
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + aa / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        let del = d * c;
        h *= del;
        if (del - 1.0).abs() < 1e-15 {
            break;
        }
    }
    h
}

/// x with I_x(a, b) = p, by bisection (robust for every a, b > 0; 1e−16 absolute in x).
pub fn inc_beta_inv(p: f64, a: f64, b: f64) -> f64 {
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if inc_beta(a, b, mid) < p {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// Two-sided 95 % quantile of Student's t with `df` degrees of freedom, t(df, 0.975).
pub fn t_quantile_975(df: f64) -> f64 {
    t_quantile(0.975, df)
}

/// Quantile of Student's t for p in (0.5, 1): P(T ≤ t) = p. Uses P(T² ≤ t²) = I_y(½, df/2) with
/// y = t²/(df + t²), solved for y (small, hence accurate) rather than for df/(df + t²).
pub fn t_quantile(p: f64, df: f64) -> f64 {
    let central = 2.0 * p - 1.0;
    let y = inc_beta_inv(central, 0.5, 0.5 * df);
    (df * y / (1.0 - y)).sqrt()
}

/// Quantile of the F distribution: P(F ≤ f) = p with P(F ≤ f) = I_x(d1/2, d2/2), x = d1 f/(d1 f + d2).
pub fn f_quantile(p: f64, d1: f64, d2: f64) -> f64 {
    let x = inc_beta_inv(p, 0.5 * d1, 0.5 * d2);
    d2 * x / (d1 * (1.0 - x))
}

/// 97.5 % quantile of the standard normal, used for the NPS Wald interval.
pub const Z_975: f64 = 1.959_963_984_540_054;
