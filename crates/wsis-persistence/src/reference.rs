//! Reference data: seeded from the domain catalogue, read back for the public reference endpoints.

use diesel::prelude::*;
use wsis_domain::catalogue::Coded;
use wsis_domain::{Labels, catalogue};

use crate::db::DbConnection;
use crate::error::DbError;
use crate::schema::{
    action_lines, countries, currencies, prize_categories, regions, sdgs, stakeholder_categories,
    track_kinds,
};

/// A labelled code: stakeholder categories, regions, track kinds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodedEntry {
    /// The code.
    pub code: String,
    /// Names.
    pub labels: Labels,
}

/// A country or `global`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountryEntry {
    /// ISO 3166-1 alpha-2, or `global`.
    pub code: String,
    /// ISO 3166-1 alpha-3.
    pub alpha3: Option<String>,
    /// ISO 3166-1 numeric.
    pub numeric: Option<String>,
    /// ITU-D region code.
    pub region: Option<String>,
    /// Names.
    pub labels: Labels,
}

/// A WSIS Action Line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionLineEntry {
    /// Code such as `C7.e-health`.
    pub code: String,
    /// 1–18.
    pub number: i32,
    /// Facilitating agencies.
    pub facilitators: Vec<String>,
    /// Titles.
    pub labels: Labels,
}

/// An SDG.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SdgEntry {
    /// 1–17.
    pub number: i32,
    /// Names.
    pub labels: Labels,
}

/// A prize category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrizeCategoryEntry {
    /// 1–18.
    pub number: i32,
    /// The action line it corresponds to.
    pub action_line: String,
    /// Titles.
    pub labels: Labels,
}

/// A currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrencyEntry {
    /// ISO 4217 code.
    pub code: String,
    /// ISO 4217 numeric code.
    pub numeric: String,
    /// Digits after the decimal point.
    pub minor_units: i32,
    /// Names.
    pub labels: Labels,
}

/// Parses a stored `labels` JSON object.
pub(crate) fn parse_labels(json: &str) -> Result<Labels, DbError> {
    serde_json::from_str(json).map_err(|e| DbError::Corrupt(format!("labels: {e}")))
}

pub(crate) fn to_json<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, DbError> {
    serde_json::to_string(value).map_err(|e| DbError::Corrupt(e.to_string()))
}

/// Runs an `INSERT … ON CONFLICT DO NOTHING` on either backend (diesel cannot build it on the multi connection).
macro_rules! insert_missing {
    ($conn:expr, $table:expr, $rows:expr) => {
        match $conn {
            DbConnection::Postgresql(c) => diesel::insert_into($table)
                .values($rows)
                .on_conflict_do_nothing()
                .execute(c),
            DbConnection::Sqlite(c) => diesel::insert_into($table)
                .values($rows)
                .on_conflict_do_nothing()
                .execute(c),
        }
    };
}

fn position(i: usize) -> i32 {
    i32::try_from(i + 1).unwrap_or(i32::MAX)
}

/// Inserts every catalogue entry that is not in the database yet; rows already there (possibly edited by staff)
/// are left alone. Returns how many rows were added.
pub fn seed_reference_data(conn: &mut DbConnection) -> Result<usize, DbError> {
    let cat = catalogue();
    let mut added = 0;
    let coded = |items: &[Coded]| -> Result<Vec<(String, i32, String)>, DbError> {
        items
            .iter()
            .enumerate()
            .map(|(i, c)| Ok((c.code.clone(), position(i), to_json(&c.labels)?)))
            .collect()
    };
    let rows = coded(&cat.stakeholder_categories)?;
    let values: Vec<_> = rows
        .iter()
        .map(|(c, p, l)| {
            (
                stakeholder_categories::code.eq(c),
                stakeholder_categories::position.eq(p),
                stakeholder_categories::labels.eq(l),
            )
        })
        .collect();
    added += insert_missing!(conn, stakeholder_categories::table, &values)?;

    let rows = coded(&cat.regions)?;
    let values: Vec<_> = rows
        .iter()
        .map(|(c, p, l)| {
            (
                regions::code.eq(c),
                regions::position.eq(p),
                regions::labels.eq(l),
            )
        })
        .collect();
    added += insert_missing!(conn, regions::table, &values)?;

    let rows = coded(&cat.track_kinds)?;
    let values: Vec<_> = rows
        .iter()
        .map(|(c, p, l)| {
            (
                track_kinds::code.eq(c),
                track_kinds::position.eq(p),
                track_kinds::labels.eq(l),
            )
        })
        .collect();
    added += insert_missing!(conn, track_kinds::table, &values)?;

    let mut country_rows = Vec::with_capacity(cat.countries.len() + 1);
    country_rows.push((
        countries::code.eq(cat.global_country.code.clone()),
        countries::alpha3.eq(None::<String>),
        countries::numeric_code.eq(None::<String>),
        countries::region_code.eq(None::<String>),
        countries::labels.eq(to_json(&cat.global_country.labels)?),
    ));
    for c in &cat.countries {
        country_rows.push((
            countries::code.eq(c.code.clone()),
            countries::alpha3.eq(Some(c.alpha3.clone())),
            countries::numeric_code.eq(Some(c.numeric.clone())),
            countries::region_code.eq(c.region.map(|r| r.code().to_owned())),
            countries::labels.eq(to_json(&c.labels)?),
        ));
    }
    added += insert_missing!(conn, countries::table, &country_rows)?;

    let mut line_rows = Vec::new();
    for a in &cat.action_lines {
        line_rows.push((
            action_lines::code.eq(a.code.clone()),
            action_lines::position.eq(i32::from(a.number)),
            action_lines::facilitators.eq(to_json(&a.facilitators)?),
            action_lines::labels.eq(to_json(&a.labels)?),
        ));
    }
    added += insert_missing!(conn, action_lines::table, &line_rows)?;

    let mut sdg_rows = Vec::new();
    for s in &cat.sdgs {
        sdg_rows.push((
            sdgs::number.eq(i32::from(s.number)),
            sdgs::labels.eq(to_json(&s.labels)?),
        ));
    }
    added += insert_missing!(conn, sdgs::table, &sdg_rows)?;

    let mut prize_rows = Vec::new();
    for p in &cat.prize_categories {
        prize_rows.push((
            prize_categories::number.eq(i32::from(p.number.get())),
            prize_categories::action_line_code.eq(p.action_line.clone()),
            prize_categories::labels.eq(to_json(&p.labels)?),
        ));
    }
    added += insert_missing!(conn, prize_categories::table, &prize_rows)?;

    let mut currency_rows = Vec::new();
    for c in &cat.currencies {
        currency_rows.push((
            currencies::code.eq(c.code.clone()),
            currencies::numeric_code.eq(c.numeric.clone()),
            currencies::minor_units.eq(i32::from(c.minor_units)),
            currencies::labels.eq(to_json(&c.labels)?),
        ));
    }
    added += insert_missing!(conn, currencies::table, &currency_rows)?;
    Ok(added)
}

/// A code and its labels, as selected from a coded list (`code`, `labels` columns).
#[derive(Queryable)]
struct CodedRow {
    code: String,
    labels: String,
}

fn coded_entries(rows: Vec<CodedRow>) -> Result<Vec<CodedEntry>, DbError> {
    rows.into_iter()
        .map(|row| {
            Ok(CodedEntry {
                code: row.code,
                labels: parse_labels(&row.labels)?,
            })
        })
        .collect()
}

/// Stakeholder categories in display order.
pub fn stakeholder_categories(conn: &mut DbConnection) -> Result<Vec<CodedEntry>, DbError> {
    use stakeholder_categories::dsl as t;
    coded_entries(
        t::stakeholder_categories
            .select((t::code, t::labels))
            .order(t::position)
            .load::<CodedRow>(conn)?,
    )
}

/// ITU-D regions in display order.
pub fn regions(conn: &mut DbConnection) -> Result<Vec<CodedEntry>, DbError> {
    use regions::dsl as t;
    coded_entries(
        t::regions
            .select((t::code, t::labels))
            .order(t::position)
            .load::<CodedRow>(conn)?,
    )
}

/// Track kinds in display order.
pub fn track_kinds(conn: &mut DbConnection) -> Result<Vec<CodedEntry>, DbError> {
    use track_kinds::dsl as t;
    coded_entries(
        t::track_kinds
            .select((t::code, t::labels))
            .order(t::position)
            .load::<CodedRow>(conn)?,
    )
}

/// A countries row as selected.
#[derive(Queryable, Selectable)]
#[diesel(table_name = countries)]
struct CountryRow {
    code: String,
    alpha3: Option<String>,
    numeric_code: Option<String>,
    region_code: Option<String>,
    labels: String,
}

/// Countries by code, `global` first, optionally in one region.
pub fn countries(
    conn: &mut DbConnection,
    region: Option<&str>,
) -> Result<Vec<CountryEntry>, DbError> {
    use countries::dsl as t;
    let mut query = t::countries.select(CountryRow::as_select()).into_boxed();
    if let Some(region) = region {
        query = query.filter(t::region_code.eq(region.to_owned()));
    }
    let rows: Vec<CountryRow> = query.order((t::alpha3.is_not_null(), t::code)).load(conn)?;
    rows.into_iter()
        .map(|row| {
            Ok(CountryEntry {
                labels: parse_labels(&row.labels)?,
                code: row.code,
                alpha3: row.alpha3,
                numeric: row.numeric_code,
                region: row.region_code,
            })
        })
        .collect()
}

/// An action_lines row as selected.
#[derive(Queryable, Selectable)]
#[diesel(table_name = action_lines)]
struct ActionLineRow {
    code: String,
    position: i32,
    facilitators: String,
    labels: String,
}

/// The 18 action lines in order.
pub fn action_lines(conn: &mut DbConnection) -> Result<Vec<ActionLineEntry>, DbError> {
    use action_lines::dsl as t;
    let rows: Vec<ActionLineRow> = t::action_lines
        .select(ActionLineRow::as_select())
        .order(t::position)
        .load(conn)?;
    rows.into_iter()
        .map(|row| {
            Ok(ActionLineEntry {
                code: row.code,
                number: row.position,
                facilitators: serde_json::from_str(&row.facilitators)
                    .map_err(|e| DbError::Corrupt(format!("facilitators: {e}")))?,
                labels: parse_labels(&row.labels)?,
            })
        })
        .collect()
}

/// An sdgs row as selected.
#[derive(Queryable, Selectable)]
#[diesel(table_name = sdgs)]
struct SdgRow {
    number: i32,
    labels: String,
}

/// The 17 SDGs.
pub fn sdgs(conn: &mut DbConnection) -> Result<Vec<SdgEntry>, DbError> {
    use sdgs::dsl as t;
    let rows: Vec<SdgRow> = t::sdgs
        .select(SdgRow::as_select())
        .order(t::number)
        .load(conn)?;
    rows.into_iter()
        .map(|row| {
            Ok(SdgEntry {
                number: row.number,
                labels: parse_labels(&row.labels)?,
            })
        })
        .collect()
}

/// A prize_categories row as selected.
#[derive(Queryable, Selectable)]
#[diesel(table_name = prize_categories)]
struct PrizeCategoryRow {
    number: i32,
    action_line_code: String,
    labels: String,
}

/// The 18 prize categories.
pub fn prize_categories(conn: &mut DbConnection) -> Result<Vec<PrizeCategoryEntry>, DbError> {
    use prize_categories::dsl as t;
    let rows: Vec<PrizeCategoryRow> = t::prize_categories
        .select(PrizeCategoryRow::as_select())
        .order(t::number)
        .load(conn)?;
    rows.into_iter()
        .map(|row| {
            Ok(PrizeCategoryEntry {
                number: row.number,
                action_line: row.action_line_code,
                labels: parse_labels(&row.labels)?,
            })
        })
        .collect()
}

/// A currencies row as selected.
#[derive(Queryable, Selectable)]
#[diesel(table_name = currencies)]
struct CurrencyRow {
    code: String,
    numeric_code: String,
    minor_units: i32,
    labels: String,
}

/// Currencies by code.
pub fn currencies(conn: &mut DbConnection) -> Result<Vec<CurrencyEntry>, DbError> {
    use currencies::dsl as t;
    let rows: Vec<CurrencyRow> = t::currencies
        .select(CurrencyRow::as_select())
        .order(t::code)
        .load(conn)?;
    rows.into_iter()
        .map(|row| {
            Ok(CurrencyEntry {
                code: row.code,
                numeric: row.numeric_code,
                minor_units: row.minor_units,
                labels: parse_labels(&row.labels)?,
            })
        })
        .collect()
}
