//! `GET`/`PUT /profile`: name, phone and addresses, versioned with a strong `ETag`.
//!
//! A save must send `If-Match` with the `ETag` it read (428 without one, 412 when someone changed the
//! profile since), so that two tabs or devices cannot silently overwrite each other.

use crate::db::Conn;
use crate::error::ApiJson;
use crate::etag::{etag, if_match_matches, require_if_match, stale, with_etag};
use crate::extractor::Customer;
use crate::{AppError, AppState};
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use rapport_api::{Address, FieldError, ProfileDetails};

pub const MAX_NAME_CHARS: usize = 100;
pub const MAX_ADDRESSES: usize = 5;
pub const MAX_POSTAL_CODE_CHARS: usize = 12;
/// Street and city: generous, but bounded.
pub const MAX_ADDRESS_LINE_CHARS: usize = 200;
pub const ADDRESS_LABELS: [&str; 2] = ["delivery", "billing"];

/// The stored profile and its version.
async fn load(conn: &mut Conn, customer_id: i64) -> Result<(ProfileDetails, i64), AppError> {
    let row: Option<(String, String, String, i64)> =
        sqlx::query_as("SELECT name, email, phone, profile_version FROM customers WHERE id = $1")
            .bind(customer_id)
            .fetch_optional(&mut *conn)
            .await?;
    // The session outlived its customer: the same as not being signed in.
    let (name, email, phone, version) = row.ok_or_else(AppError::unauthorized)?;
    let addresses: Vec<(String, String, String, String, String)> = sqlx::query_as(
        "SELECT label, street, postal_code, city, country FROM addresses
         WHERE customer_id = $1 ORDER BY position, id",
    )
    .bind(customer_id)
    .fetch_all(&mut *conn)
    .await?;
    let addresses = addresses
        .into_iter()
        .map(|(label, street, postal_code, city, country)| Address {
            label,
            street,
            postal_code,
            city,
            country,
        })
        .collect();
    Ok((
        ProfileDetails {
            name,
            email,
            phone,
            addresses,
        },
        version,
    ))
}

/// `GET /profile`.
pub async fn get_profile(
    State(state): State<AppState>,
    customer: Customer,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let (details, version) = load(&mut conn, customer.id).await?;
    let tag = etag(customer.id, version, &details);
    Ok(with_etag(details, &tag))
}

fn problem(field: impl Into<String>, problem: &str) -> FieldError {
    FieldError {
        field: field.into(),
        problem: problem.to_owned(),
    }
}

/// A required one-line field: trimmed; no control characters at all.
fn line(value: &str, field: &str, max_chars: usize, errors: &mut Vec<FieldError>) -> String {
    let value = value.trim();
    if value.chars().any(char::is_control) {
        errors.push(problem(field, "invalid_format"));
    } else if value.is_empty() {
        errors.push(problem(field, "required"));
    } else if value.chars().count() > max_chars {
        errors.push(problem(field, "too_long"));
    }
    value.to_owned()
}

/// Checks a submitted profile against the stored e-mail address and returns it normalised (trimmed,
/// phone without spaces), or every problem found. Field paths follow the body: `name`, `phone`,
/// `email`, `addresses`, `addresses[1].city`.
///
/// The e-mail address is the sign-in name and cannot be changed here: a different one is refused with
/// `email` `not_allowed` (rather than silently ignored, so a client never believes it changed it).
pub fn validate(
    submitted: &ProfileDetails,
    stored_email: &str,
) -> Result<ProfileDetails, Vec<FieldError>> {
    let mut errors = Vec::new();
    let name = line(&submitted.name, "name", MAX_NAME_CHARS, &mut errors);
    if crate::email::canonical(&submitted.email) != crate::email::canonical(stored_email) {
        errors.push(problem("email", "not_allowed"));
    }
    let phone: String = submitted.phone.chars().filter(|c| *c != ' ').collect();
    if !phone.is_empty() {
        let digits = phone.strip_prefix('+').unwrap_or("");
        let valid = digits.chars().all(|c| c.is_ascii_digit()) && (8..=15).contains(&digits.len());
        if !phone.starts_with('+') || !valid {
            errors.push(problem("phone", "invalid_format"));
        }
    }
    if submitted.addresses.len() > MAX_ADDRESSES {
        errors.push(problem("addresses", "too_long"));
    }
    let mut addresses = Vec::new();
    for (i, address) in submitted.addresses.iter().enumerate().take(MAX_ADDRESSES) {
        let at = |name: &str| format!("addresses[{i}].{name}");
        let label = address.label.trim();
        if label.is_empty() {
            errors.push(problem(at("label"), "required"));
        } else if !ADDRESS_LABELS.contains(&label) {
            errors.push(problem(at("label"), "invalid_format"));
        }
        let street = line(
            &address.street,
            &at("street"),
            MAX_ADDRESS_LINE_CHARS,
            &mut errors,
        );
        let postal_code = line(
            &address.postal_code,
            &at("postal_code"),
            MAX_POSTAL_CODE_CHARS,
            &mut errors,
        );
        let city = line(
            &address.city,
            &at("city"),
            MAX_ADDRESS_LINE_CHARS,
            &mut errors,
        );
        let country = address.country.trim();
        if country.is_empty() {
            errors.push(problem(at("country"), "required"));
        } else if country.len() != 2 || !country.chars().all(|c| c.is_ascii_uppercase()) {
            errors.push(problem(at("country"), "invalid_format"));
        }
        addresses.push(Address {
            label: label.to_owned(),
            street,
            postal_code,
            city,
            country: country.to_owned(),
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(ProfileDetails {
        name,
        email: stored_email.to_owned(),
        phone,
        addresses,
    })
}

/// `PUT /profile`: replaces name, phone and addresses in one transaction. Needs `If-Match`.
pub async fn put_profile(
    State(state): State<AppState>,
    customer: Customer,
    headers: HeaderMap,
    ApiJson(submitted): ApiJson<ProfileDetails>,
) -> Result<Response, AppError> {
    let if_match = require_if_match(&headers, "profile")?;
    let stale = || stale("profile");

    // Read and check outside the transaction, which then starts with its guarded write: SQLite cannot
    // always upgrade a reading transaction to a writing one under concurrency.
    let (current, version) = {
        let mut conn = state.db.acquire().await?;
        load(&mut conn, customer.id).await?
    };
    if !if_match_matches(&if_match, &etag(customer.id, version, &current)) {
        return Err(stale());
    }
    let details = validate(&submitted, &current.email).map_err(AppError::invalid_fields)?;
    let mut tx = state.db.begin().await?;
    // Guarded by the version read above: a concurrent save in between makes this one stale, not lost.
    let updated = sqlx::query(
        "UPDATE customers SET name = $1, phone = $2, profile_version = profile_version + 1
         WHERE id = $3 AND profile_version = $4",
    )
    .bind(&details.name)
    .bind(&details.phone)
    .bind(customer.id)
    .bind(version)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if updated != 1 {
        return Err(stale());
    }
    sqlx::query("DELETE FROM addresses WHERE customer_id = $1")
        .bind(customer.id)
        .execute(&mut *tx)
        .await?;
    for (position, address) in details.addresses.iter().enumerate() {
        sqlx::query(
            "INSERT INTO addresses (customer_id, position, label, street, postal_code, city, country)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(customer.id)
        .bind(i64::try_from(position).unwrap_or(i64::MAX))
        .bind(&address.label)
        .bind(&address.street)
        .bind(&address.postal_code)
        .bind(&address.city)
        .bind(&address.country)
        .execute(&mut *tx)
        .await?;
    }
    let (saved, version) = load(&mut tx, customer.id).await?;
    tx.commit().await?;
    let tag = etag(customer.id, version, &saved);
    Ok(with_etag(saved, &tag))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn details() -> ProfileDetails {
        ProfileDetails {
            name: "Anna".into(),
            email: "a@x.test".into(),
            phone: "+31 6 1234 5678".into(),
            addresses: vec![Address {
                label: "delivery".into(),
                street: "Oudegracht 1".into(),
                postal_code: "3511 AW".into(),
                city: "Utrecht".into(),
                country: "NL".into(),
            }],
        }
    }

    #[test]
    fn valid_profile_is_normalised() {
        let ok = validate(&details(), "A@x.test").unwrap();
        assert_eq!(ok.phone, "+31612345678");
        assert_eq!(ok.email, "A@x.test");
    }

    #[test]
    fn every_problem_is_reported_with_its_path() {
        let mut d = details();
        d.name = " ".into();
        d.email = "new@x.test".into();
        d.phone = "0612345678".into();
        d.addresses.push(Address {
            label: "home".into(),
            street: "".into(),
            postal_code: "1234567890123".into(),
            city: "Utrecht\u{7}".into(),
            country: "nl".into(),
        });
        let errors = validate(&d, "a@x.test").unwrap_err();
        let got: Vec<(&str, &str)> = errors
            .iter()
            .map(|e| (e.field.as_str(), e.problem.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("name", "required"),
                ("email", "not_allowed"),
                ("phone", "invalid_format"),
                ("addresses[1].label", "invalid_format"),
                ("addresses[1].street", "required"),
                ("addresses[1].postal_code", "too_long"),
                ("addresses[1].city", "invalid_format"),
                ("addresses[1].country", "invalid_format"),
            ]
        );
    }

    #[test]
    fn phone_rules() {
        for (phone, ok) in [
            ("", true),
            ("+12345678", true),
            ("+123456789012345", true),
            ("+1234567", false),
            ("+1234567890123456", false),
            ("+31-6-12345678", false),
            ("+", false),
            ("++31612345678", false),
        ] {
            let mut d = details();
            d.phone = phone.into();
            assert_eq!(validate(&d, "a@x.test").is_ok(), ok, "{phone}");
        }
    }

    #[test]
    fn if_match_is_strong() {
        assert!(if_match_matches("\"abc\"", "\"abc\""));
        assert!(if_match_matches("\"x\", \"abc\"", "\"abc\""));
        assert!(if_match_matches("*", "\"abc\""));
        assert!(!if_match_matches("W/\"abc\"", "\"abc\""));
        assert!(!if_match_matches("abc", "\"abc\""));
    }
}
