//! Where the import stands: progress with a cancel button, the summary of what was read, and the
//! located problems of lines that were skipped or stopped the import.

use crate::format;
use crate::i18n::use_i18n;
use leptos::prelude::*;
use rapport_analyst::{DatasetSummary, ImportFailure, LocatedError};
use std::sync::Arc;

/// Where the import stands.
#[derive(Clone, Debug, PartialEq)]
pub enum Phase {
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

#[component]
pub fn ImportStatus(
    phase: RwSignal<Phase>,
    #[prop(into)] on_cancel: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    // The progress card is built once per import and only its figures follow the ticks: rebuilding it on
    // every tick replaced the Cancel button under the pointer (and under keyboard focus).
    let progress = Memo::new(move |_| match phase.get() {
        Phase::Importing { done, total, rows } => Some((done, total, rows)),
        _ => None,
    });
    let importing = Memo::new(move |_| progress.get().is_some());
    // Every other phase, deduplicated, so the ticks of an import do not rebuild it either.
    let settled = Memo::new(move |_| match phase.get() {
        Phase::Importing { .. } => Phase::Idle,
        other => other,
    });
    view! {
        <div aria-live="polite" class="analyst-status">
            <Show when=move || importing.get()>
                <Progress progress on_cancel />
            </Show>
            {move || match settled.get() {
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
                Phase::Loaded(summary) => view! { <Summary summary /> }.into_any(),
                Phase::Idle | Phase::Importing { .. } => ().into_any(),
            }}
        </div>
    }
}

/// The running import: rows read so far, a bar, and the Cancel button.
#[component]
fn Progress(
    progress: Memo<Option<(u64, Option<u64>, u64)>>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let rows = move || format::count(i18n.lang(), progress.get().map_or(0, |(_, _, rows)| rows));
    let total = move || progress.get().and_then(|(_, total, _)| total);
    view! {
        <div class="card import-progress">
            <p>{i18n.text(|t| t.analyst.importing)} " " {rows}</p>
            <progress
                data-testid="import-progress"
                aria-label=i18n.text(|t| t.analyst.progress)
                // Without a maximum the bar is indeterminate: the server's size is unknown.
                max=move || total().map(|t| t.max(1).to_string())
                value=move || {
                    let done = progress.get().map_or(0, |(done, _, _)| done);
                    total().map(|_| done.to_string())
                }
            ></progress>
            <button type="button" on:click=move |_| on_cancel.run(())>{i18n.text(|t| t.analyst.cancel)}</button>
        </div>
    }
}

/// What was read, and the located problems of skipped lines.
#[component]
fn Summary(summary: Arc<DatasetSummary>) -> impl IntoView {
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
