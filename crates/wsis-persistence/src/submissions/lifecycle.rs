//! Submitting (receipt numbers), status transitions, pledge status and prize awards, and who is told.

use super::*;

/// What a submit writes.
#[derive(Debug, Clone, Copy)]
pub struct SubmitWrite<'a> {
    /// The draft.
    pub id: &'a str,
    /// The version the caller read: the write happens only if it is still the current one.
    pub expected_version: i32,
    /// The draft's track (its receipt counter).
    pub track_id: &'a str,
    /// The call's slug (receipt numbers start with it, so they are unique per call).
    pub call_slug: &'a str,
    /// The track's kind.
    pub kind: TrackKind,
    /// SHA-256 of the canonical content.
    pub digest: &'a str,
    /// The receipt's check code.
    pub check_code: &'a str,
    /// Who submits.
    pub actor: &'a str,
    /// The server's receive time.
    pub received_at: DateTime<Utc>,
    /// The organisation: its stakeholder category and country at this moment are kept with the entry (copied in
    /// the claiming statement, so a later profile edit does not rewrite past outcomes).
    pub organisation_id: &'a str,
    /// The pledge status it starts with (Trust Fund pledges).
    pub pledge_status: Option<PledgeStatus>,
}

/// What a submit wrote: the receipt number and the entry's new version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubmitWritten {
    /// The receipt number.
    pub receipt_number: String,
    /// The entry's version after the submit.
    pub version: i32,
}

/// Submits a draft, in the caller's transaction (the use case's): moves it to `submitted`, allocates the next
/// receipt number of its track, records the digest, the check code and the event. `Ok(None)` when it is no longer
/// the expected version or no longer a draft (nothing else is written then). The caller locks the draft's row
/// first, so that a double click does not use up a number.
pub fn submit(
    conn: &mut DbConnection,
    write: &SubmitWrite<'_>,
) -> Result<Option<SubmitWritten>, DbError> {
    let at = write.received_at.naive_utc();
    // The caller holds the draft's row (`find_for_update`), so the claim below moves it: a number is not used up
    // by a double click. Should the claim still find it changed, the number taken is not reused (numbers stay
    // unique, not gapless).
    let next = next_receipt_value(conn, write.track_id)?;
    let number = receipt_number(write.call_slug, write.kind, next);
    let claimed = diesel::update(
        submissions::table
            .filter(submissions::id.eq(write.id))
            .filter(submissions::version.eq(write.expected_version))
            .filter(submissions::status.eq(SubmissionStatus::Draft.code())),
    )
    .set((
        submissions::status.eq(SubmissionStatus::Submitted.code()),
        submissions::received_at.eq(at),
        submissions::content_sha256.eq(write.digest),
        submissions::receipt_check.eq(write.check_code),
        submissions::receipt_number.eq(&number),
        submissions::pledge_status.eq(write.pledge_status.map(PledgeStatus::code)),
        submissions::submitted_stakeholder_category.eq(crate::schema::organisations::table
            .filter(crate::schema::organisations::id.eq(write.organisation_id))
            .select(crate::schema::organisations::stakeholder_category)
            .single_value()),
        submissions::submitted_country_code.eq(crate::schema::organisations::table
            .filter(crate::schema::organisations::id.eq(write.organisation_id))
            .select(crate::schema::organisations::country_code)
            .single_value()),
        submissions::version.eq(submissions::version + 1),
        submissions::updated_at.eq(at),
    ))
    .execute(conn)?;
    if claimed == 0 {
        return Ok(None);
    }
    record_event(
        conn,
        write.id,
        Some(write.actor),
        "submitted",
        &serde_json::json!({"receipt_number": number, "content_sha256": write.digest}),
        write.received_at,
    )?;
    Ok(Some(SubmitWritten {
        receipt_number: number,
        version: write.expected_version + 1,
    }))
}

/// Takes the next receipt value of a track (from 1).
///
/// PostgreSQL: from the track's own sequence (`receipt_<track id>`), which holds no lock, so concurrent submits of
/// a track never wait for each other's commits (with a counter row, each held its lock until its commit, which
/// capped a deadline rush at a few hundred submits per second). A sequence is made the first time a track needs
/// it, under a lock, starting after the track's `receipt_counters` value if it had one. Numbers stay unique and
/// increasing; a number taken by a transaction that then fails is not reused.
///
/// SQLite: the `receipt_counters` row (one writer at a time there anyway).
fn next_receipt_value(conn: &mut DbConnection, track_id: &str) -> Result<i64, DbError> {
    if let DbConnection::Postgresql(pg) = conn {
        #[derive(QueryableByName)]
        struct Next {
            #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
            value: Option<i64>,
        }
        let name: String = format!("receipt_{track_id}")
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .collect();
        let take = |pg: &mut diesel::PgConnection| -> Result<Option<i64>, DbError> {
            Ok(diesel::sql_query(
                "SELECT CASE WHEN to_regclass($1) IS NULL THEN NULL ELSE nextval($1::regclass) END AS value",
            )
            .bind::<diesel::sql_types::Text, _>(&name)
            .get_result::<Next>(pg)?
            .value)
        };
        if let Some(value) = take(pg)? {
            return Ok(value);
        }
        crate::db::lock(conn, &format!("receipt-sequence:{track_id}"))?;
        let start: i32 = receipt_counters::table
            .filter(receipt_counters::track_id.eq(track_id))
            .select(receipt_counters::next_value)
            .first(conn)
            .optional()?
            .unwrap_or(1);
        let DbConnection::Postgresql(pg) = conn else {
            return Err(DbError::Corrupt("the connection changed backend".into()));
        };
        diesel::sql_query(format!(
            "CREATE SEQUENCE IF NOT EXISTS {name} START WITH {}",
            start.max(1)
        ))
        .execute(pg)?;
        return take(pg)?.ok_or_else(|| {
            DbError::Corrupt(format!(
                "the receipt sequence of track {track_id} is missing"
            ))
        });
    }
    for _ in 0..2 {
        let taken: Option<i32> =
            diesel::update(receipt_counters::table.filter(receipt_counters::track_id.eq(track_id)))
                .set(receipt_counters::next_value.eq(receipt_counters::next_value + 1))
                .returning(receipt_counters::next_value)
                .get_result(conn)
                .optional()?;
        if let Some(next) = taken {
            return Ok(i64::from(next - 1));
        }
        if let DbConnection::Sqlite(sqlite) = conn {
            diesel::insert_into(receipt_counters::table)
                .values((
                    receipt_counters::track_id.eq(track_id),
                    receipt_counters::next_value.eq(1),
                ))
                .on_conflict_do_nothing()
                .execute(sqlite)?;
        }
    }
    Err(DbError::Corrupt(format!(
        "the receipt counter of track {track_id} could not be created"
    )))
}

/// The live (submitted, in review or decided, not withdrawn) nominations of an organisation in a call, other than
/// `except`: what the one-per-category and once-per-call rules compare with.
pub fn live_nominations(
    conn: &mut DbConnection,
    organisation_id: &str,
    call_id: &str,
    except: &str,
) -> Result<Vec<SubmissionRecord>, DbError> {
    let rows: Vec<Row> = submissions::table
        .filter(submissions::organisation_id.eq(organisation_id))
        .filter(submissions::call_id.eq(call_id))
        .filter(submissions::track_kind.eq(TrackKind::Prizes.code()))
        .filter(submissions::id.ne(except))
        .filter(submissions::status.ne_all([
            SubmissionStatus::Draft.code(),
            SubmissionStatus::Withdrawn.code(),
        ]))
        .select(Row::as_select())
        .load(conn)?;
    rows.into_iter().map(from_row).collect()
}

/// A message to queue with a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    /// Recipient address.
    pub to: String,
    /// Subject.
    pub subject: String,
    /// Body.
    pub body: String,
    /// Language code.
    pub language: String,
}

/// Queues each mail in the caller's transaction.
pub fn enqueue_all(
    conn: &mut DbConnection,
    mails: &[Mail],
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    for mail in mails {
        crate::outbox::enqueue(
            conn,
            &mail.to,
            &mail.subject,
            &mail.body,
            &mail.language,
            now,
        )?;
    }
    Ok(())
}

/// Someone told about a submission by mail.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = crate::schema::users)]
pub struct Recipient {
    /// Their address.
    pub email: String,
    /// Their language code.
    pub language: String,
}

/// Who is told about a submission: the organisation's owners and its author while the author is still a member,
/// with their languages, once each. Someone removed from the organisation is told nothing more about its entries.
pub fn recipients(
    conn: &mut DbConnection,
    record: &SubmissionRecord,
) -> Result<Vec<Recipient>, DbError> {
    use crate::schema::{memberships, users};
    // The owners and the author, while they are members, in one query.
    let mut people: Vec<Recipient> = users::table
        .inner_join(memberships::table)
        .filter(memberships::organisation_id.eq(&record.organisation_id))
        .filter(
            memberships::role
                .eq("owner")
                .or(users::id.eq(&record.created_by)),
        )
        .filter(users::deleted_at.is_null())
        .select(Recipient::as_select())
        .load(conn)?;
    people.sort_by(|a, b| (&a.email, &a.language).cmp(&(&b.email, &b.language)));
    people.dedup_by(|a, b| a.email.eq_ignore_ascii_case(&b.email));
    Ok(people)
}

/// Sets a pledge's status (trust fund), recording who did it.
pub fn set_pledge_status(
    conn: &mut DbConnection,
    id: &str,
    from: PledgeStatus,
    to: PledgeStatus,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<Option<SubmissionRecord>, DbError> {
    crate::db::transaction(conn, |conn| {
        let moved = diesel::update(
            submissions::table
                .filter(submissions::id.eq(id))
                .filter(submissions::pledge_status.eq(from.code())),
        )
        .set((
            submissions::pledge_status.eq(to.code()),
            submissions::version.eq(submissions::version + 1),
            submissions::updated_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
        if moved == 0 {
            return Ok(None);
        }
        record_event(
            conn,
            id,
            Some(actor),
            "pledge_status",
            &serde_json::json!({"from": from.code(), "to": to.code()}),
            now,
        )?;
        find(conn, id).map(Some)
    })
}

/// Sets or clears the WSIS Prizes award of an accepted nomination, recording who did it. `None` when the
/// nomination is no longer accepted (it changed meanwhile).
pub fn set_prize_award(
    conn: &mut DbConnection,
    id: &str,
    award: Option<PrizeAward>,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<Option<SubmissionRecord>, DbError> {
    crate::db::transaction(conn, |conn| {
        let before: Option<Option<String>> = submissions::table
            .filter(submissions::id.eq(id))
            .filter(submissions::track_kind.eq(TrackKind::Prizes.code()))
            .filter(submissions::status.eq(SubmissionStatus::Accepted.code()))
            .select(submissions::prize_award)
            .first(conn)
            .optional()?;
        let Some(before) = before else {
            return Ok(None);
        };
        let award = award.map(PrizeAward::code);
        if before.as_deref() != award {
            diesel::update(submissions::table.filter(submissions::id.eq(id)))
                .set((
                    submissions::prize_award.eq(award),
                    submissions::version.eq(submissions::version + 1),
                    submissions::updated_at.eq(now.naive_utc()),
                ))
                .execute(conn)?;
            record_event(
                conn,
                id,
                Some(actor),
                "prize_award",
                &serde_json::json!({"from": before, "to": award}),
                now,
            )?;
        }
        find(conn, id).map(Some)
    })
}

/// The nominations that won a WSIS Prize with this stocktaking project, in any call: a project that has won
/// before is not eligible again. Winners are few (a score a year), so their content is read and matched here,
/// the same way on both backends.
pub fn winning_nominations_of(
    conn: &mut DbConnection,
    project_id: &str,
) -> Result<Vec<SubmissionRecord>, DbError> {
    let rows: Vec<Row> = submissions::table
        .filter(submissions::track_kind.eq(TrackKind::Prizes.code()))
        .filter(submissions::prize_award.eq(PrizeAward::Winner.code()))
        .select(Row::as_select())
        .load(conn)?;
    let mut won = Vec::new();
    for row in rows {
        let record = from_row(row)?;
        if record.content.get("project_id").and_then(|v| v.as_str()) == Some(project_id) {
            won.push(record);
        }
    }
    Ok(won)
}

/// The nominations of an organisation that won a WSIS Prize, in any call.
pub fn winning_nominations_of_organisation(
    conn: &mut DbConnection,
    organisation_id: &str,
) -> Result<Vec<SubmissionRecord>, DbError> {
    let rows: Vec<Row> = submissions::table
        .filter(submissions::track_kind.eq(TrackKind::Prizes.code()))
        .filter(submissions::prize_award.eq(PrizeAward::Winner.code()))
        .filter(submissions::organisation_id.eq(organisation_id))
        .select(Row::as_select())
        .load(conn)?;
    rows.into_iter().map(from_row).collect()
}

/// Moves a submission from `from` to `to` if it is still in `from`; records the action.
#[expect(
    clippy::too_many_arguments,
    reason = "each is a distinct fact of the transition"
)]
pub fn transition(
    conn: &mut DbConnection,
    id: &str,
    from: SubmissionStatus,
    to: SubmissionStatus,
    actor: &str,
    action: &str,
    detail: &serde_json::Value,
    now: DateTime<Utc>,
    mails: &[Mail],
) -> Result<Option<SubmissionRecord>, DbError> {
    crate::db::transaction(conn, |conn| {
        let moved = diesel::update(
            submissions::table
                .filter(submissions::id.eq(id))
                .filter(submissions::status.eq(from.code())),
        )
        .set((
            submissions::status.eq(to.code()),
            submissions::version.eq(submissions::version + 1),
            submissions::updated_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
        if moved == 0 {
            return Ok(None);
        }
        record_event(conn, id, Some(actor), action, detail, now)?;
        enqueue_all(conn, mails, now)?;
        find(conn, id).map(Some)
    })
}
