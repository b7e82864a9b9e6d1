//! Calls to a mapped backend (any REST API described by `rapport.config.json`). The pages see the same
//! DTOs as with the reference backend; the conversion itself is pure and lives in
//! `rapport_connect::mapping`.

use super::{Call, Source};
use crate::backend::{Backend, OrderList};
use crate::model::history_filter::HistoryFilter;
use futures::FutureExt;
use rapport_api::client::Client;
use rapport_api::{
    ApiError, HistoryEntry, HistoryKind, HistoryPage, InvitationList, LoginRequest, OrderDetail,
    Overview, Profile, ServiceRequest,
};
use rapport_connect::config::{with_query, Auth, Mapping};
use rapport_connect::mapping::{
    map_customer, map_order_detail_full, map_orders_page, map_requests_page, newest_first,
    overview, page_query, window, MapError, RecordKind,
};
use serde_json::Value;
use std::sync::Arc;

/// Orders asked for at once when the portal needs a whole list (overview, finding an order).
const BIG_PAGE: u32 = 100;
/// A backend whose list never ends is read this far and no further.
const MAX_PAGES: usize = 20;

/// An answer the mapping cannot use at all (not one record of a list, which is left out instead): the
/// page says it did not understand the answer, and the console says where and why.
fn unreadable(error: MapError) -> ApiError {
    leptos::logging::warn!("rapport: the backend's answer does not fit the mapping: {error}");
    error.into()
}

/// A backend reached through a mapping.
pub struct Mapped {
    client: Client,
    /// The configuration, and what was learnt from the backend (ids, orders, left-out records).
    backend: Backend,
    mapping: Arc<Mapping>,
}

impl Mapped {
    pub fn new(backend: Backend, client: Client, mapping: Arc<Mapping>) -> Self {
        Self {
            client,
            backend,
            mapping,
        }
    }

    /// Template values every endpoint may use.
    fn vars(&self) -> Vec<(&str, &str)> {
        match self.backend.config.auth.customer_id() {
            Some(id) => vec![("customer_id", id)],
            None => Vec::new(),
        }
    }

    async fn fetch_customer(&self, mapping: &Mapping) -> Result<Profile, ApiError> {
        let path = mapping.customer.endpoint.expand(&self.vars());
        let body: Value = self.client.get(&path).await?;
        Ok(map_customer(&mapping.customer, &body)
            .map_err(unreadable)?
            .0)
    }

    async fn customer(&self) -> Result<Option<Profile>, ApiError> {
        let mapping = &*self.mapping;
        // Without a token there is nobody to ask about: signed out, without a pointless 401.
        if matches!(self.backend.config.auth, Auth::Bearer { .. }) && !self.client.has_token() {
            return Ok(None);
        }
        match self.fetch_customer(mapping).await {
            Ok(profile) => Ok(Some(profile)),
            Err(ApiError::Unauthorized) => Ok(None),
            Err(error) => Err(error),
        }
    }

    async fn sign_in(&self, login: LoginRequest) -> Result<Profile, ApiError> {
        let mapping = &*self.mapping;
        self.backend.forget();
        // The body the backend expects (an OAuth password grant, say), filled with the credentials.
        let login = self
            .backend
            .config
            .sign_in_body(&login.email, &login.password);
        match &self.backend.config.auth {
            Auth::Cookie {
                sign_in: Some(sign_in),
                ..
            } => {
                self.client
                    .post_ignoring_answer(&sign_in.expand(&[]), &login)
                    .await?
            }
            Auth::Bearer { sign_in, token } => {
                let answer: Value = self.client.post(&sign_in.expand(&[]), &login).await?;
                let token = answer
                    .pointer(token)
                    .and_then(Value::as_str)
                    .filter(|t| !t.is_empty())
                    .ok_or_else(|| ApiError::Decode(format!("sign-in answer has no {token}")))?;
                self.client.set_token(Some(token.to_owned()));
            }
            Auth::Cookie { sign_in: None, .. } | Auth::None { .. } => {}
        }
        self.fetch_customer(mapping).await
    }

    async fn sign_out(&self) -> Result<(), ApiError> {
        self.client.set_token(None);
        self.backend.forget();
        if let Auth::Cookie {
            sign_out: Some(sign_out),
            ..
        } = &self.backend.config.auth
        {
            self.client.delete(&sign_out.expand(&[])).await?;
        }
        Ok(())
    }

    /// Every order of the customer (as far as [`MAX_PAGES`] pages go), newest first by the mapped date,
    /// read again when the last read is no longer fresh. Records that cannot be read are left out and
    /// reported.
    async fn all_orders(&self, mapping: &Mapping) -> Result<Arc<OrderList>, ApiError> {
        let now = js_sys::Date::now();
        if let Some(list) = self.backend.fresh_orders(now) {
            return Ok(list);
        }
        let list = &mapping.orders;
        let mut orders = Vec::new();
        let mut unread = Vec::new();
        let mut position: Option<String> = None;
        let mut seen = 0;
        let mut total = None;
        for _ in 0..MAX_PAGES {
            let path = with_query(
                &list.endpoint.expand(&self.vars()),
                &page_query(&list.pagination, position.as_deref(), BIG_PAGE),
            );
            let body: Value = self.client.get(&path).await?;
            let page =
                map_orders_page(list, &body, position.as_deref(), BIG_PAGE).map_err(unreadable)?;
            unread.extend(page.unread.into_iter().map(|u| u.shifted(seen)));
            seen += page.sent;
            orders.extend(page.items);
            total = None;
            match page.next {
                Some(next) => {
                    position = Some(next);
                    total = page.total;
                }
                None => break,
            }
        }
        for order in &orders {
            self.backend.remember(order.summary.id, &order.key);
        }
        newest_first(&mut orders);
        self.backend.report(RecordKind::Order, unread);
        let list = Arc::new(OrderList { orders, total });
        self.backend.keep_orders(now, Arc::clone(&list));
        Ok(list)
    }

    async fn overview(&self) -> Result<Overview, ApiError> {
        let mapping = &*self.mapping;
        let requests = async {
            match mapping.requests {
                Some(_) => self.requests().await,
                None => Ok(Vec::new()),
            }
        };
        let (customer, orders, requests) = futures::future::join3(
            self.fetch_customer(mapping),
            self.all_orders(mapping),
            requests,
        )
        .await;
        let orders = orders?;
        let summaries: Vec<_> = orders.orders.iter().map(|o| o.summary.clone()).collect();
        let now = (js_sys::Date::now() / 1000.0) as i64;
        Ok(overview(
            customer?,
            &summaries,
            orders.total,
            &requests?,
            now,
        ))
    }

    /// The backend's id for the portal's order number: remembered from a list, or looked up by
    /// reading the customer's orders (after a reload, or from a link).
    async fn order_key(&self, mapping: &Mapping, id: i64) -> Result<String, ApiError> {
        if let Some(key) = self.backend.key(id) {
            return Ok(key);
        }
        let list = self.all_orders(mapping).await?;
        list.orders
            .iter()
            .find(|o| o.summary.id == id)
            .map(|o| o.key.clone())
            .ok_or(ApiError::NotFound)
    }

    async fn order(&self, id: i64) -> Result<OrderDetail, ApiError> {
        let mapping = &*self.mapping;
        let key = self.order_key(mapping, id).await?;
        let mut vars = self.vars();
        vars.push(("id", &key));
        let path = mapping.order.resource.endpoint.expand(&vars);
        let body: Value = self.client.get(&path).await?;
        let (_, mut detail, unread) =
            map_order_detail_full(&mapping.order, &body).map_err(unreadable)?;
        let (lines, shipments) = unread.into_iter().partition(|u| u.kind == RecordKind::Line);
        self.backend.report(RecordKind::Line, lines);
        self.backend.report(RecordKind::Shipment, shipments);
        // The number in the URL stays the page's identity even if the detail spells the id differently.
        detail.order.id = id;
        if mapping.requests.is_some() {
            // Requests are extra on this page: without them the order still shows.
            if let Ok(requests) = self.requests().await {
                detail.requests = requests
                    .into_iter()
                    .filter(|r| r.order_id == Some(id))
                    .collect();
            }
        }
        Ok(detail)
    }

    /// The orders as history entries, filtered and paged here (the cursor is a place in the filtered
    /// list), because a generic backend cannot be asked to filter.
    async fn history_page(
        &self,
        filter: &HistoryFilter,
        cursor: Option<&str>,
        limit: u32,
    ) -> Result<HistoryPage, ApiError> {
        let mapping = &*self.mapping;
        if !filter.kinds.is_empty() && !filter.kinds.contains(&HistoryKind::Order) {
            return Ok(HistoryPage {
                entries: Vec::new(),
                next_cursor: None,
                total: 0,
            });
        }
        let list = self.all_orders(mapping).await?;
        let mut entries: Vec<HistoryEntry> = list
            .orders
            .iter()
            .map(|order| {
                let o = &order.summary;
                HistoryEntry {
                    id: format!("order:{}", o.id),
                    kind: HistoryKind::Order,
                    at: o.placed_at.clone(),
                    reference: o.number.clone(),
                    status: Some(o.status.as_str().to_owned()),
                    amount_cents: Some(o.total_cents),
                    currency: Some(o.currency.clone()),
                    order_id: Some(o.id),
                    detail: None,
                }
            })
            .filter(|entry| filter.matches(entry))
            .collect();
        // Newest first by the mapped date (see `all_orders`); oldest first is that list turned round.
        if filter.oldest_first {
            entries.reverse();
        }
        let total = u32::try_from(entries.len()).unwrap_or(u32::MAX);
        let (entries, next_cursor) = window(entries, cursor, limit);
        Ok(HistoryPage {
            entries,
            next_cursor,
            total,
        })
    }

    async fn requests(&self) -> Result<Vec<ServiceRequest>, ApiError> {
        let list = self.mapping.requests.as_ref().ok_or(ApiError::NotFound)?;
        let mut requests = Vec::new();
        let mut unread = Vec::new();
        let mut position: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let path = with_query(
                &list.endpoint.expand(&self.vars()),
                &page_query(&list.pagination, position.as_deref(), BIG_PAGE),
            );
            let body: Value = self.client.get(&path).await?;
            let page = map_requests_page(list, &body, position.as_deref(), BIG_PAGE)
                .map_err(unreadable)?;
            let seen = requests.len() + unread.len();
            unread.extend(page.unread.into_iter().map(|u| u.shifted(seen)));
            for (request, order_key) in page.items {
                if let (Some(number), Some(key)) = (request.order_id, order_key) {
                    self.backend.remember(number, &key);
                }
                requests.push(request);
            }
            match page.next {
                Some(next) => position = Some(next),
                None => break,
            }
        }
        self.backend.report(RecordKind::Request, unread);
        // Newest first by the mapped date, whatever order the backend keeps.
        requests.sort_by(|a, b| b.created_at.cmp(&a.created_at));
        Ok(requests)
    }
}

impl Source for Mapped {
    fn current_customer(&self) -> Call<'_, Option<Profile>> {
        self.customer().boxed_local()
    }

    fn sign_in(&self, login: LoginRequest) -> Call<'_, Profile> {
        Mapped::sign_in(self, login).boxed_local()
    }

    fn sign_out(&self) -> Call<'_, ()> {
        Mapped::sign_out(self).boxed_local()
    }

    fn overview(&self) -> Call<'_, Overview> {
        Mapped::overview(self).boxed_local()
    }

    /// Surveys are the reference backend's: none here.
    fn invitations(&self) -> Call<'_, InvitationList> {
        async {
            Ok(InvitationList {
                invitations: Vec::new(),
            })
        }
        .boxed_local()
    }

    fn order(&self, id: i64) -> Call<'_, OrderDetail> {
        Mapped::order(self, id).boxed_local()
    }

    fn history_page<'a>(
        &'a self,
        filter: &'a HistoryFilter,
        cursor: Option<&'a str>,
        limit: u32,
    ) -> Call<'a, HistoryPage> {
        Mapped::history_page(self, filter, cursor, limit).boxed_local()
    }

    fn requests(&self) -> Call<'_, Vec<ServiceRequest>> {
        Mapped::requests(self).boxed_local()
    }

    fn reference(&self) -> Option<&Client> {
        None
    }
}
