//! A prizes track's phases: staff set each window, checked like a new call's.

use super::*;

/// A new window for one phase of a call's prizes track.
#[derive(Debug, Clone, Copy)]
pub struct PhaseChange {
    /// Which phase.
    pub phase: PrizePhase,
    /// When it opens.
    pub opens: TimeRule,
    /// When it closes.
    pub closes: TimeRule,
}

/// Sets a phase's window (staff), checked like a new call's: it resolves in the track's zone, opens after the
/// nominations close, and in the order of the phases.
pub fn set_phase(
    conn: &mut DbConnection,
    actor: &Actor,
    call: &str,
    change: PhaseChange,
    at: DateTime<Utc>,
) -> Result<(CallRecord, TrackRecord), Refusal> {
    let staff = require_staff(actor, said!("action-set-phases"))?;
    crate::run(conn, |conn| {
        let (call, track) = track_of(conn, call, TrackKind::Prizes.code())?;
        let definition = PhaseDefinition {
            phase: change.phase,
            opens: change.opens,
            closes: change.closes,
        };
        let schedule = definition
            .schedule(track.schedule.timezone())
            .map_err(|e| {
                let field = match e {
                    wsis_domain::ScheduleError::Opens(_) => "opens",
                    _ => "closes",
                };
                Refusal::invalid(field, "invalid_window", e.said())
            })?;
        let phase = Phase {
            phase: change.phase,
            schedule,
        };
        let mut phases: Vec<Phase> = track
            .phases
            .iter()
            .filter(|p| p.phase != change.phase)
            .cloned()
            .collect();
        phases.push(phase.clone());
        let mine = phases.len() - 1;
        let broken: Vec<Violation> = check_phases(&track.schedule, &phases)
            .into_iter()
            .filter_map(|problem| match problem {
                PhaseProblem::BeforeNominations(i) if i == mine => Some(Violation::new(
                    "opens",
                    "before_nominations_close",
                    said!("call-phase-before-nominations"),
                )),
                PhaseProblem::OutOfOrder(i) if i == mine => Some(Violation::new(
                    "opens",
                    "phase_order",
                    said!("call-phase-order"),
                )),
                // Another phase out of order because of this one: this one's opening is what is wrong.
                PhaseProblem::OutOfOrder(_) => Some(Violation::new(
                    "opens",
                    "phase_order",
                    said!("call-phase-order"),
                )),
                _ => None,
            })
            .take(1)
            .collect();
        if !broken.is_empty() {
            return Err(Refusal::Invalid(broken));
        }
        calls::set_phase(conn, &track.id, &phase, at)?;
        let detail = serde_json::json!({
            "phase": change.phase.code(),
            "opens_at": phase.schedule.opens_at(),
            "closes_at": phase.schedule.closes_at(),
        });
        audit(
            conn,
            &call,
            "phase_set",
            &staff,
            Some(change.phase.code()),
            &detail,
            at,
        )?;
        crate::changes::track(
            conn,
            EventType::PrizesPhaseChanged,
            &call.id,
            &call.slug,
            TrackKind::Prizes,
            at,
        )?;
        let call = calls::find_call_by_id(conn, &call.id)?;
        let track = track_in(&call, TrackKind::Prizes)?;
        Ok((call, track))
    })
}
