//! The catalog store: one SQLite database in WAL mode with `synchronous=NORMAL`, and the image
//! files beside it.
//!
//! Durability of deletions: with `synchronous=NORMAL` a commit is durable only once the WAL is
//! synced, which happens at a checkpoint; a power cut before that rolls the commit back, but it
//! cannot bring back a file deleted meanwhile. So an image file whose row a commit removed is
//! deleted only after a checkpoint has copied the whole WAL into the database file and synced
//! it (see [`make_durable`]): the commit that orphaned the file is then durable. When another
//! process reads an older snapshot the checkpoint cannot finish; the files wait, in memory, for
//! the next durable point (the next collecting write, a `gc`, or the store's close), and a file
//! the process never got to delete is one no row names, which a later `gc` removes. Before a
//! waiting file is deleted its hash is looked up again, since the same photo may have been
//! added back meanwhile. Rows are only ever removed from `images` by the collecting writes, so
//! the rule covers every deletion. The rarer deletions pay one checkpoint; ordinary commits
//! keep `NORMAL`'s speed.

use std::collections::BTreeSet;
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
    /// Image files whose rows are gone in a commit not yet known to be durable. Taken only
    /// while `conn` is held.
    waiting: Mutex<BTreeSet<ContentHash>>,
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
            waiting: Mutex::default(),
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
        self.remove_when_durable(&conn, orphans);
        Ok(value)
    }

    /// Like [`Store::write`], then deletes image rows and files nothing references any more
    /// (the files once the commit is durable).
    pub fn write_and_collect<T>(
        &self,
        f: impl FnOnce(&Transaction<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = f(&tx)?;
        let orphans = crate::images::delete_unreferenced(&tx)?;
        tx.commit()?;
        self.remove_when_durable(&conn, orphans);
        Ok(value)
    }

    /// Deletes the files of `orphans` (rows deleted by a commit on `conn`) and of earlier
    /// orphans still waiting, if the database can be made durable now; else they wait.
    fn remove_when_durable(&self, conn: &Connection, orphans: Vec<ContentHash>) {
        let mut waiting = self
            .waiting
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        waiting.extend(orphans);
        if waiting.is_empty() {
            return;
        }
        match make_durable(conn) {
            Ok(true) => {}
            Ok(false) => {
                tracing::info!(
                    files = waiting.len(),
                    "another reader holds the catalog; unreferenced image files wait for the next durable point"
                );
                return;
            }
            Err(error) => {
                tracing::warn!(%error, "could not checkpoint the catalog; unreferenced image files wait");
                return;
            }
        }
        for hash in std::mem::take(&mut *waiting) {
            // The same photo may have been added back since its row was deleted.
            match crate::images::get(conn, &hash) {
                Ok(None) => {}
                Ok(Some(_)) => continue,
                Err(error) => {
                    tracing::warn!(%error, "could not look up an unreferenced image");
                    continue;
                }
            }
            // A file that cannot be deleted now has no row; the next `gc` collects it.
            if let Err(error) = self.files.remove(&hash) {
                tracing::warn!(%error, "could not delete an unreferenced image file");
            }
        }
    }

    /// Full garbage collection: unreferenced image rows, files without a row (left by a
    /// crash between writing a file and committing, or by deletions that waited for a durable
    /// point), and stray temporary files. Files are deleted only once the database is durable;
    /// when another process's reader prevents that, only the rows are collected now.
    pub fn gc(&self) -> Result<GcReport, StoreError> {
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let orphans = crate::images::delete_unreferenced(&tx)?;
        tx.commit()?;
        let mut report = GcReport {
            image_rows: orphans.len(),
            files: 0,
        };
        let mut waiting = self
            .waiting
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if !make_durable(&conn)? {
            waiting.extend(orphans);
            return Ok(report);
        }
        waiting.clear();
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
        match consistency_problem(&self.lock())? {
            Some(problem) => Err(StoreError::Corrupt(problem)),
            None => Ok(()),
        }
    }
}

impl Drop for Store {
    /// Deletes the files still waiting for a durable point, if there is one now.
    fn drop(&mut self) {
        let conn = self.lock();
        self.remove_when_durable(&conn, Vec::new());
    }
}

/// What `PRAGMA integrity_check` and the foreign-key check find wrong, if anything.
pub(crate) fn consistency_problem(conn: &Connection) -> Result<Option<String>, StoreError> {
    let result: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    if result != "ok" {
        return Ok(Some(result));
    }
    let fk_problems: i64 =
        conn.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })?;
    Ok((fk_problems > 0).then(|| format!("{fk_problems} broken references")))
}

/// Makes every commit so far durable: a passive checkpoint, which syncs the WAL, copies all of
/// it into the database file and syncs that. False when a reader of an older snapshot (another
/// process) keeps part of the WAL from being copied; it never waits for one. Without WAL (a
/// file system that refused it) commits are synced as they happen.
pub(crate) fn make_durable(conn: &Connection) -> Result<bool, StoreError> {
    let (busy, frames, copied): (i64, i64, i64) =
        conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
    Ok(busy == 0 && frames == copied)
}

pub(crate) fn configure(conn: &mut Connection) -> Result<(), StoreError> {
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(())
}
