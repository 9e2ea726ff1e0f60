//! The commands the UI calls. Each is a one-line adapter: DTO in, one `vitrine-app` call,
//! DTO out. They are `async` so Tauri runs them off the main (UI) thread.

use tauri::State;
use vitrine_app::Vitrine;

use crate::dto::{ProductPage, ProductQuery, ShopInfo};
use crate::error::IpcError;

/// One page of the catalog, optionally narrowed by a full-text search.
#[tauri::command]
#[specta::specta]
pub async fn list_products(
    vitrine: State<'_, Vitrine>,
    query: ProductQuery,
) -> Result<ProductPage, IpcError> {
    Ok(vitrine.list_products(&query.into())?.into())
}

/// The shop's name, currency and language, for the window's header.
#[tauri::command]
#[specta::specta]
pub async fn shop(vitrine: State<'_, Vitrine>) -> Result<ShopInfo, IpcError> {
    Ok(vitrine.shop()?.into())
}
