//! Rapport scoring core (being written).
