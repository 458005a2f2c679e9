//! A WSIS Trust Fund pledge: money in a currency, or something given in kind.

use serde::{Deserialize, Serialize};
use validator::Validate;

use super::{Found, Input};
use crate::CurrencyCode;
use crate::reference::{code_enum, exact_from_str};
use crate::said;
use crate::submission::Money;

code_enum!(
    /// What a pledge gives.
    PledgeKind, "pledge kind" {
        /// Money, in a currency.
        Financial => "financial",
        /// Services, staff time, equipment.
        InKind => "in_kind",
    }
);

exact_from_str!(PledgeKind);

/// A WSIS Trust Fund pledge: `amount` and `currency` for a financial one, `description` for one in kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", schema(example = json!({"kind": "financial", "amount": "25000.00", "currency": "CHF", "earmark": "Fellowships for civil society participants"})))]
pub struct TrustFundPledge {
    /// What is pledged.
    pub kind: PledgeKind,
    /// Decimal string, with the currency's precision (financial pledges).
    #[serde(default)]
    pub amount: Option<String>,
    /// ISO 4217 code (financial pledges).
    #[serde(default)]
    pub currency: Option<CurrencyCode>,
    /// What it is earmarked for, 1–1000 characters.
    #[serde(default)]
    pub earmark: Option<String>,
    /// What is given (in-kind pledges), 1–5000 characters.
    #[serde(default)]
    pub description: Option<String>,
}

impl TrustFundPledge {
    /// The money pledged, normalised to the currency's precision (financial pledges).
    pub fn money(&self) -> Option<Money> {
        Money::parse(self.amount.as_deref()?, self.currency.clone()?).ok()
    }
}

#[derive(Debug, Serialize, Deserialize, Validate)]
#[serde(deny_unknown_fields)]
pub(super) struct PledgeInput {
    kind: String,
    #[serde(default)]
    amount: Option<String>,
    #[serde(default)]
    currency: Option<String>,
    #[serde(default)]
    #[validate(custom(function = "super::text_1000"))]
    earmark: Option<String>,
    #[serde(default)]
    #[validate(custom(function = "super::text_5000"))]
    description: Option<String>,
}

pub(super) fn parse(input: Input<PledgeInput>, found: &mut Found) -> Option<TrustFundPledge> {
    let form = &input.value;
    let mut currency = None;
    let kind = match form.kind.parse::<PledgeKind>() {
        Ok(PledgeKind::Financial) => {
            match (&form.amount, &form.currency) {
                (Some(amount), Some(code)) => match code.parse::<CurrencyCode>() {
                    Ok(code) => {
                        if let Err(e) = Money::parse(amount, code.clone()) {
                            found.error("content.amount", "invalid_amount", e.said());
                        }
                        currency = Some(code);
                    }
                    Err(e) => found.error("content.currency", "unknown_currency", e.said()),
                },
                (amount, code) => {
                    if amount.is_none() {
                        found.error("content.amount", "required", said!("field-pledge-amount"));
                    }
                    if code.is_none() {
                        found.error(
                            "content.currency",
                            "required",
                            said!("field-pledge-currency"),
                        );
                    }
                }
            }
            Some(PledgeKind::Financial)
        }
        Ok(PledgeKind::InKind) => {
            if form.description.is_none() {
                found.error(
                    "content.description",
                    "required",
                    said!("field-pledge-in-kind"),
                );
            }
            Some(PledgeKind::InKind)
        }
        Err(_) => {
            found.error("content.kind", "invalid_value", said!("field-pledge-kind"));
            None
        }
    };
    let Some(kind) = kind else {
        return found.finish(input, None);
    };
    let pledge = TrustFundPledge {
        kind,
        amount: form.amount.clone(),
        currency,
        earmark: form.earmark.clone(),
        description: form.description.clone(),
    };
    found.finish(input, Some(pledge))
}
