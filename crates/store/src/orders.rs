//! The `orders` table: one row per WhatsApp `order` message (a cart sent from the catalog),
//! unique by its `wamid`, with the customer, the merchant's workflow state and note, and the
//! ref tag that brought the customer. Its lines are in `order_lines`.
//!
//! `received_at` is Meta's message timestamp, Unix seconds. `status` is one of `new`,
//! `confirmed`, `paid`, `shipped`, `delivered`, `cancelled`; which moves are allowed is the
//! app's rule, the table only refuses other words.

use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

use crate::StoreError;

pub(crate) const MIGRATION_1: &str = "
CREATE TABLE orders (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    wamid           TEXT NOT NULL UNIQUE,
    phone_number_id TEXT NOT NULL,
    customer_wa_id  TEXT NOT NULL,
    customer_name   TEXT NOT NULL DEFAULT '',
    received_at     INTEGER NOT NULL,
    catalog_id      TEXT NOT NULL DEFAULT '',
    customer_text   TEXT NOT NULL DEFAULT '',
    ref_tag         TEXT,
    status          TEXT NOT NULL DEFAULT 'new'
                    CHECK (status IN ('new', 'confirmed', 'paid', 'shipped', 'delivered', 'cancelled')),
    note            TEXT NOT NULL DEFAULT '',
    status_changed_at TEXT
) STRICT;
CREATE INDEX orders_received ON orders (received_at);
CREATE INDEX orders_customer ON orders (phone_number_id, customer_wa_id);
";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderRow {
    pub id: i64,
    pub wamid: String,
    pub phone_number_id: String,
    pub customer_wa_id: String,
    pub customer_name: String,
    pub received_at: i64,
    pub catalog_id: String,
    /// The text the customer sent with the cart (often empty).
    pub customer_text: String,
    pub ref_tag: Option<String>,
    pub status: String,
    pub note: String,
    /// RFC 3339, UTC; none while the order is new.
    pub status_changed_at: Option<String>,
}

/// An order as it arrives: everything but the id and the merchant's workflow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOrder {
    pub wamid: String,
    pub phone_number_id: String,
    pub customer_wa_id: String,
    pub customer_name: String,
    pub received_at: i64,
    pub catalog_id: String,
    pub customer_text: String,
    pub ref_tag: Option<String>,
}

/// Which orders to read; `None` means any. Times are Unix seconds, `to` exclusive.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrderFilter {
    pub status: Option<String>,
    pub from: Option<i64>,
    pub to: Option<i64>,
}

const COLUMNS: &str = "id, wamid, phone_number_id, customer_wa_id, customer_name, received_at,
    catalog_id, customer_text, ref_tag, status, note, status_changed_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<OrderRow> {
    Ok(OrderRow {
        id: r.get(0)?,
        wamid: r.get(1)?,
        phone_number_id: r.get(2)?,
        customer_wa_id: r.get(3)?,
        customer_name: r.get(4)?,
        received_at: r.get(5)?,
        catalog_id: r.get(6)?,
        customer_text: r.get(7)?,
        ref_tag: r.get(8)?,
        status: r.get(9)?,
        note: r.get(10)?,
        status_changed_at: r.get(11)?,
    })
}

/// Adds an order unless its `wamid` is already stored; the new id, or `None` for a repeat.
pub fn insert(tx: &Transaction<'_>, order: &NewOrder) -> Result<Option<i64>, StoreError> {
    let added = tx.execute(
        "INSERT INTO orders (wamid, phone_number_id, customer_wa_id, customer_name, received_at,
           catalog_id, customer_text, ref_tag)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (wamid) DO NOTHING",
        params![
            order.wamid,
            order.phone_number_id,
            order.customer_wa_id,
            order.customer_name,
            order.received_at,
            order.catalog_id,
            order.customer_text,
            order.ref_tag
        ],
    )?;
    Ok((added == 1).then(|| tx.last_insert_rowid()))
}

pub fn get(conn: &Connection, id: i64) -> Result<Option<OrderRow>, StoreError> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM orders WHERE id = ?1"),
            [id],
            from_row,
        )
        .optional()?)
}

/// Orders matching `filter`, newest first.
pub fn list(conn: &Connection, filter: &OrderFilter) -> Result<Vec<OrderRow>, StoreError> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM orders
         WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR received_at >= ?2)
           AND (?3 IS NULL OR received_at < ?3)
         ORDER BY received_at DESC, id DESC"
    ))?;
    let rows = stmt
        .query_map(params![filter.status, filter.from, filter.to], from_row)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

pub fn count(conn: &Connection) -> Result<u64, StoreError> {
    let n: i64 = conn.query_row("SELECT count(*) FROM orders", [], |r| r.get(0))?;
    Ok(n.unsigned_abs())
}

pub fn set_status(tx: &Transaction<'_>, id: i64, status: &str, at: &str) -> Result<(), StoreError> {
    let changed = tx.execute(
        "UPDATE orders SET status = ?2, status_changed_at = ?3 WHERE id = ?1",
        params![id, status, at],
    )?;
    if changed == 0 {
        return Err(StoreError::NotFound(format!("order {id}")));
    }
    Ok(())
}

pub fn set_note(tx: &Transaction<'_>, id: i64, note: &str) -> Result<(), StoreError> {
    let changed = tx.execute(
        "UPDATE orders SET note = ?2 WHERE id = ?1",
        params![id, note],
    )?;
    if changed == 0 {
        return Err(StoreError::NotFound(format!("order {id}")));
    }
    Ok(())
}
