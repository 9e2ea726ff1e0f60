//! Changes to many products at once, and deletion that can be undone.

use chrono::Duration;
use serde::{Deserialize, Serialize};
use vitrine_core::{Availability, Money, Product, ProductId};
use vitrine_store::{products, trash};

use crate::catalog::{resolve_collections, save_product, unwrap_app, Wrapped};
use crate::{AppError, InputField, Vitrine};

/// How long a deletion can be undone; older deletions are forgotten (and their photos
/// collected) at the next deletion or when the catalog is opened again.
const UNDO_WINDOW_MINUTES: i64 = 10;

/// A price change applied to each selected product in its own currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind", content = "value")]
pub enum PriceAdjustment {
    /// A percentage such as `"10"`, `"-15"` or `"12.5"`; results round to the currency's
    /// minor unit, half away from zero.
    Percent(String),
    /// An amount such as `"5"` or `"-2.50"`, added to every price.
    Amount(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind", content = "value")]
pub enum BulkChange {
    SetAvailability(Availability),
    /// Adds the products to a collection (created if new), keeping their other collections.
    AddToCollection(String),
    RemoveFromCollection(String),
    /// Makes the collection the products' only collection.
    MoveToCollection(String),
    AdjustPrice(PriceAdjustment),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BulkReport {
    pub changed: usize,
}

/// Products just deleted, which [`Vitrine::undo_removal`] can bring back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RemovedBatch {
    pub batch: i64,
    pub removed: Vec<ProductId>,
}

fn parse_percent(text: &str) -> Result<i64, AppError> {
    // Basis points: "12.5" % → 1250, exactly, through the decimal money parser.
    let usd = vitrine_core::Currency::from_code("USD")
        .map_err(|e| AppError::invalid(InputField::Percent, e))?;
    let t = text.trim().trim_end_matches('%');
    Money::parse_decimal(t, usd)
        .map(|m| m.minor())
        .map_err(|_| {
            AppError::invalid(
                InputField::Percent,
                format!("“{text}” is not a percentage like 10, -15 or 12.5"),
            )
        })
}

impl Vitrine {
    /// Applies one change to every listed product (by SKU or id), all or nothing.
    pub fn bulk_edit(&self, keys: &[String], change: &BulkChange) -> Result<BulkReport, AppError> {
        let mut selected = keys
            .iter()
            .map(|k| self.find_product(k))
            .collect::<Result<Vec<Product>, _>>()?;
        let now = self.now();
        let percent = match change {
            BulkChange::AdjustPrice(PriceAdjustment::Percent(p)) => Some(parse_percent(p)?),
            _ => None,
        };
        let availability = match change {
            BulkChange::SetAvailability(a) => Some(*a),
            _ => None,
        };
        let changed = self
            .store
            .write(|tx| {
                let mut changed = 0;
                for product in &mut selected {
                    let before = product.draft.clone();
                    apply(product, change, percent, availability, tx).map_err(Wrapped)?;
                    if product.draft != before {
                        product.updated_at = now;
                        save_product(tx, product, false, None)?;
                        changed += 1;
                    }
                }
                Ok(changed)
            })
            .map_err(unwrap_app("changing products"))?;
        Ok(BulkReport { changed })
    }

    /// Deletes products (by SKU or id) so that [`Vitrine::undo_removal`] can restore them for
    /// a few minutes; their photos are kept until then.
    pub fn remove_products(&self, keys: &[String]) -> Result<RemovedBatch, AppError> {
        let selected = keys
            .iter()
            .map(|k| self.find_product(k))
            .collect::<Result<Vec<Product>, _>>()?;
        let now = self.now();
        let cutoff = (now - Duration::minutes(UNDO_WINDOW_MINUTES)).to_rfc3339();
        let batch = self
            .store
            .write_and_collect(|tx| {
                trash::purge(tx, Some(&cutoff))?;
                let batch = trash::put(tx, &selected, &now.to_rfc3339())?;
                for p in &selected {
                    products::delete(tx, p.id)?;
                }
                Ok(batch)
            })
            .map_err(|e| AppError::from_store("deleting products", e))?;
        Ok(RemovedBatch {
            batch,
            removed: selected.iter().map(|p| p.id).collect(),
        })
    }

    /// Brings back the products of a deletion, with their photos and collections.
    pub fn undo_removal(&self, batch: i64) -> Result<Vec<Product>, AppError> {
        let restored = self
            .store
            .write(|tx| {
                let items = trash::get(tx, batch)?;
                if items.is_empty() {
                    return Err(Wrapped(AppError::NotFound(
                        "that deletion can no longer be undone".to_owned(),
                    ))
                    .into());
                }
                let known: Vec<_> = vitrine_store::collections::list(tx)?
                    .into_iter()
                    .map(|c| c.id)
                    .collect();
                for p in &items {
                    let mut p = p.clone();
                    // A collection deleted in the meantime is simply left out.
                    p.draft.collections.retain(|c| known.contains(c));
                    if products::get_by_sku(tx, p.draft.sku.as_str())?.is_some() {
                        return Err(Wrapped(AppError::Conflict(format!(
                            "a product with SKU “{}” was added since; rename it to undo",
                            p.draft.sku
                        )))
                        .into());
                    }
                    save_product(tx, &p, true, None)?;
                }
                trash::forget(tx, batch)?;
                Ok(items)
            })
            .map_err(unwrap_app("undoing the deletion"))?;
        Ok(restored)
    }
}

fn apply(
    product: &mut Product,
    change: &BulkChange,
    percent: Option<i64>,
    availability: Option<Availability>,
    tx: &vitrine_store::Transaction<'_>,
) -> Result<(), AppError> {
    let store_err = |e| AppError::from_store("changing products", e);
    let d = &mut product.draft;
    match change {
        BulkChange::SetAvailability(_) => {
            if let Some(a) = availability {
                d.availability = a;
            }
        }
        BulkChange::AddToCollection(name) => {
            for id in resolve_collections(tx, std::slice::from_ref(name)).map_err(store_err)? {
                if !d.collections.contains(&id) {
                    d.collections.push(id);
                }
            }
        }
        BulkChange::RemoveFromCollection(name) => {
            if let Some(c) =
                vitrine_store::collections::find_by_name(tx, name.trim()).map_err(store_err)?
            {
                d.collections.retain(|id| *id != c.id);
            }
        }
        BulkChange::MoveToCollection(name) => {
            d.collections =
                resolve_collections(tx, std::slice::from_ref(name)).map_err(store_err)?;
        }
        BulkChange::AdjustPrice(adjustment) => {
            let adjust = |m: Money| -> Result<Money, AppError> {
                let out = match (adjustment, percent) {
                    (PriceAdjustment::Percent(_), Some(bp)) => m
                        .adjusted_by_basis_points(bp)
                        .map_err(|e| AppError::invalid(InputField::Price, e))?,
                    (PriceAdjustment::Amount(text), _) => {
                        let delta = Money::parse_decimal(text, m.currency())
                            .map_err(|e| AppError::invalid(InputField::Amount, e))?;
                        m.checked_add(&delta)
                            .map_err(|e| AppError::invalid(InputField::Amount, e))?
                    }
                    _ => m,
                };
                if out.is_negative() {
                    return Err(AppError::invalid(
                        InputField::Price,
                        format!("the price would become negative ({out})"),
                    ));
                }
                Ok(out)
            };
            d.price = adjust(d.price).map_err(|e| name_product(e, d.sku.as_str()))?;
            if let Some(sale) = &mut d.sale {
                sale.price = adjust(sale.price).map_err(|e| name_product(e, d.sku.as_str()))?;
            }
        }
    }
    Ok(())
}

fn name_product(e: AppError, sku: &str) -> AppError {
    match e {
        AppError::Invalid { field, message } => AppError::Invalid {
            field,
            message: format!("{sku}: {message}"),
        },
        other => other,
    }
}
