//! The commands the UI calls. Each is a one-line adapter: DTO in, one `vitrine-app` call on
//! a blocking worker thread ([`on_catalog`]), DTO out. Catalog work touches SQLite and image
//! files, so none of it runs on the async runtime or the UI thread: the window never freezes.
//!
//! Products are addressed by `key`: their id or their SKU.

use std::path::PathBuf;
use std::sync::Arc;

use tauri::ipc::Channel;
use tauri::State;
use vitrine_app::{AppError, ImageSource, Vitrine};

use crate::dto::{
    saturating_u32, BackupSummary, BatchId, BulkChange, BulkReport, Collection, CollectionSummary,
    ExportSummary, Finding, ImportChoices, ImportFile, ImportPreview, ImportProgress, ImportReport,
    NewProduct, PhotoRetryReport, ProductCheck, ProductImages, ProductPage, ProductPatch,
    ProductQuery, ProductView, RemovedBatch, RestoreReport, Restored, Shop, ShopUpdate,
};
use crate::error::IpcError;
use crate::state::{progress_to, ImportControl};

pub(crate) type Catalog<'a> = State<'a, Arc<Vitrine>>;

/// Runs `work` on the catalog on a blocking worker thread and converts its result.
pub(crate) async fn on_catalog<T, Out>(
    catalog: &Catalog<'_>,
    work: impl FnOnce(&Vitrine) -> Result<T, AppError> + Send + 'static,
) -> Result<Out, IpcError>
where
    T: Send + 'static,
    Out: From<T>,
{
    let vitrine = Arc::clone(catalog.inner());
    tauri::async_runtime::spawn_blocking(move || work(&vitrine))
        .await
        .map_err(IpcError::worker_failed)?
        .map(Out::from)
        .map_err(IpcError::from)
}

// ---- shop --------------------------------------------------------------------------------

/// The shop's settings: name, WhatsApp number, currency, languages, brand, logo.
#[tauri::command]
#[specta::specta]
pub async fn shop(catalog: Catalog<'_>) -> Result<Shop, IpcError> {
    on_catalog(&catalog, Vitrine::shop).await
}

/// Changes the shop's settings; returns them as saved.
#[tauri::command]
#[specta::specta]
pub async fn update_shop(catalog: Catalog<'_>, update: ShopUpdate) -> Result<Shop, IpcError> {
    on_catalog(&catalog, move |v| v.update_shop(update.into())).await
}

// ---- products ----------------------------------------------------------------------------

/// One page of the catalog, narrowed by a full-text search and filters.
#[tauri::command]
#[specta::specta]
pub async fn list_products(
    catalog: Catalog<'_>,
    query: ProductQuery,
) -> Result<ProductPage, IpcError> {
    on_catalog(&catalog, move |v| v.list_products(&query.into()))
        .await
        // With `VITRINE_LOG=vitrine_desktop=debug` and the uptime clock of `main`, the first
        // of these lines times a cold start (docs/benchmarks.md, "Desktop").
        .inspect(|page: &ProductPage| tracing::debug!(total = page.total, "catalog page answered"))
}

/// A product with every field, its photos, collections and pre-flight findings.
#[tauri::command]
#[specta::specta]
pub async fn get_product(catalog: Catalog<'_>, key: String) -> Result<ProductView, IpcError> {
    on_catalog(&catalog, move |v| v.product(&key)).await
}

/// Meta's findings for the editor's form as it is, before saving. `existing` (id or SKU) is
/// the product being edited, whose saved photos count; `null` for a new product.
#[tauri::command]
#[specta::specta]
pub async fn check_input(
    catalog: Catalog<'_>,
    existing: Option<String>,
    input: NewProduct,
) -> Result<Vec<Finding>, IpcError> {
    on_catalog(&catalog, move |v| {
        v.check_input(existing.as_deref(), &input.into())
            .map(|findings| findings.into_iter().map(Finding::from).collect::<Vec<_>>())
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn add_product(catalog: Catalog<'_>, input: NewProduct) -> Result<ProductView, IpcError> {
    on_catalog(&catalog, move |v| v.add_product(input.into())).await
}

/// Changes the fields present in `patch`; the others keep their values.
#[tauri::command]
#[specta::specta]
pub async fn edit_product(
    catalog: Catalog<'_>,
    key: String,
    patch: ProductPatch,
) -> Result<ProductView, IpcError> {
    on_catalog(&catalog, move |v| v.edit_product(&key, patch.into())).await
}

/// Deletes products; `undoRemoval(batch)` brings them back within 10 minutes.
#[tauri::command]
#[specta::specta]
pub async fn remove_products(
    catalog: Catalog<'_>,
    keys: Vec<String>,
) -> Result<RemovedBatch, IpcError> {
    on_catalog(&catalog, move |v| v.remove_products(&keys)).await
}

#[tauri::command]
#[specta::specta]
pub async fn undo_removal(catalog: Catalog<'_>, batch: BatchId) -> Result<Restored, IpcError> {
    on_catalog(&catalog, move |v| v.undo_removal(batch.0)).await
}

/// Applies one change to every product in `keys`, all or nothing.
#[tauri::command]
#[specta::specta]
pub async fn bulk_edit(
    catalog: Catalog<'_>,
    keys: Vec<String>,
    change: BulkChange,
) -> Result<BulkReport, IpcError> {
    on_catalog(&catalog, move |v| v.bulk_edit(&keys, &change.into())).await
}

/// Meta's pre-flight findings for every product.
#[tauri::command]
#[specta::specta]
pub async fn check_catalog(catalog: Catalog<'_>) -> Result<Vec<ProductCheck>, IpcError> {
    on_catalog(&catalog, |v| {
        v.check().map(|checks| {
            checks
                .into_iter()
                .map(ProductCheck::from)
                .collect::<Vec<_>>()
        })
    })
    .await
}

// ---- photos ------------------------------------------------------------------------------

/// Adds photo files (from the native dialog or dropped on the window) after the product's
/// current photos. Each is oriented, resized and stored; a photo already there is skipped.
#[tauri::command]
#[specta::specta]
pub async fn add_images(
    catalog: Catalog<'_>,
    key: String,
    paths: Vec<String>,
) -> Result<ProductImages, IpcError> {
    let sources: Vec<_> = paths
        .into_iter()
        .map(|p| ImageSource::File(p.into()))
        .collect();
    on_catalog(&catalog, move |v| v.add_images(&key, &sources)).await
}

/// Removes the photo at `index` (0 is the main photo).
#[tauri::command]
#[specta::specta]
pub async fn remove_image(
    catalog: Catalog<'_>,
    key: String,
    index: u32,
) -> Result<ProductImages, IpcError> {
    on_catalog(&catalog, move |v| v.remove_image(&key, index as usize)).await
}

/// Moves the photo at `from` to position `to` (0 makes it the main photo).
#[tauri::command]
#[specta::specta]
pub async fn move_image(
    catalog: Catalog<'_>,
    key: String,
    from: u32,
    to: u32,
) -> Result<ProductImages, IpcError> {
    on_catalog(&catalog, move |v| {
        v.move_image(&key, from as usize, to as usize)
    })
    .await
}

// ---- collections -------------------------------------------------------------------------

/// Every collection in display order, with its product count.
#[tauri::command]
#[specta::specta]
pub async fn collections(catalog: Catalog<'_>) -> Result<Vec<CollectionSummary>, IpcError> {
    on_catalog(&catalog, |v| {
        v.collections().map(|all| {
            all.into_iter()
                .map(CollectionSummary::from)
                .collect::<Vec<_>>()
        })
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn create_collection(catalog: Catalog<'_>, name: String) -> Result<Collection, IpcError> {
    on_catalog(&catalog, move |v| v.create_collection(&name)).await
}

/// `key`: the collection's id or current name.
#[tauri::command]
#[specta::specta]
pub async fn rename_collection(
    catalog: Catalog<'_>,
    key: String,
    name: String,
) -> Result<Collection, IpcError> {
    on_catalog(&catalog, move |v| v.rename_collection(&key, &name)).await
}

/// Deletes a collection; its products stay in the catalog.
#[tauri::command]
#[specta::specta]
pub async fn delete_collection(catalog: Catalog<'_>, key: String) -> Result<Collection, IpcError> {
    on_catalog(&catalog, move |v| v.delete_collection(&key)).await
}

// ---- import, export, backup --------------------------------------------------------------

/// How a product file (a path, or an `https` link to a published sheet) reads, with its
/// first products, before importing it.
#[tauri::command]
#[specta::specta]
pub async fn preview_import(
    catalog: Catalog<'_>,
    file: ImportFile,
    choices: ImportChoices,
) -> Result<ImportPreview, IpcError> {
    on_catalog(&catalog, move |v| {
        v.preview_import(&file.into(), &choices.read_choices())
    })
    .await
}

/// Imports a product file (Meta feed, Shopify or WooCommerce export, RSS/Atom feed; a path
/// or an `https` link), reporting progress through `onProgress`; `cancelImport` stops it
/// between rows.
#[tauri::command]
#[specta::specta]
pub async fn import_csv(
    catalog: Catalog<'_>,
    control: State<'_, ImportControl>,
    file: ImportFile,
    choices: ImportChoices,
    on_progress: Channel<ImportProgress>,
) -> Result<ImportReport, IpcError> {
    let cancel = control.begin();
    let report: vitrine_app::ImportReport = on_catalog(&catalog, move |v| {
        v.import_file(
            &file.into(),
            &choices.options(),
            &mut progress_to(&on_progress),
            &cancel,
        )
    })
    .await?;
    Ok(control.finished(report).into())
}

/// Saves the last file import's row-by-row report as a CSV file at `path`.
#[tauri::command]
#[specta::specta]
pub async fn save_import_report(
    control: State<'_, ImportControl>,
    path: String,
) -> Result<(), IpcError> {
    let report = control
        .last_report()
        .ok_or_else(IpcError::no_import_report)?;
    tauri::async_runtime::spawn_blocking(move || report.write_csv(path.as_ref()))
        .await
        .map_err(IpcError::worker_failed)?
        .map_err(IpcError::from)
}

/// Makes one product per photo in `dir`, titled after the file name; progress and cancel
/// as for `importCsv`.
#[tauri::command]
#[specta::specta]
pub async fn import_photo_folder(
    catalog: Catalog<'_>,
    control: State<'_, ImportControl>,
    dir: String,
    on_progress: Channel<ImportProgress>,
) -> Result<ImportReport, IpcError> {
    let cancel = control.begin();
    on_catalog(&catalog, move |v| {
        v.import_photo_folder(dir.as_ref(), &mut progress_to(&on_progress), &cancel)
    })
    .await
}

/// How many photos wait to be downloaded (an import made offline, a dead link…).
#[tauri::command]
#[specta::specta]
pub async fn pending_photo_count(catalog: Catalog<'_>) -> Result<u32, IpcError> {
    on_catalog(&catalog, |v| v.pending_photo_count().map(saturating_u32)).await
}

/// Downloads the photos that wait, each into its place among its product's photos.
#[tauri::command]
#[specta::specta]
pub async fn retry_photos(catalog: Catalog<'_>) -> Result<PhotoRetryReport, IpcError> {
    on_catalog(&catalog, |v| {
        v.retry_pending_photos(&mut |_| {}, &std::sync::atomic::AtomicBool::new(false))
    })
    .await
}

/// Asks the running import to stop after the row it is on.
#[tauri::command]
#[specta::specta]
pub async fn cancel_import(control: State<'_, ImportControl>) -> Result<(), IpcError> {
    control.cancel();
    Ok(())
}

/// Writes every product to a CSV file in Meta's feed columns.
#[tauri::command]
#[specta::specta]
pub async fn export_csv(catalog: Catalog<'_>, path: String) -> Result<ExportSummary, IpcError> {
    on_catalog(&catalog, move |v| v.export_csv(&PathBuf::from(path))).await
}

/// Writes the whole catalog (products, shop, photos) to one archive file.
#[tauri::command]
#[specta::specta]
pub async fn backup(catalog: Catalog<'_>, path: String) -> Result<BackupSummary, IpcError> {
    on_catalog(&catalog, move |v| v.backup(&PathBuf::from(path))).await
}

/// Replaces the catalog with a backup; a bad file leaves the current catalog untouched, and
/// this machine's connections stay (the backup's differing ones are reported, not applied).
#[tauri::command]
#[specta::specta]
pub async fn restore(catalog: Catalog<'_>, path: String) -> Result<RestoreReport, IpcError> {
    on_catalog(&catalog, move |v| v.restore(&PathBuf::from(path))).await
}
