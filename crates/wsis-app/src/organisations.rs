//! Organisations, their members and invitations: stakeholders act through organisations. Who may do what is the
//! domain's policy; an organisation keeps at least one owner; an invitation's mail is queued with it.

use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};
use wsis_domain::organisation::{Profile, ProfileInput};
use wsis_domain::said;
use wsis_domain::{Access, Actor, Email, Language, MemberRole, policy};
use wsis_persistence::organisations::{self, InvitationRecord, MemberRecord, OrganisationRecord};
use wsis_persistence::{DbConnection, DbError, outbox, users};

use crate::{Refusal, letters, throttle};

/// How long an invitation stays valid.
pub const INVITATION_LIFETIME_DAYS: i64 = 7;

fn not_found(id: &str) -> Refusal {
    Refusal::NotFound(said!(
        "not-found-organisation",
        id = id.chars().take(64).collect::<String>()
    ))
}

/// The organisation, when the policy `access` lets `actor` at it (hidden ones are not found).
fn visible(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    access: fn(&Actor, &str) -> Access,
) -> Result<OrganisationRecord, Refusal> {
    Refusal::unless_allowed(access(actor, id), || not_found(id))?;
    organisations::find(conn, id).map_err(|e| match e {
        DbError::NotFound => not_found(id),
        other => other.into(),
    })
}

fn user_of(actor: &Actor) -> Result<String, Refusal> {
    actor
        .user()
        .map(|u| u.id.clone())
        .ok_or_else(|| Refusal::Forbidden(said!("refused-people-act")))
}

/// The version tag of an organisation (its HTTP `ETag`): a digest of its id and version.
pub fn version_tag(record: &OrganisationRecord) -> String {
    let digest =
        Sha256::digest(format!("organisation:{}:{}", record.id, record.version).as_bytes());
    let hex: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
}

/// Creates an organisation; the creator becomes its owner.
pub fn create(
    conn: &mut DbConnection,
    actor: &Actor,
    profile: Result<ProfileInput<'_>, Refusal>,
    at: DateTime<Utc>,
) -> Result<OrganisationRecord, Refusal> {
    Refusal::unless_allowed(policy::create_organisation(actor), || {
        Refusal::Forbidden(said!("refused-people-create"))
    })?;
    let owner = user_of(actor)?;
    let profile = Profile::parse(profile?).map_err(Refusal::Invalid)?;
    crate::run(conn, |conn| {
        let created = organisations::create(conn, &profile, &owner, at)?;
        tracing::info!(organisation.id = %created.id, "organisation created");
        Ok(created)
    })
}

/// An organisation, for its members and staff.
pub fn find(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
) -> Result<OrganisationRecord, Refusal> {
    visible(conn, actor, id, policy::view_organisation)
}

/// Changes to a profile: only the fields given change; `website: Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct ProfileChange {
    /// Name.
    pub name: Option<String>,
    /// Stakeholder category code.
    pub stakeholder_category: Option<String>,
    /// Country code or `global`.
    pub country: Option<String>,
    /// Website, or `Some(None)` to clear it.
    pub website: Option<Option<String>>,
}

/// Changes an organisation's profile (owners, editors, staff), only from the version the caller names
/// (`if_match`, required: two editors must not overwrite each other unseen).
pub fn update(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    if_match: Option<&str>,
    change: Result<ProfileChange, Refusal>,
    at: DateTime<Utc>,
) -> Result<OrganisationRecord, Refusal> {
    crate::run(conn, |conn| {
        let record = visible(conn, actor, id, policy::edit_organisation)?;
        // A body that cannot be read is the client's first error, before the preconditions.
        let change = change?;
        let Some(if_match) = if_match else {
            return Err(Refusal::PreconditionRequired(said!(
                "precondition-organisation"
            )));
        };
        let changed_meanwhile = || Refusal::PreconditionFailed(said!("changed-organisation"));
        let current = version_tag(&record);
        if !if_match
            .split(',')
            .any(|t| t.trim() == current || t.trim() == "*")
        {
            return Err(changed_meanwhile());
        }
        let website = match change.website {
            Some(value) => value,
            None => record.website.clone(),
        };
        let profile = Profile::parse(ProfileInput {
            name: change.name.as_deref().unwrap_or(&record.name),
            stakeholder_category: change
                .stakeholder_category
                .as_deref()
                .unwrap_or(record.stakeholder_category.code()),
            country: change.country.as_deref().unwrap_or(record.country.as_str()),
            website: website.as_deref(),
        })
        .map_err(Refusal::Invalid)?;
        organisations::update(conn, &record.id, record.version, &profile, at)?
            .ok_or_else(changed_meanwhile)
    })
}

/// The members, owners first (members and staff).
pub fn members(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
) -> Result<Vec<MemberRecord>, Refusal> {
    crate::run(conn, |conn| {
        let record = visible(conn, actor, id, policy::view_organisation)?;
        Ok(organisations::members(conn, &record.id)?)
    })
}

fn not_member(user: &str) -> Refusal {
    Refusal::NotFound(said!(
        "not-found-member",
        user = user.chars().take(64).collect::<String>()
    ))
}

fn last_owner() -> Refusal {
    Refusal::LastOwner(said!("last-owner"))
}

/// Changes a member's role (owners, staff). The last owner is never demoted: the organisation's row is locked
/// while the owners are counted, so two owners demoting each other at once cannot both go ahead.
pub fn set_role(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    user: &str,
    role: Result<MemberRole, Refusal>,
) -> Result<(), Refusal> {
    crate::run(conn, |conn| {
        let record = visible(conn, actor, id, policy::manage_members)?;
        let role = role?;
        organisations::lock(conn, &record.id)?;
        let current =
            organisations::role_of(conn, &record.id, user)?.ok_or_else(|| not_member(user))?;
        if current == MemberRole::Owner
            && role != MemberRole::Owner
            && organisations::owner_count(conn, &record.id)? <= 1
        {
            return Err(last_owner());
        }
        organisations::set_role(conn, &record.id, user, role)?;
        tracing::info!(organisation.id = %record.id, member = %user, role = %role.code(), "member role changed");
        Ok(())
    })
}

/// Removes a member (owners, staff), or leaves (any member, for themself). The last owner never leaves.
pub fn remove_member(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    user: &str,
) -> Result<(), Refusal> {
    let leaving = actor.user().is_some_and(|u| u.id == user);
    let access = if leaving {
        policy::view_organisation
    } else {
        policy::manage_members
    };
    crate::run(conn, |conn| {
        let record = visible(conn, actor, id, access)?;
        organisations::lock(conn, &record.id)?;
        let current =
            organisations::role_of(conn, &record.id, user)?.ok_or_else(|| not_member(user))?;
        if current == MemberRole::Owner && organisations::owner_count(conn, &record.id)? <= 1 {
            return Err(last_owner());
        }
        organisations::delete_member(conn, &record.id, user)?;
        tracing::info!(organisation.id = %record.id, member = %user, "member removed");
        Ok(())
    })
}

/// Whom to invite, parsed.
#[derive(Debug, Clone)]
pub struct Invitee {
    /// Their address.
    pub email: Email,
    /// The role they get on acceptance.
    pub role: MemberRole,
}

/// A new invitation's secret: the digest that is stored and the link (carrying the token) that is mailed.
#[derive(Debug, Clone)]
pub struct InvitationSecret {
    /// Digest of the token.
    pub token_digest: String,
    /// The link the invitee opens.
    pub link: String,
}

/// An invitation made, and its mail (an outbox message id).
#[derive(Debug)]
pub struct Invited {
    /// The invitation.
    pub invitation: InvitationRecord,
    /// The queued mail.
    pub message: String,
    /// What is left of the inviter's hourly quota of invitations.
    pub quota: Option<throttle::Quota>,
}

/// Invites someone by e-mail (owners, staff): the invitation and its mail, in the invitee's language when they have
/// an account, are written together. An address gets at most a few unsolicited mails an hour, an account sends at
/// most so many invitations an hour.
pub fn invite(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    invitee: Result<Invitee, Refusal>,
    secret: &InvitationSecret,
    at: DateTime<Utc>,
) -> Result<Invited, Refusal> {
    crate::run(conn, |conn| {
        let record = visible(conn, actor, id, policy::manage_members)?;
        let inviter = user_of(actor)?;
        let invitee = invitee?;
        let address = invitee.email.normalized();
        let quota = match throttle::reserve_mail(conn, address, Some(&inviter), at)? {
            throttle::MailReservation::Reserved(quota) => quota,
            throttle::MailReservation::Refused { quota, retry_after } => {
                return Err(Refusal::RateLimited {
                    message: said!("rate-limited-invitations"),
                    retry_after,
                    quotas: quota.into_iter().collect(),
                });
            }
        };
        let invitation = organisations::create_invitation(
            conn,
            &record.id,
            address,
            invitee.role,
            &secret.token_digest,
            &inviter,
            at + Duration::days(INVITATION_LIFETIME_DAYS),
            at,
        )?;
        let language = users::find_user_by_email(conn, address)?
            .and_then(|u| u.language.parse().ok())
            .unwrap_or(Language::En);
        let letter = letters::invitation(language, &record.name, invitee.role.code(), &secret.link);
        let message = outbox::enqueue(
            conn,
            invitee.email.as_str(),
            &letter.subject,
            &letter.body,
            language.code(),
            at,
        )?;
        Ok(Invited {
            invitation,
            message,
            quota,
        })
    })
}

/// An organisation's invitations, newest first (owners, staff).
pub fn invitations(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
) -> Result<Vec<InvitationRecord>, Refusal> {
    crate::run(conn, |conn| {
        let record = visible(conn, actor, id, policy::manage_members)?;
        Ok(organisations::invitations_of(conn, &record.id)?)
    })
}

/// Accepts an invitation with the digest of its token, for a signed-in user with a verified address to which it was
/// sent. An invitation only ever raises a role the user already has.
pub fn accept(
    conn: &mut DbConnection,
    actor: &Actor,
    token_digest: Result<String, Refusal>,
    at: DateTime<Utc>,
) -> Result<InvitationRecord, Refusal> {
    Refusal::unless_allowed(policy::own_account(actor), || {
        Refusal::Forbidden(said!("refused-people-join"))
    })?;
    let user = user_of(actor)?;
    // Joining an organisation needs an address that is proven: the invitation went to an address, and only its
    // owner may take it up.
    if policy::act_as_verified_user(actor) != Access::Allowed {
        return Err(Refusal::Forbidden(said!("refused-verify-to-join")));
    }
    let token_digest = token_digest?;
    let invalid = || Refusal::InvalidToken(said!("token-invitation-invalid"));
    crate::run(conn, |conn| {
        let me = users::find_user(conn, &user)?;
        let invitation =
            organisations::open_invitation(conn, &token_digest, &me.email.to_lowercase(), at)?
                .ok_or_else(invalid)?;
        if !organisations::mark_accepted(conn, &invitation.id, &user, at)? {
            return Err(invalid());
        }
        let organisation = &invitation.organisation_id;
        match organisations::role_of(conn, organisation, &user)? {
            None => organisations::add_member(conn, organisation, &user, invitation.role, at)?,
            Some(existing) if invitation.role.outranks(existing) => {
                organisations::set_role(conn, organisation, &user, invitation.role)?;
            }
            Some(_) => {}
        }
        tracing::info!(organisation.id = %organisation, member = %user, "invitation accepted");
        Ok(InvitationRecord {
            accepted_at: Some(at),
            ..invitation
        })
    })
}
