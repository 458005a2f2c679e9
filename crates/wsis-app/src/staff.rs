//! Staff administration: users and their roles, partner API clients. Staff only; a caller who is not staff is told
//! 401 or 403 before anything else.

use chrono::{DateTime, Utc};
use wsis_domain::forms::Violation;
use wsis_domain::organisation::name_violations;
use wsis_domain::said;
use wsis_domain::{ActionLineCode, Actor, MemberRole, Scope, UserRole};
use wsis_persistence::api_clients::{self, ApiClientRecord, NewApiClient};
use wsis_persistence::organisations;
use wsis_persistence::users::{self, UserRecord};
use wsis_persistence::{DbConnection, DbError};

use crate::{Refusal, require_staff};

fn cut(text: &str) -> String {
    text.chars().take(64).collect()
}

/// Every live account with its roles, oldest first.
pub fn users(
    conn: &mut DbConnection,
    actor: &Actor,
) -> Result<Vec<(UserRecord, Vec<UserRole>)>, Refusal> {
    require_staff(actor, said!("action-list-users"))?;
    Ok(users::list_users(conn)?)
}

fn existing_user(conn: &mut DbConnection, id: &str) -> Result<UserRecord, Refusal> {
    users::find_user(conn, id).map_err(|e| match e {
        DbError::NotFound => Refusal::NotFound(said!("not-found-user", id = cut(id))),
        other => other.into(),
    })
}

/// Grants a role to a user (idempotent). `role` is the role named, or why it names none.
pub fn grant_role(
    conn: &mut DbConnection,
    actor: &Actor,
    user: &str,
    role: Result<UserRole, Refusal>,
    at: DateTime<Utc>,
) -> Result<(), Refusal> {
    let staff = require_staff(actor, said!("action-grant-roles"))?;
    let role = role?;
    crate::run(conn, |conn| {
        existing_user(conn, user)?;
        users::grant_role(conn, user, role, at)?;
        tracing::info!(user.id = %user, role = %role.code(), by = %staff, "role granted");
        Ok(())
    })
}

/// Withdraws a role from a user (idempotent).
pub fn revoke_role(
    conn: &mut DbConnection,
    actor: &Actor,
    user: &str,
    role: Result<UserRole, Refusal>,
) -> Result<(), Refusal> {
    let staff = require_staff(actor, said!("action-withdraw-roles"))?;
    let role = role?;
    crate::run(conn, |conn| {
        existing_user(conn, user)?;
        users::revoke_role(conn, user, role)?;
        tracing::info!(user.id = %user, role = %role.code(), by = %staff, "role withdrawn");
        Ok(())
    })
}

/// Deletes a user: memberships end, every session is revoked; the record is kept for audit. An organisation keeps
/// an owner: while the user is the last owner of any, the answer names them (hand them over first).
pub fn delete_user(
    conn: &mut DbConnection,
    actor: &Actor,
    user: &str,
    at: DateTime<Utc>,
) -> Result<(), Refusal> {
    let staff = require_staff(actor, said!("action-delete-users"))?;
    crate::run(conn, |conn| {
        existing_user(conn, user)?;
        let mut sole = Vec::new();
        for membership in users::memberships_of(conn, user)? {
            if membership.role != MemberRole::Owner {
                continue;
            }
            // Locked as a role change locks it, so that a concurrent demotion cannot leave it ownerless either.
            organisations::lock(conn, &membership.organisation_id)?;
            if organisations::owner_count(conn, &membership.organisation_id)? <= 1 {
                sole.push(membership.organisation_name);
            }
        }
        if !sole.is_empty() {
            return Err(Refusal::LastOwner(said!(
                "last-owner-of",
                organisations = sole.join(", ")
            )));
        }
        users::delete_user(conn, user, at)?;
        tracing::info!(user.id = %user, by = %staff, "user deleted");
        Ok(())
    })
}

/// A new API client, as staff give it.
#[derive(Debug, Clone)]
pub struct NewClient {
    /// Name, 1–200 characters.
    pub name: String,
    /// The agency, 1–100 characters.
    pub agency: String,
    /// Scope codes, at least one.
    pub scopes: Vec<String>,
    /// Action-line codes the client is limited to, if any.
    pub action_lines: Option<Vec<String>>,
}

/// A new client's credentials, made by the caller: the digest of its secret (the secret itself is shown once, by
/// the caller), and random text for its public identifier.
#[derive(Debug, Clone)]
pub struct ClientCredentials {
    /// Digest of the secret.
    pub secret_digest: String,
    /// Random lower-case letters and digits that end the public `client_id`.
    pub id_suffix: String,
}

/// The agency's name as it starts a `client_id`: its letters and digits, lower-case, at most 16.
fn client_slug(agency: &str) -> String {
    let slug: String = agency
        .to_lowercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(16)
        .collect();
    if slug.is_empty() {
        "partner".to_owned()
    } else {
        slug
    }
}

/// Creates a partner API client, every field checked and every violation named at once.
pub fn create_client(
    conn: &mut DbConnection,
    actor: &Actor,
    new: Result<NewClient, Refusal>,
    credentials: &ClientCredentials,
    at: DateTime<Utc>,
) -> Result<ApiClientRecord, Refusal> {
    let creator = require_staff(actor, said!("action-create-clients"))?;
    let new = new?;
    let name = new.name.trim();
    let mut violations = name_violations("name", name, 200);
    let agency = new.agency.trim();
    if agency.is_empty() || agency.chars().count() > 100 {
        violations.push(Violation::new(
            "agency",
            "invalid_length",
            said!("field-invalid_length", min = 1, max = 100),
        ));
    }
    let mut scopes: Vec<Scope> = Vec::new();
    for (i, code) in new.scopes.iter().enumerate() {
        match code.parse::<Scope>() {
            Ok(scope) if !scopes.contains(&scope) => scopes.push(scope),
            Ok(_) => {}
            Err(e) => violations.push(Violation::new(
                format!("scopes[{i}]"),
                "unknown_scope",
                e.said(),
            )),
        }
    }
    if new.scopes.is_empty() {
        violations.push(Violation::new(
            "scopes",
            "required",
            said!("field-at-least-one-scope"),
        ));
    }
    let mut lines: Vec<ActionLineCode> = Vec::new();
    for (i, code) in new.action_lines.iter().flatten().enumerate() {
        match code.parse::<ActionLineCode>() {
            Ok(line) => lines.push(line),
            Err(e) => violations.push(Violation::new(
                format!("action_lines[{i}]"),
                "unknown_action_line",
                e.said(),
            )),
        }
    }
    if !violations.is_empty() {
        return Err(Refusal::Invalid(violations));
    }
    let client_id = format!(
        "wsis_cl_{}_{}",
        client_slug(agency),
        credentials.id_suffix.to_lowercase()
    );
    crate::run(conn, |conn| {
        let created = api_clients::create(
            conn,
            &NewApiClient {
                client_id: &client_id,
                name,
                agency,
                secret_hash: &credentials.secret_digest,
                scopes: &scopes,
                action_lines: new.action_lines.is_some().then_some(lines.as_slice()),
                created_by: &creator,
            },
            at,
        )?;
        tracing::info!(client.id = %created.client_id, by = %creator, "API client created");
        Ok(created)
    })
}

fn client_not_found(id: &str) -> impl FnOnce(DbError) -> Refusal {
    let detail = said!("not-found-client", id = cut(id));
    move |e| match e {
        DbError::NotFound => Refusal::NotFound(detail),
        other => other.into(),
    }
}

/// Every API client, newest first.
pub fn clients(conn: &mut DbConnection, actor: &Actor) -> Result<Vec<ApiClientRecord>, Refusal> {
    require_staff(actor, said!("action-list-clients"))?;
    Ok(api_clients::list(conn)?)
}

/// One API client.
pub fn client(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
) -> Result<ApiClientRecord, Refusal> {
    require_staff(actor, said!("action-read-clients"))?;
    api_clients::find(conn, id).map_err(client_not_found(id))
}

/// Gives a live client a new secret (its digest): the old secret and its tokens stop working.
pub fn rotate_secret(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    secret_digest: &str,
    at: DateTime<Utc>,
) -> Result<ApiClientRecord, Refusal> {
    let staff = require_staff(actor, said!("action-rotate-secrets"))?;
    crate::run(conn, |conn| {
        let client = api_clients::rotate_secret(conn, id, secret_digest, at)
            .map_err(client_not_found(id))?;
        tracing::info!(client.id = %client.client_id, by = %staff, "API client secret rotated");
        Ok(client)
    })
}

/// Revokes a client: its secret and tokens stop working at once.
pub fn revoke_client(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    at: DateTime<Utc>,
) -> Result<ApiClientRecord, Refusal> {
    let staff = require_staff(actor, said!("action-revoke-clients"))?;
    crate::run(conn, |conn| {
        let client = api_clients::revoke(conn, id, at).map_err(client_not_found(id))?;
        tracing::info!(client.id = %client.client_id, by = %staff, "API client revoked");
        Ok(client)
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn client_ids_start_with_the_agency_in_letters_and_digits() {
        assert_eq!(super::client_slug("UNESCO"), "unesco");
        assert_eq!(
            super::client_slug("UN-Habitat (Nairobi office)"),
            "unhabitatnairobi"
        );
        assert_eq!(super::client_slug("الاتحاد"), "partner");
    }
}
