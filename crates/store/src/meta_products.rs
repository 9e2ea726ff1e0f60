//! The `meta_products` table: Meta's own id of each item of the catalog, as last read back
//! from Meta (`GET /{catalog}/products`). A product's `wa.me/p/<id>/<number>` link needs it;
//! Meta gives it only on reads, never in `items_batch` answers.

use rusqlite::{params, Connection, OptionalExtension, Transaction};

use crate::StoreError;

pub(crate) const MIGRATION_1: &str = "
CREATE TABLE meta_products (
    retailer_id TEXT PRIMARY KEY NOT NULL,
    meta_id     TEXT NOT NULL,
    seen_at     TEXT NOT NULL
) STRICT;
";

/// Meta's id of the item with this retailer id (SKU), if a pull has seen it.
pub fn meta_id(conn: &Connection, retailer_id: &str) -> Result<Option<String>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT meta_id FROM meta_products WHERE retailer_id = ?1",
            [retailer_id],
            |r| r.get(0),
        )
        .optional()?)
}

/// Meta's id of an item Vitrine has sent (it is in the sync journal's `meta_items`) and a
/// read-back has seen: what a `wa.me/p/` link of a synced product needs.
pub fn synced_meta_id(conn: &Connection, retailer_id: &str) -> Result<Option<String>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT p.meta_id FROM meta_products p JOIN meta_items i ON i.retailer_id = p.retailer_id
             WHERE p.retailer_id = ?1",
            [retailer_id],
            |r| r.get(0),
        )
        .optional()?)
}

/// Every synced item's Meta id by retailer id, in one query (see [`synced_meta_id`]).
pub fn synced_meta_ids(
    conn: &Connection,
) -> Result<std::collections::HashMap<String, String>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT p.retailer_id, p.meta_id FROM meta_products p JOIN meta_items i ON i.retailer_id = p.retailer_id",
    )?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Replaces what is known with one complete read of Meta's catalog: items Meta no longer
/// has lose their id.
pub fn replace_all(
    tx: &Transaction<'_>,
    items: &[(String, String)],
    at: &str,
) -> Result<(), StoreError> {
    tx.execute("DELETE FROM meta_products", [])?;
    let mut insert = tx.prepare(
        "INSERT INTO meta_products (retailer_id, meta_id, seen_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (retailer_id) DO UPDATE SET meta_id = excluded.meta_id, seen_at = excluded.seen_at",
    )?;
    for (retailer_id, meta_id) in items {
        insert.execute(params![retailer_id, meta_id, at])?;
    }
    Ok(())
}

/// Forgets one item's id (it was deleted at Meta).
pub fn remove(tx: &Transaction<'_>, retailer_id: &str) -> Result<(), StoreError> {
    tx.execute(
        "DELETE FROM meta_products WHERE retailer_id = ?1",
        [retailer_id],
    )?;
    Ok(())
}
