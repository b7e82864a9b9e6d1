//! The survey kit's survey (plain DOM, the same code and markup the widget embeds) inside a Leptos
//! page: mounted into a node of this component once the node exists, mounted afresh when its
//! configuration changes or the page asks for it (`remount`), and unmounted with the component.

use leptos::html::Div;
use leptos::prelude::*;
use rapport_survey_kit::{SurveyConfig, SurveyEvent, SurveyHandle};

#[component]
pub fn SurveyMount(
    #[prop(into)] config: Signal<SurveyConfig>,
    /// Changes when the survey is to be mounted afresh with the same configuration.
    #[prop(into)]
    remount: Signal<u32>,
    on_event: Callback<SurveyEvent>,
) -> impl IntoView {
    let spot = NodeRef::<Div>::new();
    let handle = StoredValue::new_local(None::<SurveyHandle>);
    Effect::new(move |_| {
        let config = config.get();
        remount.track();
        let Some(node) = spot.get() else { return };
        // The old survey goes first (dropping its handle unmounts it): one survey in the node.
        handle.set_value(None);
        let mounted = rapport_survey_kit::mount(&node, config, move |e| on_event.run(e));
        handle.set_value(Some(mounted));
    });
    on_cleanup(move || {
        handle.try_update_value(|h| h.take());
    });
    view! { <div node_ref=spot></div> }
}
