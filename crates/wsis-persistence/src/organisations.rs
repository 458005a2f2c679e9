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

pub use wsis_domain::organisation::Profile;

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
    fields: &Profile,
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
    fields: &Profile,
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

/// A membership with its user, as selected.
#[derive(Queryable, Selectable)]
#[diesel(table_name = memberships)]
struct MemberRow {
    user_id: String,
    #[diesel(select_expression = users::display_name)]
    display_name: String,
    #[diesel(select_expression = users::email)]
    email: String,
    role: String,
    created_at: NaiveDateTime,
}

/// The members, owners first.
pub fn members(conn: &mut DbConnection, organisation: &str) -> Result<Vec<MemberRecord>, DbError> {
    let rows: Vec<MemberRow> = memberships::table
        .inner_join(users::table)
        .filter(memberships::organisation_id.eq(organisation))
        .filter(users::deleted_at.is_null())
        .select(MemberRow::as_select())
        .order((memberships::created_at, memberships::user_id))
        .load(conn)?;
    let mut members: Vec<MemberRecord> = rows
        .into_iter()
        .map(|row| {
            Ok(MemberRecord {
                user_id: row.user_id,
                display_name: row.display_name,
                email: row.email,
                role: row.role.parse().map_err(corrupt)?,
                since: row.created_at.and_utc(),
            })
        })
        .collect::<Result<_, DbError>>()?;
    members.sort_by_key(|m| m.role);
    Ok(members)
}

/// Locks the organisation's row until the transaction ends, so that membership changes of one organisation run one
/// after another: two owners demoting or removing each other at once would otherwise each count two owners under
/// PostgreSQL's read committed isolation and both go ahead. (SQLite transactions here begin IMMEDIATE and already
/// run one at a time.)
pub fn lock(conn: &mut DbConnection, organisation: &str) -> Result<(), DbError> {
    if let DbConnection::Postgresql(c) = conn {
        organisations::table
            .filter(organisations::id.eq(organisation))
            .select(organisations::id)
            .for_update()
            .load::<String>(c)?;
    }
    Ok(())
}

/// How many owners the organisation has.
pub fn owner_count(conn: &mut DbConnection, organisation: &str) -> Result<i64, DbError> {
    Ok(memberships::table
        .filter(memberships::organisation_id.eq(organisation))
        .filter(memberships::role.eq(MemberRole::Owner.code()))
        .count()
        .get_result(conn)?)
}

/// A user's role in the organisation, if a member.
pub fn role_of(
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

/// Sets a member's role.
pub fn set_role(
    conn: &mut DbConnection,
    organisation: &str,
    user: &str,
    role: MemberRole,
) -> Result<(), DbError> {
    diesel::update(
        memberships::table
            .filter(memberships::organisation_id.eq(organisation))
            .filter(memberships::user_id.eq(user)),
    )
    .set(memberships::role.eq(role.code()))
    .execute(conn)?;
    Ok(())
}

/// Deletes a membership.
pub fn delete_member(
    conn: &mut DbConnection,
    organisation: &str,
    user: &str,
) -> Result<(), DbError> {
    diesel::delete(
        memberships::table
            .filter(memberships::organisation_id.eq(organisation))
            .filter(memberships::user_id.eq(user)),
    )
    .execute(conn)?;
    Ok(())
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

/// The open invitation (not accepted, not expired) with this token digest, addressed to this normalised address.
pub fn open_invitation(
    conn: &mut DbConnection,
    token_hash: &str,
    email_normalized: &str,
    now: DateTime<Utc>,
) -> Result<Option<InvitationRecord>, DbError> {
    invitations::table
        .filter(invitations::token_hash.eq(token_hash))
        .filter(invitations::accepted_at.is_null())
        .filter(invitations::expires_at.gt(now.naive_utc()))
        .filter(invitations::email_normalized.eq(email_normalized))
        .select(InvitationRow::as_select())
        .first(conn)
        .optional()?
        .map(invitation_from_row)
        .transpose()
}

/// Marks an invitation accepted by `user` at `now`; `false` when someone accepted it meanwhile.
pub fn mark_accepted(
    conn: &mut DbConnection,
    id: &str,
    user: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let changed = diesel::update(
        invitations::table
            .filter(invitations::id.eq(id))
            .filter(invitations::accepted_at.is_null()),
    )
    .set((
        invitations::accepted_at.eq(now.naive_utc()),
        invitations::accepted_by.eq(user),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}
