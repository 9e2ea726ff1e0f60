//! Export in Meta's feed columns, plus Vitrine's `collections` and `title[lang]` /
//! `description[lang]` columns so an export re-imports to the same catalog.

use std::collections::BTreeSet;
use std::path::Path;

use serde::Serialize;
use vitrine_core::{LanguageTag, SaleWindow};
use vitrine_store::{collections, products};

use crate::{AppError, Vitrine};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportSummary {
    pub products: u64,
}

const VARIANT_COLUMNS: [&str; 4] = ["size", "color", "material", "pattern"];

impl Vitrine {
    /// Writes every product to `dest` as CSV (atomically: a temp file renamed into place).
    /// `image_link` holds the stored photo's file path, which re-imports without re-processing.
    pub fn export_csv(&self, dest: &Path) -> Result<ExportSummary, AppError> {
        let shop = self.shop()?;
        let storage = |e| AppError::from_store("exporting", e);
        let all_collections = self.store.read(collections::list).map_err(storage)?;
        let ids = self.store.read(products::all_ids).map_err(storage)?;
        let mut items = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(p) = self.store.read(|c| products::get(c, id)).map_err(storage)? {
                items.push(p);
            }
        }
        let languages: BTreeSet<LanguageTag> = items
            .iter()
            .flat_map(|p| p.draft.translations.iter().map(|t| t.language.clone()))
            .collect();
        let dir = dest
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let io = |e: std::io::Error| AppError::Unreadable {
            source_name: dest.display().to_string(),
            message: e.to_string(),
        };
        let tmp = tempfile::Builder::new()
            .prefix(".vitrine-export-")
            .tempfile_in(dir)
            .map_err(io)?;
        {
            let mut w = csv::Writer::from_writer(tmp.as_file());
            let mut header: Vec<String> = [
                "id",
                "title",
                "description",
                "availability",
                "condition",
                "price",
                "link",
                "image_link",
                "additional_image_link",
                "brand",
                "sale_price",
                "sale_price_effective_date",
                "item_group_id",
                "size",
                "color",
                "material",
                "pattern",
                "additional_variant_attribute",
                "quantity_to_sell_on_facebook",
                "collections",
            ]
            .map(str::to_owned)
            .to_vec();
            for l in &languages {
                header.push(format!("title[{l}]"));
                header.push(format!("description[{l}]"));
            }
            let csv_err = |e: csv::Error| AppError::Unreadable {
                source_name: dest.display().to_string(),
                message: e.to_string(),
            };
            w.write_record(&header).map_err(csv_err)?;
            for p in &items {
                let d = &p.draft;
                let brand = if d.brand.is_empty() {
                    shop.brand.clone()
                } else {
                    d.brand.clone()
                };
                let image_paths: Vec<String> = p
                    .images
                    .iter()
                    .map(|i| self.image_path(&i.hash).display().to_string())
                    .collect();
                let attributes = d
                    .variant
                    .as_ref()
                    .map(|v| v.attributes.clone())
                    .unwrap_or_default();
                let known = |name: &str| {
                    attributes
                        .iter()
                        .find(|a| a.name.eq_ignore_ascii_case(name))
                        .map(|a| a.value.clone())
                        .unwrap_or_default()
                };
                let extra = attributes
                    .iter()
                    .filter(|a| {
                        !VARIANT_COLUMNS
                            .iter()
                            .any(|c| a.name.eq_ignore_ascii_case(c))
                    })
                    .map(|a| format!("{}:{}", a.name, a.value))
                    .collect::<Vec<_>>()
                    .join(",");
                let names: Vec<String> = d
                    .collections
                    .iter()
                    .filter_map(|id| {
                        all_collections
                            .iter()
                            .find(|c| c.id == *id)
                            .map(|c| c.name.clone())
                    })
                    .collect();
                let mut record = vec![
                    d.sku.to_string(),
                    d.title.clone(),
                    d.description.clone(),
                    d.availability.as_meta().to_owned(),
                    d.condition.as_meta().to_owned(),
                    d.price.to_meta_string(),
                    d.link.clone().unwrap_or_default(),
                    image_paths.first().cloned().unwrap_or_default(),
                    image_paths
                        .iter()
                        .skip(1)
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(","),
                    brand,
                    d.sale
                        .as_ref()
                        .map(|s| s.price.to_meta_string())
                        .unwrap_or_default(),
                    d.sale
                        .as_ref()
                        .and_then(|s| s.window.as_ref())
                        .map(SaleWindow::to_meta_string)
                        .unwrap_or_default(),
                    d.variant
                        .as_ref()
                        .map(|v| v.group_id.clone())
                        .unwrap_or_default(),
                    known("size"),
                    known("color"),
                    known("material"),
                    known("pattern"),
                    extra,
                    d.stock.map(|s| s.to_string()).unwrap_or_default(),
                    names.join(";"),
                ];
                for l in &languages {
                    let t = d.translations.iter().find(|t| &t.language == l);
                    record.push(t.map(|t| t.title.clone()).unwrap_or_default());
                    record.push(t.map(|t| t.description.clone()).unwrap_or_default());
                }
                w.write_record(&record).map_err(csv_err)?;
            }
            w.flush().map_err(io)?;
        }
        tmp.as_file().sync_all().map_err(io)?;
        tmp.persist(dest).map_err(|e| io(e.error))?;
        Ok(ExportSummary {
            products: items.len() as u64,
        })
    }
}
