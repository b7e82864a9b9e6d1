//! Accounts as handlers read them: the signed-in customer's profile, and any customer's name, e-mail, start
//! and role.

use crate::db::Conn;
use crate::extractor::STAFF_ROLE;
use crate::{AppError, AppState};
use rapport_api::Profile;

/// The account's profile as the portal shows it; a session that outlived its customer is a 401.
pub async fn load_profile(state: &AppState, customer_id: i64) -> Result<Profile, AppError> {
    let (id, name, email, customer_since, role): (i64, String, String, String, String) =
        sqlx::query_as("SELECT id, name, email, customer_since, role FROM customers WHERE id = $1")
            .bind(customer_id)
            .fetch_optional(&state.db)
            .await?
            .ok_or_else(AppError::unauthorized)?;
    Ok(Profile {
        id,
        name,
        email,
        customer_since,
        staff: role == STAFF_ROLE,
    })
}

/// Name, e-mail, start and role of an account.
pub struct Account {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub customer_since: String,
    pub staff: bool,
    /// Emptied by an erasure (`erasure`): nothing of the person is left.
    pub erased: bool,
}

pub async fn load_account(conn: &mut Conn, id: i64) -> Result<Option<Account>, AppError> {
    type Row = (i64, String, String, String, String, Option<String>);
    let row: Option<Row> = sqlx::query_as(
        "SELECT id, name, email, customer_since, role, erased_at FROM customers WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(
        row.map(|(id, name, email, customer_since, role, erased)| Account {
            id,
            name,
            email,
            customer_since,
            staff: role == STAFF_ROLE,
            erased: erased.is_some(),
        }),
    )
}
