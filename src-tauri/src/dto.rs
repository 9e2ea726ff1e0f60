//! The shapes that cross IPC, in camelCase. Each is converted from its domain type by
//! exhaustive destructuring (no `..`), so a new domain field forces a decision here.
//!
//! Money crosses as an exact decimal string plus an ISO 4217 code (`"1234.50"`, `"BRL"`),
//! never as a float; the UI hands the string to `Intl.NumberFormat` as it is.

use serde::{Deserialize, Serialize};
use specta::Type;
use vitrine_app as app;
use vitrine_app::core as domain;

/// What to list: a full-text search (or everything) and a page window.
#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ProductQuery {
    pub search: Option<String>,
    pub limit: u32,
    pub offset: u32,
}

impl From<ProductQuery> for app::ProductQuery {
    fn from(query: ProductQuery) -> Self {
        let ProductQuery {
            search,
            limit,
            offset,
        } = query;
        // Inbound, the other way round from the rows below: filters the UI does not offer
        // yet (collection, availability, problems, and any added later) stay off.
        Self {
            search,
            limit,
            offset,
            ..Self::default()
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
            // A catalog never nears 4 billion products; saturate rather than fail.
            total: u32::try_from(total).unwrap_or(u32::MAX),
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
    /// Meta pre-flight findings that block a sync.
    pub errors: u32,
    /// Meta pre-flight findings worth a look.
    pub warnings: u32,
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
            // The list shows neither yet; the editor will.
            image_count: _,
            errors,
            warnings,
            updated_at: _,
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
            errors,
            warnings,
        }
    }
}

/// An exact amount in a currency: `{ amount: "1234.50", currency: "BRL" }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Money {
    pub amount: String,
    pub currency: String,
}

impl From<domain::Money> for Money {
    fn from(money: domain::Money) -> Self {
        Self {
            amount: money.to_decimal_string(),
            currency: money.currency().code().to_owned(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
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

/// What the window header shows about the shop.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ShopInfo {
    pub name: String,
    pub currency: String,
    /// The shop's main language (BCP 47), if it has one.
    pub language: Option<String>,
}

impl From<domain::Shop> for ShopInfo {
    fn from(shop: domain::Shop) -> Self {
        let domain::Shop {
            name,
            phone: _,
            currency,
            languages,
            brand: _,
            logo: _,
        } = shop;
        Self {
            name,
            currency: currency.code().to_owned(),
            language: languages.first().map(|tag| tag.as_str().to_owned()),
        }
    }
}
