//! Reading Meta's catalog back: per-item review state, and orphans — items at Meta that
//! Vitrine does not have (left by another tool or a deleted product) — with a way to remove
//! them without deleting the whole catalog.

use std::collections::HashSet;

use serde::Serialize;
use vitrine_meta::{BatchMethod, BatchRequest, BatchState, GraphApi, ItemError};
use vitrine_store::products;

use crate::{AppError, Vitrine};

/// One item as Meta has it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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

const PAGE: u32 = 500;

impl Vitrine {
    fn local_skus(&self) -> Result<HashSet<String>, AppError> {
        let versions = self
            .store
            .read(products::versions)
            .map_err(|e| AppError::from_store("reading the catalog", e))?;
        Ok(versions.into_iter().map(|(_, sku, _)| sku).collect())
    }

    /// Reads every item of the Meta catalog, following cursors until Meta gives no `next`.
    pub async fn pull_meta(
        &self,
        api: &impl GraphApi,
        catalog_id: &str,
    ) -> Result<Vec<MetaItemState>, AppError> {
        let skus = self.local_skus()?;
        let mut out = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let page = api
                .products_page(catalog_id, after.as_deref(), PAGE)
                .await?
                .value;
            for p in &page.data {
                let retailer_id = p.retailer_id.clone().unwrap_or_default();
                out.push(MetaItemState {
                    in_vitrine: skus.contains(&retailer_id),
                    retailer_id,
                    meta_id: p.id.clone(),
                    review_status: p.review_status.clone().unwrap_or_default(),
                    image_fetch_status: p.image_fetch_status.clone().unwrap_or_default(),
                    errors: p.errors.clone(),
                });
            }
            match page.next_cursor() {
                Some(next) => after = Some(next.to_owned()),
                None => break,
            }
        }
        Ok(out)
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
                "orphans",
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
