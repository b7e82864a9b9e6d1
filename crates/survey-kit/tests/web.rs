//! Survey components and the device store in headless Chromium (wasm-bindgen-test).
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use leptos::task::tick;
use rapport_core::builtin;
use rapport_survey_kit::draft::{Delivery, Draft};
use rapport_survey_kit::i18n::Lang;
use rapport_survey_kit::json;
use rapport_survey_kit::questions::{AllocationQuestion, ScaleRow};
use rapport_survey_kit::store::Store;
use std::collections::BTreeMap;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlInputElement;

wasm_bindgen_test_configure!(run_in_browser);

fn mount_root() -> web_sys::HtmlElement {
    let document = document();
    let root: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&root).unwrap();
    root
}

/// The accessible name Chromium would compute from `aria-labelledby`: the referenced texts in order.
fn labelled_by_text(el: &web_sys::Element) -> String {
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

#[wasm_bindgen_test]
async fn a_rating_row_is_a_radio_group_whose_radios_name_row_and_column() {
    let root = mount_root();
    let servqual = builtin("servqual").unwrap();
    let item = servqual.def().sections[1].items[0].clone();
    let answers = RwSignal::new(BTreeMap::<String, i64>::new());
    let picks = RwSignal::new(Vec::<(String, Option<i64>)>::new());
    let id = item.id.clone();
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        let value = Signal::derive(move || answers.with(|a| a.get(&id).copied()));
        view! {
            <ScaleRow
                item
                lang=Lang::Nl
                firm="Acme".to_string()
                prefix="t1".to_string()
                value
                on_pick=Callback::new(move |p| picks.update(|v| v.push(p)))
            />
        }
    });
    tick().await;

    let group = root.query_selector("[role=radiogroup]").unwrap().unwrap();
    let row_text = labelled_by_text(&group);
    assert!(
        row_text.contains("Acme"),
        "row text names the firm: {row_text}"
    );
    let radios = root.query_selector_all("input[type=radio]").unwrap();
    assert_eq!(radios.length(), 7);
    let first: web_sys::Element = radios.item(0).unwrap().unchecked_into();
    let name = labelled_by_text(&first);
    assert!(
        name.starts_with(&row_text),
        "radio name starts with the row: {name}"
    );
    assert!(
        name.ends_with("1 Helemaal mee oneens"),
        "and ends with the column: {name}"
    );

    let five: HtmlInputElement = root
        .query_selector("input[value='5']")
        .unwrap()
        .unwrap()
        .unchecked_into();
    five.click();
    tick().await;
    assert_eq!(picks.get_untracked(), vec![("P1".to_string(), Some(5))]);

    // A resumed draft checks the saved answer.
    answers.set(BTreeMap::from([("P1".to_string(), 2)]));
    tick().await;
    let two: HtmlInputElement = root
        .query_selector("input[value='2']")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert!(two.checked());
}

#[wasm_bindgen_test]
async fn the_allocation_counts_down_and_clamps_what_is_typed() {
    let root = mount_root();
    let allocation = builtin("servqual")
        .unwrap()
        .def()
        .allocation
        .clone()
        .unwrap();
    let answers = RwSignal::new(BTreeMap::<String, i64>::new());
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        view! {
            <AllocationQuestion
                allocation
                lang=Lang::En
                firm="Acme".to_string()
                prefix="t2".to_string()
                answers=Signal::derive(move || answers.get())
                on_pick=Callback::new(move |(id, v): (String, Option<i64>)| answers.update(|a| {
                    match v { Some(v) => { a.insert(id, v); } None => { a.remove(&id); } }
                }))
            />
        }
    });
    tick().await;
    let remaining = || {
        root.query_selector(".rs-remaining")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap()
    };
    assert_eq!(remaining(), "100 points left to give");
    let inputs = root.query_selector_all("input[type=number]").unwrap();
    assert_eq!(inputs.length(), 5);
    let type_into = |i: u32, text: &str| {
        let input: HtmlInputElement = inputs.item(i).unwrap().unchecked_into();
        input.set_value(text);
        input
            .dispatch_event(&web_sys::Event::new("input").unwrap())
            .unwrap();
    };
    type_into(0, "30");
    type_into(1, "500");
    tick().await;
    assert_eq!(answers.get_untracked().get("W_REL"), Some(&100));
    assert_eq!(remaining(), "30 points too many");
    type_into(1, "70");
    tick().await;
    assert_eq!(remaining(), "All points are given.");
    type_into(0, "");
    tick().await;
    assert_eq!(answers.get_untracked().get("W_TAN"), None);
    assert_eq!(remaining(), "30 points left to give");
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
    let mut answers = BTreeMap::new();
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
