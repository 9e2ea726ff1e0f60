//! The `collections` and `product_collections` tables.

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use uuid::Uuid;
use vitrine_core::{Collection, CollectionId};

use crate::StoreError;

pub(crate) const MIGRATION_1: &str = "
CREATE TABLE collections (
    id        TEXT PRIMARY KEY NOT NULL,
    name      TEXT NOT NULL,
    position  INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX collections_name ON collections (name COLLATE NOCASE);
";

fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<(String, String, i64)> {
    Ok((row.get(0)?, row.get(1)?, row.get(2)?))
}

fn build((id, name, position): (String, String, i64)) -> Result<Collection, StoreError> {
    Ok(Collection {
        id: CollectionId::from_uuid(Uuid::parse_str(&id).map_err(StoreError::corrupt)?),
        name,
        position,
    })
}

pub fn list(conn: &Connection) -> Result<Vec<Collection>, StoreError> {
    let mut stmt =
        conn.prepare("SELECT id, name, position FROM collections ORDER BY position, name")?;
    let rows = stmt
        .query_map([], from_row)?
        .collect::<Result<Vec<_>, _>>()?;
    rows.into_iter().map(build).collect()
}

pub fn find_by_name(conn: &Connection, name: &str) -> Result<Option<Collection>, StoreError> {
    conn.prepare_cached(
        "SELECT id, name, position FROM collections WHERE name = ?1 COLLATE NOCASE",
    )?
    .query_row([name], from_row)
    .optional()?
    .map(build)
    .transpose()
}

pub fn get(conn: &Connection, id: CollectionId) -> Result<Option<Collection>, StoreError> {
    conn.query_row(
        "SELECT id, name, position FROM collections WHERE id = ?1",
        [id.to_string()],
        from_row,
    )
    .optional()?
    .map(build)
    .transpose()
}

pub fn insert(tx: &Transaction<'_>, name: &str) -> Result<Collection, StoreError> {
    if find_by_name(tx, name)?.is_some() {
        return Err(StoreError::DuplicateCollection(name.to_owned()));
    }
    let position: i64 = tx.query_row(
        "SELECT coalesce(max(position), 0) + 1 FROM collections",
        [],
        |r| r.get(0),
    )?;
    let collection = Collection {
        id: CollectionId::new_random(),
        name: name.to_owned(),
        position,
    };
    tx.execute(
        "INSERT INTO collections (id, name, position) VALUES (?1, ?2, ?3)",
        params![collection.id.to_string(), collection.name, position],
    )?;
    Ok(collection)
}

pub fn rename(tx: &Transaction<'_>, id: CollectionId, name: &str) -> Result<(), StoreError> {
    if let Some(other) = find_by_name(tx, name)? {
        if other.id != id {
            return Err(StoreError::DuplicateCollection(name.to_owned()));
        }
    }
    let n = tx.execute(
        "UPDATE collections SET name = ?2 WHERE id = ?1",
        params![id.to_string(), name],
    )?;
    if n == 0 {
        return Err(StoreError::NotFound(format!("collection {id}")));
    }
    Ok(())
}

/// Deletes a collection; its products stay, they just leave the collection.
pub fn delete(tx: &Transaction<'_>, id: CollectionId) -> Result<(), StoreError> {
    let n = tx.execute("DELETE FROM collections WHERE id = ?1", [id.to_string()])?;
    if n == 0 {
        return Err(StoreError::NotFound(format!("collection {id}")));
    }
    Ok(())
}

/// Number of products in each collection.
pub fn product_counts(conn: &Connection) -> Result<Vec<(CollectionId, u64)>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT collection_id, count(*) FROM product_collections GROUP BY collection_id",
    )?;
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    rows.into_iter()
        .map(|(id, n)| {
            Ok((
                CollectionId::from_uuid(Uuid::parse_str(&id).map_err(StoreError::corrupt)?),
                n as u64,
            ))
        })
        .collect()
}
