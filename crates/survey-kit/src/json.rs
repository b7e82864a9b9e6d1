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
    use std::cell::Cell;
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

    /// Reads JSON values into Rust ones. A value of the wrong shape marks the whole read as failed
    /// and a placeholder stands in for it, so that reading a field is one call without a return: a
    /// `?` per field made the compiler write the cleanup of every partly built value at every exit,
    /// about half of the definition reader's code.
    #[derive(Default)]
    struct Reader {
        failed: Cell<bool>,
    }

    impl Reader {
        fn fail<T>(&self, placeholder: T) -> T {
            self.failed.set(true);
            placeholder
        }

        /// `value`, unless anything read for it failed.
        fn done<T>(&self, value: T) -> Option<T> {
            (!self.failed.get()).then_some(value)
        }

        fn string(&self, v: &JsValue) -> String {
            v.as_string().unwrap_or_else(|| self.fail(String::new()))
        }

        fn text(&self, v: &JsValue, name: &str) -> String {
            self.string(&field(v, name))
        }

        /// A whole number within JSON's safe integers, converted to `T`.
        fn int<T: TryFrom<i64> + Default>(&self, v: &JsValue) -> T {
            let whole = v
                .as_f64()
                .filter(|x| x.fract() == 0.0 && x.abs() <= 9_007_199_254_740_991.0)
                .and_then(|x| T::try_from(x as i64).ok());
            whole.unwrap_or_else(|| self.fail(T::default()))
        }

        fn number(&self, v: &JsValue) -> f64 {
            v.as_f64().unwrap_or_else(|| self.fail(0.0))
        }

        fn boolean(&self, v: &JsValue) -> bool {
            v.as_bool().unwrap_or_else(|| self.fail(false))
        }

        fn list<T>(&self, v: &JsValue, each: impl Fn(&Self, &JsValue) -> T) -> Vec<T> {
            // A plain loop: collecting an iterator linked an adapter and a specialised collector
            // per element type (about 1 KB each).
            let Some(a) = v.dyn_ref::<Array>() else {
                return self.fail(Vec::new());
            };
            let mut out = Vec::with_capacity(a.length() as usize);
            for i in 0..a.length() {
                out.push(each(self, &a.get(i)));
            }
            out
        }

        /// An object's entries (texts per language, answers by item).
        fn map<T>(&self, v: &JsValue, each: impl Fn(&Self, &JsValue) -> T) -> VecMap<String, T> {
            let mut out = VecMap::new();
            if !v.is_object() || Array::is_array(v) {
                return self.fail(out);
            }
            for k in Object::keys(v.unchecked_ref::<Object>()).iter() {
                let value = each(self, &Reflect::get(v, &k).unwrap_or(JsValue::UNDEFINED));
                match k.as_string() {
                    Some(k) => drop(out.insert(k, value)),
                    None => return self.fail(out),
                }
            }
            out
        }

        fn texts(&self, v: &JsValue) -> Texts {
            self.map(v, Reader::string)
        }

        /// A field with a default: absent (or null) gives the default; present, it must be right.
        fn or_default<T: Default>(
            &self,
            v: &JsValue,
            name: &str,
            read: impl Fn(&Self, &JsValue) -> T,
        ) -> T {
            let f = field(v, name);
            if absent(&f) {
                T::default()
            } else {
                read(self, &f)
            }
        }

        /// An optional field: absent (or null) is `None`; present, it must be right.
        fn optional<T>(
            &self,
            v: &JsValue,
            name: &str,
            read: impl Fn(&Self, &JsValue) -> T,
        ) -> Option<T> {
            let f = field(v, name);
            (!absent(&f)).then(|| read(self, &f))
        }
    }

    pub fn instrument(text_: &str) -> Option<InstrumentDef> {
        let v = parse(text_)?;
        let r = Reader::default();
        let def = InstrumentDef {
            id: r.text(&v, "id"),
            version: r.text(&v, "version"),
            hash: r.or_default(&v, "hash", Reader::string),
            languages: r.list(&field(&v, "languages"), Reader::string),
            title: r.texts(&field(&v, "title")),
            scoring: scoring(&r, &field(&v, "scoring")),
            dimensions: r.or_default(&v, "dimensions", |r, d| r.list(d, dimension)),
            sections: r.list(&field(&v, "sections"), section),
            allocation: r.optional(&v, "allocation", allocation),
        };
        r.done(def)
    }

    fn scoring(r: &Reader, v: &JsValue) -> Scoring {
        match r.text(v, "method").as_str() {
            "servqual" => Scoring::Servqual,
            "zone-of-tolerance" => Scoring::ZoneOfTolerance,
            "servperf" => Scoring::Servperf,
            "nps" => Scoring::Nps,
            "commitment" => Scoring::Commitment(CommitmentModel {
                audience: audience(r, &field(v, "audience")),
                weights: weights(r, &field(v, "weights")),
                segments: r.list(&field(v, "segments"), segment),
            }),
            "csat" => Scoring::Csat {
                top_box_min: r.int(&field(v, "top_box_min")),
            },
            "ces" => Scoring::Ces {
                direction: match r.text(v, "direction").as_str() {
                    "lower-is-better" => CesDirection::LowerIsBetter,
                    "higher-is-better" => CesDirection::HigherIsBetter,
                    _ => r.fail(CesDirection::LowerIsBetter),
                },
                agree_min: r.optional(v, "agree_min", Reader::int),
            },
            _ => r.fail(Scoring::Nps),
        }
    }

    fn audience(r: &Reader, v: &JsValue) -> Audience {
        match r.string(v).as_str() {
            "customer" => Audience::Customer,
            "non-customer" => Audience::NonCustomer,
            _ => r.fail(Audience::Customer),
        }
    }

    fn audience_name(a: Audience) -> &'static str {
        match a {
            Audience::Customer => "customer",
            Audience::NonCustomer => "non-customer",
        }
    }

    fn weights(r: &Reader, v: &JsValue) -> CommitmentWeights {
        CommitmentWeights {
            satisfaction: r.number(&field(v, "satisfaction")),
            involvement: r.number(&field(v, "involvement")),
            resistance: r.number(&field(v, "resistance")),
        }
    }

    fn segment(r: &Reader, v: &JsValue) -> Segment {
        Segment {
            id: r.text(v, "id"),
            min_index: r.number(&field(v, "min_index")),
            name: r.texts(&field(v, "name")),
        }
    }

    fn dimension(r: &Reader, v: &JsValue) -> Dimension {
        Dimension {
            id: r.text(v, "id"),
            name: r.texts(&field(v, "name")),
        }
    }

    fn section(r: &Reader, v: &JsValue) -> Section {
        Section {
            id: r.text(v, "id"),
            title: r.texts(&field(v, "title")),
            intro: r.or_default(v, "intro", Reader::texts),
            items: r.list(&field(v, "items"), item),
        }
    }

    fn role(r: &Reader, v: &JsValue) -> Role {
        match r.string(v).as_str() {
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
            _ => r.fail(Role::Recommend),
        }
    }

    fn item(r: &Reader, v: &JsValue) -> Item {
        let scale = field(v, "scale");
        Item {
            id: r.text(v, "id"),
            role: role(r, &field(v, "role")),
            statement: r.optional(v, "statement", Reader::int),
            dimension: r.optional(v, "dimension", Reader::string),
            scale: Scale {
                min: r.int(&field(&scale, "min")),
                max: r.int(&field(&scale, "max")),
                labels: r.map(&field(&scale, "labels"), |r, l| EndLabels {
                    min: r.text(l, "min"),
                    max: r.text(l, "max"),
                }),
            },
            reverse: r.or_default(v, "reverse", Reader::boolean),
            required: r.or_default(v, "required", Reader::boolean),
            text: r.texts(&field(v, "text")),
        }
    }

    fn allocation(r: &Reader, v: &JsValue) -> Allocation {
        Allocation {
            id: r.text(v, "id"),
            total: r.int(&field(v, "total")),
            required: r.or_default(v, "required", Reader::boolean),
            text: r.texts(&field(v, "text")),
            columns: r.list(&field(v, "columns"), |r, c| AllocationColumn {
                id: r.text(c, "id"),
                dimension: r.text(c, "dimension"),
                text: r.texts(&field(c, "text")),
            }),
        }
    }

    fn reference(r: &Reader, v: &JsValue) -> InstrumentRef {
        InstrumentRef {
            id: r.text(v, "id"),
            version: r.text(v, "version"),
            hash: r.text(v, "hash"),
        }
    }

    pub fn draft(text_: &str) -> Option<Draft> {
        let v = parse(text_)?;
        let r = Reader::default();
        let d = field(&v, "delivery");
        let delivery = match r.text(&d, "state").as_str() {
            "editing" => Delivery::Editing,
            "queued" => Delivery::Queued {
                attempts: r.int(&field(&d, "attempts")),
            },
            "sent" => Delivery::Sent {
                id: r.text(&d, "id"),
                received_at: r.text(&d, "received_at"),
            },
            "answered_elsewhere" => Delivery::AnsweredElsewhere,
            _ => r.fail(Delivery::Editing),
        };
        let draft = Draft {
            key: r.text(&v, "key"),
            instrument: reference(&r, &field(&v, "instrument")),
            answers: r.or_default(&v, "answers", |r, a| r.map(a, Reader::int)),
            step: r.or_default(&v, "step", Reader::int),
            finished_at: r.optional(&v, "finished_at", Reader::string),
            delivery,
        };
        r.done(draft)
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
        let r = Reader::default();
        let receipt = Receipt {
            id: r.text(&v, "id"),
            received_at: r.text(&v, "received_at"),
        };
        r.done(receipt)
    }

    pub fn error_detail(text_: &str) -> Option<ErrorDetail> {
        let e = field(&parse(text_)?, "error");
        if !e.is_object() {
            return None;
        }
        let r = Reader::default();
        let detail = ErrorDetail {
            code: r.or_default(&e, "code", Reader::string),
            message: r.or_default(&e, "message", Reader::string),
            fields: r.or_default(&e, "fields", |r, f| {
                r.list(f, |r, p| Problem {
                    field: r.text(p, "field"),
                    problem: r.text(p, "problem"),
                })
            }),
        };
        r.done(detail)
    }
}
