//! The one way pages show fetched data: a loading line, the data, or a translated error with retry.

use crate::api::ApiError;
use crate::components::error_panel::ErrorPanel;
use crate::i18n::use_i18n;
use leptos::either::Either;
use leptos::prelude::*;

/// Renders `data` with `render` once it has arrived. Refetching keeps the old view until the new data is
/// there (`Transition`), so retries and filter changes do not flash a blank page. `after`, if given,
/// follows the data or its error in the same render: laid out earlier, it would be pushed down when
/// they arrive above it (a layout shift).
#[component]
pub fn Loaded<T, F, V>(
    data: LocalResource<Result<T, ApiError>>,
    render: F,
    #[prop(optional, into)] after: Option<ViewFn>,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    F: Fn(T) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let i18n = use_i18n();
    view! {
        <Transition fallback=move || view! { <p role="status" class="loading">{i18n.t().loading}</p> }>
            {move || {
                let render = render.clone();
                let after = after.clone();
                Suspend::new(async move {
                    let shown = match data.await {
                        Ok(value) => Either::Left(render(value)),
                        Err(error) => Either::Right(view! { <ErrorPanel error on_retry=move |_| data.refetch() /> }),
                    };
                    view! { {shown} {after.as_ref().map(ViewFn::run)} }
                })
            }}
        </Transition>
    }
}

/// The `:id` route parameter as a number; `None` for anything else (the page then shows not-found).
pub fn id_param(name: &'static str) -> Memo<Option<i64>> {
    let params = leptos_router::hooks::use_params_map();
    Memo::new(move |_| params.read().get(name).and_then(|v| v.parse().ok()))
}

/// A page for the resource named by the route's `:id`: fetched with `fetch`, shown with `render`. An id
/// that is not a number is simply not found, like one that does not exist.
#[component]
pub fn ById<T, Fut, F, R, V>(fetch: F, render: R) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<T, ApiError>> + 'static,
    F: Fn(crate::api::Api, i64) -> Fut + 'static,
    R: Fn(T) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let id = id_param("id");
    let client = crate::api::client();
    let data = LocalResource::new(move || {
        let pending = id.get().map(|id| fetch(client.clone(), id));
        async move {
            match pending {
                Some(request) => request.await,
                None => Err(ApiError::NotFound),
            }
        }
    });
    move || match id.get() {
        Some(_) => Either::Left(view! { <Loaded data render=render.clone() /> }),
        None => Either::Right(view! { <crate::pages::not_found::NotFound /> }),
    }
}
