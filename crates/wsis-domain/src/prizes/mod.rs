//! The WSIS Prizes after their nominations: the phases of a prizes track (each a window resolved by the deadline
//! engine), and who the champions of a category are. See docs/prizes.md.

use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::deadline::{ScheduleError, TimeRule, TrackSchedule};
use crate::reference::{code_enum, exact_from_str};

mod review;
pub use review::*;

code_enum!(
    /// A phase of a prizes track after its nominations, in the order they come.
    PrizePhase, "prize phase" {
        /// The Expert Group reviews the nominations; staff shortlist nominees.
        Review => "review",
        /// Staff publish the nominee list.
        Nominees => "nominees",
        /// Signed-in, verified accounts vote.
        Voting => "voting",
        /// Staff publish the champions and winners.
        Results => "results",
    }
);

exact_from_str!(PrizePhase);

/// A phase's window as a call gives it, in the track's zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhaseDefinition {
    /// Which phase.
    pub phase: PrizePhase,
    /// When it opens.
    pub opens: TimeRule,
    /// When it closes.
    pub closes: TimeRule,
}

impl PhaseDefinition {
    /// The window resolved in `zone` (a phase has no grace period).
    pub fn schedule(&self, zone: Tz) -> Result<TrackSchedule, ScheduleError> {
        TrackSchedule::new(zone, self.opens, self.closes, 0)
    }
}

/// A phase with its resolved window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phase {
    /// Which phase.
    pub phase: PrizePhase,
    /// Its window.
    pub schedule: TrackSchedule,
}

/// What is wrong with a prizes track's phases: the index of the phase and the rule it breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhaseProblem {
    /// The same phase twice.
    Twice(usize),
    /// A phase opens before the nominations close.
    BeforeNominations(usize),
    /// A phase opens before one that comes before it.
    OutOfOrder(usize),
}

/// Checks resolved phases against the nominations' window: each phase once, none opening before the nominations
/// close, and in the order of [`PrizePhase::ALL`] by opening.
pub fn check_phases(nominations: &TrackSchedule, phases: &[Phase]) -> Vec<PhaseProblem> {
    let mut problems = Vec::new();
    for (i, phase) in phases.iter().enumerate() {
        if phases[..i].iter().any(|p| p.phase == phase.phase) {
            problems.push(PhaseProblem::Twice(i));
            continue;
        }
        if phase.schedule.opens_at() < nominations.closes_at() {
            problems.push(PhaseProblem::BeforeNominations(i));
        }
        let earlier_opens_later = phases.iter().any(|other| {
            other.phase < phase.phase && other.schedule.opens_at() > phase.schedule.opens_at()
        });
        if earlier_opens_later {
            problems.push(PhaseProblem::OutOfOrder(i));
        }
    }
    problems
}

/// A project's title as two entries of one project are compared: folded (case, accents, punctuation and spacing
/// do not count), so a project entered again under a new stocktaking entry is still the same project.
pub fn title_key(title: &str) -> String {
    crate::search::sort_key(title)
}

/// The first year of the WSIS Prizes.
pub const FIRST_PRIZES_YEAR: i32 = 2012;

/// What makes a reviewer conflicted: the organisations they belong to or declared, and the countries they declared.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Conflicts {
    /// Organisations the reviewer is a member of.
    pub memberships: Vec<String>,
    /// Organisations the reviewer declared.
    pub organisations: Vec<String>,
    /// Countries the reviewer declared (ISO codes).
    pub countries: Vec<String>,
}

impl Conflicts {
    /// Whether a nomination of `organisation` (based in `country`) is one this reviewer may not see or review.
    pub fn excludes(&self, organisation: &str, country: &str) -> bool {
        self.memberships.iter().any(|o| o == organisation)
            || self.organisations.iter().any(|o| o == organisation)
            || self
                .countries
                .iter()
                .any(|c| c.eq_ignore_ascii_case(country))
    }
}

/// A nomination to assign: its id, its category, its organisation and that organisation's country.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToAssign {
    /// The nomination.
    pub id: String,
    /// Its category.
    pub category: u8,
    /// The nominating organisation.
    pub organisation: String,
    /// Its country.
    pub country: String,
    /// Reviewers it has already.
    pub reviewers: Vec<String>,
}

/// A reviewer with their conflicts and how many nominations they review already.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reviewer {
    /// The reviewer (a user id).
    pub id: String,
    /// Their conflicts.
    pub conflicts: Conflicts,
    /// Nominations assigned to them already.
    pub load: usize,
}

/// Assigns reviewers so that each nomination has `per_nomination` of them where it can. The nominations with the
/// fewest reviewers free of conflict are served first (so that they are not left without); each gets the reviewers
/// without a conflict who review the fewest nominations so far (overall, then in its category, then by id), so the
/// work is balanced across and within categories. The new pairs `(nomination, reviewer)`; a nomination that cannot
/// get enough reviewers gets what there is.
pub fn assign(
    nominations: &[ToAssign],
    reviewers: &[Reviewer],
    per_nomination: usize,
) -> Vec<(String, String)> {
    let mut load: Vec<usize> = reviewers.iter().map(|r| r.load).collect();
    let mut by_category: std::collections::HashMap<(u8, usize), usize> =
        std::collections::HashMap::new();
    let free = |nomination: &ToAssign| -> Vec<usize> {
        (0..reviewers.len())
            .filter(|&i| {
                !nomination.reviewers.contains(&reviewers[i].id)
                    && !reviewers[i]
                        .conflicts
                        .excludes(&nomination.organisation, &nomination.country)
            })
            .collect()
    };
    let mut order: Vec<(&ToAssign, Vec<usize>)> =
        nominations.iter().map(|n| (n, free(n))).collect();
    order.sort_by(|(a, fa), (b, fb)| {
        fa.len()
            .cmp(&fb.len())
            .then_with(|| a.category.cmp(&b.category))
            .then_with(|| a.id.cmp(&b.id))
    });
    let mut made = Vec::new();
    for (nomination, mut candidates) in order {
        let needed = per_nomination.saturating_sub(nomination.reviewers.len());
        candidates.sort_by_key(|&i| {
            (
                load[i],
                by_category
                    .get(&(nomination.category, i))
                    .copied()
                    .unwrap_or(0),
                reviewers[i].id.clone(),
            )
        });
        for &i in candidates.iter().take(needed) {
            load[i] += 1;
            *by_category.entry((nomination.category, i)).or_insert(0) += 1;
            made.push((nomination.id.clone(), reviewers[i].id.clone()));
        }
    }
    made
}

/// How many champions a category has, ties at the last place aside.
pub const CHAMPION_PLACES: usize = 5;

/// A nominee's valid votes in its category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally<T> {
    /// The nominee.
    pub nominee: T,
    /// Its project's title (the order of nominees with as many votes).
    pub title: String,
    /// Valid votes.
    pub votes: u64,
}

/// The champions of one category: the nominees with the most valid votes, `places` of them, and every nominee
/// tied with the last of those places too; a nominee with no valid vote is never a champion. Ordered by votes, most
/// first, then by title.
pub fn champions<T>(mut tallies: Vec<Tally<T>>, places: usize) -> Vec<Tally<T>> {
    tallies.retain(|t| t.votes > 0);
    tallies.sort_by(|a, b| b.votes.cmp(&a.votes).then_with(|| a.title.cmp(&b.title)));
    if places == 0 {
        return Vec::new();
    }
    if let Some(last) = tallies.get(places - 1).map(|t| t.votes) {
        tallies.retain(|t| t.votes >= last);
    }
    tallies
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn tally(name: &str, votes: u64) -> Tally<String> {
        Tally {
            nominee: name.to_owned(),
            title: name.to_owned(),
            votes,
        }
    }

    fn names(found: &[Tally<String>]) -> Vec<&str> {
        found.iter().map(|t| t.nominee.as_str()).collect()
    }

    #[test]
    fn the_five_most_voted_are_champions_and_a_tie_at_the_fifth_place_takes_everyone_tied() {
        let counts = [
            ("a", 90),
            ("b", 80),
            ("c", 70),
            ("d", 60),
            ("e", 50),
            ("f", 40),
        ];
        let tallies = counts.iter().map(|(n, v)| tally(n, *v)).collect();
        assert_eq!(names(&champions(tallies, 5)), ["a", "b", "c", "d", "e"]);
        let tied = [
            ("a", 9),
            ("b", 8),
            ("c", 7),
            ("d", 6),
            ("f", 5),
            ("e", 5),
            ("g", 5),
            ("h", 4),
        ];
        let tallies = tied.iter().map(|(n, v)| tally(n, *v)).collect();
        assert_eq!(
            names(&champions(tallies, 5)),
            ["a", "b", "c", "d", "e", "f", "g"],
            "three tied at the fifth place are all champions, listed by title"
        );
        let few = vec![tally("a", 3), tally("b", 0)];
        assert_eq!(names(&champions(few, 5)), ["a"], "no vote, no champion");
        assert!(champions(vec![tally("a", 3)], 0).is_empty());
    }

    #[test]
    fn reviewers_are_assigned_without_conflicts_and_with_balanced_loads() {
        let reviewer = |id: &str, conflicts: Conflicts| Reviewer {
            id: id.to_owned(),
            conflicts,
            load: 0,
        };
        let reviewers = vec![
            reviewer(
                "r1",
                Conflicts {
                    memberships: vec!["org-a".into()],
                    ..Conflicts::default()
                },
            ),
            reviewer(
                "r2",
                Conflicts {
                    countries: vec!["ke".into()],
                    ..Conflicts::default()
                },
            ),
            reviewer("r3", Conflicts::default()),
            reviewer(
                "r4",
                Conflicts {
                    organisations: vec!["org-c".into()],
                    ..Conflicts::default()
                },
            ),
        ];
        let nomination = |id: &str, category: u8, organisation: &str, country: &str| ToAssign {
            id: id.to_owned(),
            category,
            organisation: organisation.to_owned(),
            country: country.to_owned(),
            reviewers: Vec::new(),
        };
        let nominations = vec![
            nomination("n1", 7, "org-a", "KE"),
            nomination("n2", 7, "org-b", "FR"),
            nomination("n3", 7, "org-c", "FR"),
            nomination("n4", 3, "org-d", "BR"),
        ];
        let made = assign(&nominations, &reviewers, 2);
        let of = |n: &str| -> Vec<&str> {
            made.iter()
                .filter(|(m, _)| m == n)
                .map(|(_, r)| r.as_str())
                .collect()
        };
        assert_eq!(
            of("n1"),
            ["r3", "r4"],
            "r1 is a member of org-a, r2 declared Kenya"
        );
        assert!(!of("n3").contains(&"r4"), "r4 declared org-c");
        assert!(
            made.iter().all(|(n, _)| of(n).len() == 2),
            "every nomination has two: {made:?}"
        );
        let mut loads = std::collections::HashMap::new();
        for (_, r) in &made {
            *loads.entry(r.as_str()).or_insert(0) += 1;
        }
        let (min, max) = (loads.values().min().unwrap(), loads.values().max().unwrap());
        assert!(max - min <= 1, "balanced: {loads:?}");
        // A nomination that has its reviewers gets none more; one that cannot get enough gets what there is.
        let mut done = nominations.clone();
        for n in &mut done {
            n.reviewers = of(&n.id).iter().map(|r| (*r).to_owned()).collect();
        }
        assert!(assign(&done, &reviewers, 2).is_empty());
        assert_eq!(
            assign(&nominations[..1], &reviewers, 4).len(),
            2,
            "only two reviewers are free of conflict"
        );
    }

    #[test]
    fn a_title_is_the_same_project_whatever_its_case_accents_and_spacing() {
        assert_eq!(
            title_key("  E-Learning   Hubs for Rural Schools "),
            title_key("e-learning hubs for rural schools")
        );
        assert_eq!(
            title_key("Écoles connectées"),
            title_key("ecoles CONNECTEES")
        );
        assert_ne!(title_key("Hubs"), title_key("Libraries"));
    }

    proptest! {
        #[test]
        fn champions_are_the_most_voted(votes in proptest::collection::vec(0u64..20, 0..30)) {
            let tallies: Vec<Tally<String>> =
                votes.iter().enumerate().map(|(i, v)| tally(&format!("n{i:02}"), *v)).collect();
            let found = champions(tallies.clone(), CHAMPION_PLACES);
            let voted = votes.iter().filter(|v| **v > 0).count();
            prop_assert!(found.len() >= voted.min(CHAMPION_PLACES));
            prop_assert!(found.iter().all(|t| t.votes > 0));
            // Everyone left out has fewer votes than every champion, and the list grows past five only by a tie.
            let fewest = found.iter().map(|t| t.votes).min().unwrap_or(u64::MAX);
            for t in &tallies {
                if !found.iter().any(|c| c.nominee == t.nominee) {
                    prop_assert!(t.votes < fewest || t.votes == 0);
                }
            }
            if found.len() > CHAMPION_PLACES {
                prop_assert!(found[CHAMPION_PLACES - 1..].iter().all(|t| t.votes == fewest));
            }
            prop_assert!(found.windows(2).all(|w| w[0].votes >= w[1].votes));
        }
    }
}
