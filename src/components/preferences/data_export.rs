//! "Download my data": everything the firm holds on the customer, gathered from the REST API.

use crate::api::{self, ApiError};
use crate::model::history_filter::HistoryFilter;
use rapport_api::{HistoryKind, HistoryPage};

/// One JSON document of the customer's data. The parts are the server's own JSON, embedded as
/// received: nothing is re-encoded or lost in translation.
pub async fn export_everything(client: &api::Api) -> Result<String, ApiError> {
    let mut parts: Vec<(&str, String)> = vec![("profile", client.raw("/profile").await?)];
    let mut pages = Vec::new();
    let mut orders = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let resource = HistoryFilter::default().api_path(cursor.as_deref(), 500);
        let text = client.raw(&resource).await?;
        let page: HistoryPage = ApiError::decode(&text)?;
        for entry in page.entries.iter().filter(|e| e.kind == HistoryKind::Order) {
            if let Some(id) = entry.order_id {
                orders.push(client.raw(&format!("/orders/{id}")).await?);
            }
        }
        pages.push(text);
        match page.next_cursor {
            Some(next) if Some(&next) != cursor.as_ref() => cursor = Some(next),
            _ => break,
        }
    }
    parts.push(("history_pages", format!("[{}]", pages.join(","))));
    parts.push(("orders", format!("[{}]", orders.join(","))));
    parts.push(("requests", client.raw("/requests").await?));
    parts.push(("preferences", client.raw("/preferences").await?));
    parts.push(("consent_records", client.raw("/consent-records").await?));
    let exported_at = js_sys::Date::new_0()
        .to_iso_string()
        .as_string()
        .unwrap_or_default();
    let mut out = format!("{{\n\"exported_at\": \"{exported_at}\"");
    for (key, json) in parts {
        out.push_str(&format!(",\n\"{key}\": {json}"));
    }
    out.push_str("\n}\n");
    Ok(out)
}
