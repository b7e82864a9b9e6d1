//! Survey components in headless Chromium (wasm-bindgen-test).
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use leptos::task::tick;
use rapport_survey_kit::ScaleQuestion;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlInputElement;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn scale_question_is_a_labelled_radio_group_that_records_the_answer() {
    let document = document();
    let root: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&root).unwrap();
    let value = RwSignal::new(None::<u8>);
    let answers = RwSignal::new(Vec::<u8>::new());
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        view! {
            <ScaleQuestion
                question="How easy was it?".to_string()
                min=1
                max=7
                low_label="Very hard".to_string()
                high_label="Very easy".to_string()
                value
                name="ces"
                on_answer=Callback::new(move |v| answers.update(|a| a.push(v)))
            />
        }
    });
    tick().await;

    let legend = root.query_selector("fieldset > legend").unwrap().unwrap();
    assert_eq!(legend.text_content().unwrap(), "How easy was it?");
    let radios = root
        .query_selector_all("input[type=radio][name=ces]")
        .unwrap();
    assert_eq!(radios.length(), 7);
    // Every radio has its own visible label.
    for i in 0..radios.length() {
        let radio: HtmlInputElement = radios.item(i).unwrap().unchecked_into();
        let label = root
            .query_selector(&format!("label[for='{}']", radio.id()))
            .unwrap();
        assert!(label.is_some(), "radio {} has a label", radio.id());
    }
    let fieldset = root.query_selector("fieldset").unwrap().unwrap();
    let hint_id = fieldset.get_attribute("aria-describedby").unwrap();
    let hint = document.get_element_by_id(&hint_id).unwrap();
    assert!(hint.text_content().unwrap().contains("Very easy"));

    let five: HtmlInputElement = root
        .query_selector("input[value='5']")
        .unwrap()
        .unwrap()
        .unchecked_into();
    five.click();
    tick().await;
    assert_eq!(value.get_untracked(), Some(5));
    assert_eq!(answers.get_untracked(), vec![5]);

    // Setting the value from outside (e.g. a resumed draft) checks the right radio.
    value.set(Some(2));
    tick().await;
    let two: HtmlInputElement = root
        .query_selector("input[value='2']")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert!(two.checked());
    assert!(!five.checked());
}
