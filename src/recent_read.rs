//! One `GET /preferences` for two readers on a direct load of the preference centre: the customer's
//! time zone, read for every page as soon as someone is signed in (`format.rs`), and the centre's
//! form. The form takes the zone's answer if it is recent and no page has used it yet, instead of
//! asking the server again a moment later. (A small cell rather than `futures`' `Shared`, which
//! would add 3 KB to the first download.)

use rapport_api::ApiError;
use std::cell::RefCell;
use std::rc::Rc;
use std::task::{Poll, Waker};

/// The body of a `GET /preferences` as it arrived, and its version tag.
pub type Versioned = (String, Option<String>);

/// A read under way or done: its answer once there, and who waits for it.
#[derive(Default)]
struct Cell {
    answer: Option<Result<Versioned, ApiError>>,
    /// The read was dropped before it answered (its page or session went): whoever waits reads anew.
    abandoned: bool,
    waiting: Vec<Waker>,
}

/// A read kept for [`take`].
#[derive(Clone)]
pub struct Kept(Rc<RefCell<Cell>>);

/// The reader's end of a kept read: [`Reading::done`] hands over the answer; dropped without one,
/// it tells whoever waits to ask the server, so that no form waits for a read that never ends.
pub struct Reading(Kept);

impl Drop for Reading {
    fn drop(&mut self) {
        let waiting = {
            let mut cell = (self.0).0.borrow_mut();
            if cell.answer.is_some() {
                return;
            }
            cell.abandoned = true;
            std::mem::take(&mut cell.waiting)
        };
        waiting.into_iter().for_each(Waker::wake);
    }
}

/// How old a kept read may be when the form takes it. A direct load shows the form within seconds
/// of the zone's read; a page opened later asks again, so that it shows what is stored now.
const FRESH_MS: f64 = 10_000.0;

thread_local! {
    /// The kept read and when it started (milliseconds since the epoch).
    static KEPT: RefCell<Option<(Kept, f64)>> = const { RefCell::new(None) };
}

/// Keeps a read about to start for one later [`take`] (replacing an older one).
pub fn keep() -> Reading {
    let kept = Kept(Rc::default());
    KEPT.with(|slot| *slot.borrow_mut() = Some((kept.clone(), js_sys::Date::now())));
    Reading(kept)
}

impl Reading {
    /// The read's answer, for whoever took it.
    pub fn done(&self, answer: &Result<Versioned, ApiError>) {
        let waiting = {
            let mut cell = (self.0).0.borrow_mut();
            cell.answer = Some(answer.clone());
            std::mem::take(&mut cell.waiting)
        };
        waiting.into_iter().for_each(Waker::wake);
    }
}

impl Kept {
    /// The answer, once the read is done; `None` when it was dropped unanswered.
    pub async fn answer(self) -> Option<Result<Versioned, ApiError>> {
        std::future::poll_fn(move |cx| {
            let mut cell = self.0.borrow_mut();
            match &cell.answer {
                Some(answer) => Poll::Ready(Some(answer.clone())),
                None if cell.abandoned => Poll::Ready(None),
                None => {
                    cell.waiting.push(cx.waker().clone());
                    Poll::Pending
                }
            }
        })
        .await
    }
}

/// The kept read if it is fresh; only once, so that a reload of the form asks the server.
pub fn take() -> Option<Kept> {
    let (kept, started) = KEPT.with(|slot| slot.borrow_mut().take())?;
    (js_sys::Date::now() - started < FRESH_MS).then_some(kept)
}

/// Forgets the kept read: after a save it is out of date, after a sign-out someone else's.
pub fn forget() {
    KEPT.with(|slot| slot.borrow_mut().take());
}
