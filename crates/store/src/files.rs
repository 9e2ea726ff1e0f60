//! Content-addressed image files: `images/ab/<sha256>.jpg` and `thumbs/ab/<sha256>.jpg`,
//! where the thumbnail is keyed by the hash of the catalog image it was made from.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use vitrine_core::ContentHash;

use crate::StoreError;

#[derive(Debug, Clone)]
pub struct ImageFiles {
    root: PathBuf,
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
        fs::create_dir_all(&dir).map_err(StoreError::io("creating the image folder", &dir))?;
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
        Ok(path)
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
