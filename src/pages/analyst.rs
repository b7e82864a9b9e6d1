//! The analyst view: import survey answers (a file, or the server's export) and see the report.
//!
//! Parsing and scoring run in Wasm in a Web Worker (`crates/analyst-worker`), on packed rows; this
//! page only sends requests and shows the summaries and reports that come back, so it stays
//! responsive on a million rows. Cancelling terminates the worker and starts a fresh one. Works
//! without signing in for local files; loading from the server needs a staff session.

use std::sync::Arc;

use crate::components::analyst_report::ReportView;
use crate::download::download;
use crate::format;
use crate::i18n::use_i18n;
use crate::session::{use_session, SessionState};
use leptos::prelude::*;
use rapport_analyst::protocol::{ExportKind, Reply, Request};
use rapport_analyst::{AnalystReport, DatasetSummary, Filter, ImportFailure, LocatedError};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType};

/// The worker's entry, built next to the portal by `scripts/build.sh`.
const WORKER_URL: &str = "/workers/analyst/worker.js";
/// The server's paged export of stored answers.
const SERVER_EXPORT: &str = "/api/v1/staff/survey-responses";

/// Where the import stands.
#[derive(Clone, Debug, PartialEq)]
enum Phase {
    Idle,
    Importing {
        done: u64,
        total: Option<u64>,
        rows: u64,
    },
    Loaded(Arc<DatasetSummary>),
    Failed(Arc<ImportFailure>),
    Error(String),
    Cancelled,
}

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

#[component]
pub fn AnalystPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    Effect::new(move |_| crate::pages::set_title(i18n.t().analyst.title));
    let is_staff =
        Memo::new(move |_| matches!(session.0.get(), SessionState::SignedIn(ref p) if p.staff));

    let phase = RwSignal::new(Phase::Idle);
    let report = RwSignal::new(None::<Arc<AnalystReport>>);
    let instrument = RwSignal::new(String::from("servqual"));
    let skip = RwSignal::new(false);
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let segment = RwSignal::new(String::new());
    let version = RwSignal::new(String::new());
    // The newest report request; older answers that arrive late are dropped.
    let seq = StoredValue::new(0u64);
    let connection = StoredValue::new_local(None::<Connection>);
    // A request made before the worker said it is ready waits here.
    let pending = StoredValue::new_local(None::<(String, Option<web_sys::Blob>)>);
    let ready = StoredValue::new(false);

    let filter = move || Filter {
        from: Some(from.get_untracked()).filter(|s| !s.is_empty()),
        to: Some(to.get_untracked()).filter(|s| !s.is_empty()),
        segment: Some(segment.get_untracked()).filter(|s| !s.is_empty()),
        version: Some(version.get_untracked()).filter(|s| !s.is_empty()),
        ..Filter::default()
    };

    let on_reply = move |reply: Reply| match reply {
        Reply::Ready => {
            ready.set_value(true);
            if let Some((json, file)) = pending.try_update_value(Option::take).flatten() {
                connection.with_value(|c| {
                    if let Some(c) = c {
                        send(&c.worker, &json, file.as_ref());
                    }
                });
            }
        }
        Reply::Progress { done, total, rows } => {
            if matches!(phase.get_untracked(), Phase::Importing { .. }) {
                phase.set(Phase::Importing { done, total, rows });
            }
        }
        Reply::Loaded { summary } => {
            // The first report of a new import covers all rows: the filter shows that too.
            for filter in [from, to, segment, version] {
                filter.set(String::new());
            }
            phase.set(Phase::Loaded(Arc::new(*summary)));
        }
        Reply::Failed { failure } => phase.set(Phase::Failed(Arc::new(*failure))),
        Reply::Error { message } => phase.set(Phase::Error(message)),
        Reply::Report { seq: n, report: r } => {
            if n == seq.get_value() {
                report.set(Some(Arc::new(*r)));
            }
        }
        Reply::Export { what, text } => {
            let name = match what {
                ExportKind::Respondents => "scores-per-respondent.csv",
                ExportKind::Summary => "summary.csv",
            };
            download(name, "text/csv;charset=utf-8", &text);
        }
    };

    let start_worker = move || {
        ready.set_value(false);
        connection.set_value(None);
        match spawn(on_reply) {
            Ok(c) => connection.set_value(Some(c)),
            Err(message) => phase.set(Phase::Error(message)),
        }
    };
    start_worker();
    on_cleanup(move || connection.set_value(None));

    let post = move |request: Request, file: Option<web_sys::Blob>| {
        let Ok(json) = serde_json::to_string(&request) else {
            return;
        };
        if ready.get_value() {
            connection.with_value(|c| {
                if let Some(c) = c {
                    send(&c.worker, &json, file.as_ref());
                }
            });
        } else {
            pending.set_value(Some((json, file)));
        }
    };

    let import_file = move |file: web_sys::File| {
        let chosen = instrument.get_untracked();
        let format = format_of(&file.name(), &chosen);
        seq.set_value(0);
        report.set(None);
        phase.set(Phase::Importing {
            done: 0,
            total: Some(file.size() as u64),
            rows: 0,
        });
        post(
            Request::ImportFile {
                format: format.into(),
                instrument: Some(chosen).filter(|s| !s.is_empty()),
                skip_invalid: skip.get_untracked(),
            },
            Some(file.into()),
        );
    };
    let import_server = move |_| {
        let chosen = instrument.get_untracked();
        if chosen.is_empty() {
            return;
        }
        seq.set_value(0);
        report.set(None);
        phase.set(Phase::Importing {
            done: 0,
            total: None,
            rows: 0,
        });
        post(
            Request::ImportServer {
                url: SERVER_EXPORT.into(),
                instrument: chosen,
                skip_invalid: skip.get_untracked(),
            },
            None,
        );
    };
    let cancel = move |_| {
        start_worker();
        report.set(None);
        phase.set(Phase::Cancelled);
    };
    let refilter = move || {
        let n = seq.get_value() + 1;
        seq.set_value(n);
        post(
            Request::Report {
                filter: filter(),
                seq: n,
            },
            None,
        );
    };
    let export = move |what: ExportKind| {
        post(
            Request::Export {
                what,
                filter: filter(),
            },
            None,
        )
    };

    let on_file = move |ev: web_sys::Event| {
        let input: Option<web_sys::HtmlInputElement> = ev.target().and_then(|t| t.dyn_into().ok());
        if let Some(input) = input {
            if let Some(file) = input.files().and_then(|f| f.get(0)) {
                import_file(file);
            }
            // The same file may be chosen again after a fix.
            input.set_value("");
        }
    };
    let dragging = RwSignal::new(false);
    let on_drop = move |ev: web_sys::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        if let Some(file) = ev
            .data_transfer()
            .and_then(|d| d.files())
            .and_then(|f| f.get(0))
        {
            import_file(file);
        }
    };

    let importing = move || matches!(phase.get(), Phase::Importing { .. });
    let summary = move || match phase.get() {
        Phase::Loaded(s) => Some(s),
        _ => None,
    };

    view! {
        <h1>{i18n.text(|t| t.analyst.title)}</h1>
        <p class="lead">{i18n.text(|t| t.analyst.intro)}</p>
        <section class="card analyst-source" aria-labelledby="analyst-source-heading">
            <h2 id="analyst-source-heading">{i18n.text(|t| t.analyst.source)}</h2>
            <div class="field">
                <label for="analyst-instrument">{i18n.text(|t| t.analyst.instrument)}</label>
                <select
                    id="analyst-instrument"
                    prop:value=move || instrument.get()
                    on:change:target=move |ev| instrument.set(ev.target().value())
                    disabled=importing
                >
                    {rapport_core::builtin::BUILTIN_NAMES
                        .iter()
                        .map(|id| {
                            let title = instrument_title(id);
                            view! {
                                <option value=*id>{move || title(i18n.lang().tag(), i18n.t().firm_name)}</option>
                            }
                        })
                        .collect_view()}
                    <option value="">{i18n.text(|t| t.analyst.from_file)}</option>
                </select>
            </div>
            <div class="field checkbox">
                <input
                    type="checkbox"
                    id="analyst-skip"
                    aria-describedby="analyst-skip-hint"
                    prop:checked=move || skip.get()
                    on:change:target=move |ev| skip.set(ev.target().checked())
                    disabled=importing
                />
                <label for="analyst-skip">{i18n.text(|t| t.analyst.skip_invalid)}</label>
                <p id="analyst-skip-hint" class="hint">{i18n.text(|t| t.analyst.skip_hint)}</p>
            </div>
            <div
                class="drop-zone"
                class:dragging=move || dragging.get()
                data-testid="drop-zone"
                on:dragover=move |ev: web_sys::DragEvent| {
                    ev.prevent_default();
                    dragging.set(true);
                }
                on:dragleave=move |_| dragging.set(false)
                on:drop=on_drop
            >
                <label for="analyst-file">{i18n.text(|t| t.analyst.file)}</label>
                <input
                    type="file"
                    id="analyst-file"
                    accept=".csv,.jsonl,.ndjson,.json,.txt,text/csv"
                    on:change=on_file
                    disabled=importing
                />
                <span class="hint">{i18n.text(|t| t.analyst.drop)}</span>
            </div>
            <Show
                when=move || is_staff.get()
                fallback=move || view! { <p class="hint">{i18n.text(|t| t.analyst.load_server_needs)}</p> }
            >
                <button
                    type="button"
                    on:click=import_server
                    disabled=move || importing() || instrument.get().is_empty()
                >
                    {i18n.text(|t| t.analyst.load_server)}
                </button>
            </Show>
        </section>

        <div aria-live="polite" class="analyst-status">
            {move || match phase.get() {
                Phase::Importing { done, total, rows } => {
                    let lang = i18n.lang();
                    view! {
                        <div class="card import-progress">
                            <p>{i18n.text(|t| t.analyst.importing)} " " {format::count(lang, rows)}</p>
                            {match total {
                                Some(total) => view! {
                                    <progress
                                        data-testid="import-progress"
                                        aria-label=i18n.text(|t| t.analyst.progress)
                                        max=total.max(1).to_string()
                                        value=done.to_string()
                                    ></progress>
                                }.into_any(),
                                None => view! {
                                    <progress
                                        data-testid="import-progress"
                                        aria-label=i18n.text(|t| t.analyst.progress)
                                    ></progress>
                                }.into_any(),
                            }}
                            <button type="button" on:click=cancel>{i18n.text(|t| t.analyst.cancel)}</button>
                        </div>
                    }.into_any()
                }
                Phase::Cancelled => view! { <p class="card">{i18n.text(|t| t.analyst.cancelled)}</p> }.into_any(),
                Phase::Error(message) => view! {
                    <div class="card error" role="alert">
                        <h2>{i18n.text(|t| t.analyst.worker_failed)}</h2>
                        <p>{message}</p>
                    </div>
                }.into_any(),
                Phase::Failed(failure) => view! {
                    <Problems errors=failure.errors.clone() total=failure.total stopped=true />
                }.into_any(),
                Phase::Loaded(summary) => view! { <Loaded summary /> }.into_any(),
                Phase::Idle => ().into_any(),
            }}
        </div>

        {move || summary().map(|summary| {
            let segments = summary.segments.clone();
            let versions = summary.versions.clone();
            view! {
                <section class="card analyst-filters" aria-labelledby="analyst-filters-heading">
                    <h2 id="analyst-filters-heading">{i18n.text(|t| t.analyst.filters)}</h2>
                    <div class="filter-row">
                        <DayInput
                            id="filter-from"
                            label=i18n.text(|t| t.analyst.date_from)
                            value=from
                            range=(summary.first_day.clone(), summary.last_day.clone())
                            on_change=Callback::new(move |()| refilter())
                        />
                        <DayInput
                            id="filter-to"
                            label=i18n.text(|t| t.analyst.date_to)
                            value=to
                            range=(summary.first_day.clone(), summary.last_day.clone())
                            on_change=Callback::new(move |()| refilter())
                        />
                        <div class="field">
                            <label for="filter-segment">{i18n.text(|t| t.analyst.segment)}</label>
                            <select
                                id="filter-segment"
                                prop:value=move || segment.get()
                                on:change:target=move |ev| {
                                    segment.set(ev.target().value());
                                    refilter();
                                }
                            >
                                <option value="">{i18n.text(|t| t.analyst.all_segments)}</option>
                                {segments
                                    .into_iter()
                                    .map(|s| view! { <option value=s.clone()>{s.clone()}</option> })
                                    .collect_view()}
                            </select>
                        </div>
                        <Show when={
                            let n = versions.len();
                            move || n > 1
                        }>
                            <div class="field">
                                <label for="filter-version">{i18n.text(|t| t.analyst.version)}</label>
                                <select
                                    id="filter-version"
                                    prop:value=move || version.get()
                                    on:change:target=move |ev| {
                                        version.set(ev.target().value());
                                        refilter();
                                    }
                                >
                                    {versions
                                        .iter()
                                        .map(|v| {
                                            let label = format!("{} ({})", v.version, v.n);
                                            view! { <option value=v.version.clone()>{label}</option> }
                                        })
                                        .collect_view()}
                                </select>
                            </div>
                        </Show>
                    </div>
                    <div class="actions">
                        <button type="button" on:click=move |_| export(ExportKind::Respondents)>
                            {i18n.text(|t| t.analyst.export_respondents)}
                        </button>
                        <button type="button" on:click=move |_| export(ExportKind::Summary)>
                            {i18n.text(|t| t.analyst.export_summary)}
                        </button>
                    </div>
                </section>
            }
        })}

        // Read the language here so that the report (charts included) is redrawn in it.
        {move || {
            let _ = i18n.lang();
            report.get().map(|report| view! { <ReportView report /> })
        }}
    }
}

/// A date bound of the filter, limited to the days the data covers.
#[component]
fn DayInput(
    id: &'static str,
    label: Signal<&'static str>,
    value: RwSignal<String>,
    range: (Option<String>, Option<String>),
    on_change: Callback<()>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input
                type="date"
                id=id
                prop:value=move || value.get()
                min=range.0
                max=range.1
                on:change:target=move |ev| {
                    value.set(ev.target().value());
                    on_change.run(());
                }
            />
        </div>
    }
}

/// What was read, and the located problems of skipped lines.
#[component]
fn Loaded(summary: Arc<DatasetSummary>) -> impl IntoView {
    let i18n = use_i18n();
    let text = {
        let s = summary.clone();
        move || {
            let lang = i18n.lang();
            (i18n.t().analyst.summary)(
                &format::count(lang, s.rows_read),
                &format::count(lang, s.valid),
                &format::count(lang, s.skipped),
            )
        }
    };
    let problems = (summary.errors_total > 0).then(|| {
        view! { <Problems errors=summary.errors.clone() total=summary.errors_total stopped=false /> }
    });
    view! {
        <p class="card import-summary" data-testid="import-summary">{text}</p>
        {problems}
    }
}

/// Located problems, each with its line (and column): the same messages as the CLI's.
#[component]
fn Problems(errors: Vec<LocatedError>, total: u64, stopped: bool) -> impl IntoView {
    let i18n = use_i18n();
    let shown = errors.len() as u64;
    let more = total.saturating_sub(shown);
    view! {
        <section
            class="card problems"
            data-testid="import-errors"
            role=stopped.then_some("alert")
            aria-labelledby="analyst-problems-heading"
        >
            <h2 id="analyst-problems-heading">{i18n.text(|t| t.analyst.errors_heading)}</h2>
            {stopped.then(|| view! { <p>{i18n.text(|t| t.analyst.stopped)}</p> })}
            <ul>
                {errors.into_iter().map(|e| view! { <li>{e.message}</li> }).collect_view()}
            </ul>
            {(more > 0).then(|| view! {
                <p>{move || (i18n.t().analyst.more_errors)(&format::count(i18n.lang(), more))}</p>
            })}
        </section>
    }
}

/// The file's format: the extension decides; otherwise CSV when an instrument is chosen.
fn format_of(name: &str, instrument: &str) -> &'static str {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".csv") {
        "csv"
    } else if lower.ends_with(".jsonl")
        || lower.ends_with(".ndjson")
        || lower.ends_with(".json")
        || instrument.is_empty()
    {
        "jsonl"
    } else {
        "csv"
    }
}

/// A built-in instrument's title in a language (its id when unknown).
fn instrument_title(
    id: &'static str,
) -> impl Fn(&str, &str) -> String + Send + Sync + Clone + 'static {
    let titles = rapport_core::builtin_def(id).map(|d| d.title);
    move |lang: &str, firm: &str| {
        titles
            .as_ref()
            .and_then(|t| t.get(lang).or_else(|| t.get("en")))
            // Titles name the firm as `{firm}`, filled in as the survey kit does.
            .map(|t| format!("{} ({id})", t.replace("{firm}", firm)))
            .unwrap_or_else(|| id.to_owned())
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

fn send(worker: &Worker, json: &str, file: Option<&web_sys::Blob>) {
    let message = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&message, &"json".into(), &JsValue::from_str(json));
    if let Some(file) = file {
        let _ = js_sys::Reflect::set(&message, &"file".into(), file);
    }
    let _ = worker.post_message(&message);
}

#[cfg(test)]
mod tests {
    use super::format_of;

    #[test]
    fn the_extension_decides_the_format() {
        assert_eq!(format_of("answers.CSV", ""), "csv");
        assert_eq!(format_of("a.ndjson", "servqual"), "jsonl");
        assert_eq!(format_of("export.txt", "servqual"), "csv");
        assert_eq!(format_of("export", ""), "jsonl");
    }
}
