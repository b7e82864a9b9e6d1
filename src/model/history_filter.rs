//! The history filters, kept in the page URL (deep links, back button) and sent to the API.

use rapport_api::{HistoryEntry, HistoryKind};
use std::collections::BTreeMap;

/// What the customer filters the account history by.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HistoryFilter {
    /// Empty: every kind.
    pub kinds: Vec<HistoryKind>,
    /// Inclusive dates, `YYYY-MM-DD`.
    pub from: Option<String>,
    pub to: Option<String>,
    pub status: Option<String>,
    pub text: String,
    pub oldest_first: bool,
}

/// `YYYY-MM-DD` with plausible month and day (the server checks the calendar itself).
pub fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        && matches!(s[5..7].parse::<u8>(), Ok(1..=12))
        && matches!(s[8..10].parse::<u8>(), Ok(1..=31))
}

impl HistoryFilter {
    /// Reads the filter from URL query pairs; anything malformed is ignored rather than trusted.
    pub fn from_query<'a>(get: impl Fn(&str) -> Option<&'a str>) -> Self {
        let kinds = get("kind")
            .map(|k| k.split(',').filter_map(HistoryKind::parse).collect())
            .unwrap_or_default();
        let date = |key: &str| get(key).filter(|d| is_date(d)).map(str::to_owned);
        HistoryFilter {
            kinds,
            from: date("from"),
            to: date("to"),
            status: get("status")
                .filter(|s| !s.is_empty() && s.len() <= 40)
                .map(str::to_owned),
            text: get("q")
                .map(|q| q.chars().take(200).collect())
                .unwrap_or_default(),
            oldest_first: get("sort") == Some("asc"),
        }
    }

    /// Query pairs for the page URL (only what differs from the default).
    pub fn to_pairs(&self) -> BTreeMap<&'static str, String> {
        let mut pairs = BTreeMap::new();
        if !self.kinds.is_empty() {
            let kinds: Vec<&str> = self.kinds.iter().map(|k| k.as_str()).collect();
            pairs.insert("kind", kinds.join(","));
        }
        if let Some(from) = &self.from {
            pairs.insert("from", from.clone());
        }
        if let Some(to) = &self.to {
            pairs.insert("to", to.clone());
        }
        if let Some(status) = &self.status {
            pairs.insert("status", status.clone());
        }
        if !self.text.trim().is_empty() {
            pairs.insert("q", self.text.trim().to_owned());
        }
        if self.oldest_first {
            pairs.insert("sort", "asc".to_owned());
        }
        pairs
    }

    /// The URL query string for these filters (`?kind=order&q=…`, or empty).
    pub fn to_query_string(&self) -> String {
        let pairs = self.to_pairs();
        if pairs.is_empty() {
            return String::new();
        }
        let joined: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect();
        format!("?{}", joined.join("&"))
    }

    /// The API path for one page of results.
    pub fn api_path(&self, cursor: Option<&str>, limit: u32) -> String {
        let mut query = self.to_query_string();
        query.push(if query.is_empty() { '?' } else { '&' });
        query.push_str(&format!("limit={limit}"));
        if let Some(cursor) = cursor {
            query.push_str(&format!("&cursor={}", encode(cursor)));
        }
        format!("/history{query}")
    }

    pub fn is_default(&self) -> bool {
        self == &HistoryFilter::default()
    }

    /// Whether an entry passes the filters (for a backend that cannot filter itself): kind, dates
    /// (inclusive, on the entry's UTC date), exact status, and case-insensitive text in the reference
    /// or detail.
    pub fn matches(&self, entry: &HistoryEntry) -> bool {
        let day = entry.at.get(..10).unwrap_or(&entry.at);
        let text = self.text.trim().to_lowercase();
        (self.kinds.is_empty() || self.kinds.contains(&entry.kind))
            && self.from.as_deref().is_none_or(|from| day >= from)
            && self.to.as_deref().is_none_or(|to| day <= to)
            && self
                .status
                .as_deref()
                .is_none_or(|status| entry.status.as_deref() == Some(status))
            && (text.is_empty()
                || entry.reference.to_lowercase().contains(&text)
                || entry
                    .detail
                    .as_deref()
                    .is_some_and(|d| d.to_lowercase().contains(&text)))
    }

    /// Whether only the kind is filtered (so a backend's own total still counts what is shown).
    pub fn only_kinds(&self) -> bool {
        HistoryFilter {
            kinds: Vec::new(),
            ..self.clone()
        }
        .is_default()
    }
}

/// Percent-encodes a query value (RFC 3986 unreserved characters stay as they are).
pub fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b',' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

// Native only: the property tests use proptest, which does not target wasm32.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parse(query: &[(&'static str, &'static str)]) -> HistoryFilter {
        HistoryFilter::from_query(|k| query.iter().find(|(q, _)| *q == k).map(|(_, v)| *v))
    }

    #[test]
    fn matches_applies_every_filter() {
        let entry = HistoryEntry {
            id: "order:1".into(),
            kind: HistoryKind::Order,
            at: "2026-02-14T09:30:00Z".into(),
            reference: "JS-1042".into(),
            status: Some("shipped".into()),
            amount_cents: Some(100),
            currency: Some("EUR".into()),
            order_id: Some(1),
            detail: None,
        };
        assert!(parse(&[]).matches(&entry));
        assert!(parse(&[
            ("kind", "order"),
            ("from", "2026-02-14"),
            ("to", "2026-02-14")
        ])
        .matches(&entry));
        assert!(parse(&[("q", "js-10"), ("status", "shipped")]).matches(&entry));
        assert!(!parse(&[("kind", "invoice")]).matches(&entry));
        assert!(!parse(&[("from", "2026-02-15")]).matches(&entry));
        assert!(!parse(&[("status", "delivered")]).matches(&entry));
        assert!(!parse(&[("q", "nope")]).matches(&entry));
        assert!(parse(&[("kind", "order")]).only_kinds());
        assert!(!parse(&[("q", "x")]).only_kinds());
    }

    #[test]
    fn reads_filters_and_ignores_garbage() {
        let f = parse(&[
            ("kind", "order,bogus,invoice"),
            ("from", "2024-01-01"),
            ("to", "2024-13-01"),
            ("q", "R100"),
            ("sort", "asc"),
        ]);
        assert_eq!(f.kinds, vec![HistoryKind::Order, HistoryKind::Invoice]);
        assert_eq!(f.from.as_deref(), Some("2024-01-01"));
        assert_eq!(f.to, None, "month 13 is not a date");
        assert!(f.oldest_first);
        assert_eq!(parse(&[]), HistoryFilter::default());
        assert!(parse(&[]).is_default());
    }

    #[test]
    fn builds_url_and_api_paths() {
        let f = HistoryFilter {
            kinds: vec![HistoryKind::Order],
            text: "  café & co ".into(),
            ..Default::default()
        };
        assert_eq!(f.to_query_string(), "?kind=order&q=caf%C3%A9%20%26%20co");
        assert_eq!(
            f.api_path(Some("ab+c"), 50),
            "/history?kind=order&q=caf%C3%A9%20%26%20co&limit=50&cursor=ab%2Bc"
        );
        assert_eq!(
            HistoryFilter::default().api_path(None, 10),
            "/history?limit=10"
        );
    }

    #[test]
    fn dates_are_checked() {
        assert!(is_date("2024-02-29"));
        assert!(!is_date("2024-2-29"));
        assert!(!is_date("2024-00-10"));
        assert!(!is_date("2024-01-32"));
        assert!(!is_date("２０２４-01-01"));
    }

    proptest! {
        /// Whatever the customer types survives the trip through the URL unchanged (trimmed).
        #[test]
        fn text_round_trips_through_the_url(text in "[^\\x00]{0,60}", asc: bool) {
            let f = HistoryFilter { text: text.clone(), oldest_first: asc, ..Default::default() };
            let query = f.to_query_string();
            let pairs: Vec<(String, String)> = query
                .trim_start_matches('?')
                .split('&')
                .filter(|p| !p.is_empty())
                .filter_map(|p| p.split_once('='))
                .map(|(k, v)| (k.to_owned(), decode(v)))
                .collect();
            let back = HistoryFilter::from_query(|k| pairs.iter().find(|(q, _)| q == k).map(|(_, v)| v.as_str()));
            prop_assert_eq!(back.text, text.trim().chars().take(200).collect::<String>());
            prop_assert_eq!(back.oldest_first, asc);
        }
    }

    fn decode(v: &str) -> String {
        let bytes = v.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' {
                out.push(u8::from_str_radix(&v[i + 1..i + 3], 16).unwrap());
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8(out).unwrap()
    }
}
