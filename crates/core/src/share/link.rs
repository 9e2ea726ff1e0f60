//! `wa.me` links: the catalog, click-to-chat with a prefilled text, and one product.

use serde::{Deserialize, Serialize};

use super::number::WaNumber;

const WA_ME: &str = "https://wa.me";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    #[error("“{0}” is not a Meta product id (Meta ids are digits, like 7212345678901234)")]
    BadMetaId(String),
}

/// What a link opens on the customer's phone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum LinkKind {
    /// The shop's catalog in WhatsApp (`wa.me/c/<digits>`).
    Catalog,
    /// A chat with the shop, the message box prefilled (`wa.me/<digits>?text=…`).
    Chat,
    /// One synced product in WhatsApp (`wa.me/p/<meta id>/<digits>`).
    Product,
}

/// A link with what it opens and the text it prefills, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareLink {
    pub url: String,
    pub kind: LinkKind,
    /// The prefilled message of a chat link, unencoded.
    pub text: Option<String>,
}

/// Meta's own id of a catalog item (not the SKU): digits only.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MetaProductId(String);

impl MetaProductId {
    pub fn parse(text: &str) -> Result<Self, LinkError> {
        let id = text.trim();
        if (1..=32).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(id.to_owned()))
        } else {
            Err(LinkError::BadMetaId(text.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// `https://wa.me/c/<digits>`: opens the shop's catalog.
pub fn catalog_link(number: &WaNumber) -> ShareLink {
    ShareLink {
        url: format!("{WA_ME}/c/{number}"),
        kind: LinkKind::Catalog,
        text: None,
    }
}

/// `https://wa.me/<digits>?text=<encoded>`: opens a chat with `text` in the message box;
/// an empty (or blank) text gives the bare `https://wa.me/<digits>`.
pub fn chat_link(number: &WaNumber, text: &str) -> ShareLink {
    if text.trim().is_empty() {
        return ShareLink {
            url: format!("{WA_ME}/{number}"),
            kind: LinkKind::Chat,
            text: None,
        };
    }
    ShareLink {
        url: format!("{WA_ME}/{number}?text={}", percent_encode(text)),
        kind: LinkKind::Chat,
        text: Some(text.to_owned()),
    }
}

/// The product's own link `https://wa.me/p/<meta id>/<digits>` when Meta's id is known,
/// otherwise a chat link prefilled with `order_text` (the product's order message).
pub fn product_link(
    number: &WaNumber,
    meta_id: Option<&MetaProductId>,
    order_text: &str,
) -> ShareLink {
    match meta_id {
        Some(id) => ShareLink {
            url: format!("{WA_ME}/p/{}/{number}", id.as_str()),
            kind: LinkKind::Product,
            text: None,
        },
        None => chat_link(number, order_text),
    }
}

/// RFC 3986 percent-encoding of UTF-8: every byte except the unreserved set
/// (`A–Z a–z 0–9 - . _ ~`) becomes `%XX` (upper-case hex). Spaces are `%20`, never `+`:
/// WhatsApp shows a `+` literally.
pub fn percent_encode(text: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(text.len() * 3);
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shop() -> WaNumber {
        WaNumber::parse("+55 11 98765-4321", None).expect("valid")
    }

    #[test]
    fn the_catalog_link_is_wa_me_c_and_the_digits() {
        let link = catalog_link(&shop());
        assert_eq!(link.url, "https://wa.me/c/5511987654321");
        assert_eq!(link.kind, LinkKind::Catalog);
    }

    #[test]
    fn chat_text_is_percent_encoded_with_spaces_as_percent_20_and_newlines_as_percent_0a() {
        let link = chat_link(&shop(), "Hi! 2 x A&B = 50%?\nThanks #1 (ok) +more ~_.-");
        assert_eq!(
            link.url,
            "https://wa.me/5511987654321?text=Hi%21%202%20x%20A%26B%20%3D%2050%25%3F%0AThanks%20%231%20%28ok%29%20%2Bmore%20~_.-"
        );
        assert_eq!(link.kind, LinkKind::Chat);
    }

    #[test]
    fn arabic_and_emoji_are_encoded_as_utf8_bytes() {
        assert_eq!(percent_encode("مرحبا"), "%D9%85%D8%B1%D8%AD%D8%A8%D8%A7");
        assert_eq!(percent_encode("👍🏽"), "%F0%9F%91%8D%F0%9F%8F%BD");
        assert_eq!(
            percent_encode("नमस्ते"),
            "%E0%A4%A8%E0%A4%AE%E0%A4%B8%E0%A5%8D%E0%A4%A4%E0%A5%87"
        );
        assert_eq!(percent_encode("r\u{e9}sum\u{e9}"), "r%C3%A9sum%C3%A9");
    }

    #[test]
    fn a_blank_text_gives_the_bare_chat_link() {
        assert_eq!(chat_link(&shop(), "  ").url, "https://wa.me/5511987654321");
    }

    #[test]
    fn a_synced_product_links_to_its_meta_item_else_to_a_prefilled_chat() {
        let id = MetaProductId::parse("7212345678901234").expect("digits");
        let synced = product_link(&shop(), Some(&id), "Hello! I'd like to order Mug (MUG-1).");
        assert_eq!(synced.url, "https://wa.me/p/7212345678901234/5511987654321");
        assert_eq!(synced.kind, LinkKind::Product);
        let unsynced = product_link(&shop(), None, "Hello! I'd like to order Mug (MUG-1).");
        assert_eq!(
            unsynced.kind,
            LinkKind::Chat,
            "no Meta id: a chat about the product"
        );
        assert!(unsynced
            .url
            .ends_with("?text=Hello%21%20I%27d%20like%20to%20order%20Mug%20%28MUG-1%29."));
    }

    #[test]
    fn meta_ids_are_digits_only() {
        assert!(
            MetaProductId::parse("MUG-1").is_err(),
            "a SKU is not a Meta id"
        );
        assert!(MetaProductId::parse("").is_err());
        assert!(MetaProductId::parse("123/456").is_err());
    }
}
