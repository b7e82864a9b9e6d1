//! The link to the analysis Web Worker (`crates/analyst-worker`): starting it, sending it requests
//! (held back until it says it is ready) and reading its replies.

use leptos::prelude::*;
use rapport_analyst::protocol::{Reply, Request};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType};

/// The worker's entry, built next to the portal by `scripts/build.sh`.
const WORKER_URL: &str = "/workers/analyst/worker.js";

/// The live worker and its listeners (kept alive together, dropped together).
struct Connection {
    worker: Worker,
    _listener: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

/// The page's handle on its worker. Cancelling an import terminates the worker and starts a new one.
#[derive(Clone, Copy)]
pub struct WorkerLink {
    connection: StoredValue<Option<Connection>, LocalStorage>,
    /// A request made before the worker said it is ready waits here.
    waiting: StoredValue<Option<(String, Option<web_sys::Blob>)>, LocalStorage>,
    ready: StoredValue<bool>,
}

impl WorkerLink {
    /// A link without a worker yet; the worker goes when the page does.
    pub fn new() -> Self {
        let link = WorkerLink {
            connection: StoredValue::new_local(None),
            waiting: StoredValue::new_local(None),
            ready: StoredValue::new(false),
        };
        on_cleanup(move || link.connection.set_value(None));
        link
    }

    /// (Re)starts the worker; its replies go to `on_reply`, a failure to start comes back here.
    pub fn start(self, on_reply: impl Fn(Reply) + 'static) -> Result<(), String> {
        self.ready.set_value(false);
        self.connection.set_value(None);
        self.connection.set_value(Some(spawn(on_reply)?));
        Ok(())
    }

    /// The worker said it is ready: send what was waiting.
    pub fn ready(self) {
        self.ready.set_value(true);
        if let Some((json, file)) = self.waiting.try_update_value(Option::take).flatten() {
            self.send(&json, file.as_ref());
        }
    }

    /// Sends a request (with a file to read), or keeps it until the worker is ready.
    pub fn post(self, request: Request, file: Option<web_sys::Blob>) {
        let Ok(json) = serde_json::to_string(&request) else {
            return;
        };
        if self.ready.get_value() {
            self.send(&json, file.as_ref());
        } else {
            self.waiting.set_value(Some((json, file)));
        }
    }

    fn send(self, json: &str, file: Option<&web_sys::Blob>) {
        self.connection.with_value(|c| {
            if let Some(c) = c {
                let message = js_sys::Object::new();
                let _ = js_sys::Reflect::set(&message, &"json".into(), &JsValue::from_str(json));
                if let Some(file) = file {
                    let _ = js_sys::Reflect::set(&message, &"file".into(), file);
                }
                let _ = c.worker.post_message(&message);
            }
        });
    }
}

impl Default for WorkerLink {
    fn default() -> Self {
        Self::new()
    }
}

fn spawn(on_reply: impl Fn(Reply) + 'static) -> Result<Connection, String> {
    let on_reply = std::rc::Rc::new(on_reply);
    let options = WorkerOptions::new();
    options.set_type(WorkerType::Module);
    let worker = Worker::new_with_options(WORKER_URL, &options).map_err(|e| {
        e.as_string()
            .unwrap_or_else(|| "cannot start the worker".into())
    })?;
    let on_error = {
        let on_reply = on_reply.clone();
        // The worker's script or Wasm failed to load or crashed: say so instead of waiting forever.
        Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
            let message = js_sys::Reflect::get(&event, &"message".into())
                .ok()
                .and_then(|m| m.as_string())
                .unwrap_or_else(|| "the analysis worker stopped".into());
            on_reply(Reply::Error { message });
        })
    };
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    let listener = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let reply = event
            .data()
            .as_string()
            .ok_or_else(|| "unreadable reply".to_owned())
            .and_then(|text| serde_json::from_str::<Reply>(&text).map_err(|e| e.to_string()));
        match reply {
            Ok(reply) => on_reply(reply),
            Err(message) => on_reply(Reply::Error { message }),
        }
    });
    worker.set_onmessage(Some(listener.as_ref().unchecked_ref()));
    Ok(Connection {
        worker,
        _listener: listener,
        _on_error: on_error,
    })
}
