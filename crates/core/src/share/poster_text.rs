//! The built-in words of a window poster in each language Vitrine ships: a headline and a call
//! to action for what the QR code opens (the catalog, a chat, one product). The merchant may
//! replace the headline; these are what a poster says when they do not.

use crate::language::LanguageTag;

/// What the poster's QR code opens, as far as its wording is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PosterSubject {
    Catalog,
    Chat,
    Product,
}

/// A poster's headline and call to action in one language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PosterWords {
    pub headline: &'static str,
    pub call_to_action: &'static str,
}

/// The built-in words for `subject` in `language` (by its primary subtag; English for
/// languages without their own).
pub fn poster_words(language: &LanguageTag, subject: PosterSubject) -> PosterWords {
    use PosterSubject::{Catalog, Chat, Product};
    let (headline, call_to_action) = match (language.language(), subject) {
        ("pt", Catalog) => (
            "Veja nosso catálogo no WhatsApp",
            "Aponte a câmera do celular para o código",
        ),
        ("pt", Chat) => (
            "Peça pelo WhatsApp",
            "Aponte a câmera do celular para o código",
        ),
        ("pt", Product) => (
            "Peça este produto pelo WhatsApp",
            "Aponte a câmera do celular para o código",
        ),
        ("es", Catalog) => (
            "Mira nuestro catálogo en WhatsApp",
            "Escanea el código con la cámara del móvil",
        ),
        ("es", Chat) => (
            "Pide por WhatsApp",
            "Escanea el código con la cámara del móvil",
        ),
        ("es", Product) => (
            "Pide este producto por WhatsApp",
            "Escanea el código con la cámara del móvil",
        ),
        ("id", Catalog) => (
            "Lihat katalog kami di WhatsApp",
            "Pindai kode dengan kamera ponsel",
        ),
        ("id", Chat) => ("Pesan lewat WhatsApp", "Pindai kode dengan kamera ponsel"),
        ("id", Product) => (
            "Pesan produk ini lewat WhatsApp",
            "Pindai kode dengan kamera ponsel",
        ),
        ("hi", Catalog) => ("हमारा कैटलॉग WhatsApp पर देखें", "फ़ोन के कैमरे से कोड स्कैन करें"),
        ("hi", Chat) => ("WhatsApp पर ऑर्डर करें", "फ़ोन के कैमरे से कोड स्कैन करें"),
        ("hi", Product) => ("यह उत्पाद WhatsApp पर ऑर्डर करें", "फ़ोन के कैमरे से कोड स्कैन करें"),
        ("ar", Catalog) => ("تصفح كتالوجنا على واتساب", "امسح الرمز بكاميرا هاتفك"),
        ("ar", Chat) => ("اطلب عبر واتساب", "امسح الرمز بكاميرا هاتفك"),
        ("ar", Product) => ("اطلب هذا المنتج عبر واتساب", "امسح الرمز بكاميرا هاتفك"),
        (_, Catalog) => (
            "See our catalog on WhatsApp",
            "Scan the code with your phone camera",
        ),
        (_, Chat) => ("Order on WhatsApp", "Scan the code with your phone camera"),
        (_, Product) => (
            "Order this on WhatsApp",
            "Scan the code with your phone camera",
        ),
    };
    PosterWords {
        headline,
        call_to_action,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_language_has_its_own_words_for_every_subject() {
        let english = LanguageTag::parse("en").expect("valid tag");
        for code in ["pt-BR", "es", "id", "hi", "ar"] {
            let language = LanguageTag::parse(code).expect("valid tag");
            for subject in [
                PosterSubject::Catalog,
                PosterSubject::Chat,
                PosterSubject::Product,
            ] {
                let words = poster_words(&language, subject);
                assert_ne!(
                    words,
                    poster_words(&english, subject),
                    "{code} posters are not printed in English"
                );
                assert!(!words.headline.is_empty() && !words.call_to_action.is_empty());
            }
        }
    }

    #[test]
    fn a_language_without_words_of_its_own_gets_english() {
        let french = LanguageTag::parse("fr").expect("valid tag");
        assert_eq!(
            poster_words(&french, PosterSubject::Catalog).headline,
            "See our catalog on WhatsApp"
        );
    }
}
