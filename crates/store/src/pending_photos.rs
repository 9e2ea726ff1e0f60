//! The `pending_photos` table: photo addresses of a product that could not be downloaded
//! yet (the computer was offline, the link was dead, the website refused or was too slow),
//! kept with why, so the photo is fetched later instead of costing the product.
//!
//! `position` is the photo's slot among the product's photos in the order the imported file
//! lists them (0 = the main photo), whether they arrived or not: a photo fetched later goes
//! where the file put it. `reason` is in the merchant's words. `last_tried` is RFC 3339.
//! Rows go with their product.

use rusqlite::{params, Connection, Transaction};
use vitrine_core::ProductId;

use crate::StoreError;

pub(crate) const MIGRATION_1: &str = "
CREATE TABLE pending_photos (
    product_seq INTEGER NOT NULL REFERENCES products (seq) ON DELETE CASCADE,
    position    INTEGER NOT NULL CHECK (position >= 0),
    url         TEXT NOT NULL,
    reason      TEXT NOT NULL,
    attempts    INTEGER NOT NULL CHECK (attempts > 0),
    last_tried  TEXT NOT NULL,
    PRIMARY KEY (product_seq, position)
) STRICT;
";

/// One photo of a product still waiting to be downloaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingPhoto {
    pub product: ProductId,
    pub sku: String,
    /// Slot among the product's photos in the imported file's order (0 = main photo).
    pub position: u32,
    pub url: String,
    pub reason: String,
    /// Downloads tried so far, the first included.
    pub attempts: u32,
    /// When the last download was tried (RFC 3339).
    pub last_tried: String,
}

/// A product's photo that failed to download, as [`replace_for_product`] records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedPhoto {
    pub position: u32,
    pub url: String,
    pub reason: String,
    pub attempts: u32,
    pub last_tried: String,
}

const SELECT: &str = "SELECT p.id, p.sku, q.position, q.url, q.reason, q.attempts, q.last_tried
     FROM pending_photos q JOIN products p ON p.seq = q.product_seq";

/// A row as read: the product id is parsed once SQLite has handed the row over.
fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Result<PendingPhoto, StoreError>> {
    let id: String = r.get(0)?;
    let (sku, position, url, reason, attempts, last_tried) = (
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
    );
    Ok(ProductId::parse(&id)
        .map_err(StoreError::corrupt)
        .map(|product| PendingPhoto {
            product,
            sku,
            position,
            url,
            reason,
            attempts,
            last_tried,
        }))
}

fn collect(
    rows: impl Iterator<Item = rusqlite::Result<Result<PendingPhoto, StoreError>>>,
) -> Result<Vec<PendingPhoto>, StoreError> {
    rows.map(|row| row?).collect()
}

/// Every pending photo, product by product (oldest product first), each product's in slot order.
pub fn all(conn: &Connection) -> Result<Vec<PendingPhoto>, StoreError> {
    let mut stmt = conn.prepare(&format!("{SELECT} ORDER BY p.seq, q.position"))?;
    let rows = stmt.query_map([], from_row)?;
    collect(rows)
}

/// One product's pending photos in slot order.
pub fn for_product(conn: &Connection, product: ProductId) -> Result<Vec<PendingPhoto>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} WHERE p.id = ?1 ORDER BY q.position"))?;
    let rows = stmt.query_map([product.to_string()], from_row)?;
    collect(rows)
}

/// How many photos are waiting, over the whole catalog.
pub fn count(conn: &Connection) -> Result<u64, StoreError> {
    let n: i64 = conn.query_row("SELECT count(*) FROM pending_photos", [], |r| r.get(0))?;
    Ok(n as u64)
}

/// Replaces everything pending for `product` with `photos` (none: nothing is pending).
pub fn replace_for_product(
    tx: &Transaction<'_>,
    product: ProductId,
    photos: &[FailedPhoto],
) -> Result<(), StoreError> {
    let seq = crate::products::seq_of(tx, product)?
        .ok_or_else(|| StoreError::NotFound(format!("product {product}")))?;
    tx.execute("DELETE FROM pending_photos WHERE product_seq = ?1", [seq])?;
    let mut insert = tx.prepare_cached(
        "INSERT INTO pending_photos (product_seq, position, url, reason, attempts, last_tried)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for photo in photos {
        let FailedPhoto {
            position,
            url,
            reason,
            attempts,
            last_tried,
        } = photo;
        insert.execute(params![seq, position, url, reason, attempts, last_tried])?;
    }
    Ok(())
}

/// Records one more failed download of the photo in `position`, with its latest reason.
pub fn record_attempt(
    tx: &Transaction<'_>,
    product: ProductId,
    position: u32,
    reason: &str,
    at: &str,
) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE pending_photos SET attempts = attempts + 1, reason = ?3, last_tried = ?4
         WHERE product_seq = (SELECT seq FROM products WHERE id = ?1) AND position = ?2",
        params![product.to_string(), position, reason, at],
    )?;
    Ok(())
}

/// Forgets the photo in `position` (it arrived, or the merchant gave up on it). False when
/// nothing was pending there.
pub fn remove(tx: &Transaction<'_>, product: ProductId, position: u32) -> Result<bool, StoreError> {
    let n = tx.execute(
        "DELETE FROM pending_photos
         WHERE product_seq = (SELECT seq FROM products WHERE id = ?1) AND position = ?2",
        params![product.to_string(), position],
    )?;
    Ok(n > 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Store;
    use chrono::DateTime;
    use vitrine_core::{Currency, Money, Product, ProductDraft, Sku};

    fn product(sku: &str) -> Product {
        let now = DateTime::from_timestamp(1_764_583_200, 0).expect("a time");
        Product {
            id: ProductId::new_random(),
            draft: ProductDraft {
                sku: Sku::parse(sku).expect("sku"),
                title: format!("Item {sku}"),
                description: "A test item".into(),
                brand: String::new(),
                price: Money::from_minor(1000, Currency::from_code("USD").expect("usd")),
                sale: None,
                availability: vitrine_core::Availability::InStock,
                condition: vitrine_core::Condition::New,
                stock: None,
                link: None,
                collections: Vec::new(),
                variant: None,
                translations: Vec::new(),
                gtin: None,
                published: true,
            },
            images: Vec::new(),
            created_at: now,
            updated_at: now,
        }
    }

    fn failed(position: u32, url: &str) -> FailedPhoto {
        FailedPhoto {
            position,
            url: url.into(),
            reason: "the website could not be reached".into(),
            attempts: 1,
            last_tried: "2026-12-01T10:00:00+00:00".into(),
        }
    }

    #[test]
    fn a_products_pending_photos_are_replaced_counted_updated_removed_and_go_with_it() {
        let dir = tempfile::tempdir().expect("tmp");
        let store = Store::open(dir.path()).expect("open");
        let (a, b) = (product("A"), product("B"));
        store
            .write(|tx| {
                crate::products::insert(tx, &a)?;
                crate::products::insert(tx, &b)?;
                replace_for_product(tx, b.id, &[failed(0, "https://b.example/1.jpg")])?;
                replace_for_product(
                    tx,
                    a.id,
                    &[
                        failed(2, "https://a.example/3.jpg"),
                        failed(0, "https://a.example/1.jpg"),
                    ],
                )
            })
            .expect("write");
        let listed = store.read(all).expect("all");
        let order: Vec<(&str, u32)> = listed
            .iter()
            .map(|p| (p.sku.as_str(), p.position))
            .collect();
        assert_eq!(
            order,
            vec![("A", 0), ("A", 2), ("B", 0)],
            "product by product, each in slot order"
        );
        assert_eq!(store.read(count).expect("count"), 3);

        store
            .write(|tx| {
                record_attempt(
                    tx,
                    a.id,
                    2,
                    "the website took too long",
                    "2026-12-01T11:00:00+00:00",
                )
            })
            .expect("attempt");
        let a_now = store.read(|c| for_product(c, a.id)).expect("a");
        assert_eq!(
            (
                a_now[1].attempts,
                a_now[1].reason.as_str(),
                a_now[1].last_tried.as_str()
            ),
            (2, "the website took too long", "2026-12-01T11:00:00+00:00"),
            "a failed retry is counted with its latest reason and time"
        );

        assert!(store.write(|tx| remove(tx, a.id, 0)).expect("remove"));
        assert!(
            !store.write(|tx| remove(tx, a.id, 0)).expect("remove"),
            "nothing is pending there any more"
        );
        store
            .write(|tx| replace_for_product(tx, b.id, &[]))
            .expect("replace");
        assert_eq!(
            store.read(count).expect("count"),
            1,
            "B has nothing pending now"
        );

        store
            .write(|tx| crate::products::delete(tx, a.id).map(|_| ()))
            .expect("delete");
        assert_eq!(
            store.read(count).expect("count"),
            0,
            "a deleted product's pending photos go with it"
        );
    }
}
