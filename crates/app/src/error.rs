use serde::Serialize;
use vitrine_store::StoreError;

/// What the UI branches on; the message is for the merchant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ErrorCode {
    NotFound,
    InvalidInput,
    Conflict,
    Image,
    Storage,
    Network,
    /// Meta refused or failed; the message says whether the merchant must act.
    Meta,
}

/// Something the merchant must set up before an action can work. The words say what, not
/// where: each shell says where (a settings page in the desktop, a command in the CLI).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(rename_all = "camelCase")]
pub enum Setup {
    #[error("connect to your Meta catalog first")]
    MetaCatalog,
    #[error("connect to your webhook relay first")]
    Relay,
    #[error("no payment details saved: set your Pix key or UPI id first")]
    PaymentDetails,
    #[error("set where product photos are published for Meta to fetch before syncing")]
    PhotoHostingForSync,
    #[error("set where product photos are published first: a feed needs public photo URLs")]
    PhotoHostingForFeed,
    #[error("set the storefront's web address first")]
    StorefrontAddress,
    #[error("set where the storefront is published first")]
    StorefrontHosting,
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    NotSetUp(Setup),
    #[error("{field}: {message}")]
    Invalid {
        field: &'static str,
        message: String,
    },
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{source_name}: {source}")]
    Image {
        source_name: String,
        source: vitrine_media::MediaError,
    },
    #[error("{source_name}: {message}")]
    Unreadable {
        source_name: String,
        message: String,
    },
    #[error("could not write {path}: {message}")]
    Write { path: String, message: String },
    #[error("{source_name}: {source}")]
    Download {
        source_name: String,
        source: vitrine_download::DownloadError,
    },
    #[error("{action} failed: {source}")]
    Storage {
        action: &'static str,
        source: StoreError,
    },
    #[error("{0}")]
    Meta(#[from] vitrine_meta::GraphError),
    #[error("{0}")]
    Hosting(#[from] crate::hosting::HostingError),
    #[error("{0}")]
    Relay(#[from] vitrine_relay::client::ClientError),
}

impl AppError {
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Invalid { .. } | Self::NotSetUp(_) => ErrorCode::InvalidInput,
            Self::NotFound(_) => ErrorCode::NotFound,
            Self::Conflict(_) => ErrorCode::Conflict,
            Self::Image { .. } | Self::Unreadable { .. } => ErrorCode::Image,
            Self::Download { .. } => ErrorCode::Network,
            // The merchant chose where to save: they can fix the folder or the disk.
            Self::Write { .. } => ErrorCode::InvalidInput,
            Self::Meta(_) => ErrorCode::Meta,
            Self::Hosting(e) if e.is_setting() => ErrorCode::InvalidInput,
            Self::Hosting(_) => ErrorCode::Network,
            Self::Relay(e) if e.is_transient() => ErrorCode::Network,
            Self::Relay(_) => ErrorCode::InvalidInput,
            Self::Storage { source, .. } => match source {
                StoreError::DuplicateSku(_) | StoreError::DuplicateCollection(_) => {
                    ErrorCode::Conflict
                }
                StoreError::NotFound(_) => ErrorCode::NotFound,
                StoreError::BadBackup(_) => ErrorCode::InvalidInput,
                _ => ErrorCode::Storage,
            },
        }
    }

    pub(crate) fn invalid(field: &'static str, message: impl std::fmt::Display) -> Self {
        Self::Invalid {
            field,
            message: message.to_string(),
        }
    }

    pub(crate) fn from_store(action: &'static str, source: StoreError) -> Self {
        match source {
            StoreError::DuplicateSku(sku) => {
                Self::Conflict(format!("a product with SKU “{sku}” already exists"))
            }
            StoreError::DuplicateCollection(name) => {
                Self::Conflict(format!("a collection named “{name}” already exists"))
            }
            StoreError::NotFound(what) => Self::NotFound(format!("{what} not found")),
            StoreError::BadBackup(reason) => Self::Invalid {
                field: "backup",
                message: format!("this file is not a usable Vitrine backup: {reason}"),
            },
            source => Self::Storage { action, source },
        }
    }
}

impl From<vitrine_core::UnknownOrderStatus> for AppError {
    fn from(e: vitrine_core::UnknownOrderStatus) -> Self {
        Self::invalid("status", e)
    }
}

impl From<vitrine_core::UnknownTimeZone> for AppError {
    fn from(e: vitrine_core::UnknownTimeZone) -> Self {
        Self::invalid("time zone", e)
    }
}
