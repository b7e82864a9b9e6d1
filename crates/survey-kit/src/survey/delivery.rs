//! Saving the draft on the device as the respondent answers (in the first download: an answer is
//! kept from the first click on). Queueing and sending the finished response are `sending.rs`.
//! Every state change goes through [`Msg`]s like the respondent's own.

use super::app::App;
use super::state::Msg;
use crate::draft::Draft;
use crate::store::Store;
use std::rc::Rc;

impl App {
    pub(super) fn store(&self) -> Option<Store> {
        self.form.borrow().as_ref().map(|f| f.store.clone())
    }

    pub(super) fn draft(&self) -> Option<Draft> {
        self.form.borrow().as_ref().map(|f| f.draft.clone())
    }

    pub(super) fn key(&self) -> String {
        self.config.draft_key()
    }

    /// The draft another tab has finished meanwhile, if any.
    pub(super) async fn finished_elsewhere(&self) -> Option<Draft> {
        let stored = self.store()?.get(&self.key()).await?;
        let reference = self.form.borrow().as_ref()?.reference.clone();
        let stored = Draft::restore(&stored, &reference)?;
        (!stored.is_editable()).then_some(stored)
    }

    /// Saves the draft after a change, unless another tab has meanwhile finished the same survey:
    /// then this one takes over that state (and its outbox) instead of overwriting it.
    pub(crate) async fn save_now(self: Rc<Self>) {
        if let Some(stored) = self.finished_elsewhere().await {
            if self.draft().is_some_and(|d| d.is_editable()) {
                return self.dispatch(Msg::Adopt(stored));
            }
        }
        let (Some(store), Some(draft)) = (self.store(), self.draft()) else {
            return;
        };
        let ok = store.put(&self.key(), &draft.to_json()).await;
        let kept = ok && store.is_persistent();
        if self.form.borrow().as_ref().map(|f| f.saved_once) != Some(kept) {
            self.dispatch(Msg::Saved(kept));
        }
    }
}
