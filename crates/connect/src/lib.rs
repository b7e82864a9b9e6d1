//! Connecting the Rapport portal to a backend other than the reference one.
//!
//! [`config`] reads and checks `rapport.config.json` (listing every problem with its place) and holds
//! the presets; [`mapping`] turns a backend's JSON into the contract's DTOs record by record, leaving
//! out and locating any record it cannot read. Both are pure and tested natively; the contract itself
//! (DTOs, errors, the browser client) stays in `rapport-api`, and the calls over the network are the
//! portal's.

pub mod config;
pub mod mapping;
