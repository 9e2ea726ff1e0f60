//! The Share view's commands: one-line adapters over `vitrine-app`, like [`crate::commands`]:
//! links, QR codes, posters and shelf labels (preview, save, print), the order messages and
//! Meta's managed short links. Drawing and file writes run on a blocking worker thread.

use std::path::PathBuf;

use vitrine_app::Vitrine;

use crate::commands::{on_catalog, Catalog};
use crate::error::IpcError;
use crate::share_dto::{
    LabelsRequest, OrderText, PosterRequest, Preview, PrintSummary, QrOptions, ShareLink,
    ShareTarget, ShortLink, ShortLinks,
};
use crate::sync_commands::on_meta;

/// Screen resolution of poster and label previews (a page fits the view at this size).
const PREVIEW_DPI: f32 = 72.0;

/// The `wa.me` link of a target (with its prefilled message when it is a chat).
#[tauri::command]
#[specta::specta]
pub async fn share_link(catalog: Catalog<'_>, target: ShareTarget) -> Result<ShareLink, IpcError> {
    on_catalog(&catalog, move |v| v.share_link(&target.into())).await
}

/// The QR code of a target as SVG markup, for the live preview.
#[tauri::command]
#[specta::specta]
pub async fn qr_svg(
    catalog: Catalog<'_>,
    target: ShareTarget,
    options: QrOptions,
) -> Result<String, IpcError> {
    on_catalog(&catalog, move |v| v.qr_svg(&target.into(), &options.into())).await
}

/// Writes the QR code to `path` (`.png` or `.svg`); returns the URL it opens.
#[tauri::command]
#[specta::specta]
pub async fn save_qr(
    catalog: Catalog<'_>,
    target: ShareTarget,
    options: QrOptions,
    path: String,
) -> Result<String, IpcError> {
    on_catalog(&catalog, move |v| {
        v.save_qr(&target.into(), &options.into(), &PathBuf::from(path))
    })
    .await
}

/// The poster drawn at screen resolution.
#[tauri::command]
#[specta::specta]
pub async fn poster_preview(
    catalog: Catalog<'_>,
    request: PosterRequest,
) -> Result<Preview, IpcError> {
    on_catalog(&catalog, move |v| {
        v.poster_png(&request.into(), PREVIEW_DPI)
    })
    .await
}

/// Writes the poster's PDF to `path`.
#[tauri::command]
#[specta::specta]
pub async fn save_poster(
    catalog: Catalog<'_>,
    request: PosterRequest,
    path: String,
) -> Result<PrintSummary, IpcError> {
    on_catalog(&catalog, move |v| {
        v.save_poster(&request.into(), &PathBuf::from(path))
    })
    .await
}

/// Writes the poster's PDF to the print folder and opens it in the system's PDF viewer.
#[tauri::command]
#[specta::specta]
pub async fn print_poster(
    catalog: Catalog<'_>,
    request: PosterRequest,
) -> Result<PrintSummary, IpcError> {
    on_catalog(&catalog, move |v| {
        open_for_printing(v.poster_for_printing(&request.into()))
    })
    .await
}

/// The first label sheet drawn at screen resolution.
#[tauri::command]
#[specta::specta]
pub async fn labels_preview(
    catalog: Catalog<'_>,
    request: LabelsRequest,
) -> Result<Preview, IpcError> {
    on_catalog(&catalog, move |v| {
        v.labels_png(&request.into(), PREVIEW_DPI)
    })
    .await
}

/// Writes the label sheets' PDF to `path`.
#[tauri::command]
#[specta::specta]
pub async fn save_labels(
    catalog: Catalog<'_>,
    request: LabelsRequest,
    path: String,
) -> Result<PrintSummary, IpcError> {
    on_catalog(&catalog, move |v| {
        v.save_labels(&request.into(), &PathBuf::from(path))
    })
    .await
}

/// Writes the label sheets to the print folder and opens them in the system's PDF viewer.
#[tauri::command]
#[specta::specta]
pub async fn print_labels(
    catalog: Catalog<'_>,
    request: LabelsRequest,
) -> Result<PrintSummary, IpcError> {
    on_catalog(&catalog, move |v| {
        open_for_printing(v.labels_for_printing(&request.into()))
    })
    .await
}

/// The prefilled order message of a language (the merchant's, else the built-in one).
#[tauri::command]
#[specta::specta]
pub async fn order_text(catalog: Catalog<'_>, language: String) -> Result<OrderText, IpcError> {
    on_catalog(&catalog, move |v| v.order_template(&language)).await
}

/// Saves the order message of a language; empty restores the built-in one.
#[tauri::command]
#[specta::specta]
pub async fn set_order_text(
    catalog: Catalog<'_>,
    language: String,
    template: String,
) -> Result<OrderText, IpcError> {
    on_catalog(&catalog, move |v| {
        v.set_order_template(&language, &template)
    })
    .await
}

/// The short links as last seen, without calling Meta.
#[tauri::command]
#[specta::specta]
pub async fn short_links(catalog: Catalog<'_>) -> Result<ShortLinks, IpcError> {
    on_catalog(&catalog, Vitrine::short_links).await
}

/// Reads the short links from Meta.
#[tauri::command]
#[specta::specta]
pub async fn refresh_short_links(catalog: Catalog<'_>) -> Result<ShortLinks, IpcError> {
    on_meta(&catalog, |v| async move {
        v.refresh_short_links_connected().await
    })
    .await
}

/// A new short link at Meta whose chat starts with `message` (and the ref line).
#[tauri::command]
#[specta::specta]
pub async fn create_short_link(
    catalog: Catalog<'_>,
    message: String,
    ref_tag: Option<String>,
) -> Result<ShortLink, IpcError> {
    on_meta(&catalog, move |v| async move {
        v.create_short_link_connected(&message, ref_tag.as_deref())
            .await
    })
    .await
}

/// A new message for a short link; its code and printed QR codes stay valid.
#[tauri::command]
#[specta::specta]
pub async fn update_short_link(
    catalog: Catalog<'_>,
    code: String,
    message: String,
    ref_tag: Option<String>,
) -> Result<ShortLink, IpcError> {
    on_meta(&catalog, move |v| async move {
        v.update_short_link_connected(&code, &message, ref_tag.as_deref())
            .await
    })
    .await
}

/// Deletes a short link at Meta.
#[tauri::command]
#[specta::specta]
pub async fn delete_short_link(catalog: Catalog<'_>, code: String) -> Result<(), IpcError> {
    on_meta(&catalog, move |v| async move {
        v.delete_short_link_connected(&code).await
    })
    .await
}

/// Hands a written PDF to the system's viewer (through the opener plugin), where the
/// merchant prints it. The file stays written when no viewer opens: the summary names it.
fn open_for_printing(
    written: Result<(vitrine_app::PrintSummary, PathBuf), vitrine_app::AppError>,
) -> Result<(vitrine_app::PrintSummary, PathBuf), vitrine_app::AppError> {
    let (summary, file) = written?;
    if std::env::var_os("VITRINE_NO_VIEWER").is_none() {
        if let Err(error) = tauri_plugin_opener::open_path(&file, None::<&str>) {
            tracing::warn!(%error, file = %file.display(), "no PDF viewer opened");
        }
    }
    Ok((summary, file))
}
