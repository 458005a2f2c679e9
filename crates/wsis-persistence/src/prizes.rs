//! The WSIS Prizes after their nominations: nominees, publications, votes and their tallies, the audit trail
//! (docs/prizes.md). No rules here: the use cases in `wsis_app::prizes` decide; the one rule the database holds
//! itself is one vote per voter per category (`prize_votes_one_per_category`).

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::error::DbError;
use crate::new_id;
use crate::schema::{organisations, prize_audit, prize_nominees, prize_publications, prize_votes};

/// A nominee as stored, with its organisation's name and country.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NomineeRecord {
    /// The nomination (a submission of the prizes track).
    pub nomination_id: String,
    /// The call.
    pub call_id: String,
    /// The prize category (1–18).
    pub category: i32,
    /// The nominating organisation.
    pub organisation_id: String,
    /// Its name.
    pub organisation_name: String,
    /// Its country code (or `global`).
    pub country: String,
    /// The stocktaking project nominated.
    pub project_id: String,
    /// The project's title when shortlisted.
    pub title: String,
    /// The nomination's short description (shown to voters).
    pub short_description: String,
    /// Recorded as a winner of its category.
    pub winner: bool,
    /// Who shortlisted it, and when.
    pub added_by: String,
    /// When.
    pub added_at: DateTime<Utc>,
}

/// A nominee to store.
#[derive(Debug, Clone, Copy)]
pub struct NewNominee<'a> {
    /// The nomination.
    pub nomination_id: &'a str,
    /// The call.
    pub call_id: &'a str,
    /// Its category.
    pub category: i32,
    /// The nominating organisation.
    pub organisation_id: &'a str,
    /// The project nominated.
    pub project_id: &'a str,
    /// Its title.
    pub title: &'a str,
    /// The short description.
    pub short_description: &'a str,
    /// Who shortlists it.
    pub added_by: &'a str,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = prize_nominees)]
struct NomineeRow {
    nomination_id: String,
    call_id: String,
    category: i32,
    organisation_id: String,
    project_id: String,
    title: String,
    short_description: String,
    winner: bool,
    added_by: String,
    added_at: NaiveDateTime,
    #[diesel(select_expression = organisations::name, select_expression_type = organisations::name)]
    organisation_name: String,
    #[diesel(select_expression = organisations::country_code, select_expression_type = organisations::country_code)]
    country: String,
}

impl From<NomineeRow> for NomineeRecord {
    fn from(row: NomineeRow) -> Self {
        Self {
            nomination_id: row.nomination_id,
            call_id: row.call_id,
            category: row.category,
            organisation_id: row.organisation_id,
            organisation_name: row.organisation_name,
            country: row.country,
            project_id: row.project_id,
            title: row.title,
            short_description: row.short_description,
            winner: row.winner,
            added_by: row.added_by,
            added_at: row.added_at.and_utc(),
        }
    }
}

/// Shortlists a nominee; a nomination shortlisted already fails with a unique violation.
pub fn add_nominee(
    conn: &mut DbConnection,
    nominee: NewNominee<'_>,
    at: DateTime<Utc>,
) -> Result<(), DbError> {
    diesel::insert_into(prize_nominees::table)
        .values((
            prize_nominees::nomination_id.eq(nominee.nomination_id),
            prize_nominees::call_id.eq(nominee.call_id),
            prize_nominees::category.eq(nominee.category),
            prize_nominees::organisation_id.eq(nominee.organisation_id),
            prize_nominees::project_id.eq(nominee.project_id),
            prize_nominees::title.eq(nominee.title),
            prize_nominees::short_description.eq(nominee.short_description),
            prize_nominees::winner.eq(false),
            prize_nominees::added_by.eq(nominee.added_by),
            prize_nominees::added_at.eq(at.naive_utc()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Takes a nominee off the list: whether it was on it.
pub fn remove_nominee(
    conn: &mut DbConnection,
    call_id: &str,
    nomination_id: &str,
) -> Result<bool, DbError> {
    let removed = diesel::delete(
        prize_nominees::table
            .filter(prize_nominees::call_id.eq(call_id))
            .filter(prize_nominees::nomination_id.eq(nomination_id)),
    )
    .execute(conn)?;
    Ok(removed > 0)
}

/// The nominees of a call, by category then title.
pub fn nominees(conn: &mut DbConnection, call_id: &str) -> Result<Vec<NomineeRecord>, DbError> {
    let rows: Vec<NomineeRow> = prize_nominees::table
        .inner_join(organisations::table)
        .filter(prize_nominees::call_id.eq(call_id))
        .order((
            prize_nominees::category,
            prize_nominees::title,
            prize_nominees::nomination_id,
        ))
        .select(NomineeRow::as_select())
        .load(conn)?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// One nominee of a call.
pub fn nominee(
    conn: &mut DbConnection,
    call_id: &str,
    nomination_id: &str,
) -> Result<NomineeRecord, DbError> {
    let row: NomineeRow = prize_nominees::table
        .inner_join(organisations::table)
        .filter(prize_nominees::call_id.eq(call_id))
        .filter(prize_nominees::nomination_id.eq(nomination_id))
        .select(NomineeRow::as_select())
        .first(conn)?;
    Ok(row.into())
}

/// A nominee of the call once its nominee list is published (`None` before, or when it is not a nominee), in one
/// query: what a vote checks.
pub fn published_nominee(
    conn: &mut DbConnection,
    call_id: &str,
    nomination_id: &str,
) -> Result<Option<NomineeRecord>, DbError> {
    let published = prize_publications::table
        .filter(prize_publications::call_id.eq(call_id))
        .filter(prize_publications::kind.eq(Publication::Nominees.code()));
    let row: Option<NomineeRow> = prize_nominees::table
        .inner_join(organisations::table)
        .filter(prize_nominees::call_id.eq(call_id))
        .filter(prize_nominees::nomination_id.eq(nomination_id))
        .filter(diesel::dsl::exists(published))
        .select(NomineeRow::as_select())
        .first(conn)
        .optional()?;
    Ok(row.map(Into::into))
}

/// Records the winners of a category: these nominees win, the category's others do not.
pub fn set_winners(
    conn: &mut DbConnection,
    call_id: &str,
    category: i32,
    winners: &[String],
) -> Result<(), DbError> {
    let of_category = prize_nominees::table
        .filter(prize_nominees::call_id.eq(call_id))
        .filter(prize_nominees::category.eq(category));
    diesel::update(of_category)
        .set(prize_nominees::winner.eq(false))
        .execute(conn)?;
    diesel::update(of_category.filter(prize_nominees::nomination_id.eq_any(winners)))
        .set(prize_nominees::winner.eq(true))
        .execute(conn)?;
    Ok(())
}

/// What can be published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Publication {
    /// The nominee list.
    Nominees,
    /// The champions and winners.
    Results,
}

impl Publication {
    fn code(self) -> &'static str {
        match self {
            Self::Nominees => "nominees",
            Self::Results => "results",
        }
    }
}

/// When `what` was published for the call, if it was.
pub fn published(
    conn: &mut DbConnection,
    call_id: &str,
    what: Publication,
) -> Result<Option<DateTime<Utc>>, DbError> {
    let at: Option<NaiveDateTime> = prize_publications::table
        .filter(prize_publications::call_id.eq(call_id))
        .filter(prize_publications::kind.eq(what.code()))
        .select(prize_publications::published_at)
        .first(conn)
        .optional()?;
    Ok(at.map(|t| t.and_utc()))
}

/// Records a publication (the caller checks it was not published before).
pub fn publish(
    conn: &mut DbConnection,
    call_id: &str,
    what: Publication,
    by: &str,
    at: DateTime<Utc>,
) -> Result<(), DbError> {
    diesel::insert_into(prize_publications::table)
        .values((
            prize_publications::call_id.eq(call_id),
            prize_publications::kind.eq(what.code()),
            prize_publications::published_at.eq(at.naive_utc()),
            prize_publications::published_by.eq(by),
        ))
        .execute(conn)?;
    Ok(())
}

/// A vote as stored.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = prize_votes)]
pub struct VoteRow {
    /// Id.
    pub id: String,
    /// The call.
    pub call_id: String,
    /// The category.
    pub category: i32,
    /// The voter (a user).
    pub voter_id: String,
    /// The nominee chosen.
    pub nominee_id: String,
    /// When it was cast.
    pub cast_at: NaiveDateTime,
    /// When staff invalidated it, if they did.
    pub invalidated_at: Option<NaiveDateTime>,
}

/// A vote to store.
#[derive(Debug, Clone, Copy)]
pub struct NewVote<'a> {
    /// The call.
    pub call_id: &'a str,
    /// The category.
    pub category: i32,
    /// The voter.
    pub voter_id: &'a str,
    /// The nominee.
    pub nominee_id: &'a str,
    /// The client address as seen.
    pub client_address: Option<&'a str>,
}

/// Casts a vote, unless the voter has voted in its category already (`None`: the unique constraint
/// `prize_votes_one_per_category` decides, also between two votes arriving at once, without failing the
/// transaction).
pub fn cast(
    conn: &mut DbConnection,
    vote: NewVote<'_>,
    at: DateTime<Utc>,
) -> Result<Option<VoteRow>, DbError> {
    let id = new_id();
    let values = (
        prize_votes::id.eq(&id),
        prize_votes::call_id.eq(vote.call_id),
        prize_votes::category.eq(vote.category),
        prize_votes::voter_id.eq(vote.voter_id),
        prize_votes::nominee_id.eq(vote.nominee_id),
        prize_votes::cast_at.eq(at.naive_utc()),
        prize_votes::client_address.eq(vote.client_address),
    );
    let inserted = match conn {
        DbConnection::Postgresql(c) => diesel::insert_into(prize_votes::table)
            .values(values)
            .on_conflict_do_nothing()
            .execute(c)?,
        DbConnection::Sqlite(c) => diesel::insert_into(prize_votes::table)
            .values(values)
            .on_conflict_do_nothing()
            .execute(c)?,
    };
    Ok((inserted == 1).then(|| VoteRow {
        id,
        call_id: vote.call_id.to_owned(),
        category: vote.category,
        voter_id: vote.voter_id.to_owned(),
        nominee_id: vote.nominee_id.to_owned(),
        cast_at: at.naive_utc(),
        invalidated_at: None,
    }))
}

/// A voter's votes, with the nominees chosen, by call then category.
pub fn votes_of(
    conn: &mut DbConnection,
    voter_id: &str,
    call_id: Option<&str>,
) -> Result<Vec<(VoteRow, NomineeRecord)>, DbError> {
    let mut query = prize_votes::table
        .inner_join(prize_nominees::table.inner_join(organisations::table))
        .filter(prize_votes::voter_id.eq(voter_id))
        .into_boxed();
    if let Some(call_id) = call_id {
        query = query.filter(prize_votes::call_id.eq(call_id.to_owned()));
    }
    let rows: Vec<(VoteRow, NomineeRow)> = query
        .order((prize_votes::call_id, prize_votes::category))
        .select((VoteRow::as_select(), NomineeRow::as_select()))
        .load(conn)?;
    Ok(rows.into_iter().map(|(v, n)| (v, n.into())).collect())
}

/// The valid votes of each nominee of a call that has any: `(nominee, votes)`.
pub fn tallies(conn: &mut DbConnection, call_id: &str) -> Result<Vec<(String, i64)>, DbError> {
    Ok(prize_votes::table
        .filter(prize_votes::call_id.eq(call_id))
        .filter(prize_votes::invalidated_at.is_null())
        .group_by(prize_votes::nominee_id)
        .select((prize_votes::nominee_id, diesel::dsl::count_star()))
        .load(conn)?)
}

/// A step of the Prizes for the audit trail.
#[derive(Debug, Clone, Copy)]
pub struct AuditEntry<'a> {
    /// The call.
    pub call_id: &'a str,
    /// What was done (`nominee_added`, `results_published`…).
    pub action: &'a str,
    /// Who did it.
    pub actor_id: &'a str,
    /// What it was done to (a nomination, a category, a phase), if one thing.
    pub subject: Option<&'a str>,
    /// The facts, as JSON.
    pub detail: &'a serde_json::Value,
}

/// Appends a step to the audit trail.
pub fn audit(
    conn: &mut DbConnection,
    entry: AuditEntry<'_>,
    at: DateTime<Utc>,
) -> Result<(), DbError> {
    diesel::insert_into(prize_audit::table)
        .values((
            prize_audit::id.eq(new_id()),
            prize_audit::call_id.eq(entry.call_id),
            prize_audit::action.eq(entry.action),
            prize_audit::actor_id.eq(entry.actor_id),
            prize_audit::subject.eq(entry.subject),
            prize_audit::detail.eq(entry.detail.to_string()),
            prize_audit::at.eq(at.naive_utc()),
        ))
        .execute(conn)?;
    Ok(())
}

/// A step of the audit trail as stored: what, who, to what, when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    /// What was done.
    pub action: String,
    /// Who did it.
    pub actor_id: String,
    /// What it was done to.
    pub subject: Option<String>,
    /// When.
    pub at: DateTime<Utc>,
}

/// The audit trail of a call, oldest first.
pub fn audit_trail(conn: &mut DbConnection, call_id: &str) -> Result<Vec<AuditRecord>, DbError> {
    let rows: Vec<(String, String, Option<String>, NaiveDateTime)> = prize_audit::table
        .filter(prize_audit::call_id.eq(call_id))
        .order((prize_audit::at, prize_audit::id))
        .select((
            prize_audit::action,
            prize_audit::actor_id,
            prize_audit::subject,
            prize_audit::at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(action, actor_id, subject, at)| AuditRecord {
            action,
            actor_id,
            subject,
            at: at.and_utc(),
        })
        .collect())
}

/// Which valid votes of a call to find: these ids, this voter's, or (with neither) every one; the caller narrows
/// by address.
#[derive(Debug, Clone, Copy)]
pub struct VoteSelection<'a> {
    /// The call.
    pub call_id: &'a str,
    /// These votes only.
    pub ids: Option<&'a [String]>,
    /// This voter's only.
    pub voter_id: Option<&'a str>,
}

/// The valid votes a selection names: `(id, client address)`.
pub fn valid_votes(
    conn: &mut DbConnection,
    selection: VoteSelection<'_>,
) -> Result<Vec<(String, Option<String>)>, DbError> {
    let mut query = prize_votes::table
        .filter(prize_votes::call_id.eq(selection.call_id.to_owned()))
        .filter(prize_votes::invalidated_at.is_null())
        .into_boxed();
    if let Some(ids) = selection.ids {
        query = query.filter(prize_votes::id.eq_any(ids.to_vec()));
    }
    if let Some(voter) = selection.voter_id {
        query = query.filter(prize_votes::voter_id.eq(voter.to_owned()));
    }
    Ok(query
        .select((prize_votes::id, prize_votes::client_address))
        .load(conn)?)
}

/// Invalidates these votes (those still valid), with who and why: how many it invalidated.
pub fn invalidate(
    conn: &mut DbConnection,
    ids: &[String],
    by: &str,
    reason: &str,
    at: DateTime<Utc>,
) -> Result<usize, DbError> {
    let mut done = 0;
    // In slices, so that a range of many thousand votes stays within every backend's bound-parameter limit.
    for chunk in ids.chunks(500) {
        done += diesel::update(
            prize_votes::table
                .filter(prize_votes::id.eq_any(chunk))
                .filter(prize_votes::invalidated_at.is_null()),
        )
        .set((
            prize_votes::invalidated_at.eq(Some(at.naive_utc())),
            prize_votes::invalidated_by.eq(Some(by)),
            prize_votes::invalidation_reason.eq(Some(reason)),
        ))
        .execute(conn)?;
    }
    Ok(done)
}

/// A WSIS Prize won before this system, as staff recorded it.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = crate::schema::prize_earlier_winners)]
pub struct EarlierWinner {
    /// Id.
    pub id: String,
    /// The year of the prize.
    pub year: i32,
    /// The category, when known.
    pub category: Option<i32>,
    /// The project's title.
    pub title: String,
    /// The title folded for comparison.
    pub title_key: String,
    /// The winning organisation's name.
    pub organisation_name: String,
    /// The organisation here, when it has an account.
    pub organisation_id: Option<String>,
    /// The project's stocktaking entry here, when it has one.
    pub project_id: Option<String>,
    /// Who recorded it.
    pub recorded_by: String,
    /// When.
    pub recorded_at: NaiveDateTime,
}

/// Records an earlier winner.
pub fn add_earlier_winner(conn: &mut DbConnection, winner: &EarlierWinner) -> Result<(), DbError> {
    use crate::schema::prize_earlier_winners as w;
    diesel::insert_into(w::table)
        .values((
            w::id.eq(&winner.id),
            w::year.eq(winner.year),
            w::category.eq(winner.category),
            w::title.eq(&winner.title),
            w::title_key.eq(&winner.title_key),
            w::organisation_name.eq(&winner.organisation_name),
            w::organisation_id.eq(&winner.organisation_id),
            w::project_id.eq(&winner.project_id),
            w::recorded_by.eq(&winner.recorded_by),
            w::recorded_at.eq(winner.recorded_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Every earlier winner, newest year first.
pub fn earlier_winners(conn: &mut DbConnection) -> Result<Vec<EarlierWinner>, DbError> {
    use crate::schema::prize_earlier_winners as w;
    Ok(w::table
        .order((w::year.desc(), w::title_key))
        .select(EarlierWinner::as_select())
        .load(conn)?)
}

/// The earlier wins of a project: recorded for its stocktaking entry, or for its organisation under the same
/// folded title.
pub fn earlier_wins_of(
    conn: &mut DbConnection,
    project_id: &str,
    organisation_id: &str,
    title_key: &str,
) -> Result<Vec<EarlierWinner>, DbError> {
    use crate::schema::prize_earlier_winners as w;
    Ok(w::table
        .filter(
            w::project_id.eq(project_id).or(w::organisation_id
                .eq(organisation_id)
                .and(w::title_key.eq(title_key))),
        )
        .order(w::year.desc())
        .select(EarlierWinner::as_select())
        .load(conn)?)
}

/// A reviewer's declared conflicts: organisation ids and country codes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeclaredConflicts {
    /// Organisations.
    pub organisations: Vec<String>,
    /// Countries.
    pub countries: Vec<String>,
}

/// Replaces a reviewer's declared conflicts.
pub fn set_conflicts(
    conn: &mut DbConnection,
    user_id: &str,
    conflicts: &DeclaredConflicts,
    at: DateTime<Utc>,
) -> Result<(), DbError> {
    use crate::schema::reviewer_conflicts as c;
    diesel::delete(c::table.filter(c::user_id.eq(user_id))).execute(conn)?;
    let rows = conflicts
        .organisations
        .iter()
        .map(|o| ("organisation", o))
        .chain(conflicts.countries.iter().map(|k| ("country", k)));
    for (kind, value) in rows {
        diesel::insert_into(c::table)
            .values((
                c::user_id.eq(user_id),
                c::kind.eq(kind),
                c::value.eq(value),
                c::declared_at.eq(at.naive_utc()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The declared conflicts of these users (of everyone with `None`), by user.
pub fn conflicts_of(
    conn: &mut DbConnection,
    users: Option<&[String]>,
) -> Result<std::collections::HashMap<String, DeclaredConflicts>, DbError> {
    use crate::schema::reviewer_conflicts as c;
    let mut query = c::table.into_boxed();
    if let Some(users) = users {
        query = query.filter(c::user_id.eq_any(users.to_vec()));
    }
    let rows: Vec<(String, String, String)> = query
        .order((c::user_id, c::kind, c::value))
        .select((c::user_id, c::kind, c::value))
        .load(conn)?;
    let mut by_user: std::collections::HashMap<String, DeclaredConflicts> =
        std::collections::HashMap::new();
    for (user, kind, value) in rows {
        let entry = by_user.entry(user).or_default();
        if kind == "organisation" {
            entry.organisations.push(value);
        } else {
            entry.countries.push(value);
        }
    }
    Ok(by_user)
}

/// An assignment of a nomination to a reviewer.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = crate::schema::prize_assignments)]
pub struct Assignment {
    /// The nomination.
    pub nomination_id: String,
    /// The reviewer.
    pub reviewer_id: String,
    /// The call.
    pub call_id: String,
    /// The staff member who assigned it.
    pub assigned_by: String,
    /// When.
    pub assigned_at: NaiveDateTime,
}

/// Assigns a nomination to a reviewer (nothing when it is already): whether it was new.
pub fn assign(conn: &mut DbConnection, assignment: &Assignment) -> Result<bool, DbError> {
    use crate::schema::prize_assignments as a;
    let exists: Option<String> = a::table
        .filter(a::nomination_id.eq(&assignment.nomination_id))
        .filter(a::reviewer_id.eq(&assignment.reviewer_id))
        .select(a::nomination_id)
        .first(conn)
        .optional()?;
    if exists.is_none() {
        diesel::insert_into(a::table)
            .values((
                a::nomination_id.eq(&assignment.nomination_id),
                a::reviewer_id.eq(&assignment.reviewer_id),
                a::call_id.eq(&assignment.call_id),
                a::assigned_by.eq(&assignment.assigned_by),
                a::assigned_at.eq(assignment.assigned_at),
            ))
            .execute(conn)?;
    }
    Ok(exists.is_none())
}

/// Takes an assignment back: whether there was one.
pub fn unassign(
    conn: &mut DbConnection,
    nomination_id: &str,
    reviewer_id: &str,
) -> Result<bool, DbError> {
    use crate::schema::prize_assignments as a;
    let removed = diesel::delete(
        a::table
            .filter(a::nomination_id.eq(nomination_id))
            .filter(a::reviewer_id.eq(reviewer_id)),
    )
    .execute(conn)?;
    Ok(removed > 0)
}

/// The assignments of a call, one reviewer's with `reviewer`.
pub fn assignments(
    conn: &mut DbConnection,
    call_id: &str,
    reviewer: Option<&str>,
) -> Result<Vec<Assignment>, DbError> {
    use crate::schema::prize_assignments as a;
    let mut query = a::table
        .filter(a::call_id.eq(call_id.to_owned()))
        .into_boxed();
    if let Some(reviewer) = reviewer {
        query = query.filter(a::reviewer_id.eq(reviewer.to_owned()));
    }
    Ok(query
        .order((a::nomination_id, a::reviewer_id))
        .select(Assignment::as_select())
        .load(conn)?)
}

/// An accepted nomination of a call, as assignment needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcceptedNomination {
    /// The nomination.
    pub id: String,
    /// Its category (read from its content).
    pub category: u8,
    /// The nominating organisation.
    pub organisation_id: String,
    /// That organisation's country.
    pub country: String,
    /// The nomination's content.
    pub content: serde_json::Value,
}

/// The accepted nominations of a call, oldest first; with `only`, that one nomination if it is one of them.
pub fn accepted_nominations(
    conn: &mut DbConnection,
    call_id: &str,
    only: Option<&str>,
) -> Result<Vec<AcceptedNomination>, DbError> {
    use crate::schema::submissions as s;
    let mut query = s::table
        .inner_join(organisations::table)
        .filter(s::call_id.eq(call_id.to_owned()))
        .into_boxed();
    if let Some(id) = only {
        query = query.filter(s::id.eq(id.to_owned()));
    }
    let rows: Vec<(String, String, String, String)> = query
        .filter(s::track_kind.eq(wsis_domain::TrackKind::Prizes.code()))
        .filter(s::status.eq(wsis_domain::SubmissionStatus::Accepted.code()))
        .order((s::created_at, s::id))
        .select((
            s::id,
            s::organisation_id,
            organisations::country_code,
            s::content,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(id, organisation_id, country, content)| {
            let content: serde_json::Value = serde_json::from_str(&content)
                .map_err(|e| DbError::Corrupt(format!("nomination {id}: {e}")))?;
            let category = content
                .get("category")
                .and_then(serde_json::Value::as_u64)
                .and_then(|n| u8::try_from(n).ok())
                .ok_or_else(|| DbError::Corrupt(format!("nomination {id} has no category")))?;
            Ok(AcceptedNomination {
                id,
                category,
                organisation_id,
                country,
                content,
            })
        })
        .collect()
}
