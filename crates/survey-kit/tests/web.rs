//! The survey and the device store in headless Chromium (wasm-bindgen-test).
//!
//! The survey is mounted as the portal and the widget mount it ([`mount`]). Its instrument comes from
//! the copy the device keeps for offline use (the API address cannot be fetched), which is the
//! survey's own offline path, so the tests need no server.
#![cfg(target_arch = "wasm32")]

use rapport_core::builtin;
use rapport_core::VecMap;
use rapport_survey_kit::draft::{Delivery, Draft};
use rapport_survey_kit::i18n::Lang;
use rapport_survey_kit::store::Store;
use rapport_survey_kit::survey::draft_key;
use rapport_survey_kit::{json, mount, SurveyConfig, SurveyEvent, SurveyHandle};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

/// A scheme fetch does not speak: every request fails at once, as offline.
const ENDPOINT: &str = "offline:/api/v1";

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

fn container() -> Element {
    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    root
}

/// Waits (up to two seconds) until `ready` holds.
async fn until(what: &str, ready: impl Fn() -> bool) {
    for _ in 0..100 {
        if ready() {
            return;
        }
        let sleep = js_sys::Promise::new(&mut |resolve, _| {
            web_sys::window()
                .unwrap()
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 20)
                .unwrap();
        });
        wasm_bindgen_futures::JsFuture::from(sleep).await.unwrap();
    }
    panic!("timed out waiting for {what}");
}

fn config(instrument: &str, lang: Lang, context: &str) -> SurveyConfig {
    SurveyConfig {
        endpoint: ENDPOINT.into(),
        instrument: instrument.into(),
        lang,
        name: format!("t-{context}"),
        context: context.into(),
        firm: "Acme".into(),
        show_scores: false,
        segment: None,
        invitation: None,
    }
}

/// Puts the instrument where the survey keeps its offline copy, and `draft` (if any) as its draft.
async fn prepare(c: &SurveyConfig, draft: Option<Draft>) {
    let store = Store::open().await;
    // As the server sends it: with its hash.
    let served = serde_json::to_string(builtin(&c.instrument).unwrap().def()).unwrap();
    store
        .put(
            &format!("instrument|{}|{}", c.endpoint, c.instrument),
            &served,
        )
        .await;
    let key = draft_key(&c.endpoint, &c.instrument, &c.context);
    match draft {
        Some(d) => assert!(store.put(&key, &d.to_json()).await),
        None => store.delete(&key).await,
    }
}

/// Mounts a survey and records its events.
async fn mounted(c: SurveyConfig) -> (Element, SurveyHandle, Rc<RefCell<Vec<SurveyEvent>>>) {
    let root = container();
    let events = Rc::new(RefCell::new(Vec::new()));
    let seen = events.clone();
    let handle = mount(&root, c, move |e| seen.borrow_mut().push(e));
    let shown = root.clone();
    until("the form", move || {
        find(&shown, ".rs-form, .rs-error").is_some()
    })
    .await;
    assert!(find(&root, ".rs-form").is_some(), "{}", root.inner_html());
    (root, handle, events)
}

fn find(root: &Element, selector: &str) -> Option<Element> {
    root.query_selector(selector).unwrap()
}

fn all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .map(|i| list.item(i).unwrap().unchecked_into())
        .collect()
}

fn text(root: &Element, selector: &str) -> String {
    find(root, selector)
        .and_then(|e| e.text_content())
        .unwrap_or_default()
}

/// The accessible name Chromium would compute from `aria-labelledby`: the referenced texts in order.
fn labelled_by_text(el: &Element) -> String {
    el.get_attribute("aria-labelledby")
        .unwrap()
        .split(' ')
        .map(|id| {
            document()
                .get_element_by_id(id)
                .unwrap()
                .text_content()
                .unwrap()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn click(el: &Element) {
    el.unchecked_ref::<HtmlElement>().click();
}

#[wasm_bindgen_test]
async fn a_rating_row_is_a_radio_group_whose_radios_name_row_and_column() {
    let c = config("servqual", Lang::Nl, "rows");
    prepare(&c, None).await;
    let (root, _handle, events) = mounted(c).await;
    assert_eq!(
        events.borrow()[0],
        SurveyEvent::Started {
            instrument: "servqual".into()
        }
    );
    let groups = all(&root, "[role=radiogroup]");
    assert_eq!(groups.len(), 22, "one group per expectation");
    let row_text = labelled_by_text(&groups[0]);
    let servqual = builtin("servqual").unwrap();
    let item = &servqual.def().sections[0].items[0];
    assert_eq!(
        row_text,
        rapport_survey_kit::steps::text(&item.text, Lang::Nl, "Acme")
    );
    let radios = all(&groups[0], "input[type=radio]");
    assert_eq!(radios.len(), 7);
    let name = labelled_by_text(&radios[0]);
    assert!(
        name.starts_with(&row_text),
        "radio name starts with the row: {name}"
    );
    assert!(
        name.ends_with("1 Helemaal mee oneens"),
        "and ends with its column: {name}"
    );
    assert!(labelled_by_text(&radios[6]).ends_with("7 Helemaal mee eens"));
    assert_eq!(text(&root, ".rs-progress span"), "Stap 1 van 4");
}

#[wasm_bindgen_test]
async fn answering_keeps_the_radio_and_its_focus_and_reports_the_answer() {
    let c = config("nps", Lang::En, "answer");
    prepare(&c, None).await;
    let (root, _handle, events) = mounted(c).await;
    let radios = all(&root, "input[type=radio]");
    assert_eq!(radios.len(), 11, "0 to 10");
    radios[9].unchecked_ref::<HtmlElement>().focus().unwrap();
    click(&radios[9]);
    let answered = SurveyEvent::Answered {
        item: "NPS".into(),
        value: Some(9),
    };
    let seen = events.clone();
    until("the answer event", move || {
        seen.borrow().contains(&answered)
    })
    .await;
    // The same element, still focused and checked: the step was updated in place, not rebuilt.
    let now = all(&root, "input[type=radio]");
    assert!(now[9].is_same_node(Some(&radios[9])));
    assert!(now[9].unchecked_ref::<HtmlInputElement>().checked());
    let active = document().active_element().unwrap();
    assert!(active.is_same_node(Some(&radios[9])));
    assert_eq!(text(&root, ".rs-count"), "1 of 1 questions answered");
}

#[wasm_bindgen_test]
async fn next_without_a_required_answer_marks_the_row_and_says_what_is_missing() {
    let c = config("nps", Lang::De, "missing");
    prepare(&c, None).await;
    let (root, _handle, _events) = mounted(c).await;
    assert_eq!(text(&root, ".rs-missing"), "");
    click(&find(&root, "[data-act=next]").unwrap());
    let row = find(&root, ".rs-row").unwrap();
    assert_eq!(row.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert!(row.class_name().contains("rs-invalid"));
    assert!(!text(&root, ".rs-missing").is_empty());
    click(&all(&root, "input[type=radio]")[3]);
    let row = find(&root, ".rs-row").unwrap();
    assert_eq!(row.get_attribute("aria-invalid"), None);
    assert_eq!(text(&root, ".rs-missing"), "");
}

#[wasm_bindgen_test]
async fn the_allocation_counts_down_and_clamps_what_is_typed() {
    let c = config("servqual", Lang::En, "alloc");
    let inst = builtin("servqual").unwrap();
    let mut draft = Draft::new("k-alloc".into(), inst.reference());
    for n in 1..=22 {
        draft.answer(&format!("E{n}"), Some(6));
        draft.answer(&format!("P{n}"), Some(5));
    }
    draft.step = 2;
    prepare(&c, Some(draft)).await;
    let (root, _handle, events) = mounted(c).await;
    let shown = root.clone();
    until("the allocation", move || {
        find(&shown, ".rs-remaining").is_some()
    })
    .await;
    assert_eq!(text(&root, ".rs-remaining"), "100 points left to give");
    let inputs = all(&root, "input[type=number]");
    assert_eq!(inputs.len(), 5);
    let next = find(&root, "[data-act=next]").unwrap();
    let type_into = |i: usize, text: &str| {
        let input: &HtmlInputElement = inputs[i].unchecked_ref();
        input.set_value(text);
        // As typing does: an `input` event that bubbles (the survey listens on its root).
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        let event = web_sys::Event::new_with_event_init_dict("input", &init).unwrap();
        input.dispatch_event(&event).unwrap();
    };
    type_into(0, "30");
    type_into(1, "500");
    assert!(events.borrow().contains(&SurveyEvent::Answered {
        item: "W_REL".into(),
        value: Some(100)
    }));
    assert_eq!(inputs[1].unchecked_ref::<HtmlInputElement>().value(), "100");
    assert_eq!(text(&root, ".rs-remaining"), "30 points too many");
    assert!(
        next.has_attribute("disabled"),
        "no way on while the points do not add up"
    );
    type_into(1, "70");
    assert_eq!(text(&root, ".rs-remaining"), "All points are given.");
    assert!(!next.has_attribute("disabled"));
    type_into(0, "");
    assert_eq!(
        events.borrow().last(),
        Some(&SurveyEvent::Answered {
            item: "W_TAN".into(),
            value: None
        })
    );
    assert_eq!(text(&root, ".rs-remaining"), "30 points left to give");
}

#[wasm_bindgen_test]
async fn a_sent_survey_shows_its_thanks_and_dropping_the_handle_unmounts_it() {
    let c = config("nps", Lang::En, "sent");
    let mut draft = Draft::new("k-sent".into(), builtin("nps").unwrap().reference());
    draft.answer("NPS", Some(10));
    draft.delivery = Delivery::Sent {
        id: "sr_1".into(),
        received_at: "t".into(),
    };
    prepare(&c, Some(draft)).await;
    let (root, handle, events) = mounted(c).await;
    assert!(find(&root, ".rs-done").is_some());
    assert!(
        find(&root, ".rs-progress").is_none(),
        "no progress once done"
    );
    assert!(find(&root, "input").is_none());
    drop(handle);
    assert!(find(&root, ".rs-survey").is_none(), "unmounted");
    let before = events.borrow().len();
    root.append_child(&document().create_element("button").unwrap())
        .unwrap();
    assert_eq!(events.borrow().len(), before);
}

#[wasm_bindgen_test]
async fn a_survey_that_cannot_be_loaded_says_so_and_reports_it() {
    let mut c = config("nps", Lang::En, "missing-copy");
    c.instrument = "no-such-survey".into();
    let root = container();
    let events = Rc::new(RefCell::new(Vec::new()));
    let seen = events.clone();
    let _handle = mount(&root, c, move |e| seen.borrow_mut().push(e));
    let shown = root.clone();
    until("the failure", move || find(&shown, ".rs-error").is_some()).await;
    assert!(find(&root, "[role=alert] [data-act=reload]").is_some());
    assert!(
        matches!(&events.borrow()[0], SurveyEvent::Error { code, .. } if code == "load_failed")
    );
}

#[wasm_bindgen_test]
async fn the_device_store_keeps_the_first_draft_for_a_key() {
    let store = Store::open().await;
    assert!(
        matches!(store, Store::Idb(_)),
        "IndexedDB is available in Chromium"
    );
    store.delete("test|key").await;
    assert_eq!(store.get_or_init("test|key", "first").await, "first");
    assert_eq!(store.get_or_init("test|key", "second").await, "first");
    assert!(store.put("test|key", "third").await);
    assert_eq!(store.get("test|key").await.as_deref(), Some("third"));
    store.delete("test|key").await;
    assert_eq!(store.get("test|key").await, None);
}

/// The thank-you step's scores come from the browser's Intl in the survey's language, as the portal's.
#[wasm_bindgen_test]
fn scores_use_the_survey_language_number_format() {
    let i = builtin("servqual").unwrap();
    let mut answers = VecMap::new();
    for n in 1..=22 {
        answers.insert(format!("E{n}"), 7);
        answers.insert(format!("P{n}"), 5);
    }
    let response = rapport_core::Response {
        instrument: i.reference(),
        respondent_id: None,
        answers,
        meta: Default::default(),
    };
    let scored = i.score(&i.validate(&response).unwrap());
    let values = |lang| {
        rapport_survey_kit::steps::score_lines(&i, &scored.scores, lang, "Acme")
            .into_iter()
            .map(|(_, v)| v)
            .collect::<Vec<_>>()
    };
    assert!(
        values(Lang::Nl).iter().all(|v| v == "-2,00"),
        "{:?}",
        values(Lang::Nl)
    );
    assert!(values(Lang::De).iter().all(|v| v == "-2,00"));
    assert!(values(Lang::En).iter().all(|v| v == "-2.00"));
}

/// The browser's JSON reader (the widget's, without serde) reads what serde_json writes, field for
/// field: every built-in instrument as the server serves it.
#[wasm_bindgen_test]
fn the_browser_reader_reads_every_served_definition_as_serde_does() {
    for name in rapport_core::BUILTIN_NAMES {
        let def = rapport_core::builtin_def(name).unwrap();
        let served = serde_json::to_string(&def).unwrap();
        assert_eq!(json::instrument(&served), Some(def.clone()), "{name}");
        // Optional fields absent rather than null, as a hand-written definition may have them.
        let pretty = serde_json::to_string_pretty(&def).unwrap();
        assert_eq!(json::instrument(&pretty), Some(def), "{name}");
    }
    assert_eq!(json::instrument("{not json"), None);
    assert_eq!(json::instrument(r#"{"id":"x"}"#), None);
    let wrong_role = serde_json::to_string(&rapport_core::builtin_def("nps").unwrap())
        .unwrap()
        .replace("\"recommend\"", "\"nonsense\"");
    assert_eq!(json::instrument(&wrong_role), None);
}

/// The browser's reader refuses exactly what serde refuses: every value of every built-in definition
/// (of its first item per section: the others repeat it), one at a time, turned into one of
/// another type (or a fraction where a whole number belongs).
#[wasm_bindgen_test]
fn the_browser_reader_refuses_a_value_of_the_wrong_type_wherever_serde_does() {
    use serde_json::Value;
    fn leaves(v: &Value, at: &mut Vec<String>, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => m.iter().for_each(|(k, x)| {
                at.push(k.clone());
                leaves(x, at, out);
                at.pop();
            }),
            Value::Array(a) => a.iter().enumerate().for_each(|(i, x)| {
                at.push(i.to_string());
                leaves(x, at, out);
                at.pop();
            }),
            _ => {}
        }
        out.push(format!("/{}", at.join("/")));
    }
    let mut checked = 0;
    for name in rapport_core::BUILTIN_NAMES {
        let served = serde_json::to_value(rapport_core::builtin_def(name).unwrap()).unwrap();
        let mut paths = Vec::new();
        leaves(&served, &mut Vec::new(), &mut paths);
        let repeated = |p: &str| {
            let parts: Vec<&str> = p.split('/').collect();
            parts.len() > 4 && parts[3] == "items" && parts[4].parse::<usize>().is_ok_and(|i| i > 0)
        };
        for path in paths.iter().filter(|p| p.as_str() != "/" && !repeated(p)) {
            for wrong in [Value::from(1.5), Value::from("x")] {
                let mut v = served.clone();
                *v.pointer_mut(path).unwrap() = wrong.clone();
                let text = v.to_string();
                let serde = serde_json::from_str::<rapport_core::InstrumentDef>(&text).ok();
                assert_eq!(json::instrument(&text), serde, "{name} {path} = {wrong}");
                checked += 1;
            }
        }
    }
    assert!(checked > 500, "{checked}");
}

/// Drafts saved by either writer read back the same in every delivery state (a draft saved by an
/// older widget, which wrote with serde_json, continues), and responses read as the server reads them.
#[wasm_bindgen_test]
fn drafts_and_responses_round_trip_between_the_browser_writer_and_serde() {
    let reference = builtin("servqual").unwrap().reference();
    let mut draft = Draft::new("k-1".into(), reference);
    draft.answer("E1", Some(7));
    draft.answer("W_TAN", Some(0));
    draft.step = 2;
    let states = [
        Delivery::Editing,
        Delivery::Queued { attempts: 3 },
        Delivery::Sent {
            id: "sr_9".into(),
            received_at: "2026-12-07T10:00:00Z".into(),
        },
        Delivery::AnsweredElsewhere,
    ];
    for delivery in states {
        draft.delivery = delivery;
        draft.finished_at = Some("2026-12-07T09:59:00Z".into());
        let ours = json::draft_text(&draft);
        assert_eq!(json::draft(&ours), Some(draft.clone()));
        assert_eq!(serde_json::from_str::<Draft>(&ours).unwrap(), draft);
        let theirs = serde_json::to_string(&draft).unwrap();
        assert_eq!(json::draft(&theirs), Some(draft.clone()));
        draft.finished_at = None;
        assert_eq!(json::draft(&json::draft_text(&draft)), Some(draft.clone()));
    }
    assert_eq!(json::draft(r#"{"key":"k"}"#), None);
    let response = draft.to_response(Some("region \"north\"".into()));
    let sent: rapport_core::Response =
        serde_json::from_str(&json::response_text(&response)).unwrap();
    assert_eq!(sent, response);
}

#[wasm_bindgen_test]
fn replies_are_read_by_the_browser_reader() {
    let receipt = json::receipt(r#"{"id":"sr_1","received_at":"t","scores":{}}"#).unwrap();
    assert_eq!(
        (receipt.id.as_str(), receipt.received_at.as_str()),
        ("sr_1", "t")
    );
    assert!(json::receipt(r#"{"id":"sr_1"}"#).is_none());
    let detail = json::error_detail(
        r#"{"error":{"code":"invalid_response","message":"m","fields":[{"field":"E3","problem":"out_of_range"}]}}"#,
    )
    .unwrap();
    assert_eq!(detail.code, "invalid_response");
    assert_eq!(detail.fields[0].field, "E3");
    let bare = json::error_detail(r#"{"error":{}}"#).unwrap();
    assert!(bare.code.is_empty() && bare.fields.is_empty());
    assert!(json::error_detail("not json").is_none());
}

/// A host page served over plain HTTP has no `crypto.randomUUID` (it is for secure contexts only):
/// the idempotency keys do not depend on it. Removed here from the prototype, they are still 32 hex
/// digits, each new.
#[wasm_bindgen_test]
fn idempotency_keys_do_not_need_a_secure_context() {
    let crypto = js_sys::Reflect::get(&js_sys::global(), &"Crypto".into()).expect("Crypto");
    let prototype = js_sys::Reflect::get(&crypto, &"prototype".into()).expect("its prototype");
    let prototype: js_sys::Object = prototype.unchecked_into();
    let saved = js_sys::Reflect::get(&prototype, &"randomUUID".into()).expect("randomUUID");
    assert!(js_sys::Reflect::delete_property(&prototype, &"randomUUID".into()).expect("deleted"));
    let first = rapport_survey_kit::transport::new_key();
    let second = rapport_survey_kit::transport::new_key();
    js_sys::Reflect::set(&prototype, &"randomUUID".into(), &saved).expect("restored");
    for key in [&first, &second] {
        assert_eq!(key.len(), 32, "{key}");
        assert!(
            key.bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()),
            "{key}"
        );
    }
    assert_ne!(first, second);
}
