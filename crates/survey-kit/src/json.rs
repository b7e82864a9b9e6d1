//! JSON in and out of the survey kit: the served instrument definition, the draft saved on the device,
//! the response sent, and the server's replies to it.
//!
//! In the browser the text goes through the browser's own `JSON.parse` / `JSON.stringify`, and the
//! values are read and written field by field here: serde_json's parser and printer, and serde's
//! generic deserializers, would add tens of kilobytes to the widget for what the browser already has.
//! Native builds (the tests, tools) use serde_json with the types' own serde attributes; the browser
//! reader follows the same field names and defaults, which `tests/web.rs` checks against serde_json's
//! output for every built-in instrument and for drafts in every delivery state.

use crate::draft::Draft;
use crate::retry::{ErrorDetail, Receipt};
use rapport_core::{InstrumentDef, Response};

/// A served instrument definition; `None` when it is not JSON or not a definition.
pub fn instrument(text: &str) -> Option<InstrumentDef> {
    imp::instrument(text)
}

/// A draft as saved on the device; `None` when unreadable.
pub fn draft(text: &str) -> Option<Draft> {
    imp::draft(text)
}

/// The draft as saved on the device.
pub fn draft_text(draft: &Draft) -> String {
    imp::draft_text(draft)
}

/// The response as the server receives it.
pub fn response_text(response: &Response) -> String {
    imp::response_text(response)
}

/// The receipt in a 2xx reply.
pub fn receipt(text: &str) -> Option<Receipt> {
    imp::receipt(text)
}

/// The `error` object of an error reply.
pub fn error_detail(text: &str) -> Option<ErrorDetail> {
    imp::error_detail(text)
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    use super::*;
    use crate::retry::ErrorBody;

    pub fn instrument(text: &str) -> Option<InstrumentDef> {
        serde_json::from_str(text).ok()
    }

    pub fn draft(text: &str) -> Option<Draft> {
        serde_json::from_str(text).ok()
    }

    pub fn draft_text(draft: &Draft) -> String {
        serde_json::to_string(draft).unwrap_or_default()
    }

    pub fn response_text(response: &Response) -> String {
        serde_json::to_string(response).unwrap_or_default()
    }

    pub fn receipt(text: &str) -> Option<Receipt> {
        serde_json::from_str(text).ok()
    }

    pub fn error_detail(text: &str) -> Option<ErrorDetail> {
        serde_json::from_str::<ErrorBody>(text)
            .ok()
            .map(|b| b.error)
    }
}

#[cfg(target_arch = "wasm32")]
mod imp {
    use super::*;
    use crate::draft::Delivery;
    use crate::retry::Problem;
    use js_sys::{Array, Object, Reflect, JSON};
    use rapport_core::commitment::{Audience, CommitmentModel, CommitmentWeights, Segment};
    use rapport_core::instrument::{
        Allocation, AllocationColumn, CesDirection, Dimension, EndLabels, Item, Role, Scale,
        Scoring, Section, Texts,
    };
    use rapport_core::InstrumentRef;
    use rapport_core::VecMap;
    use wasm_bindgen::{JsCast, JsValue};

    fn parse(text: &str) -> Option<JsValue> {
        JSON::parse(text).ok()
    }

    fn stringify(value: &JsValue) -> String {
        JSON::stringify(value)
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_default()
    }

    /// A field of an object (undefined when `v` is not an object or lacks it).
    fn field(v: &JsValue, name: &str) -> JsValue {
        if !v.is_object() {
            return JsValue::UNDEFINED;
        }
        Reflect::get(v, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
    }

    fn absent(v: &JsValue) -> bool {
        v.is_undefined() || v.is_null()
    }

    fn string(v: &JsValue) -> Option<String> {
        v.as_string()
    }

    fn text(v: &JsValue, name: &str) -> Option<String> {
        field(v, name).as_string()
    }

    /// A whole number within JSON's safe integers, converted to `T`.
    fn int<T: TryFrom<i64>>(v: &JsValue) -> Option<T> {
        let x = v.as_f64()?;
        if x.fract() != 0.0 || x.abs() > 9_007_199_254_740_991.0 {
            return None;
        }
        T::try_from(x as i64).ok()
    }

    fn number(v: &JsValue) -> Option<f64> {
        v.as_f64()
    }

    fn boolean(v: &JsValue) -> Option<bool> {
        v.as_bool()
    }

    fn list<T>(v: &JsValue, each: impl Fn(&JsValue) -> Option<T>) -> Option<Vec<T>> {
        // A plain loop: collecting an iterator of options linked an adapter and a specialised
        // collector per element type (about 1 KB each).
        let a = v.dyn_ref::<Array>()?;
        let mut out = Vec::with_capacity(a.length() as usize);
        for i in 0..a.length() {
            out.push(each(&a.get(i))?);
        }
        Some(out)
    }

    /// An object's entries (texts per language, answers by item).
    fn map<T>(v: &JsValue, each: impl Fn(&JsValue) -> Option<T>) -> Option<VecMap<String, T>> {
        if !v.is_object() || Array::is_array(v) {
            return None;
        }
        let mut out = VecMap::new();
        for k in Object::keys(v.unchecked_ref::<Object>()).iter() {
            let value = each(&Reflect::get(v, &k).ok()?)?;
            out.insert(k.as_string()?, value);
        }
        Some(out)
    }

    fn texts(v: &JsValue) -> Option<Texts> {
        map(v, string)
    }

    /// A field with a default: absent (or null) gives the default; present but wrong, `None`.
    fn or_default<T: Default>(
        v: &JsValue,
        name: &str,
        read: impl Fn(&JsValue) -> Option<T>,
    ) -> Option<T> {
        let f = field(v, name);
        if absent(&f) {
            Some(T::default())
        } else {
            read(&f)
        }
    }

    /// An optional field: absent (or null) is `Some(None)`; present but wrong, `None`.
    fn optional<T>(
        v: &JsValue,
        name: &str,
        read: impl Fn(&JsValue) -> Option<T>,
    ) -> Option<Option<T>> {
        let f = field(v, name);
        if absent(&f) {
            Some(None)
        } else {
            read(&f).map(Some)
        }
    }

    pub fn instrument(text_: &str) -> Option<InstrumentDef> {
        let v = parse(text_)?;
        Some(InstrumentDef {
            id: text(&v, "id")?,
            version: text(&v, "version")?,
            hash: or_default(&v, "hash", string)?,
            languages: list(&field(&v, "languages"), string)?,
            title: texts(&field(&v, "title"))?,
            scoring: scoring(&field(&v, "scoring"))?,
            dimensions: or_default(&v, "dimensions", |d| list(d, dimension))?,
            sections: list(&field(&v, "sections"), section)?,
            allocation: optional(&v, "allocation", allocation)?,
        })
    }

    fn scoring(v: &JsValue) -> Option<Scoring> {
        Some(match text(v, "method")?.as_str() {
            "servqual" => Scoring::Servqual,
            "zone-of-tolerance" => Scoring::ZoneOfTolerance,
            "servperf" => Scoring::Servperf,
            "nps" => Scoring::Nps,
            "commitment" => Scoring::Commitment(CommitmentModel {
                audience: audience(&field(v, "audience"))?,
                weights: weights(&field(v, "weights"))?,
                segments: list(&field(v, "segments"), segment)?,
            }),
            "csat" => Scoring::Csat {
                top_box_min: int(&field(v, "top_box_min"))?,
            },
            "ces" => Scoring::Ces {
                direction: match text(v, "direction")?.as_str() {
                    "lower-is-better" => CesDirection::LowerIsBetter,
                    "higher-is-better" => CesDirection::HigherIsBetter,
                    _ => return None,
                },
                agree_min: optional(v, "agree_min", int)?,
            },
            _ => return None,
        })
    }

    fn audience(v: &JsValue) -> Option<Audience> {
        match v.as_string()?.as_str() {
            "customer" => Some(Audience::Customer),
            "non-customer" => Some(Audience::NonCustomer),
            _ => None,
        }
    }

    fn audience_name(a: Audience) -> &'static str {
        match a {
            Audience::Customer => "customer",
            Audience::NonCustomer => "non-customer",
        }
    }

    fn weights(v: &JsValue) -> Option<CommitmentWeights> {
        Some(CommitmentWeights {
            satisfaction: number(&field(v, "satisfaction"))?,
            involvement: number(&field(v, "involvement"))?,
            resistance: number(&field(v, "resistance"))?,
        })
    }

    fn segment(v: &JsValue) -> Option<Segment> {
        Some(Segment {
            id: text(v, "id")?,
            min_index: number(&field(v, "min_index"))?,
            name: texts(&field(v, "name"))?,
        })
    }

    fn dimension(v: &JsValue) -> Option<Dimension> {
        Some(Dimension {
            id: text(v, "id")?,
            name: texts(&field(v, "name"))?,
        })
    }

    fn section(v: &JsValue) -> Option<Section> {
        Some(Section {
            id: text(v, "id")?,
            title: texts(&field(v, "title"))?,
            intro: or_default(v, "intro", texts)?,
            items: list(&field(v, "items"), item)?,
        })
    }

    fn role(v: &JsValue) -> Option<Role> {
        Some(match v.as_string()?.as_str() {
            "expectation" => Role::Expectation,
            "perception" => Role::Perception,
            "adequate" => Role::Adequate,
            "desired" => Role::Desired,
            "satisfaction" => Role::Satisfaction,
            "involvement" => Role::Involvement,
            "appeal" => Role::Appeal,
            "difference" => Role::Difference,
            "recommend" => Role::Recommend,
            "csat" => Role::Csat,
            "effort" => Role::Effort,
            _ => return None,
        })
    }

    fn item(v: &JsValue) -> Option<Item> {
        let scale = field(v, "scale");
        Some(Item {
            id: text(v, "id")?,
            role: role(&field(v, "role"))?,
            statement: optional(v, "statement", int)?,
            dimension: optional(v, "dimension", string)?,
            scale: Scale {
                min: int(&field(&scale, "min"))?,
                max: int(&field(&scale, "max"))?,
                labels: map(&field(&scale, "labels"), |l| {
                    Some(EndLabels {
                        min: text(l, "min")?,
                        max: text(l, "max")?,
                    })
                })?,
            },
            reverse: or_default(v, "reverse", boolean)?,
            required: or_default(v, "required", boolean)?,
            text: texts(&field(v, "text"))?,
        })
    }

    fn allocation(v: &JsValue) -> Option<Allocation> {
        Some(Allocation {
            id: text(v, "id")?,
            total: int(&field(v, "total"))?,
            required: or_default(v, "required", boolean)?,
            text: texts(&field(v, "text"))?,
            columns: list(&field(v, "columns"), |c| {
                Some(AllocationColumn {
                    id: text(c, "id")?,
                    dimension: text(c, "dimension")?,
                    text: texts(&field(c, "text"))?,
                })
            })?,
        })
    }

    fn reference(v: &JsValue) -> Option<InstrumentRef> {
        Some(InstrumentRef {
            id: text(v, "id")?,
            version: text(v, "version")?,
            hash: text(v, "hash")?,
        })
    }

    pub fn draft(text_: &str) -> Option<Draft> {
        let v = parse(text_)?;
        let d = field(&v, "delivery");
        let delivery = match text(&d, "state")?.as_str() {
            "editing" => Delivery::Editing,
            "queued" => Delivery::Queued {
                attempts: int(&field(&d, "attempts"))?,
            },
            "sent" => Delivery::Sent {
                id: text(&d, "id")?,
                received_at: text(&d, "received_at")?,
            },
            "answered_elsewhere" => Delivery::AnsweredElsewhere,
            _ => return None,
        };
        Some(Draft {
            key: text(&v, "key")?,
            instrument: reference(&field(&v, "instrument"))?,
            answers: or_default(&v, "answers", |a| map(a, int))?,
            step: or_default(&v, "step", int)?,
            finished_at: optional(&v, "finished_at", string)?,
            delivery,
        })
    }

    /// An object with these fields in this order; `None` values are left out.
    fn object(fields: &[(&str, Option<JsValue>)]) -> JsValue {
        let o = Object::new();
        for (name, value) in fields {
            if let Some(value) = value {
                let _ = Reflect::set(&o, &JsValue::from_str(name), value);
            }
        }
        o.into()
    }

    fn str_value(s: &str) -> Option<JsValue> {
        Some(JsValue::from_str(s))
    }

    fn reference_value(r: &InstrumentRef) -> Option<JsValue> {
        Some(object(&[
            ("id", str_value(&r.id)),
            ("version", str_value(&r.version)),
            ("hash", str_value(&r.hash)),
        ]))
    }

    fn answers_value(answers: &VecMap<String, i64>) -> Option<JsValue> {
        let o = Object::new();
        for (item, value) in answers {
            let _ = Reflect::set(
                &o,
                &JsValue::from_str(item),
                &JsValue::from_f64(*value as f64),
            );
        }
        Some(o.into())
    }

    pub fn draft_text(d: &Draft) -> String {
        let delivery = match &d.delivery {
            Delivery::Editing => object(&[("state", str_value("editing"))]),
            Delivery::Queued { attempts } => object(&[
                ("state", str_value("queued")),
                ("attempts", Some(JsValue::from(*attempts))),
            ]),
            Delivery::Sent { id, received_at } => object(&[
                ("state", str_value("sent")),
                ("id", str_value(id)),
                ("received_at", str_value(received_at)),
            ]),
            Delivery::AnsweredElsewhere => object(&[("state", str_value("answered_elsewhere"))]),
        };
        stringify(&object(&[
            ("key", str_value(&d.key)),
            ("instrument", reference_value(&d.instrument)),
            ("answers", answers_value(&d.answers)),
            ("step", Some(JsValue::from_f64(d.step as f64))),
            (
                "finished_at",
                Some(
                    d.finished_at
                        .as_deref()
                        .map_or(JsValue::NULL, JsValue::from_str),
                ),
            ),
            ("delivery", Some(delivery)),
        ]))
    }

    pub fn response_text(r: &Response) -> String {
        let meta = object(&[
            ("timestamp", r.meta.timestamp.as_deref().and_then(str_value)),
            ("segment", r.meta.segment.as_deref().and_then(str_value)),
            (
                "audience",
                r.meta.audience.map(audience_name).and_then(str_value),
            ),
        ]);
        stringify(&object(&[
            ("instrument", reference_value(&r.instrument)),
            (
                "respondent_id",
                r.respondent_id.as_deref().and_then(str_value),
            ),
            ("answers", answers_value(&r.answers)),
            ("meta", Some(meta)),
        ]))
    }

    pub fn receipt(text_: &str) -> Option<Receipt> {
        let v = parse(text_)?;
        Some(Receipt {
            id: text(&v, "id")?,
            received_at: text(&v, "received_at")?,
        })
    }

    pub fn error_detail(text_: &str) -> Option<ErrorDetail> {
        let e = field(&parse(text_)?, "error");
        if !e.is_object() {
            return None;
        }
        Some(ErrorDetail {
            code: or_default(&e, "code", string)?,
            message: or_default(&e, "message", string)?,
            fields: or_default(&e, "fields", |f| {
                list(f, |p| {
                    Some(Problem {
                        field: text(p, "field")?,
                        problem: text(p, "problem")?,
                    })
                })
            })?,
        })
    }
}
