//! The sync journal: what Meta was last sent (`meta_items`), the last outcome per product
//! (`sync_outcomes`), and every sync run with its batches (`sync_runs`, `sync_batches`),
//! written before and after each call so an interrupted sync resumes without duplicates.

use rusqlite::{params, Connection, OptionalExtension, Transaction};

use crate::StoreError;

pub(crate) const MIGRATION_1: &str = "
CREATE TABLE meta_items (
    retailer_id TEXT PRIMARY KEY NOT NULL,
    fields_json TEXT NOT NULL,
    fields_hash TEXT NOT NULL,
    synced_at   TEXT NOT NULL
) STRICT;
CREATE TABLE sync_outcomes (
    retailer_id TEXT PRIMARY KEY NOT NULL,
    outcome     TEXT NOT NULL CHECK (outcome IN ('synced', 'warning', 'rejected', 'deleted')),
    message     TEXT,
    run_id      INTEGER NOT NULL,
    at          TEXT NOT NULL
) STRICT;
CREATE TABLE sync_runs (
    id          INTEGER PRIMARY KEY,
    catalog_id  TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('running', 'done')),
    started_at  TEXT NOT NULL,
    finished_at TEXT
) STRICT;
CREATE TABLE sync_batches (
    run_id      INTEGER NOT NULL REFERENCES sync_runs (id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    items_json  TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'finished')),
    handle      TEXT,
    PRIMARY KEY (run_id, seq)
) STRICT;
";

/// Records the version (edit time and context) each item was sent at, so a plan can skip
/// products untouched since.
pub(crate) const MIGRATION_2: &str = "
ALTER TABLE meta_items ADD COLUMN source_version TEXT;
";

/// An item Meta holds from us, as last sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetaItem {
    pub retailer_id: String,
    pub fields_json: String,
    pub fields_hash: String,
    pub source_version: Option<String>,
}

/// Every item Meta holds from us.
pub fn meta_items(conn: &Connection) -> Result<Vec<MetaItem>, StoreError> {
    let mut stmt = conn.prepare("SELECT retailer_id, fields_json, fields_hash, source_version FROM meta_items ORDER BY retailer_id")?;
    let rows = stmt
        .query_map([], |r| {
            Ok(MetaItem {
                retailer_id: r.get(0)?,
                fields_json: r.get(1)?,
                fields_hash: r.get(2)?,
                source_version: r.get(3)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

pub fn put_meta_item(
    tx: &Transaction<'_>,
    retailer_id: &str,
    fields_json: &str,
    fields_hash: &str,
    source_version: Option<&str>,
    at: &str,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO meta_items (retailer_id, fields_json, fields_hash, source_version, synced_at) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (retailer_id) DO UPDATE SET fields_json = excluded.fields_json, fields_hash = excluded.fields_hash,
           source_version = excluded.source_version, synced_at = excluded.synced_at",
        params![retailer_id, fields_json, fields_hash, source_version, at],
    )?;
    Ok(())
}

pub fn remove_meta_item(tx: &Transaction<'_>, retailer_id: &str) -> Result<(), StoreError> {
    tx.execute(
        "DELETE FROM meta_items WHERE retailer_id = ?1",
        [retailer_id],
    )?;
    Ok(())
}

pub fn set_outcome(
    tx: &Transaction<'_>,
    retailer_id: &str,
    outcome: &str,
    message: Option<&str>,
    run_id: i64,
    at: &str,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO sync_outcomes (retailer_id, outcome, message, run_id, at) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (retailer_id) DO UPDATE SET outcome = excluded.outcome, message = excluded.message, run_id = excluded.run_id, at = excluded.at",
        params![retailer_id, outcome, message, run_id, at],
    )?;
    Ok(())
}

/// The last outcome of syncing one retailer id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub retailer_id: String,
    /// `synced`, `warning`, `rejected` or `deleted`.
    pub outcome: String,
    pub message: Option<String>,
    pub run_id: i64,
    pub at: String,
}

/// Every recorded outcome, by retailer id.
pub fn outcomes(conn: &Connection) -> Result<Vec<Outcome>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT retailer_id, outcome, message, run_id, at FROM sync_outcomes ORDER BY retailer_id",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok(Outcome {
                retailer_id: r.get(0)?,
                outcome: r.get(1)?,
                message: r.get(2)?,
                run_id: r.get(3)?,
                at: r.get(4)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Starts a run with its batches (items as JSON), all journaled before any call is made.
pub fn start_run(
    tx: &Transaction<'_>,
    catalog_id: &str,
    batches: &[String],
    at: &str,
) -> Result<i64, StoreError> {
    tx.execute(
        "INSERT INTO sync_runs (catalog_id, state, started_at) VALUES (?1, 'running', ?2)",
        params![catalog_id, at],
    )?;
    let run = tx.last_insert_rowid();
    for (seq, items) in batches.iter().enumerate() {
        tx.execute("INSERT INTO sync_batches (run_id, seq, items_json, state) VALUES (?1, ?2, ?3, 'pending')", params![run, seq as i64, items])?;
    }
    Ok(run)
}

/// The unfinished run, if a sync was interrupted: (run id, catalog id).
pub fn running(conn: &Connection) -> Result<Option<(i64, String)>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT id, catalog_id FROM sync_runs WHERE state = 'running' ORDER BY id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// A journaled batch not yet finished.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenBatch {
    pub seq: i64,
    /// The planned items, as JSON.
    pub items_json: String,
    /// `pending` (not known to be sent) or `sent` (Meta gave `handle`).
    pub state: String,
    pub handle: Option<String>,
}

/// A run's batches not yet finished, in order.
pub fn open_batches(conn: &Connection, run: i64) -> Result<Vec<OpenBatch>, StoreError> {
    let mut stmt = conn.prepare("SELECT seq, items_json, state, handle FROM sync_batches WHERE run_id = ?1 AND state != 'finished' ORDER BY seq")?;
    let rows = stmt
        .query_map([run], |r| {
            Ok(OpenBatch {
                seq: r.get(0)?,
                items_json: r.get(1)?,
                state: r.get(2)?,
                handle: r.get(3)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

pub fn mark_sent(
    tx: &Transaction<'_>,
    run: i64,
    seq: i64,
    handle: Option<&str>,
) -> Result<(), StoreError> {
    let state = if handle.is_some() { "sent" } else { "finished" };
    tx.execute(
        "UPDATE sync_batches SET state = ?3, handle = ?4 WHERE run_id = ?1 AND seq = ?2",
        params![run, seq, state, handle],
    )?;
    Ok(())
}

pub fn mark_finished(tx: &Transaction<'_>, run: i64, seq: i64) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE sync_batches SET state = 'finished' WHERE run_id = ?1 AND seq = ?2",
        params![run, seq],
    )?;
    Ok(())
}

pub fn finish_run(tx: &Transaction<'_>, run: i64, at: &str) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE sync_runs SET state = 'done', finished_at = ?2 WHERE id = ?1",
        params![run, at],
    )?;
    Ok(())
}

/// How many runs there were (done or not), for status displays.
pub fn run_count(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn.query_row("SELECT count(*) FROM sync_runs", [], |r| r.get(0))?)
}

/// Where one product stands against what Meta was sent: its badge in the catalog and its
/// line in the sync view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncMark {
    pub id: String,
    pub sku: String,
    pub title: String,
    /// Pre-flight errors (the product is held back from syncs while above 0).
    pub errors: u32,
    /// The product's last edit, as stored (the start of `source_version`).
    pub updated_at: String,
    /// The version Meta holds (none: Meta holds nothing from this product).
    pub source_version: Option<String>,
    /// The last sync outcome, Meta's message and when.
    pub outcome: Option<String>,
    pub message: Option<String>,
    pub outcome_at: Option<String>,
}

/// The sync marks of the products with these ids, or of every product (`None`), in the
/// catalog's order (latest edit first).
pub fn marks(conn: &Connection, ids: Option<&[String]>) -> Result<Vec<SyncMark>, StoreError> {
    let filter = match ids {
        Some([]) => return Ok(Vec::new()),
        Some(ids) => format!("WHERE p.id IN ({})", vec!["?"; ids.len()].join(", ")),
        None => String::new(),
    };
    let mut stmt = conn.prepare(&format!(
        "SELECT p.id, p.sku, p.title, p.errors, p.updated_at, m.source_version, o.outcome, o.message, o.at
         FROM products p
         LEFT JOIN meta_items m ON m.retailer_id = p.sku
         LEFT JOIN sync_outcomes o ON o.retailer_id = p.sku
         {filter}
         ORDER BY p.updated_at DESC, p.seq DESC"
    ))?;
    let rows = stmt
        .query_map(rusqlite::params_from_iter(ids.unwrap_or_default()), |r| {
            Ok(SyncMark {
                id: r.get(0)?,
                sku: r.get(1)?,
                title: r.get(2)?,
                errors: r.get(3)?,
                updated_at: r.get(4)?,
                source_version: r.get(5)?,
                outcome: r.get(6)?,
                message: r.get(7)?,
                outcome_at: r.get(8)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Whether Vitrine has ever started a sync.
pub fn ever_synced(conn: &Connection) -> Result<bool, StoreError> {
    Ok(conn.query_row("SELECT EXISTS (SELECT 1 FROM sync_runs)", [], |r| r.get(0))?)
}
