//! Entry point of the standalone widget. The custom element (`embed/rapport-survey.js`) owns the shadow
//! root and calls [`mount_survey`] with a container inside it; everything rendered stays in that shadow
//! tree, and the only listeners are on elements the widget created.

use crate::i18n::{texts, Lang};
use crate::scale::ScaleQuestion;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::{CustomEvent, CustomEventInit, HtmlElement};

/// Keeps a mounted survey alive; dropping it (or calling `unmount`) removes it and its reactive state.
#[wasm_bindgen]
pub struct SurveyHandle {
    _mounted: Box<dyn std::any::Any>,
}

#[wasm_bindgen]
impl SurveyHandle {
    /// Removes the survey from the page.
    pub fn unmount(self) {}
}

/// Renders a survey into `container` (inside `host`'s shadow root) and reports progress as DOM events
/// on `host` (`rapport-started`, `rapport-answered`), which cross the shadow boundary.
#[wasm_bindgen]
pub fn mount_survey(
    host: HtmlElement,
    container: HtmlElement,
    lang: String,
    name: String,
) -> SurveyHandle {
    let lang = Lang::from_tag(&lang);
    let events = host.clone();
    let mounted = leptos::mount::mount_to(container, move || {
        let t = texts(lang);
        let value = RwSignal::new(None::<u8>);
        let on_answer = Callback::new(move |v: u8| {
            let detail = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&detail, &"item".into(), &"NPS".into());
            let _ = js_sys::Reflect::set(&detail, &"value".into(), &v.into());
            emit(&events, "rapport-answered", &detail.into());
        });
        view! {
            <section class="rs-survey" aria-label=t.survey_label lang=lang.tag()>
                <ScaleQuestion
                    question=t.nps_question.to_string()
                    min=0
                    max=10
                    low_label=t.nps_low.to_string()
                    high_label=t.nps_high.to_string()
                    value
                    name=name.clone()
                    on_answer
                />
                <p class="rs-status" role="status">
                    {move || value.get().map(|v| (t.selected)(v))}
                </p>
            </section>
        }
    });
    emit(&host, "rapport-started", &JsValue::NULL);
    SurveyHandle {
        _mounted: Box::new(mounted),
    }
}

fn emit(target: &HtmlElement, name: &str, detail: &JsValue) {
    let init = CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(detail);
    if let Ok(event) = CustomEvent::new_with_event_init_dict(name, &init) {
        let _ = target.dispatch_event(&event);
    }
}
