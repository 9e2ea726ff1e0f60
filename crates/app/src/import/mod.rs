//! Import and export of product files.
//!
//! Import reads Meta's catalog feed columns (`id,title,description,availability,…`), a
//! Shopify product export, a WooCommerce product export (detected by the header), or an
//! RSS/Atom product feed, in whatever encoding and delimiter the shop's computer wrote
//! (see `formats` and `text`). Each row stands alone: valid rows land, bad rows are
//! reported with their line number, and importing the same file again changes nothing
//! (rows are matched by SKU, photos by source). [`Vitrine::preview_import`] shows how a
//! file was understood before anything is written. Export writes Meta's feed columns plus Vitrine's own (collections,
//! translations), and re-imports to the same catalog.
//!
//! A CSV file may come from anyone, so what its cells name is checked before anything is
//! read: a photo path must lead (after `..` and symbolic links) to a regular file inside
//! the CSV's folder, or to one of Vitrine's own stored photos (as an export writes), of at
//! most 40 MB; a photo URL goes through the [`crate::Downloader`]'s address rules. A cell
//! refused so makes its row an error, with the reason. A row's photos are decoded within
//! one [`crate::DecodeBudget`].

mod export;
mod feed_xml;
mod formats;
mod html;
mod text;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use vitrine_core::{ContentHash, Product, ProductDraft, ProductId, ProductImage};
use vitrine_store::files::sha256_hex;
use vitrine_store::{image_sources, images, products, StoreError};

use crate::catalog::{preflight_context, resolve_collections, save_product};
use crate::images::{pipeline_options, process_within, DecodeBudget, PreparedImage};
use crate::input::{apply_patch, draft_from_new, NewProduct, ProductPatch};
use crate::{AppError, ImageSource, Vitrine};

pub use export::ExportSummary;
pub(crate) use export::{spreadsheet_number, spreadsheet_text};
pub use formats::{Delimiter, FileReading, ImportFormat, ReadChoices, RowNote};
pub use text::TextEncoding;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ImportProgress {
    pub done: u64,
    pub total: u64,
}

/// Where the products to import are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportFile {
    Path(PathBuf),
    /// An `https` address of a published file (a Google Sheet published as CSV).
    Url(String),
}

/// How an import runs.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Memory for decoded pixels that a row's photos share while they are processed.
    pub decode_budget: Arc<DecodeBudget>,
    /// The encoding, delimiter and currency the owner chose over detection.
    pub choices: ReadChoices,
    /// Give a SKU seen before in the file a new one (`SKU-2`…) instead of skipping the row.
    pub dedupe_skus: bool,
}

/// A row that was not imported, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    /// 1-based line in the file (the header is line 1).
    pub line: u64,
    pub sku: Option<String>,
    pub message: String,
}

/// What became of one row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum RowResult {
    Created,
    Updated,
    Unchanged,
    /// Not imported; the reason is also in [`ImportReport::errors`].
    Skipped {
        reason: String,
    },
    /// A row that groups others: it became a collection of `members` products.
    Collection {
        name: String,
        members: usize,
    },
}

/// One row of the file and its outcome, for the report the owner filters and saves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowOutcome {
    /// 1-based line in the file (the header is line 1).
    pub line: u64,
    pub sku: Option<String>,
    pub result: RowResult,
    pub notes: Vec<RowNote>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub format: ImportFormat,
    /// How the file was read (encoding, delimiter…); `None` for a folder of photos.
    pub reading: Option<FileReading>,
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// The rows not imported, with the reason (also in `rows`).
    pub errors: Vec<RowError>,
    /// Every row, in file order.
    pub rows: Vec<RowOutcome>,
    /// True when the import was cancelled before the end; rows before that were saved.
    pub cancelled: bool,
}

impl ImportReport {
    pub(crate) fn new(format: ImportFormat, reading: Option<FileReading>) -> Self {
        Self {
            format,
            reading,
            created: 0,
            updated: 0,
            unchanged: 0,
            errors: Vec::new(),
            rows: Vec::new(),
            cancelled: false,
        }
    }

    pub(crate) fn record(
        &mut self,
        line: u64,
        sku: Option<String>,
        result: RowResult,
        notes: Vec<RowNote>,
    ) {
        match &result {
            RowResult::Created => self.created += 1,
            RowResult::Updated => self.updated += 1,
            RowResult::Unchanged => self.unchanged += 1,
            RowResult::Skipped { reason } => self.errors.push(RowError {
                line,
                sku: sku.clone(),
                message: reason.clone(),
            }),
            RowResult::Collection { .. } => {}
        }
        self.rows.push(RowOutcome {
            line,
            sku,
            result,
            notes,
        });
    }
}

impl ImportReport {
    /// Writes the per-row report as CSV (line, SKU, result, reason or collection, notes),
    /// atomically, for the owner to keep or open in a spreadsheet.
    pub fn write_csv(&self, dest: &Path) -> Result<(), AppError> {
        let io = |e: std::io::Error| AppError::Unreadable {
            source_name: dest.display().to_string(),
            message: e.to_string(),
        };
        let dir = dest
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let tmp = tempfile::Builder::new()
            .prefix(".vitrine-report-")
            .tempfile_in(dir)
            .map_err(io)?;
        {
            let mut w = csv::Writer::from_writer(tmp.as_file());
            let csv_err = |e: csv::Error| AppError::Unreadable {
                source_name: dest.display().to_string(),
                message: e.to_string(),
            };
            w.write_record(["line", "sku", "result", "detail", "notes"])
                .map_err(csv_err)?;
            for row in &self.rows {
                let (result, detail) = match &row.result {
                    RowResult::Created => ("created", String::new()),
                    RowResult::Updated => ("updated", String::new()),
                    RowResult::Unchanged => ("unchanged", String::new()),
                    RowResult::Skipped { reason } => ("skipped", reason.clone()),
                    RowResult::Collection { name, members } => {
                        ("collection", format!("{name} ({members} products)"))
                    }
                };
                let notes: Vec<String> = row.notes.iter().map(ToString::to_string).collect();
                w.write_record(
                    [
                        row.line.to_string(),
                        row.sku.clone().unwrap_or_default(),
                        result.to_owned(),
                        detail,
                        notes.join("; "),
                    ]
                    .map(spreadsheet_text),
                )
                .map_err(csv_err)?;
            }
            w.flush().map_err(io)?;
        }
        tmp.as_file().sync_all().map_err(io)?;
        tmp.persist(dest).map_err(|e| io(e.error))?;
        Ok(())
    }
}

/// The first rows of a file as Vitrine understood them, before importing it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportPreview {
    pub format: ImportFormat,
    pub reading: FileReading,
    /// Products the file holds (rows that read as a product).
    pub products: u64,
    /// Rows that could not be read at all (with the reason), of the whole file.
    pub unreadable: Vec<RowError>,
    /// The first [`PREVIEW_ROWS`] products.
    pub rows: Vec<PreviewRow>,
}

/// How many products a preview shows.
pub const PREVIEW_ROWS: usize = 8;

/// One product as read from the file, in the preview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PreviewRow {
    pub line: u64,
    pub sku: Option<String>,
    pub title: Option<String>,
    /// The amount as a plain decimal (`1234.50`), as it will be read.
    pub price: Option<String>,
    /// The file's currency for this row; `None` when the shop's (or the chosen) one applies.
    pub currency: Option<String>,
    pub availability: Option<String>,
    pub stock: Option<u32>,
    pub photos: u32,
    pub notes: Vec<RowNote>,
}

/// One product read from a row: the fields its columns set (`None` = no such column).
#[derive(Debug, Clone, Default)]
pub(crate) struct RowData {
    pub line: u64,
    pub patch: ProductPatch,
    /// Photo sources in order; `None` when the file has no image column.
    pub images: Option<Vec<String>>,
    /// A cell that could not be read; the row is reported instead of imported.
    pub problem: Option<String>,
    pub notes: Vec<RowNote>,
}

/// The folder a CSV's photo paths are relative to and confined to, as given and resolved
/// (canonical: `..` and symbolic links followed), so a path is compared by where it really is.
struct PhotoFolders {
    csv_dir: PathBuf,
    real: Option<PathBuf>,
}

impl PhotoFolders {
    /// No folder: a file from the web may name photos by URL only.
    fn none() -> Self {
        Self {
            csv_dir: PathBuf::new(),
            real: None,
        }
    }

    fn of(csv: &Path) -> Self {
        let csv_dir = csv
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_owned();
        let real = csv_dir.canonicalize().ok();
        Self { csv_dir, real }
    }
}

/// Rows written together in one transaction; each row in its own savepoint.
const CHUNK: usize = 200;

struct Pending {
    line: u64,
    notes: Vec<RowNote>,
    product: Product,
    is_new: bool,
    collections: Option<Vec<String>>,
    new_collections: Vec<String>,
    images: Vec<PreparedImage>,
    sources: Vec<(String, ContentHash)>,
}

impl Vitrine {
    /// Imports a CSV file; see the module documentation.
    pub fn import_csv(
        &self,
        path: &Path,
        progress: &mut dyn FnMut(ImportProgress),
    ) -> Result<ImportReport, AppError> {
        self.import_csv_cancellable(path, progress, &AtomicBool::new(false))
    }

    /// Like [`Vitrine::import_csv`], stopping between rows once `cancel` is set.
    pub fn import_csv_cancellable(
        &self,
        path: &Path,
        progress: &mut dyn FnMut(ImportProgress),
        cancel: &AtomicBool,
    ) -> Result<ImportReport, AppError> {
        self.import_csv_with(path, &ImportOptions::default(), progress, cancel)
    }

    /// Like [`Vitrine::import_csv_cancellable`], with `options`.
    pub fn import_csv_with(
        &self,
        path: &Path,
        options: &ImportOptions,
        progress: &mut dyn FnMut(ImportProgress),
        cancel: &AtomicBool,
    ) -> Result<ImportReport, AppError> {
        let bytes = read_import_file(path)?;
        let folders = PhotoFolders::of(path);
        self.import_bytes(&bytes, &folders, options, progress, cancel)
    }

    /// Imports a file on this computer or published on the web, such as a Google Sheet's
    /// "Publish to the web" CSV link. A file from the web must name its photos by URL: a
    /// file path in it is refused, as it would name a file on this computer.
    pub fn import_file(
        &self,
        file: &ImportFile,
        options: &ImportOptions,
        progress: &mut dyn FnMut(ImportProgress),
        cancel: &AtomicBool,
    ) -> Result<ImportReport, AppError> {
        match file {
            ImportFile::Path(path) => self.import_csv_with(path, options, progress, cancel),
            ImportFile::Url(url) => {
                let bytes = self.read_source(&ImageSource::Url(url.clone()))?;
                self.import_bytes(&bytes, &PhotoFolders::none(), options, progress, cancel)
            }
        }
    }

    /// How `file` reads, with its first products, without importing anything.
    pub fn preview_import(
        &self,
        file: &ImportFile,
        choices: &ReadChoices,
    ) -> Result<ImportPreview, AppError> {
        let bytes = match file {
            ImportFile::Path(path) => read_import_file(path)?,
            ImportFile::Url(url) => self.read_source(&ImageSource::Url(url.clone()))?,
        };
        preview_of(&bytes, choices)
    }

    fn import_bytes(
        &self,
        bytes: &[u8],
        folders: &PhotoFolders,
        options: &ImportOptions,
        progress: &mut dyn FnMut(ImportProgress),
        cancel: &AtomicBool,
    ) -> Result<ImportReport, AppError> {
        let parsed = formats::parse(bytes, &options.choices)?;
        let mut report = ImportReport::new(parsed.format, Some(parsed.reading));
        for e in parsed.errors {
            report.record(
                e.line,
                e.sku,
                RowResult::Skipped { reason: e.message },
                Vec::new(),
            );
        }
        for g in parsed.groupings {
            report.record(
                g.line,
                None,
                RowResult::Collection {
                    name: g.name,
                    members: g.members,
                },
                Vec::new(),
            );
        }
        let total = parsed.rows.len() as u64;
        let shop = self.shop()?;
        let mut seen: HashMap<String, u64> = HashMap::new();
        let mut seen_images: HashMap<String, ProductImage> = HashMap::new();
        let mut chunk: Vec<Pending> = Vec::new();
        for (i, mut row) in parsed.rows.into_iter().enumerate() {
            if cancel.load(Ordering::Relaxed) {
                report.cancelled = true;
                break;
            }
            let mut sku = row.patch.sku.clone().unwrap_or_default().trim().to_owned();
            if let (Some(&first), true) = (seen.get(&sku), options.dedupe_skus) {
                let renamed = free_sku(&sku, &seen);
                row.notes.push(RowNote::SkuRenamed {
                    original: sku.clone(),
                    first_line: first,
                });
                row.patch.sku = Some(renamed.clone());
                sku = renamed;
            }
            let known = (!sku.is_empty()).then(|| sku.clone());
            if let Some(problem) = &row.problem {
                report.record(
                    row.line,
                    known,
                    RowResult::Skipped {
                        reason: problem.clone(),
                    },
                    row.notes,
                );
            } else if let Some(first) = seen.get(&sku).filter(|_| !sku.is_empty()) {
                report.record(
                    row.line,
                    known,
                    RowResult::Skipped {
                        reason: format!(
                            "this SKU already appeared on line {first}; each product must appear once (or import with “give duplicates new SKUs”)"
                        ),
                    },
                    row.notes,
                );
            } else {
                seen.insert(sku.clone(), row.line);
                match self.plan_row(&row, &shop, folders, options, &mut seen_images) {
                    Ok(Some(pending)) => chunk.push(pending),
                    Ok(None) => report.record(row.line, known, RowResult::Unchanged, row.notes),
                    Err(e) => report.record(
                        row.line,
                        known,
                        RowResult::Skipped {
                            reason: e.to_string(),
                        },
                        row.notes,
                    ),
                }
            }
            if chunk.len() >= CHUNK {
                self.write_chunk(std::mem::take(&mut chunk), &mut report)?;
            }
            progress(ImportProgress {
                done: i as u64 + 1,
                total,
            });
        }
        self.write_chunk(chunk, &mut report)?;
        report.errors.sort_by_key(|e| e.line);
        report.rows.sort_by_key(|r| r.line);
        Ok(report)
    }

    /// Works out what a row changes; `None` when the product is already exactly so.
    fn plan_row(
        &self,
        row: &RowData,
        shop: &vitrine_core::Shop,
        folders: &PhotoFolders,
        options: &ImportOptions,
        seen_images: &mut HashMap<String, ProductImage>,
    ) -> Result<Option<Pending>, AppError> {
        let sku = row
            .patch
            .sku
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| AppError::invalid("id", "the row has no SKU (id)"))?;
        let existing = self
            .store
            .read(|c| products::get_by_sku(c, sku))
            .map_err(|e| AppError::from_store("reading a product", e))?;
        let names = row.patch.collections.clone();
        let (known_ids, new_collections) =
            self.split_collections(names.as_deref().unwrap_or_default())?;
        let now = self.now();
        let original = existing.clone();
        let (mut product, is_new) = match existing {
            Some(mut product) => {
                let ids = names.as_ref().map(|_| known_ids.clone());
                apply_patch(&mut product.draft, &row.patch, ids)?;
                (product, false)
            }
            None => {
                let new = new_product_from(&row.patch)?;
                let draft: ProductDraft = draft_from_new(&new, shop.currency, known_ids)?;
                (
                    Product {
                        id: ProductId::new_random(),
                        draft,
                        images: Vec::new(),
                        created_at: now,
                        updated_at: now,
                    },
                    true,
                )
            }
        };
        let mut prepared_images = Vec::new();
        let mut sources = Vec::new();
        if let Some(cells) = &row.images {
            let (list, fresh, remembered) =
                self.resolve_images(cells, folders, &options.decode_budget, seen_images)?;
            if !list.is_empty() || is_new {
                product.images = list;
            }
            prepared_images = fresh;
            sources = remembered;
        }
        if let Some(before) = original.filter(|_| new_collections.is_empty()) {
            if before.draft == product.draft && before.images == product.images {
                return Ok(None);
            }
        }
        product.updated_at = now;
        Ok(Some(Pending {
            line: row.line,
            notes: row.notes.clone(),
            product,
            is_new,
            collections: names,
            new_collections,
            images: prepared_images,
            sources,
        }))
    }

    /// The real path of the photo file a cell names (relative to the CSV's folder), when it
    /// is inside that folder or is one of Vitrine's own stored photos (the paths an export
    /// writes). An absolute path elsewhere, a `..` or a symbolic link leading out is refused.
    fn confine_photo(&self, folders: &PhotoFolders, cell: &Path) -> Result<PathBuf, AppError> {
        let joined = folders.csv_dir.join(cell);
        let real = joined
            .canonicalize()
            .map_err(|e| crate::images::unreadable(&joined, &e))?;
        let inside = folders
            .real
            .as_ref()
            .is_some_and(|dir| real.starts_with(dir));
        let stored = || {
            let stem = real.file_stem()?.to_str()?;
            let hash = ContentHash::parse(stem).ok()?;
            let own = self.image_path(&hash).canonicalize().ok()?;
            (own == real).then_some(())
        };
        if inside || stored().is_some() {
            Ok(real)
        } else {
            Err(AppError::Unreadable {
                source_name: cell.display().to_string(),
                message: "the photo is outside the folder of the CSV file; put the photos in that folder (or one inside it) and name them by their path from there".to_owned(),
            })
        }
    }

    fn split_collections(
        &self,
        names: &[String],
    ) -> Result<(Vec<vitrine_core::CollectionId>, Vec<String>), AppError> {
        let mut ids = Vec::new();
        let mut missing = Vec::new();
        for name in names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
            match self
                .store
                .read(|c| vitrine_store::collections::find_by_name(c, name))
                .map_err(|e| AppError::from_store("reading collections", e))?
            {
                Some(c) if !ids.contains(&c.id) => ids.push(c.id),
                Some(_) => {}
                None => missing.push(name.to_owned()),
            }
        }
        Ok((ids, missing))
    }

    /// Turns image cells into stored images: known sources are reused, the rest are read
    /// (or downloaded) and processed in parallel within `budget`. Returns the ordered list, the images to
    /// write, and the source → image mappings to remember.
    #[expect(
        clippy::type_complexity,
        reason = "a private helper returning three parallel lists"
    )]
    fn resolve_images(
        &self,
        cells: &[String],
        folders: &PhotoFolders,
        budget: &DecodeBudget,
        seen: &mut HashMap<String, ProductImage>,
    ) -> Result<
        (
            Vec<ProductImage>,
            Vec<PreparedImage>,
            Vec<(String, ContentHash)>,
        ),
        AppError,
    > {
        enum Slot {
            Known(ProductImage),
            Fresh(usize),
        }
        let mut slots = Vec::new();
        let mut raw: Vec<(String, String, Vec<u8>)> = Vec::new();
        for cell in cells {
            let source = match ImageSource::parse(cell) {
                ImageSource::File(p) => ImageSource::File(self.confine_photo(folders, &p)?),
                other => other,
            };
            let (key, bytes) = match &source {
                ImageSource::Url(url) => (format!("url:{url}"), None),
                _ => {
                    let bytes = self.read_source(&source)?;
                    let hash = sha256_hex(&bytes);
                    // The file may be one of our own stored images (an exported catalog).
                    if let Some(image) = self
                        .store
                        .read(|c| images::get(c, &hash))
                        .map_err(|e| AppError::from_store("reading images", e))?
                    {
                        slots.push(Slot::Known(image));
                        continue;
                    }
                    (format!("sha256:{hash}"), Some(bytes))
                }
            };
            // A photo shared by several rows of this file is processed once.
            if let Some(image) = seen.get(&key) {
                slots.push(Slot::Known(image.clone()));
                continue;
            }
            let known = self.store.read(|c| match image_sources::lookup(c, &key)? {
                Some(hash) => images::get(c, &hash),
                None => Ok(None),
            });
            if let Some(image) = known.map_err(|e| AppError::from_store("reading images", e))? {
                slots.push(Slot::Known(image));
                continue;
            }
            let bytes = match bytes {
                Some(b) => b,
                None => self.read_source(&source)?,
            };
            slots.push(Slot::Fresh(raw.len()));
            raw.push((source.name(), key, bytes));
        }
        let opts = pipeline_options();
        let outputs: Vec<_> = raw
            .par_iter()
            .map(|(_, _, bytes)| process_within(bytes, &opts, budget))
            .collect();
        let mut fresh = Vec::new();
        let mut remembered = Vec::new();
        for ((name, key, _), out) in raw.into_iter().zip(outputs) {
            let p = out.map_err(|e| AppError::Image {
                source_name: name,
                source: e,
            })?;
            seen.insert(key.clone(), p.image.clone());
            remembered.push((key, p.image.hash.clone()));
            fresh.push(p);
        }
        let mut list: Vec<ProductImage> = Vec::new();
        for slot in slots {
            let image = match slot {
                Slot::Known(image) => image,
                Slot::Fresh(i) => fresh[i].image.clone(),
            };
            if !list.iter().any(|i| i.hash == image.hash) {
                list.push(image);
            }
        }
        Ok((list, fresh, remembered))
    }

    fn write_chunk(&self, chunk: Vec<Pending>, report: &mut ImportReport) -> Result<(), AppError> {
        if chunk.is_empty() {
            return Ok(());
        }
        let ctx = preflight_context(&self.shop()?, self.storefront_url()?);
        let files: Vec<_> = chunk
            .iter()
            .flat_map(|p| {
                p.images.iter().map(|i| {
                    (
                        i.image.clone(),
                        i.catalog.as_slice(),
                        i.thumbnail.as_slice(),
                    )
                })
            })
            .collect();
        let stamp = self.now().to_rfc3339();
        let outcomes = self
            .store
            .write_with_images(&files, &stamp, |tx| {
                let mut outcomes = Vec::new();
                for pending in &chunk {
                    tx.execute_batch("SAVEPOINT import_row")?;
                    let result = (|| -> Result<(), StoreError> {
                        let mut product = pending.product.clone();
                        if let Some(names) = &pending.collections {
                            if !pending.new_collections.is_empty() {
                                product.draft.collections = resolve_collections(tx, names)?;
                            }
                        }
                        if pending.is_new {
                            save_product(tx, &product, true, Some(&ctx))?;
                        } else {
                            save_product(tx, &product, false, Some(&ctx))?;
                        }
                        for (source, hash) in &pending.sources {
                            image_sources::remember(tx, source, hash)?;
                        }
                        Ok(())
                    })();
                    match result {
                        Ok(()) => tx.execute_batch("RELEASE import_row")?,
                        Err(_) => tx.execute_batch("ROLLBACK TO import_row; RELEASE import_row")?,
                    }
                    outcomes.push(result.map_err(|e| AppError::from_store("saving", e)));
                }
                Ok(outcomes)
            })
            .map_err(|e| AppError::from_store("saving imported products", e))?;
        for (pending, outcome) in chunk.into_iter().zip(outcomes) {
            let result = match outcome {
                Ok(()) if pending.is_new => RowResult::Created,
                Ok(()) => RowResult::Updated,
                Err(e) => RowResult::Skipped {
                    reason: e.to_string(),
                },
            };
            let sku = Some(pending.product.draft.sku.to_string());
            report.record(pending.line, sku, result, pending.notes);
        }
        Ok(())
    }
}

/// An import file's bytes, or why they cannot be read.
fn read_import_file(path: &Path) -> Result<Vec<u8>, AppError> {
    std::fs::read(path).map_err(|e| AppError::Unreadable {
        source_name: path.display().to_string(),
        message: e.to_string(),
    })
}

fn preview_of(bytes: &[u8], choices: &ReadChoices) -> Result<ImportPreview, AppError> {
    let parsed = formats::parse(bytes, choices)?;
    let rows = parsed
        .rows
        .iter()
        .take(PREVIEW_ROWS)
        .map(|row| {
            let p = &row.patch;
            PreviewRow {
                line: row.line,
                sku: p.sku.clone().filter(|s| !s.is_empty()),
                title: p.title.clone().filter(|s| !s.is_empty()),
                price: p.price.clone(),
                currency: p.currency.clone(),
                availability: p.availability.clone(),
                stock: p.stock.flatten(),
                photos: row.images.as_ref().map_or(0, |i| i.len() as u32),
                notes: row.notes.clone(),
            }
        })
        .collect();
    Ok(ImportPreview {
        format: parsed.format,
        reading: parsed.reading,
        products: parsed.rows.len() as u64,
        unreadable: parsed.errors,
        rows,
    })
}

/// The first of `SKU-2`, `SKU-3`… not yet used in the file.
fn free_sku(sku: &str, seen: &HashMap<String, u64>) -> String {
    (2..)
        .map(|n| format!("{sku}-{n}"))
        .find(|candidate| !seen.contains_key(candidate))
        .unwrap_or_else(|| sku.to_owned())
}

fn new_product_from(patch: &ProductPatch) -> Result<NewProduct, AppError> {
    let title = patch
        .title
        .clone()
        .filter(|t| !t.trim().is_empty())
        .ok_or_else(|| AppError::invalid("title", "the row has no title"))?;
    let price = patch
        .price
        .clone()
        .filter(|p| !p.trim().is_empty())
        .ok_or_else(|| AppError::invalid("price", "the row has no price"))?;
    Ok(NewProduct {
        sku: patch.sku.clone().unwrap_or_default(),
        title,
        description: patch.description.clone().unwrap_or_default(),
        brand: patch.brand.clone().unwrap_or_default(),
        price,
        currency: patch.currency.clone(),
        sale_price: patch.sale_price.clone(),
        sale_window: patch.sale_window.clone(),
        availability: patch.availability.clone(),
        condition: patch.condition.clone(),
        stock: patch.stock.flatten(),
        link: patch.link.clone(),
        collections: Vec::new(),
        variant: patch.variant.clone().flatten(),
        translations: patch.translations.clone().unwrap_or_default(),
        gtin: patch.gtin.clone(),
        published: patch.published,
    })
}
