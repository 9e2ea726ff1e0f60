//! The `relay_events` table: every event read from the webhook relay, as received (Meta's
//! object byte for byte in `data`), kept by the relay's cursor so storing one twice changes
//! nothing. Orders and customer threads are built from these rows; keeping them means a
//! message type Vitrine does not understand yet is not lost.
//!
//! Times: `timestamp` is Meta's, Unix seconds; `received_at_ms` the relay's, Unix milliseconds.

use rusqlite::{params, Connection, Transaction};

use crate::StoreError;

pub(crate) const MIGRATION_1: &str = "
CREATE TABLE relay_events (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    cursor          TEXT NOT NULL UNIQUE,
    phone_number_id TEXT NOT NULL,
    kind            TEXT NOT NULL,
    message_id      TEXT,
    status          TEXT,
    timestamp       INTEGER,
    received_at_ms  INTEGER NOT NULL,
    data            TEXT NOT NULL,
    contact         TEXT
) STRICT;
CREATE INDEX relay_events_message ON relay_events (message_id, kind);
";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEvent {
    pub cursor: String,
    pub phone_number_id: String,
    /// `message`, `status`, `error` or `other`, as the relay names them. An event the
    /// desktop could not read is kept as `other` with the whole event in `data`.
    pub kind: String,
    pub message_id: Option<String>,
    pub status: Option<String>,
    pub timestamp: Option<i64>,
    pub received_at_ms: i64,
    pub data: String,
    pub contact: Option<String>,
}

/// Stores an event unless one with its cursor is already stored; true when it was new.
pub fn insert(tx: &Transaction<'_>, event: &StoredEvent) -> Result<bool, StoreError> {
    let added = tx.execute(
        "INSERT INTO relay_events (cursor, phone_number_id, kind, message_id, status, timestamp,
           received_at_ms, data, contact)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (cursor) DO NOTHING",
        params![
            event.cursor,
            event.phone_number_id,
            event.kind,
            event.message_id,
            event.status,
            event.timestamp,
            event.received_at_ms,
            event.data,
            event.contact
        ],
    )?;
    Ok(added == 1)
}

pub fn count(conn: &Connection) -> Result<u64, StoreError> {
    let n: i64 = conn.query_row("SELECT count(*) FROM relay_events", [], |r| r.get(0))?;
    Ok(n.unsigned_abs())
}

/// The event stored under `cursor`, if any.
pub fn get(conn: &Connection, cursor: &str) -> Result<Option<StoredEvent>, StoreError> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM relay_events WHERE cursor = ?1"
    ))?;
    let mut rows = stmt.query_map([cursor], row)?;
    Ok(rows.next().transpose()?)
}

/// The statuses stored for one message, oldest first (a status can arrive before the send
/// that caused it is recorded).
pub fn statuses_of(conn: &Connection, message_id: &str) -> Result<Vec<StoredEvent>, StoreError> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM relay_events WHERE message_id = ?1 AND kind = 'status' ORDER BY seq"
    ))?;
    let rows = stmt
        .query_map([message_id], row)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

const COLUMNS: &str =
    "cursor, phone_number_id, kind, message_id, status, timestamp, received_at_ms, data, contact";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoredEvent> {
    Ok(StoredEvent {
        cursor: r.get(0)?,
        phone_number_id: r.get(1)?,
        kind: r.get(2)?,
        message_id: r.get(3)?,
        status: r.get(4)?,
        timestamp: r.get(5)?,
        received_at_ms: r.get(6)?,
        data: r.get(7)?,
        contact: r.get(8)?,
    })
}
