//! Pure portal logic (no DOM, no network), tested natively: what the pages compute from the data.

pub mod attempt;
pub mod consent_wording;
pub mod csv;
pub mod history_filter;
pub mod labels;
pub mod perfect_order;
pub mod phase_reason;
pub mod preferences;
pub mod timeline;
pub mod virtual_window;
