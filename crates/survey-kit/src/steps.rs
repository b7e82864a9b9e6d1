//! How an instrument is laid out as steps, how far the respondent is, and what their own scores read
//! as. Pure: derived from the core's compiled instrument, tested natively.

use crate::i18n::Lang;
use rapport_core::instrument::{Item, Shape, Texts};
use rapport_core::VecMap;
use rapport_core::{Instrument, Scores, Scoring};

/// One page of the survey.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// The items of one section, one rating each (expectations, perceptions, a single question).
    Section(usize),
    /// The zone-of-tolerance statements of one dimension, each with three ratings side by side.
    Zone(usize),
    /// The constant-sum importance question.
    Allocation,
    /// Everything answered, with a way back to each page, before sending.
    Review,
}

/// The steps of an instrument. SERVQUAL's expectations and perceptions stay two passes, as in the
/// original instrument: one scale per screen reads clearly on a phone and keeps the expectation
/// answers from being anchored on the perception next to them. A one-page survey has no review step.
pub fn steps(inst: &Instrument) -> Vec<Step> {
    let mut out: Vec<Step> = match (inst.scoring(), inst.shape()) {
        (Scoring::ZoneOfTolerance, Shape::Dimensional(dims)) => {
            (0..dims.len()).map(Step::Zone).collect()
        }
        _ => (0..inst.def().sections.len()).map(Step::Section).collect(),
    };
    if inst.def().allocation.is_some() {
        out.push(Step::Allocation);
    }
    if out.len() > 1 {
        out.push(Step::Review);
    }
    out
}

/// Items in slot order (the allocation columns come after them).
pub fn items(inst: &Instrument) -> Vec<&Item> {
    inst.def()
        .sections
        .iter()
        .flat_map(|s| s.items.iter())
        .collect()
}

/// A text in the respondent's language (English, then any, as fallbacks), with `{firm}` filled in.
pub fn text(t: &Texts, lang: Lang, firm: &str) -> String {
    t.get(lang.tag())
        .or_else(|| t.get("en"))
        .or_else(|| t.values().next())
        .map(|s| with_firm(s, firm))
        .unwrap_or_default()
}

/// `s` with every `{firm}` replaced by `firm`. By hand, looking for `{` only: `str::replace` with a
/// string pattern links the two-way substring searcher into the widget (about 2 KB of code), and
/// slicing by index links the panic message for a slice off a character boundary (about 4 KB).
fn with_firm(s: &str, firm: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some((before, after)) = rest.split_once('{') {
        out.push_str(before);
        rest = match after.strip_prefix("firm}") {
            Some(tail) => {
                out.push_str(firm);
                tail
            }
            None => {
                out.push('{');
                after
            }
        };
    }
    out.push_str(rest);
    out
}

/// Answered questions and all questions; the allocation counts as one question, answered when its
/// points add up to the total.
pub fn progress(inst: &Instrument, answers: &VecMap<String, i64>) -> (usize, usize) {
    let all = items(inst);
    let mut done = all.iter().filter(|i| answers.contains_key(&i.id)).count();
    let mut total = all.len();
    if let Some(a) = &inst.def().allocation {
        total += 1;
        if allocation_sum(inst, answers) == Some(i64::from(a.total)) {
            done += 1;
        }
    }
    (done, total)
}

/// Sum of the allocated points, `None` when no column has points yet.
pub fn allocation_sum(inst: &Instrument, answers: &VecMap<String, i64>) -> Option<i64> {
    let a = inst.def().allocation.as_ref()?;
    let given: Vec<i64> = a
        .columns
        .iter()
        .filter_map(|c| answers.get(&c.id).copied())
        .collect();
    (!given.is_empty()).then(|| given.iter().sum())
}

/// Whether the allocation lets the respondent go on: untouched (when optional) or exactly the total.
pub fn allocation_ok(inst: &Instrument, answers: &VecMap<String, i64>) -> bool {
    match (&inst.def().allocation, allocation_sum(inst, answers)) {
        (None, _) => true,
        (Some(a), None) => !a.required,
        (Some(a), Some(sum)) => sum == i64::from(a.total),
    }
}

/// Required items of a step that have no answer yet.
pub fn missing_required(
    inst: &Instrument,
    step: Step,
    answers: &VecMap<String, i64>,
) -> Vec<String> {
    let ids: Vec<&Item> = match step {
        Step::Section(s) => inst
            .def()
            .sections
            .get(s)
            .map(|s| s.items.iter().collect())
            .unwrap_or_default(),
        Step::Zone(d) => zone_items(inst, d).into_iter().flatten().collect(),
        Step::Allocation | Step::Review => Vec::new(),
    };
    ids.into_iter()
        .filter(|i| i.required && !answers.contains_key(&i.id))
        .map(|i| i.id.clone())
        .collect()
}

/// The adequate, desired and perceived item of each statement of a zone-of-tolerance dimension.
pub fn zone_items(inst: &Instrument, dimension: usize) -> Vec<[&Item; 3]> {
    let all = items(inst);
    let Shape::Dimensional(dims) = inst.shape() else {
        return Vec::new();
    };
    let Some(d) = dims.get(dimension) else {
        return Vec::new();
    };
    d.statements
        .iter()
        .filter_map(|s| {
            Some([
                *all.get(s.adequate?)?,
                *all.get(s.desired?)?,
                *all.get(s.perception)?,
            ])
        })
        .collect()
}

/// Name of a dimension in the respondent's language.
pub fn dimension_name(inst: &Instrument, id: &str, lang: Lang, firm: &str) -> String {
    inst.def()
        .dimensions
        .iter()
        .find(|d| d.id == id)
        .map(|d| text(&d.name, lang, firm))
        .unwrap_or_else(|| id.to_owned())
}

/// What the respondent's own scores say, as label/value lines for the thank-you step.
pub fn score_lines(
    inst: &Instrument,
    scores: &Scores,
    lang: Lang,
    firm: &str,
) -> Vec<(String, String)> {
    let t = crate::i18n::texts(lang);
    // The browser's Intl in the survey's language ("-1,75" in Dutch), as the portal formats numbers.
    let shown = |v: Option<f64>, sign| {
        v.filter(|x| x.is_finite())
            .map(|x| rapport_intl::decimal(lang.tag(), x, 2, sign))
            .unwrap_or_else(|| "–".into())
    };
    let num = |v: Option<f64>| shown(v, rapport_intl::Sign::Always);
    let plain = |v: Option<f64>| shown(v, rapport_intl::Sign::Negative);
    let dim = |id: &str| dimension_name(inst, id, lang, firm);
    match scores {
        Scores::Servqual(s) => {
            let mut lines: Vec<_> = s
                .dimensions
                .iter()
                .map(|d| (dim(&d.dimension), num(d.gap)))
                .collect();
            lines.push((t.overall.to_owned(), num(s.sq)));
            lines
        }
        Scores::ZoneOfTolerance(s) => s
            .dimensions
            .iter()
            .map(|d| (dim(&d.dimension), num(d.msa)))
            .collect(),
        Scores::Servperf(s) => {
            let mut lines: Vec<_> = s
                .dimensions
                .iter()
                .map(|d| (dim(&d.dimension), plain(d.perception)))
                .collect();
            lines.push((t.overall.to_owned(), plain(s.servperf)));
            lines
        }
        Scores::Commitment(s) => vec![(t.commitment_index.to_owned(), plain(s.index))],
        Scores::Nps(rapport_core::score::NpsScores { answer, .. })
        | Scores::Csat(rapport_core::score::CsatScores { answer, .. })
        | Scores::Ces(rapport_core::score::CesScores { answer, .. }) => vec![(
            t.your_answer.to_owned(),
            answer.map(|a| a.to_string()).unwrap_or_else(|| "–".into()),
        )],
    }
}

/// Heading of the score block: SERVQUAL and the zone report gaps, the others levels.
pub fn score_note(scores: &Scores, lang: Lang) -> &'static str {
    let t = crate::i18n::texts(lang);
    match scores {
        Scores::Servqual(_) => t.gap_note,
        Scores::ZoneOfTolerance(_) => t.zone_note,
        _ => t.scores_heading,
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rapport_core::builtin;

    fn inst(name: &str) -> Instrument {
        builtin(name).unwrap()
    }

    proptest! {
        #[test]
        fn with_firm_replaces_like_str_replace(
            s in "[a-z{}]{0,12}(\\{firm\\})?[a-z{} ]{0,12}(\\{firm\\})?[{}a-z]{0,6}",
            firm in "[A-Za-z{} ]{0,10}",
        ) {
            prop_assert_eq!(with_firm(&s, &firm), s.replace("{firm}", &firm));
        }
    }

    #[test]
    fn servqual_is_two_passes_then_allocation_and_review() {
        let s = steps(&inst("servqual"));
        assert_eq!(
            s,
            vec![
                Step::Section(0),
                Step::Section(1),
                Step::Allocation,
                Step::Review
            ]
        );
        assert_eq!(items(&inst("servqual")).len(), 44);
    }

    #[test]
    fn zone_is_one_step_per_dimension_with_three_ratings_per_statement() {
        let i = inst("servqual-zot");
        let s = steps(&i);
        assert_eq!(s.len(), 6);
        assert_eq!(s[0], Step::Zone(0));
        let total: usize = (0..5).map(|d| zone_items(&i, d).len()).sum();
        assert_eq!(total, 22);
        for [a, d, p] in zone_items(&i, 0) {
            assert_eq!(a.statement, d.statement);
            assert_eq!(d.statement, p.statement);
        }
    }

    #[test]
    fn answers_are_found_on_their_step() {
        let i = inst("servqual");
        let s = steps(&i);
        assert_eq!(step_of_item(&i, &s, "E1"), Some(0));
        assert_eq!(step_of_item(&i, &s, "P22"), Some(1));
        assert_eq!(step_of_item(&i, &s, "W_EMP"), Some(2));
        assert_eq!(step_of_item(&i, &s, "nope"), None);
        assert_eq!(label_of(&i, "nope", Lang::En, "Acme"), "nope");
        let z = inst("servqual-zot");
        let zs = steps(&z);
        assert_eq!(step_of_item(&z, &zs, "D22"), Some(4));
    }

    #[test]
    fn a_single_question_has_no_review() {
        assert_eq!(steps(&inst("nps")), vec![Step::Section(0)]);
    }

    #[test]
    fn texts_fall_back_and_name_the_firm() {
        let t = Texts::from([("en".to_owned(), "Rate {firm}".to_owned())]);
        assert_eq!(text(&t, Lang::De, "Acme"), "Rate Acme");
        assert_eq!(text(&Texts::new(), Lang::Nl, "Acme"), "");
    }

    #[test]
    fn scores_read_in_the_respondents_language() {
        let i = inst("servqual");
        let mut answers = VecMap::new();
        for n in 1..=22 {
            answers.insert(format!("E{n}"), 6);
            answers.insert(format!("P{n}"), 5);
        }
        let r = rapport_core::Response {
            instrument: i.reference(),
            respondent_id: None,
            answers,
            meta: Default::default(),
        };
        let scored = i.score(&i.validate(&r).unwrap());
        let lines = score_lines(&i, &scored.scores, Lang::En, "Acme");
        assert_eq!(lines.len(), 6);
        assert!(lines.iter().all(|(_, v)| v == "-1.00"));
    }

    proptest! {
        #[test]
        fn allocation_passes_only_at_exactly_the_total(points in proptest::collection::vec(0i64..=100, 5)) {
            let i = inst("servqual");
            let cols: Vec<String> = i.def().allocation.as_ref().unwrap().columns.iter().map(|c| c.id.clone()).collect();
            let answers: VecMap<String, i64> = cols.into_iter().zip(points.iter().copied()).collect();
            let sum: i64 = points.iter().sum();
            prop_assert_eq!(allocation_ok(&i, &answers), sum == 100);
            let (done, total) = progress(&i, &answers);
            prop_assert_eq!(total, 45);
            prop_assert_eq!(done, usize::from(sum == 100));
        }
    }
}

/// The step on which an answer id is asked (for "change" links after the server refused an answer).
pub fn step_of_item(inst: &Instrument, steps: &[Step], id: &str) -> Option<usize> {
    steps.iter().position(|&step| match step {
        Step::Section(s) => inst
            .def()
            .sections
            .get(s)
            .is_some_and(|s| s.items.iter().any(|i| i.id == id)),
        Step::Zone(d) => zone_items(inst, d)
            .iter()
            .any(|row| row.iter().any(|i| i.id == id)),
        Step::Allocation => inst
            .def()
            .allocation
            .as_ref()
            .is_some_and(|a| a.id == id || a.columns.iter().any(|c| c.id == id)),
        Step::Review => false,
    })
}

/// The text that names an answer id to the respondent (the item's text or the allocation column).
pub fn label_of(inst: &Instrument, id: &str, lang: Lang, firm: &str) -> String {
    if let Some(item) = items(inst).into_iter().find(|i| i.id == id) {
        return text(&item.text, lang, firm);
    }
    inst.def()
        .allocation
        .as_ref()
        .and_then(|a| a.columns.iter().find(|c| c.id == id))
        .map(|c| text(&c.text, lang, firm))
        .unwrap_or_else(|| id.to_owned())
}
