//! What each message does to the state and asks for (natively: the state holds no browser object).

use super::*;
use crate::i18n::Lang;
use rapport_core::builtin;

fn config() -> SurveyConfig {
    SurveyConfig {
        endpoint: "/api/v1".into(),
        instrument: "servqual".into(),
        lang: Lang::En,
        name: "t".into(),
        context: "c".into(),
        firm: "Acme".into(),
        show_scores: false,
        segment: Some("north".into()),
        invitation: None,
    }
}

fn check_it() -> Effect {
    Effect::Sending(Sending::Check)
}

fn form(name: &str) -> Form {
    let inst = builtin(name).unwrap();
    let draft = Draft::new("k-1".into(), inst.reference());
    Form::new(inst, Store::Memory, draft)
}

#[test]
fn next_stops_at_an_unanswered_required_item() {
    let mut f = form("nps");
    assert!(update(&mut f, Msg::Next).is_empty());
    assert_eq!(f.missing, vec!["NPS".to_string()]);
    assert!(f.draft.is_editable());
}

#[test]
fn the_steps_move_on_and_back_within_the_survey_and_focus_their_heading() {
    let mut f = form("servqual");
    assert_eq!(update(&mut f, Msg::Next), vec![Effect::Save, Effect::Focus]);
    assert_eq!(f.current(), 1);
    assert_eq!(update(&mut f, Msg::Back), vec![Effect::Save, Effect::Focus]);
    assert_eq!(f.current(), 0);
    update(&mut f, Msg::Back);
    assert_eq!(f.current(), 0);
    update(&mut f, Msg::Go(99));
    assert_eq!(f.current(), f.last, "a step past the end is the last one");
}

#[test]
fn send_is_accepted_once_until_the_response_is_queued() {
    let (c, mut f) = (config(), form("nps"));
    f.draft.answer("NPS", Some(10));
    assert_eq!(update(&mut f, Msg::Next), vec![check_it()]);
    assert!(
        f.queueing,
        "the answers stay as they are while the check waits"
    );
    // A double click: the second "send" finds the first one under way.
    assert!(update(&mut f, Msg::Next).is_empty());
    let verdict = check(&f, &c);
    assert_eq!(verdict, Ok(()));
    assert_eq!(
        update(&mut f, Msg::Checked(verdict)),
        vec![Effect::Sending(Sending::Send)]
    );
    assert!(update(&mut f, Msg::Next).is_empty());
    let effects = update(&mut f, Msg::Queue { now: "t".into() });
    assert_eq!(effects, vec![Effect::Sending(Sending::StoreAndDeliver)]);
    assert!(f.queued() && !f.queueing);
    assert_eq!(f.draft.finished_at.as_deref(), Some("t"));
    assert!(
        update(&mut f, Msg::Next).is_empty(),
        "a queued response is not edited"
    );
}

#[test]
fn try_again_after_a_refusal_sends_the_same_answers_and_otherwise_ends_the_wait() {
    let mut f = form("nps");
    f.draft.answer("NPS", Some(3));
    assert_eq!(update(&mut f, Msg::Retry), vec![Effect::Ring]);
    f.draft.delivery = Delivery::Editing;
    f.status = Status::Refused(409);
    assert_eq!(update(&mut f, Msg::Retry), vec![check_it()]);
    assert_eq!(f.status, Status::Idle);
}

#[test]
fn a_survey_finished_in_another_tab_is_taken_over() {
    let mut f = form("nps");
    let mut sent = f.draft.clone();
    sent.delivery = Delivery::Sent {
        id: "sr_1".into(),
        received_at: "t".into(),
    };
    assert_eq!(update(&mut f, Msg::Adopt(sent)), vec![Effect::Focus]);
    assert_eq!(f.draft.delivery, Delivery::AnsweredElsewhere);
    assert!(f.done());
    let mut queued = f.draft.clone();
    queued.delivery = Delivery::Queued { attempts: 2 };
    let effects = update(&mut f, Msg::Adopt(queued));
    assert_eq!(
        effects,
        vec![Effect::Focus, Effect::Sending(Sending::Deliver)]
    );
}

#[test]
fn change_beside_an_objection_puts_the_objections_away() {
    let mut f = form("servqual");
    f.status = Status::Invalid(vec![Problem {
        field: "P3".into(),
        problem: "missing".into(),
    }]);
    update(&mut f, Msg::Fix(1));
    assert_eq!((f.status.clone(), f.current()), (Status::Idle, 1));
    update(&mut f, Msg::Status(Status::Offline));
    update(&mut f, Msg::Go(0));
    assert_eq!(
        f.status,
        Status::Offline,
        "moving between steps leaves the delivery status"
    );
}

#[test]
fn what_the_check_refuses_is_shown_and_the_answers_can_be_changed_again() {
    let (c, mut f) = (config(), form("nps"));
    f.draft.answer("NPS", Some(11));
    update(&mut f, Msg::Next);
    let verdict = check(&f, &c);
    let Err(problems) = &verdict else {
        panic!("11 is outside the NPS scale: {verdict:?}");
    };
    assert_eq!(problems[0].field, "NPS");
    assert!(update(&mut f, Msg::Checked(verdict.clone())).is_empty());
    assert!(matches!(f.status, Status::Invalid(_)) && !f.queueing);
    assert!(f.draft.is_editable());
    f.draft.answer("NPS", Some(10));
    assert_eq!(update(&mut f, Msg::Next), vec![check_it()]);
}

#[test]
fn a_check_that_arrives_after_another_tab_finished_the_survey_sends_nothing() {
    let (c, mut f) = (config(), form("nps"));
    f.draft.answer("NPS", Some(7));
    update(&mut f, Msg::Next);
    let mut sent = f.draft.clone();
    sent.delivery = Delivery::Sent {
        id: "sr_2".into(),
        received_at: "t".into(),
    };
    update(&mut f, Msg::Adopt(sent));
    let verdict = check(&f, &c);
    assert!(update(&mut f, Msg::Checked(verdict)).is_empty());
    assert!(f.done() && !f.queueing);
}
