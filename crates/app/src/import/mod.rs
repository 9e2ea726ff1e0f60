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
//! refused so makes its row an error, with the reason. A row's photos are downloaded in
//! parallel (a few at a time) and decoded within one [`crate::DecodeBudget`].
//!
//! A photo URL that gives no photo (offline, dead link, refused, a web page instead of a
//! photo, too slow, redirects in a loop) does not cost its row: the product is saved with
//! the photos that arrived and the missing one waits as a pending photo, in its slot of the
//! file's order, with why (see [`Vitrine::retry_pending_photos`]). Importing the file again tries it
//! again and replaces the product's pending list.

mod export;
mod feed_xml;
mod formats;
mod html;
mod lines;
mod text;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use vitrine_core::preflight::PreflightContext;
use vitrine_core::{ContentHash, Product, ProductDraft, ProductId, ProductImage};
use vitrine_store::files::sha256_hex;
use vitrine_store::pending_photos::{self as store_pending, FailedPhoto};
use vitrine_store::{image_sources, images, products, StoreError, Transaction};

use crate::catalog::{preflight_context, resolve_collections, save_product};
use crate::images::{pipeline_options, process_within, DecodeBudget, PreparedImage};
use crate::input::{apply_patch, draft_from_new, NewProduct, ProductPatch};
use crate::pending_photos::{failed_photos, pending_reason, PhotoFailure};
use crate::{AppError, ImageSource, InputField, Vitrine};
use vitrine_download::UnreachableHosts;

pub(crate) use export::{spreadsheet_number, spreadsheet_text};
pub use export::{ExportOptions, ExportSummary};
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

/// A photo of an imported row that could not be downloaded; it waits as a pending photo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PendingPhotoReport {
    /// 1-based line in the file (the header is line 1).
    pub line: u64,
    pub sku: String,
    pub url: String,
    /// Why it did not arrive, for the merchant.
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
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
    /// Photos of saved rows that wait to be downloaded, by line.
    pub photos_pending: Vec<PendingPhotoReport>,
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
            photos_pending: Vec::new(),
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
        let csv_err = |e: csv::Error| AppError::Unreadable {
            source_name: dest.display().to_string(),
            message: e.to_string(),
        };
        let mut w = csv::Writer::from_writer(Vec::new());
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
            let mut notes: Vec<String> = row.notes.iter().map(ToString::to_string).collect();
            notes.extend(
                self.photos_pending
                    .iter()
                    .filter(|p| p.line == row.line)
                    .map(|p| format!("photo pending: {} ({})", p.url, p.reason)),
            );
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
        let bytes = w.into_inner().map_err(|e| AppError::Unreadable {
            source_name: dest.display().to_string(),
            message: e.to_string(),
        })?;
        crate::files::write_atomically(dest, &bytes)
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

/// Rows written together in one transaction (again row by row, each in a savepoint, only when
/// the database refuses one of them).
const CHUNK: usize = 200;

struct Pending {
    line: u64,
    notes: Vec<RowNote>,
    product: Product,
    is_new: bool,
    /// False when only the product's pending photos change (the product is unchanged).
    save: bool,
    collections: Option<Vec<String>>,
    new_collections: Vec<String>,
    images: Vec<PreparedImage>,
    sources: Vec<(String, ContentHash)>,
    /// The product's pending photos after this row; `None` leaves them as they are.
    photos_pending: Option<Vec<FailedPhoto>>,
}

/// What a row's photo cells became.
struct ResolvedImages {
    /// The photos that arrived, in the file's order.
    list: Vec<ProductImage>,
    /// The ones to write.
    fresh: Vec<PreparedImage>,
    /// Source → image mappings to remember.
    remembered: Vec<(String, ContentHash)>,
    /// URL photos that gave no photo: slot in the file's order, URL, reason.
    failed: Vec<(u32, String, String)>,
}

/// What each photo source (`url:…`, `sha256:…`) met so far in one file became: its image,
/// or why a URL gave none.
#[derive(Default)]
struct SeenPhotos {
    photos: HashMap<String, Result<ProductImage, String>>,
    /// Hosts that could not be reached: their other photos wait at once, for the same
    /// reason, instead of each waiting for the network (an offline import of a shop with
    /// 5,000 photo URLs on one CDN).
    hosts: UnreachableHosts,
    /// Photos downloaded ahead of the rows, in the file's order.
    ahead: Option<Ahead>,
}

/// How many downloaded photos may wait for their row (memory stays bounded: at most this
/// many photos, plus one batch being downloaded).
const PHOTOS_AHEAD: usize = 16;

/// A photo URL and its download (`None`: not downloaded, as Vitrine had it already).
type Downloaded = (String, Option<Result<Vec<u8>, crate::DownloadError>>);

/// The receiving end of the download-ahead thread: each photo URL of the file once, in
/// order, with its download (`None`: not downloaded, as it was known already).
struct Ahead {
    rx: std::sync::mpsc::Receiver<Downloaded>,
    /// Arrived but not asked for yet.
    waiting: HashMap<String, Option<Result<Vec<u8>, crate::DownloadError>>>,
}

impl Ahead {
    /// The download of `url` if the thread made one; `None` when it did not (or stopped).
    fn take(&mut self, url: &str) -> Option<Result<Vec<u8>, crate::DownloadError>> {
        if let Some(found) = self.waiting.remove(url) {
            return found;
        }
        while let Ok((next, download)) = self.rx.recv() {
            if next == url {
                return download;
            }
            // A photo of a row that was skipped is never asked for: keep only a few
            // (the rest are downloaded again if a later row wants them).
            let kept = if self.waiting.len() < PHOTOS_AHEAD {
                download
            } else {
                None
            };
            self.waiting.insert(next, kept);
        }
        None
    }
}

/// The `image_sources` key of a photo URL.
pub(crate) fn url_source_key(url: &str) -> String {
    format!("url:{url}")
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
        let shop = self.shop()?;
        let urls = photo_urls(&parsed.rows);
        if urls.is_empty() {
            let rows = parsed.rows;
            let seen_images = SeenPhotos::default();
            return self.import_rows(
                rows,
                seen_images,
                report,
                &shop,
                folders,
                options,
                progress,
                cancel,
            );
        }
        std::thread::scope(|scope| {
            let (tx, rx) = std::sync::mpsc::sync_channel(PHOTOS_AHEAD);
            scope.spawn(move || self.download_ahead(&urls, &tx));
            let seen_images = SeenPhotos {
                ahead: Some(Ahead {
                    rx,
                    waiting: HashMap::new(),
                }),
                ..SeenPhotos::default()
            };
            self.import_rows(
                parsed.rows,
                seen_images,
                report,
                &shop,
                folders,
                options,
                progress,
                cancel,
            )
        })
    }

    /// Downloads the photos of `urls` (a few at a time) ahead of the rows that need them, so
    /// that the network works while earlier rows' photos are processed; stops when the import
    /// does. URLs Vitrine already has a photo for are passed on without downloading.
    fn download_ahead(&self, urls: &[String], tx: &std::sync::mpsc::SyncSender<Downloaded>) {
        let mut hosts = UnreachableHosts::default();
        for batch in urls.chunks(vitrine_download::MAX_PARALLEL_DOWNLOADS) {
            let known = |url: &String| {
                self.store
                    .read(|c| image_sources::lookup(c, &url_source_key(url)))
                    .is_ok_and(|hash| hash.is_some())
            };
            let todo: Vec<&str> = batch
                .iter()
                .filter(|url| !known(url))
                .map(String::as_str)
                .collect();
            let mut fetched = self
                .seams
                .downloader
                .fetch_all_skipping(&todo, &mut hosts)
                .into_iter();
            for url in batch {
                let download = if todo.contains(&url.as_str()) {
                    fetched.next()
                } else {
                    None
                };
                if tx.send((url.clone(), download)).is_err() {
                    return;
                }
            }
        }
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "the import's one loop, split from the thread scope that feeds it photos"
    )]
    fn import_rows(
        &self,
        rows: Vec<RowData>,
        mut seen_images: SeenPhotos,
        mut report: ImportReport,
        shop: &vitrine_core::Shop,
        folders: &PhotoFolders,
        options: &ImportOptions,
        progress: &mut dyn FnMut(ImportProgress),
        cancel: &AtomicBool,
    ) -> Result<ImportReport, AppError> {
        let total = rows.len() as u64;
        let mut seen: HashMap<String, u64> = HashMap::new();
        let mut chunk: Vec<Pending> = Vec::new();
        for (i, mut row) in rows.into_iter().enumerate() {
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
                match self.plan_row(&row, shop, folders, options, &mut seen_images) {
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
        report.photos_pending.sort_by_key(|p| p.line);
        Ok(report)
    }

    /// Works out what a row changes; `None` when the product is already exactly so.
    fn plan_row(
        &self,
        row: &RowData,
        shop: &vitrine_core::Shop,
        folders: &PhotoFolders,
        options: &ImportOptions,
        seen_images: &mut SeenPhotos,
    ) -> Result<Option<Pending>, AppError> {
        let sku = row
            .patch
            .sku
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| AppError::invalid(InputField::ImportId, "the row has no SKU (id)"))?;
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
        let mut photos_pending = None;
        if let Some(cells) = &row.images {
            let resolved =
                self.resolve_images(cells, folders, &options.decode_budget, seen_images)?;
            if !resolved.list.is_empty() || is_new {
                product.images = resolved.list;
            }
            prepared_images = resolved.fresh;
            sources = resolved.remembered;
            let previous = match &original {
                Some(p) => self
                    .store
                    .read(|c| store_pending::for_product(c, p.id))
                    .map_err(|e| AppError::from_store("reading pending photos", e))?,
                None => Vec::new(),
            };
            if !(previous.is_empty() && resolved.failed.is_empty()) {
                photos_pending = Some(failed_photos(&previous, resolved.failed, &now.to_rfc3339()));
            }
        }
        let mut save = true;
        if let Some(before) = original.filter(|_| new_collections.is_empty()) {
            if before.draft == product.draft && before.images == product.images {
                if photos_pending.is_none() {
                    return Ok(None);
                }
                save = false;
            }
        }
        if save {
            product.updated_at = now;
        }
        Ok(Some(Pending {
            line: row.line,
            notes: row.notes.clone(),
            product,
            is_new,
            save,
            collections: names,
            new_collections,
            images: prepared_images,
            sources,
            photos_pending,
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
        } else if folders.csv_dir.as_os_str().is_empty() {
            Err(AppError::Unreadable {
                source_name: cell.display().to_string(),
                message: "a file from the web can name its photos only by their web address (https://…), not by a file on this computer's folder".to_owned(),
            })
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
    /// (or downloaded, in parallel) and processed in parallel within `budget`. A file that
    /// cannot be read or processed, or an address that is refused, fails the row; a URL
    /// that gives no photo is returned as failed, with why.
    fn resolve_images(
        &self,
        cells: &[String],
        folders: &PhotoFolders,
        budget: &DecodeBudget,
        seen: &mut SeenPhotos,
    ) -> Result<ResolvedImages, AppError> {
        enum Slot {
            Known(ProductImage),
            Fresh(usize),
            /// A URL that already gave no photo in this file, and why.
            Failed(String),
        }
        /// Where a photo to process comes from.
        enum Input {
            File(Vec<u8>),
            /// Downloaded below, with the row's other URLs.
            Url(String),
        }
        struct Raw {
            name: String,
            key: String,
            input: Input,
        }
        let mut slots = Vec::new();
        let mut raw: Vec<Raw> = Vec::new();
        for cell in cells {
            let source = match ImageSource::parse(cell) {
                ImageSource::File(p) => ImageSource::File(self.confine_photo(folders, &p)?),
                other => other,
            };
            let (key, bytes) = match &source {
                ImageSource::Url(url) => (url_source_key(url), None),
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
            // A photo shared by several rows of this file is processed (or given up) once.
            match seen.photos.get(&key) {
                Some(Ok(image)) => {
                    slots.push(Slot::Known(image.clone()));
                    continue;
                }
                Some(Err(reason)) => {
                    slots.push(Slot::Failed(reason.clone()));
                    continue;
                }
                None => {}
            }
            let known = self.store.read(|c| match image_sources::lookup(c, &key)? {
                Some(hash) => images::get(c, &hash),
                None => Ok(None),
            });
            if let Some(image) = known.map_err(|e| AppError::from_store("reading images", e))? {
                slots.push(Slot::Known(image));
                continue;
            }
            // The same photo twice in one row is fetched once.
            if let Some(i) = raw.iter().position(|r| r.key == key) {
                slots.push(Slot::Fresh(i));
                continue;
            }
            let input = match bytes {
                Some(bytes) => Input::File(bytes),
                None => Input::Url(source.name()),
            };
            slots.push(Slot::Fresh(raw.len()));
            raw.push(Raw {
                name: source.name(),
                key,
                input,
            });
        }
        let urls: Vec<&str> = raw
            .iter()
            .filter_map(|r| match &r.input {
                Input::Url(url) => Some(url.as_str()),
                Input::File(_) => None,
            })
            .collect();
        let mut early: Vec<Option<Result<Vec<u8>, crate::DownloadError>>> = urls
            .iter()
            .map(|url| seen.ahead.as_mut().and_then(|a| a.take(url)))
            .collect();
        let late: Vec<&str> = urls
            .iter()
            .zip(&early)
            .filter(|(_, d)| d.is_none())
            .map(|(url, _)| *url)
            .collect();
        let mut late = self
            .seams
            .downloader
            .fetch_all_skipping(&late, &mut seen.hosts)
            .into_iter();
        let mut downloads = early.iter_mut().map(|d| {
            d.take().or_else(|| late.next()).unwrap_or_else(|| {
                Err(crate::DownloadError::Failed(
                    "the download stopped".to_owned(),
                ))
            })
        });
        let mut fetched: Vec<Result<Vec<u8>, crate::DownloadError>> = Vec::new();
        for r in &mut raw {
            fetched.push(match &mut r.input {
                Input::File(bytes) => Ok(std::mem::take(bytes)),
                Input::Url(_) => downloads.next().unwrap_or_else(|| {
                    Err(crate::DownloadError::Failed(
                        "the download stopped".to_owned(),
                    ))
                }),
            });
        }
        // An address refused by the rules is the file's to fix: the row is an error.
        if let Some((r, Err(e))) = raw
            .iter()
            .zip(&fetched)
            .find(|(_, f)| f.as_ref().is_err_and(|e| e.is_refusal()))
        {
            return Err(AppError::Download {
                source_name: r.name.clone(),
                source: e.clone(),
            });
        }
        let opts = pipeline_options();
        let outputs: Vec<_> = fetched
            .par_iter()
            .map(|bytes| {
                bytes
                    .as_ref()
                    .map(|bytes| process_within(bytes, &opts, budget))
            })
            .collect();
        // Each raw photo: its processed image, or why a URL gave none.
        let mut done: Vec<Result<ProductImage, String>> = Vec::new();
        let mut fresh = Vec::new();
        let mut remembered = Vec::new();
        for ((r, bytes), out) in raw.into_iter().zip(&fetched).zip(outputs) {
            let reason = match out {
                Ok(Ok(p)) => {
                    seen.photos.insert(r.key.clone(), Ok(p.image.clone()));
                    remembered.push((r.key, p.image.hash.clone()));
                    done.push(Ok(p.image.clone()));
                    fresh.push(p);
                    continue;
                }
                Ok(Err(e)) if matches!(r.input, Input::File(_)) => {
                    return Err(AppError::Image {
                        source_name: r.name,
                        source: e,
                    })
                }
                Ok(Err(error)) => pending_reason(PhotoFailure::NotAPhoto {
                    bytes: bytes.as_deref().unwrap_or_default(),
                    error: &error,
                }),
                Err(e) => pending_reason(PhotoFailure::Download(e)),
            };
            seen.photos.insert(r.key, Err(reason.clone()));
            done.push(Err(reason));
        }
        let mut list: Vec<ProductImage> = Vec::new();
        let mut failed = Vec::new();
        for (position, (slot, cell)) in slots.into_iter().zip(cells).enumerate() {
            let image = match slot {
                Slot::Known(image) => Ok(image),
                Slot::Fresh(i) => done[i].clone(),
                Slot::Failed(reason) => Err(reason),
            };
            let image = match image {
                Ok(image) => image,
                Err(reason) => {
                    failed.push((position as u32, cell.trim().to_owned(), reason));
                    continue;
                }
            };
            if !list.iter().any(|i| i.hash == image.hash) {
                list.push(image);
            }
        }
        Ok(ResolvedImages {
            list,
            fresh,
            remembered,
            failed,
        })
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
        // Every row at once first: a savepoint makes FTS5 flush its index, which would cost
        // more than the row itself. Only when a row fails is the chunk written again, each row
        // in its own savepoint, so that the others are kept.
        let row_failed = std::cell::Cell::new(false);
        let together = self.store.write_with_images(&files, &stamp, |tx| {
            for pending in &chunk {
                write_pending(tx, pending, &ctx).inspect_err(|_| row_failed.set(true))?;
            }
            Ok(chunk.iter().map(|_| Ok(())).collect::<Vec<_>>())
        });
        let outcomes = match together {
            Err(_) if row_failed.get() => self.store.write_with_images(&files, &stamp, |tx| {
                let mut outcomes = Vec::new();
                for pending in &chunk {
                    tx.execute_batch("SAVEPOINT import_row")?;
                    let result = write_pending(tx, pending, &ctx);
                    match result {
                        Ok(()) => tx.execute_batch("RELEASE import_row")?,
                        Err(_) => tx.execute_batch("ROLLBACK TO import_row; RELEASE import_row")?,
                    }
                    outcomes.push(result.map_err(|e| AppError::from_store("saving", e)));
                }
                Ok(outcomes)
            }),
            other => other,
        }
        .map_err(|e| AppError::from_store("saving imported products", e))?;
        for (pending, outcome) in chunk.into_iter().zip(outcomes) {
            if outcome.is_ok() {
                let sku = pending.product.draft.sku.to_string();
                for photo in pending.photos_pending.iter().flatten() {
                    report.photos_pending.push(PendingPhotoReport {
                        line: pending.line,
                        sku: sku.clone(),
                        url: photo.url.clone(),
                        reason: photo.reason.clone(),
                    });
                }
            }
            let result = match outcome {
                Ok(()) if !pending.save => RowResult::Unchanged,
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

/// Every photo URL of the rows, once each, in the order the rows need them.
fn photo_urls(rows: &[RowData]) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    rows.iter()
        .flat_map(|row| row.images.iter().flatten())
        .filter_map(|cell| match ImageSource::parse(cell) {
            ImageSource::Url(url) => Some(url),
            _ => None,
        })
        .filter(|url| seen.insert(url.clone()))
        .collect()
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
                availability: p.availability.map(|a| a.as_meta().to_owned()),
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
        .ok_or_else(|| AppError::invalid(InputField::Title, "the row has no title"))?;
    let price = patch
        .price
        .clone()
        .filter(|p| !p.trim().is_empty())
        .ok_or_else(|| AppError::invalid(InputField::Price, "the row has no price"))?;
    Ok(NewProduct {
        sku: patch.sku.clone().unwrap_or_default(),
        title,
        description: patch.description.clone().unwrap_or_default(),
        brand: patch.brand.clone().unwrap_or_default(),
        price,
        currency: patch.currency.clone(),
        sale_price: patch.sale_price.clone(),
        sale_window: patch.sale_window.clone(),
        availability: patch.availability,
        condition: patch.condition,
        stock: patch.stock.flatten(),
        link: patch.link.clone(),
        collections: Vec::new(),
        variant: patch.variant.clone().flatten(),
        translations: patch.translations.clone().unwrap_or_default(),
        gtin: patch.gtin.clone(),
        published: patch.published,
    })
}

/// Saves one imported row: the product (unless unchanged), where its photos came from and the
/// photos still waiting.
fn write_pending(
    tx: &Transaction<'_>,
    pending: &Pending,
    ctx: &PreflightContext,
) -> Result<(), StoreError> {
    let mut product = pending.product.clone();
    if let Some(names) = &pending.collections {
        if !pending.new_collections.is_empty() {
            product.draft.collections = resolve_collections(tx, names)?;
        }
    }
    if pending.save {
        save_product(tx, &product, pending.is_new, Some(ctx))?;
    }
    for (source, hash) in &pending.sources {
        image_sources::remember(tx, source, hash)?;
    }
    if let Some(photos) = &pending.photos_pending {
        store_pending::replace_for_product(tx, product.id, photos)?;
    }
    Ok(())
}
