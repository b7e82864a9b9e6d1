//! Parts of the survey that only some kinds have, loaded when such a survey is on the page.
//!
//! Every survey has sections of ratings; the zone-of-tolerance statements, the allocation and the
//! review (surveys of more than one page) and the respondent's own scores are needed by some. With the
//! `split` feature (the widget's release build, cut by scripts/split.sh) each group is a split point,
//! so its code is a separate download: a one-question survey never fetches it. The form starts the
//! download as soon as it knows it will need it, so a respondent who goes offline later still has it.
//! A download that fails is not remembered as failed: the part says so in the respondent's language
//! and "Try again" downloads it anew. Without the feature (the portal, tests) the parts are linked in.

use super::done::ScoreTable;
use super::form::Form;
use super::review::Review;
use super::step::{AllocationStep, ZoneStep};
use super::SurveyEvent;
use crate::i18n::texts;
use crate::steps::Step;
use leptos::either::EitherOf3;
use leptos::prelude::*;
use std::sync::OnceLock;

/// What is shown from loaded code: a step other than a section, or the scores.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Part {
    Step(Step),
    Scores,
}

/// A part's code could not be downloaded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct ChunkUnavailable;

impl From<leptos::wasm_split::SplitLoaderError> for ChunkUnavailable {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        ChunkUnavailable
    }
}

/// Renders a part; a plain function pointer, so that it can be handed out of the loaded code.
type Render = fn(Form, Part) -> AnyView;

fn render_step(form: Form, part: Part) -> AnyView {
    match part {
        Part::Step(Step::Zone(d)) => view! { <ZoneStep form dimension=d /> }.into_any(),
        Part::Step(Step::Allocation) => view! { <AllocationStep form /> }.into_any(),
        Part::Step(Step::Review) => view! { <Review form /> }.into_any(),
        Part::Step(Step::Section(_)) | Part::Scores => ().into_any(),
    }
}

fn render_scores(form: Form, _: Part) -> AnyView {
    view! { <ScoreTable form /> }.into_any()
}

#[cfg(feature = "split")]
mod load {
    use super::{render_scores, render_step, ChunkUnavailable, Render};

    #[leptos::wasm_split::wasm_split(more_steps, wasm_split_path = ::leptos::wasm_split, fallible)]
    pub fn steps() -> Result<Render, ChunkUnavailable> {
        Ok(render_step)
    }

    #[leptos::wasm_split::wasm_split(scores, wasm_split_path = ::leptos::wasm_split, fallible)]
    pub fn scores() -> Result<Render, ChunkUnavailable> {
        Ok(render_scores)
    }
}

#[cfg(not(feature = "split"))]
mod load {
    use super::{render_scores, render_step, ChunkUnavailable, Render};

    pub async fn steps() -> Result<Render, ChunkUnavailable> {
        Ok(render_step)
    }

    pub async fn scores() -> Result<Render, ChunkUnavailable> {
        Ok(render_scores)
    }
}

/// Each part's renderer once its code is there, so that later steps render at once (and the step's
/// heading can take the focus as soon as it is shown).
fn loaded(part: Part) -> &'static OnceLock<Render> {
    static STEPS: OnceLock<Render> = OnceLock::new();
    static SCORES: OnceLock<Render> = OnceLock::new();
    match part {
        Part::Step(_) => &STEPS,
        Part::Scores => &SCORES,
    }
}

async fn renderer(part: Part) -> Result<Render, ChunkUnavailable> {
    if let Some(render) = loaded(part).get() {
        return Ok(*render);
    }
    let render = match part {
        Part::Step(_) => load::steps().await?,
        Part::Scores => load::scores().await?,
    };
    Ok(*loaded(part).get_or_init(|| render))
}

/// Starts downloading what this survey will need (a failure is left to the part that needs it).
pub(super) fn preload(steps: bool, scores: bool) {
    leptos::task::spawn_local(async move {
        if steps {
            let _ = renderer(Part::Step(Step::Review)).await;
        }
        if scores {
            let _ = renderer(Part::Scores).await;
        }
    });
}

/// Shows `part` once its code is there (at once when it already is), or a retryable message if it
/// could not be downloaded.
#[component]
pub(super) fn OnDemand(form: Form, #[prop(into)] part: Part) -> impl IntoView {
    let t = texts(form.lang);
    let state = RwSignal::new(loaded(part).get().copied().map(Ok));
    let fetch = move || {
        leptos::task::spawn_local(async move {
            let result = renderer(part).await;
            if result.is_err() {
                form.emit.run(SurveyEvent::Error {
                    code: "part_failed".into(),
                    message: t.part_failed.into(),
                });
            }
            let shown = result.is_ok() && matches!(part, Part::Step(_));
            // The respondent may have moved on meanwhile.
            if state.try_set(Some(result)).is_none() && shown {
                // As when a step opens: its heading takes the focus (the retry button is gone).
                form.focus_heading();
            }
        })
    };
    if state.get_untracked().is_none() {
        fetch();
    }
    move || match state.get() {
        Some(Ok(render)) => EitherOf3::A(render(form, part)),
        None => EitherOf3::B(view! { <p class="rs-note" role="status">{t.loading}</p> }),
        Some(Err(ChunkUnavailable)) => EitherOf3::C(super::chrome::load_failed(
            t.part_failed,
            t.try_again,
            move || {
                state.set(None);
                fetch();
            },
        )),
    }
}

impl From<Step> for Part {
    fn from(step: Step) -> Part {
        Part::Step(step)
    }
}
