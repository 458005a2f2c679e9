//! What the system says to people, in the six UN languages: a message is named by an id of the catalogue with
//! named arguments ([`Said`], made with [`said!`](crate::said!)), and said in a language only when it is answered.
//!
//! The catalogue is one Project Fluent file per language (`messages/{ar,zh,en,fr,ru,es}.ftl`, embedded in the binary
//! and parsed once), so each language's plural rules apply (Arabic has six categories, Russian three). `en.ftl` is the
//! reference: the English of every message lives there and nowhere else. A rule or a refusal names its message; the
//! HTTP layer says it in the language the request negotiated. See docs/messages.md for how to add one.

use std::borrow::Cow;
use std::fmt;
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use serde::{Deserialize, Serialize};

use crate::Language;

/// The catalogue's source for each language, in [`Language::ALL`] order.
pub const SOURCES: [(Language, &str); 6] = [
    (Language::Ar, include_str!("../messages/ar.ftl")),
    (Language::Zh, include_str!("../messages/zh.ftl")),
    (Language::En, include_str!("../messages/en.ftl")),
    (Language::Fr, include_str!("../messages/fr.ftl")),
    (Language::Ru, include_str!("../messages/ru.ftl")),
    (Language::Es, include_str!("../messages/es.ftl")),
];

/// A value a message names (`{ $max }`, `{ $given }`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum MessageArg {
    /// A number (Fluent chooses the plural form by it).
    Number(i64),
    /// A text (a value as given, a code, a time): never translated.
    Text(String),
    /// Another message (a thing's name, what is expected), said in the same language.
    Said(Box<Said>),
}

impl From<Said> for MessageArg {
    fn from(said: Said) -> Self {
        Self::Said(Box::new(said))
    }
}

impl From<i64> for MessageArg {
    fn from(n: i64) -> Self {
        Self::Number(n)
    }
}

macro_rules! number_arg {
    ($($t:ty),+) => {$(
        impl From<$t> for MessageArg {
            fn from(n: $t) -> Self {
                Self::Number(i64::try_from(n).unwrap_or(i64::MAX))
            }
        }
    )+};
}
number_arg!(u8, u16, u32, u64, usize, i32);

impl From<String> for MessageArg {
    fn from(t: String) -> Self {
        Self::Text(t)
    }
}

impl From<&str> for MessageArg {
    fn from(t: &str) -> Self {
        Self::Text(t.to_owned())
    }
}

impl From<&String> for MessageArg {
    fn from(t: &String) -> Self {
        Self::Text(t.clone())
    }
}

/// A message of the catalogue with its arguments: pure data, said in a language by [`Said::in_language`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Said {
    /// The message id (`not-found-call`, `field-invalid_length`).
    pub id: Cow<'static, str>,
    /// Its named arguments.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<(Cow<'static, str>, MessageArg)>,
}

/// A [`Said`]: `said!("not-found-call", slug = slug)`; each argument's name is its Fluent variable.
#[macro_export]
macro_rules! said {
    ($id:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::said::Said::new($id)$(.with(stringify!($name), $value))*
    };
}

impl Said {
    /// The message `id` without arguments.
    pub const fn new(id: &'static str) -> Self {
        Self {
            id: Cow::Borrowed(id),
            args: Vec::new(),
        }
    }

    /// The message `id` (built at run time: `field-<code>` of a rule named by data).
    pub fn named(id: String) -> Self {
        Self {
            id: Cow::Owned(id),
            args: Vec::new(),
        }
    }

    /// This message with the argument `name`.
    #[must_use]
    pub fn with(
        mut self,
        name: impl Into<Cow<'static, str>>,
        value: impl Into<MessageArg>,
    ) -> Self {
        self.args.push((name.into(), value.into()));
        self
    }

    /// The text in `language` (in English when that language lacks the message, and its id when English does too).
    pub fn in_language(&self, language: Language) -> String {
        let mut args = FluentArgs::new();
        for (name, value) in &self.args {
            match value {
                MessageArg::Number(n) => args.set(name.clone(), FluentValue::from(*n)),
                MessageArg::Text(t) => args.set(name.clone(), FluentValue::from(t.clone())),
                MessageArg::Said(said) => {
                    args.set(name.clone(), FluentValue::from(said.in_language(language)));
                }
            }
        }
        lookup(language, &self.id, &args).unwrap_or_else(|| self.id.to_string())
    }

    /// The text in English (logs, and the reference of every other language).
    pub fn english(&self) -> String {
        self.in_language(Language::En)
    }
}

impl fmt::Display for Said {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.english())
    }
}

/// Parses one language's catalogue: its syntax errors, if any.
pub fn bundle(language: Language, source: &str) -> Result<FluentBundle<FluentResource>, String> {
    let resource = FluentResource::try_new(source.to_owned())
        .map_err(|(_, errors)| format!("messages/{}.ftl: {errors:?}", language.code()))?;
    let id = language
        .code()
        .parse()
        .map_err(|e| format!("language {}: {e}", language.code()))?;
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Isolation marks keep an argument's direction in right-to-left text; the other languages need none.
    bundle.set_use_isolating(language == Language::Ar);
    bundle
        .add_resource(resource)
        .map_err(|errors| format!("messages/{}.ftl: {errors:?}", language.code()))?;
    Ok(bundle)
}

fn catalogue() -> &'static [(Language, FluentBundle<FluentResource>)] {
    static CATALOGUE: OnceLock<Vec<(Language, FluentBundle<FluentResource>)>> = OnceLock::new();
    CATALOGUE.get_or_init(|| {
        // A catalogue that does not parse fails the tests; at run time it is left out and English answers.
        SOURCES
            .iter()
            .filter_map(|(language, source)| bundle(*language, source).ok().map(|b| (*language, b)))
            .collect()
    })
}

fn lookup(language: Language, id: &str, args: &FluentArgs<'_>) -> Option<String> {
    for wanted in [language, Language::En] {
        let Some((_, bundle)) = catalogue().iter().find(|(l, _)| *l == wanted) else {
            continue;
        };
        if let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) {
            let mut errors = Vec::new();
            let text = bundle.format_pattern(pattern, Some(args), &mut errors);
            if errors.is_empty() {
                return Some(text.into_owned());
            }
        }
    }
    None
}

#[cfg(test)]
mod tests;
