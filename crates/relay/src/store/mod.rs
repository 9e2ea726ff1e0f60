//! Where the relay keeps its state: raw payloads, events, message states and devices. One
//! trait, [`Store`], with two implementations of the same schema: [`SqliteStore`] (one file,
//! WAL, the default) and [`PgStore`] (PostgreSQL, for several relay instances behind a load
//! balancer). [`AnyStore`] picks one at run time.
//!
//! Invariants both keep:
//! * a payload is stored (deduplicated by its SHA-256) in the same transaction as its events,
//!   and inserted before them;
//! * an event is stored at most once per `(phone_number_id, dedupe_key)`;
//! * a status is an event only when it moves its message forward (see
//!   [`crate::split::status_rank`]); the message's state never goes back;
//! * cursors (`seq`) only grow, are never reused, and an event with a smaller cursor is
//!   always committed before one with a larger cursor becomes visible, so a reader that
//!   resumes after its last cursor misses nothing.
//!
//! Times are Unix milliseconds.

pub mod pg_tls;
mod postgres;
mod sqlite;

use std::collections::{HashMap, HashSet};
use std::future::Future;

pub use postgres::PgStore;
pub use sqlite::SqliteStore;

use crate::split::{status_rank, NewEvent};
use crate::wire::{EventKind, RelayEvent};

/// One accepted webhook POST: its raw body and the events split from it.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub sha256: [u8; 32],
    pub body: Vec<u8>,
    pub received_at_ms: i64,
    pub events: Vec<NewEvent>,
}

/// What one committed batch of deliveries added.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IngestReceipt {
    pub new_payloads: u64,
    pub new_events: u64,
    /// The largest cursor committed so far by this batch (0 when it added no event).
    pub last_seq: u64,
}

/// A desktop allowed to read the relay. Only the SHA-256 of its token is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    pub id: i64,
    pub name: String,
    /// When set, the device sees only this phone number id's events.
    pub phone_number_id: Option<String>,
    pub token_sha256: [u8; 32],
    pub created_at_ms: i64,
    pub revoked: bool,
    /// Every event up to this cursor has been read by the device.
    pub acked_seq: u64,
}

/// A device to register.
#[derive(Debug, Clone)]
pub struct NewDevice {
    pub name: String,
    pub phone_number_id: Option<String>,
    pub token_sha256: [u8; 32],
    pub created_at_ms: i64,
}

/// What [`Store::ack`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AckOutcome {
    /// The device's cursor is now at least the one acknowledged.
    Recorded,
    /// The cursor is beyond the newest one the relay has: nothing was recorded.
    BeyondNewest,
}

/// Row counts, for health checks, the bench's exactly-once check and tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub payloads: u64,
    pub events: u64,
}

/// What a retention pass deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PruneReport {
    pub events: u64,
    pub payloads: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("PostgreSQL: {}", with_causes(.0))]
    Postgres(#[from] tokio_postgres::Error),
    #[error("PostgreSQL: {0}")]
    Tls(#[from] pg_tls::TlsSetupError),
    #[error("PostgreSQL connection pool: {0}")]
    Pool(String),
    #[error("cannot create the data directory: {0}")]
    DataDir(std::io::Error),
    #[error("the database task stopped")]
    TaskStopped,
    #[error("a device named {0:?} already exists")]
    DuplicateDevice(String),
    #[error("the database holds a value the relay cannot read: {0}")]
    Corrupt(String),
}

/// An error and its causes, `a: b: c`: tokio-postgres prints only its own kind ("error
/// performing TLS handshake"), and the cause is what the operator needs.
fn with_causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(next) = cause {
        let more = next.to_string();
        if !text.ends_with(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        cause = next.source();
    }
    text
}

/// The relay's storage. Every method is one transaction.
pub trait Store: Clone + Send + Sync + 'static {
    /// Stores a batch of deliveries in one transaction (group commit): returns once it is
    /// committed durably.
    fn ingest(
        &self,
        batch: Vec<Delivery>,
    ) -> impl Future<Output = Result<IngestReceipt, StoreError>> + Send;

    /// Events after `after`, in cursor order, at most `limit`, of one phone number id or all.
    fn events_after(
        &self,
        phone_number_id: Option<&str>,
        after: u64,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<RelayEvent>, StoreError>> + Send;

    fn add_device(
        &self,
        device: NewDevice,
    ) -> impl Future<Output = Result<Device, StoreError>> + Send;
    fn devices(&self) -> impl Future<Output = Result<Vec<Device>, StoreError>> + Send;
    fn device_by_token(
        &self,
        token_sha256: [u8; 32],
    ) -> impl Future<Output = Result<Option<Device>, StoreError>> + Send;
    /// Revokes the active device of that name; false when there is none.
    fn revoke_device(
        &self,
        name: &str,
        now_ms: i64,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;
    /// Moves a device's acknowledged cursor forward (never back), unless `seq` is beyond the
    /// newest cursor the relay has handed out: then nothing changes (an ack from the future
    /// would let retention delete events no desktop has read yet).
    fn ack(
        &self,
        device_id: i64,
        seq: u64,
    ) -> impl Future<Output = Result<AckOutcome, StoreError>> + Send;

    /// Deletes events every active device that can see them has acknowledged and that were
    /// received before `cutoff_ms`, then payloads older than that no event refers to.
    /// Events no active device can see are kept: nothing is lost before the first desktop
    /// is registered.
    fn prune(&self, cutoff_ms: i64)
        -> impl Future<Output = Result<PruneReport, StoreError>> + Send;

    fn counts(&self) -> impl Future<Output = Result<Counts, StoreError>> + Send;
}

/// The store chosen at run time: PostgreSQL when a database URL is given, else SQLite.
#[derive(Clone)]
pub enum AnyStore {
    Sqlite(SqliteStore),
    Postgres(PgStore),
}

impl AnyStore {
    /// Opens (and migrates) `database_url` when given, else `relay.sqlite3` in `data_dir`.
    pub async fn open(
        data_dir: &std::path::Path,
        database_url: Option<&str>,
    ) -> Result<Self, StoreError> {
        match database_url {
            Some(url) => Ok(Self::Postgres(PgStore::connect(url).await?)),
            None => Ok(Self::Sqlite(SqliteStore::open(data_dir).await?)),
        }
    }
}

macro_rules! delegate {
    ($self:ident, $store:ident => $call:expr) => {
        match $self {
            AnyStore::Sqlite($store) => $call.await,
            AnyStore::Postgres($store) => $call.await,
        }
    };
}

impl Store for AnyStore {
    async fn ingest(&self, batch: Vec<Delivery>) -> Result<IngestReceipt, StoreError> {
        delegate!(self, s => s.ingest(batch))
    }
    async fn events_after(
        &self,
        phone_number_id: Option<&str>,
        after: u64,
        limit: u32,
    ) -> Result<Vec<RelayEvent>, StoreError> {
        delegate!(self, s => s.events_after(phone_number_id, after, limit))
    }
    async fn add_device(&self, device: NewDevice) -> Result<Device, StoreError> {
        delegate!(self, s => s.add_device(device))
    }
    async fn devices(&self) -> Result<Vec<Device>, StoreError> {
        delegate!(self, s => s.devices())
    }
    async fn device_by_token(&self, token_sha256: [u8; 32]) -> Result<Option<Device>, StoreError> {
        delegate!(self, s => s.device_by_token(token_sha256))
    }
    async fn revoke_device(&self, name: &str, now_ms: i64) -> Result<bool, StoreError> {
        delegate!(self, s => s.revoke_device(name, now_ms))
    }
    async fn ack(&self, device_id: i64, seq: u64) -> Result<AckOutcome, StoreError> {
        delegate!(self, s => s.ack(device_id, seq))
    }
    async fn prune(&self, cutoff_ms: i64) -> Result<PruneReport, StoreError> {
        delegate!(self, s => s.prune(cutoff_ms))
    }
    async fn counts(&self) -> Result<Counts, StoreError> {
        delegate!(self, s => s.counts())
    }
}

/// A message's state, keyed by (phone number id, message id).
type StatusKey = (String, String);

/// One event to insert, with the payload row it came from.
pub(crate) struct EventRow<'a> {
    pub payload_id: i64,
    pub received_at_ms: i64,
    pub event: &'a NewEvent,
}

/// A message's new state after a batch.
pub(crate) struct StatusRow {
    pub phone_number_id: String,
    pub message_id: String,
    pub status: String,
    pub rank: i32,
    pub updated_at_ms: i64,
}

/// What a batch writes, decided the same way by both stores: the events of new payloads,
/// in order, without repeats of a dedupe key, and statuses only when they move their
/// message past its current state (`current`, read from the database first).
pub(crate) struct BatchPlan<'a> {
    pub events: Vec<EventRow<'a>>,
    pub statuses: Vec<StatusRow>,
}

/// The (phone number id, message id) pairs whose current state the plan needs.
pub(crate) fn status_keys<'a>(new_payloads: impl Iterator<Item = &'a Delivery>) -> Vec<StatusKey> {
    let mut keys: Vec<StatusKey> = new_payloads
        .flat_map(|d| d.events.iter())
        .filter(|e| e.kind == EventKind::Status)
        .filter(|e| e.status.as_deref().and_then(status_rank).is_some())
        .filter_map(|e| Some((e.phone_number_id.clone(), e.message_id.clone()?)))
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

pub(crate) fn plan_batch<'a>(
    new_payloads: impl Iterator<Item = (i64, &'a Delivery)>,
    mut current: HashMap<StatusKey, i32>,
) -> BatchPlan<'a> {
    let mut events = Vec::new();
    let mut seen_keys: HashSet<(&str, &str)> = HashSet::new();
    let mut changed: HashMap<StatusKey, StatusRow> = HashMap::new();
    for (payload_id, delivery) in new_payloads {
        for event in &delivery.events {
            if !seen_keys.insert((&event.phone_number_id, &event.dedupe_key)) {
                continue;
            }
            let rank = event.status.as_deref().and_then(status_rank);
            if let (EventKind::Status, Some(rank), Some(message_id)) =
                (event.kind, rank, &event.message_id)
            {
                let key = (event.phone_number_id.clone(), message_id.clone());
                let now = current.get(&key).copied().unwrap_or(0);
                if rank <= now {
                    continue; // a duplicate, or older than what the message already reached
                }
                current.insert(key.clone(), rank);
                changed.insert(
                    key,
                    StatusRow {
                        phone_number_id: event.phone_number_id.clone(),
                        message_id: message_id.clone(),
                        status: event.status.clone().unwrap_or_default(),
                        rank,
                        updated_at_ms: delivery.received_at_ms,
                    },
                );
            }
            events.push(EventRow {
                payload_id,
                received_at_ms: delivery.received_at_ms,
                event,
            });
        }
    }
    let mut statuses: Vec<StatusRow> = changed.into_values().collect();
    statuses.sort_by(|a, b| {
        (&a.phone_number_id, &a.message_id).cmp(&(&b.phone_number_id, &b.message_id))
    });
    BatchPlan { events, statuses }
}

pub(crate) fn kind_name(kind: EventKind) -> &'static str {
    match kind {
        EventKind::Message => "message",
        EventKind::Status => "status",
        EventKind::Error => "error",
        EventKind::Other => "other",
    }
}

pub(crate) fn kind_from_name(name: &str) -> Result<EventKind, StoreError> {
    match name {
        "message" => Ok(EventKind::Message),
        "status" => Ok(EventKind::Status),
        "error" => Ok(EventKind::Error),
        "other" => Ok(EventKind::Other),
        other => Err(StoreError::Corrupt(format!("event kind {other:?}"))),
    }
}

/// Builds the wire event from stored columns.
#[expect(
    clippy::too_many_arguments,
    reason = "one argument per column of an events row"
)]
pub(crate) fn relay_event(
    seq: i64,
    phone_number_id: String,
    kind: &str,
    message_id: Option<String>,
    status: Option<String>,
    timestamp: Option<i64>,
    received_at_ms: i64,
    data: String,
    contact: Option<String>,
) -> Result<RelayEvent, StoreError> {
    let raw = |text: String| {
        serde_json::value::RawValue::from_string(text)
            .map_err(|_| StoreError::Corrupt(format!("event {seq} is not JSON")))
    };
    Ok(RelayEvent {
        cursor: seq.to_string(),
        phone_number_id,
        kind: kind_from_name(kind)?,
        message_id,
        status,
        timestamp,
        received_at_ms,
        data: raw(data)?,
        contact: contact.map(raw).transpose()?,
    })
}

/// The device's row is updated only when the cursor is within [`NEWEST_CURSOR`].
pub(crate) fn ack_outcome(rows_changed: u64) -> AckOutcome {
    match rows_changed {
        0 => AckOutcome::BeyondNewest,
        _ => AckOutcome::Recorded,
    }
}

pub(crate) fn to_u64(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}

/// The newest cursor the relay has handed out, for both stores: the last event's, or, once
/// retention has deleted it, the furthest any device has acknowledged (every ack was checked
/// against this bound when it was made, and an event is deleted only once acknowledged).
pub(crate) const NEWEST_CURSOR: &str = "(SELECT COALESCE(MAX(m), 0) FROM \
     (SELECT MAX(seq) AS m FROM events UNION ALL SELECT MAX(acked_seq) FROM devices) AS newest)";

/// Cursors are u64 on the wire and BIGINT in the database; larger values clamp.
pub(crate) fn to_i64(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}
