use super::*;
use proptest::prelude::*;

fn criterion(code: &str, weight: u32, max_score: u32) -> Criterion {
    Criterion {
        code: code.into(),
        name: Labels::same(code),
        weight,
        max_score,
    }
}

fn score(criterion: &str, score: i64) -> Score {
    Score {
        criterion: criterion.into(),
        score,
        comment: "Because.".into(),
    }
}

fn form() -> Vec<Criterion> {
    vec![criterion("impact", 3, 10), criterion("replicability", 1, 5)]
}

fn codes(found: &[Violation]) -> Vec<(&str, &str)> {
    found
        .iter()
        .map(|v| (v.field.as_str(), v.code.as_str()))
        .collect()
}

#[test]
fn a_review_scores_every_criterion_once_on_its_scale_with_a_comment() {
    let ok = check_scores(&form(), &[score("replicability", 5), score("impact", 1)]).unwrap();
    assert_eq!(ok[0].criterion, "impact", "in the form's order");
    let mut blank = score("impact", 11);
    blank.comment = "  \n".into();
    let found =
        check_scores(&form(), &[blank, score("impact", 0), score("relevance", 3)]).unwrap_err();
    assert_eq!(
        codes(&found),
        vec![
            ("scores[0].score", "out_of_range"),
            ("scores[0].comment", "required"),
            ("scores[1].criterion", "duplicate"),
            ("scores[2].criterion", "unknown_criterion"),
            ("scores", "missing_criterion"),
        ]
    );
    let mut long = score("impact", 3);
    long.comment = "x".repeat(COMMENT_MAX + 1);
    let mut nul = score("replicability", 3);
    nul.comment = "a\0b".into();
    assert_eq!(
        codes(&check_scores(&form(), &[long, nul]).unwrap_err()),
        vec![
            ("scores[0].comment", "too_long"),
            ("scores[1].comment", "nul")
        ]
    );
}

#[test]
fn the_total_weighs_each_score_as_a_share_of_its_scale() {
    // impact 10/10 weighs 3, replicability 1/5 weighs 1: (3 × 1 + 1 × 0.2) / 4 = 80 %.
    assert_eq!(
        weighted_total(&form(), &[score("impact", 10), score("replicability", 1)]),
        80.0
    );
    assert_eq!(
        weighted_total(&form(), &[score("impact", 10), score("replicability", 5)]),
        100.0
    );
    // 7/10 and 2/5: (2.1 + 0.4) / 4 = 62.5
    assert_eq!(
        weighted_total(&form(), &[score("impact", 7), score("replicability", 2)]),
        62.5
    );
    assert_eq!(weighted_total(&[], &[score("impact", 7)]), 0.0);
}

#[test]
fn aggregates_give_mean_median_spread_and_range() {
    assert_eq!(aggregate(&[]), None);
    let one = aggregate(&[70.0]).unwrap();
    assert_eq!(
        (one.count, one.mean, one.median, one.spread),
        (1, 70.0, 70.0, 0.0)
    );
    let four = aggregate(&[90.0, 50.0, 70.0, 60.0]).unwrap();
    assert_eq!(four.count, 4);
    assert_eq!(four.mean, 67.5);
    assert_eq!(four.median, 65.0);
    // deviations 22.5, -17.5, 2.5, -7.5: variance (506.25 + 306.25 + 6.25 + 56.25) / 4 = 218.75
    assert_eq!(four.spread, 14.79);
    assert_eq!((four.min, four.max), (50.0, 90.0));
}

fn ranked(id: &str, category: u8, totals: &[f64]) -> Ranked<String> {
    Ranked {
        nomination: id.into(),
        category,
        aggregate: aggregate(totals).unwrap(),
    }
}

#[test]
fn the_shortlist_takes_the_best_means_per_category_and_every_tie_at_the_last_place() {
    let all = vec![
        ranked("a", 1, &[90.0, 80.0]),
        ranked("b", 1, &[70.0, 70.0]),
        ranked("c", 1, &[60.0, 80.0]),
        ranked("d", 1, &[50.0]),
        ranked("e", 2, &[40.0, 40.0]),
        ranked("f", 2, &[95.0]),
    ];
    // b and c share the mean and median of the second place: both go.
    assert_eq!(shortlist(&all, 2, 1), vec!["a", "b", "c", "f", "e"]);
    // Too few reviews: f has one.
    assert_eq!(shortlist(&all, 1, 2), vec!["a", "e"]);
    assert_eq!(shortlist(&all, 0, 1), Vec::<String>::new());
    assert_eq!(shortlist(&all, 10, 1).len(), 6);
}

#[test]
fn prizes_rules_name_each_broken_rule() {
    let mut rules = PrizeRules {
        review_criteria: vec![
            criterion("impact", 0, 1),
            criterion("impact", 101, 101),
            criterion("Bad code", 1, 10),
        ],
        ..PrizeRules::default()
    };
    rules.review_criteria[2].name.en = " ".into();
    let errors = rules.violations("prizes.");
    let found: Vec<(&str, &str)> = errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
    assert_eq!(
        found,
        vec![
            ("prizes.review_criteria[0].weight", "out_of_range"),
            ("prizes.review_criteria[0].max_score", "out_of_range"),
            ("prizes.review_criteria[1].code", "duplicate"),
            ("prizes.review_criteria[1].weight", "out_of_range"),
            ("prizes.review_criteria[1].max_score", "out_of_range"),
            ("prizes.review_criteria[2].code", "invalid_code"),
            ("prizes.review_criteria[2].name.en", "required"),
        ]
    );
    assert!(PrizeRules::default().country_conflicts);
    let parsed: PrizeRules = serde_json::from_str("{}").unwrap();
    assert_eq!(parsed, PrizeRules::default());
}

proptest! {
    #[test]
    fn a_total_is_between_0_and_100_and_an_aggregate_between_its_extremes(
        scores in proptest::collection::vec((1u32..=100, 2u32..=100, 1u32..=100), 1..8),
    ) {
        let criteria: Vec<Criterion> = scores
            .iter()
            .enumerate()
            .map(|(i, (weight, max, _))| criterion(&format!("c{i}"), *weight, *max))
            .collect();
        let given: Vec<Score> = scores
            .iter()
            .enumerate()
            .map(|(i, (_, max, s))| score(&format!("c{i}"), i64::from((*s).min(*max))))
            .collect();
        prop_assert!(check_scores(&criteria, &given).is_ok());
        let total = weighted_total(&criteria, &given);
        prop_assert!((0.0..=100.0).contains(&total));
        let totals: Vec<f64> = given.iter().map(|s| round2(s.score as f64)).collect();
        let found = aggregate(&totals).unwrap();
        prop_assert!(found.min <= found.mean + 0.01 && found.mean <= found.max + 0.01);
        prop_assert!(found.min <= found.median && found.median <= found.max);
        prop_assert!(found.spread >= 0.0 && found.spread <= (found.max - found.min) + 0.01);
    }
}
