//! The portal's data layer: every call to the backend goes through here.
//!
//! Pages never build URLs or parse JSON themselves; they call these typed functions and get a
//! `Result<_, ApiError>`.

use leptos::prelude::*;
pub use rapport_api::ApiError;
use rapport_api::{client::Client, LoginRequest, Overview, Profile, SessionInfo, API_PREFIX};

/// The backend client, shared through context (same origin by default).
pub fn client() -> Client {
    use_context::<Client>().unwrap_or_default()
}

fn path(resource: &str) -> String {
    format!("{API_PREFIX}{resource}")
}

/// Who is signed in (`None`: nobody). Not an error when nobody is.
pub async fn current_customer(client: &Client) -> Result<Option<Profile>, ApiError> {
    let info: SessionInfo = client.get(&path("/session")).await?;
    Ok(info.customer)
}

pub async fn sign_in(
    client: &Client,
    email: String,
    password: String,
) -> Result<Profile, ApiError> {
    client
        .post(&path("/session"), &LoginRequest { email, password })
        .await
}

pub async fn sign_out(client: &Client) -> Result<(), ApiError> {
    client.delete(&path("/session")).await
}

pub async fn overview(client: &Client) -> Result<Overview, ApiError> {
    client.get(&path("/overview")).await
}
