//! Which rows the report covers (dates, segment, instrument version) and the CSV exports of it.

use crate::i18n::use_i18n;
use leptos::prelude::*;
use rapport_analyst::protocol::ExportKind;
use rapport_analyst::{DatasetSummary, Filter};
use std::sync::Arc;

/// The filter's fields as the form holds them (empty = no bound).
#[derive(Clone, Copy)]
pub struct FilterFields {
    pub from: RwSignal<String>,
    pub to: RwSignal<String>,
    pub segment: RwSignal<String>,
    pub version: RwSignal<String>,
}

impl FilterFields {
    pub fn new() -> Self {
        FilterFields {
            from: RwSignal::new(String::new()),
            to: RwSignal::new(String::new()),
            segment: RwSignal::new(String::new()),
            version: RwSignal::new(String::new()),
        }
    }

    /// The filter the worker applies.
    pub fn filter(self) -> Filter {
        let given = |field: RwSignal<String>| Some(field.get_untracked()).filter(|s| !s.is_empty());
        Filter {
            from: given(self.from),
            to: given(self.to),
            segment: given(self.segment),
            version: given(self.version),
            ..Filter::default()
        }
    }

    /// Back to all rows (a new import's first report covers them all).
    pub fn clear(self) {
        for field in [self.from, self.to, self.segment, self.version] {
            field.set(String::new());
        }
    }
}

impl Default for FilterFields {
    fn default() -> Self {
        Self::new()
    }
}

#[component]
pub fn ReportFilters(
    summary: Arc<DatasetSummary>,
    fields: FilterFields,
    #[prop(into)] on_change: Callback<()>,
    #[prop(into)] on_export: Callback<ExportKind>,
) -> impl IntoView {
    let i18n = use_i18n();
    let range = (summary.first_day.clone(), summary.last_day.clone());
    let segments = summary
        .segments
        .iter()
        .map(|s| view! { <option value=s.clone()>{s.clone()}</option> })
        .collect_view();
    let several_versions = summary.versions.len() > 1;
    let versions: Vec<(String, String)> = summary
        .versions
        .iter()
        .map(|v| (v.version.clone(), format!("{} ({})", v.version, v.n)))
        .collect();
    let pick = move |field: RwSignal<String>| {
        move |ev: leptos::ev::Event| {
            field.set(event_target_value(&ev));
            on_change.run(());
        }
    };
    view! {
        <section class="card analyst-filters" aria-labelledby="analyst-filters-heading">
            <h2 id="analyst-filters-heading">{i18n.text(|t| t.analyst.filters)}</h2>
            <div class="filter-row">
                <DayInput id="filter-from" label=i18n.text(|t| t.analyst.date_from) value=fields.from range=range.clone() on_change />
                <DayInput id="filter-to" label=i18n.text(|t| t.analyst.date_to) value=fields.to range on_change />
                <div class="field">
                    <label for="filter-segment">{i18n.text(|t| t.analyst.segment)}</label>
                    <select id="filter-segment" prop:value=move || fields.segment.get() on:change=pick(fields.segment)>
                        <option value="">{i18n.text(|t| t.analyst.all_segments)}</option>
                        {segments}
                    </select>
                </div>
                <Show when=move || several_versions>
                    <div class="field">
                        <label for="filter-version">{i18n.text(|t| t.analyst.version)}</label>
                        <select id="filter-version" prop:value=move || fields.version.get() on:change=pick(fields.version)>
                            {versions
                                .iter()
                                .map(|(v, label)| view! { <option value=v.clone()>{label.clone()}</option> })
                                .collect_view()}
                        </select>
                    </div>
                </Show>
            </div>
            <div class="actions">
                <button type="button" on:click=move |_| on_export.run(ExportKind::Respondents)>
                    {i18n.text(|t| t.analyst.export_respondents)}
                </button>
                <button type="button" on:click=move |_| on_export.run(ExportKind::Summary)>
                    {i18n.text(|t| t.analyst.export_summary)}
                </button>
            </div>
        </section>
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
