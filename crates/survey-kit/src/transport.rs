//! The widget's own small HTTP layer (fetch with a time limit) and the waits of the outbox. Kept
//! apart from the portal's client so that the embeddable bundle stays small.

use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Headers, RequestCredentials, RequestInit};

/// Replies larger than this are not read: an instrument is tens of kilobytes, a receipt less than one.
const MAX_REPLY_CHARS: usize = 1024 * 1024;

/// What came back from one request.
#[derive(Debug)]
pub enum Reply {
    /// An HTTP answer.
    Answer {
        status: u16,
        body: String,
        retry_after_ms: Option<u32>,
    },
    /// No answer: offline, refused, aborted after `timeout_ms`, or an unreadable body.
    Nothing,
}

/// Sends one request. `key` becomes the `Idempotency-Key` header.
pub async fn request(
    method: &str,
    url: &str,
    key: Option<&str>,
    body: Option<&str>,
    timeout_ms: i32,
) -> Reply {
    let Some(window) = web_sys::window() else {
        return Reply::Nothing;
    };
    let init = RequestInit::new();
    init.set_method(method);
    init.set_credentials(RequestCredentials::SameOrigin);
    if let Ok(headers) = Headers::new() {
        let _ = headers.set("Accept", "application/json");
        if let Some(key) = key {
            let _ = headers.set("Idempotency-Key", key);
        }
        if body.is_some() {
            let _ = headers.set("Content-Type", "application/json");
        }
        init.set_headers(&headers);
    }
    if let Some(body) = body {
        init.set_body(&JsValue::from_str(body));
    }
    let controller = AbortController::new().ok();
    // Dropped at the end of this function: the timer is cleared before then, or has fired.
    let abort = controller
        .clone()
        .map(|c| Closure::<dyn FnMut()>::new(move || c.abort()));
    let timer = controller
        .as_ref()
        .zip(abort.as_ref())
        .and_then(|(c, abort)| {
            init.set_signal(Some(&c.signal()));
            window
                .set_timeout_with_callback_and_timeout_and_arguments_0(
                    abort.as_ref().unchecked_ref(),
                    timeout_ms,
                )
                .ok()
        });
    let reply = async {
        let response: web_sys::Response =
            JsFuture::from(window.fetch_with_str_and_init(url, &init))
                .await
                .ok()?
                .dyn_into()
                .ok()?;
        let retry_after_ms = response
            .headers()
            .get("Retry-After")
            .ok()
            .flatten()
            .and_then(|v| retry_after_ms(&v));
        let text = JsFuture::from(response.text().ok()?)
            .await
            .ok()?
            .as_string()?;
        (text.len() <= MAX_REPLY_CHARS).then_some(Reply::Answer {
            status: response.status(),
            body: text,
            retry_after_ms,
        })
    }
    .await;
    if let Some(id) = timer {
        window.clear_timeout_with_handle(id);
    }
    drop(abort);
    reply.unwrap_or(Reply::Nothing)
}

/// `Retry-After` as seconds or as an HTTP date.
fn retry_after_ms(value: &str) -> Option<u32> {
    if let Some(s) = crate::retry::retry_after_secs(value) {
        return Some(s.saturating_mul(1000));
    }
    let at = js_sys::Date::parse(value);
    (at.is_finite()).then(|| (at - js_sys::Date::now()).clamp(0.0, f64::from(u32::MAX)) as u32)
}

/// Whether the browser believes it is online.
pub fn online() -> bool {
    web_sys::window()
        .map(|w| w.navigator().on_line())
        .unwrap_or(true)
}

/// A wait that ends after a time, or earlier when [`Alarm::ring`] is called (the browser came back
/// online, or the respondent pressed "Try now").
#[derive(Clone, Default)]
pub struct Alarm {
    resolve: Rc<RefCell<Option<js_sys::Function>>>,
}

impl Alarm {
    /// Waits `ms` milliseconds (`None`: until rung).
    pub async fn wait(&self, ms: Option<u32>) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let slot = self.resolve.clone();
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            if let Some(ms) = ms {
                let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
                    &resolve,
                    i32::try_from(ms).unwrap_or(i32::MAX),
                );
            }
            *slot.borrow_mut() = Some(resolve);
        });
        let _ = JsFuture::from(promise).await;
        self.resolve.borrow_mut().take();
    }

    /// Ends the current wait, if any.
    pub fn ring(&self) {
        if let Some(resolve) = self.resolve.borrow_mut().take() {
            let _ = resolve.call0(&JsValue::NULL);
        }
    }
}

/// A new idempotency key: 128 random bits as 32 hex digits, from `crypto.getRandomValues`, which a
/// host page served over plain HTTP has too (`crypto.randomUUID` only exists in secure contexts,
/// and calling it there would throw through the Wasm).
pub fn new_key() -> String {
    let mut bytes = [0u8; 16];
    let random = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !random {
        // Very old browsers: still unique enough for one respondent's device.
        let now = js_sys::Date::now() as u64;
        let noise = (js_sys::Math::random() * 1e15) as u64;
        bytes[..8].copy_from_slice(&now.to_le_bytes());
        bytes[8..].copy_from_slice(&noise.to_le_bytes());
    }
    hex(&bytes)
}

/// Lower-case hex digits of `bytes`.
fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    bytes
        .iter()
        .flat_map(|b| [DIGITS[usize::from(b >> 4)], DIGITS[usize::from(b & 15)]])
        .map(char::from)
        .collect()
}
