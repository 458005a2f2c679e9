//! Listings: filters, orders and keyset positions, full-text search on both backends, and counts.

use super::*;

/// Which submissions a listing may show and which it asks for.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    /// Organisations whose submissions (drafts included) the caller sees.
    pub member_of: Vec<String>,
    /// Also every submitted (non-draft) submission (staff, partners with `submissions:read`).
    pub all_submitted: bool,
    /// Only submitted (non-draft) submissions, whoever asks (exports).
    pub submitted_only: bool,
    /// A partner limited to these tags (`al:…`): only submissions carrying one of them.
    pub limited_to_tags: Option<Vec<String>>,
    /// Submission ids (any of).
    pub ids: Vec<String>,
    /// Call ids (any of).
    pub calls: Vec<String>,
    /// Track kinds (any of).
    pub tracks: Vec<String>,
    /// Statuses (any of).
    pub statuses: Vec<String>,
    /// Organisation ids (any of).
    pub organisations: Vec<String>,
    /// Stakeholder categories of the organisation (any of).
    pub stakeholder_categories: Vec<String>,
    /// Organisation countries (any of; regions are expanded to their countries by the caller).
    pub countries: Vec<String>,
    /// Tags, all groups must match: each inner list is any-of (`al:C3`, `sdg:4`).
    pub tag_groups: Vec<Vec<String>>,
    /// Changed at or after.
    pub updated_since: Option<DateTime<Utc>>,
    /// Phrases the text must all contain (see `wsis_domain::search::query_phrases`), through the full-text index.
    pub search: Vec<Vec<String>>,
    /// The order.
    pub order: ListOrder,
    /// Keyset cursor: items strictly after this position in `order` (it must be a position of that order).
    pub after: Option<Position>,
    /// Page size.
    pub limit: i64,
}

/// The order of a listing. Every order ends with the id, so it is total and keyset pages never skip or repeat.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ListOrder {
    /// Newest first: `(created_at, id)` descending.
    #[default]
    Newest,
    /// By folded title, then id, ascending.
    Title,
    /// Best match first (needs `search`): the index's score descending, then a tie key descending (SQLite: the
    /// submission's search row key, which grows with creation, so equal scores list newest first; PostgreSQL: the
    /// id). SQLite scores with BM25 (which weighs terms by how rare they are in the whole collection), PostgreSQL
    /// with `ts_rank_cd`.
    Relevance,
}

/// Where a row sits in its listing's order: the keyset a cursor carries.
#[derive(Debug, Clone, PartialEq)]
pub enum Position {
    /// `ListOrder::Newest`.
    Newest(DateTime<Utc>, String),
    /// `ListOrder::Title`: the folded title and the id.
    Title(String, String),
    /// `ListOrder::Relevance`: the score and the tie key (see `ListOrder::Relevance`; text on both backends).
    Relevance(f64, String),
}

/// A listed submission.
#[derive(Debug, Clone)]
pub struct Listed {
    /// The submission.
    pub record: SubmissionRecord,
    /// Its organisation.
    pub organisation: OrganisationFacts,
    /// Its position in the listing's order (for the next cursor).
    pub position: Position,
}

/// A string literal of SQL. Used for full-text queries only, whose text is made of folded terms (letters and
/// digits), quotes and spaces; quotes are doubled all the same.
fn sql_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// `column = 'a'` or `column IN ('a', 'b')`.
fn one_of(column: &str, values: &[String]) -> String {
    match values {
        [one] => format!("{column} = {}", sql_literal(one)),
        many => format!(
            "{column} IN ({})",
            many.iter()
                .map(|v| sql_literal(v))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// The full-text query of a search in FTS5's syntax: each phrase in double quotes (consecutive terms), all of them
/// (implicit AND), as an SQL string literal.
fn fts5_query(phrases: &[Vec<String>]) -> String {
    sql_literal(
        &phrases
            .iter()
            .map(|p| format!("\"{}\"", p.join(" ").replace('"', "\"\"")))
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// The full-text condition and score of a search, in the backend's dialect. On SQLite `table` names the FTS5 index
/// the listing starts from (`submissions_fts`, or `repository_fts` for the public repository).
fn full_text(conn: &DbConnection, phrases: &[Vec<String>], table: &str) -> (String, String) {
    match conn {
        DbConnection::Sqlite(_) => (
            format!("{table} MATCH {}", fts5_query(phrases)),
            format!("(-{table}.rank)"),
        ),
        DbConnection::Postgresql(_) => {
            let query = tsquery(phrases);
            (
                format!("submissions.search_vector @@ {query}"),
                format!("CAST(ts_rank_cd(submissions.search_vector, {query}) AS DOUBLE PRECISION)"),
            )
        }
    }
}

/// The full-text query of a search for PostgreSQL: `to_tsquery('simple', …)` with each term quoted, the terms of a
/// phrase joined by `<->` (adjacent), phrases by `&`.
fn tsquery(phrases: &[Vec<String>]) -> String {
    let query = sql_literal(
        &phrases
            .iter()
            .map(|p| {
                p.iter()
                    .map(|t| format!("'{}'", t.replace('\'', "''").replace('\\', "\\\\")))
                    .collect::<Vec<_>>()
                    .join(" <-> ")
            })
            .map(|p| format!("({p})"))
            .collect::<Vec<_>>()
            .join(" & "),
    );
    format!("to_tsquery('simple', {query})")
}

/// The organisation facts a listing shows with each submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganisationFacts {
    /// Name.
    pub name: String,
    /// Stakeholder category.
    pub stakeholder_category: String,
    /// Country or `global`.
    pub country: String,
}

/// Where a listing's first phase starts: which table leads the FROM clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Start {
    /// `submissions` (no search, or PostgreSQL, whose search is a condition on `submissions.search_vector`).
    Submissions,
    /// SQLite's full-text index of every submission.
    SubmissionsIndex,
    /// SQLite's full-text index of the public repository.
    RepositoryIndex,
}

impl ListQuery {
    /// Whether the listing is the public repository's set exactly: accepted stocktaking entries.
    fn is_repository(&self) -> bool {
        self.tracks == [TrackKind::Stocktaking.code()]
            && self.statuses == [SubmissionStatus::Accepted.code()]
    }

    /// Whether nothing but the repository's own conditions and a search restricts the listing (an accepted entry is
    /// never a draft, so the draft rules hold for every row as long as they do not narrow to member organisations).
    fn is_plain_repository_search(&self) -> bool {
        self.is_repository()
            && !self.search.is_empty()
            && self.order == ListOrder::Relevance
            && (self.submitted_only || self.all_submitted)
            && self.limited_to_tags.is_none()
            && self.ids.is_empty()
            && self.calls.is_empty()
            && self.organisations.is_empty()
            && self.stakeholder_categories.is_empty()
            && self.countries.is_empty()
            && self.tag_groups.iter().all(|g| g.is_empty())
            && self.updated_since.is_none()
    }
}

/// A page of submissions in the query's order, with their organisations' facts.
pub fn list(conn: &mut DbConnection, q: &ListQuery) -> Result<Vec<Listed>, DbError> {
    let keys = if q.is_plain_repository_search() {
        repository_search_keys(conn, q)?
    } else {
        listing_keys(conn, q)?
    };
    rows_of_keys(conn, keys)
}

/// The keys of a page of a public search with nothing else to filter, from the public repository's own full-text
/// index, ranked and cut to the page there; no row of `submissions` is read until the page is known.
/// SQLite: FTS5 over `repository_fts`, ties to the greater search row key (as in `listing_keys`). PostgreSQL:
/// `repository_search`, ties to the greater id (as in `listing_keys`).
fn repository_search_keys(
    conn: &mut DbConnection,
    q: &ListQuery,
) -> Result<Vec<(String, Position)>, DbError> {
    use diesel::sql_types::{Double, Text};
    #[derive(QueryableByName)]
    struct Hit {
        #[diesel(sql_type = Text)]
        submission_id: String,
        #[diesel(sql_type = Double)]
        score: f64,
        #[diesel(sql_type = Text)]
        tie: String,
    }
    let after = match &q.after {
        None => None,
        Some(Position::Relevance(score, tie)) => Some((*score, tie.clone())),
        Some(_) => {
            return Err(DbError::Corrupt(
                "a cursor of another order than the listing's".into(),
            ));
        }
    };
    let limit = q.limit.max(0);
    let hits: Vec<Hit> = match conn {
        DbConnection::Sqlite(sqlite) => {
            let query = diesel::sql_query(format!(
                "SELECT r.submission_id, f.score, CAST(f.rowid AS TEXT) AS tie \
                 FROM (SELECT rowid, -rank AS score FROM repository_fts WHERE repository_fts MATCH {}{} \
                       ORDER BY rank, rowid DESC LIMIT {limit}) f \
                 JOIN submission_search_rows r ON r.rowid = f.rowid \
                 ORDER BY f.score DESC, f.rowid DESC",
                fts5_query(&q.search),
                if after.is_some() {
                    " AND ((-rank) < ? OR ((-rank) = ? AND rowid < CAST(? AS INTEGER)))"
                } else {
                    ""
                },
            ));
            match after {
                None => query.load(sqlite)?,
                Some((score, tie)) => query
                    .bind::<Double, _>(score)
                    .bind::<Double, _>(score)
                    .bind::<Text, _>(tie)
                    .load(sqlite)?,
            }
        }
        DbConnection::Postgresql(pg) => {
            let tsquery = tsquery(&q.search);
            let score = "CAST(ts_rank_cd(search_vector, query) AS DOUBLE PRECISION)";
            let query = diesel::sql_query(format!(
                "SELECT submission_id, {score} AS score, submission_id AS tie \
                 FROM repository_search, {tsquery} AS query \
                 WHERE search_vector @@ query{} \
                 ORDER BY score DESC, submission_id DESC LIMIT {limit}",
                if after.is_some() {
                    format!(" AND ({score} < $1 OR ({score} = $1 AND submission_id < $2))")
                } else {
                    String::new()
                },
            ));
            match after {
                None => query.load(pg)?,
                Some((score, tie)) => query
                    .bind::<Double, _>(score)
                    .bind::<Text, _>(tie)
                    .load(pg)?,
            }
        }
    };
    Ok(hits
        .into_iter()
        .map(|h| (h.submission_id, Position::Relevance(h.score, h.tie)))
        .collect())
}

/// The keys of a page in the query's order, each with its position, from indexes alone where the backend can
/// (SQLite answers them from the covering indexes of migration …000006 without reading a single wide row).
fn listing_keys(
    conn: &mut DbConnection,
    q: &ListQuery,
) -> Result<Vec<(String, Position)>, DbError> {
    use crate::schema::submission_tags;
    use crate::schema::{repository_fts, submission_search_rows, submissions_fts};
    use diesel::dsl::sql;
    use diesel::sql_types::{Bool, Double, Text, Timestamp};
    let sqlite = matches!(conn, DbConnection::Sqlite(_));
    let start = match (q.search.is_empty(), sqlite, q.is_repository()) {
        (false, true, true) => Start::RepositoryIndex,
        (false, true, false) => Start::SubmissionsIndex,
        _ => Start::Submissions,
    };
    let (matches, score) = if q.search.is_empty() {
        (None, "CAST(0 AS DOUBLE PRECISION)".to_owned())
    } else {
        let index = match start {
            Start::RepositoryIndex => "repository_fts",
            _ => "submissions_fts",
        };
        let (matches, score) = full_text(conn, &q.search, index);
        (Some(matches), score)
    };
    // Relevance ties: on SQLite's index the search row key (creation order, newest first, which FTS5 can order by
    // without reading any row), elsewhere the id.
    let (tie, tie_text, tie_bind) = if start == Start::Submissions {
        ("submissions.id", "submissions.id", ("", ""))
    } else {
        (
            "submission_search_rows.rowid",
            "CAST(submission_search_rows.rowid AS TEXT)",
            ("CAST(", " AS INTEGER)"),
        )
    };
    let select = || {
        (
            submissions::id,
            submissions::created_at,
            submissions::sort_title,
            sql::<Double>(&score),
            sql::<Text>(tie_text),
        )
    };
    // The same filters and order on every FROM clause.
    macro_rules! page {
        ($query:expr) => {{
            let mut query = $query;
            let draft = SubmissionStatus::Draft.code();
            query = match (q.submitted_only, q.all_submitted) {
                (true, _) => query.filter(submissions::status.ne(draft)),
                (false, true) => query.filter(
                    submissions::status
                        .ne(draft)
                        .or(submissions::organisation_id.eq_any(q.member_of.clone())),
                ),
                (false, false) => query.filter(submissions::organisation_id.eq_any(q.member_of.clone())),
            };
            if let Some(tags) = &q.limited_to_tags {
                let own = q.member_of.clone();
                query = query.filter(
                    submissions::id
                        .eq_any(
                            submission_tags::table
                                .filter(submission_tags::tag.eq_any(tags.clone()))
                                .select(submission_tags::submission_id),
                        )
                        .or(submissions::organisation_id.eq_any(own)),
                );
            }
            if !q.ids.is_empty() {
                query = query.filter(submissions::id.eq_any(q.ids.clone()));
            }
            if !q.calls.is_empty() {
                query = query.filter(submissions::call_id.eq_any(q.calls.clone()));
            }
            // Track and status as literals (codes of this crate's enums, quoted all the same): SQLite's planner
            // uses the partial indexes of the public repository only when it sees their very conditions.
            if !q.tracks.is_empty() {
                query = query.filter(sql::<Bool>(&one_of("submissions.track_kind", &q.tracks)));
            }
            if !q.statuses.is_empty() {
                query = query.filter(sql::<Bool>(&one_of("submissions.status", &q.statuses)));
            }
            if !q.organisations.is_empty() {
                query = query.filter(submissions::organisation_id.eq_any(q.organisations.clone()));
            }
            // A submitted entry is filtered by what its organisation was when it was submitted (kept with the
            // entry); a draft by what its organisation is. The organisation is probed only for drafts: joining it
            // for every candidate cost a lookup per row of every listing.
            for (column, values) in [
                ("stakeholder_category", &q.stakeholder_categories),
                ("country_code", &q.countries),
            ] {
                if !values.is_empty() {
                    query = query.filter(sql::<Bool>(&format!(
                        "({} OR (submissions.submitted_{column} IS NULL AND EXISTS (SELECT 1 FROM organisations o WHERE o.id = submissions.organisation_id AND {})))",
                        one_of(&format!("submissions.submitted_{column}"), values),
                        one_of(&format!("o.{column}"), values)
                    )));
                }
            }
            // A correlated EXISTS probes the (submission_id, tag) key per candidate row, so a page stops after `limit`
            // matches; `id IN (SELECT …)` made SQLite build a temporary index of every tagged submission on each request
            // (a third of the CPU time of a filtered page under load, seen with perf).
            for group in q.tag_groups.iter().filter(|g| !g.is_empty()) {
                let tags = group
                    .iter()
                    .map(|t| sql_literal(t))
                    .collect::<Vec<_>>()
                    .join(", ");
                query = query.filter(sql::<Bool>(&format!(
                    "EXISTS (SELECT 1 FROM submission_tags t WHERE t.submission_id = submissions.id AND t.tag IN ({tags}))"
                )));
            }
            if let Some(since) = q.updated_since {
                query = query.filter(submissions::updated_at.ge(since.naive_utc()));
            }
            if let Some(matches) = &matches {
                query = query.filter(sql::<Bool>(matches));
            }
            match (&q.after, q.order) {
                (None, _) => {}
                // Row values, which both backends compare as one index range: the `a < x OR (a = x AND …)` form
                // made PostgreSQL rescan from the start of the index for every page of an export (48 s for
                // 100,000 projects, where all demo projects share one creation time).
                (Some(Position::Newest(at, id)), ListOrder::Newest) => {
                    query = query.filter(
                        sql::<Bool>("(submissions.created_at, submissions.id) < (")
                            .bind::<Timestamp, _>(at.naive_utc())
                            .sql(", ")
                            .bind::<Text, _>(id.clone())
                            .sql(")"),
                    );
                }
                (Some(Position::Title(title, id)), ListOrder::Title) => {
                    query = query.filter(
                        sql::<Bool>("(submissions.sort_title, submissions.id) > (")
                            .bind::<Text, _>(title.clone())
                            .sql(", ")
                            .bind::<Text, _>(id.clone())
                            .sql(")"),
                    );
                }
                (Some(Position::Relevance(value, key)), ListOrder::Relevance) => {
                    query = query.filter(
                        sql::<Bool>(&format!("({score} < "))
                            .bind::<Double, _>(*value)
                            .sql(&format!(" OR ({score} = "))
                            .bind::<Double, _>(*value)
                            .sql(&format!(" AND {tie} < {}", tie_bind.0))
                            .bind::<Text, _>(key.clone())
                            .sql(&format!("{}))", tie_bind.1)),
                    );
                }
                (Some(_), _) => {
                    return Err(DbError::Corrupt(
                        "a cursor of another order than the listing's".into(),
                    ));
                }
            }
            query = match q.order {
                ListOrder::Newest => query.order((submissions::created_at.desc(), submissions::id.desc())),
                ListOrder::Title => query.order((submissions::sort_title.asc(), submissions::id.asc())),
                ListOrder::Relevance => query
                    .order(sql::<Double>(&score).desc())
                    .then_order_by(sql::<Text>(tie).desc()),
            };
            let keys: Vec<PageKey> = query.limit(q.limit).load(conn)?;
            keys
        }};
    }
    let keys = match start {
        Start::Submissions => page!(submissions::table.select(select()).into_boxed()),
        Start::SubmissionsIndex => page!(
            submissions_fts::table
                .inner_join(submission_search_rows::table.inner_join(submissions::table))
                .select(select())
                .into_boxed()
        ),
        Start::RepositoryIndex => page!(
            repository_fts::table
                .inner_join(submission_search_rows::table.inner_join(submissions::table))
                .select(select())
                .into_boxed()
        ),
    };
    Ok(keys
        .into_iter()
        .map(|key| {
            let position = match q.order {
                ListOrder::Newest => Position::Newest(key.created_at.and_utc(), key.id.clone()),
                ListOrder::Title => Position::Title(key.sort_title, key.id.clone()),
                ListOrder::Relevance => Position::Relevance(key.score, key.tie),
            };
            (key.id, position)
        })
        .collect())
}

/// A page's key as the first phase selects it: the entry and where it stands in each order.
#[derive(Queryable)]
struct PageKey {
    id: String,
    created_at: NaiveDateTime,
    sort_title: String,
    score: f64,
    tie: String,
}

/// The second phase of a listing: the rows of a page's keys, in the keys' order, with their organisations' facts.
fn rows_of_keys(
    conn: &mut DbConnection,
    keys: Vec<(String, Position)>,
) -> Result<Vec<Listed>, DbError> {
    use crate::schema::organisations;
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<&str> = keys.iter().map(|(id, _)| id.as_str()).collect();
    type Facts = (String, String, String, Option<String>, Option<String>);
    let rows: Vec<(Row, Facts)> = submissions::table
        .inner_join(organisations::table)
        .filter(submissions::id.eq_any(&ids))
        .select((
            Row::as_select(),
            (
                organisations::name,
                organisations::stakeholder_category,
                organisations::country_code,
                submissions::submitted_stakeholder_category,
                submissions::submitted_country_code,
            ),
        ))
        .load(conn)?;
    let mut found: std::collections::HashMap<String, (Row, Facts)> = rows
        .into_iter()
        .map(|row| (row.0.id().to_owned(), row))
        .collect();
    let mut listed = Vec::with_capacity(keys.len());
    for (id, position) in keys {
        // A row deleted between the two reads (a draft) is simply no longer listed.
        let Some((row, (name, category_now, country_now, category_then, country_then))) =
            found.remove(&id)
        else {
            continue;
        };
        // A submitted entry shows its organisation as it was when submitted.
        let stakeholder_category = category_then.unwrap_or(category_now);
        let country = country_then.unwrap_or(country_now);
        listed.push(Listed {
            record: from_row(row)?,
            organisation: OrganisationFacts {
                name,
                stakeholder_category,
                country,
            },
            position,
        });
    }
    Ok(listed)
}

/// The version of what the public repository shows; any committed change to it has bumped it (database triggers),
/// so a page rendered at this version or later is current.
pub fn repository_version(conn: &mut DbConnection) -> Result<i64, DbError> {
    use crate::schema::repository_version;
    Ok(repository_version::table
        .select(repository_version::version)
        .first(conn)?)
}

/// The tags of a submission (`al:…`, `sdg:…`, `country:…`).
pub fn tags_of(conn: &mut DbConnection, id: &str) -> Result<Vec<String>, DbError> {
    use crate::schema::submission_tags;
    Ok(submission_tags::table
        .filter(submission_tags::submission_id.eq(id))
        .select(submission_tags::tag)
        .order(submission_tags::tag)
        .load(conn)?)
}

/// How many of a call's submissions share a track, a status and their organisation's category and country.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct GroupCount {
    /// Track kind code.
    pub track: String,
    /// Status code.
    pub status: String,
    /// The organisation's stakeholder category code.
    pub category: String,
    /// The organisation's country code.
    pub country: String,
    /// How many.
    pub count: i64,
}

/// A group of submitted entries by the category and country kept with them (null before the column existed).
#[derive(Queryable)]
struct KeptCount {
    track: String,
    status: String,
    category: Option<String>,
    country: Option<String>,
    count: i64,
}

/// Counts of a call's submissions by (track, status, organisation category, organisation country); drafts only
/// when asked. A submitted entry counts with the category and country its organisation had when it was submitted,
/// a draft with what its organisation has now.
pub fn group_counts(
    conn: &mut DbConnection,
    call_id: &str,
    include_drafts: bool,
) -> Result<Vec<GroupCount>, DbError> {
    use crate::schema::organisations;
    let kept: Vec<KeptCount> = submissions::table
        .filter(submissions::call_id.eq(call_id))
        .filter(submissions::submitted_stakeholder_category.is_not_null())
        .group_by((
            submissions::track_kind,
            submissions::status,
            submissions::submitted_stakeholder_category,
            submissions::submitted_country_code,
        ))
        .select((
            submissions::track_kind,
            submissions::status,
            submissions::submitted_stakeholder_category,
            submissions::submitted_country_code,
            diesel::dsl::count_star(),
        ))
        .load(conn)?;
    let mut query = submissions::table
        .inner_join(organisations::table)
        .filter(submissions::call_id.eq(call_id))
        .filter(submissions::submitted_stakeholder_category.is_null())
        .group_by((
            submissions::track_kind,
            submissions::status,
            organisations::stakeholder_category,
            organisations::country_code,
        ))
        .select((
            submissions::track_kind,
            submissions::status,
            organisations::stakeholder_category,
            organisations::country_code,
            diesel::dsl::count_star(),
        ))
        .into_boxed();
    if !include_drafts {
        query = query.filter(submissions::status.ne(SubmissionStatus::Draft.code()));
    }
    let mut counts: std::collections::BTreeMap<(String, String, String, String), i64> =
        std::collections::BTreeMap::new();
    let current: Vec<GroupCount> = query.load(conn)?;
    let kept = kept.into_iter().map(|k| GroupCount {
        track: k.track,
        status: k.status,
        category: k.category.unwrap_or_default(),
        country: k.country.unwrap_or_default(),
        count: k.count,
    });
    for group in kept.chain(current) {
        *counts
            .entry((group.track, group.status, group.category, group.country))
            .or_default() += group.count;
    }
    Ok(counts
        .into_iter()
        .map(|((track, status, category, country), count)| GroupCount {
            track,
            status,
            category,
            country,
            count,
        })
        .collect())
}

/// How many of a call's submissions carry a tag.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct TagCount {
    /// The tag (`al:C3`, `sdg:4`, …).
    pub tag: String,
    /// How many.
    pub count: i64,
}

/// Counts of a call's submissions by tag (`al:…`, `sdg:…`); drafts only when asked.
pub fn tag_counts(
    conn: &mut DbConnection,
    call_id: &str,
    include_drafts: bool,
) -> Result<Vec<TagCount>, DbError> {
    use crate::schema::submission_tags;
    let mut query = submission_tags::table
        .inner_join(submissions::table)
        .filter(submissions::call_id.eq(call_id))
        .group_by(submission_tags::tag)
        .select((submission_tags::tag, diesel::dsl::count_star()))
        .into_boxed();
    if !include_drafts {
        query = query.filter(submissions::status.ne(SubmissionStatus::Draft.code()));
    }
    Ok(query.load(conn)?)
}
