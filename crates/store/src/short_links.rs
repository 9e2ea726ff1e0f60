//! The `short_links` table: the shop's managed WhatsApp short links (`wa.me/message/<code>`,
//! Meta's `message_qrdls`), kept so the app lists them offline. Meta owns them; this is a copy
//! refreshed on every change made through Vitrine and on every list from Meta.

use rusqlite::{params, Connection, Transaction};

use crate::StoreError;

pub(crate) const MIGRATION_1: &str = "
CREATE TABLE short_links (
    code              TEXT PRIMARY KEY NOT NULL,
    prefilled_message TEXT NOT NULL,
    deep_link_url     TEXT NOT NULL,
    updated_at        TEXT NOT NULL
) STRICT;
";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShortLink {
    pub code: String,
    pub prefilled_message: String,
    pub deep_link_url: String,
    pub updated_at: String,
}

/// Every short link, newest change first.
pub fn list(conn: &Connection) -> Result<Vec<ShortLink>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT code, prefilled_message, deep_link_url, updated_at FROM short_links
         ORDER BY updated_at DESC, code",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok(ShortLink {
                code: r.get(0)?,
                prefilled_message: r.get(1)?,
                deep_link_url: r.get(2)?,
                updated_at: r.get(3)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

pub fn put(tx: &Transaction<'_>, link: &ShortLink) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO short_links (code, prefilled_message, deep_link_url, updated_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (code) DO UPDATE SET prefilled_message = excluded.prefilled_message,
           deep_link_url = excluded.deep_link_url, updated_at = excluded.updated_at",
        params![link.code, link.prefilled_message, link.deep_link_url, link.updated_at],
    )?;
    Ok(())
}

pub fn remove(tx: &Transaction<'_>, code: &str) -> Result<(), StoreError> {
    tx.execute("DELETE FROM short_links WHERE code = ?1", [code])?;
    Ok(())
}

/// Replaces the copy with Meta's complete list.
pub fn replace_all(tx: &Transaction<'_>, links: &[ShortLink]) -> Result<(), StoreError> {
    tx.execute("DELETE FROM short_links", [])?;
    for link in links {
        put(tx, link)?;
    }
    Ok(())
}
