//! A mapped backend whose code (the mapping engine of `rapport_connect`) downloads on the first call:
//! deployments on the reference backend, which are most, never fetch it. With the `split` feature the
//! constructor is a split point (see `components::lazy_page`); a chunk that fails to download is a
//! network error, which the pages already explain and offer to retry, and the next call tries again.

use super::{Call, Mapped, Source};
use crate::backend::Backend;
use crate::components::lazy_page::ChunkUnavailable;
use crate::model::history_filter::HistoryFilter;
use rapport_api::client::Client;
use rapport_api::{
    ApiError, HistoryPage, InvitationList, LoginRequest, OrderDetail, Overview, Profile,
    ServiceRequest,
};
use rapport_connect::config::Mapping;
use std::sync::{Arc, OnceLock};

#[cfg(feature = "split")]
#[leptos::wasm_split::wasm_split(mapped, wasm_split_path = ::leptos::wasm_split, fallible)]
fn load_mapped(
    backend: Backend,
    client: Client,
    mapping: Arc<Mapping>,
) -> Result<Arc<dyn Source>, ChunkUnavailable> {
    Ok(Arc::new(Mapped::new(backend, client, mapping)))
}

#[cfg(not(feature = "split"))]
async fn load_mapped(
    backend: Backend,
    client: Client,
    mapping: Arc<Mapping>,
) -> Result<Arc<dyn Source>, ChunkUnavailable> {
    Ok(Arc::new(Mapped::new(backend, client, mapping)))
}

/// [`Mapped`], made on the first call.
pub struct OnDemand {
    backend: Backend,
    client: Client,
    mapping: Arc<Mapping>,
    loaded: OnceLock<Arc<dyn Source>>,
}

impl OnDemand {
    pub fn new(backend: Backend, client: Client, mapping: Arc<Mapping>) -> Self {
        Self {
            backend,
            client,
            mapping,
            loaded: OnceLock::new(),
        }
    }

    async fn source(&self) -> Result<&Arc<dyn Source>, ApiError> {
        if let Some(source) = self.loaded.get() {
            return Ok(source);
        }
        let made = load_mapped(
            self.backend.clone(),
            self.client.clone(),
            Arc::clone(&self.mapping),
        )
        .await
        .map_err(|ChunkUnavailable| ApiError::Network)?;
        // Two calls may both have loaded it; the first one made is kept.
        Ok(self.loaded.get_or_init(|| made))
    }
}

impl Source for OnDemand {
    fn current_customer(&self) -> Call<'_, Option<Profile>> {
        Box::pin(async move { self.source().await?.current_customer().await })
    }

    fn sign_in(&self, login: LoginRequest) -> Call<'_, Profile> {
        Box::pin(async move { self.source().await?.sign_in(login).await })
    }

    fn sign_out(&self) -> Call<'_, ()> {
        Box::pin(async move { self.source().await?.sign_out().await })
    }

    fn overview(&self) -> Call<'_, Overview> {
        Box::pin(async move { self.source().await?.overview().await })
    }

    fn invitations(&self) -> Call<'_, InvitationList> {
        Box::pin(async move { self.source().await?.invitations().await })
    }

    fn order(&self, id: i64) -> Call<'_, OrderDetail> {
        Box::pin(async move { self.source().await?.order(id).await })
    }

    fn history_page<'a>(
        &'a self,
        filter: &'a HistoryFilter,
        cursor: Option<&'a str>,
        limit: u32,
    ) -> Call<'a, HistoryPage> {
        Box::pin(async move {
            self.source()
                .await?
                .history_page(filter, cursor, limit)
                .await
        })
    }

    fn requests(&self) -> Call<'_, Vec<ServiceRequest>> {
        Box::pin(async move { self.source().await?.requests().await })
    }

    /// A mapped backend never has the reference contract's extras.
    fn reference(&self) -> Option<&Client> {
        None
    }
}
