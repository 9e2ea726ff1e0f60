//! Photos that wait: a photo address of an imported product that could not be downloaded
//! (the computer was offline, the link is dead, the website refused, sent a web page or was
//! too slow) does not cost the product. The product is saved with the photos that arrived
//! and each missing one is kept as pending, with its slot in the file's order and why, in
//! the merchant's words. Meta's `image_missing` rule keeps a product without any photo out
//! of the sync until one arrives.
//!
//! A pending photo is tried again on the next import of the same file (its address is not a
//! known source yet) and by [`Vitrine::retry_pending_photos`] (the desktop calls it when the
//! network is back; `vitrine image retry`). A photo that arrives goes to its slot: a pending
//! first photo becomes the main photo.

use std::sync::atomic::{AtomicBool, Ordering};
use vitrine_download::UnreachableHosts;

use chrono::{DateTime, Utc};
use rayon::prelude::*;
use serde::Serialize;
use vitrine_core::ProductId;
use vitrine_store::pending_photos::{self as store_pending, FailedPhoto};
use vitrine_store::{image_sources, products, StoreError};

use crate::catalog::{preflight_context, save_product};
use crate::images::{pipeline_options, process_within, DecodeBudget, PreparedImage};
use crate::{AppError, Vitrine};
use vitrine_download::DownloadError;

/// A photo of a product still waiting to be downloaded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PendingPhoto {
    pub product: ProductId,
    pub sku: String,
    /// Slot among the product's photos in the imported file's order (0 = main photo).
    pub position: u32,
    pub url: String,
    /// Why the last download failed, for the merchant.
    pub reason: String,
    /// Downloads tried so far, the first included.
    pub attempts: u32,
    pub last_tried: DateTime<Utc>,
}

/// How far a retry is, in photos.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PhotoRetryProgress {
    pub done: u64,
    pub total: u64,
}

/// What [`Vitrine::retry_pending_photos`] did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PhotoRetryReport {
    /// Photos downloaded and attached to their product.
    pub fetched: u64,
    /// Everything still waiting once the retry ended, each with its latest reason.
    pub still_pending: Vec<PendingPhoto>,
    /// True when the retry was cancelled before every photo was tried.
    pub cancelled: bool,
}

/// Why a photo address gave no photo: the download failed, or what came back is no photo.
pub(crate) enum PhotoFailure<'a> {
    Download(&'a DownloadError),
    NotAPhoto {
        bytes: &'a [u8],
        error: &'a vitrine_media::MediaError,
    },
}

/// Why a photo is pending, in the merchant's words (stored, and shown as it is).
pub(crate) fn pending_reason(failure: PhotoFailure<'_>) -> String {
    match failure {
        PhotoFailure::Download(e) => match e {
            DownloadError::Status(code @ (404 | 410)) => {
                format!("the photo is not at this address any more (the website answered {code}: not found)")
            }
            DownloadError::Status(code @ (401 | 403)) => format!(
                "the website refused to hand over the photo (it answered {code}: forbidden); some shops only show their photos on their own pages"
            ),
            DownloadError::Status(429) => {
                "the website asked to wait before more photos are downloaded (it answered 429)"
                    .to_owned()
            }
            DownloadError::Status(code @ 500..=599) => format!(
                "the website had a problem (it answered {code}); it often works again later"
            ),
            DownloadError::Status(code) => {
                format!("the website answered {code} instead of sending the photo")
            }
            DownloadError::Timeout => "the website took too long to send the photo".to_owned(),
            DownloadError::TooManyRedirects(n) => format!(
                "the address sends on to other addresses again and again (more than {n} times)"
            ),
            DownloadError::Unreachable(_) => {
                "the website could not be reached: no internet connection, or its server is down"
                    .to_owned()
            }
            DownloadError::Interrupted(_) => {
                "the download was cut off before the whole photo arrived".to_owned()
            }
            DownloadError::TooLarge(mb) => format!("the photo is larger than {mb} MB"),
            DownloadError::NotHttp
            | DownloadError::NotPublic(_)
            | DownloadError::BadAddress(_)
            | DownloadError::Failed(_) => e.to_string(),
        },
        PhotoFailure::NotAPhoto { bytes, error } => {
            if looks_like_a_web_page(bytes) {
                "the address gave a web page, not a photo (the website may not let other sites use its photos)".to_owned()
            } else {
                format!("what the address gave is not a usable photo: {error}")
            }
        }
    }
}

/// A page where a photo was expected: hotlink protection and login walls answer so.
fn looks_like_a_web_page(bytes: &[u8]) -> bool {
    let start = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_ascii_lowercase();
    let start = start.trim_start_matches('\u{feff}').trim_start();
    start.starts_with("<!doctype html")
        || start.starts_with("<html")
        || start.starts_with("<?xml")
        || (start.starts_with('<') && start.contains("<body"))
}

/// Pending photos of a product as [`store_pending::replace_for_product`] records them after
/// a download attempt at `at`: the attempts of an address that was already pending in the
/// same slot go on counting.
pub(crate) fn failed_photos(
    previous: &[store_pending::PendingPhoto],
    failed: Vec<(u32, String, String)>,
    at: &str,
) -> Vec<FailedPhoto> {
    failed
        .into_iter()
        .map(|(position, url, reason)| {
            let before = previous
                .iter()
                .find(|p| p.position == position && p.url == url)
                .map_or(0, |p| p.attempts);
            FailedPhoto {
                position,
                url,
                reason,
                attempts: before + 1,
                last_tried: at.to_owned(),
            }
        })
        .collect()
}

fn public(photo: store_pending::PendingPhoto) -> Result<PendingPhoto, AppError> {
    let store_pending::PendingPhoto {
        product,
        sku,
        position,
        url,
        reason,
        attempts,
        last_tried,
    } = photo;
    let last_tried = DateTime::parse_from_rfc3339(&last_tried)
        .map_err(|e| {
            AppError::from_store(
                "reading pending photos",
                StoreError::Corrupt(format!("a pending photo's time “{last_tried}”: {e}")),
            )
        })?
        .with_timezone(&Utc);
    Ok(PendingPhoto {
        product,
        sku,
        position,
        url,
        reason,
        attempts,
        last_tried,
    })
}

/// One product's pending photo after a retry's download.
struct Attempt {
    photo: store_pending::PendingPhoto,
    outcome: Result<PreparedImage, String>,
}

impl Vitrine {
    /// Every photo still waiting to be downloaded, product by product, each product's in
    /// slot order.
    pub fn pending_photos(&self) -> Result<Vec<PendingPhoto>, AppError> {
        self.store
            .read(store_pending::all)
            .map_err(|e| AppError::from_store("reading pending photos", e))?
            .into_iter()
            .map(public)
            .collect()
    }

    /// How many photos are waiting to be downloaded (one count, cheap to ask often).
    pub fn pending_photo_count(&self) -> Result<u64, AppError> {
        self.store
            .read(store_pending::count)
            .map_err(|e| AppError::from_store("reading pending photos", e))
    }

    /// Downloads every pending photo again, product by product (a product's photos in
    /// parallel), stopping between products once `cancel` is set. Each photo that arrives
    /// goes to its slot among the product's photos, and the product is saved with its
    /// pre-flight counts in one transaction; each that fails again keeps waiting with its
    /// latest reason. Returns at once when nothing is pending. Calls made at the same time
    /// run one after the other; an import or an edit meanwhile is respected (a photo whose
    /// slot the import replaced is not attached).
    pub fn retry_pending_photos(
        &self,
        progress: &mut dyn FnMut(PhotoRetryProgress),
        cancel: &AtomicBool,
    ) -> Result<PhotoRetryReport, AppError> {
        let mut report = PhotoRetryReport {
            fetched: 0,
            still_pending: Vec::new(),
            cancelled: false,
        };
        if self.pending_photo_count()? == 0 {
            return Ok(report);
        }
        let _one_at_a_time = self
            .photo_retry
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let all = self
            .store
            .read(store_pending::all)
            .map_err(|e| AppError::from_store("reading pending photos", e))?;
        let total = all.len() as u64;
        let mut done = 0;
        let ctx = preflight_context(&self.shop()?, self.storefront_url()?);
        let mut rest = all.as_slice();
        let mut hosts = UnreachableHosts::default();
        while let Some(first) = rest.first() {
            if cancel.load(Ordering::Relaxed) {
                report.cancelled = true;
                break;
            }
            let n = rest
                .iter()
                .take_while(|p| p.product == first.product)
                .count();
            let (group, later) = rest.split_at(n);
            rest = later;
            report.fetched += self.retry_product(first.product, group, &ctx, &mut hosts)?;
            done += n as u64;
            progress(PhotoRetryProgress { done, total });
        }
        report.still_pending = self.pending_photos()?;
        tracing::info!(
            fetched = report.fetched,
            still_pending = report.still_pending.len(),
            cancelled = report.cancelled,
            "retried pending photos"
        );
        Ok(report)
    }

    /// Downloads one product's pending photos and saves what arrived; returns how many did.
    fn retry_product(
        &self,
        product: ProductId,
        group: &[store_pending::PendingPhoto],
        ctx: &vitrine_core::preflight::PreflightContext,
        hosts: &mut UnreachableHosts,
    ) -> Result<u64, AppError> {
        let urls: Vec<&str> = group.iter().map(|p| p.url.as_str()).collect();
        let downloads = self.seams.downloader.fetch_all_skipping(&urls, hosts);
        let opts = pipeline_options();
        let budget = DecodeBudget::default();
        let attempts: Vec<Attempt> = group
            .par_iter()
            .zip(downloads)
            .map(|(photo, download)| {
                let outcome = match download {
                    Err(e) => Err(pending_reason(PhotoFailure::Download(&e))),
                    Ok(bytes) => process_within(&bytes, &opts, &budget).map_err(|error| {
                        pending_reason(PhotoFailure::NotAPhoto {
                            bytes: &bytes,
                            error: &error,
                        })
                    }),
                };
                Attempt {
                    photo: photo.clone(),
                    outcome,
                }
            })
            .collect();
        let files: Vec<_> = attempts
            .iter()
            .filter_map(|a| a.outcome.as_ref().ok())
            .map(PreparedImage::files)
            .collect();
        let now = self.now();
        let stamp = now.to_rfc3339();
        self.store
            .write_with_images(&files, &stamp, |tx| {
                // Read again inside the transaction: an import may have changed the product
                // or its pending list while the photos downloaded.
                let Some(mut current) = products::get(tx, product)? else {
                    return Ok(0);
                };
                let mut waiting = store_pending::for_product(tx, product)?;
                let mut attached = 0;
                for Attempt { photo, outcome } in &attempts {
                    let still_waiting = waiting
                        .iter()
                        .any(|w| w.position == photo.position && w.url == photo.url);
                    if !still_waiting {
                        continue;
                    }
                    match outcome {
                        Ok(prepared) => {
                            // The slots before this one that still wait hold no photo yet.
                            let empty_before = waiting
                                .iter()
                                .filter(|w| w.position < photo.position)
                                .count();
                            let index =
                                (photo.position as usize - empty_before).min(current.images.len());
                            if !current.images.iter().any(|i| i.hash == prepared.image.hash) {
                                current.images.insert(index, prepared.image.clone());
                            }
                            store_pending::remove(tx, product, photo.position)?;
                            waiting.retain(|w| w.position != photo.position);
                            image_sources::remember(
                                tx,
                                &crate::import::url_source_key(&photo.url),
                                &prepared.image.hash,
                            )?;
                            attached += 1;
                        }
                        Err(reason) => {
                            store_pending::record_attempt(
                                tx,
                                product,
                                photo.position,
                                reason,
                                &stamp,
                            )?;
                        }
                    }
                }
                if attached > 0 {
                    current.updated_at = now;
                    save_product(tx, &current, false, Some(ctx))?;
                }
                Ok(attached)
            })
            .map_err(|e| AppError::from_store("saving downloaded photos", e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_of_failure_has_its_own_words() {
        let reasons: Vec<String> = [
            DownloadError::Status(404),
            DownloadError::Status(403),
            DownloadError::Status(503),
            DownloadError::Timeout,
            DownloadError::TooManyRedirects(5),
            DownloadError::Unreachable("connection refused".into()),
        ]
        .iter()
        .map(|e| pending_reason(PhotoFailure::Download(e)))
        .collect();
        let mut distinct = reasons.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), reasons.len(), "{reasons:#?}");
        assert!(
            !reasons[5].contains("refused"),
            "no technical detail for the merchant: {}",
            reasons[5]
        );
    }

    #[test]
    fn a_web_page_is_told_apart_from_a_broken_photo() {
        let error = vitrine_media::MediaError::NotAnImage;
        let page = pending_reason(PhotoFailure::NotAPhoto {
            bytes: b"\n  <!DOCTYPE html><html><body>Hotlinking not allowed</body></html>",
            error: &error,
        });
        let other = pending_reason(PhotoFailure::NotAPhoto {
            bytes: b"GIF89a....",
            error: &error,
        });
        assert!(page.contains("web page"), "{page}");
        assert!(!other.contains("web page"), "{other}");
    }

    #[test]
    fn attempts_go_on_counting_for_the_same_address_in_the_same_slot() {
        let before = store_pending::PendingPhoto {
            product: ProductId::new_random(),
            sku: "A".into(),
            position: 1,
            url: "https://a.example/1.jpg".into(),
            reason: "slow".into(),
            attempts: 2,
            last_tried: "2026-12-01T10:00:00+00:00".into(),
        };
        let now = failed_photos(
            std::slice::from_ref(&before),
            vec![
                (1, before.url.clone(), "gone".into()),
                (2, "https://a.example/2.jpg".into(), "gone".into()),
            ],
            "2026-12-01T11:00:00+00:00",
        );
        let counts: Vec<u32> = now.iter().map(|f| f.attempts).collect();
        assert_eq!(
            counts,
            vec![3, 1],
            "the known address counts on, the new one starts"
        );
    }
}
