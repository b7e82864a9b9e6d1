//! Survey invitations: all of them on the overview, an order's own on its page. Always optional, so a
//! failure to load them never stands in the way of the page around them.

use crate::api;
use crate::components::save::Save;
use crate::i18n::use_i18n;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::components::A;
use rapport_api::Invitation;

/// The open invitations (only `order`'s when given). `empty` is shown when there are none.
#[component]
pub fn Invitations(
    #[prop(optional)] order: Option<i64>,
    #[prop(optional)] empty: Option<fn(&crate::i18n::Texts) -> &'static str>,
) -> impl IntoView {
    let i18n = use_i18n();
    let client = api::client();
    let dismissed = RwSignal::new(Vec::<i64>::new());
    let data = LocalResource::new(move || {
        let client = client.clone();
        async move { client.invitations().await }
    });
    move || {
        let list: Vec<Invitation> = match data.get() {
            Some(Ok(list)) => list
                .invitations
                .into_iter()
                .filter(|i| order.is_none() || i.order_id == order)
                .collect(),
            _ => Vec::new(),
        };
        let open = move |id: i64| !dismissed.with(|d| d.contains(&id));
        let any = list.iter().any(|i| open(i.id));
        let items = list
            .into_iter()
            .map(|invitation| view! { <InvitationItem invitation dismissed /> })
            .collect_view();
        if any || empty.is_none() {
            Either::Left(view! {
                <ul class="plain invitations" hidden=!any>{items}</ul>
                {any.then(|| view! { <p class="muted">{i18n.text(|t| t.surveys.surveys_optional)}</p> })}
            })
        } else {
            Either::Right(empty.map(|pick| view! { <p>{i18n.text(pick)}</p> }))
        }
    }
}

#[component]
fn InvitationItem(invitation: Invitation, dismissed: RwSignal<Vec<i64>>) -> impl IntoView {
    let i18n = use_i18n();
    let client = api::client();
    let id = invitation.id;
    let instrument = invitation.instrument.clone();
    let href = format!("/surveys/{}?invitation={id}", invitation.instrument);
    let trigger = invitation.trigger;
    let number = invitation.order_number.clone();
    let heading_id = format!("invitation-{id}");
    let labelled_by = heading_id.clone();
    // Hidden at once; if the server did not hear it, the invitation simply shows again next time.
    let dismiss = Save::new();
    let hide = move |_| {
        let client = client.clone();
        dismissed.update(|d| d.push(id));
        dismiss.run(async move {
            let _ = client.dismiss_invitation(id).await;
            Ok(())
        });
    };
    view! {
        <li class="invitation" hidden=move || dismissed.with(|d| d.contains(&id)) aria-labelledby=labelled_by>
            <strong id=heading_id>{move || (i18n.t().surveys.invitation_label)(&instrument)}</strong>
            " · "
            <span>{move || (i18n.t().surveys.invitation_reason)(trigger, number.as_deref())}</span>
            " "
            <A href=href attr:class="button">{i18n.text(|t| t.surveys.answer_now)}</A>
            " "
            <button type="button" class="link-button" on:click=hide>{i18n.text(|t| t.surveys.not_now)}</button>
        </li>
    }
}
