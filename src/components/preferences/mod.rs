//! The preference centre's parts. The page (`pages/preferences.rs`) puts them together; the draft being
//! edited is one `RwSignal<Preferences>` that the form's parts share.

pub mod access_log;
pub mod caps;
pub mod consent_history;
pub mod contact_points;
pub mod data_export;
pub mod data_rights;
pub mod form;
pub mod timing;

use crate::i18n::use_i18n;
use leptos::prelude::*;
use rapport_api::FieldError;

/// `navigator.globalPrivacyControl`, read without assuming the browser has it.
pub fn gpc_enabled() -> bool {
    web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w.navigator(), &"globalPrivacyControl".into()).ok())
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

/// The translated problem the server or the form found with `field`, if any.
pub fn problem_for(
    problems: RwSignal<Vec<FieldError>>,
    field: &'static str,
) -> impl Fn() -> Option<&'static str> + Copy {
    let i18n = use_i18n();
    move || {
        problems
            .read()
            .iter()
            .find(|p| p.field == field)
            .map(|p| (i18n.t().field_problem)(&p.problem))
    }
}
