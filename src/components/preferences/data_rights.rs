//! Data rights: download everything, and ask for deletion.

use super::data_export::export_everything;
use crate::api;
use crate::components::error_panel::{clear_on_reauth, message, save_failure};
use crate::components::loaded::Loaded;
use crate::components::save::Save;
use crate::download::download;
use crate::format::use_formats;
use crate::i18n::use_i18n;
use leptos::prelude::*;
use rapport_api::DeletionRequest;

#[component]
pub fn DataRights() -> impl IntoView {
    let i18n = use_i18n();
    let fmt = use_formats();
    let client = api::client();
    let deletion = LocalResource::new({
        let client = client.clone();
        move || {
            let client = client.clone();
            async move { client.deletion_request().await }
        }
    });
    let export = Save::new();
    let delete = Save::new();
    clear_on_reauth(export.value());
    clear_on_reauth(delete.value());
    let exporting = export.pending();
    let failure = move || {
        save_failure(export.value().read().as_ref(), exporting.get())
            .or_else(|| save_failure(delete.value().read().as_ref(), delete.pending().get()))
    };
    let confirm = RwSignal::new(String::new());
    let request = {
        let client = client.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if confirm.get_untracked().trim() == "DELETE" {
                let client = client.clone();
                delete.run(async move {
                    client.request_deletion().await?;
                    deletion.refetch();
                    Ok(())
                });
            }
        }
    };
    let download_all = move |_| {
        let client = client.clone();
        export.run(async move {
            let text = export_everything(&client).await?;
            download("rapport-my-data.json", "application/json", &text);
            Ok(())
        });
    };
    // After a refusal the customer may ask again: the status and the form, one above the other.
    let render = move |existing: Option<DeletionRequest>| {
        let may_ask = existing.as_ref().is_none_or(|r| r.status == "refused");
        let status = existing.map(|request| {
            view! {
                <p class="notice" role="status" data-testid="deletion-status">
                    {
                        let status = request.status.clone();
                        move || (i18n.t().preferences.deletion_status)(&status)
                    }
                    " (" {
                        let at = request.created_at.clone();
                        move || fmt.date(&at)
                    } ")"
                    {request.reason.clone().map(|reason| view! {
                        <br />
                        <span data-testid="deletion-reason">{move || (i18n.t().preferences.refusal_reason)(&reason)}</span>
                    })}
                </p>
            }
        });
        let form = may_ask.then(|| view! {
            <form on:submit=request.clone() novalidate>
                <p>{i18n.text(|t| t.preferences.delete_intro)}</p>
                <div class="field">
                    <label for="delete-confirm">{i18n.text(|t| t.preferences.delete_confirm_label)}</label>
                    <input
                        id="delete-confirm"
                        autocomplete="off"
                        prop:value=move || confirm.get()
                        on:input:target=move |ev| confirm.set(ev.target().value())
                    />
                </div>
                <button
                    type="submit"
                    class="danger"
                    aria-disabled=move || (confirm.get().trim() != "DELETE").then_some("true")
                >
                    {i18n.text(|t| t.preferences.delete_button)}
                </button>
            </form>
        });
        view! { {status} {form} }
    };
    view! {
        <section class="card" aria-labelledby="data-rights">
            <h2 id="data-rights">{i18n.text(|t| t.preferences.data_title)}</h2>
            <p>{i18n.text(|t| t.preferences.download_hint)}</p>
            <button
                type="button"
                on:click=download_all
                aria-disabled=move || exporting.get().then_some("true")
            >
                {move || if exporting.get() { i18n.t().preferences.downloading } else { i18n.t().preferences.download_data }}
            </button>
            <p role="alert" class="form-problem">{move || failure().map(|e| message(i18n.t(), &e))}</p>
            <h3>{i18n.text(|t| t.preferences.delete_title)}</h3>
            <Loaded data=deletion render />
        </section>
    }
}
