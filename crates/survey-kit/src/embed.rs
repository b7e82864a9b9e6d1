//! Entry point of the standalone widget. The custom element (`embed/rapport-survey.js`) owns the shadow
//! root and calls [`mount_survey`] with a container inside it; everything rendered stays in that shadow
//! tree. The only listener outside it is the window's `online` event, removed on unmount.

use crate::i18n::Lang;
use crate::survey::{SurveyConfig, SurveyEvent, SurveyHandle};
use wasm_bindgen::prelude::*;
use web_sys::{CustomEvent, CustomEventInit, HtmlElement};

/// Keeps a mounted survey alive; `unmount` (or the garbage collector) removes it, its listeners and
/// its waits.
#[wasm_bindgen]
pub struct WidgetHandle {
    _survey: SurveyHandle,
}

#[wasm_bindgen]
impl WidgetHandle {
    /// Removes the survey from the page.
    pub fn unmount(self) {}
}

/// Renders a survey into `container` (inside `host`'s shadow root) and reports progress as DOM events
/// on `host` (`rapport-started`, `rapport-answered`, `rapport-submitted`, `rapport-error`), which cross
/// the shadow boundary. The rest are the element's attributes, as the custom element reads them
/// (plain arguments: an options class would add its constructor and its JS wrapper to the widget).
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn mount_survey(
    host: HtmlElement,
    container: HtmlElement,
    endpoint: String,
    instrument: String,
    lang: String,
    name: String,
    context: String,
    firm: String,
    show_scores: bool,
    segment: Option<String>,
) -> WidgetHandle {
    let config = SurveyConfig {
        endpoint,
        instrument,
        lang: Lang::from_tag(&lang),
        name,
        context,
        firm,
        show_scores,
        segment,
        invitation: None,
    };
    let on_event = move |event: SurveyEvent| {
        let detail = js_sys::Object::new();
        let set = |k: &str, v: JsValue| {
            let _ = js_sys::Reflect::set(&detail, &k.into(), &v);
        };
        let name = match event {
            SurveyEvent::Started { instrument } => {
                set("instrument", instrument.into());
                "rapport-started"
            }
            SurveyEvent::Answered { item, value } => {
                set("item", item.into());
                let value = value.map(|v| JsValue::from_f64(v as f64));
                set("value", value.unwrap_or(JsValue::NULL));
                "rapport-answered"
            }
            SurveyEvent::Submitted { id } => {
                set("id", id.into());
                "rapport-submitted"
            }
            SurveyEvent::Error { code, message } => {
                set("code", code.into());
                set("message", message.into());
                "rapport-error"
            }
        };
        emit(&host, name, &detail.into());
    };
    WidgetHandle {
        _survey: crate::survey::mount(&container, config, on_event),
    }
}

/// Forgets the saved draft of a survey (the element's `reset()`), so that it starts afresh; the promise
/// resolves once it is gone. A promise made here rather than an `async` export: the generic
/// future-to-promise adapter that wasm-bindgen links for the latter is 2.5 KB of code.
#[wasm_bindgen]
pub fn clear_draft(endpoint: String, instrument: String, context: String) -> js_sys::Promise {
    let mut keys = Some((endpoint, instrument, context));
    js_sys::Promise::new(&mut |resolve, _| {
        let Some((endpoint, instrument, context)) = keys.take() else {
            return;
        };
        wasm_bindgen_futures::spawn_local(async move {
            crate::survey::clear_draft(&endpoint, &instrument, &context).await;
            let _ = resolve.call0(&JsValue::NULL);
        });
    })
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
