//! Getting back into an account: password reset by a mailed link, and the link that confirms a new address.

use super::*;
use wsis_domain::Email;
use wsis_domain::account::password_violations;

/// A password reset request.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "amina@example.org"}))]
pub struct PasswordResetRequest {
    /// The account's e-mail address.
    pub email: String,
}

/// What a request answers whatever the address: nobody learns from it whether an account exists.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"detail": "If an account uses this address, a message with a link to choose a new password is on its way."}))]
pub struct Accepted {
    /// What happens next, in words, in the negotiated language.
    pub detail: String,
}

/// The link's secret and where it points, made here; the digest is what the database keeps.
fn link(state: &AppState, prefix: &str, page: &str) -> wsis_app::accounts::LinkSecret {
    let token = secrets::generate(prefix);
    let frontend = state.identity.frontend_url.trim_end_matches('/');
    wsis_app::accounts::LinkSecret {
        token_digest: secrets::digest(&token),
        link: format!("{frontend}/{page}?token={token}"),
    }
}

/// A password reset link (`wsis_pr_…`) to `/reset-password` of the frontend.
pub(crate) fn reset_link(state: &AppState) -> wsis_app::accounts::LinkSecret {
    link(state, "wsis_pr_", "reset-password")
}

/// An e-mail change link (`wsis_ec_…`) to `/confirm-email` of the frontend.
pub(crate) fn email_change_link(state: &AppState) -> wsis_app::accounts::LinkSecret {
    link(state, "wsis_ec_", "confirm-email")
}

/// Forgot my password: mail me a link to choose a new one.
///
/// Anyone may call it, without credentials. Every well-formed address is answered alike, 202, whether an account uses
/// it or not. For an account, a single-use link (60 minutes) is mailed to its address, in its language. Requests are
/// limited per client address (`RateLimit` tells the quota; 429 past it), and mail to one address to a few an hour
/// (past that, nothing more is sent, and the answer is the same).
#[utoipa::path(
    operation_id = "request_password_reset",
    tag = "identity",
    request_body(content = PasswordResetRequest, content_type = "application/json"),
    responses(
        (status = 202, description = "Received: if the address has an account, the link is on its way", body = Accepted),
        (status = 422, description = "Not an e-mail address", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests from this client address this hour", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/password-reset")]
pub async fn request_password_reset(
    req: HttpRequest,
    state: web::Data<AppState>,
    lang: crate::negotiate::Lang,
    body: JsonBody<PasswordResetRequest>,
) -> Result<HttpResponse, ApiError> {
    let email = wsis_domain::account::deliverable_email("email", &body.0.email, mail::deliverable)
        .map_err(|violation| ApiError::violations(vec![violation]))?;
    let address = crate::client_address::client_address(&req, &state.identity.trusted_proxies);
    let link = reset_link(&state);
    let now = state.clock.now();
    let (quota, sent) = state
        .run(move |conn| {
            wsis_app::accounts::request_password_reset(conn, &email, &link, &address, now)
        })
        .await?;
    if let Some(sent) = sent {
        deliver_now(&state, Some(vec![sent])).await;
    }
    let mut response = HttpResponse::Accepted().json(Accepted {
        detail: wsis_domain::said!("password-reset-accepted").in_language(lang.0),
    });
    crate::responses::ratelimit::tell(response.headers_mut(), &[quota]);
    Ok(response)
}

/// A new password, with the token of a reset link.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"token": "wsis_pr_3q2-7wJkVYxLr0m1u8Fq4A9pQbN6c5sTzHdE2gKjYiU", "new_password": "another long, unusual passphrase"}))]
pub struct PasswordResetConfirmation {
    /// The `token` query parameter of the link.
    pub token: String,
    /// The new password (same rules as at registration).
    pub new_password: String,
}

/// Set a new password with a reset link.
///
/// Anyone holding the link may call it, without credentials. A weak password is refused (422 naming `new_password`)
/// and the link still works; otherwise the link is used up, the password set, every session of the account revoked,
/// its failed sign-ins forgotten, its address marked verified (the link proves it), and a notice mailed. An unknown,
/// used or expired link is 400 `invalid_token`.
#[utoipa::path(
    operation_id = "confirm_password_reset",
    tag = "identity",
    request_body(content = PasswordResetConfirmation, content_type = "application/json"),
    responses(
        (status = 204, description = "The password is set; every session is revoked: sign in with it"),
        (status = 400, description = "Unknown, used or expired link", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A weak new password", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Too many password hashes in progress; retry after `Retry-After`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/password-reset:confirm")]
pub async fn confirm_password_reset(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: JsonBody<PasswordResetConfirmation>,
) -> Result<HttpResponse, ApiError> {
    let request = body.0;
    let digest = secrets::digest(request.token.trim());
    let (lookup, now) = (digest.clone(), state.clock.now());
    let user = state
        .run(move |conn| wsis_app::accounts::reset_link_account(conn, &lookup, now))
        .await?;
    let email: Option<Email> = user.email.parse().ok();
    let violations = password_violations("new_password", &request.new_password, email.as_ref());
    if !violations.is_empty() {
        return Err(ApiError::violations(violations));
    }
    let password = request.new_password;
    let hash = state
        .identity
        .hashing
        .run(move || passwords::hash(&password))
        .await?
        .map_err(ApiError::internal)?;
    let address = crate::client_address::client_address(&req, &state.identity.trusted_proxies);
    let now = state.clock.now();
    let purge_before = now - state.identity.throttle_window;
    let notice = state
        .run(move |conn| {
            wsis_app::accounts::confirm_password_reset(
                conn,
                &digest,
                &hash,
                &address,
                purge_before,
                now,
            )
        })
        .await?;
    deliver_now(&state, Some(vec![notice])).await;
    Ok(HttpResponse::NoContent().finish())
}

/// Move my account to the new address, with the token of the link mailed to it.
///
/// Anyone holding the link may call it, without credentials. The account's address becomes the new one, verified
/// by the link; the old address is told. An unknown, used or expired link is 400 `invalid_token`; an address that
/// another account has taken since is 409 `conflict`.
#[utoipa::path(
    operation_id = "confirm_email_change",
    tag = "identity",
    request_body(content = TokenBody, content_type = "application/json"),
    responses(
        (status = 204, description = "The account uses the new address"),
        (status = 400, description = "Unknown, used or expired link", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Another account uses the new address now", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No token given", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/email-change:confirm")]
pub async fn confirm_email_change(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: JsonBody<TokenBody>,
) -> Result<HttpResponse, ApiError> {
    let digest = secrets::digest(body.0.token.trim());
    let address = crate::client_address::client_address(&req, &state.identity.trusted_proxies);
    let now = state.clock.now();
    let notice = state
        .run(move |conn| wsis_app::accounts::confirm_email_change(conn, &digest, &address, now))
        .await?;
    deliver_now(&state, Some(vec![notice])).await;
    Ok(HttpResponse::NoContent().finish())
}
