//! Backup and restore of the whole catalog (database + images) as one tar archive.
//!
//! The database is copied with SQLite's online backup API, never by copying a live file.
//! Restore works on a staged copy and verifies everything before touching the live catalog:
//! archive paths, the database's integrity and foreign keys, that its schema holds exactly the
//! objects Vitrine's migrations create (a trigger or view in a file could otherwise act inside
//! this catalog), the migration to the latest schema and the same checks after it, every
//! image's SHA-256. It then puts this machine's connections into the staged copy (a backup
//! never chooses where this machine's secrets go, see [`crate::machine`]), adds the images and
//! swaps the database in one transaction, so a failure at any point leaves the current catalog
//! intact. The old catalog's photos are deleted only once the restored database is durable.

use std::fs::{self, File};
use std::io::{BufReader, BufWriter, Read};
use std::path::{Component, Path, PathBuf};
use std::time::Duration;

use rusqlite::backup::Backup;
use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags};
use serde::{Deserialize, Serialize};
use vitrine_core::ContentHash;

use crate::db::{configure, consistency_problem, DB_FILE};
use crate::files::{sha256_hex, sync_dir, ImageFiles, Kind};
use crate::machine::PendingConnection;
use crate::{Store, StoreError};

const FORMAT: &str = "vitrine-backup";
const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupSummary {
    pub products: u64,
    pub images: u64,
}

/// What a restore brought back, and the backup's connections it did not apply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RestoreSummary {
    pub products: u64,
    pub images: u64,
    /// The backup's connections that differ from this machine's, kept only as pending.
    pub not_applied: Vec<PendingConnection>,
}

#[derive(Serialize, Deserialize)]
struct Manifest {
    format: String,
    version: u32,
    products: u64,
    images: u64,
}

impl Store {
    /// Writes the catalog to `dest` (a tar archive), atomically: a partial file never
    /// appears under `dest`.
    pub fn backup(&self, dest: &Path) -> Result<BackupSummary, StoreError> {
        let dest_dir = dest
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let work = tempfile::tempdir_in(self.data_dir()).map_err(StoreError::io(
            "creating a temporary folder in",
            self.data_dir(),
        ))?;
        let snapshot = work.path().join(DB_FILE);
        let conn = self.lock();
        {
            let mut out = Connection::open(&snapshot)?;
            Backup::new(&conn, &mut out)?.run_to_completion(256, Duration::ZERO, None)?;
        }
        let products = crate::products::count(&conn)?;
        let hashes = crate::images::all_hashes(&conn)?;
        let summary = BackupSummary {
            products,
            images: hashes.len() as u64,
        };
        let manifest = Manifest {
            format: FORMAT.to_owned(),
            version: FORMAT_VERSION,
            products,
            images: summary.images,
        };

        let mut tmp = tempfile::Builder::new()
            .prefix(".vitrine-backup-")
            .tempfile_in(dest_dir)
            .map_err(StoreError::io("creating a file in", dest_dir))?;
        {
            let mut tar = tar::Builder::new(BufWriter::new(tmp.as_file_mut()));
            let manifest_json =
                serde_json::to_vec_pretty(&manifest).map_err(StoreError::corrupt)?;
            let mut header = tar::Header::new_gnu();
            header.set_size(manifest_json.len() as u64);
            header.set_mode(0o644);
            header.set_cksum();
            tar.append_data(&mut header, "manifest.json", manifest_json.as_slice())
                .map_err(StoreError::io("writing", dest))?;
            tar.append_path_with_name(&snapshot, DB_FILE)
                .map_err(StoreError::io("writing", dest))?;
            for hash in &hashes {
                for kind in [Kind::Catalog, Kind::Thumbnail] {
                    let path = self.files().path(kind, hash);
                    let name = path
                        .strip_prefix(self.data_dir())
                        .map_err(StoreError::corrupt)?
                        .to_owned();
                    if kind == Kind::Thumbnail && !path.exists() {
                        continue;
                    }
                    tar.append_path_with_name(&path, &name)
                        .map_err(StoreError::io("adding to the backup", &path))?;
                }
            }
            tar.into_inner()
                .map_err(StoreError::io("writing", dest))?
                .into_inner()
                .map_err(|e| StoreError::io("writing", dest)(e.into_error()))?;
        }
        drop(conn);
        tmp.as_file()
            .sync_all()
            .map_err(StoreError::io("flushing", dest))?;
        tmp.persist(dest).map_err(|e| StoreError::Io {
            action: "saving",
            path: dest.to_owned(),
            source: e.error,
        })?;
        sync_dir(dest_dir).map_err(StoreError::io("flushing", dest_dir))?;
        Ok(summary)
    }

    /// Replaces the catalog with the one in a backup made by [`Store::backup`], keeping this
    /// machine's connections (see [`crate::machine`]).
    pub fn restore(&self, src: &Path) -> Result<RestoreSummary, StoreError> {
        self.restore_with(src, crate::schema::STEPS)
    }

    /// For upgrade tests: restores as a later Vitrine would whose next migration is `next`.
    #[doc(hidden)]
    pub fn restore_with_next_migration(
        &self,
        src: &Path,
        next: &str,
    ) -> Result<RestoreSummary, StoreError> {
        let mut steps = crate::schema::STEPS.to_vec();
        steps.push(next);
        self.restore_with(src, &steps)
    }

    /// [`Store::restore`] with the migrations `steps`.
    fn restore_with(&self, src: &Path, steps: &[&str]) -> Result<RestoreSummary, StoreError> {
        let work = tempfile::tempdir_in(self.data_dir()).map_err(StoreError::io(
            "creating a temporary folder in",
            self.data_dir(),
        ))?;
        unpack(src, work.path())?;
        let staged_files = ImageFiles::new(work.path());
        let mut staged = open_staged(&work.path().join(DB_FILE))?;
        upgrade_staged(&mut staged, steps)?;
        let products = crate::products::count(&staged)?;
        let hashes =
            crate::images::all_hashes(&staged).map_err(|e| StoreError::BadBackup(e.to_string()))?;
        for hash in &hashes {
            let path = staged_files.path(Kind::Catalog, hash);
            let bytes = fs::read(&path)
                .map_err(|_| StoreError::BadBackup(format!("the image {hash} is missing")))?;
            if &sha256_hex(&bytes) != hash {
                return Err(StoreError::BadBackup(format!(
                    "the image {hash} is damaged"
                )));
            }
        }

        // Held from reading this machine's connections until the swap, so none is lost.
        let mut conn = self.lock();
        let machine = crate::machine::read(&conn)?;
        let tx = staged.transaction()?;
        let not_applied = crate::machine::keep_machine_connections(&tx, &machine)?;
        tx.commit()?;
        for hash in &hashes {
            for kind in [Kind::Catalog, Kind::Thumbnail] {
                let staged = staged_files.path(kind, hash);
                if let Ok(bytes) = fs::read(&staged) {
                    self.files().write(kind, hash, &bytes)?;
                }
            }
        }
        // One write transaction on the live database: all of it or, on failure, none.
        Backup::new(&staged, &mut conn)?.run_to_completion(256, Duration::ZERO, None)?;
        configure(&mut conn)?;
        drop(conn);
        drop(staged);
        // Deletes the old catalog's photos only once the restored database is durable.
        self.gc()?;
        Ok(RestoreSummary {
            products,
            images: hashes.len() as u64,
            not_applied,
        })
    }
}

/// Opens the backup's database so that nothing in it can run code: no trigger, view or
/// function the schema names acts before the schema is checked.
fn open_staged(path: &Path) -> Result<Connection, StoreError> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE)
        .map_err(|e| StoreError::BadBackup(format!("its database cannot be opened ({e})")))?;
    for (setting, on) in [
        (DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true),
        (DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false),
        (DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, false),
        (DbConfig::SQLITE_DBCONFIG_ENABLE_VIEW, false),
    ] {
        conn.set_db_config(setting, on)?;
    }
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(conn)
}

/// Checks the backup's database (integrity, foreign keys, exactly Vitrine's schema objects),
/// migrates it to the latest schema and checks it again — all before the live catalog is
/// touched, so a backup refused at any step leaves it as it was.
fn upgrade_staged(staged: &mut Connection, steps: &[&str]) -> Result<(), StoreError> {
    check_consistency(staged)?;
    let version: i64 = staged.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let version = usize::try_from(version)
        .ok()
        .filter(|v| *v <= steps.len())
        .ok_or_else(|| {
            StoreError::BadBackup(
                "it was made by a newer version of Vitrine; update Vitrine first".to_owned(),
            )
        })?;
    crate::schema::check_objects(staged, steps, version)?;
    crate::schema::migrations_of(steps)
        .to_latest(staged)
        .map_err(|e| {
            StoreError::BadBackup(format!(
                "its catalog could not be upgraded to this version of Vitrine ({e})"
            ))
        })?;
    check_consistency(staged)?;
    crate::schema::check_objects(staged, steps, steps.len())
}

fn check_consistency(conn: &Connection) -> Result<(), StoreError> {
    let problem = consistency_problem(conn)
        .map_err(|e| StoreError::BadBackup(format!("its database cannot be read ({e})")))?;
    match problem {
        Some(problem) => Err(StoreError::BadBackup(format!(
            "its database is damaged ({problem})"
        ))),
        None => Ok(()),
    }
}

fn unpack(src: &Path, into: &Path) -> Result<(), StoreError> {
    let file = File::open(src).map_err(StoreError::io("opening", src))?;
    let mut archive = tar::Archive::new(BufReader::new(file));
    let mut manifest: Option<Manifest> = None;
    let mut seen_db = false;
    let entries = archive
        .entries()
        .map_err(|e| StoreError::BadBackup(e.to_string()))?;
    for entry in entries {
        let mut entry = entry
            .map_err(|e| StoreError::BadBackup(format!("it is not a complete archive ({e})")))?;
        let path: PathBuf = entry
            .path()
            .map_err(|e| StoreError::BadBackup(e.to_string()))?
            .into_owned();
        let name = path.to_string_lossy().into_owned();
        if name == "manifest.json" {
            let mut text = String::new();
            entry
                .read_to_string(&mut text)
                .map_err(|e| StoreError::BadBackup(e.to_string()))?;
            let parsed: Manifest = serde_json::from_str(&text)
                .map_err(|_| StoreError::BadBackup("its manifest is unreadable".to_owned()))?;
            if parsed.format != FORMAT || parsed.version > FORMAT_VERSION {
                return Err(StoreError::BadBackup(
                    "it is not a Vitrine backup, or one from a newer version".to_owned(),
                ));
            }
            manifest = Some(parsed);
            continue;
        }
        if !entry.header().entry_type().is_file() {
            return Err(StoreError::BadBackup(format!(
                "“{name}” is not a regular file"
            )));
        }
        if name == DB_FILE {
            seen_db = true;
        } else if !is_image_entry(&path) {
            return Err(StoreError::BadBackup(format!(
                "it contains an unexpected file “{name}”"
            )));
        }
        let target = into.join(&path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(StoreError::io("creating", parent))?;
        }
        entry
            .unpack(&target)
            .map_err(|e| StoreError::BadBackup(format!("“{name}” could not be extracted ({e})")))?;
    }
    if manifest.is_none() {
        return Err(StoreError::BadBackup("it has no manifest".to_owned()));
    }
    if !seen_db {
        return Err(StoreError::BadBackup(
            "it has no catalog database".to_owned(),
        ));
    }
    Ok(())
}

/// Only `images/xx/<hash>.jpg` and `thumbs/xx/<hash>.jpg`: nothing can escape the folder.
fn is_image_entry(path: &Path) -> bool {
    let parts: Vec<String> = path
        .components()
        .map(|c| match c {
            Component::Normal(s) => s.to_string_lossy().into_owned(),
            _ => String::from("/"),
        })
        .collect();
    let [dir, shard, file] = parts.as_slice() else {
        return false;
    };
    let Some(hash) = file.strip_suffix(".jpg") else {
        return false;
    };
    (dir == "images" || dir == "thumbs")
        && ContentHash::parse(hash).is_ok()
        && hash.starts_with(shard.as_str())
        && shard.len() == 2
}
