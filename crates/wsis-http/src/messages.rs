//! Problem details and field messages in the six UN languages, from one Fluent catalogue per language
//! (`messages/{ar,zh,en,fr,ru,es}.ftl`, embedded in the binary and parsed once). A message is named by an id with
//! named arguments; the language is the request's (`Accept-Language` or `?lang=`). Fluent applies each language's
//! plural rules (Arabic has six categories, Russian three). See docs/messages.md for the design and how to add one.
//!
//! This first part of the catalogue holds the messages of the server's own problems (a failure to answer, an
//! unreachable database, a missing resource, an unreadable body) and the detail of a validation failure with several
//! fields; the rest of the details and field messages are still English only (docs/messages.md).

use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use wsis_domain::Language;
use wsis_domain::forms::MessageArg;

/// The catalogue's source for each language, in [`Language::ALL`] order.
pub const SOURCES: [(Language, &str); 6] = [
    (Language::Ar, include_str!("../messages/ar.ftl")),
    (Language::Zh, include_str!("../messages/zh.ftl")),
    (Language::En, include_str!("../messages/en.ftl")),
    (Language::Fr, include_str!("../messages/fr.ftl")),
    (Language::Ru, include_str!("../messages/ru.ftl")),
    (Language::Es, include_str!("../messages/es.ftl")),
];

/// A message of the catalogue with its arguments, rendered in the request's language when the problem is.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    /// The message id (`fields-invalid`, …).
    pub id: &'static str,
    /// Named numeric arguments (`count`, …).
    pub numbers: Vec<(&'static str, i64)>,
}

impl Message {
    /// A message without arguments.
    pub const fn plain(id: &'static str) -> Self {
        Self {
            id,
            numbers: Vec::new(),
        }
    }
}

struct Catalogue {
    bundles: Vec<(Language, FluentBundle<FluentResource>)>,
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

fn catalogue() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(|| Catalogue {
        // A catalogue that does not parse is caught by the tests; at run time it is left out and English answers.
        bundles: SOURCES
            .iter()
            .filter_map(|(language, source)| {
                bundle(*language, source)
                    .map_err(|e| tracing::error!(error = %e, "message catalogue not loaded"))
                    .ok()
                    .map(|b| (*language, b))
            })
            .collect(),
    })
}

/// `message` in `language` (in English when the catalogue lacks it there, and its id when English lacks it too).
pub fn render(language: Language, message: &Message) -> String {
    let mut args = FluentArgs::new();
    for (name, value) in &message.numbers {
        args.set(*name, FluentValue::from(*value));
    }
    lookup(language, message.id, &args).unwrap_or_else(|| message.id.to_owned())
}

/// The standard message of the field rule `code` (`field-<code>` in the catalogue) in `language`, naming `args`;
/// `None` when the catalogue has no such message (the violation's own English stands).
pub fn render_field(
    language: Language,
    code: &str,
    args: &[(String, MessageArg)],
) -> Option<String> {
    let mut fluent = FluentArgs::new();
    for (name, value) in args {
        match value {
            MessageArg::Number(n) => fluent.set(name.clone(), FluentValue::from(*n)),
            MessageArg::Text(t) => fluent.set(name.clone(), FluentValue::from(t.clone())),
        }
    }
    lookup(language, &format!("field-{code}"), &fluent)
}

fn lookup(language: Language, id: &str, args: &FluentArgs<'_>) -> Option<String> {
    let catalogue = catalogue();
    for wanted in [language, Language::En] {
        let Some((_, bundle)) = catalogue.bundles.iter().find(|(l, _)| *l == wanted) else {
            continue;
        };
        if let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) {
            let mut errors = Vec::new();
            let text = bundle.format_pattern(pattern, Some(args), &mut errors);
            if errors.is_empty() {
                return Some(text.into_owned());
            }
            tracing::warn!(message.id = id, ?errors, "message not rendered");
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement};

    /// The variables a pattern uses, its selectors' and its variants' included.
    fn variables(pattern: &Pattern<&str>, out: &mut Vec<String>) {
        let inline = |e: &InlineExpression<&str>, out: &mut Vec<String>| {
            if let InlineExpression::VariableReference { id } = e {
                out.push(id.name.to_owned());
            }
        };
        for element in &pattern.elements {
            if let PatternElement::Placeable { expression } = element {
                match expression {
                    Expression::Inline(e) => inline(e, out),
                    Expression::Select { selector, variants } => {
                        inline(selector, out);
                        for variant in variants {
                            variables(&variant.value, out);
                        }
                    }
                }
            }
        }
    }

    /// The ids of a catalogue, with the variables each uses.
    fn ids(source: &str) -> Vec<(String, Vec<String>)> {
        let resource =
            fluent_syntax::parser::parse(source).unwrap_or_else(|(_, e)| panic!("{e:?}"));
        let mut found: Vec<(String, Vec<String>)> = resource
            .body
            .iter()
            .filter_map(|entry| match entry {
                Entry::Message(m) => {
                    let mut vars = Vec::new();
                    if let Some(value) = &m.value {
                        variables(value, &mut vars);
                    }
                    vars.sort();
                    vars.dedup();
                    Some((m.id.name.to_owned(), vars))
                }
                _ => None,
            })
            .collect();
        found.sort();
        found
    }

    #[test]
    fn every_language_has_every_message_with_the_same_arguments() {
        let english = ids(SOURCES[2].1);
        assert!(!english.is_empty());
        for (language, source) in SOURCES {
            bundle(language, source).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(
                ids(source),
                english,
                "messages/{}.ftl differs from en.ftl",
                language.code()
            );
        }
    }

    #[test]
    fn messages_render_in_each_language_with_its_plurals() {
        let fields = |count| Message {
            id: "fields-invalid",
            numbers: vec![("count", count)],
        };
        assert_eq!(
            render(Language::En, &fields(3)),
            "3 fields are invalid; see `errors`."
        );
        assert_eq!(
            render(Language::Fr, &fields(3)),
            "3 champs ne sont pas valides ; voir `errors`."
        );
        assert_eq!(
            render(Language::Es, &fields(2)),
            "2 campos no son válidos; consulte `errors`."
        );
        assert_eq!(
            render(Language::Zh, &fields(4)),
            "4 个字段无效；请查看 `errors`。"
        );
        assert_eq!(
            render(Language::Ru, &fields(2)),
            "2 поля заполнены неверно; см. `errors`."
        );
        assert_eq!(
            render(Language::Ru, &fields(5)),
            "5 полей заполнены неверно; см. `errors`."
        );
        assert_eq!(
            render(Language::Ru, &fields(21)),
            "21 поле заполнено неверно; см. `errors`."
        );
        assert_eq!(
            render(Language::Ar, &fields(2)),
            "حقلان غير صالحين؛ انظر `errors`."
        );
        assert_eq!(
            render(Language::Ar, &fields(3)),
            "\u{2068}3\u{2069} حقول غير صالحة؛ انظر `errors`."
        );
        assert_eq!(
            render(Language::Ar, &fields(11)),
            "\u{2068}11\u{2069} حقلًا غير صالح؛ انظر `errors`."
        );
        assert_eq!(
            render(Language::Ar, &Message::plain("resource-missing")),
            "هذا المورد غير موجود."
        );
        assert_eq!(
            render(Language::En, &Message::plain("no-such-message")),
            "no-such-message"
        );
    }
}
