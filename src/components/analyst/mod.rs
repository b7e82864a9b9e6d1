//! The analyst view's parts: the import source, the import's status, the report filters and the link
//! to the Web Worker that does the work. The page (`pages/analyst.rs`) holds the state and wires them.

pub mod filters;
pub mod report;
pub mod source;
pub mod status;
pub mod worker;
