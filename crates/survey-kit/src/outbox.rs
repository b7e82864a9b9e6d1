//! The outbox as a pure state machine: what a finished response's delivery does before and after each
//! attempt. The survey's view only carries the decisions out (send, save, wait, show), so that the
//! rules that keep answers from being lost or stored twice are tested natively, without a browser.
//!
//! The invariant the rules keep: the delivery state changes only on the server's word (a receipt, a
//! conflict, a refusal of the answers), every attempt carries the draft's one idempotency key, and a
//! reply that cannot be read counts as "maybe stored", which the next attempt with the same key settles.

use crate::draft::{Delivery, Draft};
use crate::retry::{backoff_ms, Outcome, Problem};

/// Delivery as the respondent sees it.
#[derive(Clone, Debug, PartialEq)]
pub enum Status {
    Idle,
    Sending,
    Offline,
    /// Waiting this many seconds before the next attempt.
    Retrying(u32),
    /// The answers need changes before they can be sent.
    Invalid(Vec<Problem>),
    /// The server refused for a reason a retry would not fix (its HTTP status).
    Refused(u16),
}

/// What to do before an attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Before {
    /// Nothing is queued: the outbox stops.
    Stop,
    /// The browser is offline: wait until it comes back (or the respondent asks to try now).
    WaitOnline,
    /// Send, this being attempt number `attempts + 1`.
    Send { attempts: u32 },
}

/// Whether the draft has a response to send now.
pub fn before(delivery: &Delivery, online: bool) -> Before {
    match delivery {
        Delivery::Queued { .. } if !online => Before::WaitOnline,
        Delivery::Queued { attempts } => Before::Send {
            attempts: *attempts,
        },
        _ => Before::Stop,
    }
}

/// What the host hears about an attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Report {
    Submitted { id: String },
    Invalid,
    Refused { status: u16, message: String },
}

/// How the outbox goes on after an attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Then {
    /// Delivered or answered elsewhere: the thank-you step is shown.
    Finished,
    /// Stops until the respondent acts (changes answers, or tries again after a refusal).
    Stop,
    /// Tries again after this many milliseconds (or earlier, when woken).
    Wait(u32),
}

/// The decisions after one attempt.
#[derive(Clone, Debug, PartialEq)]
pub struct After {
    /// The new delivery state, to save on the device before anything else; `None`: unchanged.
    pub delivery: Option<Delivery>,
    pub status: Status,
    pub report: Option<Report>,
    pub then: Then,
}

/// Decides what follows attempt number `attempts + 1` from its outcome. `online` is the browser's
/// belief after the attempt; `unit` a random number in `[0, 1)` for the backoff's jitter.
pub fn after(attempts: u32, outcome: Outcome, online: bool, unit: f64) -> After {
    match outcome {
        Outcome::Stored(receipt) => After {
            report: Some(Report::Submitted {
                id: receipt.id.clone(),
            }),
            delivery: Some(Delivery::Sent {
                id: receipt.id,
                received_at: receipt.received_at,
            }),
            status: Status::Idle,
            then: Then::Finished,
        },
        Outcome::AnsweredElsewhere => After {
            delivery: Some(Delivery::AnsweredElsewhere),
            status: Status::Idle,
            report: None,
            then: Then::Finished,
        },
        Outcome::Invalid(problems) => After {
            delivery: Some(Delivery::Editing),
            status: Status::Invalid(problems),
            report: Some(Report::Invalid),
            then: Then::Stop,
        },
        // Stays queued: a reload or "try again" sends it once more, with the same key.
        Outcome::Refused { status, message } => After {
            delivery: None,
            status: Status::Refused(status),
            report: Some(Report::Refused { status, message }),
            then: Then::Stop,
        },
        Outcome::Retry { after_ms } => {
            let wait = after_ms.unwrap_or_else(|| backoff_ms(attempts, unit));
            After {
                delivery: Some(Delivery::Queued {
                    attempts: attempts.saturating_add(1),
                }),
                status: if online {
                    Status::Retrying(wait.div_ceil(1000))
                } else {
                    Status::Offline
                },
                report: None,
                then: Then::Wait(wait),
            }
        }
    }
}

/// The state another tab left on the device, as this tab takes it over: a response sent from there is
/// "answered elsewhere" here (this tab's own answers were not sent). Returns whether it is queued, so
/// that this tab's outbox sends it.
pub fn adopt(mut stored: Draft) -> (Draft, bool) {
    let queued = matches!(stored.delivery, Delivery::Queued { .. });
    if matches!(stored.delivery, Delivery::Sent { .. }) {
        stored.delivery = Delivery::AnsweredElsewhere;
    }
    (stored, queued)
}

/// Puts a finished draft into the outbox, stamped with the time it was finished (RFC 3339).
pub fn finish(draft: &mut Draft, now: String) {
    draft.finished_at = Some(now);
    draft.delivery = Delivery::Queued { attempts: 0 };
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::retry::{classify, CAP_MS};
    use proptest::prelude::*;
    use rapport_core::InstrumentRef;
    use std::collections::HashMap;

    /// What one attempt meets on its way.
    #[derive(Clone, Copy, Debug)]
    enum Fault {
        /// Delivered and answered.
        None,
        /// The browser is offline before the attempt.
        Offline,
        /// Never reaches the server (network, timeout before the server).
        Lost,
        /// The server stores it but the reply is lost (timeout after the commit).
        ReplyLost,
        /// The server stores it and the reply arrives mangled.
        Mangled,
        /// The server fails before storing (500), or is overloaded (503 with Retry-After).
        ServerError,
        Overloaded,
    }

    fn fault() -> impl Strategy<Value = Fault> {
        prop_oneof![
            Just(Fault::None),
            Just(Fault::Offline),
            Just(Fault::Lost),
            Just(Fault::ReplyLost),
            Just(Fault::Mangled),
            Just(Fault::ServerError),
            Just(Fault::Overloaded),
        ]
    }

    /// The server's idempotency rule: one response per key; a repeat of the same body gets the same
    /// receipt, a different body under a known key is a conflict.
    #[derive(Default)]
    struct Server {
        stored: HashMap<String, (String, String)>,
    }

    impl Server {
        fn post(&mut self, key: &str, body: &str) -> (u16, String) {
            let next = self.stored.len();
            let (id, held) = self
                .stored
                .entry(key.to_owned())
                .or_insert_with(|| (format!("sr_{next}"), body.to_owned()))
                .clone();
            if held != body {
                return (
                    409,
                    r#"{"error":{"code":"already_submitted","message":"m"}}"#.into(),
                );
            }
            (
                201,
                format!(r#"{{"id":"{id}","received_at":"2026-12-07T10:00:00Z"}}"#),
            )
        }
    }

    fn queued_draft(key: &str, answer: i64) -> Draft {
        let mut d = Draft::new(
            key.into(),
            InstrumentRef {
                id: "nps".into(),
                version: "1".into(),
                hash: "h".into(),
            },
        );
        d.answer("NPS", Some(answer));
        finish(&mut d, "2026-12-07T09:59:00Z".into());
        d
    }

    /// Runs one tab's outbox against the server until it stops; the faults are met in turn, then
    /// everything goes through. Returns the final draft and the number of attempts.
    fn run(server: &mut Server, mut draft: Draft, faults: &[Fault]) -> (Draft, usize) {
        let mut faults = faults.iter().copied();
        let mut attempts_made = 0;
        for _ in 0..1_000 {
            let fault = faults.next().unwrap_or(Fault::None);
            let online = !matches!(fault, Fault::Offline);
            let attempts = match before(&draft.delivery, online) {
                Before::Stop => return (draft, attempts_made),
                // The wait ends when the browser is back: the next turn meets the next fault.
                Before::WaitOnline => continue,
                Before::Send { attempts } => attempts,
            };
            attempts_made += 1;
            let body = format!("{:?}", draft.answers);
            let outcome = match fault {
                Fault::Lost => Outcome::Retry { after_ms: None },
                Fault::ReplyLost => {
                    server.post(&draft.key, &body);
                    Outcome::Retry { after_ms: None }
                }
                Fault::Mangled => {
                    let (status, _) = server.post(&draft.key, &body);
                    classify(status, "{\"id\":", None)
                }
                Fault::ServerError => classify(500, "", None),
                Fault::Overloaded => classify(503, "", Some(2_000)),
                Fault::None | Fault::Offline => {
                    let (status, reply) = server.post(&draft.key, &body);
                    classify(status, &reply, None)
                }
            };
            let next = after(attempts, outcome, true, 0.5);
            if let Then::Wait(ms) = next.then {
                assert!(ms <= CAP_MS, "waits are capped: {ms}");
            }
            if let Some(delivery) = next.delivery {
                draft.delivery = delivery;
            }
            if next.then == Then::Stop {
                return (draft, attempts_made);
            }
        }
        panic!("the outbox never stopped");
    }

    proptest! {
        #[test]
        fn whatever_the_faults_one_response_is_stored_and_the_draft_holds_its_receipt(
            faults in proptest::collection::vec(fault(), 0..30),
        ) {
            let mut server = Server::default();
            let (draft, attempts) = run(&mut server, queued_draft("k-1", 7), &faults);
            prop_assert_eq!(server.stored.len(), 1, "0 lost, 0 duplicated");
            let (id, _) = &server.stored["k-1"];
            prop_assert_eq!(
                draft.delivery,
                Delivery::Sent { id: id.clone(), received_at: "2026-12-07T10:00:00Z".into() }
            );
            prop_assert!(attempts <= faults.len() + 1);
        }

        #[test]
        fn two_tabs_with_the_same_draft_store_it_once(
            first in proptest::collection::vec(fault(), 0..10),
            second in proptest::collection::vec(fault(), 0..10),
        ) {
            let mut server = Server::default();
            let (a, _) = run(&mut server, queued_draft("k-2", 9), &first);
            let (b, _) = run(&mut server, queued_draft("k-2", 9), &second);
            prop_assert_eq!(server.stored.len(), 1);
            prop_assert_eq!(&a.delivery, &b.delivery);
        }

        #[test]
        fn retries_count_attempts_and_wait_within_the_cap(attempts in 0u32..200, unit in 0.0f64..1.0) {
            let next = after(attempts, Outcome::Retry { after_ms: None }, true, unit);
            prop_assert_eq!(next.delivery, Some(Delivery::Queued { attempts: attempts + 1 }));
            let Then::Wait(ms) = next.then else { panic!("a retry waits") };
            prop_assert!(ms <= CAP_MS);
            prop_assert_eq!(next.status, Status::Retrying(ms.div_ceil(1000)));
        }
    }

    #[test]
    fn a_different_response_under_the_same_key_is_answered_elsewhere() {
        let mut server = Server::default();
        run(&mut server, queued_draft("k-3", 1), &[]);
        let (other, _) = run(&mut server, queued_draft("k-3", 2), &[Fault::ReplyLost]);
        assert_eq!(other.delivery, Delivery::AnsweredElsewhere);
        assert_eq!(server.stored.len(), 1);
    }

    #[test]
    fn refusals_and_invalid_answers_stop_without_losing_the_response() {
        let refused = after(
            0,
            Outcome::Refused {
                status: 403,
                message: "no".into(),
            },
            true,
            0.0,
        );
        // Still queued on the device: nothing is dropped.
        assert_eq!(refused.delivery, None);
        assert_eq!(refused.then, Then::Stop);
        assert_eq!(refused.status, Status::Refused(403));
        let problems = vec![Problem {
            field: "NPS".into(),
            problem: "out_of_range".into(),
        }];
        let invalid = after(2, Outcome::Invalid(problems.clone()), true, 0.0);
        assert_eq!(invalid.delivery, Some(Delivery::Editing));
        assert_eq!(invalid.status, Status::Invalid(problems));
        assert_eq!(invalid.report, Some(Report::Invalid));
    }

    #[test]
    fn offline_retries_say_offline_and_nothing_is_sent_while_offline() {
        let next = after(
            0,
            Outcome::Retry {
                after_ms: Some(500),
            },
            false,
            0.0,
        );
        assert_eq!(next.status, Status::Offline);
        assert_eq!(next.then, Then::Wait(500));
        assert_eq!(
            before(&Delivery::Queued { attempts: 3 }, false),
            Before::WaitOnline
        );
        assert_eq!(before(&Delivery::Editing, true), Before::Stop);
    }

    #[test]
    fn adopting_another_tabs_state() {
        let sent = Delivery::Sent {
            id: "sr_1".into(),
            received_at: "t".into(),
        };
        let mut d = queued_draft("k-4", 3);
        let (taken, queued) = adopt(d.clone());
        assert!(queued);
        assert_eq!(taken, d);
        d.delivery = sent;
        let (taken, queued) = adopt(d);
        assert!(!queued);
        assert_eq!(taken.delivery, Delivery::AnsweredElsewhere);
    }
}
