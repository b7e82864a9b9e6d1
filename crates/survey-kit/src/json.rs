//! JSON in and out of the survey kit. In the browser the text goes through the browser's own
//! `JSON.parse` / `JSON.stringify`, and serde-wasm-bindgen maps the values onto the Rust types:
//! serde_json's parser and printer would add tens of kilobytes to the widget for what the browser
//! already has. Native builds (the tests, tools) use serde_json with the same types and attributes.

use serde::de::DeserializeOwned;
use serde::Serialize;

/// The value that `text` holds; `None` when it is not JSON or does not fit `T`.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Option<T> {
    imp::from_str(text)
}

/// `value` as JSON text (object keys as the type serializes them); `None` when it cannot be written
/// (a number beyond JSON's safe integers in the browser).
pub fn to_string<T: Serialize>(value: &T) -> Option<String> {
    imp::to_string(value)
}

#[cfg(target_arch = "wasm32")]
mod imp {
    use super::{DeserializeOwned, Serialize};

    pub fn from_str<T: DeserializeOwned>(text: &str) -> Option<T> {
        let value = js_sys::JSON::parse(text).ok()?;
        serde_wasm_bindgen::from_value(value).ok()
    }

    pub fn to_string<T: Serialize>(value: &T) -> Option<String> {
        // Maps as plain objects and absent options as null, as JSON has them.
        let serializer = serde_wasm_bindgen::Serializer::json_compatible();
        let value = value.serialize(&serializer).ok()?;
        js_sys::JSON::stringify(&value).ok()?.as_string()
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    use super::{DeserializeOwned, Serialize};

    pub fn from_str<T: DeserializeOwned>(text: &str) -> Option<T> {
        serde_json::from_str(text).ok()
    }

    pub fn to_string<T: Serialize>(value: &T) -> Option<String> {
        serde_json::to_string(value).ok()
    }
}
