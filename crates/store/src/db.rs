use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use rusqlite::{Connection, Transaction, TransactionBehavior};
use vitrine_core::{ContentHash, ProductImage};

use crate::files::{ImageFiles, Kind};
use crate::StoreError;

/// The catalog store: the database connection and the image files beside it.
///
/// All access goes through [`Store::read`] and [`Store::write`], which hold the connection
/// lock only for the closure. Image files are written and collected under the same lock, so
/// garbage collection never races a write.
pub struct Store {
    conn: Mutex<Connection>,
    files: ImageFiles,
    db_path: PathBuf,
}

/// What a garbage-collection pass removed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct GcReport {
    pub image_rows: usize,
    pub files: usize,
}

pub(crate) const DB_FILE: &str = "vitrine.db";

impl Store {
    /// Opens (creating if needed) the catalog in `data_dir` and brings its schema up to date.
    pub fn open(data_dir: &Path) -> Result<Self, StoreError> {
        fs::create_dir_all(data_dir)
            .map_err(StoreError::io("creating the data folder", data_dir))?;
        let db_path = data_dir.join(DB_FILE);
        let mut conn = Connection::open(&db_path)?;
        configure(&mut conn)?;
        crate::schema::migrations().to_latest(&mut conn)?;
        let store = Self {
            conn: Mutex::new(conn),
            files: ImageFiles::new(data_dir),
            db_path,
        };
        Ok(store)
    }

    pub fn db_path(&self) -> &Path {
        &self.db_path
    }

    pub fn data_dir(&self) -> &Path {
        self.files.root()
    }

    pub fn files(&self) -> &ImageFiles {
        &self.files
    }

    pub fn image_path(&self, hash: &ContentHash) -> PathBuf {
        self.files.path(Kind::Catalog, hash)
    }

    pub fn thumbnail_path(&self, hash: &ContentHash) -> PathBuf {
        self.files.path(Kind::Thumbnail, hash)
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave SQLite half-written (the transaction
        // rolls back on drop), so a poisoned lock is still safe to use.
        self.conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn read<T>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        f(&self.lock())
    }

    /// Runs `f` in one immediate transaction: committed if it returns Ok, rolled back otherwise.
    pub fn write<T>(
        &self,
        f: impl FnOnce(&Transaction<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }

    /// Saves an image's files (catalog JPEG and thumbnail) and its row, then runs `f` in
    /// the same transaction (typically attaching the image to a product). Files are on disk
    /// before any row points at them.
    pub fn write_with_images<T>(
        &self,
        images: &[(ProductImage, &[u8], &[u8])],
        created_at: &str,
        f: impl FnOnce(&Transaction<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut conn = self.lock();
        for (image, catalog, thumbnail) in images {
            self.files.write(Kind::Catalog, &image.hash, catalog)?;
            self.files.write(Kind::Thumbnail, &image.hash, thumbnail)?;
        }
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        for (image, _, _) in images {
            crate::images::insert(&tx, image, created_at)?;
        }
        let value = f(&tx)?;
        let orphans = crate::images::delete_unreferenced(&tx)?;
        tx.commit()?;
        self.remove_files(&orphans);
        Ok(value)
    }

    /// Like [`Store::write`], then deletes image rows and files nothing references any more.
    pub fn write_and_collect<T>(
        &self,
        f: impl FnOnce(&Transaction<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = f(&tx)?;
        let orphans = crate::images::delete_unreferenced(&tx)?;
        tx.commit()?;
        self.remove_files(&orphans);
        Ok(value)
    }

    fn remove_files(&self, hashes: &[ContentHash]) {
        for hash in hashes {
            // The rows are gone; a file that cannot be deleted now is collected by the next `gc`.
            if let Err(error) = self.files.remove(hash) {
                tracing::warn!(%error, "could not delete an unreferenced image file");
            }
        }
    }

    /// Full garbage collection: unreferenced image rows, files without a row (left by a
    /// crash between writing a file and committing), and stray temporary files.
    pub fn gc(&self) -> Result<GcReport, StoreError> {
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let orphans = crate::images::delete_unreferenced(&tx)?;
        tx.commit()?;
        let mut report = GcReport {
            image_rows: orphans.len(),
            files: 0,
        };
        let known: std::collections::HashSet<ContentHash> =
            crate::images::all_hashes(&conn)?.into_iter().collect();
        let (on_disk, strays) = self.files.scan()?;
        for hash in on_disk
            .iter()
            .filter(|h| !known.contains(*h))
            .chain(orphans.iter())
        {
            report.files += self.files.remove(hash)?;
        }
        for path in strays {
            fs::remove_file(&path).map_err(StoreError::io("deleting", &path))?;
            report.files += 1;
        }
        Ok(report)
    }

    /// Checks the database file's integrity (`PRAGMA integrity_check`).
    pub fn integrity_check(&self) -> Result<(), StoreError> {
        let conn = self.lock();
        let result: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if result != "ok" {
            return Err(StoreError::Corrupt(result));
        }
        let fk_problems: i64 =
            conn.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })?;
        if fk_problems > 0 {
            return Err(StoreError::Corrupt(format!(
                "{fk_problems} broken references"
            )));
        }
        Ok(())
    }
}

pub(crate) fn configure(conn: &mut Connection) -> Result<(), StoreError> {
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(())
}
