//! The catalogue: complete in every language, said with each language's plurals, and every id the code names.

use super::*;

fn say(language: Language, message: &Said) -> String {
    message.in_language(language)
}

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
    let resource = fluent_syntax::parser::parse(source).unwrap_or_else(|(_, e)| panic!("{e:?}"));
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
    let fields = |count: i64| said!("fields-invalid", count = count);
    assert_eq!(
        say(Language::En, &fields(3)),
        "3 fields are invalid; see `errors`."
    );
    assert_eq!(
        say(Language::Fr, &fields(3)),
        "3 champs ne sont pas valides ; voir `errors`."
    );
    assert_eq!(
        say(Language::Es, &fields(2)),
        "2 campos no son válidos; consulte `errors`."
    );
    assert_eq!(
        say(Language::Zh, &fields(4)),
        "4 个字段无效；请查看 `errors`。"
    );
    assert_eq!(
        say(Language::Ru, &fields(2)),
        "2 поля заполнены неверно; см. `errors`."
    );
    assert_eq!(
        say(Language::Ru, &fields(5)),
        "5 полей заполнены неверно; см. `errors`."
    );
    assert_eq!(
        say(Language::Ru, &fields(21)),
        "21 поле заполнено неверно; см. `errors`."
    );
    assert_eq!(
        say(Language::Ar, &fields(2)),
        "حقلان غير صالحين؛ انظر `errors`."
    );
    assert_eq!(
        say(Language::Ar, &fields(3)),
        "\u{2068}3\u{2069} حقول غير صالحة؛ انظر `errors`."
    );
    assert_eq!(
        say(Language::Ar, &fields(11)),
        "\u{2068}11\u{2069} حقلًا غير صالح؛ انظر `errors`."
    );
    assert_eq!(
        say(Language::Ar, &Said::new("resource-missing")),
        "هذا المورد غير موجود."
    );
    assert_eq!(
        say(Language::En, &Said::new("no-such-message")),
        "no-such-message"
    );
}

/// Every `said!("id", …)` and `Said::new("id")` in the workspace's sources, with the arguments `said!` names.
fn named_in_code() -> Vec<(String, String, Vec<String>)> {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let crates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    walk(&crates, &mut files);
    let mut found = Vec::new();
    for file in files {
        let source = std::fs::read_to_string(&file).unwrap();
        for opening in ["said!(", "Said::new("] {
            for (at, _) in source.match_indices(opening) {
                let line_start = source[..at].rfind('\n').map_or(0, |n| n + 1);
                if source[line_start..at].trim_start().starts_with("//") {
                    continue; // a comment's example
                }
                let rest = source[at + opening.len()..].trim_start();
                let Some(rest) = rest.strip_prefix('"') else {
                    continue; // the macro's own definition, or an id built at run time
                };
                let id: String = rest.chars().take_while(|c| *c != '"').collect();
                if !id.starts_with(|c: char| c.is_ascii_alphabetic()) {
                    continue; // this test's own search strings
                }
                let mut names = Vec::new();
                if opening == "said!(" {
                    // The call's arguments, split at its own commas (not those of nested calls or strings), up to
                    // its closing parenthesis: each `name = value` after the id names a variable.
                    let (mut depth, mut quoted, mut part) = (1, true, String::new()); // `rest` starts in the id
                    let mut parts = Vec::new();
                    for c in rest.chars() {
                        match c {
                            '"' => quoted = !quoted,
                            '(' | '[' | '{' if !quoted => depth += 1,
                            ')' | ']' | '}' if !quoted => depth -= 1,
                            ',' if !quoted && depth == 1 => {
                                parts.push(std::mem::take(&mut part));
                                continue;
                            }
                            _ => {}
                        }
                        if depth == 0 {
                            break;
                        }
                        part.push(c);
                    }
                    parts.push(part);
                    for part in parts.iter().skip(1) {
                        if let Some((name, _)) = part.split_once('=') {
                            let name = name.trim();
                            if !name.is_empty()
                                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                            {
                                names.push(name.to_owned());
                            }
                        }
                    }
                }
                names.sort();
                found.push((file.display().to_string(), id, names));
            }
        }
    }
    found
}

#[test]
fn every_message_the_code_names_is_in_the_catalogue_with_its_arguments() {
    let english = ids(SOURCES[2].1);
    let named = named_in_code();
    assert!(named.len() > 50, "the scan found {} messages", named.len());
    for (file, id, names) in named {
        if id == "no-such-message" {
            continue; // this file's test of an unknown id
        }
        let Some((_, variables)) = english.iter().find(|(known, _)| *known == id) else {
            panic!("{file} names `{id}`, which en.ftl lacks");
        };
        assert_eq!(&names, variables, "{file}: the arguments of `{id}`");
    }
}
