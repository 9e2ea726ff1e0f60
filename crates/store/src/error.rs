use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("catalog database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("could not upgrade the catalog database: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    #[error("{action} {path}: {source}")]
    Io {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("a product with SKU “{0}” already exists")]
    DuplicateSku(String),
    #[error("a collection named “{0}” already exists")]
    DuplicateCollection(String),
    #[error("{0} not found")]
    NotFound(String),
    #[error("the catalog database holds an unreadable value: {0}")]
    Corrupt(String),
    #[error("this file is not a usable Vitrine backup: {0}")]
    BadBackup(String),
    /// The caller's own check failed inside a transaction, which was rolled back.
    #[error("{0}")]
    Rejected(Box<dyn std::error::Error + Send + Sync>),
}

impl StoreError {
    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
    ) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| Self::Io {
            action,
            path,
            source,
        }
    }

    pub(crate) fn corrupt(what: impl std::fmt::Display) -> Self {
        Self::Corrupt(what.to_string())
    }
}
