//! Creating products from a folder of photos: one product per photo, titled after the file.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use vitrine_core::{Money, Product, ProductDraft, ProductId, Sku};
use vitrine_store::files::sha256_hex;
use vitrine_store::{image_sources, products};

use crate::catalog::save_product;
use crate::images::{pipeline_options, process_within, DecodeBudget};
use crate::import::{ImportFormat, ImportProgress, ImportReport, RowError};
use crate::{AppError, Vitrine};

const EXTENSIONS: [&str; 5] = ["jpg", "jpeg", "png", "webp", "heic"];

/// `vestido-floral_azul (2).jpg` → `Vestido floral azul (2)`.
pub(crate) fn title_from_file_name(stem: &str) -> String {
    let spaced: String = stem
        .chars()
        .map(|c| if c == '_' || c == '-' { ' ' } else { c })
        .collect();
    let words: Vec<&str> = spaced.split_whitespace().collect();
    let joined = words.join(" ");
    let mut chars = joined.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => joined,
    }
}

/// `vestido floral (2)` → `VESTIDO-FLORAL-2`: Meta-safe, at most 100 characters.
pub(crate) fn sku_from_file_name(stem: &str) -> String {
    let mut sku = String::new();
    for c in stem.chars() {
        if c.is_alphanumeric() {
            sku.extend(c.to_uppercase());
        } else if !sku.ends_with('-') && !sku.is_empty() {
            sku.push('-');
        }
    }
    let sku = sku.trim_end_matches('-');
    sku.chars()
        .take(vitrine_core::product::SKU_MAX_CHARS)
        .collect()
}

impl Vitrine {
    /// Makes one product per photo in `dir` (JPEG, PNG, WebP), titled after the file name,
    /// priced 0 in the shop's currency for the merchant to fill in. Photos processed before
    /// are recognised, so running it again adds only new photos.
    pub fn import_photo_folder(
        &self,
        dir: &Path,
        progress: &mut dyn FnMut(ImportProgress),
        cancel: &AtomicBool,
    ) -> Result<ImportReport, AppError> {
        let entries = std::fs::read_dir(dir).map_err(|e| AppError::Unreadable {
            source_name: dir.display().to_string(),
            message: e.to_string(),
        })?;
        let mut files: Vec<_> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.is_file()
                    && p.extension()
                        .and_then(|e| e.to_str())
                        .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
            })
            .collect();
        files.sort();
        let shop = self.shop()?;
        let total = files.len() as u64;
        let mut report = ImportReport {
            format: ImportFormat::PhotoFolder,
            created: 0,
            updated: 0,
            unchanged: 0,
            errors: Vec::new(),
            photos_pending: Vec::new(),
            cancelled: false,
        };
        // Two photos at a time keep both cores busy while the window stays responsive,
        // within one memory budget.
        let budget = DecodeBudget::default();
        for (chunk_index, chunk) in files.chunks(2).enumerate() {
            if cancel.load(Ordering::Relaxed) {
                report.cancelled = true;
                break;
            }
            let outcomes: Vec<_> = chunk
                .par_iter()
                .map(|path| self.photo_product(path, &shop, &budget))
                .collect();
            for (i, (path, outcome)) in chunk.iter().zip(outcomes).enumerate() {
                let line = (chunk_index * 2 + i + 1) as u64;
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                match outcome {
                    Ok(true) => report.created += 1,
                    Ok(false) => report.unchanged += 1,
                    Err(e) => report.errors.push(RowError {
                        line,
                        sku: Some(name),
                        message: e.to_string(),
                    }),
                }
            }
            progress(ImportProgress {
                done: ((chunk_index + 1) * 2).min(files.len()) as u64,
                total,
            });
        }
        Ok(report)
    }

    /// Creates the product for one photo; `Ok(false)` when that photo was imported before.
    fn photo_product(
        &self,
        path: &Path,
        shop: &vitrine_core::Shop,
        budget: &DecodeBudget,
    ) -> Result<bool, AppError> {
        let bytes = self.read_source(&crate::ImageSource::File(path.to_owned()))?;
        let key = format!("sha256:{}", sha256_hex(&bytes));
        let storage = |e| AppError::from_store("importing photos", e);
        if self
            .store
            .read(|c| image_sources::lookup(c, &key))
            .map_err(storage)?
            .is_some()
        {
            return Ok(false);
        }
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let prepared =
            process_within(&bytes, &pipeline_options(), budget).map_err(|e| AppError::Image {
                source_name: path.display().to_string(),
                source: e,
            })?;
        let title = title_from_file_name(&stem);
        let base_sku = sku_from_file_name(&stem);
        let now = self.now();
        let stamp = now.to_rfc3339();
        let files = [(
            prepared.image.clone(),
            prepared.catalog.as_slice(),
            prepared.thumbnail.as_slice(),
        )];
        self.store
            .write_with_images(&files, &stamp, |tx| {
                // A SKU taken by another product gets a numeric suffix.
                let mut sku = if base_sku.is_empty() {
                    "PHOTO".to_owned()
                } else {
                    base_sku.clone()
                };
                let mut n = 2;
                while products::get_by_sku(tx, &sku)?.is_some() {
                    sku = format!("{}-{n}", base_sku.chars().take(95).collect::<String>());
                    n += 1;
                }
                let sku = Sku::parse(&sku)
                    .map_err(|e| vitrine_store::StoreError::Rejected(Box::new(e)))?;
                let mut draft = ProductDraft::new(
                    sku,
                    if title.is_empty() {
                        "Product".to_owned()
                    } else {
                        title.clone()
                    },
                    Money::from_minor(0, shop.currency),
                );
                draft.brand = String::new();
                let product = Product {
                    id: ProductId::new_random(),
                    draft,
                    images: vec![prepared.image.clone()],
                    created_at: now,
                    updated_at: now,
                };
                save_product(tx, &product, true, None)?;
                image_sources::remember(tx, &key, &prepared.image.hash)
            })
            .map_err(storage)?;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_become_titles_and_skus() {
        assert_eq!(
            title_from_file_name("vestido-floral_azul (2)"),
            "Vestido floral azul (2)"
        );
        assert_eq!(sku_from_file_name("vestido floral (2)"), "VESTIDO-FLORAL-2");
        assert_eq!(
            sku_from_file_name("فانوس نحاس"),
            "فانوس-نحاس",
            "non-Latin names stay readable"
        );
        assert_eq!(sku_from_file_name(&"a".repeat(150)).chars().count(), 100);
    }
}
