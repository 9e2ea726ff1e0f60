//! The `images` table: one row per stored catalog image (content hash + what Meta checks).

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use vitrine_core::{ContentHash, ImageFormat, ProductImage};

use crate::StoreError;

pub(crate) const MIGRATION_1: &str = "
CREATE TABLE images (
    hash       TEXT PRIMARY KEY NOT NULL CHECK (length(hash) = 64),
    width      INTEGER NOT NULL CHECK (width > 0),
    height     INTEGER NOT NULL CHECK (height > 0),
    byte_len   INTEGER NOT NULL CHECK (byte_len > 0),
    format     TEXT NOT NULL CHECK (format IN ('jpeg', 'png')),
    created_at TEXT NOT NULL
) STRICT;
";

pub fn insert(
    tx: &Transaction<'_>,
    image: &ProductImage,
    created_at: &str,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO images (hash, width, height, byte_len, format, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (hash) DO NOTHING",
        params![image.hash.as_str(), image.width, image.height, image.byte_len as i64, image.format.as_str(), created_at],
    )?;
    Ok(())
}

pub fn get(conn: &Connection, hash: &ContentHash) -> Result<Option<ProductImage>, StoreError> {
    conn.query_row(
        "SELECT hash, width, height, byte_len, format FROM images WHERE hash = ?1",
        [hash.as_str()],
        from_row,
    )
    .optional()?
    .transpose()
}

pub(crate) fn from_row(
    row: &rusqlite::Row<'_>,
) -> rusqlite::Result<Result<ProductImage, StoreError>> {
    let hash: String = row.get(0)?;
    let format: String = row.get(4)?;
    let byte_len: i64 = row.get(3)?;
    let width: u32 = row.get(1)?;
    let height: u32 = row.get(2)?;
    Ok((|| {
        Ok(ProductImage {
            hash: ContentHash::parse(&hash).map_err(StoreError::corrupt)?,
            width,
            height,
            byte_len: u64::try_from(byte_len).map_err(StoreError::corrupt)?,
            format: ImageFormat::parse(&format).map_err(StoreError::corrupt)?,
        })
    })())
}

/// Deletes image rows no product, shop logo or undoable deletion references; returns their hashes so the
/// caller can remove the files once the transaction has committed and is durable. Only the
/// store's collecting writes call this: no other deletion of image rows exists.
pub(crate) fn delete_unreferenced(tx: &Transaction<'_>) -> Result<Vec<ContentHash>, StoreError> {
    let mut stmt = tx.prepare(
        "DELETE FROM images
         WHERE hash NOT IN (SELECT image_hash FROM product_images)
           AND hash NOT IN (SELECT logo_hash FROM shop WHERE logo_hash IS NOT NULL)
           AND hash NOT IN (SELECT image_hash FROM trash_images)
         RETURNING hash",
    )?;
    let hashes = stmt
        .query_map([], |row| row.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    hashes
        .iter()
        .map(|h| ContentHash::parse(h).map_err(StoreError::corrupt))
        .collect()
}

pub fn all_hashes(conn: &Connection) -> Result<Vec<ContentHash>, StoreError> {
    let mut stmt = conn.prepare("SELECT hash FROM images")?;
    let hashes = stmt
        .query_map([], |row| row.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    hashes
        .iter()
        .map(|h| ContentHash::parse(h).map_err(StoreError::corrupt))
        .collect()
}
