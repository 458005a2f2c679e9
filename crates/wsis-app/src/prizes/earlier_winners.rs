//! WSIS Prize winners of the years before this system, recorded by staff.

use super::*;

/// A WSIS Prize won before this system, as staff give it.
#[derive(Debug, Clone)]
pub struct EarlierWin {
    /// The year of the prize (2012 or later).
    pub year: i32,
    /// The category, when known.
    pub category: Option<PrizeCategory>,
    /// The project's title.
    pub title: String,
    /// The winning organisation's name.
    pub organisation_name: String,
    /// The organisation here, when it has an account.
    pub organisation_id: Option<String>,
    /// The project's stocktaking entry here, when it has one.
    pub project_id: Option<String>,
}

/// Records a WSIS Prize won before this system (staff), so that the project is not eligible again: nominated
/// with that stocktaking entry, or again by that organisation under the same title.
pub fn record_earlier_winner(
    conn: &mut DbConnection,
    actor: &Actor,
    win: EarlierWin,
    at: DateTime<Utc>,
) -> Result<prizes::EarlierWinner, Refusal> {
    let staff = require_staff(actor, said!("action-record-earlier-winners"))?;
    crate::run(conn, |conn| {
        let mut violations = Vec::new();
        if !(wsis_domain::prizes::FIRST_PRIZES_YEAR..=2100).contains(&win.year) {
            violations.push(Violation::new(
                "year",
                "out_of_range",
                said!("field-prizes-year"),
            ));
        }
        let title = win.title.trim();
        violations.extend(wsis_domain::organisation::name_violations(
            "title", title, 300,
        ));
        let organisation_name = win.organisation_name.trim();
        violations.extend(wsis_domain::organisation::name_violations(
            "organisation_name",
            organisation_name,
            300,
        ));
        if let Some(id) = &win.organisation_id {
            violations.extend(unknown_organisation(conn, "organisation_id", id)?);
        }
        if let Some(id) = &win.project_id {
            match submissions::find(conn, id) {
                Ok(project) if project.track_kind == TrackKind::Stocktaking => {}
                Ok(_) | Err(DbError::NotFound) => violations.push(Violation::new(
                    "project_id",
                    "unknown_project",
                    said!("field-unknown-project"),
                )),
                Err(other) => return Err(other.into()),
            }
        }
        if !violations.is_empty() {
            return Err(Refusal::Invalid(violations));
        }
        let winner = prizes::EarlierWinner {
            id: wsis_persistence::new_id(),
            year: win.year,
            category: win.category.map(|c| i32::from(c.get())),
            title: title.to_owned(),
            title_key: wsis_domain::prizes::title_key(title),
            organisation_name: organisation_name.to_owned(),
            organisation_id: win.organisation_id.clone(),
            project_id: win.project_id.clone(),
            recorded_by: staff,
            recorded_at: at.naive_utc(),
        };
        prizes::add_earlier_winner(conn, &winner)?;
        tracing::info!(earlier_winner = %winner.id, year = winner.year, by = %winner.recorded_by, "earlier prize winner recorded");
        Ok(winner)
    })
}

/// The earlier winners staff recorded (staff), newest year first.
pub fn earlier_winners(
    conn: &mut DbConnection,
    actor: &Actor,
) -> Result<Vec<prizes::EarlierWinner>, Refusal> {
    require_staff(actor, said!("action-record-earlier-winners"))?;
    crate::run(conn, |conn| Ok(prizes::earlier_winners(conn)?))
}
