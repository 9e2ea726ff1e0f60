//! An order from a WhatsApp cart, as a shop works from it: its status workflow, its lines
//! joined with the catalog by SKU, and its prices in exact money.
//!
//! Money is integer minor units of an ISO 4217 currency ([`Money`]); Meta's `item_price` is a
//! JSON number read from its decimal text, never a float ([`item_price`]). Times are UTC
//! instants; days are counted in the shop's [`TimeZone`](crate::TimeZone) ([`analyse`]).

mod analytics;
mod price;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::money::Money;
use crate::product::ContentHash;

pub use analytics::{analyse, ChannelCount, OrderAnalytics, PeriodTotals, ProductSales};
pub use price::{item_price, order_total, price_differs};

/// A word that names no order status.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "“{0}” is not an order status (new, confirmed, paid, shipped or ready, delivered, cancelled)"
)]
pub struct UnknownOrderStatus(pub String);

/// Where an order is in the shop's work. It moves only forward along
/// new → confirmed → paid → shipped (or ready for pickup) → delivered, possibly skipping a
/// step (a customer who pays at once), or to `cancelled` from any open state; `delivered`
/// and `cancelled` are final.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum OrderStatus {
    New,
    Confirmed,
    Paid,
    /// Shipped, or ready for pickup.
    Shipped,
    Delivered,
    Cancelled,
}

impl OrderStatus {
    pub const ALL: [Self; 6] = [
        Self::New,
        Self::Confirmed,
        Self::Paid,
        Self::Shipped,
        Self::Delivered,
        Self::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::Confirmed => "confirmed",
            Self::Paid => "paid",
            Self::Shipped => "shipped",
            Self::Delivered => "delivered",
            Self::Cancelled => "cancelled",
        }
    }

    /// Reads a status as typed (`ready` is `shipped`: ready for pickup).
    pub fn parse(text: &str) -> Result<Self, UnknownOrderStatus> {
        let word = text.trim().to_ascii_lowercase();
        match word.as_str() {
            "ready" | "ready-for-pickup" => return Ok(Self::Shipped),
            "canceled" => return Ok(Self::Cancelled),
            _ => {}
        }
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == word)
            .ok_or_else(|| UnknownOrderStatus(text.trim().to_owned()))
    }

    /// Still being worked on.
    pub fn is_open(self) -> bool {
        !matches!(self, Self::Delivered | Self::Cancelled)
    }

    /// Forward along new → confirmed → paid → shipped → delivered (skipping is allowed), or
    /// cancelled from any open state.
    pub fn can_move_to(self, next: Self) -> bool {
        if !self.is_open() || next == self {
            return false;
        }
        next == Self::Cancelled || next > self
    }
}

/// The customer, from the message's `contacts` entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Customer {
    /// WhatsApp id: the number in international form without `+` (or a business-scoped id).
    pub wa_id: String,
    /// The name on their WhatsApp profile; may be empty.
    pub name: String,
}

/// The catalog product a line names, as it is now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LineProduct {
    pub id: String,
    pub title: String,
    /// The first photo's content hash (the key of its thumbnail).
    pub thumbnail: Option<ContentHash>,
    /// Variant attributes, `Colour: blue, Size: M`.
    pub variant: Option<String>,
    /// The catalog's current price (the sale price while a sale runs).
    pub price: Money,
}

/// One item of an order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderLine {
    /// The SKU (`product_retailer_id`).
    pub sku: String,
    pub quantity: i64,
    /// Meta's `item_price` exactly as received (major units).
    pub item_price: String,
    /// Meta's unit price; `None` when it could not be read.
    pub unit_price: Option<Money>,
    /// `unit_price × quantity`.
    pub line_total: Option<Money>,
    /// `None`: no product with this SKU in the catalog (shown as unknown, never dropped).
    pub product: Option<LineProduct>,
    /// The customer saw a price other than the catalog's current one: check before confirming
    /// ([`price_differs`]).
    pub price_differs: bool,
}

/// An order, joined with the catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Order {
    pub id: i64,
    /// The `wamid.…` of the order message.
    pub wamid: String,
    pub phone_number_id: String,
    pub customer: Customer,
    pub received_at: DateTime<Utc>,
    pub status: OrderStatus,
    pub note: String,
    /// The attribution ref tag (`poster-window`) of the link that brought the customer.
    pub ref_tag: Option<String>,
    pub catalog_id: String,
    /// What the customer wrote with the cart.
    pub customer_text: String,
    pub lines: Vec<OrderLine>,
    /// Sum of the line totals; `None` if a price is unreadable or currencies are mixed
    /// ([`order_total`]).
    pub total: Option<Money>,
    pub item_count: i64,
    pub has_unknown_products: bool,
    pub has_price_differences: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_workflow_moves_forward_or_to_cancelled_and_stops_at_the_end() {
        use OrderStatus::*;
        assert!(New.can_move_to(Confirmed));
        assert!(Confirmed.can_move_to(Paid));
        assert!(Paid.can_move_to(Shipped));
        assert!(Shipped.can_move_to(Delivered));
        assert!(
            New.can_move_to(Paid),
            "a customer may pay before confirmation"
        );
        assert!(
            Paid.can_move_to(Cancelled),
            "any open order can be cancelled"
        );
        assert!(!Paid.can_move_to(Confirmed), "never backwards");
        assert!(!Delivered.can_move_to(Cancelled), "delivered is final");
        assert!(!Cancelled.can_move_to(New), "cancelled is final");
        assert!(!New.can_move_to(New), "staying put is not a move");
        assert_eq!(
            OrderStatus::parse("Ready").ok(),
            Some(Shipped),
            "ready for pickup is shipped"
        );
        assert!(OrderStatus::parse("lost").is_err());
    }

    #[test]
    fn a_status_is_read_as_typed_and_an_unknown_word_is_named_back() {
        assert_eq!(
            OrderStatus::parse(" Canceled "),
            Ok(OrderStatus::Cancelled),
            "the American spelling and stray spaces are accepted"
        );
        assert_eq!(
            OrderStatus::parse("ready-for-pickup"),
            Ok(OrderStatus::Shipped)
        );
        for status in OrderStatus::ALL {
            assert_eq!(
                OrderStatus::parse(status.as_str()),
                Ok(status),
                "each status reads back from its own name"
            );
        }
        assert_eq!(
            OrderStatus::parse(" lost ").map_err(|e| e.to_string()),
            Err("“lost” is not an order status (new, confirmed, paid, shipped or ready, delivered, cancelled)".to_owned()),
            "the merchant sees the word they typed and the words that work"
        );
    }
}
