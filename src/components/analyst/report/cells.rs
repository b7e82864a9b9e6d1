//! The report's numbers: single statistics with their JSON paths, headlines and tables.

use super::*;

/// One statistic: `data-stat` points at the number in the report JSON (`….value`).
pub(super) fn num(path: String, s: Stat) -> AnyView {
    let i18n = use_i18n();
    match s.value() {
        Some(x) => view! {
            <span class="num" data-stat=format!("{path}.value") data-value=x.to_string()>
                {move || format::decimal(i18n.lang(), x, 2)}
            </span>
        }
        .into_any(),
        None => view! { <span class="num undefined">{i18n.text(|t| t.analyst.undefined)}</span> }
            .into_any(),
    }
}

pub(super) fn count(path: String, n: u64) -> AnyView {
    let i18n = use_i18n();
    view! {
        <span class="num" data-stat=path data-value=n.to_string()>{move || format::count(i18n.lang(), n)}</span>
    }
    .into_any()
}

/// "mean (low – high)".
pub(super) fn mean_ci(path: &str, m: &MeanCi) -> impl IntoView {
    view! {
        {num(format!("{path}.mean"), m.mean)}
        <span class="ci">" (" {num(format!("{path}.ci_low"), m.ci_low)} " – " {num(format!("{path}.ci_high"), m.ci_high)} ")"</span>
    }
}

#[component]
pub(super) fn Headline(label: Signal<&'static str>, path: String, m: MeanCi) -> impl IntoView {
    view! {
        <dl class="headline">
            <div>
                <dt>{label}</dt>
                <dd class="big">{mean_ci(&path, &m)}</dd>
                <dd class="hint">"n = " {count(format!("{path}.n"), m.n)}</dd>
            </div>
        </dl>
    }
}

/// A table of means with intervals, one row per dimension.
#[component]
pub(super) fn MeanTable(
    caption: Signal<&'static str>,
    rows: Vec<(Signal<String>, String, MeanCi)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let body = rows
        .into_iter()
        .map(|(name, path, m)| {
            view! {
                <tr>
                    <th scope="row">{name}</th>
                    <td>{num(format!("{path}.mean"), m.mean)}</td>
                    <td>{num(format!("{path}.ci_low"), m.ci_low)} " – " {num(format!("{path}.ci_high"), m.ci_high)}</td>
                    <td>{count(format!("{path}.n"), m.n)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="data">
            <caption>{caption}</caption>
            <thead><tr>
                <th scope="col">{i18n.text(|t| t.analyst.dimension)}</th>
                <th scope="col">{i18n.text(|t| t.analyst.mean)}</th>
                <th scope="col">{i18n.text(|t| t.analyst.ci)}</th>
                <th scope="col">{i18n.text(|t| t.analyst.n)}</th>
            </tr></thead>
            <tbody>{body}</tbody>
        </table>
    }
}

/// Alpha with its interval per dimension, the item statistics under each, and a plain note where
/// alpha is low.
#[component]
pub(super) fn ReliabilityTable(
    caption: Signal<String>,
    rows: Vec<(Signal<String>, String, Reliability)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let notes: Vec<_> = rows
        .iter()
        .filter_map(|(name, _, r)| {
            let alpha = r.alpha.value()?;
            (alpha < LOW_ALPHA).then(|| {
                let name = *name;
                view! {
                    <li>{move || (i18n.t().analyst.low_alpha)(&name.get(), &format::decimal(i18n.lang(), alpha, 2))}</li>
                }
            })
        })
        .collect();
    let body = rows
        .into_iter()
        .map(|(name, path, r)| {
            let items = r
                .items
                .iter()
                .enumerate()
                .map(|(j, it)| {
                    let p = format!("{path}.items.{j}");
                    view! {
                        <tr class="item-row">
                            <th scope="row">{it.item.clone()}</th>
                            <td></td>
                            <td></td>
                            <td>{num(format!("{p}.corrected_item_total_r"), it.corrected_item_total_r)}</td>
                            <td>{num(format!("{p}.alpha_if_deleted"), it.alpha_if_deleted)}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <tbody>
                    <tr>
                        <th scope="row">{name}</th>
                        <td>{num(format!("{path}.alpha"), r.alpha)} " (" {num(format!("{path}.ci_low"), r.ci_low)} " – " {num(format!("{path}.ci_high"), r.ci_high)} ")"</td>
                        <td>{count(format!("{path}.n"), r.n)} " / " {r.k}</td>
                        <td></td>
                        <td></td>
                    </tr>
                    {items}
                </tbody>
            }
        })
        .collect_view();
    view! {
        <table class="data reliability">
            <caption>{caption}</caption>
            <thead><tr>
                <th scope="col">{i18n.text(|t| t.analyst.dimension)}</th>
                <th scope="col">{i18n.text(|t| t.analyst.alpha)} " (" {i18n.text(|t| t.analyst.ci)} ")"</th>
                <th scope="col">{i18n.text(|t| t.analyst.n)} " / " {i18n.text(|t| t.analyst.items_k)}</th>
                <th scope="col">{i18n.text(|t| t.analyst.item_total)}</th>
                <th scope="col">{i18n.text(|t| t.analyst.alpha_if_deleted)}</th>
            </tr></thead>
            {body}
        </table>
        {(!notes.is_empty()).then(|| view! { <ul class="notes">{notes}</ul> })}
    }
}
