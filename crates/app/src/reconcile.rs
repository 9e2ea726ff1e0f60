//! Reading Meta's catalog back: per-item review state; orphans — items at Meta that Vitrine
//! does not have (left by another tool or a deleted product) — with a way to remove them
//! without deleting the whole catalog; and importing those items instead, for a merchant
//! whose catalog was built in the WhatsApp Business app.

use std::collections::HashSet;

use serde::Serialize;
use serde_json::Value;
use vitrine_core::preflight::FindingField;
use vitrine_core::sync_plan::{feed_fields, fields_hash, item_version, FeedContext};
use vitrine_core::{
    Availability, Condition, ContentHash, Currency, Money, Product, ProductId, ProductImage,
};
use vitrine_meta::{
    BatchMethod, BatchRequest, BatchState, CatalogProduct, GraphApi, ItemError, ItemField,
};
use vitrine_store::meta_products as meta_ids;
use vitrine_store::{image_sources, images, products, sync_journal};

use crate::catalog::{preflight_context, save_product};
use crate::images::{pipeline_options, process_one, PreparedImage};
use crate::input::{draft_from_new, NewProduct};
use crate::{AppError, ImageSource, ImportProgress, InputField, Vitrine};

/// One item as Meta has it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MetaItemState {
    pub retailer_id: String,
    /// Meta's own id (used in `wa.me/p/<id>/<number>` links).
    pub meta_id: String,
    /// `approved`, `pending`, `rejected`, `outdated` (or empty when Meta does not say).
    pub review_status: String,
    pub image_fetch_status: String,
    pub errors: Vec<ItemError>,
    /// False for an orphan: an item Vitrine's catalog does not have.
    pub in_vitrine: bool,
}

/// The product field one of Meta's review problems concerns, for the editor to open at: the
/// field Meta's `error_type` names (never guessed from its words). `None` when Meta names
/// none, or names the condition, which no pre-flight finding is about.
pub fn review_field(error: &ItemError) -> Option<FindingField> {
    let field = match error.field()? {
        ItemField::Name => FindingField::Title,
        ItemField::Description => FindingField::Description,
        ItemField::Price => FindingField::Price,
        ItemField::Image => FindingField::Images,
        ItemField::Url => FindingField::Link,
        ItemField::Availability => FindingField::Availability,
        ItemField::ItemGroup => FindingField::Variant,
        ItemField::Condition => return None,
    };
    Some(field)
}

const PAGE: u32 = 500;

/// Every item of the Meta catalog, following cursors until Meta gives no `next` (a short or
/// empty page does not end the list).
async fn meta_products(
    api: &impl GraphApi,
    catalog_id: &str,
) -> Result<Vec<CatalogProduct>, AppError> {
    let mut out = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = api
            .products_page(catalog_id, after.as_deref(), PAGE)
            .await?
            .value;
        let next = page.next_cursor().map(str::to_owned);
        out.extend(page.data);
        match next {
            Some(next) => after = Some(next),
            None => return Ok(out),
        }
    }
}

impl Vitrine {
    fn local_skus(&self) -> Result<HashSet<String>, AppError> {
        let versions = self
            .store
            .read(products::versions)
            .map_err(|e| AppError::from_store("reading the catalog", e))?;
        Ok(versions.into_iter().map(|(_, sku, _)| sku).collect())
    }

    /// Reads every item of the Meta catalog with its review state.
    pub async fn pull_meta(
        &self,
        api: &impl GraphApi,
        catalog_id: &str,
    ) -> Result<Vec<MetaItemState>, AppError> {
        let skus = self.local_skus()?;
        let items = meta_products(api, catalog_id).await?;
        // Keep each item's Meta id: product links (`wa.me/p/<id>/…`) need it offline.
        let ids: Vec<(String, String)> = items
            .iter()
            .filter_map(|p| Some((p.retailer_id.clone()?, p.id.clone())))
            .collect();
        let at = self
            .now()
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        self.store
            .write(|tx| meta_ids::replace_all(tx, &ids, &at))
            .map_err(|e| AppError::from_store("saving Meta's item ids", e))?;
        Ok(items
            .into_iter()
            .map(|p| {
                let retailer_id = p.retailer_id.unwrap_or_default();
                MetaItemState {
                    in_vitrine: skus.contains(&retailer_id),
                    retailer_id,
                    meta_id: p.id,
                    review_status: p.review_status.unwrap_or_default(),
                    image_fetch_status: p.image_fetch_status.unwrap_or_default(),
                    errors: p.errors,
                }
            })
            .collect())
    }

    /// Deletes these orphans at Meta (retailer ids that are not in Vitrine's catalog);
    /// returns how many Meta removed. Ids that are in the catalog are refused.
    pub async fn delete_orphans(
        &self,
        api: &impl GraphApi,
        catalog_id: &str,
        retailer_ids: &[String],
    ) -> Result<usize, AppError> {
        if retailer_ids.is_empty() {
            return Ok(0);
        }
        let skus = self.local_skus()?;
        if let Some(kept) = retailer_ids.iter().find(|id| skus.contains(*id)) {
            return Err(AppError::invalid(
                InputField::Orphans,
                format!(
                    "{kept} is in your catalog; delete the product in Vitrine and sync instead"
                ),
            ));
        }
        let opts = crate::SyncOptions::default();
        let mut removed = 0;
        for chunk in retailer_ids.chunks(5_000) {
            let requests: Vec<BatchRequest> = chunk
                .iter()
                .map(|id| BatchRequest {
                    method: BatchMethod::Delete,
                    data: [("id".to_owned(), id.clone().into())].into_iter().collect(),
                })
                .collect();
            let answer = api.items_batch(catalog_id, &requests, false).await?.value;
            let Some(handle) = answer.handles.first() else {
                continue;
            };
            let mut polls = 0;
            let status = loop {
                let status = api.batch_status(catalog_id, handle).await?.value;
                if status.state() != BatchState::Pending || polls > opts.max_polls {
                    break status;
                }
                polls += 1;
                tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            };
            let failed = status.ids_of_invalid_requests.len()
                + answer
                    .validation_status
                    .iter()
                    .filter(|v| !v.errors.is_empty())
                    .count();
            removed += chunk.len().saturating_sub(failed);
        }
        Ok(removed)
    }
}

/// An item of Meta's catalog that was not imported, or imported without some photos.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MetaImportIssue {
    pub retailer_id: String,
    pub message: String,
}

/// What importing Meta's catalog did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MetaImportReport {
    /// Products created from Meta's items.
    pub imported: usize,
    /// Items whose SKU Vitrine already has (left as they are).
    pub already_in_vitrine: usize,
    /// Items not imported, each with why.
    pub skipped: Vec<MetaImportIssue>,
    /// Imported items that lost a photo (it could not be downloaded or read), each with why.
    pub photos_missing: Vec<MetaImportIssue>,
}

/// Meta's availability (ProductItem values, which are wider than the feed's) in Vitrine's terms.
fn availability_from_meta(text: &str) -> Option<Availability> {
    match text.trim().to_ascii_lowercase().replace('_', " ").as_str() {
        "" | "in stock" | "pending" => Some(Availability::InStock),
        "out of stock" | "mark as sold" => Some(Availability::OutOfStock),
        "available for order" | "preorder" => Some(Availability::AvailableForOrder),
        "discontinued" | "mark as expired" => Some(Availability::Discontinued),
        _ => None,
    }
}

/// Meta's condition (ProductItem values) in Vitrine's terms.
fn condition_from_meta(text: &str) -> Option<Condition> {
    match text.trim().to_ascii_lowercase().as_str() {
        "" | "new" | "open_box_new" => Some(Condition::New),
        "refurbished" | "cpo" => Some(Condition::Refurbished),
        "used" | "used_like_new" | "used_good" | "used_fair" => Some(Condition::Used),
        _ => None,
    }
}

/// Why a Meta item cannot become a product; worded for the import report.
#[derive(Debug, thiserror::Error)]
enum UnusableItem {
    #[error("Meta gives no currency for this item")]
    NoCurrency,
    #[error("{0}")]
    Currency(vitrine_core::MoneyError),
    #[error("Meta gives no price for this item")]
    NoPrice,
    #[error("price: {0}")]
    Price(vitrine_core::DisplayPriceError),
    #[error("sale price: {0}")]
    SalePrice(vitrine_core::DisplayPriceError),
    #[error("availability “{0}” is unknown")]
    Availability(String),
    #[error("condition “{0}” is unknown")]
    Condition(String),
    #[error("Meta gives no name for this item")]
    NoName,
    #[error("{0}")]
    Draft(AppError),
}

/// A Meta item as a new product (without photos), or why it cannot be one.
fn draft_from_meta(
    item: &CatalogProduct,
    sku: &str,
    shop_currency: Currency,
) -> Result<vitrine_core::ProductDraft, UnusableItem> {
    let code = item
        .currency
        .as_deref()
        .filter(|c| !c.trim().is_empty())
        .ok_or(UnusableItem::NoCurrency)?;
    let currency = Currency::from_code(code).map_err(UnusableItem::Currency)?;
    let price = item
        .price
        .as_deref()
        .filter(|p| !p.trim().is_empty())
        .ok_or(UnusableItem::NoPrice)?;
    let price = Money::parse_display(price, currency).map_err(UnusableItem::Price)?;
    let sale = item
        .sale_price
        .as_deref()
        .filter(|p| !p.trim().is_empty())
        .map(|p| Money::parse_display(p, currency).map_err(UnusableItem::SalePrice))
        .transpose()?;
    let availability = item.availability.as_deref().unwrap_or_default();
    let condition = item.condition.as_deref().unwrap_or_default();
    let new = NewProduct {
        sku: sku.to_owned(),
        title: item.name.clone().unwrap_or_default(),
        description: item.description.clone().unwrap_or_default(),
        brand: item.brand.clone().unwrap_or_default(),
        price: price.to_decimal_string(),
        currency: Some(currency.code().to_owned()),
        sale_price: sale.map(|s| s.to_decimal_string()),
        availability: Some(
            availability_from_meta(availability)
                .ok_or_else(|| UnusableItem::Availability(availability.to_owned()))?,
        ),
        condition: Some(
            condition_from_meta(condition)
                .ok_or_else(|| UnusableItem::Condition(condition.to_owned()))?,
        ),
        link: item.url.clone(),
        ..NewProduct::default()
    };
    if new.title.trim().is_empty() {
        return Err(UnusableItem::NoName);
    }
    draft_from_new(&new, shop_currency, Vec::new()).map_err(UnusableItem::Draft)
}

impl Vitrine {
    /// Brings a catalog made elsewhere (the WhatsApp Business app, Commerce Manager) into
    /// Vitrine: every Meta item whose SKU (retailer id) Vitrine lacks becomes a product, its
    /// photos downloaded and processed like imported ones, and is journaled as what Meta
    /// holds, so the next sync sends nothing for it until it is edited. Items are
    /// independent: one that cannot be read is reported and the others land; a photo that
    /// cannot be downloaded is reported and the product kept without it.
    ///
    /// Photo downloads block the calling thread (as a CSV import's do).
    pub async fn import_from_meta(
        &self,
        api: &impl GraphApi,
        catalog_id: &str,
        progress: &mut (dyn FnMut(ImportProgress) + Send),
    ) -> Result<MetaImportReport, AppError> {
        let items = meta_products(api, catalog_id).await?;
        let storage = |e| AppError::from_store("importing from Meta", e);
        let mut skus = self.local_skus()?;
        let journaled: HashSet<String> = self
            .store
            .read(sync_journal::meta_items)
            .map_err(storage)?
            .into_iter()
            .map(|m| m.retailer_id)
            .collect();
        let shop = self.shop()?;
        let ctx = preflight_context(&shop, self.storefront_url()?);
        let base = self.image_hosting()?.map(|h| h.public_base_url);
        let storefront = self.storefront_url()?;
        let context_key = crate::sync::context_key(&shop, base.as_deref(), storefront.as_deref());
        let base = base.unwrap_or_default();
        let image_url = move |hash: &ContentHash| format!("{base}/{hash}.jpg");
        let link = self.storefront_link(&shop)?;
        let feed = FeedContext {
            shop_brand: &shop.brand,
            fallback_link: link.as_ref().map(|f| f as &dyn Fn(&str) -> String),
            image_url: &image_url,
            context_key: &context_key,
        };
        let mut report = MetaImportReport::default();
        let total = items.len() as u64;
        for (done, item) in items.iter().enumerate() {
            let sku = item.retailer_id.clone().unwrap_or_default();
            let skip = |message: String| MetaImportIssue {
                retailer_id: sku.clone(),
                message,
            };
            if sku.trim().is_empty() {
                report.skipped.push(skip(format!(
                    "Meta gives item {} no retailer id (SKU)",
                    item.id
                )));
            } else if skus.contains(&sku) {
                report.already_in_vitrine += 1;
            } else if journaled.contains(&sku) {
                report.skipped.push(skip(
                    "deleted in Vitrine; the next sync removes it at Meta".to_owned(),
                ));
            } else {
                match draft_from_meta(item, &sku, shop.currency) {
                    Err(why) => report.skipped.push(skip(why.to_string())),
                    Ok(draft) => match self.save_meta_item(item, draft, &ctx, &feed, &mut report) {
                        Ok(()) => {
                            report.imported += 1;
                            skus.insert(sku.clone());
                        }
                        Err(e) => report.skipped.push(skip(e.to_string())),
                    },
                }
            }
            progress(ImportProgress {
                done: done as u64 + 1,
                total,
            });
        }
        tracing::info!(
            imported = report.imported,
            already_in_vitrine = report.already_in_vitrine,
            skipped = report.skipped.len(),
            photos_missing = report.photos_missing.len(),
            "imported the Meta catalog"
        );
        Ok(report)
    }

    /// Saves one imported item with the photos that could be fetched, and journals what Meta
    /// holds for it (its own photo URLs, since Meta fetched those), in one transaction.
    fn save_meta_item(
        &self,
        item: &CatalogProduct,
        draft: vitrine_core::ProductDraft,
        ctx: &vitrine_core::preflight::PreflightContext,
        feed: &FeedContext<'_>,
        report: &mut MetaImportReport,
    ) -> Result<(), AppError> {
        let sku = draft.sku.to_string();
        let mut urls: Vec<&str> = Vec::new();
        for url in item.image_url.iter().chain(&item.additional_image_urls) {
            if !url.trim().is_empty() && !urls.contains(&url.as_str()) {
                urls.push(url);
            }
        }
        let mut images: Vec<ProductImage> = Vec::new();
        let mut fresh: Vec<PreparedImage> = Vec::new();
        let mut sources: Vec<(String, ContentHash)> = Vec::new();
        for url in &urls {
            match self.meta_photo(url) {
                Ok((image, prepared)) => {
                    sources.push((format!("url:{url}"), image.hash.clone()));
                    if !images.iter().any(|i| i.hash == image.hash) {
                        images.push(image);
                    }
                    fresh.extend(prepared);
                }
                Err(e) => report.photos_missing.push(MetaImportIssue {
                    retailer_id: sku.clone(),
                    message: format!("photo not imported: {e}"),
                }),
            }
        }
        let now = self.now();
        let product = Product {
            id: ProductId::new_random(),
            draft,
            images,
            created_at: now,
            updated_at: now,
        };
        let mut held = feed_fields(&product, feed);
        held.insert(
            "image_link".to_owned(),
            urls.first().copied().unwrap_or_default().into(),
        );
        held.insert(
            "additional_image_link".to_owned(),
            urls.iter().skip(1).map(|u| Value::from(*u)).collect(),
        );
        let held_json = serde_json::to_string(&held).unwrap_or_default();
        let version = item_version(&product, feed);
        let files: Vec<_> = fresh
            .iter()
            .map(|p| {
                (
                    p.image.clone(),
                    p.catalog.as_slice(),
                    p.thumbnail.as_slice(),
                )
            })
            .collect();
        let at = now.to_rfc3339();
        self.store
            .write_with_images(&files, &at, |tx| {
                save_product(tx, &product, true, Some(ctx))?;
                for (source, hash) in &sources {
                    image_sources::remember(tx, source, hash)?;
                }
                sync_journal::put_meta_item(
                    tx,
                    &sku,
                    &held_json,
                    &fields_hash(&held),
                    Some(&version),
                    &at,
                )
            })
            .map_err(|e| AppError::from_store("saving an imported product", e))
    }

    /// A photo from Meta: one Vitrine already has from this URL, or downloaded and processed.
    fn meta_photo(&self, url: &str) -> Result<(ProductImage, Option<PreparedImage>), AppError> {
        let key = format!("url:{url}");
        let known = self
            .store
            .read(|c| match image_sources::lookup(c, &key)? {
                Some(hash) => images::get(c, &hash),
                None => Ok(None),
            })
            .map_err(|e| AppError::from_store("reading images", e))?;
        if let Some(image) = known {
            return Ok((image, None));
        }
        let bytes = self.read_source(&ImageSource::Url(url.to_owned()))?;
        let prepared = process_one(&bytes, &pipeline_options()).map_err(|e| AppError::Image {
            source_name: url.to_owned(),
            source: e,
        })?;
        Ok((prepared.image.clone(), Some(prepared)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metas_wider_availability_and_condition_values_map_to_vitrines() {
        assert_eq!(
            availability_from_meta("preorder"),
            Some(Availability::AvailableForOrder)
        );
        assert_eq!(
            availability_from_meta("mark_as_sold"),
            Some(Availability::OutOfStock)
        );
        assert_eq!(availability_from_meta("sold out"), None);
        assert_eq!(condition_from_meta("used_like_new"), Some(Condition::Used));
        assert_eq!(condition_from_meta("cpo"), Some(Condition::Refurbished));
        assert_eq!(condition_from_meta("broken"), None);
    }

    #[test]
    fn a_review_error_opens_the_editor_at_the_field_its_type_names() {
        let typed = |error_type: Option<&str>| ItemError {
            error_type: error_type.map(str::to_owned),
            title: Some("The price of this item is too high".to_owned()),
            ..ItemError::default()
        };
        assert_eq!(
            review_field(&typed(Some("EMPTY_TITLE"))),
            Some(FindingField::Title),
            "Meta's `name` is the product's title"
        );
        assert_eq!(
            review_field(&typed(Some("IMAGE_FETCH_FAILED_LINK_BROKEN"))),
            Some(FindingField::Images)
        );
        assert_eq!(
            review_field(&typed(Some("EMPTY_CONDITION"))),
            None,
            "no finding is about the condition"
        );
        assert_eq!(
            review_field(&typed(None)),
            None,
            "no type: no field, though the words say price"
        );
    }
}
