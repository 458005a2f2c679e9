//! Registration and e-mail verification.

use super::*;
use wsis_domain::account::{NewAccount, RegistrationInput};

/// A new account.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "amina@example.org", "password": "a long and unusual passphrase", "display_name": "Amina Diallo", "language": "fr"}))]
pub struct RegisterRequest {
    /// The e-mail address; a verification link is sent to it.
    pub email: String,
    /// 12–256 characters, not a well-known password, not containing the address.
    pub password: String,
    /// The name shown to colleagues, 1–200 characters.
    pub display_name: String,
    /// Preferred language for mail: ar, zh, en, fr, ru or es.
    #[schema(value_type = wsis_domain::Language)]
    pub language: String,
}

/// What a registration answers, whatever the address: nobody learns from it whether an account exists.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"email": "amina@example.org", "next": "verify_email", "detail": "If mail can be delivered to this address, a message is on its way: open its link to verify the address, then sign in."}))]
pub struct RegistrationAccepted {
    /// The address as given.
    pub email: String,
    /// Always `verify_email`: open the link the mail brings.
    pub next: String,
    /// What happens next, in words, in the negotiated language.
    pub detail: String,
}

/// Register: ask for an account.
///
/// Every well-formed registration is answered alike, 202, whether the address is new or not, so that the answer tells
/// nobody which addresses have accounts. A new address gets a verification link; an address whose account was never
/// verified gets a fresh link; the owner of an existing account is told by mail that someone tried (nothing changes).
/// Unsolicited mail to one address is limited to a few an hour, and registrations from one client address to a
/// number an hour (`RateLimit` tells it). The password is hashed with Argon2id and never
/// stored or logged in clear. Until the address is verified the account can prepare drafts but not submit, vote or
/// join an organisation; an account not verified within 7 days is deleted and its address freed.
#[utoipa::path(
    operation_id = "register",
    tag = "identity",
    request_body(content = RegisterRequest, content_type = "application/json"),
    responses(
        (status = 202, description = "Registration received: check the mailbox", body = RegistrationAccepted),
        (status = 422, description = "Invalid fields, every one named", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many registrations from this client address this hour (`RateLimit` tells the quota)", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Too many password hashes in progress; retry after `Retry-After`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/register")]
pub async fn register(
    req: actix_web::HttpRequest,
    state: web::Data<AppState>,
    lang: crate::negotiate::Lang,
    body: JsonBody<RegisterRequest>,
) -> Result<HttpResponse, ApiError> {
    let request = body.0;
    let account = NewAccount::parse(
        RegistrationInput {
            email: &request.email,
            password: &request.password,
            display_name: &request.display_name,
            language: &request.language,
        },
        mail::deliverable,
    )
    .map_err(ApiError::violations)?;
    // Counted per client address before the costly hash: one machine does not make a crowd of accounts.
    let address = crate::client_address::client_address(&req, &state.identity.trusted_proxies);
    let (limit, at) = (state.identity.max_signups_per_address, state.clock.now());
    let quota = state
        .run(move |conn| wsis_app::throttle::reserve_signup(conn, &address, limit, at))
        .await?;
    // Hashed whether or not the address is taken, so that both take the same time.
    let password = request.password;
    let hash = state
        .identity
        .hashing
        .run(move || passwords::hash(&password))
        .await?
        .map_err(ApiError::internal)?;
    let now = state.clock.now();
    let answer = RegistrationAccepted {
        email: account.email.as_str().to_owned(),
        next: "verify_email".into(),
        detail: wsis_domain::said!("registration-accepted").in_language(lang.0),
    };
    let frontend = state.identity.frontend_url.trim_end_matches('/').to_owned();
    let token = secrets::generate("wsis_ev_");
    let verification = wsis_app::accounts::LinkSecret {
        token_digest: secrets::digest(&token),
        link: format!("{frontend}/verify-email?token={token}"),
    };
    let sign_in = format!("{frontend}/sign-in");
    let registration = wsis_app::accounts::Registration {
        account,
        password_hash: hash,
    };
    let message = state
        .run(move |conn| {
            wsis_app::accounts::register(
                conn,
                &registration,
                &verification,
                &sign_in,
                Duration::days(UNVERIFIED_LIFETIME_DAYS),
                now,
            )
        })
        .await?;
    if let Some(message) = message {
        deliver_now(&state, Some(vec![message])).await;
    }
    let mut response = HttpResponse::Accepted().json(answer);
    crate::responses::ratelimit::tell(response.headers_mut(), &[quota]);
    Ok(response)
}

/// A token from a mail link.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"token": "wsis_ev_3q2-7wJkVYxLr0m1u8Fq4A9pQbN6c5sTzHdE2gKjYiU"}))]
pub struct TokenBody {
    /// The `token` query parameter of the link.
    pub token: String,
}

/// The result of verifying an address.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"email_verified": true}))]
pub struct Verified {
    /// Always true.
    pub email_verified: bool,
}

/// Verify an e-mail address with the token from the mailed link (single use, 48 hours).
///
/// Anyone holding the link may call it, without credentials. It marks the address verified and uses the token up; an
/// unknown, used or expired token is 400 `invalid_token`.
#[utoipa::path(
    operation_id = "verify_email",
    tag = "identity",
    request_body(content = TokenBody, content_type = "application/json"),
    responses(
        (status = 200, description = "The address is verified", body = Verified),
        (status = 400, description = "Unknown, used or expired token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No token given", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/verify-email")]
pub async fn verify_email(
    state: web::Data<AppState>,
    body: JsonBody<TokenBody>,
) -> Result<HttpResponse, ApiError> {
    let digest = secrets::digest(body.0.token.trim());
    let now = state.clock.now();
    state
        .run(move |conn| wsis_app::accounts::verify_email(conn, &digest, now))
        .await?;
    Ok(HttpResponse::Ok().json(Verified {
        email_verified: true,
    }))
}
