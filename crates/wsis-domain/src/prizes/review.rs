//! The Expert Group's review of nominations: a call's prizes rules (the review form's weighted criteria, and two
//! switches), a review's scores checked against the form, a review's weighted total, the aggregates of a
//! nomination's reviews, and the shortlist drawn from them. See docs/prizes.md.

use serde::{Deserialize, Serialize};

use crate::call::CallError;
use crate::forms::Violation;
use crate::language::Labels;
use crate::reference::{code_enum, exact_from_str};
use crate::said;

/// The most criteria a review form has.
pub const CRITERIA_MAX: usize = 20;
/// The highest weight of a criterion (weights are relative: 1 and 2 weigh as 50 and 100).
pub const WEIGHT_MAX: u32 = 100;
/// The scales a criterion may be scored on: from 1 to its `max_score`, which is 2 to 100.
pub const MAX_SCORE_RANGE: std::ops::RangeInclusive<u32> = 2..=100;
/// The longest comment on a criterion, in characters.
pub const COMMENT_MAX: usize = 2000;

/// One criterion of a call's review form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    /// Stable snake_case code, such as `results_impact` (1–40 characters of `a-z`, `0-9`, `_`).
    pub code: String,
    /// Its name in the six languages.
    pub name: Labels,
    /// Its weight relative to the others, 1 to [`WEIGHT_MAX`].
    pub weight: u32,
    /// Scores run from 1 to this.
    pub max_score: u32,
}

/// What a call says about its prizes beyond the phases: the review form, whether declared countries are conflicts
/// of interest, and whether running vote totals are public while voting is open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrizeRules {
    /// The review form: each criterion scored on its scale with a comment. Empty: no review form yet.
    #[serde(default)]
    pub review_criteria: Vec<Criterion>,
    /// Whether a reviewer's declared countries are conflicts (nominations of organisations based there are not
    /// theirs to see or review). Organisations they belong to or declared always are.
    #[serde(default = "yes")]
    pub country_conflicts: bool,
    /// Whether anyone may see the running vote totals while voting is open (otherwise only staff, until the
    /// results are published).
    #[serde(default)]
    pub running_totals: bool,
}

fn yes() -> bool {
    true
}

impl Default for PrizeRules {
    fn default() -> Self {
        Self {
            review_criteria: Vec::new(),
            country_conflicts: true,
            running_totals: false,
        }
    }
}

fn is_code(code: &str) -> bool {
    (1..=40).contains(&code.len())
        && code.starts_with(|c: char| c.is_ascii_lowercase())
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

impl PrizeRules {
    /// Every rule the prizes rules break, with the path of the field under `prefix` (such as `prizes.`).
    pub fn violations(&self, prefix: &str) -> Vec<CallError> {
        let mut found = Vec::new();
        if self.review_criteria.len() > CRITERIA_MAX {
            found.push(CallError {
                field: format!("{prefix}review_criteria"),
                code: "too_many",
                message: said!("field-criteria-count", max = CRITERIA_MAX),
            });
        }
        for (i, criterion) in self.review_criteria.iter().enumerate() {
            let at = |field: &str| format!("{prefix}review_criteria[{i}].{field}");
            if !is_code(&criterion.code) {
                found.push(CallError {
                    field: at("code"),
                    code: "invalid_code",
                    message: said!("field-criterion-code"),
                });
            } else if self.review_criteria[..i]
                .iter()
                .any(|c| c.code == criterion.code)
            {
                found.push(CallError {
                    field: at("code"),
                    code: "duplicate",
                    message: said!("field-listed-twice"),
                });
            }
            if !(1..=WEIGHT_MAX).contains(&criterion.weight) {
                found.push(CallError {
                    field: at("weight"),
                    code: "out_of_range",
                    message: said!("field-criterion-weight", max = WEIGHT_MAX),
                });
            }
            if !MAX_SCORE_RANGE.contains(&criterion.max_score) {
                found.push(CallError {
                    field: at("max_score"),
                    code: "out_of_range",
                    message: said!(
                        "field-criterion-max-score",
                        min = *MAX_SCORE_RANGE.start(),
                        max = *MAX_SCORE_RANGE.end()
                    ),
                });
            }
            if criterion.name.en.trim().is_empty() {
                found.push(CallError {
                    field: at("name.en"),
                    code: "required",
                    message: said!("field-criterion-name"),
                });
            }
        }
        found
    }
}

/// One criterion's score in a review, with the reviewer's comment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Score {
    /// The criterion's code.
    pub criterion: String,
    /// From 1 to the criterion's `max_score`.
    pub score: i64,
    /// Why: 1 to [`COMMENT_MAX`] characters.
    pub comment: String,
}

/// Checks a review's scores against the form: every criterion scored exactly once, on its scale, with a comment
/// of plain text (no more scores than a form may have criteria). The scores in the form's order, or every rule
/// broken (paths under `scores`).
pub fn check_scores(
    criteria: &[Criterion],
    scores: &[Score],
) -> Result<Vec<Score>, Vec<Violation>> {
    if scores.len() > CRITERIA_MAX {
        return Err(vec![Violation::new(
            "scores",
            "too_many",
            said!("field-criteria-count", max = CRITERIA_MAX),
        )]);
    }
    let mut found = Vec::new();
    for (i, score) in scores.iter().enumerate() {
        let at = |field: &str| format!("scores[{i}].{field}");
        match criteria.iter().find(|c| c.code == score.criterion) {
            None => found.push(Violation::new(
                at("criterion"),
                "unknown_criterion",
                said!(
                    "field-unknown-criterion",
                    expected = criteria
                        .iter()
                        .map(|c| c.code.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )),
            Some(_) if scores[..i].iter().any(|s| s.criterion == score.criterion) => found.push(
                Violation::new(at("criterion"), "duplicate", said!("field-listed-twice")),
            ),
            Some(criterion) => {
                if !(1..=i64::from(criterion.max_score)).contains(&score.score) {
                    found.push(Violation::new(
                        at("score"),
                        "out_of_range",
                        said!("field-score-range", max = criterion.max_score),
                    ));
                }
            }
        }
        let comment = score.comment.trim();
        if comment.is_empty() {
            found.push(Violation::new(
                at("comment"),
                "required",
                said!("field-review-comment"),
            ));
        } else if score.comment.chars().count() > COMMENT_MAX {
            found.push(Violation::new(
                at("comment"),
                "too_long",
                said!("field-at-most-characters", max = COMMENT_MAX),
            ));
        } else if score.comment.contains('\0') {
            found.push(Violation::new(at("comment"), "nul", said!("field-nul")));
        }
    }
    for criterion in criteria {
        if !scores.iter().any(|s| s.criterion == criterion.code) {
            found.push(Violation::new(
                "scores",
                "missing_criterion",
                said!(
                    "field-missing-criterion",
                    criterion = criterion.code.as_str()
                ),
            ));
        }
    }
    if !found.is_empty() {
        return Err(found);
    }
    Ok(criteria
        .iter()
        .filter_map(|c| scores.iter().find(|s| s.criterion == c.code))
        .map(|s| Score {
            comment: s.comment.trim().to_owned(),
            ..s.clone()
        })
        .collect())
}

/// Rounds to two decimals, as totals and aggregates are given.
pub fn round2(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

/// A review's weighted total out of 100: each score as a share of its scale, weighted, rounded to two decimals.
/// Scores of criteria the form does not have do not count; a form without weights gives 0.
pub fn weighted_total(criteria: &[Criterion], scores: &[Score]) -> f64 {
    let (mut sum, mut weights) = (0.0, 0.0);
    for criterion in criteria {
        if let Some(score) = scores.iter().find(|s| s.criterion == criterion.code) {
            let weight = f64::from(criterion.weight);
            let share = score.score as f64 / f64::from(criterion.max_score);
            sum += weight * share;
            weights += weight;
        }
    }
    if weights == 0.0 {
        return 0.0;
    }
    round2(100.0 * sum / weights)
}

/// What a nomination's reviews say together: how many, and their totals' mean, median, spread (the population
/// standard deviation: how far the reviewers disagree), lowest and highest, rounded to two decimals.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Aggregate {
    /// Reviews.
    pub count: usize,
    /// Mean total.
    pub mean: f64,
    /// Median total (the mean of the two middle ones when even).
    pub median: f64,
    /// Standard deviation of the totals (0 for one review).
    pub spread: f64,
    /// Lowest total.
    pub min: f64,
    /// Highest total.
    pub max: f64,
}

/// The aggregate of these totals, `None` without any.
pub fn aggregate(totals: &[f64]) -> Option<Aggregate> {
    if totals.is_empty() {
        return None;
    }
    let mut sorted = totals.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len() as f64;
    let mean = sorted.iter().sum::<f64>() / n;
    let middle = sorted.len() / 2;
    let median = if sorted.len() % 2 == 0 {
        (sorted[middle - 1] + sorted[middle]) / 2.0
    } else {
        sorted[middle]
    };
    let variance = sorted.iter().map(|t| (t - mean).powi(2)).sum::<f64>() / n;
    Some(Aggregate {
        count: sorted.len(),
        mean: round2(mean),
        median: round2(median),
        spread: round2(variance.sqrt()),
        min: sorted[0],
        max: sorted[sorted.len() - 1],
    })
}

code_enum!(
    /// How staff sort nominations by their reviews: by the mean, the median, the spread or the count of reviews,
    /// `-` first for the highest first.
    ReviewOrder, "review order" {
        /// Highest mean first.
        MeanDesc => "-mean",
        /// Lowest mean first.
        Mean => "mean",
        /// Highest median first.
        MedianDesc => "-median",
        /// Lowest median first.
        Median => "median",
        /// Most disagreement first.
        SpreadDesc => "-spread",
        /// Least disagreement first.
        Spread => "spread",
        /// Most reviews first.
        CountDesc => "-count",
        /// Fewest reviews first (the nominations still waiting).
        Count => "count",
    }
);

exact_from_str!(ReviewOrder);

impl ReviewOrder {
    /// Whether the highest comes first.
    pub fn descending(self) -> bool {
        self.code().starts_with('-')
    }

    /// The aggregate's value this order sorts by.
    pub fn key(self, aggregate: &Aggregate) -> f64 {
        match self {
            Self::Mean | Self::MeanDesc => aggregate.mean,
            Self::Median | Self::MedianDesc => aggregate.median,
            Self::Spread | Self::SpreadDesc => aggregate.spread,
            Self::Count | Self::CountDesc => aggregate.count as f64,
        }
    }
}

/// A reviewed nomination as the shortlist ranks it.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked<T> {
    /// The nomination.
    pub nomination: T,
    /// Its category.
    pub category: u8,
    /// Its reviews' aggregate.
    pub aggregate: Aggregate,
}

/// The nominations to shortlist: in each category, the `per_category` with the highest mean total among those with
/// at least `min_reviews` reviews, ranked by mean, then median; **every nomination tied with the last place (same
/// mean and median) is shortlisted too**, so that the Expert Group breaks a tie, not the order of the rows.
pub fn shortlist<T: Clone>(
    ranked: &[Ranked<T>],
    per_category: usize,
    min_reviews: usize,
) -> Vec<T> {
    let mut categories: Vec<u8> = ranked.iter().map(|r| r.category).collect();
    categories.sort_unstable();
    categories.dedup();
    let mut chosen = Vec::new();
    for category in categories {
        let mut these: Vec<&Ranked<T>> = ranked
            .iter()
            .filter(|r| r.category == category && r.aggregate.count >= min_reviews.max(1))
            .collect();
        these.sort_by(|a, b| {
            b.aggregate
                .mean
                .total_cmp(&a.aggregate.mean)
                .then_with(|| b.aggregate.median.total_cmp(&a.aggregate.median))
        });
        let Some(last) = per_category.checked_sub(1).and_then(|i| these.get(i)) else {
            chosen.extend(
                these
                    .iter()
                    .take(per_category)
                    .map(|r| r.nomination.clone()),
            );
            continue;
        };
        let (mean, median) = (last.aggregate.mean, last.aggregate.median);
        chosen.extend(
            these
                .iter()
                .filter(|r| {
                    r.aggregate.mean > mean
                        || (r.aggregate.mean == mean && r.aggregate.median >= median)
                })
                .map(|r| r.nomination.clone()),
        );
    }
    chosen
}

#[cfg(test)]
mod tests;
