//! Building blocks shared by several pages.

pub mod analyst_report;
pub mod charts;
pub mod error_panel;
pub mod invitations;
pub mod items_table;
pub mod layout;
pub mod loaded;
pub mod require_session;
pub mod unread_notice;
