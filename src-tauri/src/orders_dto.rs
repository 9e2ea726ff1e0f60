//! The Orders view's shapes across IPC, like [`crate::dto`]: camelCase, converted from the
//! `vitrine-app` types by exhaustive destructuring. Money crosses as [`Money`] (exact decimal
//! string, minor units, currency); instants as RFC 3339 strings; days as `YYYY-MM-DD`.

use serde::{Deserialize, Serialize};
use specta::Type;
use tauri_specta::Event;
use vitrine_app::orders as app;
use vitrine_app::orders::OrderStatus;

use crate::dto::Money;
use crate::sync_dto::TokenSource;

fn saturating_u32(n: impl TryInto<u32>) -> u32 {
    n.try_into().unwrap_or(u32::MAX)
}

fn instant(at: chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Which orders to list: empty fields mean any.
#[derive(Debug, Clone, Default, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct OrderQuery {
    pub status: Option<OrderStatus>,
    /// The customer's name or number, a SKU or title, the note, the ref tag.
    pub text: Option<String>,
    /// `YYYY-MM-DD`, included.
    pub from: Option<String>,
    pub to: Option<String>,
}

impl From<OrderQuery> for app::OrderQuery {
    fn from(query: OrderQuery) -> Self {
        let OrderQuery {
            status,
            text,
            from,
            to,
        } = query;
        Self {
            status,
            text,
            from,
            to,
        }
    }
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Customer {
    pub wa_id: String,
    pub name: String,
}

/// The catalog product a line names, as it is now.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct LineProduct {
    pub id: String,
    pub title: String,
    pub thumbnail: Option<String>,
    pub variant: Option<String>,
    pub price: Money,
}

impl From<app::LineProduct> for LineProduct {
    fn from(product: app::LineProduct) -> Self {
        let app::LineProduct {
            id,
            title,
            thumbnail,
            variant,
            price,
        } = product;
        Self {
            id,
            title,
            thumbnail: thumbnail.map(|h| h.to_string()),
            variant,
            price: price.into(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct OrderLine {
    pub sku: String,
    pub quantity: u32,
    /// Meta's `item_price` exactly as received.
    pub item_price: String,
    pub unit_price: Option<Money>,
    pub line_total: Option<Money>,
    /// `null`: no product with this SKU in the catalog.
    pub product: Option<LineProduct>,
    /// The customer saw another price than the catalog's current one.
    pub price_differs: bool,
}

impl From<app::OrderLine> for OrderLine {
    fn from(line: app::OrderLine) -> Self {
        let app::OrderLine {
            sku,
            quantity,
            item_price,
            unit_price,
            line_total,
            product,
            price_differs,
        } = line;
        Self {
            sku,
            quantity: saturating_u32(quantity.max(0)),
            item_price,
            unit_price: unit_price.map(Into::into),
            line_total: line_total.map(Into::into),
            product: product.map(Into::into),
            price_differs,
        }
    }
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Order {
    pub id: u32,
    pub wamid: String,
    pub phone_number_id: String,
    pub customer: Customer,
    pub received_at: String,
    pub status: OrderStatus,
    pub note: String,
    pub ref_tag: Option<String>,
    pub catalog_id: String,
    pub customer_text: String,
    pub lines: Vec<OrderLine>,
    /// `null` when a price is unreadable or currencies are mixed.
    pub total: Option<Money>,
    pub item_count: u32,
    pub has_unknown_products: bool,
    pub has_price_differences: bool,
}

impl From<app::Order> for Order {
    fn from(order: app::Order) -> Self {
        let app::Order {
            id,
            wamid,
            phone_number_id,
            customer,
            received_at,
            status,
            note,
            ref_tag,
            catalog_id,
            customer_text,
            lines,
            total,
            item_count,
            has_unknown_products,
            has_price_differences,
        } = order;
        let app::Customer { wa_id, name } = customer;
        Self {
            id: saturating_u32(id),
            wamid,
            phone_number_id,
            customer: Customer { wa_id, name },
            received_at: instant(received_at),
            status,
            note,
            ref_tag,
            catalog_id,
            customer_text,
            lines: lines.into_iter().map(Into::into).collect(),
            total: total.map(Into::into),
            item_count: saturating_u32(item_count.max(0)),
            has_unknown_products,
            has_price_differences,
        }
    }
}

/// Several orders, newest first.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(transparent)]
pub struct Orders(pub Vec<Order>);

impl From<Vec<app::Order>> for Orders {
    fn from(orders: Vec<app::Order>) -> Self {
        Self(orders.into_iter().map(Into::into).collect())
    }
}

/// One message of the customer's thread.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ThreadEntry {
    pub wamid: String,
    pub inbound: bool,
    /// `text`, `order`, `product_inquiry`, or Meta's type for anything else.
    pub kind: String,
    pub body: String,
    pub referred_sku: Option<String>,
    pub referred_product: Option<LineProduct>,
    pub ref_tag: Option<String>,
    pub at: String,
    /// For a reply: `sent`, `delivered`, `read` or `failed`.
    pub status: Option<String>,
    pub error: Option<String>,
}

impl From<app::ThreadEntry> for ThreadEntry {
    fn from(entry: app::ThreadEntry) -> Self {
        let app::ThreadEntry {
            wamid,
            inbound,
            kind,
            body,
            referred_sku,
            referred_product,
            ref_tag,
            at,
            status,
            error,
        } = entry;
        Self {
            wamid,
            inbound,
            kind,
            body,
            referred_sku,
            referred_product: referred_product.map(Into::into),
            ref_tag,
            at: instant(at),
            status,
            error,
        }
    }
}

/// How long a free-form reply is still possible (WhatsApp's 24-hour window).
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ReplyWindow {
    pub open: bool,
    pub last_customer_message_at: Option<String>,
    pub closes_at: Option<String>,
    pub remaining_seconds: u32,
}

impl From<app::ReplyWindow> for ReplyWindow {
    fn from(window: app::ReplyWindow) -> Self {
        let app::ReplyWindow {
            open,
            last_customer_message_at,
            closes_at,
            remaining_seconds,
        } = window;
        Self {
            open,
            last_customer_message_at: last_customer_message_at.map(instant),
            closes_at: closes_at.map(instant),
            remaining_seconds: saturating_u32(remaining_seconds.max(0)),
        }
    }
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct OrderDetail {
    pub order: Order,
    pub thread: Vec<ThreadEntry>,
    pub window: ReplyWindow,
}

impl From<app::OrderDetail> for OrderDetail {
    fn from(detail: app::OrderDetail) -> Self {
        let app::OrderDetail {
            order,
            thread,
            window,
        } = detail;
        Self {
            order: order.into(),
            thread: thread.into_iter().map(Into::into).collect(),
            window: window.into(),
        }
    }
}

/// A reply Meta accepted.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SentReply {
    pub order_id: u32,
    pub wamid: String,
    pub text: String,
    pub window: ReplyWindow,
}

impl From<app::SentReply> for SentReply {
    fn from(reply: app::SentReply) -> Self {
        let app::SentReply {
            order_id,
            wamid,
            text,
            window,
        } = reply;
        Self {
            order_id: saturating_u32(order_id),
            wamid,
            text,
            window: window.into(),
        }
    }
}

/// A quick reply's text in one language.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct QuickReplyText {
    /// `confirm`, `ask-address`, `payment-info` or `ready-for-pickup`.
    pub name: String,
    pub language: String,
    pub text: String,
    pub is_default: bool,
}

impl From<app::QuickReplyText> for QuickReplyText {
    fn from(text: app::QuickReplyText) -> Self {
        let app::QuickReplyText {
            name,
            language,
            text,
            is_default,
        } = text;
        Self {
            name: name.to_owned(),
            language,
            text,
            is_default,
        }
    }
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(transparent)]
pub struct QuickReplyTexts(pub Vec<QuickReplyText>);

impl From<Vec<app::QuickReplyText>> for QuickReplyTexts {
    fn from(texts: Vec<app::QuickReplyText>) -> Self {
        Self(texts.into_iter().map(Into::into).collect())
    }
}

/// The relay connection (never the token).
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RelayStatus {
    pub url: String,
    pub cursor: String,
    pub last_pull_at: Option<String>,
    pub token: TokenSource,
    pub events: u32,
    pub orders: u32,
}

impl From<app::RelayStatus> for RelayStatus {
    fn from(status: app::RelayStatus) -> Self {
        let app::RelayStatus {
            url,
            cursor,
            last_pull_at,
            token,
            events,
            orders,
        } = status;
        Self {
            url,
            cursor,
            last_pull_at,
            token: match token {
                vitrine_app::TokenSource::Environment => TokenSource::Environment,
                vitrine_app::TokenSource::Keychain => TokenSource::Keychain,
                vitrine_app::TokenSource::Missing => TokenSource::Missing,
            },
            events: saturating_u32(events),
            orders: saturating_u32(orders),
        }
    }
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(transparent)]
pub struct MaybeRelay(pub Option<RelayStatus>);

impl From<Option<app::RelayStatus>> for MaybeRelay {
    fn from(status: Option<app::RelayStatus>) -> Self {
        Self(status.map(Into::into))
    }
}

/// What a pull brought.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PullReport {
    pub events: u32,
    pub new_orders: Vec<u32>,
    pub messages: u32,
}

impl From<app::PullReport> for PullReport {
    fn from(report: app::PullReport) -> Self {
        let new_orders = report
            .new_orders()
            .into_iter()
            .map(saturating_u32)
            .collect();
        let app::PullReport {
            events,
            pages: _,
            updates,
            cursor: _,
        } = report;
        Self {
            events: saturating_u32(events),
            new_orders,
            messages: saturating_u32(
                updates
                    .iter()
                    .filter(|u| matches!(u, app::InboxUpdate::Message { .. }))
                    .count(),
            ),
        }
    }
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct OrdersExport {
    pub orders: u32,
    pub lines: u32,
}

impl From<app::OrdersExport> for OrdersExport {
    fn from(export: app::OrdersExport) -> Self {
        let app::OrdersExport { orders, lines } = export;
        Self {
            orders: saturating_u32(orders),
            lines: saturating_u32(lines),
        }
    }
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PeriodTotals {
    pub start: String,
    pub orders: u32,
    pub revenue: Vec<Money>,
}

impl From<app::PeriodTotals> for PeriodTotals {
    fn from(totals: app::PeriodTotals) -> Self {
        let app::PeriodTotals {
            start,
            orders,
            revenue,
        } = totals;
        Self {
            start: start.format("%Y-%m-%d").to_string(),
            orders: saturating_u32(orders),
            revenue: revenue.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ProductSales {
    pub sku: String,
    pub title: Option<String>,
    pub quantity: u32,
    pub orders: u32,
    pub revenue: Vec<Money>,
}

impl From<app::ProductSales> for ProductSales {
    fn from(sales: app::ProductSales) -> Self {
        let app::ProductSales {
            sku,
            title,
            quantity,
            orders,
            revenue,
        } = sales;
        Self {
            sku,
            title,
            quantity: saturating_u32(quantity.max(0)),
            orders: saturating_u32(orders),
            revenue: revenue.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ChannelCount {
    pub ref_tag: Option<String>,
    pub orders: u32,
    pub revenue: Vec<Money>,
}

impl From<app::ChannelCount> for ChannelCount {
    fn from(count: app::ChannelCount) -> Self {
        let app::ChannelCount {
            ref_tag,
            orders,
            revenue,
        } = count;
        Self {
            ref_tag,
            orders: saturating_u32(orders),
            revenue: revenue.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct OrderAnalytics {
    pub per_day: Vec<PeriodTotals>,
    pub per_week: Vec<PeriodTotals>,
    pub top_products: Vec<ProductSales>,
    pub per_channel: Vec<ChannelCount>,
}

impl From<app::OrderAnalytics> for OrderAnalytics {
    fn from(analytics: app::OrderAnalytics) -> Self {
        let app::OrderAnalytics {
            per_day,
            per_week,
            top_products,
            per_channel,
        } = analytics;
        Self {
            per_day: per_day.into_iter().map(Into::into).collect(),
            per_week: per_week.into_iter().map(Into::into).collect(),
            top_products: top_products.into_iter().map(Into::into).collect(),
            per_channel: per_channel.into_iter().map(Into::into).collect(),
        }
    }
}

/// Something arrived from the relay: the Orders view refreshes, the badge counts.
#[derive(Debug, Clone, Serialize, Deserialize, Type, Event)]
#[serde(rename_all = "camelCase")]
pub struct InboxChanged {
    /// The new order, when a cart arrived.
    pub new_order: Option<u32>,
    /// Orders waiting in `new`, for the badge.
    pub waiting: u32,
}

/// How customers pay, as the payment-info quick reply quotes it.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PaymentDetails {
    /// A Brazilian Pix key.
    pub pix_key: Option<String>,
    /// An Indian UPI id.
    pub upi_id: Option<String>,
}

impl From<app::PaymentDetails> for PaymentDetails {
    fn from(details: app::PaymentDetails) -> Self {
        let app::PaymentDetails { pix_key, upi_id } = details;
        Self { pix_key, upi_id }
    }
}
