//! Reads started before the page that needs them is there, handed over to it instead of asking the
//! server a second time. Two uses:
//! - a direct load of the preference centre: the customer's time zone, read for every page as soon
//!   as someone is signed in (`format.rs`), is the same `GET /preferences` the centre's form needs;
//! - a customer page's first read (its order, the overview), started when its route is shown, so
//!   that the answer arrives while the page's pack downloads rather than after (`routes.rs`).
//!
//! A page takes a kept read once, if it started less than [`FRESH_MS`] before: its answer, or its
//! error, which the page shows like its own (a retry asks anew); a dropped read makes the page ask
//! the server itself. (A small cell rather than `futures`' `Shared`, which would add 3 KB to the
//! first download.)

use rapport_api::client::Client;
use rapport_api::ApiError;
use std::cell::RefCell;
use std::rc::Rc;
use std::task::{Poll, Waker};

/// The body of a `GET` as it arrived, and its version tag.
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

/// How old a kept read may be when a page takes it. A direct load shows the page within seconds of
/// the read; a page opened later asks again, so that it shows what is stored now.
const FRESH_MS: f64 = 10_000.0;

/// At most this many kept reads (a page reads ahead one or two); the oldest goes first.
const MAX_KEPT: usize = 8;

thread_local! {
    /// The kept reads by path, and when each started (milliseconds since the epoch).
    static KEPT: RefCell<Vec<(String, Kept, f64)>> = const { RefCell::new(Vec::new()) };
}

/// Keeps a read of `path` about to start for one later [`take`] (replacing an older one of it).
pub fn keep(path: &str) -> Reading {
    let kept = Kept(Rc::default());
    KEPT.with(|slot| {
        let mut list = slot.borrow_mut();
        list.retain(|(p, _, _)| p != path);
        if list.len() >= MAX_KEPT {
            list.remove(0);
        }
        list.push((path.to_owned(), kept.clone(), js_sys::Date::now()));
    });
    Reading(kept)
}

/// Reads `path` for `reading` (from [`keep`]), which hands the answer to the page that asks ([`get`]).
pub fn start(client: &Client, path: String, reading: Reading) {
    let client = client.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let answer = client.get_text_versioned(&path).await;
        reading.done(&answer);
    });
}

/// `GET path` as text with its version tag: the answer of a fresh kept read of it, good or bad (the
/// page shows an error as if it had asked, and its retry asks anew), else a new request.
pub async fn get(client: &Client, path: &str) -> Result<Versioned, ApiError> {
    if let Some(kept) = take(path) {
        if let Some(answer) = kept.answer().await {
            return answer;
        }
    }
    client.get_text_versioned(path).await
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

/// The kept read of `path` if it is fresh; only once, so that a reload of the page asks the server.
pub fn take(path: &str) -> Option<Kept> {
    let (_, kept, started) = KEPT.with(|slot| {
        let mut list = slot.borrow_mut();
        let at = list.iter().position(|(p, _, _)| p == path)?;
        Some(list.remove(at))
    })?;
    (js_sys::Date::now() - started < FRESH_MS).then_some(kept)
}

/// Forgets the kept read of `path`: after a save it is out of date.
pub fn forget(path: &str) {
    KEPT.with(|slot| slot.borrow_mut().retain(|(p, _, _)| p != path));
}

/// Forgets every kept read: after a sign-out or a change of customer they are someone else's.
pub fn forget_all() {
    KEPT.with(|slot| slot.borrow_mut().clear());
}
