//! The Sync view's commands: one-line adapters over `vitrine-app`, like [`crate::commands`].
//! Every one runs on a blocking worker thread, never the UI thread; those that call Meta
//! drive their network calls to completion there. The token crosses IPC once, inward, to the keychain.

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tauri::ipc::Channel;
use tauri::State;
use vitrine_app::{AppError, SyncOptions, SyncState, Vitrine};

use crate::commands::{on_catalog, Catalog};
use crate::dto::ImportProgress;
use crate::error::IpcError;
use crate::state::progress_to;
use crate::sync_dto::{
    CommerceSettings, ConnectInput, ConnectionCheck, ImageHosting, MetaConnection,
    MetaImportReport, MetaItem, PublishReport, S3HostingInput, SyncItems, SyncPreview,
    SyncProgress, SyncReport,
};

/// Lines of the plan and of the state table sent to the UI at once.
const PREVIEW_LINES: usize = 200;
const TABLE_LINES: usize = 500;

/// Runs `work` (calls to Meta, with catalog reads and writes between them) on a blocking
/// worker thread that drives it to completion, and converts its result.
pub(crate) async fn on_meta<T, Out, Fut>(
    catalog: &Catalog<'_>,
    work: impl FnOnce(Arc<Vitrine>) -> Fut + Send + 'static,
) -> Result<Out, IpcError>
where
    Fut: Future<Output = Result<T, AppError>>,
    T: Send + 'static,
    Out: From<T>,
{
    let vitrine = Arc::clone(catalog.inner());
    tauri::async_runtime::spawn_blocking(move || tauri::async_runtime::block_on(work(vitrine)))
        .await
        .map_err(IpcError::worker_failed)?
        .map(Out::from)
        .map_err(IpcError::from)
}

/// One sync at a time from this window.
#[derive(Debug, Default)]
pub struct SyncControl {
    running: Arc<AtomicBool>,
}

/// Clears the running flag however the sync ends.
struct Running(Arc<AtomicBool>);

impl Drop for Running {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Release);
    }
}

/// The saved Meta connection, or `null` before the first connect.
#[tauri::command]
#[specta::specta]
pub async fn meta_connection(catalog: Catalog<'_>) -> Result<Option<MetaConnection>, IpcError> {
    on_catalog(&catalog, |v| {
        Ok(v.meta_connection()?.map(MetaConnection::from))
    })
    .await
}

/// Saves the Meta ids, and the token (in the OS keychain) when given.
#[tauri::command]
#[specta::specta]
pub async fn connect_meta(
    catalog: Catalog<'_>,
    input: ConnectInput,
) -> Result<MetaConnection, IpcError> {
    on_catalog(&catalog, move |v| {
        let token = input.token.and_then(vitrine_app::meta::AccessToken::new);
        v.connect_meta(
            &input.catalog_id,
            input.waba_id.as_deref(),
            input.phone_number_id.as_deref(),
            token.as_ref(),
        )
    })
    .await
}

/// Forgets the saved token (the ids stay).
#[tauri::command]
#[specta::specta]
pub async fn forget_meta_token(catalog: Catalog<'_>) -> Result<(), IpcError> {
    on_catalog(&catalog, Vitrine::forget_meta_token).await
}

/// Reads the catalog with the saved token and says in plain words what is wrong.
#[tauri::command]
#[specta::specta]
pub async fn check_meta(catalog: Catalog<'_>) -> Result<ConnectionCheck, IpcError> {
    on_meta(&catalog, |v| async move { v.check_meta().await }).await
}

/// Shows or hides the catalog on WhatsApp, and turns the cart on or off.
#[tauri::command]
#[specta::specta]
pub async fn set_commerce(
    catalog: Catalog<'_>,
    catalog_visible: bool,
    cart_enabled: bool,
) -> Result<CommerceSettings, IpcError> {
    on_meta(&catalog, move |v| async move {
        v.set_commerce(catalog_visible, cart_enabled).await
    })
    .await
}

/// Where photos are published, or `null` when not set.
#[tauri::command]
#[specta::specta]
pub async fn image_hosting(catalog: Catalog<'_>) -> Result<Option<ImageHosting>, IpcError> {
    on_catalog(&catalog, |v| Ok(v.image_hosting()?.map(ImageHosting::from))).await
}

/// Publishes photos under `publicBaseUrl`, copying them into `folder` when given.
#[tauri::command]
#[specta::specta]
pub async fn set_image_hosting(
    catalog: Catalog<'_>,
    public_base_url: String,
    folder: Option<String>,
) -> Result<ImageHosting, IpcError> {
    on_catalog(&catalog, move |v| {
        v.set_image_hosting(&public_base_url, folder.map(Into::into))
    })
    .await
}

/// Publishes photos to an S3-compatible bucket; the secret key goes to the keychain.
#[tauri::command]
#[specta::specta]
pub async fn set_s3_hosting(
    catalog: Catalog<'_>,
    input: S3HostingInput,
) -> Result<ImageHosting, IpcError> {
    on_catalog(&catalog, move |v| {
        let secret = input
            .secret_key
            .clone()
            .and_then(vitrine_app::SecretKey::new);
        v.set_s3_hosting(&(&input).into(), secret.as_ref())
    })
    .await
}

/// Copies or uploads now the photos the folder or bucket lacks.
#[tauri::command]
#[specta::specta]
pub async fn publish_images(catalog: Catalog<'_>) -> Result<PublishReport, IpcError> {
    on_meta(&catalog, |v| async move { v.publish_images().await }).await
}

/// Brings the WhatsApp catalog's items that Vitrine lacks into the catalog, reporting
/// progress through `onProgress`.
#[tauri::command]
#[specta::specta]
pub async fn import_from_meta(
    catalog: Catalog<'_>,
    on_progress: Channel<ImportProgress>,
) -> Result<MetaImportReport, IpcError> {
    on_meta(&catalog, move |v| async move {
        let mut report = progress_to(&on_progress);
        v.import_connected(&mut report).await
    })
    .await
}

/// What the next sync would send, without calling Meta.
#[tauri::command]
#[specta::specta]
pub async fn sync_preview(catalog: Catalog<'_>) -> Result<SyncPreview, IpcError> {
    on_catalog(&catalog, |v| v.sync_preview(PREVIEW_LINES)).await
}

/// Every product's state against the WhatsApp catalog (latest edit first), in one state
/// or all, with the count in each state.
#[tauri::command]
#[specta::specta]
pub async fn sync_items(
    catalog: Catalog<'_>,
    state: Option<SyncState>,
) -> Result<SyncItems, IpcError> {
    on_catalog(&catalog, move |v| v.sync_items(state, TABLE_LINES)).await
}

/// Runs (or resumes) a sync, reporting batches through `onProgress`.
#[tauri::command]
#[specta::specta]
pub async fn run_sync(
    catalog: Catalog<'_>,
    control: State<'_, SyncControl>,
    on_progress: Channel<SyncProgress>,
) -> Result<SyncReport, IpcError> {
    if control.running.swap(true, Ordering::AcqRel) {
        return Err(AppError::Conflict("a sync is already running".to_owned()).into());
    }
    let running = Running(Arc::clone(&control.running));
    on_meta(&catalog, move |v| async move {
        let _running = running;
        let mut report = move |p: vitrine_app::SyncProgress| {
            if let Err(error) = on_progress.send(p.into()) {
                tracing::debug!(%error, "sync progress not delivered");
            }
        };
        v.sync_connected(&SyncOptions::default(), &mut report).await
    })
    .await
}

/// Every item of the WhatsApp catalog with Meta's review (approved, pending, rejected),
/// orphans included.
#[tauri::command]
#[specta::specta]
pub async fn review_at_meta(catalog: Catalog<'_>) -> Result<Vec<MetaItem>, IpcError> {
    on_meta(&catalog, |v| async move {
        Ok(v.review_at_meta()
            .await?
            .into_iter()
            .map(MetaItem::from)
            .collect::<Vec<_>>())
    })
    .await
}

/// Deletes every item at Meta that Vitrine does not have; returns how many went.
#[tauri::command]
#[specta::specta]
pub async fn delete_orphans(catalog: Catalog<'_>) -> Result<u32, IpcError> {
    on_meta(&catalog, |v| async move {
        Ok(u32::try_from(v.delete_all_orphans().await?).unwrap_or(u32::MAX))
    })
    .await
}
