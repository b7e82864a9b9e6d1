//! The contract's JSON read and written with the browser's own `JSON.parse` / `JSON.stringify`, field by
//! field, for what the portal needs before any page's code has downloaded: the session, signing in and
//! error answers. serde_json's parser and its generic decoders would otherwise be part of the portal's
//! first download (tens of kilobytes) for what the browser already has. The readers follow the DTOs'
//! serde names and defaults exactly; the portal's component tests hold them to serde_json's result.
//! Browser only: natively the `js_sys` calls have nothing to call.

use crate::dto::Profile;
use crate::error::{ErrorDetail, FieldError};
use js_sys::{Array, Object, Reflect, JSON};
use wasm_bindgen::JsValue;

/// Integers beyond this lose precision as a JavaScript number; serde_json would read them exactly, so
/// they are refused rather than read wrongly.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// The JSON text parsed, `None` when it is not JSON.
pub fn parse(text: &str) -> Option<JsValue> {
    JSON::parse(text).ok()
}

/// `value` as JSON text (`None` for what JSON cannot hold).
pub fn stringify(value: &JsValue) -> Option<String> {
    JSON::stringify(value).ok().and_then(|s| s.as_string())
}

/// A JSON object with these string members, as text.
pub fn object_text(members: &[(&str, &str)]) -> Option<String> {
    let object = Object::new();
    for (name, value) in members {
        Reflect::set(&object, &JsValue::from_str(name), &JsValue::from_str(value)).ok()?;
    }
    stringify(&object)
}

/// Whether `value` is a JSON object (not an array, not null).
pub fn is_object(value: &JsValue) -> bool {
    value.is_object() && !Array::is_array(value)
}

/// A member of an object; `undefined` when absent or when `value` is not an object.
pub fn member(value: &JsValue, name: &str) -> JsValue {
    if !is_object(value) {
        return JsValue::UNDEFINED;
    }
    Reflect::get(value, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

/// A string member.
pub fn string(value: &JsValue, name: &str) -> Option<String> {
    member(value, name).as_string()
}

/// A whole-number member that fits an `i64` exactly.
pub fn integer(value: &JsValue, name: &str) -> Option<i64> {
    let n = member(value, name).as_f64()?;
    // The cast is exact: `n` is whole and within ±2^53.
    (n.fract() == 0.0 && n.abs() <= MAX_SAFE_INTEGER).then_some(n as i64)
}

/// A boolean member; `default` when it is absent (`#[serde(default)]`).
pub fn boolean_or(value: &JsValue, name: &str, default: bool) -> Option<bool> {
    let field = member(value, name);
    if field.is_undefined() {
        Some(default)
    } else {
        field.as_bool()
    }
}

/// A [`Profile`]; `None` when `value` does not have its shape.
pub fn profile(value: &JsValue) -> Option<Profile> {
    if !is_object(value) {
        return None;
    }
    Some(Profile {
        id: integer(value, "id")?,
        name: string(value, "name")?,
        email: string(value, "email")?,
        customer_since: string(value, "customer_since")?,
        staff: boolean_or(value, "staff", false)?,
    })
}

/// The `error` member of an error answer ([`crate::ErrorBody`]), if the text has that shape.
pub fn error_detail(text: &str) -> Option<ErrorDetail> {
    let error = member(&parse(text)?, "error");
    if !is_object(&error) {
        return None;
    }
    let fields = match member(&error, "fields") {
        list if list.is_undefined() => Vec::new(),
        list if Array::is_array(&list) => Array::from(&list)
            .iter()
            .map(|f| {
                Some(FieldError {
                    field: string(&f, "field")?,
                    problem: string(&f, "problem")?,
                })
            })
            .collect::<Option<Vec<_>>>()?,
        _ => return None,
    };
    Some(ErrorDetail {
        code: string(&error, "code")?,
        message: string(&error, "message")?,
        fields,
    })
}
