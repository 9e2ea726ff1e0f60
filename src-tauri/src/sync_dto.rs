//! The shapes of the Sync view that cross IPC: the Meta connection, image hosting, the plan
//! preview, a sync's progress and report, each product's state against the WhatsApp
//! catalog, and Meta's own review of each item. Same rules as [`crate::dto`].

use serde::{Deserialize, Serialize};
use specta::Type;
use vitrine_app as app;
use vitrine_app::core::preflight::FindingField;
use vitrine_app::core::sync_plan;
use vitrine_app::meta;

use crate::dto::Finding;

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

// ---- per-product state -------------------------------------------------------------------

/// A product's badge in the catalog.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SyncBadge {
    pub state: app::SyncState,
    /// Meta's words, for a rejection or a warning.
    pub message: Option<String>,
}

impl From<app::SyncBadge> for SyncBadge {
    fn from(badge: app::SyncBadge) -> Self {
        let app::SyncBadge { state, message } = badge;
        Self { state, message }
    }
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SyncItem {
    pub id: String,
    pub sku: String,
    pub title: String,
    pub state: app::SyncState,
    pub message: Option<String>,
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SyncCount {
    pub state: app::SyncState,
    pub count: u32,
}

/// The Sync view's table: the lines in one state (or all) and the count in every state.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SyncItems {
    pub items: Vec<SyncItem>,
    /// Lines matching the filter (the list may be shorter).
    pub total: u32,
    pub counts: Vec<SyncCount>,
}

impl From<app::SyncItems> for SyncItems {
    fn from(items: app::SyncItems) -> Self {
        let app::SyncItems {
            items,
            total,
            counts,
        } = items;
        Self {
            items: items
                .into_iter()
                .map(|item| {
                    let app::SyncItem {
                        id,
                        sku,
                        title,
                        badge: app::SyncBadge { state, message },
                    } = item;
                    SyncItem {
                        id: id.to_string(),
                        sku,
                        title,
                        state,
                        message,
                    }
                })
                .collect(),
            total: count(total),
            counts: counts
                .into_iter()
                .map(|(state, n)| SyncCount {
                    state,
                    count: count(n),
                })
                .collect(),
        }
    }
}

// ---- connection --------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum TokenSource {
    /// `VITRINE_META_TOKEN` is set.
    Environment,
    Keychain,
    /// No token: connect again with one.
    Missing,
}

/// The saved Meta ids and where the token comes from (never the token).
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct MetaConnection {
    pub catalog_id: String,
    pub waba_id: Option<String>,
    pub phone_number_id: Option<String>,
    pub token: TokenSource,
}

impl From<app::MetaConnection> for MetaConnection {
    fn from(connection: app::MetaConnection) -> Self {
        let app::MetaConnection {
            catalog_id,
            waba_id,
            phone_number_id,
            token,
        } = connection;
        Self {
            catalog_id,
            waba_id,
            phone_number_id,
            token: match token {
                app::TokenSource::Environment => TokenSource::Environment,
                app::TokenSource::Keychain => TokenSource::Keychain,
                app::TokenSource::Missing => TokenSource::Missing,
            },
        }
    }
}

/// What the merchant typed to connect. The token goes to the keychain and nowhere else.
#[derive(Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ConnectInput {
    pub catalog_id: String,
    pub waba_id: Option<String>,
    pub phone_number_id: Option<String>,
    /// `null` keeps the saved token.
    pub token: Option<String>,
}

impl std::fmt::Debug for ConnectInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectInput")
            .field("catalog_id", &self.catalog_id)
            .field("waba_id", &self.waba_id)
            .field("phone_number_id", &self.phone_number_id)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// WhatsApp's storefront switches for the shop's phone number.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CommerceSettings {
    /// The catalog this number shows.
    pub catalog_id: Option<String>,
    pub catalog_visible: bool,
    pub cart_enabled: bool,
}

impl From<meta::CommerceSettings> for CommerceSettings {
    fn from(settings: meta::CommerceSettings) -> Self {
        let meta::CommerceSettings {
            id,
            is_cart_enabled,
            is_catalog_visible,
        } = settings;
        Self {
            catalog_id: id,
            catalog_visible: is_catalog_visible,
            cart_enabled: is_cart_enabled,
        }
    }
}

/// The answer of "test connection".
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionCheck {
    pub catalog_id: String,
    pub catalog_name: Option<String>,
    pub product_count: Option<u32>,
    pub commerce: Option<CommerceSettings>,
    /// Plain-language warnings (a hidden catalog, another catalog on the number).
    pub warnings: Vec<String>,
}

impl From<app::ConnectionCheck> for ConnectionCheck {
    fn from(check: app::ConnectionCheck) -> Self {
        let app::ConnectionCheck {
            catalog,
            commerce,
            warnings,
        } = check;
        let meta::CatalogInfo {
            id,
            name,
            product_count,
            vertical: _,
        } = catalog;
        Self {
            catalog_id: id,
            catalog_name: name,
            product_count: product_count.map(|n| u32::try_from(n).unwrap_or(u32::MAX)),
            commerce: commerce.map(CommerceSettings::from),
            warnings,
        }
    }
}

/// Where product photos are published for Meta to fetch.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ImageHosting {
    pub public_base_url: String,
    /// The folder the web host serves, when Vitrine copies photos there.
    pub folder: Option<String>,
    /// The S3-compatible bucket Vitrine uploads photos to, instead of a folder.
    pub bucket: Option<S3Bucket>,
}

/// An S3-compatible bucket (AWS S3, Cloudflare R2, Backblaze B2, MinIO), without its secret.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct S3Bucket {
    /// The service's address; `null` for AWS S3.
    pub endpoint: Option<String>,
    pub region: String,
    pub bucket: String,
    pub prefix: Option<String>,
    pub access_key_id: String,
}

impl From<app::ImageHosting> for ImageHosting {
    fn from(hosting: app::ImageHosting) -> Self {
        let app::ImageHosting {
            public_base_url,
            folder,
            bucket,
        } = hosting;
        Self {
            public_base_url,
            folder: folder.map(|f| f.display().to_string()),
            bucket: bucket.map(|b| {
                let app::S3Bucket {
                    endpoint,
                    region,
                    bucket,
                    prefix,
                    access_key_id,
                } = b;
                S3Bucket {
                    endpoint,
                    region,
                    bucket,
                    prefix,
                    access_key_id,
                }
            }),
        }
    }
}

/// The bucket form: where photos go and the secret key (to the keychain; `null` keeps the
/// saved one).
#[derive(Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct S3HostingInput {
    pub public_base_url: String,
    pub bucket: S3Bucket,
    pub secret_key: Option<String>,
}

impl std::fmt::Debug for S3HostingInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3HostingInput")
            .field("public_base_url", &self.public_base_url)
            .field("bucket", &self.bucket)
            .field(
                "secret_key",
                &self.secret_key.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

impl From<&S3HostingInput> for app::S3HostingInput {
    fn from(input: &S3HostingInput) -> Self {
        let S3Bucket {
            endpoint,
            region,
            bucket,
            prefix,
            access_key_id,
        } = input.bucket.clone();
        Self {
            public_base_url: input.public_base_url.clone(),
            endpoint,
            region,
            bucket,
            prefix,
            access_key_id,
        }
    }
}

/// What publishing photos did.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PublishReport {
    pub uploaded: u32,
    pub already_present: u32,
}

impl From<app::PublishReport> for PublishReport {
    fn from(report: app::PublishReport) -> Self {
        let app::PublishReport {
            uploaded,
            already_present,
        } = report;
        Self {
            uploaded: count(uploaded),
            already_present: count(already_present),
        }
    }
}

/// One Meta item an import left out or kept without its photo, and why.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct MetaImportIssue {
    pub sku: String,
    pub message: String,
}

/// What importing the WhatsApp catalog into Vitrine did.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct MetaImportReport {
    pub imported: u32,
    pub already_in_vitrine: u32,
    pub skipped: Vec<MetaImportIssue>,
    pub photos_missing: Vec<MetaImportIssue>,
}

impl From<app::MetaImportReport> for MetaImportReport {
    fn from(report: app::MetaImportReport) -> Self {
        let app::MetaImportReport {
            imported,
            already_in_vitrine,
            skipped,
            photos_missing,
        } = report;
        let issues = |list: Vec<app::MetaImportIssue>| {
            list.into_iter()
                .map(|i| MetaImportIssue {
                    sku: i.retailer_id,
                    message: i.message,
                })
                .collect()
        };
        Self {
            imported: count(imported),
            already_in_vitrine: count(already_in_vitrine),
            skipped: issues(skipped),
            photos_missing: issues(photos_missing),
        }
    }
}

// ---- plan and run ------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum PlanAction {
    Create,
    Update,
    Delete,
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PlanLine {
    pub sku: String,
    pub action: PlanAction,
    /// Meta's field names sent (for an update, only the changed ones).
    pub fields: Vec<String>,
}

/// A product held back by pre-flight errors.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct HeldItem {
    pub sku: String,
    pub title: String,
    pub errors: Vec<Finding>,
}

impl From<sync_plan::HeldItem> for HeldItem {
    fn from(item: sync_plan::HeldItem) -> Self {
        let sync_plan::HeldItem {
            retailer_id,
            title,
            errors,
        } = item;
        Self {
            sku: retailer_id,
            title,
            errors: errors.into_iter().map(Finding::from).collect(),
        }
    }
}

/// An item Meta refused, with its reason.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Rejection {
    pub sku: String,
    pub message: String,
}

/// An item Meta took with a warning, in Meta's words.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ItemWarning {
    pub sku: String,
    pub message: String,
}

impl From<app::ItemWarning> for ItemWarning {
    fn from(warning: app::ItemWarning) -> Self {
        let app::ItemWarning {
            retailer_id,
            message,
        } = warning;
        Self {
            sku: retailer_id,
            message,
        }
    }
}

impl From<app::Rejection> for Rejection {
    fn from(rejection: app::Rejection) -> Self {
        let app::Rejection {
            retailer_id,
            message,
        } = rejection;
        Self {
            sku: retailer_id,
            message,
        }
    }
}

/// The Sync view's header: what the next sync would send, without calling Meta.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SyncPreview {
    /// A sync stopped before the end; the next one resumes it.
    pub unfinished: bool,
    /// Items Meta holds from Vitrine.
    pub at_meta: u32,
    pub to_create: u32,
    pub to_update: u32,
    pub to_delete: u32,
    pub unchanged: u32,
    pub held: Vec<HeldItem>,
    pub rejected: Vec<Rejection>,
    /// Items Meta holds with a warning from their last sync.
    pub warnings: Vec<ItemWarning>,
    /// RFC 3339.
    pub last_synced_at: Option<String>,
    /// The first lines of the plan.
    pub lines: Vec<PlanLine>,
}

impl From<app::SyncPreview> for SyncPreview {
    fn from(preview: app::SyncPreview) -> Self {
        let app::SyncPreview {
            status,
            unchanged,
            lines,
        } = preview;
        let app::SyncStatus {
            unfinished,
            at_meta,
            to_create,
            to_update,
            to_delete,
            held,
            rejected,
            warnings,
            last_synced_at,
        } = status;
        Self {
            unfinished,
            at_meta: count(at_meta),
            to_create: count(to_create),
            to_update: count(to_update),
            to_delete: count(to_delete),
            unchanged: count(unchanged),
            held: held.into_iter().map(HeldItem::from).collect(),
            rejected: rejected.into_iter().map(Rejection::from).collect(),
            warnings: warnings.into_iter().map(ItemWarning::from).collect(),
            last_synced_at,
            lines: lines
                .into_iter()
                .map(|line| {
                    let app::PlanLine {
                        retailer_id,
                        action,
                        fields,
                    } = line;
                    PlanLine {
                        sku: retailer_id,
                        action: match action {
                            sync_plan::Action::Create => PlanAction::Create,
                            sync_plan::Action::Update => PlanAction::Update,
                            sync_plan::Action::Delete => PlanAction::Delete,
                        },
                        fields,
                    }
                })
                .collect(),
        }
    }
}

/// What the batch after the finished ones is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum SyncPhase {
    /// Sending it to Meta.
    Sending,
    /// Meta is processing it; Vitrine checks its status.
    Waiting,
    /// `batchesDone` batches are finished, none is in flight.
    Done,
}

/// Batches finished so far, and what the next one is doing.
#[derive(Debug, Clone, Copy, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SyncProgress {
    pub batches_done: u32,
    pub batches_total: u32,
    pub phase: SyncPhase,
    /// Status checks of the batch Meta is processing (0 unless `waiting`).
    pub polls: u32,
}

impl From<app::SyncProgress> for SyncProgress {
    fn from(progress: app::SyncProgress) -> Self {
        let app::SyncProgress {
            batches_done,
            batches_total,
            phase,
            polls,
        } = progress;
        Self {
            batches_done: count(batches_done),
            batches_total: count(batches_total),
            phase: match phase {
                app::SyncPhase::Sending => SyncPhase::Sending,
                app::SyncPhase::Waiting => SyncPhase::Waiting,
                app::SyncPhase::Done => SyncPhase::Done,
            },
            polls,
        }
    }
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SyncReport {
    /// This sync finished one an earlier sync left unfinished.
    pub resumed: bool,
    /// Items of that interrupted run (counted in the totals too).
    pub resumed_items: u32,
    pub created: u32,
    pub updated: u32,
    pub deleted: u32,
    pub unchanged: u32,
    pub held: u32,
    pub rejected: Vec<Rejection>,
    /// Items synced with a warning (counted in `created`/`updated` too).
    pub warnings: Vec<ItemWarning>,
    /// What a sync would still send (refused by Meta, edited too late): 0 when Meta holds
    /// what the catalog holds.
    pub left_to_send: u32,
}

impl From<app::SyncReport> for SyncReport {
    fn from(report: app::SyncReport) -> Self {
        let app::SyncReport {
            run_id: _,
            resumed,
            resumed_items,
            created,
            updated,
            deleted,
            unchanged,
            held,
            rejected,
            warnings,
            left_to_send,
        } = report;
        Self {
            resumed,
            resumed_items: count(resumed_items),
            created: count(created),
            updated: count(updated),
            deleted: count(deleted),
            unchanged: count(unchanged),
            held: count(held.len()),
            rejected: rejected.into_iter().map(Rejection::from).collect(),
            warnings: warnings.into_iter().map(ItemWarning::from).collect(),
            left_to_send: count(left_to_send),
        }
    }
}

// ---- Meta's review -----------------------------------------------------------------------

/// One problem Meta reports on an item, with its call to action.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct MetaIssue {
    /// The product field the problem concerns, as Meta's `error_type` names it; absent when
    /// Meta names none.
    pub field: Option<FindingField>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub call_to_action: Option<String>,
}

/// One item as Meta has it.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct MetaItem {
    pub sku: String,
    /// Meta's id (for `wa.me/p/` links).
    pub meta_id: String,
    /// `approved`, `pending`, `rejected`, `outdated`, or empty.
    pub review_status: String,
    /// Meta's value as sent, upper case: `FETCHED`, `DIRECT_UPLOAD`, `NO_STATUS`, or a
    /// failure (`FETCH_FAILED`, `PARTIAL_FETCH`, `OUTDATED`); empty when not given.
    pub image_fetch_status: String,
    pub issues: Vec<MetaIssue>,
    /// False for an orphan: at Meta but not in Vitrine.
    pub in_vitrine: bool,
}

impl From<app::MetaItemState> for MetaItem {
    fn from(item: app::MetaItemState) -> Self {
        let app::MetaItemState {
            retailer_id,
            meta_id,
            review_status,
            image_fetch_status,
            errors,
            in_vitrine,
        } = item;
        Self {
            sku: retailer_id,
            meta_id,
            review_status,
            image_fetch_status,
            issues: errors
                .into_iter()
                .map(|e| MetaIssue {
                    field: app::review_field(&e),
                    title: e.title,
                    description: e.description,
                    call_to_action: e.call_to_action,
                })
                .collect(),
            in_vitrine,
        }
    }
}
