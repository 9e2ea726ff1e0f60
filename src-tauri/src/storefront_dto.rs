//! The Storefront view's shapes across IPC, like [`crate::dto`]: camelCase, converted by
//! exhaustive destructuring; counts as `u32`.

use serde::{Deserialize, Serialize};
use specta::Type;
use vitrine_app as app;

fn saturating_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct StorefrontSettings {
    /// Where the site is served; `null` until set.
    pub base_url: Option<String>,
    /// `#rrggbb`.
    pub accent: String,
    /// Collection names the site shows; empty for the whole catalog.
    pub collections: Vec<String>,
}

impl From<app::StorefrontSettings> for StorefrontSettings {
    fn from(settings: app::StorefrontSettings) -> Self {
        let app::StorefrontSettings {
            base_url,
            accent,
            collections,
        } = settings;
        Self {
            base_url,
            accent,
            collections,
        }
    }
}

/// A change to the settings; `null` leaves a field as it is.
#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct StorefrontUpdate {
    pub base_url: Option<String>,
    pub accent: Option<String>,
    pub collections: Option<Vec<String>>,
}

impl From<StorefrontUpdate> for app::StorefrontUpdate {
    fn from(update: StorefrontUpdate) -> Self {
        let StorefrontUpdate {
            base_url,
            accent,
            collections,
        } = update;
        Self {
            base_url,
            accent,
            collections,
        }
    }
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct StorefrontBuild {
    pub files: u32,
    /// Written now (new or changed).
    pub written: u32,
    /// Files of an earlier build the site no longer has.
    pub removed: u32,
}

impl From<app::StorefrontBuild> for StorefrontBuild {
    fn from(build: app::StorefrontBuild) -> Self {
        let app::StorefrontBuild {
            files,
            written,
            removed,
            // Logged by the build; rare enough (a tampered manifest) to need no UI of its own.
            refused: _,
            written_paths: _,
        } = build;
        Self {
            files: saturating_u32(files),
            written: saturating_u32(written),
            removed: saturating_u32(removed),
        }
    }
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct StorefrontPublish {
    pub files: u32,
    pub uploaded: u32,
    pub unchanged: u32,
    pub removed: u32,
}

impl From<app::StorefrontPublish> for StorefrontPublish {
    fn from(publish: app::StorefrontPublish) -> Self {
        let app::StorefrontPublish {
            files,
            uploaded,
            unchanged,
            removed,
        } = publish;
        Self {
            files: saturating_u32(files),
            uploaded: saturating_u32(uploaded),
            unchanged: saturating_u32(unchanged),
            removed: saturating_u32(removed),
        }
    }
}

/// `done` of `total` files sent.
#[derive(Debug, Clone, Copy, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct StorefrontProgress {
    pub done: u32,
    pub total: u32,
}

impl From<app::StorefrontProgress> for StorefrontProgress {
    fn from(progress: app::StorefrontProgress) -> Self {
        let app::StorefrontProgress { done, total } = progress;
        Self {
            done: saturating_u32(done),
            total: saturating_u32(total),
        }
    }
}
