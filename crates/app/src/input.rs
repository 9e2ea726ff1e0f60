//! Raw product input as a person types it (strings), and its validation into domain types.

use serde::{Deserialize, Serialize};
use vitrine_core::{
    Availability, Condition, Currency, Gtin, LanguageTag, Money, ProductDraft, SalePrice,
    SaleWindow, Sku, Translation, VariantAttribute, VariantGroup,
};

use crate::{AppError, InputField};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TranslationInput {
    pub language: String,
    pub title: String,
    pub description: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VariantInput {
    pub group_id: String,
    /// `(name, value)` pairs such as `("Size", "M")`.
    pub attributes: Vec<(String, String)>,
}

/// A new product as typed: prices are decimals in `currency` (the shop's when `None`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewProduct {
    pub sku: String,
    pub title: String,
    pub description: String,
    pub brand: String,
    pub price: String,
    pub currency: Option<String>,
    pub sale_price: Option<String>,
    /// `2025-11-01T12:00-03:00/2025-12-01T00:00-03:00`
    pub sale_window: Option<String>,
    pub availability: Option<Availability>,
    pub condition: Option<Condition>,
    pub stock: Option<u32>,
    pub link: Option<String>,
    /// Collection names; missing collections are created.
    pub collections: Vec<String>,
    pub variant: Option<VariantInput>,
    pub translations: Vec<TranslationInput>,
    /// The barcode (8, 12, 13 or 14 digits).
    pub gtin: Option<String>,
    /// `None` publishes the product.
    pub published: Option<bool>,
}

/// Changes to a product: `None` leaves a field as it is; for optional fields `Some("")`
/// (or `Some(None)`) clears it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductPatch {
    pub sku: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub brand: Option<String>,
    pub price: Option<String>,
    pub currency: Option<String>,
    pub sale_price: Option<String>,
    pub sale_window: Option<String>,
    pub availability: Option<Availability>,
    pub condition: Option<Condition>,
    pub stock: Option<Option<u32>>,
    pub link: Option<String>,
    pub collections: Option<Vec<String>>,
    pub variant: Option<Option<VariantInput>>,
    pub translations: Option<Vec<TranslationInput>>,
    pub gtin: Option<String>,
    pub published: Option<bool>,
}

/// A barcode cell or field; empty means none.
fn parse_gtin(text: Option<&str>) -> Result<Option<Gtin>, AppError> {
    non_empty(text)
        .map(Gtin::parse)
        .transpose()
        .map_err(|e| AppError::invalid(InputField::Gtin, e))
}

pub(crate) fn parse_currency(code: &str) -> Result<Currency, AppError> {
    Currency::from_code(code).map_err(|e| AppError::invalid(InputField::Currency, e))
}

pub(crate) fn parse_price(
    field: InputField,
    text: &str,
    currency: Currency,
) -> Result<Money, AppError> {
    let money = Money::parse_decimal(text, currency).map_err(|e| AppError::invalid(field, e))?;
    if money.is_negative() {
        return Err(AppError::invalid(field, "a price cannot be negative"));
    }
    Ok(money)
}

fn non_empty(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|t| !t.is_empty())
}

pub(crate) fn parse_sale(
    price: &Money,
    sale_price: Option<&str>,
    window: Option<&str>,
) -> Result<Option<SalePrice>, AppError> {
    let Some(text) = non_empty(sale_price) else {
        if non_empty(window).is_some() {
            return Err(AppError::invalid(
                InputField::SaleWindow,
                "a sale window needs a sale price",
            ));
        }
        return Ok(None);
    };
    let sale = parse_price(InputField::SalePrice, text, price.currency())?;
    let window = non_empty(window)
        .map(SaleWindow::parse_meta)
        .transpose()
        .map_err(|e| AppError::invalid(InputField::SaleWindow, e))?;
    Ok(Some(SalePrice {
        price: sale,
        window,
    }))
}

pub(crate) fn parse_variant(input: &VariantInput) -> Result<VariantGroup, AppError> {
    let group_id = input.group_id.trim();
    if group_id.is_empty() {
        return Err(AppError::invalid(
            InputField::Variant,
            "a variant needs a group code shared by its siblings",
        ));
    }
    Ok(VariantGroup {
        group_id: group_id.to_owned(),
        attributes: input
            .attributes
            .iter()
            .map(|(name, value)| VariantAttribute {
                name: name.trim().to_owned(),
                value: value.trim().to_owned(),
            })
            .collect(),
    })
}

pub(crate) fn parse_translations(
    inputs: &[TranslationInput],
) -> Result<Vec<Translation>, AppError> {
    inputs
        .iter()
        .map(|t| {
            Ok(Translation {
                language: LanguageTag::parse(&t.language)
                    .map_err(|e| AppError::invalid(InputField::Translation, e))?,
                title: t.title.trim().to_owned(),
                description: t.description.trim().to_owned(),
            })
        })
        .collect()
}

/// Builds a draft from a new product; `collections` are already resolved to ids.
pub(crate) fn draft_from_new(
    input: &NewProduct,
    shop_currency: Currency,
    collections: Vec<vitrine_core::CollectionId>,
) -> Result<ProductDraft, AppError> {
    let sku = Sku::parse(&input.sku).map_err(|e| AppError::invalid(InputField::Sku, e))?;
    let currency = match non_empty(input.currency.as_deref()) {
        Some(code) => parse_currency(code)?,
        None => shop_currency,
    };
    let price = parse_price(InputField::Price, &input.price, currency)?;
    let mut draft = ProductDraft::new(sku, input.title.trim(), price);
    draft.description = input.description.trim().to_owned();
    draft.brand = input.brand.trim().to_owned();
    draft.sale = parse_sale(
        &price,
        input.sale_price.as_deref(),
        input.sale_window.as_deref(),
    )?;
    if let Some(availability) = input.availability {
        draft.availability = availability;
    }
    if let Some(condition) = input.condition {
        draft.condition = condition;
    }
    draft.stock = input.stock;
    draft.link = non_empty(input.link.as_deref()).map(str::to_owned);
    draft.collections = collections;
    draft.variant = input.variant.as_ref().map(parse_variant).transpose()?;
    draft.translations = parse_translations(&input.translations)?;
    draft.gtin = parse_gtin(input.gtin.as_deref())?;
    draft.published = input.published.unwrap_or(true);
    draft
        .validate()
        .map_err(|e| AppError::invalid(InputField::Product, e))?;
    Ok(draft)
}

/// Applies a patch to a draft; `collections` are the resolved ids when the patch sets them.
pub(crate) fn apply_patch(
    draft: &mut ProductDraft,
    patch: &ProductPatch,
    collections: Option<Vec<vitrine_core::CollectionId>>,
) -> Result<(), AppError> {
    if let Some(sku) = &patch.sku {
        draft.sku = Sku::parse(sku).map_err(|e| AppError::invalid(InputField::Sku, e))?;
    }
    if let Some(title) = &patch.title {
        draft.title = title.trim().to_owned();
    }
    if let Some(description) = &patch.description {
        draft.description = description.trim().to_owned();
    }
    if let Some(brand) = &patch.brand {
        draft.brand = brand.trim().to_owned();
    }
    let currency = match non_empty(patch.currency.as_deref()) {
        Some(code) => parse_currency(code)?,
        None => draft.price.currency(),
    };
    if patch.price.is_some() || currency != draft.price.currency() {
        let text = patch
            .price
            .clone()
            .unwrap_or_else(|| draft.price.to_decimal_string());
        draft.price = parse_price(InputField::Price, &text, currency)?;
    }
    if patch.sale_price.is_some()
        || patch.sale_window.is_some()
        || draft
            .sale
            .as_ref()
            .is_some_and(|s| s.price.currency() != currency)
    {
        let old_price = draft.sale.as_ref().map(|s| s.price.to_decimal_string());
        let old_window = draft
            .sale
            .as_ref()
            .and_then(|s| s.window.as_ref())
            .map(SaleWindow::to_meta_string);
        let price_text = patch.sale_price.clone().or(old_price);
        let window_text = patch.sale_window.clone().or(old_window);
        draft.sale = parse_sale(&draft.price, price_text.as_deref(), window_text.as_deref())?;
    }
    if let Some(availability) = patch.availability {
        draft.availability = availability;
    }
    if let Some(condition) = patch.condition {
        draft.condition = condition;
    }
    if let Some(stock) = patch.stock {
        draft.stock = stock;
    }
    if let Some(link) = &patch.link {
        draft.link = non_empty(Some(link)).map(str::to_owned);
    }
    if let Some(ids) = collections {
        draft.collections = ids;
    }
    if let Some(variant) = &patch.variant {
        draft.variant = variant.as_ref().map(parse_variant).transpose()?;
    }
    if let Some(translations) = &patch.translations {
        draft.translations = parse_translations(translations)?;
    }
    if let Some(gtin) = &patch.gtin {
        draft.gtin = parse_gtin(Some(gtin))?;
    }
    if let Some(published) = patch.published {
        draft.published = published;
    }
    draft
        .validate()
        .map_err(|e| AppError::invalid(InputField::Product, e))
}
