//! Saves as Leptos [`Action`]s of one shape. Every form's save is an `Action` (its `pending()` and
//! `value()` drive the form), but all of them share one input and one output type: the future to run,
//! and whether it worked. Each distinct `Action<I, O>` brings its own copy of Leptos' dispatch code into
//! the bundle; one shape keeps a single copy however many forms there are.

use crate::api::ApiError;
use leptos::prelude::*;
use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

/// What a save comes to; what else it produced, it has put into the form's own signals.
pub type Outcome = Result<(), ApiError>;

/// The future of one save.
type Work = Pin<Box<dyn Future<Output = Outcome>>>;

/// One save's work, taken out once when the action runs it.
#[derive(Clone)]
pub struct Job(Rc<RefCell<Option<Work>>>);

/// A form's save: `run` starts one (unless one is running), `pending` and `value` describe it.
#[derive(Clone, Copy)]
pub struct Save(Action<Job, Outcome>);

impl Save {
    pub fn new() -> Self {
        Save(Action::new_local(|job: &Job| {
            let work = job.0.borrow_mut().take();
            async move {
                match work {
                    Some(work) => work.await,
                    None => Ok(()),
                }
            }
        }))
    }

    /// Runs `work` as this save, unless a save is already running (a double click sends once).
    pub fn run(self, work: impl Future<Output = Outcome> + 'static) {
        if !self.0.pending().get_untracked() {
            self.0
                .dispatch_local(Job(Rc::new(RefCell::new(Some(Box::pin(work))))));
        }
    }

    pub fn pending(self) -> Memo<bool> {
        self.0.pending()
    }

    /// The last finished save's outcome; `None` before the first and after [`Save::clear`].
    pub fn value(self) -> MappedSignal<Option<Outcome>> {
        self.0.value()
    }

    pub fn clear(self) {
        self.0.clear()
    }
}

impl Default for Save {
    fn default() -> Self {
        Self::new()
    }
}
