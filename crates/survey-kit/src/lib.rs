//! Rapport survey kit: the survey components used by both the portal and the embeddable
//! `<rapport-survey>` widget (one UI, no copies).
//!
//! The widget build enables the `embed` feature, which adds [`embed::mount_survey`], called by the
//! custom element defined in `embed/rapport-survey.js`.

pub mod i18n;
pub mod scale;

#[cfg(feature = "embed")]
pub mod embed;

pub use scale::ScaleQuestion;
