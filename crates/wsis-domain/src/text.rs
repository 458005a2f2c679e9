//! Text that people see as a name: what may not be in it. Control characters (NUL, which PostgreSQL cannot store;
//! line breaks and escapes, which forge headers and lines in mail and logs) and the bidirectional formatting
//! characters that reorder what follows them (an organisation shown as `gpj.exe` can be `exe.jpg` underneath: the
//! "Trojan Source" trick). Letters of every script, and the bidi marks LRM/RLM/ALM that Arabic names may need, are
//! fine.

/// Bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069).
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The first character of `text` that may not be in a name, if any.
pub fn forbidden_in_name(text: &str) -> Option<char> {
    text.chars().find(|&c| c.is_control() || is_bidi_control(c))
}

/// `text` with every character that may not be in a name removed (for names stored before the rule).
pub fn plain_name(text: &str) -> String {
    text.chars()
        .filter(|&c| !(c.is_control() || is_bidi_control(c)))
        .collect()
}

/// How a forbidden character is named in an error message: `U+0000`.
pub fn describe(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_refuse_controls_and_bidi_overrides_but_keep_every_script() {
        for ok in [
            "Amina Diallo",
            "منظمة المجتمع المدني",
            "数字权利",
            "Société \u{200F}X",
            "Ёлка",
        ] {
            assert_eq!(forbidden_in_name(ok), None, "{ok}");
        }
        for (bad, c) in [
            ("a\0b", '\0'),
            ("line\nbreak", '\n'),
            ("tab\t", '\t'),
            ("evil\u{202E}gpj.exe", '\u{202E}'),
            ("\u{2066}x", '\u{2066}'),
            ("del\u{7f}", '\u{7f}'),
        ] {
            assert_eq!(forbidden_in_name(bad), Some(c), "{bad:?}");
        }
        assert_eq!(plain_name("Ev\u{202E}il\r\nBcc: x"), "EvilBcc: x");
        assert_eq!(describe('\0'), "U+0000");
        assert_eq!(describe('\u{202E}'), "U+202E");
    }
}
