//! The SQLite store: one file, `relay.sqlite3` in the data directory.
//!
//! WAL journal with `synchronous=FULL`: a 200 tells Meta the payload is safe and Meta will
//! not send it again, so a commit must survive a power cut, not only a crash of the relay
//! (NORMAL in WAL mode may lose the last commits on power loss). FULL costs one fsync of the
//! WAL per commit; the ingest writer commits whole batches of webhooks at once (group
//! commit), so that fsync is shared by every request in the batch.
//!
//! One writer connection (behind a mutex, used from blocking threads only) and a small pool
//! of readers: in WAL mode readers never wait for the writer.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use rusqlite::{params, Connection, OpenFlags, OptionalExtension};

use super::{
    ack_outcome, kind_name, plan_batch, relay_event, status_keys, to_i64, to_u64, AckOutcome,
    Counts, Delivery, Device, IngestReceipt, NewDevice, PruneReport, Store, StoreError,
    NEWEST_CURSOR,
};
use crate::wire::RelayEvent;

/// The file name inside the data directory.
pub const DATABASE_FILE: &str = "relay.sqlite3";

/// Applied in order; `PRAGMA user_version` is how many have run. Append only.
const MIGRATIONS: &[&str] = &[r"
CREATE TABLE payloads (
  id INTEGER PRIMARY KEY,
  sha256 BLOB NOT NULL UNIQUE,
  received_at_ms INTEGER NOT NULL,
  body BLOB NOT NULL
);
CREATE TABLE events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  phone_number_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  dedupe_key TEXT NOT NULL,
  message_id TEXT,
  status TEXT,
  timestamp INTEGER,
  received_at_ms INTEGER NOT NULL,
  payload_id INTEGER NOT NULL,
  data TEXT NOT NULL,
  contact TEXT,
  UNIQUE (phone_number_id, dedupe_key)
);
CREATE INDEX events_by_phone_number ON events (phone_number_id, seq);
CREATE INDEX events_by_payload ON events (payload_id);
CREATE TABLE message_status (
  phone_number_id TEXT NOT NULL,
  message_id TEXT NOT NULL,
  status TEXT NOT NULL,
  rank INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL,
  PRIMARY KEY (phone_number_id, message_id)
);
CREATE TABLE devices (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  token_sha256 BLOB NOT NULL UNIQUE,
  phone_number_id TEXT,
  created_at_ms INTEGER NOT NULL,
  revoked_at_ms INTEGER,
  acked_seq INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX devices_active_name ON devices (name) WHERE revoked_at_ms IS NULL;
"];

const SELECT_EVENT: &str = "SELECT seq, phone_number_id, kind, message_id, status, timestamp, \
                            received_at_ms, data, contact FROM events";
const DEVICE_COLUMNS: &str =
    "id, name, phone_number_id, token_sha256, created_at_ms, revoked_at_ms IS NOT NULL, acked_seq";

#[derive(Clone)]
pub struct SqliteStore {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
}

impl SqliteStore {
    /// Opens `relay.sqlite3` in `data_dir` (created if missing) and migrates it.
    pub async fn open(data_dir: &Path) -> Result<Self, StoreError> {
        let data_dir = data_dir.to_owned();
        tokio::task::spawn_blocking(move || {
            std::fs::create_dir_all(&data_dir).map_err(StoreError::DataDir)?;
            let path = data_dir.join(DATABASE_FILE);
            let mut writer = open_connection(&path, false)?;
            migrate(&mut writer)?;
            Ok(Self {
                inner: Arc::new(Inner {
                    path,
                    writer: Mutex::new(writer),
                    readers: Mutex::new(Vec::new()),
                }),
            })
        })
        .await
        .map_err(|_| StoreError::TaskStopped)?
    }

    /// Runs `work` on the writer connection, on a blocking thread.
    async fn write<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let inner = self.inner.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = inner.writer.lock().unwrap_or_else(PoisonError::into_inner);
            work(&mut conn)
        })
        .await
        .map_err(|_| StoreError::TaskStopped)?
    }

    /// Runs `work` on a reader connection from the pool, on a blocking thread.
    async fn read<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let inner = self.inner.clone();
        tokio::task::spawn_blocking(move || {
            let pooled = inner
                .readers
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .pop();
            let conn = match pooled {
                Some(conn) => conn,
                None => open_connection(&inner.path, true)?,
            };
            let result = work(&conn);
            inner
                .readers
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(conn);
            result
        })
        .await
        .map_err(|_| StoreError::TaskStopped)?
    }
}

fn open_connection(path: &Path, read_only: bool) -> Result<Connection, StoreError> {
    let flags = if read_only {
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX
    } else {
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
    };
    let conn = Connection::open_with_flags(path, flags)?;
    // The CLI's `device` commands write while a server runs: wait for its lock.
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    if !read_only {
        conn.pragma_update(None, "journal_mode", "WAL")?;
    }
    conn.pragma_update(None, "synchronous", "FULL")?;
    Ok(conn)
}

fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let applied: i64 = tx.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    for (version, sql) in MIGRATIONS
        .iter()
        .enumerate()
        .skip(usize::try_from(applied).unwrap_or(0))
    {
        tx.execute_batch(sql)?;
        tx.pragma_update(
            None,
            "user_version",
            i64::try_from(version + 1).unwrap_or(i64::MAX),
        )?;
    }
    tx.commit()?;
    Ok(())
}

fn ingest_batch(conn: &mut Connection, batch: &[Delivery]) -> Result<IngestReceipt, StoreError> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let mut receipt = IngestReceipt::default();
    let mut new_payloads = Vec::new();
    {
        let mut insert_payload = tx.prepare_cached(
            "INSERT INTO payloads (sha256, received_at_ms, body) VALUES (?1, ?2, ?3) \
             ON CONFLICT (sha256) DO NOTHING RETURNING id",
        )?;
        for delivery in batch {
            let id: Option<i64> = insert_payload
                .query_row(
                    params![
                        &delivery.sha256[..],
                        delivery.received_at_ms,
                        &delivery.body
                    ],
                    |row| row.get(0),
                )
                .optional()?;
            if let Some(id) = id {
                new_payloads.push((id, delivery));
            }
        }
    }
    receipt.new_payloads = new_payloads.len() as u64;

    let mut current = HashMap::new();
    {
        let mut rank = tx.prepare_cached(
            "SELECT rank FROM message_status WHERE phone_number_id = ?1 AND message_id = ?2",
        )?;
        for key in status_keys(new_payloads.iter().map(|(_, d)| *d)) {
            let found: Option<i32> = rank
                .query_row(params![key.0, key.1], |row| row.get(0))
                .optional()?;
            if let Some(found) = found {
                current.insert(key, found);
            }
        }
    }
    let plan = plan_batch(new_payloads.iter().map(|(id, d)| (*id, *d)), current);
    {
        let mut insert_event = tx.prepare_cached(
            "INSERT INTO events (phone_number_id, kind, dedupe_key, message_id, status, \
             timestamp, received_at_ms, payload_id, data, contact) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) \
             ON CONFLICT (phone_number_id, dedupe_key) DO NOTHING RETURNING seq",
        )?;
        for row in &plan.events {
            let e = row.event;
            let seq: Option<i64> = insert_event
                .query_row(
                    params![
                        e.phone_number_id,
                        kind_name(e.kind),
                        e.dedupe_key,
                        e.message_id,
                        e.status,
                        e.timestamp,
                        row.received_at_ms,
                        row.payload_id,
                        e.data,
                        e.contact
                    ],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(seq) = seq {
                receipt.new_events += 1;
                receipt.last_seq = to_u64(seq);
            }
        }
        let mut upsert_status = tx.prepare_cached(
            "INSERT INTO message_status (phone_number_id, message_id, status, rank, updated_at_ms) \
             VALUES (?1, ?2, ?3, ?4, ?5) \
             ON CONFLICT (phone_number_id, message_id) DO UPDATE SET status = excluded.status, \
             rank = excluded.rank, updated_at_ms = excluded.updated_at_ms \
             WHERE excluded.rank > message_status.rank",
        )?;
        for s in &plan.statuses {
            upsert_status.execute(params![
                s.phone_number_id,
                s.message_id,
                s.status,
                s.rank,
                s.updated_at_ms
            ])?;
        }
    }
    tx.commit()?;
    Ok(receipt)
}

fn event_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Result<RelayEvent, StoreError>> {
    let kind: String = row.get(2)?;
    Ok(relay_event(
        row.get(0)?,
        row.get(1)?,
        &kind,
        row.get(3)?,
        row.get(4)?,
        row.get(5)?,
        row.get(6)?,
        row.get(7)?,
        row.get(8)?,
    ))
}

fn device_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Device> {
    let hash: Vec<u8> = row.get(3)?;
    let mut token_sha256 = [0u8; 32];
    if hash.len() == 32 {
        token_sha256.copy_from_slice(&hash);
    }
    Ok(Device {
        id: row.get(0)?,
        name: row.get(1)?,
        phone_number_id: row.get(2)?,
        token_sha256,
        created_at_ms: row.get(4)?,
        revoked: row.get(5)?,
        acked_seq: to_u64(row.get(6)?),
    })
}

impl Store for SqliteStore {
    async fn ingest(&self, batch: Vec<Delivery>) -> Result<IngestReceipt, StoreError> {
        self.write(move |conn| ingest_batch(conn, &batch)).await
    }

    async fn events_after(
        &self,
        phone_number_id: Option<&str>,
        after: u64,
        limit: u32,
    ) -> Result<Vec<RelayEvent>, StoreError> {
        let phone_number_id = phone_number_id.map(str::to_owned);
        self.read(move |conn| {
            let rows = match &phone_number_id {
                Some(id) => {
                    let mut stmt = conn.prepare_cached(&format!(
                        "{SELECT_EVENT} WHERE phone_number_id = ?1 AND seq > ?2 \
                         ORDER BY seq LIMIT ?3"
                    ))?;
                    let rows = stmt
                        .query_map(params![id, to_i64(after), limit], event_from_row)?
                        .collect::<Result<Vec<_>, _>>()?;
                    rows
                }
                None => {
                    let mut stmt = conn.prepare_cached(&format!(
                        "{SELECT_EVENT} WHERE seq > ?1 ORDER BY seq LIMIT ?2"
                    ))?;
                    let rows = stmt
                        .query_map(params![to_i64(after), limit], event_from_row)?
                        .collect::<Result<Vec<_>, _>>()?;
                    rows
                }
            };
            rows.into_iter().collect()
        })
        .await
    }

    async fn add_device(&self, device: NewDevice) -> Result<Device, StoreError> {
        self.write(move |conn| {
            let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let taken: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM devices WHERE name = ?1 AND revoked_at_ms IS NULL)",
                [&device.name],
                |row| row.get(0),
            )?;
            if taken {
                return Err(StoreError::DuplicateDevice(device.name));
            }
            let device = tx.query_row(
                &format!(
                    "INSERT INTO devices (name, token_sha256, phone_number_id, created_at_ms) \
                     VALUES (?1, ?2, ?3, ?4) RETURNING {DEVICE_COLUMNS}"
                ),
                params![
                    device.name,
                    &device.token_sha256[..],
                    device.phone_number_id,
                    device.created_at_ms
                ],
                device_from_row,
            )?;
            tx.commit()?;
            Ok(device)
        })
        .await
    }

    async fn devices(&self) -> Result<Vec<Device>, StoreError> {
        self.read(|conn| {
            let mut stmt =
                conn.prepare_cached(&format!("SELECT {DEVICE_COLUMNS} FROM devices ORDER BY id"))?;
            let devices = stmt
                .query_map([], device_from_row)?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(devices)
        })
        .await
    }

    async fn device_by_token(&self, token_sha256: [u8; 32]) -> Result<Option<Device>, StoreError> {
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {DEVICE_COLUMNS} FROM devices WHERE token_sha256 = ?1"
            ))?;
            Ok(stmt
                .query_row([&token_sha256[..]], device_from_row)
                .optional()?)
        })
        .await
    }

    async fn revoke_device(&self, name: &str, now_ms: i64) -> Result<bool, StoreError> {
        let name = name.to_owned();
        self.write(move |conn| {
            let changed = conn.execute(
                "UPDATE devices SET revoked_at_ms = ?2 WHERE name = ?1 AND revoked_at_ms IS NULL",
                params![name, now_ms],
            )?;
            Ok(changed > 0)
        })
        .await
    }

    async fn ack(&self, device_id: i64, seq: u64) -> Result<AckOutcome, StoreError> {
        self.write(move |conn| {
            let changed = conn.execute(
                &format!(
                    "UPDATE devices SET acked_seq = MAX(acked_seq, ?2) \
                     WHERE id = ?1 AND ?2 <= {NEWEST_CURSOR}"
                ),
                params![device_id, to_i64(seq)],
            )?;
            Ok(ack_outcome(changed as u64))
        })
        .await
    }

    async fn prune(&self, cutoff_ms: i64) -> Result<PruneReport, StoreError> {
        self.write(move |conn| {
            let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let events = tx.execute(PRUNE_EVENTS, [cutoff_ms])? as u64;
            let payloads = tx.execute(PRUNE_PAYLOADS, [cutoff_ms])? as u64;
            tx.execute(
                "DELETE FROM message_status WHERE updated_at_ms < ?1",
                [cutoff_ms],
            )?;
            tx.commit()?;
            Ok(PruneReport { events, payloads })
        })
        .await
    }

    async fn counts(&self) -> Result<Counts, StoreError> {
        self.read(|conn| {
            let (payloads, events): (i64, i64) = conn.query_row(
                "SELECT (SELECT COUNT(*) FROM payloads), (SELECT COUNT(*) FROM events)",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )?;
            Ok(Counts {
                payloads: to_u64(payloads),
                events: to_u64(events),
            })
        })
        .await
    }
}

/// Same text for both stores: an event goes once every active device that can see it has
/// acknowledged it, and only when at least one can.
pub(super) const PRUNE_EVENTS: &str = "
DELETE FROM events
WHERE received_at_ms < $1
  AND EXISTS (SELECT 1 FROM devices d WHERE d.revoked_at_ms IS NULL
              AND (d.phone_number_id IS NULL OR d.phone_number_id = events.phone_number_id))
  AND NOT EXISTS (SELECT 1 FROM devices d WHERE d.revoked_at_ms IS NULL
              AND (d.phone_number_id IS NULL OR d.phone_number_id = events.phone_number_id)
              AND d.acked_seq < events.seq)";

pub(super) const PRUNE_PAYLOADS: &str = "
DELETE FROM payloads
WHERE received_at_ms < $1
  AND NOT EXISTS (SELECT 1 FROM events e WHERE e.payload_id = payloads.id)";
