//! Export in Meta's feed columns, plus Vitrine's `collections` and `title[lang]` /
//! `description[lang]` columns so an export re-imports to the same catalog.
//!
//! Every text cell is made safe for a spreadsheet: one that starts with a character a
//! spreadsheet reads as the start of a formula (`=`, `+`, `-`, `@`, tab, carriage return)
//! gets a leading `'` (OWASP's advice on CSV injection), which spreadsheets show as text.
//! A cell that itself starts with `'` gets one more, so the importer, which removes one
//! `'` before either, gives back every text exactly (see `formats`). Numeric cells (amounts and
//! quantities in the orders export) that are a plain number are left as they are: `-5` is
//! a number to a spreadsheet, never a formula.

use std::collections::BTreeSet;
use std::path::Path;

use serde::Serialize;
use vitrine_core::sync_plan::{feed_cell, feed_fields, FeedContext, FEED_COLUMNS};
use vitrine_core::{ContentHash, LanguageTag};
use vitrine_store::{collections, products};

use crate::files::write_atomically_with;
use crate::{AppError, Vitrine};

/// First characters that make a spreadsheet read a cell as a formula.
pub(crate) const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A text cell as a spreadsheet must see it: a `'` before a formula's first character, and
/// before a `'` the text itself starts with (so the importer, which removes one `'` before
/// either, gives back the text as it was).
pub(crate) fn spreadsheet_text(cell: String) -> String {
    if cell.starts_with(FORMULA_STARTS) || cell.starts_with('\'') {
        format!("'{cell}")
    } else {
        cell
    }
}

/// A numeric cell: a plain decimal number (`-5`, `12.50`) as is, anything else as text.
pub(crate) fn spreadsheet_number(cell: String) -> String {
    let digits = cell.strip_prefix('-').unwrap_or(&cell);
    let plain = match digits.split_once('.') {
        Some((whole, fraction)) => is_digits(whole) && is_digits(fraction),
        None => is_digits(digits),
    };
    if plain {
        cell
    } else {
        spreadsheet_text(cell)
    }
}

fn is_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportSummary {
    pub products: u64,
}

/// How an export file is written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExportOptions {
    /// For Excel: UTF-8 with a byte-order mark (so Excel reads the letters right) and `;`
    /// between cells (what Excel expects where the decimal mark is a comma: pt, es, fr, id,
    /// ar…). Prices stay in Meta's `12.99 BRL` form, which the importer reads back as is.
    pub excel: bool,
}

impl Vitrine {
    /// Writes every product to `dest` as CSV (atomically: a temp file renamed into place).
    /// The feed columns are the ones a sync sends (`sync_plan::feed_fields`), except that
    /// `image_link` holds the stored photo's file path, which re-imports without re-processing.
    /// Cells are made safe for spreadsheets (see the module documentation).
    pub fn export_csv(&self, dest: &Path) -> Result<ExportSummary, AppError> {
        self.export_csv_with(dest, ExportOptions::default())
    }

    /// Like [`Vitrine::export_csv`], written as `options` say.
    pub fn export_csv_with(
        &self,
        dest: &Path,
        options: ExportOptions,
    ) -> Result<ExportSummary, AppError> {
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
        let image_path = |hash: &ContentHash| self.image_path(hash).display().to_string();
        let feed = FeedContext {
            shop_brand: &shop.brand,
            fallback_link: None,
            image_url: &image_path,
            context_key: "",
        };

        write_atomically_with(dest, |file| {
            if options.excel {
                std::io::Write::write_all(file, b"\xEF\xBB\xBF")?;
            }
            let mut w = csv::WriterBuilder::new()
                .delimiter(if options.excel { b';' } else { b',' })
                .from_writer(file);
            let mut header: Vec<String> = FEED_COLUMNS.iter().map(|c| (*c).to_owned()).collect();
            header.push("collections".to_owned());
            header.push("visibility".to_owned());
            for l in &languages {
                header.push(format!("title[{l}]"));
                header.push(format!("description[{l}]"));
            }
            w.write_record(&header)?;
            for p in &items {
                let fields = feed_fields(p, &feed);
                let mut record: Vec<String> =
                    FEED_COLUMNS.iter().map(|c| feed_cell(&fields, c)).collect();
                let names: Vec<&str> = p
                    .draft
                    .collections
                    .iter()
                    .filter_map(|id| {
                        all_collections
                            .iter()
                            .find(|c| c.id == *id)
                            .map(|c| c.name.as_str())
                    })
                    .collect();
                record.push(names.join(";"));
                record.push(
                    if p.draft.published {
                        "published"
                    } else {
                        "staging"
                    }
                    .to_owned(),
                );
                for l in &languages {
                    let t = p.draft.translations.iter().find(|t| &t.language == l);
                    record.push(t.map(|t| t.title.clone()).unwrap_or_default());
                    record.push(t.map(|t| t.description.clone()).unwrap_or_default());
                }
                w.write_record(record.into_iter().map(spreadsheet_text))?;
            }
            w.flush()
        })?;
        Ok(ExportSummary {
            products: items.len() as u64,
        })
    }
}
