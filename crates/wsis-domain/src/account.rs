//! An account's own rules: e-mail addresses, the password rule, and a registration parsed once, every broken rule
//! named at once.

use std::fmt;
use std::str::FromStr;

use crate::forms::Violation;
use crate::language::Language;
use crate::organisation::name_violations;
use crate::reference::ParseError;
use crate::said;
use crate::said::Said;

/// How long an account whose address was never verified lives; then it is deleted and its address freed.
pub const UNVERIFIED_LIFETIME_DAYS: i64 = 7;

/// What an erased account keeps in place of its address (unique, never deliverable: `.invalid` is reserved by
/// RFC 2606), so that its address is free again.
pub fn erased_address(user_id: &str) -> String {
    format!("erased-{user_id}@invalid")
}

/// The name an erased account shows where it is referred to.
pub const ERASED_NAME: &str = "Erased account";

/// How long personal data is kept once it has served its purpose (docs/privacy.md), in days.
pub mod retention {
    /// Mail once sent (its body holds links, long expired by then).
    pub const SENT_MAIL_DAYS: i64 = 30;
    /// A session once it ended (revoked or expired), with its user agent and address.
    pub const ENDED_SESSION_DAYS: i64 = 90;
    /// A mailed link once used or expired.
    pub const SPENT_LINK_DAYS: i64 = 30;
    /// An entry of an account's security log.
    pub const ACCOUNT_EVENT_DAYS: i64 = 365;
    /// A failed sign-in (counted over 15 minutes; kept a day).
    pub const AUTH_FAILURE_DAYS: i64 = 1;
    /// A line of a webhook endpoint's delivery log once attempted (it holds the first KiB of the receiver's answer).
    pub const DELIVERY_LOG_DAYS: i64 = 30;
}

/// A syntactically valid e-mail address, with its normalised form (trimmed, lower case) used for uniqueness.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    original: String,
    normalized: String,
}

impl Email {
    /// The address as given (trimmed).
    pub fn as_str(&self) -> &str {
        &self.original
    }

    /// The lower-case form that identifies an account.
    pub fn normalized(&self) -> &str {
        &self.normalized
    }

    /// The part before `@`, lower case.
    pub fn local_part(&self) -> &str {
        self.normalized.split('@').next().unwrap_or_default()
    }
}

impl FromStr for Email {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let original = s.trim();
        let invalid =
            || ParseError::new("e-mail address", original, crate::said!("expected-email"));
        if original.len() > 254
            || original
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || crate::text::is_bidi_control(c))
        {
            return Err(invalid());
        }
        let (local, domain) = original.rsplit_once('@').ok_or_else(invalid)?;
        let label_ok = |l: &str| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        };
        let domain_ok = domain.contains('.') && domain.split('.').all(label_ok);
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.contains('@')
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..");
        if !(domain_ok && local_ok) {
            return Err(invalid());
        }
        Ok(Self {
            original: original.to_owned(),
            normalized: original.to_lowercase(),
        })
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.original)
    }
}

/// A rule a new password breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordProblem {
    /// Fewer than [`MIN_PASSWORD_CHARS`] characters.
    TooShort,
    /// More than [`MAX_PASSWORD_CHARS`] characters.
    TooLong,
    /// One character repeated, or too few distinct characters.
    TooRepetitive,
    /// A well-known password.
    Common,
    /// Contains the e-mail address's local part.
    ContainsEmail,
}

/// Shortest accepted password, in characters.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Longest accepted password, in characters.
pub const MAX_PASSWORD_CHARS: usize = 256;

const COMMON_PASSWORDS: &[&str] = &[
    "123456789012",
    "password1234",
    "qwertyuiop12",
    "passwordpassword",
    "administrator",
    "letmeinletmein",
    "iloveyou1234",
    "welcome12345",
    "qwerty123456",
    "1q2w3e4r5t6y",
    "abcdefghijkl",
    "000000000000",
    "trustno1trustno1",
    "passw0rdpassw0rd",
    "correcthorsebatterystaple",
    "wsis2025wsis2025",
];

impl PasswordProblem {
    /// Stable code for API errors.
    pub fn code(self) -> &'static str {
        match self {
            Self::TooShort => "too_short",
            Self::TooLong => "too_long",
            Self::TooRepetitive => "too_repetitive",
            Self::Common => "too_common",
            Self::ContainsEmail => "contains_email",
        }
    }

    /// Its explanation, as a message of the catalogue.
    pub fn said(self) -> Said {
        match self {
            Self::TooShort => said!("field-too_short", min = MIN_PASSWORD_CHARS),
            Self::TooLong => said!("field-too_long", max = MAX_PASSWORD_CHARS),
            Self::TooRepetitive => said!("field-too_repetitive"),
            Self::Common => said!("field-too_common"),
            Self::ContainsEmail => said!("field-contains_email"),
        }
    }
}

/// Every rule `password` breaks (empty when acceptable).
pub fn check_password(password: &str, email: Option<&Email>) -> Vec<PasswordProblem> {
    let mut problems = Vec::new();
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        problems.push(PasswordProblem::TooShort);
    }
    if chars > MAX_PASSWORD_CHARS {
        problems.push(PasswordProblem::TooLong);
    }
    let mut distinct: Vec<char> = password.chars().collect();
    distinct.sort_unstable();
    distinct.dedup();
    if chars > 0 && distinct.len() < 5 {
        problems.push(PasswordProblem::TooRepetitive);
    }
    let lower = password.to_lowercase();
    if COMMON_PASSWORDS.contains(&lower.as_str()) {
        problems.push(PasswordProblem::Common);
    }
    if let Some(email) = email
        && email.local_part().chars().count() >= 4
        && lower.contains(email.local_part())
    {
        problems.push(PasswordProblem::ContainsEmail);
    }
    problems
}

/// Every rule `password` breaks, as violations at `field`.
pub fn password_violations(field: &str, password: &str, email: Option<&Email>) -> Vec<Violation> {
    check_password(password, email)
        .into_iter()
        .map(|p| Violation::new(field, p.code(), p.said()))
        .collect()
}

/// Longest display name, in characters.
pub const DISPLAY_NAME_MAX: usize = 200;

/// An address that is well formed (`invalid_email`) and that mail can be sent to (`undeliverable`): a link must
/// arrive there. Whether mail can be sent is the mail transport's grammar, narrower than an address's (`a,b@x.org`
/// parses but would name two recipients in a header), so the caller passes it in.
pub fn deliverable_email(
    field: &str,
    text: &str,
    deliverable: impl Fn(&Email) -> bool,
) -> Result<Email, Violation> {
    let email = text
        .parse::<Email>()
        .map_err(|e| Violation::new(field, "invalid_email", e.said()))?;
    if !deliverable(&email) {
        return Err(Violation::new(
            field,
            "undeliverable",
            said!("field-undeliverable"),
        ));
    }
    Ok(email)
}

/// A registration as given, before it is parsed.
#[derive(Debug, Clone, Copy)]
pub struct RegistrationInput<'a> {
    /// The e-mail address.
    pub email: &'a str,
    /// The password in clear (checked here, hashed by the caller).
    pub password: &'a str,
    /// The name shown to colleagues.
    pub display_name: &'a str,
    /// Preferred language code.
    pub language: &'a str,
}

/// A registration, parsed: an address mail reaches, a password that keeps the rules, a clean display name, a
/// language. The password itself is not kept: only its hash is ever stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAccount {
    /// The address.
    pub email: Email,
    /// Display name, trimmed.
    pub display_name: String,
    /// Preferred language for mail.
    pub language: Language,
}

impl NewAccount {
    /// Parses a registration: every field checked, every violation returned at once, in the order of the fields.
    pub fn parse(
        input: RegistrationInput<'_>,
        deliverable: impl Fn(&Email) -> bool,
    ) -> Result<Self, Vec<Violation>> {
        let mut violations = Vec::new();
        let email = deliverable_email("email", input.email, deliverable)
            .map_err(|v| violations.push(v))
            .ok();
        violations.extend(password_violations(
            "password",
            input.password,
            email.as_ref(),
        ));
        let display_name = input.display_name.trim();
        violations.extend(name_violations(
            "display_name",
            display_name,
            DISPLAY_NAME_MAX,
        ));
        let language = input
            .language
            .parse::<Language>()
            .map_err(|e| {
                violations.push(Violation::new("language", "unsupported_language", e.said()))
            })
            .ok();
        match (email, language) {
            (Some(email), Some(language)) if violations.is_empty() => Ok(Self {
                email,
                display_name: display_name.to_owned(),
                language,
            }),
            _ => Err(violations),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_checked_and_normalised() {
        let email: Email = "  Ada.Lovelace@Example.ORG ".parse().unwrap();
        assert_eq!(email.as_str(), "Ada.Lovelace@Example.ORG");
        assert_eq!(email.normalized(), "ada.lovelace@example.org");
        assert_eq!(email.local_part(), "ada.lovelace");
        assert!(
            "名前@例え.jp".parse::<Email>().is_ok(),
            "internationalised addresses are accepted"
        );
        for bad in [
            "",
            "plain",
            "@example.org",
            "a@",
            "a@localhost",
            "a b@example.org",
            "a@@example.org",
            "a..b@example.org",
            "a@-x.org",
        ] {
            assert!(bad.parse::<Email>().is_err(), "{bad}");
        }
    }

    #[test]
    fn password_rules_report_every_problem() {
        let email: Email = "ada@example.org".parse().unwrap();
        assert_eq!(
            check_password("correct horse battery staple", Some(&email)),
            []
        );
        assert_eq!(check_password("short", None), [PasswordProblem::TooShort]);
        assert_eq!(
            check_password("aaaaaaaaaaaaaaa", None),
            [PasswordProblem::TooRepetitive]
        );
        assert_eq!(
            check_password("Password1234", None),
            [PasswordProblem::Common]
        );
        assert_eq!(check_password("my-ada-password!", Some(&email)), []);
        let lovelace: Email = "lovelace@example.org".parse().unwrap();
        assert_eq!(
            check_password("i am lovelace, 1815", Some(&lovelace)),
            [PasswordProblem::ContainsEmail]
        );
        assert_eq!(
            check_password(&"ab1!x".repeat(60), None),
            [PasswordProblem::TooLong]
        );
        assert_eq!(
            check_password("αβγδεζηθικλμ", None),
            [],
            "counted in characters, not bytes"
        );
    }

    fn registration<'a>(
        email: &'a str,
        password: &'a str,
        name: &'a str,
        language: &'a str,
    ) -> RegistrationInput<'a> {
        RegistrationInput {
            email,
            password,
            display_name: name,
            language,
        }
    }

    #[test]
    fn a_registration_parses_into_a_new_account() {
        let account = NewAccount::parse(
            registration(
                " Amina@Example.org ",
                "a long and unusual passphrase",
                "  Amina Diallo ",
                "fr",
            ),
            |_| true,
        )
        .unwrap();
        assert_eq!(account.email.normalized(), "amina@example.org");
        assert_eq!(account.display_name, "Amina Diallo");
        assert_eq!(account.language, Language::Fr);
    }

    #[test]
    fn a_registration_names_every_broken_rule_in_field_order() {
        let codes = |input, deliverable: bool| -> Vec<(String, String)> {
            NewAccount::parse(input, |_| deliverable)
                .unwrap_err()
                .into_iter()
                .map(|v| (v.field, v.code))
                .collect()
        };
        let pair = |f: &str, c: &str| (f.to_owned(), c.to_owned());
        assert_eq!(
            codes(registration("nope", "aaaa", "", "xx"), true),
            [
                pair("email", "invalid_email"),
                pair("password", "too_short"),
                pair("password", "too_repetitive"),
                pair("display_name", "invalid_length"),
                pair("language", "unsupported_language"),
            ]
        );
        assert_eq!(
            codes(
                registration(
                    "a,b@example.org",
                    "a long and unusual passphrase",
                    "A\u{0}B",
                    "en"
                ),
                false
            ),
            [
                pair("email", "undeliverable"),
                pair("display_name", "forbidden_character")
            ]
        );
        assert_eq!(
            codes(
                registration(
                    "amina.diallo@example.org",
                    "amina.diallo-2025!",
                    "Amina",
                    "en"
                ),
                true
            ),
            [pair("password", "contains_email")]
        );
    }
}
