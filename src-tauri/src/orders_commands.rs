//! The Orders view's commands: one-line adapters over `vitrine-app`, like [`crate::commands`].
//! The relay token crosses IPC once, inward, to the keychain; replies go through the saved
//! Meta connection.

use tauri::State;
use vitrine_app::{AppError, InputField, OrderStatus, RelayToken};

use crate::commands::{on_catalog, Catalog};
use crate::error::IpcError;
use crate::inbox::InboxStream;
use crate::orders_dto::{
    MaybeRelay, OrderAnalytics, OrderDetail, OrderQuery, Orders, OrdersExport, PaymentDetails,
    PullReport, QuickReplyText, QuickReplyTexts, RelayStatus, SentReply,
};
use crate::sync_commands::on_meta;

/// The relay connection, or `null` before the first connect.
#[tauri::command]
#[specta::specta]
pub async fn relay_status(catalog: Catalog<'_>) -> Result<MaybeRelay, IpcError> {
    on_catalog(&catalog, |v| v.relay_status()).await
}

/// Saves the relay's address and device token (to the keychain) after checking that the relay
/// accepts it, then follows its live stream.
#[tauri::command]
#[specta::specta]
pub async fn connect_relay(
    catalog: Catalog<'_>,
    inbox: State<'_, InboxStream>,
    url: String,
    token: Option<String>,
) -> Result<RelayStatus, IpcError> {
    let token = match token.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => Some(RelayToken::new(t).ok_or_else(|| AppError::Invalid {
            field: InputField::Token,
            message: "the device token is not valid".to_owned(),
        })?),
        None => None,
    };
    let status: RelayStatus = on_meta(&catalog, move |v| async move {
        v.connect_relay(&url, token.as_ref()).await
    })
    .await?;
    inbox.restart();
    Ok(status)
}

/// Reads what the relay holds now (the live stream does this on its own).
#[tauri::command]
#[specta::specta]
pub async fn pull_relay(catalog: Catalog<'_>) -> Result<PullReport, IpcError> {
    on_meta(&catalog, |v| async move { v.pull_relay().await }).await
}

/// The orders the query selects, newest first.
#[tauri::command]
#[specta::specta]
pub async fn orders(catalog: Catalog<'_>, query: OrderQuery) -> Result<Orders, IpcError> {
    on_catalog(&catalog, move |v| v.orders(&query.into())).await
}

/// An order with its customer's thread and the reply window.
#[tauri::command]
#[specta::specta]
pub async fn order_detail(catalog: Catalog<'_>, id: u32) -> Result<OrderDetail, IpcError> {
    on_catalog(&catalog, move |v| v.order_detail(i64::from(id))).await
}

/// Moves an order along its workflow (refused when the move is not allowed).
#[tauri::command]
#[specta::specta]
pub async fn set_order_status(
    catalog: Catalog<'_>,
    id: u32,
    status: OrderStatus,
) -> Result<OrderDetail, IpcError> {
    on_catalog(&catalog, move |v| {
        v.set_order_status(i64::from(id), status)?;
        v.order_detail(i64::from(id))
    })
    .await
}

/// Replaces the order's note.
#[tauri::command]
#[specta::specta]
pub async fn set_order_note(
    catalog: Catalog<'_>,
    id: u32,
    note: String,
) -> Result<OrderDetail, IpcError> {
    on_catalog(&catalog, move |v| {
        v.set_order_note(i64::from(id), &note)?;
        v.order_detail(i64::from(id))
    })
    .await
}

/// Sends `text` to the order's customer (inside the 24-hour window).
#[tauri::command]
#[specta::specta]
pub async fn reply_to_order(
    catalog: Catalog<'_>,
    id: u32,
    text: String,
) -> Result<SentReply, IpcError> {
    on_meta(&catalog, move |v| async move {
        v.reply_connected(i64::from(id), &text).await
    })
    .await
}

/// A quick reply filled in for an order, to review before sending.
#[tauri::command]
#[specta::specta]
pub async fn quick_reply_text(
    catalog: Catalog<'_>,
    id: u32,
    name: String,
    language: Option<String>,
) -> Result<String, IpcError> {
    on_catalog(&catalog, move |v| {
        v.quick_reply_for(i64::from(id), &name, language.as_deref())
    })
    .await
}

/// Every quick reply in a language (default: the shop's main one).
#[tauri::command]
#[specta::specta]
pub async fn quick_replies(
    catalog: Catalog<'_>,
    language: Option<String>,
) -> Result<QuickReplyTexts, IpcError> {
    on_catalog(&catalog, move |v| v.quick_replies(language.as_deref())).await
}

/// Marks the customer's messages of an order as read (blue ticks).
#[tauri::command]
#[specta::specta]
pub async fn mark_order_read(catalog: Catalog<'_>, id: u32) -> Result<u32, IpcError> {
    on_meta(&catalog, move |v| async move {
        v.mark_order_read_connected(i64::from(id)).await
    })
    .await
    .map(|n: usize| u32::try_from(n).unwrap_or(u32::MAX))
}

/// Writes the orders the query selects to a CSV file.
#[tauri::command]
#[specta::specta]
pub async fn export_orders(
    catalog: Catalog<'_>,
    query: OrderQuery,
    path: String,
) -> Result<OrdersExport, IpcError> {
    on_catalog(&catalog, move |v| {
        v.export_orders(std::path::Path::new(&path), &query.into())
    })
    .await
}

/// Orders and revenue per day and week, top products and attribution channels, with days in
/// the computer's time zone: its IANA name (`timeZone`, as JavaScript's
/// `Intl.DateTimeFormat().resolvedOptions().timeZone`, e.g. `Africa/Cairo`).
#[tauri::command]
#[specta::specta]
pub async fn order_analytics(
    catalog: Catalog<'_>,
    query: OrderQuery,
    time_zone: String,
) -> Result<OrderAnalytics, IpcError> {
    on_catalog(&catalog, move |v| {
        v.order_analytics(&query.into(), time_zone.parse()?)
    })
    .await
}

/// Replaces a quick reply's text in one language; empty restores the built-in one.
#[tauri::command]
#[specta::specta]
pub async fn set_quick_reply(
    catalog: Catalog<'_>,
    name: String,
    language: String,
    text: String,
) -> Result<QuickReplyText, IpcError> {
    on_catalog(&catalog, move |v| {
        v.set_quick_reply(&name, &language, &text)
    })
    .await
}

/// The Pix key and UPI id the payment-info quick reply quotes.
#[tauri::command]
#[specta::specta]
pub async fn payment_details(catalog: Catalog<'_>) -> Result<PaymentDetails, IpcError> {
    on_catalog(&catalog, |v| v.payment_details()).await
}

/// Saves the Pix key and UPI id (empty removes one).
#[tauri::command]
#[specta::specta]
pub async fn set_payment_details(
    catalog: Catalog<'_>,
    details: PaymentDetails,
) -> Result<PaymentDetails, IpcError> {
    on_catalog(&catalog, move |v| {
        v.set_payment_details(
            Some(details.pix_key.as_deref().unwrap_or("")),
            Some(details.upi_id.as_deref().unwrap_or("")),
        )?;
        v.payment_details()
    })
    .await
}
