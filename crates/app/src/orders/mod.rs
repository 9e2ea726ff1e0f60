//! The order inbox: WhatsApp carts read from the webhook relay and turned into orders a shop
//! can work from — each line joined with the local catalog by SKU (title, photo, variant),
//! totals in exact money, Meta's prices compared with the catalog's, unknown SKUs kept and
//! shown as unknown — with the customer's thread, a status workflow, notes, search, CSV
//! export, replies inside WhatsApp's 24-hour window and analytics.
//!
//! The order itself — its status workflow, its lines and prices, its analytics — is pure
//! domain in [`vitrine_core::order`], re-exported here; this module reads and writes it.
//! Money is integer minor units of an ISO 4217 currency ([`Money`]). Times are UTC instants;
//! the store keeps Meta's timestamps as Unix seconds.
//!
//! Submodules: [`relay`] (connect, pull, stream), `ingest` (events → orders and threads),
//! `reply` (replies, quick replies, the window, mark as read), `analytics`, `export`.

mod analytics;
mod export;
mod ingest;
pub mod relay;
mod reply;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use vitrine_core::order::{order_total, price_differs};
use vitrine_core::{Currency, Money, Product};
use vitrine_store::{order_lines, orders, products, thread_messages, Connection};

use crate::{AppError, InputField, Vitrine};

pub use export::OrdersExport;
pub use relay::{InboxUpdate, PullReport, RelayStatus, RelayToken, StreamOptions};
pub use reply::{
    PaymentDetails, QuickReply, QuickReplyText, ReplyWindow, SentReply, PAYMENT_PIX_KEY,
    PAYMENT_UPI_ID,
};
pub use vitrine_core::order::{
    ChannelCount, Customer, LineProduct, Order, OrderAnalytics, OrderLine, OrderStatus,
    PeriodTotals, ProductSales,
};

/// One message of a customer's thread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ThreadEntry {
    pub wamid: String,
    /// `inbound` (from the customer) or `outbound` (the shop's reply).
    pub inbound: bool,
    /// `text`, `order`, `product_inquiry`, or Meta's type for anything else (`image`…).
    pub kind: String,
    pub body: String,
    /// For a product question: the product asked about.
    pub referred_sku: Option<String>,
    pub referred_product: Option<LineProduct>,
    pub ref_tag: Option<String>,
    pub at: DateTime<Utc>,
    /// For a reply: `sent`, `delivered`, `read` or `failed` (none until Meta reports).
    pub status: Option<String>,
    pub error: Option<String>,
}

/// An order with its customer's conversation and how long a free reply is still possible.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderDetail {
    pub order: Order,
    pub thread: Vec<ThreadEntry>,
    pub window: ReplyWindow,
}

/// Which orders to list, as typed: empty fields mean any. Dates are `YYYY-MM-DD` (UTC days,
/// both ends included) or RFC 3339 instants.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderQuery {
    pub status: Option<OrderStatus>,
    /// Matches the customer's name or number, a SKU or product title, the note, the ref tag.
    pub text: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
}

fn storage(action: &'static str) -> impl FnOnce(vitrine_store::StoreError) -> AppError {
    move |e| AppError::from_store(action, e)
}

pub(crate) fn instant(unix_seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(unix_seconds, 0).unwrap_or_default()
}

/// A date bound as Unix seconds: a day's start, or the next day's start for an end bound.
fn bound(field: InputField, text: &str, end: bool) -> Result<i64, AppError> {
    let text = text.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Ok(at.timestamp() + i64::from(end));
    }
    let day = NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| AppError::invalid(field, format!("“{text}” is not a date like 2025-06-30")))?;
    let day = if end {
        day.succ_opt().unwrap_or(day)
    } else {
        day
    };
    Ok(day
        .and_hms_opt(0, 0, 0)
        .map(|t| t.and_utc().timestamp())
        .unwrap_or_default())
}

fn variant_text(product: &Product) -> Option<String> {
    let group = product.draft.variant.as_ref()?;
    let parts: Vec<String> = group
        .attributes
        .iter()
        .map(|a| format!("{}: {}", a.name, a.value))
        .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

pub(crate) fn line_product(product: &Product, now: DateTime<Utc>) -> LineProduct {
    LineProduct {
        id: product.id.to_string(),
        title: product.draft.title.clone(),
        thumbnail: product.images.first().map(|i| i.hash.clone()),
        variant: variant_text(product),
        price: *product.effective_sale(now).unwrap_or(&product.draft.price),
    }
}

/// Joins a stored order with the catalog as it is `now`.
fn assemble(
    conn: &Connection,
    row: orders::OrderRow,
    now: DateTime<Utc>,
) -> Result<Order, vitrine_store::StoreError> {
    let mut lines = Vec::new();
    for line in order_lines::of_order(conn, row.id)? {
        let unit_price = Currency::from_code(&line.currency)
            .ok()
            .and_then(|c| line.unit_minor.map(|minor| Money::from_minor(minor, c)));
        let line_total = unit_price.and_then(|p| p.checked_mul(line.quantity).ok());
        let product = products::get_by_sku(conn, &line.retailer_id)?.map(|p| line_product(&p, now));
        let price_differs = price_differs(product.as_ref(), unit_price);
        lines.push(OrderLine {
            sku: line.retailer_id,
            quantity: line.quantity,
            item_price: line.item_price,
            unit_price,
            line_total,
            product,
            price_differs,
        });
    }
    let total = order_total(&lines);
    let status = OrderStatus::parse(&row.status).map_err(|_| {
        vitrine_store::StoreError::Corrupt(format!("order status “{}”", row.status))
    })?;
    Ok(Order {
        id: row.id,
        wamid: row.wamid,
        phone_number_id: row.phone_number_id,
        customer: Customer {
            wa_id: row.customer_wa_id,
            name: row.customer_name,
        },
        received_at: instant(row.received_at),
        status,
        note: row.note,
        ref_tag: row.ref_tag,
        catalog_id: row.catalog_id,
        customer_text: row.customer_text,
        item_count: lines.iter().map(|l| l.quantity).sum(),
        has_unknown_products: lines.iter().any(|l| l.product.is_none()),
        has_price_differences: lines.iter().any(|l| l.price_differs),
        total,
        lines,
    })
}

fn matches_text(order: &Order, folded_query: &str) -> bool {
    let fold = vitrine_core::text::fold;
    let digits: String = folded_query.chars().filter(char::is_ascii_digit).collect();
    if !digits.is_empty() && digits.len() >= 4 && order.customer.wa_id.contains(&digits) {
        return true;
    }
    let mut fields = vec![
        fold(&order.customer.name),
        fold(&order.note),
        fold(&order.customer_text),
        order.ref_tag.clone().unwrap_or_default(),
        order.id.to_string(),
    ];
    for line in &order.lines {
        fields.push(fold(&line.sku));
        if let Some(p) = &line.product {
            fields.push(fold(&p.title));
        }
    }
    fields.iter().any(|f| f.contains(folded_query))
}

impl Vitrine {
    /// Orders matching `query`, newest first.
    pub fn orders(&self, query: &OrderQuery) -> Result<Vec<Order>, AppError> {
        let filter = orders::OrderFilter {
            status: query.status.map(|s| s.as_str().to_owned()),
            from: query
                .from
                .as_deref()
                .filter(|s| !s.trim().is_empty())
                .map(|s| bound(InputField::FromDay, s, false))
                .transpose()?,
            to: query
                .to
                .as_deref()
                .filter(|s| !s.trim().is_empty())
                .map(|s| bound(InputField::ToDay, s, true))
                .transpose()?,
        };
        let text = query
            .text
            .as_deref()
            .map(|t| vitrine_core::text::fold(t.trim()))
            .filter(|t| !t.is_empty());
        let now = self.now();
        let all = self
            .store
            .read(|c| {
                orders::list(c, &filter)?
                    .into_iter()
                    .map(|row| assemble(c, row, now))
                    .collect::<Result<Vec<_>, _>>()
            })
            .map_err(storage("reading the orders"))?;
        Ok(match text {
            Some(t) => all.into_iter().filter(|o| matches_text(o, &t)).collect(),
            None => all,
        })
    }

    pub fn order(&self, id: i64) -> Result<Order, AppError> {
        let now = self.now();
        self.store
            .read(|c| match orders::get(c, id)? {
                Some(row) => assemble(c, row, now),
                None => Err(vitrine_store::StoreError::NotFound(format!("order {id}"))),
            })
            .map_err(storage("reading the order"))
    }

    /// The order with its customer's thread and the reply window.
    pub fn order_detail(&self, id: i64) -> Result<OrderDetail, AppError> {
        let order = self.order(id)?;
        let now = self.now();
        let thread = self
            .store
            .read(|c| {
                thread_messages::thread(c, &order.phone_number_id, &order.customer.wa_id)?
                    .into_iter()
                    .map(|m| {
                        let referred_product = match &m.referred_retailer_id {
                            Some(sku) => {
                                products::get_by_sku(c, sku)?.map(|p| line_product(&p, now))
                            }
                            None => None,
                        };
                        Ok(ThreadEntry {
                            inbound: m.direction == thread_messages::Direction::Inbound,
                            wamid: m.wamid,
                            kind: m.kind,
                            body: m.body,
                            referred_sku: m.referred_retailer_id,
                            referred_product,
                            ref_tag: m.ref_tag,
                            at: instant(m.sent_at),
                            status: m.status,
                            error: m.error,
                        })
                    })
                    .collect::<Result<Vec<_>, vitrine_store::StoreError>>()
            })
            .map_err(storage("reading the customer's messages"))?;
        let window = self.reply_window_of(&order)?;
        Ok(OrderDetail {
            order,
            thread,
            window,
        })
    }

    /// Moves an order along its workflow; refuses a move back or out of a final state.
    pub fn set_order_status(&self, id: i64, next: OrderStatus) -> Result<Order, AppError> {
        let current = self.order(id)?.status;
        if !current.can_move_to(next) {
            return Err(AppError::Conflict(if current.is_open() {
                format!(
                    "order {id} is {}: it can move forward or be cancelled, not become {}",
                    current.as_str(),
                    next.as_str()
                )
            } else {
                format!("order {id} is {}, which is final", current.as_str())
            }));
        }
        let at = self.now().to_rfc3339();
        self.store
            .write(|tx| orders::set_status(tx, id, next.as_str(), &at))
            .map_err(storage("changing the order's status"))?;
        self.order(id)
    }

    /// Replaces the order's note (the merchant's own words; never sent to the customer).
    pub fn set_order_note(&self, id: i64, note: &str) -> Result<Order, AppError> {
        self.store
            .write(|tx| orders::set_note(tx, id, note.trim()))
            .map_err(storage("saving the note"))?;
        self.order(id)
    }
}
