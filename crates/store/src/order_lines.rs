//! The `order_lines` table: the items of an order as Meta sent them. `item_price` is Meta's
//! unit price exactly as the JSON number was written (`7.99`, `30`), and `unit_minor` the
//! same price in the currency's integer minor units (799, 3000 for USD) — `NULL` when the
//! text could not be read as a price of that currency, so the line is still kept.

use rusqlite::{params, Connection, Transaction};

use crate::StoreError;

pub(crate) const MIGRATION_1: &str = "
CREATE TABLE order_lines (
    order_id     INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    retailer_id  TEXT NOT NULL,
    quantity     INTEGER NOT NULL,
    item_price   TEXT NOT NULL,
    unit_minor   INTEGER,
    currency     TEXT NOT NULL,
    PRIMARY KEY (order_id, position)
) STRICT;
CREATE INDEX order_lines_retailer ON order_lines (retailer_id);
";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderLineRow {
    /// The product's SKU (`product_retailer_id`).
    pub retailer_id: String,
    pub quantity: i64,
    /// Meta's `item_price` as written in the webhook, major units.
    pub item_price: String,
    /// `item_price` in minor units of `currency`, when readable.
    pub unit_minor: Option<i64>,
    pub currency: String,
}

/// Writes an order's lines, in Meta's order.
pub fn insert_all(
    tx: &Transaction<'_>,
    order_id: i64,
    lines: &[OrderLineRow],
) -> Result<(), StoreError> {
    let mut stmt = tx.prepare(
        "INSERT INTO order_lines (order_id, position, retailer_id, quantity, item_price, unit_minor, currency)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for (position, line) in lines.iter().enumerate() {
        stmt.execute(params![
            order_id,
            position as i64,
            line.retailer_id,
            line.quantity,
            line.item_price,
            line.unit_minor,
            line.currency
        ])?;
    }
    Ok(())
}

pub fn of_order(conn: &Connection, order_id: i64) -> Result<Vec<OrderLineRow>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT retailer_id, quantity, item_price, unit_minor, currency FROM order_lines
         WHERE order_id = ?1 ORDER BY position",
    )?;
    let rows = stmt
        .query_map([order_id], |r| {
            Ok(OrderLineRow {
                retailer_id: r.get(0)?,
                quantity: r.get(1)?,
                item_price: r.get(2)?,
                unit_minor: r.get(3)?,
                currency: r.get(4)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}
