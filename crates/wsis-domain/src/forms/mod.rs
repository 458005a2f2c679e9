//! The four contribution forms as types, parsed once from the JSON a client sends as `content`.
//!
//! Parsing has two stages, and reports every violation of both at once, each with its JSON path
//! (`content.session_proposals[0].speakers[2].country`), in the order of the form's fields:
//! - the *input* (the form's wire shape, strings as sent) is deserialised, which finds unknown, missing and mistyped
//!   fields (these stop the parse: nothing else can be said of a document of the wrong shape), then checked with
//!   `validator` constraints (lengths, required lists, addresses, ranges, nested items);
//! - the input is turned into the *form* (codes and closed vocabularies as domain types: action lines, SDGs,
//!   countries, coverage level, pledge kind…), which finds unknown codes, and the cross-field rules run (dates,
//!   word counts, money against its currency, global coverage alone, at least one part).
//!
//! A form value exists only when every rule holds. What was sent is what is stored: the digest on a receipt is of
//! the document received, so normalised codes (`fr` read as `FR`) live in the form, not in the stored document.
//! Advisories such as speaker balance come back as warnings and do not block.

use std::borrow::Cow;
use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use validator::{ValidationError, ValidationErrors, ValidationErrorsKind};

use crate::{Language, TrackKind};

mod index;
mod ocp;
mod pledge;
mod prize;
mod stocktaking;

pub use index::{Indexed, Tag};
pub use ocp::{ActionLineFeedback, Gender, OcpContribution, SessionProposal, Speaker};
pub use pledge::{PledgeKind, TrustFundPledge};
pub use prize::PrizeNomination;
pub use stocktaking::{Contact, CoverageLevel, ProjectStatus, StocktakingProject};

use crate::said;
pub use crate::said::MessageArg;
use crate::said::Said;

/// One broken rule (or advisory), located by its JSON path from the request's root.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Violation {
    /// JSON path (`content.title`, `content.sdgs[0]`); empty for the document as a whole.
    pub field: String,
    /// Machine-readable rule code (`invalid_length`, `unknown_country`, …).
    pub code: String,
    /// What is expected, for people: a message of the catalogue, said in the caller's language by the HTTP layer.
    pub message: Said,
}

impl Violation {
    /// A violation at `field` of the rule `code`, explained by `message`.
    pub fn new(field: impl Into<String>, code: &str, message: Said) -> Self {
        Self {
            field: field.into(),
            code: code.to_owned(),
            message,
        }
    }
}

/// What a call says about its forms beyond the code: the session formats it offers
/// ([`crate::CallDefinition::form_rules`]).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FormRules {
    /// The codes of the session formats a session proposal may take.
    pub session_formats: Vec<String>,
    /// The fewest words of each narrative answer of a prizes nomination (0: no minimum).
    pub prize_narrative_min_words: u32,
}

/// A track's form, parsed.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Content {
    /// Open Consultation Process.
    Ocp(OcpContribution),
    /// WSIS Stocktaking.
    Stocktaking(StocktakingProject),
    /// WSIS Prizes.
    Prizes(PrizeNomination),
    /// WSIS Trust Fund.
    TrustFund(TrustFundPledge),
}

impl Content {
    /// The track this form belongs to.
    pub fn kind(&self) -> TrackKind {
        match self {
            Self::Ocp(_) => TrackKind::Ocp,
            Self::Stocktaking(_) => TrackKind::Stocktaking,
            Self::Prizes(_) => TrackKind::Prizes,
            Self::TrustFund(_) => TrackKind::TrustFund,
        }
    }

    /// The nomination, when this is one.
    pub fn as_nomination(&self) -> Option<&PrizeNomination> {
        match self {
            Self::Prizes(nomination) => Some(nomination),
            _ => None,
        }
    }

    /// Reads a stored document back into its form, trusting that it was checked when written (codes are still
    /// parsed; the rules of the call are not run again). `None` when it no longer reads (a manual edit).
    pub fn read(kind: TrackKind, document: &serde_json::Value) -> Option<Self> {
        let content = match kind {
            TrackKind::Ocp => Self::Ocp(OcpContribution::deserialize(document).ok()?),
            TrackKind::Stocktaking => {
                Self::Stocktaking(StocktakingProject::deserialize(document).ok()?)
            }
            TrackKind::Prizes => Self::Prizes(PrizeNomination::deserialize(document).ok()?),
            TrackKind::TrustFund => Self::TrustFund(TrustFundPledge::deserialize(document).ok()?),
        };
        Some(content)
    }
}

/// A parsed form with its advisories.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    /// The form.
    pub content: Content,
    /// Advisories (speaker balance…); they do not block.
    pub warnings: Vec<Violation>,
}

/// Parses `document` as the form of `kind` written in `language`: the form, or every violation at once.
pub fn parse(
    kind: TrackKind,
    document: &serde_json::Value,
    language: Language,
    rules: &FormRules,
) -> Result<Parsed, Vec<Violation>> {
    let mut found = Found::default();
    let content = match kind {
        TrackKind::Ocp => ocp::parse(input(document)?, rules, &mut found).map(Content::Ocp),
        TrackKind::Stocktaking => {
            stocktaking::parse(input(document)?, &mut found).map(Content::Stocktaking)
        }
        TrackKind::Prizes => prize::parse(input(document)?, rules, &mut found).map(Content::Prizes),
        TrackKind::TrustFund => pledge::parse(input(document)?, &mut found).map(Content::TrustFund),
    };
    if kind == TrackKind::Prizes && language != Language::En {
        found.violations.push(Violation::new(
            "language",
            "english_only",
            said!("field-prizes-english-only"),
        ));
    }
    match content {
        Some(content) if found.violations.is_empty() => Ok(Parsed {
            content,
            warnings: found.warnings,
        }),
        _ => Err(found.violations),
    }
}

/// The input of a form: its wire shape, checked with `validator`, then turned into the form.
struct Input<T> {
    value: T,
    /// What `validator` found, already at their paths.
    violations: Vec<Violation>,
}

fn input<T>(document: &serde_json::Value) -> Result<Input<T>, Vec<Violation>>
where
    T: serde::de::DeserializeOwned + Serialize + validator::Validate,
{
    let value: T = serde_path_to_error::deserialize(document).map_err(|err| {
        vec![shape_violation(
            &err.path().to_string(),
            &err.inner().to_string(),
        )]
    })?;
    let mut violations = Vec::new();
    if let Err(errors) = value.validate() {
        flatten(&errors, "content", &mut violations);
    }
    Ok(Input { value, violations })
}

/// What a parse found: violations (sorted by field order at the end) and warnings.
#[derive(Debug, Default)]
struct Found {
    violations: Vec<Violation>,
    warnings: Vec<Violation>,
}

impl Found {
    fn error(&mut self, field: impl Into<String>, code: &str, message: Said) {
        self.violations.push(Violation::new(field, code, message));
    }

    fn warn(&mut self, field: impl Into<String>, code: &str, message: Said) {
        self.warnings.push(Violation::new(field, code, message));
    }

    /// Parses each item of a list of codes, reporting each bad one (and each repeated one, where `unique`) at its
    /// index.
    fn codes<T>(
        &mut self,
        field: &str,
        values: &[impl AsRef<str>],
        code: &str,
        unique: bool,
        parse: impl Fn(&str) -> Result<T, Said>,
    ) -> Vec<T>
    where
        T: PartialEq,
    {
        let mut parsed: Vec<T> = Vec::with_capacity(values.len());
        for (i, value) in values.iter().enumerate() {
            match parse(value.as_ref()) {
                Ok(item) if unique && parsed.contains(&item) => {
                    self.error(
                        format!("{field}[{i}]"),
                        "duplicate",
                        said!("field-listed-twice"),
                    );
                }
                Ok(item) => parsed.push(item),
                Err(said) => self.error(format!("{field}[{i}]"), code, said),
            }
        }
        parsed
    }

    /// Parses SDG numbers, reporting each unknown one at its index.
    fn sdgs(&mut self, field: &str, values: &[u8]) -> Vec<crate::Sdg> {
        let mut sdgs = Vec::with_capacity(values.len());
        for (i, n) in values.iter().enumerate() {
            match crate::Sdg::new(*n) {
                Ok(sdg) => sdgs.push(sdg),
                Err(e) => self.error(format!("{field}[{i}]"), "unknown_sdg", e.said()),
            }
        }
        sdgs
    }

    /// Ends a parse: the form when nothing is wrong; otherwise the input's own violations joined to these, every
    /// one in the order of the form's fields (worked out only then, from the input as serialised).
    fn finish<T: Serialize, F>(&mut self, input: Input<T>, form: Option<F>) -> Option<F> {
        self.violations.extend(input.violations);
        if self.violations.is_empty() {
            return form;
        }
        let mut order = HashMap::new();
        if let Ok(serialised) = serde_json::to_value(&input.value) {
            paths_in_order(&serialised, "content", &mut order);
        }
        let position = |field: &str| -> usize {
            // A path not in the input (an item of a list that was refused) takes the place of its nearest parent.
            let mut path = field;
            loop {
                if let Some(at) = order.get(path) {
                    return *at;
                }
                match path.rfind(['.', '[']) {
                    Some(cut) => path = &path[..cut],
                    None => return 0,
                }
            }
        };
        self.violations
            .sort_by_key(|v| (!v.field.starts_with("content"), position(&v.field)));
        None
    }
}

/// Every path of `value`, depth first, numbered in document order.
fn paths_in_order(value: &serde_json::Value, path: &str, out: &mut HashMap<String, usize>) {
    let next = out.len();
    out.entry(path.to_owned()).or_insert(next);
    match value {
        serde_json::Value::Object(map) => {
            for (key, item) in map {
                paths_in_order(item, &format!("{path}.{key}"), out);
            }
        }
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                paths_in_order(item, &format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

/// `validator`'s findings as violations at their JSON paths.
fn flatten(errors: &ValidationErrors, path: &str, out: &mut Vec<Violation>) {
    for (field, kind) in errors.errors() {
        let here = format!("{path}.{field}");
        match kind {
            ValidationErrorsKind::Field(list) => {
                out.extend(
                    list.iter()
                        .map(|e| Violation::new(here.clone(), &e.code, said_of(e))),
                );
            }
            ValidationErrorsKind::Struct(inner) => flatten(inner, &here, out),
            ValidationErrorsKind::List(items) => {
                for (i, inner) in items {
                    flatten(inner, &format!("{here}[{i}]"), out);
                }
            }
        }
    }
}

/// What a `validator` error says: the message it carries ([`said_error`]); or the one its `message` attribute
/// names (an id of the catalogue), or else `field-<code>`, naming its parameters.
fn said_of(error: &ValidationError) -> Said {
    if let Some(said) = error
        .params
        .get(SAID)
        .and_then(|v| serde_json::from_value::<Said>(v.clone()).ok())
    {
        return said;
    }
    let id = error
        .message
        .as_ref()
        .map_or_else(|| format!("field-{}", error.code), Cow::to_string);
    error
        .params
        .iter()
        .filter(|(name, _)| name.as_ref() != "value")
        .filter_map(|(name, value)| {
            let arg = match value {
                serde_json::Value::Number(n) => MessageArg::Number(n.as_i64()?),
                serde_json::Value::String(t) => MessageArg::Text(t.clone()),
                _ => return None,
            };
            Some((name.clone(), arg))
        })
        .fold(Said::named(id), |said, (name, arg)| said.with(name, arg))
}

/// A serde error in a document of the wrong shape, as a violation: `required` (missing), `unknown_field`,
/// `invalid_type` or `invalid_value`, at `content.<path>`.
fn shape_violation(path: &str, message: &str) -> Violation {
    let violation = shape_error(path, message);
    let field = if violation.field.is_empty() {
        "content".to_owned()
    } else {
        format!("content.{}", violation.field)
    };
    Violation { field, ..violation }
}

/// A serde error at `path` of any JSON body as a violation ([`classify_shape_error`]), said from the catalogue:
/// serde's own words (the types and variants it names) are arguments.
pub fn shape_error(path: &str, message: &str) -> Violation {
    let (field, code, message) = classify_shape_error(path, message);
    let quoted = |m: &str| m.split('`').nth(1).unwrap_or_default().to_owned();
    // serde lists the names it expected in English (`one of `a`, `b``, `a` or `b``): the names alone, as a list.
    let expected = |m: &str| {
        m.split_once(", expected ").map(|(_, e)| {
            e.trim_start_matches("one of ")
                .split(['`', ','])
                .map(str::trim)
                .filter(|name| !name.is_empty() && *name != "or")
                .map(|name| format!("`{name}`"))
                .collect::<Vec<_>>()
                .join(", ")
        })
    };
    let said = match code {
        "required" => said!("field-required", name = quoted(&message)),
        "unknown_field" => match expected(&message) {
            Some(expected) => said!(
                "field-unknown-field",
                name = quoted(&message),
                expected = expected
            ),
            None => said!("field-unknown-field-none", name = quoted(&message)),
        },
        _ => {
            let framed = |prefix: &str| {
                message
                    .strip_prefix(prefix)
                    .and_then(|rest| rest.split_once(", expected "))
                    .map(|(found, expected)| (found.to_owned(), expected.to_owned()))
            };
            if let Some((found, expected)) = framed("invalid type: ") {
                said!("field-invalid-type", found = found, expected = expected)
            } else if let Some((found, expected)) = framed("invalid value: ") {
                said!("field-invalid-value-of", found = found, expected = expected)
            } else if let Some((found, expected)) = framed("invalid length ") {
                said!(
                    "field-invalid-length-of",
                    found = found,
                    expected = expected
                )
            } else if let Some(listed) = message.strip_prefix("unknown variant ").and_then(|rest| {
                expected(rest).map(|e| {
                    (
                        rest.split(", expected ")
                            .next()
                            .unwrap_or_default()
                            .to_owned(),
                        e,
                    )
                })
            }) {
                said!(
                    "field-unknown-variant",
                    given = listed.0,
                    expected = listed.1
                )
            } else {
                said!("field-invalid", reason = message.clone())
            }
        }
    };
    Violation::new(field, code, said)
}

/// Classifies a serde error message found at `path` (as `serde_path_to_error` prints it, `.` for the root): the
/// field it names, its rule code and the message without serde's position suffix. Shared by every JSON body.
pub fn classify_shape_error(path: &str, message: &str) -> (String, &'static str, String) {
    let message = message
        .split(" at line ")
        .next()
        .unwrap_or_default()
        .to_owned();
    let join = |parent: &str, name: &str| {
        if parent == "." || parent.is_empty() {
            name.to_owned()
        } else {
            format!("{parent}.{name}")
        }
    };
    let quoted = |m: &str| m.split('`').nth(1).map(str::to_owned);
    let (field, code) = if message.starts_with("missing field") {
        (
            join(path, &quoted(&message).unwrap_or_default()),
            "required",
        )
    } else if message.starts_with("unknown field") {
        let name = quoted(&message).unwrap_or_default();
        let field = if path.ends_with(&name) {
            path.to_owned()
        } else {
            join(path, &name)
        };
        (field, "unknown_field")
    } else if message.starts_with("invalid type") {
        (path.to_owned(), "invalid_type")
    } else {
        (path.to_owned(), "invalid_value")
    };
    let field = if field == "." { String::new() } else { field };
    (field, code, message)
}

/// The parameter of a `validator` error that carries its message ([`said_error`]).
const SAID: &str = "said";

/// A `validator` error of the rule `code` explained by `said`.
fn said_error(code: &'static str, said: &Said) -> ValidationError {
    let mut error = ValidationError::new(code);
    error.add_param(Cow::Borrowed(SAID), said);
    error
}

/// Text people write: not blank, at most `max` characters (counted after trimming, as people count them).
fn text(value: &str, max: usize) -> Result<(), ValidationError> {
    let n = value.trim().chars().count();
    if n == 0 || n > max {
        return Err(said_error(
            "invalid_length",
            &said!("field-invalid_length", min = 1, max = max),
        ));
    }
    Ok(())
}

macro_rules! text_rules {
    ($($name:ident => $max:literal),+ $(,)?) => {
        $(
            #[doc = concat!("Not blank, at most ", $max, " characters.")]
            pub(crate) fn $name(value: &str) -> Result<(), ValidationError> {
                text(value, $max)
            }
        )+
    };
}

text_rules!(text_200 => 200, text_300 => 300, text_1000 => 1000, text_5000 => 5000, text_10000 => 10_000);

/// An e-mail address that parses.
pub(crate) fn email(value: &str) -> Result<(), ValidationError> {
    value
        .parse::<crate::Email>()
        .map(drop)
        .map_err(|e| said_error("invalid_email", &e.said()))
}

/// An `http://` or `https://` address without spaces, at most 2,048 characters (an empty one is no address).
pub(crate) fn web_address(value: &str) -> Result<(), ValidationError> {
    let url = value.trim();
    let ok = url.is_empty()
        || ((url.starts_with("https://") || url.starts_with("http://"))
            && url.len() <= 2048
            && !url.contains(char::is_whitespace));
    if ok {
        Ok(())
    } else {
        Err(said_error("invalid_url", &said!("field-invalid_url")))
    }
}

#[cfg(test)]
mod tests;
