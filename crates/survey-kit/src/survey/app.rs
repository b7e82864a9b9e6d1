//! One mounted survey: its DOM root, its listeners, its state, and the loop that applies messages.
//!
//! Shared (`Rc`) by its delegated DOM listeners (`events.rs`) and its async tasks.

use super::dom::el;
use super::dom::txt;
use super::on_demand::{self, Part};
use super::state::{update, Effect, Form, Msg, Sending};
use super::view::View;
use super::{load, SurveyConfig, SurveyEvent};
use crate::i18n::{texts, Texts};
use crate::transport::Alarm;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use web_sys::{Element, Event, EventTarget};

type Listener = (EventTarget, &'static str, Closure<dyn FnMut(Event)>);

pub(crate) struct App {
    pub root: Element,
    pub config: SurveyConfig,
    pub t: &'static Texts,
    on_event: Box<dyn Fn(SurveyEvent)>,
    /// Unmounted: tasks still running stop at their next step.
    pub disposed: Cell<bool>,
    pub form: RefCell<Option<Form>>,
    view: RefCell<Option<View>>,
    pub alarm: Alarm,
    /// The outbox loop is running (one per survey).
    pub sending: Cell<bool>,
    /// Sending effects waiting for the sending code to arrive, in order.
    pending: RefCell<Vec<Sending>>,
    /// The sending code's last download, which something waits for, failed.
    pub send_failed: Cell<bool>,
    listeners: RefCell<Vec<Listener>>,
}

impl App {
    pub fn mount(
        container: &Element,
        config: SurveyConfig,
        on_event: Box<dyn Fn(SurveyEvent)>,
    ) -> Rc<App> {
        let root = el("div", "rs-survey", &[("lang", config.lang.tag())]);
        let _ = container.append_child(&root);
        let app = Rc::new(App {
            root,
            t: texts(config.lang),
            config,
            on_event,
            disposed: Cell::new(false),
            form: RefCell::new(None),
            view: RefCell::new(None),
            alarm: Alarm::default(),
            sending: Cell::new(false),
            pending: RefCell::new(Vec::new()),
            send_failed: Cell::new(false),
            listeners: RefCell::new(Vec::new()),
        });
        let target: EventTarget = app.root.clone().into();
        app.listen(target.clone(), "change", App::on_change);
        app.listen(target.clone(), "input", App::on_input);
        app.listen(target, "click", App::on_click);
        // Coming back online ends the outbox's wait at once, and downloads the sending code again if
        // a send waits for it.
        if let Some(w) = web_sys::window() {
            app.listen(w.into(), "online", |app, _| {
                app.alarm.ring();
                if app.send_failed.get() {
                    app.retry_part();
                }
            });
        }
        app.clone().load();
        app
    }

    fn listen(self: &Rc<Self>, target: EventTarget, name: &'static str, f: fn(&Rc<App>, Event)) {
        // A weak reference: the listener must not keep an unmounted survey alive.
        let app = Rc::downgrade(self);
        let closure = Closure::<dyn FnMut(Event)>::new(move |e: Event| {
            if let Some(app) = app.upgrade() {
                f(&app, e);
            }
        });
        let _ = target.add_event_listener_with_callback(name, closure.as_ref().unchecked_ref());
        self.listeners.borrow_mut().push((target, name, closure));
    }

    /// Removes the survey from the page; running tasks see `disposed` and stop, a waiting outbox wakes
    /// up to do so.
    pub fn dispose(&self) {
        self.disposed.set(true);
        for (target, name, closure) in self.listeners.borrow_mut().drain(..) {
            let _ =
                target.remove_event_listener_with_callback(name, closure.as_ref().unchecked_ref());
        }
        self.alarm.ring();
        self.root.remove();
        self.view.borrow_mut().take();
        self.form.borrow_mut().take();
    }

    pub fn emit(&self, event: SurveyEvent) {
        if !self.disposed.get() {
            (self.on_event)(event);
        }
    }

    /// Loads the instrument and the draft, then shows the form (or the failure, with "try again").
    pub(super) fn load(self: Rc<Self>) {
        let note = txt("p", "rs-note", &[("role", "status")], self.t.loading);
        self.root.replace_children_with_node_1(&note);
        spawn_local(async move {
            let loaded = load::load(&self.config).await;
            if self.disposed.get() {
                return;
            }
            let Some(form) = loaded else {
                self.emit(SurveyEvent::Error {
                    code: "load_failed".into(),
                    message: self.t.load_failed.into(),
                });
                let block = super::view::load_failed(self.t.load_failed, self.t, "reload");
                self.root.replace_children_with_node_1(&block);
                return;
            };
            let queued = form.queued();
            let more = form
                .steps
                .iter()
                .any(|s| !matches!(s, crate::steps::Step::Section(_)));
            *self.form.borrow_mut() = Some(form);
            self.emit(SurveyEvent::Started {
                instrument: self.config.instrument.clone(),
            });
            self.root.replace_children_with_node_0();
            self.refresh();
            // The code for sending, of the other steps and of the scores, while still online, once
            // the first question is on the screen.
            on_demand::preload(&self, more, self.config.show_scores);
            // The page was reopened with a response still in the outbox.
            if queued {
                self.run(vec![Effect::Sending(Sending::Deliver)]);
            }
        });
    }

    /// Applies a message (the only way the state changes), brings the DOM up to date, then carries
    /// out what the change asks for.
    pub fn dispatch(self: &Rc<Self>, msg: Msg) {
        let effects = {
            let mut form = self.form.borrow_mut();
            let Some(form) = form.as_mut() else { return };
            update(form, msg)
        };
        self.refresh();
        self.run(effects);
    }

    fn run(self: &Rc<Self>, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                Effect::Save => spawn_local(self.clone().save_now()),
                Effect::Sending(sending) => self.send(sending),
                Effect::Ring => self.alarm.ring(),
                Effect::Emit(event) => self.emit(event),
                Effect::Focus => self.focus_heading(),
            }
        }
    }

    /// A sending effect, carried out by the sending code; if that has not arrived yet, the effect
    /// waits for it (the answers are on the device meanwhile), and its download starts unless it is
    /// under way.
    fn send(self: &Rc<Self>, effect: Sending) {
        if let Some(code) = on_demand::send_code() {
            return (code.run)(self, effect);
        }
        let start = self.pending.borrow().is_empty() || self.send_failed.get();
        self.pending.borrow_mut().push(effect);
        if start {
            self.send_failed.set(false);
            on_demand::need(self, Part::Send);
        }
        // The status line says that the answers are on their way.
        self.refresh();
    }

    /// Whether something waits for the sending code.
    pub fn send_waits(&self) -> bool {
        !self.pending.borrow().is_empty()
    }

    /// A step's heading, else the survey's title (a step titled like the survey has no heading).
    pub fn focus_heading(&self) {
        super::dom::focus_first(&self.root, &[".rs-step-heading", ".rs-title"]);
    }

    /// Brings the DOM up to date with the state.
    pub fn refresh(self: &Rc<Self>) {
        if self.disposed.get() {
            return;
        }
        let form = self.form.borrow();
        let Some(form) = form.as_ref() else { return };
        let mut view = self.view.borrow_mut();
        view.get_or_insert_with(|| View::new(self, form))
            .update(self, form);
    }

    /// A part's code arrived (or did not). Only a step waiting for it is built anew (a step on
    /// screen otherwise keeps its controls and the focus).
    pub fn part_loaded(self: &Rc<Self>, part: Part, ok: bool) {
        if self.disposed.get() {
            return;
        }
        // Sending effects may wait for the sending code; steps and scores for theirs.
        let sends = part == Part::Send && self.sender_loaded(ok);
        let shows = self
            .view
            .borrow_mut()
            .as_mut()
            .is_some_and(|v| v.part_loaded(part, ok));
        if !sends && !shows {
            return;
        }
        if !ok {
            self.emit(SurveyEvent::Error {
                code: "part_failed".into(),
                message: self.t.part_failed.into(),
            });
        }
        self.refresh();
        if ok && part == Part::Steps {
            // As when a step opens: its heading takes the focus (the retry button is gone).
            self.focus_heading();
        }
    }

    /// The sending code arrived (the effects that waited for it go on, in order) or did not (the
    /// survey says so, with "Try again"); whether any waited.
    fn sender_loaded(self: &Rc<Self>, ok: bool) -> bool {
        if !self.send_waits() {
            return false;
        }
        if ok {
            let waiting = std::mem::take(&mut *self.pending.borrow_mut());
            self.run(waiting.into_iter().map(Effect::Sending).collect());
        } else {
            self.send_failed.set(true);
        }
        true
    }

    /// "Try again" on a part that did not download.
    pub(super) fn retry_part(self: &Rc<Self>) {
        if self.send_failed.replace(false) {
            on_demand::need(self, Part::Send);
        } else if let Some(view) = self.view.borrow_mut().as_mut() {
            view.retry_part();
        }
        self.refresh();
    }
}
