//! The analyst view's Web Worker.
//!
//! The page posts `{ json, file? }` messages (a [`Request`] as JSON, plus the `File` to import); the
//! worker answers with [`Reply`] values as JSON strings. Parsing, validation and scoring all run here,
//! in Wasm on the worker's thread, over the packed rows of one [`Dataset`]; the page only receives
//! summaries and reports, never a row. Cancelling is terminating the worker, so the import loop may
//! block: files are read synchronously in chunks (`FileReaderSync`).

use std::cell::RefCell;

use rapport_analyst::protocol::{ExportKind, Reply, Request};
use rapport_analyst::{
    summary_csv, Dataset, Filter, Format, ImportFailure, ImportOptions, Importer,
};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

/// Bytes read from the file per step: large enough that per-chunk overhead vanishes, small enough
/// that progress moves often on a 100 MB file.
const CHUNK: f64 = 16.0 * 1024.0 * 1024.0;
/// Located messages kept for the page (all are counted).
const MAX_MESSAGES: usize = 200;

thread_local! {
    static DATASET: RefCell<Option<Dataset>> = const { RefCell::new(None) };
}

fn scope() -> Option<DedicatedWorkerGlobalScope> {
    js_sys::global().dyn_into().ok()
}

fn post(reply: &Reply) {
    if let (Some(scope), Ok(text)) = (scope(), serde_json::to_string(reply)) {
        let _ = scope.post_message(&JsValue::from_str(&text));
    }
}

fn error(message: impl Into<String>) {
    post(&Reply::Error {
        message: message.into(),
    });
}

#[wasm_bindgen(start)]
pub fn start() {
    let Some(scope) = scope() else {
        return;
    };
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|event: MessageEvent| {
        let data = event.data();
        let json = js_sys::Reflect::get(&data, &JsValue::from_str("json"))
            .ok()
            .and_then(|v| v.as_string());
        let file = js_sys::Reflect::get(&data, &JsValue::from_str("file"))
            .ok()
            .and_then(|v| v.dyn_into::<web_sys::Blob>().ok());
        let request = json.as_deref().map(serde_json::from_str::<Request>);
        match request {
            Some(Ok(request)) => handle(request, file),
            Some(Err(e)) => error(format!("unreadable request: {e}")),
            None => error("unreadable request"),
        }
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The worker lives as long as the page keeps it; so does its one listener.
    on_message.forget();
    post(&Reply::Ready);
}

fn handle(request: Request, file: Option<web_sys::Blob>) {
    match request {
        Request::ImportFile {
            format,
            instrument,
            skip_invalid,
        } => {
            let Some(file) = file else {
                return error("no file given");
            };
            let format = match format.as_str() {
                "csv" => Some(Format::Csv),
                "jsonl" => Some(Format::Jsonl),
                name => Format::from_name(name),
            };
            let result = match format {
                Some(format) => import_file(&file, format, instrument.as_deref(), skip_invalid),
                None => Err(Failure::Other(format!("unknown format {format:?}"))),
            };
            finish_import(result);
        }
        Request::ImportServer {
            url,
            instrument,
            skip_invalid,
            source,
        } => wasm_bindgen_futures::spawn_local(async move {
            let result = import_server(&url, &instrument, source.as_deref(), skip_invalid).await;
            finish_import(result);
        }),
        Request::Report { filter, seq } => DATASET.with(|d| match &*d.borrow() {
            Some(dataset) => post(&Reply::Report {
                seq,
                report: Box::new(dataset.report(&filter)),
            }),
            None => error("nothing imported yet"),
        }),
        Request::Export { what, filter } => DATASET.with(|d| match &*d.borrow() {
            Some(dataset) => {
                let text = match what {
                    ExportKind::Respondents => dataset.respondents_csv(&filter),
                    ExportKind::Summary => summary_csv(&dataset.report(&filter)),
                };
                post(&Reply::Export { what, text });
            }
            None => error("nothing imported yet"),
        }),
    }
}

/// Either a dataset, the import's located problems, or a message about something else (I/O).
type ImportResult = Result<Dataset, Failure>;

enum Failure {
    Data(ImportFailure),
    Other(String),
}

impl From<ImportFailure> for Failure {
    fn from(f: ImportFailure) -> Self {
        Failure::Data(f)
    }
}

fn finish_import(result: ImportResult) {
    match result {
        Ok(dataset) => {
            post(&Reply::Loaded {
                summary: Box::new(dataset.summary()),
            });
            // The first report goes out at once with the default filter, so the page shows
            // numbers without another round trip.
            post(&Reply::Report {
                seq: 0,
                report: Box::new(dataset.report(&Filter::default())),
            });
            DATASET.with(|d| *d.borrow_mut() = Some(dataset));
        }
        Err(Failure::Data(failure)) => post(&Reply::Failed {
            failure: Box::new(failure),
        }),
        Err(Failure::Other(message)) => error(message),
    }
}

fn importer(
    format: Format,
    instrument: Option<&str>,
    skip_invalid: bool,
) -> Result<Importer, ImportFailure> {
    let known = rapport_core::builtin::BUILTIN_NAMES
        .iter()
        .filter_map(|name| rapport_core::builtin(name))
        .collect();
    Importer::new(
        known,
        instrument.filter(|s| !s.is_empty()),
        ImportOptions {
            format,
            skip_invalid,
            max_messages: MAX_MESSAGES,
        },
    )
}

fn import_file(
    file: &web_sys::Blob,
    format: Format,
    instrument: Option<&str>,
    skip_invalid: bool,
) -> ImportResult {
    // A dataset from an earlier import is dropped first: two 1M-row datasets need not coexist.
    DATASET.with(|d| d.borrow_mut().take());
    let mut importer = importer(format, instrument, skip_invalid)?;
    let reader = web_sys::FileReaderSync::new()
        .map_err(|_| Failure::Other("this browser cannot read files in a worker".into()))?;
    let size = file.size();
    let mut offset = 0.0;
    while offset < size {
        let end = (offset + CHUNK).min(size);
        let part = file
            .slice_with_f64_and_f64(offset, end)
            .map_err(|_| Failure::Other("cannot read the file".into()))?;
        let buffer = reader
            .read_as_array_buffer(&part)
            .map_err(|_| Failure::Other("cannot read the file".into()))?;
        importer.feed(&js_sys::Uint8Array::new(&buffer).to_vec())?;
        offset = end;
        post(&Reply::Progress {
            done: end as u64,
            total: Some(size as u64),
            rows: importer.rows_read(),
        });
    }
    Ok(importer.finish()?)
}

/// Reads every page of the server's NDJSON export (`Rapport-Next` names the next page), with the
/// staff member's session cookie.
async fn import_server(
    url: &str,
    instrument: &str,
    source: Option<&str>,
    skip_invalid: bool,
) -> ImportResult {
    DATASET.with(|d| d.borrow_mut().take());
    let mut importer = importer(Format::Jsonl, None, skip_invalid)?;
    let scope = scope().ok_or_else(|| Failure::Other("not in a worker".into()))?;
    let mut after: Option<String> = None;
    let mut received = 0u64;
    loop {
        let mut page = format!("{url}?instrument={}&limit=5000", encode(instrument));
        if let Some(source) = source {
            page.push_str(&format!("&source={}", encode(source)));
        }
        if let Some(after) = &after {
            page.push_str(&format!("&after={}", encode(after)));
        }
        let init = web_sys::RequestInit::new();
        init.set_credentials(web_sys::RequestCredentials::SameOrigin);
        let response: web_sys::Response =
            JsFuture::from(scope.fetch_with_str_and_init(&page, &init))
                .await
                .map_err(|_| Failure::Other("the server cannot be reached".into()))?
                .dyn_into()
                .map_err(|_| Failure::Other("the server cannot be reached".into()))?;
        match response.status() {
            200 => {}
            401 => return Err(Failure::Other("signed out: sign in again".into())),
            403 => return Err(Failure::Other("only staff can load answers".into())),
            status => return Err(Failure::Other(format!("the server answered {status}"))),
        }
        let next = response.headers().get("Rapport-Next").ok().flatten();
        let buffer = JsFuture::from(
            response
                .array_buffer()
                .map_err(|_| Failure::Other("unreadable reply".into()))?,
        )
        .await
        .map_err(|_| Failure::Other("the connection broke off".into()))?;
        let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
        received += bytes.len() as u64;
        importer.feed(&bytes)?;
        post(&Reply::Progress {
            done: received,
            total: None,
            rows: importer.rows_read(),
        });
        match next {
            Some(n) if Some(&n) != after.as_ref() => after = Some(n),
            _ => break,
        }
    }
    Ok(importer.finish()?)
}

fn encode(s: &str) -> String {
    js_sys::encode_uri_component(s).into()
}
