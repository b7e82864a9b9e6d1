//! One page per file.

pub mod analyst;
pub mod config_error;
pub mod history;
pub mod invoice;
pub mod new_request;
pub mod not_found;
pub mod order;
pub mod overview;
pub mod password_link;
pub mod preferences;
pub mod profile;
pub mod receipt;
pub mod requests;
pub mod set_password;
pub mod sign_in;
pub mod staff;
pub mod staff_customer;
pub mod staff_deletions;
pub mod survey;
pub mod survey_answer;

/// Sets the document title as "<page> · Rapport", so screen-reader users and tabs know where they are.
pub fn set_title(page: &str) {
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        document.set_title(&format!("{page} · Rapport"));
    }
}
