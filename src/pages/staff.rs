//! Staff: the customers and where each relationship stands.

use crate::api::{self, ApiError};
use crate::components::loaded::Loaded;
use crate::i18n::use_i18n;
use leptos::prelude::*;
use leptos_router::components::A;
use rapport_api::StaffCustomerList;

#[component]
pub fn StaffPage() -> impl IntoView {
    let i18n = use_i18n();
    let client = api::client();
    Effect::new(move |_| crate::pages::set_title(i18n.t().staff.staff_title));
    let data = LocalResource::new(move || {
        let client = client.clone();
        async move { client.staff_customers().await }
    });
    let render = |list: StaffCustomerList| {
        let i18n = use_i18n();
        let rows = list
            .customers
            .into_iter()
            .map(|c| {
                let phase = c.phase;
                view! {
                    <tr>
                        <th scope="row"><A href=format!("/staff/customers/{}", c.id)>{c.name}</A></th>
                        <td>{c.email}</td>
                        <td>{move || (i18n.t().overview.phase_name)(phase)}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <table class="data">
                <thead>
                    <tr>
                        <th scope="col">{i18n.text(|t| t.staff.col_name)}</th>
                        <th scope="col">{i18n.text(|t| t.staff.col_email)}</th>
                        <th scope="col">{i18n.text(|t| t.staff.staff_phase)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        }
    };
    view! {
        <h1>{i18n.text(|t| t.staff.staff_title)}</h1>
        <p class="actions">
            <A href="/staff/deletion-requests">{i18n.text(|t| t.staff.deletions_title)}</A>
            // A plain download: the browser sends the session cookie with it.
            <a href="/api/v1/staff/access-log?format=csv" download="access-log.csv">{i18n.text(|t| t.staff.access_log_csv)}</a>
        </p>
        <StaffOnly data render />
    }
}

/// Like [`Loaded`], but a 403 says plainly that the page is for staff.
#[component]
pub fn StaffOnly<T, F, V>(data: LocalResource<Result<T, ApiError>>, render: F) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    F: Fn(T) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let i18n = use_i18n();
    let forbidden = move || {
        matches!(
            data.get(),
            Some(Err(ApiError::Rejected { status: 403, .. }))
        )
    };
    view! {
        <Show
            when=move || !forbidden()
            fallback=move || view! { <p class="card" role="alert">{i18n.text(|t| t.staff.staff_only)}</p> }
        >
            <Loaded data render=render.clone() />
        </Show>
    }
}
