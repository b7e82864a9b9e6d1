//! Checks on text that customers and staff type.

/// Whether text contains control characters other than newline and tab (never legitimate in form text,
/// and a common sign of garbage or injection attempts against logs and terminals).
pub fn has_bad_control(text: &str) -> bool {
    text.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
}
