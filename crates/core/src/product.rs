//! Products as the merchant edits them. Field vocabulary follows Meta's `items_batch`
//! names (SKU = retailer id, title, description, link…) so sync maps one to one.
//!
//! Structural invariants (a valid SKU, a sale price in the product's currency, at most one
//! translation per language) are enforced here; Meta's publishing rules live in
//! [`crate::preflight`] because a merchant may save a draft that is not yet publishable.

use std::fmt;

use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::collection::CollectionId;
use crate::language::LanguageTag;
use crate::money::Money;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValidationError {
    #[error("the SKU is empty; give each product a short unique code like MUG-01")]
    EmptySku,
    #[error("the SKU “{0}” is longer than 100 characters, Meta's limit for product ids")]
    SkuTooLong(String),
    #[error(
        "the SKU “{0}” contains a line break, tab or other control character; keep it on one line"
    )]
    SkuCharacters(String),
    #[error(
        "“{0}” is not a barcode (GTIN): it needs 8, 12, 13 or 14 digits with a valid check digit"
    )]
    BadGtin(String),
    #[error("the title is empty")]
    EmptyTitle,
    #[error("the price cannot be negative")]
    NegativePrice,
    #[error("the sale price is in {sale} but the price is in {price}; use one currency")]
    SaleCurrency { price: String, sale: String },
    #[error("the sale ends before it starts")]
    SaleWindowReversed,
    #[error("“{0}” is not a content hash")]
    BadHash(String),
    #[error("there are two {0} translations; keep one per language")]
    DuplicateTranslation(String),
    #[error("“{0}” is not a product id")]
    BadProductId(String),
    #[error("“{0}” is not a valid {1}")]
    BadEnum(String, &'static str),
    #[error(
        "the sale window “{0}” is not in the form 2025-11-01T12:00-03:00/2025-12-01T00:00-03:00"
    )]
    BadSaleWindow(String),
    #[error("a variant attribute needs both a name and a value")]
    EmptyVariantAttribute,
}

/// Stable identity of a product in this catalog (a UUID), independent of its SKU.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ProductId(Uuid);

impl ProductId {
    pub fn new_random() -> Self {
        Self(Uuid::new_v4())
    }
    pub fn from_uuid(uuid: Uuid) -> Self {
        Self(uuid)
    }
    pub fn parse(text: &str) -> Result<Self, ValidationError> {
        Uuid::parse_str(text.trim())
            .map(Self)
            .map_err(|_| ValidationError::BadProductId(text.to_owned()))
    }
    pub fn as_uuid(&self) -> Uuid {
        self.0
    }
}

impl fmt::Display for ProductId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// The merchant's product code, sent to Meta as the retailer id (`id` in `items_batch`).
/// Meta's rule: 1–100 characters once trimmed; unique in the catalog. Real catalogs use
/// spaces, `#`, `:`, `;`, `/` and non-Latin letters (`14:193#Sliver 2hapa;200007763`), so only
/// control characters are refused; where a SKU becomes a file name or a URL it is encoded there.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Sku(String);

pub const SKU_MAX_CHARS: usize = 100;

impl Sku {
    pub fn parse(input: &str) -> Result<Self, ValidationError> {
        let text = input.trim();
        if text.is_empty() {
            return Err(ValidationError::EmptySku);
        }
        if text.chars().count() > SKU_MAX_CHARS {
            return Err(ValidationError::SkuTooLong(text.to_owned()));
        }
        if text.chars().any(char::is_control) {
            return Err(ValidationError::SkuCharacters(text.to_owned()));
        }
        Ok(Self(text.to_owned()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Sku {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Sku {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Self::parse(&String::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

/// A product's barcode as Meta's `gtin`: 8, 12, 13 or 14 digits (EAN-8, UPC-A, EAN-13,
/// GTIN-14) whose last digit is the GS1 check digit of the others.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Gtin(String);

impl Gtin {
    pub fn parse(input: &str) -> Result<Self, ValidationError> {
        let text = input.trim();
        let bad = || ValidationError::BadGtin(text.to_owned());
        if !matches!(text.len(), 8 | 12 | 13 | 14) || !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let digits: Vec<u32> = text.bytes().map(|b| u32::from(b - b'0')).collect();
        let (body, check) = digits.split_at(digits.len() - 1);
        // GS1: from the right, digits are weighted 3, 1, 3, 1…
        let sum: u32 = body
            .iter()
            .rev()
            .enumerate()
            .map(|(i, d)| if i % 2 == 0 { d * 3 } else { *d })
            .sum();
        if (10 - sum % 10) % 10 != check[0] {
            return Err(bad());
        }
        Ok(Self(text.to_owned()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Gtin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Gtin {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Self::parse(&String::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

/// SHA-256 of an image file's bytes, 64 lower-case hex digits; the file's name on disk.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct ContentHash(String);

impl ContentHash {
    pub fn parse(text: &str) -> Result<Self, ValidationError> {
        if text.len() == 64
            && text
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            Ok(Self(text.to_owned()))
        } else {
            Err(ValidationError::BadHash(text.to_owned()))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ContentHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for ContentHash {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Self::parse(&String::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ImageFormat {
    Jpeg,
    Png,
}

impl ImageFormat {
    pub fn mime(&self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
        }
    }
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Jpeg => "jpeg",
            Self::Png => "png",
        }
    }
    pub fn parse(text: &str) -> Result<Self, ValidationError> {
        match text {
            "jpeg" => Ok(Self::Jpeg),
            "png" => Ok(Self::Png),
            other => Err(ValidationError::BadEnum(other.to_owned(), "image format")),
        }
    }
}

/// One stored catalog image of a product, as it will be sent to Meta.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProductImage {
    pub hash: ContentHash,
    pub width: u32,
    pub height: u32,
    /// (Products put in the trash before names were camelCase spell it `byte_len`.)
    #[serde(alias = "byte_len")]
    pub byte_len: u64,
    pub format: ImageFormat,
}

macro_rules! meta_enum {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name { $(#[serde(rename = $text)] $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// Meta's wire value (US English).
            pub fn as_meta(&self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
            /// Accepts Meta's value, case-insensitively, with `_` for spaces.
            pub fn parse(text: &str) -> Result<Self, ValidationError> {
                let wanted = text.trim().to_ascii_lowercase().replace('_', " ");
                $(if wanted == $text { return Ok($name::$variant); })+
                Err(ValidationError::BadEnum(text.to_owned(), $what))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(self.as_meta()) }
        }
    };
}

meta_enum!(
    /// Whether a customer can order the product now.
    Availability, "availability (in stock, out of stock, available for order, discontinued)" {
        InStock => "in stock",
        OutOfStock => "out of stock",
        AvailableForOrder => "available for order",
        Discontinued => "discontinued",
    }
);

meta_enum!(
    #[cfg_attr(feature = "specta", derive(specta::Type))]
    Condition, "condition (new, refurbished, used)" {
        New => "new",
        Refurbished => "refurbished",
        Used => "used",
    }
);

/// When a sale price applies; both ends carry the merchant's UTC offset, as Meta expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaleWindow {
    pub start: DateTime<FixedOffset>,
    pub end: DateTime<FixedOffset>,
}

impl SaleWindow {
    pub fn new(
        start: DateTime<FixedOffset>,
        end: DateTime<FixedOffset>,
    ) -> Result<Self, ValidationError> {
        if end <= start {
            return Err(ValidationError::SaleWindowReversed);
        }
        Ok(Self { start, end })
    }

    /// Meta's `sale_price_effective_date`: `2025-11-01T12:00-03:00/2025-12-01T00:00-03:00`.
    pub fn to_meta_string(&self) -> String {
        format!(
            "{}/{}",
            self.start.format("%Y-%m-%dT%H:%M%:z"),
            self.end.format("%Y-%m-%dT%H:%M%:z")
        )
    }

    /// Parses Meta's form (offsets as `-03:00` or `-0300`, seconds optional).
    pub fn parse_meta(text: &str) -> Result<Self, ValidationError> {
        let bad = || ValidationError::BadSaleWindow(text.to_owned());
        let (a, b) = text.trim().split_once('/').ok_or_else(bad)?;
        let parse_one = |s: &str| -> Result<DateTime<FixedOffset>, ValidationError> {
            let s = s.trim();
            for fmt in [
                "%Y-%m-%dT%H:%M%:z",
                "%Y-%m-%dT%H:%M%z",
                "%Y-%m-%dT%H:%M:%S%:z",
                "%Y-%m-%dT%H:%M:%S%z",
            ] {
                if let Ok(dt) = DateTime::parse_from_str(s, fmt) {
                    return Ok(dt);
                }
            }
            Err(bad())
        };
        Self::new(parse_one(a)?, parse_one(b)?)
    }

    pub fn contains(&self, instant: DateTime<Utc>) -> bool {
        instant >= self.start && instant < self.end
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SalePrice {
    pub price: Money,
    pub window: Option<SaleWindow>,
}

/// One axis a variant differs on (`Size: M`, `Color: Blue`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VariantAttribute {
    pub name: String,
    pub value: String,
}

/// Membership of a product in a group of variants (Meta's `item_group_id`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VariantGroup {
    #[serde(alias = "group_id")]
    pub group_id: String,
    pub attributes: Vec<VariantAttribute>,
}

/// Title and description in one more language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Translation {
    pub language: LanguageTag,
    pub title: String,
    pub description: String,
}

/// Everything a merchant edits about a product; validated by [`ProductDraft::validate`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductDraft {
    pub sku: Sku,
    pub title: String,
    pub description: String,
    /// Empty means "use the shop's default brand".
    pub brand: String,
    pub price: Money,
    pub sale: Option<SalePrice>,
    pub availability: Availability,
    pub condition: Condition,
    /// Units in stock; `None` when the merchant does not track stock.
    pub stock: Option<u32>,
    pub link: Option<String>,
    pub collections: Vec<CollectionId>,
    pub variant: Option<VariantGroup>,
    pub translations: Vec<Translation>,
    /// The barcode, sent to Meta as `gtin`.
    #[serde(default)]
    pub gtin: Option<Gtin>,
    /// False for a draft the merchant keeps to themselves (a Shopify draft, an archived
    /// product): it stays out of the sync (removed from Meta if it was there), the feed and
    /// the storefront.
    #[serde(default = "published_by_default")]
    pub published: bool,
}

fn published_by_default() -> bool {
    true
}

impl ProductDraft {
    /// A draft with sensible defaults: new, in stock, no extras.
    pub fn new(sku: Sku, title: impl Into<String>, price: Money) -> Self {
        Self {
            sku,
            title: title.into(),
            description: String::new(),
            brand: String::new(),
            price,
            sale: None,
            availability: Availability::InStock,
            condition: Condition::New,
            stock: None,
            link: None,
            collections: Vec::new(),
            variant: None,
            translations: Vec::new(),
            gtin: None,
            published: true,
        }
    }

    /// Checks the structural invariants every stored product keeps.
    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.title.trim().is_empty() {
            return Err(ValidationError::EmptyTitle);
        }
        if self.price.is_negative() {
            return Err(ValidationError::NegativePrice);
        }
        if let Some(sale) = &self.sale {
            if sale.price.currency() != self.price.currency() {
                return Err(ValidationError::SaleCurrency {
                    price: self.price.currency().code().to_owned(),
                    sale: sale.price.currency().code().to_owned(),
                });
            }
            if sale.price.is_negative() {
                return Err(ValidationError::NegativePrice);
            }
        }
        if let Some(variant) = &self.variant {
            if variant
                .attributes
                .iter()
                .any(|a| a.name.trim().is_empty() || a.value.trim().is_empty())
            {
                return Err(ValidationError::EmptyVariantAttribute);
            }
        }
        let mut seen = std::collections::HashSet::new();
        for t in &self.translations {
            if !seen.insert(t.language.clone()) {
                return Err(ValidationError::DuplicateTranslation(
                    t.language.to_string(),
                ));
            }
        }
        Ok(())
    }
}

/// A stored product: its draft fields plus identity, images and timestamps.
///
/// Serialised with camelCase names (the CLI's JSON, the trash); the snake_case names products
/// were put in the trash with before are still read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Product {
    pub id: ProductId,
    pub draft: ProductDraft,
    /// In display order; the first is the main image (`image_link`).
    pub images: Vec<ProductImage>,
    #[serde(alias = "created_at")]
    pub created_at: DateTime<Utc>,
    #[serde(alias = "updated_at")]
    pub updated_at: DateTime<Utc>,
}

impl Product {
    /// The sale price in force at `now`, if any.
    pub fn effective_sale(&self, now: DateTime<Utc>) -> Option<&Money> {
        let sale = self.draft.sale.as_ref()?;
        match &sale.window {
            Some(window) if !window.contains(now) => None,
            _ => Some(&sale.price),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Currency;

    fn brl(minor: i64) -> Money {
        Money::from_minor(minor, Currency::from_code("BRL").expect("BRL"))
    }

    #[test]
    fn skus_follow_metas_retailer_id_rules() {
        assert!(Sku::parse("MUG-01").is_ok());
        assert_eq!(
            Sku::parse("  MUG-01 ").map(|s| s.to_string()),
            Ok("MUG-01".to_owned()),
            "trimmed"
        );
        assert_eq!(Sku::parse(""), Err(ValidationError::EmptySku));
        assert!(matches!(
            Sku::parse(&"x".repeat(101)),
            Err(ValidationError::SkuTooLong(_))
        ));
        assert!(
            Sku::parse(&"ب".repeat(100)).is_ok(),
            "100 characters, not bytes"
        );
        for real in [
            "14:193#Sliver 2hapa;200007763:201336100",
            "CAM/AZ M",
            "ساعة-01",
        ] {
            assert_eq!(
                Sku::parse(real).map(|s| s.to_string()),
                Ok(real.to_owned()),
                "a SKU from a real catalog is kept as written"
            );
        }
        assert!(matches!(
            Sku::parse("MUG\n01"),
            Err(ValidationError::SkuCharacters(_))
        ));
    }

    #[test]
    fn barcodes_need_a_valid_gs1_check_digit() {
        for valid in [
            "4006381333931",
            "036000291452",
            "96385074",
            "10012345678902",
        ] {
            assert!(Gtin::parse(valid).is_ok(), "{valid} is a real GTIN");
        }
        for invalid in ["4006381333932", "3.65275E+11", "12345", "ABC1234567890", ""] {
            assert!(
                matches!(Gtin::parse(invalid), Err(ValidationError::BadGtin(_))),
                "{invalid} is not a GTIN"
            );
        }
    }

    #[test]
    fn enums_read_metas_wire_values() {
        assert_eq!(Availability::parse("In Stock"), Ok(Availability::InStock));
        assert_eq!(
            Availability::parse("out_of_stock"),
            Ok(Availability::OutOfStock)
        );
        assert_eq!(Availability::InStock.as_meta(), "in stock");
        assert!(Condition::parse("mint").is_err());
    }

    #[test]
    fn sale_windows_format_like_meta_and_parse_back() {
        let w = SaleWindow::parse_meta("2025-11-01T12:00-0300/2025-12-01T00:00-03:00")
            .expect("valid window");
        assert_eq!(
            w.to_meta_string(),
            "2025-11-01T12:00-03:00/2025-12-01T00:00-03:00"
        );
        assert!(
            SaleWindow::parse_meta("2025-12-01T00:00-03:00/2025-11-01T00:00-03:00").is_err(),
            "reversed"
        );
        assert!(SaleWindow::parse_meta("tomorrow").is_err());
    }

    #[test]
    fn a_sale_in_another_currency_is_refused() {
        let mut draft = ProductDraft::new(Sku::parse("A").expect("sku"), "Mug", brl(1000));
        draft.sale = Some(SalePrice {
            price: Money::from_minor(500, Currency::from_code("USD").expect("USD")),
            window: None,
        });
        assert!(matches!(
            draft.validate(),
            Err(ValidationError::SaleCurrency { .. })
        ));
    }

    #[test]
    fn a_sale_applies_only_inside_its_window() {
        let mut draft = ProductDraft::new(Sku::parse("A").expect("sku"), "Mug", brl(1000));
        let window = SaleWindow::parse_meta("2025-11-01T00:00+00:00/2025-11-02T00:00+00:00")
            .expect("window");
        draft.sale = Some(SalePrice {
            price: brl(800),
            window: Some(window),
        });
        let now = chrono::DateTime::from_timestamp(1_700_000_000, 0).expect("fixed instant");
        let product = Product {
            id: ProductId::new_random(),
            draft,
            images: vec![],
            created_at: now,
            updated_at: now,
        };
        let inside = DateTime::parse_from_rfc3339("2025-11-01T10:00:00Z")
            .expect("date")
            .with_timezone(&Utc);
        let after = DateTime::parse_from_rfc3339("2025-11-03T10:00:00Z")
            .expect("date")
            .with_timezone(&Utc);
        assert_eq!(product.effective_sale(inside).map(Money::minor), Some(800));
        assert_eq!(product.effective_sale(after), None);
    }

    #[test]
    fn hashes_must_be_sha256_hex() {
        assert!(ContentHash::parse(&"a".repeat(64)).is_ok());
        assert!(
            ContentHash::parse("../../etc/passwd").is_err(),
            "never a path"
        );
        assert!(
            ContentHash::parse(&"A".repeat(64)).is_err(),
            "lower-case only"
        );
    }

    #[test]
    fn a_product_is_written_in_camel_case_and_read_back_from_the_old_snake_case_names() {
        let mut draft = ProductDraft::new(Sku::parse("SHIRT-M").expect("sku"), "Camisa", brl(8000));
        draft.variant = Some(VariantGroup {
            group_id: "SHIRT".into(),
            attributes: vec![],
        });
        let now = chrono::DateTime::from_timestamp(1_700_000_000, 0).expect("fixed instant");
        let product = Product {
            id: ProductId::new_random(),
            draft,
            images: vec![ProductImage {
                hash: ContentHash::parse(&"a".repeat(64)).expect("hash"),
                width: 800,
                height: 600,
                byte_len: 51_200,
                format: ImageFormat::Jpeg,
            }],
            created_at: now,
            updated_at: now,
        };
        let json = serde_json::to_string(&product).expect("json");
        for name in ["createdAt", "updatedAt", "byteLen", "groupId"] {
            assert!(json.contains(&format!("\"{name}\"")), "{name} in {json}");
        }
        // What the trash holds for products removed before the names changed.
        let old = json
            .replace("createdAt", "created_at")
            .replace("updatedAt", "updated_at")
            .replace("byteLen", "byte_len")
            .replace("groupId", "group_id");
        let read: Product = serde_json::from_str(&old).expect("old names still read");
        assert_eq!(read, product);
    }
}
