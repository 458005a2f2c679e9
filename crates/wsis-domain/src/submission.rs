//! Submissions: the lifecycle as one table-driven state machine, receipt numbers, canonical JSON for receipts,
//! word counts and money amounts.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use unicode_segmentation::UnicodeSegmentation;

use crate::reference::{CurrencyCode, ParseError, TrackKind, code_enum};

code_enum!(
    /// Where a submission is in its life.
    SubmissionStatus, "status" {
        /// Being prepared by the organisation; never visible to partners or the public.
        Draft => "draft",
        /// Sent before the deadline; a receipt was issued.
        Submitted => "submitted",
        /// Staff are reviewing it.
        UnderReview => "under_review",
        /// Accepted by staff.
        Accepted => "accepted",
        /// Rejected by staff.
        Rejected => "rejected",
        /// Withdrawn by the organisation before a decision.
        Withdrawn => "withdrawn",
    }
);

impl FromStr for SubmissionStatus {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse_exact(s)
    }
}

code_enum!(
    /// Something that moves a submission from one status to another.
    Transition, "transition" {
        /// The organisation submits its draft.
        Submit => "submit",
        /// Staff start the review.
        StartReview => "start_review",
        /// Staff accept.
        Accept => "accept",
        /// Staff reject.
        Reject => "reject",
        /// The organisation withdraws before a decision.
        Withdraw => "withdraw",
        /// Staff reopen a decided or withdrawn submission.
        Reopen => "reopen",
    }
);

impl FromStr for Transition {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse_exact(s)
    }
}

code_enum!(
    /// What staff decide on a submitted entry: the staff transitions of the lifecycle.
    Decision, "decision" {
        /// Start the review.
        StartReview => "start_review",
        /// Accept.
        Accept => "accept",
        /// Reject.
        Reject => "reject",
        /// Reopen a decided or withdrawn entry.
        Reopen => "reopen",
    }
);

impl Decision {
    /// The lifecycle transition it applies.
    pub const fn transition(self) -> Transition {
        match self {
            Self::StartReview => Transition::StartReview,
            Self::Accept => Transition::Accept,
            Self::Reject => Transition::Reject,
            Self::Reopen => Transition::Reopen,
        }
    }
}

/// The longest note staff may give with a decision (it is mailed), in characters.
pub const DECISION_NOTE_MAX: usize = 2000;

code_enum!(
    /// Where a Trust Fund pledge stands, once submitted: it moves forward one step at a time.
    PledgeStatus, "pledge status" {
        /// Pledged by the organisation (set when the pledge is submitted).
        Pledged => "pledged",
        /// Confirmed by the secretariat.
        Confirmed => "confirmed",
        /// The contribution was received.
        Received => "received",
    }
);

impl PledgeStatus {
    /// The status an entry of this track starts with when submitted: `pledged` for Trust Fund pledges, none else.
    pub fn on_submit(track: TrackKind) -> Option<Self> {
        (track == TrackKind::TrustFund).then_some(Self::Pledged)
    }

    /// The status a pledge must have to move to this one (`None` for `pledged`, where every pledge starts).
    pub const fn comes_after(self) -> Option<Self> {
        match self {
            Self::Pledged => None,
            Self::Confirmed => Some(Self::Pledged),
            Self::Received => Some(Self::Confirmed),
        }
    }
}

code_enum!(
    /// A WSIS Prizes award on an accepted nomination.
    PrizeAward, "prize award" {
        /// Among the five most voted nominees of its category.
        Champion => "champion",
        /// Chosen by the Expert Group among the champions (a category may have more than one); a winning project is
        /// not eligible in later calls.
        Winner => "winner",
    }
);

crate::reference::exact_from_str!(Decision, PledgeStatus, PrizeAward);

/// Who performs a transition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Performer {
    /// An editor or owner of the submitting organisation.
    Organisation,
    /// Staff.
    Staff,
}

/// The lifecycle: (from, transition, who) → to. Nothing else is allowed.
pub const TRANSITIONS: &[(SubmissionStatus, Transition, Performer, SubmissionStatus)] = {
    use Performer::{Organisation as Org, Staff};
    use SubmissionStatus::{Accepted, Draft, Rejected, Submitted, UnderReview, Withdrawn};
    use Transition::{Accept, Reject, Reopen, StartReview, Submit, Withdraw};
    &[
        (Draft, Submit, Org, Submitted),
        (Submitted, Withdraw, Org, Withdrawn),
        (UnderReview, Withdraw, Org, Withdrawn),
        (Submitted, StartReview, Staff, UnderReview),
        (Submitted, Accept, Staff, Accepted),
        (UnderReview, Accept, Staff, Accepted),
        (Submitted, Reject, Staff, Rejected),
        (UnderReview, Reject, Staff, Rejected),
        (Accepted, Reopen, Staff, UnderReview),
        (Rejected, Reopen, Staff, UnderReview),
        (Withdrawn, Reopen, Staff, Submitted),
    ]
};

/// A transition the table does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.said())]
pub struct TransitionError {
    /// The current status.
    pub from: SubmissionStatus,
    /// What was asked.
    pub transition: Transition,
}

impl TransitionError {
    /// The refusal, as a message of the catalogue.
    pub fn said(&self) -> crate::Said {
        crate::said!(
            "refused-transition",
            from = self.from.code(),
            transition = self.transition.code()
        )
    }
}

impl SubmissionStatus {
    /// The status after `transition` by `who`, if the lifecycle allows it.
    pub fn apply(self, transition: Transition, who: Performer) -> Result<Self, TransitionError> {
        TRANSITIONS
            .iter()
            .find(|(from, t, by, _)| *from == self && *t == transition && *by == who)
            .map(|(_, _, _, to)| *to)
            .ok_or(TransitionError {
                from: self,
                transition,
            })
    }

    /// Whether the organisation may still change the content (until the deadline, checked separately).
    pub fn editable_by_organisation(self) -> bool {
        matches!(self, Self::Draft | Self::Submitted)
    }

    /// Whether partners and the statistics see it (everything but drafts).
    pub fn is_submitted(self) -> bool {
        self != Self::Draft
    }
}

/// The short code of a track in receipt numbers.
pub fn receipt_code(kind: TrackKind) -> &'static str {
    match kind {
        TrackKind::Ocp => "OCP",
        TrackKind::Stocktaking => "STK",
        TrackKind::Prizes => "PRZ",
        TrackKind::TrustFund => "TF",
    }
}

/// A receipt number: the call's slug in capitals, the track's code and a sequence of at least six digits
/// (`WSIS-2025-OCP-000123` for call `wsis-2025`). Sequences count per track, and a track belongs to one call, so
/// numbers are unique per call; as the code is one of a fixed set without hyphens and the sequence is digits, a
/// number splits back into slug, track and sequence one way only, so two calls never share a number.
pub fn receipt_number(call_slug: &str, kind: TrackKind, sequence: i64) -> String {
    format!(
        "{}-{}-{sequence:06}",
        call_slug.to_ascii_uppercase(),
        receipt_code(kind)
    )
}

/// SHA-256 (lower-case hex) of the canonical JSON of a document: the digest on a receipt.
pub fn content_digest(content: &serde_json::Value) -> String {
    use sha2::Digest as _;
    sha2::Sha256::digest(canonical_json(content).as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The canonical JSON of a value: object keys sorted by code point at every depth, no insignificant whitespace
/// (the shape of RFC 8785). Its SHA-256 is what a receipt certifies.
pub fn canonical_json(value: &serde_json::Value) -> String {
    fn write(value: &serde_json::Value, out: &mut String) {
        match value {
            serde_json::Value::Object(map) => {
                let mut keys: Vec<&String> = map.keys().collect();
                keys.sort();
                out.push('{');
                for (i, key) in keys.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&serde_json::Value::String((*key).clone()).to_string());
                    out.push(':');
                    if let Some(v) = map.get(*key) {
                        write(v, out);
                    }
                }
                out.push('}');
            }
            serde_json::Value::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write(item, out);
                }
                out.push(']');
            }
            other => out.push_str(&other.to_string()),
        }
    }
    let mut out = String::new();
    write(value, &mut out);
    out
}

/// Words in a text, counted by Unicode word boundaries (UAX #29): right for scripts with and without spaces
/// (each CJK ideograph counts as one word), punctuation and numbers-with-dots handled.
pub fn word_count(text: &str) -> usize {
    text.unicode_words().count()
}

/// A positive money amount with the precision of its currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Money {
    /// Decimal string as given, normalised (`"2500.00"`).
    pub amount: String,
    /// ISO 4217 code.
    pub currency: CurrencyCode,
}

/// Why an amount was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.said())]
pub enum MoneyError {
    /// Not a plain decimal string.
    NotDecimal(String),
    /// More decimals than the currency has.
    TooPrecise {
        /// Amount.
        amount: String,
        /// Currency.
        currency: String,
        /// Its minor units.
        minor_units: u8,
    },
    /// Zero or negative.
    NotPositive,
    /// Too large to be plausible (over a trillion).
    TooLarge,
}

impl MoneyError {
    /// The explanation, as a message of the catalogue.
    pub fn said(&self) -> crate::Said {
        match self {
            Self::NotDecimal(given) => crate::said!("field-amount-not-decimal", given = given),
            Self::TooPrecise {
                amount,
                currency,
                minor_units,
            } => crate::said!(
                "field-amount-too-precise",
                currency = currency,
                minor_units = *minor_units,
                amount = amount
            ),
            Self::NotPositive => crate::said!("field-amount-not-positive"),
            Self::TooLarge => crate::said!("field-amount-too-large"),
        }
    }
}

impl Money {
    /// Checks `amount` against `currency`'s minor units; pads to them (`"2500"` CHF → `"2500.00"`).
    pub fn parse(amount: &str, currency: CurrencyCode) -> Result<Self, MoneyError> {
        let amount = amount.trim();
        let (whole, fraction) = amount.split_once('.').unwrap_or((amount, ""));
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty()
            || !digits(whole)
            || !digits(fraction)
            || (amount.contains('.') && fraction.is_empty())
        {
            return Err(MoneyError::NotDecimal(amount.chars().take(40).collect()));
        }
        let minor = currency.minor_units();
        if fraction.len() > usize::from(minor) {
            return Err(MoneyError::TooPrecise {
                amount: amount.to_owned(),
                currency: currency.to_string(),
                minor_units: minor,
            });
        }
        let whole = whole.trim_start_matches('0');
        if whole.len() > 12 {
            return Err(MoneyError::TooLarge);
        }
        if whole.is_empty() && fraction.bytes().all(|b| b == b'0') {
            return Err(MoneyError::NotPositive);
        }
        let whole = if whole.is_empty() { "0" } else { whole };
        let normalised = if minor == 0 {
            whole.to_owned()
        } else {
            format!("{whole}.{fraction:0<width$}", width = usize::from(minor))
        };
        Ok(Self {
            amount: normalised,
            currency,
        })
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount, self.currency)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    #[test]
    fn decisions_are_exactly_the_staff_transitions() {
        let staff: std::collections::BTreeSet<Transition> = TRANSITIONS
            .iter()
            .filter(|(_, _, by, _)| *by == Performer::Staff)
            .map(|(_, t, _, _)| *t)
            .collect();
        let decided: std::collections::BTreeSet<Transition> =
            Decision::ALL.iter().map(|d| d.transition()).collect();
        assert_eq!(staff, decided);
        assert_eq!("accept".parse::<Decision>(), Ok(Decision::Accept));
        assert!(
            "submit".parse::<Decision>().is_err(),
            "not a staff decision"
        );
    }

    #[test]
    fn pledges_move_forward_one_step_at_a_time() {
        use PledgeStatus::*;
        assert_eq!(Pledged.comes_after(), None);
        assert_eq!(Confirmed.comes_after(), Some(Pledged));
        assert_eq!(Received.comes_after(), Some(Confirmed));
        assert_eq!(
            serde_json::to_string(&PrizeAward::Winner).unwrap(),
            "\"winner\""
        );
    }

    #[test]
    fn the_lifecycle_allows_exactly_its_table() {
        use Performer::{Organisation as Org, Staff};
        use SubmissionStatus::*;
        assert_eq!(Draft.apply(Transition::Submit, Org), Ok(Submitted));
        assert!(
            Draft.apply(Transition::Submit, Staff).is_err(),
            "staff do not submit for organisations"
        );
        assert_eq!(Submitted.apply(Transition::Withdraw, Org), Ok(Withdrawn));
        assert!(
            Accepted.apply(Transition::Withdraw, Org).is_err(),
            "no withdrawal after a decision"
        );
        assert_eq!(UnderReview.apply(Transition::Reject, Staff), Ok(Rejected));
        assert_eq!(Rejected.apply(Transition::Reopen, Staff), Ok(UnderReview));
        assert_eq!(Withdrawn.apply(Transition::Reopen, Staff), Ok(Submitted));
        assert!(
            Draft.apply(Transition::Accept, Staff).is_err(),
            "drafts are never decided"
        );
        let err = Accepted.apply(Transition::Submit, Org).unwrap_err();
        assert_eq!(
            err.to_string(),
            "a accepted submission cannot be sent `submit`."
        );
        // Every (status, transition, performer) outside the table is refused.
        let allowed = TRANSITIONS.len();
        let mut count = 0;
        for from in SubmissionStatus::ALL {
            for t in Transition::ALL {
                for who in [Org, Staff] {
                    count += usize::from(from.apply(*t, who).is_ok());
                }
            }
        }
        assert_eq!(count, allowed);
    }

    #[test]
    fn receipt_numbers_and_canonical_json() {
        assert_eq!(
            receipt_number("wsis-2025", TrackKind::Prizes, 42),
            "WSIS-2025-PRZ-000042"
        );
        assert_eq!(
            receipt_number("wsis-2026", TrackKind::TrustFund, 1_234_567),
            "WSIS-2026-TF-1234567"
        );
        assert_ne!(
            receipt_number("wsis-2026", TrackKind::Ocp, 1),
            receipt_number("wsis-2026-extra", TrackKind::Ocp, 1),
            "two calls of one year"
        );
        let a = json!({"b": [1, {"y": 2, "x": "é"}], "a": null});
        assert_eq!(canonical_json(&a), r#"{"a":null,"b":[1,{"x":"é","y":2}]}"#);
        let reordered: serde_json::Value =
            serde_json::from_str(r#"{"a": null, "b": [1, {"x": "é", "y": 2}]}"#).unwrap();
        assert_eq!(canonical_json(&a), canonical_json(&reordered));
    }

    #[test]
    fn words_are_counted_in_any_script() {
        assert_eq!(
            word_count("The quick brown fox — jumps over the lazy dog."),
            9
        );
        assert_eq!(word_count("e-learning, 3.5 million people's lives"), 6);
        assert_eq!(
            word_count("信息社会世界峰会"),
            8,
            "each ideograph is a word boundary unit"
        );
        assert_eq!(word_count("القمة العالمية لمجتمع المعلومات"), 4);
        assert_eq!(word_count("   "), 0);
    }

    #[test]
    fn money_is_checked_against_the_currency() {
        let chf: CurrencyCode = "CHF".parse().unwrap();
        let jpy: CurrencyCode = "JPY".parse().unwrap();
        let kwd: CurrencyCode = "KWD".parse().unwrap();
        assert_eq!(Money::parse("2500", chf.clone()).unwrap().amount, "2500.00");
        assert_eq!(
            Money::parse("2500.5", chf.clone()).unwrap().amount,
            "2500.50"
        );
        assert_eq!(Money::parse("0012.345", kwd).unwrap().amount, "12.345");
        assert_eq!(Money::parse("1000", jpy.clone()).unwrap().amount, "1000");
        assert!(matches!(
            Money::parse("1000.5", jpy),
            Err(MoneyError::TooPrecise { .. })
        ));
        assert!(matches!(
            Money::parse("2500.001", chf.clone()),
            Err(MoneyError::TooPrecise { .. })
        ));
        for bad in ["", "-5", "1e3", "1,000", "12.", ".5", "abc"] {
            assert!(
                matches!(
                    Money::parse(bad, chf.clone()),
                    Err(MoneyError::NotDecimal(_))
                ),
                "{bad}"
            );
        }
        assert_eq!(
            Money::parse("0.00", chf.clone()),
            Err(MoneyError::NotPositive)
        );
        assert_eq!(
            Money::parse("9999999999999", chf),
            Err(MoneyError::TooLarge)
        );
    }

    proptest! {
        #[test]
        fn word_counts_add_up_over_spaces(words in proptest::collection::vec("[a-zA-Z]{1,12}", 0..300)) {
            prop_assert_eq!(word_count(&words.join(" ")), words.len());
            prop_assert_eq!(word_count(&words.join("\n\t ")), words.len());
        }

        #[test]
        fn valid_amounts_round_trip(whole in 1u64..1_000_000_000, cents in 0u32..100) {
            let chf: CurrencyCode = "CHF".parse().unwrap();
            let money = Money::parse(&format!("{whole}.{cents:02}"), chf).unwrap();
            prop_assert_eq!(money.amount, format!("{whole}.{cents:02}"));
        }

        #[test]
        fn any_json_canonicalises_to_valid_equal_json(keys in proptest::collection::btree_map("[a-z]{1,5}", 0i64..1000, 0..20)) {
            let value = serde_json::to_value(&keys).unwrap();
            let canonical = canonical_json(&value);
            let back: serde_json::Value = serde_json::from_str(&canonical).unwrap();
            prop_assert_eq!(back, value);
        }
    }
}
