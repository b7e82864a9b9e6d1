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
pub fn for_backend(backend: Backend, client: Client) -> Arc<Chosen> {
    Arc::new(match &backend.config.backend {
        config::Backend::Reference => Chosen::Reference(Reference::new(client)),
        config::Backend::Mapped(mapping) => {
            let mapping = Arc::clone(mapping);
            // The mapping engine downloads with the first call (its own chunk in the release build).
            Chosen::Mapped(on_demand::OnDemand::new(backend, client, mapping))
        }
    })
}

/// The source the data layer calls, chosen once. An enum rather than a `dyn Source`: a trait object's
/// table would link every call (and its JSON decoding) into the first download, where only the
/// session's calls are needed; called directly, each page's calls travel with that page's chunk.
pub enum Chosen {
    Reference(Reference),
    Mapped(on_demand::OnDemand),
}

/// Calls `$call` on whichever source was chosen.
macro_rules! on_chosen {
    ($chosen:expr, $source:ident => $call:expr) => {
        match $chosen {
            Chosen::Reference($source) => $call,
            Chosen::Mapped($source) => $call,
        }
    };
}

impl Chosen {
    pub fn current_customer(&self) -> Call<'_, Option<Profile>> {
        on_chosen!(self, s => s.current_customer())
    }

    pub fn sign_in(&self, login: LoginRequest) -> Call<'_, Profile> {
        on_chosen!(self, s => s.sign_in(login))
    }

    pub fn sign_out(&self) -> Call<'_, ()> {
        on_chosen!(self, s => s.sign_out())
    }

    pub fn overview(&self) -> Call<'_, Overview> {
        on_chosen!(self, s => s.overview())
    }

    pub fn invitations(&self) -> Call<'_, InvitationList> {
        on_chosen!(self, s => s.invitations())
    }

    pub fn order(&self, id: i64) -> Call<'_, OrderDetail> {
        on_chosen!(self, s => s.order(id))
    }

    pub fn history_page<'a>(
        &'a self,
        filter: &'a HistoryFilter,
        cursor: Option<&'a str>,
        limit: u32,
    ) -> Call<'a, HistoryPage> {
        on_chosen!(self, s => s.history_page(filter, cursor, limit))
    }

    pub fn requests(&self) -> Call<'_, Vec<ServiceRequest>> {
        on_chosen!(self, s => s.requests())
    }

    pub fn reference(&self) -> Option<&Client> {
        on_chosen!(self, s => s.reference())
    }
}
