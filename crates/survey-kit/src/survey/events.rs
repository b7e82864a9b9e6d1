//! The survey's three delegated listeners. The controls say what they mean in `data-*` attributes
//! (`data-item` on a radio, `data-alloc` on a points field, `data-act` on a button), so these
//! listeners on the survey's root serve every control of every step, and a rebuilt step needs none.
//! Each one turns the DOM event into a message; none changes the state itself.

use super::app::App;
use super::state::Msg;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Element, Event, HtmlInputElement};

impl App {
    /// A radio chosen.
    pub(super) fn on_change(self: &Rc<Self>, e: Event) {
        let Some(input) = target_input(&e) else {
            return;
        };
        if let Some(item) = input.get_attribute("data-item") {
            let value = input.value().parse::<i64>().ok();
            self.dispatch(Msg::Pick { item, value });
        }
    }

    /// An allocation field: its points, clamped to the total; an empty field clears the answer.
    pub(super) fn on_input(self: &Rc<Self>, e: Event) {
        let Some(input) = target_input(&e) else {
            return;
        };
        let (Some(item), Some(total)) = (
            input.get_attribute("data-alloc"),
            input
                .get_attribute("max")
                .and_then(|t| t.parse::<i64>().ok()),
        ) else {
            return;
        };
        let value = input.value().trim().parse::<i64>().ok();
        let value = value.map(|v| v.clamp(0, total));
        self.dispatch(Msg::Pick { item, value });
    }

    pub(super) fn on_click(self: &Rc<Self>, e: Event) {
        let act = e
            .target()
            .and_then(|t| t.dyn_into::<Element>().ok())
            .and_then(|t| t.closest("[data-act]").ok().flatten())
            .and_then(|b| b.get_attribute("data-act"));
        let Some(act) = act else { return };
        let step = |prefix: &str| act.strip_prefix(prefix).and_then(|n| n.parse().ok());
        match act.as_str() {
            "reload" => self.clone().load(),
            "part" => self.retry_part(),
            "back" => self.dispatch(Msg::Back),
            "next" => self.dispatch(Msg::Next),
            "retry" => self.dispatch(Msg::Retry),
            _ => {
                if let Some(to) = step("go:") {
                    self.dispatch(Msg::Go(to));
                } else if let Some(to) = step("fix:") {
                    self.dispatch(Msg::Fix(to));
                }
            }
        }
    }
}

fn target_input(e: &Event) -> Option<HtmlInputElement> {
    e.target()?.dyn_into::<HtmlInputElement>().ok()
}
