//! Text folding for multilingual search, applied alike to what is indexed and to what is asked, on both database
//! backends (SQLite has no Arabic stemmer, so the application folds for both).
//!
//! - Latin, Cyrillic and others: Unicode decomposition (NFD), combining marks removed, lower case (`é` → `e`).
//! - Arabic, after Apache Lucene's `ArabicNormalizer`: harakat (tashkeel) and tatweel removed; alef with hamza or
//!   madda → bare alef (`أ إ آ ٱ` → `ا`); alef maksura → yeh (`ى` → `ي`); teh marbuta → heh (`ة` → `ه`).
//! - Chinese (and Japanese kana): no spaces between words, so each ideograph becomes a term of its own; a query's
//!   run of ideographs matches the same run in the text.

use std::str::FromStr;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::forms::Violation;
use crate::reference::{ParseError, code_enum};

code_enum!(
    /// The orders of the repository's lists.
    SortOrder, "sort order" {
        /// Best match first (needs a search).
        Relevance => "relevance",
        /// Newest first.
        Newest => "newest",
        /// By title, folded.
        Title => "title",
    }
);

impl FromStr for SortOrder {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse_exact(s)
    }
}

impl SortOrder {
    /// The order of a list: the one asked for, else best match first when searching and newest first when not.
    /// Relevance ranks the matches of a search, so without one it is refused (`needs_q`, at `sort`).
    pub fn choose(requested: Option<Self>, searching: bool) -> Result<Self, Violation> {
        match requested {
            None if searching => Ok(Self::Relevance),
            None => Ok(Self::Newest),
            Some(Self::Relevance) if !searching => Err(Violation::new(
                "sort",
                "needs_q",
                crate::said!("field-needs-q"),
            )),
            Some(order) => Ok(order),
        }
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // Hiragana, Katakana
        | 0x3400..=0x4DBF    // CJK Extension A
        | 0x4E00..=0x9FFF    // CJK Unified Ideographs
        | 0xF900..=0xFAFF    // CJK Compatibility Ideographs
        | 0x20000..=0x2FA1F) // Extensions B–F and supplements
}

/// Folds text for matching: see the module documentation.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.nfd() {
        if is_combining_mark(c) || c == '\u{0640}' {
            continue; // accents, harakat, hamza marks, tatweel
        }
        let c = match c {
            '\u{0671}' => '\u{0627}', // alef wasla → alef (the others decompose to alef + a mark)
            '\u{0649}' => '\u{064A}', // alef maksura → yeh
            '\u{0629}' => '\u{0647}', // teh marbuta → heh
            other => other,
        };
        if is_cjk(c) {
            out.push(' ');
            out.push(c);
            out.push(' ');
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// The folded terms of a text: runs of letters and digits.
pub fn terms(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The folded form a text is stored in for matching: its terms separated by single spaces, with a space at each
/// end, so that a query's terms match whole terms (`" term "`) and runs of ideographs match in order.
pub fn document(text: &str) -> String {
    let terms = terms(text);
    if terms.is_empty() {
        String::new()
    } else {
        format!(" {} ", terms.join(" "))
    }
}

/// The phrases a query needs its document to contain, all of them: each word is a phrase of one term, each run of
/// ideographs a phrase of consecutive terms (`["信", "息"]`). Sorted and without duplicates. The persistence crate
/// renders them in each index's syntax (FTS5 phrases, PostgreSQL `tsquery` with `<->`).
pub fn query_phrases(query: &str) -> Vec<Vec<String>> {
    let mut phrases = Vec::new();
    let mut run: Vec<String> = Vec::new();
    for chunk in query.split_whitespace() {
        for term in terms(chunk) {
            if term.chars().count() == 1 && term.chars().all(is_cjk) {
                run.push(term);
            } else {
                if !run.is_empty() {
                    phrases.push(std::mem::take(&mut run));
                }
                phrases.push(vec![term]);
            }
        }
        if !run.is_empty() {
            phrases.push(std::mem::take(&mut run));
        }
    }
    phrases.sort();
    phrases.dedup();
    phrases
}

/// The key titles sort by (`sort=title`): folded (case, diacritics, Arabic letter forms), spaces collapsed.
pub fn sort_key(title: &str) -> String {
    terms(title).join(" ")
}

/// A passage of `text` around the first place a query term occurs, at most `max_words` words, each matching word
/// wrapped in `<mark>…</mark>` (the rest escaped for HTML). `None` when nothing matches.
pub fn snippet(text: &str, query: &str, max_words: usize) -> Option<String> {
    let wanted: Vec<String> = terms(query);
    if wanted.is_empty() {
        return None;
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let hit = |word: &str| {
        let folded = terms(word);
        !folded.is_empty() && folded.iter().any(|t| wanted.contains(t))
    };
    let first = words.iter().position(|w| hit(w))?;
    let start = first.saturating_sub(max_words / 3);
    let end = (start + max_words).min(words.len());
    let escape = |w: &str| {
        w.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let mut parts: Vec<String> = words[start..end]
        .iter()
        .map(|w| {
            if hit(w) {
                format!("<mark>{}</mark>", escape(w))
            } else {
                escape(w)
            }
        })
        .collect();
    if start > 0 {
        parts.insert(0, "…".into());
    }
    if end < words.len() {
        parts.push("…".into());
    }
    Some(parts.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn matches(text: &str, query: &str) -> bool {
        let doc = document(text);
        let phrases = query_phrases(query);
        !phrases.is_empty()
            && phrases
                .iter()
                .all(|p| doc.contains(&format!(" {} ", p.join(" "))))
    }

    #[test]
    fn arabic_is_folded_as_lucene_does() {
        // With and without tashkeel, tatweel, and the alef, yeh and teh marbuta variants.
        assert_eq!(fold("المَعْلُومَات"), "المعلومات");
        assert_eq!(fold("المعـــلومات"), "المعلومات");
        assert_eq!(fold("أحمد إسلام آمال ٱلكتاب"), "احمد اسلام امال الكتاب");
        assert_eq!(fold("مستشفى مدرسة"), "مستشفي مدرسه");
        assert!(matches("القمة العالمية لمجتمع المعلومات", "المَعْلُومَات"));
        assert!(matches("إدارة المكتبة الرقمية", "اداره"));
        assert!(matches("مستشفى الأطفال", "مستشفي"));
        assert!(!matches("القمة العالمية", "المعلومات"));
    }

    #[test]
    fn latin_diacritics_and_case_fold() {
        assert!(matches(
            "Société de l'information à Genève",
            "societe geneve"
        ));
        assert!(
            !matches("Formación en línea para niñas", "FORMACION nina"),
            "whole words only"
        );
        assert!(matches("Formación en línea para niñas", "formacion ninas"));
        assert!(matches("Цифровая грамотность", "ЦИФРОВАЯ"));
        assert!(matches("e-learning hubs", "learning"));
    }

    #[test]
    fn chinese_is_searchable_without_spaces() {
        assert_eq!(document("信息社会"), " 信 息 社 会 ");
        assert!(matches("信息社会世界峰会的数字图书馆项目", "数字图书馆"));
        assert!(matches("信息社会世界峰会的数字图书馆项目", "图书馆 峰会"));
        assert!(!matches("信息社会世界峰会", "图书馆"));
        assert!(
            !matches("数图书字馆", "数字图书馆"),
            "a run matches in order"
        );
        assert!(matches("2025年WSIS数字项目", "wsis"));
    }

    #[test]
    fn snippets_mark_the_original_words() {
        let text = "Solar-powered learning centres with offline content in Wolof and French for rural schools.";
        assert_eq!(
            snippet(text, "offline FRENCH", 8).unwrap(),
            "… centres with <mark>offline</mark> content in Wolof and <mark>French</mark> …"
        );
        assert_eq!(
            snippet("<b>École</b> numérique", "ecole", 5).unwrap(),
            "<mark>&lt;b&gt;École&lt;/b&gt;</mark> numérique"
        );
        assert_eq!(snippet(text, "nothing", 8), None);
    }

    proptest! {
        #[test]
        fn folding_is_idempotent(text in "\\PC{0,60}") {
            prop_assert_eq!(terms(&fold(&text)), terms(&text));
            prop_assert_eq!(document(&document(&text)), document(&text));
        }

        #[test]
        fn every_word_of_a_text_finds_it(words in proptest::collection::vec("[a-zA-Zéèàçñöü]{1,10}", 1..20), pick in 0usize..20) {
            let text = words.join(" ");
            let word = &words[pick % words.len()];
            prop_assert!(matches(&text, word));
        }
    }

    #[test]
    fn relevance_orders_a_search_only() {
        assert_eq!(SortOrder::choose(None, true), Ok(SortOrder::Relevance));
        assert_eq!(SortOrder::choose(None, false), Ok(SortOrder::Newest));
        assert_eq!(
            SortOrder::choose(Some(SortOrder::Title), true),
            Ok(SortOrder::Title)
        );
        assert_eq!(
            SortOrder::choose(Some(SortOrder::Newest), false),
            Ok(SortOrder::Newest)
        );
        assert_eq!(
            SortOrder::choose(Some(SortOrder::Relevance), true),
            Ok(SortOrder::Relevance)
        );
        let refused = SortOrder::choose(Some(SortOrder::Relevance), false).unwrap_err();
        assert_eq!(
            (refused.field.as_str(), refused.code.as_str()),
            ("sort", "needs_q")
        );
    }
}
