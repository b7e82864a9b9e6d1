//! The portal's data layer: every call to the backend goes through here.
//!
//! Pages never build URLs or parse JSON themselves; they call these typed functions on an [`Api`] and get
//! a `Result<_, ApiError>`. A 401 from any authenticated call marks the session expired here, once, so
//! every page and form gets the re-authentication dialog without handling it itself.

use crate::backend::{use_backend, Backend};
use crate::model::history_filter::HistoryFilter;
use crate::session::Session;
use leptos::prelude::*;
use rapport_api::config::Mapping;
pub use rapport_api::ApiError;
use rapport_api::{
    client::Client, ConsentReceipt, ConsentRecord, ContactPoint, DeletionRequest, HistoryEntry,
    HistoryPage, Invoice, LoginRequest, NewContactPoint, NewDeletionRequest, NewServiceRequest,
    Notice, OrderDetail, Overview, Preferences, PreferencesUpdate, Profile, ProfileDetails,
    ServiceRequest, SessionInfo, API_PREFIX,
};
use rapport_api::{
    InvitationList, NewSurveyAction, Relationship, StaffCustomerDetail, StaffCustomerList,
    SurveyAction, SurveyAnswerDetail,
};

/// The backend client plus the session it reports expiry to.
#[derive(Clone)]
pub struct Api {
    pub(crate) client: Client,
    pub(crate) session: Option<Session>,
    /// The configured backend: the reference contract, or a mapping (see `remote.rs`).
    pub(crate) backend: Backend,
}

/// The data layer for the current component tree (same-origin backend by default).
pub fn client() -> Api {
    Api {
        client: use_context::<Client>().unwrap_or_default(),
        session: use_context::<Session>(),
        backend: use_backend(),
    }
}

fn path(resource: &str) -> String {
    format!("{API_PREFIX}{resource}")
}

impl Api {
    pub fn new(client: Client, session: Option<Session>) -> Self {
        Self {
            client,
            session,
            backend: Backend::default(),
        }
    }

    /// A data layer for a configured backend.
    pub fn with_backend(backend: Backend, client: Client, session: Option<Session>) -> Self {
        Self {
            client,
            session,
            backend,
        }
    }

    /// The features below exist only in the reference contract; a mapped backend is never asked for
    /// them (the portal hides them), and a deep link to one finds nothing.
    fn reference_only(&self) -> Result<(), ApiError> {
        if self.backend.config.is_reference() {
            Ok(())
        } else {
            Err(ApiError::NotFound)
        }
    }

    /// The mapping, when the backend is not the reference one.
    pub(crate) fn mapping(&self) -> Option<&Mapping> {
        self.backend.config.mapping()
    }

    /// Passes a result through, noting an expired session on the way.
    fn watch<T>(&self, result: Result<T, ApiError>) -> Result<T, ApiError> {
        if let (Err(ApiError::Unauthorized), Some(session)) = (&result, self.session) {
            session.expired();
        }
        result
    }

    /// Who is signed in (`None`: nobody). Not an error when nobody is.
    pub async fn current_customer(&self) -> Result<Option<Profile>, ApiError> {
        if self.mapping().is_some() {
            return self.remote_customer().await;
        }
        let info: SessionInfo = self.client.get(&path("/session")).await?;
        Ok(info.customer)
    }

    /// Signs in. A 401 here means wrong credentials, not an expired session.
    pub async fn sign_in(&self, email: String, password: String) -> Result<Profile, ApiError> {
        if self.mapping().is_some() {
            return self.remote_sign_in(email, password).await;
        }
        self.client
            .post(&path("/session"), &LoginRequest { email, password })
            .await
    }

    pub async fn sign_out(&self) -> Result<(), ApiError> {
        if self.mapping().is_some() {
            return self.remote_sign_out().await;
        }
        self.client.delete(&path("/session")).await
    }

    pub async fn overview(&self) -> Result<Overview, ApiError> {
        if self.mapping().is_some() {
            return self.watch(self.remote_overview().await);
        }
        self.watch(self.client.get(&path("/overview")).await)
    }

    pub async fn relationship(&self) -> Result<Relationship, ApiError> {
        self.reference_only()?;
        self.watch(self.client.get(&path("/relationship")).await)
    }

    /// Open survey invitations, newest first.
    pub async fn invitations(&self) -> Result<InvitationList, ApiError> {
        if self.mapping().is_some() {
            return Ok(InvitationList {
                invitations: Vec::new(),
            });
        }
        self.watch(self.client.get(&path("/invitations")).await)
    }

    pub async fn dismiss_invitation(&self, id: i64) -> Result<(), ApiError> {
        self.reference_only()?;
        self.watch(
            self.client
                .post_action(&path(&format!("/invitations/{id}/dismiss")))
                .await,
        )
    }

    /// One of the customer's survey answers with what the firm did about it.
    pub async fn survey_answer(&self, id: &str) -> Result<SurveyAnswerDetail, ApiError> {
        self.reference_only()?;
        let id = js_sys::encode_uri_component(id);
        self.watch(
            self.client
                .get(&path(&format!("/survey-responses/{id}")))
                .await,
        )
    }

    /// The instrument definition (JSON text, read by the scoring core).
    pub async fn instrument_json(&self, id: &str) -> Result<String, ApiError> {
        self.reference_only()?;
        let id = js_sys::encode_uri_component(id);
        self.watch(
            self.client
                .get_json_text(&path(&format!("/instruments/{id}")))
                .await,
        )
    }

    pub async fn staff_customers(&self) -> Result<StaffCustomerList, ApiError> {
        self.reference_only()?;
        self.watch(self.client.get(&path("/staff/customers")).await)
    }

    pub async fn staff_customer(&self, id: i64) -> Result<StaffCustomerDetail, ApiError> {
        self.reference_only()?;
        self.watch(
            self.client
                .get(&path(&format!("/staff/customers/{id}")))
                .await,
        )
    }

    /// Staff record what the firm did in response to an answer.
    pub async fn add_survey_action(
        &self,
        response_id: &str,
        text: String,
    ) -> Result<SurveyAction, ApiError> {
        self.reference_only()?;
        let id = js_sys::encode_uri_component(response_id);
        self.watch(
            self.client
                .post(
                    &path(&format!("/staff/survey-responses/{id}/actions")),
                    &NewSurveyAction { text },
                )
                .await,
        )
    }

    pub async fn order(&self, id: i64) -> Result<OrderDetail, ApiError> {
        if self.mapping().is_some() {
            return self.watch(self.remote_order(id).await);
        }
        self.watch(self.client.get(&path(&format!("/orders/{id}"))).await)
    }

    pub async fn invoice(&self, id: i64) -> Result<Invoice, ApiError> {
        self.reference_only()?;
        self.watch(self.client.get(&path(&format!("/invoices/{id}"))).await)
    }

    /// One page of the filtered history.
    pub async fn history_page(
        &self,
        filter: &HistoryFilter,
        cursor: Option<&str>,
        limit: u32,
    ) -> Result<HistoryPage, ApiError> {
        if self.mapping().is_some() {
            return self.watch(self.remote_history_page(filter, cursor, limit).await);
        }
        self.watch(
            self.client
                .get(&path(&filter.api_path(cursor, limit)))
                .await,
        )
    }

    /// Every entry matching the filter, following the cursor (for the CSV export). Stops at `max`
    /// entries so that a runaway backend cannot exhaust memory.
    pub async fn history_all(
        &self,
        filter: &HistoryFilter,
        max: usize,
    ) -> Result<Vec<HistoryEntry>, ApiError> {
        let mut entries = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let page = self.history_page(filter, cursor.as_deref(), 500).await?;
            entries.extend(page.entries);
            match page.next_cursor {
                Some(next) if entries.len() < max && Some(&next) != cursor.as_ref() => {
                    cursor = Some(next)
                }
                _ => break,
            }
        }
        entries.truncate(max);
        Ok(entries)
    }

    pub async fn requests(&self) -> Result<Vec<ServiceRequest>, ApiError> {
        if self.mapping().is_some() {
            return self.watch(self.remote_requests().await);
        }
        self.watch(self.client.get(&path("/requests")).await)
    }

    pub async fn create_request(
        &self,
        request: &NewServiceRequest,
    ) -> Result<ServiceRequest, ApiError> {
        self.reference_only()?;
        self.watch(self.client.post(&path("/requests"), request).await)
    }

    /// The profile and its version tag (for a save that cannot overwrite a newer change).
    pub async fn profile(&self) -> Result<(ProfileDetails, Option<String>), ApiError> {
        self.reference_only()?;
        self.watch(self.client.get_versioned(&path("/profile")).await)
    }

    pub async fn save_profile(
        &self,
        details: &ProfileDetails,
        etag: &str,
    ) -> Result<(ProfileDetails, Option<String>), ApiError> {
        self.reference_only()?;
        self.watch(
            self.client
                .put_if_match(&path("/profile"), details, etag)
                .await,
        )
    }

    /// The privacy notice shown beside the preferences, in the customer's language.
    pub async fn notice(&self, lang: &str) -> Result<Notice, ApiError> {
        self.reference_only()?;
        self.watch(
            self.client
                .get(&path(&format!("/notice?lang={lang}")))
                .await,
        )
    }

    /// The preferences and their version tag.
    pub async fn preferences(&self) -> Result<(Preferences, Option<String>), ApiError> {
        self.reference_only()?;
        self.watch(self.client.get_versioned(&path("/preferences")).await)
    }

    /// Saves the whole preference state; the server records one consent record of what changed.
    pub async fn save_preferences(
        &self,
        update: &PreferencesUpdate,
        etag: &str,
    ) -> Result<(Preferences, Option<String>), ApiError> {
        self.reference_only()?;
        self.watch(
            self.client
                .put_if_match(&path("/preferences"), update, etag)
                .await,
        )
    }

    pub async fn consent_records(&self) -> Result<Vec<ConsentRecord>, ApiError> {
        self.reference_only()?;
        self.watch(self.client.get(&path("/consent-records")).await)
    }

    pub async fn receipt(&self, id: i64) -> Result<ConsentReceipt, ApiError> {
        self.reference_only()?;
        self.watch(
            self.client
                .get(&path(&format!("/consent-records/{id}/receipt")))
                .await,
        )
    }

    pub async fn add_contact_point(&self, new: &NewContactPoint) -> Result<ContactPoint, ApiError> {
        self.reference_only()?;
        self.watch(self.client.post(&path("/contact-points"), new).await)
    }

    /// The open deletion request, if any (the server answers `null` when there is none; an older
    /// server's 404 means the same).
    pub async fn deletion_request(&self) -> Result<Option<DeletionRequest>, ApiError> {
        self.reference_only()?;
        match self.client.get(&path("/deletion-request")).await {
            Ok(request) => Ok(request),
            Err(ApiError::NotFound) => Ok(None),
            Err(error) => self.watch(Err(error)),
        }
    }

    pub async fn request_deletion(&self) -> Result<DeletionRequest, ApiError> {
        self.reference_only()?;
        let confirm = NewDeletionRequest {
            confirm: "DELETE".into(),
        };
        self.watch(self.client.post(&path("/deletion-request"), &confirm).await)
    }

    /// A resource's JSON exactly as the server sent it (checked to be well-formed).
    pub async fn raw(&self, resource: &str) -> Result<String, ApiError> {
        self.reference_only()?;
        self.watch(self.client.get_json_text(&path(resource)).await)
    }
}
