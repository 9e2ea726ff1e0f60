//! Prefilled order texts: per-language templates with `{title}`, `{sku}`, `{price}` and
//! `{shop}` placeholders (`{{` and `}}` write a literal brace).
//!
//! A template is checked when it is made, so a typo such as `{titel}` is refused when the
//! merchant saves it, not discovered in a customer's chat.

use crate::language::LanguageTag;

/// The placeholders an order template may use.
pub const PLACEHOLDERS: [&str; 4] = ["title", "sku", "price", "shop"];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("the order text is empty")]
    Empty,
    #[error("“{{{0}}}” is not a placeholder; use {{title}}, {{sku}}, {{price}} or {{shop}}")]
    UnknownPlaceholder(String),
    #[error("a “{{” is never closed; write {{{{ for a brace of its own")]
    Unclosed,
    #[error("a “}}” closes nothing; write }}}} for a brace of its own")]
    UnmatchedClose,
}

/// The values of one product for its order text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrderFields<'a> {
    pub title: &'a str,
    pub sku: &'a str,
    /// Already formatted for the customer (`129.90 BRL`).
    pub price: &'a str,
    pub shop: &'a str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Title,
    Sku,
    Price,
    Shop,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Text(String),
    Field(Field),
}

/// A checked order template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderTemplate {
    source: String,
    segments: Vec<Segment>,
}

impl OrderTemplate {
    /// Checks a template; unknown placeholders and stray braces are refused.
    pub fn parse(source: &str) -> Result<Self, TemplateError> {
        if source.trim().is_empty() {
            return Err(TemplateError::Empty);
        }
        let mut segments = Vec::new();
        let mut text = String::new();
        let mut chars = source.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '{' if chars.peek() == Some(&'{') => {
                    chars.next();
                    text.push('{');
                }
                '}' if chars.peek() == Some(&'}') => {
                    chars.next();
                    text.push('}');
                }
                '}' => return Err(TemplateError::UnmatchedClose),
                '{' => {
                    let mut name = String::new();
                    loop {
                        match chars.next() {
                            Some('}') => break,
                            Some('{') | None => return Err(TemplateError::Unclosed),
                            Some(c) => name.push(c),
                        }
                    }
                    let field = match name.trim() {
                        "title" => Field::Title,
                        "sku" => Field::Sku,
                        "price" => Field::Price,
                        "shop" => Field::Shop,
                        _ => return Err(TemplateError::UnknownPlaceholder(name)),
                    };
                    if !text.is_empty() {
                        segments.push(Segment::Text(std::mem::take(&mut text)));
                    }
                    segments.push(Segment::Field(field));
                }
                c => text.push(c),
            }
        }
        if !text.is_empty() {
            segments.push(Segment::Text(text));
        }
        Ok(Self {
            source: source.to_owned(),
            segments,
        })
    }

    /// The built-in template for a language (by its primary subtag; English for languages
    /// without one of their own).
    pub fn default_for(language: &LanguageTag) -> Self {
        let source = match language.language() {
            "pt" => "Olá! Quero pedir {title} ({sku}), {price}.",
            "es" => "¡Hola! Me gustaría pedir {title} ({sku}), {price}.",
            "id" => "Halo! Saya mau pesan {title} ({sku}), {price}.",
            "hi" => "नमस्ते! मुझे {title} ({sku}), {price} ऑर्डर करना है।",
            "ar" => "مرحبًا! أود طلب {title} ({sku})، {price}.",
            _ => "Hello! I'd like to order {title} ({sku}), {price}.",
        };
        Self::parse(source).unwrap_or_else(|e| unreachable!("built-in template: {e}"))
    }

    /// The template as the merchant wrote it.
    pub fn source(&self) -> &str {
        &self.source
    }

    pub fn render(&self, fields: &OrderFields<'_>) -> String {
        self.segments
            .iter()
            .map(|segment| match segment {
                Segment::Text(text) => text.as_str(),
                Segment::Field(Field::Title) => fields.title,
                Segment::Field(Field::Sku) => fields.sku,
                Segment::Field(Field::Price) => fields.price,
                Segment::Field(Field::Shop) => fields.shop,
            })
            .collect()
    }
}

/// The message of a catalog link that has to be a chat link (to carry a ref tag): asks for
/// the catalog, in the customer's language.
pub fn catalog_request_text(language: &LanguageTag) -> &'static str {
    match language.language() {
        "pt" => "Olá! Quero ver o catálogo.",
        "es" => "¡Hola! Me gustaría ver el catálogo.",
        "id" => "Halo! Saya mau lihat katalognya.",
        "hi" => "नमस्ते! मुझे आपका कैटलॉग देखना है।",
        "ar" => "مرحبًا! أود رؤية الكتالوج.",
        _ => "Hello! I'd like to see your catalog.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MUG: OrderFields<'static> = OrderFields {
        title: "Caneca azul",
        sku: "MUG-1",
        price: "39.90 BRL",
        shop: "Loja da Ana",
    };

    fn lang(tag: &str) -> LanguageTag {
        LanguageTag::parse(tag).expect("valid tag")
    }

    #[test]
    fn every_built_in_language_has_an_order_text_with_title_sku_and_price() {
        let expected = [
            (
                "en",
                "Hello! I'd like to order Caneca azul (MUG-1), 39.90 BRL.",
            ),
            ("pt-BR", "Olá! Quero pedir Caneca azul (MUG-1), 39.90 BRL."),
            (
                "es",
                "¡Hola! Me gustaría pedir Caneca azul (MUG-1), 39.90 BRL.",
            ),
            ("id", "Halo! Saya mau pesan Caneca azul (MUG-1), 39.90 BRL."),
            ("hi", "नमस्ते! मुझे Caneca azul (MUG-1), 39.90 BRL ऑर्डर करना है।"),
            ("ar", "مرحبًا! أود طلب Caneca azul (MUG-1)، 39.90 BRL."),
        ];
        for (tag, text) in expected {
            assert_eq!(
                OrderTemplate::default_for(&lang(tag)).render(&MUG),
                text,
                "{tag}"
            );
        }
    }

    #[test]
    fn languages_without_a_template_fall_back_to_english() {
        assert_eq!(
            OrderTemplate::default_for(&lang("sw")),
            OrderTemplate::default_for(&lang("en"))
        );
    }

    #[test]
    fn every_placeholder_is_filled_and_doubled_braces_are_literal() {
        let template =
            OrderTemplate::parse("{shop}: {{ {title} | {sku} | { price } }}").expect("valid");
        assert_eq!(
            template.render(&MUG),
            "Loja da Ana: { Caneca azul | MUG-1 | 39.90 BRL }"
        );
        assert_eq!(
            template.source(),
            "{shop}: {{ {title} | {sku} | { price } }}"
        );
    }

    #[test]
    fn unknown_placeholders_and_stray_braces_are_refused_clearly() {
        let err = OrderTemplate::parse("I want {titel}").expect_err("typo");
        assert_eq!(err, TemplateError::UnknownPlaceholder("titel".to_owned()));
        assert_eq!(
            err.to_string(),
            "“{titel}” is not a placeholder; use {title}, {sku}, {price} or {shop}"
        );
        assert_eq!(
            OrderTemplate::parse("I want {title"),
            Err(TemplateError::Unclosed)
        );
        assert_eq!(
            OrderTemplate::parse("I want title}"),
            Err(TemplateError::UnmatchedClose)
        );
        assert_eq!(OrderTemplate::parse(" \n"), Err(TemplateError::Empty));
    }

    #[test]
    fn the_catalog_request_is_localised() {
        assert_eq!(
            catalog_request_text(&lang("pt-BR")),
            "Olá! Quero ver o catálogo."
        );
        assert_eq!(
            catalog_request_text(&lang("de")),
            "Hello! I'd like to see your catalog."
        );
    }
}
