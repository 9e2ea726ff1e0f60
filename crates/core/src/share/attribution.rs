//! Attribution: which poster, post or flyer brought a customer.
//!
//! A link or QR code carries a short ref tag (`poster-window`) as the last line of its
//! prefilled text, after a blank line: `Ref: poster-window`, the label in the text's
//! language (`المرجع: poster-window`). A plain labelled line reads like an order reference
//! to a customer, WhatsApp shows it as typed, and it survives the customer adding words
//! before or after it. [`parse_ref`] finds it again in the message that arrives.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::language::LanguageTag;

/// Labels [`parse_ref`] recognises, lower-case: every label [`ref_label`] writes, and the
/// words customers or older templates may use instead.
const LABELS: &[&str] = &[
    "ref",
    "reference",
    "referência",
    "referencia",
    "referensi",
    "संदर्भ",
    "المرجع",
    "مرجع",
];

/// Invisible direction and joining marks keyboards and WhatsApp insert around mixed
/// Arabic and Latin text; they are not part of a tag.
const INVISIBLE: &[char] = &[
    '\u{200b}', '\u{200c}', '\u{200d}', '\u{200e}', '\u{200f}', '\u{061c}', '\u{202a}', '\u{202b}',
    '\u{202c}', '\u{202d}', '\u{202e}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}', '\u{feff}',
];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RefError {
    #[error("“{0}”: a ref tag is 2 to 40 characters")]
    Length(String),
    #[error("“{0}”: a ref tag uses lower-case letters a–z, digits and dashes, like poster-window")]
    Characters(String),
    #[error("“{0}”: a ref tag starts and ends with a letter or a digit")]
    Ends(String),
}

/// A channel tag: 2–40 characters of `a–z`, `0–9` and `-`, starting and ending with a
/// letter or digit (`poster-window`, `instagram-bio`, `flyer-2026-12`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RefTag(String);

impl RefTag {
    pub fn parse(text: &str) -> Result<Self, RefError> {
        let tag = text.trim();
        if !(2..=40).contains(&tag.chars().count()) {
            return Err(RefError::Length(tag.to_owned()));
        }
        if !tag
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            return Err(RefError::Characters(tag.to_owned()));
        }
        if tag.starts_with('-') || tag.ends_with('-') {
            return Err(RefError::Ends(tag.to_owned()));
        }
        Ok(Self(tag.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RefTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for RefTag {
    type Error = RefError;
    fn try_from(text: String) -> Result<Self, RefError> {
        Self::parse(&text)
    }
}

impl From<RefTag> for String {
    fn from(tag: RefTag) -> Self {
        tag.0
    }
}

/// The label of the ref line in a language: `Ref` where customers read Latin script.
pub fn ref_label(language: &LanguageTag) -> &'static str {
    match language.language() {
        "hi" => "संदर्भ",
        "ar" => "المرجع",
        _ => "Ref",
    }
}

/// `text` with the ref line appended after a blank line (just the ref line if `text` is
/// blank).
pub fn with_ref(text: &str, tag: &RefTag, language: &LanguageTag) -> String {
    let line = format!("{}: {tag}", ref_label(language));
    let body = text.trim_end();
    if body.trim().is_empty() {
        line
    } else {
        format!("{body}\n\n{line}")
    }
}

/// The ref tag of an incoming message: the last `<label>: <tag>` in it, whatever the case,
/// the spacing, the language of the label, or the text around it. `None` if there is no
/// such line or its tag is not a valid tag.
pub fn parse_ref(message: &str) -> Option<RefTag> {
    let text: String = message
        .chars()
        .filter(|c| !INVISIBLE.contains(c))
        .collect::<String>()
        .to_lowercase();
    LABELS
        .iter()
        .flat_map(|label| text.match_indices(label))
        .filter_map(|(at, label)| {
            let starts_word = text[..at]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
            let tag = starts_word.then(|| tag_after_label(&text[at + label.len()..]))??;
            Some((at, tag))
        })
        .max_by_key(|(at, _)| *at)
        .map(|(_, tag)| tag)
}

/// The tag in `rest`, the text right after a label: `.`? spaces `:` spaces `#`? tag.
fn tag_after_label(rest: &str) -> Option<RefTag> {
    let rest = rest.strip_prefix('.').unwrap_or(rest).trim_start();
    let rest = rest
        .strip_prefix(':')
        .or_else(|| rest.strip_prefix('：'))?
        .trim_start();
    let rest = rest.strip_prefix('#').unwrap_or(rest);
    let end = rest
        .find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'))
        .unwrap_or(rest.len());
    RefTag::parse(rest[..end].trim_end_matches('-')).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::share::{OrderFields, OrderTemplate};

    fn tag(text: &str) -> RefTag {
        RefTag::parse(text).expect("valid tag")
    }

    fn lang(text: &str) -> LanguageTag {
        LanguageTag::parse(text).expect("valid language")
    }

    #[test]
    fn tags_are_short_lower_case_words_with_dashes() {
        for ok in [
            "poster-window",
            "instagram-bio",
            "flyer-2026-12",
            "a1",
            &"x".repeat(40),
        ] {
            assert!(RefTag::parse(ok).is_ok(), "{ok} is a tag");
        }
        assert!(matches!(RefTag::parse("x"), Err(RefError::Length(_))));
        assert!(matches!(
            RefTag::parse(&"x".repeat(41)),
            Err(RefError::Length(_))
        ));
        assert!(matches!(
            RefTag::parse("Poster"),
            Err(RefError::Characters(_))
        ));
        assert!(matches!(
            RefTag::parse("poster window"),
            Err(RefError::Characters(_))
        ));
        assert!(matches!(
            RefTag::parse("pôster"),
            Err(RefError::Characters(_))
        ));
        assert!(matches!(RefTag::parse("-poster"), Err(RefError::Ends(_))));
    }

    #[test]
    fn the_ref_is_the_last_line_with_a_label_in_the_texts_language() {
        assert_eq!(
            with_ref("Hello!\n", &tag("poster-window"), &lang("en")),
            "Hello!\n\nRef: poster-window"
        );
        assert_eq!(
            with_ref("مرحبًا!", &tag("poster-window"), &lang("ar")),
            "مرحبًا!\n\nالمرجع: poster-window"
        );
        assert_eq!(
            with_ref("", &tag("flyer-2026-12"), &lang("hi")),
            "संदर्भ: flyer-2026-12"
        );
    }

    #[test]
    fn a_ref_survives_the_trip_through_an_order_text_in_every_language() {
        let fields = OrderFields {
            title: "Vestido",
            sku: "VD-1",
            price: "89.90 BRL",
            shop: "Loja",
        };
        for language in ["en", "pt-BR", "es", "id", "hi", "ar"] {
            let language = lang(language);
            let text = OrderTemplate::default_for(&language).render(&fields);
            for channel in ["poster-window", "instagram-bio", "flyer-2026-12"] {
                let message = with_ref(&text, &tag(channel), &language);
                assert_eq!(parse_ref(&message), Some(tag(channel)), "{message}");
            }
        }
    }

    #[test]
    fn the_parser_tolerates_what_customers_and_phones_do_to_the_text() {
        let cases = [
            "Hi, is this still available?\n\nRef: poster-window\nAlso do you deliver?",
            "  REF :  Poster-Window  ",
            "ref: poster-window.",
            "Ref.: #poster-window",
            "Olá!\nReferência: poster-window\nobrigado",
            "Halo kak\nReferensi: poster-window",
            "مرحبًا\n\u{200f}المرجع: \u{2066}poster-window\u{2069}",
            "مرجع:poster-window شكرا",
            "नमस्ते\nसंदर्भ: poster-window",
            "Ref: poster-window please deliver tomorrow",
        ];
        for message in cases {
            assert_eq!(
                parse_ref(message),
                Some(tag("poster-window")),
                "{message:?}"
            );
        }
    }

    #[test]
    fn the_last_ref_wins_and_messages_without_one_have_none() {
        assert_eq!(
            parse_ref("Ref: old-poster\nsome text\nRef: instagram-bio"),
            Some(tag("instagram-bio"))
        );
        for message in [
            "Hello, I want the blue one",
            "My preference: blue-ones",
            "Ref: x",
            "Ref poster-window",
            "",
        ] {
            assert_eq!(parse_ref(message), None, "{message:?}");
        }
    }
}
