//! vitrine-store: the catalog on disk.
//!
//! One SQLite database (WAL, foreign keys on) plus content-addressed image files. Every
//! multi-step write runs in one transaction; image files are written to a temporary file
//! and renamed (their folder synced) before any row references them, so the database never
//! points at a missing file, and files no row references are garbage-collected once the
//! commit that orphaned them is durable. Connections (relay, Meta, photo hosting, storefront
//! address) belong to the machine, not the catalog: [`machine`] names them.

mod backup;
mod db;
mod error;
pub mod files;
mod schema;

pub mod app_state;
pub mod collections;
pub mod image_sources;
pub mod images;
pub mod machine;
pub mod meta_products;
pub mod order_lines;
pub mod orders;
pub mod pending_photos;
pub mod products;
pub mod relay_events;
pub mod relay_settings;
pub mod search;
pub mod shop;
pub mod short_links;
pub mod sync_journal;
pub mod thread_messages;
pub mod trash;

pub use backup::{BackupSummary, RestoreSummary};
pub use db::{GcReport, Store};
pub use error::StoreError;
pub use files::ImageFiles;
pub use products::{ProblemFilter, ProductFilter, ProductPage};
pub use rusqlite::{Connection, Transaction};
pub use sync_journal::SyncMark;

/// For upgrade tests: a database file migrated only up to `version` (an old release).
#[doc(hidden)]
pub fn create_at_version(path: &std::path::Path, version: usize) -> Result<Connection, StoreError> {
    let mut conn = Connection::open(path)?;
    schema::migrations().to_version(&mut conn, version)?;
    Ok(conn)
}
