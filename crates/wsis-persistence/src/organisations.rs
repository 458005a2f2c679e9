//! Organisations, their members and invitations.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use wsis_domain::{CountryCode, MemberRole, ParseError, StakeholderCategory};

use crate::db::DbConnection;
use crate::error::DbError;
use crate::new_id;
use crate::schema::{invitations, memberships, organisations, users};

/// An organisation as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganisationRecord {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Stakeholder category.
    pub stakeholder_category: StakeholderCategory,
    /// Country or `global`.
    pub country: CountryCode,
    /// Website.
    pub website: Option<String>,
    /// Incremented on every change (the entity tag).
    pub version: i32,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

/// The editable fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganisationFields {
    /// Name.
    pub name: String,
    /// Stakeholder category.
    pub stakeholder_category: StakeholderCategory,
    /// Country or `global`.
    pub country: CountryCode,
    /// Website.
    pub website: Option<String>,
}

/// An organisations row as selected.
#[derive(Queryable, Selectable)]
#[diesel(table_name = organisations)]
struct OrganisationRow {
    id: String,
    name: String,
    stakeholder_category: String,
    country_code: String,
    website: Option<String>,
    version: i32,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

fn corrupt(e: ParseError) -> DbError {
    DbError::Corrupt(e.to_string())
}

fn from_row(row: OrganisationRow) -> Result<OrganisationRecord, DbError> {
    Ok(OrganisationRecord {
        stakeholder_category: row.stakeholder_category.parse().map_err(corrupt)?,
        country: row.country_code.parse().map_err(corrupt)?,
        id: row.id,
        name: row.name,
        website: row.website,
        version: row.version,
        created_at: row.created_at.and_utc(),
        updated_at: row.updated_at.and_utc(),
    })
}

/// Creates an organisation with `owner` as its first owner.
pub fn create(
    conn: &mut DbConnection,
    fields: &OrganisationFields,
    owner: &str,
    now: DateTime<Utc>,
) -> Result<OrganisationRecord, DbError> {
    crate::db::transaction(conn, |conn| {
        let id = new_id();
        diesel::insert_into(organisations::table)
            .values((
                organisations::id.eq(&id),
                organisations::name.eq(&fields.name),
                organisations::stakeholder_category.eq(fields.stakeholder_category.code()),
                organisations::country_code.eq(fields.country.as_str()),
                organisations::website.eq(&fields.website),
                organisations::created_by.eq(owner),
                organisations::created_at.eq(now.naive_utc()),
                organisations::updated_at.eq(now.naive_utc()),
            ))
            .execute(conn)?;
        add_member(conn, &id, owner, MemberRole::Owner, now)?;
        find(conn, &id)
    })
}

/// One organisation.
pub fn find(conn: &mut DbConnection, id: &str) -> Result<OrganisationRecord, DbError> {
    from_row(
        organisations::table
            .filter(organisations::id.eq(id))
            .select(OrganisationRow::as_select())
            .first(conn)?,
    )
}

/// Replaces the editable fields if the stored version is still `expected_version`; `Ok(None)` when it is not.
pub fn update(
    conn: &mut DbConnection,
    id: &str,
    expected_version: i32,
    fields: &OrganisationFields,
    now: DateTime<Utc>,
) -> Result<Option<OrganisationRecord>, DbError> {
    crate::db::transaction(conn, |conn| {
        let changed = diesel::update(
            organisations::table
                .filter(organisations::id.eq(id))
                .filter(organisations::version.eq(expected_version)),
        )
        .set((
            organisations::name.eq(&fields.name),
            organisations::stakeholder_category.eq(fields.stakeholder_category.code()),
            organisations::country_code.eq(fields.country.as_str()),
            organisations::website.eq(&fields.website),
            organisations::version.eq(organisations::version + 1),
            organisations::updated_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
        if changed == 0 {
            Ok(None)
        } else {
            find(conn, id).map(Some)
        }
    })
}

/// A member of an organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberRecord {
    /// User id.
    pub user_id: String,
    /// Display name.
    pub display_name: String,
    /// E-mail.
    pub email: String,
    /// Role.
    pub role: MemberRole,
    /// Member since.
    pub since: DateTime<Utc>,
}

/// Adds a member (a unique violation when already one).
pub fn add_member(
    conn: &mut DbConnection,
    organisation: &str,
    user: &str,
    role: MemberRole,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    diesel::insert_into(memberships::table)
        .values((
            memberships::organisation_id.eq(organisation),
            memberships::user_id.eq(user),
            memberships::role.eq(role.code()),
            memberships::created_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(())
}

/// The members, owners first.
pub fn members(conn: &mut DbConnection, organisation: &str) -> Result<Vec<MemberRecord>, DbError> {
    let rows: Vec<(String, String, String, String, NaiveDateTime)> = memberships::table
        .inner_join(users::table)
        .filter(memberships::organisation_id.eq(organisation))
        .filter(users::deleted_at.is_null())
        .select((
            memberships::user_id,
            users::display_name,
            users::email,
            memberships::role,
            memberships::created_at,
        ))
        .order((memberships::created_at, memberships::user_id))
        .load(conn)?;
    let mut members: Vec<MemberRecord> = rows
        .into_iter()
        .map(|(user_id, display_name, email, role, since)| {
            Ok(MemberRecord {
                user_id,
                display_name,
                email,
                role: role.parse().map_err(corrupt)?,
                since: since.and_utc(),
            })
        })
        .collect::<Result<_, DbError>>()?;
    members.sort_by_key(|m| m.role);
    Ok(members)
}

/// Why a membership change was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MembershipChange {
    /// Done.
    Done,
    /// The user is not a member.
    NotMember,
    /// It would leave the organisation without an owner.
    LastOwner,
}

/// Locks the organisation's row until the transaction ends, so that membership changes of one organisation run one
/// after another: two owners demoting or removing each other at once would otherwise each count two owners under
/// PostgreSQL's read committed isolation and both go ahead. (SQLite transactions here begin IMMEDIATE and already
/// run one at a time.)
fn lock_organisation(conn: &mut DbConnection, organisation: &str) -> Result<(), DbError> {
    if let DbConnection::Postgresql(c) = conn {
        organisations::table
            .filter(organisations::id.eq(organisation))
            .select(organisations::id)
            .for_update()
            .load::<String>(c)?;
    }
    Ok(())
}

fn owner_count(conn: &mut DbConnection, organisation: &str) -> Result<i64, DbError> {
    Ok(memberships::table
        .filter(memberships::organisation_id.eq(organisation))
        .filter(memberships::role.eq(MemberRole::Owner.code()))
        .count()
        .get_result(conn)?)
}

fn current_role(
    conn: &mut DbConnection,
    organisation: &str,
    user: &str,
) -> Result<Option<MemberRole>, DbError> {
    let role: Option<String> = memberships::table
        .filter(memberships::organisation_id.eq(organisation))
        .filter(memberships::user_id.eq(user))
        .select(memberships::role)
        .first(conn)
        .optional()?;
    role.map(|r| r.parse().map_err(corrupt)).transpose()
}

/// Changes a member's role; never demotes the last owner.
pub fn set_member_role(
    conn: &mut DbConnection,
    organisation: &str,
    user: &str,
    role: MemberRole,
) -> Result<MembershipChange, DbError> {
    crate::db::transaction(conn, |conn| {
        lock_organisation(conn, organisation)?;
        let Some(current) = current_role(conn, organisation, user)? else {
            return Ok(MembershipChange::NotMember);
        };
        if current == MemberRole::Owner
            && role != MemberRole::Owner
            && owner_count(conn, organisation)? <= 1
        {
            return Ok(MembershipChange::LastOwner);
        }
        diesel::update(
            memberships::table
                .filter(memberships::organisation_id.eq(organisation))
                .filter(memberships::user_id.eq(user)),
        )
        .set(memberships::role.eq(role.code()))
        .execute(conn)?;
        Ok(MembershipChange::Done)
    })
}

/// Removes a member; never the last owner.
pub fn remove_member(
    conn: &mut DbConnection,
    organisation: &str,
    user: &str,
) -> Result<MembershipChange, DbError> {
    crate::db::transaction(conn, |conn| {
        lock_organisation(conn, organisation)?;
        let Some(current) = current_role(conn, organisation, user)? else {
            return Ok(MembershipChange::NotMember);
        };
        if current == MemberRole::Owner && owner_count(conn, organisation)? <= 1 {
            return Ok(MembershipChange::LastOwner);
        }
        diesel::delete(
            memberships::table
                .filter(memberships::organisation_id.eq(organisation))
                .filter(memberships::user_id.eq(user)),
        )
        .execute(conn)?;
        Ok(MembershipChange::Done)
    })
}

/// An invitation as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvitationRecord {
    /// Id.
    pub id: String,
    /// Organisation.
    pub organisation_id: String,
    /// Invitee's normalised address.
    pub email: String,
    /// Role on acceptance.
    pub role: MemberRole,
    /// Expiry.
    pub expires_at: DateTime<Utc>,
    /// Acceptance time.
    pub accepted_at: Option<DateTime<Utc>>,
    /// Created.
    pub created_at: DateTime<Utc>,
}

/// An invitations row as selected.
#[derive(Queryable, Selectable)]
#[diesel(table_name = invitations)]
struct InvitationRow {
    id: String,
    organisation_id: String,
    email_normalized: String,
    role: String,
    expires_at: NaiveDateTime,
    accepted_at: Option<NaiveDateTime>,
    created_at: NaiveDateTime,
}

fn invitation_from_row(row: InvitationRow) -> Result<InvitationRecord, DbError> {
    Ok(InvitationRecord {
        role: row.role.parse().map_err(corrupt)?,
        id: row.id,
        organisation_id: row.organisation_id,
        email: row.email_normalized,
        expires_at: row.expires_at.and_utc(),
        accepted_at: row.accepted_at.map(|t| t.and_utc()),
        created_at: row.created_at.and_utc(),
    })
}

/// Stores an invitation (by token hash).
#[expect(
    clippy::too_many_arguments,
    reason = "one column each; a struct would only rename them"
)]
pub fn create_invitation(
    conn: &mut DbConnection,
    organisation: &str,
    email_normalized: &str,
    role: MemberRole,
    token_hash: &str,
    invited_by: &str,
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<InvitationRecord, DbError> {
    let id = new_id();
    diesel::insert_into(invitations::table)
        .values((
            invitations::id.eq(&id),
            invitations::organisation_id.eq(organisation),
            invitations::email_normalized.eq(email_normalized),
            invitations::role.eq(role.code()),
            invitations::token_hash.eq(token_hash),
            invitations::invited_by.eq(invited_by),
            invitations::expires_at.eq(expires_at.naive_utc()),
            invitations::created_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    invitation_from_row(
        invitations::table
            .filter(invitations::id.eq(&id))
            .select(InvitationRow::as_select())
            .first(conn)?,
    )
}

/// An organisation's invitations, newest first.
pub fn invitations_of(
    conn: &mut DbConnection,
    organisation: &str,
) -> Result<Vec<InvitationRecord>, DbError> {
    let rows: Vec<InvitationRow> = invitations::table
        .filter(invitations::organisation_id.eq(organisation))
        .select(InvitationRow::as_select())
        .order(invitations::created_at.desc())
        .load(conn)?;
    rows.into_iter().map(invitation_from_row).collect()
}

/// What accepting an invitation gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Acceptance {
    /// The user is now a member with this role.
    Joined(InvitationRecord),
    /// Unknown, expired or already accepted token, or addressed to someone else.
    Invalid,
}

/// Accepts an invitation for `user` (whose normalised address must be the invitee's).
pub fn accept_invitation(
    conn: &mut DbConnection,
    token_hash: &str,
    user: &str,
    user_email_normalized: &str,
    now: DateTime<Utc>,
) -> Result<Acceptance, DbError> {
    crate::db::transaction(conn, |conn| {
        let row: Option<InvitationRow> = invitations::table
            .filter(invitations::token_hash.eq(token_hash))
            .filter(invitations::accepted_at.is_null())
            .filter(invitations::expires_at.gt(now.naive_utc()))
            .filter(invitations::email_normalized.eq(user_email_normalized))
            .select(InvitationRow::as_select())
            .first(conn)
            .optional()?;
        let Some(row) = row else {
            return Ok(Acceptance::Invalid);
        };
        let invitation = invitation_from_row(row)?;
        diesel::update(invitations::table.filter(invitations::id.eq(&invitation.id)))
            .set((
                invitations::accepted_at.eq(now.naive_utc()),
                invitations::accepted_by.eq(user),
            ))
            .execute(conn)?;
        match current_role(conn, &invitation.organisation_id, user)? {
            None => add_member(
                conn,
                &invitation.organisation_id,
                user,
                invitation.role,
                now,
            )?,
            Some(existing) if existing > invitation.role => {
                // Owner < Editor < Viewer in declaration order: an invitation only ever raises a role.
                diesel::update(
                    memberships::table
                        .filter(memberships::organisation_id.eq(&invitation.organisation_id))
                        .filter(memberships::user_id.eq(user)),
                )
                .set(memberships::role.eq(invitation.role.code()))
                .execute(conn)?;
            }
            Some(_) => {}
        }
        Ok(Acceptance::Joined(InvitationRecord {
            accepted_at: Some(now),
            ..invitation
        }))
    })
}
