//! Building blocks shared by several pages.

pub mod analyst;
pub mod charts;
pub mod code_label;
pub mod consent_changes;
pub mod consent_matrix;
pub mod error_panel;
pub mod invitations;
pub mod invite_button;
pub mod items_table;
pub mod layout;
pub mod lazy_page;
pub mod lazy_part;
pub mod loaded;
pub mod password_form;
pub mod preferences;
pub mod require_session;
pub mod route_focus;
pub mod save;
pub mod sessions_panel;
pub mod survey_mount;
pub mod unread_notice;
