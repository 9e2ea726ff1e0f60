//! The `image_sources` table: which stored image a source (a URL, or the SHA-256 of an
//! original file) was processed into, so re-importing the same CSV does not download and
//! re-encode every photo again. Rows disappear with their image.

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use vitrine_core::ContentHash;

use crate::StoreError;

pub(crate) const MIGRATION_1: &str = "
CREATE TABLE image_sources (
    source     TEXT PRIMARY KEY NOT NULL,
    image_hash TEXT NOT NULL REFERENCES images (hash) ON DELETE CASCADE
) STRICT;
CREATE INDEX image_sources_hash ON image_sources (image_hash);
";

pub fn lookup(conn: &Connection, source: &str) -> Result<Option<ContentHash>, StoreError> {
    let hash: Option<String> = conn
        .query_row(
            "SELECT image_hash FROM image_sources WHERE source = ?1",
            [source],
            |r| r.get(0),
        )
        .optional()?;
    hash.map(|h| ContentHash::parse(&h).map_err(StoreError::corrupt))
        .transpose()
}

pub fn remember(tx: &Transaction<'_>, source: &str, hash: &ContentHash) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO image_sources (source, image_hash) VALUES (?1, ?2)
         ON CONFLICT (source) DO UPDATE SET image_hash = excluded.image_hash",
        params![source, hash.as_str()],
    )?;
    Ok(())
}
