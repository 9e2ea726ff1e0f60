//! Text inspection used by the pre-flight rules: lengths in characters (not bytes),
//! HTML and link detection, shouting, and accent/case folding for keyword matching.

/// Length as Meta counts it: Unicode scalar values, not UTF-8 bytes.
pub fn char_len(text: &str) -> usize {
    text.chars().count()
}

/// True when the text contains something that looks like an HTML tag or entity.
pub fn contains_html(text: &str) -> bool {
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'<' {
            let rest = &text[i + 1..];
            let rest = rest.strip_prefix('/').unwrap_or(rest);
            if rest.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) && rest.contains('>') {
                return true;
            }
        }
        if b == b'&' {
            let rest = &text[i + 1..];
            if let Some(end) = rest.find(';') {
                let entity = &rest[..end];
                if (2..=8).contains(&entity.len())
                    && (entity.chars().all(|c| c.is_ascii_alphanumeric())
                        || entity.starts_with('#'))
                {
                    return true;
                }
            }
        }
    }
    false
}

/// True when the text contains a web address (`http://`, `https://`, `www.`).
pub fn contains_link(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower.contains("http://")
        || lower.contains("https://")
        || lower.split_whitespace().any(|w| w.starts_with("www."))
}

/// True when a text with enough cased letters has no lower-case ones (“SHOUTING”).
/// Scripts without case (Arabic, Devanagari) are never shouting.
pub fn is_all_caps(text: &str) -> bool {
    let mut upper = 0;
    for c in text.chars() {
        if c.is_lowercase() {
            return false;
        }
        if c.is_uppercase() {
            upper += 1;
        }
    }
    upper >= 8
}

/// Lower-cases, strips common Latin diacritics (`Cachaça` → `cachaca`), drops Arabic
/// vowel marks and tatweel, and unifies Arabic letter variants (أ إ آ → ا, ة → ه, ى → ي),
/// so search and keyword checks match however the merchant or customer typed the word.
pub fn fold(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(*c, '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}'))
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'á' | 'à' | 'â' | 'ã' | 'ä' | 'å' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'õ' | 'ö' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            'ñ' => 'n',
            'أ' | 'إ' | 'آ' => 'ا',
            'ة' => 'ه',
            'ى' => 'ي',
            other => other,
        })
        .collect()
}

/// Whole-word (or whole-phrase) match of an already folded keyword in folded text.
pub fn contains_word(folded_text: &str, folded_keyword: &str) -> bool {
    let mut start = 0;
    while let Some(pos) = folded_text[start..].find(folded_keyword) {
        let begin = start + pos;
        let end = begin + folded_keyword.len();
        let before_ok = folded_text[..begin]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let after_ok = folded_text[end..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric());
        if before_ok && after_ok {
            return true;
        }
        start = begin + folded_keyword.len().max(1);
        while !folded_text.is_char_boundary(start) {
            start += 1;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_and_links_are_detected_but_plain_text_is_not() {
        assert!(contains_html("a <b>bold</b> mug"));
        assert!(contains_html("Tom &amp; Jerry"));
        assert!(!contains_html("3 < 5 and 6 > 2"));
        assert!(!contains_html("Salt & pepper"));
        assert!(contains_link("see https://shop.example"));
        assert!(contains_link("visit www.shop.example now"));
        assert!(!contains_link("made with love"));
    }

    #[test]
    fn shouting_needs_cased_letters() {
        assert!(is_all_caps("BEST MUG EVER MADE"));
        assert!(!is_all_caps("Best mug"));
        assert!(!is_all_caps("كوب قهوة جميل جدا"), "Arabic has no case");
        assert!(!is_all_caps("USB-C"), "short acronyms are fine");
    }

    #[test]
    fn keywords_match_whole_words_after_folding() {
        let text = fold("Cachaça artesanal de Minas");
        assert!(contains_word(&text, &fold("cachaca")));
        assert!(!contains_word(&fold("Grapefruit"), "rifle"));
        assert!(!contains_word(&fold("scarf"), "car"));
        assert!(contains_word(&fold("سجائر إلكترونية"), &fold("سجائر")));
        assert_eq!(char_len("ação"), 4);
        assert_eq!(fold("كِتَابٌ"), "كتاب", "Arabic vowel marks are ignored");
        assert_eq!(
            fold("مـكـتـبـة"),
            "مكتبه",
            "tatweel and ta marbuta are normalised"
        );
    }
}
