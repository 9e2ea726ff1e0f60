//! The Storefront view's commands: one-line adapters over `vitrine-app`, like
//! [`crate::commands`]. The preview is served to the webview by [`crate::site_preview`].

use tauri::ipc::Channel;

use crate::commands::{on_catalog, Catalog};
use crate::error::IpcError;
use crate::storefront_dto::{
    StorefrontBuild, StorefrontProgress, StorefrontPublish, StorefrontSettings, StorefrontUpdate,
};
use crate::sync_commands::on_meta;

/// The storefront's settings.
#[tauri::command]
#[specta::specta]
pub async fn storefront(catalog: Catalog<'_>) -> Result<StorefrontSettings, IpcError> {
    on_catalog(&catalog, |v| v.storefront()).await
}

/// Changes the storefront's address, colour or collections.
#[tauri::command]
#[specta::specta]
pub async fn set_storefront(
    catalog: Catalog<'_>,
    update: StorefrontUpdate,
) -> Result<StorefrontSettings, IpcError> {
    on_catalog(&catalog, move |v| v.set_storefront(&update.into())).await
}

/// Brings the in-app preview up to date (only changed pages are written).
#[tauri::command]
#[specta::specta]
pub async fn preview_storefront(catalog: Catalog<'_>) -> Result<StorefrontBuild, IpcError> {
    on_catalog(&catalog, |v| v.preview_storefront()).await
}

/// Builds the site into a folder, for any web host.
#[tauri::command]
#[specta::specta]
pub async fn build_storefront(
    catalog: Catalog<'_>,
    out_dir: String,
) -> Result<StorefrontBuild, IpcError> {
    on_catalog(&catalog, move |v| {
        v.build_storefront(std::path::Path::new(&out_dir), None)
    })
    .await
}

/// Publishes the site beside the photos (folder or bucket), sending only what changed and
/// reporting each file through `onProgress`.
#[tauri::command]
#[specta::specta]
pub async fn publish_storefront(
    catalog: Catalog<'_>,
    on_progress: Channel<StorefrontProgress>,
) -> Result<StorefrontPublish, IpcError> {
    on_meta(&catalog, move |v| async move {
        let mut report = move |p: vitrine_app::StorefrontProgress| {
            if let Err(error) = on_progress.send(p.into()) {
                tracing::debug!(%error, "storefront progress not delivered");
            }
        };
        v.publish_storefront(&mut report).await
    })
    .await
}
