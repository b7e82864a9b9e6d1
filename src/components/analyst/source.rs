//! Where the answers come from: a file (chosen or dropped) or, for staff, the server's export, which
//! can be limited to the answers given in one way (the `source` of each stored answer).

use crate::i18n::use_i18n;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The sources a stored answer can have, as the server's export filters them.
pub const ANSWER_SOURCES: [&str; 3] = ["widget", "customer", "invitation"];

/// The import's settings, as the form holds them.
#[derive(Clone, Copy)]
pub struct SourceFields {
    /// A built-in instrument's id; empty when the file says which.
    pub instrument: RwSignal<String>,
    pub skip_invalid: RwSignal<bool>,
    /// One of [`ANSWER_SOURCES`]; empty for all answers.
    pub answer_source: RwSignal<String>,
}

impl SourceFields {
    pub fn new() -> Self {
        SourceFields {
            instrument: RwSignal::new(String::from("servqual")),
            skip_invalid: RwSignal::new(false),
            answer_source: RwSignal::new(String::new()),
        }
    }
}

impl Default for SourceFields {
    fn default() -> Self {
        Self::new()
    }
}

#[component]
pub fn ImportSource(
    fields: SourceFields,
    #[prop(into)] importing: Signal<bool>,
    #[prop(into)] is_staff: Signal<bool>,
    #[prop(into)] on_file: Callback<web_sys::File>,
    #[prop(into)] on_server: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let SourceFields {
        instrument,
        skip_invalid,
        answer_source,
    } = fields;
    let chosen = move |ev: web_sys::Event| {
        let input: Option<web_sys::HtmlInputElement> = ev.target().and_then(|t| t.dyn_into().ok());
        if let Some(input) = input {
            if let Some(file) = input.files().and_then(|f| f.get(0)) {
                on_file.run(file);
            }
            // The same file may be chosen again after a fix.
            input.set_value("");
        }
    };
    let dragging = RwSignal::new(false);
    let dropped = move |ev: web_sys::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        if let Some(file) = ev
            .data_transfer()
            .and_then(|d| d.files())
            .and_then(|f| f.get(0))
        {
            on_file.run(file);
        }
    };
    let instruments = rapport_core::builtin::BUILTIN_NAMES
        .iter()
        .map(|id| {
            let title = instrument_title(id);
            view! { <option value=*id>{move || title(i18n.lang().tag(), i18n.t().firm_name)}</option> }
        })
        .collect_view();
    view! {
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
                    {instruments}
                    <option value="">{i18n.text(|t| t.analyst.from_file)}</option>
                </select>
            </div>
            <div class="field checkbox">
                <input
                    type="checkbox"
                    id="analyst-skip"
                    aria-describedby="analyst-skip-hint"
                    prop:checked=move || skip_invalid.get()
                    on:change:target=move |ev| skip_invalid.set(ev.target().checked())
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
                on:drop=dropped
            >
                <label for="analyst-file">{i18n.text(|t| t.analyst.file)}</label>
                <input
                    type="file"
                    id="analyst-file"
                    accept=".csv,.jsonl,.ndjson,.json,.txt,text/csv"
                    on:change=chosen
                    disabled=importing
                />
                <span class="hint">{i18n.text(|t| t.analyst.drop)}</span>
            </div>
            <Show
                when=move || is_staff.get()
                fallback=move || view! { <p class="hint">{i18n.text(|t| t.analyst.load_server_needs)}</p> }
            >
                <div class="field">
                    <label for="analyst-answer-source">{i18n.text(|t| t.analyst.answer_source)}</label>
                    <select
                        id="analyst-answer-source"
                        prop:value=move || answer_source.get()
                        on:change:target=move |ev| answer_source.set(ev.target().value())
                        disabled=importing
                    >
                        <option value="">{i18n.text(|t| t.analyst.all_sources)}</option>
                        {ANSWER_SOURCES
                            .into_iter()
                            .map(|s| view! { <option value=s>{move || (i18n.t().analyst.source_name)(s)}</option> })
                            .collect_view()}
                    </select>
                </div>
                <button
                    type="button"
                    on:click=move |_| on_server.run(())
                    disabled=move || importing.get() || instrument.get().is_empty()
                >
                    {i18n.text(|t| t.analyst.load_server)}
                </button>
            </Show>
        </section>
    }
}

/// The file's format: the extension decides; otherwise CSV when an instrument is chosen.
pub fn format_of(name: &str, instrument: &str) -> &'static str {
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
