//! The reference contract (`/api/v1/...`), spoken by this repository's server.

use super::{Call, Source};
use crate::model::history_filter::HistoryFilter;
use futures::FutureExt;
use rapport_api::client::Client;
use rapport_api::{
    browser, ApiError, HistoryPage, InvitationList, LoginRequest, OrderDetail, Overview, Profile,
    ServiceRequest, API_PREFIX,
};

/// An answer without the contract's shape.
fn unreadable() -> ApiError {
    ApiError::Decode("the answer does not have the contract's shape".into())
}

/// A resource's path under the contract's prefix.
pub fn path(resource: &str) -> String {
    format!("{API_PREFIX}{resource}")
}

pub struct Reference {
    client: Client,
}

impl Reference {
    pub fn new(client: Client) -> Self {
        Self { client }
    }

    /// `GET path`, or the read the page's route started ahead of it ([`crate::recent_read`]).
    async fn kept_or_get<T: serde::de::DeserializeOwned>(&self, path: &str) -> Result<T, ApiError> {
        let (body, _) = crate::recent_read::get(&self.client, path).await?;
        ApiError::decode(&body)
    }
}

impl Source for Reference {
    // The session's calls are read with the browser's JSON parser (rapport_api::browser): they are
    // the only ones the sign-in page makes, and serde_json stays out of its download.
    fn current_customer(&self) -> Call<'_, Option<Profile>> {
        async move {
            // Usually read already, before the portal mounted (`main.rs`).
            let (body, _) = crate::recent_read::get(&self.client, &path("/session")).await?;
            let info = rapport_api::client::parse_js(&body)?;
            // `SessionInfo`: `{"customer": null}` when nobody is signed in (an absent member reads
            // as `None` too, as serde reads an `Option`).
            match browser::member(&info, "customer") {
                customer if customer.is_null_or_undefined() && browser::is_object(&info) => {
                    Ok(None)
                }
                customer => browser::profile(&customer).map(Some).ok_or_else(unreadable),
            }
        }
        .boxed_local()
    }

    fn sign_in(&self, login: LoginRequest) -> Call<'_, Profile> {
        async move {
            let LoginRequest { email, password } = login;
            let body = browser::object_text(&[("email", &email), ("password", &password)])
                .ok_or_else(unreadable)?;
            let answer = self.client.post_js(&path("/session"), body).await?;
            browser::profile(&answer).ok_or_else(unreadable)
        }
        .boxed_local()
    }

    fn sign_out(&self) -> Call<'_, ()> {
        async move { self.client.delete(&path("/session")).await }.boxed_local()
    }

    fn overview(&self) -> Call<'_, Overview> {
        async move { self.kept_or_get(&path("/overview")).await }.boxed_local()
    }

    fn invitations(&self) -> Call<'_, InvitationList> {
        async move { self.client.get(&path("/invitations")).await }.boxed_local()
    }

    fn order(&self, id: i64) -> Call<'_, OrderDetail> {
        async move { self.kept_or_get(&path(&format!("/orders/{id}"))).await }.boxed_local()
    }

    fn history_page<'a>(
        &'a self,
        filter: &'a HistoryFilter,
        cursor: Option<&'a str>,
        limit: u32,
    ) -> Call<'a, HistoryPage> {
        async move {
            self.client
                .get(&path(&filter.api_path(cursor, limit)))
                .await
        }
        .boxed_local()
    }

    fn requests(&self) -> Call<'_, Vec<ServiceRequest>> {
        async move { self.client.get(&path("/requests")).await }.boxed_local()
    }

    fn reference(&self) -> Option<&Client> {
        Some(&self.client)
    }
}
