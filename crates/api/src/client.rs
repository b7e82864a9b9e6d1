//! Browser transport: `fetch` with a time limit, the session cookie, and classified errors.
//!
//! With the reference server the client never sees a token: the session is an HttpOnly cookie that the
//! browser attaches on its own. A configured backend may instead hand out a bearer token; the client then
//! keeps it in memory only (never in web storage), so a reload or a closed tab forgets it.

use crate::error::{ApiError, MAX_BODY_BYTES};
use gloo_net::http::{Method, RequestBuilder};
use serde::{de::DeserializeOwned, Serialize};
use std::sync::{Arc, Mutex};
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use web_sys::{AbortController, RequestCredentials};

/// Default time limit for one call. Long enough for a slow mobile link, short enough that a hung server
/// turns into a retryable message instead of an endless spinner.
pub const DEFAULT_TIMEOUT_MS: i32 = 15_000;

/// A REST client bound to one backend base URL (empty string = same origin).
#[derive(Clone, Debug)]
pub struct Client {
    base: String,
    timeout_ms: i32,
    credentials: RequestCredentials,
    headers: Vec<(String, String)>,
    /// The bearer token, shared by every clone of this client; in memory only.
    token: Arc<Mutex<Option<String>>>,
}

impl PartialEq for Client {
    fn eq(&self, other: &Self) -> bool {
        self.base == other.base
            && self.timeout_ms == other.timeout_ms
            && self.credentials == other.credentials
            && self.headers == other.headers
            && Arc::ptr_eq(&self.token, &other.token)
    }
}

impl Eq for Client {}

impl Default for Client {
    fn default() -> Self {
        Self::new("")
    }
}

impl Client {
    pub fn new(base: impl Into<String>) -> Self {
        Self {
            base: base.into().trim_end_matches('/').to_owned(),
            timeout_ms: DEFAULT_TIMEOUT_MS,
            credentials: RequestCredentials::SameOrigin,
            headers: Vec::new(),
            token: Arc::default(),
        }
    }

    /// A client for a configured backend: `cookies` sends the browser's cookies to it even on another
    /// origin (the cookie auth mode); `headers` go with every call.
    pub fn configured(
        base: impl Into<String>,
        cookies: bool,
        headers: Vec<(String, String)>,
    ) -> Self {
        let mut client = Self::new(base);
        if cookies {
            client.credentials = RequestCredentials::Include;
        }
        client.headers = headers;
        client
    }

    /// Sets or forgets the bearer token sent as `Authorization` (shared by all clones).
    pub fn set_token(&self, token: Option<String>) {
        if let Ok(mut slot) = self.token.lock() {
            *slot = token;
        }
    }

    /// Whether a bearer token is held.
    pub fn has_token(&self) -> bool {
        self.token.lock().is_ok_and(|slot| slot.is_some())
    }

    pub fn with_timeout_ms(mut self, timeout_ms: i32) -> Self {
        self.timeout_ms = timeout_ms;
        self
    }

    /// `GET path` and decode the JSON answer.
    pub async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, ApiError> {
        let answer = self.send(Method::GET, path, None, None).await?;
        ApiError::decode(&answer.body)
    }

    /// `GET path`, the answer read by the browser's JSON parser ([`crate::browser`]): for the calls
    /// the portal makes before any page's code is there, without serde_json.
    pub async fn get_js(&self, path: &str) -> Result<JsValue, ApiError> {
        let answer = self.send(Method::GET, path, None, None).await?;
        parse_js(&answer.body)
    }

    /// `POST path` with a JSON body already written (see [`crate::browser::object_text`]), the answer
    /// read by the browser's JSON parser.
    pub async fn post_js(&self, path: &str, json: String) -> Result<JsValue, ApiError> {
        let answer = self.send(Method::POST, path, Some(json), None).await?;
        parse_js(&answer.body)
    }

    /// `GET path` and return the body as it arrived, after checking that it is well-formed JSON (for
    /// downloads that must be exactly what the server sent, without re-encoding).
    pub async fn get_json_text(&self, path: &str) -> Result<String, ApiError> {
        let answer = self.send(Method::GET, path, None, None).await?;
        ApiError::decode::<serde::de::IgnoredAny>(&answer.body)?;
        Ok(answer.body)
    }

    /// `GET path`, also returning the `ETag` to send back with [`Client::put_if_match`].
    pub async fn get_versioned<T: DeserializeOwned>(
        &self,
        path: &str,
    ) -> Result<(T, Option<String>), ApiError> {
        let answer = self.send(Method::GET, path, None, None).await?;
        Ok((ApiError::decode(&answer.body)?, answer.etag))
    }

    /// `GET path`: the body as it arrived and the `ETag`, for an answer that two readers decode
    /// differently (one with the browser's JSON parser, one typed).
    pub async fn get_text_versioned(
        &self,
        path: &str,
    ) -> Result<(String, Option<String>), ApiError> {
        let answer = self.send(Method::GET, path, None, None).await?;
        Ok((answer.body, answer.etag))
    }

    /// `PUT path` with `If-Match: etag`: a stale version is refused with [`ApiError::Conflict`] instead
    /// of silently overwriting someone else's change. Returns the stored value and its new `ETag`.
    pub async fn put_if_match<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
        etag: &str,
    ) -> Result<(T, Option<String>), ApiError> {
        let json = serde_json::to_string(body).map_err(|e| ApiError::Decode(e.to_string()))?;
        let answer = self
            .send(Method::PUT, path, Some(json), Some(("If-Match", etag)))
            .await?;
        Ok((ApiError::decode(&answer.body)?, answer.etag))
    }

    /// `POST path` with a JSON body and decode the JSON answer.
    pub async fn post<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T, ApiError> {
        self.post_json(path, body, None).await
    }

    /// [`Client::post`] with an `Idempotency-Key`: a retry with the same key after a lost answer gets
    /// the first result back instead of doing the work twice.
    pub async fn post_once<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
        key: &str,
    ) -> Result<T, ApiError> {
        self.post_json(path, body, Some(("Idempotency-Key", key)))
            .await
    }

    async fn post_json<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
        header: Option<(&str, &str)>,
    ) -> Result<T, ApiError> {
        let json = serde_json::to_string(body).map_err(|e| ApiError::Decode(e.to_string()))?;
        let answer = self.send(Method::POST, path, Some(json), header).await?;
        ApiError::decode(&answer.body)
    }

    /// `POST path` with a JSON body, ignoring whatever a success answer holds (a sign-in that only sets
    /// a cookie may answer with an empty body).
    pub async fn post_ignoring_answer<B: Serialize>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<(), ApiError> {
        let json = serde_json::to_string(body).map_err(|e| ApiError::Decode(e.to_string()))?;
        self.send(Method::POST, path, Some(json), None)
            .await
            .map(drop)
    }

    /// `POST path` without a body, for actions that answer 204 (dismiss, mark delivered).
    pub async fn post_action(&self, path: &str) -> Result<(), ApiError> {
        self.send(Method::POST, path, None, None).await.map(drop)
    }

    /// `DELETE path`, ignoring any body of a success answer.
    pub async fn delete(&self, path: &str) -> Result<(), ApiError> {
        self.send(Method::DELETE, path, None, None).await.map(drop)
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<String>,
        header: Option<(&str, &str)>,
    ) -> Result<Answer, ApiError> {
        let url = format!("{}{}", self.base, path);
        let controller = AbortController::new().map_err(|_| ApiError::Network)?;
        let timer = Timer::start(&controller, self.timeout_ms);

        let builder = RequestBuilder::new(&url)
            .method(method)
            .credentials(self.credentials)
            .header("Accept", "application/json")
            .abort_signal(Some(&controller.signal()));
        let builder = self
            .headers
            .iter()
            .fold(builder, |b, (name, value)| b.header(name, value));
        let token = self.token.lock().ok().and_then(|slot| slot.clone());
        let builder = match token {
            Some(token) => builder.header("Authorization", &format!("Bearer {token}")),
            None => builder,
        };
        let builder = match header {
            Some((name, value)) => builder.header(name, value),
            None => builder,
        };
        let request = match body {
            Some(json) => builder
                .header("Content-Type", "application/json")
                .body(json),
            None => builder.build(),
        }
        .map_err(|_| ApiError::Network)?;

        let response = match request.send().await {
            Ok(response) => response,
            Err(_) if timer.fired() => return Err(ApiError::Timeout),
            Err(_) => return Err(ApiError::Network),
        };
        let too_large = response
            .headers()
            .get("content-length")
            .and_then(|v| v.parse::<usize>().ok())
            .is_some_and(|len| len > MAX_BODY_BYTES);
        if too_large {
            return Err(ApiError::Decode("response too large".into()));
        }
        let status = response.status();
        let retry_after = response.headers().get("retry-after");
        let etag = response.headers().get("etag");
        let text = match response.text().await {
            Ok(text) => text,
            Err(_) if timer.fired() => return Err(ApiError::Timeout),
            Err(_) => return Err(ApiError::Network),
        };
        drop(timer);
        if (200..300).contains(&status) {
            Ok(Answer { body: text, etag })
        } else {
            // The error body read by the browser's parser, not serde_json (see `crate::browser`).
            Err(ApiError::from_status(
                status,
                crate::browser::error_detail(&text),
                retry_after.as_deref(),
            ))
        }
    }
}

/// A success body parsed by the browser, with [`ApiError::decode`]'s size limit.
pub fn parse_js(body: &str) -> Result<JsValue, ApiError> {
    if body.len() > MAX_BODY_BYTES {
        return Err(ApiError::Decode("response too large".into()));
    }
    crate::browser::parse(body).ok_or_else(|| ApiError::Decode("not JSON".into()))
}

/// A success answer: its body and, for versioned resources, its `ETag`.
struct Answer {
    body: String,
    etag: Option<String>,
}

/// Aborts the request when the time limit passes; clears itself when dropped.
struct Timer {
    handle: Option<i32>,
    fired: std::rc::Rc<std::cell::Cell<bool>>,
    _callback: Option<Closure<dyn FnMut()>>,
}

impl Timer {
    fn start(controller: &AbortController, timeout_ms: i32) -> Self {
        let fired = std::rc::Rc::new(std::cell::Cell::new(false));
        let Some(window) = web_sys::window() else {
            // In a worker there is no window timer; the request simply has no limit there.
            return Self {
                handle: None,
                fired,
                _callback: None,
            };
        };
        let controller = controller.clone();
        let flag = fired.clone();
        let callback = Closure::<dyn FnMut()>::new(move || {
            flag.set(true);
            controller.abort();
        });
        let handle = window
            .set_timeout_with_callback_and_timeout_and_arguments_0(
                callback.as_ref().unchecked_ref(),
                timeout_ms,
            )
            .ok();
        Self {
            handle,
            fired,
            _callback: Some(callback),
        }
    }

    fn fired(&self) -> bool {
        self.fired.get()
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        if let (Some(handle), Some(window)) = (self.handle, web_sys::window()) {
            window.clear_timeout_with_handle(handle);
        }
    }
}
