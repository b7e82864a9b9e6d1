//! Applying a [`crate::config`] mapping to a backend's JSON: JSON pointers, value maps, dates, amounts,
//! ids and pagination. Pure, so that every conversion is tested natively.
//!
//! A list is read record by record: a record the mapping cannot read is left out and reported as an
//! [`Unread`] (which record, which field, where, what was there and what was expected), so that one odd
//! record in a backend never hides the others.

use crate::config::{
    AmountUnit, Case, DateFormat, DetailResource, FieldKind, FieldSpec, Fields, Lines,
    ListResource, Pagination, Resource, Source,
};
use rapport_api::ApiError;
use rapport_api::{
    OrderDetail, OrderItem, OrderStatus, OrderSummary, Overview, Profile, RelationshipSummary,
    RequestEvent, RequestKind, ServiceRequest, Shipment,
};
use serde_json::Value;
use std::fmt;

/// What a value should have been; the portal words it in the reader's language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expected {
    /// Any value: it was absent or `null`.
    Present,
    /// A single value, not an object or array.
    Scalar,
    /// One of the value map's keys.
    OneOf(Vec<String>),
    Date(DateFormat),
    /// An amount in `unit` with at most `decimals` decimals (those of `currency`).
    Amount {
        unit: AmountUnit,
        decimals: u32,
        currency: String,
    },
    WholeNumber,
    OrderStatus,
    RequestKind,
    Array,
    Object,
    /// A `{"type", "id"}` of a resource in the answer's `included` array (JSON:API).
    Included,
}

impl fmt::Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expected::Present => write!(f, "a value"),
            Expected::Scalar => write!(f, "a single value, not an object or array"),
            Expected::OneOf(keys) => write!(f, "one of {}", keys.join(", ")),
            Expected::Date(format) => write!(f, "a date as {}", format.name()),
            Expected::Amount {
                unit,
                decimals,
                currency,
            } => {
                let unit = match unit {
                    AmountUnit::Major => "major",
                    AmountUnit::Minor => "minor",
                };
                write!(
                    f,
                    "an amount in {unit} units with at most {decimals} decimals ({currency})"
                )
            }
            Expected::WholeNumber => write!(f, "a whole number"),
            Expected::OrderStatus => write!(f, "an order status"),
            Expected::RequestKind => write!(f, "a request kind"),
            Expected::Array => write!(f, "an array"),
            Expected::Object => write!(f, "an object"),
            Expected::Included => write!(f, "the type and id of a resource in included"),
        }
    }
}

/// Why a value could not be mapped, and where: `orders[2].status` at `/state`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MapError {
    /// The portal's name of the place: `orders[2].status`.
    pub path: String,
    /// The portal's field (`status`); empty when the answer's structure itself is wrong.
    pub field: String,
    /// JSON pointer of the value, relative to the record (or to the answer, for structure).
    pub pointer: String,
    /// The value as the backend sent it (`None`: absent, or not a single value).
    pub value: Option<String>,
    /// Boxed: errors travel in every `Result` of the mapper, and most of them are `Ok`.
    pub expected: Box<Expected>,
}

impl fmt::Display for MapError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.value {
            Some(value) => write!(f, "{}: {value:?} is not {}", self.path, self.expected),
            None => write!(f, "{}: is not {}", self.path, self.expected),
        }
    }
}

impl From<MapError> for ApiError {
    fn from(error: MapError) -> Self {
        ApiError::Decode(error.to_string())
    }
}

/// The answer's structure is not what the mapping describes (no record to blame).
fn structure(path: &str, pointer: &str, expected: Expected) -> MapError {
    MapError {
        path: path.to_owned(),
        field: String::new(),
        pointer: pointer.to_owned(),
        value: None,
        expected: Box::new(expected),
    }
}

/// Which list a left-out record came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RecordKind {
    Order,
    Request,
    /// A line of an order.
    Line,
    /// A shipment of an order.
    Shipment,
}

/// A record the mapping could not read and that was left out, with everything needed to find it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unread {
    pub kind: RecordKind,
    /// Place in the backend's list, from 0 (over all pages read).
    pub position: usize,
    /// The record's id, if it could be read.
    pub id: Option<String>,
    pub field: String,
    /// JSON pointer of the offending value in the backend's answer.
    pub pointer: String,
    pub value: Option<String>,
    pub expected: Expected,
}

impl Unread {
    fn new(
        kind: RecordKind,
        position: usize,
        record_pointer: &str,
        fields: &Fields,
        record: &Value,
        error: MapError,
    ) -> Self {
        let id = match eval_spec(fields.get("id"), record) {
            Outcome::Value(id) => Some(id),
            _ => None,
        };
        Self {
            kind,
            position,
            id,
            field: error.field,
            pointer: format!("{record_pointer}{}", error.pointer),
            value: error.value,
            expected: *error.expected,
        }
    }

    /// Moves the position by the records of the pages before this one.
    pub fn shifted(mut self, by: usize) -> Self {
        self.position += by;
        self
    }
}

impl fmt::Display for Unread {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            RecordKind::Order => "order",
            RecordKind::Request => "request",
            RecordKind::Line => "order line",
            RecordKind::Shipment => "shipment",
        };
        match &self.id {
            Some(id) => write!(f, "{kind} {id:?}")?,
            None => write!(f, "{kind} at position {}", self.position + 1)?,
        }
        write!(f, " left out: field {} at {}: ", self.field, self.pointer)?;
        match &self.value {
            Some(value) => write!(f, "{value:?} is not {}", self.expected),
            None => write!(f, "is not {}", self.expected),
        }
    }
}

/// What evaluating a field's source gave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Value(String),
    /// Absent or `null`.
    Missing,
    /// Present, but not in the value map.
    Unmapped(String),
    /// An object or array where a single value was expected.
    NotScalar,
}

/// A scalar as text: strings as they are, numbers and booleans in their JSON spelling.
fn scalar(value: Option<&Value>) -> Outcome {
    match value {
        None | Some(Value::Null) => Outcome::Missing,
        Some(Value::String(s)) => Outcome::Value(s.clone()),
        Some(Value::Number(n)) => Outcome::Value(n.to_string()),
        Some(Value::Bool(b)) => Outcome::Value(b.to_string()),
        Some(_) => Outcome::NotScalar,
    }
}

fn eval_spec(spec: Option<&FieldSpec>, object: &Value) -> Outcome {
    spec.map_or(Outcome::Missing, |spec| eval(spec, object))
}

/// Evaluates a field spec against one object: source, then case, then value map.
pub fn eval(spec: &FieldSpec, object: &Value) -> Outcome {
    let raw = match &spec.source {
        Source::Pointer(pointer) => scalar(object.pointer(pointer)),
        Source::Const(value) => Outcome::Value(value.clone()),
        Source::Join {
            pointers,
            separator,
        } => {
            let mut parts = Vec::new();
            for pointer in pointers {
                match scalar(object.pointer(pointer)) {
                    // Padding from a hand-typed address would read as a stray gap.
                    Outcome::Value(v) if !v.trim().is_empty() => parts.push(v.trim().to_owned()),
                    Outcome::NotScalar => return Outcome::NotScalar,
                    _ => {}
                }
            }
            if parts.is_empty() {
                Outcome::Missing
            } else {
                Outcome::Value(parts.join(separator))
            }
        }
        Source::FirstOf(alternatives) => {
            let mut last = Outcome::Missing;
            for alternative in alternatives {
                match eval(alternative, object) {
                    Outcome::Value(v) => return Outcome::Value(v),
                    Outcome::NotScalar => return Outcome::NotScalar,
                    // Remember an unmapped value, so the error names what was seen.
                    unmapped @ Outcome::Unmapped(_) => last = unmapped,
                    Outcome::Missing => {}
                }
            }
            last
        }
    };
    let raw = match (raw, spec.case) {
        (Outcome::Value(v), Some(Case::Upper)) => Outcome::Value(v.to_uppercase()),
        (Outcome::Value(v), Some(Case::Lower)) => Outcome::Value(v.to_lowercase()),
        (other, _) => other,
    };
    let mapped = match (raw, &spec.values) {
        (Outcome::Value(v), Some(values)) => match values.get(&v) {
            Some(to) => Outcome::Value(to.clone()),
            None => Outcome::Unmapped(v),
        },
        (other, _) => other,
    };
    match (mapped, &spec.default) {
        (Outcome::Missing | Outcome::Unmapped(_), Some(default)) => Outcome::Value(default.clone()),
        (other, _) => other,
    }
}

/// The pointer to blame for a field's value: the one that gave (or should have given) it.
pub fn blame(spec: &FieldSpec, object: &Value) -> String {
    match &spec.source {
        Source::Pointer(pointer) => pointer.clone(),
        Source::Const(_) => String::new(),
        Source::Join { pointers, .. } => pointers
            .iter()
            .find(|p| scalar(object.pointer(p)) == Outcome::NotScalar)
            .or(pointers.first())
            .cloned()
            .unwrap_or_default(),
        Source::FirstOf(alternatives) => alternatives
            .iter()
            .find(|alt| eval(alt, object) != Outcome::Missing)
            .or(alternatives.first())
            .map(|alt| blame(alt, object))
            .unwrap_or_default(),
    }
}

/// The value map's keys, for the message about a value that is not among them.
fn value_keys(spec: &FieldSpec) -> Vec<String> {
    match (&spec.values, &spec.source) {
        (Some(values), _) => values.keys().cloned().collect(),
        (None, Source::FirstOf(alternatives)) => {
            let mut keys: Vec<String> = alternatives.iter().flat_map(value_keys).collect();
            keys.sort();
            keys.dedup();
            keys
        }
        (None, _) => Vec::new(),
    }
}

/// Reads the fields of one object; knows where the object is, for errors.
struct Reader<'a> {
    fields: &'a Fields,
    object: &'a Value,
    /// The portal's name of the object: `orders[2]`.
    path: &'a str,
}

impl Reader<'_> {
    fn error(&self, name: &str, value: Option<String>, expected: Expected) -> MapError {
        MapError {
            path: format!("{}.{name}", self.path),
            field: name.to_owned(),
            pointer: self
                .fields
                .get(name)
                .map(|spec| blame(spec, self.object))
                .unwrap_or_default(),
            value,
            expected: Box::new(expected),
        }
    }

    /// A field's text, or `None` when it is not mapped or absent.
    fn text(&self, name: &str) -> Result<Option<String>, MapError> {
        let Some(spec) = self.fields.get(name) else {
            return Ok(None);
        };
        match eval(spec, self.object) {
            Outcome::Value(v) => Ok(Some(v)),
            Outcome::Missing => Ok(None),
            Outcome::Unmapped(v) => {
                Err(self.error(name, Some(v), Expected::OneOf(value_keys(spec))))
            }
            Outcome::NotScalar => Err(self.error(name, None, Expected::Scalar)),
        }
    }

    fn required<T>(&self, name: &str, value: Option<T>) -> Result<T, MapError> {
        value.ok_or_else(|| self.error(name, None, Expected::Present))
    }

    /// A field converted to its kind: the one place where dates, counts and enums are parsed.
    /// Amounts need their currency: see [`Reader::amount`].
    fn typed(&self, name: &str, kind: FieldKind) -> Result<Option<String>, MapError> {
        let Some(value) = self.text(name)? else {
            return Ok(None);
        };
        let spec = self.fields.get(name);
        let converted = match kind {
            FieldKind::Date => {
                let format = spec.and_then(|s| s.date).unwrap_or(DateFormat::Rfc3339);
                parse_date(&value, format)
                    .ok_or_else(|| self.error(name, Some(value.clone()), Expected::Date(format)))?
            }
            FieldKind::Count => value
                .parse::<u32>()
                .map_err(|_| self.error(name, Some(value.clone()), Expected::WholeNumber))?
                .to_string(),
            FieldKind::OrderStatus => OrderStatus::parse(&value)
                .ok_or_else(|| self.error(name, Some(value.clone()), Expected::OrderStatus))?
                .as_str()
                .to_owned(),
            FieldKind::RequestKind => RequestKind::parse(&value)
                .ok_or_else(|| self.error(name, Some(value.clone()), Expected::RequestKind))?
                .as_str()
                .to_owned(),
            FieldKind::Text | FieldKind::Id | FieldKind::Amount => value,
        };
        Ok(Some(converted))
    }

    /// An amount in the portal's cents, exact for `currency`.
    fn amount(&self, name: &str, currency: &str) -> Result<Option<i64>, MapError> {
        let Some(value) = self.text(name)? else {
            return Ok(None);
        };
        let unit = self
            .fields
            .get(name)
            .and_then(|s| s.amount)
            .unwrap_or(AmountUnit::Minor);
        let cents = parse_money(&value, unit, currency).ok_or_else(|| {
            self.error(
                name,
                Some(value.clone()),
                Expected::Amount {
                    unit,
                    decimals: shown_decimals(currency),
                    currency: currency.to_owned(),
                },
            )
        })?;
        Ok(Some(cents))
    }

    fn id(&self, name: &str) -> Result<Option<MappedId>, MapError> {
        Ok(self.text(name)?.map(|key| MappedId::new(&key)))
    }
}

/// A backend id: the text the backend knows it by, and the number the portal uses in its URLs.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct MappedId {
    pub key: String,
    pub number: i64,
}

impl MappedId {
    /// Numeric ids are kept; any other text gets a stable number (FNV-1a, within JavaScript's safe
    /// integer range), so that links and reloads keep working without a lookup table on the server.
    pub fn new(key: &str) -> Self {
        let number = match key.parse::<i64>() {
            Ok(n) => n,
            Err(_) => stable_number(key),
        };
        Self {
            key: key.to_owned(),
            number,
        }
    }
}

/// FNV-1a of the text, masked to 53 bits.
pub fn stable_number(text: &str) -> i64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    (hash & ((1 << 53) - 1)) as i64
}

/// The object at a resource's root pointer.
fn at<'v>(body: &'v Value, pointer: &str, path: &str) -> Result<&'v Value, MapError> {
    match body.pointer(pointer) {
        Some(value) if value.is_object() => Ok(value),
        _ => Err(structure(path, pointer, Expected::Object)),
    }
}

/// The signed-in customer, and the backend's id for them.
pub fn map_customer(resource: &Resource, body: &Value) -> Result<(Profile, MappedId), MapError> {
    let object = at(body, &resource.root, "customer")?;
    let r = Reader {
        fields: &resource.fields,
        object,
        path: "customer",
    };
    let id = r.required("id", r.id("id")?)?;
    let name = r.required("name", r.typed("name", FieldKind::Text)?)?;
    let email = r.required("email", r.typed("email", FieldKind::Text)?)?;
    let since = r
        .typed("customer_since", FieldKind::Date)?
        .unwrap_or_default();
    Ok((
        Profile {
            id: id.number,
            name,
            email,
            customer_since: since,
            staff: false,
        },
        id,
    ))
}

/// An order as the portal shows it, with the backend's key and its delivery address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MappedOrder {
    pub summary: OrderSummary,
    pub key: String,
    pub ship_to: String,
}

/// One order object (from a list or a detail answer).
pub fn map_order(fields: &Fields, object: &Value, path: &str) -> Result<MappedOrder, MapError> {
    let r = Reader {
        fields,
        object,
        path,
    };
    let id = r.required("id", r.id("id")?)?;
    let number = r
        .typed("number", FieldKind::Text)?
        .unwrap_or_else(|| id.key.clone());
    let placed_at = r.required("placed_at", r.typed("placed_at", FieldKind::Date)?)?;
    let status = r.required("status", r.typed("status", FieldKind::OrderStatus)?)?;
    let currency = r.required("currency", r.typed("currency", FieldKind::Text)?)?;
    let total = r.required("total", r.amount("total", &currency)?)?;
    let ship_to = r.typed("ship_to", FieldKind::Text)?.unwrap_or_default();
    Ok(MappedOrder {
        summary: OrderSummary {
            id: id.number,
            number,
            placed_at,
            // Checked by `typed`; the fallback is unreachable.
            status: OrderStatus::parse(&status).unwrap_or(OrderStatus::Placed),
            total_cents: total,
            currency,
        },
        key: id.key,
        ship_to,
    })
}

/// One page of a list, where the next one starts (`None`: this was the last), and the records of this
/// page that were left out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<String>,
    pub total: Option<u32>,
    /// Positions count from the start of this page.
    pub unread: Vec<Unread>,
    /// How many records the backend sent on this page (read or not).
    pub sent: usize,
}

/// The array of a list answer.
fn list_items<'v>(
    list: &ListResource,
    body: &'v Value,
    path: &str,
) -> Result<&'v [Value], MapError> {
    match body.pointer(&list.items) {
        Some(Value::Array(items)) => Ok(items),
        _ => Err(structure(path, &list.items, Expected::Array)),
    }
}

/// A page of orders. A record that cannot be read is left out and reported.
pub fn map_orders_page(
    list: &ListResource,
    body: &Value,
    position: Option<&str>,
    limit: u32,
) -> Result<Page<MappedOrder>, MapError> {
    let items = list_items(list, body, "orders")?;
    let mut orders = Vec::new();
    let mut unread = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match map_order(&list.fields, item, &format!("orders[{i}]")) {
            Ok(order) => orders.push(order),
            Err(error) => {
                let at = format!("{}/{i}", list.items);
                unread.push(Unread::new(
                    RecordKind::Order,
                    i,
                    &at,
                    &list.fields,
                    item,
                    error,
                ));
            }
        }
    }
    let next = next_position(&list.pagination, body, position, limit, items.len());
    Ok(Page {
        items: orders,
        next,
        total: total(&list.pagination, body),
        unread,
        sent: items.len(),
    })
}

/// An order with its lines. Invoices, payments and shipments are not part of the mapping, and requests
/// come from the requests list: the order page then shows what it has.
pub fn map_order_detail(detail: &DetailResource, body: &Value) -> Result<MappedOrder, MapError> {
    Ok(map_order_detail_full(detail, body)?.0)
}

/// [`map_order_detail`] with the [`OrderDetail`] the order page renders. Lines that cannot be read
/// are left out and reported; the order itself must be readable.
pub fn map_order_detail_full(
    detail: &DetailResource,
    body: &Value,
) -> Result<(MappedOrder, OrderDetail, Vec<Unread>), MapError> {
    let object = at(body, &detail.resource.root, "order")?;
    let linked;
    let object = match &detail.included {
        Some(pointer) => {
            linked = with_relations(object, body.pointer(pointer));
            &linked
        }
        None => object,
    };
    let order = map_order(&detail.resource.fields, object, "order")?;
    let mut unread = Vec::new();
    let currency = order.summary.currency.clone();
    let items = nested(
        detail.lines.as_ref(),
        RecordKind::Line,
        "order.lines",
        object,
        body,
        &detail.resource.root,
        &mut unread,
        |fields, line, i| map_line(fields, line, i, &currency),
    )?;
    let shipments = nested(
        detail.shipments.as_ref(),
        RecordKind::Shipment,
        "order.shipments",
        object,
        body,
        &detail.resource.root,
        &mut unread,
        map_shipment,
    )?;
    let detail = OrderDetail {
        order: order.summary.clone(),
        ship_to: order.ship_to.clone(),
        items,
        invoices: Vec::new(),
        payments: Vec::new(),
        shipments,
        requests: Vec::new(),
    };
    Ok((order, detail, unread))
}

/// The records of an array inside an order (its lines or shipments), each read by `map`; one that
/// cannot be read is left out and reported. With `included`, the array holds JSON:API references.
#[allow(clippy::too_many_arguments)] // One private helper for two arrays; a struct would only rename them.
fn nested<T>(
    spec: Option<&Lines>,
    kind: RecordKind,
    path: &str,
    object: &Value,
    body: &Value,
    root: &str,
    unread: &mut Vec<Unread>,
    map: impl Fn(&Fields, &Value, usize) -> Result<T, MapError>,
) -> Result<Vec<T>, MapError> {
    let Some(spec) = spec else {
        return Ok(Vec::new());
    };
    let array = match object.pointer(&spec.pointer) {
        Some(Value::Array(array)) => array.as_slice(),
        None | Some(Value::Null) => &[],
        Some(_) => return Err(structure(path, &spec.pointer, Expected::Array)),
    };
    let included = spec.included.as_deref().map(|p| body.pointer(p));
    let mut records = Vec::new();
    for (i, element) in array.iter().enumerate() {
        let at = format!("{root}{}/{i}", spec.pointer);
        let record = match included {
            None => element,
            Some(resources) => match resolve(resources, element) {
                Some(resource) => resource,
                None => {
                    unread.push(Unread {
                        kind,
                        position: i,
                        id: scalar_text(element.get("id")),
                        field: "id".to_owned(),
                        pointer: format!("{at}/id"),
                        value: scalar_text(element.get("id")),
                        expected: Expected::Included,
                    });
                    continue;
                }
            },
        };
        match map(&spec.fields, record, i) {
            Ok(item) => records.push(item),
            Err(error) => unread.push(Unread::new(kind, i, &at, &spec.fields, record, error)),
        }
    }
    Ok(records)
}

/// One shipment of an order.
fn map_shipment(fields: &Fields, shipment: &Value, i: usize) -> Result<Shipment, MapError> {
    let path = format!("order.shipments[{i}]");
    let r = Reader {
        fields,
        object: shipment,
        path: &path,
    };
    Ok(Shipment {
        id: r.id("id")?.map_or(i as i64 + 1, |id| id.number),
        carrier: r.typed("carrier", FieldKind::Text)?.unwrap_or_default(),
        tracking_number: r
            .typed("tracking_number", FieldKind::Text)?
            .unwrap_or_default(),
        shipped_at: r.typed("shipped_at", FieldKind::Date)?,
        expected_at: r.typed("expected_at", FieldKind::Date)?,
        delivered_at: r.typed("delivered_at", FieldKind::Date)?,
        events: Vec::new(),
    })
}

/// The object with each to-one relationship's identifier (`/relationships/<name>/data`) replaced by the
/// resource it names in `included`, so that fields can point into it. An identifier whose resource
/// is missing stays as it is (its fields then read as absent); to-many arrays stay as they are.
fn with_relations(object: &Value, included: Option<&Value>) -> Value {
    let mut linked = object.clone();
    if let Some(Value::Object(relations)) = linked.pointer_mut("/relationships") {
        for relation in relations.values_mut() {
            let Some(data) = relation.get_mut("data").filter(|d| d.is_object()) else {
                continue;
            };
            if let Some(resource) = resolve(included, data) {
                *data = resource.clone();
            }
        }
    }
    linked
}

/// The resource an identifier (`{"type": "line_item", "id": "7"}`) refers to in JSON:API's `included`.
fn resolve<'v>(included: Option<&'v Value>, identifier: &Value) -> Option<&'v Value> {
    let kind = identifier.get("type")?;
    let id = scalar_text(identifier.get("id"))?;
    included?
        .as_array()?
        .iter()
        .find(|r| r.get("type") == Some(kind) && scalar_text(r.get("id")).as_deref() == Some(&id))
}

fn scalar_text(value: Option<&Value>) -> Option<String> {
    match scalar(value) {
        Outcome::Value(text) => Some(text),
        _ => None,
    }
}

/// One order line, priced in its order's currency.
fn map_line(
    fields: &Fields,
    line: &Value,
    i: usize,
    currency: &str,
) -> Result<OrderItem, MapError> {
    let path = format!("order.lines[{i}]");
    let r = Reader {
        fields,
        object: line,
        path: &path,
    };
    let id = r.id("id")?.map_or(i as i64 + 1, |id| id.number);
    let name = r.required("name", r.typed("name", FieldKind::Text)?)?;
    let quantity = r.required("quantity", r.typed("quantity", FieldKind::Count)?)?;
    let price = r.required("unit_price", r.amount("unit_price", currency)?)?;
    Ok(OrderItem {
        id,
        sku: r.typed("sku", FieldKind::Text)?.unwrap_or_default(),
        name,
        // Checked by `typed`; the fallback is unreachable.
        quantity: quantity.parse().unwrap_or(0),
        unit_price_cents: price,
    })
}

/// A return or other request, with the backend key of its order (if any).
pub fn map_request(
    fields: &Fields,
    object: &Value,
    path: &str,
) -> Result<(ServiceRequest, Option<String>), MapError> {
    let r = Reader {
        fields,
        object,
        path,
    };
    let id = r.required("id", r.id("id")?)?;
    let kind = r
        .typed("kind", FieldKind::RequestKind)?
        .and_then(|k| RequestKind::parse(&k))
        .unwrap_or(RequestKind::Return);
    let status = r.required("status", r.typed("status", FieldKind::Text)?)?;
    let created_at = r.required("created_at", r.typed("created_at", FieldKind::Date)?)?;
    let order = r.id("order_id")?;
    let request = ServiceRequest {
        id: id.number,
        kind,
        status: status.clone(),
        order_id: order.as_ref().map(|o| o.number),
        order_number: r
            .typed("order_number", FieldKind::Text)?
            .or_else(|| order.as_ref().map(|o| o.key.clone())),
        item_ids: Vec::new(),
        reason: r.typed("reason", FieldKind::Text)?.unwrap_or_default(),
        description: r.typed("description", FieldKind::Text)?.unwrap_or_default(),
        events: vec![RequestEvent {
            at: created_at.clone(),
            status,
            note: String::new(),
        }],
        created_at,
    };
    Ok((request, order.map(|o| o.key)))
}

/// A page of requests. A record that cannot be read is left out and reported.
pub fn map_requests_page(
    list: &ListResource,
    body: &Value,
    position: Option<&str>,
    limit: u32,
) -> Result<Page<(ServiceRequest, Option<String>)>, MapError> {
    let items = list_items(list, body, "requests")?;
    let mut requests = Vec::new();
    let mut unread = Vec::new();
    let mut read = |record: &Value, at: String, path: String, position: usize| match map_request(
        &list.fields,
        record,
        &path,
    ) {
        Ok(request) => requests.push(request),
        Err(error) => unread.push(Unread::new(
            RecordKind::Request,
            position,
            &at,
            &list.fields,
            record,
            error,
        )),
    };
    let mut position_in_list = 0;
    let mut not_lists = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let path = format!("requests[{i}]");
        let at = format!("{}/{i}", list.items);
        let Some(each) = &list.each else {
            read(item, at, path, i);
            continue;
        };
        let nested = match item.pointer(each) {
            Some(Value::Array(nested)) => nested.as_slice(),
            // An order without returns (or a backend that left them out) simply has none.
            None | Some(Value::Null) => &[],
            Some(_) => {
                not_lists.push(Unread {
                    kind: RecordKind::Request,
                    position: position_in_list,
                    id: None,
                    field: each.trim_start_matches('/').to_owned(),
                    pointer: format!("{at}{each}"),
                    value: None,
                    expected: Expected::Array,
                });
                continue;
            }
        };
        for (j, element) in nested.iter().enumerate() {
            // The element with its item under `$parent`, so a field can read the order's number.
            let mut element = element.clone();
            if let Value::Object(object) = &mut element {
                object.insert("$parent".to_owned(), item.clone());
            }
            read(
                &element,
                format!("{at}{each}/{j}"),
                format!("{path}{each}[{j}]"),
                position_in_list,
            );
            position_in_list += 1;
        }
    }
    unread.extend(not_lists);
    Ok(Page {
        next: next_position(&list.pagination, body, position, limit, items.len()),
        total: total(&list.pagination, body),
        items: requests,
        unread,
        sent: items.len(),
    })
}

/// Sorts orders newest first by their mapped date, keeping the backend's order among equal dates.
/// Mapped dates are all `YYYY-MM-DDTHH:MM:SSZ` in UTC, so comparing the text compares the instants;
/// the backend's own order is not trusted (it may sort `dd/mm/yyyy` text, or by id).
pub fn newest_first(orders: &mut [MappedOrder]) {
    orders.sort_by(|a, b| b.summary.placed_at.cmp(&a.summary.placed_at));
}

/// The part of a whole list that a page at `cursor` (a place in the list, from 0) shows, and the cursor
/// of the next page (`None`: this was the last). A cursor that is not a number starts at the top.
pub fn window<T>(items: Vec<T>, cursor: Option<&str>, limit: u32) -> (Vec<T>, Option<String>) {
    let start = cursor
        .and_then(|c| c.parse::<usize>().ok())
        .unwrap_or(0)
        .min(items.len());
    let end = start.saturating_add(limit.max(1) as usize).min(items.len());
    let next = (end < items.len()).then(|| end.to_string());
    let page = items.into_iter().skip(start).take(end - start).collect();
    (page, next)
}

/// Request statuses after which nothing more happens (the reference server's closed set).
pub const CLOSED_REQUEST_STATUSES: [&str; 3] = ["resolved", "closed", "rejected"];

/// The overview of a mapped backend, put together from the customer, the first page of orders (with the
/// backend's total, if any) and the requests. Spend over the last 365 days leaves out cancelled orders
/// and counts only the latest order's currency, as the reference server does.
pub fn overview(
    customer: Profile,
    orders: &[OrderSummary],
    order_total: Option<u32>,
    requests: &[ServiceRequest],
    now_seconds: i64,
) -> Overview {
    let latest = orders
        .iter()
        .max_by(|a, b| a.placed_at.cmp(&b.placed_at))
        .cloned();
    let currency = latest
        .as_ref()
        .map_or_else(|| "EUR".to_owned(), |o| o.currency.clone());
    let since = format_rfc3339(now_seconds - 365 * 86_400).unwrap_or_default();
    let recent: Vec<&OrderSummary> = orders.iter().filter(|o| o.placed_at >= since).collect();
    let spent = recent
        .iter()
        .filter(|o| o.status != OrderStatus::Cancelled && o.currency == currency)
        .map(|o| o.total_cents)
        .sum();
    // In the backend's order (its endpoint template can ask for newest first).
    let mut open: Vec<ServiceRequest> = requests
        .iter()
        .filter(|r| !CLOSED_REQUEST_STATUSES.contains(&r.status.as_str()))
        .cloned()
        .collect();
    let open_requests = u32::try_from(open.len()).unwrap_or(u32::MAX);
    open.truncate(5);
    Overview {
        customer,
        order_count: order_total.unwrap_or(u32::try_from(orders.len()).unwrap_or(u32::MAX)),
        relationship: RelationshipSummary {
            orders_last_12_months: u32::try_from(recent.len()).unwrap_or(u32::MAX),
            spent_last_12_months_cents: spent,
            currency,
            first_order_at: orders.iter().map(|o| o.placed_at.clone()).min(),
        },
        latest_order: latest,
        open_requests,
        open_request_list: open,
    }
}

/// The query pairs that ask for the page at `position` (an opaque string from [`next_position`];
/// `None`: the first page).
pub fn page_query(
    pagination: &Pagination,
    position: Option<&str>,
    limit: u32,
) -> Vec<(String, String)> {
    match pagination {
        Pagination::None => Vec::new(),
        Pagination::Offset {
            offset_param,
            limit_param,
            ..
        } => {
            let offset = position.and_then(|p| p.parse::<u64>().ok()).unwrap_or(0);
            vec![
                (offset_param.clone(), offset.to_string()),
                (limit_param.clone(), limit.to_string()),
            ]
        }
        Pagination::Page {
            page_param,
            size_param,
            first,
            ..
        } => {
            let page = position
                .and_then(|p| p.parse::<u64>().ok())
                .unwrap_or(u64::from(*first));
            vec![
                (page_param.clone(), page.to_string()),
                (size_param.clone(), limit.to_string()),
            ]
        }
        Pagination::Cursor {
            cursor_param,
            limit_param,
            ..
        } => {
            let mut pairs = vec![(limit_param.clone(), limit.to_string())];
            if let Some(cursor) = position {
                pairs.push((cursor_param.clone(), cursor.to_owned()));
            }
            pairs
        }
    }
}

/// Where the page after this one starts, or `None` on the last page. Without a total, a page shorter
/// than the limit is the last; an empty page always is (a backend that ignores the limit cannot loop).
pub fn next_position(
    pagination: &Pagination,
    body: &Value,
    position: Option<&str>,
    limit: u32,
    got: usize,
) -> Option<String> {
    if got == 0 {
        return None;
    }
    let got = got as u64;
    match pagination {
        Pagination::None => None,
        Pagination::Offset { .. } => {
            let offset = position.and_then(|p| p.parse::<u64>().ok()).unwrap_or(0);
            let next = offset + got;
            let more = match total(pagination, body) {
                Some(total) => next < u64::from(total),
                None => got >= u64::from(limit),
            };
            more.then(|| next.to_string())
        }
        Pagination::Page { first, .. } => {
            let page = position
                .and_then(|p| p.parse::<u64>().ok())
                .unwrap_or(u64::from(*first));
            let seen = (page + 1 - u64::from(*first)) * u64::from(limit);
            let more = match total(pagination, body) {
                Some(total) => seen < u64::from(total),
                None => got >= u64::from(limit),
            };
            more.then(|| (page + 1).to_string())
        }
        Pagination::Cursor { next, .. } => match scalar(body.pointer(next)) {
            Outcome::Value(cursor) if !cursor.is_empty() && Some(cursor.as_str()) != position => {
                Some(cursor)
            }
            _ => None,
        },
    }
}

/// The number of entries over all pages, if the backend says.
pub fn total(pagination: &Pagination, body: &Value) -> Option<u32> {
    let pointer = match pagination {
        Pagination::None => return None,
        Pagination::Offset { total, .. }
        | Pagination::Page { total, .. }
        | Pagination::Cursor { total, .. } => total.as_deref()?,
    };
    match scalar(body.pointer(pointer)) {
        Outcome::Value(v) => v.parse().ok(),
        _ => None,
    }
}

/// A date in `format`, as RFC 3339 in UTC (`2026-02-14T09:30:00Z`); `None` if it is not one.
pub fn parse_date(text: &str, format: DateFormat) -> Option<String> {
    let text = text.trim();
    let seconds = match format {
        DateFormat::Rfc3339 => parse_rfc3339(text)?,
        DateFormat::UnixSeconds => parse_whole(text)?,
        DateFormat::UnixMillis => parse_whole(text)?.div_euclid(1000),
        DateFormat::Ymd => date_only(text, '-', [0, 1, 2])?,
        DateFormat::DmyDash => date_only(text, '-', [2, 1, 0])?,
        DateFormat::DmySlash => date_only(text, '/', [2, 1, 0])?,
        DateFormat::DmyDot => date_only(text, '.', [2, 1, 0])?,
        DateFormat::MdySlash => date_only(text, '/', [2, 0, 1])?,
    };
    format_rfc3339(seconds)
}

/// An integer, allowing a zero fraction (`1700000000.0`, as some JSON encoders write whole numbers).
fn parse_whole(text: &str) -> Option<i64> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if !fraction.bytes().all(|b| b == b'0') {
        return None;
    }
    whole.parse().ok()
}

/// `order` says at which positions year, month and day stand.
fn date_only(text: &str, separator: char, order: [usize; 3]) -> Option<i64> {
    let parts: Vec<&str> = text.split(separator).collect();
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    if parts[order[0]].len() != 4 || parts[order[1]].len() > 2 || parts[order[2]].len() > 2 {
        return None;
    }
    let year: i64 = parts[order[0]].parse().ok()?;
    let month: u32 = parts[order[1]].parse().ok()?;
    let day: u32 = parts[order[2]].parse().ok()?;
    Some(days_from_civil(year, month, day)? * 86_400)
}

fn two(text: &str, at: usize) -> Option<u32> {
    let digits = text.get(at..at + 2)?;
    digits
        .bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| digits.parse().ok())?
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` to seconds since the epoch (the fraction is dropped).
fn parse_rfc3339(text: &str) -> Option<i64> {
    if text.len() < 20 || !text.is_char_boundary(19) {
        return None;
    }
    let b = text.as_bytes();
    if b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b't' | b' ')
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let year: i64 = text[..4]
        .bytes()
        .all(|c| c.is_ascii_digit())
        .then(|| text[..4].parse().ok())??;
    let (month, day) = (two(text, 5)?, two(text, 8)?);
    let (hour, minute, second) = (two(text, 11)?, two(text, 14)?, two(text, 17)?);
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut rest = &text[19..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        rest = &fraction[digits..];
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ if rest.len() == 6 && matches!(&rest[3..4], ":") => {
            let sign = match &rest[..1] {
                "+" => 1,
                "-" => -1,
                _ => return None,
            };
            let (h, m) = (two(rest, 1)?, two(rest, 4)?);
            if h > 23 || m > 59 {
                return None;
            }
            sign * i64::from(h * 3600 + m * 60)
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day)?;
    // A leap second is folded into the next second's minute; good enough for a date on a page.
    Some(days * 86_400 + i64::from(hour * 3600 + minute * 60 + second.min(59)) - offset)
}

pub use rapport_core::days::{civil_from_days, days_from_civil};

/// Seconds since the epoch as `YYYY-MM-DDTHH:MM:SSZ`; `None` outside the years 0–9999.
pub fn format_rfc3339(seconds: i64) -> Option<String> {
    let days = seconds.div_euclid(86_400);
    let in_day = seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    if !(0..=9999).contains(&year) {
        return None;
    }
    Some(format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        in_day / 3600,
        in_day % 3600 / 60,
        in_day % 60
    ))
}

/// Decimals of a currency's minor unit (ISO 4217); 2 for any code not listed.
pub fn currency_decimals(currency: &str) -> u32 {
    const NONE: [&str; 17] = [
        "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND",
        "VUV", "XAF", "XOF", "XPF",
    ];
    const THREE: [&str; 7] = ["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"];
    const FOUR: [&str; 2] = ["CLF", "UYW"];
    let code = currency.trim().to_ascii_uppercase();
    if NONE.contains(&code.as_str()) {
        0
    } else if THREE.contains(&code.as_str()) {
        3
    } else if FOUR.contains(&code.as_str()) {
        4
    } else {
        2
    }
}

/// Decimals an amount in `currency` may have on the portal, which counts in hundredths.
pub fn shown_decimals(currency: &str) -> u32 {
    currency_decimals(currency).min(2)
}

/// An amount in `currency`, in the portal's hundredths; `None` if it is not a number or has more
/// decimals than the currency (and the portal) can hold: `12.505` EUR is a mapping error, not €12.51.
pub fn parse_money(text: &str, unit: AmountUnit, currency: &str) -> Option<i64> {
    let decimals = currency_decimals(currency);
    match unit {
        AmountUnit::Major => parse_amount(text, AmountUnit::Major, decimals.min(2)),
        AmountUnit::Minor => {
            let minor = parse_amount(text, AmountUnit::Minor, 0)?;
            match decimals {
                0..=2 => minor.checked_mul(10_i64.pow(2 - decimals)),
                _ => {
                    let per_cent = 10_i64.pow(decimals - 2);
                    (minor % per_cent == 0).then_some(minor / per_cent)
                }
            }
        }
    }
}

/// An amount as hundredths: major units are decimal text with at most `decimals` (≤ 2) significant
/// decimals, read exactly (never as a float); minor units are a whole number, taken as they are.
pub fn parse_amount(text: &str, unit: AmountUnit, decimals: u32) -> Option<i64> {
    let text = text.trim();
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    if whole.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !fraction.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let allowed = match unit {
        AmountUnit::Minor => 0,
        AmountUnit::Major => decimals.min(2) as usize,
    };
    // Trailing zeros lose nothing; any other digit past the allowed ones would have to be rounded.
    if fraction.bytes().skip(allowed).any(|b| b != b'0') {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let cents = match unit {
        AmountUnit::Minor => whole,
        AmountUnit::Major => {
            let f = fraction.as_bytes();
            let digit = |i: usize| f.get(i).map_or(0, |b| i64::from(b - b'0'));
            whole
                .checked_mul(100)?
                .checked_add(digit(0) * 10 + digit(1))?
        }
    };
    Some(if negative { -cents } else { cents })
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::config::{self, Backend, PortalConfig};
    use proptest::prelude::*;
    use serde_json::json;
    use std::collections::BTreeMap;

    fn medusa() -> PortalConfig {
        config::from_value(&json!({"preset": "medusa", "base_url": "http://127.0.0.1:9000"}))
            .unwrap()
    }

    fn mapping(config: &PortalConfig) -> &config::Mapping {
        match &config.backend {
            Backend::Mapped(m) => m,
            Backend::Reference => panic!("not mapped"),
        }
    }

    fn medusa_order(id: &str, status: &str, fulfillment: &str, payment: &str) -> Value {
        json!({
            "id": id, "display_id": 1042, "status": status, "fulfillment_status": fulfillment,
            "payment_status": payment, "created_at": "2026-02-14T10:30:00.000+01:00",
            "currency_code": "eur", "total": 64.9,
            "shipping_address": {"address_1": "Lindenlaan 3", "postal_code": "3512 AB", "city": "Utrecht", "country_code": "nl"},
            "items": [{"id": "item_1", "title": "Mug", "product_title": "Stoneware mug", "variant_sku": "MUG-1", "quantity": 2, "unit_price": 12.45}]
        })
    }

    #[test]
    fn medusa_customer_and_orders_map() {
        let config = medusa();
        let m = mapping(&config);
        let body = json!({"customer": {"id": "cus_01", "first_name": "Ilse", "last_name": "de Wit",
            "email": "ilse@example.test", "created_at": "2024-05-01T08:00:00Z"}});
        let (profile, id) = map_customer(&m.customer, &body).unwrap();
        assert_eq!(profile.name, "Ilse de Wit");
        assert_eq!(profile.customer_since, "2024-05-01T08:00:00Z");
        assert_eq!(id.key, "cus_01");
        assert_eq!(profile.id, stable_number("cus_01"));

        let body = json!({"orders": [
            medusa_order("order_a", "pending", "delivered", "captured"),
            medusa_order("order_b", "canceled", "delivered", "captured"),
            medusa_order("order_c", "pending", "not_fulfilled", "captured"),
            medusa_order("order_d", "pending", "not_fulfilled", "awaiting"),
            medusa_order("order_e", "completed", "not_fulfilled", "awaiting"),
        ], "count": 12, "offset": 0, "limit": 5});
        let page = map_orders_page(&m.orders, &body, None, 5).unwrap();
        let statuses: Vec<_> = page.items.iter().map(|o| o.summary.status).collect();
        assert_eq!(
            statuses,
            [
                OrderStatus::Delivered,
                OrderStatus::Cancelled,
                OrderStatus::Paid,
                OrderStatus::Placed,
                OrderStatus::Delivered
            ]
        );
        let first = &page.items[0].summary;
        assert_eq!(first.number, "1042");
        assert_eq!(first.total_cents, 6490);
        assert_eq!(first.currency, "EUR");
        assert_eq!(first.placed_at, "2026-02-14T09:30:00Z");
        assert_eq!(page.next.as_deref(), Some("5"));
        assert_eq!(page.total, Some(12));
    }

    #[test]
    fn medusa_returns_are_gathered_from_each_order() {
        let config = medusa();
        let m = mapping(&config);
        let list = m.requests.as_ref().unwrap();
        let ret = |id: &str, status: &str| {
            json!({"id": id, "status": status, "order_id": "order_a",
                "created_at": "2026-03-02T11:00:00.000+01:00",
                "items": [{"id": "retitem_1", "item_id": "item_1", "quantity": 1,
                    "reason": {"label": "Too small"}, "note": "Needs a size up"}]})
        };
        let mut with_returns = medusa_order("order_a", "pending", "delivered", "captured");
        with_returns["returns"] = json!([
            ret("ret_1", "requested"),
            ret("ret_2", "partially_received"),
            ret("ret_3", "received"),
            ret("ret_4", "canceled"),
            ret("ret_5", "in_transit")
        ]);
        let mut no_returns = medusa_order("order_b", "pending", "shipped", "captured");
        no_returns["returns"] = json!(null);
        let body = json!({"orders": [with_returns, no_returns, medusa_order("order_c", "pending", "shipped", "captured")],
            "count": 3, "offset": 0, "limit": 100});
        let page = map_requests_page(list, &body, None, 100).unwrap();
        let statuses: Vec<_> = page.items.iter().map(|(r, _)| r.status.as_str()).collect();
        // Known statuses become the portal's; others pass through as they are.
        assert_eq!(
            statuses,
            ["submitted", "in_review", "resolved", "closed", "in_transit"]
        );
        let (first, key) = &page.items[0];
        assert_eq!(first.id, stable_number("ret_1"));
        assert_eq!(first.kind, RequestKind::Return);
        assert_eq!(first.order_id, Some(stable_number("order_a")));
        assert_eq!(first.order_number.as_deref(), Some("1042"));
        assert_eq!(first.reason, "Too small");
        assert_eq!(first.description, "Needs a size up");
        assert_eq!(first.created_at, "2026-03-02T10:00:00Z");
        assert_eq!(key.as_deref(), Some("order_a"));
        // Paging follows the orders, not the returns.
        assert_eq!(page.next, None);
        assert_eq!(page.total, Some(3));

        let mut bad = medusa_order("order_a", "pending", "delivered", "captured");
        bad["returns"] = json!({"id": "ret_1"});
        let page = map_requests_page(list, &json!({"orders": [bad]}), None, 100).unwrap();
        assert!(page.items.is_empty());
        assert_eq!(page.unread[0].pointer, "/orders/0/returns");
        assert_eq!(page.unread[0].expected, Expected::Array);
        let mut unnamed = medusa_order("order_a", "pending", "delivered", "captured");
        unnamed["returns"] = json!([
            {"status": "requested", "created_at": "2026-03-02T10:00:00Z"},
            ret("ret_9", "requested")
        ]);
        let page = map_requests_page(list, &json!({"orders": [unnamed]}), None, 100).unwrap();
        assert_eq!(page.items.len(), 1);
        let unread = &page.unread[0];
        assert_eq!(
            (unread.position, unread.id.as_deref(), unread.field.as_str()),
            (0, None, "id")
        );
        assert_eq!(unread.pointer, "/orders/0/returns/0/id");
        assert_eq!(
            unread.to_string(),
            "request at position 1 left out: field id at /orders/0/returns/0/id: is not a value"
        );
    }

    #[test]
    fn only_the_requests_list_may_gather_nested_arrays() {
        let problems = config::from_value(&json!({"preset": "medusa", "resources": {
            "orders": {"endpoint": "/o", "items": "/orders", "each": "/returns",
                "fields": {"id": "/id", "placed_at": "/at", "status": {"const": "placed"},
                    "total": "/t", "currency": "/c"}}}}))
        .unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].path, "resources.orders.each");
    }

    #[test]
    fn medusa_order_detail_maps_lines_and_address() {
        let config = medusa();
        let body = json!({"order": medusa_order("order_a", "pending", "shipped", "captured")});
        let (order, detail, unread) =
            map_order_detail_full(&mapping(&config).order, &body).unwrap();
        assert!(unread.is_empty());
        assert_eq!(order.key, "order_a");
        assert_eq!(detail.order.status, OrderStatus::Shipped);
        assert_eq!(detail.ship_to, "Lindenlaan 3, 3512 AB, Utrecht, nl");
        assert_eq!(detail.items.len(), 1);
        assert_eq!(detail.items[0].name, "Stoneware mug");
        assert_eq!(detail.items[0].unit_price_cents, 1245);
        assert_eq!(detail.items[0].sku, "MUG-1");
    }

    #[test]
    fn unmapped_status_names_the_value_and_place() {
        let config = medusa();
        let body =
            json!({"orders": [medusa_order("o", "teleported", "not_fulfilled", "awaiting")]});
        let page = map_orders_page(&mapping(&config).orders, &body, None, 20).unwrap();
        assert!(page.items.is_empty());
        let unread = &page.unread[0];
        assert_eq!(unread.id.as_deref(), Some("o"));
        assert_eq!(unread.field, "status");
        // The status is read from several fields; the first one present is named.
        assert_eq!(unread.pointer, "/orders/0/status");
        assert_eq!(unread.value.as_deref(), Some("teleported"));
        assert!(
            matches!(&unread.expected, Expected::OneOf(keys) if keys.contains(&"canceled".to_owned()))
        );
        let body = json!({"orders": {"not": "an array"}});
        assert!(map_orders_page(&mapping(&config).orders, &body, None, 20).is_err());
    }

    #[test]
    fn value_maps_defaults_and_case() {
        let spec = FieldSpec {
            values: Some(BTreeMap::from([("SENT".to_owned(), "shipped".to_owned())])),
            default: Some("placed".into()),
            case: Some(Case::Upper),
            ..FieldSpec::pointer("/state")
        };
        assert_eq!(
            eval(&spec, &json!({"state": "sent"})),
            Outcome::Value("shipped".into())
        );
        assert_eq!(
            eval(&spec, &json!({"state": "odd"})),
            Outcome::Value("placed".into())
        );
        assert_eq!(eval(&spec, &json!({})), Outcome::Value("placed".into()));
        let strict = FieldSpec {
            default: None,
            ..spec
        };
        assert_eq!(
            eval(&strict, &json!({"state": "odd"})),
            Outcome::Unmapped("ODD".into())
        );
        assert_eq!(
            eval(&strict, &json!({"state": {"a": 1}})),
            Outcome::NotScalar
        );
    }

    #[test]
    fn dates_in_every_named_format() {
        let cases = [
            ("2026-02-14T10:30:00+01:00", DateFormat::Rfc3339),
            ("2026-02-14T09:30:00.999Z", DateFormat::Rfc3339),
            ("1771061400", DateFormat::UnixSeconds),
            ("1771061400000", DateFormat::UnixMillis),
            ("1771061400.0", DateFormat::UnixSeconds),
        ];
        for (text, format) in cases {
            assert_eq!(
                parse_date(text, format).as_deref(),
                Some("2026-02-14T09:30:00Z"),
                "{text}"
            );
        }
        let days = [
            ("2026-02-14", DateFormat::Ymd),
            ("14-02-2026", DateFormat::DmyDash),
            ("14/2/2026", DateFormat::DmySlash),
            ("14.02.2026", DateFormat::DmyDot),
            ("02/14/2026", DateFormat::MdySlash),
        ];
        for (text, format) in days {
            assert_eq!(
                parse_date(text, format).as_deref(),
                Some("2026-02-14T00:00:00Z"),
                "{text}"
            );
        }
        for (text, format) in [
            ("2026-02-30", DateFormat::Ymd),
            ("2025-02-29", DateFormat::Ymd),
            ("14/02/2026", DateFormat::MdySlash),
            ("2026-02-14", DateFormat::Rfc3339),
            ("2026-02-14T25:00:00Z", DateFormat::Rfc3339),
            ("2026-02-14T10:00:00+0100", DateFormat::Rfc3339),
            ("17.5", DateFormat::UnixSeconds),
            ("soon", DateFormat::UnixMillis),
        ] {
            assert_eq!(parse_date(text, format), None, "{text}");
        }
        assert_eq!(
            parse_date("2024-02-29", DateFormat::Ymd).as_deref(),
            Some("2024-02-29T00:00:00Z")
        );
    }

    #[test]
    fn amounts_are_exact() {
        let major = |text| parse_money(text, AmountUnit::Major, "EUR");
        let minor = |text, currency| parse_money(text, AmountUnit::Minor, currency);
        assert_eq!(major("49.95"), Some(4995));
        assert_eq!(major("0.1"), Some(10));
        assert_eq!(major("20"), Some(2000));
        assert_eq!(major("12.500"), Some(1250));
        assert_eq!(major("-3.45"), Some(-345));
        // More decimals than the currency has is an error, never a rounding.
        assert_eq!(major("12.505"), None);
        assert_eq!(major("-3.455"), None);
        assert_eq!(major("12,50"), None);
        assert_eq!(parse_money("1200", AmountUnit::Major, "JPY"), Some(120_000));
        assert_eq!(parse_money("1200.5", AmountUnit::Major, "jpy"), None);
        assert_eq!(minor("1999", "EUR"), Some(1999));
        assert_eq!(minor("1999.0", "EUR"), Some(1999));
        assert_eq!(minor("19.99", "EUR"), None);
        assert_eq!(minor("1200", "JPY"), Some(120_000));
        assert_eq!(minor("12340", "KWD"), Some(1234));
        assert_eq!(minor("12345", "KWD"), None);
        assert_eq!(major("1e3"), None);
        assert_eq!(major(""), None);
        assert_eq!(major("99999999999999999999"), None);
    }

    #[test]
    fn pagination_styles_ask_for_and_find_the_next_page() {
        let offset = Pagination::Offset {
            offset_param: "offset".into(),
            limit_param: "limit".into(),
            total: None,
        };
        assert_eq!(
            page_query(&offset, None, 20),
            [("offset".into(), "0".into()), ("limit".into(), "20".into())]
        );
        assert_eq!(
            next_position(&offset, &json!({}), Some("20"), 20, 20).as_deref(),
            Some("40")
        );
        assert_eq!(next_position(&offset, &json!({}), Some("40"), 20, 7), None);

        let page = Pagination::Page {
            page_param: "_page".into(),
            size_param: "_limit".into(),
            first: 1,
            total: Some("/total".into()),
        };
        assert_eq!(page_query(&page, None, 10)[0], ("_page".into(), "1".into()));
        assert_eq!(
            next_position(&page, &json!({"total": 25}), Some("2"), 10, 10).as_deref(),
            Some("3")
        );
        assert_eq!(
            next_position(&page, &json!({"total": 20}), Some("2"), 10, 10),
            None
        );

        let cursor = Pagination::Cursor {
            cursor_param: "after".into(),
            limit_param: "n".into(),
            next: "/next".into(),
            total: None,
        };
        assert_eq!(
            page_query(&cursor, Some("abc"), 5),
            [("n".into(), "5".into()), ("after".into(), "abc".into())]
        );
        assert_eq!(
            next_position(&cursor, &json!({"next": "def"}), Some("abc"), 5, 5).as_deref(),
            Some("def")
        );
        // A backend that repeats its cursor, or sends none, ends the list instead of looping.
        assert_eq!(
            next_position(&cursor, &json!({"next": "abc"}), Some("abc"), 5, 5),
            None
        );
        assert_eq!(
            next_position(&cursor, &json!({"next": null}), None, 5, 5),
            None
        );
        assert_eq!(
            next_position(&cursor, &json!({"next": "x"}), None, 5, 0),
            None
        );
    }

    #[test]
    fn overview_is_built_from_orders_and_requests() {
        let order = |id: i64, at: &str, status, cents| OrderSummary {
            id,
            number: id.to_string(),
            placed_at: at.into(),
            status,
            total_cents: cents,
            currency: "EUR".into(),
        };
        let now = parse_rfc3339("2026-03-01T00:00:00Z").unwrap();
        let orders = [
            order(1, "2024-01-05T00:00:00Z", OrderStatus::Delivered, 1000),
            order(2, "2026-02-01T00:00:00Z", OrderStatus::Delivered, 2500),
            order(3, "2025-12-01T00:00:00Z", OrderStatus::Cancelled, 9900),
        ];
        let customer = Profile {
            id: 7,
            name: "R".into(),
            email: "r@x.test".into(),
            customer_since: String::new(),
            staff: false,
        };
        let request = |status: &str| ServiceRequest {
            id: 1,
            kind: RequestKind::Return,
            status: status.into(),
            order_id: None,
            order_number: None,
            item_ids: Vec::new(),
            reason: String::new(),
            description: String::new(),
            created_at: "2026-02-02T00:00:00Z".into(),
            events: Vec::new(),
        };
        let o = overview(
            customer,
            &orders,
            Some(40),
            &[request("submitted"), request("closed")],
            now,
        );
        assert_eq!(o.order_count, 40);
        assert_eq!(o.latest_order.map(|l| l.id), Some(2));
        assert_eq!(o.relationship.orders_last_12_months, 2);
        assert_eq!(o.relationship.spent_last_12_months_cents, 2500);
        assert_eq!(
            o.relationship.first_order_at.as_deref(),
            Some("2024-01-05T00:00:00Z")
        );
        assert_eq!(o.open_requests, 1);
    }

    #[test]
    fn json_api_lines_are_found_in_included() {
        let config = config::from_value(&json!({
            "base_url": "http://127.0.0.1:9",
            "auth": {"mode": "none", "customer_id": "1"},
            "resources": {
                "customer": {"endpoint": "/c/{customer_id}", "fields": {"id": "/id", "name": "/n", "email": "/e"}},
                "orders": {"endpoint": "/o", "fields": {"id": "/id", "placed_at": "/a", "status": "/s", "total": "/t", "currency": "/c"}},
                "order": {
                    "endpoint": "/o/{id}", "root": "/data",
                    "fields": {"id": "/attributes/number", "placed_at": "/attributes/completed_at",
                        "status": {"const": "placed"}, "total": {"pointer": "/attributes/total", "amount": "major"},
                        "currency": "/attributes/currency"},
                    "lines": {"pointer": "/relationships/line_items/data", "included": "/included",
                        "fields": {"name": "/attributes/name", "quantity": "/attributes/quantity",
                            "unit_price": {"pointer": "/attributes/price", "amount": "major"}}}
                }
            }
        }))
        .unwrap();
        let m = config.mapping().unwrap();
        let body = json!({
            "data": {"id": "41", "type": "order",
                "attributes": {"number": "R100", "completed_at": "2026-03-01T12:00:00.000Z", "total": "30.50", "currency": "EUR"},
                "relationships": {"line_items": {"data": [
                    {"type": "line_item", "id": "7"}, {"type": "line_item", "id": "8"}, {"type": "line_item", "id": "99"}
                ]}}},
            "included": [
                {"type": "shipment", "id": "7", "attributes": {"number": "H1"}},
                {"type": "line_item", "id": "8", "attributes": {"name": "Scarf", "quantity": 1, "price": "10.50"}},
                {"type": "line_item", "id": "7", "attributes": {"name": "Mittens", "quantity": 2, "price": "10.00"}}
            ]
        });
        let (order, detail, unread) = map_order_detail_full(&m.order, &body).unwrap();
        assert_eq!(order.key, "R100");
        let names: Vec<_> = detail
            .items
            .iter()
            .map(|i| (i.name.as_str(), i.quantity, i.unit_price_cents))
            .collect();
        assert_eq!(names, [("Mittens", 2, 1000), ("Scarf", 1, 1050)]);
        assert_eq!(unread.len(), 1);
        assert_eq!(
            unread[0].to_string(),
            "order line \"99\" left out: field id at /data/relationships/line_items/data/2/id: \"99\" is not the type and id of a resource in included"
        );
    }

    #[test]
    fn orders_sort_by_their_mapped_date() {
        let config = config::parse(include_str!(
            "../../../e2e/stubs/json-server/rapport.config.json"
        ))
        .unwrap();
        let m = config.mapping().unwrap();
        let order = |id: u32, when: &str| {
            json!({"id": id, "when": when, "state": "NEW",
            "amount": {"value": "1", "currency": "eur"}})
        };
        // As a backend sorting the text of dd/mm/yyyy would list them.
        let body = json!([
            order(1, "01/06/2025"),
            order(2, "02/12/2025"),
            order(3, "31/12/2023"),
            order(4, "02/12/2025"),
            order(5, "15/01/2026")
        ]);
        let mut orders = map_orders_page(&m.orders, &body, None, 10).unwrap().items;
        newest_first(&mut orders);
        let ids: Vec<_> = orders.iter().map(|o| o.key.as_str()).collect();
        assert_eq!(ids, ["5", "2", "4", "1", "3"]);
    }

    #[test]
    fn windows_page_through_a_whole_list() {
        let items: Vec<u32> = (0..7).collect();
        assert_eq!(
            window(items.clone(), None, 3),
            (vec![0, 1, 2], Some("3".into()))
        );
        assert_eq!(window(items.clone(), Some("6"), 3), (vec![6], None));
        assert_eq!(window(items.clone(), Some("4"), 3), (vec![4, 5, 6], None));
        assert_eq!(window(items.clone(), Some("99"), 3), (vec![], None));
        assert_eq!(window(items, Some("x"), 0), (vec![0], Some("1".into())));
    }

    #[test]
    fn ids_keep_numbers_and_hash_text_stably() {
        assert_eq!(MappedId::new("101").number, 101);
        let a = MappedId::new("order_01HX");
        assert_eq!(a.number, MappedId::new("order_01HX").number);
        assert_ne!(a.number, MappedId::new("order_01HY").number);
        assert!(a.number >= 0 && a.number < (1 << 53));
    }

    /// Any JSON, with the keys the Medusa mapping looks for among the random ones.
    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|n| json!(n)),
            any::<f64>().prop_map(|n| json!(n)),
            "[a-z_0-9.:-]{0,12}".prop_map(Value::String),
        ];
        leaf.prop_recursive(3, 32, 5, |inner| {
            let key = prop_oneof![
                Just("id".to_owned()),
                Just("status".to_owned()),
                Just("total".to_owned()),
                Just("created_at".to_owned()),
                Just("items".to_owned()),
                Just("quantity".to_owned()),
                "[a-z_]{1,6}",
            ];
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::btree_map(key, inner, 0..6)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    /// A mapping of the order fields onto a random shape, and how its backend writes values.
    #[derive(Clone, Debug)]
    struct Shape {
        items: String,
        /// id, number, placed_at, status, total, currency.
        pointers: Vec<String>,
        date: DateFormat,
        unit: AmountUnit,
        currency: &'static str,
        lower_currency: bool,
        status_map: bool,
        text_ids: bool,
    }

    fn shape() -> impl Strategy<Value = Shape> {
        let pointer = |k: usize| {
            ("[a-z]{1,6}", prop::option::of("[a-z]{1,4}")).prop_map(
                move |(name, group)| match group {
                    Some(group) => format!("/{group}/{name}{k}"),
                    None => format!("/{name}{k}"),
                },
            )
        };
        (
            prop_oneof![
                Just(String::new()),
                Just("/data".to_owned()),
                Just("/page/rows".to_owned())
            ],
            (
                pointer(0),
                pointer(1),
                pointer(2),
                pointer(3),
                pointer(4),
                pointer(5),
            ),
            prop::sample::select(DateFormat::ALL.map(|(_, f)| f).to_vec()),
            prop_oneof![Just(AmountUnit::Major), Just(AmountUnit::Minor)],
            prop::sample::select(vec!["EUR", "USD", "JPY"]),
            any::<(bool, bool, bool)>(),
        )
            .prop_map(
                |(items, p, date, unit, currency, (lower_currency, status_map, text_ids))| Shape {
                    items,
                    pointers: vec![p.0, p.1, p.2, p.3, p.4, p.5],
                    date,
                    unit,
                    currency,
                    lower_currency,
                    status_map,
                    text_ids,
                },
            )
    }

    const STATUSES: [OrderStatus; 5] = [
        OrderStatus::Placed,
        OrderStatus::Paid,
        OrderStatus::Shipped,
        OrderStatus::Delivered,
        OrderStatus::Cancelled,
    ];

    impl Shape {
        fn config(&self) -> PortalConfig {
            let p = &self.pointers;
            let status = if self.status_map {
                let values: serde_json::Map<String, Value> = STATUSES
                    .iter()
                    .enumerate()
                    .map(|(k, s)| (format!("S{k}"), json!(s.as_str())))
                    .collect();
                json!({"pointer": p[3], "values": values})
            } else {
                json!(p[3])
            };
            let unit = match self.unit {
                AmountUnit::Major => "major",
                AmountUnit::Minor => "minor",
            };
            let fields = json!({
                "id": p[0], "number": p[1],
                "placed_at": {"pointer": p[2], "date": self.date.name()},
                "status": status,
                "total": {"pointer": p[4], "amount": unit},
                "currency": {"pointer": p[5], "case": "upper"}
            });
            config::from_value(&json!({
                "base_url": "http://127.0.0.1:9",
                "auth": {"mode": "none", "customer_id": "1"},
                "resources": {
                    "customer": {"endpoint": "/c/{customer_id}", "fields": {"id": "/id", "name": "/n", "email": "/e"}},
                    "orders": {"endpoint": "/o", "items": self.items, "fields": fields},
                    "order": {"endpoint": "/o/{id}", "fields": fields}
                }
            }))
            .unwrap()
        }

        fn id(&self, i: usize) -> Value {
            if self.text_ids {
                json!(format!("ord-{i}"))
            } else {
                json!(1000 + i)
            }
        }

        /// A record as the backend would send it: `(seconds, cents, status)`.
        fn record(&self, i: usize, (seconds, cents, status): (i64, i64, usize)) -> Value {
            let date = match self.date {
                DateFormat::Rfc3339 => json!(format_rfc3339(seconds).unwrap()),
                DateFormat::UnixSeconds => json!(seconds),
                DateFormat::UnixMillis => json!(seconds * 1000),
                other => {
                    let (y, m, d) = civil_from_days(seconds.div_euclid(86_400));
                    json!(match other {
                        DateFormat::Ymd => format!("{y:04}-{m:02}-{d:02}"),
                        DateFormat::DmyDash => format!("{d:02}-{m:02}-{y:04}"),
                        DateFormat::DmySlash => format!("{d:02}/{m:02}/{y:04}"),
                        DateFormat::DmyDot => format!("{d:02}.{m:02}.{y:04}"),
                        _ => format!("{m:02}/{d:02}/{y:04}"),
                    })
                }
            };
            let status = if self.status_map {
                json!(format!("S{status}"))
            } else {
                json!(STATUSES[status].as_str())
            };
            let decimals = currency_decimals(self.currency);
            let total = match (self.unit, decimals) {
                (AmountUnit::Major, 0) => json!(cents.to_string()),
                (AmountUnit::Major, _) => json!(format!("{}.{:02}", cents / 100, cents % 100)),
                (AmountUnit::Minor, _) => json!(cents),
            };
            let currency = if self.lower_currency {
                self.currency.to_lowercase()
            } else {
                self.currency.to_owned()
            };
            let mut record = json!({});
            let values = [
                self.id(i),
                json!(format!("N-{i}")),
                date,
                status,
                total,
                json!(currency),
            ];
            for (pointer, value) in self.pointers.iter().zip(values) {
                set(&mut record, pointer, value);
            }
            record
        }

        /// Breaks field `which` of a record; gives the field's name, the value left there and what
        /// the mapping should say it expected.
        fn r#break(
            &self,
            record: &mut Value,
            which: usize,
            garbage: &str,
        ) -> (&'static str, Option<String>, Expected) {
            let pointer = &self.pointers[[0, 2, 3, 4, 5][which]];
            let (name, value, expected) = match which {
                0 => ("id", None, Expected::Present),
                1 => (
                    "placed_at",
                    Some(garbage.to_owned()),
                    Expected::Date(self.date),
                ),
                2 => {
                    let expected = if self.status_map {
                        Expected::OneOf((0..5).map(|k| format!("S{k}")).collect())
                    } else {
                        Expected::OrderStatus
                    };
                    ("status", Some(format!("zz{garbage}")), expected)
                }
                3 => {
                    let text = match (self.unit, currency_decimals(self.currency)) {
                        (AmountUnit::Major, 0) => "12.5",
                        (AmountUnit::Major, _) => "12.505",
                        (AmountUnit::Minor, _) => "12.5",
                    };
                    let expected = Expected::Amount {
                        unit: self.unit,
                        decimals: currency_decimals(self.currency),
                        currency: self.currency.to_owned(),
                    };
                    ("total", Some(text.to_owned()), expected)
                }
                _ => ("currency", None, Expected::Present),
            };
            set(
                record,
                pointer,
                value.clone().map_or(Value::Null, Value::String),
            );
            (name, value, expected)
        }
    }

    /// Sets a value at a pointer of plain keys, making the objects on the way.
    fn set(target: &mut Value, pointer: &str, value: Value) {
        let mut here = target;
        let keys: Vec<&str> = pointer.split('/').skip(1).collect();
        for (k, key) in keys.iter().enumerate() {
            let object = here.as_object_mut().unwrap();
            if k + 1 == keys.len() {
                object.insert((*key).to_owned(), value);
                return;
            }
            here = object.entry(*key).or_insert_with(|| json!({}));
        }
    }

    proptest! {
        #[test]
        fn unix_seconds_round_trip_through_rfc3339(seconds in 0i64..253_402_300_799) {
            let text = format_rfc3339(seconds).unwrap();
            prop_assert_eq!(parse_rfc3339(&text), Some(seconds));
            prop_assert_eq!(parse_date(&seconds.to_string(), DateFormat::UnixSeconds), Some(text));
        }

        #[test]
        fn civil_dates_round_trip(days in -719_468i64..2_932_896) {
            let (y, m, d) = civil_from_days(days);
            prop_assert_eq!(days_from_civil(y, m, d), Some(days));
        }

        #[test]
        fn offsets_shift_the_instant(seconds in 100_000i64..4_000_000_000, h in 0u32..14, m in 0u32..60) {
            let utc = format_rfc3339(seconds).unwrap();
            let local = format_rfc3339(seconds + i64::from(h * 3600 + m * 60)).unwrap();
            let with_offset = format!("{}+{h:02}:{m:02}", &local[..19]);
            prop_assert_eq!(parse_date(&with_offset, DateFormat::Rfc3339), Some(utc));
        }

        #[test]
        fn major_amounts_match_integer_arithmetic(cents in -10_000_000_000i64..10_000_000_000) {
            let text = format!("{}{}.{:02}", if cents < 0 { "-" } else { "" }, cents.abs() / 100, cents.abs() % 100);
            prop_assert_eq!(parse_money(&text, AmountUnit::Major, "EUR"), Some(cents));
        }

        #[test]
        fn templates_never_let_a_value_leave_its_segment(value in "\\PC*") {
            let template = config::Template::parse("/orders/{id}", &["id"]).unwrap();
            let path = template.expand(&[("id", &value)]);
            let rest = &path["/orders/".len()..];
            prop_assert!(!rest.contains('/') && !rest.contains('?') && !rest.contains('#'));
        }

        #[test]
        fn offset_paging_visits_every_entry_once(total in 0u32..500, limit in 1u32..60) {
            let pagination = Pagination::Offset { offset_param: "o".into(), limit_param: "l".into(), total: Some("/count".into()) };
            let mut position: Option<String> = None;
            let mut seen = 0u32;
            for _ in 0..1000 {
                let offset: u32 = position.as_deref().map_or(0, |p| p.parse().unwrap());
                let got = limit.min(total.saturating_sub(offset));
                seen += got;
                let body = json!({"count": total});
                match next_position(&pagination, &body, position.as_deref(), limit, got as usize) {
                    Some(next) => position = Some(next),
                    None => break,
                }
            }
            prop_assert_eq!(seen, total);
        }

        #[test]
        fn one_broken_record_is_left_out_and_located(
            shape in shape(),
            records in prop::collection::vec((0i64..4_000_000_000, 0i64..10_000_000, 0usize..5), 1..12),
            broken in any::<prop::sample::Index>(),
            which in 0usize..5,
            garbage in "[a-z]{1,8}",
        ) {
            let config = shape.config();
            let m = mapping(&config);
            let broken = broken.index(records.len());
            let mut list: Vec<Value> = records.iter().enumerate().map(|(i, r)| shape.record(i, *r)).collect();
            let (field, value, expected) = shape.r#break(&mut list[broken], which, &garbage);
            let mut body = json!({});
            if shape.items.is_empty() {
                body = Value::Array(list);
            } else {
                set(&mut body, &shape.items, Value::Array(list));
            }
            let page = map_orders_page(&m.orders, &body, None, 100).unwrap();
            let good: Vec<String> = (0..records.len())
                .filter(|i| *i != broken)
                .map(|i| format!("N-{i}"))
                .collect();
            let read: Vec<String> = page.items.iter().map(|o| o.summary.number.clone()).collect();
            prop_assert_eq!(read, good);
            prop_assert_eq!(page.sent, records.len());
            prop_assert_eq!(page.unread.len(), 1);
            let unread = &page.unread[0];
            prop_assert_eq!(unread.kind, RecordKind::Order);
            prop_assert_eq!(unread.position, broken);
            let id = shape.id(broken);
            let id = (field != "id").then(|| id.as_str().map_or_else(|| id.to_string(), str::to_owned));
            prop_assert_eq!(&unread.id, &id);
            prop_assert_eq!(&unread.field, field);
            let pointer = shape.pointers[["id", "placed_at", "status", "total", "currency"].iter().position(|f| *f == field).map(|k| [0, 2, 3, 4, 5][k]).unwrap()].clone();
            prop_assert_eq!(&unread.pointer, &format!("{}/{broken}{pointer}", shape.items));
            prop_assert_eq!(&unread.value, &value);
            prop_assert_eq!(&unread.expected, &expected);
        }

        #[test]
        fn arbitrary_json_never_panics_the_mapper(value in json_value(), orders in prop::collection::vec(json_value(), 0..4)) {
            let config = medusa();
            let m = mapping(&config);
            for body in [value.clone(), json!({"orders": orders, "count": value.clone()}), json!({"order": value.clone(), "customer": value})] {
                let _ = map_orders_page(&m.orders, &body, None, 20);
                let _ = map_order_detail_full(&m.order, &body);
                let _ = map_customer(&m.customer, &body);
            }
        }
    }
}

/// The recorded-shape fixtures of the end-to-end tests, mapped natively: the same files, so a mapping
/// mistake shows up here before a browser starts.
#[cfg(test)]
mod fixture_tests {
    use super::*;
    use crate::config;
    use serde_json::json;

    const JSON_SERVER_CONFIG: &str =
        include_str!("../../../e2e/stubs/json-server/rapport.config.json");
    const JSON_SERVER_DB: &str = include_str!("../../../e2e/stubs/json-server/db.json");
    const JSON_SERVER_BAD_DB: &str =
        include_str!("../../../e2e/stubs/json-server/db-bad-records.json");
    const SPREE_ACCOUNT: &str = include_str!("../../../e2e/stubs/spree/account.json");
    const SPREE_ORDERS: &str = include_str!("../../../e2e/stubs/spree/orders.json");
    const MEDUSA_ORDERS: &str = include_str!("../../../e2e/stubs/medusa/orders.json");
    const MEDUSA_CUSTOMER: &str = include_str!("../../../e2e/stubs/medusa/customer.json");

    #[test]
    fn json_server_db_maps_through_its_config() {
        let config = config::parse(JSON_SERVER_CONFIG).unwrap();
        let mapping = config.mapping().unwrap();
        let db: Value = serde_json::from_str(JSON_SERVER_DB).unwrap();
        let (profile, _) = map_customer(&mapping.customer, &db["clients"][0]).unwrap();
        assert_eq!(profile.name, "Noor Bakker");
        assert_eq!(profile.customer_since, "2021-03-01T00:00:00Z");
        let page = map_orders_page(&mapping.orders, &db["purchases"], None, 2).unwrap();
        assert_eq!(page.items[0].summary.number, "NB-501");
        assert_eq!(page.items[0].summary.status, OrderStatus::Shipped);
        assert_eq!(page.items[0].summary.total_cents, 8990);
        assert_eq!(page.items[0].summary.placed_at, "2026-02-03T00:00:00Z");
        assert_eq!(page.next.as_deref(), Some("2"));
        let detail = map_order_detail_full(&mapping.order, &db["purchases"][0])
            .unwrap()
            .1;
        assert_eq!(detail.items.len(), 2);
        assert_eq!(detail.items[1].unit_price_cents, 995);
        let requests = mapping.requests.as_ref().unwrap();
        let (request, order) =
            map_request(&requests.fields, &db["tickets"][0], "requests[0]").unwrap();
        assert_eq!(
            (request.kind, request.status.as_str()),
            (RequestKind::Return, "in_review")
        );
        assert_eq!(
            (request.order_id, order.as_deref()),
            (Some(488), Some("488"))
        );
    }

    #[test]
    fn bad_records_are_left_out_and_named() {
        let config = config::parse(JSON_SERVER_CONFIG).unwrap();
        let mapping = config.mapping().unwrap();
        let db: Value = serde_json::from_str(JSON_SERVER_BAD_DB).unwrap();
        let page = map_orders_page(&mapping.orders, &db["purchases"], None, 100).unwrap();
        let numbers: Vec<_> = page
            .items
            .iter()
            .map(|o| o.summary.number.as_str())
            .collect();
        assert_eq!(numbers, ["NB-501", "NB-488", "NB-460", "NB-470", "XX-900"]);
        let unread: Vec<String> = page.unread.iter().map(ToString::to_string).collect();
        assert_eq!(
            unread,
            [
                "order \"512\" left out: field placed_at at /4/when: \"2026-01-15T10:00:00Z\" is not a date as %d/%m/%Y",
                "order \"509\" left out: field status at /5/state: \"LOST\" is not one of DONE, NEW, PAID, SENT, VOID",
                "order \"505\" left out: field total at /6/amount/value: \"12.505\" is not an amount in major units with at most 2 decimals (EUR)",
            ]
        );
        let (_, detail, unread) =
            map_order_detail_full(&mapping.order, &db["purchases"][3]).unwrap();
        assert_eq!(detail.items.len(), 1);
        assert_eq!(
            unread[0].to_string(),
            "order line at position 2 left out: field quantity at /lines/1/qty: \"two\" is not a whole number"
        );
    }

    #[test]
    fn spree_ship_to_follows_the_relationship_and_survives_odd_records() {
        let config =
            config::from_value(&json!({"preset": "spree", "base_url": "http://127.0.0.1:9001"}))
                .unwrap();
        let mapping = config.mapping().unwrap();
        let store: Value = serde_json::from_str(SPREE_ORDERS).unwrap();
        let orders = &store["orders"];
        let ship_to = |order: &Value, included: Value| {
            let body = json!({"data": order, "included": included});
            // Without the lines in `included` they are left out; the address is what is checked.
            let (mapped, detail, _) = map_order_detail_full(&mapping.order, &body).unwrap();
            assert_eq!(mapped.ship_to, detail.ship_to);
            detail.ship_to
        };
        // A padded second line is trimmed; the country is the ISO code.
        assert_eq!(
            ship_to(&orders[1], store["resources"].clone()),
            "Rue de la Loi 16, 3e étage, 1000, Bruxelles, BE"
        );
        // A cancelled order that never reached the address step: no ship-to, still an order.
        assert_eq!(ship_to(&orders[2], store["resources"].clone()), "");
        // A proxy that drops `include`: the reference stays unresolved and reads as no address.
        assert_eq!(ship_to(&orders[0], json!([])), "");
        assert_eq!(ship_to(&orders[0], Value::Null), "");
        // A numeric id in `included` still matches the string in the reference.
        let numeric = json!([{"id": 3301, "type": "address",
            "attributes": {"address1": "Lindengracht 112", "zipcode": "1015 KK", "city": "Amsterdam",
                           "country_iso": "NL", "address2": null}}]);
        assert_eq!(
            ship_to(&orders[0], numeric),
            "Lindengracht 112, 1015 KK, Amsterdam, NL"
        );
        // Another type with the same id is not the address.
        let wrong_type =
            json!([{"id": "3301", "type": "line_item", "attributes": {"address1": "x"}}]);
        assert_eq!(ship_to(&orders[0], wrong_type), "");
        // An address part that is an object is a mapping problem of the order, named as such.
        let odd =
            json!([{"id": "3301", "type": "address", "attributes": {"address1": {"line": "x"}}}]);
        let body = json!({"data": orders[0], "included": odd});
        let error = map_order_detail_full(&mapping.order, &body).unwrap_err();
        assert!(error.to_string().contains("ship_to"), "{error}");
        // Resolving reads the answer only: the order object itself is left as it was.
        assert_eq!(
            orders[0]["relationships"]["shipping_address"]["data"]["id"],
            "3301"
        );
    }

    #[test]
    fn spree_fixtures_map_through_the_preset() {
        let config =
            config::from_value(&json!({"preset": "spree", "base_url": "http://127.0.0.1:9001"}))
                .unwrap();
        let mapping = config.mapping().unwrap();
        assert_eq!(
            config.sign_in_body("a@b.test", "pw"),
            json!({"grant_type": "password", "username": "a@b.test", "password": "pw"})
        );
        let account: Value = serde_json::from_str(SPREE_ACCOUNT).unwrap();
        let (profile, _) = map_customer(&mapping.customer, &account).unwrap();
        assert_eq!(
            (profile.name.as_str(), profile.email.as_str()),
            ("Joris Vermeulen", "joris.vermeulen@example.test")
        );
        let store: Value = serde_json::from_str(SPREE_ORDERS).unwrap();
        let orders = &store["orders"];
        let body =
            json!({"data": orders, "meta": {"count": 3, "total_count": 3, "total_pages": 1}});
        let page = map_orders_page(&mapping.orders, &body, None, 25).unwrap();
        assert!(page.unread.is_empty(), "{:?}", page.unread);
        let seen: Vec<_> = page
            .items
            .iter()
            .map(|o| (o.key.as_str(), o.summary.status, o.summary.total_cents))
            .collect();
        assert_eq!(
            seen,
            [
                ("R318842771", OrderStatus::Shipped, 5995),
                ("R520190364", OrderStatus::Placed, 1850),
                ("R104477820", OrderStatus::Cancelled, 3200)
            ]
        );
        assert_eq!(page.items[0].summary.placed_at, "2026-02-20T09:15:02Z");
        assert_eq!(page.next, None);
        let detail = json!({"data": orders[0], "included": store["resources"]});
        let (_, detail, unread) = map_order_detail_full(&mapping.order, &detail).unwrap();
        assert!(unread.is_empty(), "{unread:?}");
        let lines: Vec<_> = detail
            .items
            .iter()
            .map(|i| (i.name.as_str(), i.quantity, i.unit_price_cents))
            .collect();
        assert_eq!(
            lines,
            [
                ("Wool blanket, moss green", 1, 4200),
                ("Linen napkins, set of 4", 2, 600)
            ]
        );
        // The shipping address, not the billing one that is also in `included`; no empty second line.
        assert_eq!(detail.ship_to, "Lindengracht 112, 1015 KK, Amsterdam, NL");
        assert_eq!(detail.shipments.len(), 1);
        assert_eq!(detail.shipments[0].carrier, "H27716453");
        assert_eq!(detail.shipments[0].tracking_number, "3SABCD1234567");
        assert_eq!(
            detail.shipments[0].shipped_at.as_deref(),
            Some("2026-02-21T14:30:00Z")
        );
    }

    #[test]
    fn medusa_fixtures_map_through_the_preset() {
        let config = config::from_value(&json!({"preset": "medusa"})).unwrap();
        let mapping = config.mapping().unwrap();
        let customer: Value = serde_json::from_str(MEDUSA_CUSTOMER).unwrap();
        assert_eq!(
            map_customer(&mapping.customer, &customer).unwrap().0.name,
            "Lotte Jansen"
        );
        let orders: Value = serde_json::from_str(MEDUSA_ORDERS).unwrap();
        let body = json!({"orders": orders, "count": 3, "offset": 0, "limit": 50});
        let page = map_orders_page(&mapping.orders, &body, None, 50).unwrap();
        let statuses: Vec<_> = page.items.iter().map(|o| o.summary.status).collect();
        assert_eq!(
            statuses,
            [
                OrderStatus::Shipped,
                OrderStatus::Delivered,
                OrderStatus::Cancelled
            ]
        );
        assert_eq!(page.items[0].summary.total_cents, 8740);
        assert_eq!(page.next, None);
        let detail = map_order_detail_full(&mapping.order, &json!({"order": orders[0]}))
            .unwrap()
            .1;
        assert_eq!(detail.items[1].name, "Beeswax wraps");
        assert_eq!(detail.items[1].unit_price_cents, 2375);
        let requests = mapping.requests.as_ref().unwrap();
        let page = map_requests_page(requests, &body, None, 100).unwrap();
        let seen: Vec<_> = page
            .items
            .iter()
            .map(|(r, key)| (r.order_number.as_deref(), r.status.as_str(), key.as_deref()))
            .collect();
        assert_eq!(
            seen,
            [
                (
                    Some("2417"),
                    "submitted",
                    Some("order_01JK3N7QF2ZP8C4D5E6F7G8H9J")
                ),
                (
                    Some("2306"),
                    "resolved",
                    Some("order_01JF0A1B2C3D4E5F6G7H8J9K0L")
                )
            ]
        );
        assert_eq!(page.items[1].0.reason, "Arrived damaged");
    }
}
