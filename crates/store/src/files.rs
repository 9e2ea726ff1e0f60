//! Content-addressed image files: `images/ab/<sha256>.jpg` and `thumbs/ab/<sha256>.jpg`,
//! where the thumbnail is keyed by the hash of the catalog image it was made from.
//!
//! A file is written to a temporary file, synced, renamed into place, and then its folder is
//! synced too (and each folder created on the way, in its parent): a rename is durable only
//! once the folder holding the new name is, and a row must never outlive its file.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use vitrine_core::ContentHash;

use crate::StoreError;

#[derive(Debug, Clone)]
pub struct ImageFiles {
    root: PathBuf,
    /// Makes a folder's entries durable; a seam so a test can see which folders were synced.
    sync_dir: fn(&Path) -> std::io::Result<()>,
}

/// Makes the entries of `dir` (files renamed or created in it) durable.
pub(crate) fn sync_dir(dir: &Path) -> std::io::Result<()> {
    // Windows cannot open a folder as a file to flush it; NTFS journals renames itself.
    if cfg!(windows) {
        return Ok(());
    }
    fs::File::open(dir)?.sync_all()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Catalog,
    Thumbnail,
}

impl Kind {
    fn dir(self) -> &'static str {
        match self {
            Kind::Catalog => "images",
            Kind::Thumbnail => "thumbs",
        }
    }
}

pub fn sha256_hex(bytes: &[u8]) -> ContentHash {
    let digest = Sha256::digest(bytes);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    ContentHash::parse(&hex).unwrap_or_else(|_| unreachable!("a SHA-256 is 64 hex digits"))
}

impl ImageFiles {
    pub fn new(root: &Path) -> Self {
        Self {
            root: root.to_owned(),
            sync_dir,
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn path(&self, kind: Kind, hash: &ContentHash) -> PathBuf {
        let h = hash.as_str();
        self.root
            .join(kind.dir())
            .join(&h[..2])
            .join(format!("{h}.jpg"))
    }

    /// Writes `bytes` under `hash` unless that file already exists: temp file, fsync, rename.
    pub fn write(
        &self,
        kind: Kind,
        hash: &ContentHash,
        bytes: &[u8],
    ) -> Result<PathBuf, StoreError> {
        let path = self.path(kind, hash);
        if path.exists() {
            return Ok(path);
        }
        let dir = path.parent().unwrap_or(&self.root).to_owned();
        self.create_dir(&dir)?;
        let mut tmp = tempfile::Builder::new()
            .prefix(".incoming-")
            .tempfile_in(&dir)
            .map_err(StoreError::io("creating a temporary file in", &dir))?;
        tmp.write_all(bytes)
            .map_err(StoreError::io("writing", tmp.path().to_owned()))?;
        tmp.as_file()
            .sync_all()
            .map_err(StoreError::io("flushing", tmp.path().to_owned()))?;
        tmp.persist(&path).map_err(|e| StoreError::Io {
            action: "saving",
            path: path.clone(),
            source: e.error,
        })?;
        (self.sync_dir)(&dir).map_err(StoreError::io("flushing the image folder", &dir))?;
        Ok(path)
    }

    /// Creates `dir` and any missing folder above it up to the root, syncing the parent of
    /// each one created.
    fn create_dir(&self, dir: &Path) -> Result<(), StoreError> {
        if dir.is_dir() {
            return Ok(());
        }
        let parent = match dir.parent() {
            Some(parent) if dir != self.root && dir.starts_with(&self.root) => parent,
            _ => {
                return fs::create_dir_all(dir)
                    .map_err(StoreError::io("creating the image folder", dir))
            }
        };
        self.create_dir(parent)?;
        match fs::create_dir(dir) {
            Ok(()) => {
                (self.sync_dir)(parent).map_err(StoreError::io("flushing the folder", parent))
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
            Err(e) => Err(StoreError::io("creating the image folder", dir)(e)),
        }
    }

    /// Removes the catalog file and thumbnail of `hash`; returns how many files existed.
    pub fn remove(&self, hash: &ContentHash) -> Result<usize, StoreError> {
        let mut removed = 0;
        for kind in [Kind::Catalog, Kind::Thumbnail] {
            let path = self.path(kind, hash);
            match fs::remove_file(&path) {
                Ok(()) => removed += 1,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    return Err(StoreError::Io {
                        action: "deleting",
                        path,
                        source: e,
                    })
                }
            }
        }
        Ok(removed)
    }

    /// Every catalog-image hash present on disk, plus stray files (temporaries, junk).
    pub fn scan(&self) -> Result<(Vec<ContentHash>, Vec<PathBuf>), StoreError> {
        let mut hashes = Vec::new();
        let mut strays = Vec::new();
        for kind in [Kind::Catalog, Kind::Thumbnail] {
            let base = self.root.join(kind.dir());
            let Ok(shards) = fs::read_dir(&base) else {
                continue;
            };
            for shard in shards.flatten() {
                let Ok(entries) = fs::read_dir(shard.path()) else {
                    continue;
                };
                for entry in entries.flatten() {
                    let path = entry.path();
                    let name = entry.file_name().to_string_lossy().into_owned();
                    match name.strip_suffix(".jpg").map(ContentHash::parse) {
                        Some(Ok(hash)) if kind == Kind::Catalog => hashes.push(hash),
                        Some(Ok(hash)) => {
                            if !self.path(Kind::Catalog, &hash).exists() {
                                strays.push(path);
                            }
                        }
                        _ => strays.push(path),
                    }
                }
            }
        }
        Ok((hashes, strays))
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::path::{Path, PathBuf};

    use super::{sha256_hex, ImageFiles, Kind};

    thread_local! {
        static SYNCED: RefCell<Vec<PathBuf>> = const { RefCell::new(Vec::new()) };
    }

    fn record(dir: &Path) -> std::io::Result<()> {
        SYNCED.with(|s| s.borrow_mut().push(dir.to_owned()));
        super::sync_dir(dir)
    }

    #[test]
    fn writing_an_image_syncs_its_folder_after_the_rename_and_each_new_folder_in_its_parent() {
        let dir = tempfile::tempdir().expect("tempdir");
        let files = ImageFiles {
            root: dir.path().to_owned(),
            sync_dir: record,
        };
        let hash = sha256_hex(b"photo");
        let path = files.write(Kind::Catalog, &hash, b"photo").expect("write");
        let shard = path.parent().expect("shard folder").to_owned();
        let kind_dir = shard.parent().expect("images folder").to_owned();
        let synced = SYNCED.with(|s| s.borrow().clone());
        assert_eq!(
            synced,
            vec![dir.path().to_owned(), kind_dir.clone(), shard.clone()],
            "the root holds the new images folder, which holds the new shard, which holds the renamed file"
        );

        SYNCED.with(|s| s.borrow_mut().clear());
        let other = sha256_hex(b"another photo");
        let other_path = files
            .write(Kind::Catalog, &other, b"another photo")
            .expect("write");
        let other_shard = other_path.parent().expect("shard folder").to_owned();
        let expected = if other_shard == shard {
            vec![shard]
        } else {
            vec![kind_dir, other_shard]
        };
        assert_eq!(
            SYNCED.with(|s| s.borrow().clone()),
            expected,
            "existing folders are not created again, and the rename is synced in its folder"
        );
    }
}
