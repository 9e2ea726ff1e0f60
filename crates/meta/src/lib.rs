//! vitrine-meta: a client for the parts of Meta's Graph API Vitrine uses — catalog
//! `items_batch`, `check_batch_request_status`, the `products` edge, WhatsApp commerce
//! settings, the catalogs connected to a WhatsApp Business account, managed short links
//! (`message_qrdls`) and Cloud API messages (text replies, mark as read).
//!
//! [`GraphApi`] is the seam the sync engine talks to; [`GraphClient`] implements it over
//! HTTP with an injectable base URL (tests point it at a local fake Graph server) and a
//! pinned API version. Errors are typed from Meta's `error.code` / `error_subcode`, never
//! from the HTTP status (except a bare HTTP 429, a rate limit without a Graph error body).
//! Once Meta's usage headers reach 90 % of a limit, the client waits before its next call
//! ([`pause_before_next_call`]); waits go through a [`Sleeper`], so tests
//! record them instead of sleeping. The access token is an [`AccessToken`], which never
//! prints.

mod client;
mod error;
mod sleep;
mod token;
mod types;
mod usage;

pub use client::{GraphClient, GraphConfig, DEFAULT_BASE_URL, GRAPH_API_VERSION};
pub use error::{ErrorData, GraphError, GraphErrorBody};
pub use sleep::{RecordingSleeper, Sleeper, TokioSleeper};
pub use token::AccessToken;
pub use types::*;
pub use usage::{
    pause_before_next_call, AppUsage, BusinessUseCaseUsage, UsageEntry, LONGEST_USAGE_PAUSE,
    SLOW_DOWN_AT_PERCENT,
};

use std::future::Future;
use std::time::Duration;

/// What Vitrine asks of Meta. Implemented by [`GraphClient`]; tests may provide their own.
pub trait GraphApi: Send + Sync {
    /// Waits before trying a call again (a retry, the next status check), on the client's
    /// clock: tests inject one that records the wait instead.
    fn pause(&self, wait: Duration) -> impl Future<Output = ()> + Send {
        tokio::time::sleep(wait)
    }

    /// `POST /{catalog_id}/items_batch` with `item_type=PRODUCT_ITEM`.
    fn items_batch(
        &self,
        catalog_id: &str,
        requests: &[BatchRequest],
        allow_upsert: bool,
    ) -> impl Future<Output = Result<Ingested<ItemsBatchResponse>, GraphError>> + Send;

    /// `GET /{catalog_id}/check_batch_request_status?handle=…&load_ids_of_invalid_requests=true`.
    fn batch_status(
        &self,
        catalog_id: &str,
        handle: &str,
    ) -> impl Future<Output = Result<Ingested<BatchStatus>, GraphError>> + Send;

    /// One page of `GET /{catalog_id}/products`; pass the previous page's `after` cursor.
    fn products_page(
        &self,
        catalog_id: &str,
        after: Option<&str>,
        limit: u32,
    ) -> impl Future<Output = Result<Ingested<Page<CatalogProduct>>, GraphError>> + Send;

    /// `GET /{catalog_id}?fields=id,name,product_count,vertical`: the catalog itself (a cheap
    /// "test connection").
    fn catalog(
        &self,
        catalog_id: &str,
    ) -> impl Future<Output = Result<Ingested<CatalogInfo>, GraphError>> + Send;

    /// `GET /{phone_number_id}/whatsapp_commerce_settings`.
    fn commerce_settings(
        &self,
        phone_number_id: &str,
    ) -> impl Future<Output = Result<Ingested<CommerceSettings>, GraphError>> + Send;

    /// `POST /{phone_number_id}/whatsapp_commerce_settings` with the given switches.
    fn set_commerce_settings(
        &self,
        phone_number_id: &str,
        cart_enabled: Option<bool>,
        catalog_visible: Option<bool>,
    ) -> impl Future<Output = Result<Ingested<()>, GraphError>> + Send;

    /// `GET /{waba_id}/product_catalogs`.
    fn waba_catalogs(
        &self,
        waba_id: &str,
    ) -> impl Future<Output = Result<Ingested<Page<CatalogInfo>>, GraphError>> + Send;

    /// One page of `GET /{phone_number_id}/message_qrdls`: the shop's managed short links.
    fn short_links_page(
        &self,
        phone_number_id: &str,
        after: Option<&str>,
    ) -> impl Future<Output = Result<Ingested<Page<ShortLink>>, GraphError>> + Send;

    /// `POST /{phone_number_id}/message_qrdls` with a new prefilled message.
    fn create_short_link(
        &self,
        phone_number_id: &str,
        prefilled_message: &str,
    ) -> impl Future<Output = Result<Ingested<ShortLink>, GraphError>> + Send;

    /// `POST /{phone_number_id}/message_qrdls` with `code`: a new message, same code and link.
    fn update_short_link(
        &self,
        phone_number_id: &str,
        code: &str,
        prefilled_message: &str,
    ) -> impl Future<Output = Result<Ingested<ShortLink>, GraphError>> + Send;

    /// `DELETE /{phone_number_id}/message_qrdls/{code}`.
    fn delete_short_link(
        &self,
        phone_number_id: &str,
        code: &str,
    ) -> impl Future<Output = Result<Ingested<()>, GraphError>> + Send;

    /// `POST /{phone_number_id}/messages` with a text message to `to` (a WhatsApp id or an
    /// international number), quoting `reply_to` when given. Inside the 24-hour customer
    /// service window only; outside it Meta answers 131047 ([`GraphError::OutsideServiceWindow`]).
    fn send_text(
        &self,
        phone_number_id: &str,
        to: &str,
        body: &str,
        reply_to: Option<&str>,
    ) -> impl Future<Output = Result<Ingested<SentMessage>, GraphError>> + Send;

    /// `POST /{phone_number_id}/messages` with `status: read`: the customer sees blue ticks
    /// on `message_id` and every earlier message.
    fn mark_read(
        &self,
        phone_number_id: &str,
        message_id: &str,
    ) -> impl Future<Output = Result<Ingested<()>, GraphError>> + Send;
}
