//! Where the portal's data comes from: the reference contract ([`Reference`]) or a backend described by
//! `rapport.config.json` ([`Mapped`]). The data layer ([`crate::api::Api`]) picks one when it is made
//! and then calls it without asking which it is; what only the reference contract offers is reached
//! through [`Source::reference`].

mod mapped;
mod on_demand;
mod reference;

pub use mapped::Mapped;
pub use reference::{path, Reference};

use crate::backend::Backend;
use crate::model::history_filter::HistoryFilter;
use futures::future::LocalBoxFuture;
use rapport_api::client::Client;
use rapport_api::{
    ApiError, HistoryPage, InvitationList, LoginRequest, OrderDetail, Overview, Profile,
    ServiceRequest,
};
use rapport_connect::config;
use std::sync::Arc;

/// One call to a source.
pub type Call<'a, T> = LocalBoxFuture<'a, Result<T, ApiError>>;

/// What every backend provides, in the contract's DTOs.
pub trait Source: Send + Sync {
    /// Who is signed in (`None`: nobody).
    fn current_customer(&self) -> Call<'_, Option<Profile>>;
    fn sign_in(&self, login: LoginRequest) -> Call<'_, Profile>;
    fn sign_out(&self) -> Call<'_, ()>;
    fn overview(&self) -> Call<'_, Overview>;
    /// Open survey invitations, newest first.
    fn invitations(&self) -> Call<'_, InvitationList>;
    fn order(&self, id: i64) -> Call<'_, OrderDetail>;
    fn history_page<'a>(
        &'a self,
        filter: &'a HistoryFilter,
        cursor: Option<&'a str>,
        limit: u32,
    ) -> Call<'a, HistoryPage>;
    fn requests(&self) -> Call<'_, Vec<ServiceRequest>>;
    /// The client of the reference contract, for what only it offers (`None`: a mapped backend, where
    /// the portal hides those features and a deep link to one finds nothing).
    fn reference(&self) -> Option<&Client>;
}

/// The source a configured backend calls for.
pub fn for_backend(backend: Backend, client: Client) -> Arc<dyn Source> {
    match &backend.config.backend {
        config::Backend::Reference => Arc::new(Reference::new(client)),
        config::Backend::Mapped(mapping) => {
            let mapping = Arc::clone(mapping);
            // The mapping engine downloads with the first call (its own chunk in the release build).
            Arc::new(on_demand::OnDemand::new(backend, client, mapping))
        }
    }
}
