//! The `relay_settings` table: the one webhook relay this catalog reads its WhatsApp events
//! from (its address and how far it has been read). The device token is a secret and lives in
//! the keychain, never here.
//!
//! `cursor` is the relay's opaque position of the last event this desktop has stored *and*
//! acknowledged; a pull asks for the events after it, so an event stored but not yet
//! acknowledged is read again (and changes nothing, events being idempotent by cursor).

use rusqlite::{params, Connection, OptionalExtension, Transaction};

use crate::StoreError;

pub(crate) const MIGRATION_1: &str = "
CREATE TABLE relay_settings (
    id              INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    url             TEXT NOT NULL,
    cursor          TEXT NOT NULL DEFAULT '',
    last_pull_at    TEXT
) STRICT;
";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelaySettings {
    /// Scheme and host of the relay, without a trailing slash.
    pub url: String,
    /// Empty before the first acknowledged event.
    pub cursor: String,
    /// RFC 3339, UTC.
    pub last_pull_at: Option<String>,
}

pub fn get(conn: &Connection) -> Result<Option<RelaySettings>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT url, cursor, last_pull_at FROM relay_settings WHERE id = 1",
            [],
            |r| {
                Ok(RelaySettings {
                    url: r.get(0)?,
                    cursor: r.get(1)?,
                    last_pull_at: r.get(2)?,
                })
            },
        )
        .optional()?)
}

/// Points the catalog at a relay. A different address starts reading from its beginning.
pub fn set_url(tx: &Transaction<'_>, url: &str) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO relay_settings (id, url) VALUES (1, ?1)
         ON CONFLICT (id) DO UPDATE SET url = excluded.url,
           cursor = CASE WHEN relay_settings.url = excluded.url THEN relay_settings.cursor ELSE '' END",
        [url],
    )?;
    Ok(())
}

/// Records that everything up to `cursor` is stored and acknowledged.
pub fn set_cursor(tx: &Transaction<'_>, cursor: &str, at: &str) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE relay_settings SET cursor = ?1, last_pull_at = ?2 WHERE id = 1",
        params![cursor, at],
    )?;
    Ok(())
}

pub fn remove(tx: &Transaction<'_>) -> Result<(), StoreError> {
    tx.execute("DELETE FROM relay_settings", [])?;
    Ok(())
}
