//! "Your sessions": every browser where the customer is signed in, with "sign out everywhere else".

use crate::api;
use crate::components::error_panel::{clear_on_reauth, message, save_failure};
use crate::components::loaded::Loaded;
use crate::components::save::Save;
use crate::format::use_formats;
use crate::i18n::use_i18n;
use leptos::prelude::*;
use rapport_api::{SessionList, SessionSummary};

#[component]
pub fn SessionsPanel() -> impl IntoView {
    let i18n = use_i18n();
    let client = api::client();
    let data = LocalResource::new(move || {
        let client = client.clone();
        async move { client.sessions().await }
    });
    // Outside the table: the list is fetched again after a change, and the outcome must outlive that.
    let ended = RwSignal::new(None::<u64>);
    let render = move |list: SessionList| {
        view! { <SessionTable list ended on_change=move |_| data.refetch() /> }
    };
    view! {
        <section class="card" aria-labelledby="sessions-title" data-testid="sessions">
            <h2 id="sessions-title">{i18n.text(|t| t.account.sessions_title)}</h2>
            <Loaded data render />
            <div role="status" class="notice-area">
                {move || ended.get().map(|n| view! { <p class="notice">{(i18n.t().account.signed_out_others)(n)}</p> })}
            </div>
        </section>
    }
}

#[component]
fn SessionTable(
    list: SessionList,
    ended: RwSignal<Option<u64>>,
    #[prop(into)] on_change: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let client = api::client();
    let minutes = list.idle_timeout_minutes;
    let others = list.sessions.iter().filter(|s| !s.current).count();
    let end_others = Save::new();
    clear_on_reauth(end_others.value());
    let pending = end_others.pending();
    let failure = move || save_failure(end_others.value().read().as_ref(), pending.get());
    let sign_out_others = move |_| {
        let client = client.clone();
        end_others.run(async move {
            let done = client.sign_out_others().await?;
            ended.set(Some(done.ended));
            on_change.run(());
            Ok(())
        });
    };
    let rows = list
        .sessions
        .into_iter()
        .map(|s| view! { <SessionRow session=s /> })
        .collect_view();
    view! {
        <p>{move || (i18n.t().account.sessions_intro)(minutes)}</p>
        <table class="sessions">
            <thead>
                <tr>
                    <th scope="col">{i18n.text(|t| t.account.device)}</th>
                    <th scope="col">{i18n.text(|t| t.account.signed_in_at)}</th>
                    <th scope="col">{i18n.text(|t| t.account.last_used)}</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
        <div role="alert" class="form-problem">{move || failure().map(|e| message(i18n.t(), &e))}</div>
        {if others == 0 {
            view! { <p class="muted">{i18n.text(|t| t.account.no_other_sessions)}</p> }.into_any()
        } else {
            view! {
                <button type="button" on:click=sign_out_others aria-disabled=move || pending.get().then_some("true")>
                    {i18n.text(|t| t.account.sign_out_others)}
                </button>
            }
            .into_any()
        }}
    }
}

#[component]
fn SessionRow(session: SessionSummary) -> impl IntoView {
    let i18n = use_i18n();
    let SessionSummary {
        current,
        browser,
        os,
        created_at,
        last_used_at,
        ..
    } = session;
    let device = move || {
        let t = &i18n.t().account;
        match (browser.as_deref(), os.as_deref()) {
            (Some(b), Some(o)) => (t.device_on)(b, o),
            (Some(one), None) | (None, Some(one)) => one.to_owned(),
            (None, None) => t.unknown_device.to_owned(),
        }
    };
    let fmt = use_formats();
    let when = move |at: &str| fmt.date_time(at);
    let (created, used) = (created_at.clone(), last_used_at.clone());
    view! {
        <tr data-current=current.then_some("true")>
            <td>
                {device}
                {current.then(|| view! { " " <strong>"(" {i18n.text(|t| t.account.this_device)} ")"</strong> })}
            </td>
            <td><time datetime=created_at>{move || when(&created)}</time></td>
            <td><time datetime=last_used_at>{move || when(&used)}</time></td>
        </tr>
    }
}
