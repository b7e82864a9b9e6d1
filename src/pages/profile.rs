//! The customer's own details: name, phone, addresses. Saved with the version it was loaded at, so a
//! change made elsewhere in the meantime is never overwritten silently.

use crate::api::{self, ApiError};
use crate::components::error_panel::{clear_on_reauth, field_problems, message, save_failure};
use crate::components::loaded::Loaded;
use crate::components::password_form::PasswordForm;
use crate::components::save::Save;
use crate::components::sessions_panel::SessionsPanel;
use crate::i18n::use_i18n;
use leptos::prelude::*;
use rapport_api::{Address, ProfileDetails};

/// Reads one text field of the form.
type Getter = Box<dyn Fn(&ProfileDetails) -> String + Send + Sync>;
/// Writes one text field of the form.
type Setter = Box<dyn Fn(&mut ProfileDetails, String) + Send + Sync>;

#[component]
pub fn ProfilePage() -> impl IntoView {
    let i18n = use_i18n();
    let client = api::client();
    let data = LocalResource::new(move || {
        let client = client.clone();
        async move { client.profile().await }
    });
    Effect::new(move |_| crate::pages::set_title(i18n.t().profile.profile_title));
    let render = move |(details, etag): (ProfileDetails, Option<String>)| {
        view! { <ProfileForm details etag on_reload=move |_| data.refetch() /> }
    };
    view! {
        <h1>{i18n.text(|t| t.profile.profile_title)}</h1>
        <Loaded data render />
        <SessionsPanel />
        <PasswordForm />
    }
}

#[component]
fn ProfileForm(
    details: ProfileDetails,
    etag: Option<String>,
    #[prop(into)] on_reload: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let client = api::client();
    let form = RwSignal::new(details);
    let etag = RwSignal::new(etag.unwrap_or_default());
    let save = Save::new();
    clear_on_reauth(save.value());
    let pending = save.pending();
    let problems = Memo::new(move |_| field_problems(save.value().read().as_ref()));
    let failure = move || save_failure(save.value().read().as_ref(), pending.get());
    let saved = move || !pending.get() && matches!(save.value().read().as_ref(), Some(Ok(())));

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (client, body, version) = (client.clone(), form.get_untracked(), etag.get_untracked());
        save.run(async move {
            let (stored, new_tag) = client.save_profile(&body, &version).await?;
            form.set(stored);
            etag.set(new_tag.unwrap_or_default());
            Ok(())
        });
    };

    let field = move |path: String, label: Signal<&'static str>, get: Getter, set: Setter| {
        let id = path.replace(['[', ']', '.'], "-");
        let problem_id = format!("{id}-problem");
        let path_for_problem = path.clone();
        let problem = move || {
            problems
                .read()
                .iter()
                .find(|p| p.field == path_for_problem)
                .map(|p| (i18n.t().field_problem)(&p.problem))
        };
        let invalid = move || {
            problems
                .read()
                .iter()
                .any(|p| p.field == path)
                .then_some("true")
        };
        view! {
            <div class="field">
                <label for=id.clone()>{move || label.get()}</label>
                <input
                    id=id
                    aria-invalid=invalid
                    aria-describedby=problem_id.clone()
                    prop:value=move || form.with(|f| get(f))
                    on:input:target=move |ev| form.update(|f| set(f, ev.target().value()))
                />
                <p id=problem_id class="field-problem">{problem}</p>
            </div>
        }
    };

    let address_count = form.with_untracked(|f| f.addresses.len());
    view! {
        <form class="card" on:submit=submit novalidate>
            {field("name".into(), Signal::derive(move || i18n.t().profile.name), Box::new(|f| f.name.clone()), Box::new(|f, v| f.name = v))}
            <p class="hint">
                {i18n.text(|t| t.email)} ": " <strong>{move || form.with(|f| f.email.clone())}</strong>
                <br />
                {i18n.text(|t| t.profile.email_fixed)}
            </p>
            {field("phone".into(), Signal::derive(move || i18n.t().profile.phone), Box::new(|f| f.phone.clone()), Box::new(|f, v| f.phone = v))}
            <p class="hint">{i18n.text(|t| t.profile.phone_hint)}</p>
            {(0..address_count)
                .map(|i| {
                    let label = form.with_untracked(|f| f.addresses.get(i).map(|a| a.label.clone()).unwrap_or_default());
                    let at = move |get: fn(&Address) -> String| -> Getter {
                        Box::new(move |f: &ProfileDetails| f.addresses.get(i).map(get).unwrap_or_default())
                    };
                    let put = move |set: fn(&mut Address, String)| -> Setter {
                        Box::new(move |f: &mut ProfileDetails, v| {
                            if let Some(a) = f.addresses.get_mut(i) {
                                set(a, v)
                            }
                        })
                    };
                    view! {
                        <fieldset>
                            <legend>{move || (i18n.t().profile.address_label)(&label)}</legend>
                            {field(format!("addresses[{i}].street"), Signal::derive(move || i18n.t().profile.street), at(|a| a.street.clone()), put(|a, v| a.street = v))}
                            {field(format!("addresses[{i}].postal_code"), Signal::derive(move || i18n.t().profile.postal_code), at(|a| a.postal_code.clone()), put(|a, v| a.postal_code = v))}
                            {field(format!("addresses[{i}].city"), Signal::derive(move || i18n.t().profile.city), at(|a| a.city.clone()), put(|a, v| a.city = v))}
                            {field(format!("addresses[{i}].country"), Signal::derive(move || i18n.t().profile.country), at(|a| a.country.clone()), put(|a, v| a.country = v))}
                        </fieldset>
                    }
                })
                .collect_view()}
            <div role="status" class="notice-area">
                <Show when=saved>
                    <p class="notice">{i18n.text(|t| t.saved)}</p>
                </Show>
            </div>
            <div role="alert" class="form-problem">
                {move || (!problems.read().is_empty()).then(|| i18n.t().form_has_problems)}
                {move || failure().map(|e| message(i18n.t(), &e))}
                <Show when=move || failure() == Some(ApiError::Conflict)>
                    " "
                    <button type="button" on:click=move |_| on_reload.run(())>{i18n.text(|t| t.reload)}</button>
                </Show>
            </div>
            <button type="submit" class="primary" aria-disabled=move || pending.get().then_some("true")>
                {move || if pending.get() { i18n.t().saving } else { i18n.t().save }}
            </button>
        </form>
    }
}
