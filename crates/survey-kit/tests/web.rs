//! Survey components and the device store in headless Chromium (wasm-bindgen-test).
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use leptos::task::tick;
use rapport_core::builtin;
use rapport_survey_kit::i18n::Lang;
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
