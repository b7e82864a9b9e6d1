//! Parts of the survey that only some kinds have, or that are needed only after the first answer,
//! loaded when such a survey is on the page.
//!
//! Every survey has sections of ratings; the zone-of-tolerance statements, the allocation, the review
//! (surveys of more than one page) and the respondent's own scores only some. Every survey sends, but
//! only after its first question has been answered: the check before sending and the outbox
//! (`sending.rs`) need not hold up that question. With the `split` feature (the widget's release
//! build, cut by scripts/split.sh) each of the three groups is a split point (`wasm_split_helpers`),
//! so its code is a separate download, which a one-question survey fetches only for sending, once
//! its question is on the screen. The survey starts the downloads as soon as it knows it needs them,
//! so that a respondent who goes offline later still has them. A failed download is not remembered:
//! the step (or the send) says so in the respondent's language and "Try again" downloads it anew.
//! Without the feature (the portal, tests) the parts are linked in.

use super::app::App;
use super::sending;
use super::state::{Form, Sending};
use super::view::questions::StepBody;
use super::view::{more, objections};
use crate::retry::Problem;
use crate::steps::Step;
use std::rc::Rc;
use std::sync::OnceLock;
use web_sys::Element;

/// A group of code loaded on demand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Part {
    /// Zone, allocation and review steps.
    Steps,
    Scores,
    /// The check before sending, the outbox and its waits.
    Send,
}

/// Builds a step other than a section into the step's fieldset.
pub(crate) type StepRender = fn(&App, &Form, Step, &Element) -> StepBody;
/// Builds the respondent's scores into the thank-you block.
pub(crate) type ScoresRender = fn(&App, &Form, &Element);
/// The sending code: what carries out the sending effects, and the objections it may list.
#[derive(Clone, Copy)]
pub(crate) struct SendCode {
    /// Carries out an effect that sends (or checks before sending).
    pub run: fn(&Rc<App>, Sending),
    /// The answers the check or the server objected to.
    pub problems: fn(&App, &Form, &[Problem]) -> Element,
}

/// The sending code's entry points, handed out by its split point.
fn send_code_here() -> SendCode {
    SendCode {
        run: sending::run,
        problems: objections::problems,
    }
}

/// A part's code could not be downloaded.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ChunkUnavailable;

#[cfg(feature = "split")]
impl From<wasm_split_helpers::SplitLoaderError> for ChunkUnavailable {
    fn from(_: wasm_split_helpers::SplitLoaderError) -> Self {
        ChunkUnavailable
    }
}

// The loaders hand out plain function pointers, which is what may cross from the loaded module.
#[cfg(feature = "split")]
mod load {
    use super::{more, send_code_here, ChunkUnavailable, ScoresRender, SendCode, StepRender};

    #[wasm_split_helpers::wasm_split(more_steps, wasm_split_path = ::wasm_split_helpers, fallible)]
    pub fn steps() -> Result<StepRender, ChunkUnavailable> {
        Ok(more::step)
    }

    #[wasm_split_helpers::wasm_split(scores, wasm_split_path = ::wasm_split_helpers, fallible)]
    pub fn scores() -> Result<ScoresRender, ChunkUnavailable> {
        Ok(more::score_table)
    }

    #[wasm_split_helpers::wasm_split(send, wasm_split_path = ::wasm_split_helpers, fallible)]
    pub fn send() -> Result<SendCode, ChunkUnavailable> {
        Ok(send_code_here())
    }
}

#[cfg(not(feature = "split"))]
mod load {
    use super::{more, send_code_here, ChunkUnavailable, ScoresRender, SendCode, StepRender};

    pub async fn steps() -> Result<StepRender, ChunkUnavailable> {
        Ok(more::step)
    }

    pub async fn scores() -> Result<ScoresRender, ChunkUnavailable> {
        Ok(more::score_table)
    }

    pub async fn send() -> Result<SendCode, ChunkUnavailable> {
        Ok(send_code_here())
    }
}

static STEPS: OnceLock<StepRender> = OnceLock::new();
static SCORES: OnceLock<ScoresRender> = OnceLock::new();
static SEND: OnceLock<SendCode> = OnceLock::new();

/// The step renderer, once its code is here.
pub(crate) fn steps() -> Option<StepRender> {
    STEPS.get().copied()
}

/// The scores renderer, once its code is here.
pub(crate) fn scores() -> Option<ScoresRender> {
    SCORES.get().copied()
}

/// The sending code, once it is here.
#[cfg(feature = "split")]
pub(crate) fn send_code() -> Option<SendCode> {
    SEND.get().copied()
}

/// Without the split (the portal) the sending code is linked in: nothing ever waits for it, and the
/// code for waiting is left out of that build.
#[cfg(not(feature = "split"))]
pub(crate) fn send_code() -> Option<SendCode> {
    Some(send_code_here())
}

/// Whether the part's code is here. (A concurrent download may have stored it first: the same code.)
async fn fetch(part: Part) -> bool {
    match part {
        Part::Steps if STEPS.get().is_none() => match load::steps().await {
            Ok(render) => {
                let _ = STEPS.set(render);
                true
            }
            Err(ChunkUnavailable) => false,
        },
        Part::Scores if SCORES.get().is_none() => match load::scores().await {
            Ok(render) => {
                let _ = SCORES.set(render);
                true
            }
            Err(ChunkUnavailable) => false,
        },
        Part::Send if SEND.get().is_none() => match load::send().await {
            Ok(code) => {
                let _ = SEND.set(code);
                true
            }
            Err(ChunkUnavailable) => false,
        },
        _ => true,
    }
}

/// Downloads a part that a step on screen waits for, and tells the survey how it went.
pub(crate) fn need(app: &Rc<App>, part: Part) {
    let app = app.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let ok = fetch(part).await;
        app.part_loaded(part, ok);
    });
}

/// Starts downloading what this survey will need once its first question is on the screen, the
/// sending code first (every survey sends); a failure is left to the step (or the send) that needs it.
pub(crate) fn preload(app: &Rc<App>, steps: bool, scores: bool) {
    let app = app.clone();
    wasm_bindgen_futures::spawn_local(async move {
        // (Without the split nothing is downloaded: the code is there at once.)
        #[cfg(feature = "split")]
        super::dom::after_paint().await;
        let wanted = [
            (true, Part::Send),
            (steps, Part::Steps),
            (scores, Part::Scores),
        ];
        for (wanted, part) in wanted {
            if wanted && !app.disposed.get() && fetch(part).await {
                app.part_loaded(part, true);
            }
        }
    });
}
