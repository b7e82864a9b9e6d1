//! The built-in instruments as served: definition JSON, ETag and English title, computed once.

use rapport_core::{Instrument, BUILTIN_NAMES};
use std::sync::OnceLock;

/// A built-in instrument with its served form, computed once: hashing a definition is not free.
pub(crate) struct Builtin {
    pub instrument: Instrument,
    pub json: String,
    pub etag: String,
    /// English title, or the id when there is none.
    pub title: String,
}

pub(crate) fn builtins() -> &'static [Builtin] {
    static ALL: OnceLock<Vec<Builtin>> = OnceLock::new();
    ALL.get_or_init(|| {
        BUILTIN_NAMES
            .iter()
            .filter_map(|name| rapport_core::builtin(name))
            .filter_map(|instrument| {
                let def = instrument.def();
                let json = serde_json::to_string(def).ok()?;
                let etag = format!("\"{}\"", def.hash);
                let title = def.title.get("en").unwrap_or(&def.id).clone();
                Some(Builtin {
                    instrument,
                    json,
                    etag,
                    title,
                })
            })
            .collect()
    })
}

/// A built-in instrument by id.
pub(crate) fn find(id: &str) -> Option<&'static Builtin> {
    builtins().iter().find(|b| b.instrument.def().id == id)
}

/// A built-in instrument and its English title as stored with each answer (`{firm}` not filled in).
pub(crate) fn builtin_with_title(id: &str) -> Option<(&'static Instrument, &'static str)> {
    find(id).map(|b| (&b.instrument, b.title.as_str()))
}

/// The firm's name, for `{firm}` in instrument texts (the portal uses the same name).
pub const FIRM_NAME: &str = "Rapport";

/// An English instrument title as people should read it: `{firm}` filled in.
pub fn readable_title(title: &str) -> String {
    title.replace("{firm}", FIRM_NAME)
}

/// The readable English title of a built-in instrument.
pub fn title(id: &str) -> Option<String> {
    find(id).map(|b| readable_title(&b.title))
}
