//! The `trash` tables: products deleted from the desktop app, kept (with their photos) until
//! the undo window passes, so "delete" can be undone. Photos referenced here are not
//! garbage-collected.

use rusqlite::{params, Connection, Transaction};
use vitrine_core::Product;

use crate::StoreError;

pub(crate) const MIGRATION_1: &str = "
CREATE TABLE trash (
    batch        INTEGER NOT NULL,
    product_id   TEXT NOT NULL,
    product_json TEXT NOT NULL,
    deleted_at   TEXT NOT NULL,
    PRIMARY KEY (batch, product_id)
) STRICT;
CREATE TABLE trash_images (
    batch      INTEGER NOT NULL,
    image_hash TEXT NOT NULL REFERENCES images (hash),
    PRIMARY KEY (batch, image_hash)
) STRICT;
";

/// Puts products into a new trash batch (the caller deletes them); returns the batch number.
pub fn put(
    tx: &Transaction<'_>,
    products: &[Product],
    deleted_at: &str,
) -> Result<i64, StoreError> {
    let batch: i64 = tx.query_row("SELECT coalesce(max(batch), 0) + 1 FROM trash", [], |r| {
        r.get(0)
    })?;
    for p in products {
        let json = serde_json::to_string(p).map_err(StoreError::corrupt)?;
        tx.execute("INSERT INTO trash (batch, product_id, product_json, deleted_at) VALUES (?1, ?2, ?3, ?4)", params![batch, p.id.to_string(), json, deleted_at])?;
        for image in &p.images {
            tx.execute(
                "INSERT OR IGNORE INTO trash_images (batch, image_hash) VALUES (?1, ?2)",
                params![batch, image.hash.as_str()],
            )?;
        }
    }
    Ok(batch)
}

/// The products of a batch, or an empty list when it was purged.
pub fn get(conn: &Connection, batch: i64) -> Result<Vec<Product>, StoreError> {
    let mut stmt =
        conn.prepare("SELECT product_json FROM trash WHERE batch = ?1 ORDER BY rowid")?;
    let rows = stmt
        .query_map([batch], |r| r.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    rows.iter()
        .map(|j| serde_json::from_str(j).map_err(StoreError::corrupt))
        .collect()
}

/// Forgets a batch; its photos become collectable.
pub fn forget(tx: &Transaction<'_>, batch: i64) -> Result<(), StoreError> {
    tx.execute("DELETE FROM trash_images WHERE batch = ?1", [batch])?;
    tx.execute("DELETE FROM trash WHERE batch = ?1", [batch])?;
    Ok(())
}

/// Forgets every batch deleted before `cutoff` (an RFC 3339 time; all when `None`).
pub fn purge(tx: &Transaction<'_>, cutoff: Option<&str>) -> Result<usize, StoreError> {
    let batches: Vec<i64> = {
        let mut stmt =
            tx.prepare("SELECT DISTINCT batch FROM trash WHERE ?1 IS NULL OR deleted_at < ?1")?;
        let rows = stmt
            .query_map([cutoff], |r| r.get(0))?
            .collect::<Result<Vec<_>, _>>()?;
        rows
    };
    for b in &batches {
        forget(tx, *b)?;
    }
    Ok(batches.len())
}
