//! The portal's data layer: every call to the backend goes through here.
//!
//! Pages never build URLs or parse JSON themselves; they call these typed functions on an [`Api`] and get
//! a `Result<_, ApiError>`. A 401 from any authenticated call marks the session expired here, once, so
//! every page and form gets the re-authentication dialog without handling it itself.
//!
//! Which backend answers is decided once, when the data layer is made: its [`source::Chosen`] is the reference
//! contract or a mapped backend. What only the reference contract offers goes through
//! [`Api::reference`], which a mapped backend does not have (the portal hides those features there).

use crate::backend::{use_backend, Backend};
use crate::model::history_filter::HistoryFilter;
use crate::session::{Session, SessionState};
use crate::source::{self, path, Chosen};
use leptos::prelude::*;
pub use rapport_api::ApiError;
use rapport_api::{
    client::Client, ConsentReceipt, ConsentRecord, ContactPoint, DeletionRequest, HistoryEntry,
    HistoryPage, Invoice, LoginRequest, NewContactPoint, NewDeletionRequest, NewServiceRequest,
    Notice, OrderDetail, Overview, Preferences, PreferencesUpdate, Profile, ProfileDetails,
    ServiceRequest,
};
use rapport_api::{AccessLinkRequest, NewPassword};
use rapport_api::{AccessLog, DeletionDecision, DeletionQueue, QueuedDeletion};
use rapport_api::{
    InvitationList, NewSurveyAction, Relationship, StaffCustomerDetail, StaffCustomerList,
    SurveyAction, SurveyAnswerDetail,
};
use rapport_api::{PasswordChange, SessionList, SignedOutOthers};
use std::sync::Arc;

/// The backend's source plus the session it reports expiry to.
#[derive(Clone)]
pub struct Api {
    source: Arc<Chosen>,
    session: Option<Session>,
}

/// The data layer for the current component tree (same-origin backend by default).
pub fn client() -> Api {
    Api::with_backend(
        use_backend(),
        use_context::<Client>().unwrap_or_default(),
        use_context::<Session>(),
    )
}

impl Api {
    /// A data layer for the reference backend through `client`.
    pub fn new(client: Client, session: Option<Session>) -> Self {
        Self::with_backend(Backend::default(), client, session)
    }

    /// A data layer for a configured backend.
    pub fn with_backend(backend: Backend, client: Client, session: Option<Session>) -> Self {
        Self {
            source: source::for_backend(backend, client),
            session,
        }
    }

    /// The client of the reference contract, for the features only it has; a deep link to one of
    /// them on a mapped backend finds nothing.
    fn reference(&self) -> Result<&Client, ApiError> {
        self.source.reference().ok_or(ApiError::NotFound)
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
        self.source.current_customer().await
    }

    /// Signs in. A 401 here means wrong credentials, not an expired session.
    pub async fn sign_in(&self, email: String, password: String) -> Result<Profile, ApiError> {
        self.source.sign_in(LoginRequest { email, password }).await
    }

    pub async fn sign_out(&self) -> Result<(), ApiError> {
        self.source.sign_out().await
    }

    pub async fn overview(&self) -> Result<Overview, ApiError> {
        self.watch(self.source.overview().await)
    }

    pub async fn relationship(&self) -> Result<Relationship, ApiError> {
        let answer = crate::recent_read::get(self.reference()?, &path("/relationship")).await;
        let (body, _) = self.watch(answer)?;
        ApiError::decode(&body)
    }

    /// Open survey invitations, newest first.
    pub async fn invitations(&self) -> Result<InvitationList, ApiError> {
        self.watch(self.source.invitations().await)
    }

    pub async fn dismiss_invitation(&self, id: i64) -> Result<(), ApiError> {
        self.watch(
            self.reference()?
                .post_action(&path(&format!("/invitations/{id}/dismiss")))
                .await,
        )
    }

    /// One of the customer's survey answers with what the firm did about it.
    pub async fn survey_answer(&self, id: &str) -> Result<SurveyAnswerDetail, ApiError> {
        let id = js_sys::encode_uri_component(id);
        self.watch(
            self.reference()?
                .get(&path(&format!("/survey-responses/{id}")))
                .await,
        )
    }

    /// The instrument definition (JSON text, read by the scoring core).
    pub async fn instrument_json(&self, id: &str) -> Result<String, ApiError> {
        let id = js_sys::encode_uri_component(id);
        self.watch(
            self.reference()?
                .get_json_text(&path(&format!("/instruments/{id}")))
                .await,
        )
    }

    pub async fn staff_customers(&self) -> Result<StaffCustomerList, ApiError> {
        self.watch(self.reference()?.get(&path("/staff/customers")).await)
    }

    pub async fn staff_customer(&self, id: i64) -> Result<StaffCustomerDetail, ApiError> {
        self.watch(
            self.reference()?
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
        let id = js_sys::encode_uri_component(response_id);
        self.watch(
            self.reference()?
                .post(
                    &path(&format!("/staff/survey-responses/{id}/actions")),
                    &NewSurveyAction { text },
                )
                .await,
        )
    }

    pub async fn order(&self, id: i64) -> Result<OrderDetail, ApiError> {
        self.watch(self.source.order(id).await)
    }

    pub async fn invoice(&self, id: i64) -> Result<Invoice, ApiError> {
        self.watch(
            self.reference()?
                .get(&path(&format!("/invoices/{id}")))
                .await,
        )
    }

    /// One page of the filtered history.
    pub async fn history_page(
        &self,
        filter: &HistoryFilter,
        cursor: Option<&str>,
        limit: u32,
    ) -> Result<HistoryPage, ApiError> {
        self.watch(self.source.history_page(filter, cursor, limit).await)
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
        self.watch(self.source.requests().await)
    }

    /// Files a request; `key` is the submission's idempotency key, the same on every retry of it.
    pub async fn create_request(
        &self,
        request: &NewServiceRequest,
        key: &str,
    ) -> Result<ServiceRequest, ApiError> {
        let resource = path("/requests");
        let sent = self.reference()?.post_once(&resource, request, key);
        self.watch(sent.await)
    }

    /// The profile and its version tag (for a save that cannot overwrite a newer change).
    pub async fn profile(&self) -> Result<(ProfileDetails, Option<String>), ApiError> {
        self.watch(self.reference()?.get_versioned(&path("/profile")).await)
    }

    pub async fn save_profile(
        &self,
        details: &ProfileDetails,
        etag: &str,
    ) -> Result<(ProfileDetails, Option<String>), ApiError> {
        self.watch(
            self.reference()?
                .put_if_match(&path("/profile"), details, etag)
                .await,
        )
    }

    /// The customer's live sessions.
    pub async fn sessions(&self) -> Result<SessionList, ApiError> {
        self.watch(self.reference()?.get(&path("/sessions")).await)
    }

    /// Ends every session of the customer but this one.
    pub async fn sign_out_others(&self) -> Result<SignedOutOthers, ApiError> {
        let none = serde_json::json!({});
        self.watch(
            self.reference()?
                .post(&path("/sessions/sign-out-others"), &none)
                .await,
        )
    }

    /// Changes the password (the current one is required); other sessions end.
    pub async fn change_password(&self, change: &PasswordChange) -> Result<(), ApiError> {
        self.watch(
            self.reference()?
                .post_ignoring_answer(&path("/password"), change)
                .await,
        )
    }

    /// The privacy notice shown beside the preferences, in the customer's language.
    pub async fn notice(&self, lang: &str) -> Result<Notice, ApiError> {
        self.watch(
            self.reference()?
                .get(&path(&format!("/notice?lang={lang}")))
                .await,
        )
    }

    /// The preferences and their version tag: the zone's read of them if it is recent and unused
    /// (a direct load of the preference centre then asks once, see [`crate::recent_read`]).
    pub async fn preferences(&self) -> Result<(Preferences, Option<String>), ApiError> {
        let answer = crate::recent_read::get(self.reference()?, &path("/preferences")).await;
        let (body, etag) = self.watch(answer)?;
        Ok((ApiError::decode(&body)?, etag))
    }

    /// Only the customer's time zone from the preferences (empty: none chosen), read with the
    /// browser's JSON parser: every page needs it from the start, the typed preferences only the
    /// preference centre, which may reuse this read.
    pub async fn time_zone(&self) -> Result<String, ApiError> {
        let client = self.reference()?;
        let path = path("/preferences");
        let kept = crate::recent_read::keep(&path);
        let answer = client.get_text_versioned(&path).await;
        kept.done(&answer);
        let (body, _) = self.watch(answer)?;
        let prefs = rapport_api::client::parse_js(&body)?;
        rapport_api::browser::string(&prefs, "time_zone")
            .ok_or_else(|| ApiError::Decode("preferences without a time zone".into()))
    }

    /// Starts the session check for a backend before the portal mounts: every page waits for it,
    /// and on a slow phone mounting takes long enough for the answer to be there by then.
    pub fn read_session_ahead(backend: &Backend) {
        if backend.config.is_reference() {
            let session = path("/session");
            let reading = crate::recent_read::keep(&session);
            crate::recent_read::start(&backend.client(), session, reading);
        }
    }

    /// Keeps the reads a page will make first (`paths` under the contract's prefix) from now on, and
    /// starts them as soon as the session check says a customer is signed in (a visitor's would only
    /// be refused), so that their answers arrive while the page's pack downloads
    /// ([`crate::recent_read`]). Signed out, or the page gone first: they are let go, and whoever
    /// waits for one asks the server itself. Only on the reference contract: a mapped backend's
    /// reads go through its mapping, which loads on demand.
    pub fn read_ahead(&self, paths: &[&str]) {
        let (Some(client), Some(session)) = (self.source.reference(), self.session) else {
            return;
        };
        let client = client.clone();
        let mut readings: Option<Vec<_>> = Some(
            paths
                .iter()
                .map(|resource| {
                    let path = path(resource);
                    let reading = crate::recent_read::keep(&path);
                    (path, reading)
                })
                .collect(),
        );
        Effect::new(move |_| match &*session.0.read() {
            SessionState::SignedIn(_) => {
                for (path, reading) in readings.take().into_iter().flatten() {
                    crate::recent_read::start(&client, path, reading);
                }
            }
            SessionState::SignedOut | SessionState::Unknown(_) => drop(readings.take()),
            SessionState::Checking | SessionState::Expired(_) => {}
        });
    }

    /// Saves the whole preference state; the server records one consent record of what changed.
    pub async fn save_preferences(
        &self,
        update: &PreferencesUpdate,
        etag: &str,
    ) -> Result<(Preferences, Option<String>), ApiError> {
        crate::recent_read::forget(&path("/preferences"));
        self.watch(
            self.reference()?
                .put_if_match(&path("/preferences"), update, etag)
                .await,
        )
    }

    pub async fn consent_records(&self) -> Result<Vec<ConsentRecord>, ApiError> {
        self.watch(self.reference()?.get(&path("/consent-records")).await)
    }

    pub async fn receipt(&self, id: i64) -> Result<ConsentReceipt, ApiError> {
        self.watch(
            self.reference()?
                .get(&path(&format!("/consent-records/{id}/receipt")))
                .await,
        )
    }

    pub async fn add_contact_point(&self, new: &NewContactPoint) -> Result<ContactPoint, ApiError> {
        self.watch(self.reference()?.post(&path("/contact-points"), new).await)
    }

    /// The open deletion request, if any (the server answers `null` when there is none; an older
    /// server's 404 means the same).
    pub async fn deletion_request(&self) -> Result<Option<DeletionRequest>, ApiError> {
        match self.reference()?.get(&path("/deletion-request")).await {
            Ok(request) => Ok(request),
            Err(ApiError::NotFound) => Ok(None),
            Err(error) => self.watch(Err(error)),
        }
    }

    pub async fn request_deletion(&self) -> Result<DeletionRequest, ApiError> {
        let confirm = NewDeletionRequest {
            confirm: "DELETE".into(),
        };
        self.watch(
            self.reference()?
                .post(&path("/deletion-request"), &confirm)
                .await,
        )
    }

    /// Asks for a link to set a password (`first_access`: for an account that never had one). The
    /// answer is the same whether or not the address has an account.
    pub async fn request_password_link(
        &self,
        email: String,
        first_access: bool,
    ) -> Result<(), ApiError> {
        let resource = if first_access {
            "/first-access"
        } else {
            "/password-reset"
        };
        self.reference()?
            .post_ignoring_answer(&path(resource), &AccessLinkRequest { email })
            .await
    }

    /// Sets a password through a link's token; the answer signs in.
    pub async fn set_password(&self, token: String, password: String) -> Result<Profile, ApiError> {
        self.reference()?
            .post(
                &path("/password-reset/confirm"),
                &NewPassword { token, password },
            )
            .await
    }

    /// Staff: sends the customer a link to set a password.
    pub async fn invite_customer(&self, id: i64) -> Result<(), ApiError> {
        let resource = format!("/staff/customers/{id}/invitation");
        self.watch(self.reference()?.post_action(&path(&resource)).await)
    }

    /// Who at the firm looked at the customer's data.
    pub async fn access_log(&self) -> Result<AccessLog, ApiError> {
        self.watch(self.reference()?.get(&path("/access-log")).await)
    }

    /// Staff: the erasure requests.
    pub async fn deletion_queue(&self) -> Result<DeletionQueue, ApiError> {
        self.watch(
            self.reference()?
                .get(&path("/staff/deletion-requests"))
                .await,
        )
    }

    /// Staff: review, carry out or refuse an erasure request.
    pub async fn decide_deletion(
        &self,
        id: i64,
        decision: &DeletionDecision,
    ) -> Result<QueuedDeletion, ApiError> {
        let resource = format!("/staff/deletion-requests/{id}");
        self.watch(self.reference()?.post(&path(&resource), decision).await)
    }

    /// A resource's JSON exactly as the server sent it (checked to be well-formed).
    pub async fn raw(&self, resource: &str) -> Result<String, ApiError> {
        self.watch(self.reference()?.get_json_text(&path(resource)).await)
    }
}
