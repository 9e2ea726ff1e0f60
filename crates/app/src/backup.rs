//! Backing up and restoring the whole catalog. A restore never redirects a secret: this
//! machine's connections (relay, Meta, photo hosting, storefront address) stay as they are,
//! and the backup's differing ones are only reported, for the merchant to confirm by
//! connecting again with the secret (see `vitrine_store::machine`).

use std::path::Path;

use serde::Serialize;
use vitrine_store::machine::{
    ConnectionKind, PendingConnection, HOSTING_PUBLIC_BASE_URL, HOSTING_S3_BUCKET,
    HOSTING_S3_ENDPOINT, META_CATALOG_ID, RELAY_URL, STOREFRONT_BASE_URL,
};
use vitrine_store::{BackupSummary, RestoreSummary};

use crate::{AppError, Vitrine};

/// What a restore brought back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RestoreReport {
    pub products: u64,
    pub images: u64,
    /// The backup's connections that differ from this machine's: kept aside, never used.
    pub not_applied: Vec<NotApplied>,
}

/// A connection of the backup that the restore did not apply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NotApplied {
    pub connection: ConnectionKind,
    /// Where the backup's connection leads (an address or a Meta catalog id).
    pub address: String,
    /// For the merchant, e.g. “the backup's relay https://relay.example was not applied; …”.
    pub message: String,
}

impl From<PendingConnection> for NotApplied {
    fn from(pending: PendingConnection) -> Self {
        let PendingConnection { kind, settings } = pending;
        let get = |key: &str| settings.get(key).cloned();
        let any = || settings.values().cloned().collect::<Vec<_>>().join(", ");
        let (address, what, how) = match kind {
            ConnectionKind::Relay => (
                get(RELAY_URL).unwrap_or_else(any),
                "relay",
                "connect to it again with its device token",
            ),
            ConnectionKind::Meta => (
                get(META_CATALOG_ID).unwrap_or_else(any),
                "Meta catalog",
                "connect to Meta again with its access token",
            ),
            ConnectionKind::PhotoHosting => {
                let mut address = get(HOSTING_PUBLIC_BASE_URL).unwrap_or_else(any);
                if let Some(bucket) = get(HOSTING_S3_BUCKET) {
                    address.push_str(&format!(" (bucket {bucket}"));
                    if let Some(endpoint) = get(HOSTING_S3_ENDPOINT) {
                        address.push_str(&format!(" at {endpoint}"));
                    }
                    address.push(')');
                }
                (
                    address,
                    "photo hosting",
                    "set up photo hosting again with its key",
                )
            }
            ConnectionKind::Storefront => (
                get(STOREFRONT_BASE_URL).unwrap_or_else(any),
                "storefront address",
                "set it again",
            ),
            ConnectionKind::Payment => (any(), "payment details", "type them again in Settings"),
        };
        let message = if kind == ConnectionKind::Payment {
            format!("the backup's {what} ({address}) were not applied; {how} to use them")
        } else {
            format!("the backup's {what} {address} was not applied; {how} to use it")
        };
        Self {
            connection: kind,
            address,
            message,
        }
    }
}

impl Vitrine {
    /// Writes the whole catalog (products, shop, images) to one archive file.
    pub fn backup(&self, dest: &Path) -> Result<BackupSummary, AppError> {
        self.store
            .backup(dest)
            .map_err(|e| AppError::from_store("backing up", e))
    }

    /// Replaces the catalog with a backup; the current catalog is untouched if the backup is
    /// bad, and this machine's connections stay whatever the backup holds.
    pub fn restore(&self, src: &Path) -> Result<RestoreReport, AppError> {
        let RestoreSummary {
            products,
            images,
            not_applied,
        } = self
            .store
            .restore(src)
            .map_err(|e| AppError::from_store("restoring", e))?;
        for pending in &not_applied {
            tracing::info!(connection = ?pending.kind, "a restored backup's connection was not applied");
        }
        Ok(RestoreReport {
            products,
            images,
            not_applied: not_applied.into_iter().map(NotApplied::from).collect(),
        })
    }
}
