//! The portal's runtime configuration: which backend it talks to, how it signs in, and how the
//! backend's JSON maps onto the portal's resources.
//!
//! The configuration is a JSON file deployed next to the portal (`rapport.config.json`). It is read with
//! a validator that walks the whole document and collects *every* problem with its location
//! (`resources.orders.fields.status: value map is empty`), so that a deployer can fix a file in one go
//! instead of one error per reload. No file at all means the reference backend on the same origin.
//!
//! Presets are configurations shipped with the portal: `reference` (the default) and `medusa` (a
//! Medusa-v2-Store-API-shaped backend). A file may name a preset and override parts of it.

use rapport_api::{OrderStatus, RequestKind};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

/// Where the portal looks for its configuration, relative to the site root.
pub const CONFIG_FILE: &str = "/rapport.config.json";

/// The Medusa preset as shipped (validated like any other file; see the tests).
pub const MEDUSA_PRESET: &str = include_str!("presets/medusa.json");

/// The Spree (Storefront API v2, JSON:API) preset as shipped.
pub const SPREE_PRESET: &str = include_str!("presets/spree.json");

/// Longest configuration file the portal accepts.
pub const MAX_CONFIG_BYTES: usize = 256 * 1024;

/// A checked, ready-to-use configuration.
#[derive(Clone, Debug, PartialEq)]
pub struct PortalConfig {
    /// The backend's base URL without a trailing slash; empty means the portal's own origin.
    pub base_url: String,
    pub auth: Auth,
    /// Fixed headers sent with every call (for example a publishable API key).
    pub headers: Vec<(String, String)>,
    /// The JSON body of the sign-in call, with `"{email}"` and `"{password}"` where the customer's go;
    /// `None`: `{"email": …, "password": …}`.
    pub sign_in_body: Option<Map<String, Value>>,
    pub backend: Backend,
}

impl Default for PortalConfig {
    fn default() -> Self {
        Self {
            base_url: String::new(),
            auth: Auth::Cookie {
                sign_in: None,
                sign_out: None,
            },
            headers: Vec::new(),
            sign_in_body: None,
            backend: Backend::Reference,
        }
    }
}

impl PortalConfig {
    /// Whether this is the reference contract (`/api/v1/...`), as opposed to a mapped backend.
    pub fn is_reference(&self) -> bool {
        matches!(self.backend, Backend::Reference)
    }

    /// The mapping, for a mapped backend.
    pub fn mapping(&self) -> Option<&Mapping> {
        match &self.backend {
            Backend::Reference => None,
            Backend::Mapped(mapping) => Some(mapping),
        }
    }

    /// The body of the sign-in call for these credentials.
    pub fn sign_in_body(&self, email: &str, password: &str) -> Value {
        let Some(template) = &self.sign_in_body else {
            return serde_json::json!({"email": email, "password": password});
        };
        let body = template
            .iter()
            .map(|(key, value)| {
                let value = match value.as_str() {
                    Some("{email}") => Value::String(email.to_owned()),
                    Some("{password}") => Value::String(password.to_owned()),
                    _ => value.clone(),
                };
                (key.clone(), value)
            })
            .collect();
        Value::Object(body)
    }

    /// The origin (`scheme://host[:port]`) of the backend, or `None` for the portal's own origin. The
    /// reference server adds it to its CSP's `connect-src`.
    pub fn backend_origin(&self) -> Option<String> {
        origin_of(&self.base_url)
    }
}

/// How the portal proves who the customer is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Auth {
    /// The backend's own session cookie (HttpOnly; the portal never sees it). The reference backend
    /// needs no endpoints; a mapped backend names where to sign in and, optionally, out.
    Cookie {
        sign_in: Option<Template>,
        sign_out: Option<Template>,
    },
    /// A bearer token from `sign_in` (read at the JSON pointer `token`), kept in memory only: a reload
    /// signs the customer out, and no script can find it in web storage.
    Bearer { sign_in: Template, token: String },
    /// No sign-in at all: the backend is open (a demo or an internal tool) and the customer is fixed
    /// by `customer_id`, which templates use as `{customer_id}`.
    None { customer_id: String },
}

impl Auth {
    /// The fixed customer id of the `none` mode.
    pub fn customer_id(&self) -> Option<&str> {
        match self {
            Auth::None { customer_id } => Some(customer_id),
            _ => None,
        }
    }
}

/// Which contract the backend speaks.
#[derive(Clone, Debug, PartialEq)]
pub enum Backend {
    /// The reference contract of this repository, unchanged.
    Reference,
    /// Any REST backend, through a mapping per resource.
    /// Shared: every data layer of the portal holds it.
    Mapped(Arc<Mapping>),
}

/// The resources a mapped backend provides. Everything else the portal offers (preferences, surveys,
/// the staff pages) is hidden on a mapped backend.
#[derive(Clone, Debug, PartialEq)]
pub struct Mapping {
    pub customer: Resource,
    pub orders: ListResource,
    pub order: DetailResource,
    /// Returns and other requests, if the backend lists them.
    pub requests: Option<ListResource>,
}

/// A single object: where to get it, where it sits in the answer, and its fields.
#[derive(Clone, Debug, PartialEq)]
pub struct Resource {
    pub endpoint: Template,
    /// JSON pointer to the object in the answer (`""`: the answer itself).
    pub root: String,
    pub fields: Fields,
}

/// An order with its lines.
#[derive(Clone, Debug, PartialEq)]
pub struct DetailResource {
    pub resource: Resource,
    /// The order lines, if the backend sends them.
    pub lines: Option<Lines>,
    /// The order's shipments, if the backend sends them (read like the lines).
    pub shipments: Option<Lines>,
    /// JSON:API: a JSON pointer (in the whole answer, usually `/included`) to the resources that the
    /// order's to-one relationships name. The order's fields then read `/relationships/<name>/data`
    /// as the resource itself (`…/shipping_address/data/attributes/city`).
    pub included: Option<String>,
}

/// Where the lines of an order are and how each maps.
#[derive(Clone, Debug, PartialEq)]
pub struct Lines {
    /// JSON pointer (relative to the order object) to the array of lines.
    pub pointer: String,
    /// JSON:API: a JSON pointer (in the whole answer, usually `/included`) to the array of resources
    /// that the elements at `pointer` refer to by `type` and `id`; each line is then that resource.
    pub included: Option<String>,
    pub fields: Fields,
}

/// A paged list: where to get it, where the array is, how to page, and the fields of each element.
#[derive(Clone, Debug, PartialEq)]
pub struct ListResource {
    pub endpoint: Template,
    /// JSON pointer to the array in the answer (`""`: the answer is the array).
    pub items: String,
    /// For requests only: JSON pointer (relative to each item) to an array nested in it, whose elements
    /// are the list instead (Medusa lists returns inside each order). Fields then read each element,
    /// which also carries its item under `/$parent`.
    pub each: Option<String>,
    pub pagination: Pagination,
    pub fields: Fields,
}

/// How a list is paged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pagination {
    /// One answer holds the whole list.
    None,
    /// `?offset=40&limit=20`; the total, if the backend sends it, at a pointer.
    Offset {
        offset_param: String,
        limit_param: String,
        total: Option<String>,
    },
    /// `?page=3&size=20`, counting from `first`.
    Page {
        page_param: String,
        size_param: String,
        first: u32,
        total: Option<String>,
    },
    /// `?cursor=…&limit=20`; the next cursor at a pointer (null or absent on the last page).
    Cursor {
        cursor_param: String,
        limit_param: String,
        next: String,
        total: Option<String>,
    },
}

/// Target field name → where its value comes from.
pub type Fields = BTreeMap<String, FieldSpec>;

/// Where one field's value comes from and how it is converted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldSpec {
    pub source: Source,
    /// Backend value → portal value (for enums such as an order status).
    pub values: Option<BTreeMap<String, String>>,
    /// Used when the source is missing or its value is not in the value map.
    pub default: Option<String>,
    pub date: Option<DateFormat>,
    pub amount: Option<AmountUnit>,
    pub case: Option<Case>,
}

impl FieldSpec {
    /// A plain pointer with no conversion.
    pub fn pointer(pointer: &str) -> Self {
        Self {
            source: Source::Pointer(pointer.to_owned()),
            values: None,
            default: None,
            date: None,
            amount: None,
            case: None,
        }
    }
}

/// The origin of a field's raw value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// A JSON pointer (RFC 6901) into the object.
    Pointer(String),
    /// Several pointers joined with a separator, skipping missing or empty parts (first + last name).
    Join {
        pointers: Vec<String>,
        separator: String,
    },
    /// A fixed value.
    Const(String),
    /// The first alternative that yields a (mapped) value: for a status spread over several fields.
    FirstOf(Vec<FieldSpec>),
}

/// The date formats the mapping understands. Every date becomes RFC 3339 in UTC.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateFormat {
    /// `2026-02-14T09:30:00Z`, `2026-02-14T10:30:00.123+01:00`.
    Rfc3339,
    /// Seconds since 1970-01-01 UTC (number or numeric text).
    UnixSeconds,
    /// Milliseconds since 1970-01-01 UTC.
    UnixMillis,
    /// `%Y-%m-%d`: `2026-02-14`.
    Ymd,
    /// `%d-%m-%Y`: `14-02-2026`.
    DmyDash,
    /// `%d/%m/%Y`: `14/02/2026`.
    DmySlash,
    /// `%d.%m.%Y`: `14.02.2026`.
    DmyDot,
    /// `%m/%d/%Y`: `02/14/2026`.
    MdySlash,
}

impl DateFormat {
    /// Every format with its name in the configuration file.
    pub const ALL: [(&'static str, DateFormat); 8] = [
        ("rfc3339", DateFormat::Rfc3339),
        ("unix_s", DateFormat::UnixSeconds),
        ("unix_ms", DateFormat::UnixMillis),
        ("%Y-%m-%d", DateFormat::Ymd),
        ("%d-%m-%Y", DateFormat::DmyDash),
        ("%d/%m/%Y", DateFormat::DmySlash),
        ("%d.%m.%Y", DateFormat::DmyDot),
        ("%m/%d/%Y", DateFormat::MdySlash),
    ];

    /// The name of the format in the configuration file.
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, f)| *f == self)
            .map_or("rfc3339", |(n, _)| n)
    }

    /// The format of a name in the configuration file.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
    }
}

/// How a backend writes money.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AmountUnit {
    /// Integer minor units (cents), as the reference contract does.
    Minor,
    /// Decimal major units (`49.95`, `"49.95"`), as Medusa v2 does; converted exactly, without floats.
    Major,
}

/// A case change for codes such as currencies (`eur` → `EUR`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Case {
    Upper,
    Lower,
}

/// What kind of value a target field holds; decides the checks and conversions that apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    Text,
    /// A number, or any text (which the portal turns into a stable number and remembers).
    Id,
    Date,
    Amount,
    /// A whole number ≥ 0.
    Count,
    OrderStatus,
    RequestKind,
}

/// One target field of a resource.
#[derive(Clone, Copy, Debug)]
pub struct Target {
    pub name: &'static str,
    pub kind: FieldKind,
    pub required: bool,
}

const fn target(name: &'static str, kind: FieldKind, required: bool) -> Target {
    Target {
        name,
        kind,
        required,
    }
}

/// The fields of the customer resource.
pub const CUSTOMER_FIELDS: &[Target] = &[
    target("id", FieldKind::Id, true),
    target("name", FieldKind::Text, true),
    target("email", FieldKind::Text, true),
    target("customer_since", FieldKind::Date, false),
];

/// The fields of an order, in a list and in detail. `number` falls back to the id.
pub const ORDER_FIELDS: &[Target] = &[
    target("id", FieldKind::Id, true),
    target("number", FieldKind::Text, false),
    target("placed_at", FieldKind::Date, true),
    target("status", FieldKind::OrderStatus, true),
    target("total", FieldKind::Amount, true),
    target("currency", FieldKind::Text, true),
    target("ship_to", FieldKind::Text, false),
];

/// The fields of an order line.
pub const LINE_FIELDS: &[Target] = &[
    target("id", FieldKind::Id, false),
    target("sku", FieldKind::Text, false),
    target("name", FieldKind::Text, true),
    target("quantity", FieldKind::Count, true),
    target("unit_price", FieldKind::Amount, true),
];

/// The fields of a shipment of an order.
pub const SHIPMENT_FIELDS: &[Target] = &[
    target("id", FieldKind::Id, false),
    target("carrier", FieldKind::Text, false),
    target("tracking_number", FieldKind::Text, false),
    target("shipped_at", FieldKind::Date, false),
    target("expected_at", FieldKind::Date, false),
    target("delivered_at", FieldKind::Date, false),
];

/// The fields of a return or other request. `kind` defaults to `return`.
pub const REQUEST_FIELDS: &[Target] = &[
    target("id", FieldKind::Id, true),
    target("kind", FieldKind::RequestKind, false),
    target("status", FieldKind::Text, true),
    target("order_id", FieldKind::Id, false),
    target("order_number", FieldKind::Text, false),
    target("reason", FieldKind::Text, false),
    target("description", FieldKind::Text, false),
    target("created_at", FieldKind::Date, true),
];

/// A URL path template such as `/store/orders/{id}`, checked for known placeholders.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Template(Vec<Part>);

#[derive(Clone, Debug, PartialEq, Eq)]
enum Part {
    Text(String),
    Var(String),
}

impl Template {
    /// Parses a template; `allowed` are the placeholder names this endpoint may use.
    pub fn parse(text: &str, allowed: &[&str]) -> Result<Self, ProblemKind> {
        if !text.starts_with('/') {
            return Err(ProblemKind::BadTemplate("must start with /".into()));
        }
        if text
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '#')
        {
            return Err(ProblemKind::BadTemplate(
                "must not contain spaces or #".into(),
            ));
        }
        let mut parts = Vec::new();
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else {
                return Err(ProblemKind::BadTemplate("unclosed {".into()));
            };
            let name = &rest[open + 1..open + close];
            if !allowed.contains(&name) {
                return Err(ProblemKind::BadTemplate(format!(
                    "unknown placeholder {{{name}}}"
                )));
            }
            if open > 0 {
                parts.push(Part::Text(rest[..open].to_owned()));
            }
            parts.push(Part::Var(name.to_owned()));
            rest = &rest[open + close + 1..];
        }
        if rest.contains('}') {
            return Err(ProblemKind::BadTemplate("unopened }".into()));
        }
        if !rest.is_empty() {
            parts.push(Part::Text(rest.to_owned()));
        }
        Ok(Self(parts))
    }

    /// Whether the template uses a placeholder.
    pub fn uses(&self, name: &str) -> bool {
        self.0
            .iter()
            .any(|p| matches!(p, Part::Var(v) if v == name))
    }

    /// Fills in the placeholders, percent-encoding each value so that it stays one path segment or
    /// query value. A placeholder without a value becomes empty.
    pub fn expand(&self, vars: &[(&str, &str)]) -> String {
        self.0
            .iter()
            .map(|part| match part {
                Part::Text(text) => text.clone(),
                Part::Var(name) => vars
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, v)| percent_encode(v))
                    .unwrap_or_default(),
            })
            .collect()
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
pub fn percent_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Appends query pairs to a path that may already have a query.
pub fn with_query(path: &str, pairs: &[(String, String)]) -> String {
    if pairs.is_empty() {
        return path.to_owned();
    }
    let query: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
        .collect();
    let joiner = if path.contains('?') { '&' } else { '?' };
    format!("{path}{joiner}{}", query.join("&"))
}

/// One problem in a configuration file, with where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Dotted path of the offending value: `resources.orders.fields.status`; empty for the whole file.
    pub path: String,
    pub kind: ProblemKind,
}

/// What is wrong. The portal translates each kind; [`fmt::Display`] gives the English text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProblemKind {
    /// The file is not JSON (with the parser's message).
    NotJson(String),
    /// The file is larger than [`MAX_CONFIG_BYTES`].
    TooLarge,
    /// The file could not be fetched (HTTP status, or 0 for no answer).
    Unavailable(u16),
    WrongType(&'static str),
    Missing,
    UnknownKey,
    UnknownPreset(String),
    BadUrl,
    BadPointer,
    BadTemplate(String),
    MissingPlaceholder(&'static str),
    /// The sign-in body lacks a placeholder (`email` or `password`).
    MissingBodyPlaceholder(&'static str),
    EmptyValueMap,
    /// A value map or default gives a value the portal does not know for this field.
    UnknownValue(String),
    UnknownDateFormat(String),
    UnknownOption(String),
    BadHeader,
    /// The option does not fit the rest of the configuration (says which).
    NotAllowed(&'static str),
}

impl fmt::Display for ProblemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProblemKind::NotJson(why) => write!(f, "not valid JSON: {why}"),
            ProblemKind::TooLarge => write!(f, "file is larger than {MAX_CONFIG_BYTES} bytes"),
            ProblemKind::Unavailable(0) => write!(f, "file could not be loaded"),
            ProblemKind::Unavailable(status) => {
                write!(f, "file could not be loaded (HTTP {status})")
            }
            ProblemKind::WrongType(expected) => write!(f, "must be {expected}"),
            ProblemKind::Missing => write!(f, "is required"),
            ProblemKind::UnknownKey => write!(f, "unknown key"),
            ProblemKind::UnknownPreset(name) => write!(f, "unknown preset {name:?}"),
            ProblemKind::BadUrl => write!(
                f,
                "must be an http(s) URL without query, fragment or credentials"
            ),
            ProblemKind::BadPointer => write!(f, "must be a JSON pointer (\"\" or \"/a/b\")"),
            ProblemKind::BadTemplate(why) => write!(f, "bad endpoint template: {why}"),
            ProblemKind::MissingPlaceholder(name) => {
                write!(f, "endpoint template needs {{{name}}}")
            }
            ProblemKind::MissingBodyPlaceholder(name) => {
                write!(f, "needs a value \"{{{name}}}\"")
            }
            ProblemKind::EmptyValueMap => write!(f, "value map is empty"),
            ProblemKind::UnknownValue(value) => {
                write!(f, "{value:?} is not a value the portal knows here")
            }
            ProblemKind::UnknownDateFormat(name) => write!(f, "unknown date format {name:?}"),
            ProblemKind::UnknownOption(name) => write!(f, "unknown option {name:?}"),
            ProblemKind::BadHeader => write!(f, "not a header the portal may send"),
            ProblemKind::NotAllowed(why) => write!(f, "not allowed: {why}"),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.kind)
        } else {
            write!(f, "{}: {}", self.path, self.kind)
        }
    }
}

/// Reads a configuration file. `Err` holds every problem found, in document order.
pub fn parse(text: &str) -> Result<PortalConfig, Vec<Problem>> {
    let whole = |kind| {
        vec![Problem {
            path: String::new(),
            kind,
        }]
    };
    if text.len() > MAX_CONFIG_BYTES {
        return Err(whole(ProblemKind::TooLarge));
    }
    let value: Value =
        serde_json::from_str(text).map_err(|e| whole(ProblemKind::NotJson(e.to_string())))?;
    from_value(&value)
}

/// Reads a configuration already parsed as JSON.
pub fn from_value(value: &Value) -> Result<PortalConfig, Vec<Problem>> {
    let mut checker = Checker::default();
    let config = checker.config(value);
    match config {
        Some(config) if checker.problems.is_empty() => Ok(config),
        _ => Err(checker.problems),
    }
}

/// Walks the document, collecting problems; each method returns `None` where it found one.
#[derive(Default)]
struct Checker {
    problems: Vec<Problem>,
}

fn join_path(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

impl Checker {
    fn problem(&mut self, path: &str, kind: ProblemKind) {
        self.problems.push(Problem {
            path: path.to_owned(),
            kind,
        });
    }

    fn object<'v>(&mut self, path: &str, value: &'v Value) -> Option<&'v Map<String, Value>> {
        match value.as_object() {
            Some(map) => Some(map),
            None => {
                self.problem(path, ProblemKind::WrongType("an object"));
                None
            }
        }
    }

    /// Reports keys other than `known`.
    fn only_keys(&mut self, path: &str, map: &Map<String, Value>, known: &[&str]) {
        for key in map.keys() {
            if !known.contains(&key.as_str()) {
                self.problem(&join_path(path, key), ProblemKind::UnknownKey);
            }
        }
    }

    fn string<'v>(&mut self, path: &str, value: &'v Value) -> Option<&'v str> {
        match value.as_str() {
            Some(s) => Some(s),
            None => {
                self.problem(path, ProblemKind::WrongType("a string"));
                None
            }
        }
    }

    /// A required string member.
    fn req_str<'v>(
        &mut self,
        path: &str,
        map: &'v Map<String, Value>,
        key: &str,
    ) -> Option<&'v str> {
        let path = join_path(path, key);
        match map.get(key) {
            Some(value) => self.string(&path, value),
            None => {
                self.problem(&path, ProblemKind::Missing);
                None
            }
        }
    }

    /// An optional string member: `Some(None)` when absent, `None` on a problem.
    fn opt_str<'v>(
        &mut self,
        path: &str,
        map: &'v Map<String, Value>,
        key: &str,
    ) -> Option<Option<&'v str>> {
        match map.get(key) {
            None | Some(Value::Null) => Some(None),
            Some(value) => self.string(&join_path(path, key), value).map(Some),
        }
    }

    fn pointer(&mut self, path: &str, value: &Value) -> Option<String> {
        let text = self.string(path, value)?;
        if is_pointer(text) {
            Some(text.to_owned())
        } else {
            self.problem(path, ProblemKind::BadPointer);
            None
        }
    }

    fn req_pointer(&mut self, path: &str, map: &Map<String, Value>, key: &str) -> Option<String> {
        let path = join_path(path, key);
        match map.get(key) {
            Some(value) => self.pointer(&path, value),
            None => {
                self.problem(&path, ProblemKind::Missing);
                None
            }
        }
    }

    fn opt_pointer(
        &mut self,
        path: &str,
        map: &Map<String, Value>,
        key: &str,
    ) -> Option<Option<String>> {
        match map.get(key) {
            None | Some(Value::Null) => Some(None),
            Some(value) => self.pointer(&join_path(path, key), value).map(Some),
        }
    }

    fn template(
        &mut self,
        path: &str,
        map: &Map<String, Value>,
        key: &str,
        allowed: &[&str],
    ) -> Option<Template> {
        let text = self.req_str(path, map, key)?;
        let path = join_path(path, key);
        match Template::parse(text, allowed) {
            Ok(template) => Some(template),
            Err(kind) => {
                self.problem(&path, kind);
                None
            }
        }
    }

    fn opt_template(
        &mut self,
        path: &str,
        map: &Map<String, Value>,
        key: &str,
        allowed: &[&str],
    ) -> Option<Option<Template>> {
        if map.get(key).is_none_or(Value::is_null) {
            return Some(None);
        }
        self.template(path, map, key, allowed).map(Some)
    }

    fn config(&mut self, value: &Value) -> Option<PortalConfig> {
        let map = self.object("", value)?;
        let merged;
        let map = match map.get("preset") {
            None | Some(Value::Null) => map,
            Some(Value::String(name)) if name == "reference" => {
                if map.contains_key("resources") {
                    self.problem(
                        "resources",
                        ProblemKind::NotAllowed("the reference preset has its own contract"),
                    );
                }
                map
            }
            Some(Value::String(name)) if name == "medusa" => {
                merged = merge_preset(MEDUSA_PRESET, map)?;
                &merged
            }
            Some(Value::String(name)) if name == "spree" => {
                merged = merge_preset(SPREE_PRESET, map)?;
                &merged
            }
            Some(Value::String(name)) => {
                self.problem("preset", ProblemKind::UnknownPreset(name.clone()));
                return None;
            }
            Some(_) => {
                self.problem("preset", ProblemKind::WrongType("a string"));
                return None;
            }
        };
        self.only_keys(
            "",
            map,
            &[
                "$comment",
                "preset",
                "base_url",
                "auth",
                "headers",
                "resources",
            ],
        );
        let base_url = match self.opt_str("", map, "base_url") {
            Some(Some(url)) => match normalise_base_url(url) {
                Some(url) => Some(url),
                None => {
                    self.problem("base_url", ProblemKind::BadUrl);
                    None
                }
            },
            Some(None) => Some(String::new()),
            None => None,
        };
        let mapped = map.contains_key("resources");
        let auth = match map.get("auth") {
            None => Some(Auth::Cookie {
                sign_in: None,
                sign_out: None,
            }),
            Some(value) => self.auth(value, mapped),
        };
        let headers = match map.get("headers") {
            None => Some(Vec::new()),
            Some(value) => self.headers(value),
        };
        let backend = match map.get("resources") {
            None => Some(Backend::Reference),
            Some(value) => self.mapping(value).map(|m| Backend::Mapped(Arc::new(m))),
        };
        let (base_url, auth, headers, backend) = (base_url?, auth?, headers?, backend?);
        if backend == Backend::Reference && !matches!(auth, Auth::Cookie { .. }) {
            self.problem(
                "auth.mode",
                ProblemKind::NotAllowed("the reference backend signs in with its cookie"),
            );
        }
        if let (Auth::None { .. }, Backend::Mapped(mapping)) = (&auth, &backend) {
            if !mapping.customer.endpoint.uses("customer_id")
                && !mapping.orders.endpoint.uses("customer_id")
            {
                self.problem("resources", ProblemKind::MissingPlaceholder("customer_id"));
            }
        }
        let sign_in_body = match map.get("auth").and_then(|a| a.get("body")) {
            None => None,
            Some(body) => self.sign_in_body(body, &backend, &auth)?,
        };
        Some(PortalConfig {
            base_url,
            auth,
            headers,
            sign_in_body,
            backend,
        })
    }

    /// `auth.body`: an object whose string values `"{email}"` and `"{password}"` are filled in; both
    /// must be there, and only a mapped backend that signs in takes one.
    fn sign_in_body(
        &mut self,
        body: &Value,
        backend: &Backend,
        auth: &Auth,
    ) -> Option<Option<Map<String, Value>>> {
        let path = "auth.body";
        let signs_in = matches!(
            auth,
            Auth::Bearer { .. }
                | Auth::Cookie {
                    sign_in: Some(_),
                    ..
                }
        );
        if *backend == Backend::Reference || !signs_in {
            self.problem(
                path,
                ProblemKind::NotAllowed("only a mapped backend's sign-in takes a body"),
            );
            return None;
        }
        let map = self.object(path, body)?;
        for placeholder in ["email", "password"] {
            let text = format!("{{{placeholder}}}");
            if !map.values().any(|v| v.as_str() == Some(text.as_str())) {
                self.problem(path, ProblemKind::MissingBodyPlaceholder(placeholder));
                return None;
            }
        }
        Some(Some(map.clone()))
    }

    fn auth(&mut self, value: &Value, mapped: bool) -> Option<Auth> {
        let map = self.object("auth", value)?;
        self.only_keys(
            "auth",
            map,
            &[
                "mode",
                "sign_in",
                "sign_out",
                "token",
                "customer_id",
                "body",
            ],
        );
        let mode = self.req_str("auth", map, "mode")?;
        match mode {
            "cookie" => {
                let sign_in = self.opt_template("auth", map, "sign_in", &[])?;
                let sign_out = self.opt_template("auth", map, "sign_out", &[])?;
                if mapped && sign_in.is_none() {
                    self.problem("auth.sign_in", ProblemKind::Missing);
                    return None;
                }
                if !mapped && (sign_in.is_some() || sign_out.is_some()) {
                    self.problem(
                        "auth.sign_in",
                        ProblemKind::NotAllowed("the reference backend has its own endpoints"),
                    );
                    return None;
                }
                Some(Auth::Cookie { sign_in, sign_out })
            }
            "bearer" => {
                let sign_in = self.template("auth", map, "sign_in", &[]);
                let token = self.req_pointer("auth", map, "token");
                Some(Auth::Bearer {
                    sign_in: sign_in?,
                    token: token?,
                })
            }
            "none" => {
                let id = self.req_str("auth", map, "customer_id")?;
                if id.is_empty() {
                    self.problem("auth.customer_id", ProblemKind::Missing);
                    return None;
                }
                Some(Auth::None {
                    customer_id: id.to_owned(),
                })
            }
            other => {
                self.problem("auth.mode", ProblemKind::UnknownOption(other.to_owned()));
                None
            }
        }
    }

    fn headers(&mut self, value: &Value) -> Option<Vec<(String, String)>> {
        let map = self.object("headers", value)?;
        let mut headers = Vec::new();
        let mut ok = true;
        for (name, value) in map {
            let path = join_path("headers", name);
            let Some(text) = self.string(&path, value) else {
                ok = false;
                continue;
            };
            if is_allowed_header(name) && !text.chars().any(|c| c.is_control()) {
                headers.push((name.clone(), text.to_owned()));
            } else {
                self.problem(&path, ProblemKind::BadHeader);
                ok = false;
            }
        }
        ok.then_some(headers)
    }

    fn mapping(&mut self, value: &Value) -> Option<Mapping> {
        let path = "resources";
        let map = self.object(path, value)?;
        self.only_keys(path, map, &["customer", "orders", "order", "requests"]);
        let vars = ["customer_id"];
        let customer = self.member(path, map, "customer", |c, p, v| {
            c.resource(p, v, &vars, CUSTOMER_FIELDS)
        });
        let orders = self.member(path, map, "orders", |c, p, v| {
            c.list(p, v, &vars, ORDER_FIELDS)
        });
        if orders.as_ref().is_some_and(|o| o.each.is_some()) {
            self.problem(
                "resources.orders.each",
                ProblemKind::NotAllowed("only the requests list gathers nested arrays"),
            );
        }
        let order = self.member(path, map, "order", |c, p, v| c.detail(p, v));
        let requests = match map.get("requests") {
            None | Some(Value::Null) => Some(None),
            Some(value) => self
                .list("resources.requests", value, &vars, REQUEST_FIELDS)
                .map(Some),
        };
        Some(Mapping {
            customer: customer?,
            orders: orders?,
            order: order?,
            requests: requests?,
        })
    }

    /// A required member, checked by `check`.
    fn member<T>(
        &mut self,
        path: &str,
        map: &Map<String, Value>,
        key: &str,
        check: impl FnOnce(&mut Self, &str, &Value) -> Option<T>,
    ) -> Option<T> {
        let path = join_path(path, key);
        match map.get(key) {
            Some(value) => check(self, &path, value),
            None => {
                self.problem(&path, ProblemKind::Missing);
                None
            }
        }
    }

    fn resource(
        &mut self,
        path: &str,
        value: &Value,
        vars: &[&str],
        targets: &[Target],
    ) -> Option<Resource> {
        let map = self.object(path, value)?;
        self.only_keys(path, map, &["$comment", "endpoint", "root", "fields"]);
        let endpoint = self.template(path, map, "endpoint", vars);
        let root = self.opt_pointer(path, map, "root");
        let fields = self.member(path, map, "fields", |c, p, v| c.fields(p, v, targets));
        Some(Resource {
            endpoint: endpoint?,
            root: root?.unwrap_or_default(),
            fields: fields?,
        })
    }

    fn detail(&mut self, path: &str, value: &Value) -> Option<DetailResource> {
        let map = self.object(path, value)?;
        self.only_keys(
            path,
            map,
            &[
                "$comment",
                "endpoint",
                "root",
                "fields",
                "lines",
                "shipments",
                "included",
            ],
        );
        let endpoint = self.template(path, map, "endpoint", &["id", "customer_id"]);
        if let Some(endpoint) = &endpoint {
            if !endpoint.uses("id") {
                self.problem(
                    &join_path(path, "endpoint"),
                    ProblemKind::MissingPlaceholder("id"),
                );
            }
        }
        let root = self.opt_pointer(path, map, "root");
        let included = self.opt_pointer(path, map, "included");
        let fields = self.member(path, map, "fields", |c, p, v| c.fields(p, v, ORDER_FIELDS));
        let lines = match map.get("lines") {
            None | Some(Value::Null) => Some(None),
            Some(value) => self
                .lines(&join_path(path, "lines"), value, LINE_FIELDS)
                .map(Some),
        };
        let shipments = match map.get("shipments") {
            None | Some(Value::Null) => Some(None),
            Some(value) => self
                .lines(&join_path(path, "shipments"), value, SHIPMENT_FIELDS)
                .map(Some),
        };
        Some(DetailResource {
            resource: Resource {
                endpoint: endpoint?,
                root: root?.unwrap_or_default(),
                fields: fields?,
            },
            lines: lines?,
            shipments: shipments?,
            included: included?,
        })
    }

    fn lines(&mut self, path: &str, value: &Value, targets: &[Target]) -> Option<Lines> {
        let map = self.object(path, value)?;
        self.only_keys(path, map, &["pointer", "included", "fields"]);
        let pointer = self.req_pointer(path, map, "pointer");
        let included = self.opt_pointer(path, map, "included");
        let fields = self.member(path, map, "fields", |c, p, v| c.fields(p, v, targets));
        Some(Lines {
            pointer: pointer?,
            included: included?,
            fields: fields?,
        })
    }

    fn list(
        &mut self,
        path: &str,
        value: &Value,
        vars: &[&str],
        targets: &[Target],
    ) -> Option<ListResource> {
        let map = self.object(path, value)?;
        self.only_keys(
            path,
            map,
            &[
                "$comment",
                "endpoint",
                "items",
                "each",
                "pagination",
                "fields",
            ],
        );
        let endpoint = self.template(path, map, "endpoint", vars);
        let items = self.opt_pointer(path, map, "items");
        let each = self.opt_pointer(path, map, "each");
        let pagination = match map.get("pagination") {
            None => Some(Pagination::None),
            Some(value) => self.pagination(&join_path(path, "pagination"), value),
        };
        let fields = self.member(path, map, "fields", |c, p, v| c.fields(p, v, targets));
        Some(ListResource {
            endpoint: endpoint?,
            items: items?.unwrap_or_default(),
            each: each?,
            pagination: pagination?,
            fields: fields?,
        })
    }

    fn pagination(&mut self, path: &str, value: &Value) -> Option<Pagination> {
        let map = self.object(path, value)?;
        let style = self.req_str(path, map, "style")?;
        let param = |c: &mut Self, key: &str, default: &str| -> Option<String> {
            let text = c.opt_str(path, map, key)?.unwrap_or(default);
            if text.is_empty() || text.chars().any(|ch| !is_param_char(ch)) {
                c.problem(
                    &join_path(path, key),
                    ProblemKind::WrongType("a query parameter name"),
                );
                return None;
            }
            Some(text.to_owned())
        };
        match style {
            "none" => {
                self.only_keys(path, map, &["style"]);
                Some(Pagination::None)
            }
            "offset" => {
                self.only_keys(path, map, &["style", "offset", "limit", "total"]);
                let offset_param = param(self, "offset", "offset");
                let limit_param = param(self, "limit", "limit");
                let total = self.opt_pointer(path, map, "total");
                Some(Pagination::Offset {
                    offset_param: offset_param?,
                    limit_param: limit_param?,
                    total: total?,
                })
            }
            "page" => {
                self.only_keys(path, map, &["style", "page", "size", "first", "total"]);
                let page_param = param(self, "page", "page");
                let size_param = param(self, "size", "size");
                let first = match map.get("first") {
                    None => Some(1),
                    Some(value) => match value.as_u64() {
                        Some(n @ 0..=1) => Some(n as u32),
                        _ => {
                            self.problem(
                                &join_path(path, "first"),
                                ProblemKind::WrongType("0 or 1"),
                            );
                            None
                        }
                    },
                };
                let total = self.opt_pointer(path, map, "total");
                Some(Pagination::Page {
                    page_param: page_param?,
                    size_param: size_param?,
                    first: first?,
                    total: total?,
                })
            }
            "cursor" => {
                self.only_keys(path, map, &["style", "cursor", "limit", "next", "total"]);
                let cursor_param = param(self, "cursor", "cursor");
                let limit_param = param(self, "limit", "limit");
                let next = self.req_pointer(path, map, "next");
                let total = self.opt_pointer(path, map, "total");
                Some(Pagination::Cursor {
                    cursor_param: cursor_param?,
                    limit_param: limit_param?,
                    next: next?,
                    total: total?,
                })
            }
            other => {
                self.problem(
                    &join_path(path, "style"),
                    ProblemKind::UnknownOption(other.to_owned()),
                );
                None
            }
        }
    }

    fn fields(&mut self, path: &str, value: &Value, targets: &[Target]) -> Option<Fields> {
        let map = self.object(path, value)?;
        let mut fields = Fields::new();
        let mut ok = true;
        for (name, spec) in map {
            let field_path = join_path(path, name);
            let Some(target) = targets.iter().find(|t| t.name == name) else {
                self.problem(&field_path, ProblemKind::UnknownKey);
                ok = false;
                continue;
            };
            match self.field(&field_path, spec, target.kind) {
                Some(spec) => {
                    fields.insert(name.clone(), spec);
                }
                None => ok = false,
            }
        }
        for target in targets.iter().filter(|t| t.required) {
            if !map.contains_key(target.name) {
                self.problem(&join_path(path, target.name), ProblemKind::Missing);
                ok = false;
            }
        }
        ok.then_some(fields)
    }

    fn field(&mut self, path: &str, value: &Value, kind: FieldKind) -> Option<FieldSpec> {
        if let Some(pointer) = value.as_str() {
            return if is_pointer(pointer) {
                Some(FieldSpec::pointer(pointer))
            } else {
                self.problem(path, ProblemKind::BadPointer);
                None
            };
        }
        let map = self.object(path, value)?;
        self.only_keys(
            path,
            map,
            &[
                "pointer",
                "join",
                "separator",
                "const",
                "first_of",
                "values",
                "default",
                "date",
                "amount",
                "case",
            ],
        );
        let sources = ["pointer", "join", "const", "first_of"]
            .into_iter()
            .filter(|k| map.contains_key(*k))
            .count();
        if sources != 1 {
            self.problem(
                path,
                ProblemKind::NotAllowed("give exactly one of pointer, join, const, first_of"),
            );
            return None;
        }
        let source = if let Some(value) = map.get("pointer") {
            self.pointer(&join_path(path, "pointer"), value)
                .map(Source::Pointer)
        } else if let Some(value) = map.get("join") {
            let join_path_ = join_path(path, "join");
            let separator = self.opt_str(path, map, "separator")?.unwrap_or(" ");
            match value.as_array() {
                Some(parts) if !parts.is_empty() => {
                    let pointers: Vec<Option<String>> = parts
                        .iter()
                        .enumerate()
                        .map(|(i, p)| self.pointer(&format!("{join_path_}[{i}]"), p))
                        .collect();
                    pointers
                        .into_iter()
                        .collect::<Option<Vec<_>>>()
                        .map(|pointers| Source::Join {
                            pointers,
                            separator: separator.to_owned(),
                        })
                }
                _ => {
                    self.problem(&join_path_, ProblemKind::WrongType("a non-empty array"));
                    None
                }
            }
        } else if let Some(value) = map.get("const") {
            match value {
                Value::String(s) => Some(Source::Const(s.clone())),
                Value::Number(n) => Some(Source::Const(n.to_string())),
                Value::Bool(b) => Some(Source::Const(b.to_string())),
                _ => {
                    self.problem(
                        &join_path(path, "const"),
                        ProblemKind::WrongType("a string, number or boolean"),
                    );
                    None
                }
            }
        } else {
            let alt_path = join_path(path, "first_of");
            match map.get("first_of").and_then(Value::as_array) {
                Some(alts) if !alts.is_empty() => {
                    let alts: Vec<Option<FieldSpec>> = alts
                        .iter()
                        .enumerate()
                        .map(|(i, alt)| self.field(&format!("{alt_path}[{i}]"), alt, kind))
                        .collect();
                    alts.into_iter()
                        .collect::<Option<Vec<_>>>()
                        .map(Source::FirstOf)
                }
                _ => {
                    self.problem(&alt_path, ProblemKind::WrongType("a non-empty array"));
                    None
                }
            }
        };
        let values = match map.get("values") {
            None => Some(None),
            Some(value) => self
                .value_map(&join_path(path, "values"), value, kind)
                .map(Some),
        };
        let default = match self.opt_str(path, map, "default") {
            Some(Some(d)) => {
                if domain_accepts(kind, d) {
                    Some(Some(d.to_owned()))
                } else {
                    self.problem(
                        &join_path(path, "default"),
                        ProblemKind::UnknownValue(d.to_owned()),
                    );
                    None
                }
            }
            other => other.map(|o| o.map(str::to_owned)),
        };
        let date = match self.opt_str(path, map, "date") {
            Some(Some(name)) => match (DateFormat::parse(name), kind) {
                (Some(format), FieldKind::Date) => Some(Some(format)),
                (Some(_), _) => {
                    self.problem(
                        &join_path(path, "date"),
                        ProblemKind::NotAllowed("only date fields take a date format"),
                    );
                    None
                }
                (None, _) => {
                    self.problem(
                        &join_path(path, "date"),
                        ProblemKind::UnknownDateFormat(name.to_owned()),
                    );
                    None
                }
            },
            Some(None) => Some(None),
            None => None,
        };
        let amount = match self.opt_str(path, map, "amount") {
            Some(Some(name)) => {
                let unit = match name {
                    "minor" => Some(AmountUnit::Minor),
                    "major" => Some(AmountUnit::Major),
                    _ => None,
                };
                match (unit, kind) {
                    (Some(unit), FieldKind::Amount) => Some(Some(unit)),
                    (Some(_), _) => {
                        self.problem(
                            &join_path(path, "amount"),
                            ProblemKind::NotAllowed("only amount fields take a unit"),
                        );
                        None
                    }
                    (None, _) => {
                        self.problem(
                            &join_path(path, "amount"),
                            ProblemKind::UnknownOption(name.to_owned()),
                        );
                        None
                    }
                }
            }
            Some(None) => Some(None),
            None => None,
        };
        let case = match self.opt_str(path, map, "case") {
            Some(Some("upper")) => Some(Some(Case::Upper)),
            Some(Some("lower")) => Some(Some(Case::Lower)),
            Some(Some(other)) => {
                self.problem(
                    &join_path(path, "case"),
                    ProblemKind::UnknownOption(other.to_owned()),
                );
                None
            }
            Some(None) => Some(None),
            None => None,
        };
        Some(FieldSpec {
            source: source?,
            values: values?,
            default: default?,
            date: date?,
            amount: amount?,
            case: case?,
        })
    }

    fn value_map(
        &mut self,
        path: &str,
        value: &Value,
        kind: FieldKind,
    ) -> Option<BTreeMap<String, String>> {
        let map = self.object(path, value)?;
        if map.is_empty() {
            self.problem(path, ProblemKind::EmptyValueMap);
            return None;
        }
        let mut values = BTreeMap::new();
        let mut ok = true;
        for (from, to) in map {
            let entry_path = join_path(path, from);
            match self.string(&entry_path, to) {
                Some(to) if domain_accepts(kind, to) => {
                    values.insert(from.clone(), to.to_owned());
                }
                Some(to) => {
                    self.problem(&entry_path, ProblemKind::UnknownValue(to.to_owned()));
                    ok = false;
                }
                None => ok = false,
            }
        }
        ok.then_some(values)
    }
}

/// Whether a mapped value is acceptable for a field kind (the enums have a fixed set of names).
fn domain_accepts(kind: FieldKind, value: &str) -> bool {
    match kind {
        FieldKind::OrderStatus => OrderStatus::parse(value).is_some(),
        FieldKind::RequestKind => RequestKind::parse(value).is_some(),
        _ => true,
    }
}

/// Overlays a file on a preset: top-level keys replace the preset's, and each resource named under
/// `resources` replaces the preset's resource of that name.
fn merge_preset(preset: &str, file: &Map<String, Value>) -> Option<Map<String, Value>> {
    let Ok(Value::Object(mut merged)) = serde_json::from_str::<Value>(preset) else {
        return None;
    };
    for (key, value) in file {
        if key == "preset" {
            continue;
        }
        match (key.as_str(), value, merged.get_mut(key)) {
            ("resources", Value::Object(resources), Some(Value::Object(base))) => {
                for (name, resource) in resources {
                    base.insert(name.clone(), resource.clone());
                }
            }
            _ => {
                merged.insert(key.clone(), value.clone());
            }
        }
    }
    Some(merged)
}

/// `""` or `/`-separated reference tokens with valid `~` escapes (RFC 6901).
pub fn is_pointer(text: &str) -> bool {
    if text.is_empty() {
        return true;
    }
    if !text.starts_with('/') {
        return false;
    }
    let bytes = text.as_bytes();
    bytes
        .iter()
        .enumerate()
        .all(|(i, b)| *b != b'~' || matches!(bytes.get(i + 1), Some(b'0') | Some(b'1')))
}

fn is_param_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '[' | ']')
}

/// Header names a configuration may set: tokens, and none that the browser or the auth mode controls.
fn is_allowed_header(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let token = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c));
    token
        && !matches!(
            lower.as_str(),
            "authorization" | "cookie" | "host" | "origin" | "content-type" | "accept" | "if-match"
        )
        && !lower.starts_with("sec-")
        && !lower.starts_with("proxy-")
}

/// Checks a base URL and drops a trailing slash. Only characters that cannot break out of a CSP source
/// expression are allowed, because the reference server copies the origin into its CSP header.
fn normalise_base_url(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let (host, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    let path_ok = path
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '_' | '.' | '~' | '%'));
    (host_ok && path_ok).then(|| url.trim_end_matches('/').to_owned())
}

/// `scheme://host[:port]` of a checked base URL; `None` for the empty (same-origin) one.
pub fn origin_of(base_url: &str) -> Option<String> {
    let scheme_end = base_url.find("://")? + 3;
    let host_end = base_url[scheme_end..]
        .find('/')
        .map_or(base_url.len(), |i| scheme_end + i);
    Some(base_url[..host_end].to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn problems(value: Value) -> Vec<String> {
        match from_value(&value) {
            Ok(_) => Vec::new(),
            Err(problems) => problems.iter().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn no_file_and_reference_preset_are_the_default() {
        let default = PortalConfig::default();
        assert!(default.is_reference());
        assert_eq!(from_value(&json!({})), Ok(default.clone()));
        assert_eq!(from_value(&json!({"preset": "reference"})), Ok(default));
    }

    #[test]
    fn medusa_preset_is_valid_and_overridable() {
        let config = from_value(&json!({
            "preset": "medusa",
            "base_url": "https://shop.example.com/",
            "headers": {"x-publishable-api-key": "pk_test"}
        }))
        .unwrap();
        assert_eq!(config.base_url, "https://shop.example.com");
        assert_eq!(
            config.backend_origin().as_deref(),
            Some("https://shop.example.com")
        );
        assert!(matches!(config.auth, Auth::Bearer { .. }));
        let mapping = config.mapping().unwrap();
        assert_eq!(mapping.orders.items, "/orders");
        assert!(matches!(
            mapping.orders.pagination,
            Pagination::Offset { .. }
        ));
        assert_eq!(
            mapping
                .order
                .resource
                .endpoint
                .expand(&[("id", "order_01")]),
            "/store/orders/order_01"
        );
    }

    #[test]
    fn sign_in_bodies_need_both_placeholders_and_a_mapped_sign_in() {
        let spree = |body: Value| {
            problems(json!({"preset": "spree", "auth": {"mode": "bearer",
            "sign_in": "/token", "token": "/access_token", "body": body}}))
        };
        assert!(spree(json!({"u": "{email}", "p": "{password}"})).is_empty());
        assert_eq!(
            spree(json!({"u": "{email}"})),
            ["auth.body: needs a value \"{password}\""]
        );
        assert_eq!(spree(json!("x")), ["auth.body: must be an object"]);
        let found = problems(json!({"auth": {"mode": "cookie", "body": {}}}));
        assert!(found[0].starts_with("auth.body: not allowed"), "{found:?}");
        // Without a body, the portal sends the email and password as they are.
        assert_eq!(
            PortalConfig::default().sign_in_body("a@b.test", "pw"),
            json!({"email": "a@b.test", "password": "pw"})
        );
    }

    #[test]
    fn every_problem_is_listed_with_its_location() {
        let found = problems(json!({
            "base_url": "ftp://x",
            "colour": "red",
            "auth": {"mode": "bearer"},
            "headers": {"Cookie": "a=b"},
            "resources": {
                "customer": {"endpoint": "me", "fields": {"id": "/id", "name": "name"}},
                "orders": {
                    "endpoint": "/orders?c={who}",
                    "pagination": {"style": "pages"},
                    "fields": {
                        "id": "/id", "placed_at": {"pointer": "/at", "date": "%e"},
                        "status": {"pointer": "/s", "values": {}},
                        "total": "/t", "currency": {"const": "EUR"}, "colour": "/c"
                    }
                },
                "order": {"endpoint": "/orders", "fields": {
                    "id": "/id", "placed_at": "/at", "total": "/t", "currency": "/c",
                    "status": {"pointer": "/s", "values": {"x": "teleported"}}
                }}
            }
        }));
        let expected = [
            "colour: unknown key",
            "base_url: must be an http(s) URL without query, fragment or credentials",
            "auth.sign_in: is required",
            "auth.token: is required",
            "headers.Cookie: not a header the portal may send",
            "resources.customer.endpoint: bad endpoint template: must start with /",
            "resources.customer.fields.name: must be a JSON pointer (\"\" or \"/a/b\")",
            "resources.customer.fields.email: is required",
            "resources.orders.endpoint: bad endpoint template: unknown placeholder {who}",
            "resources.orders.pagination.style: unknown option \"pages\"",
            "resources.orders.fields.colour: unknown key",
            "resources.orders.fields.placed_at.date: unknown date format \"%e\"",
            "resources.orders.fields.status.values: value map is empty",
            "resources.order.endpoint: endpoint template needs {id}",
            "resources.order.fields.status.values.x: \"teleported\" is not a value the portal knows here",
        ];
        for line in expected {
            assert!(
                found.iter().any(|f| f == line),
                "missing {line:?} in {found:#?}"
            );
        }
        assert_eq!(found.len(), expected.len(), "{found:#?}");
    }

    #[test]
    fn malformed_and_oversized_files_are_one_problem() {
        let err = parse("{\"base_url\": ").unwrap_err();
        assert_eq!(err.len(), 1);
        assert!(matches!(err[0].kind, ProblemKind::NotJson(_)));
        let huge = format!("{{\"$comment\": \"{}\"}}", "x".repeat(MAX_CONFIG_BYTES));
        assert_eq!(parse(&huge).unwrap_err()[0].kind, ProblemKind::TooLarge);
        assert_eq!(
            parse("[]").unwrap_err()[0].kind,
            ProblemKind::WrongType("an object")
        );
    }

    #[test]
    fn reference_backend_refuses_mapped_only_options() {
        let found = problems(json!({"auth": {"mode": "none", "customer_id": "1"}}));
        assert_eq!(
            found,
            ["auth.mode: not allowed: the reference backend signs in with its cookie"]
        );
        let found = problems(json!({"preset": "reference", "resources": {}}));
        assert!(found[0].starts_with("resources: not allowed"));
        assert_eq!(
            problems(json!({"preset": "shopify"})),
            ["preset: unknown preset \"shopify\""]
        );
    }

    #[test]
    fn base_urls_cannot_smuggle_csp_sources() {
        for bad in [
            "https://a.example; script-src *",
            "https://a.example 'unsafe-inline'",
            "https://user:pw@a.example",
            "https://a.example/?q=1",
            "https://",
            "javascript:alert(1)",
        ] {
            assert_eq!(normalise_base_url(bad), None, "{bad}");
        }
        assert_eq!(
            normalise_base_url("http://127.0.0.1:9000/api/").as_deref(),
            Some("http://127.0.0.1:9000/api")
        );
        assert_eq!(
            origin_of("http://127.0.0.1:9000/api").as_deref(),
            Some("http://127.0.0.1:9000")
        );
        assert_eq!(origin_of(""), None);
    }

    #[test]
    fn templates_encode_values_and_append_queries() {
        let template = Template::parse("/orders/{id}/lines", &["id"]).unwrap();
        assert_eq!(
            template.expand(&[("id", "a/b c")]),
            "/orders/a%2Fb%20c/lines"
        );
        assert!(Template::parse("/x/{id", &["id"]).is_err());
        assert!(Template::parse("/x/id}", &["id"]).is_err());
        let pairs = [("limit".to_owned(), "20".to_owned())];
        assert_eq!(with_query("/o?c=1", &pairs), "/o?c=1&limit=20");
        assert_eq!(with_query("/o", &pairs), "/o?limit=20");
    }

    #[test]
    fn pointers_follow_rfc_6901() {
        assert!(is_pointer(""));
        assert!(is_pointer("/a/~0b/~1c/0"));
        assert!(!is_pointer("a/b"));
        assert!(!is_pointer("/a~2"));
        assert!(!is_pointer("/a~"));
    }
}
