//! The reference contract (`/api/v1/...`), spoken by this repository's server.

use super::{Call, Source};
use crate::model::history_filter::HistoryFilter;
use futures::FutureExt;
use rapport_api::client::Client;
use rapport_api::{
    HistoryPage, InvitationList, LoginRequest, OrderDetail, Overview, Profile, ServiceRequest,
    SessionInfo, API_PREFIX,
};

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
}

impl Source for Reference {
    fn current_customer(&self) -> Call<'_, Option<Profile>> {
        async move {
            let info: SessionInfo = self.client.get(&path("/session")).await?;
            Ok(info.customer)
        }
        .boxed_local()
    }

    fn sign_in(&self, login: LoginRequest) -> Call<'_, Profile> {
        async move { self.client.post(&path("/session"), &login).await }.boxed_local()
    }

    fn sign_out(&self) -> Call<'_, ()> {
        async move { self.client.delete(&path("/session")).await }.boxed_local()
    }

    fn overview(&self) -> Call<'_, Overview> {
        async move { self.client.get(&path("/overview")).await }.boxed_local()
    }

    fn invitations(&self) -> Call<'_, InvitationList> {
        async move { self.client.get(&path("/invitations")).await }.boxed_local()
    }

    fn order(&self, id: i64) -> Call<'_, OrderDetail> {
        async move { self.client.get(&path(&format!("/orders/{id}"))).await }.boxed_local()
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
