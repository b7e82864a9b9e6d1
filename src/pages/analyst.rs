//! The analyst view: import survey answers (a file, or the server's export) and see the report.
//!
//! Parsing and scoring run in Wasm in a Web Worker (`crates/analyst-worker`), on packed rows; this
//! page only sends requests and shows the summaries and reports that come back, so it stays
//! responsive on a million rows. Cancelling terminates the worker and starts a fresh one. Works
//! without signing in for local files; loading from the server needs a staff session. The parts
//! live in `components/analyst/`.

use std::sync::Arc;

use crate::components::analyst::filters::{FilterFields, ReportFilters};
use crate::components::analyst::report::ReportView;
use crate::components::analyst::source::{format_of, ImportSource, SourceFields};
use crate::components::analyst::status::{ImportStatus, Phase};
use crate::components::analyst::worker::WorkerLink;
use crate::download::download;
use crate::i18n::use_i18n;
use crate::session::{use_session, SessionState};
use leptos::prelude::*;
use rapport_analyst::protocol::{ExportKind, Reply, Request};
use rapport_analyst::AnalystReport;

/// The server's paged export of stored answers.
const SERVER_EXPORT: &str = "/api/v1/staff/survey-responses";

#[component]
pub fn AnalystPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    Effect::new(move |_| crate::pages::set_title(i18n.t().analyst.title));
    let is_staff =
        Memo::new(move |_| matches!(session.0.get(), SessionState::SignedIn(ref p) if p.staff));

    let phase = RwSignal::new(Phase::Idle);
    let report = RwSignal::new(None::<Arc<AnalystReport>>);
    let source = SourceFields::new();
    let fields = FilterFields::new();
    // The newest report request; older answers that arrive late are dropped.
    let seq = StoredValue::new(0u64);
    let link = WorkerLink::new();

    let on_reply = move |reply: Reply| match reply {
        Reply::Ready => link.ready(),
        Reply::Progress { done, total, rows } => {
            if matches!(phase.get_untracked(), Phase::Importing { .. }) {
                phase.set(Phase::Importing { done, total, rows });
            }
        }
        Reply::Loaded { summary } => {
            // The first report of a new import covers all rows: the filter shows that too.
            fields.clear();
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
        if let Err(message) = link.start(on_reply) {
            phase.set(Phase::Error(message));
        }
    };
    start_worker();

    let begin = move |total: Option<u64>| {
        seq.set_value(0);
        report.set(None);
        phase.set(Phase::Importing {
            done: 0,
            total,
            rows: 0,
        });
    };
    let import_file = move |file: web_sys::File| {
        let chosen = source.instrument.get_untracked();
        let format = format_of(&file.name(), &chosen);
        begin(Some(file.size() as u64));
        let request = Request::ImportFile {
            format: format.into(),
            instrument: Some(chosen).filter(|s| !s.is_empty()),
            skip_invalid: source.skip_invalid.get_untracked(),
        };
        link.post(request, Some(file.into()));
    };
    let import_server = move |()| {
        let chosen = source.instrument.get_untracked();
        if chosen.is_empty() {
            return;
        }
        begin(None);
        let request = Request::ImportServer {
            url: SERVER_EXPORT.into(),
            instrument: chosen,
            skip_invalid: source.skip_invalid.get_untracked(),
            source: Some(source.answer_source.get_untracked()).filter(|s| !s.is_empty()),
        };
        link.post(request, None);
    };
    let cancel = move |()| {
        start_worker();
        report.set(None);
        phase.set(Phase::Cancelled);
    };
    let refilter = move |()| {
        let n = seq.get_value() + 1;
        seq.set_value(n);
        let filter = fields.filter();
        link.post(Request::Report { filter, seq: n }, None);
    };
    let export = move |what: ExportKind| {
        let filter = fields.filter();
        link.post(Request::Export { what, filter }, None);
    };

    let importing = Signal::derive(move || matches!(phase.get(), Phase::Importing { .. }));
    let summary = move || match phase.get() {
        Phase::Loaded(s) => Some(s),
        _ => None,
    };

    view! {
        <h1>{i18n.text(|t| t.analyst.title)}</h1>
        <p class="lead">{i18n.text(|t| t.analyst.intro)}</p>
        <ImportSource fields=source importing is_staff on_file=import_file on_server=import_server />
        <ImportStatus phase on_cancel=cancel />
        {move || summary().map(|summary| view! {
            <ReportFilters summary fields on_change=refilter on_export=export />
        })}
        // Read the language here so that the report (charts included) is redrawn in it.
        {move || {
            let _ = i18n.lang();
            report.get().map(|report| view! { <ReportView report /> })
        }}
    }
}
