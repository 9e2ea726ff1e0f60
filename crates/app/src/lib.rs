//! vitrine-app: the use cases of Vitrine, shared by the desktop app and the `vitrine` CLI.
//!
//! Each public method of [`Vitrine`] is one thing a merchant does (add a product, attach
//! photos, import a CSV, back up). It validates raw input into domain types, runs the
//! work through the store and the media pipeline, and returns domain values or an
//! [`AppError`] whose message can be shown to the merchant as is.

mod backup;
mod bulk;
mod catalog;
mod connected;
mod connection;
mod error;
mod feed;
mod files;
mod hosting;
mod images;
pub mod import;
mod input;
pub mod orders;
mod pending_photos;
mod photo_folder;
mod printing;
mod reconcile;
mod share;
mod shop;
mod short_links;
mod storefront;
mod storefront_preview;
mod sync;
mod sync_view;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Utc};

pub use backup::{NotApplied, RestoreReport};
pub use bulk::{BulkChange, BulkReport, PriceAdjustment, RemovedBatch};
pub use catalog::{
    ProductAdditions, ProductCheck, ProductPage, ProductQuery, ProductSummary, ProductView,
};
pub use connected::{CommerceChange, OrphansRemoved};
pub use connection::{ConnectionCheck, MetaConnection};
pub use error::{AppError, ErrorCode, InputField, Setup};
pub use feed::FeedSummary;
pub use hosting::{HostingError, ImageHosting, PublishReport, S3Bucket, S3HostingInput, SecretKey};
pub use images::{DecodeBudget, ImageSource, ImagesAdded};
pub use import::{
    Delimiter, ExportOptions, ExportSummary, FileReading, ImportFile, ImportFormat, ImportOptions,
    ImportPreview, ImportProgress, ImportReport, PendingPhotoReport, PreviewRow, ReadChoices,
    RowError, RowNote, RowOutcome, RowResult, TextEncoding,
};
pub use input::{NewProduct, ProductPatch, TranslationInput, VariantInput};
pub use orders::{
    Customer, InboxUpdate, LineProduct, Order, OrderAnalytics, OrderDetail, OrderLine, OrderQuery,
    OrderStatus, PullReport, QuickReply, QuickReplyText, RelayStatus, RelayToken, ReplyWindow,
    SentReply, StreamOptions, ThreadEntry,
};
pub use pending_photos::{PendingPhoto, PhotoRetryProgress, PhotoRetryReport};
pub use printing::{LabelSelection, LabelsRequest, PosterRequest, PrintSummary};
pub use reconcile::{review_field, MetaImportIssue, MetaImportReport, MetaItemState};
pub use share::{OrderTextTemplate, QrOptions, ShareTarget};
pub use shop::ShopUpdate;
pub use short_links::ShortLink;
pub use storefront::{
    content_type as site_content_type, StorefrontBuild, StorefrontProgress, StorefrontPublish,
    StorefrontSettings, StorefrontUpdate,
};
pub use sync::{
    ItemWarning, Rejection, SyncOptions, SyncPhase, SyncProgress, SyncReport, SyncStatus,
};
pub use sync_view::{PlanLine, SyncBadge, SyncItem, SyncItems, SyncPreview, SyncState};
pub use vitrine_core as core;
pub use vitrine_download::{DownloadError, Downloader, DOWNLOAD_TIMEOUT, MAX_PARALLEL_DOWNLOADS};
pub use vitrine_env::{
    default_data_dir, EnvironmentOrKeychain, Keychain, MemorySecretStore, SecretError, SecretStore,
    TokenSource, APP_IDENTIFIER, RELAY_TOKEN_ENV, S3_SECRET_ENV, TOKEN_ENV,
};
pub use vitrine_media as media;
pub use vitrine_meta as meta;
pub use vitrine_print as print;
pub use vitrine_relay::client::{ClientError as RelayError, Interruption};
pub use vitrine_store::machine::ConnectionKind;
pub use vitrine_store::BackupSummary;
pub use vitrine_store::ProblemFilter;

use vitrine_store::Store;

/// Tells the time; injected so tests run on a fixed clock.
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// The outside world Vitrine talks to, injectable for tests.
pub struct Seams {
    pub clock: Arc<dyn Clock>,
    pub downloader: Downloader,
    /// Where the Meta access token is kept (by default `VITRINE_META_TOKEN`, else the keychain).
    pub secrets: Arc<dyn SecretStore>,
    /// Where the photo bucket's secret access key is kept.
    pub bucket_secret: Arc<dyn SecretStore>,
    /// Where the webhook relay's device token is kept.
    pub relay_token: Arc<dyn SecretStore>,
    /// Where the Graph API is (Meta's, or `VITRINE_GRAPH_URL` for a test server).
    pub graph: vitrine_meta::GraphConfig,
}

impl Default for Seams {
    fn default() -> Self {
        Self {
            clock: Arc::new(SystemClock),
            downloader: Downloader::from_environment(),
            secrets: Arc::new(EnvironmentOrKeychain(Keychain::META_TOKEN)),
            bucket_secret: Arc::new(EnvironmentOrKeychain(Keychain::BUCKET_SECRET)),
            relay_token: Arc::new(EnvironmentOrKeychain(Keychain::RELAY_TOKEN)),
            graph: vitrine_meta::GraphConfig::from_env(),
        }
    }
}

/// An open catalog. `Send + Sync`: share it between threads behind an `Arc` or Tauri state.
pub struct Vitrine {
    store: Store,
    seams: Seams,
    /// Held while pending photos are retried, so two retries run one after the other.
    photo_retry: std::sync::Mutex<()>,
}

impl Vitrine {
    /// Opens (or creates) the catalog in `data_dir`.
    pub fn open(data_dir: &Path) -> Result<Self, AppError> {
        Self::open_with(data_dir, Seams::default())
    }

    pub fn open_with(data_dir: &Path, seams: Seams) -> Result<Self, AppError> {
        let store =
            Store::open(data_dir).map_err(|e| AppError::from_store("opening the catalog", e))?;
        let vitrine = Self {
            store,
            seams,
            photo_retry: std::sync::Mutex::new(()),
        };
        vitrine.settle_on_open()?;
        Ok(vitrine)
    }

    pub fn data_dir(&self) -> &Path {
        self.store.data_dir()
    }

    /// The stored catalog JPEG of an image.
    pub fn image_path(&self, hash: &vitrine_core::ContentHash) -> PathBuf {
        self.store.image_path(hash)
    }

    /// The 256-pixel thumbnail of an image.
    pub fn thumbnail_path(&self, hash: &vitrine_core::ContentHash) -> PathBuf {
        self.store.thumbnail_path(hash)
    }

    /// Checks the catalog database (`PRAGMA integrity_check` and foreign keys).
    pub fn integrity_check(&self) -> Result<(), AppError> {
        self.store
            .integrity_check()
            .map_err(|e| AppError::from_store("checking the catalog", e))
    }

    /// Housekeeping when a catalog opens: forget deletions that can no longer be undone and
    /// refresh cached pre-flight counts if the rules changed since they were computed.
    fn settle_on_open(&self) -> Result<(), AppError> {
        self.store
            .write_and_collect(|tx| vitrine_store::trash::purge(tx, None))
            .map_err(|e| AppError::from_store("opening the catalog", e))?;
        let stored = self
            .store
            .read(|c| vitrine_store::app_state::get(c, catalog::RULES_KEY))
            .map_err(|e| AppError::from_store("opening the catalog", e))?;
        if stored.as_deref() != Some(vitrine_core::preflight::rules_fingerprint().as_str()) {
            self.recount_problems()?;
        }
        Ok(())
    }

    fn now(&self) -> DateTime<Utc> {
        self.seams.clock.now()
    }
}
