//! The shapes that cross IPC, in camelCase. Each is converted from (or into) its `vitrine-app`
//! type by exhaustive destructuring (no `..`), so a new field forces a decision here.
//!
//! Money crosses as an exact decimal string plus an ISO 4217 code (`"1234.50"`, `"BRL"`), and
//! its integer minor units; never as a float. Counts and ids that are 64-bit in the domain
//! cross as `u32` (saturating where a count, refused where an id), so TypeScript sees
//! `number`, never `bigint`. Timestamps are RFC 3339 strings in UTC.

use serde::{Deserialize, Deserializer, Serialize};
use specta::Type;
use vitrine_app as app;
use vitrine_app::core as domain;

pub(crate) fn saturating_u32(n: impl TryInto<u32>) -> u32 {
    n.try_into().unwrap_or(u32::MAX)
}

/// A patch field that can be left alone (absent), cleared (`null`) or set (a value).
fn patch_option<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(deserializer).map(Some)
}

// ---- catalog list ------------------------------------------------------------------------

/// What to list: a full-text search (or everything), filters, and a page window.
#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ProductQuery {
    pub search: Option<String>,
    /// A collection id or name.
    pub collection: Option<String>,
    pub availability: Option<Availability>,
    /// Only products with blocking errors, or with any finding.
    pub problems: Option<ProblemFilter>,
    /// Page size; 0 means 50.
    pub limit: u32,
    pub offset: u32,
}

impl From<ProductQuery> for app::ProductQuery {
    fn from(query: ProductQuery) -> Self {
        let ProductQuery {
            search,
            collection,
            availability,
            problems,
            limit,
            offset,
        } = query;
        Self {
            search,
            collection,
            availability: availability.map(domain::Availability::from),
            problems: problems.map(app::ProblemFilter::from),
            limit,
            offset,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum ProblemFilter {
    /// At least one finding that blocks a sync.
    Errors,
    /// Any error or warning.
    Any,
}

impl From<ProblemFilter> for app::ProblemFilter {
    fn from(filter: ProblemFilter) -> Self {
        match filter {
            ProblemFilter::Errors => Self::Errors,
            ProblemFilter::Any => Self::Any,
        }
    }
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ProductPage {
    pub items: Vec<ProductSummary>,
    /// All products matching the query, not just this page.
    pub total: u32,
}

impl From<app::ProductPage> for ProductPage {
    fn from(page: app::ProductPage) -> Self {
        let app::ProductPage { items, total } = page;
        Self {
            items: items.into_iter().map(ProductSummary::from).collect(),
            total: saturating_u32(total),
        }
    }
}

/// One row of the catalog list.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ProductSummary {
    pub id: String,
    pub sku: String,
    pub title: String,
    pub price: Money,
    pub sale_price: Option<Money>,
    pub availability: Availability,
    /// `None`: stock is not tracked for this product.
    pub stock: Option<u32>,
    /// Content hash of the main photo; its thumbnail loads from the `vitrine-img` scheme.
    pub thumbnail: Option<String>,
    pub image_count: u32,
    /// Meta pre-flight findings that block a sync.
    pub errors: u32,
    /// Meta pre-flight findings worth a look.
    pub warnings: u32,
    /// RFC 3339, UTC.
    pub updated_at: String,
    /// Against the WhatsApp catalog; `null` until a Meta catalog is connected.
    pub sync: Option<crate::sync_dto::SyncBadge>,
    /// False for a draft (kept out of WhatsApp, the feed and the storefront).
    pub published: bool,
}

impl From<app::ProductSummary> for ProductSummary {
    fn from(summary: app::ProductSummary) -> Self {
        let app::ProductSummary {
            id,
            sku,
            title,
            price,
            sale_price,
            availability,
            stock,
            thumbnail,
            image_count,
            errors,
            warnings,
            updated_at,
            sync,
            published,
        } = summary;
        Self {
            id: id.to_string(),
            sku,
            title,
            price: price.into(),
            sale_price: sale_price.map(Money::from),
            availability: availability.into(),
            stock,
            thumbnail: thumbnail.map(|hash| hash.as_str().to_owned()),
            image_count,
            errors,
            warnings,
            updated_at: updated_at.to_rfc3339(),
            sync: sync.map(crate::sync_dto::SyncBadge::from),
            published,
        }
    }
}

// ---- values ------------------------------------------------------------------------------

/// An exact amount in a currency: `{ amount: "1234.50", minor: 123450, currency: "BRL" }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Money {
    /// The decimal string with the currency's number of decimals; what inputs show.
    pub amount: String,
    /// Integer minor units (cents). A `number` in TypeScript: prices stay far below 2^53,
    /// where a JS number is exact (the `i32` is only how it is declared to specta).
    #[specta(type = i32)]
    pub minor: i64,
    /// ISO 4217.
    pub currency: String,
}

impl From<domain::Money> for Money {
    fn from(money: domain::Money) -> Self {
        Self {
            amount: money.to_decimal_string(),
            minor: money.minor(),
            currency: money.currency().code().to_owned(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum Availability {
    InStock,
    OutOfStock,
    AvailableForOrder,
    Discontinued,
}

impl From<domain::Availability> for Availability {
    fn from(availability: domain::Availability) -> Self {
        match availability {
            domain::Availability::InStock => Self::InStock,
            domain::Availability::OutOfStock => Self::OutOfStock,
            domain::Availability::AvailableForOrder => Self::AvailableForOrder,
            domain::Availability::Discontinued => Self::Discontinued,
        }
    }
}

impl From<Availability> for domain::Availability {
    fn from(availability: Availability) -> Self {
        match availability {
            Availability::InStock => Self::InStock,
            Availability::OutOfStock => Self::OutOfStock,
            Availability::AvailableForOrder => Self::AvailableForOrder,
            Availability::Discontinued => Self::Discontinued,
        }
    }
}

// ---- one product -------------------------------------------------------------------------

/// A product with everything the editor shows: every field, its photos, its collections and
/// Meta's pre-flight findings.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ProductView {
    pub id: String,
    pub sku: String,
    pub title: String,
    pub description: String,
    /// Empty: the shop's default brand applies.
    pub brand: String,
    pub price: Money,
    pub sale_price: Option<Money>,
    /// Meta's `sale_price_effective_date`: `2025-11-01T12:00-03:00/2025-12-01T00:00-03:00`.
    pub sale_window: Option<String>,
    pub availability: Availability,
    pub condition: domain::Condition,
    pub stock: Option<u32>,
    pub link: Option<String>,
    pub collections: Vec<Collection>,
    pub variant: Option<Variant>,
    pub translations: Vec<Translation>,
    /// The barcode (GTIN), sent to Meta.
    pub gtin: Option<String>,
    /// False for a draft kept out of WhatsApp, the feed and the storefront.
    pub published: bool,
    /// In order; the first is the main photo.
    pub images: Vec<Image>,
    pub findings: Vec<Finding>,
    pub created_at: String,
    pub updated_at: String,
}

impl From<app::ProductView> for ProductView {
    fn from(view: app::ProductView) -> Self {
        let app::ProductView {
            product,
            collections,
            findings,
        } = view;
        let domain::Product {
            id,
            draft,
            images,
            created_at,
            updated_at,
        } = product;
        let domain::ProductDraft {
            sku,
            title,
            description,
            brand,
            price,
            sale,
            availability,
            condition,
            stock,
            link,
            // Resolved to names through `collections` above.
            collections: _,
            variant,
            translations,
            gtin,
            published,
        } = draft;
        let (sale_price, sale_window) = match sale {
            Some(domain::SalePrice { price, window }) => {
                (Some(Money::from(price)), window.map(|w| w.to_meta_string()))
            }
            None => (None, None),
        };
        Self {
            id: id.to_string(),
            sku: sku.to_string(),
            title,
            description,
            brand,
            price: price.into(),
            sale_price,
            sale_window,
            availability: availability.into(),
            condition,
            stock,
            link,
            collections: collections.into_iter().map(Collection::from).collect(),
            variant: variant.map(Variant::from),
            translations: translations.into_iter().map(Translation::from).collect(),
            gtin: gtin.map(|g| g.to_string()),
            published,
            images: images.into_iter().map(Image::from).collect(),
            findings: findings.into_iter().map(Finding::from).collect(),
            created_at: created_at.to_rfc3339(),
            updated_at: updated_at.to_rfc3339(),
        }
    }
}

/// A stored catalog photo; it loads from `vitrine-img://localhost/<hash>`.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Image {
    pub hash: String,
    pub width: u32,
    pub height: u32,
    pub bytes: u32,
}

impl From<domain::ProductImage> for Image {
    fn from(image: domain::ProductImage) -> Self {
        let domain::ProductImage {
            hash,
            width,
            height,
            byte_len,
            // Always JPEG once stored; the scheme sends the right content type.
            format: _,
        } = image;
        Self {
            hash: hash.as_str().to_owned(),
            width,
            height,
            bytes: saturating_u32(byte_len),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Variant {
    /// The code shared by the sibling variants (Meta's `item_group_id`).
    pub group_id: String,
    /// Up to 4 attributes: `{ name: "size", value: "M" }`.
    pub attributes: Vec<VariantAttribute>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct VariantAttribute {
    pub name: String,
    pub value: String,
}

impl From<domain::VariantGroup> for Variant {
    fn from(group: domain::VariantGroup) -> Self {
        let domain::VariantGroup {
            group_id,
            attributes,
        } = group;
        Self {
            group_id,
            attributes: attributes
                .into_iter()
                .map(|domain::VariantAttribute { name, value }| VariantAttribute { name, value })
                .collect(),
        }
    }
}

impl From<Variant> for app::VariantInput {
    fn from(variant: Variant) -> Self {
        let Variant {
            group_id,
            attributes,
        } = variant;
        Self {
            group_id,
            attributes: attributes
                .into_iter()
                .map(|VariantAttribute { name, value }| (name, value))
                .collect(),
        }
    }
}

/// The title and description in one more language (BCP 47: `ar`, `pt-BR`).
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Translation {
    pub language: String,
    pub title: String,
    pub description: String,
}

impl From<domain::Translation> for Translation {
    fn from(translation: domain::Translation) -> Self {
        let domain::Translation {
            language,
            title,
            description,
        } = translation;
        Self {
            language: language.as_str().to_owned(),
            title,
            description,
        }
    }
}

impl From<Translation> for app::TranslationInput {
    fn from(translation: Translation) -> Self {
        let Translation {
            language,
            title,
            description,
        } = translation;
        Self {
            language,
            title,
            description,
        }
    }
}

/// One of Meta's pre-flight findings, shown next to the field it concerns.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    /// Stable rule id (`title_too_long`, `image_missing`, …).
    pub rule: String,
    pub severity: domain::preflight::Severity,
    pub field: domain::preflight::FindingField,
    /// What is wrong and how to fix it, in English (the UI may translate by `rule`).
    pub message: String,
}

impl From<domain::Finding> for Finding {
    fn from(finding: domain::Finding) -> Self {
        let domain::Finding {
            rule,
            severity,
            field,
            message,
        } = finding;
        Self {
            rule: rule.as_str(),
            severity,
            field,
            message,
        }
    }
}

/// The pre-flight result of one product, for the whole-catalog check.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ProductCheck {
    pub id: String,
    pub sku: String,
    pub title: String,
    pub findings: Vec<Finding>,
}

impl From<app::ProductCheck> for ProductCheck {
    fn from(check: app::ProductCheck) -> Self {
        let app::ProductCheck {
            id,
            sku,
            title,
            findings,
        } = check;
        Self {
            id: id.to_string(),
            sku,
            title,
            findings: findings.into_iter().map(Finding::from).collect(),
        }
    }
}

/// The photos of a product after adding, removing or reordering them.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ProductImages {
    pub id: String,
    /// In order; the first is the main photo.
    pub images: Vec<Image>,
    /// Photos new to the product (0 when every photo given was already there).
    pub added: u32,
}

impl From<app::ImagesAdded> for ProductImages {
    fn from(added: app::ImagesAdded) -> Self {
        let app::ImagesAdded { product, added } = added;
        let Self {
            id,
            images,
            added: _,
        } = product.into();
        Self {
            id,
            images,
            added: saturating_u32(added),
        }
    }
}

impl From<domain::Product> for ProductImages {
    fn from(product: domain::Product) -> Self {
        let domain::Product {
            id,
            // The image commands change photos only; the editor keeps the rest.
            draft: _,
            images,
            created_at: _,
            updated_at: _,
        } = product;
        Self {
            id: id.to_string(),
            images: images.into_iter().map(Image::from).collect(),
            added: 0,
        }
    }
}

// ---- product input -----------------------------------------------------------------------

/// A product as the editor's form holds it. Prices are decimal strings in the currency's
/// units (`"149.90"`); an empty `currency` means the shop's.
#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct NewProduct {
    pub sku: String,
    pub title: String,
    pub description: String,
    pub brand: String,
    pub price: String,
    pub currency: Option<String>,
    pub sale_price: Option<String>,
    /// Meta's form: `2025-11-01T12:00-03:00/2025-12-01T00:00-03:00`.
    pub sale_window: Option<String>,
    pub availability: Option<Availability>,
    pub condition: Option<domain::Condition>,
    pub stock: Option<u32>,
    pub link: Option<String>,
    /// Collection names; new names create the collection.
    pub collections: Vec<String>,
    pub variant: Option<Variant>,
    pub translations: Vec<Translation>,
    /// The barcode: 8, 12, 13 or 14 digits; empty for none.
    #[serde(default)]
    #[specta(optional)]
    pub gtin: Option<String>,
    /// Absent publishes the product.
    #[serde(default)]
    #[specta(optional)]
    pub published: Option<bool>,
}

impl From<NewProduct> for app::NewProduct {
    fn from(input: NewProduct) -> Self {
        let NewProduct {
            sku,
            title,
            description,
            brand,
            price,
            currency,
            sale_price,
            sale_window,
            availability,
            condition,
            stock,
            link,
            collections,
            variant,
            translations,
            gtin,
            published,
        } = input;
        Self {
            sku,
            title,
            description,
            brand,
            price,
            currency,
            sale_price,
            sale_window,
            availability: availability.map(domain::Availability::from),
            condition,
            stock,
            link,
            collections,
            variant: variant.map(app::VariantInput::from),
            translations: translations
                .into_iter()
                .map(app::TranslationInput::from)
                .collect(),
            gtin,
            published,
        }
    }
}

/// Changes to a product: a missing field stays as it is. For `salePrice`, `saleWindow` and
/// `link` an empty string clears; for `stock` and `variant`, `null` clears.
#[derive(Debug, Clone, Default, Deserialize, Type)]
#[serde(rename_all = "camelCase", default)]
pub struct ProductPatch {
    #[specta(optional)]
    pub sku: Option<String>,
    #[specta(optional)]
    pub title: Option<String>,
    #[specta(optional)]
    pub description: Option<String>,
    #[specta(optional)]
    pub brand: Option<String>,
    #[specta(optional)]
    pub price: Option<String>,
    #[specta(optional)]
    pub currency: Option<String>,
    #[specta(optional)]
    pub sale_price: Option<String>,
    #[specta(optional)]
    pub sale_window: Option<String>,
    #[specta(optional)]
    pub availability: Option<Availability>,
    #[specta(optional)]
    pub condition: Option<domain::Condition>,
    #[serde(deserialize_with = "patch_option")]
    #[specta(optional, type = Option<u32>)]
    pub stock: Option<Option<u32>>,
    #[specta(optional)]
    pub link: Option<String>,
    #[specta(optional)]
    pub collections: Option<Vec<String>>,
    #[serde(deserialize_with = "patch_option")]
    #[specta(optional, type = Option<Variant>)]
    pub variant: Option<Option<Variant>>,
    #[specta(optional)]
    pub translations: Option<Vec<Translation>>,
    /// An empty string clears the barcode.
    #[specta(optional)]
    pub gtin: Option<String>,
    #[specta(optional)]
    pub published: Option<bool>,
}

impl From<ProductPatch> for app::ProductPatch {
    fn from(patch: ProductPatch) -> Self {
        let ProductPatch {
            sku,
            title,
            description,
            brand,
            price,
            currency,
            sale_price,
            sale_window,
            availability,
            condition,
            stock,
            link,
            collections,
            variant,
            translations,
            gtin,
            published,
        } = patch;
        Self {
            sku,
            title,
            description,
            brand,
            price,
            currency,
            sale_price,
            sale_window,
            availability: availability.map(domain::Availability::from),
            condition,
            stock,
            link,
            collections,
            variant: variant.map(|v| v.map(app::VariantInput::from)),
            translations: translations
                .map(|ts| ts.into_iter().map(app::TranslationInput::from).collect()),
            gtin,
            published,
        }
    }
}

// ---- bulk --------------------------------------------------------------------------------

/// One change applied to every selected product.
#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase", tag = "kind", content = "value")]
pub enum BulkChange {
    SetAvailability(Availability),
    /// A collection name; created if new.
    AddToCollection(String),
    RemoveFromCollection(String),
    /// Leaves every other collection.
    MoveToCollection(String),
    AdjustPrice(PriceAdjustment),
}

/// `percent`: `"10"`, `"-15"`, `"12.5"`; `amount`: a decimal in each product's currency.
#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase", tag = "kind", content = "value")]
pub enum PriceAdjustment {
    Percent(String),
    Amount(String),
}

impl From<BulkChange> for app::BulkChange {
    fn from(change: BulkChange) -> Self {
        match change {
            BulkChange::SetAvailability(a) => Self::SetAvailability(a.into()),
            BulkChange::AddToCollection(name) => Self::AddToCollection(name),
            BulkChange::RemoveFromCollection(name) => Self::RemoveFromCollection(name),
            BulkChange::MoveToCollection(name) => Self::MoveToCollection(name),
            BulkChange::AdjustPrice(PriceAdjustment::Percent(p)) => {
                Self::AdjustPrice(app::PriceAdjustment::Percent(p))
            }
            BulkChange::AdjustPrice(PriceAdjustment::Amount(a)) => {
                Self::AdjustPrice(app::PriceAdjustment::Amount(a))
            }
        }
    }
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct BulkReport {
    /// Products that actually changed (already-matching ones are left alone).
    pub changed: u32,
}

impl From<app::BulkReport> for BulkReport {
    fn from(report: app::BulkReport) -> Self {
        let app::BulkReport { changed } = report;
        Self {
            changed: saturating_u32(changed),
        }
    }
}

/// Deleted products, restorable with `undoRemoval(batch)` for 10 minutes.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RemovedBatch {
    pub batch: BatchId,
    /// Ids of the removed products.
    pub removed: Vec<String>,
}

impl From<app::RemovedBatch> for RemovedBatch {
    fn from(removed: app::RemovedBatch) -> Self {
        let app::RemovedBatch { batch, removed } = removed;
        Self {
            batch: BatchId(batch),
            removed: removed.iter().map(ToString::to_string).collect(),
        }
    }
}

/// A deletion that can be undone. (A number in TypeScript: batch numbers count deletions.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(transparent)]
pub struct BatchId(#[specta(type = i32)] pub i64);

/// What an undo brought back.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Restored {
    /// Ids of the restored products.
    pub restored: Vec<String>,
}

impl From<Vec<domain::Product>> for Restored {
    fn from(products: Vec<domain::Product>) -> Self {
        Self {
            restored: products.iter().map(|p| p.id.to_string()).collect(),
        }
    }
}

// ---- collections -------------------------------------------------------------------------

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Collection {
    pub id: String,
    pub name: String,
}

impl From<domain::Collection> for Collection {
    fn from(collection: domain::Collection) -> Self {
        let domain::Collection {
            id,
            name,
            // Collections come in display order already.
            position: _,
        } = collection;
        Self {
            id: id.to_string(),
            name,
        }
    }
}

/// A collection in the sidebar, with how many products it holds.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CollectionSummary {
    pub id: String,
    pub name: String,
    pub products: u32,
}

impl From<(domain::Collection, u64)> for CollectionSummary {
    fn from((collection, products): (domain::Collection, u64)) -> Self {
        let Collection { id, name } = collection.into();
        Self {
            id,
            name,
            products: saturating_u32(products),
        }
    }
}

// ---- shop --------------------------------------------------------------------------------

/// The shop's settings, as the settings view and the window header show them.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Shop {
    pub name: String,
    pub phone: Option<Phone>,
    /// ISO 4217; new products are priced in it.
    pub currency: String,
    /// Decimals of `currency` (2 for BRL, 0 for JPY, 3 for KWD), for price inputs.
    pub currency_decimals: u8,
    /// BCP 47 tags, the main language first.
    pub languages: Vec<String>,
    /// Writing direction of the main language.
    pub direction: domain::Direction,
    /// The brand a product without one is sent with.
    pub brand: String,
    /// Content hash of the logo, served like product photos.
    pub logo: Option<String>,
}

/// A validated WhatsApp number.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Phone {
    /// `+5511987654321`
    pub e164: String,
    /// `+55 11 98765-4321`: for display.
    pub international: String,
}

impl From<domain::Shop> for Shop {
    fn from(shop: domain::Shop) -> Self {
        let domain::Shop {
            name,
            phone,
            currency,
            languages,
            brand,
            logo,
        } = shop;
        Self {
            name,
            phone: phone.map(|p| Phone {
                e164: p.e164().to_owned(),
                international: p.international(),
            }),
            currency: currency.code().to_owned(),
            currency_decimals: currency.exponent(),
            direction: languages
                .first()
                .map_or(domain::Direction::Ltr, |tag| tag.direction()),
            languages: languages
                .iter()
                .map(|tag| tag.as_str().to_owned())
                .collect(),
            brand,
            logo: logo.map(|hash| hash.as_str().to_owned()),
        }
    }
}

/// Changes to the shop's settings: a missing field stays as it is.
#[derive(Debug, Clone, Default, Deserialize, Type)]
#[serde(rename_all = "camelCase", default)]
pub struct ShopUpdate {
    #[specta(optional)]
    pub name: Option<String>,
    /// As typed; empty removes the number.
    #[specta(optional)]
    pub phone: Option<String>,
    /// ISO 3166 alpha-2 (`BR`) to read a number typed without `+country`.
    #[specta(optional)]
    pub phone_region: Option<String>,
    #[specta(optional)]
    pub currency: Option<String>,
    #[specta(optional)]
    pub languages: Option<Vec<String>>,
    #[specta(optional)]
    pub brand: Option<String>,
    /// A picture file (from the native dialog) to use as the logo.
    #[specta(optional)]
    pub logo: Option<String>,
}

impl From<ShopUpdate> for app::ShopUpdate {
    fn from(update: ShopUpdate) -> Self {
        let ShopUpdate {
            name,
            phone,
            phone_region,
            currency,
            languages,
            brand,
            logo,
        } = update;
        Self {
            name,
            phone,
            phone_region,
            currency,
            languages,
            brand,
            logo: logo.map(Into::into),
        }
    }
}

// ---- import, export, backup --------------------------------------------------------------

/// Rows (or photos) handled so far, sent through the command's progress channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ImportProgress {
    pub done: u32,
    pub total: u32,
}

impl From<app::ImportProgress> for ImportProgress {
    fn from(progress: app::ImportProgress) -> Self {
        let app::ImportProgress { done, total } = progress;
        Self {
            done: saturating_u32(done),
            total: saturating_u32(total),
        }
    }
}

/// How to read and import a file: the preview's choices over detection (`null` lets the
/// file decide), and whether duplicate SKUs get new ones.
#[derive(Debug, Clone, Default, Deserialize, Type)]
#[serde(rename_all = "camelCase", default)]
pub struct ImportChoices {
    pub encoding: Option<app::TextEncoding>,
    pub delimiter: Option<app::Delimiter>,
    /// ISO 4217 code for prices the file gives no currency for.
    pub currency: Option<String>,
    pub dedupe_skus: bool,
}

/// A product file on this computer, or the `https` link of one published on the web.
#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum ImportFile {
    #[serde(rename_all = "camelCase")]
    Path { path: String },
    #[serde(rename_all = "camelCase")]
    Url { url: String },
}

impl From<ImportFile> for app::ImportFile {
    fn from(file: ImportFile) -> Self {
        match file {
            ImportFile::Path { path } => Self::Path(path.into()),
            ImportFile::Url { url } => Self::Url(url),
        }
    }
}

impl ImportChoices {
    pub fn options(&self) -> app::ImportOptions {
        app::ImportOptions {
            choices: self.read_choices(),
            dedupe_skus: self.dedupe_skus,
            ..app::ImportOptions::default()
        }
    }

    pub fn read_choices(&self) -> app::ReadChoices {
        let Self {
            encoding,
            delimiter,
            currency,
            dedupe_skus: _,
        } = self;
        app::ReadChoices {
            encoding: *encoding,
            delimiter: *delimiter,
            currency: currency.clone(),
        }
    }
}

/// How a file's text was read.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FileReading {
    pub encoding: app::TextEncoding,
    /// Nothing in the file said its encoding: ask.
    pub encoding_guessed: bool,
    /// `null` for an XML feed.
    pub delimiter: Option<app::Delimiter>,
    pub decimal_comma: bool,
    /// Prices carry their currency; otherwise the chosen (or the shop's) one applies.
    pub currency_in_file: bool,
}

impl From<app::FileReading> for FileReading {
    fn from(reading: app::FileReading) -> Self {
        let app::FileReading {
            encoding,
            encoding_guessed,
            delimiter,
            decimal_comma,
            currency_in_file,
        } = reading;
        Self {
            encoding,
            encoding_guessed,
            delimiter,
            decimal_comma,
            currency_in_file,
        }
    }
}

/// Something about a row worth telling, though it was read.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum RowNote {
    /// No SKU in the file: this one was made from the handle and options.
    #[serde(rename_all = "camelCase")]
    SkuGenerated { sku: String },
    /// A draft, archived, private or hidden product: imported as not published.
    #[serde(rename_all = "camelCase")]
    NotPublished { status: String },
    /// Not a GTIN, not stored; `mangled` when a spreadsheet made it `3.65275E+11`.
    #[serde(rename_all = "camelCase")]
    BarcodeIgnored { value: String, mangled: bool },
    /// A SKU seen before in the file, given a new one.
    #[serde(rename_all = "camelCase")]
    SkuRenamed { original: String, first_line: u32 },
}

impl From<app::RowNote> for RowNote {
    fn from(note: app::RowNote) -> Self {
        match note {
            app::RowNote::SkuGenerated { sku } => Self::SkuGenerated { sku },
            app::RowNote::NotPublished { status } => Self::NotPublished { status },
            app::RowNote::BarcodeIgnored { value, mangled } => {
                Self::BarcodeIgnored { value, mangled }
            }
            app::RowNote::SkuRenamed {
                original,
                first_line,
            } => Self::SkuRenamed {
                original,
                first_line: saturating_u32(first_line),
            },
        }
    }
}

/// What became of a row.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum RowResult {
    Created,
    Updated,
    Unchanged,
    #[serde(rename_all = "camelCase")]
    Skipped {
        reason: String,
    },
    /// A row grouping others became a collection of `members` products.
    #[serde(rename_all = "camelCase")]
    Collection {
        name: String,
        members: u32,
    },
}

impl From<app::RowResult> for RowResult {
    fn from(result: app::RowResult) -> Self {
        match result {
            app::RowResult::Created => Self::Created,
            app::RowResult::Updated => Self::Updated,
            app::RowResult::Unchanged => Self::Unchanged,
            app::RowResult::Skipped { reason } => Self::Skipped { reason },
            app::RowResult::Collection { name, members } => Self::Collection {
                name,
                members: saturating_u32(members as u64),
            },
        }
    }
}

/// A photo of an imported row that could not be downloaded yet; it is fetched later.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PendingPhotoReport {
    pub line: u32,
    pub sku: String,
    pub url: String,
    /// Why it did not arrive, for the merchant.
    pub reason: String,
}

/// What a retry of the waiting photos did.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PhotoRetryReport {
    pub fetched: u32,
    /// Photos still waiting, each with its latest reason.
    pub still_pending: Vec<PendingPhotoView>,
    pub cancelled: bool,
}

/// A photo waiting to be downloaded.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PendingPhotoView {
    pub sku: String,
    /// Its place among the product's photos (0 = main photo).
    pub position: u32,
    pub url: String,
    pub reason: String,
    pub attempts: u32,
    pub last_tried: String,
}

impl From<app::PhotoRetryReport> for PhotoRetryReport {
    fn from(report: app::PhotoRetryReport) -> Self {
        let app::PhotoRetryReport {
            fetched,
            still_pending,
            cancelled,
        } = report;
        Self {
            fetched: saturating_u32(fetched),
            still_pending: still_pending
                .into_iter()
                .map(
                    |app::PendingPhoto {
                         product: _,
                         sku,
                         position,
                         url,
                         reason,
                         attempts,
                         last_tried,
                     }| PendingPhotoView {
                        sku,
                        position,
                        url,
                        reason,
                        attempts,
                        last_tried: last_tried.to_rfc3339(),
                    },
                )
                .collect(),
            cancelled,
        }
    }
}

/// One row of the file and what became of it.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RowOutcome {
    pub line: u32,
    pub sku: Option<String>,
    pub result: RowResult,
    pub notes: Vec<RowNote>,
}

impl From<app::RowOutcome> for RowOutcome {
    fn from(outcome: app::RowOutcome) -> Self {
        let app::RowOutcome {
            line,
            sku,
            result,
            notes,
        } = outcome;
        Self {
            line: saturating_u32(line),
            sku,
            result: result.into(),
            notes: notes.into_iter().map(RowNote::from).collect(),
        }
    }
}

/// A file as Vitrine understood it, before importing it.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ImportPreview {
    pub format: app::ImportFormat,
    pub reading: FileReading,
    /// Products the file holds.
    pub products: u32,
    /// Rows that could not be read at all.
    pub unreadable: Vec<RowError>,
    /// The first products.
    pub rows: Vec<PreviewRow>,
}

/// One product as read, in the preview. `price` is a plain decimal (`1234.50`).
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PreviewRow {
    pub line: u32,
    pub sku: Option<String>,
    pub title: Option<String>,
    pub price: Option<String>,
    /// `null`: the chosen (or the shop's) currency.
    pub currency: Option<String>,
    pub availability: Option<String>,
    pub stock: Option<u32>,
    pub photos: u32,
    pub notes: Vec<RowNote>,
}

impl From<app::ImportPreview> for ImportPreview {
    fn from(preview: app::ImportPreview) -> Self {
        let app::ImportPreview {
            format,
            reading,
            products,
            unreadable,
            rows,
        } = preview;
        Self {
            format,
            reading: reading.into(),
            products: saturating_u32(products),
            unreadable: unreadable.into_iter().map(RowError::from).collect(),
            rows: rows
                .into_iter()
                .map(
                    |app::PreviewRow {
                         line,
                         sku,
                         title,
                         price,
                         currency,
                         availability,
                         stock,
                         photos,
                         notes,
                     }| PreviewRow {
                        line: saturating_u32(line),
                        sku,
                        title,
                        price,
                        currency,
                        availability,
                        stock,
                        photos,
                        notes: notes.into_iter().map(RowNote::from).collect(),
                    },
                )
                .collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ImportReport {
    pub format: app::ImportFormat,
    /// `null` for a folder of photos.
    pub reading: Option<FileReading>,
    pub created: u32,
    pub updated: u32,
    pub unchanged: u32,
    /// Rows that were not imported, and why.
    pub errors: Vec<RowError>,
    /// Every row, in file order.
    pub rows: Vec<RowOutcome>,
    /// Photos of saved rows that wait to be downloaded (offline, dead link…), by line.
    pub photos_pending: Vec<PendingPhotoReport>,
    /// Stopped by `cancelImport`; rows before that were saved.
    pub cancelled: bool,
}

/// A row that was not imported. `line` is 1-based, the header being line 1 (for a photo
/// folder, the photo's position).
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RowError {
    pub line: u32,
    pub sku: Option<String>,
    pub message: String,
}

impl From<app::RowError> for RowError {
    fn from(error: app::RowError) -> Self {
        let app::RowError { line, sku, message } = error;
        Self {
            line: saturating_u32(line),
            sku,
            message,
        }
    }
}

impl From<app::ImportReport> for ImportReport {
    fn from(report: app::ImportReport) -> Self {
        let app::ImportReport {
            format,
            reading,
            created,
            updated,
            unchanged,
            errors,
            rows,
            photos_pending,
            cancelled,
        } = report;
        Self {
            format,
            reading: reading.map(FileReading::from),
            created: saturating_u32(created),
            updated: saturating_u32(updated),
            unchanged: saturating_u32(unchanged),
            errors: errors.into_iter().map(RowError::from).collect(),
            rows: rows.into_iter().map(RowOutcome::from).collect(),
            photos_pending: photos_pending
                .into_iter()
                .map(
                    |app::PendingPhotoReport {
                         line,
                         sku,
                         url,
                         reason,
                     }| PendingPhotoReport {
                        line: saturating_u32(line),
                        sku,
                        url,
                        reason,
                    },
                )
                .collect(),
            cancelled,
        }
    }
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ExportSummary {
    pub products: u32,
}

impl From<app::ExportSummary> for ExportSummary {
    fn from(summary: app::ExportSummary) -> Self {
        let app::ExportSummary { products } = summary;
        Self {
            products: saturating_u32(products),
        }
    }
}

/// What a backup holds.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct BackupSummary {
    pub products: u32,
    pub images: u32,
}

impl From<app::BackupSummary> for BackupSummary {
    fn from(summary: app::BackupSummary) -> Self {
        let app::BackupSummary { products, images } = summary;
        Self {
            products: saturating_u32(products),
            images: saturating_u32(images),
        }
    }
}

/// What a restore brought back, and the backup's connections it did not apply (this machine's
/// stay; the merchant connects again, with the secret, to use one of the backup's).
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RestoreReport {
    pub products: u32,
    pub images: u32,
    pub not_applied: Vec<NotApplied>,
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct NotApplied {
    pub connection: ConnectionKind,
    /// Where the backup's connection leads: an address, or a Meta catalog id.
    pub address: String,
    /// In English, for logs and the CLI; the UI words it from `connection` and `address`.
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum ConnectionKind {
    Relay,
    Meta,
    PhotoHosting,
    Storefront,
    Payment,
}

impl From<app::RestoreReport> for RestoreReport {
    fn from(report: app::RestoreReport) -> Self {
        let app::RestoreReport {
            products,
            images,
            not_applied,
        } = report;
        Self {
            products: saturating_u32(products),
            images: saturating_u32(images),
            not_applied: not_applied.into_iter().map(NotApplied::from).collect(),
        }
    }
}

impl From<app::NotApplied> for NotApplied {
    fn from(not_applied: app::NotApplied) -> Self {
        let app::NotApplied {
            connection,
            address,
            message,
        } = not_applied;
        Self {
            connection: match connection {
                app::ConnectionKind::Relay => ConnectionKind::Relay,
                app::ConnectionKind::Meta => ConnectionKind::Meta,
                app::ConnectionKind::PhotoHosting => ConnectionKind::PhotoHosting,
                app::ConnectionKind::Storefront => ConnectionKind::Storefront,
                app::ConnectionKind::Payment => ConnectionKind::Payment,
            },
            address,
            message,
        }
    }
}
