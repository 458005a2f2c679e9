//! Accounts and tokens: registration, e-mail verification, the OAuth 2.0 token endpoint and revocation.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, post, web};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use wsis_domain::Scope;
use wsis_domain::identity::{narrow_scopes, scope_string};
use wsis_persistence::users;
use wsis_persistence::{DbError, api_clients};

use crate::auth::{passwords, secrets};
use crate::json::{FormOrJson, JsonBody};
use crate::mail;
use crate::problem::{
    ApiError, INVALID_CLIENT, INVALID_GRANT, INVALID_REQUEST, INVALID_SCOPE, Problem, ProblemKind,
    SignInRequired, UNSUPPORTED_GRANT_TYPE,
};
use crate::state::AppState;

mod recovery;
mod registration;
mod token;

pub use recovery::*;
pub use registration::*;
pub use token::*;

pub use wsis_app::accounts::VERIFICATION_LIFETIME_HOURS;

/// An account as its owner sees it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a0c4-8f2e-7d41-b6a2-5c1d9e0f3a7b", "email": "amina@example.org", "display_name": "Amina Diallo", "language": "fr", "email_verified": false, "created_at": "2025-01-15T09:30:00Z"}))]
pub struct Account {
    /// Id.
    #[schema(format = Uuid)]
    pub id: String,
    /// E-mail as given.
    pub email: String,
    /// Display name.
    pub display_name: String,
    /// Preferred language.
    #[schema(value_type = wsis_domain::Language)]
    pub language: String,
    /// Whether the address is verified (needed to submit and vote).
    pub email_verified: bool,
    /// Created.
    pub created_at: DateTime<Utc>,
}

impl From<&users::UserRecord> for Account {
    fn from(user: &users::UserRecord) -> Self {
        Self {
            id: user.id.clone(),
            email: user.email.clone(),
            display_name: user.display_name.clone(),
            language: user.language.clone(),
            email_verified: user.email_verified_at.is_some(),
            created_at: user.created_at,
        }
    }
}

/// Delivers the given outbox messages now (best effort: the background worker retries what fails).
pub(crate) async fn deliver_now(state: &AppState, ids: Option<Vec<String>>) {
    let db = state.db.clone();
    let identity = state.identity.clone();
    let now = state.clock.now();
    let outcome =
        web::block(move || mail::deliver_pending(&db, &identity.mailer, now, ids.as_deref())).await;
    if let Ok(Err(err)) | Err(err) = outcome.map_err(|e| DbError::Unavailable(e.to_string())) {
        tracing::warn!(error = %err, "immediate mail delivery failed; the outbox worker will retry");
    }
}

pub use wsis_domain::account::UNVERIFIED_LIFETIME_DAYS;

/// The live account with this normalised address, if `password` is its password. Verified against the account's
/// hash, or a decoy when there is none, so that an unknown address and a wrong password take the same time; in the
/// place `admission` holds in the hashing gate.
pub(crate) async fn account_with_password(
    state: &AppState,
    admission: passwords::Admission,
    normalized: &str,
    password: String,
) -> Result<Option<users::UserRecord>, ApiError> {
    let lookup = normalized.to_owned();
    let user = state
        .db(move |conn| users::find_user_by_email(conn, &lookup))
        .await?;
    let stored = user.as_ref().map(|u| u.password_hash.clone());
    let ok = admission
        .run(move || match stored {
            Some(hash) => passwords::verify(&password, &hash),
            None => {
                passwords::verify_decoy(&password);
                false
            }
        })
        .await?;
    Ok(user.filter(|_| ok))
}

pub use wsis_app::throttle::{
    INVITATIONS_PER_ACCOUNT_PER_HOUR, MAIL_PER_DESTINATION_PER_HOUR, reserve_mail,
};

/// Reserves a password attempt under the caller's account and address keys before any password is checked (so
/// parallel guesses cannot pass the limit together), or answers 429 with `Retry-After`.
pub(crate) async fn reserve_password_attempt(
    state: &AppState,
    account: &str,
    address: &str,
) -> Result<wsis_app::throttle::PasswordAttempt, ApiError> {
    let limits = wsis_app::throttle::PasswordLimits {
        window: state.identity.throttle_window,
        per_account: state.identity.max_account_failures,
        per_address: state.identity.max_address_failures,
    };
    let now = state.clock.now();
    let (account, address) = (account.to_owned(), address.to_owned());
    state
        .run(move |conn| {
            wsis_app::throttle::reserve_password_attempt(conn, &account, &address, limits, now)
        })
        .await
}
